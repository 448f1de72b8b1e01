//! Interned strings (qstrs): identifiers, attribute and module names.
//!
//! A `Qstr` is a 16-bit index. The names the interpreter itself uses (builtins, methods, special
//! methods, exception names) are a static pool compiled into flash: they cost no RAM, and their
//! indices are constants (`q::append`), so method tables are static arrays searched by index.
//! They are numbered in the order of their texts, so that a text is found by binary search.
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

macro_rules! static_qstrs {
    ($($id:ident $(= $s:literal)?),* $(,)?) => {
        #[allow(non_camel_case_types, dead_code, clippy::upper_case_acronyms)]
        #[repr(u16)]
        enum StaticIndex { $($id),* }

        /// The static qstrs, as constants named after their text (`<module>` is `q::MODULE`).
        #[allow(non_upper_case_globals, missing_docs)]
        pub mod q {
            use super::{Qstr, StaticIndex, RANK};
            $(pub const $id: Qstr = Qstr(RANK[StaticIndex::$id as usize]);)*
        }

        /// The text of each static qstr, in the list's order (only the compiler reads it: at
        /// run time the texts are in `FLASH_TEXT`).
        const STATIC_NAMES: &[&str] = &[$(static_qstrs!(@text $id $(, $s)?)),*];
    };
    (@text $id:ident, $s:literal) => { $s };
    (@text $id:ident) => { stringify!($id) };
}

include!("qstr_static.rs");

// The frozen modules' names and strings that are not static qstrs, sorted: `const FROZEN_NAMES: [&str; N]`,
// written by the build script, which numbers them from `STATIC_LEN` in the frozen code.
include!(concat!(env!("OUT_DIR"), "/frozen_qstrs.rs"));

const FROZEN_LEN: usize = FROZEN_NAMES.len();

/// The index of the first qstr interned at run time: the static and frozen ones come first.
const DYNAMIC_BASE: usize = STATIC_LEN + FROZEN_LEN;

/// The text of qstr `i` in flash, for the compiler.
const fn flash_name(i: usize) -> &'static str {
    if i < STATIC_LEN {
        STATIC_NAMES[BY_TEXT[i] as usize]
    } else {
        FROZEN_NAMES[i - STATIC_LEN]
    }
}

/// The texts of the qstrs in flash (the static ones, then the frozen ones), one after the
/// other: qstr `i` is `FLASH_TEXT[FLASH_STARTS[i]..FLASH_STARTS[i + 1]]`. A 16-bit offset a
/// name takes a quarter of the flash of a `&str`.
static FLASH_TEXT: &str = match core::str::from_utf8(&joined_flash_text()) {
    Ok(s) => s,
    Err(_) => panic!("qstrs are UTF-8"),
};

/// Where each flash qstr starts in `FLASH_TEXT`, and where the last one ends.
static FLASH_STARTS: [u16; DYNAMIC_BASE + 1] = flash_starts();

const FLASH_TEXT_LEN: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < DYNAMIC_BASE {
        n += flash_name(i).len();
        i += 1;
    }
    assert!(
        n <= u16::MAX as usize,
        "the flash qstrs' offsets are 16 bits"
    );
    n
};

