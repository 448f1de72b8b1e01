//! `math`: real functions over `f64`, as MicroPython's `modmath.c` exposes them.
//!
//! Arguments are converted as MicroPython does (`float_arg`: floats, ints of any size, bools,
//! `__float__`). A result that is NaN or infinite where no argument was raises
//! `ValueError: math domain error`, whatever the underlying C function would have signalled.

use pyrite_mpz::BigInt;

use crate::native::{Kw, PyResult};
use crate::obj::float::float_arg;
use crate::obj::int::{float_to_int, from_big};
use crate::value::Obj;
use crate::vm::Vm;

/// Names of the computed attributes of `math`.
pub static ATTR_NAMES: &[&str] = &["e", "inf", "nan", "pi", "tau"];

/// `math.<name>` for the constants.
pub fn math_attr(vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    let x = match name {
        "e" => core::f64::consts::E,
        "pi" => core::f64::consts::PI,
        "tau" => core::f64::consts::TAU,
        "inf" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => return Ok(None),
    };
    vm.new_float(x).map(Some)
}

/// Checks a fixed positional argument count, with MicroPython's message.
pub(crate) fn want_args(vm: &mut Vm, args: &[Obj], kw: Kw, n: usize) -> PyResult<()> {
    if !kw.is_empty() {
        raise!(vm, TYPE_ERROR, "function doesn't take keyword arguments");
    }
    if args.len() != n {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes {} positional arguments but {} were given",
            n,
            args.len()
        );
    }
    Ok(())
}

fn math_error(vm: &mut Vm) -> Obj {
    vm.exc(crate::types::ty::VALUE_ERROR, "math domain error")
}

/// Applies a one-argument function, with the domain check.
fn apply1(vm: &mut Vm, args: &[Obj], kw: Kw, f: fn(f64) -> f64) -> PyResult<Obj> {
    want_args(vm, args, kw, 1)?;
    let x = float_arg(vm, args[0])?;
    let r = f(x);
    if (r.is_nan() && !x.is_nan()) || (r.is_infinite() && !x.is_infinite()) {
        return Err(math_error(vm));
    }
    vm.new_float(r)
}

/// Applies a two-argument function, with the domain check.
fn apply2(vm: &mut Vm, args: &[Obj], kw: Kw, f: fn(f64, f64) -> f64) -> PyResult<Obj> {
    want_args(vm, args, kw, 2)?;
    let x = float_arg(vm, args[0])?;
    let y = float_arg(vm, args[1])?;
    let r = f(x, y);
    let nan_in = x.is_nan() || y.is_nan();
    let inf_in = x.is_infinite() || y.is_infinite();
    if (r.is_nan() && !nan_in) || (r.is_infinite() && !inf_in) {
        return Err(math_error(vm));
    }
    vm.new_float(r)
}

/// Applies a rounding function and returns the result as an int.
fn apply_to_int(vm: &mut Vm, args: &[Obj], kw: Kw, f: fn(f64) -> f64) -> PyResult<Obj> {
    want_args(vm, args, kw, 1)?;
    let x = float_arg(vm, args[0])?;
    float_to_int(vm, f(x))
}

/// Applies a predicate.
fn apply_to_bool(vm: &mut Vm, args: &[Obj], kw: Kw, f: fn(f64) -> bool) -> PyResult<Obj> {
    want_args(vm, args, kw, 1)?;
    let x = float_arg(vm, args[0])?;
    Ok(Obj::bool(f(x)))
}

/// Declares natives that apply a `libm` function through one of the `apply*` helpers.
macro_rules! math_fns {
    ($($name:ident = $apply:ident($f:expr);)*) => {
        $(fn $name(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
            $apply(vm, args, kw, $f)
        })*
    };
}

/// `pow(x, y)` with the C99 special cases even where the C library lacks them.
fn pow_fixed(x: f64, y: f64) -> f64 {
    if x == 1.0 || y == 0.0 {
        return 1.0;
    }
    libm::pow(x, y)
}

