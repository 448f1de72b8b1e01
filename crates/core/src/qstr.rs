//! Interned strings (qstrs): identifiers, attribute and module names.
//!
//! A `Qstr` is a 16-bit index. The names the interpreter itself uses (builtins, methods, special
//! methods, exception names) are a static pool compiled into flash: they cost no RAM, and their
//! indices are constants (`q::append`), so method tables are static arrays searched by index.
//! Names met at run time (identifiers of user code, `getattr` strings) go into a dynamic pool that
//! is never freed, as in MicroPython.

use alloc::boxed::Box;
use alloc::vec::Vec;

/// An interned string: an index into the static pool, then the dynamic pool.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Qstr(pub u16);

/// The hash of a string's bytes (FNV-1a, 32 bits). `hash(s)` of every `str` uses it, so an
/// interned and a heap string with the same text hash the same.
pub const fn str_hash(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u32;
        h = h.wrapping_mul(0x0100_0193);
        i += 1;
    }
    h
}

/// The hashes of the static qstrs, computed by the compiler.
static STATIC_HASHES: [u32; STATIC_LEN] = static_hashes();

const fn static_hashes() -> [u32; STATIC_LEN] {
    let mut h = [0u32; STATIC_LEN];
    let mut i = 0;
    while i < STATIC_LEN {
        h[i] = str_hash(STATIC_NAMES[i].as_bytes());
        i += 1;
    }
    h
}

macro_rules! static_qstrs {
    ($($id:ident $(= $s:literal)?),* $(,)?) => {
        #[allow(non_camel_case_types, dead_code, clippy::upper_case_acronyms)]
        #[repr(u16)]
        enum StaticIndex { $($id),* }

        /// The static qstrs, as constants named after their text (`<module>` is `q::MODULE`).
        #[allow(non_upper_case_globals, missing_docs)]
        pub mod q {
            use super::{Qstr, StaticIndex};
            $(pub const $id: Qstr = Qstr(StaticIndex::$id as u16);)*
        }

        /// The text of each static qstr, by index.
        static STATIC_NAMES: &[&str] = &[$(static_qstrs!(@text $id $(, $s)?)),*];
    };
    (@text $id:ident, $s:literal) => { $s };
    (@text $id:ident) => { stringify!($id) };
}

