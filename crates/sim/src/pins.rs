//! The pyboard v1.1's pins: their numbers, CPU names and board names, and one pin's state.
//!
//! A pin's number is its place in the CPU's ports: `A0`..`A15` are 0..15, `B0`..`B15` 16..31,
//! `C0`..`C15` 32..47, and `D2` (the SD card's command line, the only port D pin wired) is 48.
//! Board names are those of MicroPython's `PYBV11/pins.csv`: the `X`/`Y` headers, the LEDs,
//! the switch, and the pins wired to the accelerometer, SD card and USB.

use pyrite_core::hardware::{PinMode, Pull};

use crate::board::Pwm;

/// How many pins the board has.
pub const PIN_COUNT: u16 = 49;

const A: u16 = 0;
const B: u16 = 16;
const C: u16 = 32;
/// `D2`, the one port D pin.
const D2: u16 = 48;

/// `LED_RED` (`A13`), LED 1.
pub const LED_RED: u16 = A + 13;
/// `LED_GREEN` (`A14`), LED 2.
pub const LED_GREEN: u16 = A + 14;
/// `LED_YELLOW` (`A15`), LED 3.
pub const LED_YELLOW: u16 = A + 15;
/// `LED_BLUE` (`B4`), LED 4.
pub const LED_BLUE: u16 = B + 4;
/// `SW` (`B3`, also `X17`): the user switch, low while pressed.
pub const SW: u16 = B + 3;
/// `X9` (`B6`): I2C bus 1's SCL.
pub const X9: u16 = B + 6;
/// `X10` (`B7`): I2C bus 1's SDA.
pub const X10: u16 = B + 7;
/// `Y9` (`B10`): I2C bus 2's SCL.
pub const Y9: u16 = B + 10;
/// `Y10` (`B11`): I2C bus 2's SDA.
pub const Y10: u16 = B + 11;

/// CPU names, by pin number.
const CPU_NAMES: [&str; PIN_COUNT as usize] = [
    "A0", "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10", "A11", "A12", "A13", "A14",
    "A15", "B0", "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10", "B11", "B12", "B13",
    "B14", "B15", "C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12",
    "C13", "C14", "C15", "D2",
];

/// Board names, in `pins.csv` order: a pin's first entry is the name [`pin_name`] gives.
const BOARD_NAMES: [(&str, u16); 49] = [
    ("X1", A),
    ("X2", A + 1),
    ("X3", A + 2),
    ("X4", A + 3),
    ("X5", A + 4),
    ("X6", A + 5),
    ("X7", A + 6),
    ("X8", A + 7),
    ("X9", B + 6),
    ("X10", B + 7),
    ("X11", C + 4),
    ("X12", C + 5),
    ("X17", B + 3),
    ("X18", C + 13),
    ("X19", C),
    ("X20", C + 1),
    ("X21", C + 2),
    ("X22", C + 3),
    ("Y1", C + 6),
    ("Y2", C + 7),
    ("Y3", B + 8),
    ("Y4", B + 9),
    ("Y5", B + 12),
    ("Y6", B + 13),
    ("Y7", B + 14),
    ("Y8", B + 15),
    ("Y9", B + 10),
    ("Y10", B + 11),
    ("Y11", B),
    ("Y12", B + 1),
    ("SW", B + 3),
    ("LED_RED", A + 13),
    ("LED_GREEN", A + 14),
    ("LED_YELLOW", A + 15),
    ("LED_BLUE", B + 4),
    ("MMA_INT", B + 2),
    ("MMA_AVDD", B + 5),
    ("SD_D0", C + 8),
    ("SD_D1", C + 9),
    ("SD_D2", C + 10),
    ("SD_D3", C + 11),
    ("SD_CMD", D2),
    ("SD_CK", C + 12),
    ("SD", A + 8),
    ("SD_SW", A + 8),
    ("USB_VBUS", A + 9),
    ("USB_ID", A + 10),
    ("USB_DM", A + 11),
    ("USB_DP", A + 12),
];

/// The pin called `name`: a board name (`"X1"`, `"LED_RED"`) or a CPU name (`"A0"`).
pub fn pin_by_name(name: &str) -> Option<u16> {
    BOARD_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, pin)| pin)
        .or_else(|| CPU_NAMES.iter().position(|n| *n == name).map(|i| i as u16))
}

/// The pin's board name if it has one, else its CPU name; `None` for no such pin.
pub fn pin_name(pin: u16) -> Option<&'static str> {
    BOARD_NAMES
        .iter()
        .find(|&&(_, p)| p == pin)
        .map(|&(n, _)| n)
        .or_else(|| cpu_name(pin))
}

/// The pin's CPU name (`"A0"`).
pub fn cpu_name(pin: u16) -> Option<&'static str> {
    CPU_NAMES.get(usize::from(pin)).copied()
}

/// Whether the pin is wired to an ADC channel (the STM32F405's `ADC123_IN0`..`IN15`: `A0`..`A7`,
/// `B0`, `B1`, `C0`..`C5`).
pub fn has_adc(pin: u16) -> bool {
    pin <= A + 7 || pin == B || pin == B + 1 || (C..=C + 5).contains(&pin)
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
    fn names_follow_pins_csv() {
        assert_eq!(pin_by_name("X1"), Some(0));
        assert_eq!(pin_by_name("A0"), Some(0));
        assert_eq!(pin_by_name("X9"), pin_by_name("B6"));
        assert_eq!(pin_by_name("Y12"), pin_by_name("B1"));
        assert_eq!(pin_by_name("X18"), pin_by_name("C13"));
        assert_eq!(pin_by_name("LED_BLUE"), pin_by_name("B4"));
        assert_eq!(pin_by_name("SW"), pin_by_name("X17"));
        assert_eq!(pin_by_name("SD_CMD"), pin_by_name("D2"));
        assert_eq!(pin_by_name("X13"), None);
        assert_eq!(pin_by_name("x1"), None);
        assert_eq!(pin_name(0), Some("X1"));
        assert_eq!(pin_name(LED_RED), Some("LED_RED"));
        assert_eq!(pin_name(SW), Some("X17"));
        assert_eq!(pin_name(C + 14), Some("C14"));
        assert_eq!(pin_name(PIN_COUNT), None);
    }

    #[test]
    fn every_board_name_is_a_pin() {
        for (name, pin) in BOARD_NAMES {
            assert!(pin < PIN_COUNT, "{name}");
        }
        for (i, name) in CPU_NAMES.iter().enumerate() {
            assert_eq!(pin_by_name(name), Some(i as u16));
        }
    }
}
