//! Text to number, with the rules of `float(str)`, `complex(str)` and `int(str, base)`.
//!
//! The accepted syntax is checked here, character by character, so that exactly CPython's
//! strings are accepted (underscores only between digits, whitespace only around the number);
//! the decimal-to-binary conversion itself is [`crate::exact::parse_decimal`].

use alloc::string::String;

/// The whitespace `float()`, `complex()` and `int()` strip: ASCII ` \t\n\v\f\r` and
/// non-ASCII Unicode whitespace (not the separators `\x1c`-`\x1f`).
fn is_py_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
    } else {
        c.is_whitespace()
    }
}

fn trim_py(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Reads digits with single underscores between them from `s[*pos..]` into `out`; returns how
/// many digits were read. A `_` not between two digits ends the scan.
fn scan_digits(s: &[u8], pos: &mut usize, out: &mut String) -> usize {
    let mut count = 0;
    while let Some(&b) = s.get(*pos) {
        if b.is_ascii_digit() {
            out.push(char::from(b));
            count += 1;
            *pos += 1;
        } else if b == b'_' && count > 0 && s.get(*pos + 1).is_some_and(u8::is_ascii_digit) {
            *pos += 1;
        } else {
            break;
        }
    }
    count
}

/// Reads the longest float literal at the start of `s` (sign, digits, point, exponent, or
/// `inf`/`infinity`/`nan`); returns the value and the bytes consumed, `None` if there is none.
fn scan_float(s: &[u8]) -> Option<(f64, usize)> {
    let mut pos = 0;
    let mut clean = String::new();
    if let Some(&c @ (b'+' | b'-')) = s.first() {
        clean.push(char::from(c));
        pos = 1;
    }
    let rest = s.get(pos..).unwrap_or(&[]);
    for word in ["infinity", "inf", "nan"] {
        if rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word.as_bytes()) {
            let magnitude = if word == "nan" {
                f64::NAN
            } else {
                f64::INFINITY
            };
            let value = if clean == "-" { -magnitude } else { magnitude };
            return Some((value, pos + word.len()));
        }
    }
    let int_digits = scan_digits(s, &mut pos, &mut clean);
    let mut frac_digits = 0;
    if s.get(pos) == Some(&b'.') {
        let mut after = pos + 1;
        let mut frac = String::from(".");
        // An underscore may not follow the point.
        if s.get(after) != Some(&b'_') {
            frac_digits = scan_digits(s, &mut after, &mut frac);
        }
        if int_digits > 0 || frac_digits > 0 {
            clean.push_str(&frac);
            pos = after;
        }
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = s.get(pos) {
        let mut after = pos + 1;
        let mut exp = String::from("e");
        if let Some(&c @ (b'+' | b'-')) = s.get(after) {
            exp.push(char::from(c));
            after += 1;
        }
        if s.get(after) != Some(&b'_') && scan_digits(s, &mut after, &mut exp) > 0 {
            clean.push_str(&exp);
            pos = after;
        }
    }
    let value = crate::exact::parse_decimal(&clean)?;
    Some((value, pos))
}

/// `float(s)`: the value, or `None` for a `ValueError` (`could not convert string to float`).
///
/// Accepts surrounding whitespace, a sign, digits with single `_` between digits, a point, an
/// exponent, and `inf`, `infinity`, `nan` in any case.
pub fn parse_float(s: &str) -> Option<f64> {
    let t = trim_py(s).as_bytes();
    match scan_float(t) {
        Some((value, used)) if used == t.len() => Some(value),
        _ => None,
    }
}

/// `complex(s)`: `(real, imag)`, or `None` for a `ValueError` (`complex() arg is a malformed
/// string`).
///
/// Accepts `1`, `2j`, `1+2j`, `-1.5e3-j`, `j`, `infj`, optionally in parentheses, with
/// whitespace around the number and inside the parentheses but not between its parts.
pub fn parse_complex(s: &str) -> Option<(f64, f64)> {
    let mut t = trim_py(s);
    if let Some(inner) = t.strip_prefix('(') {
        t = trim_py(inner.strip_suffix(')')?);
    }
    let b = t.as_bytes();
    let is_j = |c: Option<&u8>| matches!(c, Some(b'j' | b'J'));
    let (re, im, used) = match scan_float(b) {
        Some((x, n)) => match b.get(n) {
            Some(&sign @ (b'+' | b'-')) => {
                // `x` is the real part; the imaginary part follows, its digits optional.
                let (y, m) = match scan_float(b.get(n..).unwrap_or(&[])) {
                    Some(found) => found,
                    None => (if sign == b'-' { -1.0 } else { 1.0 }, 1),
                };
                if !is_j(b.get(n + m)) {
                    return None;
                }
                (x, y, n + m + 1)
            }
            Some(b'j' | b'J') => (0.0, x, n + 1),
            _ => (x, 0.0, n),
        },
        None => {
            // Only `j`, `+j`, `-j` remain possible.
            let (y, n) = match b.first() {
                Some(b'-') => (-1.0, 1),
                Some(b'+') => (1.0, 1),
                _ => (1.0, 0),
            };
            if !is_j(b.get(n)) {
                return None;
            }
            (0.0, y, n + 1)
        }
    };
    (used == b.len()).then_some((re, im))
}

/// Why `int(s, base)` fails; both are `ValueError`s.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum IntParseError {
    /// `base` is not 0 or 2..=36: `int() base must be >= 2 and <= 36, or 0`.
    InvalidBase,
    /// The text is no integer in that base: the caller says `invalid literal for int() with
    /// base N: 'text'` (with the repr of the argument).
    InvalidLiteral,
}

