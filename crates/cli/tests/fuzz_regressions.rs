//! Every input the fuzzer ever crashed on stays in `crates/fuzz/regressions/`: compiling each of
//! them must give code or a compile error, never a panic or a stack overflow.

use pyrite_compiler::Mode;
use std::path::Path;

#[test]
fn fuzz_regressions_compile_without_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("crates/fuzz/regressions exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no regression inputs found in {dir:?}");
    for path in &paths {
        let data = std::fs::read(path).expect("regression input is readable");
        if let Ok(src) = std::str::from_utf8(&data) {
            // Either outcome is fine; reaching the next line is the test.
            let _ = pyrite_compiler::compile(src, "<fuzz>", Mode::Exec);
        }
    }
}
