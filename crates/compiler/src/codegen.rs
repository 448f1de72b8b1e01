//! Code generation for statements, and the per-code-object state (`Unit`).
//!
//! Control flow follows CPython 3.9: a `finally` body (and a `with` exit call) is compiled
//! once for the normal path, once as the exception handler, and once more on every
//! `return`/`break`/`continue` that leaves its block. The `fblocks` stack records the blocks
//! that such an exit must unwind, innermost last. Expressions are in `codegen_expr`, function
//! and class objects in `codegen_def`.

use alloc::string::String;
use alloc::vec::Vec;

use crate::ast::*;
use crate::bytecode::{Const, Op};
use crate::emit::{Emitter, Label};
use crate::sortmap::SortedMap;
use crate::symtable::{Binding, Scope, SymTable};
use crate::{CompileError, ErrorKind, Mode};

/// Result of a code generation step.
pub type CResult<T = ()> = Result<T, CompileError>;

/// A block that a non-exceptional exit must unwind.
pub(crate) enum FBlock<'a> {
    /// A loop: `continue` jumps to `start`, `break` to `end`. A `for` loop keeps its
    /// iterator on the stack.
    Loop {
        start: Label,
        end: Label,
        has_iter: bool,
    },
    /// The body of `try`/`except`: its handler block is active.
    TryExcept,
    /// The body of `try`/`finally`: leaving it runs the finally body.
    FinallyTry(&'a [Stmt]),
    /// The finally body on the exception path: the exception is on the stack.
    FinallyEnd,
    /// A `with` body.
    With(bool),
    /// An `except` body, with its `as` name.
    HandlerCleanup(Option<&'a str>),
    /// A value kept on the stack under a `return` value.
    PopValue,
}

/// How a statement leaves its blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Exit {
    Return,
    Break,
    Continue,
}

/// The state of the code object being compiled.
pub(crate) struct Unit<'a> {
    pub scope_id: u32,
    pub e: Emitter,
    pub fblocks: Vec<FBlock<'a>>,
    pub qualname: String,
    /// The parameters of a function or lambda.
    pub params: Option<&'a Params>,
    fast: SortedMap<String, u16>,
}

/// The compiler: the symbol table, the mode, the unit being compiled, and where finished
/// nested code goes (kept in its parent's constants without a loader).
pub(crate) struct Compiler<'a> {
    pub st: &'a SymTable,
    pub filename: &'a str,
    pub mode: Mode,
    pub u: Unit<'a>,
    pub loader: Option<&'a mut dyn crate::Loader>,
    /// The memory the compiler may take (`Options::room`).
    pub room: Option<crate::Room>,
}

/// A syntax error with a message at a line.
pub(crate) fn error(msg: &str, line: u32) -> CompileError {
    CompileError {
        kind: ErrorKind::Syntax,
        msg: String::from(msg),
        line,
        col: 1,
    }
}

