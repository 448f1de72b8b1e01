//! The value word: every Python value is one `Obj(u32)`.
//!
//! This is the only module that knows the bits. The encoding is the same on every target, so the
//! host, the browser and the boards behave identically (small ints overflow into big ints at the
//! same point everywhere).
//!
//! | bits (low end)    | meaning                                                             |
//! |-------------------|---------------------------------------------------------------------|
//! | `0000...0000`     | `NULL`: no value (an unbound local, an empty slot, `LOAD_METHOD`'s marker) |
//! | `xxxx...xxx1`     | small int: the word shifted right by one, as an `i32` (31 bits)     |
//! | `xxxx...x010`     | qstr: an interned string; `bits >> 3` is its index                  |
//! | `xxxx...k110`     | immediate: `bits >> 3 = index << 3 \| kind` (kinds below)           |
//! | `xxxx...xx00`     | heap object: `(bits >> 2) - 1` is its slot in the heap               |
//!
//! Immediate kinds: 0 singletons (`None`, `True`, `False`, `Ellipsis`, `NotImplemented`),
//! 1 built-in types, 2 built-in functions and methods (`Native`), 3 built-in modules.
//! Immediates live in static tables: they cost no heap and are never collected.

use crate::qstr::Qstr;

/// A Python value. `Copy`, 4 bytes on every target.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Obj(u32);

/// The largest small int: `2**30 - 1`.
pub const SMALL_INT_MAX: i64 = (1 << 30) - 1;
/// The smallest small int: `-2**30`.
pub const SMALL_INT_MIN: i64 = -(1 << 30);

const TAG_QSTR: u32 = 0b010;
const TAG_IMM: u32 = 0b110;
const KIND_SINGLETON: u32 = 0;
const KIND_TYPE: u32 = 1;
const KIND_NATIVE: u32 = 2;
const KIND_MODULE: u32 = 3;

const fn imm(kind: u32, index: u32) -> Obj {
    Obj((((index << 3) | kind) << 3) | TAG_IMM)
}

impl Obj {
    /// No value.
    pub const NULL: Obj = Obj(0);
    /// `None`.
    pub const NONE: Obj = imm(KIND_SINGLETON, 0);
    /// `True`.
    pub const TRUE: Obj = imm(KIND_SINGLETON, 1);
    /// `False`.
    pub const FALSE: Obj = imm(KIND_SINGLETON, 2);
    /// `Ellipsis` (`...`).
    pub const ELLIPSIS: Obj = imm(KIND_SINGLETON, 3);
    /// `NotImplemented`.
    pub const NOT_IMPLEMENTED: Obj = imm(KIND_SINGLETON, 4);

    /// The raw bits, for hashing by identity and `id()`.
    #[inline]
    pub fn bits(self) -> u32 {
        self.0
    }

    /// The value with these raw bits (only for bits that came from `bits()` of an immediate
    /// or small int: heap references must not be forged).
    #[inline]
    pub(crate) fn from_bits(bits: u32) -> Obj {
        Obj(bits)
    }

    /// Whether this is `NULL`.
    #[inline]
    pub fn is_null(self) -> bool {
        self.0 == 0
    }

    /// A bool.
    #[inline]
    pub fn bool(b: bool) -> Obj {
        if b {
            Obj::TRUE
        } else {
            Obj::FALSE
        }
    }

    /// A small int, if `v` fits in 31 bits.
    #[inline]
    pub fn try_small_int(v: i64) -> Option<Obj> {
        if (SMALL_INT_MIN..=SMALL_INT_MAX).contains(&v) {
            Some(Obj(((v as i32) << 1) as u32 | 1))
        } else {
            None
        }
    }

    /// A small int from a value known to fit (`SMALL_INT_MIN..=SMALL_INT_MAX`); out-of-range
    /// values wrap, so callers must check first.
    #[inline]
    pub const fn small_int_unchecked(v: i32) -> Obj {
        Obj(((v << 1) as u32) | 1)
    }

    /// The value of a small int.
    #[inline]
    pub fn as_small_int(self) -> Option<i32> {
        if self.0 & 1 == 1 {
            Some((self.0 as i32) >> 1)
        } else {
            None
        }
    }

