//! The pyboard v1.1's pins as the simulated board numbers and names them, and one pin's
//! state.
//!
//! Numbers and names are `pyrite-pyboard`'s: `A0`..`A15` are 0..15, `B0`..`B15` 16..31,
//! `C0`..`C15` 32..47, and `D2` (the SD card's command line, the only port D pin wired) is 48;
//! board names are those of MicroPython's `PYBV11/pins.csv`: the `X`/`Y` headers, the LEDs,
//! the switch, and the pins wired to the accelerometer, SD card and USB.

use pyrite_core::hardware::{PinMode, Pull};
use pyrite_pyboard as pyboard;

use crate::board::Pwm;

/// How many pins the board has.
pub const PIN_COUNT: u16 = pyboard::PIN_COUNT as u16;

const B: u16 = 16;

/// `LED_RED` (`A13`), LED 1.
pub const LED_RED: u16 = pyboard::LEDS[0].1 as u16;
/// `LED_GREEN` (`A14`), LED 2.
pub const LED_GREEN: u16 = pyboard::LEDS[1].1 as u16;
/// `LED_YELLOW` (`A15`), LED 3.
pub const LED_YELLOW: u16 = pyboard::LEDS[2].1 as u16;
/// `LED_BLUE` (`B4`), LED 4.
pub const LED_BLUE: u16 = pyboard::LEDS[3].1 as u16;
/// `SW` (`B3`, also `X17`): the user switch, low while pressed.
pub const SW: u16 = pyboard::SW as u16;
/// `X9` (`B6`): I2C bus 1's SCL.
pub const X9: u16 = B + 6;
/// `X10` (`B7`): I2C bus 1's SDA.
pub const X10: u16 = B + 7;
/// `Y9` (`B10`): I2C bus 2's SCL.
pub const Y9: u16 = B + 10;
/// `Y10` (`B11`): I2C bus 2's SDA.
pub const Y10: u16 = B + 11;

/// Pin `pin` as `pyrite-pyboard` numbers it, if the board has it.
pub(crate) fn chip_pin(pin: u16) -> Option<pyboard::Pin> {
    pyboard::Pin::try_from(pin)
        .ok()
        .filter(|&p| p < pyboard::PIN_COUNT)
}

/// The pin called `name`: a board name (`"X1"`, `"LED_RED"`) or a CPU name (`"A0"`).
pub fn pin_by_name(name: &str) -> Option<u16> {
    pyboard::pin_by_name(name).map(u16::from)
}

/// The pin's board name if it has one, else its CPU name; `None` for no such pin.
pub fn pin_name(pin: u16) -> Option<&'static str> {
    chip_pin(pin).and_then(pyboard::pin_name)
}

/// The pin's CPU name (`"A0"`).
pub fn cpu_name(pin: u16) -> Option<&'static str> {
    chip_pin(pin).and_then(pyboard::cpu_name)
}

/// Whether the pin is wired to an ADC channel (the STM32F405's `ADC123_IN0`..`IN15`: `A0`..`A7`,
/// `B0`, `B1`, `C0`..`C5`).
pub fn has_adc(pin: u16) -> bool {
    chip_pin(pin).and_then(pyboard::adc_channel).is_some()
}

/// One pin's state. The UI reads it; programs change it through `machine.Pin`, the UI through
/// the board's `set_input`, `press` and `set_analog`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinState {
    /// How the pin is driven.
    pub mode: PinMode,
    /// Its pull resistor.
    pub pull: Pull,
    /// The output register: the level an output drives (kept while the pin is an input, as
    /// on the chip).
    pub out: bool,
    /// The level something outside drives onto the pin; `None` when nothing is connected.
    pub input: Option<bool>,
    /// The voltage on the pin for the ADC, 0..=65535; `None` follows the digital level.
    pub analog: Option<u16>,
    /// The PWM the pin puts out, if any.
    pub pwm: Option<Pwm>,
    /// The edges a pin interrupt watches.
    pub(crate) irq: u8,
    /// The level when last looked at, for edge detection.
    pub(crate) level: bool,
    /// The output level last written to the event log.
    pub(crate) logged: Option<bool>,
}

impl PinState {
    /// A pin as after reset: an input with neither pull nor anything connected.
    pub(crate) fn new() -> PinState {
        PinState {
            mode: PinMode::Input,
            pull: Pull::None,
            out: false,
            input: None,
            analog: None,
            pwm: None,
            irq: 0,
            level: false,
            logged: None,
        }
    }

    /// The level on the pin, as the input register reads it. An unconnected input reads its
    /// pull (low without one); a released open-drain output reads what the outside or its pull
    /// gives; an analog pin reads low (its Schmitt trigger is off); a pin given to a
    /// peripheral reads its PWM level, else idles high as I2C and UART lines do.
    pub fn level(&self) -> bool {
        let floating = self.input.unwrap_or(self.pull == Pull::Up);
        match self.mode {
            PinMode::Input => floating,
            PinMode::Output => self.out,
            PinMode::OpenDrain => self.out && floating,
            PinMode::Analog => false,
            PinMode::Alt | PinMode::AltOpenDrain => match self.pwm {
                Some(pwm) => pwm.duty_u16 >= 0x8000,
                None => self.input.unwrap_or(true),
            },
        }
    }

    /// The level the pin drives, for the event log: `Some` while it is an output.
    pub fn driven(&self) -> Option<bool> {
        match self.mode {
            PinMode::Output | PinMode::OpenDrain => Some(self.out),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names_are_the_pyboard_tables() {
        assert_eq!(pin_by_name("X1"), Some(0));
        assert_eq!(pin_by_name("X9"), Some(X9));
        assert_eq!(pin_by_name("X10"), Some(X10));
        assert_eq!(pin_by_name("Y9"), Some(Y9));
        assert_eq!(pin_by_name("Y10"), Some(Y10));
        assert_eq!(pin_by_name("SW"), Some(SW));
        assert_eq!(pin_by_name("LED_BLUE"), Some(LED_BLUE));
        assert_eq!(pin_name(LED_RED), Some("LED_RED"));
        assert_eq!(pin_name(SW), Some("X17"));
        assert_eq!(pin_name(PIN_COUNT), None);
        assert_eq!(pin_name(0x100), None);
        assert_eq!(cpu_name(PIN_COUNT - 1), Some("D2"));
        assert!(has_adc(0) && !has_adc(LED_RED) && !has_adc(0x100));
    }
}
