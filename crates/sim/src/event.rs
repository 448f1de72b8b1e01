//! The board's event log: what a program visibly changed, one line each.
//!
//! The CLI prints these lines as a program runs and the tests compare them, so their text is
//! stable: a word naming the part, then its name or number, then the new state.

use alloc::vec::Vec;
use core::fmt;

/// One visible change of the board's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A pin became an output, or its output level changed: `pin X1 1`. The LED pins report
    /// [`Event::Led`] instead.
    Pin { name: &'static str, high: bool },
    /// An LED's intensity changed (LED 1 is red, 2 green, 3 yellow, 4 blue): `led 1 255`.
    Led { n: u8, intensity: u8 },
    /// A pin's PWM was set (`pwm X1 1000 32768`) or stopped (`freq` 0: `pwm X1 off`). On the
    /// LED pins the LED's [`Event::Led`] tells instead.
    Pwm {
        name: &'static str,
        freq: u32,
        duty_u16: u16,
    },
    /// A UART sent bytes: `uart 1 b'hello'`.
    Uart { id: u8, data: Vec<u8> },
    /// An I2C transaction, when the board logs them: `i2c 1 0x3c w2 r0`, with ` ENODEV` or
    /// ` EIO` after a failed one.
    I2c {
        bus: u8,
        addr: u8,
        written: usize,
        read: usize,
        error: Option<i32>,
    },
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Event::Pin { name, high } => write!(f, "pin {name} {}", u8::from(*high)),
            Event::Led { n, intensity } => write!(f, "led {n} {intensity}"),
            Event::Pwm { name, freq: 0, .. } => write!(f, "pwm {name} off"),
            Event::Pwm {
                name,
                freq,
                duty_u16,
            } => write!(f, "pwm {name} {freq} {duty_u16}"),
            Event::Uart { id, data } => {
                write!(f, "uart {id} ")?;
                write_bytes_repr(f, data)
            }
            Event::I2c {
                bus,
                addr,
                written,
                read,
                error,
            } => {
                write!(f, "i2c {bus} {addr:#04x} w{written} r{read}")?;
                match error {
                    None => Ok(()),
                    Some(pyrite_core::hardware::ENODEV) => f.write_str(" ENODEV"),
                    Some(pyrite_core::hardware::EIO) => f.write_str(" EIO"),
                    Some(e) => write!(f, " errno {e}"),
                }
            }
        }
    }
}

/// Writes `data` as Python's `repr` of a bytes object.
fn write_bytes_repr(f: &mut fmt::Formatter, data: &[u8]) -> fmt::Result {
    let quote = if data.contains(&b'\'') && !data.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    write!(f, "b{}", quote as char)?;
    for &b in data {
        match b {
            b'\\' => f.write_str("\\\\")?,
            b'\t' => f.write_str("\\t")?,
            b'\n' => f.write_str("\\n")?,
            b'\r' => f.write_str("\\r")?,
            _ if b == quote => write!(f, "\\{}", b as char)?,
            0x20..=0x7e => write!(f, "{}", b as char)?,
            _ => write!(f, "\\x{b:02x}")?,
        }
    }
    write!(f, "{}", quote as char)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    #[test]
    fn lines() {
        let pin = Event::Pin {
            name: "X1",
            high: true,
        };
        assert_eq!(pin.to_string(), "pin X1 1");
        let led = Event::Led {
            n: 1,
            intensity: 255,
        };
        assert_eq!(led.to_string(), "led 1 255");
        let pwm = Event::Pwm {
            name: "X2",
            freq: 1000,
            duty_u16: 32768,
        };
        assert_eq!(pwm.to_string(), "pwm X2 1000 32768");
        let off = Event::Pwm {
            name: "X2",
            freq: 0,
            duty_u16: 0,
        };
        assert_eq!(off.to_string(), "pwm X2 off");
        let uart = Event::Uart {
            id: 6,
            data: vec![b'h', b'i', b'\n', 0, b'\''],
        };
        assert_eq!(uart.to_string(), "uart 6 b\"hi\\n\\x00'\"");
        let both = Event::Uart {
            id: 1,
            data: b"'\"\\".to_vec(),
        };
        assert_eq!(both.to_string(), "uart 1 b'\\'\"\\\\'");
        let i2c = Event::I2c {
            bus: 1,
            addr: 0x3c,
            written: 2,
            read: 0,
            error: None,
        };
        assert_eq!(i2c.to_string(), "i2c 1 0x3c w2 r0");
        let nack = Event::I2c {
            bus: 2,
            addr: 0x08,
            written: 0,
            read: 0,
            error: Some(19),
        };
        assert_eq!(nack.to_string(), "i2c 2 0x08 w0 r0 ENODEV");
    }
}