/// `tgamma`, with `gamma(-inf)` a domain error.
fn gamma_fixed(x: f64) -> f64 {
    if x == f64::NEG_INFINITY {
        return f64::NAN;
    }
    libm::tgamma(x)
}

math_fns! {
    math_acos = apply1(libm::acos);
    math_acosh = apply1(libm::acosh);
    math_asin = apply1(libm::asin);
    math_asinh = apply1(libm::asinh);
    math_atan = apply1(libm::atan);
    math_atan2 = apply2(libm::atan2);
    math_atanh = apply1(libm::atanh);
    math_ceil = apply_to_int(libm::ceil);
    math_copysign = apply2(libm::copysign);
    math_cos = apply1(libm::cos);
    math_cosh = apply1(libm::cosh);
    math_degrees = apply1(|x| x * (180.0 / core::f64::consts::PI));
    math_erf = apply1(libm::erf);
    math_erfc = apply1(libm::erfc);
    math_exp = apply1(libm::exp);
    math_expm1 = apply1(libm::expm1);
    math_fabs = apply1(libm::fabs);
    math_floor = apply_to_int(libm::floor);
    math_fmod = apply2(pyrite_numfmt::fmod);
    math_gamma = apply1(gamma_fixed);
    math_isfinite = apply_to_bool(f64::is_finite);
    math_isinf = apply_to_bool(f64::is_infinite);
    math_isnan = apply_to_bool(f64::is_nan);
    math_lgamma = apply1(libm::lgamma);
    math_log10 = apply1(libm::log10);
    math_log2 = apply1(libm::log2);
    math_pow = apply2(pow_fixed);
    math_radians = apply1(|x| x * (core::f64::consts::PI / 180.0));
    math_sin = apply1(libm::sin);
    math_sinh = apply1(libm::sinh);
    math_sqrt = apply1(libm::sqrt);
    math_tan = apply1(libm::tan);
    math_tanh = apply1(libm::tanh);
    math_trunc = apply_to_int(libm::trunc);
}

/// `log(x[, base])`.
fn math_log(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    if !kw.is_empty() {
        raise!(vm, TYPE_ERROR, "function doesn't take keyword arguments");
    }
    let (x, base) = match args {
        [x] => (*x, None),
        [x, b] => (*x, Some(*b)),
        [] => raise!(
            vm,
            TYPE_ERROR,
            "function missing 1 required positional arguments"
        ),
        _ => raise!(
            vm,
            TYPE_ERROR,
            "function expected at most 2 arguments, got {}",
            args.len()
        ),
    };
    let x = float_arg(vm, x)?;
    if x <= 0.0 {
        return Err(math_error(vm));
    }
    let l = libm::log(x);
    let Some(base) = base else {
        return vm.new_float(l);
    };
    let b = float_arg(vm, base)?;
    if b <= 0.0 {
        return Err(math_error(vm));
    }
    if b == 1.0 {
        raise!(vm, ZERO_DIVISION_ERROR, "divide by zero");
    }
    vm.new_float(l / libm::log(b))
}

/// `ldexp(x, exp)`.
fn math_ldexp(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    want_args(vm, args, kw, 2)?;
    let x = float_arg(vm, args[0])?;
    let e = vm.index_value(args[1])?;
    // Beyond +-4000 every finite result has already over- or underflowed.
    let e = e.clamp(-4000, 4000) as i32;
    vm.new_float(libm::ldexp(x, e))
}

/// `frexp(x)`: `(mantissa, exponent)`.
fn math_frexp(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    want_args(vm, args, kw, 1)?;
    let x = float_arg(vm, args[0])?;
    let (m, e) = libm::frexp(x);
    let m = vm.new_float(m)?;
    let e = vm.new_int(e as i64)?;
    vm.new_tuple(&[m, e])
}

