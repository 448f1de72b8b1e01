//! Hand-picked cases with known Python results; `tests/oracle.rs` covers random operands.

use crate::BigInt;
use alloc::string::{String, ToString};
use alloc::vec;
use core::cmp::Ordering;

fn big(s: &str) -> BigInt {
    match s.strip_prefix('-') {
        Some(digits) => BigInt::parse(digits.as_bytes(), 10).map(|v| v.neg()),
        None => BigInt::parse(s.as_bytes(), 10),
    }
    .unwrap_or_else(|| panic!("bad literal {s}"))
}

fn dec(v: &BigInt) -> String {
    v.to_str_radix(10, false)
}

#[test]
fn size_of_bigint_is_a_vec_and_a_flag() {
    assert!(core::mem::size_of::<BigInt>() <= core::mem::size_of::<alloc::vec::Vec<u32>>() + 8);
}

#[test]
fn zero_is_normalised() {
    let z = BigInt::from_i64(5).sub(&BigInt::from_i64(5));
    assert_eq!(z, BigInt::zero());
    assert!(!z.is_negative());
    assert_eq!(z.limb_count(), 0);
    assert_eq!(BigInt::zero().neg(), BigInt::zero());
    assert_eq!(BigInt::from_f64(-0.5), Some(BigInt::zero()));
    assert_eq!(dec(&BigInt::zero()), "0");
}

#[test]
fn integer_conversions_at_their_limits() {
    assert_eq!(BigInt::from_i64(i64::MIN).to_i64(), Some(i64::MIN));
    assert_eq!(
        BigInt::from_i64(i64::MIN)
            .sub(&BigInt::from_i64(1))
            .to_i64(),
        None
    );
    assert_eq!(BigInt::from_u64(u64::MAX).to_u64(), Some(u64::MAX));
    assert_eq!(BigInt::from_u64(u64::MAX).to_i64(), None);
    assert_eq!(BigInt::from_i64(-1).to_u64(), None);
    assert_eq!(
        BigInt::from_i64(i64::from(i32::MIN)).to_i32(),
        Some(i32::MIN)
    );
    assert_eq!(BigInt::from_i64(i64::from(i32::MAX) + 1).to_i32(), None);
    assert_eq!(dec(&BigInt::from_i128(i128::MIN)), i128::MIN.to_string());
    assert_eq!(BigInt::from_i64(-7).cmp_i64(i64::MIN), Ordering::Greater);
    assert_eq!(
        big("-9223372036854775809").cmp_i64(i64::MIN),
        Ordering::Less
    );
    assert_eq!(
        big("18446744073709551616").cmp_i64(i64::MAX),
        Ordering::Greater
    );
}

#[test]
fn floor_division_follows_python() {
    let cases = [
        (7, 2, 3, 1),
        (-7, 2, -4, 1),
        (7, -2, -4, -1),
        (-7, -2, 3, -1),
        (6, -3, -2, 0),
    ];
    for (a, b, q, r) in cases {
        let (bq, br) = BigInt::from_i64(a)
            .divmod_floor(&BigInt::from_i64(b))
            .unwrap();
        assert_eq!((bq.to_i64(), br.to_i64()), (Some(q), Some(r)), "{a} // {b}");
    }
    let (q, r) = BigInt::from_i64(-7)
        .divmod_trunc(&BigInt::from_i64(2))
        .unwrap();
    assert_eq!((q.to_i64(), r.to_i64()), (Some(-3), Some(-1)));
    assert!(BigInt::from_i64(1).divmod_floor(&BigInt::zero()).is_none());
}

#[test]
fn division_needing_the_add_back_step() {
    let a = BigInt::parse(b"7fffffff800000000000000000000000", 16).unwrap();
    let b = BigInt::parse(b"800000000000000000000001", 16).unwrap();
    let (q, r) = a.divmod_floor(&b).unwrap();
    assert_eq!(q.to_i64(), Some(4294967294));
    assert_eq!(dec(&r), "39614081257132168792477007874");
}

