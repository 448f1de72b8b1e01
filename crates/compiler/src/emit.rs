//! The code builder: appends instructions, interns constants and names, resolves jump labels,
//! records the line table, and computes the maximum stack depth when the code is finished.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::bytecode::{decode, format_value, make_function, Const, Op};
use crate::sortmap::SortedMap;
use crate::{CompileError, ErrorKind};

/// A jump target, bound to an offset with `Emitter::bind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label(u32);

/// What a finished emitter yields.
pub struct Finished {
    /// The instructions.
    pub code: Vec<u8>,
    /// The constant table.
    pub consts: Vec<Const>,
    /// The name table.
    pub names: Vec<String>,
    /// The line table.
    pub lines: Vec<(u32, u32)>,
    /// The maximum stack depth.
    pub max_stack: u16,
}

/// The instruction buffer of one code object.
#[derive(Default)]
pub struct Emitter {
    code: Vec<u8>,
    consts: Vec<Const>,
    str_consts: SortedMap<String, u16>,
    int_consts: SortedMap<i64, u16>,
    names: Vec<String>,
    name_index: SortedMap<String, u16>,
    labels: Vec<Option<u32>>,
    patches: Vec<(usize, Label)>,
    lines: Vec<(u32, u32)>,
    /// The line of the statement being compiled (for errors and the line table).
    pub line: u32,
}

/// An error for a table or jump that overflows its encoding.
pub fn too_big(line: u32) -> CompileError {
    CompileError {
        kind: ErrorKind::Syntax,
        msg: String::from("too complex"),
        line,
        col: 1,
    }
}

/// The bytes a vector takes when it next grows (twice what it holds now), if it is full.
#[allow(clippy::ptr_arg)] // its capacity is the point
fn growth<T>(v: &Vec<T>) -> usize {
    if v.len() == v.capacity() {
        v.capacity().max(4) * 2 * core::mem::size_of::<T>()
    } else {
        0
    }
}

impl Emitter {
    /// The most the emitter's next instruction may allocate: a full table doubling
    /// (`Options::room` asks for it before each expression and statement).
    pub fn next_growth(&self) -> usize {
        growth(&self.code)
            .max(growth(&self.consts))
            .max(growth(&self.names))
            .max(growth(&self.labels))
            .max(growth(&self.patches))
            .max(growth(&self.lines))
            // The sorted maps of constants and names grow with the tables above.
            .saturating_mul(2)
    }

    /// Sets the source line of the following instructions.
    pub fn set_line(&mut self, line: u32) {
        self.line = line;
    }

    fn mark_line(&mut self) {
        let off = u32::try_from(self.code.len()).unwrap_or(u32::MAX);
        match self.lines.last_mut() {
            Some((_, l)) if *l == self.line => {}
            Some((o, l)) if *o == off => *l = self.line,
            _ => self.lines.push((off, self.line)),
        }
    }

    /// Appends an instruction without argument.
    pub fn op(&mut self, op: Op) {
        self.mark_line();
        self.code.push(op as u8);
    }

    /// Appends an instruction with a 16-bit argument.
    pub fn op_arg(&mut self, op: Op, arg: u16) {
        self.mark_line();
        self.code.push(op as u8);
        self.code.extend_from_slice(&arg.to_le_bytes());
    }

    /// Appends an instruction whose argument is a count that must fit in 16 bits.
    pub fn op_n(&mut self, op: Op, n: usize) -> Result<(), CompileError> {
        let n = u16::try_from(n).map_err(|_| too_big(self.line))?;
        self.op_arg(op, n);
        Ok(())
    }

    /// Appends a jump to `label`.
    pub fn jump(&mut self, op: Op, label: Label) {
        self.mark_line();
        self.code.push(op as u8);
        self.patches.push((self.code.len(), label));
        self.code.extend_from_slice(&[0; 4]);
    }

