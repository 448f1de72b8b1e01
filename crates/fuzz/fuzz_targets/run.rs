//! Fuzz target `run`: any source text compiled and run in a small VM ends (in a result or a
//! Python exception), never a panic, a stack overflow or a hang.
//!
//! The heap is small so that `MemoryError` paths are taken, and the port reports Ctrl-C from a
//! bounded number of polls on, so that infinite loops end in `KeyboardInterrupt`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyrite_core::port::Port;
use pyrite_core::Vm;

/// The VM's heap. Small enough that no single native step runs for seconds: decimal conversion
/// of a big int is quadratic in its size (as in MicroPython), and a 200 KB int already takes
/// ~9 s to print under the sanitizer, past libFuzzer's timeout.
const HEAP_BYTES: usize = 64 * 1024;
/// Interrupt polls (one per 1024 backward jumps or calls) before Ctrl-C is reported.
const POLLS_BEFORE_INTERRUPT: u32 = 64;

/// A port that discards output and presses Ctrl-C, for good, after a while.
struct FuzzPort {
    polls: u32,
}

impl Port for FuzzPort {
    fn stdout(&mut self, _data: &[u8]) {}

    fn interrupted(&mut self) -> bool {
        self.polls = self.polls.saturating_add(1);
        self.polls > POLLS_BEFORE_INTERRUPT
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = core::str::from_utf8(data) {
        let mut vm = Vm::new(HEAP_BYTES, Box::new(FuzzPort { polls: 0 }));
        vm.max_frames = 200;
        vm.max_nested = 8;
        let _ = vm.run_main(src, "<fuzz>");
    }
});
