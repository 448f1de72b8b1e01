//! The symbol table: which names each scope binds, and how every name reference compiles
//! (fast local, cell, free variable, global, or namespace dict).
//!
//! Pass one walks the tree and records, per scope, the names bound, used and declared
//! `global`/`nonlocal`. Pass two resolves them top-down, with the set of names bound by the
//! enclosing function scopes: a name a nested scope needs from outside becomes a cell in the
//! function that binds it and a free variable in every scope between. Class bodies are
//! skipped by name lookup from nested functions, except for the implicit `__class__` cell
//! that `super()` needs.

use alloc::string::String;
use alloc::vec::Vec;

use crate::ast::*;
use crate::sortmap::{SortedMap, SortedSet};
use crate::{CompileError, ErrorKind};

/// What kind of code a scope compiles to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScopeKind {
    /// The module, `eval` or REPL input.
    #[default]
    Module,
    /// A class body.
    Class,
    /// A `def`.
    Function,
    /// A `lambda`.
    Lambda,
    /// A comprehension or generator expression.
    Comprehension,
}

impl ScopeKind {
    /// True for scopes whose locals are fast slots.
    pub fn is_function(self) -> bool {
        matches!(
            self,
            ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension
        )
    }
}

/// How a name reference in a scope compiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// A fast local (`LOAD_FAST`).
    Fast,
    /// A cell of this scope or a free variable (`LOAD_DEREF`).
    Deref,
    /// Declared `global`, or a free reference in a function (`LOAD_GLOBAL`).
    Global,
    /// The namespace dict of a module or class body (`LOAD_NAME`).
    Name,
    /// In a class body: a free variable read through the class namespace first
    /// (`LOAD_CLASSDEREF`); stores go to the cell.
    ClassDeref,
}

const BOUND: u8 = 0x01;
const PARAM: u8 = 0x02;
const USED: u8 = 0x04;
const GLOBAL: u8 = 0x08;
const NONLOCAL: u8 = 0x10;

/// What is known of one scope.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Its kind.
    pub kind: ScopeKind,
    /// Enclosing scope (none for the module).
    pub parent: Option<u32>,
    /// Flags per name.
    syms: SortedMap<String, u8>,
    /// Names in order of first binding (parameters first).
    order: Vec<String>,
    /// Parameter names, in slot order.
    pub params: Vec<String>,
    /// Resolution of every name referenced.
    resolved: SortedMap<String, Binding>,
    /// Fast local names (`Code::varnames`).
    pub varnames: Vec<String>,
    /// Cells of this scope (`Code::cellvars`).
    pub cellvars: Vec<String>,
    /// Free variables (`Code::freevars`).
    pub freevars: Vec<String>,
    /// Contains `yield`.
    pub is_generator: bool,
    /// `async def`, or a comprehension with `await`/`async for`.
    pub is_async: bool,
    /// A class body whose methods need the `__class__` cell.
    pub needs_class_cell: bool,
    children: Vec<u32>,
    /// Lines of `nonlocal` declarations, for errors found when resolving.
    decl_lines: SortedMap<String, u32>,
}

impl Scope {
    /// How a reference to `name` compiles here.
    pub fn binding(&self, name: &str) -> Binding {
        if let Some(b) = self.resolved.get(name) {
            return *b;
        }
        let global = || self.syms.get(name).is_some_and(|f| f & GLOBAL != 0);
        if self.kind.is_function() || (self.kind == ScopeKind::Module && global()) {
            Binding::Global
        } else {
            Binding::Name
        }
    }

    /// The `LOAD_DEREF` index of a cell or free variable.
    pub fn deref_index(&self, name: &str) -> Option<usize> {
        if let Some(i) = self.cellvars.iter().position(|n| n == name) {
            return Some(i);
        }
        let j = self.freevars.iter().position(|n| n == name)?;
        Some(self.cellvars.len() + j)
    }
}

/// The symbol tables of all scopes, indexed by scope id.
pub struct SymTable {
    /// Scope 0 is the module.
    pub scopes: Vec<Scope>,
}

/// Builds and resolves the symbol table of a module whose parser made `n_scopes` scopes.
pub fn build(body: &[Stmt], n_scopes: u32) -> Result<SymTable, CompileError> {
    let mut b = Builder {
        scopes: Vec::new(),
        cur: 0,
        line: 1,
        room: None,
    };
    b.scopes.resize(n_scopes.max(1) as usize, Scope::default());
    b.stmts(body)?;
    b.resolve(0, &SortedSet::new())?;
    Ok(SymTable { scopes: b.scopes })
}

