//! Applying a [`FormatSpec`] to a float, an integer or a string, as CPython's `__format__` does.
//!
//! A formatted number is laid out as CPython lays it out: padding, sign, `0x` prefix, padding
//! for `=`, the integer digits (grouped), the rest (`.` fraction, exponent, `%`), padding. With
//! the `0` fill and `=` alignment the zeros are part of the digits and get separators too
//! (`format(1234, '09,') == '0,001,234'`).

use crate::dtoa::{write_float_abs, FloatOptions, FloatStyle};
use crate::error::FormatError;
use crate::spec::{check_grouping, Align, FormatSpec, Sign};
use alloc::string::String;
use alloc::vec::Vec;

fn push_fill(out: &mut String, fill: char, n: usize) {
    for _ in 0..n {
        out.push(fill);
    }
}

/// Writes `s` padded to `spec.width` characters with `spec.fill`, aligned by
/// `spec.effective_align(default_align)` (`AfterSign` pads like `Right`).
pub fn pad(s: &str, spec: &FormatSpec, default_align: Align, out: &mut String) {
    let len = s.chars().count();
    let padding = spec.width.unwrap_or(0).saturating_sub(len);
    let (left, right) = match spec.effective_align(default_align) {
        Align::Left => (0, padding),
        Align::Center => (padding / 2, padding - padding / 2),
        Align::Right | Align::AfterSign => (padding, 0),
    };
    push_fill(out, spec.fill, left);
    out.push_str(s);
    push_fill(out, spec.fill, right);
}

/// The parts of a formatted number, before padding.
struct Number<'a> {
    sign: Option<char>,
    prefix: &'a str,
    /// The leading ASCII digits, which grouping applies to.
    digits: &'a str,
    /// Everything after the leading digits.
    rest: &'a str,
    /// Group size for `spec.grouping`.
    group: usize,
}

/// Groups `digits` from the right in groups of `group` with `separator`, left-padding with
/// zeros until the result is at least `min_width` characters (CPython's
/// `_PyUnicode_InsertThousandsGrouping`: a group of zeros never starts with a separator).
fn group_digits(digits: &str, separator: char, group: usize, min_width: usize) -> String {
    let bytes = digits.as_bytes();
    let mut reversed: Vec<u8> = Vec::with_capacity(bytes.len() + bytes.len() / group.max(1) + 1);
    let mut remaining = bytes.len();
    let mut min_width = min_width as isize;
    let group = group.max(1);
    let mut first = true;
    loop {
        let wanted = remaining
            .max(usize::try_from(min_width).unwrap_or(0))
            .max(1);
        let len = group.min(wanted);
        let chars = remaining.min(len);
        let zeros = len - chars;
        if !first {
            reversed.push(separator as u8);
        }
        first = false;
        for i in 0..chars {
            reversed.push(bytes.get(remaining - 1 - i).copied().unwrap_or(b'0'));
        }
        reversed.extend(core::iter::repeat_n(b'0', zeros));
        remaining -= chars;
        min_width -= len as isize;
        if remaining == 0 && min_width <= 0 {
            break;
        }
        min_width -= 1;
    }
    reversed.reverse();
    reversed.into_iter().map(char::from).collect()
}

/// Pads and writes a number (CPython's `calc_number_widths` and `fill_number`).
fn write_number(n: &Number, spec: &FormatSpec, out: &mut String) {
    let align = spec.effective_align(Align::Right);
    let width = spec.width.unwrap_or(0);
    let sign_len = usize::from(n.sign.is_some());
    let fixed_len = sign_len + n.prefix.chars().count() + n.rest.chars().count();
    let zero_grouped = spec.fill == '0' && align == Align::AfterSign;
    let grouped;
    let digits: &str = match spec.grouping {
        Some(sep) if !n.digits.is_empty() => {
            let min_width = if zero_grouped {
                width.saturating_sub(fixed_len)
            } else {
                0
            };
            // A separator must be ASCII for the byte-wise grouping; ',' and '_' are.
            grouped = group_digits(
                n.digits,
                if sep.is_ascii() { sep } else { ',' },
                n.group,
                min_width,
            );
            &grouped
        }
        _ => n.digits,
    };
    let padding = width.saturating_sub(fixed_len + digits.len());
    let (left, middle, right) = match align {
        Align::Left => (0, 0, padding),
        Align::Right => (padding, 0, 0),
        Align::Center => (padding / 2, 0, padding - padding / 2),
        Align::AfterSign => (0, padding, 0),
    };
    push_fill(out, spec.fill, left);
    if let Some(s) = n.sign {
        out.push(s);
    }
    out.push_str(n.prefix);
    push_fill(out, spec.fill, middle);
    out.push_str(digits);
    out.push_str(n.rest);
    push_fill(out, spec.fill, right);
}