    /// A new unbound label.
    pub fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(u32::try_from(self.labels.len() - 1).unwrap_or(u32::MAX))
    }

    /// Binds `label` to the current offset.
    pub fn bind(&mut self, label: Label) {
        let off = u32::try_from(self.code.len()).unwrap_or(u32::MAX);
        if let Some(slot) = self.labels.get_mut(label.0 as usize) {
            *slot = Some(off);
        }
    }

    /// The index of a constant, interning strings and ints.
    pub fn const_index(&mut self, c: Const) -> Result<u16, CompileError> {
        match &c {
            Const::Str(s) => {
                if let Some(&i) = self.str_consts.get(s) {
                    return Ok(i);
                }
            }
            Const::Int(v) => {
                if let Some(&i) = self.int_consts.get(v) {
                    return Ok(i);
                }
            }
            // Equal tuples are one object, as in MicroPython (`x = T; x is (1, 2)`).
            Const::Tuple(_) => {
                if let Some(i) = self.consts.iter().position(|k| same_const(k, &c)) {
                    return u16::try_from(i).map_err(|_| too_big(self.line));
                }
            }
            _ => {}
        }
        let i = u16::try_from(self.consts.len()).map_err(|_| too_big(self.line))?;
        match &c {
            Const::Str(s) => {
                self.str_consts.insert(s.clone(), i);
            }
            Const::Int(v) => {
                self.int_consts.insert(*v, i);
            }
            _ => {}
        }
        self.consts.push(c);
        Ok(i)
    }

    /// `LOAD_CONST c`, or `LOAD_SMALL_INT` for ints that fit in an `i16`.
    pub fn load_const(&mut self, c: Const) -> Result<(), CompileError> {
        if let Const::Int(v) = c {
            if let Ok(small) = i16::try_from(v) {
                self.op_arg(Op::LOAD_SMALL_INT, small as u16);
                return Ok(());
            }
        }
        let i = self.const_index(c)?;
        self.op_arg(Op::LOAD_CONST, i);
        Ok(())
    }

    /// The index of a name in the name table.
    pub fn name_index(&mut self, name: &str) -> Result<u16, CompileError> {
        if let Some(&i) = self.name_index.get(name) {
            return Ok(i);
        }
        let i = u16::try_from(self.names.len()).map_err(|_| too_big(self.line))?;
        self.names.push(String::from(name));
        self.name_index.insert(String::from(name), i);
        Ok(i)
    }

    /// An instruction whose argument is a name.
    pub fn op_name(&mut self, op: Op, name: &str) -> Result<(), CompileError> {
        let i = self.name_index(name)?;
        self.op_arg(op, i);
        Ok(())
    }

    /// Resolves jumps and computes the stack depth.
    pub fn finish(mut self) -> Result<Finished, CompileError> {
        if u32::try_from(self.code.len()).is_err() {
            return Err(too_big(self.line));
        }
        for &(at, label) in &self.patches {
            let target = self
                .labels
                .get(label.0 as usize)
                .copied()
                .flatten()
                .ok_or_else(|| internal(self.line))?;
            if let Some(slot) = self.code.get_mut(at..at + 4) {
                slot.copy_from_slice(&target.to_le_bytes());
            }
        }
        let max_stack = max_stack(&self.code).ok_or_else(|| internal(self.line))?;
        // The code is kept until the program ends (the whole module's until it is loaded):
        // without the room its vectors grew into.
        self.code.shrink_to_fit();
        self.consts.shrink_to_fit();
        self.names.shrink_to_fit();
        self.lines.shrink_to_fit();
        Ok(Finished {
            code: self.code,
            consts: self.consts,
            names: self.names,
            lines: self.lines,
            max_stack,
        })
    }
}

fn internal(line: u32) -> CompileError {
    CompileError {
        kind: ErrorKind::Syntax,
        msg: String::from("internal compiler error"),
        line,
        col: 1,
    }
}

