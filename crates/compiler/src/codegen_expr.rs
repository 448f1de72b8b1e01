//! Code generation for expressions: operators, displays, calls, f-strings, conditions.

use alloc::vec::Vec;

use crate::ast::*;
use crate::bytecode::{format_value, Const, Op, UnaryOp};
use crate::codegen::{error, CResult, Compiler};
use crate::emit::Label;

/// The constant of a literal.
pub(crate) fn lit_const(l: &Lit) -> Const {
    match l {
        Lit::None => Const::None,
        Lit::True => Const::True,
        Lit::False => Const::False,
        Lit::Ellipsis => Const::Ellipsis,
        Lit::Int(v) => Const::Int(*v),
        Lit::BigInt(radix, digits) => Const::BigInt {
            radix: *radix,
            digits: digits.clone(),
        },
        Lit::Float(v) => Const::Float(*v),
        Lit::Imag(v) => Const::Imag(*v),
        Lit::Str(s) => Const::Str(s.clone()),
        Lit::Bytes(b) => Const::Bytes(b.clone()),
        Lit::Tuple(items) => Const::Tuple(items.iter().map(lit_const).collect()),
    }
}

/// The constant value of an expression, if it is a literal or a tuple of them.
pub(crate) fn const_value(e: &Expr) -> Option<Const> {
    match &e.kind {
        ExprKind::Const(l) => Some(lit_const(l)),
        ExprKind::Tuple(items) => items
            .iter()
            .map(const_value)
            .collect::<Option<Vec<_>>>()
            .map(Const::Tuple),
        _ => None,
    }
}

fn has_star(items: &[Expr]) -> bool {
    items.iter().any(|e| matches!(e.kind, ExprKind::Starred(_)))
}

/// Which collection a display builds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Seq {
    Tuple,
    List,
    Set,
}

