//! `json`: MicroPython's JSON encoder and decoder.
//!
//! `dumps` prints values the way MicroPython's `PRINT_JSON` mode does (tuples as arrays,
//! non-string keys quoted, other objects by their `repr`). `loads` is MicroPython's lenient
//! state machine: an explicit stack instead of recursion, commas and colons treated as space,
//! and every error a `ValueError: syntax error in JSON`.

use alloc::string::String;
use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::qstr::q;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

crate::native_table!(pub FUNCTIONS = [
    ("dump", json_dump),
    ("dumps", json_dumps),
    ("load", json_load),
    ("loads", json_loads),
]);

/// Names of the module's other attributes (none).
pub static ATTR_NAMES: &[&str] = &[];

/// The module's other attributes (none).
pub fn module_attr(_vm: &mut Vm, _name: &str) -> PyResult<Option<Obj>> {
    Ok(None)
}

/// The deepest nesting `dumps` follows.
const MAX_DEPTH: usize = 200;

/// The separators between items and between a key and its value.
struct Separators {
    item: String,
    key: String,
}

/// The `separators=(item, key)` keyword argument; MicroPython's default is `(", ", ": ")`.
fn separators(vm: &mut Vm, kw: Kw) -> PyResult<Separators> {
    let mut seps = Separators {
        item: String::from(", "),
        key: String::from(": "),
    };
    for &(k, v) in kw {
        if vm.qstr_str(k) != "separators" {
            let k = String::from(vm.qstr_str(k));
            raise!(vm, TYPE_ERROR, "unexpected keyword argument '{}'", k);
        }
        if v == Obj::NONE {
            continue;
        }
        let items = vm.iter_to_vec(v)?;
        let [item, key] = items[..] else {
            raise!(
                vm,
                VALUE_ERROR,
                "requested length 2 but object has length {}",
                items.len()
            );
        };
        seps.item = crate::obj::str::str_arg(vm, item)?;
        seps.key = crate::obj::str::str_arg(vm, key)?;
    }
    Ok(seps)
}

/// Appends `s` as a JSON string literal, escaping as MicroPython does.
fn push_json_str(out: &mut String, s: &[u8]) {
    let mut bytes = Vec::with_capacity(s.len() + 2);
    bytes.push(b'"');
    for &c in s {
        match c {
            b'"' | b'\\' => bytes.extend_from_slice(&[b'\\', c]),
            b'\n' => bytes.extend_from_slice(b"\\n"),
            b'\r' => bytes.extend_from_slice(b"\\r"),
            b'\t' => bytes.extend_from_slice(b"\\t"),
            c if c < 32 => {
                bytes.extend_from_slice(b"\\u00");
                bytes.push(b"0123456789abcdef"[usize::from(c >> 4)]);
                bytes.push(b"0123456789abcdef"[usize::from(c & 15)]);
            }
            c => bytes.push(c),
        }
    }
    bytes.push(b'"');
    out.push_str(&String::from_utf8_lossy(&bytes));
}

/// What `dumps` sees in an object.
enum Shape {
    Text(Vec<u8>),
    Seq(Vec<Obj>),
    Map(Vec<(Obj, Obj)>),
    Other,
}

fn shape(vm: &Vm, o: Obj) -> Shape {
    if let Some(s) = vm.str_of(o) {
        return Shape::Text(s.as_bytes().to_vec());
    }
    let o = match vm.heap.get(o) {
        Some(HeapObj::Instance(i)) if !i.native.is_null() => i.native,
        _ => o,
    };
    match vm.heap.get(o) {
        Some(HeapObj::Bytes(b)) => Shape::Text(b.to_vec()),
        Some(HeapObj::List(v)) => Shape::Seq(v.clone()),
        Some(HeapObj::Tuple(v)) => Shape::Seq(v.to_vec()),
        Some(HeapObj::Dict(_)) => Shape::Map(vm.dict_items(o)),
        _ => Shape::Other,
    }
}

