//! `re`: MicroPython's regular expressions (the re1.5 subset).
//!
//! A pattern compiles to re1.5's byte code, with its limits: jumps and counts are signed
//! bytes, so a pattern whose code does not fit is an error, as in MicroPython. Supported:
//! literals, `.`, `[...]` and `[^...]` with ranges and named classes, `\d \D \w \W \s \S`,
//! `^ $`, `* + ?` and their non-greedy forms, `|`, groups and `(?:...)`. Counted repetition
//! is not supported (`{` is a literal).
//!
//! Matching is a backtracking loop over an explicit stack rather than recursion: the stack
//! depth is bounded (`RuntimeError`, where MicroPython overflows its C stack) and the steps
//! are counted, polling the port for Ctrl-C, so no pattern can hang the VM.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::obj::strbytes::arity;
use crate::object::HeapObj;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

crate::native_table!(pub FUNCTIONS = [
    ("compile", re_compile),
    ("match", re_match),
    ("search", re_search),
    ("sub", re_sub),
]);

crate::native_table!(pub PATTERN_METHODS = [
    ("match", re_match),
    ("search", re_search),
    ("split", re_split),
    ("sub", re_sub),
]);

crate::native_table!(pub MATCH_METHODS = [
    ("end", match_end),
    ("group", match_group),
    ("groups", match_groups),
    ("span", match_span),
    ("start", match_start),
]);

/// Names of the module's other attributes.
pub static ATTR_NAMES: &[&str] = &["DEBUG"];

/// The module's other attributes.
pub fn module_attr(_vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    Ok(match name {
        "DEBUG" => Some(Obj::small_int_unchecked(0x1000)),
        _ => None,
    })
}

// ---- the byte code ----

/// Opcodes below `MATCH` consume a byte of the subject.
mod op {
    pub const CHAR: u8 = 1;
    pub const ANY: u8 = 2;
    pub const CLASS: u8 = 3;
    pub const CLASS_NOT: u8 = 4;
    pub const NAMED_CLASS: u8 = 5;
    pub const MATCH: u8 = 0x10;
    pub const JMP: u8 = 0x11;
    pub const SPLIT: u8 = 0x12;
    pub const RSPLIT: u8 = 0x13;
    pub const SAVE: u8 = 0x14;
    pub const BOL: u8 = 0x15;
    pub const EOL: u8 = 0x16;
}

/// In a class, a pair starting with this byte is a named class (`\d`).
const NAMED_IN_CLASS: u8 = 0;

/// The code `search` runs first: try here, else skip a byte and loop. `match` skips it.
const SEARCH_PREFIX: [u8; 5] = [op::RSPLIT, 3, op::ANY, op::JMP, (-5i8) as u8];

/// The deepest group nesting the compiler follows.
const MAX_NESTING: usize = 100;

/// The deepest backtracking stack a match may build; less on a small heap (see `run`).
const MAX_BACKTRACK: usize = 10_000;

/// Steps between polls of the port for Ctrl-C.
const POLL_STEPS: u64 = 1 << 16;

/// The most steps one match may take.
const MAX_STEPS: u64 = 200_000_000;

/// A compiled pattern.
pub struct RegexObj {
    code: Vec<u8>,
    /// The number of capturing groups.
    sub: usize,
}

/// A successful match: the subject and where each group matched (byte offsets).
pub struct MatchObj {
    /// The string or bytes matched against.
    pub subject: Obj,
    caps: Vec<Option<usize>>,
}

enum CompileError {
    Syntax,
    TooDeep,
}

struct Compiler<'a> {
    re: &'a [u8],
    code: Vec<u8>,
    sub: usize,
    overflow: bool,
}

/// Whether `c` names a class after a backslash: `d D s S w W`.
fn is_named_class(c: u8) -> bool {
    matches!(c, b'd' | b'D' | b's' | b'S' | b'w' | b'W')
}

