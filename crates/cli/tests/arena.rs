//! Programs that ask for more memory than a board has end in `MemoryError`, never in an
//! allocation the board's arena cannot serve (which resets the board).
//!
//! `-X arena=N` caps everything the interpreter allocates, as the pyboard's allocator arena
//! does (a Python heap of 48 KiB inside 122 KiB there; the host's 64-bit objects and its own
//! start-up take more: 28 KiB inside 128 KiB here, where the interpreter alone takes 48 KiB). Each program must end normally, having raised
//! `MemoryError` (or another exception) inside Python: the process aborts with "memory
//! allocation of N bytes failed" when something grows outside the heap's budget.

use std::process::Command;

#[path = "support/arena_programs.rs"]
mod arena_programs;

use arena_programs::{wrapped, PROGRAMS};

#[test]
fn big_requests_are_memory_errors_within_a_boards_arena() {
    let mut failures = Vec::new();
    for program in PROGRAMS {
        let code = wrapped(program);
        let out = Command::new(env!("CARGO_BIN_EXE_pyrite"))
            .args(["-X", "heapsize=28k", "-X", "arena=128k", "-c", &code])
            .output()
            .expect("run pyrite");
        let text = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() || !text.ends_with("end\n") {
            failures.push(format!(
                "{program}: {text}{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
