//! The garbage-collected heap: a table of object slots with a byte budget, collected by
//! precise mark and sweep.
//!
//! Invariants:
//! 1. An `Obj` that refers to the heap names a slot that holds a live object, as long as the
//!    object is reachable from the roots.
//! 2. The roots are what the VM lists (frames, globals, modules, the exception being handled),
//!    plus every object allocated since the last *safepoint* (the young list). The dispatch loop
//!    makes a safepoint between instructions, where every live value is in a frame. So native
//!    code may hold the objects it allocates in Rust locals without rooting them; the only rule
//!    is that a value *taken out* of a reachable object and held across an allocation must be
//!    kept with [`Heap::keep`].
//! 3. Allocation is the only place a collection starts. The collect-on-every-allocation mode
//!    (`stress`) proves the rules above on the whole test suite.
//!
//! The budget counts each slot plus the bytes its object owns (`HeapObj::extra_bytes`), so
//! `-X heapsize=16384` means the same on every target. Sweeping recounts it exactly.

use alloc::vec::Vec;

use crate::object::HeapObj;
use crate::value::Obj;

enum Slot {
    Free(u32),
    Used(HeapObj),
}

const NO_FREE: u32 = u32::MAX;

/// The bytes one slot costs.
pub const SLOT_BYTES: usize = core::mem::size_of::<HeapObj>() + 4;

/// The object heap.
pub struct Heap {
    slots: Vec<Slot>,
    marks: Vec<u64>,
    free_head: u32,
    used: usize,
    limit: usize,
    young: Vec<Obj>,
    mark_stack: Vec<Obj>,
    /// Collect before every allocation (the rooting test mode).
    pub stress: bool,
    /// Automatic collection is on (`gc.enable()`); off, the heap collects only when full.
    pub auto: bool,
    /// The number of collections so far.
    pub collections: u32,
    /// Bytes allocated between automatic collections (`gc.threshold`); `None` is half the
    /// budget.
    pub threshold: Option<usize>,
    since_collect: usize,
}

impl Heap {
    /// A heap with a budget of `limit` bytes.
    pub fn new(limit: usize) -> Heap {
        Heap {
            slots: Vec::new(),
            marks: Vec::new(),
            free_head: NO_FREE,
            used: 0,
            limit,
            young: Vec::new(),
            mark_stack: Vec::new(),
            stress: false,
            auto: true,
            collections: 0,
            threshold: None,
            since_collect: 0,
        }
    }

    /// The budget in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The most a working buffer kept beside the heap may take (a `re` match's backtracking
    /// stack, a deflate window): half the budget. A board's arena keeps that much free beside
    /// its heap, so a request beyond it is a `MemoryError`, not an allocation the arena fails.
    pub fn beside_limit(&self) -> usize {
        self.limit / 2
    }

    /// Bytes in use (as of the last collection plus what was allocated since).
    pub fn used(&self) -> usize {
        self.used
    }

    /// Whether an allocation of `bytes` should collect first.
    #[inline]
    pub fn wants_collect(&self, bytes: usize) -> bool {
        self.stress
            || self.used + bytes > self.limit
            || (self.auto && self.since_collect > self.threshold.unwrap_or(self.limit / 2))
    }

    /// Whether `bytes` more fit in the budget.
    #[inline]
    pub fn fits(&self, bytes: usize) -> bool {
        self.used + bytes <= self.limit
    }

    /// Puts an object in a free slot, without checking the budget (the VM checks first).
    pub fn insert(&mut self, obj: HeapObj) -> Obj {
        let bytes = SLOT_BYTES + obj.extra_bytes();
        self.used += bytes;
        self.since_collect += bytes;
        let slot = if self.free_head != NO_FREE {
            let i = self.free_head;
            if let Slot::Free(next) = self.slots[i as usize] {
                self.free_head = next;
            }
            self.slots[i as usize] = Slot::Used(obj);
            i
        } else {
            self.slots.push(Slot::Used(obj));
            if self.slots.len() > self.marks.len() * 64 {
                self.marks.push(0);
            }
            (self.slots.len() - 1) as u32
        };
        let o = Obj::heap(slot);
        self.young.push(o);
        o
    }

    /// Counts `bytes` more against the budget (an object grew).
    #[inline]
    pub fn charge(&mut self, bytes: usize) {
        self.used += bytes;
        self.since_collect += bytes;
    }

    /// The object `o` refers to, if it is a heap object.
    #[inline]
    pub fn get(&self, o: Obj) -> Option<&HeapObj> {
        match self.slots.get(o.as_heap()? as usize) {
            Some(Slot::Used(h)) => Some(h),
            _ => None,
        }
    }

    /// The object `o` refers to, mutably.
    #[inline]
    pub fn get_mut(&mut self, o: Obj) -> Option<&mut HeapObj> {
        match self.slots.get_mut(o.as_heap()? as usize) {
            Some(Slot::Used(h)) => Some(h),
            _ => None,
        }
    }

    /// The young list's length: a safepoint truncates it back to this.
    #[inline]
    pub fn young_mark(&self) -> usize {
        self.young.len()
    }

    /// A safepoint: objects allocated since `mark` are no longer roots by themselves.
    #[inline]
    pub fn safepoint(&mut self, mark: usize) {
        if self.young.len() > mark {
            self.young.truncate(mark);
        }
    }

