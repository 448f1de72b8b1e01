//! The dispatch loop: one function over the opcode byte.
//!
//! Each iteration is a safepoint (the young list is cut back), decodes one instruction of the
//! innermost frame, and executes it. Errors unwind through the block stacks of the frames of this
//! run (`unwind`); an exception that leaves the run's bottom frame is returned.

use alloc::vec::Vec;

use pyrite_compiler::bytecode::{self, BinOp, CmpOp, Op, UnaryOp};

use crate::native::PyResult;
use crate::object::{HeapObj, IterObj, TracebackEntry};
use crate::qstr::{q, Qstr};
use crate::types::ty;
use crate::value::Obj;
use crate::vm::frame::{Block, BlockKind, FrameExit};
use crate::vm::Vm;

/// How a run of the loop ended.
pub enum RunEnd {
    /// The bottom frame returned this value.
    Return(Obj),
    /// The bottom frame (a generator) yielded this value.
    Yield(Obj),
}

/// What `step_fast` did with an instruction.
enum Fast {
    /// Executed it.
    Done,
    /// Decoded it (opcode, argument, offset) for `step`.
    Slow(Op, u32, usize),
    /// No frame or no instruction left: the run ends with `None`.
    End,
    /// An exception to unwind.
    Raise(Obj),
}

/// Each byte's opcode and argument length, so decoding is one table load.
static DECODE: [(Option<Op>, u8); 256] = decode_table();

const fn decode_table() -> [(Option<Op>, u8); 256] {
    let mut t = [(None, 0u8); 256];
    let mut i = 0;
    while i < 256 {
        if let Some(op) = Op::from_u8(i as u8) {
            t[i] = (Some(op), op.arg_len() as u8);
        }
        i += 1;
    }
    t
}

/// The value of a float, or of a small int (for mixed arithmetic).
#[inline(always)]
fn float_of(heap: &crate::heap::Heap, o: Obj) -> Option<f64> {
    match o.as_small_int() {
        Some(i) => Some(i as f64),
        None => match heap.get(o) {
            Some(&HeapObj::Float(f)) => Some(f),
            _ => None,
        },
    }
}

/// `x op y` for a float and a float or small int, when it is plain IEEE arithmetic (no
/// division by zero, no powers): `None` for everything else.
#[inline(always)]
fn float_binop_fast(heap: &crate::heap::Heap, op: BinOp, x: Obj, y: Obj) -> Option<f64> {
    if !matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::TrueDiv) {
        return None;
    }
    if x.is_small_int() && y.is_small_int() {
        return None;
    }
    let (a, b) = (float_of(heap, x)?, float_of(heap, y)?);
    Some(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        _ if b != 0.0 => a / b,
        _ => return None,
    })
}

/// Calls with at most this many arguments (counting `self`) pass them in a stack array.
const SHORT_ARGS: usize = 8;

/// Backward jumps and calls between two polls of the port for Ctrl-C.
const POLL_INTERVAL: u32 = 1024;

impl Vm {
    #[inline(always)]
    fn push(&mut self, v: Obj) {
        if let Some(f) = self.frames.last_mut() {
            f.slots.push(v);
        }
    }

    /// Pops the top value. It stays alive until the end of the instruction.
    ///
    /// Out of line: it is only used by the general path (`step`), where inlining it at each of
    /// its many uses cost kilobytes of flash.
    #[inline(never)]
    fn pop(&mut self) -> Obj {
        let v = self
            .frames
            .last_mut()
            .and_then(|f| f.slots.pop())
            .unwrap_or(Obj::NULL);
        self.heap.keep(v);
        v
    }

    #[inline(always)]
    fn peek(&self, depth: usize) -> Obj {
        match self.frames.last() {
            Some(f) if f.slots.len() > depth => f.slots[f.slots.len() - 1 - depth],
            _ => Obj::NULL,
        }
    }

    /// Pops `n` values, in stack order. They stay alive until the end of the instruction.
    fn pop_n(&mut self, n: usize) -> Vec<Obj> {
        let v = match self.frames.last_mut() {
            Some(f) => {
                let at = f.slots.len().saturating_sub(n).max(f.stack_base);
                f.slots.split_off(at)
            }
            None => Vec::new(),
        };
        for &o in &v {
            self.heap.keep(o);
        }
        v
    }

    /// Pops `out.len()` values into `out`, in stack order. They stay alive until the end of
    /// the instruction.
    fn pop_into(&mut self, out: &mut [Obj]) {
        if let Some(f) = self.frames.last_mut() {
            let at = f.slots.len().saturating_sub(out.len()).max(f.stack_base);
            let vals = &f.slots[at..];
            out[..vals.len()].copy_from_slice(vals);
            f.slots.truncate(at);
        }
        for &o in out.iter() {
            self.heap.keep(o);
        }
    }

    fn code_const(&self, i: usize) -> Obj {
        let f = self.frames.last();
        match f.and_then(|f| self.heap.get(f.code)) {
            Some(HeapObj::Code(c)) => c.consts.get(i).copied().unwrap_or(Obj::NONE),
            _ => Obj::NONE,
        }
    }

    fn code_name(&self, i: usize) -> Qstr {
        let f = self.frames.last();
        match f.and_then(|f| self.heap.get(f.code)) {
            Some(HeapObj::Code(c)) => c.names.get(i).copied().unwrap_or(q::EMPTY),
            _ => q::EMPTY,
        }
    }

    fn check_interrupt(&mut self) -> PyResult<()> {
        self.poll_countdown = self.poll_countdown.wrapping_sub(1);
        if self.poll_countdown == 0 {
            self.poll_countdown = POLL_INTERVAL;
            if self.port.interrupted() {
                return Err(self.exc(ty::KEYBOARD_INTERRUPT, ""));
            }
            crate::modules::micropython::run_scheduled(self);
            if self.vfs.files.has_queued() {
                crate::vfs::file::run_finalisers(self);
            }
            if self.machine.active() {
                crate::modules::machine::poll(self)?;
            }
        }
        Ok(())
    }

