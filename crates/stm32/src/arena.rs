//! The allocator: TLSF over the arena, counting the bytes in use (its blocks: each request's
//! header and rounding, as `heap::block_for` models them) and the most that ever were,
//! which `micropython.mem_info()` prints (`Port::memory`). The Python heap's budget is part of
//! the arena; the rest holds what lives beside it (the compiler's working memory, frames, the
//! console's buffers), and the peak shows how close a program came to the arena's end.

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering};

use embedded_alloc::TlsfHeap;
use pyrite_core::heap::block_for;
use pyrite_core::port::MemoryUse;

/// TLSF with counters.
pub struct Arena {
    tlsf: TlsfHeap,
    size: AtomicUsize,
    used: AtomicUsize,
    peak: AtomicUsize,
}

impl Arena {
    /// An allocator with no memory yet.
    pub const fn empty() -> Arena {
        Arena {
            tlsf: TlsfHeap::empty(),
            size: AtomicUsize::new(0),
            used: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// Gives the allocator its memory.
    ///
    /// # Safety
    /// As `TlsfHeap::init`: `start..start + size` is memory nothing else uses, and this is
    /// called once, before any allocation.
    pub unsafe fn init(&self, start: usize, size: usize) {
        // SAFETY: passed on from the caller.
        unsafe { self.tlsf.init(start, size) };
        self.size.store(size, Ordering::Relaxed);
    }

    /// The arena's size, the bytes allocated now and the most ever allocated at once.
    pub fn usage(&self) -> MemoryUse {
        MemoryUse {
            total: self.size.load(Ordering::Relaxed),
            used: self.used.load(Ordering::Relaxed),
            peak: self.peak.load(Ordering::Relaxed),
        }
    }

    /// The bytes not allocated (some of them too scattered for a large allocation).
    pub fn free(&self) -> usize {
        let size = self.size.load(Ordering::Relaxed);
        size.saturating_sub(self.used.load(Ordering::Relaxed))
    }

    /// The arena's block for `layout`: TLSF's header and granularity, as the Python heap
    /// counts its objects' memory.
    fn block(layout: Layout) -> usize {
        block_for(layout.size(), layout.align())
    }

    fn grew(&self, bytes: usize) {
        let now = self.used.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.peak.fetch_max(now, Ordering::Relaxed);
    }

    fn shrank(&self, bytes: usize) {
        self.used.fetch_sub(bytes, Ordering::Relaxed);
    }
}

// SAFETY: every call goes to the TLSF allocator unchanged; the counters only observe.
unsafe impl GlobalAlloc for Arena {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller keeps `GlobalAlloc::alloc`'s contract, which is passed on.
        let p = unsafe { self.tlsf.alloc(layout) };
        if !p.is_null() {
            self.grew(Self::block(layout));
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` with `layout` (the caller's contract).
        unsafe { self.tlsf.dealloc(ptr, layout) };
        self.shrank(Self::block(layout));
    }
}
