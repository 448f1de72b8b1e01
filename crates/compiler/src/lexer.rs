//! The lexer: source text to tokens, with Python's layout rules (`INDENT`/`DEDENT`/`NEWLINE`,
//! implicit line joining inside brackets, `\` continuation) and literal decoding.
//!
//! Strings are decoded here (escapes processed), except f-strings: their body is handed to the
//! parser raw, because the fields inside must be split off before escapes are processed.

use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;

use crate::{CompileError, ErrorKind};

/// Python's keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Kw {
    False,
    None,
    True,
    And,
    As,
    Assert,
    Async,
    Await,
    Break,
    Class,
    Continue,
    Def,
    Del,
    Elif,
    Else,
    Except,
    Finally,
    For,
    From,
    Global,
    If,
    Import,
    In,
    Is,
    Lambda,
    Nonlocal,
    Not,
    Or,
    Pass,
    Raise,
    Return,
    Try,
    While,
    With,
    Yield,
}

impl Kw {
    fn from_str(s: &str) -> Option<Kw> {
        use Kw::*;
        Some(match s {
            "False" => False,
            "None" => None,
            "True" => True,
            "and" => And,
            "as" => As,
            "assert" => Assert,
            "async" => Async,
            "await" => Await,
            "break" => Break,
            "class" => Class,
            "continue" => Continue,
            "def" => Def,
            "del" => Del,
            "elif" => Elif,
            "else" => Else,
            "except" => Except,
            "finally" => Finally,
            "for" => For,
            "from" => From,
            "global" => Global,
            "if" => If,
            "import" => Import,
            "in" => In,
            "is" => Is,
            "lambda" => Lambda,
            "nonlocal" => Nonlocal,
            "not" => Not,
            "or" => Or,
            "pass" => Pass,
            "raise" => Raise,
            "return" => Return,
            "try" => Try,
            "while" => While,
            "with" => With,
            "yield" => Yield,
            _ => return Option::None,
        })
    }
}

/// A token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An identifier.
    Name(String),
    /// A keyword.
    Kw(Kw),
    /// An integer literal that fits in an `i64`.
    Int(i64),
    /// A larger integer literal: radix and digits (no prefix, no underscores).
    BigInt(u32, String),
    /// A float literal.
    Float(f64),
    /// An imaginary literal.
    Imag(f64),
    /// A decoded `str` literal.
    Str(String),
    /// A decoded `bytes` literal.
    Bytes(Vec<u8>),
    /// An f-string: its raw body and whether it is also raw (`rf''`).
    FStr(String, bool),
    /// An operator or delimiter, as its text (`+`, `**=`, `(`, `->`).
    Op(&'static str),
    /// End of a logical line.
    Newline,
    /// The indentation grew.
    Indent,
    /// The indentation shrank by one level.
    Dedent,
    /// End of input.
    Eof,
}

/// A token with the position of its first character (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The token.
    pub tok: Tok,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

/// Operators, longest first so that a prefix match picks the longest one.
const OPS: [&str; 48] = [
    "**=", "//=", ">>=", "<<=", "...", "->", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", ":=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "+", "-", "*", "/", "%", "@", "&", "|",
    "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=", "!",
];

/// Deepest indentation accepted (Python's own limit is 100 levels).
const MAX_INDENT_LEVELS: usize = 100;

/// Splits `src` into tokens. `line0` is the line number of the first line (f-string fields are
/// lexed on their own, starting at the line of their string).
pub fn tokenize(src: &str, line0: u32) -> Result<Vec<Token>, CompileError> {
    let src = normalize_line_ends(src);
    let mut lx = Lexer::new(&src, line0);
    let mut out = Vec::new();
    loop {
        let t = lx.next_token()?;
        let end = t.tok == Tok::Eof;
        out.push(t);
        if end {
            return Ok(out);
        }
    }
}

/// `src` with every line end made `\n` (line ends are `\n`, `\r\n` or a lone `\r`; the
/// lexer sees only `\n`). Borrowed when there is nothing to change.
pub fn normalize_line_ends(src: &str) -> alloc::borrow::Cow<'_, str> {
    if !src.contains('\r') {
        return alloc::borrow::Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some((line, after)) = rest.split_once('\r') {
        out.push_str(line);
        out.push('\n');
        rest = after.strip_prefix('\n').unwrap_or(after);
    }
    out.push_str(rest);
    alloc::borrow::Cow::Owned(out)
}

