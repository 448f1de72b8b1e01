//! `repr()`, `str()` and `format()` of every value.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::native::PyResult;
use crate::object::{GenKind, HeapObj};
use crate::qstr::q;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// The deepest nesting `repr` follows.
const MAX_REPR_DEPTH: usize = 100;

impl Vm {
    /// `repr(o)`.
    pub fn repr(&mut self, o: Obj) -> PyResult<String> {
        let mut out = String::new();
        let mut seen = Vec::new();
        self.repr_into(o, &mut out, &mut seen)?;
        Ok(out)
    }

    /// `str(o)`.
    pub fn to_str(&mut self, o: Obj) -> PyResult<String> {
        if let Some(s) = self.str_of(o) {
            return Ok(String::from(s));
        }
        match self.heap.get(o) {
            Some(HeapObj::Exception(_)) if !self.has_user_method(o, q::__str__) => {
                return Ok(self.exc_message(o));
            }
            Some(HeapObj::Instance(_)) | Some(HeapObj::Exception(_)) => {
                if let Some(r) = self.call_special(o, q::__str__, &[])? {
                    return self.str_result(r, "__str__");
                }
                if let Some(n) = self.native_payload(o) {
                    if !self.has_user_method(o, q::__repr__)
                        && !crate::obj::dict::is_dict_view(self, o)
                        && !crate::modules::collections::is_ordereddict(self, o)
                    {
                        return self.to_str(n);
                    }
                }
            }
            _ => {}
        }
        self.repr(o)
    }

    fn has_user_method(&self, o: Obj, name: crate::qstr::Qstr) -> bool {
        let cls = self.type_of(o);
        cls.as_builtin_type().is_none()
            && self
                .class_lookup(cls, name)
                .is_some_and(|m| crate::native::native_of(m).is_none())
    }

    fn str_result(&mut self, r: Obj, what: &str) -> PyResult<String> {
        match self.str_of(r) {
            Some(s) => Ok(String::from(s)),
            None => raise!(self, TYPE_ERROR, "{} returned non-string", what),
        }
    }

