//! Typed values in byte buffers: the item codes shared by `array`, `memoryview` and `struct`.
//!
//! An item code is one ASCII letter, as in MicroPython's `binary.c`:
//!
//! | code | C type        | native size | standard size |
//! |------|---------------|-------------|---------------|
//! | b B  | char          | 1           | 1             |
//! | h H  | short         | 2           | 2             |
//! | i I  | int           | 4           | 4             |
//! | l L  | long          | 8           | 4             |
//! | q Q  | long long     | 8           | 8             |
//! | e    | half float    | 2           | 2             |
//! | f    | float         | 4           | 4             |
//! | d    | double        | 8           | 8             |
//! | P    | pointer (int) | 8           | 8             |
//!
//! Lower case integer codes are signed. "Native" is the layout of `array`, `memoryview` and
//! `struct`'s `@` (little-endian, each item aligned to its size); "standard" is `struct`'s
//! `<`, `>`, `!` and `=` (no alignment). Writing an int that does not fit keeps its low bytes,
//! as MicroPython 1.x does.

use alloc::string::String;

use pyrite_mpz::BigInt;

use crate::native::PyResult;
use crate::obj::int::{self, Int};
use crate::value::Obj;
use crate::vm::Vm;

/// The size of item code `tc` in the native layout (`standard` false) or the standard one,
/// or `None` for an unknown code.
pub fn item_size(tc: u8, standard: bool) -> Option<usize> {
    Some(match tc {
        b'b' | b'B' => 1,
        b'h' | b'H' | b'e' => 2,
        b'i' | b'I' | b'f' => 4,
        b'l' | b'L' if standard => 4,
        b'l' | b'L' | b'q' | b'Q' | b'd' | b'P' => 8,
        _ => return None,
    })
}

/// Whether item code `tc` holds a float.
pub fn is_float_code(tc: u8) -> bool {
    matches!(tc, b'e' | b'f' | b'd')
}

/// Reads the item of code `tc` stored in `bytes` (exactly its size).
pub fn decode(vm: &mut Vm, tc: u8, bytes: &[u8], little: bool) -> PyResult<Obj> {
    let mut raw = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(8) {
        let shift = if little { i } else { bytes.len() - 1 - i } * 8;
        raw |= (b as u64) << shift;
    }
    let bits = bytes.len() as u32 * 8;
    match tc {
        b'e' => vm.new_float(half_to_f64(raw as u16)),
        b'f' => vm.new_float(f32::from_bits(raw as u32) as f64),
        b'd' => vm.new_float(f64::from_bits(raw)),
        b'b' | b'h' | b'i' | b'l' | b'q' => {
            let v = if bits >= 64 {
                raw as i64
            } else {
                ((raw << (64 - bits)) as i64) >> (64 - bits)
            };
            vm.new_int(v)
        }
        _ => match i64::try_from(raw) {
            Ok(v) => vm.new_int(v),
            Err(_) => int::from_big(vm, BigInt::from_u64(raw)),
        },
    }
}

/// The bytes of value `v` as an item of code `tc` and `size` bytes (the first `size` bytes
/// of the result are meaningful).
pub fn encode(vm: &mut Vm, tc: u8, v: Obj, size: usize, little: bool) -> PyResult<[u8; 8]> {
    let raw: u64 = if is_float_code(tc) {
        let f = crate::obj::float::float_arg(vm, v)?;
        match tc {
            b'e' => f64_to_half(f) as u64,
            b'f' => (f as f32).to_bits() as u64,
            _ => f.to_bits(),
        }
    } else {
        match Int::of(vm, v) {
            Some(Int::Small(i)) => i as u64,
            Some(Int::Big(b)) => b.bitand(&BigInt::from_u64(u64::MAX)).to_u64().unwrap_or(0),
            None => {
                let t = String::from(vm.type_name(v));
                raise!(vm, TYPE_ERROR, "can't convert {} to int", t)
            }
        }
    };
    let mut out = [0u8; 8];
    let size = size.min(8);
    for (i, slot) in out.iter_mut().enumerate().take(size) {
        let shift = if little { i } else { size - 1 - i } * 8;
        *slot = (raw >> shift) as u8;
    }
    Ok(out)
}

/// IEEE half precision to double.
pub fn half_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = ((h >> 10) & 0x1f) as i32;
    let mant = (h & 0x3ff) as f64;
    sign * match exp {
        0 => libm::ldexp(mant, -24),
        0x1f if mant == 0.0 => f64::INFINITY,
        0x1f => f64::NAN,
        _ => libm::ldexp(1024.0 + mant, exp - 25),
    }
}

/// Double to IEEE half precision, rounding to nearest even; too large values become infinity.
pub fn f64_to_half(x: f64) -> u16 {
    let b = x.to_bits();
    let sign = ((b >> 48) & 0x8000) as u16;
    let exp = ((b >> 52) & 0x7ff) as i64;
    let mant = b & ((1u64 << 52) - 1);
    if exp == 0x7ff {
        return sign | 0x7c00 | if mant != 0 { 0x200 } else { 0 };
    }
    let e = exp - 1023 + 15;
    if e >= 0x1f {
        return sign | 0x7c00;
    }
    let (m, shift) = if e <= 0 {
        (mant | (1u64 << 52), (43 - e) as u32)
    } else {
        (mant, 42)
    };
    if shift >= 64 {
        return sign;
    }
    let mut h = (m >> shift) as u32;
    let rem = m & ((1u64 << shift) - 1);
    let halfway = 1u64 << (shift - 1);
    if rem > halfway || (rem == halfway && h & 1 == 1) {
        h += 1;
    }
    if e > 0 {
        h += (e as u32) << 10;
    }
    if h >= 0x7c00 {
        return sign | 0x7c00;
    }
    sign | h as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_round_trips() {
        for &x in &[
            0.0,
            1.0,
            -2.5,
            65504.0,
            6.103515625e-05,
            5.960464477539063e-08,
        ] {
            assert_eq!(half_to_f64(f64_to_half(x)), x);
        }
        assert_eq!(f64_to_half(1e6), 0x7c00);
        assert_eq!(f64_to_half(1.0 + 1.0 / 4096.0), 0x3c00);
    }
}
