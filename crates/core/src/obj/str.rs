//! `str`: immutable Unicode text, stored as UTF-8.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use pyrite_compiler::bytecode::BinOp;

use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::value::Obj;
use crate::vm::Vm;

/// Writes `repr(s)`: single quotes unless the text has single quotes and no double quotes.
pub fn repr_str_into(s: &str, out: &mut String) {
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(q);
}

/// `ascii(s)` applied to an already computed repr: non-ASCII characters escaped.
pub fn ascii_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
        } else if n < 0x100 {
            let _ = write!(out, "\\x{:02x}", n);
        } else if n < 0x10000 {
            let _ = write!(out, "\\u{:04x}", n);
        } else {
            let _ = write!(out, "\\U{:08x}", n);
        }
    }
    out
}

/// `s[k]` for a str.
pub fn str_getitem(vm: &mut Vm, s: &str, k: Obj) -> PyResult<Obj> {
    let ascii = s.is_ascii();
    let len = if ascii { s.len() } else { s.chars().count() };
    if matches!(vm.heap.get(k), Some(HeapObj::Slice(..))) {
        let si = vm.slice_indices(k, len)?;
        let mut out = String::new();
        if ascii {
            let b = s.as_bytes();
            for i in 0..si.len {
                out.push(b[si.index(i)] as char);
            }
        } else {
            let chars: Vec<char> = s.chars().collect();
            for i in 0..si.len {
                out.push(chars[si.index(i)]);
            }
        }
        return vm.new_string(out);
    }
    let i = vm.seq_index(k, len, "string")?;
    let c = if ascii {
        s.as_bytes()[i] as char
    } else {
        s.chars().nth(i).unwrap_or(' ')
    };
    let mut buf = [0u8; 4];
    vm.new_str(c.encode_utf8(&mut buf))
}

/// `str + str`, `str * n`, `str % args`.
pub fn str_binop(vm: &mut Vm, op: BinOp, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    let x_len = vm.str_of(a).map_or(0, str::len);
    match op {
        BinOp::Add => {
            let Some(y_len) = vm.str_of(b).map(str::len) else {
                return Ok(None);
            };
            // Adding an empty string gives the other one back, without allocating.
            if vm.str_of(a).is_some() && (x_len == 0 || y_len == 0) {
                return Ok(Some(if x_len == 0 { b } else { a }));
            }
            // Built once at its size, with room for it made in the heap first.
            let mut s: String = vm.buffer_for(x_len.saturating_add(y_len))?;
            s.push_str(vm.str_of(a).unwrap_or(""));
            s.push_str(vm.str_of(b).unwrap_or(""));
            vm.new_string(s).map(Some)
        }
        BinOp::Mul => {
            let Some(n) = crate::obj::int::repeat_count(vm, b, x_len, 1)? else {
                return Ok(None);
            };
            let mut s: String = vm.buffer_for(x_len.saturating_mul(n))?;
            let x = vm.str_of(a).unwrap_or("");
            (0..n).for_each(|_| s.push_str(x));
            vm.new_string(s).map(Some)
        }
        BinOp::Mod => {
            let x = String::from(vm.str_of(a).unwrap_or(""));
            crate::obj::str_format::percent_format(vm, &x, b).map(Some)
        }
        _ => Ok(None),
    }
}

/// `str(o)`, `str(bytes, encoding[, errors])`.
pub fn str_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    match args {
        [] => vm.new_str(""),
        [o] => {
            if vm.str_of(*o).is_some() {
                return Ok(*o);
            }
            let s = vm.to_str(*o)?;
            vm.new_string(s)
        }
        [o, encoding, rest @ ..] => {
            if rest.len() > 1 {
                raise!(
                    vm,
                    TYPE_ERROR,
                    "function expected at most 3 arguments, got {}",
                    args.len()
                );
            }
            let b = crate::obj::bytes::buffer_of(vm, *o)?;
            decode(vm, &b, *encoding, rest.first().copied())
        }
    }
}