/// The lexer: hands out the tokens of a source one at a time, so that the parser never holds
/// more than its lookahead. The source's line ends must be `\n` ([`normalize_line_ends`]).
pub struct Lexer<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    line: u32,
    line_start: usize,
    parens: u32,
    indents: Vec<u32>,
    /// Tokens made but not yet handed out (a line start may make several `DEDENT`s).
    out: VecDeque<Token>,
    /// The next token starts a line (its indentation is still to be measured).
    at_line_start: bool,
    /// The last token handed out ends a line (or none was): no `NEWLINE` is due at the end.
    after_line_end: bool,
    /// `EOF` was made.
    done: bool,
}

fn err(kind: ErrorKind, msg: &str, line: u32, col: u32) -> CompileError {
    CompileError {
        kind,
        msg: String::from(msg),
        line,
        col,
    }
}

fn is_id_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn is_id_char(c: u8) -> bool {
    is_id_start(c) || c.is_ascii_digit()
}

impl<'a> Lexer<'a> {
    /// A lexer over `src` (line ends `\n` only) whose first line is `line0`.
    pub fn new(src: &'a str, line0: u32) -> Lexer<'a> {
        Lexer {
            src: src.as_bytes(),
            text: src,
            pos: 0,
            line: line0,
            line_start: 0,
            parens: 0,
            indents: Vec::from([0]),
            out: VecDeque::new(),
            at_line_start: true,
            after_line_end: true,
            done: false,
        }
    }

    /// The next token; `EOF` again and again at the end.
    pub fn next_token(&mut self) -> Result<Token, CompileError> {
        while self.out.is_empty() {
            if self.done {
                let (line, col) = (self.line, self.col(self.pos));
                return Ok(Token {
                    tok: Tok::Eof,
                    line,
                    col,
                });
            }
            self.step()?;
        }
        let t = self.out.pop_front().unwrap_or(Token {
            tok: Tok::Eof,
            line: self.line,
            col: 1,
        });
        self.after_line_end = matches!(t.tok, Tok::Newline | Tok::Dedent);
        Ok(t)
    }

    fn peek(&self, off: usize) -> u8 {
        self.src.get(self.pos + off).copied().unwrap_or(0)
    }

    fn col(&self, pos: usize) -> u32 {
        u32::try_from(pos.saturating_sub(self.line_start) + 1).unwrap_or(u32::MAX)
    }

    fn syntax(&self, msg: &str, pos: usize) -> CompileError {
        err(ErrorKind::Syntax, msg, self.line, self.col(pos))
    }

    fn push(&mut self, tok: Tok, start: usize) {
        let col = self.col(start);
        self.out.push_back(Token {
            tok,
            line: self.line,
            col,
        });
    }

    fn newline(&mut self) {
        self.line = self.line.saturating_add(1);
        self.line_start = self.pos;
    }

    /// Lexes one item of the source (a token, a blank, a comment, a line end), or at the end
    /// makes the final `NEWLINE`, `DEDENT`s and `EOF`.
    fn step(&mut self) -> Result<(), CompileError> {
        if self.at_line_start && self.parens == 0 {
            if !self.indentation()? {
                return Ok(());
            }
            self.at_line_start = false;
        }
        let c = self.peek(0);
        let start = self.pos;
        match c {
            0 if self.pos >= self.src.len() => self.finish(),
            b' ' | b'\t' | b'\x0c' | b'\r' => self.pos += 1,
            b'#' => {
                while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
                    self.pos += 1;
                }
            }
            b'\n' => {
                self.pos += 1;
                if self.parens == 0 {
                    self.push(Tok::Newline, start);
                    self.at_line_start = true;
                }
                self.newline();
            }
            b'\\' => {
                let mut p = self.pos + 1;
                if self.src.get(p) == Some(&b'\r') {
                    p += 1;
                }
                if self.src.get(p) != Some(&b'\n') {
                    return Err(self.syntax("invalid syntax", start));
                }
                self.pos = p + 1;
                self.newline();
            }
            b'0'..=b'9' => self.number()?,
            b'.' if self.peek(1).is_ascii_digit() => self.number()?,
            b'"' | b'\'' => self.string(start, start)?,
            c if is_id_start(c) => {
                while is_id_char(self.peek(0)) {
                    self.pos += 1;
                }
                let word = self.text.get(start..self.pos).unwrap_or("");
                let q = self.peek(0);
                if (q == b'"' || q == b'\'') && word.len() <= 2 && is_prefix(word) {
                    self.string(start, self.pos)?;
                } else if let Some(k) = Kw::from_str(word) {
                    self.push(Tok::Kw(k), start);
                } else {
                    self.push(Tok::Name(String::from(word)), start);
                }
            }
            _ => {
                let rest = &self.src[self.pos..];
                let op = OPS.iter().find(|op| rest.starts_with(op.as_bytes()));
                let Some(&op) = op else {
                    return Err(self.syntax("invalid syntax", start));
                };
                self.pos += op.len();
                match op {
                    "(" | "[" | "{" => self.parens = self.parens.saturating_add(1),
                    ")" | "]" | "}" => self.parens = self.parens.saturating_sub(1),
                    _ => {}
                }
                self.push(Tok::Op(op), start);
            }
        }
        Ok(())
    }

