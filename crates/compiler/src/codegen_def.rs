//! Code generation for everything that makes a nested code object: `def`, `lambda`,
//! `class` and comprehensions, and the assembly of a finished unit into a [`Code`].

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::ast::*;
use crate::bytecode::{flags, make_function, Code, Const, Op};
use crate::codegen::{error, CResult, Compiler, Unit};
use crate::codegen_expr::const_value;
use crate::emit::too_big;
use crate::symtable::ScopeKind;

impl<'a> Compiler<'a> {
    /// The qualified name of a scope named `name` defined in the current unit.
    fn qualname(&self, name: &str) -> String {
        let mut q = String::new();
        match self.scope().kind {
            ScopeKind::Module => {}
            ScopeKind::Class => {
                q.push_str(&self.u.qualname);
                q.push('.');
            }
            _ => {
                q.push_str(&self.u.qualname);
                q.push_str(".<locals>.");
            }
        }
        q.push_str(name);
        q
    }

    /// Compiles a nested unit with `body`, then turns it into a [`Code`].
    fn nested(
        &mut self,
        scope_id: u32,
        name: &str,
        firstline: u32,
        body: impl FnOnce(&mut Self) -> CResult,
    ) -> CResult<Code> {
        let qualname = self.qualname(name);
        let unit = Unit::new(self.st, scope_id, qualname);
        let outer = core::mem::replace(&mut self.u, unit);
        self.u.e.set_line(firstline);
        let r = body(self);
        let inner = core::mem::replace(&mut self.u, outer);
        r?;
        self.finish_unit(inner, name, firstline)
    }

    /// Assembles a finished unit.
    pub fn finish_unit(&self, unit: Unit<'a>, name: &str, firstline: u32) -> CResult<Code> {
        let scope = self
            .st
            .scopes
            .get(unit.scope_id as usize)
            .ok_or_else(|| error("internal compiler error", firstline))?;
        let fin = unit.e.finish()?;
        let mut fl = 0u8;
        let mut argcount = 0u16;
        let mut kwonly = 0u16;
        if scope.kind.is_function() {
            if scope.varnames.len() > usize::from(u16::MAX) {
                return Err(too_big(firstline));
            }
            match (scope.is_generator, scope.is_async) {
                (true, true) => fl |= flags::ASYNC_GENERATOR,
                (true, false) => fl |= flags::GENERATOR,
                (false, true) => fl |= flags::COROUTINE,
                _ => {}
            }
        } else {
            fl |= flags::NAMESPACE;
        }
        if let Some(p) = &unit.params {
            argcount = u16::try_from(p.args.len()).map_err(|_| too_big(firstline))?;
            kwonly = u16::try_from(p.kwonly.len()).map_err(|_| too_big(firstline))?;
            if p.vararg.is_some() {
                fl |= flags::VARARGS;
            }
            if p.kwarg.is_some() {
                fl |= flags::VARKEYWORDS;
            }
        } else if scope.kind == ScopeKind::Comprehension {
            argcount = 1;
        }
        Ok(Code {
            name: String::from(name),
            filename: String::from(self.filename),
            flags: fl,
            argcount,
            kwonlyargcount: kwonly,
            varnames: if scope.kind.is_function() {
                scope.varnames.clone()
            } else {
                Vec::new()
            },
            cellvars: scope.cellvars.clone(),
            freevars: scope.freevars.clone(),
            names: fin.names,
            consts: fin.consts,
            code: fin.code,
            lines: fin.lines,
            firstlineno: firstline,
            max_stack: fin.max_stack,
        })
    }

