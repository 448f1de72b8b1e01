//! Randomised property tests of every `BigInt` operation against `num-bigint`.
//!
//! Operands are 0 to 600 bits of both signs, built to hit the hard cases often: whole limbs of
//! zeros or ones (Knuth D's correction steps), powers of two and their neighbours, limb and
//! `i64` boundaries. Float results are checked exactly: the returned `f64` must be at least as
//! close to the true value as both of its neighbours, and even on a tie.

use num_bigint::BigInt as Oracle;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use pyrite_mpz::BigInt;
use std::cmp::Ordering;

/// xorshift64: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// An interesting integer of at most `max_bits` bits, either sign.
    fn int(&mut self, max_bits: u64) -> Oracle {
        let bits = self.below(max_bits + 1);
        let one = Oracle::one();
        let v = match self.below(8) {
            0 => {
                let specials = [
                    0i128,
                    1,
                    2,
                    3,
                    1 << 31,
                    1 << 32,
                    (1 << 32) - 1,
                    (1 << 32) + 1,
                    i64::MAX as i128,
                    i64::MIN as i128,
                    u64::MAX as i128,
                    1 << 64,
                    (1 << 64) + 1,
                    10i128.pow(9),
                    10i128.pow(18),
                ];
                Oracle::from(specials[self.below(specials.len() as u64) as usize])
            }
            1 => one << bits,
            2 => (one.clone() << bits) - one,
            3 => (one.clone() << bits) + one,
            4 | 5 => {
                // Limb patterns.
                let mut v = Oracle::zero();
                for _ in 0..bits.div_ceil(32) {
                    let limb = match self.below(5) {
                        0 => 0,
                        1 => u32::MAX,
                        2 => 1,
                        3 => 0x8000_0000,
                        _ => self.next() as u32,
                    };
                    v = (v << 32u32) + Oracle::from(limb);
                }
                v
            }
            _ => {
                let mut v = Oracle::zero();
                for _ in 0..bits.div_ceil(64) {
                    v = (v << 64u32) + Oracle::from(self.next());
                }
                v >> ((64 - bits % 64) % 64)
            }
        };
        if self.below(2) == 0 {
            -v
        } else {
            v
        }
    }
}

fn ours(v: &Oracle) -> BigInt {
    BigInt::from_bytes(&v.to_signed_bytes_le(), true, true)
}

fn theirs(v: &BigInt) -> Oracle {
    let len = (v.bit_length() / 8 + 1) as usize;
    Oracle::from_signed_bytes_le(&v.to_bytes(len, true, true).expect("fits by construction"))
}

fn check(rng_seed: u64, cases: usize, max_bits: u64, mut f: impl FnMut(&mut Rng, Oracle, Oracle)) {
    let mut rng = Rng(rng_seed);
    for _ in 0..cases {
        let a = rng.int(max_bits);
        let b = rng.int(max_bits);
        f(&mut rng, a, b);
    }
}

#[test]
fn conversions_round_trip() {
    check(1, 3000, 600, |_, a, _| {
        let x = ours(&a);
        assert_eq!(theirs(&x), a);
        assert_eq!(x.bit_length(), a.bits(), "{a}");
        assert_eq!(
            x.signum(),
            if a.is_negative() {
                -1
            } else if a.is_zero() {
                0
            } else {
                1
            }
        );
        assert_eq!(x.is_negative(), a.is_negative());
        assert_eq!(x.is_zero(), a.is_zero());
        assert_eq!(x.limb_count(), a.magnitude().to_u32_digits().len());
        assert_eq!(x.to_i64(), a.to_i64(), "{a}");
        assert_eq!(x.to_i32(), a.to_i32(), "{a}");
        assert_eq!(x.to_u64(), a.to_u64(), "{a}");
        if let Some(v) = a.to_i64() {
            assert_eq!(BigInt::from_i64(v), x);
        }
        if let Some(v) = a.to_u64() {
            assert_eq!(BigInt::from_u64(v), x);
        }
        if let Some(v) = a.to_i128() {
            assert_eq!(BigInt::from_i128(v), x);
        }
        assert_eq!(x.neg(), ours(&-&a));
        assert_eq!(x.abs(), ours(&a.abs()));
    });
}

