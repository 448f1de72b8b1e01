//! Python literals in both directions: the host writes `bytes` and `str` literals into the code
//! it sends, and reads back what the board prints with `print(repr(x))`.
//!
//! The encoders produce what CPython's `repr` produces (MicroPython's is the same for `bytes`):
//! single quotes unless the text holds `'` and no `"`, `\\`, the quote, `\t`, `\n`, `\r` escaped,
//! other control bytes (and, in `bytes`, everything from 0x7f up) as `\xNN`. A literal never
//! holds a raw Ctrl-C or Ctrl-D, so it is safe to stream through the raw REPL.
//!
//! The parser reads the subset of Python literals that MicroPython's `repr` prints and that
//! mpremote feeds to `ast.literal_eval`: `None`, `True`/`False`, ints, floats, `str`, `bytes`,
//! tuples, lists and dicts, nested up to [`MAX_DEPTH`].

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::error::LinkError;

/// How deeply containers may nest in a parsed reply (a bound on the parser's recursion).
pub const MAX_DEPTH: usize = 64;

/// A Python value read back from the board.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// An int that fits 64 bits.
    Int(i64),
    /// A float (including `inf` and `nan`).
    Float(f64),
    /// A `str`.
    Str(String),
    /// A `bytes` object.
    Bytes(Vec<u8>),
    /// A tuple.
    Tuple(Vec<Value>),
    /// A list.
    List(Vec<Value>),
    /// A dict, its items in the order printed.
    Dict(Vec<(Value, Value)>),
}

impl Value {
    /// The int, if this is one (`True`/`False` count as 1/0, as in Python).
    pub fn as_int(&self) -> Option<i64> {
        match *self {
            Value::Int(i) => Some(i),
            Value::Bool(b) => Some(i64::from(b)),
            _ => None,
        }
    }

    /// The bytes, if this is a `bytes` object.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The text, if this is a `str`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if this is a tuple or a list.
    pub fn as_items(&self) -> Option<&[Value]> {
        match self {
            Value::Tuple(v) | Value::List(v) => Some(v),
            _ => None,
        }
    }
}

/// `repr(data)` for a `bytes` object: `b'...'`.
pub fn encode_bytes(data: &[u8]) -> String {
    let quote = pick_quote(data);
    let mut out = String::with_capacity(data.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &b in data {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            _ if b == quote => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => push_hex_escape(&mut out, b),
        }
    }
    out.push(quote as char);
    out
}

/// `repr(text)` for a `str`: `'...'`. Characters from U+0080 up stay as they are (UTF-8).
pub fn encode_str(text: &str) -> String {
    let quote = pick_quote(text.as_bytes());
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote as char);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ if c == quote as char => {
                out.push('\\');
                out.push(c);
            }
            // The guard makes the cast lossless.
            '\0'..='\x1f' | '\x7f' => push_hex_escape(&mut out, c as u8),
            _ => out.push(c),
        }
    }
    out.push(quote as char);
    out
}

fn pick_quote(data: &[u8]) -> u8 {
    if data.contains(&b'\'') && !data.contains(&b'"') {
        b'"'
    } else {
        b'\''
    }
}

fn push_hex_escape(out: &mut String, b: u8) {
    // Writing to a String cannot fail.
    let _ = write!(out, "\\x{b:02x}");
}

/// Parses one literal, surrounded by optional whitespace, as `ast.literal_eval` would.
pub fn parse(text: &[u8]) -> Result<Value, LinkError> {
    let mut p = Parser { s: text, i: 0 };
    let v = p.value(0)?;
    p.skip_ws();
    if p.i != text.len() {
        return Err(p.error("trailing characters"));
    }
    Ok(v)
}