impl SymTable {
    /// The table of a module compiled one statement line at a time
    /// ([`SymTable::add_module_stmts`]).
    pub fn new_module() -> SymTable {
        SymTable {
            scopes: Vec::from([Scope::default()]),
        }
    }

    /// Adds the module's next statements, `body`, whose nested scopes the parser numbered
    /// from 1 up to `n_scopes`; they replace the nested scopes of the statements added before.
    /// A module binds no cells, so each statement's scopes resolve on their own.
    /// With `room`, a board's free memory is asked before each scope.
    pub fn add_module_stmts(
        &mut self,
        body: &[Stmt],
        n_scopes: u32,
        room: Option<crate::Room>,
    ) -> Result<(), CompileError> {
        let line = body.first().map_or(1, |s| s.line);
        let n = n_scopes.max(1) as usize;
        if room.is_some_and(|r| !r.has(n * core::mem::size_of::<Scope>())) {
            return Err(crate::out_of_memory(line, 1));
        }
        let mut b = Builder {
            scopes: core::mem::take(&mut self.scopes),
            cur: 0,
            line,
            room,
        };
        b.scopes.truncate(1);
        b.scopes.resize(n_scopes.max(1) as usize, Scope::default());
        let r = b.module_stmts(body);
        self.scopes = b.scopes;
        r
    }
}

/// Builds the symbol table of an `eval` expression.
pub fn build_eval(e: &Expr, n_scopes: u32) -> Result<SymTable, CompileError> {
    let mut b = Builder {
        scopes: Vec::new(),
        cur: 0,
        line: 1,
        room: None,
    };
    b.scopes.resize(n_scopes.max(1) as usize, Scope::default());
    b.expr(e)?;
    b.resolve(0, &SortedSet::new())?;
    Ok(SymTable { scopes: b.scopes })
}

struct Builder {
    scopes: Vec<Scope>,
    cur: u32,
    line: u32,
    /// The memory the table may take (`Options::room`), asked before each scope.
    room: Option<crate::Room>,
}

/// About what a scope's names and maps take: the room asked for before each.
const SCOPE_BYTES: usize = 512;

fn syntax(msg: &str, line: u32) -> CompileError {
    CompileError {
        kind: ErrorKind::Syntax,
        msg: String::from(msg),
        line,
        col: 1,
    }
}

impl Builder {
    /// A memory error unless `bytes` more may be taken.
    fn need(&self, bytes: usize) -> Result<(), CompileError> {
        match self.room {
            Some(r) if !r.has(bytes) => Err(crate::out_of_memory(self.line, 1)),
            _ => Ok(()),
        }
    }

    /// Pass one over the module's `body`, then pass two over the scopes nested in it (the
    /// module's own names need no resolving: see [`Scope::binding`]).
    fn module_stmts(&mut self, body: &[Stmt]) -> Result<(), CompileError> {
        if let Some(m) = self.scopes.first_mut() {
            m.children.clear();
        }
        self.stmts(body)?;
        let children = self.scopes.first().map(|m| m.children.clone());
        for child in children.unwrap_or_default() {
            self.resolve(child, &SortedSet::new())?;
        }
        Ok(())
    }

    fn scope(&mut self) -> &mut Scope {
        let i = self.cur as usize;
        // Ids come from the parser and are all below the scope count.
        &mut self.scopes[i]
    }

    fn add(&mut self, name: &str, flag: u8) {
        let s = self.scope();
        let e = s.syms.get_or_insert(name, || String::from(name), 0);
        if flag & (BOUND | PARAM) != 0 && *e & (BOUND | PARAM) == 0 {
            s.order.push(String::from(name));
        }
        *e |= flag;
    }

    fn flags(&mut self, name: &str) -> u8 {
        self.scope().syms.get(name).copied().unwrap_or(0)
    }

    fn enter(&mut self, id: u32, kind: ScopeKind) -> Result<u32, CompileError> {
        if id as usize >= self.scopes.len() || id == 0 {
            return Err(syntax("invalid syntax", self.line));
        }
        self.need(SCOPE_BYTES)?;
        let parent = self.cur;
        self.scope().children.push(id);
        self.cur = id;
        let s = self.scope();
        s.kind = kind;
        s.parent = Some(parent);
        Ok(parent)
    }