    /// The end of the input: the last line's `NEWLINE`, the `DEDENT`s still open, `EOF`.
    fn finish(&mut self) {
        let end = self.pos;
        let line_ended = match self.out.back() {
            Some(t) => matches!(t.tok, Tok::Newline | Tok::Dedent),
            None => self.after_line_end,
        };
        if !line_ended {
            self.push(Tok::Newline, end);
        }
        while self.indents.len() > 1 {
            self.indents.pop();
            self.push(Tok::Dedent, end);
        }
        self.push(Tok::Eof, end);
        self.done = true;
    }

    /// Measures the indentation of a new line and emits `INDENT`/`DEDENT`s. Returns false if
    /// the line is blank or a comment (nothing emitted, the caller continues lexing it).
    fn indentation(&mut self) -> Result<bool, CompileError> {
        let mut width: u32 = 0;
        loop {
            match self.peek(0) {
                b' ' => width = width.saturating_add(1),
                b'\t' => width = (width / 8).saturating_add(1).saturating_mul(8),
                b'\x0c' => width = 0,
                _ => break,
            }
            self.pos += 1;
        }
        match self.peek(0) {
            b'\n' | b'#' | b'\r' => {
                // A blank or comment-only line: no tokens at all.
                while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
                    self.pos += 1;
                }
                if self.pos < self.src.len() {
                    self.pos += 1;
                    self.newline();
                }
                return Ok(false);
            }
            0 if self.pos >= self.src.len() => {
                // End of input: the caller's loop ends at the next check.
                self.pos = self.src.len();
                return Ok(true);
            }
            _ => {}
        }
        let start = self.pos;
        let cur = self.indents.last().copied().unwrap_or(0);
        if width > cur {
            if self.indents.len() > MAX_INDENT_LEVELS {
                return Err(err(
                    ErrorKind::Syntax,
                    "too complex",
                    self.line,
                    self.col(start),
                ));
            }
            self.indents.push(width);
            self.push(Tok::Indent, start);
        } else {
            while width < self.indents.last().copied().unwrap_or(0) {
                self.indents.pop();
                self.push(Tok::Dedent, start);
            }
            if width != self.indents.last().copied().unwrap_or(0) {
                return Err(err(
                    ErrorKind::Indentation,
                    "unindent doesn't match any outer indent level",
                    self.line,
                    self.col(start),
                ));
            }
        }
        Ok(true)
    }

    fn number(&mut self) -> Result<(), CompileError> {
        let start = self.pos;
        let c1 = self.peek(1) | 0x20;
        if self.peek(0) == b'0' && (c1 == b'x' || c1 == b'o' || c1 == b'b') {
            let radix = match c1 {
                b'x' => 16,
                b'o' => 8,
                _ => 2,
            };
            self.pos += 2;
            let digits = self.digits(radix);
            if digits.is_empty() || is_id_char(self.peek(0)) {
                return Err(self.syntax("invalid syntax", start));
            }
            let tok = int_token(radix, digits);
            self.push(tok, start);
            return Ok(());
        }
        let int_part = self.digits(10);
        let mut is_float = false;
        let mut text = int_part.clone();
        if self.peek(0) == b'.' {
            is_float = true;
            self.pos += 1;
            text.push('.');
            text.push_str(&self.digits(10));
        }
        if self.peek(0) | 0x20 == b'e' {
            let sign = self.peek(1);
            let d = if sign == b'+' || sign == b'-' { 2 } else { 1 };
            if self.peek(d).is_ascii_digit() {
                is_float = true;
                text.push('e');
                if d == 2 {
                    text.push(sign as char);
                }
                self.pos += d;
                text.push_str(&self.digits(10));
            }
        }
        if self.peek(0) | 0x20 == b'j' {
            self.pos += 1;
            let v = parse_float(&text).ok_or_else(|| self.syntax("invalid syntax", start))?;
            self.push(Tok::Imag(v), start);
        } else if is_float {
            let v = parse_float(&text).ok_or_else(|| self.syntax("invalid syntax", start))?;
            self.push(Tok::Float(v), start);
        } else {
            if int_part.len() > 1
                && int_part.bytes().any(|b| b != b'0')
                && int_part.starts_with('0')
            {
                return Err(self.syntax("invalid syntax", start));
            }
            self.push(int_token(10, int_part), start);
        }
        if is_id_char(self.peek(0)) {
            return Err(self.syntax("invalid syntax", start));
        }
        Ok(())
    }

    /// Digits of `radix`, with single underscores between them removed.
    fn digits(&mut self, radix: u32) -> String {
        let mut s = String::new();
        loop {
            let c = self.peek(0);
            if (c as char).is_digit(radix) {
                s.push(c as char);
                self.pos += 1;
            } else if c == b'_' && (self.peek(1) as char).is_digit(radix) {
                self.pos += 1;
            } else {
                return s;
            }
        }
    }

    /// Lexes a string literal whose prefix starts at `start` and whose quote is at `qpos`.
    fn string(&mut self, start: usize, qpos: usize) -> Result<(), CompileError> {
        let prefix = self
            .text
            .get(start..qpos)
            .unwrap_or("")
            .to_ascii_lowercase();
        let raw = prefix.contains('r');
        let bytes = prefix.contains('b');
        let fmt = prefix.contains('f');
        let q = self.src[qpos];
        let triple = self.src.get(qpos + 1) == Some(&q) && self.src.get(qpos + 2) == Some(&q);
        self.pos = qpos + if triple { 3 } else { 1 };
        let body_start = self.pos;
        let (line, col) = (self.line, self.col(start));
        if fmt {
            // An f-string's fields may hold strings with the same quotes (Python 3.12).
            let Some(end) = string_end(self.src, qpos, true, 0) else {
                return Err(err(ErrorKind::Syntax, "invalid syntax", line, col));
            };
            let close = end - if triple { 3 } else { 1 };
            while self.pos < close {
                self.pos += 1;
                if self.src[self.pos - 1] == b'\n' {
                    self.newline();
                }
            }
        }
        loop {
            let c = self.peek(0);
            if self.pos >= self.src.len() {
                return Err(err(ErrorKind::Syntax, "invalid syntax", line, col));
            }
            if c == b'\\' {
                self.pos += 1;
                if self.peek(0) == b'\n' {
                    self.pos += 1;
                    self.newline();
                } else if self.pos < self.src.len() {
                    self.pos += 1;
                }
                continue;
            }
            if c == b'\n' {
                if !triple {
                    return Err(err(ErrorKind::Syntax, "invalid syntax", line, col));
                }
                self.pos += 1;
                self.newline();
                continue;
            }
            if c == q && (!triple || (self.peek(1) == q && self.peek(2) == q)) {
                break;
            }
            self.pos += 1;
        }
        let body = self.text.get(body_start..self.pos).unwrap_or("");
        if !raw && has_bad_escape(body.as_bytes(), bytes) {
            return Err(err(ErrorKind::Syntax, "invalid syntax", line, col));
        }
        self.pos += if triple { 3 } else { 1 };
        let tok = if fmt {
            Tok::FStr(String::from(body), raw)
        } else if bytes {
            if !body.is_ascii() {
                return Err(err(ErrorKind::Syntax, "invalid syntax", line, col));
            }
            Tok::Bytes(decode(body, raw, true))
        } else {
            let v = decode(body, raw, false);
            Tok::Str(String::from_utf8(v).unwrap_or_default())
        };
        self.out.push_back(Token { tok, line, col });
        Ok(())
    }
}

