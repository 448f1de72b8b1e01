//! `cmath`: complex functions, as MicroPython's `modcmath.c` exposes them.
//!
//! The formulas are MicroPython's (no special-casing of infinities and signed zeros beyond
//! what they give), so results match it bit for bit where the C library does.

use crate::modules::math::want_args;
use crate::native::{Kw, PyResult};
use crate::obj::complex::{complex_arg, new_complex};
use crate::obj::float::float_arg;
use crate::value::Obj;
use crate::vm::Vm;

/// Names of the computed attributes of `cmath`.
pub static ATTR_NAMES: &[&str] = &["e", "pi"];

/// `cmath.<name>` for the constants.
pub fn cmath_attr(vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    let x = match name {
        "e" => core::f64::consts::E,
        "pi" => core::f64::consts::PI,
        _ => return Ok(None),
    };
    vm.new_float(x).map(Some)
}

/// The one complex argument of a function.
fn arg(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<(f64, f64)> {
    want_args(vm, args, kw, 1)?;
    complex_arg(vm, args[0])
}

/// `phase(z)`: the argument of `z`, in `(-pi, pi]`.
fn cmath_phase(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (re, im) = arg(vm, args, kw)?;
    vm.new_float(libm::atan2(im, re))
}

/// `polar(z)`: `(abs(z), phase(z))`.
fn cmath_polar(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (re, im) = arg(vm, args, kw)?;
    let r = vm.new_float(libm::sqrt(re * re + im * im))?;
    let phi = vm.new_float(libm::atan2(im, re))?;
    vm.new_tuple(&[r, phi])
}

/// `rect(r, phi)`: the complex number with modulus `r` and phase `phi`.
fn cmath_rect(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    want_args(vm, args, kw, 2)?;
    let r = float_arg(vm, args[0])?;
    let phi = float_arg(vm, args[1])?;
    new_complex(vm, r * libm::cos(phi), r * libm::sin(phi))
}

/// `exp(z)`.
fn cmath_exp(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (re, im) = arg(vm, args, kw)?;
    let m = libm::exp(re);
    new_complex(vm, m * libm::cos(im), m * libm::sin(im))
}

/// `log(z)`: the natural logarithm, branch cut along the negative real axis.
fn cmath_log(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (re, im) = arg(vm, args, kw)?;
    new_complex(vm, 0.5 * libm::log(re * re + im * im), libm::atan2(im, re))
}

/// `log10(z)`.
fn cmath_log10(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (re, im) = arg(vm, args, kw)?;
    let phase = core::f64::consts::LOG10_E * libm::atan2(im, re);
    new_complex(vm, 0.5 * libm::log10(re * re + im * im), phase)
}

/// `sqrt(z)`: the principal square root.
fn cmath_sqrt(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (re, im) = arg(vm, args, kw)?;
    let m = libm::pow(re * re + im * im, 0.25);
    let theta = 0.5 * libm::atan2(im, re);
    new_complex(vm, m * libm::cos(theta), m * libm::sin(theta))
}

/// `cos(z)`.
fn cmath_cos(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (re, im) = arg(vm, args, kw)?;
    new_complex(
        vm,
        libm::cos(re) * libm::cosh(im),
        -libm::sin(re) * libm::sinh(im),
    )
}

/// `sin(z)`.
fn cmath_sin(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (re, im) = arg(vm, args, kw)?;
    new_complex(
        vm,
        libm::sin(re) * libm::cosh(im),
        libm::cos(re) * libm::sinh(im),
    )
}

crate::native_table!(pub FUNCTIONS = [
    ("cos", cmath_cos),
    ("exp", cmath_exp),
    ("log", cmath_log),
    ("log10", cmath_log10),
    ("phase", cmath_phase),
    ("polar", cmath_polar),
    ("rect", cmath_rect),
    ("sin", cmath_sin),
    ("sqrt", cmath_sqrt),
]);
