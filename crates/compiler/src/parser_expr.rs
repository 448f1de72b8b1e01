//! Expression parsing: precedence climbing for the binary operators, recursive descent for
//! the rest (atoms, trailers, displays, comprehensions, lambdas, f-strings).
//!
//! Every recursive entry goes through `Parser::enter`, which bounds the nesting depth.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::ast::*;
use crate::bytecode::{BinOp, CmpOp, UnaryOp};
use crate::lexer::{self, Kw, Tok};
use crate::parser::{PResult, Parser};

/// Deepest expression tree accepted (see `ast::Expr::depth`).
pub const MAX_EXPR_DEPTH: u16 = 100;

/// The binary operator of a token and its binding power (higher binds tighter).
fn binop_of(tok: &Tok) -> Option<(BinOp, u8)> {
    let Tok::Op(op) = tok else { return None };
    Some(match *op {
        "|" => (BinOp::Or, 1),
        "^" => (BinOp::Xor, 2),
        "&" => (BinOp::And, 3),
        "<<" => (BinOp::LShift, 4),
        ">>" => (BinOp::RShift, 4),
        "+" => (BinOp::Add, 5),
        "-" => (BinOp::Sub, 5),
        "*" => (BinOp::Mul, 6),
        "/" => (BinOp::TrueDiv, 6),
        "//" => (BinOp::FloorDiv, 6),
        "%" => (BinOp::Mod, 6),
        "@" => (BinOp::MatMul, 6),
        _ => return None,
    })
}

/// The depth of a node built from `kind`, from the depths of its direct children.
fn depth_of(kind: &ExprKind) -> u16 {
    fn d(e: &Expr) -> u16 {
        e.depth
    }
    fn od(e: &Option<Box<Expr>>) -> u16 {
        e.as_ref().map_or(0, |e| e.depth)
    }
    fn parts(ps: &[FPart]) -> u16 {
        let mut m = 0;
        for p in ps {
            if let FPart::Field { value, spec, .. } = p {
                m = m.max(value.depth);
                if let Some(s) = spec {
                    m = m.max(parts(s).saturating_add(1));
                }
            }
        }
        m
    }
    let args = |a: &[Arg]| {
        a.iter()
            .map(|a| match a {
                Arg::Pos(e) | Arg::Star(e) | Arg::Kw(_, e) | Arg::DoubleStar(e) => e.depth,
            })
            .max()
            .unwrap_or(0)
    };
    let list = |v: &[Expr]| v.iter().map(d).max().unwrap_or(0);
    let child = match kind {
        ExprKind::Name(_) | ExprKind::Const(_) => 0,
        ExprKind::FString(p) => parts(p),
        ExprKind::Unary(_, e)
        | ExprKind::Named(_, e)
        | ExprKind::Attribute(e, _)
        | ExprKind::Starred(e)
        | ExprKind::YieldFrom(e)
        | ExprKind::Await(e) => d(e),
        ExprKind::Binary(_, a, b) | ExprKind::Subscript(a, b) => d(a).max(d(b)),
        ExprKind::BoolOp(_, v) | ExprKind::Tuple(v) | ExprKind::List(v) | ExprKind::Set(v) => {
            list(v)
        }
        ExprKind::Compare(a, v) => v.iter().map(|(_, e)| d(e)).max().unwrap_or(0).max(d(a)),
        ExprKind::IfExp(a, b, c) => d(a).max(d(b)).max(d(c)),
        ExprKind::Lambda(l) => {
            let defaults = l.params.args.iter().chain(l.params.kwonly.iter());
            let m = defaults.filter_map(|p| p.default.as_ref()).map(d).max();
            m.unwrap_or(0).max(d(&l.body))
        }
        ExprKind::Slice(a, b, c) => od(a).max(od(b)).max(od(c)),
        ExprKind::Call(f, a) => d(f).max(args(a)),
        ExprKind::Dict(v) => v
            .iter()
            .map(|(k, e)| k.as_ref().map_or(0, d).max(d(e)))
            .max()
            .unwrap_or(0),
        ExprKind::Comp(c) => {
            let mut m = d(&c.elt).max(c.value.as_ref().map_or(0, d));
            for g in &c.gens {
                m = m.max(d(&g.target)).max(d(&g.iter)).max(list(&g.ifs));
            }
            m
        }
        ExprKind::Yield(e) => od(e),
    };
    child.saturating_add(1)
}

/// The rest of an expression after its first operand (see `Parser::extend`); one type for all,
/// so that `extend` is compiled once for them.
type Rest<P> = fn(&mut P, Expr) -> PResult<Expr>;

