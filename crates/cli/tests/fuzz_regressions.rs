//! Every input the fuzzer ever crashed on stays in `crates/fuzz/regressions/`: compiling each of
//! them must give code or a compile error, and running each as the `run` fuzz target does (small
//! heap, Ctrl-C after a while) must end, never with a panic or a stack overflow.

use pyrite_compiler::Mode;
use pyrite_core::Vm;
use std::path::{Path, PathBuf};

/// The regression inputs that are valid UTF-8, with their paths.
fn regressions() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("crates/fuzz/regressions exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no regression inputs found in {dir:?}");
    paths
        .into_iter()
        .filter_map(|path| {
            let data = std::fs::read(&path).expect("regression input is readable");
            String::from_utf8(data).ok().map(|src| (path, src))
        })
        .collect()
}

#[test]
fn fuzz_regressions_compile_without_panic() {
    for (_, src) in regressions() {
        // Either outcome is fine; reaching the next line is the test.
        let _ = pyrite_compiler::compile(&src, "<fuzz>", Mode::Exec);
    }
}

/// The `run` fuzz target's port and heap: output dropped, Ctrl-C after a while.
#[path = "../../fuzz/fuzz_targets/port.rs"]
mod port;

use port::{FuzzPort, HEAP_BYTES};

#[test]
fn fuzz_regressions_run_without_panic() {
    for (path, src) in regressions() {
        eprintln!("running {}", path.display());
        let mut vm = Vm::new(HEAP_BYTES, Box::new(FuzzPort::default()));
        vm.max_frames = 200;
        vm.max_nested = 8;
        let _ = vm.run_main(&src, "<fuzz>");
    }
}