impl<'a> Compiler<'a> {
    /// Pushes the value of `e`.
    pub fn expr(&mut self, e: &'a Expr) -> CResult {
        self.need_room()?;
        match &e.kind {
            ExprKind::Name(n) => self.load_name(n)?,
            ExprKind::Const(l) => self.u.e.load_const(lit_const(l))?,
            ExprKind::FString(parts) => {
                let n = self.fparts(parts)?;
                match n {
                    0 => self.u.e.load_const(Const::Str(Default::default()))?,
                    1 => {}
                    _ => self.u.e.op_n(Op::BUILD_STRING, n)?,
                }
            }
            ExprKind::Unary(op, a) => {
                self.expr(a)?;
                self.u.e.op_arg(Op::UNARY_OP, *op as u16);
            }
            ExprKind::Binary(op, a, b) => {
                self.expr(a)?;
                self.expr(b)?;
                self.u.e.op_arg(Op::BINARY_OP, *op as u16);
            }
            ExprKind::BoolOp(and, values) => {
                let end = self.u.e.label();
                let op = if *and {
                    Op::JUMP_IF_FALSE_OR_POP
                } else {
                    Op::JUMP_IF_TRUE_OR_POP
                };
                for (i, v) in values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < values.len() {
                        self.u.e.jump(op, end);
                    }
                }
                self.u.e.bind(end);
            }
            ExprKind::Compare(first, rest) => self.compare(first, rest)?,
            ExprKind::IfExp(test, body, orelse) => {
                let other = self.u.e.label();
                let end = self.u.e.label();
                self.jump_if(test, false, other)?;
                self.expr(body)?;
                self.u.e.jump(Op::JUMP, end);
                self.u.e.bind(other);
                self.expr(orelse)?;
                self.u.e.bind(end);
            }
            ExprKind::Lambda(l) => self.lambda(l, e.line)?,
            ExprKind::Named(name, v) => {
                self.expr(v)?;
                self.u.e.op(Op::DUP_TOP);
                self.store_name(name)?;
            }
            ExprKind::Attribute(obj, name) => {
                self.expr(obj)?;
                self.u.e.op_name(Op::LOAD_ATTR, name)?;
            }
            ExprKind::Subscript(obj, key) => {
                self.expr(obj)?;
                self.expr(key)?;
                self.u.e.op(Op::BINARY_SUBSCR);
            }
            ExprKind::Slice(a, b, c) => {
                for part in [a, b] {
                    match part {
                        Some(x) => self.expr(x)?,
                        None => self.load_none()?,
                    }
                }
                if let Some(c) = c {
                    self.expr(c)?;
                    self.u.e.op_arg(Op::BUILD_SLICE, 3);
                } else {
                    self.u.e.op_arg(Op::BUILD_SLICE, 2);
                }
            }
            ExprKind::Starred(_) => {
                return Err(error("can't use starred expression here", e.line));
            }
            ExprKind::Call(f, args) => self.call(f, args)?,
            ExprKind::Tuple(items) => {
                if let Some(c) = const_value(e) {
                    self.u.e.load_const(c)?;
                } else {
                    self.sequence(items, Seq::Tuple)?;
                }
            }
            ExprKind::List(items) => self.sequence(items, Seq::List)?,
            ExprKind::Set(items) => self.sequence(items, Seq::Set)?,
            ExprKind::Dict(items) => self.dict(items)?,
            ExprKind::Comp(c) => self.comprehension(c, e.line)?,
            ExprKind::Yield(v) => {
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.load_none()?,
                }
                self.u.e.op(Op::YIELD_VALUE);
            }
            ExprKind::YieldFrom(v) => {
                self.expr(v)?;
                self.u.e.op(Op::GET_YIELD_FROM_ITER);
                self.load_none()?;
                self.u.e.op(Op::YIELD_FROM);
            }
            ExprKind::Await(v) => {
                self.expr(v)?;
                self.await_top()?;
            }
        }
        Ok(())
    }

    fn compare(&mut self, first: &'a Expr, rest: &'a [(crate::bytecode::CmpOp, Expr)]) -> CResult {
        self.expr(first)?;
        let Some(((last_op, last), init)) = rest.split_last() else {
            return Ok(());
        };
        if init.is_empty() {
            self.expr(last)?;
            self.u.e.op_arg(Op::COMPARE_OP, *last_op as u16);
            return Ok(());
        }
        let cleanup = self.u.e.label();
        let end = self.u.e.label();
        for (op, e) in init {
            self.expr(e)?;
            self.u.e.op(Op::DUP_TOP);
            self.u.e.op(Op::ROT_THREE);
            self.u.e.op_arg(Op::COMPARE_OP, *op as u16);
            self.u.e.jump(Op::JUMP_IF_FALSE_OR_POP, cleanup);
        }
        self.expr(last)?;
        self.u.e.op_arg(Op::COMPARE_OP, *last_op as u16);
        self.u.e.jump(Op::JUMP, end);
        self.u.e.bind(cleanup);
        self.u.e.op(Op::ROT_TWO);
        self.u.e.op(Op::POP_TOP);
        self.u.e.bind(end);
        Ok(())
    }

    /// Jumps to `target` if the truth of `e` equals `when`; falls through otherwise.
    pub fn jump_if(&mut self, e: &'a Expr, when: bool, target: Label) -> CResult {
        match &e.kind {
            ExprKind::Unary(UnaryOp::Not, inner) => self.jump_if(inner, !when, target),
            ExprKind::BoolOp(and, values) => {
                // `a and b` jumps on false as soon as one is false; on true only if all are.
                let Some((last, init)) = values.split_last() else {
                    return Ok(());
                };
                if *and != when {
                    for v in init {
                        self.jump_if(v, when, target)?;
                    }
                    self.jump_if(last, when, target)
                } else {
                    let skip = self.u.e.label();
                    for v in init {
                        self.jump_if(v, !when, skip)?;
                    }
                    self.jump_if(last, when, target)?;
                    self.u.e.bind(skip);
                    Ok(())
                }
            }
            ExprKind::Const(Lit::True) if !when => Ok(()),
            _ => {
                self.expr(e)?;
                let op = if when {
                    Op::POP_JUMP_IF_TRUE
                } else {
                    Op::POP_JUMP_IF_FALSE
                };
                self.u.e.jump(op, target);
                Ok(())
            }
        }
    }

    /// A tuple, list or set display, with star-unpacking.
    fn sequence(&mut self, items: &'a [Expr], kind: Seq) -> CResult {
        if !has_star(items) && items.len() <= usize::from(u16::MAX) {
            for i in items {
                self.expr(i)?;
            }
            let op = match kind {
                Seq::Tuple => Op::BUILD_TUPLE,
                Seq::List => Op::BUILD_LIST,
                Seq::Set => Op::BUILD_SET,
            };
            return self.u.e.op_n(op, items.len());
        }
        let (build, add, extend) = if kind == Seq::Set {
            (Op::BUILD_SET, Op::SET_ADD, Op::SET_UPDATE)
        } else {
            (Op::BUILD_LIST, Op::LIST_APPEND, Op::LIST_EXTEND)
        };
        self.u.e.op_arg(build, 0);
        for i in items {
            match &i.kind {
                ExprKind::Starred(inner) => {
                    self.expr(inner)?;
                    self.u.e.op_arg(extend, 1);
                }
                _ => {
                    self.expr(i)?;
                    self.u.e.op_arg(add, 1);
                }
            }
        }
        if kind == Seq::Tuple {
            self.u.e.op(Op::LIST_TO_TUPLE);
        }
        Ok(())
    }

    fn dict(&mut self, items: &'a [(Option<Expr>, Expr)]) -> CResult {
        let plain = items.iter().all(|(k, _)| k.is_some());
        if plain && items.len() <= usize::from(u16::MAX) {
            for (k, v) in items.iter().filter_map(|(k, v)| Some((k.as_ref()?, v))) {
                self.map_entry(k, v)?;
            }
            return self.u.e.op_n(Op::BUILD_MAP, items.len());
        }
        self.u.e.op_arg(Op::BUILD_MAP, 0);
        for (k, v) in items {
            match k {
                Some(k) => {
                    self.map_entry(k, v)?;
                    self.u.e.op_arg(Op::MAP_ADD, 1);
                }
                None => {
                    self.expr(v)?;
                    self.u.e.op_arg(Op::DICT_UPDATE, 1);
                }
            }
        }
        Ok(())
    }

    /// Pushes `k, v` for a dict entry, evaluating the value first as MicroPython does.
    pub(crate) fn map_entry(&mut self, k: &'a Expr, v: &'a Expr) -> CResult {
        self.expr(v)?;
        self.expr(k)?;
        self.u.e.op(Op::ROT_TWO);
        Ok(())
    }

    /// Pushes the pieces of an f-string; returns how many strings were pushed.
    fn fparts(&mut self, parts: &'a [FPart]) -> CResult<usize> {
        let mut n = 0usize;
        for p in parts {
            match p {
                FPart::Lit(s) => self.u.e.load_const(Const::Str(s.clone()))?,
                FPart::Field { value, conv, spec } => {
                    self.expr(value)?;
                    let mut arg = u16::from(*conv) & format_value::CONVERSION_MASK;
                    if let Some(spec) = spec {
                        match self.fparts(spec)? {
                            0 => self.u.e.load_const(Const::Str(Default::default()))?,
                            1 => {}
                            k => self.u.e.op_n(Op::BUILD_STRING, k)?,
                        }
                        arg |= format_value::HAS_SPEC;
                    }
                    self.u.e.op_arg(Op::FORMAT_VALUE, arg);
                }
            }
            n += 1;
        }
        Ok(n)
    }

    /// A call. `obj.name(...)` without star arguments becomes `LOAD_METHOD`/`CALL_METHOD`.
    fn call(&mut self, f: &'a Expr, args: &'a [Arg]) -> CResult {
        let simple = !args
            .iter()
            .any(|a| matches!(a, Arg::Star(_) | Arg::DoubleStar(_)));
        if let (ExprKind::Attribute(obj, name), true) = (&f.kind, simple) {
            self.expr(obj)?;
            self.u.e.op_name(Op::LOAD_METHOD, name)?;
            return self.call_args(args, 0, true);
        }
        self.expr(f)?;
        self.call_args(args, 0, false)
    }

    /// Pushes the arguments and emits the call, with `pre` positional arguments already on
    /// the stack above the callable.
    pub fn call_args(&mut self, args: &'a [Arg], pre: usize, method: bool) -> CResult {
        let starred = args
            .iter()
            .any(|a| matches!(a, Arg::Star(_) | Arg::DoubleStar(_)));
        if !starred {
            let mut names = Vec::new();
            for a in args.iter().filter(|a| matches!(a, Arg::Pos(_))) {
                if let Arg::Pos(e) = a {
                    self.expr(e)?;
                }
            }
            for a in args {
                if let Arg::Kw(name, e) = a {
                    if names.contains(&Const::Str(name.clone())) {
                        return Err(error("keyword argument repeated", e.line));
                    }
                    self.expr(e)?;
                    names.push(Const::Str(name.clone()));
                }
            }
            let n = pre + args.len();
            if names.is_empty() {
                let op = if method {
                    Op::CALL_METHOD
                } else {
                    Op::CALL_FUNCTION
                };
                return self.u.e.op_n(op, n);
            }
            self.u.e.load_const(Const::Tuple(names))?;
            let op = if method {
                Op::CALL_METHOD_KW
            } else {
                Op::CALL_FUNCTION_KW
            };
            return self.u.e.op_n(op, n);
        }
        self.u.e.op_n(Op::BUILD_LIST, pre)?;
        for a in args {
            match a {
                Arg::Pos(e) => {
                    self.expr(e)?;
                    self.u.e.op_arg(Op::LIST_APPEND, 1);
                }
                Arg::Star(e) => {
                    self.expr(e)?;
                    self.u.e.op_arg(Op::LIST_EXTEND, 1);
                }
                _ => {}
            }
        }
        self.u.e.op(Op::LIST_TO_TUPLE);
        let has_kw = args
            .iter()
            .any(|a| matches!(a, Arg::Kw(..) | Arg::DoubleStar(_)));
        if has_kw {
            self.u.e.op_arg(Op::BUILD_MAP, 0);
            let mut run = 0usize;
            for a in args {
                match a {
                    Arg::Kw(name, e) => {
                        self.u.e.load_const(Const::Str(name.clone()))?;
                        self.expr(e)?;
                        run += 1;
                    }
                    Arg::DoubleStar(e) => {
                        if run > 0 {
                            self.u.e.op_n(Op::BUILD_MAP, run)?;
                            self.u.e.op_arg(Op::DICT_MERGE, 1);
                            run = 0;
                        }
                        self.expr(e)?;
                        self.u.e.op_arg(Op::DICT_MERGE, 1);
                    }
                    _ => {}
                }
            }
            if run > 0 {
                self.u.e.op_n(Op::BUILD_MAP, run)?;
                self.u.e.op_arg(Op::DICT_MERGE, 1);
            }
        }
        self.u.e.op_arg(Op::CALL_FUNCTION_EX, u16::from(has_kw));
        Ok(())
    }
}
