//! Shifts and bitwise operators with Python's infinite two's-complement semantics.
//!
//! A negative value behaves as if it had infinitely many one bits above its magnitude's
//! two's complement. The bitwise operators convert each operand limb by limb on the fly
//! (`!x + 1` with a running carry), combine, and convert the result back the same way, so they
//! allocate only the result.

use crate::{nat, BigInt};
use alloc::vec::Vec;

/// Stops on a size no allocator can satisfy, the way a failed `Vec` allocation does.
#[cold]
fn size_overflow() -> ! {
    alloc::alloc::handle_alloc_error(core::alloc::Layout::new::<u32>())
}

/// Splits a bit count into whole limbs and remaining bits.
fn split_shift(n: u64) -> Option<(usize, u32)> {
    let limbs = usize::try_from(n / u64::from(nat::LIMB_BITS)).ok()?;
    Some((limbs, (n % u64::from(nat::LIMB_BITS)) as u32))
}

/// Limb `i` of the two's complement of `mag` (negated when `neg`), given the running carry.
fn twos_limb(mag: &[u32], i: usize, neg: bool, carry: &mut bool) -> u32 {
    let x = mag.get(i).copied().unwrap_or(0);
    if neg {
        let (v, c) = (!x).overflowing_add(u32::from(*carry));
        *carry = c;
        v
    } else {
        x
    }
}

/// Applies `op` to the infinite two's-complement forms of `a` and `b`.
fn bitwise(a: &BigInt, b: &BigInt, op: fn(u32, u32) -> u32) -> BigInt {
    let sign = |neg: bool| if neg { u32::MAX } else { 0 };
    let neg = op(sign(a.neg), sign(b.neg)) != 0;
    let len = a.mag.len().max(b.mag.len());
    let mut out = Vec::with_capacity(len + 1);
    let (mut ca, mut cb, mut cr) = (true, true, true);
    for i in 0..len {
        let x = twos_limb(&a.mag, i, a.neg, &mut ca);
        let y = twos_limb(&b.mag, i, b.neg, &mut cb);
        let r = op(x, y);
        out.push(twos_limb(&[r], 0, neg, &mut cr));
    }
    // A negative result whose limbs are all zero is -2^(32 * len): the carry is its top limb.
    if neg && cr {
        out.push(1);
    }
    BigInt::from_parts(neg, out)
}

#[allow(clippy::should_implement_trait)] // The core calls these by name; no operator traits.
impl BigInt {
    /// `self & o`.
    pub fn bitand(&self, o: &Self) -> Self {
        bitwise(self, o, |x, y| x & y)
    }

    /// `self | o`.
    pub fn bitor(&self, o: &Self) -> Self {
        bitwise(self, o, |x, y| x | y)
    }

    /// `self ^ o`.
    pub fn bitxor(&self, o: &Self) -> Self {
        bitwise(self, o, |x, y| x ^ y)
    }

    /// `~self`, which is `-self - 1`.
    pub fn not(&self) -> Self {
        self.add(&BigInt::one()).neg()
    }

    /// `self << n`. The caller bounds `n`; a count whose result could never fit in memory ends
    /// in the allocator's out-of-memory handler, never in an arithmetic overflow.
    pub fn shl(&self, n: u64) -> Self {
        if self.is_zero() {
            return BigInt::zero();
        }
        let Some((limbs, bits)) = split_shift(n) else {
            size_overflow()
        };
        // A Vec may hold at most isize::MAX bytes.
        let max_limbs = isize::MAX as usize / core::mem::size_of::<u32>();
        if limbs
            .checked_add(self.mag.len() + 1)
            .is_none_or(|n| n > max_limbs)
        {
            size_overflow()
        }
        BigInt::from_parts(self.neg, nat::shl(&self.mag, limbs, bits))
    }

    /// `self >> n`, rounding toward negative infinity as Python does.
    pub fn shr(&self, n: u64) -> Self {
        let (limbs, bits) = split_shift(n).unwrap_or((usize::MAX, 0));
        let (q, lost) = nat::shr(&self.mag, limbs, bits);
        let q = BigInt::from_parts(self.neg, q);
        // For negative values floor(-m / 2^n) == -ceil(m / 2^n).
        if self.neg && lost {
            q.sub(&BigInt::one())
        } else {
            q
        }
    }
}