impl Compiler<'_> {
    /// The pattern byte at `i`; 0 past the end (the pattern ends at a NUL, as a C string).
    fn at(&self, i: usize) -> u8 {
        self.re.get(i).copied().unwrap_or(0)
    }

    /// A jump or count as a signed byte, noting when it does not fit.
    fn byte(&mut self, v: isize) -> u8 {
        if v != v as i8 as isize {
            self.overflow = true;
        }
        v as u8
    }

    /// The offset stored at `at` that jumps to `to`.
    fn rel(&mut self, at: usize, to: usize) -> u8 {
        self.byte(to as isize - at as isize - 2)
    }

    fn insert2(&mut self, at: usize) {
        self.code.splice(at..at, [0, 0]);
    }

    /// Compiles a sequence of alternatives from `i` up to a `)` or the end; where it stopped.
    fn seq(&mut self, mut i: usize, depth: usize) -> Result<usize, CompileError> {
        if depth > MAX_NESTING {
            return Err(CompileError::TooDeep);
        }
        let start = self.code.len();
        let mut term = start;
        let mut alt_label: Option<usize> = None;
        while self.at(i) != 0 && self.at(i) != b')' {
            let c = self.at(i);
            match c {
                b'\\' if is_named_class(self.at(i + 1)) => {
                    i += 1;
                    term = self.code.len();
                    self.code.extend_from_slice(&[op::NAMED_CLASS, self.at(i)]);
                }
                b'\\' => {
                    i += 1;
                    if self.at(i) == 0 {
                        return Err(CompileError::Syntax);
                    }
                    term = self.code.len();
                    self.code.extend_from_slice(&[op::CHAR, self.at(i)]);
                }
                b'.' => {
                    term = self.code.len();
                    self.code.push(op::ANY);
                }
                b'[' => {
                    term = self.code.len();
                    i += 1;
                    if self.at(i) == b'^' {
                        self.code.push(op::CLASS_NOT);
                        i += 1;
                    } else {
                        self.code.push(op::CLASS);
                    }
                    self.code.push(0);
                    let mut count: isize = 0;
                    while self.at(i) != b']' {
                        let mut lo = self.at(i);
                        let mut named = false;
                        if lo == b'\\' {
                            i += 1;
                            lo = self.at(i);
                            named = is_named_class(lo);
                        }
                        if named {
                            self.code.extend_from_slice(&[NAMED_IN_CLASS, lo]);
                        } else {
                            if lo == 0 {
                                return Err(CompileError::Syntax);
                            }
                            if self.at(i + 1) == b'-' && self.at(i + 2) != b']' {
                                i += 2;
                            }
                            let hi = self.at(i);
                            self.code.extend_from_slice(&[lo, hi]);
                        }
                        i += 1;
                        count += 1;
                    }
                    let n = self.byte(count);
                    self.code[term + 1] = n;
                }
                b'(' => {
                    term = self.code.len();
                    let capture = !(self.at(i + 1) == b'?' && self.at(i + 2) == b':');
                    let mut group = 0;
                    if capture {
                        self.sub += 1;
                        group = self.sub;
                        let slot = self.byte(2 * group as isize);
                        self.code.extend_from_slice(&[op::SAVE, slot]);
                    } else {
                        i += 2;
                    }
                    i = self.seq(i + 1, depth + 1)?;
                    if self.at(i) != b')' {
                        return Err(CompileError::Syntax);
                    }
                    if capture {
                        let slot = self.byte(2 * group as isize + 1);
                        self.code.extend_from_slice(&[op::SAVE, slot]);
                    }
                }
                b'?' => {
                    if self.code.len() == term {
                        return Err(CompileError::Syntax);
                    }
                    self.insert2(term);
                    let lazy = self.at(i + 1) == b'?';
                    if lazy {
                        i += 1;
                    }
                    self.code[term] = if lazy { op::RSPLIT } else { op::SPLIT };
                    let end = self.code.len();
                    self.code[term + 1] = self.rel(term, end);
                    term = self.code.len();
                }
                b'*' => {
                    if self.code.len() == term {
                        return Err(CompileError::Syntax);
                    }
                    self.insert2(term);
                    let jmp = self.code.len();
                    let back = self.rel(jmp, term);
                    self.code.extend_from_slice(&[op::JMP, back]);
                    let lazy = self.at(i + 1) == b'?';
                    if lazy {
                        i += 1;
                    }
                    self.code[term] = if lazy { op::RSPLIT } else { op::SPLIT };
                    let end = self.code.len();
                    self.code[term + 1] = self.rel(term, end);
                    term = self.code.len();
                }
                b'+' => {
                    if self.code.len() == term {
                        return Err(CompileError::Syntax);
                    }
                    let lazy = self.at(i + 1) == b'?';
                    if lazy {
                        i += 1;
                    }
                    let here = self.code.len();
                    let back = self.rel(here, term);
                    let opcode = if lazy { op::SPLIT } else { op::RSPLIT };
                    self.code.extend_from_slice(&[opcode, back]);
                    term = self.code.len();
                }
                b'|' => {
                    if let Some(label) = alt_label {
                        let end = self.code.len();
                        let off = self.byte(end as isize - label as isize - 1);
                        self.code[label] = off;
                    }
                    self.insert2(start);
                    self.code.extend_from_slice(&[op::JMP, 0]);
                    alt_label = Some(self.code.len() - 1);
                    self.code[start] = op::SPLIT;
                    let end = self.code.len();
                    self.code[start + 1] = self.rel(start, end);
                    term = self.code.len();
                }
                b'^' => {
                    self.code.push(op::BOL);
                    term = self.code.len();
                }
                b'$' => {
                    self.code.push(op::EOL);
                    term = self.code.len();
                }
                _ => {
                    term = self.code.len();
                    self.code.extend_from_slice(&[op::CHAR, c]);
                }
            }
            i += 1;
        }
        if let Some(label) = alt_label {
            let end = self.code.len();
            let off = self.byte(end as isize - label as isize - 1);
            self.code[label] = off;
        }
        Ok(i)
    }
}