    fn stmts(&mut self, body: &[Stmt]) -> Result<(), CompileError> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> Result<(), CompileError> {
        self.line = s.line;
        match &s.kind {
            StmtKind::Expr(e) => self.expr(e)?,
            StmtKind::Assign(targets, v) => {
                self.expr(v)?;
                for t in targets {
                    self.target(t)?;
                }
            }
            StmtKind::AugAssign(t, _, v) => {
                self.expr(v)?;
                if let ExprKind::Name(n) = &t.kind {
                    self.add(n, USED);
                }
                self.target(t)?;
            }
            StmtKind::AnnAssign(t, v) => {
                if let Some(v) = v {
                    self.expr(v)?;
                    self.target(t)?;
                } else if matches!(t.kind, ExprKind::Name(_)) {
                    // A bare annotation binds nothing but still makes the name local.
                    self.target(t)?;
                } else {
                    self.expr(t)?;
                }
            }
            StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {}
            StmtKind::Return(v) => {
                if !self.scope().kind.is_function() {
                    return Err(syntax("'return' outside function", s.line));
                }
                if let Some(v) = v {
                    self.expr(v)?;
                }
            }
            StmtKind::Delete(ts) => {
                for t in ts {
                    self.target(t)?;
                }
            }
            StmtKind::Raise(a, b) => {
                for e in [a, b].into_iter().flatten() {
                    self.expr(e)?;
                }
            }
            StmtKind::Assert(t, m) => {
                self.expr(t)?;
                if let Some(m) = m {
                    self.expr(m)?;
                }
            }
            StmtKind::Global(names) => {
                for n in names {
                    let f = self.flags(n);
                    if f & (BOUND | PARAM | NONLOCAL) != 0 {
                        return Err(syntax("identifier redefined as global", s.line));
                    }
                    self.add(n, GLOBAL);
                }
            }
            StmtKind::Nonlocal(names) => {
                if self.scope().kind == ScopeKind::Module {
                    return Err(syntax("can't declare nonlocal in outer code", s.line));
                }
                for n in names {
                    let f = self.flags(n);
                    if f & (BOUND | PARAM | GLOBAL) != 0 {
                        return Err(syntax("identifier redefined as nonlocal", s.line));
                    }
                    self.add(n, NONLOCAL);
                    self.scope().decl_lines.insert(n.clone(), s.line);
                }
            }
            StmtKind::Import(names) => {
                for a in names {
                    let n = match &a.asname {
                        Some(n) => n.as_str(),
                        None => a.name.split('.').next().unwrap_or(""),
                    };
                    self.add(n, BOUND);
                }
            }
            StmtKind::ImportFrom(_, _, names) => {
                for a in names {
                    if a.name == "*" {
                        if self.cur != 0 {
                            return Err(syntax("import * not at module level", s.line));
                        }
                        continue;
                    }
                    self.add(a.asname.as_deref().unwrap_or(&a.name), BOUND);
                }
            }
            StmtKind::If(t, b, e) | StmtKind::While(t, b, e) => {
                self.expr(t)?;
                self.stmts(b)?;
                self.stmts(e)?;
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                is_async,
            } => {
                if *is_async {
                    self.check_await(s.line)?;
                }
                self.expr(iter)?;
                self.target(target)?;
                self.stmts(body)?;
                self.stmts(orelse)?;
            }
            StmtKind::With {
                items,
                body,
                is_async,
            } => {
                if *is_async {
                    self.check_await(s.line)?;
                }
                for (ctx, t) in items {
                    self.expr(ctx)?;
                    if let Some(t) = t {
                        self.target(t)?;
                    }
                }
                self.stmts(body)?;
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                self.stmts(body)?;
                for h in handlers {
                    if let Some(t) = &h.typ {
                        self.expr(t)?;
                    }
                    if let Some(n) = &h.name {
                        self.add(n, BOUND);
                    }
                    self.stmts(&h.body)?;
                }
                self.stmts(orelse)?;
                self.stmts(finalbody)?;
            }
            StmtKind::FunctionDef(f) => {
                for d in &f.decorators {
                    self.expr(d)?;
                }
                self.defaults(&f.params)?;
                self.add(&f.name, BOUND);
                let parent = self.enter(f.scope, ScopeKind::Function)?;
                self.scope().is_async = f.is_async;
                self.params(&f.params);
                self.stmts(&f.body)?;
                self.cur = parent;
            }
            StmtKind::ClassDef(c) => {
                for d in &c.decorators {
                    self.expr(d)?;
                }
                self.args(&c.args)?;
                self.add(&c.name, BOUND);
                let parent = self.enter(c.scope, ScopeKind::Class)?;
                self.stmts(&c.body)?;
                self.cur = parent;
            }
        }
        Ok(())
    }

