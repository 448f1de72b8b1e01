//! Fuzz target `run`: any source text compiled and run in a small VM ends (in a result or a
//! Python exception), never a panic, a stack overflow or a hang.
//!
//! The heap is small so that `MemoryError` paths are taken, and the port reports Ctrl-C from a
//! bounded number of polls on, so that infinite loops end in `KeyboardInterrupt`.
#![no_main]

mod port;

use libfuzzer_sys::fuzz_target;
use pyrite_core::Vm;

use port::{FuzzPort, HEAP_BYTES};

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = core::str::from_utf8(data) {
        let mut vm = Vm::new(HEAP_BYTES, Box::new(FuzzPort::default()));
        vm.max_frames = 200;
        vm.max_nested = 8;
        let _ = vm.run_main(src, "<fuzz>");
    }
});