impl Parser<'_> {
    /// Builds an expression node at a position, checking the depth bound.
    pub(crate) fn mk(&self, kind: ExprKind, line: u32, col: u32) -> PResult<Expr> {
        let depth = depth_of(&kind);
        if depth > MAX_EXPR_DEPTH {
            return Err(self.error_at("too complex", line, col));
        }
        Ok(Expr {
            kind,
            line,
            col,
            depth,
        })
    }

    /// `test [':=' test]`
    pub(crate) fn parse_namedexpr(&mut self) -> PResult<Expr> {
        let mut r = self.parse_test();
        if r.is_ok() && self.is_op(":=") {
            self.extend(&mut r, Self::parse_walrus as Rest<Self>);
        }
        r
    }

    // The rare forms of each level are parsed out of line (`#[inline(never)]`), so that the
    // frames of the common path, which recurse once per nested bracket, stay small; and the
    // common path returns its operand's result as it is, so that no frame holds an `Expr`.

    /// `e := test`, the current token being `:=`.
    #[inline(never)]
    fn parse_walrus(&mut self, e: Expr) -> PResult<Expr> {
        let ExprKind::Name(name) = &e.kind else {
            return Err(self.error("invalid syntax"));
        };
        let name = name.clone();
        self.advance();
        let v = self.parse_test()?;
        self.mk(ExprKind::Named(name, Box::new(v)), e.line, e.col)
    }

    /// `or_test ['if' or_test 'else' test] | lambdef`
    pub(crate) fn parse_test(&mut self) -> PResult<Expr> {
        self.enter()?;
        let r = self.parse_test_inner();
        self.leave();
        r
    }

    fn parse_test_inner(&mut self) -> PResult<Expr> {
        if self.is_kw(Kw::Lambda) {
            return self.parse_lambda(true);
        }
        let mut r = self.parse_or();
        if r.is_ok() && self.is_kw(Kw::If) {
            self.extend(&mut r, Self::parse_ifexp as Rest<Self>);
        }
        r
    }

    /// `e if or_test else test`, the current token being `if`.
    #[inline(never)]
    fn parse_ifexp(&mut self, e: Expr) -> PResult<Expr> {
        self.advance();
        let cond = self.parse_or()?;
        self.expect_kw(Kw::Else)?;
        let other = self.parse_test()?;
        let (l, c) = (e.line, e.col);
        self.mk(
            ExprKind::IfExp(Box::new(cond), Box::new(e), Box::new(other)),
            l,
            c,
        )
    }

    /// `or_test`, or a lambda without a conditional body (comprehension conditions).
    pub(crate) fn parse_test_nocond(&mut self) -> PResult<Expr> {
        self.enter()?;
        let r = if self.is_kw(Kw::Lambda) {
            self.parse_lambda(false)
        } else {
            self.parse_or()
        };
        self.leave();
        r
    }

    #[inline(never)]
    fn parse_lambda(&mut self, cond_body: bool) -> PResult<Expr> {
        let (line, col) = self.pos();
        self.advance();
        let scope = self.new_scope();
        let params = self.parse_params(":", false)?;
        self.expect_op(":")?;
        let body = if cond_body {
            self.parse_test()?
        } else {
            self.parse_test_nocond()?
        };
        let lambda = Lambda {
            scope,
            params,
            body,
        };
        self.mk(ExprKind::Lambda(Box::new(lambda)), line, col)
    }

    fn parse_or(&mut self) -> PResult<Expr> {
        let mut r = self.parse_not();
        if r.is_ok() && (self.is_kw(Kw::And) || self.is_kw(Kw::Or)) {
            self.extend(&mut r, Self::parse_boolops as Rest<Self>);
        }
        r
    }

    /// Replaces the expression `r` holds by `rest(r)`: `r` is the one `Expr` of the frame
    /// that calls this, so the caller keeps no copy of it.
    #[inline(never)]
    fn extend(
        &mut self,
        r: &mut PResult<Expr>,
        rest: impl FnOnce(&mut Self, Expr) -> PResult<Expr>,
    ) {
        let taken = core::mem::replace(r, Err(self.error_at("", 0, 0)));
        *r = taken.and_then(|e| rest(self, e));
    }

    /// The `and` and `or` chains after their first operand.
    #[inline(never)]
    fn parse_boolops(&mut self, first: Expr) -> PResult<Expr> {
        let first = self.parse_and_rest(first)?;
        if !self.is_kw(Kw::Or) {
            return Ok(first);
        }
        let (line, col) = (first.line, first.col);
        let mut values = Vec::from([first]);
        while self.eat_kw(Kw::Or) {
            let v = self.parse_not()?;
            self.room_for(&mut values)?;
            values.push(self.parse_and_rest(v)?);
        }
        self.mk(ExprKind::BoolOp(false, values), line, col)
    }

    /// `first ('and' not_test)*`
    fn parse_and_rest(&mut self, first: Expr) -> PResult<Expr> {
        if !self.is_kw(Kw::And) {
            return Ok(first);
        }
        let (line, col) = (first.line, first.col);
        let mut values = Vec::from([first]);
        while self.eat_kw(Kw::And) {
            self.room_for(&mut values)?;
            values.push(self.parse_not()?);
        }
        self.mk(ExprKind::BoolOp(true, values), line, col)
    }

    fn parse_not(&mut self) -> PResult<Expr> {
        if self.is_kw(Kw::Not) {
            return self.parse_not_op();
        }
        self.parse_comparison()
    }

    /// `not not_test`, the current token being `not`.
    #[inline(never)]
    fn parse_not_op(&mut self) -> PResult<Expr> {
        let (line, col) = self.pos();
        self.advance();
        self.enter()?;
        let e = self.parse_not();
        self.leave();
        self.mk(ExprKind::Unary(UnaryOp::Not, Box::new(e?)), line, col)
    }

    /// Whether the current token starts a comparison operator.
    fn is_cmp_op(&self) -> bool {
        match self.tok() {
            Tok::Op("<" | "<=" | "==" | "!=" | ">" | ">=") | Tok::Kw(Kw::In | Kw::Is) => true,
            Tok::Kw(Kw::Not) => matches!(self.peek_tok(1), Tok::Kw(Kw::In)),
            _ => false,
        }
    }

    fn cmp_op(&mut self) -> Option<CmpOp> {
        let op = match self.tok() {
            Tok::Op("<") => CmpOp::Lt,
            Tok::Op("<=") => CmpOp::Le,
            Tok::Op("==") => CmpOp::Eq,
            Tok::Op("!=") => CmpOp::Ne,
            Tok::Op(">") => CmpOp::Gt,
            Tok::Op(">=") => CmpOp::Ge,
            Tok::Kw(Kw::In) => CmpOp::In,
            Tok::Kw(Kw::Is) => {
                self.advance();
                return Some(if self.eat_kw(Kw::Not) {
                    CmpOp::IsNot
                } else {
                    CmpOp::Is
                });
            }
            Tok::Kw(Kw::Not) if matches!(self.peek_tok(1), Tok::Kw(Kw::In)) => {
                self.advance();
                CmpOp::NotIn
            }
            _ => return None,
        };
        self.advance();
        Some(op)
    }

    fn parse_comparison(&mut self) -> PResult<Expr> {
        let mut r = self.parse_expr();
        if r.is_ok() && self.is_cmp_op() {
            self.extend(&mut r, Self::parse_compare_rest as Rest<Self>);
        }
        r
    }

    /// The operators and operands of a comparison after its first operand.
    #[inline(never)]
    fn parse_compare_rest(&mut self, first: Expr) -> PResult<Expr> {
        let mut rest = Vec::new();
        while let Some(op) = self.cmp_op() {
            self.room_for(&mut rest)?;
            rest.push((op, self.parse_expr()?));
        }
        if rest.is_empty() {
            return Ok(first);
        }
        let (line, col) = (first.line, first.col);
        self.mk(ExprKind::Compare(Box::new(first), rest), line, col)
    }

    /// `expr`: the bitwise-or level (targets of `for` are parsed at this level).
    pub(crate) fn parse_expr(&mut self) -> PResult<Expr> {
        self.parse_binary(1)
    }

    fn parse_binary(&mut self, min: u8) -> PResult<Expr> {
        let mut r = self.parse_factor();
        if r.is_ok() && binop_of(self.tok()).is_some_and(|(_, prec)| prec >= min) {
            self.extend(&mut r, |p, left| p.parse_binary_rest(left, min));
        }
        r
    }

    /// The binary operators of binding power `min` and up after their left operand.
    #[inline(never)]
    fn parse_binary_rest(&mut self, mut left: Expr, min: u8) -> PResult<Expr> {
        while let Some((op, prec)) = binop_of(self.tok()) {
            if prec < min {
                break;
            }
            self.advance();
            self.enter()?;
            let right = self.parse_binary(prec + 1);
            self.leave();
            let (line, col) = (left.line, left.col);
            left = self.mk(
                ExprKind::Binary(op, Box::new(left), Box::new(right?)),
                line,
                col,
            )?;
        }
        Ok(left)
    }

    fn parse_factor(&mut self) -> PResult<Expr> {
        let op = match self.tok() {
            Tok::Op("-") => UnaryOp::Neg,
            Tok::Op("+") => UnaryOp::Pos,
            Tok::Op("~") => UnaryOp::Invert,
            _ => return self.parse_power(),
        };
        self.parse_unary(op)
    }

    /// `op factor`, the current token being the operator.
    #[inline(never)]
    fn parse_unary(&mut self, op: UnaryOp) -> PResult<Expr> {
        let (line, col) = self.pos();
        self.advance();
        self.enter()?;
        let e = self.parse_factor();
        self.leave();
        let e = e?;
        if op == UnaryOp::Neg {
            let folded = match &e.kind {
                ExprKind::Const(Lit::Int(v)) => v.checked_neg().map(Lit::Int),
                ExprKind::Const(Lit::Float(v)) => Some(Lit::Float(-v)),
                _ => None,
            };
            if let Some(lit) = folded {
                return self.mk(ExprKind::Const(lit), line, col);
            }
        }
        self.mk(ExprKind::Unary(op, Box::new(e)), line, col)
    }

    fn parse_power(&mut self) -> PResult<Expr> {
        if self.is_kw(Kw::Await) {
            return self.parse_await();
        }
        let mut r = self.parse_primary();
        if r.is_ok() && self.is_op("**") {
            self.extend(&mut r, Self::parse_pow_rest as Rest<Self>);
        }
        r
    }

    /// `await primary ['**' factor]`, the current token being `await`.
    #[inline(never)]
    fn parse_await(&mut self) -> PResult<Expr> {
        let (line, col) = self.pos();
        self.advance();
        self.enter()?;
        let e = self.parse_primary();
        self.leave();
        let e = self.mk(ExprKind::Await(Box::new(e?)), line, col)?;
        if self.is_op("**") {
            return self.parse_pow_rest(e);
        }
        Ok(e)
    }

    /// `e ** factor`, the current token being `**`.
    #[inline(never)]
    fn parse_pow_rest(&mut self, e: Expr) -> PResult<Expr> {
        self.advance();
        self.enter()?;
        let r = self.parse_factor();
        self.leave();
        let (line, col) = (e.line, e.col);
        self.mk(
            ExprKind::Binary(BinOp::Pow, Box::new(e), Box::new(r?)),
            line,
            col,
        )
    }

    fn parse_primary(&mut self) -> PResult<Expr> {
        let mut r = self.parse_atom();
        if r.is_ok() && (self.is_op(".") || self.is_op("(") || self.is_op("[")) {
            self.extend(&mut r, Self::parse_trailers as Rest<Self>);
        }
        r
    }

    /// The attributes, calls and subscripts after an atom.
    #[inline(never)]
    fn parse_trailers(&mut self, mut e: Expr) -> PResult<Expr> {
        loop {
            let (line, col) = (e.line, e.col);
            if self.eat_op(".") {
                let name = self.name()?;
                e = self.mk(ExprKind::Attribute(Box::new(e), name), line, col)?;
            } else if self.eat_op("(") {
                // The brackets of calls and subscripts count as a level of their own, as
                // displays do: their frames are as deep.
                self.enter()?;
                let args = self.parse_call_args();
                self.leave();
                e = self.mk(ExprKind::Call(Box::new(e), args?), line, col)?;
            } else if self.eat_op("[") {
                self.enter()?;
                let idx = self.parse_subscript();
                self.leave();
                e = self.mk(ExprKind::Subscript(Box::new(e), Box::new(idx?)), line, col)?;
            } else {
                return Ok(e);
            }
        }
    }

    #[inline(never)]
    fn parse_subscript(&mut self) -> PResult<Expr> {
        let (line, col) = self.pos();
        let mut items = Vec::new();
        let mut tuple = false;
        loop {
            self.room_for(&mut items)?;
            items.push(self.parse_slice_item()?);
            if !self.eat_op(",") {
                break;
            }
            tuple = true;
            if self.is_op("]") {
                break;
            }
        }
        self.expect_op("]")?;
        if tuple {
            return self.mk(ExprKind::Tuple(items), line, col);
        }
        items.pop().ok_or_else(|| self.error("invalid syntax"))
    }

    fn parse_slice_item(&mut self) -> PResult<Expr> {
        let (line, col) = self.pos();
        let lower = if self.is_op(":") {
            None
        } else {
            let e = self.parse_namedexpr()?;
            if !self.is_op(":") {
                return Ok(e);
            }
            Some(Box::new(e))
        };
        self.expect_op(":")?;
        let bound = |p: &mut Self| -> PResult<Option<Box<Expr>>> {
            if p.is_op(":") || p.is_op(",") || p.is_op("]") {
                Ok(None)
            } else {
                Ok(Some(Box::new(p.parse_test()?)))
            }
        };
        let upper = bound(self)?;
        let step = if self.eat_op(":") { bound(self)? } else { None };
        self.mk(ExprKind::Slice(lower, upper, step), line, col)
    }

    /// Call arguments after `(`, through the closing `)`.
    #[inline(never)]
    pub(crate) fn parse_call_args(&mut self) -> PResult<Vec<Arg>> {
        let mut args = Vec::new();
        while !self.is_op(")") {
            if self.eat_op("*") {
                // MicroPython omits CPython's `*arg` after keyword arguments.
                if args.iter().any(|a| matches!(a, Arg::DoubleStar(_))) {
                    return Err(self.error("* arg after **"));
                }
                if args.iter().any(|a| matches!(a, Arg::Kw(..))) {
                    return Err(self.error("* arg after kwarg"));
                }
                self.room_for(&mut args)?;
                args.push(Arg::Star(self.parse_test()?));
            } else if self.eat_op("**") {
                self.room_for(&mut args)?;
                args.push(Arg::DoubleStar(self.parse_test()?));
            } else if matches!(self.tok(), Tok::Name(_)) && matches!(self.peek_tok(1), Tok::Op("="))
            {
                let name = self.name()?;
                self.advance();
                self.room_for(&mut args)?;
                args.push(Arg::Kw(name, self.parse_test()?));
            } else {
                if args
                    .iter()
                    .any(|a| matches!(a, Arg::Kw(..) | Arg::DoubleStar(_)))
                {
                    return Err(self.error("positional argument follows keyword argument"));
                }
                let e = self.parse_namedexpr()?;
                if self.is_comp_for() {
                    let (line, col) = (e.line, e.col);
                    let g = self.parse_comp(CompKind::Gen, e, None, line, col)?;
                    self.room_for(&mut args)?;
                    args.push(Arg::Pos(g));
                } else {
                    self.room_for(&mut args)?;
                    args.push(Arg::Pos(e));
                }
            }
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")")?;
        Ok(args)
    }

    fn is_comp_for(&self) -> bool {
        self.is_kw(Kw::For)
            || (self.is_kw(Kw::Async) && matches!(self.peek_tok(1), Tok::Kw(Kw::For)))
    }

    /// Parses the `for ... in ... if ...` clauses after an element.
    #[inline(never)]
    fn parse_comp(
        &mut self,
        kind: CompKind,
        elt: Expr,
        value: Option<Expr>,
        line: u32,
        col: u32,
    ) -> PResult<Expr> {
        let scope = self.new_scope();
        let mut gens = Vec::new();
        while self.is_comp_for() {
            let is_async = self.eat_kw(Kw::Async);
            self.expect_kw(Kw::For)?;
            let target = self.parse_target_list()?;
            self.expect_kw(Kw::In)?;
            let iter = self.parse_test_nocond()?;
            let mut ifs = Vec::new();
            while self.eat_kw(Kw::If) {
                ifs.push(self.parse_test_nocond()?);
            }
            gens.push(Generator {
                target,
                iter,
                ifs,
                is_async,
            });
        }
        let comp = Comp {
            scope,
            kind,
            elt,
            value,
            gens,
        };
        self.mk(ExprKind::Comp(Box::new(comp)), line, col)
    }

    /// A `for` target: `expr` items, possibly starred, separated by commas.
    pub(crate) fn parse_target_list(&mut self) -> PResult<Expr> {
        let (line, col) = self.pos();
        let mut items = Vec::new();
        loop {
            self.room_for(&mut items)?;
            items.push(self.parse_star_or(|p| p.parse_expr())?);
            if !self.is_op(",") {
                break;
            }
            self.advance();
            if self.is_kw(Kw::In) || self.is_op("=") {
                return self.mk(ExprKind::Tuple(items), line, col);
            }
        }
        if items.len() == 1 && !matches!(items[0].kind, ExprKind::Starred(_)) {
            return items.pop().ok_or_else(|| self.error("invalid syntax"));
        }
        self.mk(ExprKind::Tuple(items), line, col)
    }

    /// `'*' item | item`
    pub(crate) fn parse_star_or(&mut self, item: fn(&mut Self) -> PResult<Expr>) -> PResult<Expr> {
        if self.is_op("*") {
            return self.parse_starred();
        }
        item(self)
    }

    /// `'*' expr`, the current token being `*`.
    #[inline(never)]
    fn parse_starred(&mut self) -> PResult<Expr> {
        let (line, col) = self.pos();
        self.advance();
        let e = self.parse_expr()?;
        self.mk(ExprKind::Starred(Box::new(e)), line, col)
    }

    /// A comma-separated list of (starred) tests; a tuple if there is a comma.
    pub(crate) fn parse_testlist_star(&mut self) -> PResult<Expr> {
        let (line, col) = self.pos();
        let first = self.parse_star_or(|p| p.parse_test())?;
        if !self.is_op(",") {
            return Ok(first);
        }
        let mut items = Vec::from([first]);
        while self.eat_op(",") {
            if self.at_list_end() {
                break;
            }
            self.room_for(&mut items)?;
            items.push(self.parse_star_or(|p| p.parse_test())?);
        }
        self.mk(ExprKind::Tuple(items), line, col)
    }

    fn at_list_end(&self) -> bool {
        matches!(
            self.tok(),
            Tok::Newline | Tok::Eof | Tok::Op("=") | Tok::Op(")") | Tok::Op(";") | Tok::Op(":")
        ) || matches!(self.tok(), Tok::Op(op) if op.ends_with('=') && op.len() >= 2 && *op != "==")
    }

    fn parse_atom(&mut self) -> PResult<Expr> {
        let (line, col) = self.pos();
        let bracket = match self.tok() {
            Tok::Op("(") => 0,
            Tok::Op("[") => 1,
            Tok::Op("{") => 2,
            _ => return self.parse_leaf(),
        };
        self.advance();
        self.enter()?;
        let r = match bracket {
            0 => self.parse_paren(line, col),
            1 => self.parse_list(line, col),
            _ => self.parse_brace(line, col),
        };
        self.leave();
        r
    }

    /// An atom that is not a display: a name, a literal or strings.
    #[inline(never)]
    fn parse_leaf(&mut self) -> PResult<Expr> {
        let (line, col) = self.pos();
        let lit = match self.tok().clone() {
            Tok::Name(n) => {
                self.advance();
                if let Some(e) = self.const_of(&n, line, col) {
                    return Ok(e);
                }
                return self.mk(ExprKind::Name(n), line, col);
            }
            Tok::Kw(Kw::None) => Lit::None,
            Tok::Kw(Kw::True) => Lit::True,
            Tok::Kw(Kw::False) => Lit::False,
            Tok::Op("...") => Lit::Ellipsis,
            Tok::Int(v) => Lit::Int(v),
            Tok::BigInt(r, d) => Lit::BigInt(r, d),
            Tok::Float(v) => Lit::Float(v),
            Tok::Imag(v) => Lit::Imag(v),
            Tok::Str(_) | Tok::Bytes(_) | Tok::FStr(..) => return self.parse_strings(),
            _ => return Err(self.error("invalid syntax")),
        };
        self.advance();
        self.mk(ExprKind::Const(lit), line, col)
    }

    #[inline(never)]
    fn parse_paren(&mut self, line: u32, col: u32) -> PResult<Expr> {
        if self.eat_op(")") {
            return self.mk(ExprKind::Tuple(Vec::new()), line, col);
        }
        if self.is_kw(Kw::Yield) {
            let e = self.parse_yield()?;
            self.expect_op(")")?;
            return Ok(e);
        }
        let mut r = self.parse_star_or(|p| p.parse_namedexpr());
        let item = matches!(&r, Ok(e) if !matches!(e.kind, ExprKind::Starred(_)));
        if item && self.is_op(")") {
            self.advance();
        } else {
            self.extend(&mut r, |p, first| p.parse_paren_rest(first, line, col));
        }
        r
    }

    /// A generator expression or tuple after its first item.
    #[inline(never)]
    fn parse_paren_rest(&mut self, first: Expr, line: u32, col: u32) -> PResult<Expr> {
        if self.is_comp_for() {
            let e = self.parse_comp(CompKind::Gen, first, None, line, col)?;
            self.expect_op(")")?;
            return Ok(e);
        }
        if self.eat_op(")") {
            if matches!(first.kind, ExprKind::Starred(_)) {
                return Err(self.error_at("can't use starred expression here", line, col));
            }
            return Ok(first);
        }
        let mut items = Vec::from([first]);
        while self.eat_op(",") {
            if self.is_op(")") {
                break;
            }
            self.room_for(&mut items)?;
            items.push(self.parse_star_or(|p| p.parse_namedexpr())?);
        }
        self.expect_op(")")?;
        self.mk(ExprKind::Tuple(items), line, col)
    }

    #[inline(never)]
    fn parse_list(&mut self, line: u32, col: u32) -> PResult<Expr> {
        if self.eat_op("]") {
            return self.mk(ExprKind::List(Vec::new()), line, col);
        }
        let first = self.parse_star_or(|p| p.parse_namedexpr())?;
        if self.is_comp_for() {
            let e = self.parse_comp(CompKind::List, first, None, line, col)?;
            self.expect_op("]")?;
            return Ok(e);
        }
        let mut items = Vec::from([first]);
        while self.eat_op(",") {
            if self.is_op("]") {
                break;
            }
            self.room_for(&mut items)?;
            items.push(self.parse_star_or(|p| p.parse_namedexpr())?);
        }
        self.expect_op("]")?;
        self.mk(ExprKind::List(items), line, col)
    }

    #[inline(never)]
    fn parse_brace(&mut self, line: u32, col: u32) -> PResult<Expr> {
        if self.eat_op("}") {
            return self.mk(ExprKind::Dict(Vec::new()), line, col);
        }
        // A dict if the first item is `k: v` or `**m`, a set otherwise.
        if self.eat_op("**") {
            let m = self.parse_expr()?;
            return self.parse_dict_rest(None, m, line, col);
        }
        let first = self.parse_star_or(|p| p.parse_namedexpr())?;
        if self.eat_op(":") {
            let v = self.parse_test()?;
            if self.is_comp_for() {
                let e = self.parse_comp(CompKind::Dict, first, Some(v), line, col)?;
                self.expect_op("}")?;
                return Ok(e);
            }
            return self.parse_dict_rest(Some(first), v, line, col);
        }
        if self.is_comp_for() {
            let e = self.parse_comp(CompKind::Set, first, None, line, col)?;
            self.expect_op("}")?;
            return Ok(e);
        }
        let mut items = Vec::from([first]);
        while self.eat_op(",") {
            if self.is_op("}") {
                break;
            }
            self.room_for(&mut items)?;
            items.push(self.parse_star_or(|p| p.parse_namedexpr())?);
        }
        self.expect_op("}")?;
        self.mk(ExprKind::Set(items), line, col)
    }

    #[inline(never)]
    fn parse_dict_rest(&mut self, k: Option<Expr>, v: Expr, line: u32, col: u32) -> PResult<Expr> {
        let mut items = Vec::from([(k, v)]);
        while self.eat_op(",") {
            if self.is_op("}") {
                break;
            }
            if self.eat_op("**") {
                self.room_for(&mut items)?;
                items.push((None, self.parse_expr()?));
            } else {
                let k = self.parse_test()?;
                self.expect_op(":")?;
                self.room_for(&mut items)?;
                items.push((Some(k), self.parse_test()?));
            }
        }
        self.expect_op("}")?;
        self.mk(ExprKind::Dict(items), line, col)
    }

    /// `yield [testlist] | yield from test` (the current token is `yield`).
    pub(crate) fn parse_yield(&mut self) -> PResult<Expr> {
        let (line, col) = self.pos();
        self.advance();
        if self.eat_kw(Kw::From) {
            let e = self.parse_test()?;
            return self.mk(ExprKind::YieldFrom(Box::new(e)), line, col);
        }
        if matches!(
            self.tok(),
            Tok::Newline | Tok::Eof | Tok::Op(")") | Tok::Op("]") | Tok::Op("}") | Tok::Op(";")
        ) || self.is_op("=")
        {
            return self.mk(ExprKind::Yield(None), line, col);
        }
        let e = self.parse_testlist_star()?;
        self.mk(ExprKind::Yield(Some(Box::new(e))), line, col)
    }

    /// Adjacent string literals, concatenated; f-strings among them make an f-string.
    #[inline(never)]
    fn parse_strings(&mut self) -> PResult<Expr> {
        let (line, col) = self.pos();
        let mut parts: Vec<FPart> = Vec::new();
        let mut bytes: Option<Vec<u8>> = None;
        let mut any_str = false;
        let mut any_f = false;
        loop {
            let (tline, tcol) = self.pos();
            match self.tok().clone() {
                Tok::Str(s) => {
                    any_str = true;
                    push_lit(&mut parts, &s);
                }
                Tok::Bytes(b) => bytes.get_or_insert_with(Vec::new).extend_from_slice(&b),
                Tok::FStr(body, raw) => {
                    any_f = true;
                    self.advance();
                    self.enter()?;
                    let r = self.parse_fstring(&body, raw, tline, tcol, &mut parts);
                    self.leave();
                    r?;
                    continue;
                }
                _ => break,
            }
            self.advance();
        }
        if let Some(b) = bytes {
            if any_str || any_f {
                return Err(self.error_at("cannot mix bytes and nonbytes literals", line, col));
            }
            return self.mk(ExprKind::Const(Lit::Bytes(b)), line, col);
        }
        if !any_f {
            let s = match parts.pop() {
                Some(FPart::Lit(s)) => s,
                _ => String::new(),
            };
            return self.mk(ExprKind::Const(Lit::Str(s)), line, col);
        }
        self.mk(ExprKind::FString(parts), line, col)
    }

    /// Splits an f-string body into literal text and fields, appending to `parts`.
    #[inline(never)]
    fn parse_fstring(
        &mut self,
        body: &str,
        raw: bool,
        line: u32,
        col: u32,
        parts: &mut Vec<FPart>,
    ) -> PResult<()> {
        let b = body.as_bytes();
        let mut i = 0;
        let mut lit_start = 0;
        let bad = |p: &Self| p.error_at("invalid syntax", line, col);
        let flush = |parts: &mut Vec<FPart>, from: usize, to: usize| {
            let text = body.get(from..to).unwrap_or("");
            let v = lexer::decode(text, raw, false);
            push_lit(parts, &String::from_utf8(v).unwrap_or_default());
        };
        while i < b.len() {
            match b[i] {
                b'{' if b.get(i + 1) == Some(&b'{') => {
                    flush(parts, lit_start, i + 1);
                    i += 2;
                    lit_start = i;
                }
                b'}' if b.get(i + 1) == Some(&b'}') => {
                    flush(parts, lit_start, i + 1);
                    i += 2;
                    lit_start = i;
                }
                b'}' => return Err(bad(self)),
                b'{' => {
                    flush(parts, lit_start, i);
                    i = self.parse_field(body, i + 1, line, col, parts)?;
                    lit_start = i;
                }
                _ => i += 1,
            }
        }
        flush(parts, lit_start, b.len());
        Ok(())
    }

    /// Parses the field starting after its `{` at `start`; returns the index after its `}`.
    #[inline(never)]
    fn parse_field(
        &mut self,
        body: &str,
        start: usize,
        line: u32,
        col: u32,
        parts: &mut Vec<FPart>,
    ) -> PResult<usize> {
        let b = body.as_bytes();
        let bad = |p: &Self| p.error_at("invalid syntax", line, col);
        // Find the end of the expression: a top-level `!`, `:`, `=`, or `}`.
        let mut i = start;
        let mut nest = 0u32;
        while i < b.len() {
            let c = b[i];
            match c {
                b'\'' | b'"' => {
                    let fmt = lexer::is_fstring_quote(b, i);
                    i = lexer::string_end(b, i, fmt, 0).ok_or_else(|| bad(self))?;
                    continue;
                }
                b'(' | b'[' | b'{' => nest += 1,
                b')' | b']' | b'}' if nest > 0 => nest -= 1,
                b'}' => break,
                b'!' if nest == 0 && b.get(i + 1) != Some(&b'=') => break,
                b':' if nest == 0 => break,
                b'=' if nest == 0
                    && b.get(i + 1) != Some(&b'=')
                    && !matches!(b.get(i.wrapping_sub(1)), Some(b'=' | b'!' | b'<' | b'>')) =>
                {
                    break
                }
                _ => {}
            }
            i += 1;
        }
        let expr_text = body.get(start..i).ok_or_else(|| bad(self))?;
        if expr_text.trim().is_empty() || i >= b.len() {
            return Err(bad(self));
        }
        let value = self.parse_sub_expr(expr_text, line)?;
        let mut conv = 0u8;
        if b.get(i) == Some(&b'=') {
            let text = body.get(start..=i).unwrap_or("");
            push_lit(parts, text);
            i += 1;
            if !matches!(b.get(i), Some(b'!' | b':')) {
                conv = 2;
            }
        }
        if b.get(i) == Some(&b'!') {
            conv = match b.get(i + 1) {
                Some(b's') => 1,
                Some(b'r') => 2,
                Some(b'a') => 3,
                _ => return Err(bad(self)),
            };
            i += 2;
        }
        let mut spec = None;
        if b.get(i) == Some(&b':') {
            // The spec runs to the matching `}`; it may contain nested fields.
            let spec_start = i + 1;
            let mut j = spec_start;
            while j < b.len() {
                match b[j] {
                    b'{' => j = lexer::field_end(b, j + 1, 0).ok_or_else(|| bad(self))?,
                    b'}' => break,
                    _ => j += 1,
                }
            }
            let spec_text = body.get(spec_start..j).ok_or_else(|| bad(self))?;
            let mut spec_parts = Vec::new();
            self.enter()?;
            let r = self.parse_fstring(spec_text, true, line, col, &mut spec_parts);
            self.leave();
            r?;
            spec = Some(spec_parts);
            i = j;
        }
        if b.get(i) != Some(&b'}') {
            return Err(bad(self));
        }
        self.room_for(parts)?;
        parts.push(FPart::Field {
            value: Box::new(value),
            conv,
            spec,
        });
        Ok(i + 1)
    }
}

/// Appends literal text, merging with a preceding literal.
fn push_lit(parts: &mut Vec<FPart>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(FPart::Lit(prev)) = parts.last_mut() {
        prev.push_str(s);
    } else {
        parts.push(FPart::Lit(String::from(s)));
    }
}
