//! Macros used throughout the core.

/// Returns `Err` with a new exception of built-in type `$ty` and a formatted message.
macro_rules! raise {
    ($vm:expr, $ty:ident, $($fmt:tt)*) => {
        return Err($vm.exc_fmt($crate::types::ty::$ty, format_args!($($fmt)*)))
    };
}
