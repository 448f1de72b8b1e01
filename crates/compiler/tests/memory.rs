//! What compiling costs in memory: the peak of heap bytes per source byte for real sources,
//! and the Rust stack per bracket nesting level. A board's compiler runs in a fixed arena
//! beside a small stack, so both figures are bounded here; `--nocapture` prints them.
//!
//! The heap is counted by a global allocator that tracks, per thread, the bytes live and
//! their peak. The stack per level is measured in child processes (this test binary run
//! again): each compiles `x = ((...1...))` on a thread with a given stack, and an overflow
//! aborts only the child. The deepest nesting that fits two stack sizes gives the bytes per
//! level.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::PathBuf;
use std::process::Command;

use pyrite_compiler::{compile, compile_with, Mode, Options};

/// The system allocator, counting this thread's live bytes and their peak.
struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grew(n: usize) {
    let live = LIVE.with(|l| {
        l.set(l.get() + n);
        l.get()
    });
    PEAK.with(|p| p.set(p.get().max(live)));
}

fn shrank(n: usize) {
    LIVE.with(|l| l.set(l.get().saturating_sub(n)));
}

// SAFETY: every call is passed on to the system allocator unchanged; the counting touches
// only const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grew(new_size);
        shrank(layout.size());
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most heap bytes live at once while `f` runs, beyond what was live before.
fn peak_of<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let r = f();
    (PEAK.with(Cell::get) - base, r)
}

/// The golden tests' sources (`tests/**/*.py` at the top of the repository), by path.
fn golden_sources() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "py") {
                let name = p.strip_prefix(&root).unwrap().display().to_string();
                out.push((name, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The sources measured: the golden tests of 3 KiB and more, and one of about 10 KiB made
/// of golden tests one after another.
fn measured_sources() -> Vec<(String, String)> {
    let all = golden_sources();
    let mut out: Vec<(String, String)> = all
        .iter()
        .filter(|(_, s)| s.len() >= 3 * 1024)
        .cloned()
        .collect();
    let mut joined = String::new();
    for (_, s) in all.iter().filter(|(_, s)| s.len() >= 1024) {
        if joined.len() >= 10 * 1024 {
            break;
        }
        if compile(s, "<t>", Mode::Exec).is_ok() {
            joined.push_str(s);
            joined.push('\n');
        }
    }
    out.push((String::from("(golden tests joined)"), joined));
    out
}

/// Peak heap bytes per source byte while compiling.
const MAX_PEAK_PER_BYTE: usize = 20;

#[test]
fn compiling_needs_a_bounded_heap_per_source_byte() {
    let mut worst = 0;
    for (name, src) in measured_sources() {
        let (peak, r) = peak_of(|| compile(&src, "<t>", Mode::Exec));
        assert!(r.is_ok(), "{name} does not compile");
        let per_byte = peak / src.len();
        println!(
            "{name}: {} bytes of source, peak {peak} bytes of heap ({per_byte} per byte)",
            src.len()
        );
        worst = worst.max(per_byte);
    }
    assert!(
        worst <= MAX_PEAK_PER_BYTE,
        "{worst} heap bytes per source byte"
    );
}

/// The environment variable that makes `stack_child` compile at a depth on a stack size.
const CHILD: &str = "PYRITE_STACK_PROBE";

/// `x = ((...1...))` with `depth` pairs of parentheses.
fn nested(depth: usize) -> String {
    format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth))
}

/// In a child process: compiles `nested(depth)` on a thread of `stack` bytes (from the
/// environment). A stack overflow aborts the process; a compile error exits with 2.
#[test]
fn stack_child() {
    let Ok(arg) = std::env::var(CHILD) else {
        return;
    };
    let (depth, stack) = arg.split_once(',').unwrap();
    let (depth, stack): (usize, usize) = (depth.parse().unwrap(), stack.parse().unwrap());
    let src = nested(depth);
    let options = Options {
        max_depth: u32::MAX,
        ..Options::default()
    };
    let worker = std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || compile_with(&src, "<t>", Mode::Exec, &options).is_ok())
        .unwrap();
    if !worker.join().unwrap() {
        std::process::exit(2);
    }
}

