//! Unsigned magnitude arithmetic on little-endian `u32` limb slices.
//!
//! `BigInt` keeps a sign beside a magnitude; everything that touches limbs lives here so the
//! signed layer only decides signs. Inputs are normalised (no high zero limbs; zero is the empty
//! slice) unless a function says otherwise, and every returned vector is normalised.
//!
//! Indexing in this module is bounded by lengths computed in the same function, never by values
//! read from the limbs, so no input can make it fail.

use alloc::vec;
use alloc::vec::Vec;
use core::cmp::Ordering;

/// Bits in one limb.
pub(crate) const LIMB_BITS: u32 = 32;

/// Drops high zero limbs, restoring the normal form.
pub(crate) fn trim(v: &mut Vec<u32>) {
    while v.last() == Some(&0) {
        v.pop();
    }
}

/// Compares two magnitudes.
pub(crate) fn cmp(a: &[u32], b: &[u32]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

/// Number of significant bits of `a` (0 for zero).
pub(crate) fn bit_length(a: &[u32]) -> u64 {
    match a.last() {
        None => 0,
        Some(&top) => (a.len() as u64 - 1) * 32 + u64::from(LIMB_BITS - top.leading_zeros()),
    }
}

/// `a` as a `u64`, if it fits.
pub(crate) fn to_u64(a: &[u32]) -> Option<u64> {
    match *a {
        [] => Some(0),
        [lo] => Some(u64::from(lo)),
        [lo, hi] => Some((u64::from(hi) << 32) | u64::from(lo)),
        _ => None,
    }
}

/// True if `a` is a power of two (zero is not).
pub(crate) fn is_power_of_two(a: &[u32]) -> bool {
    match a.split_last() {
        Some((top, rest)) => top.is_power_of_two() && rest.iter().all(|&l| l == 0),
        None => false,
    }
}

/// `a + b`.
pub(crate) fn add(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(long.len() + 1);
    let mut carry = 0u64;
    for (i, &x) in long.iter().enumerate() {
        let s = u64::from(x) + u64::from(short.get(i).copied().unwrap_or(0)) + carry;
        out.push(s as u32);
        carry = s >> 32;
    }
    if carry != 0 {
        out.push(carry as u32);
    }
    out
}

/// `a - b`; requires `a >= b`.
pub(crate) fn sub(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = false;
    for (i, &x) in a.iter().enumerate() {
        let (d1, b1) = x.overflowing_sub(b.get(i).copied().unwrap_or(0));
        let (d2, b2) = d1.overflowing_sub(u32::from(borrow));
        out.push(d2);
        borrow = b1 | b2;
    }
    trim(&mut out);
    out
}

/// `a * b`, schoolbook. Operands here are a few hundred bits, where Karatsuba does not pay.
pub(crate) fn mul(a: &[u32], b: &[u32]) -> Vec<u32> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut out = vec![0u32; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        let row = &mut out[i..i + b.len() + 1];
        let mut carry = 0u64;
        // (2^32-1)^2 + 2*(2^32-1) == 2^64-1: the sum below never overflows.
        for (dst, &y) in row.iter_mut().zip(b) {
            let t = u64::from(x) * u64::from(y) + u64::from(*dst) + carry;
            *dst = t as u32;
            carry = t >> 32;
        }
        if let Some(top) = row.last_mut() {
            *top = carry as u32;
        }
    }
    trim(&mut out);
    out
}

/// `v = v * m + a` in place.
pub(crate) fn mul_add_small(v: &mut Vec<u32>, m: u32, a: u32) {
    let mut carry = u64::from(a);
    for limb in v.iter_mut() {
        let t = u64::from(*limb) * u64::from(m) + carry;
        *limb = t as u32;
        carry = t >> 32;
    }
    if carry != 0 {
        v.push(carry as u32);
    }
    trim(v);
}

/// `v = v / d` in place, returning `v % d`; requires `d != 0`.
pub(crate) fn div_small(v: &mut Vec<u32>, d: u32) -> u32 {
    let d = u64::from(d);
    let mut rem = 0u64;
    for limb in v.iter_mut().rev() {
        let cur = (rem << 32) | u64::from(*limb);
        *limb = (cur / d) as u32;
        rem = cur % d;
    }
    trim(v);
    rem as u32
}