/// Appends the JSON text of `o`.
fn encode(vm: &mut Vm, o: Obj, seps: &Separators, out: &mut String, depth: usize) -> PyResult<()> {
    if depth > MAX_DEPTH {
        raise!(vm, RUNTIME_ERROR, "maximum recursion depth exceeded");
    }
    // The text grows beside the heap: only with room in the arena.
    vm.reserve_beside(out, 32)?;
    if o == Obj::NONE {
        out.push_str("null");
        return Ok(());
    }
    if o == Obj::TRUE || o == Obj::FALSE {
        out.push_str(if o == Obj::TRUE { "true" } else { "false" });
        return Ok(());
    }
    match shape(vm, o) {
        Shape::Text(b) => {
            vm.reserve_beside(out, b.len().saturating_add(2))?;
            push_json_str(out, &b)
        }
        Shape::Seq(items) => {
            vm.keep_all(&items)?;
            out.push('[');
            for (i, &x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(&seps.item);
                }
                encode(vm, x, seps, out, depth + 1)?;
            }
            out.push(']');
        }
        Shape::Map(items) => {
            for &(k, v) in &items {
                vm.heap.keep(k);
                vm.heap.keep(v);
            }
            out.push('{');
            for (i, &(k, v)) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(&seps.item);
                }
                let quote = !matches!(shape(vm, k), Shape::Text(_));
                if quote {
                    out.push('"');
                }
                encode(vm, k, seps, out, depth + 1)?;
                if quote {
                    out.push('"');
                }
                out.push_str(&seps.key);
                encode(vm, v, seps, out, depth + 1)?;
            }
            out.push('}');
        }
        Shape::Other => {
            let r = vm.repr(o)?;
            out.push_str(&r);
        }
    }
    Ok(())
}

/// `json.dumps(obj, *, separators=None)`.
fn json_dumps(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    crate::obj::strbytes::arity(vm, args, 1, 1)?;
    let seps = separators(vm, kw)?;
    let mut out = String::new();
    encode(vm, args[0], &seps, &mut out, 0)?;
    vm.new_string(out)
}

/// `json.dump(obj, stream, *, separators=None)`: writes the text with `stream.write`.
fn json_dump(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    crate::obj::strbytes::arity(vm, args, 2, 2)?;
    let seps = separators(vm, kw)?;
    let mut out = String::new();
    encode(vm, args[0], &seps, &mut out, 0)?;
    let s = vm.new_string(out)?;
    vm.call_method(args[1], q::write, &[s])?;
    Ok(Obj::NONE)
}

/// `json.loads(text)`: `text` is a str or any buffer.
fn json_loads(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    crate::obj::strbytes::arity(vm, args, 1, 1)?;
    let text = match vm.str_of(args[0]) {
        Some(s) => s.as_bytes().to_vec(),
        None => crate::obj::bytes::buffer_of(vm, args[0])?,
    };
    parse(vm, &text)
}

/// `json.load(stream)`: parses everything `stream.read()` gives.
fn json_load(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    crate::obj::strbytes::arity(vm, args, 1, 1)?;
    // A stream with only `readinto` is read a byte at a time, as MicroPython's stream reader.
    if vm.getattr_opt(args[0], q::read)?.is_none() {
        let text = read_by_readinto(vm, args[0])?;
        return parse(vm, &text);
    }
    let data = vm.call_method0(args[0], q::read)?;
    let text = match vm.str_of(data) {
        Some(s) => s.as_bytes().to_vec(),
        None => crate::obj::bytes::buffer_of(vm, data)?,
    };
    parse(vm, &text)
}

/// Reads a stream to its end through `readinto` on a one-byte buffer; a stream that claims
/// more bytes than it was given fails with `OSError(EIO)`.
fn read_by_readinto(vm: &mut Vm, stream: Obj) -> PyResult<alloc::vec::Vec<u8>> {
    let buf = vm.alloc(crate::object::HeapObj::ByteArray(alloc::vec![0]))?;
    vm.roots.push(buf);
    let r = (|| {
        let mut out = alloc::vec::Vec::new();
        loop {
            let n = vm.call_method(stream, q::readinto, &[buf])?;
            let n = if n == Obj::NONE {
                0
            } else {
                vm.index_value(n)?
            };
            if n == 0 {
                return Ok(out);
            }
            if n != 1 {
                return Err(vm.exc_with_arg(ty::OS_ERROR, Obj::small_int_unchecked(5)));
            }
            vm.charge(1)?;
            out.extend_from_slice(&crate::obj::bytes::buffer_of(vm, buf)?);
        }
    })();
    vm.roots.pop();
    r
}

fn syntax_error(vm: &mut Vm) -> Obj {
    vm.exc(ty::VALUE_ERROR, "syntax error in JSON")
}

