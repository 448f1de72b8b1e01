//! Fuzz target `repl`: any bytes on the board's serial line (friendly keys, paste mode, raw and
//! raw-paste streams, resets, and the programs they carry) leave the REPL able to go on: never
//! a panic, a stack overflow or a hang.
#![no_main]

mod port;

use libfuzzer_sys::fuzz_target;
use pyrite_core::Vm;
use pyrite_repl::{Action, BoardInfo, Repl};

use port::{FuzzPort, HEAP_BYTES};

fuzz_target!(|data: &[u8]| {
    let mut vm = Vm::new(HEAP_BYTES, Box::new(FuzzPort::default()));
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
