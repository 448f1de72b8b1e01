#![no_std]
#![forbid(unsafe_code)]
//! A simulated pyboard v1.1 (MicroPython's `PYBV11`) behind [`pyrite_core::hardware::Hardware`].
//!
//! The host's virtual board and the browser IDE run Python's `machine` and `pyb` against a
//! [`SimBoard`]: plain data, no threads, and a clock only if the UI gives it one (the timers
//! count on it), so a UI reads its state between two steps of the VM and sets what the
//! outside world does (a pin's input level, the switch, an analog value, the temperature the
//! sensor measures). What a program visibly changes is also written to an event log
//! ([`Event`]), whose lines the CLI and the tests print.
//!
//! Layout: `pins` (the pin map and one pin's state), `board` (the board and its UI-side
//! methods), `hardware` (the `Hardware` implementation), `event` (the log), `i2c` (buses and the
//! [`I2cDevice`] trait), `devices/*` (one chip per file), `uart` (the serial ports), `flash`
//! (the file storage behind `pyb.Flash`), `timer` (one timer and its channels) and `timers`
//! (the board's timers and their pins, behind `pyb.Timer`).

extern crate alloc;

mod board;
pub mod devices;
mod event;
mod flash;
mod hardware;
pub mod i2c;
pub mod pins;
mod timer;
mod timers;
mod uart;

pub use board::{Pwm, SimBoard, LED_PINS};
pub use devices::{Eeprom, Memory, Sht31, Ssd1306};
pub use event::Event;
pub use flash::{FLASH_BLOCKS, FLASH_BYTES};
pub use i2c::{I2cBus, I2cDevice};
pub use pins::PinState;
pub use uart::Uart;