/// Stack effect of an instruction: `(fall-through effect, jump effect)`; `None` for a path
/// that does not exist.
fn effect(op: Op, arg: u32) -> (Option<i32>, Option<i32>) {
    use Op::*;
    let n = arg as i32;
    let fall = match op {
        NOP | ROT_TWO | ROT_THREE | ROT_FOUR | DELETE_FAST | DELETE_DEREF | DELETE_NAME
        | DELETE_GLOBAL | LOAD_ATTR | UNARY_OP | LIST_TO_TUPLE | GET_ITER | YIELD_VALUE
        | GET_YIELD_FROM_ITER | GET_AWAITABLE | GET_AITER | POP_BLOCK | POP_EXCEPT => 0,
        POP_TOP
        | STORE_FAST
        | STORE_DEREF
        | STORE_NAME
        | STORE_GLOBAL
        | DELETE_ATTR
        | BINARY_SUBSCR
        | BINARY_OP
        | INPLACE_OP
        | COMPARE_OP
        | LIST_APPEND
        | SET_ADD
        | LIST_EXTEND
        | SET_UPDATE
        | DICT_UPDATE
        | DICT_MERGE
        | YIELD_FROM
        | IMPORT_NAME
        | IMPORT_STAR
        | PRINT_EXPR
        | POP_JUMP_IF_FALSE
        | POP_JUMP_IF_TRUE
        | JUMP_IF_FALSE_OR_POP
        | JUMP_IF_TRUE_OR_POP
        | JUMP_IF_NOT_EXC_MATCH => -1,
        DUP_TOP | LOAD_CONST | LOAD_SMALL_INT | LOAD_FAST | LOAD_DEREF | LOAD_CLOSURE
        | LOAD_CLASSDEREF | LOAD_NAME | LOAD_GLOBAL | LOAD_METHOD | LOAD_BUILD_CLASS
        | GET_ANEXT | WITH_EXCEPT_START | BEFORE_ASYNC_WITH | LOAD_ASSERTION_ERROR
        | IMPORT_FROM | FOR_ITER | SETUP_WITH => 1,
        DUP_TOP_TWO => 2,
        STORE_ATTR | DELETE_SUBSCR | MAP_ADD | END_ASYNC_FOR => -2,
        STORE_SUBSCR => -3,
        CALL_METHOD => -(n + 1),
        CALL_METHOD_KW | CALL_FUNCTION_KW => -(n + 1) - i32::from(op == CALL_METHOD_KW),
        BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_SLICE | BUILD_STRING => 1 - n,
        BUILD_MAP => 1 - 2 * n,
        FORMAT_VALUE => -i32::from(arg & u32::from(format_value::HAS_SPEC) != 0),
        UNPACK_SEQUENCE => n - 1,
        UNPACK_EX => (n & 0xff) + (n >> 8),
        CALL_FUNCTION => -n,
        CALL_FUNCTION_EX => -1 - n,
        MAKE_FUNCTION => {
            let bits = arg
                & u32::from(
                    make_function::DEFAULTS | make_function::KWDEFAULTS | make_function::CLOSURE,
                );
            -1 - bits.count_ones() as i32
        }
        SETUP_FINALLY | JUMP => 0,
        RETURN_VALUE | RERAISE | RAISE_VARARGS => return (None, None),
    };
    let jump = match op {
        JUMP | SETUP_FINALLY => Some(if op == JUMP { 0 } else { 1 }),
        SETUP_WITH => Some(1),
        POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE | JUMP_IF_NOT_EXC_MATCH => Some(-1),
        JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => Some(0),
        FOR_ITER => Some(-1),
        _ => None,
    };
    let fall = if op == JUMP { None } else { Some(fall) };
    (fall, jump)
}

/// The maximum stack depth over all paths; `None` if some path underflows or the code is
/// malformed (a compiler bug, reported as an error rather than a panic).
fn max_stack(code: &[u8]) -> Option<u16> {
    let mut depth_at: Vec<i32> = vec![-1; code.len() + 1];
    let mut work: Vec<(usize, i32)> = vec![(0, 0)];
    let mut max = 0i32;
    while let Some((pc, d)) = work.pop() {
        if pc >= code.len() {
            continue;
        }
        if *depth_at.get(pc)? >= 0 {
            continue;
        }
        depth_at[pc] = d;
        let (op, arg, next) = decode(code, pc)?;
        let (fall, jump) = effect(op, arg);
        if let Some(e) = fall {
            let nd = d + e;
            if nd < 0 {
                return None;
            }
            max = max.max(nd);
            work.push((next, nd));
        }
        if let Some(e) = jump {
            let nd = d + e;
            if nd < 0 {
                return None;
            }
            max = max.max(nd);
            work.push((arg as usize, nd));
        }
    }
    u16::try_from(max).ok()
}

/// Whether two constants are the same value of the same type (floats by their bits, so
/// `0.0` and `-0.0` stay apart).
fn same_const(a: &Const, b: &Const) -> bool {
    match (a, b) {
        (Const::Float(x), Const::Float(y)) | (Const::Imag(x), Const::Imag(y)) => {
            x.to_bits() == y.to_bits()
        }
        (Const::Tuple(x), Const::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_const(p, q))
        }
        (Const::Code(_) | Const::Loaded(_), _) | (_, Const::Code(_) | Const::Loaded(_)) => false,
        _ => a == b,
    }
}