    /// Pushes defaults and closure, then `MAKE_FUNCTION` of `code`.
    fn make_function(&mut self, code: Code, params: Option<&'a Params>, scope_id: u32) -> CResult {
        let mut bits = 0u16;
        if let Some(p) = params {
            let defaults: Vec<&'a Expr> =
                p.args.iter().filter_map(|a| a.default.as_ref()).collect();
            if !defaults.is_empty() {
                bits |= make_function::DEFAULTS;
                let consts: Option<Vec<Const>> = defaults.iter().map(|e| const_value(e)).collect();
                match consts {
                    Some(c) => self.u.e.load_const(Const::Tuple(c))?,
                    None => {
                        for d in &defaults {
                            self.expr(d)?;
                        }
                        self.u.e.op_n(Op::BUILD_TUPLE, defaults.len())?;
                    }
                }
            }
            let mut n = 0usize;
            for a in &p.kwonly {
                if let Some(d) = &a.default {
                    self.u.e.load_const(Const::Str(a.name.clone()))?;
                    self.expr(d)?;
                    n += 1;
                }
            }
            if n > 0 {
                bits |= make_function::KWDEFAULTS;
                self.u.e.op_n(Op::BUILD_MAP, n)?;
            }
        }
        let free = self
            .st
            .scopes
            .get(scope_id as usize)
            .map(|s| s.freevars.as_slice())
            .unwrap_or(&[]);
        if !free.is_empty() {
            bits |= make_function::CLOSURE;
            let here = self.scope();
            for name in free {
                let i = here
                    .deref_index(name)
                    .ok_or_else(|| error("internal compiler error", self.line()))?;
                self.u.e.op_n(Op::LOAD_CLOSURE, i)?;
            }
            self.u.e.op_n(Op::BUILD_TUPLE, free.len())?;
        }
        let qualname = self.qualname(&code.name);
        let code = match self.loader.as_deref_mut() {
            Some(loader) => {
                let n = loader
                    .load(code)
                    .ok_or_else(|| error("out of memory", self.line()))?;
                Const::Loaded(n)
            }
            None => Const::Code(Box::new(code)),
        };
        self.u.e.load_const(code)?;
        self.u.e.load_const(Const::Str(qualname))?;
        self.u.e.op_arg(Op::MAKE_FUNCTION, bits);
        Ok(())
    }

    pub fn function_def(&mut self, f: &'a FuncDef) -> CResult {
        let line = self.line();
        for d in &f.decorators {
            self.expr(d)?;
        }
        let code = self.nested(f.scope, &f.name, line, |c| {
            c.u.params = Some(&f.params);
            let body = match f.body.split_first() {
                Some((first, rest)) if is_docstring(first) => rest,
                _ => &f.body[..],
            };
            c.stmts(body)?;
            c.load_none()?;
            c.u.e.op(Op::RETURN_VALUE);
            Ok(())
        })?;
        self.u.e.set_line(line);
        self.make_function(code, Some(&f.params), f.scope)?;
        for _ in &f.decorators {
            self.u.e.op_arg(Op::CALL_FUNCTION, 1);
        }
        self.store_name(&f.name)
    }

    pub fn lambda(&mut self, l: &'a Lambda, line: u32) -> CResult {
        let code = self.nested(l.scope, "<lambda>", line, |c| {
            c.u.params = Some(&l.params);
            c.expr(&l.body)?;
            c.u.e.op(Op::RETURN_VALUE);
            Ok(())
        })?;
        self.make_function(code, Some(&l.params), l.scope)
    }

    pub fn class_def(&mut self, cd: &'a ClassDef) -> CResult {
        let line = self.line();
        for d in &cd.decorators {
            self.expr(d)?;
        }
        self.u.e.op(Op::LOAD_BUILD_CLASS);
        let code = self.nested(cd.scope, &cd.name, line, |c| {
            c.u.e.op_name(Op::LOAD_NAME, "__name__")?;
            c.u.e.op_name(Op::STORE_NAME, "__module__")?;
            let q = c.u.qualname.clone();
            c.u.e.load_const(Const::Str(q))?;
            c.u.e.op_name(Op::STORE_NAME, "__qualname__")?;
            let body = match cd.body.split_first() {
                Some((first, rest)) if is_docstring(first) => rest,
                _ => &cd.body[..],
            };
            c.stmts(body)?;
            if c.scope().needs_class_cell {
                let i = c
                    .scope()
                    .deref_index("__class__")
                    .ok_or_else(|| error("internal compiler error", line))?;
                c.u.e.op_n(Op::LOAD_CLOSURE, i)?;
                c.u.e.op_name(Op::STORE_NAME, "__classcell__")?;
            }
            c.load_none()?;
            c.u.e.op(Op::RETURN_VALUE);
            Ok(())
        })?;
        self.u.e.set_line(line);
        self.make_function(code, None, cd.scope)?;
        self.u.e.load_const(Const::Str(cd.name.clone()))?;
        self.call_args(&cd.args, 2, false)?;
        for _ in &cd.decorators {
            self.u.e.op_arg(Op::CALL_FUNCTION, 1);
        }
        self.store_name(&cd.name)
    }