/// Compiles `pattern` (up to its first NUL).
fn compile(vm: &mut Vm, pattern: &[u8]) -> PyResult<RegexObj> {
    let end = pattern
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(pattern.len());
    let mut c = Compiler {
        re: &pattern[..end],
        code: Vec::from(SEARCH_PREFIX),
        sub: 0,
        overflow: false,
    };
    c.code.extend_from_slice(&[op::SAVE, 0]);
    match c.seq(0, 0) {
        Err(CompileError::TooDeep) => {
            raise!(vm, RUNTIME_ERROR, "maximum recursion depth exceeded")
        }
        // As MicroPython: a pattern that fails its sizing pass is "too complex"; one that
        // sizes but stops early (at a stray `)`) is an "error".
        Ok(_) | Err(CompileError::Syntax) if c.overflow => {
            raise!(vm, VALUE_ERROR, "regex too complex")
        }
        Ok(i) if i == c.re.len() => {}
        Ok(_) => raise!(vm, VALUE_ERROR, "error in regex"),
        Err(CompileError::Syntax) => raise!(vm, VALUE_ERROR, "regex too complex"),
    }
    c.code.extend_from_slice(&[op::SAVE, 1, op::MATCH]);
    Ok(RegexObj {
        code: c.code,
        sub: c.sub,
    })
}

// ---- matching ----

/// What a match runs over: the bytes, where `^` matches, where matching starts and ends.
struct Subject<'a> {
    text: &'a [u8],
    line_start: usize,
    begin: usize,
    end: usize,
}

/// Whether byte `c` is in named class `name` (`d`, `s`, `w`; upper case negates).
fn named_class_match(name: u8, c: u8) -> bool {
    let inside = match name | 0x20 {
        b'd' => c.is_ascii_digit(),
        b's' => c == b' ' || (b'\t'..=b'\r').contains(&c),
        _ => c.is_ascii_alphanumeric() || c == b'_',
    };
    inside == name.is_ascii_lowercase()
}

/// Whether byte `c` is in the class whose count byte is at `code[pc]`. Ranges compare as
/// signed bytes, as re1.5 does with C `char`.
fn class_match(code: &[u8], pc: usize, c: u8) -> bool {
    let positive = code.get(pc.wrapping_sub(1)) == Some(&op::CLASS);
    let count = usize::from(code.get(pc).copied().unwrap_or(0));
    for k in 0..count {
        let lo = code.get(pc + 1 + 2 * k).copied().unwrap_or(0);
        let hi = code.get(pc + 2 + 2 * k).copied().unwrap_or(0);
        let hit = if lo == NAMED_IN_CLASS {
            named_class_match(hi, c)
        } else {
            (lo as i8) <= (c as i8) && (c as i8) <= (hi as i8)
        };
        if hit {
            return positive;
        }
    }
    !positive
}

