//! `repr()` of floats and complex numbers: the shortest digits that read back as the same
//! value, laid out as CPython lays them out.

use crate::dtoa::{write_float_abs, FloatOptions, FloatStyle};
use alloc::string::String;

const REPR: FloatOptions = FloatOptions {
    style: FloatStyle::Repr,
    precision: 0,
    add_dot_0: true,
    alternate: false,
    upper: false,
};

/// Writes `repr(x)`: `1.0`, `0.1`, `1e+16`, `1e-05`, `123456789.0`, `1.2345678901234567e+19`,
/// `inf`, `-inf`, `nan`, `-0.0`. Fixed notation iff `1e-4 <= |x| < 1e16` (after rounding to
/// the shortest digits); NaN never shows a sign.
pub fn float_repr(x: f64, out: &mut String) {
    if x.is_sign_negative() && !x.is_nan() {
        out.push('-');
    }
    write_float_abs(x, &REPR, out);
}

/// Writes one part of a complex repr: repr digits without `.0`, `+` before a non-negative
/// part when `always_sign`.
fn complex_part(x: f64, always_sign: bool, out: &mut String) {
    if x.is_sign_negative() && !x.is_nan() {
        out.push('-');
    } else if always_sign {
        out.push('+');
    }
    let opts = FloatOptions {
        add_dot_0: false,
        ..REPR
    };
    write_float_abs(x, &opts, out);
}

/// Writes `repr(complex(re, im))` as CPython does: `1j`, `-0j`, `(1+2j)`, `(-0-1j)`,
/// `(nan+infj)`, `(1e+16+1e-05j)`. The parentheses and the real part are left out only when
/// the real part is `+0.0`.
pub fn complex_repr(re: f64, im: f64, out: &mut String) {
    if re == 0.0 && re.is_sign_positive() {
        complex_part(im, false, out);
        out.push('j');
    } else {
        out.push('(');
        complex_part(re, false, out);
        complex_part(im, true, out);
        out.push_str("j)");
    }
}
