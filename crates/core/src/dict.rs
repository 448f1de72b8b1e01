//! The hash table behind `dict`, `set`, class and module namespaces.
//!
//! Entries are kept in insertion order in `entries`; a deleted entry keeps its place with a
//! `NULL` key until the table is compacted. Small tables (up to `LINEAR_MAX` entries) have no
//! index and are searched linearly by hash; larger ones have an open-addressing index of entry
//! numbers. This structure knows hashes and identities only: deciding whether two keys are
//! equal may run Python code, so the VM does that (`Vm::dict_find`) over `candidates`.

use alloc::vec::Vec;

use crate::heap::block;
use crate::value::Obj;

/// One key/value pair with the key's hash.
#[derive(Clone, Copy)]
pub struct Entry {
    /// The key's hash.
    pub hash: u32,
    /// The key, or `NULL` for a deleted entry.
    pub key: Obj,
    /// The value (unused in sets).
    pub value: Obj,
}

const LINEAR_MAX: usize = 8;
const EMPTY: u32 = 0;

/// An insertion-ordered hash table of `Obj` keys.
#[derive(Default)]
pub struct Dict {
    entries: Vec<Entry>,
    /// Open-addressing index: 0 empty, else entry number + 1. Empty while small.
    index: Vec<u32>,
    live: usize,
}

impl Dict {
    /// An empty table.
    pub fn new() -> Dict {
        Dict::default()
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Entries in insertion order, with holes (`key.is_null()`) for deleted ones.
    pub fn raw_entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The live entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| !e.key.is_null())
    }

    /// The entry at position `i` of `raw_entries`.
    pub fn entry(&self, i: usize) -> Option<&Entry> {
        self.entries.get(i)
    }

    /// Sets the value of entry `i`.
    pub fn set_value(&mut self, i: usize, value: Obj) {
        if let Some(e) = self.entries.get_mut(i) {
            e.value = value;
        }
    }

    /// The positions of live entries whose hash is `hash`, in probe order. `f` returns `true`
    /// to stop.
    pub fn candidates(&self, hash: u32, mut f: impl FnMut(usize, &Entry) -> bool) {
        if self.index.is_empty() {
            for (i, e) in self.entries.iter().enumerate() {
                if e.hash == hash && !e.key.is_null() && f(i, e) {
                    return;
                }
            }
            return;
        }
        let mask = self.index.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            let n = self.index[slot];
            if n == EMPTY {
                return;
            }
            let i = (n - 1) as usize;
            let e = &self.entries[i];
            if e.hash == hash && !e.key.is_null() && f(i, e) {
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The position of `key` if it is present as the very same object (identity).
    pub fn find_identical(&self, hash: u32, key: Obj) -> Option<usize> {
        let mut found = None;
        self.candidates(hash, |i, e| {
            if e.key == key {
                found = Some(i);
                true
            } else {
                false
            }
        });
        found
    }

    /// Appends a new entry (the caller checked the key is absent). Returns the bytes the table
    /// grew by.
    pub fn push(&mut self, hash: u32, key: Obj, value: Obj) -> usize {
        let before = self.bytes();
        if self.entries.len() == self.entries.capacity() && self.live * 2 < self.entries.len() {
            self.compact();
        }
        self.entries.push(Entry { hash, key, value });
        self.live += 1;
        let n = self.entries.len();
        if n > LINEAR_MAX {
            if self.index.len() < n * 2 {
                self.rebuild_index();
            } else {
                self.index_insert(n - 1);
            }
        }
        self.bytes().saturating_sub(before)
    }

    /// Whether one more `push` fits without growing the table's storage.
    pub fn has_room(&self) -> bool {
        let n = self.entries.len() + 1;
        self.entries.len() < self.entries.capacity()
            && (n <= LINEAR_MAX || self.index.len() >= n * 2)
    }

    /// Deletes entry `i`, returning its key and value.
    pub fn remove_at(&mut self, i: usize) -> Option<(Obj, Obj)> {
        let e = self.entries.get_mut(i)?;
        if e.key.is_null() {
            return None;
        }
        let kv = (e.key, e.value);
        e.key = Obj::NULL;
        e.value = Obj::NULL;
        self.live -= 1;
        // Trailing holes can go at once.
        while matches!(self.entries.last(), Some(e) if e.key.is_null()) {
            self.entries.pop();
            if !self.index.is_empty() {
                self.rebuild_index();
            }
        }
        Some(kv)
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.entries = Vec::new();
        self.index = Vec::new();
        self.live = 0;
    }

    /// Gives back the room kept for more entries, for a table that is complete (a class's
    /// namespace once its body has run, a module's once it is imported).
    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
    }

    /// Drops deleted entries and rebuilds the index.
    fn compact(&mut self) {
        self.entries.retain(|e| !e.key.is_null());
        self.rebuild_index();
    }

    fn rebuild_index(&mut self) {
        let n = self.entries.len();
        if n <= LINEAR_MAX {
            self.index = Vec::new();
            return;
        }
        let size = (n * 2).next_power_of_two().max(16);
        self.index.clear();
        self.index.resize(size, EMPTY);
        for i in 0..n {
            if !self.entries[i].key.is_null() {
                self.index_insert(i);
            }
        }
    }

    fn index_insert(&mut self, i: usize) {
        let mask = self.index.len() - 1;
        let mut slot = self.entries[i].hash as usize & mask;
        while self.index[slot] != EMPTY {
            slot = (slot + 1) & mask;
        }
        self.index[slot] = (i + 1) as u32;
    }

    /// Calls `f` with every key and value.
    pub fn trace(&self, f: &mut dyn FnMut(Obj)) {
        for e in &self.entries {
            f(e.key);
            f(e.value);
        }
    }

    /// The allocator's blocks of a boxed dict, for heap accounting.
    pub fn bytes(&self) -> usize {
        block(core::mem::size_of::<Dict>())
            + block(self.entries.capacity() * core::mem::size_of::<Entry>())
            + block(self.index.capacity() * 4)
    }

    /// Removes the last live entry (`popitem`).
    pub fn pop_last(&mut self) -> Option<(Obj, Obj)> {
        let i = self.entries.iter().rposition(|e| !e.key.is_null())?;
        self.remove_at(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_find_remove_keeps_order() {
        let mut d = Dict::new();
        let keys: Vec<Obj> = (0..100).map(|i| Obj::try_small_int(i).unwrap()).collect();
        for (i, &k) in keys.iter().enumerate() {
            d.push(i as u32 * 7, k, k);
        }
        assert_eq!(d.len(), 100);
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(d.find_identical(i as u32 * 7, k), Some(i));
        }
        for i in (0..100).step_by(2) {
            assert!(d.remove_at(i).is_some());
        }
        assert_eq!(d.len(), 50);
        let order: Vec<Obj> = d.iter().map(|e| e.key).collect();
        assert_eq!(
            order,
            keys.iter().copied().skip(1).step_by(2).collect::<Vec<_>>()
        );
        assert_eq!(d.find_identical(3 * 7, keys[3]), Some(3));
        assert_eq!(d.find_identical(2 * 7, keys[2]), None);
    }
}