/// Parses a `bytes` literal such as the board prints for `print(repr(b))`.
pub fn parse_bytes(text: &[u8]) -> Result<Vec<u8>, LinkError> {
    match parse(text)? {
        Value::Bytes(b) => Ok(b),
        other => Err(LinkError::Parse(format!("expected bytes, got {other:?}"))),
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn error(&self, what: &str) -> LinkError {
        let end = self.s.len().min(self.i + 20);
        let near = self.s.get(self.i..end).unwrap_or_default();
        LinkError::Parse(format!(
            "{what} at offset {} (near {})",
            self.i,
            encode_bytes(near)
        ))
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, LinkError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.skip_ws();
        match self.peek() {
            Some(b'b' | b'B') if matches!(self.s.get(self.i + 1), Some(b'\'' | b'"')) => {
                self.i += 1;
                Ok(Value::Bytes(self.quoted(false)?))
            }
            Some(b'\'' | b'"') => {
                let raw = self.quoted(true)?;
                String::from_utf8(raw)
                    .map(Value::Str)
                    .map_err(|_| self.error("str literal is not UTF-8"))
            }
            Some(b'(') => {
                self.i += 1;
                let (items, trailing_comma) = self.sequence(b')', depth)?;
                if items.len() == 1 && !trailing_comma {
                    // `(x)` is just `x` in parentheses.
                    Ok(items.into_iter().next().unwrap_or(Value::None))
                } else {
                    Ok(Value::Tuple(items))
                }
            }
            Some(b'[') => {
                self.i += 1;
                Ok(Value::List(self.sequence(b']', depth)?.0))
            }
            Some(b'{') => {
                self.i += 1;
                self.dict(depth)
            }
            Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.') => self.atom(),
            _ => Err(self.error("expected a literal")),
        }
    }

    /// Elements up to `close`; also tells whether a comma came last.
    fn sequence(&mut self, close: u8, depth: usize) -> Result<(Vec<Value>, bool), LinkError> {
        let mut items = Vec::new();
        let mut trailing_comma = false;
        loop {
            self.skip_ws();
            if self.peek() == Some(close) {
                self.i += 1;
                return Ok((items, trailing_comma));
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    trailing_comma = true;
                }
                Some(c) if c == close => {
                    self.i += 1;
                    return Ok((items, false));
                }
                _ => return Err(self.error("expected ',' or a closing bracket")),
            }
        }
    }

    fn dict(&mut self, depth: usize) -> Result<Value, LinkError> {
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some(b'}') {
                self.i += 1;
                return Ok(Value::Dict(items));
            }
            let key = self.value(depth + 1)?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':' in a dict"));
            }
            self.i += 1;
            let value = self.value(depth + 1)?;
            items.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Dict(items));
                }
                _ => return Err(self.error("expected ',' or '}' in a dict")),
            }
        }
    }

    /// A name (`None`, `True`, `False`, `inf`, `nan`) or a number.
    fn atom(&mut self) -> Result<Value, LinkError> {
        let start = self.i;
        if matches!(self.peek(), Some(b'-' | b'+')) {
            self.i += 1;
        }
        while let Some(c) = self.peek() {
            let exponent_sign = matches!(c, b'-' | b'+')
                && matches!(self.s.get(self.i.wrapping_sub(1)), Some(b'e' | b'E'));
            if c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || exponent_sign {
                self.i += 1;
            } else {
                break;
            }
        }
        let token = core::str::from_utf8(self.s.get(start..self.i).unwrap_or_default())
            .map_err(|_| self.error("bad token"))?;
        let value = match token {
            "None" => Value::None,
            "True" => Value::Bool(true),
            "False" => Value::Bool(false),
            _ => {
                let digits = token.trim_start_matches(['-', '+']);
                let is_int = !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit());
                if is_int {
                    Value::Int(token.parse().map_err(|_| {
                        LinkError::Parse(format!("integer {token} does not fit 64 bits"))
                    })?)
                } else {
                    Value::Float(token.parse().map_err(|_| {
                        self.i = start;
                        self.error("expected a literal")
                    })?)
                }
            }
        };
        Ok(value)
    }

    /// The body of a quoted literal, escapes decoded; `text` selects `str` escapes (`\u`, `\U`,
    /// `\x` as a code point, raw UTF-8) over `bytes` ones (`\x` as a byte, ASCII only).
    fn quoted(&mut self, text: bool) -> Result<Vec<u8>, LinkError> {
        let Some(quote) = self.peek() else {
            return Err(self.error("expected a quote"));
        };
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error("unterminated literal"));
            };
            self.i += 1;
            match c {
                _ if c == quote => return Ok(out),
                b'\\' => self.escape(text, &mut out)?,
                b'\n' => return Err(self.error("newline in a literal")),
                0x80.. if !text => return Err(self.error("non-ASCII byte in a bytes literal")),
                _ => out.push(c),
            }
        }
    }

    fn escape(&mut self, text: bool, out: &mut Vec<u8>) -> Result<(), LinkError> {
        let Some(c) = self.peek() else {
            return Err(self.error("unterminated escape"));
        };
        self.i += 1;
        let simple = match c {
            b'\\' => Some(b'\\'),
            b'\'' => Some(b'\''),
            b'"' => Some(b'"'),
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            return Ok(());
        }
        match c {
            b'\n' => {}
            b'x' => {
                let v = self.hex_digits(2)?;
                if text {
                    push_code_point(out, v);
                } else {
                    // Two hex digits always fit a byte.
                    out.push(v as u8);
                }
            }
            b'u' if text => {
                let v = self.hex_digits(4)?;
                self.push_char(out, v)?;
            }
            b'U' if text => {
                let v = self.hex_digits(8)?;
                self.push_char(out, v)?;
            }
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                for _ in 0..2 {
                    match self.peek() {
                        Some(d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            self.i += 1;
                        }
                        _ => break,
                    }
                }
                if text {
                    push_code_point(out, v);
                } else {
                    // Python keeps the low byte of `\777`.
                    out.push((v & 0xff) as u8);
                }
            }
            // An unknown escape stands for itself, backslash included.
            _ => {
                out.push(b'\\');
                self.i -= 1;
            }
        }
        Ok(())
    }

    fn hex_digits(&mut self, n: usize) -> Result<u32, LinkError> {
        let mut v = 0u32;
        for _ in 0..n {
            let d = self
                .peek()
                .and_then(|c| char::from(c).to_digit(16))
                .ok_or_else(|| self.error("bad hex escape"))?;
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    fn push_char(&self, out: &mut Vec<u8>, v: u32) -> Result<(), LinkError> {
        let c = char::from_u32(v).ok_or_else(|| self.error("bad code point"))?;
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }
}

/// Appends a code point below 0x200 (from `\xNN` or an octal escape) as UTF-8.
fn push_code_point(out: &mut Vec<u8>, v: u32) {
    let c = char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER);
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn bytes_round_trip_all_values() {
        let all: Vec<u8> = (0..=255).collect();
        let lit = encode_bytes(&all);
        assert!(lit.is_ascii());
        assert!(!lit.bytes().any(|b| b < 0x20 || b == 0x7f), "{lit}");
        assert_eq!(parse_bytes(lit.as_bytes()).unwrap(), all);
        // Each byte on its own, which exercises the choice of quote too.
        for b in 0..=255u8 {
            let lit = encode_bytes(&[b]);
            assert_eq!(parse_bytes(lit.as_bytes()).unwrap(), [b], "{lit}");
        }
    }

    #[test]
    fn bytes_repr_matches_cpython() {
        // Expected strings from CPython 3's repr().
        assert_eq!(encode_bytes(b""), "b''");
        assert_eq!(
            encode_bytes(b"ab\x00\x7f\x80\xff"),
            r"b'ab\x00\x7f\x80\xff'"
        );
        assert_eq!(encode_bytes(b"\t\n\r\\"), r"b'\t\n\r\\'");
        assert_eq!(encode_bytes(b"it's"), r#"b"it's""#);
        assert_eq!(encode_bytes(b"it's \"q\""), r#"b'it\'s "q"'"#);
        assert_eq!(encode_bytes(b"\"q\""), r#"b'"q"'"#);
    }

    #[test]
    fn str_repr_matches_cpython() {
        assert_eq!(encode_str("/flash/main.py"), "'/flash/main.py'");
        assert_eq!(encode_str("a'b"), r#""a'b""#);
        assert_eq!(encode_str("a'b\"c"), r#"'a\'b"c'"#);
        assert_eq!(encode_str("tab\there\\\n\x01"), r"'tab\there\\\n\x01'");
        assert_eq!(encode_str("héllo"), "'héllo'");
    }

    #[test]
    fn parses_micropython_reprs() {
        assert_eq!(
            parse(b"[('boot.py', 32768, 0, 139),('lib', 16384, 0, 0),]").unwrap(),
            Value::List(vec![
                Value::Tuple(vec![
                    Value::Str("boot.py".into()),
                    Value::Int(32768),
                    Value::Int(0),
                    Value::Int(139),
                ]),
                Value::Tuple(vec![
                    Value::Str("lib".into()),
                    Value::Int(16384),
                    Value::Int(0),
                    Value::Int(0),
                ]),
            ])
        );
        assert_eq!(parse(b" None\r\n").unwrap(), Value::None);
        assert_eq!(
            parse(b"(True, False)").unwrap().as_items().unwrap().len(),
            2
        );
        assert_eq!(parse(b"(5,)").unwrap(), Value::Tuple(vec![Value::Int(5)]));
        assert_eq!(parse(b"(5)").unwrap(), Value::Int(5));
        assert_eq!(parse(b"()").unwrap(), Value::Tuple(vec![]));
        assert_eq!(parse(b"-12").unwrap(), Value::Int(-12));
        assert_eq!(parse(b"1.5e+10").unwrap(), Value::Float(1.5e10));
        assert_eq!(parse(b"-inf").unwrap(), Value::Float(f64::NEG_INFINITY));
        assert!(matches!(parse(b"nan").unwrap(), Value::Float(f) if f.is_nan()));
        assert_eq!(
            parse(b"{'a': 1, 2: b'x'}").unwrap(),
            Value::Dict(vec![
                (Value::Str("a".into()), Value::Int(1)),
                (Value::Int(2), Value::Bytes(b"x".to_vec())),
            ])
        );
        assert_eq!(
            parse("'h\u{e9}\\u20ac\\x41\\n'".as_bytes()).unwrap(),
            Value::Str("h\u{e9}\u{20ac}A\n".into())
        );
        assert_eq!(
            parse(br#"b"it's""#).unwrap(),
            Value::Bytes(b"it's".to_vec())
        );
        assert_eq!(
            parse(br"b'\101\q'").unwrap(),
            Value::Bytes(b"A\\q".to_vec())
        );
    }

    #[test]
    fn rejects_bad_input_without_panicking() {
        for bad in [
            &b""[..],
            b"b'abc",
            b"b'\\x4'",
            b"[1, 2",
            b"(1 2)",
            b"{1}",
            b"1 2",
            b"b'\xff'",
            b"'\xff'",
            b"99999999999999999999999",
            b"foo",
            b"-",
            b"'\\",
            b"'\\U00110000'",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep: Vec<u8> = core::iter::repeat_n(b'[', 100).collect();
        assert!(parse(&deep).is_err());
    }
}
