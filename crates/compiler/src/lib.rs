#![no_std]
#![forbid(unsafe_code)]
//! Pyrite's compiler: Python source text in, [`bytecode::Code`] out.
//!
//! It is a pure function of the source (no heap objects, no VM), so it is tested and fuzzed on
//! its own, and the core turns its output into runtime objects.

extern crate alloc;

pub mod ast;
pub mod bytecode;
mod codegen;
mod codegen_def;
mod codegen_expr;
mod constfold;
pub mod dis;
mod emit;
pub mod lexer;
pub mod parser;
mod parser_expr;
mod repl;
mod sortmap;
pub mod symtable;

use alloc::string::String;

pub use repl::needs_more_input;

/// Compiles `source` (named `filename` in tracebacks) into the code object of a module,
/// an `eval` expression, or one REPL statement, as `mode` says.
pub fn compile(source: &str, filename: &str, mode: Mode) -> Result<bytecode::Code, CompileError> {
    compile_opt(source, filename, mode, 0)
}

/// [`compile`] at MicroPython's optimisation level `opt_level` (`micropython.opt_level()`):
/// 1 and up drop `assert` statements and make `__debug__` false; 3 and up keep no line
/// numbers (every instruction reports line 1).
pub fn compile_opt(
    source: &str,
    filename: &str,
    mode: Mode,
    opt_level: u8,
) -> Result<bytecode::Code, CompileError> {
    let mut code = compile_tree(source, filename, mode, opt_level)?;
    if opt_level >= 3 {
        forget_lines(&mut code);
    }
    Ok(code)
}

/// Makes every instruction of `code` and of the code nested in it report line 1.
fn forget_lines(code: &mut bytecode::Code) {
    let mut pending = alloc::vec![code];
    while let Some(c) = pending.pop() {
        c.lines.clear();
        c.lines.push((0, 1));
        for k in c.consts.iter_mut() {
            if let bytecode::Const::Code(inner) = k {
                pending.push(inner);
            }
        }
    }
}

fn compile_tree(
    source: &str,
    filename: &str,
    mode: Mode,
    opt_level: u8,
) -> Result<bytecode::Code, CompileError> {
    let st;
    let module;
    let expr;
    let mut c;
    match mode {
        Mode::Eval => {
            let (e, n) = parser::parse_eval(source, opt_level)?;
            expr = e;
            st = symtable::build_eval(&expr, n)?;
            c = codegen::Compiler::new(&st, filename, mode);
            c.u.e.set_line(1);
            c.expr(&expr)?;
        }
        Mode::Exec | Mode::Single => {
            // One interactive statement must end with a line end; a line continuation just
            // before the end of the input leaves it without one (as in MicroPython).
            let unended = ["\\\n", "\\\r\n", "\\\r"]
                .iter()
                .any(|e| source.ends_with(e));
            if mode == Mode::Single && unended {
                let line = u32::try_from(source.lines().count()).unwrap_or(u32::MAX);
                return Err(CompileError {
                    kind: ErrorKind::Syntax,
                    msg: "invalid syntax".into(),
                    line,
                    col: 1,
                });
            }
            let (body, n) = parser::parse_module_opt(source, opt_level)?;
            // One interactive statement: simple statements may share its line (`a = 1; b = 2`),
            // but a second statement on a later line is an error, as in MicroPython's REPL.
            if mode == Mode::Single {
                if let Some(extra) = body.iter().skip(1).find(|s| s.line != body[0].line) {
                    return Err(CompileError {
                        kind: ErrorKind::Syntax,
                        msg: "invalid syntax".into(),
                        line: extra.line,
                        col: extra.col,
                    });
                }
            }
            module = body;
            st = symtable::build(&module, n)?;
            c = codegen::Compiler::new(&st, filename, mode);
            c.u.e.set_line(module.first().map_or(1, |s| s.line));
            c.stmts(&module)?;
            c.load_none()?;
        }
    }
    c.u.e.op(bytecode::Op::RETURN_VALUE);
    let unit = core::mem::replace(&mut c.u, codegen::Unit::new(&st, 0, String::new()));
    c.finish_unit(unit, "<module>", 1)
}

/// What the source is compiled as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A module or `exec()` source: a sequence of statements.
    Exec,
    /// An `eval()` source: a single expression whose value is returned.
    Eval,
    /// One interactive statement from the REPL: expression statements are echoed with
    /// `PRINT_EXPR`.
    Single,
}

/// The exception class a compile error becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// `SyntaxError`.
    Syntax,
    /// `IndentationError` (a subclass of `SyntaxError`).
    Indentation,
}

/// A compile error: the message and where it happened (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// The exception class.
    pub kind: ErrorKind,
    /// The message, as MicroPython words it (`invalid syntax`).
    pub msg: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}
