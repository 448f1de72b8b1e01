//! `binascii`: hex and base64 conversions and CRC-32, as MicroPython's `binascii`.

use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::obj::bytes::{buffer_of, new_bytes, HEX_DIGITS};
use crate::obj::int::Int;
use crate::obj::strbytes::arity;
use crate::value::Obj;
use crate::vm::Vm;

crate::native_table!(pub FUNCTIONS = [
    ("a2b_base64", binascii_a2b_base64),
    ("b2a_base64", binascii_b2a_base64),
    ("crc32", binascii_crc32),
    ("hexlify", binascii_hexlify),
    ("unhexlify", binascii_unhexlify),
]);

/// Names of the module's other attributes (none).
pub static ATTR_NAMES: &[&str] = &[];

/// The module's other attributes (none).
pub fn module_attr(_vm: &mut Vm, _name: &str) -> PyResult<Option<Obj>> {
    Ok(None)
}

/// The base64 alphabet.
const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `hexlify(data[, sep])`: bytes of two lowercase hex digits per byte, the first byte of `sep`
/// between them.
fn binascii_hexlify(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 2)?;
    let data = buffer_of(vm, args[0])?;
    let sep = match args.get(1) {
        Some(&s) => match vm.str_of(s) {
            Some(t) => t.as_bytes().first().copied(),
            None => buffer_of(vm, s)?.first().copied(),
        },
        None => None,
    };
    let mut out = Vec::with_capacity(data.len().saturating_mul(3));
    for (i, b) in data.iter().enumerate() {
        if let Some(c) = sep.filter(|_| i > 0) {
            out.push(c);
        }
        out.push(HEX_DIGITS[usize::from(b >> 4)]);
        out.push(HEX_DIGITS[usize::from(b & 15)]);
    }
    new_bytes(vm, out)
}

/// `unhexlify(data)`: the bytes of pairs of hex digits.
fn binascii_unhexlify(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 1)?;
    let out = crate::obj::bytes::unhex(vm, args[0])?;
    new_bytes(vm, out)
}

/// The value of a base64 digit (not the pad).
fn sextet(c: u8) -> Option<u32> {
    B64.iter().position(|&d| d == c).map(|p| p as u32)
}

/// `a2b_base64(data)`: decodes base64, skipping characters outside the alphabet.
fn binascii_a2b_base64(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 1)?;
    let text = match vm.str_of(args[0]) {
        Some(s) => s.as_bytes().to_vec(),
        None => buffer_of(vm, args[0])?,
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 1);
    let mut acc: u32 = 0;
    let mut nbits = 0;
    let mut had_pad = false;
    for &c in &text {
        if c == b'=' {
            if nbits == 2 || (nbits == 4 && had_pad) {
                nbits = 0;
                break;
            }
            had_pad = true;
        }
        let Some(v) = sextet(c) else { continue };
        had_pad = false;
        acc = (acc << 6 | v) & 0xff_ffff;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((acc >> nbits) as u8);
        }
    }
    if nbits != 0 {
        raise!(vm, VALUE_ERROR, "incorrect padding");
    }
    new_bytes(vm, out)
}

/// `b2a_base64(data, *, newline=True)`: base64 with padding, and a newline unless told not to.
fn binascii_b2a_base64(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 1)?;
    let mut newline = true;
    for &(k, v) in kw {
        if vm.qstr_str(k) != "newline" {
            let k = alloc::string::String::from(vm.qstr_str(k));
            raise!(vm, TYPE_ERROR, "unexpected keyword argument '{}'", k);
        }
        newline = vm.truthy(v)?;
    }
    let data = buffer_of(vm, args[0])?;
    let mut out = Vec::with_capacity(data.len().div_ceil(3).saturating_mul(4) + 1);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
    if newline {
        out.push(b'\n');
    }
    new_bytes(vm, out)
}

/// The CRC-32 (IEEE 802.3, reflected) of `data`, continuing from `crc`.
pub fn crc32(data: &[u8], crc: u32) -> u32 {
    !super::deflate_codec::crc32_update(!crc, data)
}

/// The low 32 bits of an int, as MicroPython's `mp_obj_get_int_truncated`.
fn low_u32(vm: &mut Vm, o: Obj) -> PyResult<u32> {
    match Int::of(vm, o) {
        Some(Int::Small(v)) => Ok(v as u32),
        Some(Int::Big(b)) => {
            let m = pyrite_mpz::BigInt::from_u64(1 << 32);
            let low = b
                .divmod_floor(&m)
                .and_then(|(_, r)| r.to_i64())
                .unwrap_or(0);
            Ok(low as u32)
        }
        None => {
            let t = alloc::string::String::from(vm.type_name(o));
            raise!(vm, TYPE_ERROR, "can't convert {} to int", t)
        }
    }
}

/// `crc32(data[, value])`.
fn binascii_crc32(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 2)?;
    let data = buffer_of(vm, args[0])?;
    let start = match args.get(1) {
        Some(&v) => low_u32(vm, v)?,
        None => 0,
    };
    vm.new_int(i64::from(crc32(&data, start)))
}
