//! Decimal digits of an `f64` and their layout as text.
//!
//! Every float-to-text conversion (`repr`, `format()`, `%`) is two steps: find the decimal digits
//! (shortest round-trip, or correctly rounded to N significant or fractional digits), then lay
//! them out in fixed or exponent notation. The digits come from [`crate::exact`], which rounds
//! the exact binary value half to even, as CPython's `dtoa` does. The layout follows CPython's
//! `format_float_short`, so the two interpreters print the same bytes.

use alloc::string::String;

use crate::exact::{self, Digits};

/// How a float is turned into text: the CPython presentation type after normalisation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FloatStyle {
    /// `repr`: the shortest round-trip digits; fixed notation iff `1e-4 <= |x| < 1e16`.
    Repr,
    /// `e`: exponent notation with `precision` digits after the point.
    Exp,
    /// `f`: fixed notation with `precision` digits after the point.
    Fixed,
    /// `g`: `precision` significant digits, trailing zeros removed unless alternate form.
    General,
}

/// Options of one float-to-text conversion (CPython's `Py_DTSF_*` flags).
#[derive(Clone, Copy, Debug)]
pub struct FloatOptions {
    /// Which layout rule applies.
    pub style: FloatStyle,
    /// Digits after the point (`Exp`, `Fixed`) or significant digits (`General`); unused by `Repr`.
    pub precision: usize,
    /// Append `.0` to an integral value in fixed notation (repr, and `format` without a type).
    pub add_dot_0: bool,
    /// The `#` alternate form: always keep the decimal point, and keep trailing zeros in `g`.
    pub alternate: bool,
    /// Upper-case `E`, `INF`, `NAN`.
    pub upper: bool,
}

impl FloatOptions {
    /// MicroPython formats into a 33-byte buffer (one byte less with a sign) and turns `f`
    /// into `g` with one more digit when the integer digits and `precision` decimals would not
    /// fit (`'%.2f' % 8.888e32 == '8.89e+32'`). Applies that rule for `x`; `%` formatting
    /// uses it, `format()` keeps CPython's layout.
    pub fn fit_buffer(self, x: f64, signed: bool) -> FloatOptions {
        if self.style != FloatStyle::Fixed || !x.is_finite() || libm::fabs(x) < 10.0 {
            return self;
        }
        // The exponent of the shortest digits: MicroPython compares with powers of ten
        // rounded to doubles, so `1e29` (just below 10**29) counts as 29 digits.
        let exp = usize::try_from(exact::shortest(x).decpt - 1).unwrap_or(0);
        let room = if signed { 32 } else { 33 };
        if exp.saturating_add(self.precision).saturating_add(2) <= room {
            return self;
        }
        FloatOptions {
            style: FloatStyle::General,
            precision: self.precision.saturating_add(1),
            ..self
        }
    }
}

impl Digits {
    fn bytes(&self) -> &[u8] {
        self.digits.as_bytes()
    }

    /// Drops trailing zeros, keeping at least one digit (what `dtoa` mode 2 returns).
    fn strip_trailing_zeros(&mut self) {
        while self.digits.len() > 1 && self.digits.ends_with('0') {
            self.digits.pop();
        }
    }
}

/// Appends `n` in decimal.
fn push_decimal(out: &mut String, n: u64) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

fn push_repeat(out: &mut String, c: char, n: i64) {
    for _ in 0..n.max(0) {
        out.push(c);
    }
}

/// Writes `|x|` (no sign, even for negative values) as text under `opts`.
///
/// NaN and infinities become `nan`/`inf` (`NAN`/`INF` when upper-case).
pub fn write_float_abs(x: f64, opts: &FloatOptions, out: &mut String) {
    if x.is_nan() {
        out.push_str(if opts.upper { "NAN" } else { "nan" });
        return;
    }
    if x.is_infinite() {
        out.push_str(if opts.upper { "INF" } else { "inf" });
        return;
    }
    let ax = libm::fabs(x);
    if opts.style == FloatStyle::Fixed {
        exact::write_fixed(ax, opts.precision, out);
        if opts.alternate && opts.precision == 0 {
            out.push('.');
        }
        return;
    }
    let precision = i64::try_from(opts.precision).unwrap_or(i64::MAX);
    let (digits, use_exp, type_end) = match opts.style {
        FloatStyle::Repr => {
            let d = exact::shortest(ax);
            let use_exp = d.decpt <= -4 || d.decpt > 16;
            (d, use_exp, 0)
        }
        FloatStyle::Exp => {
            let d = exact::significant(ax, opts.precision.saturating_add(1));
            (d, true, precision.saturating_add(1))
        }
        _ => {
            let p = precision.max(1);
            let mut d = exact::significant(ax, usize::try_from(p).unwrap_or(usize::MAX));
            d.strip_trailing_zeros();
            let limit = if opts.add_dot_0 { p - 1 } else { p };
            let use_exp = d.decpt <= -4 || d.decpt > limit;
            (d, use_exp, if opts.alternate { p } else { 0 })
        }
    };
    layout(&digits, use_exp, type_end, opts, out);
}

