#![no_std]
#![forbid(unsafe_code)]
//! Number formatting and parsing with Python's rules.
//!
//! Pure functions over `f64`, digit strings and `&str`, for the interpreter core: `repr` of
//! floats and complex numbers ([`repr`]), the format-spec mini-language ([`spec`], [`format`]),
//! printf-style `%` formatting ([`percent`]), `float()`/`complex()`/`int()` parsing ([`parse`])
//! and float arithmetic with Python's semantics ([`floatops`]). Floats are IEEE `f64` on every
//! target and the output is CPython 3's, byte for byte. Nothing here knows Python objects: the
//! caller converts its values to `f64` or to digit strings, and builds exceptions from the
//! errors returned (every [`FormatError`] is a `ValueError`).
extern crate alloc;

pub mod dtoa;
pub mod error;
pub mod exact;
pub mod floatops;
pub mod format;
pub mod parse;
pub mod percent;
pub mod repr;
pub mod spec;

pub use dtoa::{write_float_abs, FloatOptions, FloatStyle};
pub use error::FormatError;
pub use floatops::{
    divmod, floor_div, fmod, hash, modulo, pow, round, round_half_even, to_integer_parts, PowError,
};
pub use format::{check_char_spec, format_float, format_int, format_str, pad};
pub use parse::{parse_complex, parse_float, parse_int_prefix, IntParseError};
pub use percent::{
    parse_percent, percent_float, percent_int, percent_str, Count, Directive, Flags, PercentPieces,
    Piece,
};
pub use repr::{complex_repr, float_repr};
pub use spec::{parse_spec, Align, FormatSpec, Sign};
