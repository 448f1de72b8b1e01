//! Pyrite on the pyboard (STM32F405): the interpreter, the board's REPL on USART1, the file
//! system in the internal flash (a RAM disk under QEMU) mounted at `/`, `boot.py` and `main.py`.
//!
//! With the `qemu` feature the same firmware runs in `qemu-system-arm -M netduinoplus2`
//! (an STM32F405 whose clock and GPIO registers are stubs): the clock stays at its reset
//! default (HSI), and the REPL is QEMU's first `-serial`.
//!
//! Layout: `serial` (USART1, its receive interrupt, the console's `Serial`), `clock`
//! (SysTick, the buses' busy wait), `board` (the `Hardware` of `machine` and `pyb`: pins,
//! LEDs, the switch, the timers, the storage; over `gpio`, `i2c`, `spi`, `uart`, `adc`, `pwm`,
//! `timer` and `flash`), `port` (the interpreter's `Port`), `chip` (unique ID, resets,
//! bootloader, fault and panic handlers).
//! This file holds the memory budget, start-up and the main loop, which feeds received bytes
//! to the REPL (`pyrite_repl::Repl`, the same state machine as every other Pyrite board) and
//! sleeps in `WFI` while nothing arrives.
//!
//! Every `unsafe` block (the allocator's arena, the RAM disk, interrupt unmasking, a few
//! registers) says why it is sound; the interpreter itself has none.
#![no_std]
#![no_main]

extern crate alloc;

mod adc;
mod arena;
mod board;
mod chip;
mod clock;
mod flash;
mod gpio;
mod i2c;
mod port;
mod pwm;
mod serial;
mod spi;
mod timer;
mod uart;
#[cfg(not(feature = "qemu"))]
mod usb;

use alloc::boxed::Box;
use core::mem::MaybeUninit;

use cortex_m_rt::entry;
use pyrite_core::hardware::ResetKind;
use pyrite_core::Vm;
use pyrite_repl::{BoardInfo, Repl};
use stm32f4xx_hal::pac;
use stm32f4xx_hal::prelude::*;
use stm32f4xx_hal::rcc::Config;

use board::Board;
use port::BoardPort;

// The memory budget (see `memory/*.x` for the map): a 48 KiB stack, 128 KiB for `.data`,
// `.bss` and the allocator's arena, a 16 KiB RAM disk.

/// The Python heap's budget: what `gc.mem_free()` counts down from and where `MemoryError`
/// starts. It counts the arena's blocks the heap takes (its table's pages and what objects
/// own, each with the allocator's header and rounding). The heap shares the arena with the
/// interpreter's own state (about 15 KiB), what natives build before it becomes an object,
/// and while a program is compiled its source and the compiler's memory for one statement:
/// first come first served, as MicroPython's compiler and objects share its heap. The VM
/// asks the arena for room before each object and anything that grows beside the heap and
/// keeps `ARENA_KEEP` (16 KiB) free (`Vm::arena_free`), so `gc.mem_free()` is also at most
/// what the arena has left. The budget stays below the arena less the interpreter's state,
/// so that a result sized against the budget still fits the arena: with the programs of
/// `crates/cli/tests/arena.rs` on the QEMU board and a 96 KiB budget the arena's peak is
/// 119 KB of its 122 KiB and none resets the board; the pyboard's arena is 4 KiB smaller.
/// `micropython.mem_info()` prints the arena's peak.
#[cfg(not(feature = "heap-16k"))]
const HEAP_BYTES: usize = 88 * 1024;
/// The Python heap of the small build (`--features heap-16k`).
#[cfg(feature = "heap-16k")]
const HEAP_BYTES: usize = 16 * 1024;

/// The allocator's arena: the Python heap, plus what lives outside its budget (the
/// interpreter's tables and frames, the compiler's working memory, which grows with the
/// program compiled, the console's buffers) and the allocator's slack.
#[cfg(all(not(feature = "heap-16k"), feature = "qemu"))]
const ARENA_BYTES: usize = 122 * 1024;
/// The pyboard's arena: 4 KiB less, for the USB device's buffers and state.
#[cfg(all(not(feature = "heap-16k"), not(feature = "qemu")))]
const ARENA_BYTES: usize = 118 * 1024;
/// The small build's arena.
#[cfg(feature = "heap-16k")]
const ARENA_BYTES: usize = 48 * 1024;

/// The deepest Python call stack (frames live in the arena, outside the heap's budget).
const MAX_FRAMES: usize = 100;
/// The deepest nesting of natives calling back into Python (`sorted(key=...)`, `__repr__`,
/// `__init__` from a native...): each level is about 1.6 KiB of the stack in Rust recursion,
/// and the compiler may still need 20 KiB on top.
const MAX_NESTED: usize = 12;
/// The deepest recursion of the compiler's parser: 20 nested brackets, calls or blocks (two
/// levels each, and one for the expression), each about 1 KiB of the stack, within the
/// 20 KiB the compiler may take (see `MAX_NESTED`).
const MAX_PARSE_DEPTH: u32 = 42;

/// The most bytes of one raw-REPL program: a longer one is refused with `MemoryError` (the
/// compiler could not hold it in the arena anyway, and would fail there, resetting the board).
const MAX_SOURCE: usize = 8 * 1024;