    /// Keeps `o` alive until the next safepoint (a value taken out of a reachable object).
    #[inline(always)]
    pub fn keep(&mut self, o: Obj) {
        if o.is_heap() {
            self.young.push(o);
        }
    }

    /// Marks `o` and everything reachable from it (call for each root, then `sweep`).
    pub fn mark(&mut self, o: Obj) {
        self.push_mark(o);
        while let Some(o) = self.mark_stack.pop() {
            let Some(slot) = o.as_heap() else { continue };
            if let Some(Slot::Used(h)) = self.slots.get(slot as usize) {
                let stack = &mut self.mark_stack;
                let marks = &mut self.marks;
                h.trace(&mut |child| {
                    if let Some(s) = child.as_heap() {
                        let (w, b) = ((s / 64) as usize, s % 64);
                        if let Some(word) = marks.get_mut(w) {
                            if *word & (1 << b) == 0 {
                                *word |= 1 << b;
                                stack.push(child);
                            }
                        }
                    }
                });
            }
        }
    }

    fn push_mark(&mut self, o: Obj) {
        if let Some(s) = o.as_heap() {
            let (w, b) = ((s / 64) as usize, s % 64);
            if let Some(word) = self.marks.get_mut(w) {
                if *word & (1 << b) == 0 {
                    *word |= 1 << b;
                    self.mark_stack.push(o);
                }
            }
        }
    }

    /// Whether `o` is marked: between marking and `sweep`, whether it survives (the test a
    /// weak reference makes). Values outside the heap always survive.
    pub fn is_marked(&self, o: Obj) -> bool {
        let Some(s) = o.as_heap() else { return true };
        let (w, b) = ((s / 64) as usize, s % 64);
        self.marks.get(w).is_some_and(|word| word & (1 << b) != 0)
    }

    /// Marks the young list (called by the VM as part of its roots).
    pub fn mark_young(&mut self) {
        for i in 0..self.young.len() {
            let o = self.young[i];
            self.mark(o);
        }
    }

    /// Marks everything `obj` (not yet in the heap) refers to.
    pub fn mark_pending(&mut self, obj: &HeapObj) {
        let mut pending = Vec::new();
        obj.trace(&mut |c| pending.push(c));
        for c in pending {
            self.mark(c);
        }
    }

    /// Frees every unmarked object, clears the marks and recounts the bytes in use.
    pub fn sweep(&mut self) {
        let mut used = 0;
        for i in 0..self.slots.len() {
            let marked = self.marks[i / 64] & (1 << (i % 64)) != 0;
            match &self.slots[i] {
                Slot::Used(h) if marked => used += SLOT_BYTES + h.extra_bytes(),
                _ => self.slots[i] = Slot::Free(NO_FREE),
            }
        }
        // Give trailing free slots back.
        while let Some(Slot::Free(_)) = self.slots.last() {
            self.slots.pop();
        }
        let n = self.slots.len();
        self.free_head = NO_FREE;
        for i in (0..n).rev() {
            if let Slot::Free(_) = self.slots[i] {
                self.slots[i] = Slot::Free(self.free_head);
                self.free_head = i as u32;
            }
        }
        self.marks.truncate(n.div_ceil(64));
        for w in self.marks.iter_mut() {
            *w = 0;
        }
        self.slots.shrink_to(n + n / 4 + 16);
        self.used = used;
        self.since_collect = 0;
        self.collections += 1;
    }

    /// The number of live objects (for `gc` statistics and tests).
    pub fn live_objects(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| matches!(s, Slot::Used(_)))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn slot_is_small() {
        // Performance invariant: a heap slot stays within four words on 64-bit hosts.
        assert!(
            core::mem::size_of::<HeapObj>() <= 32,
            "{}",
            core::mem::size_of::<HeapObj>()
        );
    }

    #[test]
    fn unreachable_objects_are_freed() {
        let mut h = Heap::new(1 << 20);
        let a = h.insert(HeapObj::Float(1.0));
        let b = h.insert(HeapObj::List(vec![a]));
        let _c = h.insert(HeapObj::Float(2.0));
        h.safepoint(0);
        h.mark(b);
        h.sweep();
        assert_eq!(h.live_objects(), 2);
        assert!(matches!(h.get(a), Some(HeapObj::Float(_))));
        h.sweep();
        assert_eq!(h.live_objects(), 0);
    }

    #[test]
    fn is_marked_tells_survivors_before_the_sweep() {
        let mut h = Heap::new(1 << 20);
        let a = h.insert(HeapObj::Float(1.0));
        let b = h.insert(HeapObj::Float(2.0));
        h.safepoint(0);
        h.mark(a);
        assert!(h.is_marked(a) && !h.is_marked(b));
        assert!(h.is_marked(Obj::NONE));
        h.sweep();
        assert!(h.get(a).is_some() && h.get(b).is_none());
    }

    #[test]
    fn young_objects_survive_until_safepoint() {
        let mut h = Heap::new(1 << 20);
        let mark = h.young_mark();
        let a = h.insert(HeapObj::Float(1.0));
        h.mark_young();
        h.sweep();
        assert!(h.get(a).is_some());
        h.safepoint(mark);
        h.mark_young();
        h.sweep();
        assert!(h.get(a).is_none());
    }
}
