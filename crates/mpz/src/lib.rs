#![no_std]
#![forbid(unsafe_code)]
//! Arbitrary-precision integers for Pyrite.
//!
//! Python's `int` has no size limit; the core stores values that fit in 31 bits as small ints
//! and moves to a [`BigInt`] only when a value leaves that range. This crate is that fallback.
//! It favours small code over asymptotic speed: schoolbook multiplication, Knuth's division,
//! square-and-multiply powers, and string conversion by repeated division by one limb.
//!
//! Every operation has Python semantics: floor division, arithmetic right shift, and bitwise
//! operators on an infinite two's-complement representation. No input makes a function panic;
//! sizes that could only come from impossible requests (a left shift by 2^40) end in the
//! allocator's out-of-memory handler, and the caller checks its limits before asking.
//!
//! Representation: a sign and a magnitude of little-endian `u32` limbs, normalised so that the
//! magnitude has no high zero limbs and zero is never negative. Structural equality is therefore
//! value equality.
extern crate alloc;

mod bits;
mod bytes;
mod float;
mod nat;
mod radix;

use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt;

/// An arbitrary-precision signed integer with Python semantics.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct BigInt {
    /// True only for values below zero.
    neg: bool,
    /// Little-endian limbs, no high zero limbs; empty for zero.
    mag: Vec<u32>,
}

/// The modulus of Python's numeric hash, 2^61 - 1.
const HASH_MODULUS: u64 = (1 << 61) - 1;

#[allow(clippy::should_implement_trait)] // The core calls these by name; no operator traits.
impl BigInt {
    /// Builds a value from a sign and a possibly unnormalised magnitude.
    fn from_parts(neg: bool, mut mag: Vec<u32>) -> Self {
        nat::trim(&mut mag);
        BigInt {
            neg: neg && !mag.is_empty(),
            mag,
        }
    }

    /// Builds a value from a sign and a magnitude of at most 128 bits.
    fn from_sign_u128(neg: bool, mut m: u128) -> Self {
        let mut mag = Vec::new();
        while m != 0 {
            mag.push(m as u32);
            m >>= 32;
        }
        BigInt::from_parts(neg, mag)
    }

    /// The magnitude as a `u64`, if it fits.
    fn mag_u64(&self) -> Option<u64> {
        nat::to_u64(&self.mag)
    }

    /// Zero.
    pub fn zero() -> Self {
        BigInt::default()
    }

    /// One.
    fn one() -> Self {
        BigInt::from_u64(1)
    }

    /// Converts from `i64`.
    pub fn from_i64(v: i64) -> Self {
        BigInt::from_sign_u128(v < 0, u128::from(v.unsigned_abs()))
    }

    /// Converts from `u64`.
    pub fn from_u64(v: u64) -> Self {
        BigInt::from_sign_u128(false, u128::from(v))
    }

    /// Converts from `i128`.
    pub fn from_i128(v: i128) -> Self {
        BigInt::from_sign_u128(v < 0, v.unsigned_abs())
    }

    /// Converts to `i64`, or `None` if out of range.
    pub fn to_i64(&self) -> Option<i64> {
        let m = self.mag_u64()?;
        if self.neg {
            0i64.checked_sub_unsigned(m)
        } else {
            i64::try_from(m).ok()
        }
    }

    /// Converts to `i32`, or `None` if out of range.
    pub fn to_i32(&self) -> Option<i32> {
        i32::try_from(self.to_i64()?).ok()
    }

    /// Converts to `u64`, or `None` if negative or out of range.
    pub fn to_u64(&self) -> Option<u64> {
        if self.neg {
            None
        } else {
            self.mag_u64()
        }
    }

    /// True for zero.
    pub fn is_zero(&self) -> bool {
        self.mag.is_empty()
    }

    /// True for odd values.
    pub fn is_odd(&self) -> bool {
        self.mag.first().is_some_and(|&l| l & 1 == 1)
    }

    /// True for values below zero.
    pub fn is_negative(&self) -> bool {
        self.neg
    }

    /// -1, 0 or 1 according to the sign.
    pub fn signum(&self) -> i32 {
        if self.neg {
            -1
        } else {
            i32::from(!self.mag.is_empty())
        }
    }

    /// `-self`.
    pub fn neg(&self) -> Self {
        BigInt::from_parts(!self.neg, self.mag.clone())
    }

    /// `abs(self)`.
    pub fn abs(&self) -> Self {
        BigInt::from_parts(false, self.mag.clone())
    }

    /// `self + o`, or `self - o` when `o_neg` flips the sign of `o`.
    fn add_signed(&self, o: &Self, o_neg: bool) -> Self {
        if self.neg == o_neg {
            return BigInt::from_parts(self.neg, nat::add(&self.mag, &o.mag));
        }
        match nat::cmp(&self.mag, &o.mag) {
            Ordering::Less => BigInt::from_parts(o_neg, nat::sub(&o.mag, &self.mag)),
            _ => BigInt::from_parts(self.neg, nat::sub(&self.mag, &o.mag)),
        }
    }

    /// `self + o`.
    pub fn add(&self, o: &Self) -> Self {
        self.add_signed(o, o.neg)
    }

