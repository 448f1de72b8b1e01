//! `float`: IEEE f64 on every target.

use alloc::string::String;

use pyrite_compiler::bytecode::{BinOp, UnaryOp};
use pyrite_numfmt::PowError;

use crate::native::{Kw, PyResult};
use crate::obj::int::{self, Int};
use crate::object::HeapObj;
use crate::qstr::q;
use crate::value::Obj;
use crate::vm::Vm;

/// The float value of a float, int or bool (`None` otherwise).
pub fn to_f64(vm: &Vm, o: Obj) -> Option<f64> {
    if let Some(HeapObj::Float(f)) = vm.heap.get(o) {
        return Some(*f);
    }
    if let Some(HeapObj::Instance(i)) = vm.heap.get(o) {
        if !i.native.is_null() {
            return to_f64(vm, i.native);
        }
    }
    Int::of(vm, o).map(|i| i.to_f64())
}

/// The float value of a number argument, as MicroPython's `mp_obj_get_float`: floats, ints,
/// bools, and instances whose `__float__` returns a float; `TypeError` otherwise.
pub fn float_arg(vm: &mut Vm, o: Obj) -> PyResult<f64> {
    if let Some(f) = to_f64(vm, o) {
        return Ok(f);
    }
    if vm.is_user_instance(o) {
        if let Some(r) = vm.call_special(o, q::__float__, &[])? {
            if let Some(HeapObj::Float(f)) = vm.heap.get(r) {
                return Ok(*f);
            }
        }
    }
    let t = String::from(vm.type_name(o));
    raise!(vm, TYPE_ERROR, "can't convert {} to float", t)
}

/// Whether `o` is a float (or a subclass instance holding one).
pub fn is_float(vm: &Vm, o: Obj) -> bool {
    match vm.heap.get(o) {
        Some(HeapObj::Float(_)) => true,
        Some(HeapObj::Instance(i)) if !i.native.is_null() => is_float(vm, i.native),
        _ => false,
    }
}

/// The hash of a float, equal to the hash of an int of the same value.
pub fn float_hash(f: f64) -> u32 {
    pyrite_numfmt::hash(f) as u32
}

/// Float arithmetic, when one operand is a float and the other a float or an int.
pub fn float_binop(vm: &mut Vm, op: BinOp, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    if !is_float(vm, a) && !is_float(vm, b) {
        return Ok(None);
    }
    let (Some(x), Some(y)) = (to_f64(vm, a), to_f64(vm, b)) else {
        return Ok(None);
    };
    let r = match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::TrueDiv => {
            if y == 0.0 {
                raise!(vm, ZERO_DIVISION_ERROR, "divide by zero");
            }
            x / y
        }
        BinOp::FloorDiv => match pyrite_numfmt::floor_div(x, y) {
            Some(r) => r,
            None => raise!(vm, ZERO_DIVISION_ERROR, "divide by zero"),
        },
        BinOp::Mod => match pyrite_numfmt::modulo(x, y) {
            Some(r) => r,
            None => raise!(vm, ZERO_DIVISION_ERROR, "divide by zero"),
        },
        BinOp::Pow => match pyrite_numfmt::pow(x, y) {
            Ok(r) => r,
            Err(PowError::ZeroDivision) => {
                raise!(
                    vm,
                    ZERO_DIVISION_ERROR,
                    "0.0 cannot be raised to a negative power"
                )
            }
            Err(PowError::Overflow) => f64::INFINITY,
            Err(PowError::Complex) => {
                return crate::obj::complex::complex_pow(vm, (x, 0.0), (y, 0.0)).map(Some)
            }
        },
        _ => return Ok(None),
    };
    vm.new_float(r).map(Some)
}

/// `-x`, `+x` for floats.
pub fn float_unop(vm: &mut Vm, op: UnaryOp, a: Obj) -> PyResult<Option<Obj>> {
    let Some(HeapObj::Float(x)) = vm.heap.get(a) else {
        return Ok(None);
    };
    let x = *x;
    match op {
        UnaryOp::Neg => vm.new_float(-x).map(Some),
        UnaryOp::Pos => Ok(Some(a)),
        _ => Ok(None),
    }
}

/// `repr(x)`.
pub fn float_repr(x: f64, out: &mut String) {
    pyrite_numfmt::float_repr(x, out)
}

/// `float(x)`.
pub fn float_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(&x) = args.first() else {
        return vm.new_float(0.0);
    };
    if let Some(HeapObj::Float(_)) = vm.heap.get(x) {
        return Ok(x);
    }
    if let Some(i) = Int::of(vm, x) {
        let f = i.to_f64();
        if f.is_infinite() {
            raise!(vm, OVERFLOW_ERROR, "int too big to convert to float");
        }
        return vm.new_float(f);
    }
    let text = if let Some(s) = vm.str_of(x) {
        Some(String::from(s))
    } else {
        crate::obj::memoryview::typed_buffer(vm, x)
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
    };
    if let Some(s) = text {
        return match pyrite_numfmt::parse_float(&s) {
            Some(f) => vm.new_float(f),
            None => {
                let mut r = String::new();
                crate::obj::str::repr_str_into(&s, &mut r);
                raise!(vm, VALUE_ERROR, "could not convert string to float: {}", r)
            }
        };
    }
    if vm.is_user_instance(x) {
        if let Some(r) = vm.call_special(x, q::__float__, &[])? {
            if is_float(vm, r) {
                return Ok(r);
            }
            let t = String::from(vm.type_name(x));
            raise!(vm, TYPE_ERROR, "can't convert {} to float", t);
        }
        if let Some(n) = vm.native_payload(x) {
            return float_new(vm, &[n], &[]);
        }
    }
    let t = String::from(vm.type_name(x));
    raise!(vm, TYPE_ERROR, "can't convert {} to float", t)
}

fn float_is_integer(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = args.first().and_then(|&a| to_f64(vm, a)).unwrap_or(0.0);
    Ok(Obj::bool(x.is_finite() && libm::trunc(x) == x))
}

fn float_conjugate(_vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(args.first().copied().unwrap_or(Obj::NONE))
}

fn float_as_integer_ratio(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = args.first().and_then(|&a| to_f64(vm, a)).unwrap_or(0.0);
    if x.is_nan() {
        raise!(vm, VALUE_ERROR, "cannot convert NaN to integer ratio");
    }
    if x.is_infinite() {
        raise!(
            vm,
            OVERFLOW_ERROR,
            "cannot convert Infinity to integer ratio"
        );
    }
    let (m, e) = libm::frexp(x);
    // x = m * 2**e with 0.5 <= |m| < 1: scale the mantissa to an integer.
    let mut mant = m;
    let mut exp = e;
    let mut steps = 0;
    while mant != libm::floor(mant) && steps < 1100 {
        mant *= 2.0;
        exp -= 1;
        steps += 1;
    }
    let num = int::float_to_int(vm, mant)?;
    let one = Obj::small_int_unchecked(1);
    let (n, d) = if exp >= 0 {
        let sh = vm.new_int(exp as i64)?;
        (vm.binary_op(BinOp::LShift, num, sh)?, one)
    } else {
        let sh = vm.new_int(-exp as i64)?;
        (num, vm.binary_op(BinOp::LShift, one, sh)?)
    };
    vm.new_tuple(&[n, d])
}

crate::native_table!(pub METHODS = [
    ("as_integer_ratio", float_as_integer_ratio),
    ("conjugate", float_conjugate),
    ("is_integer", float_is_integer),
]);
