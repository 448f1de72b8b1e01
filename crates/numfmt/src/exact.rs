//! Exact conversions between `f64` and decimal text, over big integers.
//!
//! Three conversions: the shortest digits that read back as the same float (`repr`), digits
//! correctly rounded to a precision (`%e`, `%f`, `round`), and decimal text to the nearest
//! float (`float()`, literals). Every decision is made on exact integers, never on rounded
//! floats, so the results are those of CPython's `dtoa.c`: ties go to even, on the exact
//! binary value.
//!
//! `core::fmt` and `str::parse` do the same with Grisu, Dragon and Eisel-Lemire plus their
//! tables: about 28 KB on a Cortex-M. These use the interpreter's own big integers
//! (`pyrite-mpz`, in the firmware anyway for `int`) and take a tenth of that; they are slower
//! on huge exponents, which no hot path formats.

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;

use pyrite_mpz::BigInt;

/// Decimal digits `d1 d2 ... dn` (ASCII) of a non-negative value `0.d1d2...dn × 10^decpt`.
pub struct Digits {
    /// The digits; the first is non-zero unless the value is zero.
    pub digits: String,
    /// The position of the decimal point relative to the first digit.
    pub decpt: i64,
}

/// `|x| = m × 2^e` with the integer `m` below 2^53 (`x` finite).
fn decompose(x: f64) -> (u64, i64) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    }
}

fn big(v: u64) -> BigInt {
    BigInt::from_u64(v)
}

fn pow10(k: i64) -> BigInt {
    big(10).pow(k.unsigned_abs())
}

/// A lower bound, off by at most two, of the decimal exponent `k` of `m × 2^e` (`m > 0`), the
/// `k` with `10^(k-1) <= v < 10^k`.
fn estimate_exponent(m: u64, e: i64) -> i64 {
    // v >= 2^(bits-1); 78913 / 2^18 is log10(2) rounded down.
    let bits = i64::from(64 - m.leading_zeros()) + e;
    ((bits - 1) * 78913).div_euclid(1 << 18) + 1
}

/// `(m × 2^e × 10^p)` as a fraction `num / den` of integers.
fn scaled(m: u64, e: i64, p: i64) -> (BigInt, BigInt) {
    let mut num = big(m);
    let mut den = big(1);
    if e >= 0 {
        num = num.shl(e as u64);
    } else {
        den = den.shl(e.unsigned_abs());
    }
    if p >= 0 {
        num = num.mul(&pow10(p));
    } else {
        den = den.mul(&pow10(p));
    }
    (num, den)
}

/// `num / den` rounded to an integer, ties to even.
fn round_quotient(num: &BigInt, den: &BigInt) -> BigInt {
    let Some((q, r)) = num.divmod_trunc(den) else {
        return BigInt::zero();
    };
    let up = match r.shl(1).cmp(den) {
        Ordering::Greater => true,
        Ordering::Equal => q.is_odd(),
        Ordering::Less => false,
    };
    if up {
        q.add(&big(1))
    } else {
        q
    }
}

fn decimal(n: &BigInt) -> String {
    n.to_str_radix(10, false)
}

