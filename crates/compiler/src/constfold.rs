//! Compile-time constants: the value of the argument of MicroPython's `X = const(expr)`.
//!
//! MicroPython's parser folds `const()` arguments made of literals, earlier constants, the
//! arithmetic and bitwise operators over numbers, `not`/`and`/`or`, tuples of constants, and
//! the float constants of `math`. Anything else, or an operation that would raise (`1 // 0`,
//! `1 << -2`, `1 @ 2`), is "not a constant": a `SyntaxError`. The folded value replaces every
//! later use of the name: `fold` keeps it as a literal that makes the expression to substitute.

use alloc::boxed::Box;
use alloc::vec::Vec;

use pyrite_mpz::BigInt;

use crate::ast::{Expr, ExprKind, Lit};
use crate::bytecode::{BinOp, UnaryOp};

/// The largest int (in bits) folding may build; a larger result is "not a constant", as
/// MicroPython's `MemoryError` during folding is.
const MAX_BITS: u64 = 1 << 15;

/// A value during folding.
enum Val {
    Int(BigInt),
    Float(f64),
    /// Any other constant (str, bytes, None, bools, Ellipsis, imaginary, tuple).
    Other(Lit),
}

/// A folded constant as the parser keeps it for later uses of its name: a literal, or the
/// negation of one (a negative int beyond `i64`, which no literal spells), with the position of
/// the expression it was folded from.
#[derive(Clone)]
pub(crate) struct Folded {
    lit: Lit,
    negated: bool,
    line: u32,
    col: u32,
}

impl Folded {
    /// The expression that stands for the value.
    pub(crate) fn expr(&self) -> Expr {
        let lit = Expr {
            kind: ExprKind::Const(self.lit.clone()),
            line: self.line,
            col: self.col,
            depth: 1,
        };
        if !self.negated {
            return lit;
        }
        Expr {
            kind: ExprKind::Unary(UnaryOp::Neg, Box::new(lit)),
            line: self.line,
            col: self.col,
            depth: 2,
        }
    }
}

/// The constant value of `e` (whose constant names are already substituted), or `None` if `e`
/// is not a constant expression.
pub(crate) fn fold(e: &Expr) -> Option<Folded> {
    let (lit, negated) = match eval(e)? {
        Val::Int(b) if b.is_negative() && b.to_i64().is_none() => {
            (Lit::BigInt(16, b.neg().to_str_radix(16, false)), true)
        }
        v => (to_lit(v)?, false),
    };
    Some(Folded {
        lit,
        negated,
        line: e.line,
        col: e.col,
    })
}

/// The literal of a value; `None` for a negative int beyond `i64` (no literal spells it).
fn to_lit(v: Val) -> Option<Lit> {
    Some(match v {
        Val::Int(b) => match b.to_i64() {
            Some(i) => Lit::Int(i),
            None if b.is_negative() => return None,
            None => Lit::BigInt(16, b.to_str_radix(16, false)),
        },
        Val::Float(f) => Lit::Float(f),
        Val::Other(l) => l,
    })
}

fn truthy(v: &Val) -> bool {
    match v {
        Val::Int(b) => !b.is_zero(),
        Val::Float(f) => *f != 0.0,
        Val::Other(l) => match l {
            Lit::None | Lit::False => false,
            Lit::True | Lit::Ellipsis => true,
            Lit::Int(i) => *i != 0,
            Lit::BigInt(..) => true,
            Lit::Float(f) | Lit::Imag(f) => *f != 0.0,
            Lit::Str(s) => !s.is_empty(),
            Lit::Bytes(b) => !b.is_empty(),
            Lit::Tuple(items) => !items.is_empty(),
        },
    }
}

