//! Conversion between `BigInt` and digit strings in radix 2 to 36.
//!
//! Both directions work a chunk of digits at a time: a chunk is the largest number of digits
//! whose value fits in one limb, so parsing is one multiply-add per chunk and printing one
//! single-limb division per chunk (10^9 for decimal).

use crate::{nat, BigInt};
use alloc::string::String;
use alloc::vec::Vec;

/// The largest power of `radix` that fits in a limb, and its exponent.
fn chunk(radix: u32) -> (u32, usize) {
    let mut power = radix;
    let mut digits = 1;
    while let Some(next) = power.checked_mul(radix) {
        power = next;
        digits += 1;
    }
    (power, digits)
}

/// The value of an ASCII digit or letter (either case), or `None`.
fn digit_value(c: u8) -> Option<u32> {
    let v = match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'z' => c - b'a' + 10,
        b'A'..=b'Z' => c - b'A' + 10,
        _ => return None,
    };
    Some(u32::from(v))
}

impl BigInt {
    /// Parses ASCII digits in `radix` (2..=36), letters in either case. No sign, prefix,
    /// underscore or space is accepted. `None` if `digits` is empty or has an invalid digit.
    pub fn parse(digits: &[u8], radix: u32) -> Option<Self> {
        if !(2..=36).contains(&radix) || digits.is_empty() {
            return None;
        }
        let (_, per_chunk) = chunk(radix);
        let mut mag = Vec::new();
        for piece in digits.chunks(per_chunk) {
            // At most `per_chunk` digits: neither value nor scale exceeds u32.
            let mut value = 0u32;
            let mut scale = 1u32;
            for &c in piece {
                let d = digit_value(c).filter(|&d| d < radix)?;
                value = value * radix + d;
                scale *= radix;
            }
            nat::mul_add_small(&mut mag, scale, value);
        }
        Some(BigInt::from_parts(false, mag))
    }

    /// Formats in `radix` with a leading `-` for negative values and no prefix; letters are
    /// upper case when `upper`. A radix outside 2..=36 is clamped into that range.
    pub fn to_str_radix(&self, radix: u32, upper: bool) -> String {
        let radix = radix.clamp(2, 36);
        if self.is_zero() {
            return String::from("0");
        }
        let letter = if upper { b'A' } else { b'a' };
        let (divisor, per_chunk) = chunk(radix);
        let mut mag = self.mag.clone();
        // Digits, least significant first.
        let mut out: Vec<u8> = Vec::new();
        while !mag.is_empty() {
            let mut rest = nat::div_small(&mut mag, divisor);
            let last = mag.is_empty();
            for _ in 0..per_chunk {
                if last && rest == 0 {
                    break;
                }
                let d = (rest % radix) as u8;
                out.push(if d < 10 { b'0' + d } else { letter + d - 10 });
                rest /= radix;
            }
        }
        if self.neg {
            out.push(b'-');
        }
        out.iter().rev().map(|&b| char::from(b)).collect()
    }
}
