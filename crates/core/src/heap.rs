//! The garbage-collected heap: a table of object slots with a byte budget, collected by
//! precise mark and sweep.
//!
//! The table grows a page of [`PAGE`] slots at a time. With the `paged-heap` feature (the
//! boards' firmware) each page is its own allocation, so the table never copies itself into
//! one twice its size and the memory the heap takes is what its budget counts: a board can
//! give its heap most of its RAM. Without it (hosts, the browser) the table is one vector,
//! one indirection less on every access to an object.
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
//! The budget counts the table's pages (a free slot costs as much as a used one: it is
//! memory the heap holds) plus the bytes each object owns (`HeapObj::extra_bytes`), so
//! `-X heapsize=16384` means the same on every target and is all the memory the heap takes,
//! apart from its mark bits and work lists. Sweeping recounts it exactly.
//!
//! The work lists never need an allocation that must not fail. The mark stack grows only up
//! to a sixteenth of the budget and only while the allocator can give it more: beyond that a
//! marked object's children wait, and marking ends by scanning the marked objects for them
//! (MicroPython's mark stack overflow). The VM grows the young list with room to spare before
//! each allocation, only if the arena has room ([`Heap::reserve_young`]); a value kept when the
//! allocator cannot grow it is not listed, and until a safepoint outside the level that lost
//! it no collection runs ([`Heap::young_lost`]), so that it cannot be freed: allocations are
//! then a `MemoryError`.

#[cfg(feature = "paged-heap")]
use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::object::HeapObj;
use crate::value::Obj;

enum Slot {
    Free(u32),
    Used(HeapObj),
}

const NO_FREE: u32 = u32::MAX;

/// The values the young list has room for beyond its length after the VM grows it.
pub const YOUNG_SPARE: usize = 16;

/// The fewest values the mark stack may hold, whatever the budget.
const MARK_STACK_MIN: usize = 64;

/// The mark bits and the mark stack, borrowed apart from the table.
struct Gray<'a> {
    max: usize,
    marks: &'a mut Vec<u64>,
    stack: &'a mut Vec<Obj>,
    overflow: &'a mut bool,
}

impl Gray<'_> {
    /// Marks `o` if it is an unmarked heap object, and puts it on the mark stack if the stack
    /// has room or can grow within `max`; else notes that a marked object's children wait for
    /// [`Heap::finish_marking`].
    fn mark(&mut self, o: Obj) {
        let Some(s) = o.as_heap() else { return };
        let (w, b) = ((s / 64) as usize, s % 64);
        let Some(word) = self.marks.get_mut(w) else {
            return;
        };
        if *word & (1 << b) != 0 {
            return;
        }
        *word |= 1 << b;
        let (len, cap) = (self.stack.len(), self.stack.capacity());
        if len == cap {
            let more = len.max(16).min(self.max.saturating_sub(len));
            if more == 0 || self.stack.try_reserve_exact(more).is_err() {
                *self.overflow = true;
                return;
            }
        }
        self.stack.push(o);
    }
}

/// The bytes one slot of the table takes.
pub const SLOT_BYTES: usize = core::mem::size_of::<Slot>();

/// The slots of one page of the table (a power of two).
pub const PAGE: usize = 32;

/// The bytes one page of the table costs: its allocator block.
pub const PAGE_BYTES: usize = block(PAGE * SLOT_BYTES);

/// The bytes before each block of the allocator the heap models.
const BLOCK_HEADER: usize = 8;

/// The allocator's granularity: every block is a multiple of it.
const BLOCK_GRANULE: usize = 16;

/// The memory an allocation of `bytes` takes from the allocator, as the heap counts it: the
/// boards' allocator (TLSF on a 32-bit chip) puts an 8-byte header before each block and
/// rounds the block up to 16 bytes, so a 3-byte string takes 16 and a 9-byte one 32. The
/// budget counts every allocation an object owns this way, on every target, so that a budget
/// holds the same objects everywhere and a board's heap takes from its arena what its budget
/// says. Nothing is allocated for nothing.
pub const fn block(bytes: usize) -> usize {
    if bytes == 0 {
        return 0;
    }
    match bytes.checked_add(BLOCK_HEADER + BLOCK_GRANULE - 1) {
        Some(n) => n & !(BLOCK_GRANULE - 1),
        None => usize::MAX,
    }
}

