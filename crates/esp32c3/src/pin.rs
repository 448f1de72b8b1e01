//! A GPIO as `machine.Pin` sees it: an esp-hal `Flex` pin, which can be an input, a push-pull
//! output or an open-drain output at run time, with any pull.
//!
//! The same pad also serves the ADC, LEDC (PWM) and the I2C and UART drivers, which take it
//! over through the GPIO matrix. `Pin.init` (every `machine.Pin(n, mode)`) gives it back to the
//! GPIO function, as MicroPython's ESP32 port does.

use esp_hal::gpio::{
    AnyPin, DriveMode, Flex, InputConfig, Level, OutputConfig, Pin as _, Pull as HalPull,
};
use pyrite_core::hardware::{HwResult, PinMode, Pull, EINVAL};
use pyrite_hal::BoardPin;

/// A GPIO of the board.
pub struct EspPin {
    number: u8,
    flex: Flex<'static>,
    /// Whether the pin drives its pad push-pull (reads then give the level set).
    push_pull: bool,
}

impl EspPin {
    /// GPIO `number`, as the chip left it (an input with no pull after reset).
    pub fn new(pin: AnyPin<'static>) -> EspPin {
        let number = pin.number();
        EspPin {
            number,
            flex: Flex::new(pin),
            push_pull: false,
        }
    }
}

/// Takes GPIO `number` again, for a driver that routes it to a peripheral.
///
/// # Safety
///
/// The caller must not use the returned pin while the pin's `EspPin` drives it: the firmware
/// hands a pad to one user at a time (the last one configured wins, as on MicroPython).
pub unsafe fn steal(number: u8) -> AnyPin<'static> {
    // SAFETY: forwarded to the caller.
    unsafe { AnyPin::steal(number) }
}

fn hal_pull(pull: Pull) -> HalPull {
    match pull {
        Pull::None => HalPull::None,
        Pull::Up => HalPull::Up,
        Pull::Down => HalPull::Down,
    }
}

impl BoardPin for EspPin {
    fn init(&mut self, mode: PinMode, pull: Pull) -> HwResult<()> {
        let drive = match mode {
            PinMode::Input => None,
            PinMode::Output => Some(DriveMode::PushPull),
            PinMode::OpenDrain => Some(DriveMode::OpenDrain),
            _ => return Err(EINVAL),
        };
        // A fresh `Flex` resets the pad to the GPIO function, taking it back from a
        // peripheral that had it; the output level set before is kept.
        let level = self.flex.output_level();
        // SAFETY: this pin's own number; the old `Flex` is dropped here, so one driver
        // remains.
        self.flex = Flex::new(unsafe { steal(self.number) });
        self.flex.set_level(level);
        let pull = hal_pull(pull);
        self.flex
            .apply_input_config(&InputConfig::default().with_pull(pull));
        self.flex.set_input_enable(true);
        match drive {
            Some(drive) => {
                self.flex.apply_output_config(
                    &OutputConfig::default()
                        .with_drive_mode(drive)
                        .with_pull(pull),
                );
                self.flex.set_output_enable(true);
            }
            None => self.flex.set_output_enable(false),
        }
        self.push_pull = drive == Some(DriveMode::PushPull);
        Ok(())
    }

    fn write(&mut self, high: bool) {
        self.flex.set_level(Level::from(high));
    }

    fn read(&mut self) -> bool {
        if self.push_pull {
            self.flex.is_set_high()
        } else {
            self.flex.is_high()
        }
    }
}