impl<'a> Compiler<'a> {
    pub fn new(
        st: &'a SymTable,
        filename: &'a str,
        mode: Mode,
        loader: Option<&'a mut dyn crate::Loader>,
    ) -> Compiler<'a> {
        Compiler {
            st,
            filename,
            mode,
            u: Unit::new(st, 0, String::new()),
            loader,
            room: None,
        }
    }

    /// A compiler that goes on with the module's `unit` (from [`Unit::detach`]).
    pub fn resume(
        st: &'a SymTable,
        filename: &'a str,
        mode: Mode,
        unit: Unit<'a>,
        loader: Option<&'a mut dyn crate::Loader>,
    ) -> Compiler<'a> {
        Compiler {
            st,
            filename,
            mode,
            u: unit,
            loader,
            room: None,
        }
    }

    pub fn scope(&self) -> &'a Scope {
        let st: &'a SymTable = self.st;
        // Scope ids come from the parser; the table has an entry for every one of them.
        &st.scopes[self.u.scope_id as usize]
    }

    pub fn line(&self) -> u32 {
        self.u.e.line
    }

    // ---- names ----

    pub fn load_name(&mut self, name: &str) -> CResult {
        self.name_op(name, 0)
    }

    pub fn store_name(&mut self, name: &str) -> CResult {
        self.name_op(name, 1)
    }

    pub fn delete_name(&mut self, name: &str) -> CResult {
        self.name_op(name, 2)
    }

    /// `what`: 0 load, 1 store, 2 delete.
    fn name_op(&mut self, name: &str, what: usize) -> CResult {
        let scope = self.scope();
        let pick = |ops: [Op; 3]| ops[what];
        match scope.binding(name) {
            Binding::Fast => {
                let Some(&i) = self.u.fast.get(name) else {
                    return Err(error("internal compiler error", self.line()));
                };
                self.u
                    .e
                    .op_arg(pick([Op::LOAD_FAST, Op::STORE_FAST, Op::DELETE_FAST]), i);
            }
            b @ (Binding::Deref | Binding::ClassDeref) => {
                let i = scope
                    .deref_index(name)
                    .ok_or_else(|| error("internal compiler error", self.line()))?;
                let load = if b == Binding::ClassDeref {
                    Op::LOAD_CLASSDEREF
                } else {
                    Op::LOAD_DEREF
                };
                self.u
                    .e
                    .op_n(pick([load, Op::STORE_DEREF, Op::DELETE_DEREF]), i)?;
            }
            Binding::Global => {
                let op = pick([Op::LOAD_GLOBAL, Op::STORE_GLOBAL, Op::DELETE_GLOBAL]);
                self.u.e.op_name(op, name)?;
            }
            Binding::Name => {
                let op = pick([Op::LOAD_NAME, Op::STORE_NAME, Op::DELETE_NAME]);
                self.u.e.op_name(op, name)?;
            }
        }
        Ok(())
    }

    pub fn load_none(&mut self) -> CResult {
        self.u.e.load_const(Const::None)
    }

    // ---- statements ----

    pub fn stmts(&mut self, body: &'a [Stmt]) -> CResult {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    /// A memory error unless the room the emitter's next growth takes is free.
    pub fn need_room(&self) -> CResult {
        match self.room {
            Some(r) if !r.has(self.u.e.next_growth()) => Err(crate::out_of_memory(self.line(), 1)),
            _ => Ok(()),
        }
    }

    fn stmt(&mut self, s: &'a Stmt) -> CResult {
        self.need_room()?;
        self.u.e.set_line(s.line);
        match &s.kind {
            StmtKind::Expr(e) => {
                if self.mode == Mode::Single && self.u.scope_id == 0 {
                    self.expr(e)?;
                    self.u.e.op(Op::PRINT_EXPR);
                } else if !matches!(e.kind, ExprKind::Const(_)) {
                    self.expr(e)?;
                    self.u.e.op(Op::POP_TOP);
                }
            }
            StmtKind::Assign(targets, value) if swap_items(targets, value).is_some() => {
                // `a, b = x, y` (two or three items) goes through the stack, without a tuple,
                // as MicroPython compiles it: it runs with the heap locked.
                let (lhs, rhs) = swap_items(targets, value).unwrap_or_default();
                for v in rhs {
                    self.expr(v)?;
                }
                if rhs.len() == 3 {
                    self.u.e.op(Op::ROT_THREE);
                }
                self.u.e.op(Op::ROT_TWO);
                for t in lhs {
                    self.store(t)?;
                }
            }
            StmtKind::Assign(targets, value) => {
                self.expr(value)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.u.e.op(Op::DUP_TOP);
                    }
                    self.store(t)?;
                }
            }
            StmtKind::AugAssign(t, op, v) => self.aug_assign(t, *op, v)?,
            StmtKind::AnnAssign(t, v) => {
                if let Some(v) = v {
                    self.expr(v)?;
                    self.store(t)?;
                }
            }
            StmtKind::Pass | StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
            StmtKind::Break => self.break_continue(Exit::Break, s.line)?,
            StmtKind::Continue => self.break_continue(Exit::Continue, s.line)?,
            StmtKind::Return(v) => {
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.load_none()?,
                }
                self.unwind(Exit::Return)?;
                self.u.e.op(Op::RETURN_VALUE);
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.delete(t)?;
                }
            }
            StmtKind::Raise(exc, cause) => {
                let mut n = 0;
                if let Some(exc) = exc {
                    self.expr(exc)?;
                    n += 1;
                    if let Some(c) = cause {
                        self.expr(c)?;
                        n += 1;
                    }
                }
                self.u.e.op_arg(Op::RAISE_VARARGS, n);
            }
            StmtKind::Assert(test, msg) => {
                let end = self.u.e.label();
                self.jump_if(test, true, end)?;
                self.u.e.op(Op::LOAD_ASSERTION_ERROR);
                if let Some(m) = msg {
                    self.expr(m)?;
                    self.u.e.op_arg(Op::CALL_FUNCTION, 1);
                }
                self.u.e.op_arg(Op::RAISE_VARARGS, 1);
                self.u.e.bind(end);
            }
            StmtKind::Import(names) => {
                for a in names {
                    self.u.e.load_const(Const::Int(0))?;
                    self.load_none()?;
                    self.u.e.op_name(Op::IMPORT_NAME, &a.name)?;
                    match &a.asname {
                        Some(asname) => {
                            for part in a.name.split('.').skip(1) {
                                self.u.e.op_name(Op::LOAD_ATTR, part)?;
                            }
                            self.store_name(asname)?;
                        }
                        None => {
                            let top = a.name.split('.').next().unwrap_or("");
                            self.store_name(top)?;
                        }
                    }
                }
            }
            StmtKind::ImportFrom(module, level, names) => {
                self.u.e.load_const(Const::Int(i64::from(*level)))?;
                let list = names.iter().map(|a| Const::Str(a.name.clone())).collect();
                self.u.e.load_const(Const::Tuple(list))?;
                self.u
                    .e
                    .op_name(Op::IMPORT_NAME, module.as_deref().unwrap_or(""))?;
                if names.first().is_some_and(|a| a.name == "*") {
                    self.u.e.op(Op::IMPORT_STAR);
                } else {
                    for a in names {
                        self.u.e.op_name(Op::IMPORT_FROM, &a.name)?;
                        self.store_name(a.asname.as_deref().unwrap_or(&a.name))?;
                    }
                    self.u.e.op(Op::POP_TOP);
                }
            }
            StmtKind::If(test, body, orelse) => {
                let end = self.u.e.label();
                let other = self.u.e.label();
                self.jump_if(test, false, other)?;
                self.stmts(body)?;
                if !orelse.is_empty() {
                    self.u.e.jump(Op::JUMP, end);
                }
                self.u.e.bind(other);
                self.stmts(orelse)?;
                self.u.e.bind(end);
            }
            StmtKind::While(test, body, orelse) => {
                let start = self.u.e.label();
                let end = self.u.e.label();
                let other = self.u.e.label();
                self.u.e.bind(start);
                self.jump_if(test, false, other)?;
                self.u.fblocks.push(FBlock::Loop {
                    start,
                    end,
                    has_iter: false,
                });
                self.stmts(body)?;
                self.u.fblocks.pop();
                self.u.e.jump(Op::JUMP, start);
                self.u.e.bind(other);
                self.stmts(orelse)?;
                self.u.e.bind(end);
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                is_async,
            } => self.for_loop(target, iter, body, orelse, *is_async)?,
            StmtKind::With {
                items,
                body,
                is_async,
            } => self.with(items, body, *is_async)?,
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                if finalbody.is_empty() {
                    self.try_except(body, handlers, orelse)?;
                } else {
                    self.try_finally(body, handlers, orelse, finalbody)?;
                }
            }
            StmtKind::FunctionDef(f) => self.function_def(f)?,
            StmtKind::ClassDef(c) => self.class_def(c)?,
        }
        Ok(())
    }

    fn aug_assign(&mut self, t: &'a Expr, op: crate::bytecode::BinOp, v: &'a Expr) -> CResult {
        match &t.kind {
            ExprKind::Name(n) => {
                self.load_name(n)?;
                self.expr(v)?;
                self.u.e.op_arg(Op::INPLACE_OP, op as u16);
                self.store_name(n)?;
            }
            ExprKind::Attribute(obj, name) => {
                self.expr(obj)?;
                self.u.e.op(Op::DUP_TOP);
                self.u.e.op_name(Op::LOAD_ATTR, name)?;
                self.expr(v)?;
                self.u.e.op_arg(Op::INPLACE_OP, op as u16);
                self.u.e.op(Op::ROT_TWO);
                self.u.e.op_name(Op::STORE_ATTR, name)?;
            }
            ExprKind::Subscript(obj, key) => {
                self.expr(obj)?;
                self.expr(key)?;
                self.u.e.op(Op::DUP_TOP_TWO);
                self.u.e.op(Op::BINARY_SUBSCR);
                self.expr(v)?;
                self.u.e.op_arg(Op::INPLACE_OP, op as u16);
                self.u.e.op(Op::ROT_THREE);
                self.u.e.op(Op::STORE_SUBSCR);
            }
            _ => return Err(error("can't assign to expression", t.line)),
        }
        Ok(())
    }

    /// Stores the value on top of the stack into an assignment target.
    pub fn store(&mut self, t: &'a Expr) -> CResult {
        match &t.kind {
            ExprKind::Name(n) => self.store_name(n)?,
            ExprKind::Attribute(obj, name) => {
                self.expr(obj)?;
                self.u.e.op_name(Op::STORE_ATTR, name)?;
            }
            ExprKind::Subscript(obj, key) => {
                self.expr(obj)?;
                self.expr(key)?;
                self.u.e.op(Op::STORE_SUBSCR);
            }
            ExprKind::Tuple(items) if items.is_empty() => {
                // MicroPython (like CPython before 3.6) refuses `() = x`; `[] = x` is fine.
                return Err(error("can't assign to expression", t.line));
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                let stars: Vec<usize> = items
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| matches!(e.kind, ExprKind::Starred(_)))
                    .map(|(i, _)| i)
                    .collect();
                match stars.as_slice() {
                    [] => self.u.e.op_n(Op::UNPACK_SEQUENCE, items.len())?,
                    [i] => {
                        let after = items.len() - i - 1;
                        if *i > 255 || after > 255 {
                            return Err(error("too complex", t.line));
                        }
                        self.u.e.op_n(Op::UNPACK_EX, i | (after << 8))?;
                    }
                    _ => return Err(error("multiple *x in assignment", t.line)),
                }
                for item in items {
                    match &item.kind {
                        ExprKind::Starred(inner) => self.store(inner)?,
                        _ => self.store(item)?,
                    }
                }
            }
            ExprKind::Starred(_) => {
                return Err(error("*x must be assignment target", t.line));
            }
            _ => return Err(error("can't assign to expression", t.line)),
        }
        Ok(())
    }

    fn delete(&mut self, t: &'a Expr) -> CResult {
        match &t.kind {
            ExprKind::Name(n) => self.delete_name(n)?,
            ExprKind::Attribute(obj, name) => {
                self.expr(obj)?;
                self.u.e.op_name(Op::DELETE_ATTR, name)?;
            }
            ExprKind::Subscript(obj, key) => {
                self.expr(obj)?;
                self.expr(key)?;
                self.u.e.op(Op::DELETE_SUBSCR);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) if !items.is_empty() => {
                for i in items {
                    self.delete(i)?;
                }
            }
            _ => return Err(error("can't delete expression", t.line)),
        }
        Ok(())
    }

    fn for_loop(
        &mut self,
        target: &'a Expr,
        iter: &'a Expr,
        body: &'a [Stmt],
        orelse: &'a [Stmt],
        is_async: bool,
    ) -> CResult {
        let start = self.u.e.label();
        let cleanup = self.u.e.label();
        let end = self.u.e.label();
        self.expr(iter)?;
        if is_async {
            self.u.e.op(Op::GET_AITER);
            self.u.e.bind(start);
            self.u.e.jump(Op::SETUP_FINALLY, cleanup);
            self.u.e.op(Op::GET_ANEXT);
            self.load_none()?;
            self.u.e.op(Op::YIELD_FROM);
            self.u.e.op(Op::POP_BLOCK);
        } else {
            self.u.e.op(Op::GET_ITER);
            self.u.e.bind(start);
            self.u.e.jump(Op::FOR_ITER, cleanup);
        }
        self.store(target)?;
        self.u.fblocks.push(FBlock::Loop {
            start,
            end,
            has_iter: true,
        });
        self.stmts(body)?;
        self.u.fblocks.pop();
        self.u.e.jump(Op::JUMP, start);
        self.u.e.bind(cleanup);
        if is_async {
            self.u.e.op(Op::END_ASYNC_FOR);
        }
        self.stmts(orelse)?;
        self.u.e.bind(end);
        Ok(())
    }

    fn with(
        &mut self,
        items: &'a [(Expr, Option<Expr>)],
        body: &'a [Stmt],
        is_async: bool,
    ) -> CResult {
        let Some(((ctx, target), rest)) = items.split_first() else {
            return self.stmts(body);
        };
        let handler = self.u.e.label();
        let end = self.u.e.label();
        self.expr(ctx)?;
        if is_async {
            // The handler block is set up after the target is stored, so that its depth is
            // just above `__aexit__`, as for `SETUP_WITH`.
            self.u.e.op(Op::BEFORE_ASYNC_WITH);
            self.await_top()?;
            match target {
                Some(t) => self.store(t)?,
                None => self.u.e.op(Op::POP_TOP),
            }
            self.u.e.jump(Op::SETUP_FINALLY, handler);
        } else {
            self.u.e.jump(Op::SETUP_WITH, handler);
            match target {
                Some(t) => self.store(t)?,
                None => self.u.e.op(Op::POP_TOP),
            }
        }
        self.u.fblocks.push(FBlock::With(is_async));
        if rest.is_empty() {
            self.stmts(body)?;
        } else {
            self.with(rest, body, is_async)?;
        }
        self.u.fblocks.pop();
        self.u.e.op(Op::POP_BLOCK);
        self.call_exit(is_async)?;
        self.u.e.jump(Op::JUMP, end);
        // Exception path: [exit, exc].
        self.u.e.bind(handler);
        self.u.e.op(Op::WITH_EXCEPT_START);
        if is_async {
            self.await_top()?;
        }
        let suppress = self.u.e.label();
        self.u.e.jump(Op::POP_JUMP_IF_TRUE, suppress);
        self.u.e.op(Op::RERAISE);
        self.u.e.bind(suppress);
        self.u.e.op(Op::POP_TOP);
        self.u.e.op(Op::POP_TOP);
        self.u.e.op(Op::POP_EXCEPT);
        self.u.e.bind(end);
        Ok(())
    }

    /// `[exit] -> []`: calls `exit(None, None, None)` (awaiting it for `async with`).
    fn call_exit(&mut self, is_async: bool) -> CResult {
        self.load_none()?;
        self.u.e.op(Op::DUP_TOP);
        self.u.e.op(Op::DUP_TOP);
        self.u.e.op_arg(Op::CALL_FUNCTION, 3);
        if is_async {
            self.await_top()?;
        }
        self.u.e.op(Op::POP_TOP);
        Ok(())
    }

    /// `[awaitable] -> [result]`
    pub fn await_top(&mut self) -> CResult {
        self.u.e.op(Op::GET_AWAITABLE);
        self.load_none()?;
        self.u.e.op(Op::YIELD_FROM);
        Ok(())
    }

    fn try_except(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [Handler],
        orelse: &'a [Stmt],
    ) -> CResult {
        let except = self.u.e.label();
        let end = self.u.e.label();
        self.u.e.jump(Op::SETUP_FINALLY, except);
        self.u.fblocks.push(FBlock::TryExcept);
        self.stmts(body)?;
        self.u.fblocks.pop();
        self.u.e.op(Op::POP_BLOCK);
        self.stmts(orelse)?;
        self.u.e.jump(Op::JUMP, end);
        // Handlers, each entered with [exc].
        self.u.e.bind(except);
        for h in handlers {
            self.u.e.set_line(h.line);
            let next = self.u.e.label();
            if let Some(t) = &h.typ {
                self.expr(t)?;
                self.u.e.jump(Op::JUMP_IF_NOT_EXC_MATCH, next);
            }
            match &h.name {
                Some(name) => {
                    self.store_name(name)?;
                    let cleanup = self.u.e.label();
                    self.u.e.jump(Op::SETUP_FINALLY, cleanup);
                    self.u.fblocks.push(FBlock::HandlerCleanup(Some(name)));
                    self.stmts(&h.body)?;
                    self.u.fblocks.pop();
                    self.u.e.op(Op::POP_BLOCK);
                    self.u.e.op(Op::POP_EXCEPT);
                    self.clear_name(name)?;
                    self.u.e.jump(Op::JUMP, end);
                    // The body raised: [exc2].
                    self.u.e.bind(cleanup);
                    self.clear_name(name)?;
                    self.u.e.op(Op::RERAISE);
                }
                None => {
                    self.u.e.op(Op::POP_TOP);
                    self.u.fblocks.push(FBlock::HandlerCleanup(None));
                    self.stmts(&h.body)?;
                    self.u.fblocks.pop();
                    self.u.e.op(Op::POP_EXCEPT);
                    self.u.e.jump(Op::JUMP, end);
                }
            }
            self.u.e.bind(next);
        }
        self.u.e.op(Op::RERAISE);
        self.u.e.bind(end);
        Ok(())
    }

    /// `name = None; del name` (the `except ... as name` epilogue).
    fn clear_name(&mut self, name: &str) -> CResult {
        self.load_none()?;
        self.store_name(name)?;
        self.delete_name(name)
    }

    fn try_finally(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [Handler],
        orelse: &'a [Stmt],
        finalbody: &'a [Stmt],
    ) -> CResult {
        let handler = self.u.e.label();
        let end = self.u.e.label();
        self.u.e.jump(Op::SETUP_FINALLY, handler);
        self.u.fblocks.push(FBlock::FinallyTry(finalbody));
        if handlers.is_empty() {
            self.stmts(body)?;
        } else {
            self.try_except(body, handlers, orelse)?;
        }
        self.u.fblocks.pop();
        self.u.e.op(Op::POP_BLOCK);
        self.stmts(finalbody)?;
        self.u.e.jump(Op::JUMP, end);
        // Exception path: [exc].
        self.u.e.bind(handler);
        self.u.fblocks.push(FBlock::FinallyEnd);
        self.stmts(finalbody)?;
        self.u.fblocks.pop();
        self.u.e.op(Op::RERAISE);
        self.u.e.bind(end);
        Ok(())
    }

    fn break_continue(&mut self, exit: Exit, line: u32) -> CResult {
        if !self
            .u
            .fblocks
            .iter()
            .any(|f| matches!(f, FBlock::Loop { .. }))
        {
            let msg = if exit == Exit::Break {
                "'break' outside loop"
            } else {
                "'continue' outside loop"
            };
            return Err(error(msg, line));
        }
        if let Some(target) = self.unwind(exit)? {
            self.u.e.jump(Op::JUMP, target);
        }
        Ok(())
    }

    /// Emits the cleanup of the blocks that `exit` leaves; returns the jump target of a
    /// `break`/`continue`. A `return` value on the stack is preserved.
    fn unwind(&mut self, exit: Exit) -> CResult<Option<Label>> {
        let preserve = exit == Exit::Return;
        let mut popped = Vec::new();
        let mut target = None;
        let mut result = Ok(());
        while let Some(fb) = self.u.fblocks.pop() {
            if let FBlock::Loop { start, end, .. } = fb {
                if exit == Exit::Continue {
                    target = Some(start);
                    self.u.fblocks.push(fb);
                    break;
                }
                if exit == Exit::Break {
                    result = self.unwind_block(&fb, false);
                    target = Some(end);
                    popped.push(fb);
                    break;
                }
            }
            result = self.unwind_block(&fb, preserve);
            popped.push(fb);
            if result.is_err() {
                break;
            }
        }
        while let Some(fb) = popped.pop() {
            self.u.fblocks.push(fb);
        }
        result.map(|_| target)
    }

    fn unwind_block(&mut self, fb: &FBlock<'a>, preserve: bool) -> CResult {
        match fb {
            FBlock::Loop { has_iter, .. } => {
                if *has_iter {
                    if preserve {
                        self.u.e.op(Op::ROT_TWO);
                    }
                    self.u.e.op(Op::POP_TOP);
                }
            }
            FBlock::TryExcept => self.u.e.op(Op::POP_BLOCK),
            FBlock::FinallyTry(body) => {
                self.u.e.op(Op::POP_BLOCK);
                if preserve {
                    self.u.fblocks.push(FBlock::PopValue);
                }
                let r = self.stmts(body);
                if preserve {
                    self.u.fblocks.pop();
                }
                r?;
            }
            FBlock::FinallyEnd => {
                if preserve {
                    self.u.e.op(Op::ROT_TWO);
                }
                self.u.e.op(Op::POP_TOP);
                self.u.e.op(Op::POP_EXCEPT);
            }
            FBlock::With(is_async) => {
                self.u.e.op(Op::POP_BLOCK);
                if preserve {
                    self.u.e.op(Op::ROT_TWO);
                }
                self.call_exit(*is_async)?;
            }
            FBlock::HandlerCleanup(name) => {
                if name.is_some() {
                    self.u.e.op(Op::POP_BLOCK);
                }
                self.u.e.op(Op::POP_EXCEPT);
                if let Some(n) = name {
                    self.clear_name(n)?;
                }
            }
            FBlock::PopValue => {
                if preserve {
                    self.u.e.op(Op::ROT_TWO);
                }
                self.u.e.op(Op::POP_TOP);
            }
        }
        Ok(())
    }
}

