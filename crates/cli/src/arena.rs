//! `-X arena=N`: the process' memory capped as a board's allocator arena is.
//!
//! On a board the Python heap (`-X heapsize`) is a budget inside the allocator's fixed arena;
//! whatever the interpreter allocates outside the budget (tables, frames, the compiler's
//! working memory, buffers) comes from the rest of the arena, and an allocation the arena
//! cannot serve resets the board. With a cap, this allocator fails every allocation that would
//! take the live total over it, as the arena would, so that host tests find the allocations that
//! escape the budget (the process aborts with `memory allocation of N bytes failed`).
//!
//! It counts the arena's blocks, as the boards' allocator takes them (`heap::block_for`: a
//! header and rounding), not the bytes asked for.
//!
//! A reallocation counts as the arena's worst case: the new block is taken while the old one
//! is still held, as when the arena cannot grow a block in place and moves it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use pyrite_core::heap::block_for;
use pyrite_core::port::MemoryUse;

/// The system allocator, with a cap on the bytes live at once.
pub struct Capped {
    live: AtomicUsize,
    cap: AtomicUsize,
    /// What was live when the cap was set (the arena's size is counted from there).
    base: AtomicUsize,
    /// The most bytes live at once.
    peak: AtomicUsize,
}

impl Capped {
    pub const fn new() -> Capped {
        Capped {
            live: AtomicUsize::new(0),
            cap: AtomicUsize::new(usize::MAX),
            base: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// Caps the bytes live from now on at what is live now plus `bytes`.
    pub fn cap(&self, bytes: usize) {
        let live = self.live.load(Ordering::Relaxed);
        self.base.store(live, Ordering::Relaxed);
        self.peak.store(live, Ordering::Relaxed);
        self.cap
            .store(live.saturating_add(bytes), Ordering::Relaxed);
    }

    /// The capped memory's size, use and peak, counted from when the cap was set.
    pub fn usage(&self) -> MemoryUse {
        let base = self.base.load(Ordering::Relaxed);
        MemoryUse {
            total: self.cap.load(Ordering::Relaxed).saturating_sub(base),
            used: self.live.load(Ordering::Relaxed).saturating_sub(base),
            peak: self.peak.load(Ordering::Relaxed).saturating_sub(base),
        }
    }

    /// The bytes the cap leaves free.
    pub fn free(&self) -> usize {
        let cap = self.cap.load(Ordering::Relaxed);
        cap.saturating_sub(self.live.load(Ordering::Relaxed))
    }

    /// Takes `size` more bytes, if the cap allows.
    fn take(&self, size: usize) -> bool {
        let cap = self.cap.load(Ordering::Relaxed);
        let mut live = self.live.load(Ordering::Relaxed);
        loop {
            let Some(new) = live.checked_add(size).filter(|&n| n <= cap) else {
                return false;
            };
            match self
                .live
                .compare_exchange_weak(live, new, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => {
                    self.peak.fetch_max(new, Ordering::Relaxed);
                    return true;
                }
                Err(now) => live = now,
            }
        }
    }
}

// SAFETY: every call goes to the system allocator with the caller's layout and pointer
// unchanged; the counting around it never changes what is returned except to refuse (null),
// which `GlobalAlloc` allows.
unsafe impl GlobalAlloc for Capped {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let bytes = block_for(layout.size(), layout.align());
        if !self.take(bytes) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract for `alloc` is the system allocator's.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            self.live.fetch_sub(bytes, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this layout (see `alloc` and `realloc`).
        unsafe { System.dealloc(ptr, layout) };
        self.live
            .fetch_sub(block_for(layout.size(), layout.align()), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = block_for(layout.size(), layout.align());
        let new = block_for(new_size, layout.align());
        // Growing, the new block is taken before the old one is given back.
        if new > old && !self.take(new) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract for `realloc` is the system allocator's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if new > old {
            let back = if p.is_null() { new } else { old };
            self.live.fetch_sub(back, Ordering::Relaxed);
        } else if !p.is_null() {
            self.live.fetch_sub(old - new, Ordering::Relaxed);
        }
        p
    }
}
