//! Fuzz target `repl`: any bytes on the board's serial line (friendly keys, paste mode, raw and
//! raw-paste streams, resets, and the programs they carry) leave the REPL able to go on: never
//! a panic, a stack overflow or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyrite_core::port::Port;
use pyrite_core::Vm;
use pyrite_repl::{Action, BoardInfo, Repl};

/// The VM's heap (see the `run` target for why it is small).
const HEAP_BYTES: usize = 64 * 1024;
/// Interrupt polls per program before Ctrl-C is reported.
const POLLS_BEFORE_INTERRUPT: u32 = 64;

/// A port that discards output and presses Ctrl-C when a program runs too long.
struct FuzzPort {
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

fuzz_target!(|data: &[u8]| {
    let mut vm = Vm::new(HEAP_BYTES, Box::new(FuzzPort { polls: 0 }));
    vm.max_frames = 200;
    vm.max_nested = 8;
    let mut repl = Repl::new(BoardInfo {
        board: "fuzz",
        mcu: "fuzz",
        max_source: 4096,
    });
    let mut action = repl.start(&mut vm, None);
    for &b in data {
        // A program that resets the board at every start would loop: a few rounds suffice.
        let mut resets = 0;
        while let Action::Reset(kind) = action {
            resets += 1;
            if resets > 3 {
                return;
            }
            vm.soft_reset();
            action = repl.start(&mut vm, Some(kind));
        }
        action = repl.feed(&mut vm, b);
    }
});
