//! The bytecode: the contract between the compiler and the VM.
//!
//! A code object is a flat byte string of instructions. Every instruction is one opcode byte,
//! followed by its argument if `Op::arg_len` says it has one:
//!
//! | argument kind | bytes | used by                                                    |
//! |---------------|-------|------------------------------------------------------------|
//! | none          | 0     | stack shuffles, operators on the top of stack, returns     |
//! | `u16` LE      | 2     | indices into `consts`/`names`/locals, counts, small flags  |
//! | `u32` LE      | 4     | absolute jump targets (byte offsets into `code`)           |
//!
//! The model is a stack machine in the style of CPython 3.8, which is well documented and
//! which MicroPython's own VM resembles: a value stack per frame, a block stack for
//! `try`/`with` handlers, and `finally` bodies that the compiler copies onto every exit path
//! (normal fall-through, `return`, `break`, `continue`), so the VM only has to handle the
//! exceptional path. Stack effects are written `[before] -> [after]`, top of stack on the
//! right.
//!
//! This module is pure data: no heap, no VM. The core turns a [`Code`] into runtime objects.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

/// Flags of a code object (`Code::flags`).
pub mod flags {
    /// The function takes `*args`: the local after the positional and keyword-only ones.
    pub const VARARGS: u8 = 0x01;
    /// The function takes `**kwargs`: the local after `*args` (or after keyword-only ones).
    pub const VARKEYWORDS: u8 = 0x02;
    /// Calling the function makes a generator.
    pub const GENERATOR: u8 = 0x04;
    /// `async def`: calling it makes a coroutine.
    pub const COROUTINE: u8 = 0x08;
    /// `async def` containing `yield`: an async generator.
    pub const ASYNC_GENERATOR: u8 = 0x10;
    /// A module, class body or `exec`/`eval` code: names live in dicts (`LOAD_NAME`).
    pub const NAMESPACE: u8 = 0x20;
}

/// One compiled function, class body or module.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    /// The function's `__name__` (`<module>`, `<lambda>`, `<listcomp>`, ...).
    pub name: String,
    /// The file name shown in tracebacks (`<stdin>`, `x.py`).
    pub filename: String,
    /// See [`flags`].
    pub flags: u8,
    /// Number of positional parameters (including positional-only ones).
    pub argcount: u16,
    /// Number of keyword-only parameters.
    pub kwonlyargcount: u16,
    /// Names of all fast locals. Parameters come first, in this order: positional,
    /// keyword-only, `*args`, `**kwargs`; then the other locals.
    pub varnames: Vec<String>,
    /// Locals that are captured by inner functions (cells), as indices into `varnames`
    /// or names that are not parameters. Cell `i` is `LOAD_DEREF i`.
    /// A parameter that is also a cell has its argument copied into the cell on entry.
    pub cellvars: Vec<String>,
    /// Variables of enclosing functions used here. Free variable `j` is
    /// `LOAD_DEREF (cellvars.len() + j)`; the closure tuple of `MAKE_FUNCTION` holds
    /// exactly these cells, in this order.
    pub freevars: Vec<String>,
    /// Names used by `*_NAME`, `*_GLOBAL`, `*_ATTR`, `LOAD_METHOD`, `IMPORT_*`.
    pub names: Vec<String>,
    /// Constants used by `LOAD_CONST`.
    pub consts: Vec<Const>,
    /// The instructions.
    pub code: Vec<u8>,
    /// `(byte offset, line)` pairs, ascending by offset: an instruction at offset `o` belongs
    /// to the line of the last pair whose offset is `<= o`.
    pub lines: Vec<(u32, u32)>,
    /// The line of the `def`/`class`/first statement.
    pub firstlineno: u32,
    /// Upper bound of the value stack depth, block entries excluded.
    pub max_stack: u16,
}

impl Code {
    /// For each cell, the parameter whose argument it starts with, if it is one (`cellvars`
    /// are matched against the parameters at the head of `varnames`).
    pub fn cell_args(&self) -> Vec<Option<u16>> {
        let nparams = self.argcount as usize
            + self.kwonlyargcount as usize
            + (self.flags & flags::VARARGS != 0) as usize
            + (self.flags & flags::VARKEYWORDS != 0) as usize;
        let params = self.varnames.get(..nparams).unwrap_or(&self.varnames);
        self.cellvars
            .iter()
            .map(|c| params.iter().position(|v| v == c).map(|i| i as u16))
            .collect()
    }
}