/// The block the same allocator takes for `size` bytes aligned to `align` (a board's arena
/// counts its blocks with it): an alignment above the header's needs up to the difference
/// in padding.
pub const fn block_for(size: usize, align: usize) -> usize {
    block(size.saturating_add(align.saturating_sub(BLOCK_HEADER)))
}

/// The slots, in pages: `slot(i)` is `pages[i / PAGE][i % PAGE]`.
#[cfg(feature = "paged-heap")]
struct Table {
    pages: Vec<Box<[Slot; PAGE]>>,
}

#[cfg(feature = "paged-heap")]
impl Table {
    const fn new() -> Table {
        Table { pages: Vec::new() }
    }

    #[inline]
    fn slot(&self, i: usize) -> Option<&Slot> {
        self.pages.get(i / PAGE).map(|p| &p[i % PAGE])
    }

    #[inline]
    fn slot_mut(&mut self, i: usize) -> Option<&mut Slot> {
        self.pages.get_mut(i / PAGE).map(|p| &mut p[i % PAGE])
    }

    fn pages(&self) -> usize {
        self.pages.len()
    }

    /// Adds a page of free slots.
    fn grow(&mut self) {
        self.pages
            .push(Box::new([const { Slot::Free(NO_FREE) }; PAGE]));
    }

    /// The bytes the allocator gives for the next page: the page.
    fn growth(&self) -> usize {
        PAGE_BYTES
    }

    /// Keeps the first `pages` pages.
    fn truncate(&mut self, pages: usize) {
        self.pages.truncate(pages);
        self.pages.shrink_to(pages + pages / 4 + 4);
    }

    fn iter(&self) -> impl Iterator<Item = &Slot> {
        self.pages.iter().flat_map(|p| p.iter())
    }
}

/// The slots, in one vector a page longer at a time.
#[cfg(not(feature = "paged-heap"))]
struct Table {
    slots: Vec<Slot>,
}

#[cfg(not(feature = "paged-heap"))]
impl Table {
    const fn new() -> Table {
        Table { slots: Vec::new() }
    }

    #[inline]
    fn slot(&self, i: usize) -> Option<&Slot> {
        self.slots.get(i)
    }

    #[inline]
    fn slot_mut(&mut self, i: usize) -> Option<&mut Slot> {
        self.slots.get_mut(i)
    }

    fn pages(&self) -> usize {
        self.slots.len() / PAGE
    }

    /// Adds a page of free slots.
    fn grow(&mut self) {
        self.slots
            .resize_with(self.slots.len() + PAGE, || Slot::Free(NO_FREE));
    }

    /// The bytes the allocator gives for the next page: when the vector is full, all of it
    /// at least twice over, beside the old one until it moves.
    fn growth(&self) -> usize {
        let (len, cap) = (self.slots.len(), self.slots.capacity());
        if len + PAGE <= cap {
            return 0;
        }
        let grown = (len + PAGE).max(cap * 2);
        block(grown * SLOT_BYTES) + block(cap * SLOT_BYTES)
    }

    /// Keeps the first `pages` pages.
    fn truncate(&mut self, pages: usize) {
        self.slots.truncate(pages * PAGE);
        let n = self.slots.len();
        self.slots.shrink_to(n + n / 4 + PAGE);
    }

    fn iter(&self) -> impl Iterator<Item = &Slot> {
        self.slots.iter()
    }
}

/// The object heap.
pub struct Heap {
    table: Table,
    /// Slots `len..` of the last page are free but on no free list (the table's end).
    len: usize,
    marks: Vec<u64>,
    free_head: u32,
    used: usize,
    limit: usize,
    young: Vec<Obj>,
    /// The young list's length when a value could not be listed (`usize::MAX`: none was).
    young_lost_at: usize,
    mark_stack: Vec<Obj>,
    /// Marked objects whose children are not on the mark stack (it was full).
    mark_overflow: bool,
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
            table: Table::new(),
            len: 0,
            marks: Vec::new(),
            free_head: NO_FREE,
            used: 0,
            limit,
            // Never empty for want of memory: a lost value is always above a safepoint.
            young: Vec::with_capacity(YOUNG_SPARE),
            young_lost_at: usize::MAX,
            mark_stack: Vec::new(),
            mark_overflow: false,
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
    /// stack, a deflate window): half the budget; on a board also no more than its arena has
    /// left (`Vm::beside_max`), so a request beyond it is a `MemoryError`, not an allocation
    /// the arena fails.
    pub fn beside_limit(&self) -> usize {
        self.limit / 2
    }