static_qstrs! {
    EMPTY = "", MODULE = "<module>", LAMBDA = "<lambda>", STDIN = "<stdin>", STRING = "<string>",
    LISTCOMP = "<listcomp>", GENEXPR = "<genexpr>",
    __abs__, __add__, __cause__, __context__, fset, __globals__, __closure__, __func__, fdel, __aenter__, __aexit__, __aiter__, __and__, __anext__, __await__, __bases__,
    __bool__, __build_class__, __call__, __class__, __classcell__, __complex__, __contains__,
    __del__, __delattr__, __delete__, __delitem__, __dict__, __divmod__, __doc__, __enter__, __eq__,
    __exit__, __file__, __float__, __floordiv__, __format__, __ge__, __get__, __getattr__,
    __getattribute__, __getitem__, __gt__, __hash__, __iadd__, __iand__, __ifloordiv__,
    __ilshift__, __imatmul__, __imod__, __import__, __imul__, __index__, __init__,
    __init_subclass__, __int__, __invert__, __ior__, __ipow__, __irshift__, __isub__, __iter__,
    __itruediv__, __ixor__, __le__, __len__, __lshift__, __lt__, __main__, __matmul__,
    __missing__, __mod__, __module__, __mro__, __mul__, __name__, __ne__, __neg__, __new__,
    __next__, __or__, __path__, __pos__, __pow__, __qualname__, __radd__, __rand__,
    __rdivmod__, __repr__, __reversed__, __rfloordiv__, __rlshift__, __rmatmul__, __rmod__,
    __rmul__, __ror__, __round__, __rpow__, __rrshift__, __rshift__, __rsub__, __rtruediv__,
    __rxor__, __self__, __set__, __set_name__, __setattr__, __setitem__, __slots__, __str__,
    __sub__, __traceback__, __truediv__, __version__, __xor__,
    _build, _thread,
    // built-in exceptions
    ArithmeticError, AssertionError, AttributeError, BaseException, EOFError, Exception,
    GeneratorExit, ImportError, IndentationError, IndexError, KeyError, KeyboardInterrupt,
    LookupError, MemoryError, NameError, NotImplementedError, OSError, OverflowError,
    RuntimeError, StopAsyncIteration, StopIteration, SyntaxError, SystemExit, TypeError,
    UnboundLocalError, UnicodeError, ValueError, ZeroDivisionError,
    Ellipsis, NotImplemented,
    // builtins, types, methods, attributes
    abs, add, all, any, append, args, argv, ascii, bin, bit_length, bool, bound_method,
    builtins, byteorder, bytearray, bytes, callable, capitalize, cell, center, chr, classmethod,
    clear, close, closure, code, collect, compile, complex, conjugate, copy, count, coroutine,
    decode, default, delattr, deleter, dict, difference, difference_update, dir, disable,
    discard, divmod, encode, end, endswith, enable, enumerate, errno, eval, exc_info, exec,
    exit, expandtabs, extend, fget, file, filter, find, float, format, frozenset, fromkeys,
    from_bytes, function, gc, generator, get, getattr, globals, hasattr, hash, hex, id, imag,
    implementation, index, input, insert, int, intersection, intersection_update, isalnum,
    isalpha, isdecimal, isdigit, isdisjoint, isenabled, isidentifier, isinstance, islower,
    isnumeric, isprintable, isspace, issubclass, issubset, issuperset, istitle, isupper, items,
    iter, iterator, join, key, keys, kwargs, len, list, ljust, little, big, locals, lower, lstrip,
    map, max, maxsize, mem_alloc, mem_free, memoryview, micropython, min, modules, name, next,
    object, oct, open, ord, partition, path, platform, pop, popitem, pow, print,
    print_exception, property, range, real, remove, replace, repr, reverse, reversed, rfind,
    rindex, rjust, round, rpartition, rsplit, rstrip, send, sep, set, setattr, setdefault,
    setter, slice, sort, sorted, split, splitlines, start, startswith, staticmethod, stderr,
    stdin, stdout, step, stop, str, strip, sum, super_ = "super", swapcase, symmetric_difference,
    symmetric_difference_update, sys, throw, title, to_bytes, translate, tuple, r#type = "type",
    union, update, upper, value, values, version, version_info, write, zfill, zip,
    readinto, read, readline, tobytes, hexversion, mpy, flush, buffer, threshold, opt_level,
    mem_info, qstr_info, heap_lock, heap_unlock, kbd_intr, schedule, r#const = "const",
    alloc_emergency_exception_buf, stack_use, maketrans, rsplitlines, casefold, removeprefix,
    removesuffix, isascii, ellipsis, module, NoneType, decorator, gi_frame, cr_frame, format_map,
    getrandbits, ticks_ms, heapq, builtin_function_or_method, classmethod_descriptor,
    generator_function, mappingproxy, dict_keys, dict_values, dict_items, bytes_iterator,
    str_iterator, list_iterator, tuple_iterator, range_iterator, set_iterator, dict_keyiterator,
    dict_valueiterator, dict_itemiterator, zip_object, map_object, filter_object,
    _io, io, StringIO, BytesIO, getvalue, seek, tell, errors, strict, utf_8 = "utf-8", utf8,
    latin1, native, viper, asm_thumb, bytecode, dis, argv0,
}

/// The number of static qstrs.
pub fn static_count() -> usize {
    STATIC_NAMES.len()
}

/// The static qstrs' indices, sorted by text, for binary search.
fn sorted_static() -> &'static [u16] {
    static SORTED: [u16; STATIC_LEN] = sort_static();
    &SORTED
}

const STATIC_LEN: usize = count_static();

const fn count_static() -> usize {
    STATIC_NAMES.len()
}

