//! A map kept as a vector sorted by key.
//!
//! The compiler's tables (the names of a scope, the constants and names of a code object) hold
//! tens of entries. A sorted vector finds them by binary search, iterates in key order as a
//! `BTreeMap` does, and costs a fraction of the flash: every `BTreeMap<K, V>` instantiation
//! brings its own node code (4-5 KB each on a Cortex-M).

use alloc::vec::Vec;
use core::borrow::Borrow;

/// A map from `K` to `V`, sorted by key.
#[derive(Debug, Clone)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

/// A set of `K`, sorted.
pub type SortedSet<K> = SortedMap<K, ()>;

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }

    /// The position of `key`, or where it would go.
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value of `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        self.entries.get(i).map(|(_, v)| v)
    }

    /// Whether `key` is in the map.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Sets the value of `key`, replacing any previous one.
    pub fn insert(&mut self, key: K, value: V) {
        match self.find(&key) {
            Ok(i) => self.entries[i].1 = value,
            Err(i) => self.entries.insert(i, (key, value)),
        }
    }

    /// The value of `key`, inserted as `(make_key(), default)` when missing.
    pub fn get_or_insert<Q: Ord + ?Sized>(
        &mut self,
        key: &Q,
        make_key: impl FnOnce() -> K,
        default: V,
    ) -> &mut V
    where
        K: Borrow<Q>,
    {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (make_key(), default));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// Removes `key` if present.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q)
    where
        K: Borrow<Q>,
    {
        if let Ok(i) = self.find(key) {
            self.entries.remove(i);
        }
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Ord> SortedSet<K> {
    /// Adds `key` to the set.
    pub fn add(&mut self, key: K) {
        self.insert(key, ());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    #[test]
    fn sorted_inserts_lookups_and_removal() {
        let mut m: SortedMap<String, u8> = SortedMap::new();
        for (i, k) in ["b", "a", "c", "a"].iter().enumerate() {
            m.insert(String::from(*k), i as u8);
        }
        let keys: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert_eq!(m.get("a"), Some(&3));
        assert_eq!(m.get("d"), None);
        *m.get_or_insert("d", || String::from("d"), 7) += 1;
        *m.get_or_insert("b", || String::from("b"), 7) += 1;
        assert_eq!(m.get("d"), Some(&8));
        assert_eq!(m.get("b"), Some(&1));
        m.remove("a");
        assert!(!m.contains_key("a"));
        let mut s: SortedSet<i64> = SortedSet::new();
        s.add(3);
        s.add(-1);
        s.add(3);
        assert_eq!(s.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [-1, 3]);
    }
}
