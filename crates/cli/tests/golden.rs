//! The golden tests: every `tests/**/NAME.py` of the repository that has a sibling `NAME.py.exp`
//! is run by the `pyrite` binary, and its output must equal the `.exp` file byte for byte.
//!
//! Each test runs as `pyrite NAME.py` in the file's own folder, with stdin empty, stderr merged
//! into stdout (in the order they were written) and a time limit. The recorded output is what
//! the program printed, followed by `[exit N]\n` when it exited with a non-zero status N, or by
//! `[timeout]\n` when it was killed at the time limit.
//!
//! Environment:
//! - `PYRITE_GOLDEN=substring`: run only the tests whose path (relative to `tests/`) contains it.
//! - `PYRITE_GCSTRESS=1`: run with `-X gcstress -X heapsize=64k` (collect on every allocation, a
//!   small heap), skipping the tests whose first line is `# skip-gcstress`.
//!
//! Every failure is reported with its first differing line before the test fails.

mod support;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use support::{first_difference, golden_tests, Golden};

/// How long one test may run before it is killed.
const TIME_LIMIT: Duration = Duration::from_secs(10);

/// The first line that excludes a test from the GC-stress run (for tests that need a big heap).
const SKIP_GCSTRESS: &str = "# skip-gcstress";

/// The interpreter arguments of the GC-stress run.
const GCSTRESS_ARGS: [&str; 4] = ["-X", "gcstress", "-X", "heapsize=64k"];

/// The outcome of one failed test, ready to print.
struct Failure {
    name: String,
    detail: String,
}

fn first_line_is_skip_gcstress(py: &Path) -> bool {
    std::fs::read_to_string(py)
        .map(|src| src.lines().next().map(str::trim_end) == Some(SKIP_GCSTRESS))
        .unwrap_or(false)
}

/// Runs one test and returns its recorded output (see the module doc for the format).
fn run(test: &Golden, extra_args: &[&str]) -> Result<Vec<u8>, String> {
    let dir = test.py.parent().ok_or("no parent folder")?;
    let file = test.py.file_name().ok_or("no file name")?;
    let (mut reader, writer) = std::io::pipe().map_err(|e| format!("pipe: {e}"))?;
    let writer2 = writer.try_clone().map_err(|e| format!("pipe: {e}"))?;
    let mut command = Command::new(env!("CARGO_BIN_EXE_pyrite"));
    command
        .args(extra_args)
        .arg(file)
        .current_dir(dir)
        .env_remove("MICROPYPATH")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(writer2);
    let mut child = command.spawn().map_err(|e| format!("spawn: {e}"))?;
    // The command holds the write ends of the pipe: drop them so that reading ends with the child.
    drop(command);
    let read_all = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = reader.read_to_end(&mut out);
        out
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() >= TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("wait: {e}")),
        }
    };
    let mut out = read_all.join().map_err(|_| "reader thread panicked")?;
    match status {
        None => out.extend_from_slice(b"[timeout]\n"),
        Some(status) if !status.success() => {
            let code = status
                .code()
                .map_or_else(|| "signal".to_string(), |c| c.to_string());
            out.extend_from_slice(format!("[exit {code}]\n").as_bytes());
        }
        Some(_) => {}
    }
    Ok(out)
}

fn check(test: &Golden, extra_args: &[&str]) -> Result<(), String> {
    let want = std::fs::read(&test.exp).map_err(|e| format!("reading .exp: {e}"))?;
    let got = run(test, extra_args)?;
    if got == want {
        Ok(())
    } else {
        Err(first_difference(&want, &got))
    }
}

#[test]
fn golden() {
    let mut tests = golden_tests();
    let gcstress = std::env::var("PYRITE_GCSTRESS").is_ok_and(|v| !v.is_empty() && v != "0");
    let before = tests.len();
    if gcstress {
        tests.retain(|t| !first_line_is_skip_gcstress(&t.py));
    }
    let skipped = before - tests.len();
    let extra_args: &[&str] = if gcstress { &GCSTRESS_ARGS } else { &[] };

    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(test) = tests.get(i) else { break };
                if let Err(detail) = check(test, extra_args) {
                    let failure = Failure {
                        name: test.name.clone(),
                        detail,
                    };
                    failures
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(failure);
                }
            });
        }
    });

    let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    failures.sort_by(|a, b| a.name.cmp(&b.name));
    for f in &failures {
        eprintln!("FAIL {}: {}", f.name, f.detail);
    }
    let mode = if gcstress { " (gc stress)" } else { "" };
    eprintln!(
        "golden{mode}: {} passed, {} failed, {skipped} skipped",
        tests.len() - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} golden test(s) failed",
        failures.len()
    );
}
