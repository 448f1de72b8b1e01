//! Compiles every `.py` of MicroPython's `tests/basics` when a checkout exists at
//! `$HOME/mp/tests/basics`, and reports the files that do not compile (some contain syntax
//! errors on purpose). Skipped silently when the folder is absent.

use std::path::PathBuf;

#[test]
fn compile_micropython_basics() {
    let Some(home) = std::env::var_os("HOME") else {
        return;
    };
    let dir = PathBuf::from(home).join("mp/tests/basics");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for f in &files {
        let Ok(src) = std::fs::read_to_string(f) else {
            continue;
        };
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if let Err(e) = pyrite_compiler::compile(&src, &name, pyrite_compiler::Mode::Exec) {
            failures.push(format!("{}:{}: {}", name, e.line, e.msg));
        }
    }
    println!(
        "compiled {} of {} files in {}",
        files.len() - failures.len(),
        files.len(),
        dir.display()
    );
    for f in &failures {
        println!("  failed: {}", f);
    }
}
