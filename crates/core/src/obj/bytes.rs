//! `bytes` and `bytearray` (`memoryview` and the buffer protocol are in `memoryview.rs`).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use pyrite_compiler::bytecode::BinOp;

use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::value::Obj;
use crate::vm::Vm;

/// The bytes of a `bytes` or `bytearray` object (memoryviews go through `buffer_of`).
pub fn bytes_like(h: &HeapObj) -> Option<&[u8]> {
    match h {
        HeapObj::Bytes(b) => Some(b),
        HeapObj::ByteArray(b) => Some(b),
        _ => None,
    }
}

/// Whether `o` supports the buffer protocol.
pub fn is_bytes_like(vm: &Vm, o: Obj) -> bool {
    crate::obj::memoryview::typed_buffer(vm, o).is_some()
}

/// A copy of the bytes of any buffer (bytes, bytearray, memoryview, array).
pub fn buffer_of(vm: &mut Vm, o: Obj) -> PyResult<Vec<u8>> {
    use crate::obj::memoryview::typed_buffer;
    match typed_buffer(vm, o).map(|(_, b)| b.len()) {
        Some(len) => {
            // A working copy, only with room for it beside the heap.
            let mut copy: Vec<u8> = vm.scratch_for(len)?;
            if let Some((_, b)) = typed_buffer(vm, o) {
                copy.extend_from_slice(b);
            }
            Ok(copy)
        }
        None => {
            let t = String::from(vm.type_name(o));
            raise!(
                vm,
                TYPE_ERROR,
                "object with buffer protocol required, not {}",
                t
            )
        }
    }
}

/// Writes `repr(b)` for bytes: `b'...'`.
pub fn repr_bytes_into(b: &[u8], out: &mut String) {
    let q = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    out.push('b');
    out.push(q);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == q => {
                out.push('\\');
                out.push(q);
            }
            0x20..=0x7e => out.push(c as char),
            c => {
                let _ = write!(out, "\\x{:02x}", c);
            }
        }
    }
    out.push(q);
}

/// A new `bytes`.
pub fn new_bytes(vm: &mut Vm, b: Vec<u8>) -> PyResult<Obj> {
    vm.alloc(HeapObj::Bytes(b.into_boxed_slice()))
}

/// `bytes + bytes`, `bytes * n`.
pub fn bytes_binop(vm: &mut Vm, op: BinOp, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    let is_array = matches!(vm.heap.get(a), Some(HeapObj::ByteArray(_)));
    if op == BinOp::Add && !is_array {
        // Adding an empty `bytes` gives the other one back, without allocating.
        let empty = |o: Obj| matches!(vm.heap.get(o), Some(HeapObj::Bytes(v)) if v.is_empty());
        if matches!(vm.heap.get(b), Some(HeapObj::Bytes(_))) && (empty(a) || empty(b)) {
            return Ok(Some(if empty(a) { b } else { a }));
        }
    }
    let buffer = crate::obj::memoryview::typed_buffer;
    let r = match op {
        BinOp::Add => {
            if !is_bytes_like(vm, b) {
                return Ok(None);
            }
            let (Some((_, x)), Some((_, y))) = (buffer(vm, a), buffer(vm, b)) else {
                // The TypeError naming the operand that is not a buffer.
                buffer_of(vm, a)?;
                return buffer_of(vm, b).map(|_| None);
            };
            // Built once at its size, with room made for it in the heap first.
            let mut v: Vec<u8> = vm.buffer_for(x.len().saturating_add(y.len()))?;
            if let (Some((_, x)), Some((_, y))) = (buffer(vm, a), buffer(vm, b)) {
                v.extend_from_slice(x);
                v.extend_from_slice(y);
            }
            v
        }
        BinOp::Mul => {
            let x_len = buffer(vm, a).map_or(0, |(_, x)| x.len());
            let Some(n) = crate::obj::int::repeat_count(vm, b, x_len, 1)? else {
                return Ok(None);
            };
            let mut v: Vec<u8> = vm.buffer_for(x_len.saturating_mul(n))?;
            if let Some((_, x)) = buffer(vm, a) {
                (0..n).for_each(|_| v.extend_from_slice(x));
            }
            v
        }
        BinOp::Mod if !is_array => {
            let x = buffer_of(vm, a)?;
            return crate::obj::str_format::percent_format_bytes(vm, &x, b).map(Some);
        }
        _ => return Ok(None),
    };
    if is_array {
        vm.alloc(HeapObj::ByteArray(r)).map(Some)
    } else {
        new_bytes(vm, r).map(Some)
    }
}