/// A backtracking entry.
enum Backtrack {
    /// Resume at `pc` with the subject at `sp`.
    Alt(usize, usize),
    /// Undo a group boundary.
    Restore(usize, Option<usize>),
}

/// Runs `re` over the subject, filling `caps`; whether it matched.
fn run(
    vm: &mut Vm,
    re: &RegexObj,
    s: &Subject,
    caps: &mut [Option<usize>],
    anchored: bool,
) -> PyResult<bool> {
    let code = &re.code[..];
    let mut pc = if anchored { SEARCH_PREFIX.len() } else { 0 };
    let mut sp = s.begin;
    let mut stack: Vec<Backtrack> = Vec::new();
    // The stack lives beside the heap, not in it.
    // Deeper than the room beside the heap allows is the depth error, as MicroPython's C
    // stack overflowing is; on a board, a third of the arena's room (the stack doubles as it
    // grows, the old one held until it is moved).
    let room = vm.beside_max(3);
    let max_backtrack = (room / core::mem::size_of::<Backtrack>()).min(MAX_BACKTRACK);
    let mut steps: u64 = 0;
    loop {
        steps += 1;
        if steps.is_multiple_of(POLL_STEPS) {
            if vm.port.interrupted() {
                return Err(vm.exc(ty::KEYBOARD_INTERRUPT, ""));
            }
            if steps > MAX_STEPS {
                raise!(vm, RUNTIME_ERROR, "regex match too complex");
            }
        }
        // A step pushes at most two entries; a stack the arena cannot grow is as deep as
        // it can go.
        if stack.len() + 2 > max_backtrack || vm.reserve_beside(&mut stack, 2).is_err() {
            raise!(vm, RUNTIME_ERROR, "maximum recursion depth exceeded");
        }
        let opcode = code.get(pc).copied().unwrap_or(op::MATCH);
        let arg = code.get(pc + 1).copied().unwrap_or(0);
        let mut ok = true;
        if opcode < op::MATCH && sp >= s.end {
            ok = false;
        } else {
            match opcode {
                op::CHAR => {
                    ok = s.text.get(sp) == Some(&arg);
                    sp += 1;
                    pc += 2;
                }
                op::ANY => {
                    sp += 1;
                    pc += 1;
                }
                op::CLASS | op::CLASS_NOT => {
                    ok = class_match(code, pc + 1, s.text.get(sp).copied().unwrap_or(0));
                    pc += 2 + 2 * usize::from(arg);
                    sp += 1;
                }
                op::NAMED_CLASS => {
                    ok = named_class_match(arg, s.text.get(sp).copied().unwrap_or(0));
                    pc += 2;
                    sp += 1;
                }
                op::MATCH => return Ok(true),
                op::JMP => pc = (pc + 2).wrapping_add_signed(isize::from(arg as i8)),
                op::SPLIT | op::RSPLIT => {
                    let next = pc + 2;
                    let other = next.wrapping_add_signed(isize::from(arg as i8));
                    let (first, second) = if opcode == op::SPLIT {
                        (next, other)
                    } else {
                        (other, next)
                    };
                    stack.push(Backtrack::Alt(second, sp));
                    pc = first;
                }
                op::SAVE => {
                    let slot = usize::from(arg);
                    if let Some(c) = caps.get_mut(slot) {
                        stack.push(Backtrack::Restore(slot, *c));
                        *c = Some(sp);
                    }
                    pc += 2;
                }
                op::BOL => {
                    ok = sp == s.line_start;
                    pc += 1;
                }
                op::EOL => {
                    ok = sp == s.end;
                    pc += 1;
                }
                _ => ok = false,
            }
        }
        if ok {
            continue;
        }
        loop {
            match stack.pop() {
                None => return Ok(false),
                Some(Backtrack::Restore(slot, old)) => caps[slot] = old,
                Some(Backtrack::Alt(p, at)) => {
                    pc = p;
                    sp = at;
                    break;
                }
            }
        }
    }
}

// ---- the Python interface ----

