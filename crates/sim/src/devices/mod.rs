//! The chips on the simulated board's I2C buses, one file each, each behaving as its
//! datasheet says at the byte level.

mod eeprom;
mod memory;
mod sht31;
mod ssd1306;

pub use eeprom::Eeprom;
pub use memory::Memory;
pub use sht31::{crc8, Sht31};
pub use ssd1306::Ssd1306;

/// The `I2cDevice::as_any` pair, the same in every device.
macro_rules! any_methods {
    () => {
        fn as_any(&self) -> &dyn core::any::Any {
            self
        }

        fn as_any_mut(&mut self) -> &mut dyn core::any::Any {
            self
        }
    };
}
pub(crate) use any_methods;
