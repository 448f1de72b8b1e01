//! Fuzz target `compile`: any source text given to the compiler yields code or a
//! `CompileError`, never a panic, a stack overflow or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyrite_compiler::Mode;

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = core::str::from_utf8(data) {
        let _ = pyrite_compiler::compile(src, "<fuzz>", Mode::Exec);
    }
});