fn eval(e: &Expr) -> Option<Val> {
    Some(match &e.kind {
        ExprKind::Const(Lit::Int(i)) => Val::Int(BigInt::from_i64(*i)),
        ExprKind::Const(Lit::BigInt(radix, digits)) => {
            Val::Int(BigInt::parse(digits.as_bytes(), *radix)?)
        }
        ExprKind::Const(Lit::Float(f)) => Val::Float(*f),
        ExprKind::Const(l) => Val::Other(l.clone()),
        ExprKind::Tuple(items) => {
            let mut lits = Vec::with_capacity(items.len());
            for it in items {
                lits.push(to_lit(eval(it)?)?);
            }
            Val::Other(Lit::Tuple(lits))
        }
        ExprKind::Unary(UnaryOp::Not, x) => Val::Other(if truthy(&eval(x)?) {
            Lit::False
        } else {
            Lit::True
        }),
        ExprKind::Unary(op, x) => match (op, eval(x)?) {
            (UnaryOp::Neg, Val::Int(b)) => Val::Int(b.neg()),
            (UnaryOp::Neg, Val::Float(f)) => Val::Float(-f),
            (UnaryOp::Pos, v @ (Val::Int(_) | Val::Float(_))) => v,
            (UnaryOp::Invert, Val::Int(b)) => Val::Int(b.not()),
            _ => return None,
        },
        ExprKind::BoolOp(and, values) => {
            let mut last = None;
            for x in values {
                let v = eval(x)?;
                if truthy(&v) != *and {
                    return Some(v);
                }
                last = Some(v);
            }
            last?
        }
        ExprKind::Binary(op, a, b) => {
            let (a, b) = (eval(a)?, eval(b)?);
            match (a, b) {
                (Val::Int(x), Val::Int(y)) => int_op(*op, &x, &y)?,
                (Val::Int(x), Val::Float(y)) => Val::Float(float_op(*op, to_f64(&x)?, y)?),
                (Val::Float(x), Val::Int(y)) => Val::Float(float_op(*op, x, to_f64(&y)?)?),
                (Val::Float(x), Val::Float(y)) => Val::Float(float_op(*op, x, y)?),
                _ => return None,
            }
        }
        ExprKind::Attribute(base, attr) => match (&base.kind, attr.as_str()) {
            (ExprKind::Name(m), "pi") if m == "math" => Val::Float(core::f64::consts::PI),
            (ExprKind::Name(m), "e") if m == "math" => Val::Float(core::f64::consts::E),
            (ExprKind::Name(m), "tau") if m == "math" => Val::Float(core::f64::consts::TAU),
            (ExprKind::Name(m), "inf") if m == "math" => Val::Float(f64::INFINITY),
            (ExprKind::Name(m), "nan") if m == "math" => Val::Float(f64::NAN),
            _ => return None,
        },
        _ => return None,
    })
}

fn to_f64(b: &BigInt) -> Option<f64> {
    Some(b.to_f64()).filter(|f| f.is_finite())
}

fn fits(bits: u64) -> bool {
    bits <= MAX_BITS
}

fn int_op(op: BinOp, x: &BigInt, y: &BigInt) -> Option<Val> {
    let shift = || y.to_u64().filter(|_| !y.is_negative());
    Some(Val::Int(match op {
        BinOp::Add => x.add(y),
        BinOp::Sub => x.sub(y),
        BinOp::Mul if fits(x.bit_length() + y.bit_length()) => x.mul(y),
        BinOp::FloorDiv => x.divmod_floor(y)?.0,
        BinOp::Mod => x.divmod_floor(y)?.1,
        BinOp::TrueDiv => return Some(Val::Float(to_f64_div(x, y)?)),
        BinOp::Pow if y.is_negative() => {
            let (fx, fy) = (to_f64(x)?, to_f64(y)?);
            if fx == 0.0 {
                return None;
            }
            return Some(Val::Float(float_op(BinOp::Pow, fx, fy)?));
        }
        BinOp::Pow => {
            let e = y.to_u64()?;
            let trivial = x.is_zero() || x.cmp_i64(1).is_eq() || x.cmp_i64(-1).is_eq();
            if !trivial && !fits(x.bit_length().saturating_mul(e)) {
                return None;
            }
            x.pow(e)
        }
        BinOp::LShift => {
            let n = shift()?;
            if !x.is_zero() && !fits(x.bit_length().saturating_add(n)) {
                return None;
            }
            x.shl(n.min(MAX_BITS))
        }
        BinOp::RShift => {
            if y.is_negative() {
                return None;
            }
            x.shr(shift().unwrap_or(u64::MAX).min(MAX_BITS + 64))
        }
        BinOp::And => x.bitand(y),
        BinOp::Or => x.bitor(y),
        BinOp::Xor => x.bitxor(y),
        _ => return None,
    }))
}

fn to_f64_div(x: &BigInt, y: &BigInt) -> Option<f64> {
    x.div_to_f64(y).filter(|f| f.is_finite())
}

fn float_op(op: BinOp, x: f64, y: f64) -> Option<f64> {
    Some(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::TrueDiv if y != 0.0 => x / y,
        BinOp::FloorDiv => pyrite_numfmt::floor_div(x, y)?,
        BinOp::Mod => pyrite_numfmt::modulo(x, y)?,
        BinOp::Pow => match pyrite_numfmt::pow(x, y) {
            Ok(v) => v,
            Err(pyrite_numfmt::PowError::Overflow) => f64::INFINITY,
            Err(_) => return None,
        },
        _ => return None,
    })
}
