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
    let q = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
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
    let x = String::from(vm.str_of(a).unwrap_or(""));
    match op {
        BinOp::Add => {
            let Some(y) = vm.str_of(b) else {
                return Ok(None);
            };
            let mut s = x;
            s.push_str(y);
            vm.new_string(s).map(Some)
        }
        BinOp::Mul => {
            let Some(n) = crate::obj::int::Int::of(vm, b) else {
                return Ok(None);
            };
            let n = match n {
                crate::obj::int::Int::Small(n) => n.max(0) as usize,
                _ => return Err(vm.memory_error()),
            };
            if x.len().saturating_mul(n) > vm.heap.limit() {
                return Err(vm.memory_error());
            }
            vm.new_string(x.repeat(n)).map(Some)
        }
        BinOp::Mod => crate::obj::str_format::percent_format(vm, &x, b).map(Some),
        _ => Ok(None),
    }
}

/// `str(o)`, `str(bytes, encoding)`.
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
        [o, ..] => {
            let b = crate::obj::bytes::buffer_of(vm, *o)?;
            match core::str::from_utf8(&b) {
                Ok(s) => vm.new_str(s),
                Err(_) => raise!(vm, UNICODE_ERROR, ""),
            }
        }
    }
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
    raise!(vm, TYPE_ERROR, "descriptor requires a 'str' object")
}

/// A `str` argument.
pub fn str_arg(vm: &mut Vm, o: Obj) -> PyResult<String> {
    match vm.str_of(o) {
        Some(s) => Ok(String::from(s)),
        None => {
            let t = String::from(vm.type_name(o));
            raise!(vm, TYPE_ERROR, "can't convert '{}' object to str implicitly", t)
        }
    }
}

fn str_join(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let sep = self_str(vm, args)?;
    let Some(&it) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "join() takes exactly one argument");
    };
    let items = vm.iter_to_vec(it)?;
    let mut out = String::new();
    for (i, o) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        match vm.str_of(o) {
            Some(s) => out.push_str(s),
            None => raise!(vm, TYPE_ERROR, "join expects a list of str/bytes objects consistent with self object"),
        }
    }
    vm.new_string(out)
}

fn str_format_m(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let fmt = self_str(vm, args)?;
    let s = crate::obj::str_format::format_method(vm, &fmt, &args[1..], kw)?;
    vm.new_string(s)
}

crate::native_table!(pub METHODS = [
    ("format", str_format_m),
    ("join", str_join),
]);
