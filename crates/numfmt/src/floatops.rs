//! Float arithmetic whose Python semantics differ from IEEE's or from C's: floor division and
//! modulo (the result takes the divisor's sign), `**`, `round`, `hash`, and the exact
//! conversion of a float to an integer.

use core::fmt;

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::exact;

/// C's `fmod(x, y)`: `x - n * y` for the integer `n = trunc(x / y)`, which is always exact;
/// NaN when `y` is zero or `x` infinite, `x` itself when `|x| < |y|` or `y` is infinite.
///
/// Schoolbook binary long division of the two mantissas: each step subtracts `y`'s mantissa
/// if it fits and shifts, one step per bit of `x / y`'s exponent. (About a tenth of the flash
/// of `libm::fmod`, which reduces large quotients faster.)
pub fn fmod(x: f64, y: f64) -> f64 {
    let (bx, by) = (x.to_bits(), y.to_bits());
    let sign = bx & (1 << 63);
    let (ax, ay) = (bx & !(1 << 63), by & !(1 << 63));
    if ay == 0 || ax >= 0x7ff << 52 || ay > 0x7ff << 52 {
        // y zero, x infinite or NaN, y NaN.
        return f64::NAN;
    }
    if ax < ay {
        return x;
    }
    // Mantissas with the implicit bit, and exponents, subnormals normalised.
    let split = |a: u64| -> (u64, i32) {
        let e = (a >> 52) as i32;
        if e == 0 {
            let shift = a.leading_zeros() as i32 - 11;
            (a << shift, 1 - shift)
        } else {
            ((a & ((1 << 52) - 1)) | 1 << 52, e)
        }
    };
    let (mut mx, mut ex) = split(ax);
    let (my, ey) = split(ay);
    loop {
        if mx >= my {
            mx -= my;
            if mx == 0 {
                return f64::from_bits(sign);
            }
        }
        if ex == ey {
            break;
        }
        mx <<= 1;
        ex -= 1;
    }
    // Renormalise: the remainder is below y, so it fits y's exponent or less.
    let shift = mx.leading_zeros() as i32 - 11;
    mx <<= shift;
    ex -= shift;
    let bits = if ex > 0 {
        (mx & ((1 << 52) - 1)) | (ex as u64) << 52
    } else {
        mx >> (1 - ex)
    };
    f64::from_bits(sign | bits)
}

/// `divmod(a, b)` for floats as CPython computes it (`float_divmod`): `(a // b, a % b)` with
/// `a == (a // b) * b + a % b` as nearly as floats allow, the remainder carrying the sign of
/// `b` (a zero remainder is `±0.0` after `b`), a zero quotient carrying the sign of `a / b`.
/// `None` when `b == 0`: `ZeroDivisionError`.
pub fn divmod(a: f64, b: f64) -> Option<(f64, f64)> {
    if b == 0.0 {
        return None;
    }
    let mut rem = fmod(a, b);
    let mut div = (a - rem) / b;
    if rem != 0.0 {
        if (b < 0.0) != (rem < 0.0) {
            rem += b;
            div -= 1.0;
        }
    } else {
        rem = libm::copysign(0.0, b);
    }
    let floordiv = if div != 0.0 {
        let f = libm::floor(div);
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        libm::copysign(0.0, a / b)
    };
    Some((floordiv, rem))
}

/// `a // b` for floats (see [`divmod`]); `None` when `b == 0`.
pub fn floor_div(a: f64, b: f64) -> Option<f64> {
    divmod(a, b).map(|(q, _)| q)
}

/// `a % b` for floats: the sign of `b`, `-0.0 % 2.0 == 0.0`, `1 % -inf == -inf`; `None` when
/// `b == 0`.
pub fn modulo(a: f64, b: f64) -> Option<f64> {
    if b == 0.0 {
        return None;
    }
    let rem = fmod(a, b);
    Some(if rem != 0.0 {
        if (b < 0.0) != (rem < 0.0) {
            rem + b
        } else {
            rem
        }
    } else {
        libm::copysign(0.0, b)
    })
}