/// The bytes of a str or bytes argument, and whether it is a str.
fn text_arg(vm: &mut Vm, o: Obj) -> PyResult<(Vec<u8>, bool)> {
    if let Some(s) = vm.str_of(o) {
        return Ok((s.as_bytes().to_vec(), true));
    }
    if let Some(HeapObj::Bytes(b)) = vm.heap.get(o) {
        return Ok((b.to_vec(), false));
    }
    Err(crate::obj::strbytes::implicit_conversion_error(vm, o))
}

/// A str (lossily) or bytes holding `data`.
fn new_text(vm: &mut Vm, data: &[u8], is_str: bool) -> PyResult<Obj> {
    if is_str {
        vm.new_string(String::from_utf8_lossy(data).into_owned())
    } else {
        crate::obj::bytes::new_bytes(vm, data.to_vec())
    }
}

/// The compiled pattern `o`, compiling a str or bytes pattern; whether it was compiled already.
fn pattern_of(vm: &mut Vm, o: Obj) -> PyResult<(Obj, bool)> {
    if matches!(vm.heap.get(o), Some(HeapObj::Regex(_))) {
        return Ok((o, true));
    }
    let (p, _) = text_arg(vm, o)?;
    let re = compile(vm, &p)?;
    Ok((vm.alloc(HeapObj::Regex(Box::new(re)))?, false))
}

/// Runs the compiled pattern `re` (a `HeapObj::Regex`) over `subject`.
fn exec(vm: &mut Vm, re: Obj, s: &Subject, anchored: bool) -> PyResult<Option<Vec<Option<usize>>>> {
    // Take the program out while it runs (nothing can reach it meanwhile: matching does not
    // call into Python).
    let prog = match vm.heap.get_mut(re) {
        Some(HeapObj::Regex(r)) => core::mem::replace(
            &mut **r,
            RegexObj {
                code: Vec::new(),
                sub: 0,
            },
        ),
        _ => raise!(vm, TYPE_ERROR, "expected a compiled regex"),
    };
    let mut caps = alloc::vec![None; (prog.sub + 1) * 2];
    let r = run(vm, &prog, s, &mut caps, anchored);
    if let Some(HeapObj::Regex(slot)) = vm.heap.get_mut(re) {
        **slot = prog;
    }
    Ok(if r? { Some(caps) } else { None })
}

/// `re.match`/`re.search` and the pattern methods: `(pattern, string[, pos[, endpos]])`.
fn exec_helper(vm: &mut Vm, args: &[Obj], anchored: bool) -> PyResult<Obj> {
    arity(vm, args, 2, 4)?;
    let (re, compiled) = pattern_of(vm, args[0])?;
    let (text, _) = text_arg(vm, args[1])?;
    let len = text.len() as i64;
    let mut s = Subject {
        text: &text,
        line_start: 0,
        begin: 0,
        end: text.len(),
    };
    if compiled && args.len() > 2 {
        let pos = vm.index_value(args[2])?.clamp(0, len);
        s.begin = pos as usize;
        if let Some(&e) = args.get(3) {
            let end = vm.index_value(e)?.clamp(pos, len);
            s.end = end as usize;
        }
    }
    match exec(vm, re, &s, anchored)? {
        Some(caps) => vm.alloc(HeapObj::ReMatch(Box::new(MatchObj {
            subject: args[1],
            caps,
        }))),
        None => Ok(Obj::NONE),
    }
}

/// `re.compile(pattern[, flags])`.
fn re_compile(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 2)?;
    let (p, _) = text_arg(vm, args[0])?;
    let re = compile(vm, &p)?;
    vm.alloc(HeapObj::Regex(Box::new(re)))
}

/// `re.match(pattern, string)`, `pattern.match(string[, pos[, endpos]])`: anchored at the start.
fn re_match(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    exec_helper(vm, args, true)
}

/// `re.search(pattern, string)`, `pattern.search(string[, pos[, endpos]])`.
fn re_search(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    exec_helper(vm, args, false)
}