/// `a << (limbs * 32 + bits)`; requires `bits < 32`. The caller has checked that the result size
/// fits in memory.
pub(crate) fn shl(a: &[u32], limbs: usize, bits: u32) -> Vec<u32> {
    if a.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(limbs + a.len() + 1);
    out.resize(limbs, 0);
    if bits == 0 {
        out.extend_from_slice(a);
    } else {
        let mut carry = 0u32;
        for &x in a {
            out.push((x << bits) | carry);
            carry = x >> (LIMB_BITS - bits);
        }
        out.push(carry);
    }
    trim(&mut out);
    out
}

/// `a >> (limbs * 32 + bits)`, and whether any one bit was shifted out; requires `bits < 32`.
pub(crate) fn shr(a: &[u32], limbs: usize, bits: u32) -> (Vec<u32>, bool) {
    if limbs >= a.len() {
        return (Vec::new(), !a.is_empty());
    }
    let (low, high) = a.split_at(limbs);
    let mut lost = low.iter().any(|&l| l != 0);
    let mut out = Vec::with_capacity(high.len());
    if bits == 0 {
        out.extend_from_slice(high);
    } else {
        lost |= high.first().is_some_and(|&l| l & ((1 << bits) - 1) != 0);
        for (i, &x) in high.iter().enumerate() {
            let next = high.get(i + 1).copied().unwrap_or(0);
            out.push((x >> bits) | (next << (LIMB_BITS - bits)));
        }
    }
    trim(&mut out);
    (out, lost)
}

/// `(a / b, a % b)`; requires `b` non-zero.
pub(crate) fn divmod(a: &[u32], b: &[u32]) -> (Vec<u32>, Vec<u32>) {
    if cmp(a, b) == Ordering::Less {
        return (Vec::new(), a.to_vec());
    }
    match b {
        [] => (Vec::new(), Vec::new()),
        [d] => {
            let mut q = a.to_vec();
            let r = div_small(&mut q, *d);
            let r = if r == 0 { Vec::new() } else { vec![r] };
            (q, r)
        }
        _ => divmod_knuth(a, b),
    }
}

/// Knuth's algorithm D (TAOCP 4.3.1) for `a >= b` and `b` of two or more limbs.
fn divmod_knuth(a: &[u32], b: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let n = b.len();
    let m = a.len() - n;
    // Normalise so the divisor's top bit is set: the quotient estimate is then off by at most 2.
    let s = b[n - 1].leading_zeros();
    let v = shl(b, 0, s);
    let mut u = shl(a, 0, s);
    u.resize(a.len() + 1, 0);
    let v_top = u64::from(v[n - 1]);
    let v_next = u64::from(v[n - 2]);
    let mut q = vec![0u32; m + 1];
    for j in (0..=m).rev() {
        // Invariant: u[j + n..] < v, so the estimate below is at most 2^32 + 1.
        let num = (u64::from(u[j + n]) << 32) | u64::from(u[j + n - 1]);
        let mut qhat = num / v_top;
        let mut rhat = num % v_top;
        while qhat > u64::from(u32::MAX) || qhat * v_next > ((rhat << 32) | u64::from(u[j + n - 2]))
        {
            qhat -= 1;
            rhat += v_top;
            if rhat > u64::from(u32::MAX) {
                break;
            }
        }
        // u[j..=j + n] -= qhat * v
        let window = &mut u[j..=j + n];
        let mut mul_carry = 0u64;
        let mut borrow = 0i64;
        for (dst, &y) in window.iter_mut().zip(&v) {
            let p = qhat * u64::from(y) + mul_carry;
            mul_carry = p >> 32;
            let t = i64::from(*dst) - i64::from(p as u32) - borrow;
            *dst = t as u32;
            borrow = i64::from(t < 0);
        }
        let mut negative = false;
        if let Some(top) = window.last_mut() {
            let t = i64::from(*top) - mul_carry as i64 - borrow;
            *top = t as u32;
            negative = t < 0;
        }
        if negative {
            // The estimate was one too large (probability ~2/2^32): add v back once.
            qhat -= 1;
            let mut carry = 0u64;
            for (dst, &y) in window.iter_mut().zip(&v) {
                let t = u64::from(*dst) + u64::from(y) + carry;
                *dst = t as u32;
                carry = t >> 32;
            }
            if let Some(top) = window.last_mut() {
                *top = top.wrapping_add(carry as u32);
            }
        }
        q[j] = qhat as u32;
    }
    trim(&mut q);
    u.truncate(n);
    trim(&mut u);
    let (r, _) = shr(&u, 0, s);
    (q, r)
}