/// Packs a line table (`Code::lines`) into the bytes a loaded code object keeps: for each
/// pair, the growth of the offset (unsigned) then the change of the line (zigzag), each as a
/// LEB128 varint. A pair usually takes two bytes instead of eight.
pub fn pack_lines(lines: &[(u32, u32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(lines.len() * 2);
    let (mut offset, mut line) = (0u32, 0u32);
    for &(o, l) in lines {
        push_varint(&mut out, o.wrapping_sub(offset));
        let delta = l.wrapping_sub(line) as i32;
        push_varint(&mut out, ((delta << 1) ^ (delta >> 31)) as u32);
        (offset, line) = (o, l);
    }
    out
}

/// The line of the instruction at `offset` in a table made by [`pack_lines`]: the line of the
/// last pair whose offset is `<= offset` (the first pair's line before it, 1 for an empty
/// table). A truncated table ends where it breaks.
pub fn line_at(packed: &[u8], offset: usize) -> u32 {
    let mut bytes = packed.iter().copied();
    let (mut o, mut line, mut first) = (0u32, 0u32, true);
    while let (Some(dofs), Some(dline)) = (read_varint(&mut bytes), read_varint(&mut bytes)) {
        o = o.wrapping_add(dofs);
        if o as usize > offset && !first {
            break;
        }
        line = line.wrapping_add((((dline >> 1) as i32) ^ -((dline & 1) as i32)) as u32);
        first = false;
        if o as usize > offset {
            break;
        }
    }
    if first {
        1
    } else {
        line
    }
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(bytes: &mut impl Iterator<Item = u8>) -> Option<u32> {
    let mut v = 0u32;
    for shift in (0..35).step_by(7) {
        let b = bytes.next()?;
        v |= ((b & 0x7f) as u32).checked_shl(shift).unwrap_or(0);
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// A constant of the constant table.
#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    /// `None`.
    None,
    /// `True`.
    True,
    /// `False`.
    False,
    /// `...`.
    Ellipsis,
    /// An integer that fits in an `i64`.
    Int(i64),
    /// A larger integer literal: its digits in `radix` (2, 8, 10 or 16), no sign, no prefix,
    /// no underscores.
    BigInt {
        /// 2, 8, 10 or 16.
        radix: u32,
        /// ASCII digits.
        digits: String,
    },
    /// A float literal.
    Float(f64),
    /// An imaginary literal `Nj`: the complex number `0 + Nj`.
    Imag(f64),
    /// A `str` literal (escapes already processed).
    Str(String),
    /// A `bytes` literal (escapes already processed).
    Bytes(Vec<u8>),
    /// A tuple of constants (used for keyword-name tuples of `CALL_FUNCTION_KW`, default
    /// values that are all constant, and folded tuple literals).
    Tuple(Vec<Const>),
    /// A nested code object, for `MAKE_FUNCTION`.
    Code(Box<Code>),
    /// A nested code object handed to the compile's [`Loader`](crate::Loader), by the number
    /// the loader gave it.
    Loaded(u32),
}

/// What `BINARY_OP` and `INPLACE_OP` compute; the argument is `BinOp as u16`.
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add = 0,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    TrueDiv,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `<<`
    LShift,
    /// `>>`
    RShift,
    /// `&`
    And,
    /// `|`
    Or,
    /// `^`
    Xor,
    /// `@`
    MatMul,
}

impl BinOp {
    /// All operators, indexed by their number.
    pub const ALL: [BinOp; 13] = [
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::TrueDiv,
        BinOp::FloorDiv,
        BinOp::Mod,
        BinOp::Pow,
        BinOp::LShift,
        BinOp::RShift,
        BinOp::And,
        BinOp::Or,
        BinOp::Xor,
        BinOp::MatMul,
    ];

    /// The operator for an argument byte, if it is one.
    pub fn from_u16(n: u16) -> Option<BinOp> {
        Self::ALL.get(n as usize).copied()
    }

    /// The operator's symbol, as in error messages (`unsupported types for +`).
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::TrueDiv => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::And => "&",
            BinOp::Or => "|",
            BinOp::Xor => "^",
            BinOp::MatMul => "@",
        }
    }
}

/// What `UNARY_OP` computes.
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg = 0,
    /// `+x`
    Pos,
    /// `~x`
    Invert,
    /// `not x`
    Not,
}

