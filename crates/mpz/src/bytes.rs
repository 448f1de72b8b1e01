//! `int.to_bytes` and `int.from_bytes`.
//!
//! Bytes are produced and consumed least significant first, negating on the fly (`!b + 1` with
//! a running carry) for two's-complement values, then reversed for big-endian order.

use crate::{nat, BigInt};
use alloc::vec::Vec;

/// Byte `i` (least significant first) of a magnitude, zero beyond its end.
fn mag_byte(mag: &[u32], i: usize) -> u8 {
    mag.get(i / 4).map_or(0, |&l| (l >> (8 * (i % 4))) as u8)
}

impl BigInt {
    /// Python's `self.to_bytes(len, 'little' if little else 'big', signed=signed)`.
    /// `None` when the value does not fit (Python's `OverflowError`), including a negative
    /// value with `signed` false, and when `len` bytes cannot be allocated.
    pub fn to_bytes(&self, len: usize, little: bool, signed: bool) -> Option<Vec<u8>> {
        if self.neg && !signed {
            return None;
        }
        // Bits needed in two's complement: -2^k needs k + 1, every other -m needs m's + 1.
        let needed = if self.is_zero() {
            0
        } else if self.neg {
            self.bit_length() - u64::from(nat::is_power_of_two(&self.mag)) + 1
        } else {
            self.bit_length() + u64::from(signed)
        };
        if needed > (len as u64).saturating_mul(8) {
            return None;
        }
        let mut out = Vec::new();
        out.try_reserve_exact(len).ok()?;
        let mut carry = true;
        for i in 0..len {
            let b = mag_byte(&self.mag, i);
            out.push(if self.neg {
                let (v, c) = (!b).overflowing_add(u8::from(carry));
                carry = c;
                v
            } else {
                b
            });
        }
        if !little {
            out.reverse();
        }
        Some(out)
    }

    /// Python's `int.from_bytes(b, 'little' if little else 'big', signed=signed)`.
    pub fn from_bytes(b: &[u8], little: bool, signed: bool) -> Self {
        let top = if little { b.last() } else { b.first() };
        let neg = signed && top.is_some_and(|&t| t & 0x80 != 0);
        let mut mag = Vec::with_capacity(b.len().div_ceil(4));
        let mut carry = true;
        let mut push = |i: usize, byte: u8| {
            let byte = if neg {
                let (v, c) = (!byte).overflowing_add(u8::from(carry));
                carry = c;
                v
            } else {
                byte
            };
            if i.is_multiple_of(4) {
                mag.push(0);
            }
            if let Some(limb) = mag.last_mut() {
                *limb |= u32::from(byte) << (8 * (i % 4));
            }
        };
        if little {
            b.iter().enumerate().for_each(|(i, &x)| push(i, x));
        } else {
            b.iter().rev().enumerate().for_each(|(i, &x)| push(i, x));
        }
        BigInt::from_parts(neg, mag)
    }
}