    /// Bytes in use (as of the last collection plus what was allocated since).
    pub fn used(&self) -> usize {
        self.used
    }

    /// What putting an object that owns `owned` bytes in the heap adds to the bytes in use:
    /// what it owns, and a page of the table when the table has no free slot.
    #[inline]
    pub fn object_cost(&self, owned: usize) -> usize {
        if self.free_head == NO_FREE && self.len.is_multiple_of(PAGE) {
            owned + PAGE_BYTES
        } else {
            owned
        }
    }

    /// What the allocator must give for the next object's slot, beyond what the object owns:
    /// the table's growth when it has no free slot.
    #[inline]
    pub fn arena_growth(&self) -> usize {
        if self.free_head == NO_FREE && self.len.is_multiple_of(PAGE) {
            self.table.growth()
        } else {
            0
        }
    }

    /// Whether an allocation of `bytes` (an [`Heap::object_cost`], or an object's growth)
    /// should collect first.
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
        let owned = obj.extra_bytes();
        self.used += self.object_cost(owned);
        // Automatic collection paces itself on what is allocated, slots included.
        self.since_collect += SLOT_BYTES + owned;
        let i = if self.free_head != NO_FREE {
            self.free_head as usize
        } else {
            if self.len.is_multiple_of(PAGE) {
                self.table.grow();
            }
            if self.len >= self.marks.len() * 64 {
                self.marks.push(0);
            }
            self.len += 1;
            self.len - 1
        };
        let Some(slot) = self.table.slot_mut(i) else {
            // The free list and the table's end name slots of the table.
            return Obj::NONE;
        };
        let next = match core::mem::replace(slot, Slot::Used(obj)) {
            Slot::Free(next) => next,
            Slot::Used(_) => NO_FREE,
        };
        if self.free_head != NO_FREE {
            self.free_head = next;
        }
        let slot = i as u32;
        let o = Obj::heap(slot);
        self.list_young(o);
        o
    }

    /// Lists `o` in the young list, if the allocator can grow it; else notes the loss.
    #[inline(always)]
    fn list_young(&mut self, o: Obj) {
        if self.young.len() == self.young.capacity() && self.young.try_reserve(YOUNG_SPARE).is_err()
        {
            self.young_lost_at = self.young_lost_at.min(self.young.len());
            return;
        }
        self.young.push(o);
    }

    /// The young list's length and capacity.
    pub fn young_len_capacity(&self) -> (usize, usize) {
        (self.young.len(), self.young.capacity())
    }

    /// Room in the young list for `additional` more values; false if the allocator refused.
    /// (The VM asks first whether the arena has room for it.)
    pub fn reserve_young(&mut self, additional: usize) -> bool {
        self.young.try_reserve_exact(additional).is_ok()
    }

    /// Whether a value could not be listed in the young list since the safepoint below it:
    /// no collection may run until then.
    pub fn young_lost(&self) -> bool {
        self.young_lost_at != usize::MAX
    }

    /// Counts `bytes` more against the budget (an object grew).
    #[inline]
    pub fn charge(&mut self, bytes: usize) {
        self.used += bytes;
        self.since_collect += bytes;
    }

    /// Gives `bytes` charged ahead of a growth that did not take them back to the budget.
    #[inline]
    pub fn refund(&mut self, bytes: usize) {
        self.used = self.used.saturating_sub(bytes);
    }

    /// The object `o` refers to, if it is a heap object.
    #[inline]
    pub fn get(&self, o: Obj) -> Option<&HeapObj> {
        match self.table.slot(o.as_heap()? as usize) {
            Some(Slot::Used(h)) => Some(h),
            _ => None,
        }
    }

    /// The object `o` refers to, mutably.
    #[inline]
    pub fn get_mut(&mut self, o: Obj) -> Option<&mut HeapObj> {
        match self.table.slot_mut(o.as_heap()? as usize) {
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
        // A level below the one that lost a value: nothing above it is held any more.
        if mark < self.young_lost_at {
            self.young_lost_at = usize::MAX;
        }
    }

    /// Keeps `o` alive until the next safepoint (a value taken out of a reachable object).
    #[inline(always)]
    pub fn keep(&mut self, o: Obj) {
        if o.is_heap() {
            self.list_young(o);
        }
    }

    /// Marks `o` and everything reachable from it (call for each root, then `sweep`).
    pub fn mark(&mut self, o: Obj) {
        self.push_mark(o);
        self.drain_marks();
    }

    /// Marks the children of the objects on the mark stack until it is empty.
    fn drain_marks(&mut self) {
        while let Some(o) = self.mark_stack.pop() {
            self.mark_children(o);
        }
    }

    /// Marks the unmarked children of `o` and puts them on the mark stack.
    fn mark_children(&mut self, o: Obj) {
        let Some(slot) = o.as_heap() else { return };
        if let Some(Slot::Used(h)) = self.table.slot(slot as usize) {
            let mut gray = Gray {
                max: self.mark_stack_max(),
                marks: &mut self.marks,
                stack: &mut self.mark_stack,
                overflow: &mut self.mark_overflow,
            };
            h.trace(&mut |child| gray.mark(child));
        }
    }

    fn push_mark(&mut self, o: Obj) {
        self.gray().mark(o);
    }

    /// Marking's state, for marking children while an object is borrowed.
    fn gray(&mut self) -> Gray<'_> {
        Gray {
            max: self.mark_stack_max(),
            marks: &mut self.marks,
            stack: &mut self.mark_stack,
            overflow: &mut self.mark_overflow,
        }
    }

    /// The most values the mark stack may hold: a sixteenth of the budget.
    fn mark_stack_max(&self) -> usize {
        (self.limit / 16 / core::mem::size_of::<Obj>()).max(MARK_STACK_MIN)
    }

    /// After a full mark stack: marks the children of every marked object, until no object
    /// waits (each pass marks what the last could not hold). Call after marking the roots,
    /// before asking [`Heap::is_marked`]; `sweep` calls it too.
    pub fn finish_marking(&mut self) {
        while self.mark_overflow {
            self.mark_overflow = false;
            for i in 0..self.len {
                let marked = self
                    .marks
                    .get(i / 64)
                    .is_some_and(|w| w & (1 << (i % 64)) != 0);
                if marked {
                    self.mark_children(Obj::heap(i as u32));
                    self.drain_marks();
                }
            }
        }
    }

    /// Whether `o` is marked: between [`Heap::finish_marking`] and `sweep`, whether it
    /// survives (the test a weak reference makes). Values outside the heap always survive.
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
        let mut gray = self.gray();
        obj.trace(&mut |c| gray.mark(c));
        self.drain_marks();
    }

    /// Frees every unmarked object, clears the marks and recounts the bytes in use.
    pub fn sweep(&mut self) {
        self.finish_marking();
        // The stack's memory goes back to the arena until the next collection.
        self.mark_stack = Vec::new();
        let mut owned = 0;
        let mut last_used = 0;
        for i in 0..self.len {
            let marked = self.marks[i / 64] & (1 << (i % 64)) != 0;
            let Some(slot) = self.table.slot_mut(i) else {
                break;
            };
            match slot {
                Slot::Used(h) if marked => {
                    owned += h.extra_bytes();
                    last_used = i + 1;
                }
                _ => *slot = Slot::Free(NO_FREE),
            }
        }
        // Give the pages after the last used slot back.
        self.len = last_used;
        self.table.truncate(last_used.div_ceil(PAGE));
        self.free_head = NO_FREE;
        for i in (0..self.len).rev() {
            if let Some(slot @ Slot::Free(_)) = self.table.slot_mut(i) {
                *slot = Slot::Free(self.free_head);
                self.free_head = i as u32;
            }
        }
        self.marks.truncate(self.len.div_ceil(64));
        for w in self.marks.iter_mut() {
            *w = 0;
        }
        self.used = self.table.pages() * PAGE_BYTES + owned;
        self.since_collect = 0;
        self.collections += 1;
    }

    /// The number of live objects (for `gc` statistics and tests).
    pub fn live_objects(&self) -> usize {
        self.table
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
    fn the_budget_counts_the_tables_pages() {
        let mut h = Heap::new(3 * PAGE_BYTES);
        let mut n = 0;
        while h.fits(h.object_cost(0)) {
            let o = h.insert(HeapObj::Float(n as f64));
            h.keep(o);
            n += 1;
        }
        assert_eq!(n, 3 * PAGE);
        assert_eq!(h.used(), 3 * PAGE_BYTES);
        // Only the last object survives: the table cannot shrink below it, and its free
        // slots still count, but they take new objects without costing more.
        let last = Obj::heap((n - 1) as u32);
        h.safepoint(0);
        h.mark(last);
        h.sweep();
        assert_eq!(h.live_objects(), 1);
        assert_eq!(h.used(), 3 * PAGE_BYTES);
        assert_eq!(h.object_cost(0), 0);
        let o = h.insert(HeapObj::Float(0.5));
        assert_eq!(o.as_heap(), Some(0));
        assert_eq!(h.used(), 3 * PAGE_BYTES);
        // With no object at its end, the table gives its pages back.
        h.safepoint(0);
        h.mark(o);
        h.sweep();
        assert_eq!(h.used(), PAGE_BYTES);
        assert_eq!(h.live_objects(), 1);
    }

    #[test]
    fn the_budget_counts_allocator_blocks() {
        assert_eq!(block(0), 0);
        assert_eq!(block(3), 16);
        assert_eq!(block(8), 16);
        assert_eq!(block(9), 32);
        assert_eq!(block(usize::MAX), usize::MAX);
        assert_eq!(block_for(16, 32), 48);
        assert_eq!(block_for(16, 4), 32);
        let mut h = Heap::new(1 << 20);
        let o = h.insert(HeapObj::Bytes(alloc::boxed::Box::from(&b"abc"[..])));
        assert_eq!(h.get(o).map(HeapObj::extra_bytes), Some(16));
        assert_eq!(h.used(), PAGE_BYTES + 16);
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
    fn marking_finishes_after_the_mark_stack_is_full() {
        // A budget whose mark stack holds only MARK_STACK_MIN values.
        let mut h = Heap::new(1024);
        assert_eq!(h.mark_stack_max(), MARK_STACK_MIN);
        let floats: Vec<Obj> = (0..1000)
            .map(|i| h.insert(HeapObj::Float(i as f64)))
            .collect();
        let wide = h.insert(HeapObj::List(floats.clone()));
        // A chain of 300 lists, each holding the next and a float of its own.
        let mut chain = h.insert(HeapObj::List(vec![]));
        for i in 0..300 {
            let f = h.insert(HeapObj::Float(-(i as f64)));
            chain = h.insert(HeapObj::List(vec![chain, f]));
        }
        let root = h.insert(HeapObj::List(vec![wide, chain]));
        let garbage = h.insert(HeapObj::Float(0.5));
        let live = h.live_objects() - 1;
        h.safepoint(0);
        h.mark(root);
        assert!(h.mark_overflow, "the test must overflow the mark stack");
        h.sweep();
        assert_eq!(h.live_objects(), live);
        assert!(h.get(garbage).is_none());
        assert!(floats.iter().all(|&f| h.get(f).is_some()));
        assert!(!h.mark_overflow && h.mark_stack.capacity() == 0);
    }

    #[test]
    fn a_lost_young_value_holds_off_collection_below_its_level() {
        let mut h = Heap::new(1 << 20);
        assert!(!h.young_lost());
        // As when the young list could not grow at length 20.
        h.young_lost_at = 20;
        assert!(h.young_lost());
        // The level that lost it, or one above, leaves it lost.
        h.safepoint(20);
        h.safepoint(25);
        assert!(h.young_lost());
        h.safepoint(19);
        assert!(!h.young_lost());
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
