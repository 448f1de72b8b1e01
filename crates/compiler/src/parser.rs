//! Statement parsing (recursive descent) and the token cursor shared with `parser_expr`.
//!
//! The parser pulls tokens from the lexer as it goes and keeps only its lookahead, so its
//! memory does not grow with the source. f-string fields are parsed by swapping in the tokens
//! of the field's text and swapping back, so scope ids and the depth bound are shared with the
//! enclosing source.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;

use crate::ast::*;
use crate::bytecode::BinOp;
use crate::lexer::{self, Kw, Tok, Token};
use crate::{CompileError, ErrorKind};

/// Result of a parsing step.
pub type PResult<T> = Result<T, CompileError>;

/// The default bound on the parser's recursion (nested brackets, calls, unary operators,
/// blocks, ...): a nested bracket or block takes about two levels, a unary operator one.
pub const MAX_DEPTH: u32 = 200;

/// The parser state: the lexer and the lookahead taken from it, recursion depth, next scope
/// id, and the `const()` names defined so far with the expressions that replace them.
pub struct Parser<'a> {
    /// Where tokens come from: `None` after a lexer error, and while an f-string field's
    /// tokens are parsed.
    lexer: Option<lexer::Lexer<'a>>,
    /// The current token and the lookahead: at least two tokens.
    buf: VecDeque<Token>,
    /// The lexer's error, which stands for every parse error from the point it was found.
    lex_err: Option<CompileError>,
    depth: u32,
    /// The bound on `depth`.
    max_depth: u32,
    next_scope: u32,
    consts: Vec<(String, crate::constfold::Folded)>,
    /// MicroPython's optimisation level: 1 and up drop `assert` and make `__debug__` false.
    pub(crate) opt_level: u8,
    /// The memory the parser may take (`Options::room`).
    room: Option<crate::Room>,
}

/// Parses a whole module (or REPL input): its statements and the number of scopes (module
/// included).
pub fn parse_module(src: &str) -> PResult<(Vec<Stmt>, u32)> {
    parse_module_opt(src, 0)
}

/// [`parse_module`] at MicroPython optimisation level `opt_level`.
pub fn parse_module_opt(src: &str, opt_level: u8) -> PResult<(Vec<Stmt>, u32)> {
    let src = lexer::normalize_line_ends(src);
    let mut p = Parser::new(&src, opt_level, MAX_DEPTH);
    let mut body = Vec::new();
    while p.parse_next(&mut body)? {}
    Ok((body, p.next_scope))
}

/// Parses an `eval` source: one expression list, optionally followed by newlines.
pub fn parse_eval(src: &str, options: &crate::Options) -> PResult<(Expr, u32)> {
    let src = lexer::normalize_line_ends(src);
    let mut p = Parser::new(&src, options.opt_level, options.max_depth);
    p.set_room(options.room);
    let r = p.parse_eval_body();
    let e = p.checked(r)?;
    Ok((e, p.next_scope))
}

