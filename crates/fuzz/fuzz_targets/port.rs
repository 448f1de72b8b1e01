//! The port the `run` and `repl` targets give their VM: output is discarded, and Ctrl-C is
//! pressed once a program has polled for it long enough, so infinite loops end in
//! `KeyboardInterrupt`.

use pyrite_core::port::Port;

/// The VM's heap. Small enough that no single native step runs for seconds: decimal conversion
/// of a big int is quadratic in its size (as in MicroPython), and a 200 KB int already takes
/// ~9 s to print under the sanitizer, past libFuzzer's timeout.
pub const HEAP_BYTES: usize = 64 * 1024;
/// Interrupt polls (one per 1024 backward jumps or calls) before Ctrl-C is reported.
const POLLS_BEFORE_INTERRUPT: u32 = 64;

/// A port that discards output and presses Ctrl-C, for good, after a while; a new program (the
/// REPL arming Ctrl-C again) starts the count afresh.
#[derive(Default)]
pub struct FuzzPort {
    polls: u32,
}

impl Port for FuzzPort {
    fn stdout(&mut self, _data: &[u8]) {}

    fn interrupted(&mut self) -> bool {
        self.polls = self.polls.saturating_add(1);
        self.polls > POLLS_BEFORE_INTERRUPT
    }

    fn set_interrupt_char(&mut self, _c: Option<u8>) {
        self.polls = 0;
    }
}