/// Whether `encoding` names UTF-8 (else ASCII); `LookupError` for any other.
fn is_utf8_encoding(vm: &mut Vm, encoding: Obj) -> PyResult<bool> {
    let name = str_arg(vm, encoding)?;
    match name.as_str() {
        "utf-8" | "utf8" => Ok(true),
        "ascii" => Ok(false),
        _ => raise!(vm, LOOKUP_ERROR, "unknown encoding: {}", name),
    }
}

/// Decodes `data` as `bytes.decode(encoding, errors)` does: invalid input is a `UnicodeError`
/// unless `errors` is `'ignore'` (drop it) or `'replace'` (U+FFFD for each bad sequence).
pub fn decode(vm: &mut Vm, data: &[u8], encoding: Obj, errors: Option<Obj>) -> PyResult<Obj> {
    let utf8 = is_utf8_encoding(vm, encoding)?;
    if utf8 || data.is_ascii() {
        if let Ok(s) = core::str::from_utf8(data) {
            return vm.new_str(s);
        }
    }
    let errors = match errors {
        Some(e) if e != Obj::NONE => str_arg(vm, e)?,
        _ => String::new(),
    };
    let replace = match errors.as_str() {
        "replace" => true,
        "ignore" => false,
        _ => raise!(vm, UNICODE_ERROR, ""),
    };
    let mut out = String::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        i += 1;
        if c < 0x80 {
            out.push(c as char);
            continue;
        }
        let need = match c {
            0xc0..=0xdf => 1,
            0xe0..=0xef => 2,
            0xf0..=0xf7 => 3,
            _ => 0,
        };
        if utf8 && need > 0 {
            let mut code = u32::from(c) & (0x7f >> need);
            let mut got = 0;
            while got < need && i < data.len() && data[i] & 0xc0 == 0x80 {
                code = code << 6 | u32::from(data[i] & 0x3f);
                got += 1;
                i += 1;
            }
            if got == need {
                out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                continue;
            }
        }
        if replace {
            out.push(char::REPLACEMENT_CHARACTER);
        }
    }
    vm.new_string(out)
}

/// The bytes of `s` in `encoding` (UTF-8 or ASCII): `UnicodeError` when ASCII cannot hold it.
pub fn encode(vm: &mut Vm, s: &str, encoding: Obj) -> PyResult<Vec<u8>> {
    if !is_utf8_encoding(vm, encoding)? && !s.is_ascii() {
        raise!(vm, UNICODE_ERROR, "");
    }
    Ok(s.as_bytes().to_vec())
}

/// `str.encode(encoding='utf-8', errors)`.
fn str_encode(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    crate::obj::strbytes::arity(vm, args, 1, 3)?;
    let s = self_str(vm, args)?;
    let b = match args.get(1) {
        Some(&e) => encode(vm, &s, e)?,
        None => s.into_bytes(),
    };
    crate::obj::bytes::new_bytes(vm, b)
}

/// The text of `args[0]` for a str method.
pub fn self_str(vm: &mut Vm, args: &[Obj]) -> PyResult<String> {
    let o = args.first().copied().unwrap_or(Obj::NONE);
    if let Some(s) = vm.str_of(o) {
        return Ok(String::from(s));
    }
    if let Some(n) = vm.native_payload(o) {
        if let Some(s) = vm.str_of(n) {
            return Ok(String::from(s));
        }
    }
    let t = String::from(vm.type_name(o));
    raise!(vm, TYPE_ERROR, "argument should be a 'str' not a '{}'", t)
}

/// A `str` argument.
pub fn str_arg(vm: &mut Vm, o: Obj) -> PyResult<String> {
    let Some(len) = vm.str_of(o).map(str::len) else {
        return Err(crate::obj::strbytes::implicit_conversion_error(vm, o));
    };
    // A working copy, only with room for it beside the heap.
    let mut copy: String = vm.scratch_for(len)?;
    copy.push_str(vm.str_of(o).unwrap_or_default());
    Ok(copy)
}

crate::text_method_table!(pub METHODS = [
    ("encode", str_encode),
    ("format", crate::obj::str_format::text_format),
]);