/// `x in b`.
pub fn bytes_contains(vm: &mut Vm, b: Obj, x: Obj) -> PyResult<bool> {
    let hay = buffer_of(vm, b)?;
    if let Some(i) = x.as_small_int() {
        if !(0..256).contains(&i) {
            raise!(vm, VALUE_ERROR, "byte must be in range(0, 256)");
        }
        return Ok(hay.contains(&(i as u8)));
    }
    let needle = buffer_of(vm, x)?;
    Ok(needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle))
}

/// `ba += iterable`.
pub fn bytearray_extend_obj(vm: &mut Vm, a: Obj, b: Obj) -> PyResult<()> {
    let extra = if is_bytes_like(vm, b) {
        buffer_of(vm, b)?
    } else {
        let items = vm.iter_to_vec(b)?;
        let mut v = Vec::with_capacity(items.len());
        for it in items {
            v.push(byte_value(vm, it)?);
        }
        v
    };
    vm.grow_owned(a, extra.len(), bytearray_vec)?;
    if let Some(HeapObj::ByteArray(v)) = vm.heap.get_mut(a) {
        v.extend_from_slice(&extra);
    }
    Ok(())
}

/// A bytearray's bytes (for [`Vm::grow_owned`]).
fn bytearray_vec(h: &mut HeapObj) -> Option<&mut Vec<u8>> {
    match h {
        HeapObj::ByteArray(b) => Some(b),
        _ => None,
    }
}

/// An int in `range(256)`.
pub fn byte_value(vm: &mut Vm, o: Obj) -> PyResult<u8> {
    let v = vm.index_value(o)?;
    if !(0..256).contains(&v) {
        raise!(vm, VALUE_ERROR, "bytes value out of range");
    }
    Ok(v as u8)
}

/// `b[k]`.
pub fn bytes_getitem(vm: &mut Vm, o: Obj, k: Obj) -> PyResult<Obj> {
    let data = buffer_of(vm, o)?;
    if matches!(vm.heap.get(k), Some(HeapObj::Slice(..))) {
        let si = vm.slice_indices(k, data.len())?;
        let out: Vec<u8> = (0..si.len).map(|i| data[si.index(i)]).collect();
        return match vm.heap.get(o) {
            Some(HeapObj::ByteArray(_)) => vm.alloc(HeapObj::ByteArray(out)),
            _ => new_bytes(vm, out),
        };
    }
    let i = vm.seq_index(k, data.len(), "bytes")?;
    Ok(Obj::small_int_unchecked(data[i] as i32))
}

