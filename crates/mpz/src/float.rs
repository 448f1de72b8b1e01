//! Conversions between `BigInt` and `f64`, and true division.
//!
//! Python requires `float(n)` and `a / b` to be correctly rounded (to nearest, ties to even)
//! even when the operands are far outside the `f64` range. Both reduce to one step: an integer
//! `q` with at least two bits beyond the 53 kept, a flag for any non-zero bits below it, and a
//! binary exponent; [`round_scaled`] rounds that once, at the precision of the final result
//! (fewer bits for subnormals), so there is no double rounding. No `libm` is needed.

use crate::{nat, BigInt};

/// `2^k` for `k` in the normal exponent range `-1022..=1023`.
fn pow2(k: i64) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// Exactly `m * 2^e` for an `m` below 2^54 and `e` in `-1074..=1023` whose product is
/// representable or overflows to infinity.
fn scale(m: f64, e: i64) -> f64 {
    if e < -1022 {
        // Two exact steps: the intermediate is normal, the final value representable.
        m * pow2(e + 64) * pow2(-64)
    } else {
        m * pow2(e)
    }
}

/// Rounds `(q + f) * 2^exp` to the nearest `f64`, ties to even, where `0 <= f < 1` and
/// `sticky` is true when `f > 0`. Requires `q != 0`.
fn round_scaled(q: u64, sticky: bool, exp: i64) -> f64 {
    let top = i64::from(63 - q.leading_zeros()) + exp;
    if top > 1023 {
        return f64::INFINITY;
    }
    // The exponent of the last kept bit: 53 significant bits, or fewer below 2^-1022.
    let ulp = (top - 52).max(-1074);
    let drop = ulp - exp;
    if drop <= 0 {
        // q has at most 53 bits here and f is below the last representable bit.
        return scale(q as f64, exp);
    }
    if drop > 64 {
        // Everything is below half of the smallest step.
        return 0.0;
    }
    let drop = drop as u32;
    let kept = q.checked_shr(drop).unwrap_or(0);
    let rest = q & (u64::MAX >> (64 - drop));
    let half = 1u64 << (drop - 1);
    let round_up = rest > half || (rest == half && (sticky || kept & 1 == 1));
    scale((kept + u64::from(round_up)) as f64, ulp)
}

impl BigInt {
    /// Converts to the nearest `f64` (ties to even); values beyond the range give ±infinity.
    pub fn to_f64(&self) -> f64 {
        let len = self.bit_length();
        let magnitude = if len == 0 {
            0.0
        } else if len <= 64 {
            round_scaled(nat::to_u64(&self.mag).unwrap_or(0), false, 0)
        } else if len > 1100 {
            f64::INFINITY
        } else {
            // Keep the top 64 bits; `lost` records whether anything below them is set.
            let shift = len - 64;
            let (top, lost) = nat::shr(&self.mag, (shift / 32) as usize, (shift % 32) as u32);
            round_scaled(nat::to_u64(&top).unwrap_or(0), lost, shift as i64)
        };
        if self.neg {
            -magnitude
        } else {
            magnitude
        }
    }

    /// Converts a float, truncating toward zero; `None` for NaN and infinities.
    pub fn from_f64(v: f64) -> Option<Self> {
        if !v.is_finite() {
            return None;
        }
        let bits = v.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i64;
        if biased == 0 {
            // Zero or subnormal: |v| < 1.
            return Some(BigInt::zero());
        }
        let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
        // v == mantissa * 2^shift
        let shift = biased - 1075;
        let mag = if shift >= 0 {
            BigInt::from_u64(mantissa).shl(shift as u64)
        } else {
            BigInt::from_u64(mantissa.checked_shr((-shift) as u32).unwrap_or(0))
        };
        Some(if bits >> 63 == 1 { mag.neg() } else { mag })
    }

    /// Python's true division `self / o`, correctly rounded even when the operands exceed the
    /// `f64` range; ±infinity when the quotient overflows. `None` if `o` is zero.
    pub fn div_to_f64(&self, o: &Self) -> Option<f64> {
        if o.is_zero() {
            return None;
        }
        let neg = self.neg != o.neg;
        let magnitude = if self.is_zero() {
            0.0
        } else {
            // The quotient lies in [2^(e-1), 2^(e+1)).
            let e = self.bit_length() as i64 - o.bit_length() as i64;
            if e > 1025 {
                f64::INFINITY
            } else if e < -1076 {
                0.0
            } else {
                // Scale so the integer quotient has 55 or 56 bits: [2^54, 2^56).
                let s = 55 - e;
                let (num, den) = if s >= 0 {
                    (
                        nat::shl(&self.mag, (s / 32) as usize, (s % 32) as u32),
                        o.mag.clone(),
                    )
                } else {
                    let t = -s;
                    (
                        self.mag.clone(),
                        nat::shl(&o.mag, (t / 32) as usize, (t % 32) as u32),
                    )
                };
                let (q, r) = nat::divmod(&num, &den);
                round_scaled(nat::to_u64(&q).unwrap_or(0), !r.is_empty(), -s)
            }
        };
        Some(if neg { -magnitude } else { magnitude })
    }
}
