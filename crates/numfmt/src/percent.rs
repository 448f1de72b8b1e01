//! printf-style `%` formatting: the format's directives, and the conversion of one value.
//!
//! [`parse_percent`] splits a format into literal text, `%%` and directives; the caller walks the
//! pieces, fetches each argument (and the `*` width and precision), converts the value to the
//! text or number the conversion wants, and calls [`percent_float`], [`percent_int`] or
//! [`percent_str`]. The rules are CPython's `PyUnicode_Format`.

use crate::dtoa::{write_float_abs, FloatOptions, FloatStyle};
use crate::error::FormatError;
use alloc::string::String;

/// One piece of a `%` format string.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Piece<'a> {
    /// Text copied as is.
    Literal(&'a str),
    /// `%%`: one `%`.
    Percent,
    /// A conversion directive.
    Conv(Directive<'a>),
}

/// The flags of a directive.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Flags {
    /// `-`: left-justify.
    pub minus: bool,
    /// `+`: always a sign.
    pub plus: bool,
    /// ` `: a space before non-negative numbers.
    pub space: bool,
    /// `#`: alternate form (`0x`/`0o` prefixes, keep the point).
    pub alt: bool,
    /// `0`: pad numbers with zeros.
    pub zero: bool,
}

/// A width or precision of a directive.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Count {
    /// Not given.
    None,
    /// `*`: taken from the next argument.
    Star,
    /// A number.
    Num(usize),
}

/// A `%` directive: `%[(key)][flags][width][.precision][hlL]conv`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Directive<'a> {
    /// The mapping key of `%(name)s`.
    pub key: Option<&'a str>,
    /// The flags.
    pub flags: Flags,
    /// The width.
    pub width: Count,
    /// The precision (`.` alone means `Some(Count::Num(0))`).
    pub precision: Option<Count>,
    /// The conversion character, one of `d i u o x X e E f F g G c r s a`.
    pub conv: char,
}

impl Directive<'_> {
    /// Resolves a `*` width taken from an argument: a negative width left-justifies (sets
    /// `flags.minus`) and its magnitude is the width.
    pub fn apply_star_width(&mut self, value: i64) -> usize {
        if value < 0 {
            self.flags.minus = true;
        }
        usize::try_from(value.unsigned_abs()).unwrap_or(usize::MAX)
    }

    /// Resolves a `*` precision taken from an argument: a negative precision counts as 0.
    pub fn star_precision(value: i64) -> usize {
        usize::try_from(value.max(0)).unwrap_or(usize::MAX)
    }
}

/// The conversion characters CPython accepts.
const CONVERSIONS: &str = "diuoxXeEfFgGcrsa";

/// The iterator of [`parse_percent`].
pub struct PercentPieces<'a> {
    fmt: &'a str,
    /// Byte offset of the next unread char.
    pos: usize,
    /// Char index of `pos` (for error messages).
    char_index: usize,
    /// Set after an error: the iteration ends.
    done: bool,
}

impl<'a> PercentPieces<'a> {
    fn peek(&self) -> Option<char> {
        self.fmt.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        self.char_index += 1;
        Some(c)
    }