#[test]
fn radix_strings_round_trip() {
    check(2, 2000, 600, |rng, a, _| {
        let x = ours(&a);
        for radix in [2, 8, 10, 16, 36, 3 + rng.below(33) as u32] {
            let s = x.to_str_radix(radix, false);
            assert_eq!(s, a.to_str_radix(radix), "radix {radix}");
            assert_eq!(x.to_str_radix(radix, true), s.to_uppercase());
            let (neg, digits) = match s.strip_prefix('-') {
                Some(d) => (true, d),
                None => (false, s.as_str()),
            };
            let back = BigInt::parse(digits.as_bytes(), radix).expect("valid digits");
            assert_eq!(if neg { back.neg() } else { back }, x);
            let upper = BigInt::parse(digits.to_uppercase().as_bytes(), radix);
            assert_eq!(upper.map(|v| v.abs()), Some(x.abs()));
        }
    });
    assert_eq!(BigInt::parse(b"2", 2), None);
    assert_eq!(BigInt::parse(b"9", 8), None);
    assert_eq!(BigInt::parse(b"g", 16), None);
    assert_eq!(BigInt::parse(b" 1", 10), None);
    assert_eq!(BigInt::parse(b"1", 1), None);
}

#[test]
fn add_sub_mul_cmp() {
    check(3, 4000, 600, |_, a, b| {
        let (x, y) = (ours(&a), ours(&b));
        assert_eq!(theirs(&x.add(&y)), &a + &b);
        assert_eq!(theirs(&x.sub(&y)), &a - &b);
        assert_eq!(theirs(&x.mul(&y)), &a * &b);
        assert_eq!(x.cmp(&y), a.cmp(&b));
        assert_eq!(x == y, a == b);
        assert_eq!(x.partial_cmp(&y), Some(a.cmp(&b)));
        if let Some(v) = b.to_i64() {
            assert_eq!(x.cmp_i64(v), a.cmp(&b));
            assert_eq!(y.cmp_i64(v), Ordering::Equal);
        }
    });
}

#[test]
fn division_floor_and_trunc() {
    check(4, 4000, 600, |_, a, b| {
        let (x, y) = (ours(&a), ours(&b));
        if b.is_zero() {
            assert!(x.divmod_floor(&y).is_none());
            assert!(x.divmod_trunc(&y).is_none());
            return;
        }
        let (q, r) = x.divmod_floor(&y).expect("non-zero divisor");
        let (oq, or) = a.div_mod_floor(&b);
        assert_eq!((theirs(&q), theirs(&r)), (oq, or), "{a} divmod {b}");
        let (q, r) = x.divmod_trunc(&y).expect("non-zero divisor");
        let (oq, or) = a.div_rem(&b);
        assert_eq!((theirs(&q), theirs(&r)), (oq, or), "{a} trunc-div {b}");
    });
}

#[test]
fn division_by_a_multiple_and_near_multiple() {
    // q * b + r with r around 0 and b stresses the quotient-digit estimate's edges.
    check(5, 3000, 300, |rng, q, b| {
        if b.is_zero() {
            return;
        }
        let r = match rng.below(4) {
            0 => Oracle::zero(),
            1 => b.abs() - 1,
            2 => Oracle::one(),
            _ => Oracle::from(rng.next()) % b.abs(),
        };
        let a = &q * &b + r;
        let (oq, or) = a.div_mod_floor(&b);
        let (x, y) = (ours(&a), ours(&b));
        let (mq, mr) = x.divmod_floor(&y).expect("non-zero divisor");
        assert_eq!((theirs(&mq), theirs(&mr)), (oq, or));
    });
}