impl UnaryOp {
    /// The operator for an argument, if it is one.
    pub fn from_u16(n: u16) -> Option<UnaryOp> {
        [UnaryOp::Neg, UnaryOp::Pos, UnaryOp::Invert, UnaryOp::Not]
            .get(n as usize)
            .copied()
    }
}

/// What `COMPARE_OP` computes.
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `<`
    Lt = 0,
    /// `<=`
    Le,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `is`
    Is,
    /// `is not`
    IsNot,
}

impl CmpOp {
    /// The comparison for an argument, if it is one.
    pub fn from_u16(n: u16) -> Option<CmpOp> {
        use CmpOp::*;
        [Lt, Le, Eq, Ne, Gt, Ge, In, NotIn, Is, IsNot]
            .get(n as usize)
            .copied()
    }
}

/// Decodes the instruction at `pc`: opcode, argument, offset of the next instruction.
pub fn decode(code: &[u8], pc: usize) -> Option<(Op, u32, usize)> {
    let op = Op::from_u8(*code.get(pc)?)?;
    let n = op.arg_len();
    let bytes = code.get(pc + 1..pc + 1 + n)?;
    let arg = bytes
        .iter()
        .rev()
        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    Some((op, arg, pc + 1 + n))
}

/// What an instruction's argument indexes, for disassemblers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// `Code::consts`.
    Const,
    /// `Code::varnames`.
    Local,
    /// The cells then the free variables.
    Deref,
    /// `Code::names`.
    Name,
    /// A count, a target, an operator or nothing.
    Other,
}

impl Op {
    /// What the argument of this instruction indexes.
    pub fn arg_kind(self) -> ArgKind {
        use Op::*;
        match self {
            LOAD_CONST => ArgKind::Const,
            LOAD_FAST | STORE_FAST | DELETE_FAST => ArgKind::Local,
            LOAD_DEREF | STORE_DEREF | DELETE_DEREF | LOAD_CLOSURE | LOAD_CLASSDEREF => {
                ArgKind::Deref
            }
            LOAD_NAME | STORE_NAME | DELETE_NAME | LOAD_GLOBAL | STORE_GLOBAL | DELETE_GLOBAL
            | LOAD_ATTR | STORE_ATTR | DELETE_ATTR | LOAD_METHOD | IMPORT_NAME | IMPORT_FROM => {
                ArgKind::Name
            }
            _ => ArgKind::Other,
        }
    }
}

/// Bits of the `MAKE_FUNCTION` argument: which extra items are on the stack, below the
/// code object and the qualified name.
pub mod make_function {
    /// A tuple of positional defaults.
    pub const DEFAULTS: u16 = 0x01;
    /// A dict of keyword-only defaults.
    pub const KWDEFAULTS: u16 = 0x02;
    /// A tuple of cells for the code's free variables.
    pub const CLOSURE: u16 = 0x08;
}

/// Bits of the `FORMAT_VALUE` argument.
pub mod format_value {
    /// Mask of the conversion: 0 none, 1 `!s`, 2 `!r`, 3 `!a`.
    pub const CONVERSION_MASK: u16 = 0x03;
    /// A format spec string is on the stack above the value.
    pub const HAS_SPEC: u16 = 0x04;
}