/// How deeply f-strings may nest inside each other's fields.
const MAX_FSTRING_NESTING: u32 = 32;

/// Given that `b[q]` opens a string literal (an f-string if `fmt`), the index just past its
/// closing quote; `None` if it is unterminated. F-string fields are skipped as a whole, so a
/// string inside a field may use the same quotes as the f-string around it.
pub(crate) fn string_end(b: &[u8], q: usize, fmt: bool, depth: u32) -> Option<usize> {
    if depth > MAX_FSTRING_NESTING {
        return None;
    }
    let quote = *b.get(q)?;
    let triple = b.get(q + 1) == Some(&quote) && b.get(q + 2) == Some(&quote);
    let mut i = q + if triple { 3 } else { 1 };
    loop {
        let c = *b.get(i)?;
        match c {
            b'\\' => i += 2,
            b'\n' if !triple => return None,
            _ if c == quote
                && (!triple || (b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote))) =>
            {
                return Some(i + if triple { 3 } else { 1 });
            }
            b'{' | b'}' if fmt && b.get(i + 1) == Some(&c) => i += 2,
            b'{' if fmt => i = field_end(b, i + 1, depth)?,
            _ => i += 1,
        }
    }
}

/// Given that an f-string field's expression starts at `i`, the index just past the field's
/// closing `}` (through its conversion and format spec, which may hold fields of its own).
pub(crate) fn field_end(b: &[u8], mut i: usize, depth: u32) -> Option<usize> {
    if depth > MAX_FSTRING_NESTING {
        return None;
    }
    let mut nest = 0u32;
    loop {
        match *b.get(i)? {
            b'\'' | b'"' => {
                i = string_end(b, i, is_fstring_quote(b, i), depth + 1)?;
                continue;
            }
            b'(' | b'[' | b'{' => nest += 1,
            b')' | b']' | b'}' if nest > 0 => nest -= 1,
            b'}' => return Some(i + 1),
            b':' if nest == 0 => {
                // The format spec: literal text and nested fields.
                i += 1;
                loop {
                    match *b.get(i)? {
                        b'{' => i = field_end(b, i + 1, depth + 1)?,
                        b'}' => return Some(i + 1),
                        _ => i += 1,
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// Whether the quote at `b[q]` opens an f-string: its prefix (the letters just before it,
/// not part of a longer name) has an `f`.
pub(crate) fn is_fstring_quote(b: &[u8], q: usize) -> bool {
    let mut s = q;
    while s > 0 && q - s < 2 && b[s - 1].is_ascii_alphabetic() {
        s -= 1;
    }
    let part_of_name =
        s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'_' || b[s - 1] >= 0x80);
    !part_of_name && b[s..q].iter().any(|c| c.eq_ignore_ascii_case(&b'f'))
}

fn is_prefix(w: &str) -> bool {
    let w = w.to_ascii_lowercase();
    matches!(
        w.as_str(),
        "r" | "b" | "f" | "u" | "rb" | "br" | "fr" | "rf"
    )
}

fn int_token(radix: u32, digits: String) -> Tok {
    match i64::from_str_radix(&digits, radix) {
        Ok(v) => Tok::Int(v),
        Err(_) => {
            let trimmed = digits.trim_start_matches('0');
            Tok::BigInt(radix, String::from(trimmed))
        }
    }
}

fn parse_float(s: &str) -> Option<f64> {
    pyrite_numfmt::exact::parse_decimal(s)
}

/// Whether a string body has a truncated `\x`, `\u` or `\U` escape (`\u` and `\U` are
/// plain text in bytes).
fn has_bad_escape(b: &[u8], bytes: bool) -> bool {
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let digits = match b.get(i + 1) {
            Some(b'x') => 2,
            Some(b'u') if !bytes => 4,
            Some(b'U') if !bytes => 8,
            _ => 0,
        };
        let hex = b.get(i + 2..i + 2 + digits);
        if digits > 0 && !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
            return true;
        }
        i += 2;
    }
    false
}

/// Processes the escapes of a string body. For `str` the result is UTF-8; for `bytes` each
/// escape produces one byte.
pub fn decode(body: &str, raw: bool, bytes: bool) -> Vec<u8> {
    let b = body.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\r' && b.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        if c != b'\\' || raw {
            if raw && c == b'\\' && i + 1 < b.len() {
                out.push(c);
                out.push(b[i + 1]);
                i += 2;
                continue;
            }
            out.push(c);
            i += 1;
            continue;
        }
        let e = b.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        let simple = match e {
            b'\n' => Some(None),
            b'\\' => Some(Some(b'\\')),
            b'\'' => Some(Some(b'\'')),
            b'"' => Some(Some(b'"')),
            b'a' => Some(Some(7)),
            b'b' => Some(Some(8)),
            b'f' => Some(Some(12)),
            b'n' => Some(Some(b'\n')),
            b'r' => Some(Some(b'\r')),
            b't' => Some(Some(b'\t')),
            b'v' => Some(Some(11)),
            _ => None,
        };
        if let Some(s) = simple {
            if let Some(c) = s {
                out.push(c);
            }
            continue;
        }
        let hex = |n: usize, at: usize| -> Option<u32> {
            let s = body.get(at..at + n)?;
            if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            u32::from_str_radix(s, 16).ok()
        };
        let code = match e {
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                let mut n = 1;
                while n < 3 && matches!(b.get(i), Some(b'0'..=b'7')) {
                    v = v * 8 + u32::from(b[i] - b'0');
                    i += 1;
                    n += 1;
                }
                Some(v)
            }
            b'x' => hex(2, i).inspect(|_| i += 2),
            b'u' if !bytes => hex(4, i).inspect(|_| i += 4),
            b'U' if !bytes => hex(8, i).inspect(|_| i += 8),
            _ => None,
        };
        match code {
            Some(v) if bytes => out.push((v & 0xff) as u8),
            Some(v) => {
                let ch = char::from_u32(v).unwrap_or('\u{fffd}');
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
            None => {
                out.push(b'\\');
                i -= 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s, 1).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn line_ends_become_newlines() {
        // Every string of up to 6 units over `\r`, `\n` and `a`, against the definition: each
        // `\r\n` is one `\n`, then each lone `\r` is a `\n`.
        let units = ['\r', '\n', 'a'];
        for len in 0..=6u32 {
            for mut n in 0..3usize.pow(len) {
                let mut s = String::new();
                for _ in 0..len {
                    s.push(units[n % 3]);
                    n /= 3;
                }
                let expected = s.replace("\r\n", "\n").replace('\r', "\n");
                assert_eq!(normalize_line_ends(&s), expected, "{s:?}");
            }
        }
        assert!(matches!(
            normalize_line_ends("x\ny"),
            alloc::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn layout() {
        assert_eq!(
            toks("if x:\n  y\nz"),
            vec![
                Tok::Kw(Kw::If),
                Tok::Name("x".into()),
                Tok::Op(":"),
                Tok::Newline,
                Tok::Indent,
                Tok::Name("y".into()),
                Tok::Newline,
                Tok::Dedent,
                Tok::Name("z".into()),
                Tok::Newline,
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("(1,\n 2)\\\n+3"),
            vec![
                Tok::Op("("),
                Tok::Int(1),
                Tok::Op(","),
                Tok::Int(2),
                Tok::Op(")"),
                Tok::Op("+"),
                Tok::Int(3),
                Tok::Newline,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("1_000 0x_ff 0o17 0b101")[..4],
            [Tok::Int(1000), Tok::Int(255), Tok::Int(15), Tok::Int(5)]
        );
        assert_eq!(
            toks("1.5 .5 1e3 2j 1.e-2")[..5],
            [
                Tok::Float(1.5),
                Tok::Float(0.5),
                Tok::Float(1000.0),
                Tok::Imag(2.0),
                Tok::Float(0.01)
            ]
        );
        assert_eq!(
            toks("0x1_0000_0000_0000_0000")[0],
            Tok::BigInt(16, "10000000000000000".into())
        );
        assert!(tokenize("012", 1).is_err());
        assert!(tokenize("1abc", 1).is_err());
    }

    #[test]
    fn strings() {
        assert_eq!(toks(r"'a\n\x41\101\u00e9'")[0], Tok::Str("a\nAAé".into()));
        assert_eq!(toks(r"r'a\n'")[0], Tok::Str("a\\n".into()));
        assert_eq!(toks(r"Rb'\x00\n'")[0], Tok::Bytes(b"\\x00\\n".to_vec()));
        assert_eq!(toks(r"b'\x00\xff'")[0], Tok::Bytes(vec![0, 255]));
        assert_eq!(toks("'''a\n'b'''")[0], Tok::Str("a\n'b".into()));
        assert_eq!(toks("F'{x}'")[0], Tok::FStr("{x}".into(), false));
        assert_eq!(toks(r"'\q'")[0], Tok::Str("\\q".into()));
        assert!(tokenize("'abc", 1).is_err());
        assert!(tokenize("'''abc", 1).is_err());
    }

    #[test]
    fn indentation_errors() {
        let e = tokenize("if x:\n    y\n  z\n", 1).unwrap_err();
        assert_eq!(e.msg, "unindent doesn't match any outer indent level");
        assert_eq!(e.line, 3);
    }
}