    /// Runs the frame stack until the frame at index `base` (pushed with `FrameExit::Nested`)
    /// returns or yields.
    pub(crate) fn run_frames(&mut self, base: usize) -> PyResult<RunEnd> {
        let young = self.heap.young_mark();
        loop {
            self.heap.safepoint(young);
            let r = match self.step_fast() {
                Fast::Done => continue,
                Fast::Slow(op, arg, ip) => self.step(op, arg, ip, base),
                Fast::End => return Ok(RunEnd::Return(Obj::NONE)),
                Fast::Raise(e) => Err(e),
            };
            match r {
                Ok(None) => {}
                Ok(Some(end)) => return Ok(end),
                Err(e) => self.unwind(e, base)?,
            }
        }
    }

    /// Decodes the next instruction of the innermost frame and executes it if it is one of
    /// the common cases that need no call out of the loop (locals, constants, small-int and
    /// float arithmetic, comparisons and jumps, list indexing, `for` over ranges and lists).
    /// Anything else is handed back, already decoded, for `step`.
    ///
    /// The values these cases pop are used before the next allocation, so they need no
    /// `keep`.
    #[inline(always)]
    fn step_fast(&mut self) -> Fast {
        let Some(f) = self.frames.last_mut() else {
            return Fast::End;
        };
        let ip = f.ip;
        let Some(&byte) = f.bytes.get(ip) else {
            return Fast::End;
        };
        let (op, alen) = DECODE[byte as usize];
        let Some(op) = op else {
            return Fast::Raise(self.exc(ty::SYSTEM_EXIT, "bad opcode"));
        };
        let arg: u32 = match alen {
            2 => f
                .bytes
                .get(ip + 1..ip + 3)
                .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as u32),
            4 => f
                .bytes
                .get(ip + 1..ip + 5)
                .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            _ => 0,
        };
        f.last_ip = ip;
        let next = ip + 1 + alen as usize;
        f.ip = next;
        let a = arg as usize;
        let slow = Fast::Slow(op, arg, ip);
        match op {
            Op::LOAD_FAST => match f.slots.get(a) {
                Some(&v) if !v.is_null() => f.slots.push(v),
                _ => return slow,
            },
            Op::STORE_FAST => {
                if a >= f.stack_base || f.slots.len() <= f.stack_base {
                    return slow;
                }
                let v = f.slots.pop().unwrap_or(Obj::NULL);
                f.slots[a] = v;
            }
            Op::LOAD_SMALL_INT => f
                .slots
                .push(Obj::small_int_unchecked(arg as u16 as i16 as i32)),
            Op::LOAD_CONST => match self.heap.get(f.code) {
                Some(HeapObj::Code(c)) if a < c.consts.len() => f.slots.push(c.consts[a]),
                _ => return slow,
            },
            Op::POP_TOP => {
                if f.slots.len() <= f.stack_base {
                    return slow;
                }
                f.slots.pop();
            }
            Op::DUP_TOP => match f.slots.last() {
                Some(&v) if f.slots.len() > f.stack_base => f.slots.push(v),
                _ => return slow,
            },
            Op::ROT_TWO => {
                let n = f.slots.len();
                if n < f.stack_base + 2 {
                    return slow;
                }
                f.slots.swap(n - 1, n - 2);
            }
            Op::BINARY_OP | Op::INPLACE_OP => {
                let n = f.slots.len();
                if n < f.stack_base + 2 {
                    return slow;
                }
                let (x, y) = (f.slots[n - 2], f.slots[n - 1]);
                let Some(bop) = BinOp::from_u16(arg as u16) else {
                    return slow;
                };
                if let (Some(i), Some(j)) = (x.as_small_int(), y.as_small_int()) {
                    match crate::obj::int::small_binop(bop, i, j) {
                        Some(r) => {
                            f.slots.truncate(n - 2);
                            f.slots.push(r);
                        }
                        None => return slow,
                    }
                } else {
                    let Some(r) = float_binop_fast(&self.heap, bop, x, y) else {
                        return slow;
                    };
                    f.slots.truncate(n - 2);
                    // The operands are not needed any more: the allocation may collect them.
                    match self.alloc(HeapObj::Float(r)) {
                        Ok(v) => self.push(v),
                        Err(e) => return Fast::Raise(e),
                    }
                }
            }
            Op::COMPARE_OP => {
                let n = f.slots.len();
                if n < f.stack_base + 2 {
                    return slow;
                }
                let (x, y) = (f.slots[n - 2], f.slots[n - 1]);
                let Some(c) = CmpOp::from_u16(arg as u16) else {
                    return slow;
                };
                let r = match (x.as_small_int(), y.as_small_int()) {
                    (Some(i), Some(j)) => match c {
                        CmpOp::Lt => i < j,
                        CmpOp::Le => i <= j,
                        CmpOp::Gt => i > j,
                        CmpOp::Ge => i >= j,
                        CmpOp::Eq | CmpOp::Is => i == j,
                        CmpOp::Ne | CmpOp::IsNot => i != j,
                        _ => return slow,
                    },
                    _ => match (c, float_of(&self.heap, x), float_of(&self.heap, y)) {
                        (CmpOp::Lt, Some(i), Some(j)) => i < j,
                        (CmpOp::Le, Some(i), Some(j)) => i <= j,
                        (CmpOp::Gt, Some(i), Some(j)) => i > j,
                        (CmpOp::Ge, Some(i), Some(j)) => i >= j,
                        (CmpOp::Eq, Some(i), Some(j)) => i == j,
                        (CmpOp::Ne, Some(i), Some(j)) => i != j,
                        (CmpOp::Is, ..) => x == y,
                        (CmpOp::IsNot, ..) => x != y,
                        _ => return slow,
                    },
                };
                f.slots.truncate(n - 2);
                // A conditional jump on the result is taken here, without the bool.
                let jump = match f.bytes.get(next..next + 5) {
                    Some([j, t @ ..]) if *j == Op::POP_JUMP_IF_FALSE as u8 => {
                        Some((false, u32::from_le_bytes([t[0], t[1], t[2], t[3]])))
                    }
                    Some([j, t @ ..]) if *j == Op::POP_JUMP_IF_TRUE as u8 => {
                        Some((true, u32::from_le_bytes([t[0], t[1], t[2], t[3]])))
                    }
                    _ => None,
                };
                match jump {
                    Some((when, target)) if target as usize > next || self.poll_countdown > 1 => {
                        if target as usize <= next {
                            self.poll_countdown -= 1;
                        }
                        f.ip = if r == when { target as usize } else { next + 5 };
                    }
                    _ => f.slots.push(Obj::bool(r)),
                }
            }
            Op::POP_JUMP_IF_FALSE | Op::POP_JUMP_IF_TRUE => {
                let v = match f.slots.last() {
                    Some(&v) if f.slots.len() > f.stack_base => v,
                    _ => return slow,
                };
                let t = if v == Obj::TRUE {
                    true
                } else if v == Obj::FALSE || v == Obj::NONE {
                    false
                } else if let Some(i) = v.as_small_int() {
                    i != 0
                } else {
                    return slow;
                };
                if t == (op == Op::POP_JUMP_IF_TRUE) {
                    if a <= ip {
                        if self.poll_countdown <= 1 {
                            return slow;
                        }
                        self.poll_countdown -= 1;
                    }
                    f.ip = a;
                }
                f.slots.pop();
            }
            Op::JUMP => {
                if a <= ip {
                    if self.poll_countdown <= 1 {
                        return slow;
                    }
                    self.poll_countdown -= 1;
                }
                f.ip = a;
            }
            Op::FOR_ITER => {
                let it = match f.slots.last() {
                    Some(&v) if f.slots.len() > f.stack_base => v,
                    _ => return slow,
                };
                let Some(HeapObj::Iter(state)) = self.heap.get_mut(it) else {
                    return slow;
                };
                match &mut **state {
                    IterObj::Range { next, left, step } => {
                        if *left <= 0 {
                            f.slots.pop();
                            f.ip = a;
                            return Fast::Done;
                        }
                        let Some(v) = Obj::try_small_int(*next) else {
                            return slow;
                        };
                        *next = next.wrapping_add(*step);
                        *left -= 1;
                        f.slots.push(v);
                    }
                    IterObj::Seq { seq, index } => {
                        let (seq, i) = (*seq, *index);
                        let item = match self.heap.get(seq) {
                            Some(HeapObj::List(l)) => l.get(i).copied(),
                            Some(HeapObj::Tuple(t)) => t.get(i).copied(),
                            _ => return slow,
                        };
                        // Past the end is left to the general path (it also ends the loop).
                        let Some(v) = item else { return slow };
                        if let Some(HeapObj::Iter(state)) = self.heap.get_mut(it) {
                            if let IterObj::Seq { index, .. } = &mut **state {
                                *index = i + 1;
                            }
                        }
                        f.slots.push(v);
                    }
                    _ => return slow,
                }
            }
            Op::BINARY_SUBSCR => {
                let n = f.slots.len();
                if n < f.stack_base + 2 {
                    return slow;
                }
                let (o, k) = (f.slots[n - 2], f.slots[n - 1]);
                let Some(i) = k.as_small_int() else {
                    return slow;
                };
                let items: &[Obj] = match self.heap.get(o) {
                    Some(HeapObj::List(l)) => l,
                    Some(HeapObj::Tuple(t)) => t,
                    _ => return slow,
                };
                let i = if i < 0 {
                    i as isize + items.len() as isize
                } else {
                    i as isize
                };
                let Some(&v) = usize::try_from(i).ok().and_then(|i| items.get(i)) else {
                    return slow;
                };
                f.slots.truncate(n - 2);
                f.slots.push(v);
            }
            Op::STORE_SUBSCR => {
                let n = f.slots.len();
                if n < f.stack_base + 3 {
                    return slow;
                }
                let (v, o, k) = (f.slots[n - 3], f.slots[n - 2], f.slots[n - 1]);
                let Some(i) = k.as_small_int() else {
                    return slow;
                };
                let Some(HeapObj::List(l)) = self.heap.get_mut(o) else {
                    return slow;
                };
                let i = if i < 0 {
                    i as isize + l.len() as isize
                } else {
                    i as isize
                };
                let Some(slot) = usize::try_from(i).ok().and_then(|i| l.get_mut(i)) else {
                    return slow;
                };
                *slot = v;
                f.slots.truncate(n - 3);
            }
            _ => return slow,
        }
        Fast::Done
    }

    /// Executes one decoded instruction (`ip` is its offset; the frame's `ip` already points
    /// past it). `Some` when the run's bottom frame finished.
    fn step(&mut self, op: Op, arg: u32, ip: usize, base: usize) -> PyResult<Option<RunEnd>> {
        let a = arg as usize;
        match op {
            Op::NOP => {}
            Op::POP_TOP => {
                self.pop();
            }
            Op::ROT_TWO => {
                let b = self.pop();
                let a = self.pop();
                self.push(b);
                self.push(a);
            }
            Op::ROT_THREE => {
                let c = self.pop();
                let b = self.pop();
                let a = self.pop();
                self.push(c);
                self.push(a);
                self.push(b);
            }
            Op::ROT_FOUR => {
                let d = self.pop();
                let c = self.pop();
                let b = self.pop();
                let a = self.pop();
                self.push(d);
                self.push(a);
                self.push(b);
                self.push(c);
            }
            Op::DUP_TOP => {
                let v = self.peek(0);
                self.push(v);
            }
            Op::DUP_TOP_TWO => {
                let b = self.peek(0);
                let a = self.peek(1);
                self.push(a);
                self.push(b);
            }
            Op::LOAD_CONST => {
                let c = self.code_const(a);
                self.push(c);
            }
            Op::LOAD_SMALL_INT => {
                self.push(Obj::small_int_unchecked(arg as u16 as i16 as i32));
            }
            Op::LOAD_FAST => {
                let v = self.frames.last().map_or(Obj::NULL, |f| f.slots[a]);
                if v.is_null() {
                    let name = self.local_name(a);
                    raise!(
                        self,
                        UNBOUND_LOCAL_ERROR,
                        "local variable '{}' referenced before assignment",
                        name
                    );
                }
                self.push(v);
            }
            Op::STORE_FAST => {
                let v = self.pop();
                if let Some(f) = self.frames.last_mut() {
                    f.slots[a] = v;
                }
            }
            Op::DELETE_FAST => {
                let f = self.frames.last_mut().expect("frame");
                if f.slots[a].is_null() {
                    let name = self.local_name(a);
                    raise!(
                        self,
                        UNBOUND_LOCAL_ERROR,
                        "local variable '{}' referenced before assignment",
                        name
                    );
                }
                f.slots[a] = Obj::NULL;
            }
            Op::LOAD_DEREF | Op::LOAD_CLASSDEREF => {
                if op == Op::LOAD_CLASSDEREF {
                    let name = self.deref_name(a);
                    let locals = self.frames.last().map_or(Obj::NULL, |f| f.locals);
                    if !locals.is_null() {
                        if let Some(v) = self.dict_get_qstr(locals, name) {
                            self.push(v);
                            return Ok(None);
                        }
                    }
                }
                let cell = self.cell_at(a);
                let v = match self.heap.get(cell) {
                    Some(HeapObj::Cell(v)) => *v,
                    _ => Obj::NULL,
                };
                if v.is_null() {
                    let name = self.deref_name(a);
                    let name = alloc::string::String::from(self.qstr_str(name));
                    raise!(
                        self,
                        NAME_ERROR,
                        "local variable '{}' referenced before assignment",
                        name
                    );
                }
                self.push(v);
            }
            Op::STORE_DEREF => {
                let v = self.pop();
                let cell = self.cell_at(a);
                if let Some(HeapObj::Cell(c)) = self.heap.get_mut(cell) {
                    *c = v;
                }
            }
            Op::DELETE_DEREF => {
                let cell = self.cell_at(a);
                if matches!(self.heap.get(cell), Some(HeapObj::Cell(c)) if c.is_null()) {
                    let name = self.deref_name(a);
                    let name = alloc::string::String::from(self.qstr_str(name));
                    raise!(
                        self,
                        NAME_ERROR,
                        "local variable '{}' referenced before assignment",
                        name
                    );
                }
                if let Some(HeapObj::Cell(c)) = self.heap.get_mut(cell) {
                    *c = Obj::NULL;
                }
            }
            Op::LOAD_CLOSURE => {
                let cell = self.cell_at(a);
                self.push(cell);
            }
            Op::LOAD_NAME => {
                let name = self.code_name(a);
                let (locals, globals) = self
                    .frames
                    .last()
                    .map_or((Obj::NULL, Obj::NULL), |f| (f.locals, f.globals));
                if !locals.is_null() {
                    if let Some(v) = self.dict_get_qstr(locals, name) {
                        self.push(v);
                        return Ok(None);
                    }
                }
                let v = self.load_global(globals, name)?;
                self.push(v);
            }
            Op::STORE_NAME => {
                let name = self.code_name(a);
                let v = self.pop();
                let f = self.frames.last().expect("frame");
                let ns = if f.locals.is_null() {
                    f.globals
                } else {
                    f.locals
                };
                self.store_name_in(ns, name, v)?;
            }
            Op::DELETE_NAME => {
                let name = self.code_name(a);
                let f = self.frames.last().expect("frame");
                let ns = if f.locals.is_null() {
                    f.globals
                } else {
                    f.locals
                };
                if !self.dict_del_qstr(ns, name)? {
                    let s = alloc::string::String::from(self.qstr_str(name));
                    raise!(self, NAME_ERROR, "name '{}' isn't defined", s);
                }
            }
            Op::LOAD_GLOBAL => {
                let name = self.code_name(a);
                let globals = self.frames.last().map_or(Obj::NULL, |f| f.globals);
                let v = self.load_global(globals, name)?;
                self.push(v);
            }
            Op::STORE_GLOBAL => {
                let name = self.code_name(a);
                let v = self.pop();
                let globals = self.frames.last().map_or(Obj::NULL, |f| f.globals);
                self.store_name_in(globals, name, v)?;
            }
            Op::DELETE_GLOBAL => {
                let name = self.code_name(a);
                let globals = self.frames.last().map_or(Obj::NULL, |f| f.globals);
                if !self.dict_del_qstr(globals, name)? {
                    let s = alloc::string::String::from(self.qstr_str(name));
                    raise!(self, NAME_ERROR, "name '{}' isn't defined", s);
                }
            }
            Op::LOAD_ATTR => {
                let name = self.code_name(a);
                let o = self.pop();
                let v = self.getattr(o, name)?;
                self.push(v);
            }
            Op::STORE_ATTR => {
                let name = self.code_name(a);
                let o = self.pop();
                let v = self.pop();
                self.setattr(o, name, v)?;
            }
            Op::DELETE_ATTR => {
                let name = self.code_name(a);
                let o = self.pop();
                self.delattr(o, name)?;
            }
            Op::LOAD_METHOD => {
                let name = self.code_name(a);
                let o = self.pop();
                let (m, s) = self.load_method(o, name)?;
                self.push(m);
                self.push(s);
            }
            Op::CALL_METHOD if a < SHORT_ARGS => {
                // `self` and the arguments, without a heap vector.
                let mut all = [Obj::NULL; SHORT_ARGS];
                self.pop_into(&mut all[1..=a]);
                all[0] = self.pop();
                let m = self.pop();
                self.check_interrupt()?;
                if m.is_null() {
                    self.call_push(all[0], &all[1..=a], &[])?;
                } else {
                    self.call_push(m, &all[..=a], &[])?;
                }
            }
            Op::CALL_METHOD => {
                let args = self.pop_n(a);
                let s = self.pop();
                let m = self.pop();
                self.check_interrupt()?;
                if m.is_null() {
                    self.call_push(s, &args, &[])?;
                } else {
                    let mut all = Vec::with_capacity(args.len() + 1);
                    all.push(s);
                    all.extend_from_slice(&args);
                    self.call_push(m, &all, &[])?;
                }
            }
            Op::CALL_METHOD_KW => {
                let names = self.pop();
                let args = self.pop_n(a);
                let s = self.pop();
                let m = self.pop();
                self.check_interrupt()?;
                let (pos, kw) = self.split_kw(&args, names)?;
                if m.is_null() {
                    self.call_push(s, &pos, &kw)?;
                } else {
                    let mut all = Vec::with_capacity(pos.len() + 1);
                    all.push(s);
                    all.extend_from_slice(&pos);
                    self.call_push(m, &all, &kw)?;
                }
            }
            Op::BINARY_SUBSCR => {
                let k = self.pop();
                let o = self.pop();
                let v = self.getitem(o, k)?;
                self.push(v);
            }
            Op::STORE_SUBSCR => {
                let k = self.pop();
                let o = self.pop();
                let v = self.pop();
                self.setitem(o, k, v)?;
            }
            Op::DELETE_SUBSCR => {
                let k = self.pop();
                let o = self.pop();
                self.delitem(o, k)?;
            }
            Op::BINARY_OP | Op::INPLACE_OP => {
                let Some(bop) = BinOp::from_u16(arg as u16) else {
                    raise!(self, SYSTEM_EXIT, "bad operator");
                };
                let b = self.pop();
                let x = self.pop();
                let v = if op == Op::INPLACE_OP {
                    self.inplace_op(bop, x, b)?
                } else {
                    self.binary_op(bop, x, b)?
                };
                self.push(v);
            }
            Op::UNARY_OP => {
                let x = self.pop();
                let v = match UnaryOp::from_u16(arg as u16) {
                    Some(UnaryOp::Not) => Obj::bool(!self.truthy(x)?),
                    Some(u) => self.unary_op(u, x)?,
                    None => raise!(self, SYSTEM_EXIT, "bad operator"),
                };
                self.push(v);
            }
            Op::COMPARE_OP => {
                let Some(c) = CmpOp::from_u16(arg as u16) else {
                    raise!(self, SYSTEM_EXIT, "bad operator");
                };
                let b = self.pop();
                let x = self.pop();
                let v = self.compare_op(c, x, b)?;
                self.push(v);
            }
            Op::BUILD_TUPLE => {
                let items = self.pop_n(a);
                let t = self.new_tuple(&items)?;
                self.push(t);
            }
            Op::BUILD_LIST => {
                let items = self.pop_n(a);
                let l = self.new_list(items)?;
                self.push(l);
            }
            Op::BUILD_SET => {
                let items = self.pop_n(a);
                let s = self.new_set(false)?;
                self.push(s);
                for it in items {
                    self.set_add(s, it)?;
                }
            }
            Op::BUILD_MAP => {
                let items = self.pop_n(a * 2);
                let d = self.new_dict()?;
                self.push(d);
                for kv in items.chunks(2) {
                    self.dict_set(d, kv[0], kv[1])?;
                }
            }
            Op::BUILD_SLICE => {
                let step = if a == 3 { self.pop() } else { Obj::NONE };
                let stop = self.pop();
                let start = self.pop();
                let s = self.alloc(HeapObj::Slice(start, stop, step))?;
                self.push(s);
            }
            Op::BUILD_STRING => {
                let items = self.pop_n(a);
                // Built once at its size, with room made for it in the heap first.
                let len = items.iter().fold(0usize, |n, &it| {
                    n.saturating_add(self.str_of(it).map_or(0, str::len))
                });
                self.keep_all(&items)?;
                let mut s: alloc::string::String = self.buffer_for(len)?;
                for it in items {
                    s.push_str(self.str_of(it).unwrap_or(""));
                }
                let o = self.new_string(s)?;
                self.push(o);
            }
            Op::FORMAT_VALUE => {
                let spec = if arg as u16 & bytecode::format_value::HAS_SPEC != 0 {
                    self.pop()
                } else {
                    Obj::NULL
                };
                let v = self.pop();
                let v = match arg as u16 & bytecode::format_value::CONVERSION_MASK {
                    1 => {
                        let s = self.to_str(v)?;
                        self.new_string(s)?
                    }
                    2 => {
                        let s = self.repr(v)?;
                        self.new_string(s)?
                    }
                    3 => {
                        let s = self.repr(v)?;
                        let s = crate::obj::str::ascii_escape(&s);
                        self.new_string(s)?
                    }
                    _ => v,
                };
                let s = self.format(v, spec)?;
                self.push(s);
            }
            Op::LIST_APPEND | Op::SET_ADD | Op::LIST_EXTEND | Op::SET_UPDATE => {
                let v = self.pop();
                let target = self.peek(a - 1);
                match op {
                    Op::LIST_APPEND => self.list_append(target, v)?,
                    Op::SET_ADD => self.set_add(target, v)?,
                    Op::LIST_EXTEND => self.list_extend(target, v)?,
                    _ => self.set_update(target, v)?,
                }
            }
            Op::MAP_ADD => {
                let v = self.pop();
                let k = self.pop();
                let target = self.peek(a - 1);
                self.dict_set(target, k, v)?;
            }
            Op::DICT_UPDATE | Op::DICT_MERGE => {
                let m = self.pop();
                let target = self.peek(a - 1);
                self.dict_update_from(target, m, op == Op::DICT_MERGE)?;
            }
            Op::LIST_TO_TUPLE => {
                let l = self.pop();
                let items = self.seq_items(l).unwrap_or_default();
                let t = self.new_tuple(&items)?;
                self.push(t);
            }
            Op::UNPACK_SEQUENCE => {
                let s = self.pop();
                let items = self.unpack(s, a)?;
                for &it in items.iter().rev() {
                    self.push(it);
                }
            }
            Op::UNPACK_EX => {
                let before = a & 0xff;
                let after = a >> 8;
                let s = self.pop();
                let items = self.iter_to_vec(s)?;
                if items.len() < before + after {
                    raise!(
                        self,
                        VALUE_ERROR,
                        "need more than {} values to unpack",
                        items.len()
                    );
                }
                let mid_end = items.len() - after;
                for &it in items[mid_end..].iter().rev() {
                    self.push(it);
                }
                let rest = self.new_list(items[before..mid_end].to_vec())?;
                self.push(rest);
                for &it in items[..before].iter().rev() {
                    self.push(it);
                }
            }
            Op::JUMP => {
                if (arg as usize) <= ip {
                    self.check_interrupt()?;
                }
                self.jump(arg);
            }
            Op::POP_JUMP_IF_FALSE | Op::POP_JUMP_IF_TRUE => {
                let v = self.pop();
                let t = self.truthy(v)?;
                if t == (op == Op::POP_JUMP_IF_TRUE) {
                    if (arg as usize) <= ip {
                        self.check_interrupt()?;
                    }
                    self.jump(arg);
                }
            }
            Op::JUMP_IF_FALSE_OR_POP | Op::JUMP_IF_TRUE_OR_POP => {
                let v = self.peek(0);
                let t = self.truthy(v)?;
                if t == (op == Op::JUMP_IF_TRUE_OR_POP) {
                    self.jump(arg);
                } else {
                    self.pop();
                }
            }
            Op::GET_ITER => {
                let o = self.pop();
                let it = self.get_iter(o)?;
                self.push(it);
            }
            Op::FOR_ITER => {
                let it = self.peek(0);
                match self.iter_next(it)? {
                    Some(v) => self.push(v),
                    None => {
                        self.pop();
                        self.jump(arg);
                    }
                }
            }
            Op::CALL_FUNCTION if a <= SHORT_ARGS => {
                let mut args = [Obj::NULL; SHORT_ARGS];
                self.pop_into(&mut args[..a]);
                let f = self.pop();
                self.check_interrupt()?;
                self.call_push(f, &args[..a], &[])?;
            }
            Op::CALL_FUNCTION => {
                let args = self.pop_n(a);
                let f = self.pop();
                self.check_interrupt()?;
                self.call_push(f, &args, &[])?;
            }
            Op::CALL_FUNCTION_KW => {
                let names = self.pop();
                let args = self.pop_n(a);
                let f = self.pop();
                self.check_interrupt()?;
                let (pos, kw) = self.split_kw(&args, names)?;
                self.call_push(f, &pos, &kw)?;
            }
            Op::CALL_FUNCTION_EX => {
                let kwargs = if arg & 1 != 0 { self.pop() } else { Obj::NULL };
                let args = self.pop();
                let f = self.pop();
                self.check_interrupt()?;
                let pos = self.iter_to_vec(args)?;
                let kw = if kwargs.is_null() {
                    Vec::new()
                } else {
                    self.kwargs_from_mapping(kwargs)?
                };
                self.call_push(f, &pos, &kw)?;
            }
            Op::MAKE_FUNCTION => {
                let _qualname = self.pop();
                let code = self.pop();
                let flags = arg as u16;
                let closure = if flags & bytecode::make_function::CLOSURE != 0 {
                    self.pop()
                } else {
                    Obj::NULL
                };
                let kwdefaults = if flags & bytecode::make_function::KWDEFAULTS != 0 {
                    self.pop()
                } else {
                    Obj::NULL
                };
                let defaults = if flags & bytecode::make_function::DEFAULTS != 0 {
                    self.pop()
                } else {
                    Obj::NULL
                };
                let globals = self.frames.last().map_or(Obj::NULL, |f| f.globals);
                let func = self.make_function(code, globals, defaults, kwdefaults, closure)?;
                self.push(func);
            }
            Op::RETURN_VALUE => {
                let v = self.pop();
                return self.do_return(v, base);
            }
            Op::LOAD_BUILD_CLASS => {
                self.push(crate::builtins::build_class_obj());
            }
            Op::YIELD_VALUE => {
                let v = self.pop();
                return self.do_yield(v, base);
            }
            Op::YIELD_FROM => {
                let v = self.pop();
                let it = self.peek(0);
                match self.send_into(it, v)? {
                    RunEnd::Yield(y) => {
                        // Re-execute this instruction when resumed: the sent value will be
                        // pushed on top of the iterator again.
                        if let Some(f) = self.frames.last_mut() {
                            f.ip = ip;
                        }
                        return self.do_yield(y, base);
                    }
                    RunEnd::Return(r) => {
                        self.pop();
                        self.push(r);
                    }
                }
            }
            Op::GET_YIELD_FROM_ITER => {
                let o = self.pop();
                let it = if self.is_generator(o) {
                    o
                } else {
                    self.get_iter(o)?
                };
                self.push(it);
            }
            Op::GET_AWAITABLE => {
                let o = self.pop();
                let it = self.get_awaitable(o)?;
                self.push(it);
            }
            Op::GET_AITER => {
                let o = self.pop();
                let it = self.call_method0(o, q::__aiter__)?;
                self.push(it);
            }
            Op::GET_ANEXT => {
                let o = self.peek(0);
                let aw = self.call_method0(o, q::__anext__)?;
                let aw = self.get_awaitable(aw)?;
                self.push(aw);
            }
            Op::END_ASYNC_FOR => {
                let e = self.pop();
                if self.is_exception(e) && self.exc_is(e, ty::STOP_ASYNC_ITERATION) {
                    self.pop();
                    self.end_handler();
                } else {
                    return Err(e);
                }
            }
            Op::SETUP_FINALLY => {
                let f = self.frames.last_mut().expect("frame");
                let depth = (f.slots.len() - f.stack_base) as u32;
                f.blocks.push(Block {
                    kind: BlockKind::Handler,
                    handler: arg,
                    depth,
                    prev_exc: Obj::NULL,
                });
            }
            Op::POP_BLOCK => {
                if let Some(f) = self.frames.last_mut() {
                    f.blocks.pop();
                }
            }
            Op::POP_EXCEPT => {
                self.end_handler();
            }
            Op::RERAISE => {
                let e = self.pop();
                self.end_handler();
                return Err(self.reraise_value(e));
            }
            Op::RAISE_VARARGS => {
                return Err(self.do_raise(a)?);
            }
            Op::JUMP_IF_NOT_EXC_MATCH => {
                let spec = self.pop();
                let e = self.peek(0);
                self.check_exc_spec(spec)?;
                if !self.exc_matches(e, spec) {
                    self.jump(arg);
                }
            }
            Op::SETUP_WITH => {
                let mgr = self.pop();
                let exit = self.getattr(mgr, q::__exit__)?;
                self.push(exit);
                let enter = self.getattr(mgr, q::__enter__)?;
                let f = self.frames.last_mut().expect("frame");
                let depth = (f.slots.len() - f.stack_base) as u32;
                f.blocks.push(Block {
                    kind: BlockKind::Handler,
                    handler: arg,
                    depth,
                    prev_exc: Obj::NULL,
                });
                let r = self.call(enter, &[], &[])?;
                self.push(r);
            }
            Op::WITH_EXCEPT_START => {
                let e = self.peek(0);
                let exit = self.peek(1);
                let class = self.exc_class(e);
                let r = self.call(exit, &[class, e, Obj::NONE], &[])?;
                self.push(r);
            }
            Op::BEFORE_ASYNC_WITH => {
                let mgr = self.pop();
                let exit = self.getattr(mgr, q::__aexit__)?;
                self.push(exit);
                let r = self.call_method0(mgr, q::__aenter__)?;
                self.push(r);
            }
            Op::LOAD_ASSERTION_ERROR => {
                self.push(Obj::builtin_type(ty::ASSERTION_ERROR));
            }
            Op::IMPORT_NAME => {
                let name = self.code_name(a);
                let fromlist = self.pop();
                let level = self.pop();
                let m = self.import_name(name, fromlist, level)?;
                self.push(m);
            }
            Op::IMPORT_FROM => {
                let name = self.code_name(a);
                let m = self.peek(0);
                let v = self.import_from(m, name)?;
                self.push(v);
            }
            Op::IMPORT_STAR => {
                let m = self.pop();
                self.import_star(m)?;
            }
            Op::PRINT_EXPR => {
                let v = self.pop();
                if v != Obj::NONE {
                    let s = self.repr(v)?;
                    self.port.stdout(s.as_bytes());
                    self.port.stdout(b"\n");
                }
            }
        }
        Ok(None)
    }

    fn jump(&mut self, target: u32) {
        if let Some(f) = self.frames.last_mut() {
            f.ip = target as usize;
        }
    }

    fn local_name(&self, i: usize) -> alloc::string::String {
        let f = self.frames.last();
        let name = match f.and_then(|f| self.heap.get(f.code)) {
            Some(HeapObj::Code(c)) => c.varnames.get(i).copied().unwrap_or(q::EMPTY),
            _ => q::EMPTY,
        };
        alloc::string::String::from(self.qstr_str(name))
    }

    fn deref_name(&self, i: usize) -> Qstr {
        let f = self.frames.last();
        match f.and_then(|f| self.heap.get(f.code)) {
            Some(HeapObj::Code(c)) => c.deref_names.get(i).copied().unwrap_or(q::EMPTY),
            _ => q::EMPTY,
        }
    }

    fn cell_at(&self, i: usize) -> Obj {
        self.frames
            .last()
            .and_then(|f| f.slots.get(f.nlocals + i).copied())
            .unwrap_or(Obj::NULL)
    }

    /// Ends the innermost `except`/`finally` handler: restores the exception handled before.
    fn end_handler(&mut self) {
        if let Some(f) = self.frames.last_mut() {
            if let Some(pos) = f
                .blocks
                .iter()
                .rposition(|b| b.kind == BlockKind::ExceptHandler)
            {
                let b = f.blocks.remove(pos);
                self.handled = b.prev_exc;
            }
        }
    }

    fn reraise_value(&mut self, e: Obj) -> Obj {
        if self.is_exception(e) {
            // The line of the re-raise is not added again: this frame is already in the
            // traceback.
            self.reraising = true;
            e
        } else {
            self.exc(ty::TYPE_ERROR, "exceptions must derive from BaseException")
        }
    }

    fn check_exc_spec(&mut self, spec: Obj) -> PyResult<()> {
        let ok = |vm: &Vm, c: Obj| vm.is_class(c);
        let valid = match self.heap.get(spec) {
            Some(HeapObj::Tuple(items)) => items.iter().all(|&c| ok(self, c)),
            _ => ok(self, spec),
        };
        if !valid {
            raise!(
                self,
                TYPE_ERROR,
                "catching classes that do not inherit from BaseException is not allowed"
            );
        }
        Ok(())
    }

    /// `raise`, `raise e`, `raise e from c`: the exception to raise.
    fn do_raise(&mut self, n: usize) -> PyResult<Obj> {
        let cause = if n == 2 { self.pop() } else { Obj::NULL };
        if n == 0 {
            if self.handled.is_null() {
                raise!(self, RUNTIME_ERROR, "no active exception to reraise");
            }
            self.reraising = true;
            return Ok(self.handled);
        }
        let e = self.pop();
        let e = self.make_exception_value(e)?;
        if n == 2 {
            let c = if cause == Obj::NONE {
                Obj::NONE
            } else {
                self.make_exception_value(cause)?
            };
            if let Some(HeapObj::Exception(x)) = self.heap.get_mut(e) {
                x.cause = c;
            }
        }
        // Raising an exception object again keeps its traceback and adds the new line, as
        // MicroPython does.
        Ok(e)
    }

    /// An exception instance from `raise X` where X is an instance or a class.
    pub(crate) fn make_exception_value(&mut self, e: Obj) -> PyResult<Obj> {
        if self.is_exception(e) {
            // An exception whose `__init__` is still running is not complete yet (MicroPython).
            if self
                .frames
                .iter()
                .any(|f| f.exit == FrameExit::Init && f.aux == e)
            {
                raise!(
                    self,
                    TYPE_ERROR,
                    "exceptions must derive from BaseException"
                );
            }
            return Ok(e);
        }
        if self.is_class(e) && self.class_is_subclass(e, Obj::builtin_type(ty::BASE_EXCEPTION)) {
            let inst = self.call(e, &[], &[])?;
            if self.is_exception(inst) {
                return Ok(inst);
            }
        }
        raise!(
            self,
            TYPE_ERROR,
            "exceptions must derive from BaseException"
        )
    }

    /// Pops the current frame and hands `v` to whoever waits for it.
    fn do_return(&mut self, v: Obj, base: usize) -> PyResult<Option<RunEnd>> {
        let depth = self.frames.len() - 1;
        let Some(frame) = self.frames.pop() else {
            return Ok(Some(RunEnd::Return(v)));
        };
        if !frame.aux.is_null() && frame.exit != FrameExit::Init {
            // A generator frame finished.
            self.finish_generator(frame.aux);
        }
        let result = if frame.exit == FrameExit::Init {
            if v != Obj::NONE {
                self.frames.push(frame);
                raise!(self, TYPE_ERROR, "__init__() should return None");
            }
            frame.aux
        } else {
            v
        };
        self.heap.keep(result);
        let nested = depth <= base || frame.exit == FrameExit::Nested;
        self.recycle_slots(frame.slots);
        if nested {
            return Ok(Some(RunEnd::Return(result)));
        }
        self.push(result);
        Ok(None)
    }

    /// Suspends the current (generator) frame, yielding `v` from the run.
    fn do_yield(&mut self, v: Obj, _base: usize) -> PyResult<Option<RunEnd>> {
        let Some(frame) = self.frames.pop() else {
            return Ok(Some(RunEnd::Yield(v)));
        };
        let gen = frame.aux;
        self.heap.keep(v);
        self.suspend_generator(gen, frame);
        Ok(Some(RunEnd::Yield(v)))
    }

    /// Looks for a handler for `e` in the frames of this run; pops the frames that have none.
    /// `Err(e)` when the exception leaves the run's bottom frame.
    pub(crate) fn unwind(&mut self, e: Obj, base: usize) -> PyResult<()> {
        let mut first = true;
        loop {
            let Some(f) = self.frames.last_mut() else {
                return Err(e);
            };
            if !(first && core::mem::take(&mut self.reraising)) {
                let (code, line_ip) = (f.code, f.last_ip);
                if let Some(HeapObj::Code(c)) = self.heap.get(code) {
                    let entry = TracebackEntry {
                        filename: c.filename,
                        line: c.line_at(line_ip),
                        name: c.name,
                    };
                    self.add_traceback(e, entry);
                }
            }
            first = false;
            // Look for a handler in this frame.
            loop {
                let f = self.frames.last_mut().expect("frame");
                let Some(b) = f.blocks.pop() else { break };
                match b.kind {
                    BlockKind::ExceptHandler => self.handled = b.prev_exc,
                    BlockKind::Handler => {
                        let f = self.frames.last_mut().expect("frame");
                        f.slots.truncate(f.stack_base + b.depth as usize);
                        f.blocks.push(Block {
                            kind: BlockKind::ExceptHandler,
                            handler: 0,
                            depth: 0,
                            prev_exc: self.handled,
                        });
                        f.slots.push(e);
                        f.ip = b.handler as usize;
                        let prev = self.handled;
                        if !prev.is_null() && prev != e {
                            if let Some(HeapObj::Exception(x)) = self.heap.get_mut(e) {
                                if x.context.is_null() {
                                    x.context = prev;
                                }
                            }
                        }
                        self.handled = e;
                        return Ok(());
                    }
                }
            }
            let depth = self.frames.len() - 1;
            let frame = self.frames.pop().expect("frame");
            if !frame.aux.is_null() && frame.exit != FrameExit::Init {
                self.finish_generator(frame.aux);
            }
            if depth <= base || frame.exit == FrameExit::Nested {
                return Err(e);
            }
        }
    }
}