#[test]
fn powers_and_modular_powers() {
    check(6, 600, 200, |rng, a, _| {
        let e = rng.below(40);
        let x = ours(&a);
        assert_eq!(theirs(&x.pow(e)), num_traits::pow(a.clone(), e as usize));
    });
    check(7, 300, 400, |rng, a, m| {
        let e = rng.int(300).abs();
        let (x, y) = (ours(&a), ours(&m));
        let got = x.pow_mod(&ours(&e), &y);
        if m.is_zero() {
            assert!(got.is_none());
            return;
        }
        // Python: the result is in [0, m) or (m, 0] with the sign of m.
        let mut want = a.modpow(&e, &m.abs());
        if want.is_negative() {
            want += m.abs();
        }
        if m.is_negative() && !want.is_zero() {
            want += &m;
        }
        assert_eq!(got.map(|v| theirs(&v)), Some(want), "pow({a}, {e}, {m})");
        assert!(x.pow_mod(&ours(&-Oracle::one()), &y).is_none());
    });
}

#[test]
fn shifts() {
    check(8, 3000, 600, |rng, a, _| {
        let n = rng.below(700);
        let x = ours(&a);
        assert_eq!(theirs(&x.shl(n)), &a << n);
        let floor = a.div_floor(&(Oracle::one() << n));
        assert_eq!(theirs(&x.shr(n)), floor, "{a} >> {n}");
        let huge = rng.next() | (1 << 40);
        let want = if a.is_negative() { -1 } else { 0 };
        assert_eq!(x.shr(huge).to_i64(), Some(want));
    });
}

#[test]
fn bitwise_two_complement() {
    check(9, 4000, 600, |_, a, b| {
        let (x, y) = (ours(&a), ours(&b));
        assert_eq!(theirs(&x.bitand(&y)), &a & &b, "{a} & {b}");
        assert_eq!(theirs(&x.bitor(&y)), &a | &b, "{a} | {b}");
        assert_eq!(theirs(&x.bitxor(&y)), &a ^ &b, "{a} ^ {b}");
        assert_eq!(theirs(&x.not()), -&a - 1);
    });
}

#[test]
fn bytes_like_python() {
    check(10, 3000, 600, |rng, a, _| {
        let x = ours(&a);
        let len = (a.bits() / 8) as usize + rng.below(3) as usize;
        let len = len.saturating_sub(rng.below(2) as usize);
        let capacity = Oracle::one() << (8 * len);
        for signed in [false, true] {
            let fits = if signed {
                let half = &capacity >> 1u32;
                a.is_zero() || (a >= -&half && a < half)
            } else {
                !a.is_negative() && a < capacity
            };
            for little in [false, true] {
                let got = x.to_bytes(len, little, signed);
                if !fits {
                    assert_eq!(got, None, "{a} in {len} bytes signed={signed}");
                    continue;
                }
                let mut want = a.mod_floor(&capacity).to_bytes_le().1;
                want.resize(len, 0);
                if len == 0 {
                    want.clear();
                }
                if !little {
                    want.reverse();
                }
                assert_eq!(
                    got.as_ref(),
                    Some(&want),
                    "{a} in {len} bytes signed={signed}"
                );
                let back = BigInt::from_bytes(&want, little, signed);
                assert_eq!(back, x);
            }
        }
        let raw: Vec<u8> = (0..rng.below(80)).map(|_| rng.next() as u8).collect();
        assert_eq!(
            theirs(&BigInt::from_bytes(&raw, true, true)),
            Oracle::from_signed_bytes_le(&raw)
        );
        assert_eq!(
            theirs(&BigInt::from_bytes(&raw, false, true)),
            Oracle::from_signed_bytes_be(&raw)
        );
        assert_eq!(
            theirs(&BigInt::from_bytes(&raw, true, false)),
            Oracle::from_bytes_le(num_bigint::Sign::Plus, &raw)
        );
    });
}

#[test]
fn hash_matches_cpython() {
    let modulus = Oracle::from((1u64 << 61) - 1);
    check(11, 3000, 600, |_, a, _| {
        let mut h = (a.abs() % &modulus).to_i64().expect("below 2^61");
        if a.is_negative() {
            h = -h;
        }
        if h == -1 {
            h = -2;
        }
        assert_eq!(ours(&a).hash_u64() as i64, h, "hash({a})");
    });
}

/// `f` as an exact `(mantissa, exponent)` with `exponent >= -1074`.
fn exact(f: f64) -> (Oracle, i64) {
    let bits = f.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    if biased == 0 {
        (Oracle::from(frac), -1074)
    } else {
        (Oracle::from(frac | (1 << 52)), biased - 1075)
    }
}

