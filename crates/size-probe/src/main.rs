//! The flash-size probe: the smallest firmware that runs a Python script with Pyrite, so that
//! its `.text`, `.rodata` and `.data` are what the interpreter costs on a Cortex-M4F.
//!
//! It never runs on hardware: it only has to link. Still, it is a complete program (reset
//! handler that sets up `.data` and `.bss`, a heap, a console that discards output), so that
//! nothing the interpreter needs can be optimised away.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::boxed::Box;
use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

use pyrite_core::port::Port;
use pyrite_core::Vm;

/// The memory the allocator hands out (Python objects, compiled code, the VM's stacks).
const ARENA_BYTES: usize = 160 * 1024;
/// The GC budget given to the VM, below the arena so the allocator's own slack fits.
const HEAP_BYTES: usize = 128 * 1024;

/// The script: a function, a loop, a few built-in types and formatting.
const SCRIPT: &str = "\
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
d = {'a': [1, 2.5, 'x'], 'b': (3,)}
for k in sorted(d):
    print(k, d[k], fib(10))
";

/// A bump allocator over a static arena: it never frees. The simplest allocator that works,
/// so the measurement is the interpreter's and not the allocator's.
struct Bump {
    arena: UnsafeCell<[u8; ARENA_BYTES]>,
    next: UnsafeCell<usize>,
}

// SAFETY: the probe is single-threaded and has no interrupt handlers that allocate.
unsafe impl Sync for Bump {}

// SAFETY: every block returned is inside the arena, aligned as asked, and never handed out
// twice (`next` only grows).
unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let base = self.arena.get() as usize;
        let next = &mut *self.next.get();
        let start = match (base + *next).checked_next_multiple_of(layout.align()) {
            Some(s) => s,
            None => return core::ptr::null_mut(),
        };
        let end = match start.checked_add(layout.size()) {
            Some(e) if e <= base + ARENA_BYTES => e,
            _ => return core::ptr::null_mut(),
        };
        *next = end - base;
        start as *mut u8
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}

#[global_allocator]
static ALLOCATOR: Bump = Bump {
    arena: UnsafeCell::new([0; ARENA_BYTES]),
    next: UnsafeCell::new(0),
};

/// A console with nothing attached: output is consumed and dropped.
struct NullPort;

impl Port for NullPort {
    fn stdout(&mut self, data: &[u8]) {
        core::hint::black_box(data);
    }
}

fn run() {
    let mut vm = Vm::new(HEAP_BYTES, Box::new(NullPort));
    let _ = vm.run_main(SCRIPT, "main.py");
}

extern "C" {
    static mut __sdata: u32;
    static mut __edata: u32;
    static __sidata: u32;
    static mut __sbss: u32;
    static mut __ebss: u32;
}

/// The reset handler: initialises `.data` and `.bss`, runs the script, then sleeps.
#[no_mangle]
pub extern "C" fn reset() -> ! {
    // SAFETY: the symbols come from `link.x`, word-aligned, with start <= end; nothing has
    // read `.data` or `.bss` yet.
    unsafe {
        let mut dst = &raw mut __sdata;
        let mut src = &raw const __sidata;
        while dst < &raw mut __edata {
            dst.write_volatile(src.read());
            dst = dst.add(1);
            src = src.add(1);
        }
        let mut dst = &raw mut __sbss;
        while dst < &raw mut __ebss {
            dst.write_volatile(0);
            dst = dst.add(1);
        }
    }
    run();
    loop {
        core::hint::spin_loop();
    }
}

/// The vector table's reset entry (the initial stack pointer comes first, from `link.x`).
#[link_section = ".vector_table.reset"]
#[used]
static RESET_VECTOR: extern "C" fn() -> ! = reset;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {
        core::hint::spin_loop();
    }
}
