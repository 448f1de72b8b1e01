//! The pyboard v1.1's pins: their numbers, CPU names and board names, the LEDs, the switch and
//! the ADC channels.
//!
//! A pin's number is its place in the CPU's ports: `A0`..`A15` are 0..15, `B0`..`B15` 16..31,
//! `C0`..`C15` 32..47, and `D2` (the SD card's command line, the only port D pin wired) is 48.
//! For ports A to C that is `port << 4 | n`, the packing the firmware's GPIO driver uses.
//!
//! Board names are those of MicroPython's `PYBV11/pins.csv`, in its order: the `X` and `Y`
//! headers, the switch, the LEDs, and the pins wired to the accelerometer, the SD card and USB.
//! Where a pin has two names (`X17` and `SW`, `SD` and `SD_SW`) the first is its name.

/// A pin, by its number (see the module doc).
pub type Pin = u8;

/// How many pins there are: ports A to C, and `D2`.
pub const PIN_COUNT: u8 = 49;

const A: Pin = 0;
const B: Pin = 16;
const C: Pin = 32;
/// `D2`, the one port D pin.
const D2: Pin = 48;

/// The CPU names one after the other: in each of ports A to C, `A0`..`A9` take two
/// characters and `A10`..`A15` three (38 a port), then `D2`. [`cpu_name`] cuts a pin's name
/// out; a table of 49 `&str` would take 392 bytes more of the firmware's flash.
const CPU_NAMES: &str = "A0A1A2A3A4A5A6A7A8A9A10A11A12A13A14A15\
                         B0B1B2B3B4B5B6B7B8B9B10B11B12B13B14B15\
                         C0C1C2C3C4C5C6C7C8C9C10C11C12C13C14C15\
                         D2";

/// The `X` and `Y` header pins (those with a signal: not the supply, ground and reset pins
/// `X13`-`X16`, `X23`, `X24`, `Y13`-`Y16`), by board name.
pub const HEADER: [(&str, Pin); 30] = [
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
];

/// `SW` (`B3`, also `X17`): the user switch, which pulls the pin low while pressed.
pub const SW: Pin = B + 3;

/// The LEDs by board name, LED 1 to 4 (`pyb.LED`'s numbers): red, green, yellow, blue.
pub const LEDS: [(&str, Pin); 4] = [
    ("LED_RED", A + 13),
    ("LED_GREEN", A + 14),
    ("LED_YELLOW", A + 15),
    ("LED_BLUE", B + 4),
];

/// The switch's name.
const SWITCH: [(&str, Pin); 1] = [("SW", SW)];

/// The names after the LEDs: the accelerometer's, the SD card's and USB's pins.
const OTHERS: [(&str, Pin); 14] = [
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

/// Every board name with its pin, in `pins.csv` order.
pub fn board_names() -> impl Iterator<Item = (&'static str, Pin)> {
    let (header, switch, leds, others): (&'static [_], &'static [_], &'static [_], &'static [_]) =
        (&HEADER, &SWITCH, &LEDS, &OTHERS);
    header
        .iter()
        .chain(switch)
        .chain(leds)
        .chain(others)
        .copied()
}

/// The pin called `name`: a board name (`"X1"`, `"LED_RED"`) or a CPU name (`"A0"`).
pub fn pin_by_name(name: &str) -> Option<Pin> {
    board_names()
        .find(|&(n, _)| n == name)
        .map(|(_, pin)| pin)
        .or_else(|| (0..PIN_COUNT).find(|&pin| cpu_name(pin) == Some(name)))
}

/// The pin's board name if it has one (its first), else its CPU name; `None` for no such pin.
pub fn pin_name(pin: Pin) -> Option<&'static str> {
    board_names()
        .find(|&(_, p)| p == pin)
        .map(|(n, _)| n)
        .or_else(|| cpu_name(pin))
}

