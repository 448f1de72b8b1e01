//! The firmware's `Port`: the console on the two serial ports, the system timer for time, the
//! board for `machine`. Files live on the flash file system that `pyrite_repl::mount_flash`
//! mounts (through `Hardware::flash_*`), so the port has no host folder of its own: the
//! descriptors it answers are only the console's 0, 1 and 2.

use pyrite_core::hardware::Hardware;
use pyrite_core::port::{FsResult, Input, OpenMode, Port};
use pyrite_repl::console::Console;

use crate::board::EspBoard;
use crate::serial::Link;

/// `EBADF`: no such descriptor.
const EBADF: i32 = 9;

/// The board as the interpreter sees it.
pub struct EspPort {
    pub console: Console<Link>,
    pub board: EspBoard,
    /// The hardware random number generator.
    pub rng: esp_hal::rng::Rng,
}

impl Port for EspPort {
    fn stdout(&mut self, data: &[u8]) {
        self.console.write(data);
    }

    fn read_line(&mut self) -> Input {
        self.console.read_line()
    }

    fn interrupted(&mut self) -> bool {
        self.console.interrupted()
    }

    fn set_interrupt_char(&mut self, c: Option<u8>) {
        self.console.set_interrupt_char(c);
    }

    fn stdin_ready(&mut self) -> bool {
        self.console.stdin_ready()
    }

    fn platform(&self) -> &'static str {
        "esp32"
    }

    fn ticks_us(&mut self) -> u64 {
        esp_hal::time::Instant::now()
            .duration_since_epoch()
            .as_micros()
    }

    fn sleep_us(&mut self, us: u64) {
        self.console.sleep_us(us);
    }

    fn random_seed(&mut self) -> u64 {
        u64::from(self.rng.random()) << 32 | u64::from(self.rng.random())
    }

    fn urandom(&mut self, buf: &mut [u8]) -> bool {
        self.rng.read(buf);
        true
    }

    fn fs_open(&mut self, path: Option<&str>, fd: i32, _mode: OpenMode) -> FsResult<i32> {
        match path {
            None if (0..=2).contains(&fd) => Ok(fd),
            _ => Err(EBADF),
        }
    }

    fn fs_read(&mut self, fd: i32, buf: &mut [u8]) -> FsResult<usize> {
        if fd == 0 {
            return self.console.read_stdin(buf);
        }
        Err(EBADF)
    }

    fn fs_write(&mut self, fd: i32, data: &[u8]) -> FsResult<usize> {
        if fd == 1 || fd == 2 {
            self.console.write(data);
            return Ok(data.len());
        }
        Err(EBADF)
    }

    fn fs_flush(&mut self, fd: i32) -> FsResult<()> {
        if (0..=2).contains(&fd) {
            self.console.flush();
            return Ok(());
        }
        Err(EBADF)
    }

    fn fs_close(&mut self, fd: i32) -> FsResult<()> {
        if (0..=2).contains(&fd) {
            return Ok(());
        }
        Err(EBADF)
    }

    fn hardware(&mut self) -> Option<&mut dyn Hardware> {
        Some(&mut self.board)
    }
}