/// CPython's `format_float_short` layout of `digits` (see the module doc).
fn layout(digits: &Digits, use_exp: bool, type_end: i64, opts: &FloatOptions, out: &mut String) {
    let d = digits.bytes();
    let n = d.len() as i64;
    let mut decpt = digits.decpt;
    let mut exp = 0;
    if use_exp {
        exp = decpt - 1;
        decpt = 1;
    }
    // The printed digit window is [vstart, vend) relative to the first digit; the point lies
    // in (vstart, vend], or strictly inside when `.0` must be added.
    let vstart = if decpt <= 0 { decpt - 1 } else { 0 };
    let mut vend = n.max(type_end);
    if !use_exp && opts.add_dot_0 {
        vend = vend.max(decpt + 1);
    } else {
        vend = vend.max(decpt);
    }
    let start_len = out.len();
    if decpt <= 0 {
        push_repeat(out, '0', decpt - vstart);
        out.push('.');
        push_repeat(out, '0', -decpt);
    } else {
        push_repeat(out, '0', -vstart);
    }
    let push_digits = |out: &mut String, ds: &[u8]| {
        for &b in ds {
            out.push(char::from(b));
        }
    };
    if 0 < decpt && decpt <= n {
        let split = usize::try_from(decpt).unwrap_or(0);
        push_digits(out, d.get(..split).unwrap_or(&[]));
        out.push('.');
        push_digits(out, d.get(split..).unwrap_or(&[]));
    } else {
        push_digits(out, d);
    }
    if n < decpt {
        push_repeat(out, '0', decpt - n);
        out.push('.');
        push_repeat(out, '0', vend - decpt);
    } else {
        push_repeat(out, '0', vend - n);
    }
    if out.len() > start_len && out.ends_with('.') && !opts.alternate {
        out.pop();
    }
    if use_exp {
        out.push(if opts.upper { 'E' } else { 'e' });
        out.push(if exp < 0 { '-' } else { '+' });
        // At least two digits.
        let exp = exp.unsigned_abs();
        if exp < 10 {
            out.push('0');
        }
        push_decimal(out, exp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(
        x: f64,
        style: FloatStyle,
        precision: usize,
        add_dot_0: bool,
        alternate: bool,
    ) -> String {
        let mut s = String::new();
        let opts = FloatOptions {
            style,
            precision,
            add_dot_0,
            alternate,
            upper: false,
        };
        write_float_abs(x, &opts, &mut s);
        s
    }

    #[test]
    fn layouts() {
        assert_eq!(show(1.0, FloatStyle::Repr, 0, true, false), "1.0");
        assert_eq!(show(1e16, FloatStyle::Repr, 0, true, false), "1e+16");
        assert_eq!(show(1e-5, FloatStyle::Repr, 0, true, false), "1e-05");
        assert_eq!(show(0.0001, FloatStyle::Repr, 0, true, false), "0.0001");
        assert_eq!(show(0.0, FloatStyle::Repr, 0, true, false), "0.0");
        assert_eq!(show(1.0, FloatStyle::Repr, 0, false, false), "1");
        assert_eq!(show(1.5, FloatStyle::Exp, 0, false, true), "2.e+00");
        assert_eq!(
            show(12345.678, FloatStyle::General, 6, false, true),
            "12345.7"
        );
        assert_eq!(show(1e20, FloatStyle::General, 3, true, true), "1.00e+20");
        assert_eq!(show(0.0, FloatStyle::General, 1, true, false), "0e+00");
    }
}