/// `ba[k] = v`.
pub fn bytes_setitem(vm: &mut Vm, o: Obj, k: Obj, v: Obj) -> PyResult<()> {
    let (target, offset, len) = match vm.heap.get(o) {
        Some(HeapObj::ByteArray(b)) => (o, 0, b.len()),
        _ => raise!(vm, TYPE_ERROR, "object doesn't support item assignment"),
    };
    if matches!(vm.heap.get(k), Some(HeapObj::Slice(..))) {
        let si = vm.slice_indices(k, len)?;
        let new = if is_bytes_like(vm, v) {
            buffer_of(vm, v)?
        } else {
            let items = vm.iter_to_vec(v)?;
            let mut out = Vec::new();
            for it in items {
                out.push(byte_value(vm, it)?);
            }
            out
        };
        if si.step == 1 && target == o {
            vm.grow_owned(target, new.len().saturating_sub(si.len), bytearray_vec)?;
        }
        if let Some(HeapObj::ByteArray(b)) = vm.heap.get_mut(target) {
            if si.step == 1 && target == o {
                let s = si.start as usize;
                b.splice(s..s + si.len, new);
                return Ok(());
            }
            if new.len() != si.len {
                raise!(vm, VALUE_ERROR, "attempt to assign sequence of wrong size");
            }
            for (i, x) in new.into_iter().enumerate() {
                let j = offset + si.index(i);
                if j < b.len() {
                    b[j] = x;
                }
            }
        }
        return Ok(());
    }
    let i = vm.seq_index(k, len, "bytearray")?;
    let x = byte_value(vm, v)?;
    if let Some(HeapObj::ByteArray(b)) = vm.heap.get_mut(target) {
        if offset + i < b.len() {
            b[offset + i] = x;
        }
    }
    Ok(())
}

/// `del ba[k]`.
pub fn bytearray_delitem(vm: &mut Vm, o: Obj, k: Obj) -> PyResult<()> {
    let len = match vm.heap.get(o) {
        Some(HeapObj::ByteArray(b)) => b.len(),
        _ => 0,
    };
    if matches!(vm.heap.get(k), Some(HeapObj::Slice(..))) {
        let si = vm.slice_indices(k, len)?;
        let doomed: Vec<usize> = (0..si.len).map(|i| si.index(i)).collect();
        if let Some(HeapObj::ByteArray(b)) = vm.heap.get_mut(o) {
            let mut i = 0;
            b.retain(|_| {
                let keep = !doomed.contains(&i);
                i += 1;
                keep
            });
        }
        return Ok(());
    }
    let i = vm.seq_index(k, len, "bytearray")?;
    if let Some(HeapObj::ByteArray(b)) = vm.heap.get_mut(o) {
        b.remove(i);
    }
    Ok(())
}

/// The bytes for `bytes(x)`/`bytearray(x)`.
fn bytes_from_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<Vec<u8>> {
    let Some(&x) = args.first() else {
        return Ok(Vec::new());
    };
    if args.len() > 3 {
        raise!(
            vm,
            TYPE_ERROR,
            "function expected at most 3 arguments, got {}",
            args.len()
        );
    }
    if let Some(s) = vm.str_of(x) {
        let Some(&encoding) = args.get(1) else {
            raise!(vm, TYPE_ERROR, "string argument without an encoding");
        };
        let s = String::from(s);
        return crate::obj::str::encode(vm, &s, encoding);
    }
    if args.len() > 1 {
        raise!(vm, TYPE_ERROR, "wrong number of arguments");
    }
    if x.is_small_int() || matches!(vm.heap.get(x), Some(HeapObj::BigInt(_))) {
        // A count of zero bytes: `OverflowError` past a machine word, else `MemoryError` when
        // the heap cannot hold it.
        let n = vm.index_value(x)?;
        if n < 0 {
            raise!(vm, VALUE_ERROR, "negative count");
        }
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        if n > vm.heap.limit() {
            return Err(vm.memory_error());
        }
        vm.charge(n)?;
        return Ok(alloc::vec![0; n]);
    }
    if is_bytes_like(vm, x) {
        return buffer_of(vm, x);
    }
    let items = vm.iter_to_vec(x)?;
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        out.push(byte_value(vm, it)?);
    }
    Ok(out)
}

/// `bytes(...)`.
pub fn bytes_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if let Some(&x) = args.first() {
        if matches!(vm.heap.get(x), Some(HeapObj::Bytes(_))) && args.len() == 1 {
            return Ok(x);
        }
    }
    let b = bytes_from_arg(vm, args)?;
    new_bytes(vm, b)
}

/// `bytearray(...)`.
pub fn bytearray_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let b = bytes_from_arg(vm, args)?;
    vm.alloc(HeapObj::ByteArray(b))
}

