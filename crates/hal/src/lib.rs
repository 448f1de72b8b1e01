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
//! `bus` (I2C and SPI buses behind object-safe traits, and error mapping), `soft` (bit-banged
//! I2C and SPI over pins and a delay), `board` (the board and its `Hardware` implementation),
//! `block_log` (a power-loss-safe block store for the file system on NOR flash with large
//! erase sectors, over `embedded-storage`).

extern crate alloc;

pub mod block_log;
mod board;
pub mod bus;
pub mod pin;
pub mod soft;

pub use block_log::BlockLog;
pub use board::{HalBoard, SOFT_HANDLES};
pub use bus::{i2c_errno, I2cBus, SpiBus};
pub use pin::{BoardPin, Input, OpenDrain, Output};
pub use soft::{SoftI2c, SoftSpi};

#[doc(hidden)]
pub use alloc::string::String as __String;
#[doc(hidden)]
pub use pyrite_core::hardware as __hardware;

/// The `Hardware` methods a board answers from its [`HalBoard`], written once: named pins,
/// pin interrupts, LEDs and the switch. Used inside a firmware's `impl Hardware`, naming the
/// field that holds the `HalBoard`: `pyrite_hal::hal_board_methods!(pins);`. The board adds
/// what `embedded-hal` has no trait for (buses, UARTs, ADC, flash, resets).
///
/// `hal_board_methods!(pins, lookups)` leaves out the methods that drive a pin or an LED
/// (`pin_init`, `pin_write`, `led_set`, `led_get`), for a firmware whose own peripherals also
/// drive pins (a timer dimming an LED) and that answers those itself.
#[macro_export]
macro_rules! hal_board_methods {
    ($board:ident) => {
        $crate::hal_board_methods!($board, lookups);

        fn pin_init(
            &mut self,
            pin: u16,
            mode: $crate::__hardware::PinMode,
            pull: $crate::__hardware::Pull,
        ) -> $crate::__hardware::HwResult<()> {
            self.$board.pin_init(pin, mode, pull)
        }

        fn pin_write(&mut self, pin: u16, high: bool) {
            self.$board.pin_write(pin, high)
        }

        fn led_set(&mut self, n: u8, intensity: u8) {
            self.$board.led_set(n, intensity)
        }

        fn led_get(&self, n: u8) -> u8 {
            self.$board.led_get(n)
        }
    };
    ($board:ident, lookups) => {
        fn pin_by_name(&self, name: &str) -> Option<u16> {
            self.$board.pin_by_name(name)
        }

        fn pin_by_number(&self, n: i32) -> Option<u16> {
            self.$board.pin_by_number(n)
        }

        fn pin_name(&self, pin: u16) -> $crate::__String {
            self.$board.pin_name(pin)
        }

        fn pin_read(&mut self, pin: u16) -> bool {
            self.$board.pin_read(pin)
        }

        fn pin_irq(&mut self, pin: u16, edges: u8) -> $crate::__hardware::HwResult<()> {
            self.$board.pin_irq(pin, edges)
        }

        fn take_pin_event(&mut self) -> Option<u16> {
            self.$board.take_pin_event()
        }

        fn led_count(&self) -> u8 {
            self.$board.led_count()
        }

        fn switch_pressed(&mut self) -> Option<bool> {
            self.$board.switch_pressed()
        }
    };
}
