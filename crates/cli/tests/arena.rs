//! Programs that ask for more memory than a board has end in `MemoryError`, never in an
//! allocation the board's arena cannot serve (which resets the board).
//!
//! `-X arena=N` caps everything the interpreter allocates, as the pyboard's allocator arena
//! does (an 88 KiB Python heap sharing 118 KiB there with the interpreter's own state; the
//! host's 64-bit objects and its own start-up take more: here the interpreter alone takes
//! 48 KiB of 128). Each program runs with a small heap, whose budget runs out first, and with a
//! heap as large as the arena leaves, which then runs out first. Each must end normally,
//! having raised `MemoryError` (or another exception) inside Python: the process aborts with
//! "memory allocation of N bytes failed" when something grows without asking the arena.

use std::process::Command;

#[path = "support/arena_programs.rs"]
mod arena_programs;

use arena_programs::{wrapped, PROGRAMS};

#[test]
fn big_requests_are_memory_errors_within_a_boards_arena() {
    let mut failures = Vec::new();
    for heap in ["heapsize=28k", "heapsize=80k"] {
        for program in PROGRAMS {
            let code = wrapped(program);
            let out = Command::new(env!("CARGO_BIN_EXE_pyrite"))
                .args(["-X", heap, "-X", "arena=128k", "-c", &code])
                .output()
                .expect("run pyrite");
            let text = String::from_utf8_lossy(&out.stdout);
            if !out.status.success() || !text.ends_with("end\n") {
                failures.push(format!(
                    "{heap}, {program}: {text}{}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