/// Whether `nested(depth)` compiles on a stack of `stack` bytes, run in a child process.
fn fits(depth: usize, stack: usize) -> bool {
    let status = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "stack_child", "--test-threads=1", "--quiet"])
        .env(CHILD, format!("{depth},{stack}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_ne!(status.code(), Some(2), "depth {depth} is refused");
    status.success()
}

/// The deepest nesting that compiles on `stack` bytes (binary search).
fn deepest(stack: usize) -> usize {
    let mut lo = 1;
    assert!(fits(lo, stack));
    let mut hi = 2;
    while fits(hi, stack) {
        lo = hi;
        hi *= 2;
    }
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if fits(mid, stack) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Stack bytes per bracket nesting level (a release build; a debug build takes several
/// times more and is not checked).
const MAX_STACK_PER_LEVEL: usize = 1200;

#[test]
fn compiling_needs_a_bounded_stack_per_nesting_level() {
    let (small, large) = (64 * 1024, 128 * 1024);
    let (d_small, d_large) = (deepest(small), deepest(large));
    let per_level = (large - small) / (d_large - d_small).max(1);
    println!(
        "nesting: {d_small} levels fit {small} bytes of stack, {d_large} fit {large}: \
         {per_level} bytes per level"
    );
    if !cfg!(debug_assertions) {
        assert!(
            per_level <= MAX_STACK_PER_LEVEL,
            "{per_level} stack bytes per nesting level"
        );
    }
}

/// A loader that keeps nothing, as a board's keeps nothing of the compiler's: what it is
/// handed becomes the board's own object.
struct Dropping;

impl pyrite_compiler::Loader for Dropping {
    fn load(&mut self, _code: pyrite_compiler::bytecode::Code) -> Option<u32> {
        Some(0)
    }
}

/// About 8 KiB of source (a board's longest program) of one shape: `item(i)` repeated
/// inside `head`.
fn generated(head: &str, item: impl Fn(usize) -> String, tail: &str) -> String {
    let mut s = String::from(head);
    let mut i = 0;
    while s.len() < 8 * 1024 - 200 {
        s.push_str(&item(i));
        i += 1;
    }
    s.push_str(tail);
    s
}

/// Peak heap bytes per source byte while compiling definitions one after another with a
/// loader: the compiler holds one definition at a time.
const MAX_LOADED_PEAK_PER_BYTE: usize = 8;

#[test]
fn compiling_with_a_loader_needs_a_bounded_heap_per_source_byte() {
    let functions = generated(
        "",
        |i| {
            format!(
                "def f{i}(a, b=2):\n    x = [a * k for k in range(b)]\n    return {{'k{i}': x}}\n"
            )
        },
        "",
    );
    // One statement is held whole while it is compiled: a long literal costs about as much
    // as any source, and a class as much as all its methods (about 60 bytes per byte, which
    // the README lists as a limit of the boards).
    let statements = [
        (
            "one dict",
            generated(
                "d = {\n",
                |i| format!("    'key{i}': [{i}, {}, 'v{i}'],\n", i * 2),
                "}\n",
            ),
        ),
        (
            "one list",
            generated(
                "x = [\n",
                |i| format!("    ({i}, 'a{i}', {i}.5, b'{i}'),\n"),
                "]\n",
            ),
        ),
    ];
    let per_byte = |name: &str, src: &str| {
        let (peak, r) = peak_of(|| {
            pyrite_compiler::compile_loading(
                src,
                "<t>",
                Mode::Exec,
                &Options::default(),
                &mut Dropping,
            )
        });
        assert!(r.is_ok(), "{name} does not compile");
        println!(
            "{name} (with a loader): {} bytes of source, peak {peak} bytes",
            src.len()
        );
        peak / src.len()
    };
    let f = per_byte("functions", &functions);
    assert!(
        f <= MAX_LOADED_PEAK_PER_BYTE,
        "{f} heap bytes per source byte"
    );
    for (name, src) in &statements {
        let n = per_byte(name, src);
        assert!(
            n <= MAX_PEAK_PER_BYTE,
            "{name}: {n} heap bytes per source byte"
        );
    }
}
