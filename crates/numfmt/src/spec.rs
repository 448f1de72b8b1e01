//! The format-spec mini-language of `format()`, `str.format` and f-strings.
//!
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`, parsed as CPython 3 parses it,
//! without knowing the type of the object being formatted: the checks that depend on the type
//! (unknown codes, sign on a string, ...) happen in [`crate::format`].

use crate::error::FormatError;
use alloc::string::String;

/// Where padding goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Align {
    /// `<`: padding after the text.
    Left,
    /// `>`: padding before the text.
    Right,
    /// `^`: padding split, the extra character after the text.
    Center,
    /// `=`: padding between the sign (and `0x` prefix) and the digits; numbers only.
    AfterSign,
}

/// Which signs are shown.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sign {
    /// `-` (the default): a sign for negative numbers only.
    Minus,
    /// `+`: a sign for every number.
    Plus,
    /// ` `: a space before non-negative numbers.
    Space,
}

/// A parsed format spec. `fill` is already resolved: the explicit fill character, else `'0'`
/// when the `0` flag was given, else `' '`. `align` is the explicit alignment only; the default
/// depends on the object (see [`FormatSpec::effective_align`]).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FormatSpec {
    /// The padding character.
    pub fill: char,
    /// The explicit alignment, if any.
    pub align: Option<Align>,
    /// The sign option (`Minus` when none was given).
    pub sign: Sign,
    /// A sign option was written (even `-`): strings and `c` reject any.
    pub explicit_sign: bool,
    /// `z`: a float that rounds to zero is written without its `-`.
    pub no_neg_zero: bool,
    /// `#`: alternate form.
    pub alternate: bool,
    /// The `0` flag was given (without an explicit fill): zero padding after the sign.
    pub zero: bool,
    /// The minimum width in characters.
    pub width: Option<usize>,
    /// `,` or `_`.
    pub grouping: Option<char>,
    /// The precision.
    pub precision: Option<usize>,
    /// The presentation type.
    pub ty: Option<char>,
}

impl Default for FormatSpec {
    /// The empty spec `''`.
    fn default() -> FormatSpec {
        FormatSpec {
            fill: ' ',
            align: None,
            sign: Sign::Minus,
            explicit_sign: false,
            no_neg_zero: false,
            alternate: false,
            zero: false,
            width: None,
            grouping: None,
            precision: None,
            ty: None,
        }
    }
}

impl FormatSpec {
    /// The radix and case of an integer presentation type: `b o x X d n` and none. `c` and the
    /// float types give `None` (the caller handles `c`, and converts the int to a float for
    /// `e E f F g G %`).
    pub fn int_radix(&self) -> Option<(u32, bool)> {
        match self.ty {
            None | Some('d') | Some('n') => Some((10, false)),
            Some('b') => Some((2, false)),
            Some('o') => Some((8, false)),
            Some('x') => Some((16, false)),
            Some('X') => Some((16, true)),
            _ => None,
        }
    }

    /// The alignment in force: the explicit one, else `=` for a number with the `0` flag, else
    /// `default` (`Right` for numbers, `Left` for strings).
    pub fn effective_align(&self, default: Align) -> Align {
        match self.align {
            Some(a) => a,
            None if self.zero && default == Align::Right => Align::AfterSign,
            None => default,
        }
    }
}

fn alignment(c: char) -> Option<Align> {
    match c {
        '<' => Some(Align::Left),
        '>' => Some(Align::Right),
        '^' => Some(Align::Center),
        '=' => Some(Align::AfterSign),
        _ => None,
    }
}

/// Reads a decimal number at `chars[*pos..]`; `Ok(None)` when there is no digit.
fn read_count(chars: &[char], pos: &mut usize) -> Result<Option<usize>, FormatError> {
    let mut value: Option<usize> = None;
    while let Some(d) = chars.get(*pos).and_then(|c| c.to_digit(10)) {
        let v = value
            .unwrap_or(0)
            .checked_mul(10)
            .and_then(|v| v.checked_add(d as usize))
            .filter(|&v| v <= isize::MAX as usize)
            .ok_or(FormatError::TooManyDigits)?;
        value = Some(v);
        *pos += 1;
    }
    Ok(value)
}