macro_rules! opcodes {
    ($($(#[doc = $doc:literal])* $name:ident = $num:literal, $arg:literal;)*) => {
        /// The opcodes. The number after each is its byte; the doc says its argument and
        /// stack effect.
        #[repr(u8)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(non_camel_case_types)]
        pub enum Op {
            $($(#[doc = $doc])* $name = $num,)*
        }

        impl Op {
            /// The opcode of a byte, if it is one.
            #[inline]
            pub const fn from_u8(b: u8) -> Option<Op> {
                match b {
                    $($num => Some(Op::$name),)*
                    _ => None,
                }
            }

            /// The number of argument bytes that follow the opcode: 0, 2 or 4.
            #[inline]
            pub const fn arg_len(self) -> usize {
                match self {
                    $(Op::$name => $arg,)*
                }
            }

            /// The opcode's name, for the disassembler.
            pub fn name(self) -> &'static str {
                match self {
                    $(Op::$name => stringify!($name),)*
                }
            }
        }
    };
}

opcodes! {
    /// Does nothing.
    NOP = 0, 0;
    /// `[a] -> []`
    POP_TOP = 1, 0;
    /// `[a, b] -> [b, a]`
    ROT_TWO = 2, 0;
    /// `[a, b, c] -> [c, a, b]`
    ROT_THREE = 3, 0;
    /// `[a, b, c, d] -> [d, a, b, c]`
    ROT_FOUR = 4, 0;
    /// `[a] -> [a, a]`
    DUP_TOP = 5, 0;
    /// `[a, b] -> [a, b, a, b]`
    DUP_TOP_TWO = 6, 0;

    /// arg: const index. `[] -> [consts[arg]]`
    LOAD_CONST = 10, 2;
    /// arg: small int as `i16` bits. `[] -> [int]`
    LOAD_SMALL_INT = 11, 2;
    /// arg: local index. `[] -> [value]`; `UnboundLocalError` if unset.
    LOAD_FAST = 12, 2;
    /// arg: local index. `[v] -> []`
    STORE_FAST = 13, 2;
    /// arg: local index. Unsets the local (`UnboundLocalError` if unset).
    DELETE_FAST = 14, 2;
    /// arg: cell/free index (see `Code::freevars`). `[] -> [cell contents]`
    LOAD_DEREF = 15, 2;
    /// arg: cell/free index. `[v] -> []`
    STORE_DEREF = 16, 2;
    /// arg: cell/free index. Empties the cell.
    DELETE_DEREF = 17, 2;
    /// arg: cell/free index. `[] -> [cell]` (the cell itself, for building closures).
    LOAD_CLOSURE = 18, 2;
    /// arg: free index. In a class body: the class namespace first, then the cell.
    LOAD_CLASSDEREF = 19, 2;
    /// arg: name index. Locals dict, then globals, then builtins. `[] -> [v]`
    LOAD_NAME = 20, 2;
    /// arg: name index. `[v] -> []` into the locals dict.
    STORE_NAME = 21, 2;
    /// arg: name index. Deletes from the locals dict.
    DELETE_NAME = 22, 2;
    /// arg: name index. Globals, then builtins. `[] -> [v]`
    LOAD_GLOBAL = 23, 2;
    /// arg: name index. `[v] -> []`
    STORE_GLOBAL = 24, 2;
    /// arg: name index.
    DELETE_GLOBAL = 25, 2;

    /// arg: name index. `[obj] -> [obj.name]`
    LOAD_ATTR = 30, 2;
    /// arg: name index. `[v, obj] -> []` (obj.name = v)
    STORE_ATTR = 31, 2;
    /// arg: name index. `[obj] -> []`
    DELETE_ATTR = 32, 2;
    /// arg: name index. `[obj] -> [method, obj]` when `obj.name` is a plain method, else
    /// `[obj] -> [NULL, attr]`. Always followed (after the arguments) by `CALL_METHOD`.
    LOAD_METHOD = 33, 2;
    /// arg: positional argument count n. `[m, self_or_attr, a1..an] -> [result]`
    CALL_METHOD = 34, 2;
    /// arg: positional+keyword argument count n. `[m, self_or_attr, a1..an, names] -> [r]`
    /// where `names` is a constant tuple naming the last `len(names)` arguments.
    CALL_METHOD_KW = 35, 2;
    /// `[obj, key] -> [obj[key]]`
    BINARY_SUBSCR = 36, 0;
    /// `[v, obj, key] -> []` (obj[key] = v)
    STORE_SUBSCR = 37, 0;
    /// `[obj, key] -> []`
    DELETE_SUBSCR = 38, 0;

    /// arg: `BinOp`. `[a, b] -> [a op b]`
    BINARY_OP = 40, 2;
    /// arg: `BinOp`. `[a, b] -> [a op= b]` (tries `__iop__` first)
    INPLACE_OP = 41, 2;
    /// arg: `UnaryOp`. `[a] -> [op a]`
    UNARY_OP = 42, 2;
    /// arg: `CmpOp`. `[a, b] -> [a op b]`
    COMPARE_OP = 43, 2;

    /// arg: n. `[a1..an] -> [(a1, .., an)]`
    BUILD_TUPLE = 50, 2;
    /// arg: n. `[a1..an] -> [[a1, .., an]]`
    BUILD_LIST = 51, 2;
    /// arg: n. `[a1..an] -> [{a1, .., an}]`
    BUILD_SET = 52, 2;
    /// arg: n pairs. `[k1, v1, .., kn, vn] -> [{k1: v1, ..}]`
    BUILD_MAP = 53, 2;
    /// arg: 2 or 3. `[start, stop(, step)] -> [slice]`
    BUILD_SLICE = 54, 2;
    /// arg: n. `[s1..sn] -> [s1 + .. + sn]` (f-string pieces, all str)
    BUILD_STRING = 55, 2;
    /// arg: `format_value` bits. `[v(, spec)] -> [formatted str]`
    FORMAT_VALUE = 56, 2;
    /// arg: depth d. `[.., list, (d-1 items).., v] -> [.., list, ..]`; appends v.
    /// The list is the item at depth d counting the popped v as depth 0 (CPython 3.8).
    LIST_APPEND = 57, 2;
    /// arg: depth. As `LIST_APPEND`, for a set.
    SET_ADD = 58, 2;
    /// arg: depth. `[.., dict, .., k, v] -> [.., dict, ..]`; `dict[k] = v`.
    MAP_ADD = 59, 2;
    /// arg: depth. `[.., list, .., iterable] -> [.., list, ..]`; extends the list.
    LIST_EXTEND = 60, 2;
    /// arg: depth. As `LIST_EXTEND`, for a set.
    SET_UPDATE = 61, 2;
    /// arg: depth. `[.., dict, .., mapping] -> [.., dict, ..]` (`{**m}`).
    DICT_UPDATE = 62, 2;
    /// arg: depth. As `DICT_UPDATE`, but a repeated key is a `TypeError` (`f(**a, **b)`).
    DICT_MERGE = 63, 2;
    /// `[list] -> [tuple]`
    LIST_TO_TUPLE = 64, 0;
    /// arg: n. `[seq] -> [vn, .., v1]` (v1 on top); `ValueError` on a length mismatch.
    UNPACK_SEQUENCE = 65, 2;
    /// arg: `before | after << 8`. `[seq] -> [v_last.., list_of_rest, .., v1]` as CPython.
    UNPACK_EX = 66, 2;

    /// arg: target. Unconditional jump. The VM checks fuel and interrupts on backward jumps.
    JUMP = 70, 4;
    /// arg: target. `[v] -> []`; jumps if v is false.
    POP_JUMP_IF_FALSE = 71, 4;
    /// arg: target. `[v] -> []`; jumps if v is true.
    POP_JUMP_IF_TRUE = 72, 4;
    /// arg: target. If top is false jump (leaving it), else pop it.
    JUMP_IF_FALSE_OR_POP = 73, 4;
    /// arg: target. If top is true jump (leaving it), else pop it.
    JUMP_IF_TRUE_OR_POP = 74, 4;
    /// `[obj] -> [iter(obj)]`
    GET_ITER = 75, 0;
    /// arg: target. `[it] -> [it, next(it)]`, or on exhaustion `[it] -> []` and jump.
    FOR_ITER = 76, 4;

    /// arg: n positional. `[f, a1..an] -> [f(a1..an)]`
    CALL_FUNCTION = 80, 2;
    /// arg: n total. `[f, a1..an, names] -> [r]`; `names` is a tuple of the keyword names of
    /// the last `len(names)` arguments.
    CALL_FUNCTION_KW = 81, 2;
    /// arg: 1 if a kwargs dict is present. `[f, args_tuple(, kwargs_dict)] -> [r]`
    CALL_FUNCTION_EX = 82, 2;
    /// arg: `make_function` bits. `[(defaults), (kwdefaults), (closure), code, qualname] -> [f]`
    /// (the optional items in this order, each only if its bit is set).
    MAKE_FUNCTION = 83, 2;
    /// `[v] -> (returns v)`; also ends a generator (`StopIteration(v)`).
    RETURN_VALUE = 84, 0;
    /// `[] -> [__build_class__]`. Called as `__build_class__(body_fn, name, *bases, **kw)`.
    LOAD_BUILD_CLASS = 85, 0;

    /// `[v] -> [sent]`: suspends the generator, yielding v; resumes with the sent value.
    YIELD_VALUE = 90, 0;
    /// `[iter, v] -> [result]`: sends v into iter (delegation); when iter is exhausted the
    /// result is its return value and execution continues; otherwise the generator yields the
    /// value and, when resumed, re-executes this instruction with the new sent value.
    YIELD_FROM = 91, 0;
    /// `[obj] -> [iter]`: `iter(obj)`, except generators and coroutines pass through.
    GET_YIELD_FROM_ITER = 92, 0;
    /// `[obj] -> [awaitable iterator]`: `obj.__await__()` or the coroutine itself.
    GET_AWAITABLE = 93, 0;
    /// `[obj] -> [obj.__aiter__()]`
    GET_AITER = 94, 0;
    /// `[aiter] -> [aiter, awaitable of aiter.__anext__()]`
    GET_ANEXT = 95, 0;
    /// `[aiter, exc] -> []` if exc is `StopAsyncIteration`, else re-raises exc.
    /// Used as the handler of the `SETUP_FINALLY` block around `async for`'s `__anext__`.
    END_ASYNC_FOR = 96, 0;

    /// arg: target. Pushes an exception handler block. When an exception is raised inside,
    /// the value stack is cut back to its depth at setup, the exception is pushed, the block
    /// is popped, the exception becomes the one being handled, and execution jumps to target.
    SETUP_FINALLY = 100, 4;
    /// Pops the innermost handler block (normal exit from the protected region).
    POP_BLOCK = 101, 0;
    /// Ends a handler entered through `SETUP_FINALLY`/`SETUP_WITH`: restores the previously
    /// handled exception. Exactly one `POP_EXCEPT` or `RERAISE` is executed on every path out
    /// of a handler (fall-through, return, break, continue); the handler's exception value
    /// itself is popped by ordinary `POP_TOP`s before it.
    POP_EXCEPT = 102, 0;
    /// `[exc] -> (raise exc again, keeping its traceback)`. Ends the handler it is in, as
    /// `POP_EXCEPT` does, before raising.
    RERAISE = 103, 0;
    /// arg: 0, 1 or 2. `raise`, `[e] raise e`, `[e, cause] raise e from cause`.
    RAISE_VARARGS = 104, 2;
    /// arg: target. `[exc, type] -> [exc]`; jumps if exc does not match type (a class or a
    /// tuple of classes).
    JUMP_IF_NOT_EXC_MATCH = 105, 4;
    /// arg: target. `[mgr] -> [exit, mgr.__enter__()]` and pushes a handler block (as
    /// `SETUP_FINALLY`) whose depth is just above `exit`.
    SETUP_WITH = 106, 4;
    /// `[exit, exc] -> [exit, exc, result]` where result is `exit(type(exc), exc, tb)`.
    WITH_EXCEPT_START = 107, 0;
    /// `[mgr] -> [aexit, aenter_result]` for `async with`: `aexit` is the bound `__aexit__`,
    /// `aenter_result` is `mgr.__aenter__()`; the compiler follows with `GET_AWAITABLE`,
    /// `LOAD_CONST None`, `YIELD_FROM`, then `SETUP_FINALLY handler`.
    BEFORE_ASYNC_WITH = 108, 0;
    /// `[] -> [AssertionError]`
    LOAD_ASSERTION_ERROR = 109, 0;

    /// arg: name index. `[level, fromlist] -> [module]`
    IMPORT_NAME = 110, 2;
    /// arg: name index. `[module] -> [module, module.name]` (`ImportError` if missing).
    IMPORT_FROM = 111, 2;
    /// `[module] -> []`; copies its public names into the current namespace.
    IMPORT_STAR = 112, 0;

    /// `[v] -> []`: the REPL's echo: prints `repr(v)` unless v is `None`.
    PRINT_EXPR = 120, 0;
}