    /// Whether this is a small int.
    #[inline]
    pub fn is_small_int(self) -> bool {
        self.0 & 1 == 1
    }

    /// An interned string.
    #[inline]
    pub const fn qstr(q: Qstr) -> Obj {
        Obj(((q.0 as u32) << 3) | TAG_QSTR)
    }

    /// The interned string, if this is one.
    #[inline]
    pub fn as_qstr(self) -> Option<Qstr> {
        if self.0 & 0b111 == TAG_QSTR {
            Some(Qstr((self.0 >> 3) as u16))
        } else {
            None
        }
    }

    /// A built-in type, by its index in the type table.
    #[inline]
    pub const fn builtin_type(index: u16) -> Obj {
        imm(KIND_TYPE, index as u32)
    }

    /// The type-table index, if this is a built-in type.
    #[inline]
    pub fn as_builtin_type(self) -> Option<u16> {
        self.imm_of_kind(KIND_TYPE)
    }

    /// A built-in function or method, by its index in the native table.
    #[inline]
    pub const fn native(index: u16) -> Obj {
        imm(KIND_NATIVE, index as u32)
    }

    /// The native-table index, if this is a built-in function.
    #[inline]
    pub fn as_native(self) -> Option<u16> {
        self.imm_of_kind(KIND_NATIVE)
    }

    /// A built-in module, by its index in the module table.
    #[inline]
    pub const fn builtin_module(index: u16) -> Obj {
        imm(KIND_MODULE, index as u32)
    }

    /// The module-table index, if this is a built-in module.
    #[inline]
    pub fn as_builtin_module(self) -> Option<u16> {
        self.imm_of_kind(KIND_MODULE)
    }

    #[inline]
    fn imm_of_kind(self, kind: u32) -> Option<u16> {
        if self.0 & 0b111 == TAG_IMM && (self.0 >> 3) & 0b111 == kind {
            Some((self.0 >> 6) as u16)
        } else {
            None
        }
    }

    /// A reference to heap slot `slot`.
    #[inline]
    pub(crate) fn heap(slot: u32) -> Obj {
        Obj((slot + 1) << 2)
    }

    /// The heap slot, if this is a heap object.
    #[inline]
    pub(crate) fn as_heap(self) -> Option<u32> {
        if self.0 & 0b11 == 0 && self.0 != 0 {
            Some((self.0 >> 2) - 1)
        } else {
            None
        }
    }

    /// Whether this lives in the heap.
    #[inline]
    pub fn is_heap(self) -> bool {
        self.0 & 0b11 == 0 && self.0 != 0
    }
}

impl core::fmt::Debug for Obj {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if let Some(i) = self.as_small_int() {
            write!(f, "Obj(int {i})")
        } else if let Some(q) = self.as_qstr() {
            write!(f, "Obj(qstr {})", q.0)
        } else if let Some(s) = self.as_heap() {
            write!(f, "Obj(heap {s})")
        } else {
            write!(f, "Obj({:#x})", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_is_one_word() {
        assert_eq!(core::mem::size_of::<Obj>(), 4);
        assert_eq!(core::mem::size_of::<Option<Obj>>(), 8);
    }

    #[test]
    fn small_int_range_round_trips() {
        for v in [0, 1, -1, SMALL_INT_MAX, SMALL_INT_MIN, 12345, -98765] {
            assert_eq!(
                Obj::try_small_int(v).unwrap().as_small_int(),
                Some(v as i32)
            );
        }
        assert!(Obj::try_small_int(SMALL_INT_MAX + 1).is_none());
        assert!(Obj::try_small_int(SMALL_INT_MIN - 1).is_none());
    }

    #[test]
    fn tags_are_disjoint() {
        let all = [
            Obj::NULL,
            Obj::NONE,
            Obj::TRUE,
            Obj::FALSE,
            Obj::qstr(Qstr(5)),
            Obj::builtin_type(5),
            Obj::native(5),
            Obj::builtin_module(5),
            Obj::heap(5),
            Obj::try_small_int(5).unwrap(),
        ];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(Obj::native(7).as_native(), Some(7));
        assert_eq!(Obj::native(7).as_builtin_type(), None);
        assert_eq!(Obj::heap(7).as_heap(), Some(7));
        assert_eq!(Obj::NONE.as_heap(), None);
    }
}