fn sign_char(negative: bool, sign: Sign) -> Option<char> {
    match (negative, sign) {
        (true, _) => Some('-'),
        (false, Sign::Plus) => Some('+'),
        (false, Sign::Space) => Some(' '),
        (false, Sign::Minus) => None,
    }
}

/// Splits `body` into its leading ASCII digits and the rest.
fn split_digits(body: &str) -> (&str, &str) {
    let n = body.bytes().take_while(u8::is_ascii_digit).count();
    body.split_at(n)
}

/// Whether a formatted float body shows zero (only `0` and `.` before any exponent or `%`).
fn is_zero_text(body: &str) -> bool {
    body.bytes()
        .take_while(|&b| b.is_ascii_digit() || b == b'.')
        .all(|b| b == b'0' || b == b'.')
}

/// `format(x, spec)` for a float: types `e E f F g G n %` and none.
///
/// Errors name the type `float`; use [`FormatError::for_type`] for another name.
pub fn format_float(x: f64, spec: &FormatSpec, out: &mut String) -> Result<(), FormatError> {
    let unknown = |code| FormatError::UnknownCode {
        code,
        type_name: String::from("float"),
    };
    let precision = match spec.precision {
        Some(p) if p > i32::MAX as usize => return Err(FormatError::PrecisionTooBig),
        p => p,
    };
    let (style, default_precision, add_dot_0, upper, percent) = match spec.ty {
        None if precision.is_none() => (FloatStyle::Repr, 0, true, false, false),
        None => (FloatStyle::General, 0, true, false, false),
        Some('e') => (FloatStyle::Exp, 6, false, false, false),
        Some('E') => (FloatStyle::Exp, 6, false, true, false),
        Some('f') => (FloatStyle::Fixed, 6, false, false, false),
        Some('F') => (FloatStyle::Fixed, 6, false, true, false),
        Some('g' | 'n') => (FloatStyle::General, 6, false, false, false),
        Some('G') => (FloatStyle::General, 6, false, true, false),
        Some('%') => (FloatStyle::Fixed, 6, false, false, true),
        Some(c) => return Err(unknown(c)),
    };
    let value = if percent { x * 100.0 } else { x };
    let opts = FloatOptions {
        style,
        precision: precision.unwrap_or(default_precision),
        add_dot_0,
        alternate: spec.alternate,
        upper,
    };
    let mut body = String::new();
    write_float_abs(value, &opts, &mut body);
    if percent {
        body.push('%');
    }
    let (digits, rest) = split_digits(&body);
    let mut negative = value.is_sign_negative() && !value.is_nan();
    if spec.no_neg_zero && is_zero_text(&body) {
        negative = false;
    }
    let number = Number {
        sign: sign_char(negative, spec.sign),
        prefix: "",
        digits,
        rest,
        group: 3,
    };
    write_number(&number, spec, out);
    Ok(())
}

