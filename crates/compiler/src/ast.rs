//! The syntax tree the parser builds and the symbol table and code generator walk.
//!
//! Every node that opens a scope (function, lambda, class, comprehension) carries a `scope` id
//! assigned by the parser in source order; the module is scope 0. The symbol table is indexed
//! by that id, so the passes never depend on visiting nested scopes in the same order.
//!
//! Every expression records its `depth` (1 + the deepest child), bounded by the parser, so
//! the later passes may recurse over expressions without risking the Rust stack.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::bytecode::{BinOp, CmpOp, UnaryOp};

/// A literal constant.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    /// `None`
    None,
    /// `True`
    True,
    /// `False`
    False,
    /// `...`
    Ellipsis,
    /// An int that fits in `i64`.
    Int(i64),
    /// A larger int: radix and digits.
    BigInt(u32, String),
    /// A float.
    Float(f64),
    /// An imaginary number.
    Imag(f64),
    /// A string.
    Str(String),
    /// A bytes literal.
    Bytes(Vec<u8>),
    /// A tuple made by `const()`.
    Tuple(Vec<Lit>),
}

/// A piece of an f-string.
#[derive(Debug, Clone, PartialEq)]
pub enum FPart {
    /// Literal text.
    Lit(String),
    /// A replacement field `{value!conv:spec}`.
    Field {
        /// The expression.
        value: Box<Expr>,
        /// 0 none, 1 `!s`, 2 `!r`, 3 `!a`.
        conv: u8,
        /// The format spec, itself an f-string.
        spec: Option<Vec<FPart>>,
    },
}

/// One argument of a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// `f(x)`
    Pos(Expr),
    /// `f(*x)`
    Star(Expr),
    /// `f(name=x)`
    Kw(String, Expr),
    /// `f(**x)`
    DoubleStar(Expr),
}

/// The kind of a comprehension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompKind {
    /// `[x for ...]`
    List,
    /// `{x for ...}`
    Set,
    /// `{k: v for ...}`
    Dict,
    /// `(x for ...)`
    Gen,
}

/// One `for ... in ... if ...` clause of a comprehension.
#[derive(Debug, Clone, PartialEq)]
pub struct Generator {
    /// The loop target.
    pub target: Expr,
    /// The iterable.
    pub iter: Expr,
    /// The conditions.
    pub ifs: Vec<Expr>,
    /// `async for`.
    pub is_async: bool,
}

/// An expression with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// Nesting depth of this tree (a leaf is 1).
    pub depth: u16,
}

/// The expression forms.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub enum ExprKind {
    Name(String),
    Const(Lit),
    FString(Vec<FPart>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `and` (true) or `or` (false) over two or more values.
    BoolOp(bool, Vec<Expr>),
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>),
    IfExp(Box<Expr>, Box<Expr>, Box<Expr>),
    Lambda(Box<Lambda>),
    /// `name := value`
    Named(String, Box<Expr>),
    Attribute(Box<Expr>, String),
    Subscript(Box<Expr>, Box<Expr>),
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    Starred(Box<Expr>),
    Call(Box<Expr>, Vec<Arg>),
    Tuple(Vec<Expr>),
    List(Vec<Expr>),
    Set(Vec<Expr>),
    /// Pairs; a `None` key is a `**mapping` entry.
    Dict(Vec<(Option<Expr>, Expr)>),
    Comp(Box<Comp>),
    Yield(Option<Box<Expr>>),
    YieldFrom(Box<Expr>),
    Await(Box<Expr>),
}

/// A lambda.
#[derive(Debug, Clone, PartialEq)]
pub struct Lambda {
    /// Scope id.
    pub scope: u32,
    /// Parameters.
    pub params: Params,
    /// The body.
    pub body: Expr,
}

/// A comprehension.
#[derive(Debug, Clone, PartialEq)]
pub struct Comp {
    /// Scope id.
    pub scope: u32,
    /// What it builds.
    pub kind: CompKind,
    /// The element (the key for a dict).
    pub elt: Expr,
    /// The value of a dict comprehension.
    pub value: Option<Expr>,
    /// The clauses, outermost first (never empty).
    pub gens: Vec<Generator>,
}

/// A parameter with its optional default.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name.
    pub name: String,
    /// The default value.
    pub default: Option<Expr>,
}

/// A parameter list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Params {
    /// Positional parameters (positional-only ones included).
    pub args: Vec<Param>,
    /// `*name`.
    pub vararg: Option<String>,
    /// Keyword-only parameters.
    pub kwonly: Vec<Param>,
    /// `**name`.
    pub kwarg: Option<String>,
}

impl Params {
    /// All parameter names in local-slot order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.args
            .iter()
            .map(|p| p.name.as_str())
            .chain(self.kwonly.iter().map(|p| p.name.as_str()))
            .chain(self.vararg.as_deref())
            .chain(self.kwarg.as_deref())
    }
}

/// A statement with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    /// What it is.
    pub kind: StmtKind,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

/// An `except` clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Handler {
    /// The exception type, `None` for a bare `except:`.
    pub typ: Option<Expr>,
    /// `as name`.
    pub name: Option<String>,
    /// The body.
    pub body: Vec<Stmt>,
    /// Line of the `except`.
    pub line: u32,
}

/// A `def` or `async def`.
#[derive(Debug, Clone, PartialEq)]
pub struct FuncDef {
    /// Scope id.
    pub scope: u32,
    /// The name.
    pub name: String,
    /// Parameters.
    pub params: Params,
    /// The body.
    pub body: Vec<Stmt>,
    /// Decorators, outermost first.
    pub decorators: Vec<Expr>,
    /// `async def`.
    pub is_async: bool,
}

/// A `class`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassDef {
    /// Scope id.
    pub scope: u32,
    /// The name.
    pub name: String,
    /// Bases and keywords, as call arguments.
    pub args: Vec<Arg>,
    /// The body.
    pub body: Vec<Stmt>,
    /// Decorators, outermost first.
    pub decorators: Vec<Expr>,
}

/// An imported name: dotted name and optional `as` name.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// `a.b.c` (or a plain name in `from x import name`; `*` for a star import).
    pub name: String,
    /// `as d`.
    pub asname: Option<String>,
}

/// The statement forms.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub enum StmtKind {
    Expr(Expr),
    /// `t1 = t2 = value`
    Assign(Vec<Expr>, Expr),
    AugAssign(Expr, BinOp, Expr),
    /// `target: annotation (= value)`; the annotation is dropped.
    AnnAssign(Expr, Option<Expr>),
    Pass,
    Break,
    Continue,
    Return(Option<Expr>),
    Delete(Vec<Expr>),
    /// `raise (exc (from cause))`
    Raise(Option<Expr>, Option<Expr>),
    Assert(Expr, Option<Expr>),
    Global(Vec<String>),
    Nonlocal(Vec<String>),
    Import(Vec<Alias>),
    /// `from (level dots)module import names`
    ImportFrom(Option<String>, u32, Vec<Alias>),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    While(Expr, Vec<Stmt>, Vec<Stmt>),
    For {
        target: Expr,
        iter: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        is_async: bool,
    },
    With {
        items: Vec<(Expr, Option<Expr>)>,
        body: Vec<Stmt>,
        is_async: bool,
    },
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Handler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    },
    FunctionDef(Box<FuncDef>),
    ClassDef(Box<ClassDef>),
}