/// Parses a format spec (the text after `:` in a replacement field).
///
/// Checks what CPython checks before knowing the object's type: the syntax, `,`/`_` together,
/// and a separator with a type that forbids it (`Cannot specify ',' with 'x'.`).
pub fn parse_spec(spec: &str) -> Result<FormatSpec, FormatError> {
    let chars: alloc::vec::Vec<char> = spec.chars().collect();
    let mut out = FormatSpec::default();
    let mut pos = 0;
    let mut fill_given = false;
    if let Some(a) = chars.get(1).and_then(|&c| alignment(c)) {
        out.fill = chars[0];
        out.align = Some(a);
        fill_given = true;
        pos = 2;
    } else if let Some(a) = chars.first().and_then(|&c| alignment(c)) {
        out.align = Some(a);
        pos = 1;
    }
    if let Some(&c) = chars.get(pos) {
        let sign = match c {
            '-' => Some(Sign::Minus),
            '+' => Some(Sign::Plus),
            ' ' => Some(Sign::Space),
            _ => None,
        };
        if let Some(sign) = sign {
            out.sign = sign;
            out.explicit_sign = true;
            pos += 1;
        }
    }
    if chars.get(pos) == Some(&'z') {
        out.no_neg_zero = true;
        pos += 1;
    }
    if chars.get(pos) == Some(&'#') {
        out.alternate = true;
        pos += 1;
    }
    if !fill_given && chars.get(pos) == Some(&'0') {
        out.fill = '0';
        out.zero = true;
        pos += 1;
    }
    out.width = read_count(&chars, &mut pos)?;
    if chars.get(pos) == Some(&',') {
        out.grouping = Some(',');
        pos += 1;
    }
    if chars.get(pos) == Some(&'_') {
        if out.grouping.is_some() {
            return Err(FormatError::BothSeparators);
        }
        out.grouping = Some('_');
        pos += 1;
    }
    if chars.get(pos) == Some(&',') && out.grouping == Some('_') {
        return Err(FormatError::BothSeparators);
    }
    if chars.get(pos) == Some(&'.') {
        pos += 1;
        out.precision = Some(read_count(&chars, &mut pos)?.ok_or(FormatError::MissingPrecision)?);
    }
    match chars.len().saturating_sub(pos) {
        0 => {}
        1 => out.ty = chars.get(pos).copied(),
        _ => {
            return Err(FormatError::InvalidSpec {
                spec: String::from(spec),
                type_name: String::new(),
            })
        }
    }
    if let Some(separator) = out.grouping {
        check_grouping(separator, out.ty)?;
    }
    Ok(out)
}

/// `,` and `_` go with the decimal and float types; `_` also with `b o x X` (every 4 digits).
pub(crate) fn check_grouping(separator: char, ty: Option<char>) -> Result<(), FormatError> {
    match ty {
        None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => Ok(()),
        Some('b' | 'o' | 'x' | 'X') if separator == '_' => Ok(()),
        Some(ty) => Err(FormatError::SeparatorWithType { separator, ty }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_field() {
        let s = parse_spec("*^+#012,.3f").unwrap();
        assert_eq!(s.fill, '*');
        assert_eq!(s.align, Some(Align::Center));
        assert_eq!(s.sign, Sign::Plus);
        assert!(s.alternate);
        assert!(!s.zero, "an explicit fill makes the 0 part of the width");
        assert_eq!(s.width, Some(12));
        assert_eq!(s.grouping, Some(','));
        assert_eq!(s.precision, Some(3));
        assert_eq!(s.ty, Some('f'));
        let z = parse_spec("010").unwrap();
        assert!(z.zero);
        assert_eq!((z.fill, z.width), ('0', Some(10)));
        assert_eq!(parse_spec("").unwrap(), FormatSpec::default());
    }

    #[test]
    fn rejects_bad_specs() {
        assert_eq!(parse_spec("."), Err(FormatError::MissingPrecision));
        assert_eq!(parse_spec(",_"), Err(FormatError::BothSeparators));
        assert_eq!(parse_spec("_,"), Err(FormatError::BothSeparators));
        assert_eq!(
            parse_spec("99999999999999999999999"),
            Err(FormatError::TooManyDigits)
        );
        assert!(matches!(
            parse_spec("abc"),
            Err(FormatError::InvalidSpec { .. })
        ));
    }
}