fn bytes_decode(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    crate::obj::strbytes::arity(vm, args, 1, 3)?;
    let b = buffer_of(vm, args[0])?;
    let encoding = match args.get(1) {
        Some(&e) => e,
        None => vm.new_str("utf-8")?,
    };
    crate::obj::str::decode(vm, &b, encoding, args.get(2).copied())
}

/// The lowercase hex digits.
pub const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// `b.hex([sep])` for any buffer: two lowercase hex digits per byte, the first character of
/// `sep` between.
pub fn bytes_hex(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    crate::obj::strbytes::arity(vm, args, 1, 2)?;
    let b = buffer_of(vm, args[0])?;
    let sep = match args.get(1) {
        Some(&o) => crate::obj::str::str_arg(vm, o)?.chars().next(),
        None => None,
    };
    let mut s = String::with_capacity(b.len() * 3);
    for (i, x) in b.iter().enumerate() {
        if let Some(c) = sep.filter(|_| i > 0) {
            s.push(c);
        }
        s.push(char::from(HEX_DIGITS[usize::from(x >> 4)]));
        s.push(char::from(HEX_DIGITS[usize::from(x & 15)]));
    }
    vm.new_string(s)
}

/// `bytes.fromhex(s)` / `bytearray.fromhex(s)`: pairs of hex digits, whitespace between pairs.
fn bytes_fromhex(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    crate::obj::strbytes::arity(vm, args, 2, 2)?;
    let out = unhex(vm, args[1])?;
    if args[0] == Obj::builtin_type(crate::types::ty::BYTEARRAY) {
        vm.alloc(HeapObj::ByteArray(out))
    } else {
        new_bytes(vm, out)
    }
}

/// The bytes of a text of hex-digit pairs (a `str` or a buffer), whitespace allowed between
/// pairs: `bytes.fromhex` and `binascii.unhexlify`.
pub fn unhex(vm: &mut Vm, src: Obj) -> PyResult<Vec<u8>> {
    let text = match vm.str_of(src) {
        Some(s) => s.as_bytes().to_vec(),
        None => buffer_of(vm, src)?,
    };
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut digits = text.iter();
    while let Some(&hi) = digits.next() {
        if crate::obj::strbytes::is_space(hi) {
            continue;
        }
        let lo = digits.next().copied().unwrap_or(b' ');
        match ((hi as char).to_digit(16), (lo as char).to_digit(16)) {
            (Some(h), Some(l)) => out.push((h << 4 | l) as u8),
            _ => raise!(vm, VALUE_ERROR, "non-hex digit"),
        }
    }
    Ok(out)
}

fn bytearray_append(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (Some(&a), Some(&v)) = (args.first(), args.get(1)) else {
        raise!(vm, TYPE_ERROR, "append() takes exactly one argument");
    };
    let x = byte_value(vm, v)?;
    vm.grow_owned(a, 1, bytearray_vec)?;
    if let Some(HeapObj::ByteArray(b)) = vm.heap.get_mut(a) {
        b.push(x);
    }
    Ok(Obj::NONE)
}

fn bytearray_extend(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (Some(&a), Some(&v)) = (args.first(), args.get(1)) else {
        raise!(vm, TYPE_ERROR, "extend() takes exactly one argument");
    };
    bytearray_extend_obj(vm, a, v)?;
    Ok(Obj::NONE)
}

crate::text_method_table!(pub BYTES_METHODS = [
    ("decode", bytes_decode),
    ("format", crate::obj::str_format::text_format),
    ("fromhex", bytes_fromhex, ClassMethod),
    ("hex", bytes_hex),
]);

crate::text_method_table!(pub BYTEARRAY_METHODS = [
    ("append", bytearray_append),
    ("decode", bytes_decode),
    ("extend", bytearray_extend),
    ("format", crate::obj::str_format::text_format),
    ("fromhex", bytes_fromhex, ClassMethod),
    ("hex", bytes_hex),
]);
