//! The firmware's `Port`: the console on the two serial ports, the system timer for time, the
//! board for `machine`. Files live on the flash file system that `pyrite_repl::mount_flash`
//! mounts (through `Hardware::flash_*`), so the port has no host folder of its own: the
//! descriptors it answers are only the console's 0, 1 and 2.

use pyrite_core::hardware::Hardware;
use pyrite_core::port::Port;
use pyrite_repl::console::Console;

use crate::board::EspBoard;
use crate::serial::Link;

/// The board as the interpreter sees it.
pub struct EspPort {
    pub console: Console<Link>,
    pub board: EspBoard,
    /// The hardware random number generator.
    pub rng: esp_hal::rng::Rng,
}

impl Port for EspPort {
    pyrite_repl::console_port!(console);

    fn platform(&self) -> &'static str {
        "esp32"
    }

    fn ticks_us(&mut self) -> u64 {
        esp_hal::time::Instant::now()
            .duration_since_epoch()
            .as_micros()
    }

    fn random_seed(&mut self) -> u64 {
        u64::from(self.rng.random()) << 32 | u64::from(self.rng.random())
    }

    fn urandom(&mut self, buf: &mut [u8]) -> bool {
        self.rng.read(buf);
        true
    }

    fn hardware(&mut self) -> Option<&mut dyn Hardware> {
        Some(&mut self.board)
    }
}