#[test]
fn shifts_round_toward_negative_infinity() {
    assert_eq!(BigInt::from_i64(-1).shr(1000).to_i64(), Some(-1));
    assert_eq!(BigInt::from_i64(-5).shr(1).to_i64(), Some(-3));
    assert_eq!(BigInt::from_i64(-4).shr(1).to_i64(), Some(-2));
    assert_eq!(BigInt::from_i64(5).shr(u64::MAX).to_i64(), Some(0));
    assert_eq!(BigInt::from_i64(-5).shr(u64::MAX).to_i64(), Some(-1));
    assert_eq!(
        dec(&BigInt::from_i64(1).shl(160)),
        "1461501637330902918203684832716283019655932542976"
    );
    assert_eq!(BigInt::zero().shl(1 << 40), BigInt::zero());
}

#[test]
fn bitwise_on_negative_values() {
    let v = |a: i64| BigInt::from_i64(a);
    assert_eq!(v(-6).bitand(&v(13)).to_i64(), Some(8));
    assert_eq!(v(-6).bitor(&v(13)).to_i64(), Some(-1));
    assert_eq!(v(-6).bitxor(&v(-13)).to_i64(), Some(9));
    assert_eq!(v(0).not().to_i64(), Some(-1));
    let m = big("-4294967296");
    assert_eq!(m.bitand(&m), m);
    assert_eq!(m.bitor(&v(0)), m);
}

#[test]
fn powers() {
    assert_eq!(dec(&BigInt::from_i64(-3).pow(41)), "-36472996377170786403");
    assert_eq!(BigInt::from_i64(0).pow(0).to_i64(), Some(1));
    assert_eq!(BigInt::from_i64(-1).pow(u64::MAX).to_i64(), Some(-1));
    let pm = |a: i64, e: i64, m: i64| {
        BigInt::from_i64(a)
            .pow_mod(&BigInt::from_i64(e), &BigInt::from_i64(m))
            .and_then(|r| r.to_i64())
    };
    assert_eq!(pm(3, 4, 5), Some(1));
    assert_eq!(pm(-3, 3, 5), Some(3));
    assert_eq!(pm(3, 3, -5), Some(-3));
    assert_eq!(pm(5, 0, -3), Some(-2));
    assert_eq!(pm(5, 0, 1), Some(0));
    assert_eq!(pm(5, 1, 0), None);
    assert_eq!(pm(5, -1, 7), None);
}

#[test]
fn strings_in_every_radix() {
    assert_eq!(BigInt::parse(b"", 10), None);
    assert_eq!(BigInt::parse(b"12a", 10), None);
    assert_eq!(BigInt::parse(b"-1", 10), None);
    assert_eq!(BigInt::parse(b"1_0", 10), None);
    assert_eq!(BigInt::parse(b"10", 37), None);
    assert_eq!(
        BigInt::parse(b"zZ", 36).and_then(|v| v.to_i64()),
        Some(35 * 36 + 35)
    );
    assert_eq!(BigInt::parse(b"0000", 2), Some(BigInt::zero()));
    let v = big("-1000000000000000000000000000000");
    assert_eq!(v.to_str_radix(16, true), "-C9F2C9CD04674EDEA40000000");
    assert_eq!(v.to_str_radix(16, false), "-c9f2c9cd04674edea40000000");
    assert_eq!(BigInt::from_u64(1 << 63).to_str_radix(2, false).len(), 64);
    assert_eq!(
        alloc::format!("{:>6}|{}", BigInt::from_i64(-42), BigInt::from_i64(7)),
        "   -42|7"
    );
}

#[test]
fn bytes_like_python() {
    let v = |a: i64| BigInt::from_i64(a);
    assert_eq!(v(1024).to_bytes(2, false, false), Some(vec![4, 0]));
    assert_eq!(v(-128).to_bytes(1, true, true), Some(vec![0x80]));
    assert_eq!(v(-129).to_bytes(1, true, true), None);
    assert_eq!(v(128).to_bytes(1, true, true), None);
    assert_eq!(v(255).to_bytes(1, true, false), Some(vec![255]));
    assert_eq!(v(-1).to_bytes(1, true, false), None);
    assert_eq!(v(0).to_bytes(0, true, true), Some(vec![]));
    assert_eq!(v(-1).to_bytes(0, true, true), None);
    assert_eq!(v(0).to_bytes(usize::MAX, true, false), None);
    assert_eq!(v(-1).to_bytes(3, false, true), Some(vec![255, 255, 255]));
    assert_eq!(BigInt::from_bytes(&[0xff, 0x7f], true, true), v(0x7fff));
    assert_eq!(BigInt::from_bytes(&[0xff, 0x7f], false, true), v(-129));
    assert_eq!(BigInt::from_bytes(&[], false, true), v(0));
    assert_eq!(
        BigInt::from_bytes(&[0, 0, 0, 0, 0x80], true, true),
        v(-(1 << 39))
    );
}