    fn count(&mut self, first: char, too_big: FormatError) -> Result<usize, FormatError> {
        let mut n = first.to_digit(10).unwrap_or(0) as usize;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            self.bump();
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(d as usize))
                .filter(|&n| n <= isize::MAX as usize)
                .ok_or(too_big.clone())?;
        }
        Ok(n)
    }

    /// Parses a directive; the leading `%` is consumed and is not followed by `%`.
    fn directive(&mut self) -> Result<Directive<'a>, FormatError> {
        let mut key = None;
        if self.peek() == Some('(') {
            self.bump();
            let start = self.pos;
            let mut depth = 1usize;
            loop {
                match self.bump() {
                    None => return Err(FormatError::IncompleteFormatKey),
                    Some('(') => depth += 1,
                    Some(')') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Some(_) => {}
                }
            }
            key = self.fmt.get(start..self.pos - 1);
        }
        let mut flags = Flags::default();
        let mut c = self.bump().ok_or(FormatError::IncompleteFormat)?;
        loop {
            match c {
                '-' => flags.minus = true,
                '+' => flags.plus = true,
                ' ' => flags.space = true,
                '#' => flags.alt = true,
                '0' => flags.zero = true,
                _ => break,
            }
            c = self.bump().ok_or(FormatError::IncompleteFormat)?;
        }
        let mut width = Count::None;
        if c == '*' {
            width = Count::Star;
            c = self.bump().ok_or(FormatError::IncompleteFormat)?;
        } else if c.is_ascii_digit() {
            width = Count::Num(self.count(c, FormatError::WidthTooBig)?);
            c = self.bump().ok_or(FormatError::IncompleteFormat)?;
        }
        let mut precision = None;
        if c == '.' {
            c = self.bump().ok_or(FormatError::IncompleteFormat)?;
            if c == '*' {
                precision = Some(Count::Star);
                c = self.bump().ok_or(FormatError::IncompleteFormat)?;
            } else if c.is_ascii_digit() {
                precision = Some(Count::Num(
                    self.count(c, FormatError::PercentPrecisionTooBig)?,
                ));
                c = self.bump().ok_or(FormatError::IncompleteFormat)?;
            } else {
                precision = Some(Count::Num(0));
            }
        }
        if matches!(c, 'h' | 'l' | 'L') {
            c = self.bump().ok_or(FormatError::IncompleteFormat)?;
        }
        // A search by `char`, not `str::contains`: that takes a non-ASCII character as a
        // substring, with the code of a general substring search.
        if !CONVERSIONS.chars().any(|conv| conv == c) {
            return Err(FormatError::UnsupportedChar {
                ch: c,
                index: self.char_index - 1,
            });
        }
        Ok(Directive {
            key,
            flags,
            width,
            precision,
            conv: c,
        })
    }
}

impl<'a> Iterator for PercentPieces<'a> {
    type Item = Result<Piece<'a>, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.fmt.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        if !rest.starts_with('%') {
            let len = rest.find('%').unwrap_or(rest.len());
            let literal = rest.get(..len)?;
            self.pos += len;
            self.char_index += literal.chars().count();
            return Some(Ok(Piece::Literal(literal)));
        }
        self.bump();
        if self.peek() == Some('%') {
            self.bump();
            return Some(Ok(Piece::Percent));
        }
        let result = self.directive();
        if result.is_err() {
            self.done = true;
        }
        Some(result.map(Piece::Conv))
    }
}

/// Splits a `%` format into pieces. After an error the iteration ends. Errors: `incomplete
/// format`, `incomplete format key`, `unsupported format character 'y' (0x79) at index 3`,
/// `width too big`, `precision too big`. CPython fetches the directive's argument before it
/// reports an unsupported character; a caller that wants that order checks the argument count
/// first.
pub fn parse_percent(fmt: &str) -> PercentPieces<'_> {
    PercentPieces {
        fmt,
        pos: 0,
        char_index: 0,
        done: false,
    }
}

/// Writes a converted number: sign, `0x` prefix and body, padded as CPython pads `%`
/// conversions (zeros go between the prefix and the body).
fn write_padded_number(
    sign: Option<char>,
    prefix: &str,
    body: &str,
    flags: &Flags,
    width: usize,
    out: &mut String,
) {
    let len = usize::from(sign.is_some()) + prefix.len() + body.chars().count();
    let padding = width.saturating_sub(len);
    let push_n = |out: &mut String, c: char, n: usize| {
        for _ in 0..n {
            out.push(c);
        }
    };
    if flags.minus {
        out.extend(sign);
        out.push_str(prefix);
        out.push_str(body);
        push_n(out, ' ', padding);
    } else if flags.zero {
        out.extend(sign);
        out.push_str(prefix);
        push_n(out, '0', padding);
        out.push_str(body);
    } else {
        push_n(out, ' ', padding);
        out.extend(sign);
        out.push_str(prefix);
        out.push_str(body);
    }
}

fn number_sign(negative: bool, flags: &Flags) -> Option<char> {
    if negative {
        Some('-')
    } else if flags.plus {
        Some('+')
    } else if flags.space {
        Some(' ')
    } else {
        None
    }
}