impl<'a> Unit<'a> {
    /// The unit, no longer borrowing the tree it was compiled from: the module's unit between
    /// two statements, which has no open blocks and no parameters.
    pub fn detach<'b>(self) -> Unit<'b> {
        Unit {
            scope_id: self.scope_id,
            e: self.e,
            fblocks: Vec::new(),
            qualname: self.qualname,
            params: None,
            fast: self.fast,
        }
    }

    pub fn new(st: &SymTable, scope_id: u32, qualname: String) -> Unit<'a> {
        let mut fast = SortedMap::new();
        if let Some(s) = st.scopes.get(scope_id as usize) {
            for (i, n) in s.varnames.iter().enumerate() {
                fast.insert(n.clone(), u16::try_from(i).unwrap_or(u16::MAX));
            }
        }
        Unit {
            scope_id,
            e: Emitter::default(),
            fblocks: Vec::new(),
            qualname,
            params: None,
            fast,
        }
    }
}

/// The items of `a, b = x, y` (or three of each, no starred items): an assignment compiled
/// as a rotation of the stack.
fn swap_items<'e>(targets: &'e [Expr], value: &'e Expr) -> Option<(&'e [Expr], &'e [Expr])> {
    let [target] = targets else { return None };
    let (ExprKind::Tuple(lhs), ExprKind::Tuple(rhs)) = (&target.kind, &value.kind) else {
        return None;
    };
    let plain = |items: &[Expr]| !items.iter().any(|e| matches!(e.kind, ExprKind::Starred(_)));
    let fits = matches!(lhs.len(), 2 | 3) && lhs.len() == rhs.len();
    (fits && plain(lhs) && plain(rhs)).then_some((lhs.as_slice(), rhs.as_slice()))
}