#[test]
fn floats() {
    assert_eq!(BigInt::from_f64(f64::NAN), None);
    assert_eq!(BigInt::from_f64(f64::NEG_INFINITY), None);
    assert_eq!(BigInt::from_f64(-2.75).and_then(|v| v.to_i64()), Some(-2));
    assert_eq!(
        BigInt::from_f64(1e20).map(|v| dec(&v)),
        Some("100000000000000000000".into())
    );
    assert_eq!(
        BigInt::from_f64(f64::MAX).map(|v| v.to_f64()),
        Some(f64::MAX)
    );
    // 2^53 + 1 is a tie between 2^53 and 2^53 + 2: even wins.
    assert_eq!(BigInt::from_u64((1 << 53) + 1).to_f64(), 9007199254740992.0);
    assert_eq!(BigInt::from_u64((1 << 53) + 3).to_f64(), 9007199254740996.0);
    assert_eq!(BigInt::from_i64(1).shl(1024).to_f64(), f64::INFINITY);
    assert_eq!(BigInt::from_i64(-1).shl(5000).to_f64(), f64::NEG_INFINITY);
    // The largest value that still rounds to f64::MAX, and the first that rounds to infinity.
    let max = BigInt::from_f64(f64::MAX).unwrap();
    let half_ulp = BigInt::from_i64(1).shl(970);
    assert_eq!(
        max.add(&half_ulp).sub(&BigInt::from_i64(1)).to_f64(),
        f64::MAX
    );
    assert_eq!(max.add(&half_ulp).to_f64(), f64::INFINITY);
}

#[test]
fn true_division() {
    let v = |a: i64| BigInt::from_i64(a);
    assert_eq!(v(1).div_to_f64(&v(0)), None);
    assert_eq!(v(1).div_to_f64(&v(3)), Some(1.0 / 3.0));
    assert_eq!(
        v(0).div_to_f64(&v(-5)).map(f64::to_bits),
        Some((-0.0f64).to_bits())
    );
    let huge = v(1).shl(5000);
    assert_eq!(huge.div_to_f64(&huge.mul(&v(3))), Some(1.0 / 3.0));
    assert_eq!(huge.div_to_f64(&v(1)), Some(f64::INFINITY));
    assert_eq!(v(-1).div_to_f64(&huge), Some(-0.0));
    // Subnormal results: 2^-1074 exactly, and a tie at half of it rounding to even (zero).
    assert_eq!(v(1).div_to_f64(&v(1).shl(1074)), Some(f64::from_bits(1)));
    assert_eq!(v(1).div_to_f64(&v(1).shl(1075)), Some(0.0));
    assert_eq!(v(3).div_to_f64(&v(1).shl(1075)), Some(f64::from_bits(2)));
    assert_eq!(v(3).div_to_f64(&v(1).shl(1076)), Some(f64::from_bits(1)));
}

#[test]
fn hashes_match_cpython() {
    let v = |a: i64| BigInt::from_i64(a);
    assert_eq!(v(-1).hash_u64() as i64, -2);
    assert_eq!(v(-2).hash_u64() as i64, -2);
    assert_eq!(v(12345).hash_u64() as i64, 12345);
    let p = v((1 << 61) - 1);
    assert_eq!(p.hash_u64(), 0);
    assert_eq!(p.add(&v(5)).hash_u64(), 5);
    assert_eq!(v(1).shl(100).hash_u64() as i64, 1 << 39);
    assert_eq!(v(1).shl(100).neg().hash_u64() as i64, -(1 << 39));
}
