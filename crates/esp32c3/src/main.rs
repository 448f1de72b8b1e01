//! Pyrite's firmware for the ESP32-C3: MicroPython's REPL on the USB-Serial-JTAG port and on
//! UART0, `machine` over esp-hal, a file system in the flash's `vfs` partition.
//!
//! The firmware is thin: the REPL state machine and the console are `pyrite-repl`'s (the same
//! code as the host's virtual board and the browser's worker), `machine` is the core's over
//! the `Hardware` trait (`board`), pins and I2C go through `pyrite-hal`. What is here is the
//! chip: start-up, memory, the serial ports (`serial`), GPIO (`pin`), PWM (`pwm`), the flash
//! (`flash`) and the port that ties them to the interpreter (`port`).
//!
//! Memory (the ESP32-C3 has 400 KiB of SRAM; esp-hal's link script gives the program 313 KiB,
//! code in RAM included, and the bootloader's 64 KiB once it has finished): the allocator has
//! [`HEAP_DRAM_BYTES`] there and the 64 KiB reclaimed from the bootloader; the stack is what
//! remains of the 313 KiB (the build fails below [`STACK_BYTES`], see `.cargo/config.toml`).
//! The Python heap ([`VM_HEAP_BYTES`]) leaves the allocator room for what is not Python
//! objects (frames, compiled code, the interned strings, the REPL's buffers).
//!
//! `unsafe` here: taking peripherals again for drivers made on first use (`pin::steal`, in
//! `board`, `pwm` and the panic handler), each with its `SAFETY` comment.
#![no_std]
#![no_main]

extern crate alloc;

mod board;
mod flash;
mod pin;
mod port;
mod pwm;
mod serial;

use alloc::boxed::Box;

use esp_hal::clock::CpuClock;
use esp_hal::gpio::AnyPin;
use esp_hal::uart::Uart;
use esp_hal::usb::usb_serial_jtag::UsbSerialJtag;
use esp_storage::FlashStorage;
use pyrite_core::hardware::ResetKind;
use pyrite_core::Vm;
use pyrite_repl::console::{Console, Pacing};
use pyrite_repl::{BoardInfo, Repl};

use board::EspBoard;
use flash::FlashFs;
use port::EspPort;
use serial::Link;

esp_bootloader_esp_idf::esp_app_desc!();

/// The allocator's share of the main data RAM.
const HEAP_DRAM_BYTES: usize = 176 * 1024;
/// The RAM the second-stage bootloader used, free once the program runs (esp-hal's
/// `dram2_seg`, 64.8 KiB on the ESP32-C3).
const HEAP_RECLAIMED_BYTES: usize = 64 * 1024;
/// The Python heap: two fifths of what the allocator has (96 KiB; the pyboard's is 88 KiB of
/// 118). The heap shares the allocator, first come first served, with what natives build
/// before it becomes an object, the old buffers of growing objects while they move, the
/// compiler's memory and the interpreter's own; the VM asks it for room before each object
/// and anything that grows beside the heap and keeps `ARENA_KEEP` free (`Vm::arena_free`).
/// Measured on the QEMU pyboard (`crates/cli/tests/qemu`), not on this chip, which is why the
/// share stays below the pyboard's.
const VM_HEAP_BYTES: usize = (HEAP_DRAM_BYTES + HEAP_RECLAIMED_BYTES) * 2 / 5;
/// The least stack the build accepts (`ESP_HAL_CONFIG_ENSURE_MAIN_STACK_MINIMUM`, in
/// `.cargo/config.toml`). The compiler is the deepest user of the stack: it recurses about
/// 1.2 KiB per nesting level of an expression (frame sizes from `-Z emit-stack-sizes`), up to
/// its limit of 100 levels (`SyntaxError: too complex`).
pub const STACK_BYTES: usize = 120 * 1024;

/// How deep natives may re-enter the interpreter (`sorted` with a key calling a function that
/// sorts...): each level takes about 1.5 KiB of the stack, 36 KiB for 24. A program that
/// pushes both this and the compiler's nesting to their limits at once (`exec` of a deeply
/// nested expression at the innermost level) can still run out of stack: esp-hal's stack guard
/// then stops it as a panic, and the board restarts.
const MAX_NESTED: usize = 24;
/// The deepest Python call stack. Python frames do not use the stack, but they (about 72 bytes
/// each, plus their value stacks) are allocated outside the Python heap's budget, in the
/// part of the allocator the budget leaves free: 200 of them fit there with room to spare,
/// and recursion beyond gives `RuntimeError` rather than exhausting the allocator.
const MAX_FRAMES: usize = 200;

/// The most bytes one raw-REPL program may have.
const MAX_SOURCE: usize = 64 * 1024;

/// How the console batches output (512 bytes, or 20 ms while a program runs) and looks for
/// input (every other poll of the VM: a look is a few register reads).
const PACING: Pacing = Pacing {
    flush_bytes: 512,
    flush_us: 20_000,
    poll_every: 2,
};

/// How long the idle REPL waits for input between two runs of timers and pin handlers.
const IDLE_WAIT_US: u64 = 10_000;