/// Why `a ** b` on floats has no float result.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PowError {
    /// `0.0 ** negative`: `ZeroDivisionError`.
    ZeroDivision,
    /// A negative base and a non-integral exponent: the result is complex; the caller computes
    /// it with complex arithmetic, as MicroPython and CPython do.
    Complex,
    /// A finite base and exponent whose power overflows: CPython's `OverflowError`
    /// (MicroPython returns `inf`; a caller that follows it maps this to infinity).
    Overflow,
}

impl fmt::Display for PowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PowError::ZeroDivision => "0.0 cannot be raised to a negative power",
            PowError::Complex => "complex result",
            PowError::Overflow => "(34, 'Numerical result out of range')",
        })
    }
}

fn is_odd_integer(x: f64) -> bool {
    fmod(libm::fabs(x), 2.0) == 1.0
}

/// `a ** b` for floats with CPython's special cases (`float_pow`): `x ** 0 == 1` and
/// `1 ** y == 1` even for NaN, `(-8.0) ** (1/3)` is complex, `0.0 ** -1` divides by zero.
pub fn pow(a: f64, b: f64) -> Result<f64, PowError> {
    if b == 0.0 {
        return Ok(1.0);
    }
    if a.is_nan() {
        return Ok(a);
    }
    if b.is_nan() {
        return Ok(if a == 1.0 { 1.0 } else { b });
    }
    if b.is_infinite() {
        let magnitude = libm::fabs(a);
        return Ok(if magnitude == 1.0 {
            1.0
        } else if (b > 0.0) == (magnitude > 1.0) {
            f64::INFINITY
        } else {
            0.0
        });
    }
    if a.is_infinite() {
        let odd = is_odd_integer(b);
        return Ok(if b > 0.0 {
            if odd {
                a
            } else {
                libm::fabs(a)
            }
        } else if odd {
            libm::copysign(0.0, a)
        } else {
            0.0
        });
    }
    if a == 0.0 {
        if b < 0.0 {
            return Err(PowError::ZeroDivision);
        }
        return Ok(if is_odd_integer(b) { a } else { 0.0 });
    }
    let mut base = a;
    let mut negate = false;
    if a < 0.0 {
        if b != libm::floor(b) {
            return Err(PowError::Complex);
        }
        base = -a;
        negate = is_odd_integer(b);
    }
    if base == 1.0 {
        return Ok(if negate { -1.0 } else { 1.0 });
    }
    let r = positive_pow(base, b);
    if r.is_infinite() {
        return Err(PowError::Overflow);
    }
    Ok(if negate { -r } else { r })
}

/// `a * b` of double-double numbers `(hi, lo)`, `hi + lo` exact and `|lo| <= ulp(hi) / 2`.
fn dd_mul(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let p = a.0 * b.0;
    let e = libm::fma(a.0, b.0, -p) + (a.0 * b.1 + a.1 * b.0);
    let s = p + e;
    (s, e - (s - p))
}

/// `base ** n` for `n >= 1` in double-double arithmetic (about 104 bits kept): the rounded
/// result is the correctly rounded power but for astronomically rare cases.
fn powi_dd(base: f64, mut n: u64) -> (f64, f64) {
    let mut result = (1.0, 0.0);
    let mut square = (base, 0.0);
    while n > 0 {
        if n & 1 == 1 {
            result = dd_mul(result, square);
        }
        n >>= 1;
        if n > 0 {
            square = dd_mul(square, square);
        }
    }
    result
}

/// `sqrt(x)` as a double-double.
fn sqrt_dd(x: f64) -> (f64, f64) {
    let s = libm::sqrt(x);
    (s, libm::fma(-s, s, x) / (2.0 * s))
}