/// `|num/den - f| * den * 2^1074`, exactly; `num, den > 0`, `f` finite and non-negative.
fn distance(num: &Oracle, den: &Oracle, f: f64) -> Oracle {
    let (m, e) = exact(f);
    let scaled = (m * den) << (e + 1074) as u64;
    ((num.clone() << 1074u32) - scaled).abs()
}

/// Asserts that `got` is `num/den` (both positive) correctly rounded.
fn assert_rounded(num: &Oracle, den: &Oracle, got: f64) {
    assert!(got >= 0.0, "{num}/{den} gave {got}");
    let max = f64::MAX;
    // Halfway between f64::MAX and 2^1024: from here on, the result is infinity.
    let overflow = (Oracle::one() << 1024u32) - (Oracle::one() << 970u32);
    if got.is_infinite() {
        assert!(num >= &(overflow * den), "{num}/{den} overflowed");
        return;
    }
    if got == max {
        assert!(num < &(overflow * den), "{num}/{den} should overflow");
    }
    let d = distance(num, den, got);
    let even = got.to_bits() & 1 == 0;
    let up = f64::from_bits(got.to_bits() + 1);
    if up.is_finite() {
        let du = distance(num, den, up);
        assert!(d < du || (d == du && even), "{num}/{den}: {got} vs {up}");
    }
    if got > 0.0 {
        let down = f64::from_bits(got.to_bits() - 1);
        let dd = distance(num, den, down);
        assert!(d < dd || (d == dd && even), "{num}/{den}: {got} vs {down}");
    }
}

#[test]
fn to_f64_is_correctly_rounded() {
    check(12, 3000, 1100, |_, a, _| {
        let got = ours(&a).to_f64();
        if a.is_zero() {
            assert_eq!(got.to_bits(), 0);
            return;
        }
        assert_eq!(got.is_sign_negative(), a.is_negative());
        assert_rounded(&a.abs(), &Oracle::one(), got.abs());
    });
    // Ties just above 2^53 and at the top of the range.
    for k in [54u32, 64, 100, 1023] {
        for delta in 0..8u32 {
            let a = (Oracle::one() << k) + (Oracle::from(delta) << (k - 53 - 1));
            assert_rounded(&a, &Oracle::one(), ours(&a).to_f64());
        }
    }
}

#[test]
fn from_f64_truncates() {
    let mut rng = Rng(13);
    for _ in 0..5000 {
        let f = f64::from_bits(rng.next());
        let got = BigInt::from_f64(f);
        if !f.is_finite() {
            assert!(got.is_none());
            continue;
        }
        let got = theirs(&got.expect("finite"));
        let (m, e) = exact(f.abs());
        let mut want = if e >= 0 {
            m << e as u64
        } else {
            m >> (-e) as u64
        };
        if f < 0.0 {
            want = -want;
        }
        assert_eq!(got, want, "{f:e}");
        if f.abs() < 9.0e15 && f.fract() == 0.0 {
            assert_eq!(ours(&want).to_f64(), f);
        }
    }
}

#[test]
fn true_division_is_correctly_rounded() {
    // Operands up to 2500 bits reach overflow, subnormal results and underflow to zero.
    check(14, 3000, 2500, |_, a, b| {
        let got = ours(&a).div_to_f64(&ours(&b));
        if b.is_zero() {
            assert!(got.is_none());
            return;
        }
        let got = got.expect("non-zero divisor");
        assert_eq!(
            got.is_sign_negative(),
            a.is_negative() != b.is_negative(),
            "{a}/{b}"
        );
        if a.is_zero() {
            assert_eq!(got, 0.0);
            return;
        }
        assert_rounded(&a.abs(), &b.abs(), got.abs());
    });
    check(15, 3000, 600, |_, a, b| {
        if let (Some(got), false) = (ours(&a).div_to_f64(&ours(&b)), a.is_zero()) {
            assert_rounded(&a.abs(), &b.abs(), got.abs());
        }
    });
}