/// Byte-wise `a < b`, usable by the compiler (static tables are sorted with it).
pub(crate) const fn bytes_lt(a: &[u8], b: &[u8]) -> bool {
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

const fn sort_static() -> [u16; STATIC_LEN] {
    let mut idx = [0u16; STATIC_LEN];
    let mut i = 0;
    while i < STATIC_LEN {
        idx[i] = i as u16;
        i += 1;
    }
    // Insertion sort, run once by the compiler.
    let mut i = 1;
    while i < STATIC_LEN {
        let mut j = i;
        while j > 0
            && bytes_lt(
                STATIC_NAMES[idx[j] as usize].as_bytes(),
                STATIC_NAMES[idx[j - 1] as usize].as_bytes(),
            )
        {
            let t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    idx
}

/// The pool of interned strings: the static names, then the ones added at run time.
pub struct QstrPool {
    dynamic: Vec<Box<str>>,
    hashes: Vec<u32>,
    /// Open-addressing index over `dynamic`: `u32::MAX` is empty, else an index into `dynamic`.
    table: Vec<u32>,
}

/// The largest number of qstrs (the index is 16 bits).
pub const MAX_QSTRS: usize = 0xffff;

impl Default for QstrPool {
    fn default() -> Self {
        Self::new()
    }
}

impl QstrPool {
    /// An empty dynamic pool.
    pub fn new() -> QstrPool {
        QstrPool {
            dynamic: Vec::new(),
            hashes: Vec::new(),
            table: Vec::new(),
        }
    }

    /// The text of a qstr.
    pub fn get(&self, q: Qstr) -> &str {
        let i = q.0 as usize;
        if i < STATIC_NAMES.len() {
            STATIC_NAMES[i]
        } else {
            self.dynamic
                .get(i - STATIC_NAMES.len())
                .map(|s| &**s)
                .unwrap_or("")
        }
    }

    /// The hash of a qstr's text (`str_hash`).
    pub fn hash(&self, q: Qstr) -> u32 {
        let i = q.0 as usize;
        if i < STATIC_LEN {
            STATIC_HASHES[i]
        } else {
            self.hashes
                .get(i - STATIC_NAMES.len())
                .copied()
                .unwrap_or(0)
        }
    }

    /// The qstr with this text, if it is interned already.
    pub fn find(&self, s: &str) -> Option<Qstr> {
        let sorted = sorted_static();
        if let Ok(pos) = sorted.binary_search_by(|&i| STATIC_NAMES[i as usize].cmp(s)) {
            return Some(Qstr(sorted[pos]));
        }
        if self.table.is_empty() {
            return None;
        }
        let h = str_hash(s.as_bytes());
        let mask = self.table.len() - 1;
        let mut slot = h as usize & mask;
        loop {
            let e = self.table[slot];
            if e == u32::MAX {
                return None;
            }
            if self.hashes[e as usize] == h && &*self.dynamic[e as usize] == s {
                return Some(Qstr((e as usize + STATIC_NAMES.len()) as u16));
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Interns `s`; `None` when the pool is full.
    pub fn intern(&mut self, s: &str) -> Option<Qstr> {
        if let Some(q) = self.find(s) {
            return Some(q);
        }
        let n = self.dynamic.len();
        if n + STATIC_NAMES.len() >= MAX_QSTRS {
            return None;
        }
        if (n + 1) * 2 > self.table.len() {
            self.grow();
        }
        let h = str_hash(s.as_bytes());
        self.dynamic.push(s.into());
        self.hashes.push(h);
        self.insert_index(n as u32, h);
        Some(Qstr((n + STATIC_NAMES.len()) as u16))
    }

    fn insert_index(&mut self, e: u32, h: u32) {
        let mask = self.table.len() - 1;
        let mut slot = h as usize & mask;
        while self.table[slot] != u32::MAX {
            slot = (slot + 1) & mask;
        }
        self.table[slot] = e;
    }

    fn grow(&mut self) {
        let size = (self.table.len() * 2).max(64);
        self.table = alloc::vec![u32::MAX; size];
        for e in 0..self.dynamic.len() {
            let h = self.hashes[e];
            self.insert_index(e as u32, h);
        }
    }

    /// Bytes of RAM the dynamic pool uses.
    pub fn bytes_used(&self) -> usize {
        self.dynamic.iter().map(|s| s.len() + 16).sum::<usize>() + self.table.len() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_names_are_unique_and_found() {
        let pool = QstrPool::new();
        for (i, name) in STATIC_NAMES.iter().enumerate() {
            assert_eq!(pool.find(name), Some(Qstr(i as u16)), "{name}");
        }
        assert_eq!(pool.get(q::append), "append");
        assert_eq!(pool.get(q::MODULE), "<module>");
        assert_eq!(pool.get(q::r#type), "type");
    }

    #[test]
    fn dynamic_interning() {
        let mut pool = QstrPool::new();
        let a = pool.intern("hello_world").unwrap();
        let b = pool.intern("hello_world").unwrap();
        assert_eq!(a, b);
        assert_eq!(pool.get(a), "hello_world");
        for i in 0..1000 {
            let s = alloc::format!("name{i}");
            let q = pool.intern(&s).unwrap();
            assert_eq!(pool.get(q), s);
        }
        assert_eq!(pool.find("name500").map(|q| pool.get(q)), Some("name500"));
        assert_eq!(pool.intern("append"), Some(q::append));
    }
}