#[esp_hal::main]
fn main() -> ! {
    let p = esp_hal::init(esp_hal::Config::default().with_cpu_clock(CpuClock::max()));

    esp_alloc::heap_allocator!(#[esp_hal::ram(reclaimed)] size: HEAP_RECLAIMED_BYTES);
    esp_alloc::heap_allocator!(size: HEAP_DRAM_BYTES);

    let usb = UsbSerialJtag::new(p.USB_DEVICE);
    let (usb_rx, usb_tx) = usb.split();
    // UART0's settings are fixed and valid; were they refused, the REPL would be on USB only.
    if let Ok(uart) = Uart::new(p.UART0, serial::uart0_config()) {
        serial::start_uart0(uart.with_rx(p.GPIO20).with_tx(p.GPIO21));
    }

    let gpio: [AnyPin<'static>; 11] = [
        p.GPIO0.into(),
        p.GPIO1.into(),
        p.GPIO2.into(),
        p.GPIO3.into(),
        p.GPIO4.into(),
        p.GPIO5.into(),
        p.GPIO6.into(),
        p.GPIO7.into(),
        p.GPIO8.into(),
        p.GPIO9.into(),
        p.GPIO10.into(),
    ];
    let flash = FlashFs::open(FlashStorage::new(p.FLASH));
    let port = EspPort {
        console: Console::new(Link::new(usb_rx, usb_tx), PACING),
        board: EspBoard::new(gpio, flash),
        rng: esp_hal::rng::Rng::new(),
    };

    let mut vm = Vm::new(VM_HEAP_BYTES, Box::new(port));
    vm.max_nested = MAX_NESTED;
    vm.max_frames = MAX_FRAMES;
    vm.arena_free = Some(|| esp_alloc::HEAP.free());
    mount(&mut vm);
    let repl = Repl::new(BoardInfo {
        board: "ESP32C3 module",
        mcu: "ESP32C3",
        max_source: MAX_SOURCE,
    });
    pyrite_repl::board_loop::run(&mut vm, repl, &mut Esp32c3)
}

/// The ESP32-C3's part of the main loop.
struct Esp32c3;

impl pyrite_repl::board_loop::Board for Esp32c3 {
    /// A soft reset mounts the flash again; a hard one (`machine.reset()`) or
    /// `machine.bootloader()` restarts the chip, after the flash is synced.
    fn reset(&mut self, vm: &mut Vm, kind: ResetKind) {
        if kind == ResetKind::Soft {
            mount(vm);
            return;
        }
        if let Some(h) = vm.port.hardware() {
            let _ = h.flash_sync();
        }
        restart(kind == ResetKind::Bootloader)
    }

    fn idle(&mut self, vm: &mut Vm) {
        wait_for_input(vm);
    }
}

/// Waits up to [`IDLE_WAIT_US`] for a received byte.
fn wait_for_input(vm: &mut Vm) {
    let start = vm.port.ticks_us();
    while !vm.port.stdin_ready() && vm.port.ticks_us().wrapping_sub(start) < IDLE_WAIT_US {
        core::hint::spin_loop();
    }
}

/// Mounts the flash file system at `/` on a fresh VM; a failure is reported on the console.
fn mount(vm: &mut Vm) {
    match pyrite_repl::mount_flash(vm) {
        Ok(true) => {}
        Ok(false) => vm
            .port
            .stderr(b"no 'vfs' partition: running without a file system\n"),
        Err(text) => {
            vm.port.stderr(b"could not mount the flash:\n");
            vm.port.stderr(text.as_bytes());
        }
    }
}

/// Restarts the chip; into the ROM's serial download mode (for esptool) if `download`.
fn restart(download: bool) -> ! {
    let start = esp_hal::time::Instant::now();
    // Lets the last bytes leave the USB FIFO and UART0.
    while start.elapsed().as_millis() < 20 {
        core::hint::spin_loop();
    }
    if download {
        // SAFETY: a single write to the RTC controller's boot option register, the last
        // thing before the reset.
        let rtc = unsafe { esp_hal::peripherals::LPWR::steal() };
        rtc.register_block()
            .option1()
            .modify(|_, w| w.force_download_boot().set_bit());
    }
    esp_hal::system::software_reset()
}

/// A panic is a bug of the firmware: it says so on both ports and restarts the chip.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    use core::fmt::Write;
    let mut text: heapless_line::Line = heapless_line::Line::default();
    let _ = write!(text, "\r\npyrite: firmware panic: {}\r\n", info.message());
    // SAFETY: nothing else runs once the panic handler has started; the drivers are made
    // anew on the peripherals the firmware set up at start.
    let mut usb = UsbSerialJtag::new(unsafe { esp_hal::peripherals::USB_DEVICE::steal() });
    for &b in text.bytes() {
        if usb.write_byte_nb(b).is_err() {
            break;
        }
    }
    let _ = usb.flush_tx_nb();
    if let Ok(mut uart) = Uart::new(
        unsafe { esp_hal::peripherals::UART0::steal() },
        esp_hal::uart::Config::default(),
    ) {
        let _ = uart.write(text.bytes());
        let _ = uart.flush();
    }
    restart(false)
}

/// A fixed-size text buffer for the panic message (the heap may be what failed).
mod heapless_line {
    /// Up to 160 bytes of text; more is cut.
    pub struct Line {
        buf: [u8; 160],
        len: usize,
    }

    impl core::fmt::Write for Line {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            for &b in s.as_bytes() {
                if let Some(slot) = self.buf.get_mut(self.len) {
                    *slot = b;
                    self.len += 1;
                }
            }
            Ok(())
        }
    }

    impl Line {
        /// The text so far.
        pub fn bytes(&self) -> &[u8] {
            self.buf.get(..self.len).unwrap_or_default()
        }
    }

    impl Default for Line {
        fn default() -> Line {
            Line {
                buf: [0; 160],
                len: 0,
            }
        }
    }
}