/// `base ** b` for finite `base > 0`, finite `b != 0`. Exponents that are multiples of 1/2
/// (the common cases: `x ** 2`, `10 ** -3`, `x ** 0.5`, `x ** -1.5`) are correctly rounded, as
/// glibc's `pow` (behind CPython and MicroPython's unix port) is; other exponents use
/// `libm::pow`, which can be 1 ulp away.
fn positive_pow(base: f64, b: f64) -> f64 {
    if b == 0.5 {
        return libm::sqrt(base);
    }
    let twice = 2.0 * b;
    if twice == libm::floor(twice) && libm::fabs(b) <= 1_073_741_824.0 {
        let whole = libm::floor(libm::fabs(b));
        let (mut hi, mut lo) = if whole >= 1.0 {
            powi_dd(base, whole as u64)
        } else {
            (1.0, 0.0)
        };
        if libm::fabs(b) != whole {
            (hi, lo) = dd_mul((hi, lo), sqrt_dd(base));
        }
        let r = if b > 0.0 {
            hi + lo
        } else {
            let q = 1.0 / hi;
            let residual = libm::fma(-q, hi, 1.0) - q * lo;
            q + q * residual
        };
        // Outside the normal range the low word lost bits: let libm handle it.
        if r.is_normal() && hi.is_normal() {
            return r;
        }
    }
    libm::pow(base, b)
}

/// `round(x)`: the nearest integer, ties to even, as a float (the caller converts it to an int
/// and raises for infinities and NaN).
pub fn round_half_even(x: f64) -> f64 {
    let r = libm::round(x);
    if libm::fabs(x - r) == 0.5 {
        2.0 * libm::round(x / 2.0)
    } else {
        r
    }
}

/// `round(x, ndigits)`: `x` correctly rounded (ties to even, on the exact binary value) to a
/// multiple of `10 ** -ndigits`, as CPython does with `dtoa`, so `round(2.675, 2) == 2.67`.
///
/// Infinities, NaN and zeros are returned unchanged; the sign of a zero result is the sign of
/// `x`. An infinite result from a finite `x` (only possible near `f64::MAX`) is CPython's
/// `OverflowError: rounded value too large to represent`.
pub fn round(x: f64, ndigits: i64) -> f64 {
    if !x.is_finite() || x == 0.0 || ndigits > 323 {
        return x;
    }
    if ndigits < -308 {
        return 0.0 * x;
    }
    let mut text = String::new();
    if x < 0.0 {
        text.push('-');
    }
    if ndigits >= 0 {
        // Exact decimal rounding, ties to even.
        exact::write_fixed(x, ndigits as usize, &mut text);
        return exact::parse_decimal(&text).unwrap_or(x);
    }
    // Round the integer part at 10**k; the fraction only breaks ties.
    let k = ndigits.unsigned_abs() as usize;
    let magnitude = libm::fabs(x);
    let int_part = libm::trunc(magnitude);
    let has_fraction = magnitude != int_part;
    text.clear();
    exact::write_fixed(int_part, 0, &mut text);
    let digits = text.as_bytes();
    let mut kept: Vec<u8> = Vec::new();
    let mut round_up = false;
    if digits.len() >= k {
        let split = digits.len() - k;
        kept.extend_from_slice(digits.get(..split).unwrap_or(&[]));
        let first = digits.get(split).copied().unwrap_or(b'0');
        let rest_nonzero = has_fraction
            || digits
                .get(split + 1..)
                .is_some_and(|r| r.iter().any(|&d| d != b'0'));
        let last_odd = kept.last().is_some_and(|&d| (d - b'0') % 2 == 1);
        round_up = first > b'5' || (first == b'5' && (rest_nonzero || last_odd));
    }
    if round_up {
        let mut carry = true;
        for d in kept.iter_mut().rev() {
            if *d == b'9' {
                *d = b'0';
            } else {
                *d += 1;
                carry = false;
                break;
            }
        }
        if carry {
            kept.insert(0, b'1');
        }
    }
    if kept.is_empty() {
        kept.push(b'0');
    }
    let mut result = String::new();
    if x < 0.0 {
        result.push('-');
    }
    result.extend(kept.iter().map(|&d| char::from(d)));
    result.push('e');
    result.push_str(&k.to_string());
    exact::parse_decimal(&result).unwrap_or(x)
}