const fn joined_flash_text() -> [u8; FLASH_TEXT_LEN] {
    let mut text = [0u8; FLASH_TEXT_LEN];
    let mut at = 0;
    let mut i = 0;
    while i < DYNAMIC_BASE {
        let name = flash_name(i).as_bytes();
        let mut j = 0;
        while j < name.len() {
            text[at] = name[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    text
}

const fn flash_starts() -> [u16; DYNAMIC_BASE + 1] {
    let mut starts = [0u16; DYNAMIC_BASE + 1];
    let mut i = 0;
    while i < DYNAMIC_BASE {
        starts[i + 1] = starts[i] + flash_name(i).len() as u16;
        i += 1;
    }
    starts
}

/// The hashes of the flash qstrs, computed by the compiler.
static FLASH_HASHES: [u32; DYNAMIC_BASE] = flash_hashes();

const fn flash_hashes() -> [u32; DYNAMIC_BASE] {
    let mut h = [0u32; DYNAMIC_BASE];
    let mut i = 0;
    while i < DYNAMIC_BASE {
        h[i] = str_hash(flash_name(i).as_bytes());
        i += 1;
    }
    h
}

/// The text of flash qstr `i` ("" past the end).
fn flash_str(i: usize) -> &'static str {
    match (FLASH_STARTS.get(i), FLASH_STARTS.get(i + 1)) {
        (Some(&start), Some(&end)) => FLASH_TEXT.get(start as usize..end as usize).unwrap_or(""),
        _ => "",
    }
}

/// The number of qstrs in flash: the static ones and the frozen modules' names.
pub fn static_count() -> usize {
    DYNAMIC_BASE
}

/// The entries of `STATIC_NAMES` in the order of their texts. The static qstrs are numbered in
/// that order (static qstr `i` is `STATIC_NAMES[BY_TEXT[i]]`), so that they are found by binary
/// search over their numbers, with no index table in flash.
const BY_TEXT: [u16; STATIC_LEN] = sort_static();

/// The number of each entry of `STATIC_NAMES` (the inverse of `BY_TEXT`).
const RANK: [u16; STATIC_LEN] = {
    let mut rank = [0u16; STATIC_LEN];
    let mut i = 0;
    while i < STATIC_LEN {
        rank[BY_TEXT[i] as usize] = i as u16;
        i += 1;
    }
    rank
};

/// The static qstr with text `name`, found by the compiler: a name that is not one fails the
/// build.
pub const fn static_qstr(name: &str) -> Qstr {
    let (mut lo, mut hi) = (0, STATIC_LEN);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let text = flash_name(mid).as_bytes();
        if bytes_lt(text, name.as_bytes()) {
            lo = mid + 1;
        } else if bytes_lt(name.as_bytes(), text) {
            hi = mid;
        } else {
            return Qstr(mid as u16);
        }
    }
    panic!("not a static qstr (add it to qstr_static.rs)")
}

/// The text of static qstr `q`, for the compiler.
pub const fn static_text(q: Qstr) -> &'static str {
    flash_name(q.0 as usize)
}

/// The text of a qstr in flash (a static or frozen one) without the pool; "" for others.
pub fn flash_text(q: Qstr) -> &'static str {
    flash_str(q.0 as usize)
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

/// The flash qstr with text `s` among the qstrs `lo..hi`, which are in text order.
fn find_sorted(mut lo: usize, mut hi: usize, s: &str) -> Option<Qstr> {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match flash_str(mid).cmp(s) {
            core::cmp::Ordering::Less => lo = mid + 1,
            core::cmp::Ordering::Greater => hi = mid,
            core::cmp::Ordering::Equal => return Some(Qstr(mid as u16)),
        }
    }
    None
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
        if i < DYNAMIC_BASE {
            flash_str(i)
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
        match FLASH_HASHES.get(i) {
            Some(&h) => h,
            None => self.hashes.get(i - DYNAMIC_BASE).copied().unwrap_or(0),
        }
    }

    /// The qstr with this text, if it is interned already.
    pub fn find(&self, s: &str) -> Option<Qstr> {
        // The static qstrs are numbered in text order, and so are the frozen ones.
        if let Some(q) =
            find_sorted(0, STATIC_LEN, s).or_else(|| find_sorted(STATIC_LEN, DYNAMIC_BASE, s))
        {
            return Some(q);
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
    fn static_names_are_unique_sorted_and_found() {
        let pool = QstrPool::new();
        assert!((1..STATIC_LEN).all(|i| flash_name(i - 1) < flash_name(i)));
        for (i, name) in STATIC_NAMES.iter().enumerate() {
            let q = Qstr(RANK[i]);
            assert_eq!(pool.find(name), Some(q), "{name}");
            assert_eq!(pool.get(q), *name);
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