/// `format(n, spec)` for an int whose magnitude's digits (in the radix of
/// [`FormatSpec::int_radix`]) are `magnitude_digits`: types `b o x X d n` and none.
///
/// Applies the sign, the `#` prefixes `0b 0o 0x 0X`, grouping (`_` every 4 digits in
/// `b o x X`), fill, alignment and zero padding. Errors name the type `int`; use
/// [`FormatError::for_type`] for another name (`bool`).
pub fn format_int(
    negative: bool,
    magnitude_digits: &str,
    spec: &FormatSpec,
    out: &mut String,
) -> Result<(), FormatError> {
    let Some((radix, upper)) = spec.int_radix() else {
        return Err(FormatError::UnknownCode {
            code: spec.ty.unwrap_or('d'),
            type_name: String::from("int"),
        });
    };
    if spec.precision.is_some() {
        return Err(FormatError::PrecisionInInt);
    }
    if spec.no_neg_zero {
        return Err(FormatError::NegZeroInInt);
    }
    let prefix = match (spec.alternate, radix, upper) {
        (false, _, _) | (true, 10, _) => "",
        (true, 2, _) => "0b",
        (true, 8, _) => "0o",
        (true, _, false) => "0x",
        (true, _, true) => "0X",
    };
    let upper_digits;
    let digits = if upper {
        upper_digits = magnitude_digits.to_ascii_uppercase();
        upper_digits.as_str()
    } else {
        magnitude_digits
    };
    let number = Number {
        sign: sign_char(negative, spec.sign),
        prefix,
        digits,
        rest: "",
        group: if radix == 10 { 3 } else { 4 },
    };
    write_number(&number, spec, out);
    Ok(())
}

/// Checks a spec for the integer type `c` (the caller converts the code point and writes it
/// with [`pad`], default alignment `Right`).
pub fn check_char_spec(spec: &FormatSpec) -> Result<(), FormatError> {
    if spec.precision.is_some() {
        return Err(FormatError::PrecisionInInt);
    }
    if spec.no_neg_zero {
        return Err(FormatError::NegZeroInInt);
    }
    if spec.explicit_sign {
        return Err(FormatError::SignWithChar);
    }
    if spec.alternate {
        return Err(FormatError::AlternateWithChar);
    }
    if let Some(separator) = spec.grouping {
        check_grouping(separator, Some('c'))?;
    }
    Ok(())
}

/// `format(s, spec)` for a string: type `s` or none; the precision truncates to that many
/// chars; left-aligned by default. Errors name the type `str`.
pub fn format_str(s: &str, spec: &FormatSpec, out: &mut String) -> Result<(), FormatError> {
    if let Some(separator) = spec.grouping {
        check_grouping(separator, Some(spec.ty.unwrap_or('s')))?;
    }
    if let Some(code) = spec.ty.filter(|&c| c != 's') {
        return Err(FormatError::UnknownCode {
            code,
            type_name: String::from("str"),
        });
    }
    if spec.explicit_sign {
        return Err(FormatError::SignInString {
            space: spec.sign == Sign::Space,
        });
    }
    if spec.no_neg_zero {
        return Err(FormatError::NegZeroInString);
    }
    if spec.alternate {
        return Err(FormatError::AlternateInString);
    }
    if spec.align == Some(Align::AfterSign) {
        return Err(FormatError::EqualsAlignInString);
    }
    let text = match spec.precision {
        Some(p) => match s.char_indices().nth(p) {
            Some((end, _)) => &s[..end],
            None => s,
        },
        None => s,
    };
    pad(text, spec, Align::Left, out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::parse_spec;

    fn ff(x: f64, spec: &str) -> String {
        let mut s = String::new();
        format_float(x, &parse_spec(spec).unwrap(), &mut s).unwrap();
        s
    }

    #[test]
    fn groups_with_zero_padding() {
        assert_eq!(group_digits("1234", ',', 3, 0), "1,234");
        assert_eq!(group_digits("1234", ',', 3, 8), "0,001,234");
        assert_eq!(group_digits("1234", ',', 3, 9), "0,001,234");
        assert_eq!(group_digits("1", '_', 4, 0), "1");
        assert_eq!(ff(12345.678, "015,.2f"), "0,000,012,345.68");
        assert_eq!(ff(f64::INFINITY, "010"), "0000000inf");
    }

    #[test]
    fn strings() {
        let mut s = String::new();
        format_str("héllo", &parse_spec("*^9.3").unwrap(), &mut s).unwrap();
        assert_eq!(s, "***hél***");
        let e = format_str("x", &parse_spec("=5").unwrap(), &mut String::new());
        assert_eq!(e, Err(FormatError::EqualsAlignInString));
    }
}