/// A float conversion `e E f F g G` (the caller converts an int argument to a float). `width`
/// and `precision` are resolved (`*` already read; precision defaults to 6 here).
pub fn percent_float(
    x: f64,
    d: &Directive,
    width: Option<usize>,
    precision: Option<usize>,
    out: &mut String,
) -> Result<(), FormatError> {
    let (style, upper) = match d.conv {
        'e' => (FloatStyle::Exp, false),
        'E' => (FloatStyle::Exp, true),
        'f' => (FloatStyle::Fixed, false),
        'F' => (FloatStyle::Fixed, true),
        'g' => (FloatStyle::General, false),
        'G' => (FloatStyle::General, true),
        ch => return Err(FormatError::UnsupportedChar { ch, index: 0 }),
    };
    let opts = FloatOptions {
        style,
        precision: precision.unwrap_or(6),
        add_dot_0: false,
        alternate: d.flags.alt,
        upper,
    };
    let signed = x.is_sign_negative() || d.flags.plus || d.flags.space;
    let opts = opts.fit_buffer(x, signed);
    let mut body = String::new();
    write_float_abs(x, &opts, &mut body);
    let sign = number_sign(x.is_sign_negative() && !x.is_nan(), &d.flags);
    write_padded_number(sign, "", &body, &d.flags, width.unwrap_or(0), out);
    Ok(())
}

/// An integer conversion `d i u o x X` of a number whose magnitude's digits (base 10, 8 or 16
/// as `d.conv` says) are `magnitude_digits`. The precision is a minimum digit count; `#` adds
/// `0o`, `0x` or `0X`.
pub fn percent_int(
    negative: bool,
    magnitude_digits: &str,
    d: &Directive,
    width: Option<usize>,
    precision: Option<usize>,
    out: &mut String,
) {
    let prefix = match (d.flags.alt, d.conv) {
        (true, 'o') => "0o",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        _ => "",
    };
    let mut body = String::new();
    let zeros = precision
        .unwrap_or(0)
        .saturating_sub(magnitude_digits.len());
    for _ in 0..zeros {
        body.push('0');
    }
    if d.conv == 'X' {
        body.push_str(&magnitude_digits.to_ascii_uppercase());
    } else {
        body.push_str(magnitude_digits);
    }
    let sign = number_sign(negative, &d.flags);
    write_padded_number(sign, prefix, &body, &d.flags, width.unwrap_or(0), out);
}

/// A text conversion `s r a c` of already converted text: the precision truncates (in chars),
/// `-` left-justifies, `0` is ignored.
pub fn percent_str(
    s: &str,
    d: &Directive,
    width: Option<usize>,
    precision: Option<usize>,
    out: &mut String,
) {
    let text = match precision.and_then(|p| s.char_indices().nth(p)) {
        Some((end, _)) => s.get(..end).unwrap_or(s),
        None => s,
    };
    let padding = width.unwrap_or(0).saturating_sub(text.chars().count());
    if !d.flags.minus {
        out.extend(core::iter::repeat_n(' ', padding));
    }
    out.push_str(text);
    if d.flags.minus {
        out.extend(core::iter::repeat_n(' ', padding));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn splits_pieces() {
        let pieces: Vec<_> = parse_percent("a%%b%(x)-5.2fc").collect();
        assert_eq!(pieces.len(), 5);
        assert_eq!(pieces[0], Ok(Piece::Literal("a")));
        assert_eq!(pieces[1], Ok(Piece::Percent));
        let Ok(Piece::Conv(d)) = pieces[3] else {
            panic!("{pieces:?}")
        };
        assert_eq!(d.key, Some("x"));
        assert!(d.flags.minus);
        assert_eq!(
            (d.width, d.precision, d.conv),
            (Count::Num(5), Some(Count::Num(2)), 'f')
        );
    }

    #[test]
    fn errors() {
        let last = |f: &'static str| parse_percent(f).last().unwrap();
        assert_eq!(last("abc %"), Err(FormatError::IncompleteFormat));
        assert_eq!(last("%(a"), Err(FormatError::IncompleteFormatKey));
        let e = last("éé%y").unwrap_err();
        assert_eq!(
            alloc::format!("{e}"),
            "unsupported format character 'y' (0x79) at index 3"
        );
    }
}