    fn defaults(&mut self, p: &Params) -> Result<(), CompileError> {
        for a in p.args.iter().chain(p.kwonly.iter()) {
            if let Some(d) = &a.default {
                self.expr(d)?;
            }
        }
        Ok(())
    }

    fn params(&mut self, p: &Params) {
        for n in p.names() {
            self.add(n, PARAM);
            self.scope().params.push(String::from(n));
        }
    }

    fn args(&mut self, args: &[Arg]) -> Result<(), CompileError> {
        for a in args {
            match a {
                Arg::Pos(e) | Arg::Star(e) | Arg::Kw(_, e) | Arg::DoubleStar(e) => self.expr(e)?,
            }
        }
        Ok(())
    }

    /// Records the names bound by an assignment (or `del`) target.
    fn target(&mut self, t: &Expr) -> Result<(), CompileError> {
        match &t.kind {
            ExprKind::Name(n) => self.add(n, BOUND),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    self.target(i)?;
                }
            }
            ExprKind::Starred(e) => self.target(e)?,
            _ => self.expr(t)?,
        }
        Ok(())
    }

    /// The nearest enclosing scope that is not a comprehension.
    fn function_scope(&self) -> u32 {
        let mut id = self.cur;
        while let Some(s) = self.scopes.get(id as usize) {
            if s.kind != ScopeKind::Comprehension {
                break;
            }
            id = s.parent.unwrap_or(0);
        }
        id
    }

    fn check_await(&mut self, line: u32) -> Result<(), CompileError> {
        let f = self.function_scope();
        let kind = self.scopes.get(f as usize).map(|s| s.kind);
        if !matches!(kind, Some(ScopeKind::Function | ScopeKind::Lambda)) {
            return Err(syntax("'await' outside function", line));
        }
        if self.scope().kind == ScopeKind::Comprehension {
            self.scope().is_async = true;
        }
        Ok(())
    }

    fn expr(&mut self, e: &Expr) -> Result<(), CompileError> {
        match &e.kind {
            ExprKind::Name(n) => {
                self.add(n, USED);
                if n == "super" && self.scope().kind.is_function() {
                    self.add("__class__", USED);
                }
            }
            ExprKind::Const(_) => {}
            ExprKind::FString(parts) => self.fparts(parts)?,
            ExprKind::Unary(_, a)
            | ExprKind::Attribute(a, _)
            | ExprKind::Starred(a)
            | ExprKind::Await(a)
            | ExprKind::YieldFrom(a) => {
                match &e.kind {
                    ExprKind::Await(_) => self.check_await(e.line)?,
                    ExprKind::YieldFrom(_) => self.mark_yield(e.line)?,
                    _ => {}
                }
                self.expr(a)?;
            }
            ExprKind::Binary(_, a, b) | ExprKind::Subscript(a, b) => {
                self.expr(a)?;
                self.expr(b)?;
            }
            ExprKind::BoolOp(_, v) | ExprKind::Tuple(v) | ExprKind::List(v) | ExprKind::Set(v) => {
                for x in v {
                    self.expr(x)?;
                }
            }
            ExprKind::Compare(a, rest) => {
                self.expr(a)?;
                for (_, x) in rest {
                    self.expr(x)?;
                }
            }
            ExprKind::IfExp(a, b, c) => {
                self.expr(a)?;
                self.expr(b)?;
                self.expr(c)?;
            }
            ExprKind::Lambda(l) => {
                self.defaults(&l.params)?;
                let parent = self.enter(l.scope, ScopeKind::Lambda)?;
                self.params(&l.params);
                self.expr(&l.body)?;
                self.cur = parent;
            }
            ExprKind::Named(n, v) => {
                self.expr(v)?;
                self.named_target(n, e.line)?;
            }
            ExprKind::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.expr(x)?;
                }
            }
            ExprKind::Call(f, args) => {
                self.expr(f)?;
                self.args(args)?;
            }
            ExprKind::Dict(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        self.expr(k)?;
                    }
                    self.expr(v)?;
                }
            }
            ExprKind::Comp(c) => self.comp(c, e.line)?,
            ExprKind::Yield(v) => {
                self.mark_yield(e.line)?;
                if let Some(v) = v {
                    self.expr(v)?;
                }
            }
        }
        Ok(())
    }

    fn fparts(&mut self, parts: &[FPart]) -> Result<(), CompileError> {
        for p in parts {
            if let FPart::Field { value, spec, .. } = p {
                self.expr(value)?;
                if let Some(s) = spec {
                    self.fparts(s)?;
                }
            }
        }
        Ok(())
    }

    fn mark_yield(&mut self, line: u32) -> Result<(), CompileError> {
        let s = self.scope();
        match s.kind {
            ScopeKind::Function | ScopeKind::Lambda => {
                s.is_generator = true;
                Ok(())
            }
            ScopeKind::Comprehension => Err(syntax("'yield' inside list comprehension", line)),
            _ => Err(syntax("'yield' outside function", line)),
        }
    }

    /// `name := v`: inside comprehensions the name binds in the enclosing function or module.
    fn named_target(&mut self, name: &str, line: u32) -> Result<(), CompileError> {
        if self.scope().kind != ScopeKind::Comprehension {
            self.add(name, BOUND);
            return Ok(());
        }
        if self.flags(name) & BOUND != 0 {
            return Err(syntax(
                "assignment expression cannot rebind comprehension iteration variable",
                line,
            ));
        }
        let target = self.function_scope();
        let target_kind = self.scopes.get(target as usize).map(|s| s.kind);
        if target_kind == Some(ScopeKind::Class) {
            return Err(syntax("invalid syntax", line));
        }
        let target_flags = self
            .scopes
            .get(target as usize)
            .and_then(|s| s.syms.get(name))
            .copied()
            .unwrap_or(0);
        let flag = if target_kind == Some(ScopeKind::Module) || target_flags & GLOBAL != 0 {
            GLOBAL
        } else {
            NONLOCAL
        };
        let mut id = self.cur;
        while id != target {
            let saved = self.cur;
            self.cur = id;
            self.add(name, flag | USED);
            id = self.scope().parent.unwrap_or(0);
            self.cur = saved;
        }
        let saved = self.cur;
        self.cur = target;
        self.add(name, BOUND);
        self.cur = saved;
        Ok(())
    }

    fn comp(&mut self, c: &Comp, line: u32) -> Result<(), CompileError> {
        let Some(first) = c.gens.first() else {
            return Err(syntax("invalid syntax", line));
        };
        // The outermost iterable is evaluated in the enclosing scope.
        self.expr(&first.iter)?;
        let parent = self.enter(c.scope, ScopeKind::Comprehension)?;
        self.add(".0", PARAM);
        self.scope().params.push(String::from(".0"));
        for (i, g) in c.gens.iter().enumerate() {
            if g.is_async {
                self.check_await(line)?;
            }
            if i > 0 {
                self.expr(&g.iter)?;
            }
            self.target(&g.target)?;
            for x in &g.ifs {
                self.expr(x)?;
            }
        }
        self.expr(&c.elt)?;
        if let Some(v) = &c.value {
            self.expr(v)?;
        }
        if c.kind == CompKind::Gen {
            self.scope().is_generator = true;
        }
        self.cur = parent;
        Ok(())
    }

    /// Pass two: resolves scope `id` given the names bound by enclosing functions; returns
    /// the names it needs from outside.
    fn resolve(&mut self, id: u32, outer: &SortedSet<String>) -> Result<Vec<String>, CompileError> {
        self.need(SCOPE_BYTES)?;
        let idx = id as usize;
        let Some(s) = self.scopes.get(idx) else {
            return Ok(Vec::new());
        };
        let kind = s.kind;
        let func = kind.is_function();
        let mut resolved = SortedMap::new();
        let mut free: Vec<String> = Vec::new();
        for (name, &f) in s.syms.iter() {
            let b = if f & GLOBAL != 0 {
                Binding::Global
            } else if f & NONLOCAL != 0 {
                if !outer.contains_key(name.as_str()) {
                    let line = s.decl_lines.get(name).copied().unwrap_or(self.line);
                    return Err(syntax("no binding for nonlocal found", line));
                }
                free.push(name.clone());
                Binding::Deref
            } else if f & (BOUND | PARAM) != 0 {
                if func {
                    Binding::Fast
                } else {
                    Binding::Name
                }
            } else if outer.contains_key(name.as_str()) {
                free.push(name.clone());
                if kind == ScopeKind::Class {
                    Binding::ClassDeref
                } else {
                    Binding::Deref
                }
            } else if func {
                Binding::Global
            } else {
                Binding::Name
            };
            resolved.insert(name.clone(), b);
        }
        let inner: SortedSet<String> = match kind {
            ScopeKind::Module => SortedSet::new(),
            ScopeKind::Class => {
                let mut set = outer.clone();
                set.add(String::from("__class__"));
                set
            }
            _ => {
                let mut set = outer.clone();
                for (name, b) in resolved.iter() {
                    match b {
                        Binding::Fast | Binding::Deref => {
                            set.add(name.clone());
                        }
                        Binding::Global => {
                            set.remove(name);
                        }
                        _ => {}
                    }
                }
                set
            }
        };
        let children = s.children.clone();
        let mut cells: SortedSet<String> = SortedSet::new();
        let mut class_cell = false;
        for child in children {
            for name in self.resolve(child, &inner)? {
                if kind == ScopeKind::Class && name == "__class__" {
                    class_cell = true;
                } else if func && resolved.get(name.as_str()) == Some(&Binding::Fast) {
                    cells.add(name);
                } else if !free.contains(&name) {
                    free.push(name);
                }
            }
        }
        let s = &mut self.scopes[idx];
        for (c, _) in cells.iter() {
            resolved.insert(c.clone(), Binding::Deref);
        }
        let mut varnames = s.params.clone();
        for n in &s.order {
            if resolved.get(n) == Some(&Binding::Fast) && !varnames.contains(n) {
                varnames.push(n.clone());
            }
        }
        let mut cellvars: Vec<String> = s
            .params
            .iter()
            .chain(s.order.iter())
            .filter(|n| cells.contains_key(n.as_str()))
            .cloned()
            .collect();
        cellvars.dedup();
        if class_cell {
            cellvars.push(String::from("__class__"));
        }
        s.needs_class_cell = class_cell;
        s.resolved = resolved;
        s.varnames = varnames;
        s.cellvars = cellvars;
        s.freevars = free.clone();
        Ok(free)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse_module;

    fn table(src: &str) -> SymTable {
        let (body, n) = parse_module(src).unwrap();
        build(&body, n).unwrap()
    }

    #[test]
    fn closures() {
        let t =
            table("def f(a):\n b = 1\n def g():\n  nonlocal b\n  return a + b + c\n return g\n");
        let f = &t.scopes[1];
        assert_eq!(f.varnames, ["a", "g"]);
        assert_eq!(f.cellvars, ["a", "b"]);
        assert_eq!(f.binding("b"), Binding::Deref);
        let g = &t.scopes[2];
        assert_eq!(g.freevars.len(), 2);
        assert_eq!(g.binding("c"), Binding::Global);
    }

    #[test]
    fn class_cell_and_classderef() {
        let t = table("def f(x):\n class C:\n  y = x\n  def m(self):\n   return super().m()\n");
        let c = &t.scopes[2];
        assert!(c.needs_class_cell);
        assert_eq!(c.cellvars, ["__class__"]);
        assert_eq!(c.binding("x"), Binding::ClassDeref);
        assert_eq!(t.scopes[3].freevars, ["__class__"]);
    }

    #[test]
    fn comprehension_walrus_binds_outside() {
        let t = table("def f():\n [y := i for i in range(3)]\n return y\n");
        assert_eq!(t.scopes[1].cellvars, ["y"]);
        assert_eq!(t.scopes[2].binding("y"), Binding::Deref);
        let t = table("[y := i for i in range(3)]\n");
        assert_eq!(t.scopes[1].binding("y"), Binding::Global);
    }

    #[test]
    fn errors() {
        let err = |src: &str| {
            let (body, n) = parse_module(src).unwrap();
            build(&body, n).err().unwrap().msg
        };
        assert_eq!(
            err("def f():\n x = 1\n global x\n"),
            "identifier redefined as global"
        );
        assert_eq!(
            err("def f():\n nonlocal x\n"),
            "no binding for nonlocal found"
        );
        assert_eq!(err("return 1\n"), "'return' outside function");
        assert_eq!(err("yield 1\n"), "'yield' outside function");
        assert_eq!(err("await x\n"), "'await' outside function");
        assert_eq!(err("class C:\n return\n"), "'return' outside function");
        assert_eq!(err("nonlocal x\n"), "can't declare nonlocal in outer code");
        let e = {
            let (body, n) = parse_module("def f():\n pass\n def g():\n  nonlocal q\n").unwrap();
            build(&body, n).err().unwrap()
        };
        assert_eq!(e.line, 4);
    }
}