/// The shortest digits that read back as `x` (finite, sign ignored), the one nearest to `x`
/// when several have that length; `"0"` with `decpt` 1 for zero.
///
/// Steele and White's free-format algorithm as Burger and Dybvig state it: `v = r / s`, the
/// halfway points to the neighbouring floats are `(r ± m) / s`, and digits are produced until
/// the ones so far already name a number between those halfway points. Halfway points are
/// themselves read back as `x` when the mantissa is even (ties to even).
pub fn shortest(x: f64) -> Digits {
    let (m, e) = decompose(x);
    if m == 0 {
        return Digits {
            digits: String::from("0"),
            decpt: 1,
        };
    }
    let inclusive = m & 1 == 0;
    // Above a power of two, the float below is half as far as the one above.
    let boundary = m == 1 << 52 && e > -1074;
    let (r0, s0, up0) = if boundary {
        (4 * m, 4, 2)
    } else {
        (2 * m, 2, 1)
    };
    let (mut r, mut s, mut up, mut down) = if e >= 0 {
        let shift = e as u64;
        (
            big(r0).shl(shift),
            big(s0),
            big(up0).shl(shift),
            big(1).shl(shift),
        )
    } else {
        (big(r0), big(s0).shl(e.unsigned_abs()), big(up0), big(1))
    };
    let mut k = estimate_exponent(m, e);
    if k >= 0 {
        s = s.mul(&pow10(k));
    } else {
        let p = pow10(k);
        r = r.mul(&p);
        up = up.mul(&p);
        down = down.mul(&p);
    }
    // Is `(r + up) / s` (the upper halfway point) past 1?
    let high = |r: &BigInt, up: &BigInt, s: &BigInt| match r.add(up).cmp(s) {
        Ordering::Greater => true,
        Ordering::Equal => inclusive,
        Ordering::Less => false,
    };
    while high(&r, &up, &s) {
        s = s.mul(&big(10));
        k += 1;
    }
    let ten = big(10);
    let mut digits = String::new();
    loop {
        r = r.mul(&ten);
        up = up.mul(&ten);
        down = down.mul(&ten);
        let Some((q, rest)) = r.divmod_trunc(&s) else {
            break;
        };
        r = rest;
        let d = q.to_u64().unwrap_or(0) as u8;
        let low = match r.cmp(&down) {
            Ordering::Less => true,
            Ordering::Equal => inclusive,
            Ordering::Greater => false,
        };
        let high = high(&r, &up, &s);
        let last = match (low, high) {
            (false, false) => {
                digits.push(char::from(b'0' + d));
                continue;
            }
            (true, false) => d,
            (false, true) => d + 1,
            // Both neighbours read back as x: the nearer, ties to even.
            (true, true) => match r.shl(1).cmp(&s) {
                Ordering::Less => d,
                Ordering::Greater => d + 1,
                Ordering::Equal => d + (d & 1),
            },
        };
        digits.push(char::from(b'0' + last));
        break;
    }
    Digits { digits, decpt: k }
}

/// `x` (finite, sign ignored) correctly rounded to `n >= 1` significant digits, trailing
/// zeros kept.
pub fn significant(x: f64, n: usize) -> Digits {
    let n = i64::try_from(n.max(1)).unwrap_or(i64::MAX);
    let (m, e) = decompose(x);
    if m == 0 {
        return Digits {
            digits: "0".repeat(n as usize),
            decpt: 1,
        };
    }
    let limit = pow10(n);
    let mut k = estimate_exponent(m, e);
    loop {
        let (num, den) = scaled(m, e, n - k);
        if num.cmp(&den.mul(&limit)) != Ordering::Less {
            // The estimate was low: v >= 10^k.
            k += 1;
            continue;
        }
        let mut q = round_quotient(&num, &den);
        if q.cmp(&limit) == Ordering::Equal {
            // Rounded up to 10^n: one digit more in front.
            q = pow10(n - 1);
            k += 1;
        }
        return Digits {
            digits: decimal(&q),
            decpt: k,
        };
    }
}

/// Appends `|x|` (finite) correctly rounded to `frac` digits after the point, in fixed
/// notation (`"0.050"`, `"12"` when `frac` is 0).
pub fn write_fixed(x: f64, frac: usize, out: &mut String) {
    let (m, e) = decompose(x);
    let (num, den) = scaled(m, e, i64::try_from(frac).unwrap_or(i64::MAX));
    let text = decimal(&round_quotient(&num, &den));
    let zeros = (frac + 1).saturating_sub(text.len());
    let digits = "0".repeat(zeros) + &text;
    let point = digits.len() - frac;
    out.push_str(&digits[..point]);
    if frac > 0 {
        out.push('.');
        out.push_str(&digits[point..]);
    }
}

/// Decimal digits beyond which only whether any is non-zero matters: a float halfway between
/// two others has at most 767 significant digits.
const MAX_DIGITS: usize = 800;