impl core::fmt::Display for IntParseError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            IntParseError::InvalidBase => "int() base must be >= 2 and <= 36, or 0",
            IntParseError::InvalidLiteral => "invalid literal for int()",
        })
    }
}

/// `int(s, base)`'s syntax: `(negative, radix, digits)` with the digits cleaned of underscores
/// and prefix, for the caller to build the value. Errors are `ValueError`s (see
/// [`IntParseError`]).
///
/// Base 0 takes the radix from a `0b`/`0o`/`0x` prefix (any case), else 10, where a leading
/// zero is allowed only if every digit is zero (`'010'` is invalid). Bases 2, 8, 16 allow their
/// own prefix. One `_` may follow a prefix or sit between two digits.
pub fn parse_int_prefix(s: &str, base: u32) -> Result<(bool, u32, String), IntParseError> {
    if base == 1 || base > 36 {
        return Err(IntParseError::InvalidBase);
    }
    let t = trim_py(s).as_bytes();
    let (negative, mut pos) = match t.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let mut radix = base;
    let prefix_radix = match (t.get(pos), t.get(pos + 1).map(u8::to_ascii_lowercase)) {
        (Some(b'0'), Some(b'b')) => 2,
        (Some(b'0'), Some(b'o')) => 8,
        (Some(b'0'), Some(b'x')) => 16,
        _ => 0,
    };
    let mut after_prefix = false;
    if prefix_radix != 0 && (base == 0 || base == prefix_radix) {
        radix = prefix_radix;
        pos += 2;
        after_prefix = true;
    } else if base == 0 {
        radix = 10;
    }
    let mut digits = String::new();
    let mut previous_was_digit = after_prefix;
    for &c in t.get(pos..).unwrap_or(&[]) {
        if c == b'_' {
            if !previous_was_digit {
                return Err(IntParseError::InvalidLiteral);
            }
            previous_was_digit = false;
            continue;
        }
        let ok = char::from(c).is_digit(radix);
        if !ok {
            return Err(IntParseError::InvalidLiteral);
        }
        digits.push(char::from(c));
        previous_was_digit = true;
    }
    if digits.is_empty() || !previous_was_digit {
        return Err(IntParseError::InvalidLiteral);
    }
    if base == 0 && !after_prefix && digits.starts_with('0') && digits.bytes().any(|d| d != b'0') {
        return Err(IntParseError::InvalidLiteral);
    }
    Ok((negative, radix, digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        let ok = |s, b| parse_int_prefix(s, b).unwrap();
        assert_eq!(ok(" -0x_1f ", 0), (true, 16, "1f".into()));
        assert_eq!(ok("0X1F", 16), (false, 16, "1F".into()));
        assert_eq!(ok("1_000", 10), (false, 10, "1000".into()));
        assert_eq!(ok("00", 0), (false, 10, "00".into()));
        assert_eq!(ok("0_0", 0), (false, 10, "00".into()));
        assert_eq!(ok("0b1", 16), (false, 16, "0b1".into()));
        for bad in ["010", "0x", "1__0", "_1", "1_", "0x1g", "", "-", "0_1"] {
            assert!(parse_int_prefix(bad, 0).is_err(), "{bad}");
        }
        assert!(parse_int_prefix("0o7", 16).is_err());
    }

    #[test]
    fn complexes() {
        assert_eq!(parse_complex("1+2j"), Some((1.0, 2.0)));
        assert_eq!(parse_complex(" ( -j ) "), Some((0.0, -1.0)));
        assert_eq!(parse_complex("j"), Some((0.0, 1.0)));
        assert_eq!(parse_complex("1.5e3-j"), Some((1500.0, -1.0)));
        assert_eq!(parse_complex("-2"), Some((-2.0, 0.0)));
        assert_eq!(parse_complex("1 + 2j"), None);
        assert_eq!(parse_complex("1+2"), None);
        assert_eq!(parse_complex("()"), None);
        assert_eq!(parse_complex("1j+2"), None);
        let (re, im) = parse_complex("nan+infj").unwrap();
        assert!(re.is_nan() && im == f64::INFINITY);
    }
}