/// What the banner names.
#[cfg(feature = "qemu")]
const INFO: BoardInfo = BoardInfo {
    board: "QEMU netduinoplus2",
    mcu: "STM32F405RG",
    max_source: MAX_SOURCE,
};
#[cfg(not(feature = "qemu"))]
const INFO: BoardInfo = BoardInfo {
    board: "PYBv1.1",
    mcu: "STM32F405RG",
    max_source: MAX_SOURCE,
};

/// The core clock SysTick counts. QEMU's netduinoplus2 clocks the core at 168 MHz whatever
/// RCC says (its RCC is a stub that the HAL believes left at HSI, 16 MHz).
#[cfg(feature = "qemu")]
const QEMU_CORE_HZ: u32 = 168_000_000;

#[global_allocator]
static ALLOCATOR: arena::Arena = arena::Arena::empty();

/// The allocator's memory; `.uninit`, so start-up does not spend time zeroing it.
#[link_section = ".uninit.arena"]
static mut ARENA: [MaybeUninit<u8>; ARENA_BYTES] = [MaybeUninit::uninit(); ARENA_BYTES];

/// The clocks: the reset-default 16 MHz HSI under QEMU (whose RCC never reports a PLL
/// lock); on the pyboard its 12 MHz crystal through the PLL to 168 MHz, with the 48 MHz USB
/// clock.
fn clocks() -> Config {
    if cfg!(feature = "qemu") {
        Config::hsi()
    } else {
        Config::hse(12.MHz()).sysclk(168.MHz()).require_pll48clk()
    }
}

#[entry]
fn main() -> ! {
    let (Some(dp), Some(cp)) = (pac::Peripherals::take(), cortex_m::Peripherals::take()) else {
        panic!("peripherals taken twice");
    };
    #[cfg(not(feature = "qemu"))]
    chip::enter_bootloader_if_asked(&dp.SYSCFG);
    // SAFETY: the arena is used by nothing else, and this runs once, before any allocation.
    unsafe { ALLOCATOR.init(core::ptr::addr_of_mut!(ARENA) as usize, ARENA_BYTES) };

    let mut rcc = dp.RCC.freeze(clocks());
    #[cfg(feature = "qemu")]
    let link = {
        let gpiob = dp.GPIOB.split(&mut rcc);
        serial::usart(dp.USART1, gpiob.pb6, gpiob.pb7, &mut rcc)
    };
    #[cfg(not(feature = "qemu"))]
    let link = {
        let gpioa = dp.GPIOA.split(&mut rcc);
        usb::init(
            (dp.OTG_FS_GLOBAL, dp.OTG_FS_DEVICE, dp.OTG_FS_PWRCLK),
            (gpioa.pa11, gpioa.pa12),
            &rcc.clocks,
        );
        serial::Link::usb()
    };
    let sysclk = rcc.clocks.sysclk().raw();
    #[cfg(feature = "qemu")]
    clock::start(cp.SYST, QEMU_CORE_HZ);
    #[cfg(not(feature = "qemu"))]
    clock::start(cp.SYST, rcc.clocks.hclk().raw());

    let peripherals = board::Peripherals {
        i2c1: dp.I2C1,
        i2c2: dp.I2C2,
        spi1: dp.SPI1,
        spi2: dp.SPI2,
        usart2: dp.USART2,
        usart3: dp.USART3,
        usart6: dp.USART6,
        adc1: dp.ADC1,
        adc_common: dp.ADC_COMMON,
        flash: dp.FLASH,
    };
    let port = BoardPort::new(link, Board::new(sysclk, &mut rcc, peripherals));
    let mut vm = Box::new(Vm::new(HEAP_BYTES, Box::new(port)));
    vm.max_frames = MAX_FRAMES;
    vm.max_nested = MAX_NESTED;
    vm.max_parse_depth = MAX_PARSE_DEPTH;
    vm.arena_free = Some(|| ALLOCATOR.free());
    run(vm)
}

/// Mounts the RAM disk at `/` on a fresh VM; a failure is reported on the console.
fn mount(vm: &mut Vm) {
    if let Err(text) = pyrite_repl::mount_flash(vm) {
        vm.port.stderr(b"could not mount the flash:\n");
        vm.port.stderr(text.as_bytes());
    }
}

/// The main loop (`pyrite_repl::board_loop`) with this chip's resets and its sleep at the
/// prompt.
fn run(mut vm: Box<Vm>) -> ! {
    mount(&mut vm);
    pyrite_repl::board_loop::run(&mut vm, Repl::new(INFO), &mut Pyboard)
}

/// The pyboard's part of the main loop.
struct Pyboard;

impl pyrite_repl::board_loop::Board for Pyboard {
    fn reset(&mut self, vm: &mut Vm, kind: ResetKind) {
        match kind {
            ResetKind::Soft => mount(vm),
            ResetKind::Hard => chip::reset(),
            ResetKind::Bootloader => chip::bootloader(),
        }
    }

    /// Sleeps until a byte arrives or the next millisecond tick.
    fn idle(&mut self, _vm: &mut Vm) {
        serial::wait_for_input();
    }
}