/// `hash(x)` for a float, following MicroPython (`mp_float_hash`), not CPython's modular hash:
/// an integral float below `2**63` in magnitude hashes like the int of the same value (so
/// `hash(2.0) == hash(2)`), other values mix the integer and fraction bits, `inf` and `nan`
/// hash to fixed values (not CPython's 314159 and 0). Both zeros hash to 0. The caller narrows
/// the result to its small-int range the same way it narrows int hashes.
pub fn hash(x: f64) -> i64 {
    if x == 0.0 {
        return 0;
    }
    const FRAC_BITS: i32 = 52;
    let bits = x.to_bits();
    let adj_exp = ((bits >> 52) & 0x7ff) as i32 - 1023;
    let val: i64 = if adj_exp < 0 {
        bits as i64
    } else {
        let frc = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
        if adj_exp <= FRAC_BITS {
            let shift = FRAC_BITS - adj_exp;
            ((frc >> shift) ^ (frc & ((1u64 << shift) - 1))) as i64
        } else if adj_exp < 63 {
            (frc << (adj_exp - FRAC_BITS)) as i64
        } else {
            frc as i64
        }
    };
    if x.is_sign_negative() {
        val.wrapping_neg()
    } else {
        val
    }
}

/// The integer part of `x` (`int(x)` truncates toward zero) as `(negative, mantissa,
/// exponent)` with `trunc(x) == ±mantissa * 2**exponent`; `None` for infinities and NaN
/// (`OverflowError` and `ValueError` in `int()`).
pub fn to_integer_parts(x: f64) -> Option<(bool, u64, u32)> {
    if !x.is_finite() {
        return None;
    }
    let negative = x.is_sign_negative();
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        // Zero or subnormal: |x| < 1.
        return Some((negative, 0, 0));
    }
    let mantissa = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    let exp = biased - 1075;
    if exp >= 0 {
        Some((negative, mantissa, exp as u32))
    } else if exp > -64 {
        Some((negative, mantissa >> (-exp), 0))
    } else {
        Some((negative, 0, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pow_special_cases() {
        assert_eq!(pow(0.0, -1.0), Err(PowError::ZeroDivision));
        assert_eq!(pow(-8.0, 1.0 / 3.0), Err(PowError::Complex));
        assert_eq!(pow(10.0, 400.0), Err(PowError::Overflow));
        assert_eq!(pow(f64::NAN, 0.0), Ok(1.0));
        assert_eq!(pow(1.0, f64::NAN), Ok(1.0));
        assert_eq!(pow(-2.0, 3.0), Ok(-8.0));
        assert_eq!(pow(0.0, f64::NEG_INFINITY), Ok(f64::INFINITY));
        assert!(pow(-0.0, 3.0).unwrap().is_sign_negative());
        assert!(pow(f64::NEG_INFINITY, -3.0).unwrap().is_sign_negative());
        assert_eq!(pow(-1.0, f64::INFINITY), Ok(1.0));
    }

    #[test]
    fn hashes() {
        assert_eq!(hash(1.0), 1);
        assert_eq!(hash(-2.0), -2);
        assert_eq!(hash(-0.0), 0);
        assert_eq!(hash(1e18), 1_000_000_000_000_000_000);
        assert_eq!(hash(4503599627370496.0), 4503599627370496);
        assert_ne!(hash(1.5), hash(1.0));
    }

    #[test]
    fn integer_parts() {
        assert_eq!(to_integer_parts(-2.5), Some((true, 2, 0)));
        assert_eq!(to_integer_parts(0.75), Some((false, 0, 0)));
        assert_eq!(
            to_integer_parts(1e300).map(|(_, m, e)| (m as f64) * libm::pow(2.0, e as f64)),
            Some(1e300)
        );
        assert_eq!(to_integer_parts(f64::NAN), None);
    }
}