/// The float nearest to the decimal number in `s` (ties to even), for the syntax
/// `[+-]digits[.digits][(e|E)[+-]digits]` with at least one mantissa digit; `None` otherwise.
/// Beyond the range it is ±infinity or ±0.0, as `float()` gives.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, mut pos) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    // The significant digits, without leading zeros, and the power of ten they are scaled by.
    let mut digits: Vec<u8> = Vec::new();
    let mut exp: i64 = 0;
    let mut sticky = false;
    let mut seen_digit = false;
    let mut after_point = false;
    while let Some(&c) = b.get(pos) {
        match c {
            b'0'..=b'9' => {
                seen_digit = true;
                if after_point {
                    exp -= 1;
                }
                if digits.len() < MAX_DIGITS {
                    if c != b'0' || !digits.is_empty() {
                        digits.push(c);
                    }
                } else {
                    exp += 1;
                    sticky |= c != b'0';
                }
            }
            b'.' if !after_point => after_point = true,
            _ => break,
        }
        pos += 1;
    }
    if !seen_digit {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(pos) {
        pos += 1;
        let exp_neg = match b.get(pos) {
            Some(b'-') => {
                pos += 1;
                true
            }
            Some(b'+') => {
                pos += 1;
                false
            }
            _ => false,
        };
        let start = pos;
        let mut value: i64 = 0;
        while let Some(&c @ b'0'..=b'9') = b.get(pos) {
            // Saturating: any exponent this large over- or underflows.
            value = (value * 10 + i64::from(c - b'0')).min(1 << 40);
            pos += 1;
        }
        if pos == start {
            return None;
        }
        exp += if exp_neg { -value } else { value };
    }
    if pos != b.len() {
        return None;
    }
    if sticky {
        // A non-zero digit beyond those kept: below the last one, it only breaks ties.
        digits.push(b'1');
        exp -= 1;
    }
    while digits.last() == Some(&b'0') {
        digits.pop();
        exp += 1;
    }
    let magnitude = decimal_to_f64(&digits, exp);
    Some(if neg { -magnitude } else { magnitude })
}

/// The float nearest to `digits × 10^exp` (digits without leading or trailing zeros).
fn decimal_to_f64(digits: &[u8], exp: i64) -> f64 {
    let count = digits.len() as i64;
    if count == 0 || count + exp < -330 {
        // Below half the smallest subnormal (or zero).
        return 0.0;
    }
    if count + exp > 310 {
        return f64::INFINITY;
    }
    if count <= 15 && (-22..=22).contains(&exp) {
        // Both factors are exact floats, so one correctly rounded operation gives the answer.
        let mut m = 0u64;
        for &d in digits {
            m = m * 10 + u64::from(d - b'0');
        }
        let mut scale = 1.0;
        for _ in 0..exp.unsigned_abs() {
            scale *= 10.0;
        }
        return if exp >= 0 {
            m as f64 * scale
        } else {
            m as f64 / scale
        };
    }
    let Some(n) = BigInt::parse(digits, 10) else {
        return f64::NAN;
    };
    if exp >= 0 {
        n.mul(&pow10(exp)).to_f64()
    } else {
        n.div_to_f64(&pow10(exp)).unwrap_or(f64::NAN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    fn text(d: &Digits) -> String {
        format!("{}e{}", d.digits, d.decpt)
    }

    #[test]
    fn known_values() {
        assert_eq!(text(&shortest(0.1)), "1e0");
        assert_eq!(text(&shortest(1.0)), "1e1");
        assert_eq!(text(&shortest(0.0)), "0e1");
        assert_eq!(text(&shortest(1e23)), "1e24");
        assert_eq!(text(&shortest(5e-324)), "5e-323");
        assert_eq!(text(&shortest(f64::MAX)), "17976931348623157e309");
        assert_eq!(text(&significant(2.675, 3)), "267e1");
        assert_eq!(text(&significant(2.5, 1)), "2e1");
        assert_eq!(text(&significant(9.96, 2)), "10e2");
        assert_eq!(text(&significant(0.0, 3)), "000e1");
        let fixed = |x: f64, n: usize| {
            let mut s = String::new();
            write_fixed(x, n, &mut s);
            s
        };
        assert_eq!(fixed(2.675, 2), "2.67");
        assert_eq!(fixed(0.001, 2), "0.00");
        assert_eq!(fixed(0.5, 0), "0");
        assert_eq!(fixed(1.5, 0), "2");
        assert_eq!(fixed(1e20, 1), "100000000000000000000.0");
        assert_eq!(parse_decimal("0.1"), Some(0.1));
        assert_eq!(parse_decimal("-1e-400"), Some(-0.0));
        assert_eq!(parse_decimal("1e400"), Some(f64::INFINITY));
        assert_eq!(
            parse_decimal("2.2250738585072011e-308"),
            Some(2.225073858507201e-308)
        );
        assert_eq!(parse_decimal("1."), Some(1.0));
        assert_eq!(parse_decimal(".5"), Some(0.5));
        assert_eq!(parse_decimal("."), None);
        assert_eq!(parse_decimal("1e"), None);
        assert_eq!(parse_decimal("1e+"), None);
        assert_eq!(parse_decimal("1x"), None);
    }
}
