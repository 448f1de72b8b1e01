//! The golden tests (`tests/**/NAME.py` with `NAME.py.exp`) run on the firmware in QEMU,
//! as MicroPython's `run-tests.py -t` runs its suite on a board: each test after a soft reset,
//! sent through the raw REPL (raw-paste, by `pyrite-link`), its output compared with the
//! expected file. The board's files are cleared between tests.
//!
//! The comparison follows the host run (`tests/golden.rs`): stdout, then the traceback and
//! `[exit 1]` when the program raised; a traceback names the test's file where the board says
//! `<stdin>`.
//!
//! [`SKIPS`] lists the tests that cannot run on this board, with the reason; they are not
//! sent (most would exhaust the board's memory and reset it). `PYRITE_QEMU_GOLDEN_ALL=1`
//! runs them too and only reports them; `PYRITE_GOLDEN=substring` selects tests by path.

use std::time::Instant;

use pyrite_link::{block_on, Timeouts};

use crate::support::{first_difference, golden_tests, Golden};
use crate::{image, Qemu};

/// Tests that do not run on the QEMU board, and why.
const SKIPS: &[(&str, &str)] = &[
    // More memory than the board has: the board raises MemoryError where the host goes on.
    (
        "modules/asyncio_module.py",
        "asyncio and the test's own code outgrow the board's heap",
    ),
    (
        "limits/deep_nesting.py",
        "10,000-deep nesting: MemoryError on the board",
    ),
    (
        "modules/deflate_module.py",
        "zlib and gzip streams with 32 KiB windows: MemoryError on the board's heap",
    ),
    // Bigger than the board.
    ("limits/big_literal.py", "a 1 MiB string"),
    (
        "limits/recursion_limit.py",
        "recursion deeper than the board's 100 frames",
    ),
    (
        "functions/decorators.py",
        "recursion deeper than the board's 100 frames",
    ),
    // Not this board's environment.
    (
        "import/import_module.py",
        "imports modules from its own folder",
    ),
    (
        "import/import_package.py",
        "imports a package from its own folder",
    ),
    ("machine/board_io.py", "the simulated pyboard's devices"),
    (
        "machine/pyb_timer.py",
        "hardware timers on QEMU's 16 MHz clock, not the pyboard's 84 MHz (hardware.rs tests them)",
    ),
    (
        "exceptions/system_exit.py",
        "SystemExit is a soft reset on a board",
    ),
];

/// Removes every file but `boot.py` and `main.py` from the board (the tests' leftovers).
const CLEAN: &str = "\
import os
def clean(d):
    for n in os.listdir(d):
        p = d.rstrip('/') + '/' + n
        if os.stat(p)[0] & 0x4000:
            clean(p)
            os.rmdir(p)
        elif p not in ('/boot.py', '/main.py'):
            os.remove(p)
clean('/')
";

/// What the host run would have printed, from the board's stdout and traceback.
fn as_host_output(test: &Golden, stdout: &[u8], stderr: &[u8]) -> String {
    let file = test.py.file_name().unwrap_or_default().to_string_lossy();
    let fix = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .replace("\r\n", "\n")
            .replace("File \"<stdin>\"", &format!("File \"{file}\""))
    };
    let mut out = fix(stdout);
    if !stderr.is_empty() {
        out.push_str(&fix(stderr));
        out.push_str("[exit 1]\n");
    }
    out
}

#[test]
fn golden_tests_on_the_board() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let tests = golden_tests();
    let run_skipped = std::env::var_os("PYRITE_QEMU_GOLDEN_ALL").is_some();
    let (mut qemu, c) = Qemu::boot(&image);
    drop(c);
    let mut board = qemu.link();
    board.set_timeouts(Timeouts {
        reply_ms: 10_000,
        ..Timeouts::default()
    });
    let start = Instant::now();
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    for test in &tests {
        let skip = SKIPS.iter().find(|(name, _)| *name == test.name);
        if let (Some((_, why)), false) = (skip, run_skipped) {
            println!("skip {}: {why}", test.name);
            skipped += 1;
            continue;
        }
        let source = std::fs::read(&test.py).expect("read the test");
        let want =
            String::from_utf8_lossy(&std::fs::read(&test.exp).expect("read .exp")).into_owned();
        // As the host runs it (`pyrite NAME.py`): a fresh interpreter, `sys.argv` naming it.
        let file = test.py.file_name().unwrap_or_default().to_string_lossy();
        let argv = format!("import sys\nsys.argv[:] = [{file:?}]");
        let ran = block_on(board.exec_checked(CLEAN.as_bytes()))
            .and_then(|_| block_on(board.soft_reset()))
            .and_then(|_| block_on(board.exec_checked(argv.as_bytes())))
            .and_then(|_| block_on(board.exec(&source)));
        let verdict = match ran {
            Ok((out, err)) => {
                let got = as_host_output(test, &out, &err);
                if got == want {
                    Ok(())
                } else {
                    Err(first_difference(want.as_bytes(), got.as_bytes()))
                }
            }
            Err(e) => {
                // The board may have reset (a fatal error): start from a fresh connection.
                drop(board);
                board = qemu.link();
                Err(format!("the board did not answer: {e}"))
            }
        };
        match (verdict, skip) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => println!("skipped test passes now: {}", test.name),
            (Err(why), None) => {
                println!("FAIL {}: {why}", test.name);
                failures.push(test.name.clone());
            }
            (Err(why), Some(_)) => {
                println!("skipped test fails: {}: {why}", test.name);
                skipped += 1;
            }
        }
    }
    println!(
        "golden tests on the QEMU board: {passed} passed, {skipped} skipped, {} failed, in {:.1} s",
        failures.len(),
        start.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "failed on the board: {failures:?}");
    assert!(passed > 0, "no golden test ran");
}