/// `pattern.split(string[, maxsplit])`.
fn re_split(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 2, 3)?;
    let (re, _) = pattern_of(vm, args[0])?;
    let (text, is_str) = text_arg(vm, args[1])?;
    let mut maxsplit = match args.get(2) {
        Some(&m) => vm.index_value(m)?,
        None => 0,
    };
    let groups = match vm.heap.get(re) {
        Some(HeapObj::Regex(r)) => r.sub,
        _ => 0,
    };
    let mut pieces = Vec::new();
    let mut begin = 0;
    while let Some((a, b, _)) = next_match(vm, re, &text, begin)? {
        pieces.push(new_text(vm, &text[begin..a], is_str)?);
        if groups > 0 {
            raise!(vm, NOT_IMPLEMENTED_ERROR, "splitting with sub-captures");
        }
        begin = b;
        if maxsplit > 0 {
            maxsplit -= 1;
            if maxsplit == 0 {
                break;
            }
        }
    }
    pieces.push(new_text(vm, &text[begin..], is_str)?);
    vm.new_list(pieces)
}

/// A match: its start, its end and every group boundary.
type Found = (usize, usize, Vec<Option<usize>>);

/// The next non-empty match of `re` in `text` from `begin` (`split` and `sub` stop at an
/// empty one, as MicroPython does): its span and all group boundaries.
fn next_match(vm: &mut Vm, re: Obj, text: &[u8], begin: usize) -> PyResult<Option<Found>> {
    let s = Subject {
        text,
        line_start: 0,
        begin,
        end: text.len(),
    };
    let Some(caps) = exec(vm, re, &s, false)? else {
        return Ok(None);
    };
    Ok(match (caps[0], caps[1]) {
        (Some(a), Some(b)) if a != b => Some((a, b, caps)),
        _ => None,
    })
}

/// Appends the replacement template `repl` with `\N`, `\g<N>` and `\\` filled from `caps`.
fn expand(
    vm: &mut Vm,
    repl: &[u8],
    text: &[u8],
    caps: &[Option<usize>],
    out: &mut Vec<u8>,
) -> PyResult<()> {
    let at = |i: usize| repl.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while at(i) != 0 {
        if at(i) != b'\\' {
            out.push(at(i));
            i += 1;
            continue;
        }
        i += 1;
        let mut g_form = false;
        if at(i) == b'g' && at(i + 1) == b'<' {
            i += 2;
            g_form = true;
        }
        if at(i).is_ascii_digit() {
            let mut n: usize = 0;
            while at(i).is_ascii_digit() {
                n = n
                    .saturating_mul(10)
                    .saturating_add(usize::from(at(i) - b'0'));
                i += 1;
            }
            if g_form && at(i) == b'>' {
                i += 1;
            }
            if n >= caps.len() / 2 {
                let n = vm.new_int(i64::try_from(n).unwrap_or(i64::MAX))?;
                return Err(vm.exc_with_arg(ty::INDEX_ERROR, n));
            }
            if let (Some(a), Some(b)) = (caps[2 * n], caps[2 * n + 1]) {
                out.extend_from_slice(text.get(a..b).unwrap_or(&[]));
            }
        } else if at(i) == b'\\' {
            out.push(b'\\');
            i += 1;
        }
    }
    Ok(())
}

/// `re.sub(pattern, repl, string[, count[, flags]])` and `pattern.sub(repl, string[, count])`.
fn re_sub(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 3, 5)?;
    let (re, _) = pattern_of(vm, args[0])?;
    let (repl, where_) = (args[1], args[2]);
    let (text, is_str) = text_arg(vm, where_)?;
    let mut count = match args.get(3) {
        Some(&c) => vm.index_value(c)?,
        None => 0,
    };
    let template = text_arg(vm, repl).ok().map(|(t, _)| t);
    let mut out: Option<Vec<u8>> = None;
    let mut begin = 0;
    while let Some((a, b, caps)) = next_match(vm, re, &text, begin)? {
        let buf = out.get_or_insert_with(Vec::new);
        buf.extend_from_slice(&text[begin..a]);
        let r = match &template {
            Some(t) => t.clone(),
            None => {
                let m = vm.alloc(HeapObj::ReMatch(Box::new(MatchObj {
                    subject: where_,
                    caps: caps.clone(),
                })))?;
                let r = vm.call(repl, &[m], &[])?;
                text_arg(vm, r)?.0
            }
        };
        let mut piece = Vec::new();
        expand(vm, &r, &text, &caps, &mut piece)?;
        if let Some(buf) = out.as_mut() {
            // The result is built beside the heap: no bigger than the heap could ever hold,
            // and on a board only as it has room to grow.
            if buf.len() + piece.len() > vm.heap.limit() {
                return Err(vm.memory_error());
            }
            vm.reserve_beside(buf, piece.len())?;
            buf.extend_from_slice(&piece);
        }
        begin = b;
        if count > 0 {
            count -= 1;
            if count == 0 {
                break;
            }
        }
    }
    let Some(mut buf) = out else {
        return Ok(where_);
    };
    buf.extend_from_slice(&text[begin..]);
    new_text(vm, &buf, is_str)
}

