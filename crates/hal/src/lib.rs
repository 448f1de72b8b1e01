#![no_std]
#![forbid(unsafe_code)]
//! Pyrite's [`Hardware`](pyrite_core::hardware::Hardware) over `embedded-hal` 1.0 drivers.
//!
//! A firmware builds a [`HalBoard`] from its HAL's pins and buses at start-up (named pins,
//! LEDs on output pins, the user switch, I2C and SPI buses) and returns it from
//! `Port::hardware`; `machine` and `pyb` then run on any chip that has an `embedded-hal`
//! implementation (STM32, ESP32-C3...). Only the traits of `embedded-hal` are used, so this
//! crate knows no chip. Timing (`ticks`, delays) is the port's, not the board's.
//!
//! Layout: `pin` (the [`BoardPin`] trait and wrappers over `embedded_hal::digital` pins),
//! `bus` (I2C and SPI buses behind object-safe traits, and error mapping), `board` (the board
//! and its `Hardware` implementation), `block_log` (a power-loss-safe block store for the
//! file system on NOR flash with large erase sectors, over `embedded-storage`).

extern crate alloc;

pub mod block_log;
mod board;
pub mod bus;
pub mod pin;

pub use block_log::BlockLog;
pub use board::HalBoard;
pub use bus::{i2c_errno, I2cBus, SpiBus};
pub use pin::{BoardPin, Input, OpenDrain, Output};
