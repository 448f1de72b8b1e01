//! The errors of format specs and `%` formatting.
//!
//! Every variant is a `ValueError` in Python; `Display` gives CPython's exact message, which
//! MicroPython's test suite compares against.

use alloc::string::String;
use core::fmt;

/// A format-spec or `%`-format error; `Display` is the Python `ValueError` message.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum FormatError {
    /// Text left over after the type character: `Invalid format specifier '...' for object of
    /// type '...'` (the type is empty until the caller names it with [`FormatError::for_type`]).
    InvalidSpec {
        /// The whole format spec.
        spec: String,
        /// The Python type name of the formatted object, or empty.
        type_name: String,
    },
    /// `.` without digits after it.
    MissingPrecision,
    /// A width or precision that does not fit in a machine word.
    TooManyDigits,
    /// Both `,` and `_` were given.
    BothSeparators,
    /// A grouping separator with a type that does not allow it: `Cannot specify ',' with 'x'.`
    SeparatorWithType {
        /// `,` or `_`.
        separator: char,
        /// The presentation type.
        ty: char,
    },
    /// A presentation type the object does not support.
    UnknownCode {
        /// The presentation type.
        code: char,
        /// The Python type name of the formatted object.
        type_name: String,
    },
    /// `+` or ` ` with a string (`space` tells which).
    SignInString {
        /// The sign option was ` ` rather than `+`.
        space: bool,
    },
    /// `#` with a string.
    AlternateInString,
    /// `z` with a string.
    NegZeroInString,
    /// `z` with an integer.
    NegZeroInInt,
    /// `=` alignment with a string.
    EqualsAlignInString,
    /// A precision with an integer presentation type.
    PrecisionInInt,
    /// A sign with the integer type `c`.
    SignWithChar,
    /// `#` with the integer type `c`.
    AlternateWithChar,
    /// A float precision above `i32::MAX`.
    PrecisionTooBig,
    /// `%` formatting: the format ends inside a directive.
    IncompleteFormat,
    /// `%` formatting: `%(` without its closing `)`.
    IncompleteFormatKey,
    /// `%` formatting: an unknown conversion character at a char index of the format.
    UnsupportedChar {
        /// The conversion character.
        ch: char,
        /// Its index in chars (code points) in the format string.
        index: usize,
    },
    /// `%` formatting: a width that does not fit in a machine word.
    WidthTooBig,
    /// `%` formatting: a precision that does not fit in a machine word.
    PercentPrecisionTooBig,
}

impl FormatError {
    /// Names the Python type in the errors whose message mentions it (`InvalidSpec`,
    /// `UnknownCode`); other errors are returned unchanged.
    pub fn for_type(self, name: &str) -> FormatError {
        match self {
            FormatError::InvalidSpec { spec, .. } => FormatError::InvalidSpec {
                spec,
                type_name: name.into(),
            },
            FormatError::UnknownCode { code, .. } => FormatError::UnknownCode {
                code,
                type_name: name.into(),
            },
            other => other,
        }
    }
}

/// CPython names a presentation type as `'c'` when `32 < c < 128`, else as `'\\xNN'`.
fn printable_code(c: char) -> bool {
    c > ' ' && c < '\u{80}'
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::InvalidSpec { spec, type_name } => {
                if type_name.is_empty() {
                    write!(f, "Invalid format specifier '{spec}'")
                } else {
                    write!(
                        f,
                        "Invalid format specifier '{spec}' for object of type '{type_name}'"
                    )
                }
            }
            FormatError::MissingPrecision => f.write_str("Format specifier missing precision"),
            FormatError::TooManyDigits => f.write_str("Too many decimal digits in format string"),
            FormatError::BothSeparators => f.write_str("Cannot specify both ',' and '_'."),
            FormatError::SeparatorWithType { separator, ty } => {
                if printable_code(*ty) {
                    write!(f, "Cannot specify '{separator}' with '{ty}'.")
                } else {
                    write!(
                        f,
                        "Cannot specify '{separator}' with '\\x{:x}'.",
                        u32::from(*ty)
                    )
                }
            }
            FormatError::UnknownCode { code, type_name } => {
                if printable_code(*code) {
                    write!(
                        f,
                        "Unknown format code '{code}' for object of type '{type_name}'"
                    )
                } else {
                    write!(
                        f,
                        "Unknown format code '\\x{:x}' for object of type '{type_name}'",
                        u32::from(*code)
                    )
                }
            }
            FormatError::SignInString { space: true } => {
                f.write_str("Space not allowed in string format specifier")
            }
            FormatError::SignInString { space: false } => {
                f.write_str("Sign not allowed in string format specifier")
            }
            FormatError::AlternateInString => {
                f.write_str("Alternate form (#) not allowed in string format specifier")
            }
            FormatError::NegZeroInString => {
                f.write_str("Negative zero coercion (z) not allowed in string format specifier")
            }
            FormatError::NegZeroInInt => {
                f.write_str("Negative zero coercion (z) not allowed in integer format specifier")
            }
            FormatError::EqualsAlignInString => {
                f.write_str("'=' alignment not allowed in string format specifier")
            }
            FormatError::PrecisionInInt => {
                f.write_str("Precision not allowed in integer format specifier")
            }
            FormatError::SignWithChar => {
                f.write_str("Sign not allowed with integer format specifier 'c'")
            }
            FormatError::AlternateWithChar => {
                f.write_str("Alternate form (#) not allowed with integer format specifier 'c'")
            }
            FormatError::PrecisionTooBig => f.write_str("precision too big"),
            FormatError::IncompleteFormat => f.write_str("incomplete format"),
            FormatError::IncompleteFormatKey => f.write_str("incomplete format key"),
            FormatError::UnsupportedChar { ch, index } => {
                let shown = if (' '..='~').contains(ch) || *ch == '\x1f' {
                    *ch
                } else {
                    '?'
                };
                write!(
                    f,
                    "unsupported format character '{shown}' (0x{:x}) at index {index}",
                    u32::from(*ch)
                )
            }
            FormatError::WidthTooBig => f.write_str("width too big"),
            FormatError::PercentPrecisionTooBig => f.write_str("precision too big"),
        }
    }
}
