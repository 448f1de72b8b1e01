//! Interned strings (qstrs): identifiers, attribute and module names.
//!
//! A `Qstr` is a 16-bit index. The names the interpreter itself uses (builtins, methods, special
//! methods, exception names) are a static pool compiled into flash: they cost no RAM, and their
//! indices are constants (`q::append`), so method tables are static arrays searched by index.
//! The frozen modules' names and strings follow them, also in flash (`FROZEN_NAMES`, made by the
//! build script). Names met at run time (identifiers of user code, `getattr` strings) go into a
//! dynamic pool that is never freed, as in MicroPython.

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

include!("qstr_static.rs");

// The frozen modules' names and strings that are not static qstrs, sorted: `static FROZEN_NAMES: [&str; N]`,
// written by the build script, which numbers them from `STATIC_LEN` in the frozen code.
include!(concat!(env!("OUT_DIR"), "/frozen_qstrs.rs"));

const FROZEN_LEN: usize = FROZEN_NAMES.len();

/// The hashes of the frozen modules' qstrs, computed by the compiler.
static FROZEN_HASHES: [u32; FROZEN_LEN] = frozen_hashes();

const fn frozen_hashes() -> [u32; FROZEN_LEN] {
    let mut h = [0u32; FROZEN_LEN];
    let mut i = 0;
    while i < FROZEN_LEN {
        h[i] = str_hash(FROZEN_NAMES[i].as_bytes());
        i += 1;
    }
    h
}

/// The index of the first qstr interned at run time: the static and frozen ones come first.
const DYNAMIC_BASE: usize = STATIC_LEN + FROZEN_LEN;

/// The number of qstrs in flash: the static ones and the frozen modules' names.
pub fn static_count() -> usize {
    DYNAMIC_BASE
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
        if i < STATIC_LEN {
            STATIC_NAMES[i]
        } else if i < DYNAMIC_BASE {
            FROZEN_NAMES[i - STATIC_LEN]
        } else {
            self.dynamic
                .get(i - DYNAMIC_BASE)
                .map(|s| &**s)
                .unwrap_or("")
        }
    }

    /// The hash of a qstr's text (`str_hash`).
    pub fn hash(&self, q: Qstr) -> u32 {
        let i = q.0 as usize;
        if i < STATIC_LEN {
            STATIC_HASHES[i]
        } else if i < DYNAMIC_BASE {
            FROZEN_HASHES[i - STATIC_LEN]
        } else {
            self.hashes.get(i - DYNAMIC_BASE).copied().unwrap_or(0)
        }
    }

    /// The qstr with this text, if it is interned already.
    pub fn find(&self, s: &str) -> Option<Qstr> {
        let sorted = sorted_static();
        if let Ok(pos) = sorted.binary_search_by(|&i| STATIC_NAMES[i as usize].cmp(s)) {
            return Some(Qstr(sorted[pos]));
        }
        if let Ok(pos) = FROZEN_NAMES.binary_search(&s) {
            return Some(Qstr((STATIC_LEN + pos) as u16));
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
                return Some(Qstr((e as usize + DYNAMIC_BASE) as u16));
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
        if n + DYNAMIC_BASE >= MAX_QSTRS {
            return None;
        }
        if (n + 1) * 2 > self.table.len() {
            self.grow();
        }
        let h = str_hash(s.as_bytes());
        self.dynamic.push(s.into());
        self.hashes.push(h);
        self.insert_index(n as u32, h);
        Some(Qstr((n + DYNAMIC_BASE) as u16))
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
    fn frozen_names_are_sorted_new_and_found() {
        let pool = QstrPool::new();
        assert!(FROZEN_NAMES.windows(2).all(|w| w[0] < w[1]));
        for (i, name) in FROZEN_NAMES.iter().enumerate() {
            assert!(!STATIC_NAMES.contains(name), "{name} is static");
            let q = Qstr((STATIC_LEN + i) as u16);
            assert_eq!(pool.find(name), Some(q), "{name}");
            assert_eq!(pool.get(q), *name);
            assert_eq!(pool.hash(q), str_hash(name.as_bytes()));
        }
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