/// `modf(x)`: `(fraction, integer part)`, both carrying the sign of `x`.
fn math_modf(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    want_args(vm, args, kw, 1)?;
    let x = float_arg(vm, args[0])?;
    let (frac, int) = libm::modf(x);
    let frac = vm.new_float(frac)?;
    let int = vm.new_float(int)?;
    vm.new_tuple(&[frac, int])
}

/// `isclose(a, b, *, rel_tol=1e-9, abs_tol=0)`.
fn math_isclose(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let [a, b] = args else {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes 2 positional arguments but {} were given",
            args.len()
        );
    };
    let (a, b) = (float_arg(vm, *a)?, float_arg(vm, *b)?);
    let mut rel_tol = 1e-9;
    let mut abs_tol = 0.0;
    for &(k, v) in kw {
        let name = alloc::string::String::from(vm.qstr_str(k));
        match name.as_str() {
            "rel_tol" => rel_tol = float_arg(vm, v)?,
            "abs_tol" => abs_tol = float_arg(vm, v)?,
            _ => raise!(vm, TYPE_ERROR, "unexpected keyword argument '{}'", name),
        }
    }
    if rel_tol < 0.0 || abs_tol < 0.0 {
        return Err(math_error(vm));
    }
    if a == b {
        return Ok(Obj::TRUE);
    }
    let diff = libm::fabs(a - b);
    if diff.is_infinite() {
        return Ok(Obj::FALSE);
    }
    let close =
        diff <= abs_tol || diff <= libm::fabs(rel_tol * a) || diff <= libm::fabs(rel_tol * b);
    Ok(Obj::bool(close))
}

/// The product `lo * (lo+1) * ... * hi` by binary splitting (depth `log2(hi - lo)`).
fn product(lo: u64, hi: u64) -> BigInt {
    if hi - lo < 8 {
        let mut p = BigInt::from_u64(lo);
        for k in lo + 1..=hi {
            p = p.mul(&BigInt::from_u64(k));
        }
        return p;
    }
    let mid = lo + (hi - lo) / 2;
    product(lo, mid).mul(&product(mid + 1, hi))
}

/// `factorial(n)`.
fn math_factorial(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    want_args(vm, args, kw, 1)?;
    let n = vm.index_value(args[0])?;
    if n < 0 {
        raise!(vm, VALUE_ERROR, "negative factorial");
    }
    if n <= 1 {
        return Ok(Obj::small_int_unchecked(1));
    }
    // 10**6! has about 18.5 million bits, beyond the largest int allowed.
    if n > 1_000_000 {
        return Err(vm.memory_error());
    }
    from_big(vm, product(1, n as u64))
}

crate::native_table!(pub FUNCTIONS = [
    ("acos", math_acos),
    ("acosh", math_acosh),
    ("asin", math_asin),
    ("asinh", math_asinh),
    ("atan", math_atan),
    ("atan2", math_atan2),
    ("atanh", math_atanh),
    ("ceil", math_ceil),
    ("copysign", math_copysign),
    ("cos", math_cos),
    ("cosh", math_cosh),
    ("degrees", math_degrees),
    ("erf", math_erf),
    ("erfc", math_erfc),
    ("exp", math_exp),
    ("expm1", math_expm1),
    ("fabs", math_fabs),
    ("factorial", math_factorial),
    ("floor", math_floor),
    ("fmod", math_fmod),
    ("frexp", math_frexp),
    ("gamma", math_gamma),
    ("isclose", math_isclose),
    ("isfinite", math_isfinite),
    ("isinf", math_isinf),
    ("isnan", math_isnan),
    ("ldexp", math_ldexp),
    ("lgamma", math_lgamma),
    ("log", math_log),
    ("log10", math_log10),
    ("log2", math_log2),
    ("modf", math_modf),
    ("pow", math_pow),
    ("radians", math_radians),
    ("sin", math_sin),
    ("sinh", math_sinh),
    ("sqrt", math_sqrt),
    ("tan", math_tan),
    ("tanh", math_tanh),
    ("trunc", math_trunc),
]);