/// A cursor over the input; `0` marks the end, as a NUL cannot appear in JSON.
struct Cursor<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn cur(&self) -> u8 {
        self.text.get(self.pos).copied().unwrap_or(0)
    }

    /// Steps past the current byte; the new current one.
    fn next(&mut self) -> u8 {
        self.pos = (self.pos + 1).min(self.text.len());
        self.cur()
    }

    /// Consumes `word` if the input continues with it.
    fn eat(&mut self, word: &[u8]) -> bool {
        if self.text[self.pos.min(self.text.len())..].starts_with(word) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }
}

/// Reads a string's body (after its opening quote) up to and past the closing quote.
fn parse_string(c: &mut Cursor) -> Option<String> {
    let mut s: Vec<u8> = Vec::new();
    loop {
        let mut b = c.cur();
        match b {
            0 => return None,
            b'"' => break,
            b'\\' => {
                b = c.next();
                match b {
                    b'b' => s.push(0x08),
                    b'f' => s.push(0x0c),
                    b'n' => s.push(b'\n'),
                    b'r' => s.push(b'\r'),
                    b't' => s.push(b'\t'),
                    b'u' => {
                        let mut n = 0u32;
                        for _ in 0..4 {
                            n = n << 4 | char::from(c.next()).to_digit(16)?;
                        }
                        let ch = char::from_u32(n).unwrap_or(char::REPLACEMENT_CHARACTER);
                        let mut buf = [0; 4];
                        s.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    }
                    0 => return None,
                    b => s.push(b),
                }
            }
            b => s.push(b),
        }
        c.next();
    }
    c.next();
    Some(String::from_utf8_lossy(&s).into_owned())
}

/// Parses one JSON document.
fn parse(vm: &mut Vm, text: &[u8]) -> PyResult<Obj> {
    let mut c = Cursor { text, pos: 0 };
    // The open containers, outermost first; the innermost is `top`.
    let mut stack: Vec<Obj> = Vec::new();
    let mut top: Option<Obj> = None;
    let mut key: Option<Obj> = None;
    loop {
        let b = c.cur();
        if b == 0 {
            return Err(syntax_error(vm));
        }
        c.next();
        let (next, enter) = match b {
            b',' | b':' | b' ' | b'\t' | b'\n' | b'\r' => continue,
            b'n' if c.eat(b"ull") => (Obj::NONE, false),
            b'f' if c.eat(b"alse") => (Obj::FALSE, false),
            b't' if c.eat(b"rue") => (Obj::TRUE, false),
            b'"' => match parse_string(&mut c) {
                Some(s) => (vm.new_string(s)?, false),
                None => return Err(syntax_error(vm)),
            },
            b'-' | b'0'..=b'9' => {
                let start = c.pos - 1;
                let mut float = false;
                loop {
                    match c.cur() {
                        b'.' | b'e' | b'E' => float = true,
                        b'+' | b'-' | b'0'..=b'9' => {}
                        _ => break,
                    }
                    c.next();
                }
                let digits = core::str::from_utf8(&text[start..c.pos]).unwrap_or("");
                let v = if float {
                    match pyrite_numfmt::parse_float(digits) {
                        Some(f) => vm.new_float(f)?,
                        None => raise!(vm, VALUE_ERROR, "invalid syntax for number"),
                    }
                } else {
                    let s = vm.new_str(digits)?;
                    crate::obj::int::int_new(vm, &[s], &[])?
                };
                (v, false)
            }
            b'[' => (vm.new_list(Vec::new())?, true),
            b'{' => (vm.new_dict()?, true),
            b']' | b'}' => {
                if top.is_none() {
                    return Err(syntax_error(vm));
                }
                match stack.pop() {
                    Some(t) => {
                        top = Some(t);
                        continue;
                    }
                    None => break,
                }
            }
            _ => return Err(syntax_error(vm)),
        };
        let Some(t) = top else {
            top = Some(next);
            if !enter {
                break;
            }
            continue;
        };
        if matches!(vm.heap.get(t), Some(HeapObj::List(_))) {
            vm.list_append(t, next)?;
        } else if let Some(k) = key.take() {
            vm.dict_set(t, k, next)?;
        } else {
            if enter {
                return Err(syntax_error(vm));
            }
            key = Some(next);
        }
        if enter {
            stack.push(t);
            top = Some(next);
        }
    }
    while crate::obj::strbytes::is_space(c.cur()) {
        c.next();
    }
    match top {
        Some(t) if c.cur() == 0 && stack.is_empty() => Ok(t),
        _ => Err(syntax_error(vm)),
    }
}