    /// `self - o`.
    pub fn sub(&self, o: &Self) -> Self {
        self.add_signed(o, !o.neg)
    }

    /// `self * o`.
    pub fn mul(&self, o: &Self) -> Self {
        BigInt::from_parts(self.neg != o.neg, nat::mul(&self.mag, &o.mag))
    }

    /// Python's `divmod(self, o)`: the quotient rounds toward negative infinity and the
    /// remainder has the sign of `o`. `None` if `o` is zero.
    pub fn divmod_floor(&self, o: &Self) -> Option<(Self, Self)> {
        let (q, r) = self.divmod_trunc(o)?;
        if !r.is_zero() && r.neg != o.neg {
            Some((q.sub(&BigInt::one()), r.add(o)))
        } else {
            Some((q, r))
        }
    }

    /// Division rounding toward zero, as C does: the remainder has the sign of `self`.
    /// `None` if `o` is zero.
    pub fn divmod_trunc(&self, o: &Self) -> Option<(Self, Self)> {
        if o.is_zero() {
            return None;
        }
        let (q, r) = nat::divmod(&self.mag, &o.mag);
        Some((
            BigInt::from_parts(self.neg != o.neg, q),
            BigInt::from_parts(self.neg, r),
        ))
    }

    /// `self ** exp`. The caller bounds the result size before asking for a large power.
    pub fn pow(&self, exp: u64) -> Self {
        let mut acc = BigInt::one();
        // Left to right, so no squaring is wasted after the last bit.
        for i in (0..u64::BITS - exp.leading_zeros()).rev() {
            acc = acc.mul(&acc);
            if (exp >> i) & 1 == 1 {
                acc = acc.mul(self);
            }
        }
        acc
    }

    /// Python's `pow(self, exp, m)`: the result lies between 0 and `m` and has the sign of `m`.
    /// `None` if `m` is zero or `exp` is negative (the caller reports each).
    pub fn pow_mod(&self, exp: &Self, m: &Self) -> Option<Self> {
        if m.is_zero() || exp.neg {
            return None;
        }
        let modulus = &m.mag;
        let reduce = |x: &[u32]| nat::divmod(x, modulus).1;
        let mut base = reduce(&self.mag);
        if self.neg && !base.is_empty() {
            base = nat::sub(modulus, &base);
        }
        let mut acc = reduce(&[1]);
        for &limb in exp.mag.iter().rev() {
            for i in (0..32).rev() {
                acc = reduce(&nat::mul(&acc, &acc));
                if (limb >> i) & 1 == 1 {
                    acc = reduce(&nat::mul(&acc, &base));
                }
            }
        }
        if m.neg && !acc.is_empty() {
            acc = nat::sub(modulus, &acc);
        }
        Some(BigInt::from_parts(m.neg, acc))
    }

    /// Three-way comparison.
    pub fn cmp(&self, o: &Self) -> Ordering {
        match (self.neg, o.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => nat::cmp(&self.mag, &o.mag),
            (true, true) => nat::cmp(&o.mag, &self.mag),
        }
    }

    /// Three-way comparison with an `i64`, without allocating.
    pub fn cmp_i64(&self, o: i64) -> Ordering {
        if self.neg != (o < 0) {
            return if self.neg {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let mag_order = match self.mag_u64() {
            Some(m) => m.cmp(&o.unsigned_abs()),
            None => Ordering::Greater,
        };
        if self.neg {
            mag_order.reverse()
        } else {
            mag_order
        }
    }

    /// Number of bits of the magnitude, as Python's `int.bit_length()`.
    pub fn bit_length(&self) -> u64 {
        nat::bit_length(&self.mag)
    }

    /// Number of 32-bit limbs of the magnitude, for the caller's memory accounting.
    pub fn limb_count(&self) -> usize {
        self.mag.len()
    }

    /// Python's `hash(int)`: the value modulo 2^61 - 1 with the sign applied, and -1 mapped to
    /// -2. The result is an `i64` returned as its bits.
    pub fn hash_u64(&self) -> u64 {
        let mut h = 0u64;
        for &limb in self.mag.iter().rev() {
            // 2^61 == 1 (mod 2^61 - 1), so multiplying by 2^32 rotates the 61-bit residue.
            h = ((h << 32) & HASH_MODULUS) | (h >> (61 - 32));
            h += u64::from(limb);
            if h >= HASH_MODULUS {
                h -= HASH_MODULUS;
            }
        }
        // h < 2^61, so the conversion and negation are exact.
        let mut signed = h as i64;
        if self.neg {
            signed = -signed;
        }
        if signed == -1 {
            signed = -2;
        }
        signed as u64
    }
}

impl PartialOrd for BigInt {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(Ord::cmp(self, o))
    }
}

impl Ord for BigInt {
    fn cmp(&self, o: &Self) -> Ordering {
        BigInt::cmp(self, o)
    }
}

impl fmt::Debug for BigInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_str_radix(10, false))
    }
}

impl fmt::Display for BigInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad_integral(!self.neg, "", &self.abs().to_str_radix(10, false))
    }
}

#[cfg(test)]
mod tests;
