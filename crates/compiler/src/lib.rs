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
use alloc::vec::Vec;

pub use repl::needs_more_input;

/// Compiles `source` (named `filename` in tracebacks) into the code object of a module,
/// an `eval` expression, or one REPL statement, as `mode` says.
pub fn compile(source: &str, filename: &str, mode: Mode) -> Result<bytecode::Code, CompileError> {
    compile_with(source, filename, mode, &Options::default())
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
    let options = Options {
        opt_level,
        ..Options::default()
    };
    compile_with(source, filename, mode, &options)
}

/// What a port may choose about compiling.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// MicroPython's optimisation level (see [`compile_opt`]).
    pub opt_level: u8,
    /// The deepest recursion of the parser (two levels per nested bracket, call or block):
    /// deeper source is a `SyntaxError` (`too complex`). Each level costs the Rust stack (a
    /// few hundred bytes in a release build), so a board with a small stack sets a lower bound
    /// than the default [`parser::MAX_DEPTH`].
    pub max_depth: u32,
    /// The memory the compiler may take, where it is bounded (a board's arena): the compile
    /// fails with [`ErrorKind::Memory`] rather than take memory the board does not have.
    pub room: Option<Room>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            opt_level: 0,
            max_depth: parser::MAX_DEPTH,
            room: None,
        }
    }
}

/// A board's free memory, as the compiler watches it: the parser asks before each token and
/// before a list of items doubles, the symbol table before each scope, the code generator
/// before each statement.
#[derive(Debug, Clone, Copy)]
pub struct Room {
    /// The bytes free now.
    pub free: fn() -> usize,
    /// The bytes that must stay free beside what the compiler asks for (what the compiler
    /// and the objects it makes take between two questions).
    pub keep: usize,
}

impl Room {
    /// Whether `bytes` more may be taken.
    pub fn has(&self, bytes: usize) -> bool {
        (self.free)() >= bytes.saturating_add(self.keep)
    }
}

/// The error of a compile that would take more memory than there is.
pub(crate) fn out_of_memory(line: u32, col: u32) -> CompileError {
    CompileError {
        kind: ErrorKind::Memory,
        msg: String::from("memory allocation failed, compiling"),
        line,
        col,
    }
}

/// [`compile`] with the port's `options`.
pub fn compile_with(
    source: &str,
    filename: &str,
    mode: Mode,
    options: &Options,
) -> Result<bytecode::Code, CompileError> {
    compile_any(source, filename, mode, options, None)
}

/// Takes each nested code object (of a function, class, lambda or comprehension) as soon as
/// it is compiled, so that the compiler need not hold a module's code until its end: a board
/// turns each into its own object at once, and the compiler's memory is then one statement's
/// tree and the code of the definitions around the one being compiled.
pub trait Loader {
    /// Takes `code` and gives the number its parent's constants name it by
    /// ([`bytecode::Const::Loaded`]); `None` when it cannot (the compile then fails with a
    /// `SyntaxError` "out of memory", and the loader knows why).
    fn load(&mut self, code: bytecode::Code) -> Option<u32>;
}

/// [`compile_with`], handing nested code to `loader` as it is finished: the code returned
/// refers to it by [`bytecode::Const::Loaded`].
pub fn compile_loading(
    source: &str,
    filename: &str,
    mode: Mode,
    options: &Options,
    loader: &mut dyn Loader,
) -> Result<bytecode::Code, CompileError> {
    if options.opt_level >= 3 {
        compile_any(
            source,
            filename,
            mode,
            options,
            Some(&mut Forgetting(loader)),
        )
    } else {
        compile_any(source, filename, mode, options, Some(loader))
    }
}

/// The loader for as long as a compiler over a shorter-lived tree needs it.
fn reborrow<'s>(loader: &'s mut Option<&mut dyn Loader>) -> Option<&'s mut dyn Loader> {
    match loader {
        Some(l) => {
            let l: &'s mut dyn Loader = &mut **l;
            Some(l)
        }
        None => None,
    }
}

/// A loader that makes nested code forget its lines first (optimisation level 3).
struct Forgetting<'l>(&'l mut dyn Loader);

impl Loader for Forgetting<'_> {
    fn load(&mut self, mut code: bytecode::Code) -> Option<u32> {
        forget_lines(&mut code);
        self.0.load(code)
    }
}

fn compile_any(
    source: &str,
    filename: &str,
    mode: Mode,
    options: &Options,
    loader: Option<&mut dyn Loader>,
) -> Result<bytecode::Code, CompileError> {
    let mut code = match mode {
        Mode::Eval => compile_eval(source, filename, options, loader),
        Mode::Exec | Mode::Single => compile_module(source, filename, mode, options, loader),
    }?;
    if options.opt_level >= 3 {
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

fn compile_eval(
    source: &str,
    filename: &str,
    options: &Options,
    loader: Option<&mut dyn Loader>,
) -> Result<bytecode::Code, CompileError> {
    let (expr, n) = parser::parse_eval(source, options)?;
    let st = symtable::build_eval(&expr, n)?;
    let mut loader = loader;
    let mut c = codegen::Compiler::new(&st, filename, Mode::Eval, reborrow(&mut loader));
    c.room = options.room;
    c.u.e.set_line(1);
    c.expr(&expr)?;
    c.u.e.op(bytecode::Op::RETURN_VALUE);
    let unit = core::mem::replace(&mut c.u, codegen::Unit::new(&st, 0, String::new()));
    c.finish_unit(unit, "<module>", 1)
}

/// Compiles a module one statement line at a time: each is parsed, given its symbols and
/// compiled, and its tree dropped before the next is parsed, so the compiler's memory is
/// the code made so far plus one statement's tree, whatever the length of the source.
fn compile_module(
    source: &str,
    filename: &str,
    mode: Mode,
    options: &Options,
    mut loader: Option<&mut dyn Loader>,
) -> Result<bytecode::Code, CompileError> {
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
    let source = lexer::normalize_line_ends(source);
    let mut p = parser::Parser::new(&source, options.opt_level, options.max_depth);
    p.set_room(options.room);
    let mut st = symtable::SymTable::new_module();
    let mut unit = codegen::Unit::new(&st, 0, String::new());
    unit.e.set_line(1);
    let mut first_line = None;
    let mut body = Vec::new();
    loop {
        body.clear();
        if !p.parse_next(&mut body)? {
            break;
        }
        // One interactive statement: simple statements may share its line (`a = 1; b = 2`),
        // but a second statement on a later line is an error, as in MicroPython's REPL.
        if mode == Mode::Single {
            let first = *first_line.get_or_insert(body.first().map_or(1, |s| s.line));
            if let Some(extra) = body.iter().find(|s| s.line != first) {
                return Err(CompileError {
                    kind: ErrorKind::Syntax,
                    msg: "invalid syntax".into(),
                    line: extra.line,
                    col: extra.col,
                });
            }
        }
        st.add_module_stmts(&body, p.scope_count(), options.room)?;
        if options.room.is_some_and(|r| !r.has(0)) {
            let line = body.first().map_or(1, |s| s.line);
            return Err(out_of_memory(line, 1));
        }
        p.reset_scopes();
        let mut c = codegen::Compiler::resume(&st, filename, mode, unit, reborrow(&mut loader));
        c.room = options.room;
        c.stmts(&body)?;
        unit = c.u.detach();
    }
    drop(body);
    let mut c = codegen::Compiler::resume(&st, filename, mode, unit, reborrow(&mut loader));
    c.load_none()?;
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
    /// `MemoryError`: the compile would take more memory than the board has
    /// ([`Options::room`]).
    Memory,
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