/// The pin's CPU name (`"A0"`).
pub fn cpu_name(pin: Pin) -> Option<&'static str> {
    if pin >= PIN_COUNT {
        return None;
    }
    // `D2`, pin 48, is where a port D's first pin would be.
    let (port, n) = (usize::from(pin >> 4), usize::from(pin & 0x0f));
    let (start, len) = if n < 10 {
        (2 * n, 2)
    } else {
        (20 + 3 * (n - 10), 3)
    };
    let start = 38 * port + start;
    CPU_NAMES.get(start..start + len)
}

/// The channel of ADC1-3 (`ADC123_IN0`..`IN15`) on the pin, if it has one: `A0`..`A7` are
/// IN0-7, `B0` and `B1` IN8 and IN9, `C0`..`C5` IN10-15.
pub fn adc_channel(pin: Pin) -> Option<u8> {
    match pin {
        0..=7 => Some(pin),
        B..=17 => Some(pin - B + 8),
        C..=37 => Some(pin - C + 10),
        _ => None,
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
        assert_eq!(pin_by_name("SD_SW"), pin_by_name("A8"));
        assert_eq!(pin_by_name("X13"), None);
        assert_eq!(pin_by_name("x1"), None);
        assert_eq!(pin_by_name(""), None);
        assert_eq!(pin_name(0), Some("X1"));
        assert_eq!(pin_name(A + 13), Some("LED_RED"));
        assert_eq!(pin_name(SW), Some("X17"));
        assert_eq!(pin_name(A + 8), Some("SD"));
        assert_eq!(pin_name(C + 14), Some("C14"));
        assert_eq!(pin_name(PIN_COUNT), None);
        assert_eq!(cpu_name(D2), Some("D2"));
    }

    #[test]
    fn every_board_name_is_a_pin_and_every_cpu_name_its_own() {
        assert_eq!(board_names().count(), 49);
        for (name, pin) in board_names() {
            assert!(pin < PIN_COUNT, "{name}");
        }
        let mut names = 0;
        for pin in 0..PIN_COUNT {
            let name = cpu_name(pin).unwrap();
            assert_eq!(pin_by_name(name), Some(pin));
            names += name.len();
            // Ports A to C are numbered `port << 4 | n`.
            let port = name.as_bytes()[0] - b'A';
            let n: u8 = name[1..].parse().unwrap();
            if pin < D2 {
                assert_eq!(pin, port << 4 | n);
            }
        }
        assert_eq!(names, CPU_NAMES.len());
        assert_eq!(cpu_name(PIN_COUNT), None);
        assert_eq!(cpu_name(Pin::MAX), None);
    }

    #[test]
    fn the_header_leds_and_switch() {
        for (name, _) in HEADER {
            assert!(name.starts_with('X') || name.starts_with('Y'), "{name}");
        }
        assert_eq!(
            LEDS.map(|(_, p)| cpu_name(p)),
            [Some("A13"), Some("A14"), Some("A15"), Some("B4")]
        );
        assert_eq!(pin_by_name("X17"), Some(SW));
    }

    #[test]
    fn adc_channels_are_the_datasheets() {
        let with_adc: [(&str, u8); 16] = [
            ("X1", 0),
            ("X2", 1),
            ("X3", 2),
            ("X4", 3),
            ("X5", 4),
            ("X6", 5),
            ("X7", 6),
            ("X8", 7),
            ("Y11", 8),
            ("Y12", 9),
            ("X19", 10),
            ("X20", 11),
            ("X21", 12),
            ("X22", 13),
            ("X11", 14),
            ("X12", 15),
        ];
        for (name, ch) in with_adc {
            assert_eq!(pin_by_name(name).and_then(adc_channel), Some(ch), "{name}");
        }
        let count = (0..PIN_COUNT).filter_map(adc_channel).count();
        assert_eq!(count, with_adc.len());
        assert_eq!(pin_by_name("Y1").and_then(adc_channel), None);
    }
}
