//! `complex`: a pair of f64.

use alloc::string::String;

use pyrite_compiler::bytecode::{BinOp, UnaryOp};

use crate::native::{Kw, PyResult};
use crate::obj::float::float_arg;
use crate::obj::int::complex_parts;
use crate::object::HeapObj;
use crate::qstr::q;
use crate::value::Obj;
use crate::vm::Vm;

fn is_complex(vm: &Vm, o: Obj) -> bool {
    matches!(vm.heap.get(o), Some(HeapObj::Complex(..)))
}

/// The complex value of a number argument, as MicroPython's `mp_obj_get_complex`: numbers,
/// and instances with `__float__` or `__complex__`; `TypeError` otherwise.
pub fn complex_arg(vm: &mut Vm, o: Obj) -> PyResult<(f64, f64)> {
    if let Some(p) = complex_parts(vm, o) {
        return Ok(p);
    }
    if vm.is_user_instance(o) {
        if let Some(r) = vm.call_special(o, q::__float__, &[])? {
            if let Some(HeapObj::Float(f)) = vm.heap.get(r) {
                return Ok((*f, 0.0));
            }
        }
        if let Some(r) = vm.call_special(o, q::__complex__, &[])? {
            if let Some(&HeapObj::Complex(re, im)) = vm.heap.get(r) {
                return Ok((re, im));
            }
        }
    }
    let t = String::from(vm.type_name(o));
    raise!(vm, TYPE_ERROR, "can't convert {} to complex", t)
}

/// A new complex number.
pub fn new_complex(vm: &mut Vm, re: f64, im: f64) -> PyResult<Obj> {
    vm.alloc(HeapObj::Complex(re, im))
}

/// `(a + bj) ** (c + dj)`.
pub fn complex_pow(vm: &mut Vm, x: (f64, f64), y: (f64, f64)) -> PyResult<Obj> {
    let (a, b) = x;
    let (c, d) = y;
    if a == 0.0 && b == 0.0 {
        if d != 0.0 || c < 0.0 {
            raise!(
                vm,
                ZERO_DIVISION_ERROR,
                "0.0 to a negative or complex power"
            );
        }
        if c == 0.0 {
            return new_complex(vm, 1.0, 0.0);
        }
        return new_complex(vm, 0.0, 0.0);
    }
    let r = libm::hypot(a, b);
    let theta = libm::atan2(b, a);
    let log_r = libm::log(r);
    let mag = libm::exp(c * log_r - d * theta);
    let ang = d * log_r + c * theta;
    new_complex(vm, mag * libm::cos(ang), mag * libm::sin(ang))
}

/// Complex arithmetic, when one operand is complex and the other a number.
pub fn complex_binop(vm: &mut Vm, op: BinOp, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    if !is_complex(vm, a) && !is_complex(vm, b) {
        return Ok(None);
    }
    let (Some((p, q)), Some((r, s))) = (complex_parts(vm, a), complex_parts(vm, b)) else {
        return Ok(None);
    };
    let (re, im) = match op {
        BinOp::Add => (p + r, q + s),
        BinOp::Sub => (p - r, q - s),
        BinOp::Mul => (p * r - q * s, p * s + q * r),
        BinOp::TrueDiv => {
            if r == 0.0 && s == 0.0 {
                raise!(vm, ZERO_DIVISION_ERROR, "complex divide by zero");
            }
            let den = r * r + s * s;
            ((p * r + q * s) / den, (q * r - p * s) / den)
        }
        BinOp::Pow => return complex_pow(vm, (p, q), (r, s)).map(Some),
        BinOp::FloorDiv | BinOp::Mod => {
            raise!(vm, TYPE_ERROR, "can't truncate a complex number")
        }
        _ => return Ok(None),
    };
    new_complex(vm, re, im).map(Some)
}

/// `-z`, `+z`.
pub fn complex_unop(vm: &mut Vm, op: UnaryOp, a: Obj) -> PyResult<Option<Obj>> {
    let Some(&HeapObj::Complex(re, im)) = vm.heap.get(a) else {
        return Ok(None);
    };
    match op {
        UnaryOp::Neg => new_complex(vm, -re, -im).map(Some),
        UnaryOp::Pos => Ok(Some(a)),
        _ => Ok(None),
    }
}

/// `complex(re, im)`, `complex(str)`.
pub fn complex_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let mut real = args.first().copied();
    let mut imag = args.get(1).copied();
    for &(k, v) in kw {
        match vm.qstr_str(k) {
            "real" => real = Some(v),
            "imag" => imag = Some(v),
            _ => raise!(vm, TYPE_ERROR, "unexpected keyword argument"),
        }
    }
    let Some(x) = real else {
        return new_complex(vm, 0.0, 0.0);
    };
    if let Some(s) = vm.str_of(x) {
        if imag.is_some() {
            raise!(
                vm,
                TYPE_ERROR,
                "complex() can't take second arg if first is a string"
            );
        }
        let s = String::from(s);
        return match pyrite_numfmt::parse_complex(&s) {
            Some((re, im)) => new_complex(vm, re, im),
            None => raise!(vm, VALUE_ERROR, "complex() arg is a malformed string"),
        };
    }
    let Some(i) = imag else {
        if is_complex(vm, x) {
            return Ok(x);
        }
        let (re, im) = complex_arg(vm, x)?;
        return new_complex(vm, re, im);
    };
    // Each argument is a complex or else must convert to a float.
    let part = |vm: &mut Vm, o: Obj| -> PyResult<(f64, f64)> {
        match vm.heap.get(o) {
            Some(&HeapObj::Complex(re, im)) => Ok((re, im)),
            _ => Ok((float_arg(vm, o)?, 0.0)),
        }
    };
    let (a, b) = part(vm, x)?;
    let (c, d) = part(vm, i)?;
    new_complex(vm, a - d, b + c)
}

fn complex_conjugate(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (re, im) = args
        .first()
        .and_then(|&a| complex_parts(vm, a))
        .unwrap_or((0.0, 0.0));
    new_complex(vm, re, -im)
}

crate::native_table!(pub METHODS = [
    ("conjugate", complex_conjugate),
]);
