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

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long one test may run before it is killed.
const TIME_LIMIT: Duration = Duration::from_secs(10);

/// The first line that excludes a test from the GC-stress run (for tests that need a big heap).
const SKIP_GCSTRESS: &str = "# skip-gcstress";

/// The interpreter arguments of the GC-stress run.
const GCSTRESS_ARGS: [&str; 4] = ["-X", "gcstress", "-X", "heapsize=64k"];

/// One golden test: the `.py` file and its expected output.
struct Golden {
    /// The path relative to `tests/`, for reports and the filter.
    name: String,
    /// The program.
    py: PathBuf,
    /// Its expected output.
    exp: PathBuf,
}

/// The outcome of one failed test, ready to print.
struct Failure {
    name: String,
    detail: String,
}

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests")
}

/// Collects every `.py` under `dir` with a sibling `.py.exp`, in a stable order.
fn collect(root: &Path, dir: &Path, out: &mut Vec<Golden>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "py") {
            let mut exp = path.clone().into_os_string();
            exp.push(".exp");
            let exp = PathBuf::from(exp);
            if exp.is_file() {
                let name = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned();
                out.push(Golden {
                    name,
                    py: path,
                    exp,
                });
            }
        }
    }
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

/// Describes the first line where `got` and `want` differ.
fn first_difference(want: &[u8], got: &[u8]) -> String {
    let want_lines: Vec<&[u8]> = want.split(|&b| b == b'\n').collect();
    let got_lines: Vec<&[u8]> = got.split(|&b| b == b'\n').collect();
    let show = |line: Option<&&[u8]>| match line {
        Some(l) => format!("{:?}", String::from_utf8_lossy(&l[..l.len().min(200)])),
        None => "(end of output)".to_string(),
    };
    for i in 0..want_lines.len().max(got_lines.len()) {
        let (w, g) = (want_lines.get(i), got_lines.get(i));
        if w != g {
            return format!(
                "line {}:\n    expected {}\n    got      {}",
                i + 1,
                show(w),
                show(g)
            );
        }
    }
    "outputs differ".to_string()
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
    let root = tests_dir();
    let mut tests = Vec::new();
    collect(&root, &root, &mut tests);
    let filter = std::env::var("PYRITE_GOLDEN").unwrap_or_default();
    let gcstress = std::env::var("PYRITE_GCSTRESS").is_ok_and(|v| !v.is_empty() && v != "0");
    let before = tests.len();
    tests.retain(|t| t.name.contains(&filter));
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