impl<'a> Parser<'a> {
    /// A parser of `src`, whose line ends must be `\n` ([`lexer::normalize_line_ends`]).
    pub fn new(src: &'a str, opt_level: u8, max_depth: u32) -> Parser<'a> {
        let mut p = Parser {
            lexer: Some(lexer::Lexer::new(src, 1)),
            buf: VecDeque::new(),
            lex_err: None,
            depth: 0,
            max_depth,
            next_scope: 1,
            consts: Vec::new(),
            opt_level,
            room: None,
        };
        p.fill(2);
        p
    }

    /// Makes the parser watch the board's free memory: when it runs short the parse ends
    /// with [`crate::ErrorKind::Memory`].
    pub fn set_room(&mut self, room: Option<crate::Room>) {
        self.room = room;
    }

    /// Ends the parse with a memory error unless `bytes` more may be taken.
    fn need(&mut self, bytes: usize) {
        if self.room.is_some_and(|r| !r.has(bytes)) {
            self.out_of_memory();
        }
    }

    /// Ends the parse with a memory error (the tokens stop).
    fn out_of_memory(&mut self) {
        if self.lexer.is_some() {
            let (line, col) = self.buf.back().map_or((1, 1), |t| (t.line, t.col));
            self.lexer = None;
            self.lex_err.get_or_insert(crate::out_of_memory(line, col));
        }
    }

    /// Before `items` grows by one: a memory error (which ends the parse) unless the room
    /// its doubling takes is free.
    /// The growth is made there and then, so that memory too scattered to give it is a
    /// memory error too.
    pub(crate) fn room_for<T>(&mut self, items: &mut Vec<T>) -> PResult<()> {
        if self.room.is_some() && items.len() == items.capacity() {
            let bytes = items.capacity().max(4) * 2 * core::mem::size_of::<T>();
            self.need(bytes);
            if self.lex_err.is_none() && items.try_reserve(items.capacity().max(4)).is_err() {
                self.out_of_memory();
            }
            if let Some(e) = &self.lex_err {
                return Err(e.clone());
            }
        }
        Ok(())
    }

    /// Parses the next statement line of a module (a compound statement, or simple
    /// statements separated by `;`) onto `out`; false at the end of the input.
    pub fn parse_next(&mut self, out: &mut Vec<Stmt>) -> PResult<bool> {
        let r = self.parse_next_inner(out);
        self.checked(r)
    }

    fn parse_next_inner(&mut self, out: &mut Vec<Stmt>) -> PResult<bool> {
        loop {
            match self.tok() {
                Tok::Eof => return Ok(false),
                Tok::Newline => self.advance(),
                _ => break,
            }
        }
        self.parse_stmt(out)?;
        Ok(true)
    }

    fn parse_eval_body(&mut self) -> PResult<Expr> {
        while matches!(self.tok(), Tok::Newline | Tok::Indent) {
            self.advance();
        }
        let e = self.parse_testlist_star()?;
        while matches!(self.tok(), Tok::Newline | Tok::Dedent) {
            self.advance();
        }
        if !matches!(self.tok(), Tok::Eof) {
            return Err(self.error("invalid syntax"));
        }
        Ok(e)
    }

    /// `r`, unless the lexer failed: its error comes first (the parser saw `EOF` there).
    fn checked<T>(&mut self, r: PResult<T>) -> PResult<T> {
        match self.lex_err.take() {
            Some(e) => Err(e),
            None => r,
        }
    }

    /// The number of scope ids handed out so far (the module's included).
    pub fn scope_count(&self) -> u32 {
        self.next_scope
    }

    /// Starts handing out scope ids from 1 again: the statements parsed so far were
    /// compiled, and their scopes are gone.
    pub fn reset_scopes(&mut self) {
        self.next_scope = 1;
    }

    // ---- cursor ----

    /// Makes the lookahead at least `n` tokens long (the current token included). Kept out
    /// of line: the lexer would otherwise be inlined into every frame of the recursion.
    #[inline(never)]
    fn fill(&mut self, n: usize) {
        self.need(0);
        while self.buf.len() < n {
            let next = match &mut self.lexer {
                Some(lx) => lx.next_token(),
                None => {
                    let (line, col) = self.buf.back().map_or((1, 1), |t| (t.line, t.col));
                    Ok(Token {
                        tok: Tok::Eof,
                        line,
                        col,
                    })
                }
            };
            match next {
                Ok(t) => self.buf.push_back(t),
                Err(e) => {
                    self.lexer = None;
                    let (line, col) = (e.line, e.col);
                    self.lex_err.get_or_insert(e);
                    self.buf.push_back(Token {
                        tok: Tok::Eof,
                        line,
                        col,
                    });
                }
            }
        }
    }

    /// The current token.
    pub(crate) fn tok(&self) -> &Tok {
        match self.buf.front() {
            Some(t) => &t.tok,
            None => &Tok::Eof,
        }
    }

    /// The token `n` ahead of the current one: the lookahead holds the next token, one
    /// further ahead must be taken in with `fill` first (`Eof` if it was not).
    pub(crate) fn peek_tok(&self, n: usize) -> &Tok {
        match self.buf.get(n) {
            Some(t) => &t.tok,
            None => &Tok::Eof,
        }
    }

    /// The position of the current token.
    pub(crate) fn pos(&self) -> (u32, u32) {
        match self.buf.front() {
            Some(t) => (t.line, t.col),
            None => (1, 1),
        }
    }

    /// Moves to the next token.
    pub(crate) fn advance(&mut self) {
        if !matches!(self.tok(), Tok::Eof) {
            self.buf.pop_front();
            if self.buf.len() < 2 {
                self.fill(2);
            }
        }
    }

    pub(crate) fn is_op(&self, op: &str) -> bool {
        matches!(self.tok(), Tok::Op(o) if *o == op)
    }

    pub(crate) fn eat_op(&mut self, op: &str) -> bool {
        let yes = self.is_op(op);
        if yes {
            self.advance();
        }
        yes
    }

    pub(crate) fn expect_op(&mut self, op: &str) -> PResult<()> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.error("invalid syntax"))
        }
    }

    pub(crate) fn is_kw(&self, kw: Kw) -> bool {
        matches!(self.tok(), Tok::Kw(k) if *k == kw)
    }

    pub(crate) fn eat_kw(&mut self, kw: Kw) -> bool {
        let yes = self.is_kw(kw);
        if yes {
            self.advance();
        }
        yes
    }

    pub(crate) fn expect_kw(&mut self, kw: Kw) -> PResult<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.error("invalid syntax"))
        }
    }

    /// An identifier.
    pub(crate) fn name(&mut self) -> PResult<String> {
        if let Tok::Name(n) = self.tok() {
            let n = n.clone();
            self.advance();
            return Ok(n);
        }
        Err(self.error("invalid syntax"))
    }

    /// A syntax error at the current token.
    pub(crate) fn error(&self, msg: &str) -> CompileError {
        let (line, col) = self.pos();
        self.error_at(msg, line, col)
    }

    /// A syntax error at a position.
    pub(crate) fn error_at(&self, msg: &str, line: u32, col: u32) -> CompileError {
        CompileError {
            kind: ErrorKind::Syntax,
            msg: String::from(msg),
            line,
            col,
        }
    }

    /// Enters one level of recursion; fails beyond the bound.
    pub(crate) fn enter(&mut self) -> PResult<()> {
        self.enter_by(1)
    }

    /// Enters `n` levels of recursion at once (a construct whose frames are `n` times as
    /// deep as a bracket's); fails beyond the bound.
    fn enter_by(&mut self, n: u32) -> PResult<()> {
        let depth = self.depth.saturating_add(n);
        if depth > self.max_depth {
            return Err(self.error("too complex"));
        }
        self.depth = depth;
        Ok(())
    }

    /// Leaves a level entered with `enter`.
    pub(crate) fn leave(&mut self) {
        self.leave_by(1);
    }

    /// Leaves the levels entered with `enter_by(n)`.
    fn leave_by(&mut self, n: u32) {
        self.depth = self.depth.saturating_sub(n);
    }

    /// A fresh scope id.
    pub(crate) fn new_scope(&mut self) -> u32 {
        let s = self.next_scope;
        self.next_scope = self.next_scope.saturating_add(1);
        s
    }

    /// Parses the text of an f-string field as an expression, on the parser's own counters.
    pub(crate) fn parse_sub_expr(&mut self, text: &str, line: u32) -> PResult<Expr> {
        let mut src = String::with_capacity(text.len() + 2);
        src.push('(');
        src.push_str(text);
        src.push(')');
        let toks = lexer::tokenize(&src, line)?;
        let saved_buf = core::mem::replace(&mut self.buf, toks.into());
        let saved_lexer = self.lexer.take();
        let r = self.parse_testlist_star();
        let ok = matches!(self.tok(), Tok::Newline | Tok::Eof);
        self.buf = saved_buf;
        self.lexer = saved_lexer;
        let e = r?;
        if !ok {
            return Err(self.error_at("invalid syntax", line, 1));
        }
        Ok(e)
    }

    // ---- statements ----

    /// Parses one statement line (a compound statement, or simple statements separated by
    /// `;`) and appends it to `out`. Each kind of statement is parsed out of line, so that
    /// this frame, one per nested block, stays small.
    fn parse_stmt(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        let (line, col) = self.pos();
        let kind = match self.tok() {
            Tok::Indent => {
                return Err(CompileError {
                    kind: ErrorKind::Indentation,
                    msg: String::from("unexpected indent"),
                    line,
                    col,
                })
            }
            Tok::Kw(Kw::If) => self.parse_if()?,
            Tok::Kw(Kw::While) => self.parse_while()?,
            Tok::Kw(Kw::For) => self.parse_for(false)?,
            Tok::Kw(Kw::Try) => self.parse_try()?,
            Tok::Kw(Kw::With) => self.parse_with(false)?,
            Tok::Kw(Kw::Def) => self.parse_def(Vec::new(), false)?,
            Tok::Kw(Kw::Class) => self.parse_class(Vec::new())?,
            Tok::Op("@") => self.parse_decorated()?,
            Tok::Kw(Kw::Async) => {
                self.advance();
                match self.tok() {
                    Tok::Kw(Kw::Def) => self.parse_def(Vec::new(), true)?,
                    Tok::Kw(Kw::For) => self.parse_for(true)?,
                    Tok::Kw(Kw::With) => self.parse_with(true)?,
                    _ => return Err(self.error("invalid syntax")),
                }
            }
            _ => return self.parse_simple_line(out),
        };
        self.room_for(out)?;
        out.push(Stmt { kind, line, col });
        Ok(())
    }

    #[inline(never)]
    fn parse_simple_line(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        loop {
            let (line, col) = self.pos();
            let kind = self.parse_small()?;
            self.room_for(out)?;
            out.push(Stmt { kind, line, col });
            if !self.eat_op(";") {
                break;
            }
            if matches!(self.tok(), Tok::Newline | Tok::Eof) {
                break;
            }
        }
        match self.tok() {
            Tok::Newline => {
                self.advance();
                Ok(())
            }
            Tok::Eof => Ok(()),
            _ => Err(self.error("invalid syntax")),
        }
    }

    /// A block after `:`: simple statements on the same line, or an indented suite.
    fn parse_block(&mut self) -> PResult<Vec<Stmt>> {
        self.expect_op(":")?;
        let mut body = Vec::new();
        // A nested block costs two levels: its statement's frames are twice a bracket's.
        self.enter_by(2)?;
        let r = self.parse_block_inner(&mut body);
        self.leave_by(2);
        r?;
        Ok(body)
    }

    fn parse_block_inner(&mut self, body: &mut Vec<Stmt>) -> PResult<()> {
        if !matches!(self.tok(), Tok::Newline) {
            return self.parse_simple_line(body);
        }
        self.advance();
        if !matches!(self.tok(), Tok::Indent) {
            let (line, col) = self.pos();
            return Err(CompileError {
                kind: ErrorKind::Indentation,
                msg: String::from("expected an indented block"),
                line,
                col,
            });
        }
        self.advance();
        while !matches!(self.tok(), Tok::Dedent | Tok::Eof) {
            self.parse_stmt(body)?;
        }
        self.advance();
        Ok(())
    }

    #[inline(never)]
    fn parse_if(&mut self) -> PResult<StmtKind> {
        self.advance();
        let test = self.parse_namedexpr()?;
        let body = self.parse_block()?;
        let orelse = if self.is_kw(Kw::Elif) {
            let (line, col) = self.pos();
            // `elif` chains are unbounded: bound them as nesting.
            self.enter()?;
            let kind = self.parse_if();
            self.leave();
            Vec::from([Stmt {
                kind: kind?,
                line,
                col,
            }])
        } else if self.eat_kw(Kw::Else) {
            self.parse_block()?
        } else {
            Vec::new()
        };
        Ok(StmtKind::If(test, body, orelse))
    }

    #[inline(never)]
    fn parse_while(&mut self) -> PResult<StmtKind> {
        self.advance();
        let test = self.parse_namedexpr()?;
        let body = self.parse_block()?;
        let orelse = if self.eat_kw(Kw::Else) {
            self.parse_block()?
        } else {
            Vec::new()
        };
        Ok(StmtKind::While(test, body, orelse))
    }

    #[inline(never)]
    fn parse_for(&mut self, is_async: bool) -> PResult<StmtKind> {
        self.advance();
        let target = self.parse_target_list()?;
        self.expect_kw(Kw::In)?;
        let iter = self.parse_testlist_star()?;
        let body = self.parse_block()?;
        let orelse = if self.eat_kw(Kw::Else) {
            self.parse_block()?
        } else {
            Vec::new()
        };
        Ok(StmtKind::For {
            target,
            iter,
            body,
            orelse,
            is_async,
        })
    }

    #[inline(never)]
    fn parse_try(&mut self) -> PResult<StmtKind> {
        self.advance();
        let body = self.parse_block()?;
        let mut handlers: Vec<Handler> = Vec::new();
        while self.is_kw(Kw::Except) {
            let (line, col) = self.pos();
            if handlers.last().is_some_and(|h| h.typ.is_none()) {
                return Err(self.error_at("default 'except' must be last", line, col));
            }
            self.advance();
            let mut typ = None;
            let mut name = None;
            if !self.is_op(":") {
                typ = Some(self.parse_test()?);
                if self.eat_kw(Kw::As) {
                    name = Some(self.name()?);
                } else if self.eat_op(",") {
                    return Err(self.error("invalid syntax"));
                }
            }
            let body = self.parse_block()?;
            handlers.push(Handler {
                typ,
                name,
                body,
                line,
            });
        }
        let orelse = if !handlers.is_empty() && self.eat_kw(Kw::Else) {
            self.parse_block()?
        } else {
            Vec::new()
        };
        let finalbody = if self.eat_kw(Kw::Finally) {
            self.parse_block()?
        } else {
            Vec::new()
        };
        if handlers.is_empty() && finalbody.is_empty() {
            return Err(self.error("invalid syntax"));
        }
        Ok(StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        })
    }

    #[inline(never)]
    fn parse_with(&mut self, is_async: bool) -> PResult<StmtKind> {
        self.advance();
        let mut items = Vec::new();
        // `with (a as b, c):` — a parenthesized item list, when the parenthesis closes
        // right before the colon and contains an `as` or a comma at top level.
        if self.is_op("(") && self.paren_is_with_items() {
            self.advance();
            while !self.is_op(")") {
                self.room_for(&mut items)?;
                items.push(self.parse_with_item()?);
                if !self.eat_op(",") {
                    break;
                }
            }
            self.expect_op(")")?;
        } else {
            loop {
                self.room_for(&mut items)?;
                items.push(self.parse_with_item()?);
                if !self.eat_op(",") {
                    break;
                }
            }
        }
        if items.is_empty() {
            return Err(self.error("invalid syntax"));
        }
        let body = self.parse_block()?;
        Ok(StmtKind::With {
            items,
            body,
            is_async,
        })
    }

    fn paren_is_with_items(&mut self) -> bool {
        let mut nest = 0usize;
        let mut i = 0;
        let mut seen_as = false;
        loop {
            self.fill(i + 2);
            match self.peek_tok(i) {
                Tok::Op("(" | "[" | "{") => nest += 1,
                Tok::Op(")" | "]" | "}") => {
                    nest = nest.saturating_sub(1);
                    if nest == 0 {
                        return seen_as && matches!(self.peek_tok(i + 1), Tok::Op(":"));
                    }
                }
                Tok::Kw(Kw::As) if nest == 1 => seen_as = true,
                Tok::Newline | Tok::Eof => return false,
                _ => {}
            }
            i += 1;
        }
    }

    fn parse_with_item(&mut self) -> PResult<(Expr, Option<Expr>)> {
        let ctx = self.parse_test()?;
        let target = if self.eat_kw(Kw::As) {
            Some(self.parse_star_or(|p| p.parse_expr())?)
        } else {
            None
        };
        Ok((ctx, target))
    }

    #[inline(never)]
    fn parse_decorated(&mut self) -> PResult<StmtKind> {
        let mut decorators = Vec::new();
        while self.eat_op("@") {
            let d = self.parse_namedexpr()?;
            if !self.is_micropython_decorator(&d)? {
                decorators.push(d);
            }
            if !matches!(self.tok(), Tok::Newline) {
                return Err(self.error("invalid syntax"));
            }
            self.advance();
        }
        match self.tok() {
            Tok::Kw(Kw::Def) => self.parse_def(decorators, false),
            Tok::Kw(Kw::Class) => self.parse_class(decorators),
            Tok::Kw(Kw::Async) if matches!(self.peek_tok(1), Tok::Kw(Kw::Def)) => {
                self.advance();
                self.parse_def(decorators, true)
            }
            _ => Err(self.error("invalid syntax")),
        }
    }

    /// True for `@micropython.bytecode`, `.native` and `.viper`, which choose a code emitter
    /// in MicroPython (all run as bytecode here); another `micropython.` decorator is a
    /// `SyntaxError` (the unix port has no inline assembler).
    fn is_micropython_decorator(&self, d: &Expr) -> PResult<bool> {
        let mut e = d;
        if let ExprKind::Call(f, _) = &e.kind {
            e = f;
        }
        let mut parts = Vec::new();
        while let ExprKind::Attribute(base, attr) = &e.kind {
            parts.push(attr.as_str());
            e = base;
        }
        if !matches!(&e.kind, ExprKind::Name(n) if n == "micropython") {
            return Ok(false);
        }
        match parts.as_slice() {
            ["bytecode" | "native" | "viper"] => Ok(true),
            _ => Err(self.error_at("invalid micropython decorator", d.line, d.col)),
        }
    }

    #[inline(never)]
    fn parse_def(&mut self, decorators: Vec<Expr>, is_async: bool) -> PResult<StmtKind> {
        self.advance();
        let name = self.name()?;
        let scope = self.new_scope();
        self.expect_op("(")?;
        let params = self.parse_params(")", true)?;
        self.expect_op(")")?;
        if self.eat_op("->") {
            self.parse_test()?;
        }
        let body = self.parse_block()?;
        Ok(StmtKind::FunctionDef(Box::new(FuncDef {
            scope,
            name,
            params,
            body,
            decorators,
            is_async,
        })))
    }

    /// A parameter list up to (not including) `close`. `annotations` allows `name: ann`
    /// (the annotation is parsed and dropped).
    pub(crate) fn parse_params(&mut self, close: &str, annotations: bool) -> PResult<Params> {
        let mut params = Params::default();
        let mut star_seen = false;
        let mut default_seen = false;
        while !self.is_op(close) {
            let (line, col) = self.pos();
            if self.eat_op("**") {
                params.kwarg = Some(self.param_name(annotations)?);
                self.eat_op(",");
                break;
            }
            if self.eat_op("*") {
                if star_seen {
                    return Err(self.error("invalid syntax"));
                }
                star_seen = true;
                if !self.is_op(",") {
                    params.vararg = Some(self.param_name(annotations)?);
                }
            } else if self.eat_op("/") {
                if star_seen || params.args.is_empty() {
                    return Err(self.error("invalid syntax"));
                }
            } else {
                let name = self.param_name(annotations)?;
                let default = if self.eat_op("=") {
                    Some(self.parse_test()?)
                } else {
                    None
                };
                if star_seen {
                    params.kwonly.push(Param { name, default });
                } else {
                    if default.is_none() && default_seen {
                        return Err(self.error_at(
                            "non-default argument follows default argument",
                            line,
                            col,
                        ));
                    }
                    default_seen |= default.is_some();
                    params.args.push(Param { name, default });
                }
            }
            if !self.eat_op(",") {
                break;
            }
        }
        // A bare `*` must be followed by keyword-only parameters.
        if star_seen && params.vararg.is_none() && params.kwonly.is_empty() {
            return Err(self.error("invalid syntax"));
        }
        let names: Vec<&str> = params.names().collect();
        for (i, n) in names.iter().enumerate() {
            if names[..i].contains(n) {
                return Err(self.error("name reused for argument"));
            }
        }
        Ok(params)
    }

    fn param_name(&mut self, annotations: bool) -> PResult<String> {
        let name = self.name()?;
        if annotations && self.eat_op(":") {
            self.parse_test()?;
        }
        Ok(name)
    }

    #[inline(never)]
    fn parse_class(&mut self, decorators: Vec<Expr>) -> PResult<StmtKind> {
        self.advance();
        let name = self.name()?;
        let scope = self.new_scope();
        let mut args = Vec::new();
        if self.eat_op("(") {
            args = self.parse_call_args()?;
        }
        let body = self.parse_block()?;
        Ok(StmtKind::ClassDef(Box::new(ClassDef {
            scope,
            name,
            args,
            body,
            decorators,
        })))
    }

    /// One simple statement.
    fn parse_small(&mut self) -> PResult<StmtKind> {
        let kind = match self.tok() {
            Tok::Kw(Kw::Pass) => {
                self.advance();
                StmtKind::Pass
            }
            Tok::Kw(Kw::Break) => {
                self.advance();
                StmtKind::Break
            }
            Tok::Kw(Kw::Continue) => {
                self.advance();
                StmtKind::Continue
            }
            Tok::Kw(Kw::Return) => {
                self.advance();
                if matches!(self.tok(), Tok::Newline | Tok::Eof | Tok::Op(";")) {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some(self.parse_testlist_star()?))
                }
            }
            Tok::Kw(Kw::Del) => {
                self.advance();
                let e = self.parse_target_list()?;
                match e.kind {
                    ExprKind::Tuple(items) if items.is_empty() => {
                        return Err(self.error("can't delete expression"));
                    }
                    ExprKind::Tuple(items) => StmtKind::Delete(items),
                    _ => StmtKind::Delete(Vec::from([e])),
                }
            }
            Tok::Kw(Kw::Raise) => {
                self.advance();
                if matches!(self.tok(), Tok::Newline | Tok::Eof | Tok::Op(";")) {
                    StmtKind::Raise(None, None)
                } else {
                    let exc = self.parse_test()?;
                    let cause = if self.eat_kw(Kw::From) {
                        Some(self.parse_test()?)
                    } else {
                        None
                    };
                    StmtKind::Raise(Some(exc), cause)
                }
            }
            Tok::Kw(Kw::Assert) => {
                self.advance();
                let test = self.parse_test()?;
                let msg = if self.eat_op(",") {
                    Some(self.parse_test()?)
                } else {
                    None
                };
                if self.opt_level >= 1 {
                    StmtKind::Pass
                } else {
                    StmtKind::Assert(test, msg)
                }
            }
            Tok::Kw(Kw::Global) | Tok::Kw(Kw::Nonlocal) => {
                let global = self.is_kw(Kw::Global);
                self.advance();
                let mut names = Vec::from([self.name()?]);
                while self.eat_op(",") {
                    names.push(self.name()?);
                }
                if global {
                    StmtKind::Global(names)
                } else {
                    StmtKind::Nonlocal(names)
                }
            }
            Tok::Kw(Kw::Import) => self.parse_import()?,
            Tok::Kw(Kw::From) => self.parse_from()?,
            _ => self.parse_expr_stmt()?,
        };
        Ok(kind)
    }

    fn dotted_name(&mut self) -> PResult<String> {
        let mut name = self.name()?;
        while self.eat_op(".") {
            name.push('.');
            name.push_str(&self.name()?);
        }
        Ok(name)
    }

    fn parse_import(&mut self) -> PResult<StmtKind> {
        self.advance();
        let mut names = Vec::new();
        loop {
            let name = self.dotted_name()?;
            let asname = if self.eat_kw(Kw::As) {
                Some(self.name()?)
            } else {
                None
            };
            names.push(Alias { name, asname });
            if !self.eat_op(",") {
                break;
            }
        }
        Ok(StmtKind::Import(names))
    }

    fn parse_from(&mut self) -> PResult<StmtKind> {
        self.advance();
        let mut level: u32 = 0;
        loop {
            if self.eat_op(".") {
                level = level.saturating_add(1);
            } else if self.eat_op("...") {
                level = level.saturating_add(3);
            } else {
                break;
            }
        }
        let module = if self.is_kw(Kw::Import) {
            if level == 0 {
                return Err(self.error("invalid syntax"));
            }
            None
        } else {
            Some(self.dotted_name()?)
        };
        self.expect_kw(Kw::Import)?;
        let mut names = Vec::new();
        if self.eat_op("*") {
            names.push(Alias {
                name: String::from("*"),
                asname: None,
            });
            return Ok(StmtKind::ImportFrom(module, level, names));
        }
        let paren = self.eat_op("(");
        loop {
            if paren && self.is_op(")") {
                break;
            }
            let name = self.name()?;
            let asname = if self.eat_kw(Kw::As) {
                Some(self.name()?)
            } else {
                None
            };
            names.push(Alias { name, asname });
            if !self.eat_op(",") {
                break;
            }
        }
        if paren {
            self.expect_op(")")?;
        }
        if names.is_empty() {
            return Err(self.error("invalid syntax"));
        }
        Ok(StmtKind::ImportFrom(module, level, names))
    }

    fn parse_expr_stmt(&mut self) -> PResult<StmtKind> {
        let first = if self.is_kw(Kw::Yield) {
            self.parse_yield()?
        } else {
            self.parse_testlist_star()?
        };
        if let Some(op) = self.augassign_op() {
            self.advance();
            let value = if self.is_kw(Kw::Yield) {
                self.parse_yield()?
            } else {
                self.parse_testlist_star()?
            };
            return Ok(StmtKind::AugAssign(first, op, value));
        }
        if self.eat_op(":") {
            self.parse_test()?;
            let value = if self.eat_op("=") {
                Some(if self.is_kw(Kw::Yield) {
                    self.parse_yield()?
                } else {
                    self.parse_testlist_star()?
                })
            } else {
                None
            };
            let mut value = value;
            if let Some(v) = &mut value {
                if self.define_const(&first, v)? {
                    return Ok(StmtKind::Pass);
                }
            }
            return Ok(StmtKind::AnnAssign(first, value));
        }
        if !self.is_op("=") {
            return Ok(StmtKind::Expr(first));
        }
        let mut targets = Vec::from([first]);
        let mut value;
        loop {
            self.advance();
            value = if self.is_kw(Kw::Yield) {
                self.parse_yield()?
            } else {
                self.parse_testlist_star()?
            };
            if !self.is_op("=") {
                break;
            }
            targets.push(value);
        }
        if targets.len() == 1 && self.define_const(&targets[0], &mut value)? {
            return Ok(StmtKind::Pass);
        }
        Ok(StmtKind::Assign(targets, value))
    }

    /// MicroPython's `name = const(expr)`: records the folded value of `expr` to replace later
    /// uses of `name` and puts it in place of the call. True if the assignment is to be
    /// dropped: a name starting with `_` is private to the module and not stored at all.
    fn define_const(&mut self, target: &Expr, value: &mut Expr) -> PResult<bool> {
        let ExprKind::Name(name) = &target.kind else {
            return Ok(false);
        };
        let ExprKind::Call(f, args) = &value.kind else {
            return Ok(false);
        };
        if !matches!(&f.kind, ExprKind::Name(c) if c == "const") {
            return Ok(false);
        }
        let folded = match args.as_slice() {
            [Arg::Pos(x)] => crate::constfold::fold(x),
            _ => None,
        };
        let Some(folded) = folded else {
            return Err(self.error_at("not a constant", value.line, value.col));
        };
        let private = name.starts_with('_');
        let e = folded.expr();
        self.consts.push((name.clone(), folded));
        if private {
            return Ok(true);
        }
        *value = e;
        Ok(false)
    }

    /// The expression a standalone name stands for: a `const()` value or `__debug__`.
    pub(crate) fn const_of(&self, name: &str, line: u32, col: u32) -> Option<Expr> {
        if name == "__debug__" && self.opt_level >= 1 {
            return self.mk(ExprKind::Const(Lit::False), line, col).ok();
        }
        let (_, folded) = self.consts.iter().rev().find(|(n, _)| n == name)?;
        let mut e = folded.expr();
        e.line = line;
        e.col = col;
        Some(e)
    }

    fn augassign_op(&self) -> Option<BinOp> {
        let Tok::Op(op) = self.tok() else { return None };
        Some(match *op {
            "+=" => BinOp::Add,
            "-=" => BinOp::Sub,
            "*=" => BinOp::Mul,
            "/=" => BinOp::TrueDiv,
            "//=" => BinOp::FloorDiv,
            "%=" => BinOp::Mod,
            "**=" => BinOp::Pow,
            "<<=" => BinOp::LShift,
            ">>=" => BinOp::RShift,
            "&=" => BinOp::And,
            "|=" => BinOp::Or,
            "^=" => BinOp::Xor,
            "@=" => BinOp::MatMul,
            _ => return None,
        })
    }
}