// ---- match objects ----

/// The match `o`'s subject and group boundaries.
fn match_parts(vm: &mut Vm, o: Obj) -> PyResult<(Obj, Vec<Option<usize>>)> {
    match vm.heap.get(o) {
        Some(HeapObj::ReMatch(m)) => Ok((m.subject, m.caps.clone())),
        _ => raise!(vm, TYPE_ERROR, "expected a match object"),
    }
}

/// The group number argument at `args[1]` (0 if absent), checked against the group count.
fn group_index(vm: &mut Vm, args: &[Obj], groups: usize) -> PyResult<usize> {
    let Some(&g) = args.get(1) else {
        return Ok(0);
    };
    let n = vm.index_value(g)?;
    if n < 0 || n as u64 >= groups as u64 {
        return Err(vm.exc_with_arg(ty::INDEX_ERROR, g));
    }
    Ok(n as usize)
}

/// Group `n`'s text, or `None` if it did not take part.
fn group_text(vm: &mut Vm, subject: Obj, caps: &[Option<usize>], n: usize) -> PyResult<Obj> {
    let (Some(a), Some(b)) = (caps[2 * n], caps[2 * n + 1]) else {
        return Ok(Obj::NONE);
    };
    let (text, is_str) = text_arg(vm, subject)?;
    new_text(vm, text.get(a..b).unwrap_or(&[]), is_str)
}

/// `m.group([n])`.
fn match_group(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 2)?;
    let (subject, caps) = match_parts(vm, args[0])?;
    let n = group_index(vm, args, caps.len() / 2)?;
    group_text(vm, subject, &caps, n)
}

/// `m.groups()`: every group but the whole match.
fn match_groups(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 1)?;
    let (subject, caps) = match_parts(vm, args[0])?;
    let mut items = Vec::new();
    for n in 1..caps.len() / 2 {
        items.push(group_text(vm, subject, &caps, n)?);
    }
    vm.new_tuple(&items)
}

/// Group `args[1]`'s `(start, end)`, in characters for a str; `(-1, -1)` if it did not take
/// part.
fn span_of(vm: &mut Vm, args: &[Obj]) -> PyResult<(i64, i64)> {
    arity(vm, args, 1, 2)?;
    let (subject, caps) = match_parts(vm, args[0])?;
    let n = group_index(vm, args, caps.len() / 2)?;
    let (Some(a), Some(b)) = (caps[2 * n], caps[2 * n + 1]) else {
        return Ok((-1, -1));
    };
    let (text, is_str) = text_arg(vm, subject)?;
    let index = |off: usize| -> i64 {
        let head = text.get(..off).unwrap_or(&text);
        if is_str {
            head.iter().filter(|&&c| c & 0xc0 != 0x80).count() as i64
        } else {
            off as i64
        }
    };
    Ok((index(a), index(b)))
}

/// `m.span([n])`.
fn match_span(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (a, b) = span_of(vm, args)?;
    let (a, b) = (vm.new_int(a)?, vm.new_int(b)?);
    vm.new_tuple(&[a, b])
}

/// `m.start([n])`.
fn match_start(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (a, _) = span_of(vm, args)?;
    vm.new_int(a)
}

/// `m.end([n])`.
fn match_end(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (_, b) = span_of(vm, args)?;
    vm.new_int(b)
}

/// `repr` of a match: `<match num=N>`, N the number of groups counting the whole match.
pub fn match_repr(vm: &Vm, o: Obj) -> String {
    let n = match vm.heap.get(o) {
        Some(HeapObj::ReMatch(m)) => m.caps.len() / 2,
        _ => 0,
    };
    alloc::format!("<match num={}>", n)
}