    pub fn comprehension(&mut self, comp: &'a Comp, line: u32) -> CResult {
        let name = match comp.kind {
            CompKind::List => "<listcomp>",
            CompKind::Set => "<setcomp>",
            CompKind::Dict => "<dictcomp>",
            CompKind::Gen => "<genexpr>",
        };
        let Some(first) = comp.gens.first() else {
            return Err(error("invalid syntax", line));
        };
        let code = self.nested(comp.scope, name, line, |c| c.comprehension_body(comp))?;
        let is_async = self
            .st
            .scopes
            .get(comp.scope as usize)
            .is_some_and(|s| s.is_async);
        self.make_function(code, None, comp.scope)?;
        self.expr(&first.iter)?;
        self.u.e.op(if first.is_async {
            Op::GET_AITER
        } else {
            Op::GET_ITER
        });
        self.u.e.op_arg(Op::CALL_FUNCTION, 1);
        if is_async && comp.kind != CompKind::Gen {
            self.await_top()?;
        }
        Ok(())
    }

    fn comprehension_body(&mut self, comp: &'a Comp) -> CResult {
        match comp.kind {
            CompKind::List => self.u.e.op_arg(Op::BUILD_LIST, 0),
            CompKind::Set => self.u.e.op_arg(Op::BUILD_SET, 0),
            CompKind::Dict => self.u.e.op_arg(Op::BUILD_MAP, 0),
            CompKind::Gen => {}
        }
        // Loops are opened outermost first and closed in reverse, without recursion.
        let mut loops = Vec::new();
        for (i, g) in comp.gens.iter().enumerate() {
            let start = self.u.e.label();
            let end = self.u.e.label();
            if i == 0 {
                self.u.e.op_arg(Op::LOAD_FAST, 0);
            } else {
                self.expr(&g.iter)?;
                self.u.e.op(if g.is_async {
                    Op::GET_AITER
                } else {
                    Op::GET_ITER
                });
            }
            self.u.e.bind(start);
            if g.is_async {
                self.u.e.jump(Op::SETUP_FINALLY, end);
                self.u.e.op(Op::GET_ANEXT);
                self.load_none()?;
                self.u.e.op(Op::YIELD_FROM);
                self.u.e.op(Op::POP_BLOCK);
            } else {
                self.u.e.jump(Op::FOR_ITER, end);
            }
            self.store(&g.target)?;
            for cond in &g.ifs {
                self.jump_if(cond, false, start)?;
            }
            loops.push((start, end, g.is_async));
        }
        let depth = comp.gens.len() + 1;
        match comp.kind {
            CompKind::List => {
                self.expr(&comp.elt)?;
                self.u.e.op_n(Op::LIST_APPEND, depth)?;
            }
            CompKind::Set => {
                self.expr(&comp.elt)?;
                self.u.e.op_n(Op::SET_ADD, depth)?;
            }
            CompKind::Dict => {
                match &comp.value {
                    Some(v) => self.map_entry(&comp.elt, v)?,
                    None => self.expr(&comp.elt)?,
                }
                self.u.e.op_n(Op::MAP_ADD, depth)?;
            }
            CompKind::Gen => {
                self.expr(&comp.elt)?;
                self.u.e.op(Op::YIELD_VALUE);
                self.u.e.op(Op::POP_TOP);
            }
        }
        while let Some((start, end, is_async)) = loops.pop() {
            self.u.e.jump(Op::JUMP, start);
            self.u.e.bind(end);
            if is_async {
                self.u.e.op(Op::END_ASYNC_FOR);
            }
        }
        if comp.kind == CompKind::Gen {
            self.load_none()?;
        }
        self.u.e.op(Op::RETURN_VALUE);
        Ok(())
    }
}

/// A leading string-literal statement (dropped, as docstrings may be).
fn is_docstring(s: &Stmt) -> bool {
    matches!(&s.kind, StmtKind::Expr(e) if matches!(e.kind, ExprKind::Const(Lit::Str(_))))
}