    fn repr_into(&mut self, o: Obj, out: &mut String, seen: &mut Vec<Obj>) -> PyResult<()> {
        // The text grows beside the heap: only with room in the arena.
        self.reserve_beside(out, 32)?;
        if let Some(i) = o.as_small_int() {
            let _ = write!(out, "{}", i);
            return Ok(());
        }
        if let Some(q) = o.as_qstr() {
            let s = String::from(self.qstr_str(q));
            crate::obj::str::repr_str_into(&s, out);
            return Ok(());
        }
        match o {
            Obj::NONE => {
                out.push_str("None");
                return Ok(());
            }
            Obj::TRUE => {
                out.push_str("True");
                return Ok(());
            }
            Obj::FALSE => {
                out.push_str("False");
                return Ok(());
            }
            Obj::ELLIPSIS => {
                out.push_str("Ellipsis");
                return Ok(());
            }
            Obj::NOT_IMPLEMENTED => {
                out.push_str("NotImplemented");
                return Ok(());
            }
            _ => {}
        }
        if let Some(t) = o.as_builtin_type() {
            let _ = write!(out, "<class '{}'>", crate::types::info(t).name);
            return Ok(());
        }
        if let Some(n) = crate::native::native_of(o) {
            let _ = write!(out, "<function {}>", n.name_str());
            return Ok(());
        }
        if let Some(m) = o.as_builtin_module() {
            if let Some(fd) = crate::modules::sys::stream_fd(m) {
                let _ = write!(out, "<io.TextIOWrapper {}>", fd);
                return Ok(());
            }
            let _ = write!(out, "<module '{}'>", crate::modules::module_name(m));
            return Ok(());
        }
        if seen.len() > MAX_REPR_DEPTH {
            raise!(self, RUNTIME_ERROR, "maximum recursion depth exceeded");
        }
        if let Some(HeapObj::BigInt(b)) = self.heap.get(o) {
            // The text takes about 0.3 bytes a bit: refuse what the heap could not hold.
            let bits = b.bit_length().saturating_mul(3) / 10 * 8;
            self.roots.push(o);
            let fits = crate::obj::int::bits_fit(self, bits);
            self.roots.pop();
            if !fits {
                return Err(self.memory_error());
            }
        }
        let Some(h) = self.heap.get(o) else {
            out.push_str("<?>");
            return Ok(());
        };
        match h {
            HeapObj::Str(s) => {
                let s = String::from(&*s.s);
                self.reserve_beside(out, s.len().saturating_add(2))?;
                crate::obj::str::repr_str_into(&s, out);
            }
            HeapObj::Float(f) => crate::obj::float::float_repr(*f, out),
            HeapObj::Complex(re, im) => pyrite_numfmt::complex_repr(*re, *im, out),
            HeapObj::BigInt(b) => out.push_str(&b.to_str_radix(10, false)),
            HeapObj::Bytes(b) => crate::obj::bytes::repr_bytes_into(b, out),
            HeapObj::ByteArray(b) => {
                out.push_str("bytearray(");
                crate::obj::bytes::repr_bytes_into(b, out);
                out.push(')');
            }
            HeapObj::List(l) => {
                let items = l.clone();
                self.repr_seq(o, "[", &items, "]", out, seen)?;
            }
            HeapObj::Tuple(t) => {
                let items = t.to_vec();
                let close = if items.len() == 1 { ",)" } else { ")" };
                self.repr_seq(o, "(", &items, close, out, seen)?;
            }
            HeapObj::Dict(d) => {
                let items: Vec<(Obj, Obj)> = d.iter().map(|e| (e.key, e.value)).collect();
                if seen.contains(&o) {
                    out.push_str("{...}");
                    return Ok(());
                }
                seen.push(o);
                out.push('{');
                for (i, (k, v)) in items.into_iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.repr_into(k, out, seen)?;
                    out.push_str(": ");
                    self.repr_into(v, out, seen)?;
                }
                out.push('}');
                seen.pop();
            }
            HeapObj::Set(d, frozen) => {
                let frozen = *frozen;
                let items: Vec<Obj> = d.iter().map(|e| e.key).collect();
                if items.is_empty() {
                    out.push_str(if frozen { "frozenset()" } else { "set()" });
                    return Ok(());
                }
                if frozen {
                    out.push_str("frozenset(");
                }
                self.repr_seq(o, "{", &items, "}", out, seen)?;
                if frozen {
                    out.push(')');
                }
            }
            HeapObj::Range(r) => {
                let r = **r;
                if r.step == 1 {
                    let _ = write!(out, "range({}, {})", r.start, r.stop);
                } else {
                    let _ = write!(out, "range({}, {}, {})", r.start, r.stop, r.step);
                }
            }
            HeapObj::Slice(a, b, c) => {
                let (a, b, c) = (*a, *b, *c);
                out.push_str("slice(");
                self.repr_into(a, out, seen)?;
                out.push_str(", ");
                self.repr_into(b, out, seen)?;
                out.push_str(", ");
                self.repr_into(c, out, seen)?;
                out.push(')');
            }
            HeapObj::MemoryView(..) => {
                let _ = write!(out, "<memoryview>");
            }
            HeapObj::Cell(_) => out.push_str("<cell>"),
            HeapObj::Code(_) => out.push_str("<code>"),
            HeapObj::Function(f) => {
                let _ = write!(
                    out,
                    "<function {} at 0x{:x}>",
                    self.qstr_str(f.name),
                    o.bits()
                );
            }
            HeapObj::BoundMethod(s, f) => {
                let (s, f) = (*s, *f);
                let fname = match self.heap.get(f) {
                    Some(HeapObj::Function(func)) => String::from(self.qstr_str(func.name)),
                    _ => String::from("?"),
                };
                let cname = String::from(self.type_name(s));
                let _ = write!(out, "<bound_method {}.{}>", cname, fname);
            }
            HeapObj::NativeBound(_, f) => {
                let name = crate::native::native_of(*f).map_or("?", |n| n.name_str());
                let _ = write!(out, "<bound_method {}>", name);
            }
            HeapObj::Class(c) => {
                let _ = write!(out, "<class '{}'>", self.qstr_str(c.name));
            }
            HeapObj::Module(m) => {
                let _ = write!(out, "<module '{}'>", self.qstr_str(m.name));
            }
            HeapObj::Generator(g) => {
                let kind = match g.kind {
                    GenKind::Generator => "generator",
                    GenKind::Coroutine => "coroutine",
                    GenKind::AsyncGenerator => "async_generator",
                };
                let _ = write!(
                    out,
                    "<{} object '{}' at 0x{:x}>",
                    kind,
                    self.qstr_str(g.name),
                    o.bits()
                );
            }
            HeapObj::Property(..) => {
                let _ = write!(out, "<property>");
            }
            HeapObj::StaticMethod(_) => out.push_str("<staticmethod>"),
            HeapObj::ClassMethod(_) => out.push_str("<classmethod>"),
            &HeapObj::Super(t, o) => {
                out.push_str("<super: ");
                self.repr_into(t, out, seen)?;
                out.push_str(", ");
                let s = self.to_str(o)?;
                out.push_str(&s);
                out.push('>');
            }
            HeapObj::Iter(_) => {
                let t = String::from(self.type_name(o));
                let _ = write!(out, "<{} object at 0x{:x}>", t, o.bits());
            }
            HeapObj::Array(_) => {
                let s = crate::modules::array::array_repr(self, o)?;
                out.push_str(&s);
            }
            HeapObj::StringIo(_) => out.push_str(crate::modules::io::io_repr(self, o)),
            HeapObj::UStruct(_) => out.push_str(&crate::modules::uctypes::struct_repr(self, o)),
            HeapObj::FrameBuf(_) => out.push_str("<FrameBuffer>"),
            HeapObj::Hash(_) => {
                let t = String::from(self.type_name(o));
                let _ = write!(out, "<{}>", t);
            }
            HeapObj::Regex(_) => {
                let _ = write!(out, "<re {:x}>", o.bits());
            }
            HeapObj::ReMatch(_) => out.push_str(&crate::modules::re::match_repr(self, o)),
            HeapObj::Poll(_) => out.push_str("<poll>"),
            HeapObj::Deflate(_) => out.push_str("<DeflateIO>"),
            HeapObj::RingIo(_) => out.push_str("<RingIO>"),
            HeapObj::Machine(_) => crate::modules::machine::repr_into(self, o, out),
            HeapObj::File(f) => out.push_str(&crate::vfs::file::file_repr(f)),
            HeapObj::Vfs(v) => out.push_str(&crate::vfs::fs::vfs_repr(v)),
            HeapObj::Deque(_) => {
                let t = String::from(self.type_name(o));
                let _ = write!(out, "<{} object at {:x}>", t, o.bits());
            }
            HeapObj::Exception(_) | HeapObj::Instance(_) => {
                if !self.has_user_method(o, q::__repr__) {
                    if let Some(s) = crate::obj::dict::view_repr(self, o)? {
                        out.push_str(&s);
                        return Ok(());
                    }
                    if let Some(s) = crate::modules::collections::ordereddict_repr(self, o)? {
                        out.push_str(&s);
                        return Ok(());
                    }
                }
                if self.has_user_method(o, q::__repr__) {
                    let r = self.call_special(o, q::__repr__, &[])?.unwrap_or(Obj::NONE);
                    let s = self.str_result(r, "__repr__")?;
                    out.push_str(&s);
                    return Ok(());
                }
                if self.is_exception(o) {
                    let name = self.exc_name(o);
                    out.push_str(&name);
                    let args = match self.heap.get(o) {
                        Some(HeapObj::Exception(e)) => e.args,
                        _ => Obj::NULL,
                    };
                    if args.is_null() {
                        out.push_str("()");
                    } else {
                        self.repr_into(args, out, seen)?;
                    }
                    return Ok(());
                }
                if let Some(n) = self.native_payload(o) {
                    return self.repr_into(n, out, seen);
                }
                let t = String::from(self.type_name(o));
                let _ = write!(out, "<{} object at {:x}>", t, o.bits());
            }
        }
        Ok(())
    }

    fn repr_seq(
        &mut self,
        o: Obj,
        open: &str,
        items: &[Obj],
        close: &str,
        out: &mut String,
        seen: &mut Vec<Obj>,
    ) -> PyResult<()> {
        if seen.contains(&o) {
            out.push_str(open);
            out.push_str("...");
            out.push_str(if close == ",)" { ")" } else { close });
            return Ok(());
        }
        seen.push(o);
        out.push_str(open);
        for (i, &it) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.repr_into(it, out, seen)?;
        }
        out.push_str(close);
        seen.pop();
        Ok(())
    }

    /// `format(v, spec)` as a `str` object (`spec` may be `NULL` for the empty spec).
    pub fn format(&mut self, v: Obj, spec: Obj) -> PyResult<Obj> {
        let spec_s = if spec.is_null() {
            String::new()
        } else {
            String::from(self.str_of(spec).unwrap_or(""))
        };
        if spec_s.is_empty() && self.str_of(v).is_some() {
            return Ok(v);
        }
        if self.is_user_instance(v) {
            if let Some(f) = self.lookup_special(v, q::__format__)? {
                if crate::native::native_of(f).is_none() {
                    let s = self.new_str(&spec_s)?;
                    return self.call(f, &[v, s], &[]);
                }
            }
        }
        let s = self.format_to_string(v, &spec_s)?;
        self.new_string(s)
    }

    /// `format(v, spec)` as text.
    pub fn format_to_string(&mut self, v: Obj, spec: &str) -> PyResult<String> {
        if spec.is_empty() {
            return self.to_str(v);
        }
        let parsed = match pyrite_numfmt::parse_spec(spec) {
            Ok(p) => p,
            Err(e) => {
                let t = String::from(self.type_name(v));
                let msg = alloc::format!("{}", e.for_type(&t));
                return Err(self.exc(ty::VALUE_ERROR, &msg));
            }
        };
        // A width or precision the heap could never hold fails before any text is built.
        let free = self.heap.limit().saturating_sub(self.heap.used());
        if parsed.width.unwrap_or(0) > free || parsed.precision.unwrap_or(0) > free {
            return Err(self.memory_error());
        }
        let mut out = String::new();
        let tname = String::from(self.type_name(v));
        // A bool with a non-empty spec formats as its int value, as in CPython and MicroPython.
        let r = if let Some(i) = crate::obj::int::Int::of(self, v) {
            match parsed.ty {
                Some('c') => {
                    let code = match i {
                        crate::obj::int::Int::Small(c) => c,
                        _ => -1,
                    };
                    match u32::try_from(code).ok().and_then(char::from_u32) {
                        Some(ch) => match pyrite_numfmt::check_char_spec(&parsed) {
                            Ok(()) => {
                                let mut buf = [0u8; 4];
                                pyrite_numfmt::pad(
                                    ch.encode_utf8(&mut buf),
                                    &parsed,
                                    pyrite_numfmt::Align::Right,
                                    &mut out,
                                );
                                Ok(())
                            }
                            Err(e) => Err(e),
                        },
                        None => raise!(self, OVERFLOW_ERROR, "%c arg not in range(0x110000)"),
                    }
                }
                Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => {
                    pyrite_numfmt::format_float(i.to_f64(), &parsed, &mut out)
                }
                _ => match parsed.int_radix() {
                    Some((radix, upper)) => {
                        let b = i.to_big();
                        let digits = b.abs().to_str_radix(radix, upper);
                        pyrite_numfmt::format_int(b.is_negative(), &digits, &parsed, &mut out)
                    }
                    None => Err(pyrite_numfmt::FormatError::UnknownCode {
                        code: parsed.ty.unwrap_or('?'),
                        type_name: String::new(),
                    }),
                },
            }
        } else if let Some(HeapObj::Float(f)) = self.heap.get(v) {
            pyrite_numfmt::format_float(*f, &parsed, &mut out)
        } else if let Some(s) = self.str_of(v) {
            let s = String::from(s);
            pyrite_numfmt::format_str(&s, &parsed, &mut out)
        } else {
            let s = self.to_str(v)?;
            if parsed.ty.is_some() && parsed.ty != Some('s') {
                raise!(
                    self,
                    TYPE_ERROR,
                    "unsupported format string passed to {}.__format__",
                    tname
                );
            }
            pyrite_numfmt::format_str(&s, &parsed, &mut out)
        };
        match r {
            Ok(()) => Ok(out),
            Err(e) => {
                let msg = alloc::format!("{}", e.for_type(&tname));
                Err(self.exc(ty::VALUE_ERROR, &msg))
            }
        }
    }
}
