//! Puts the memory map of the board being built for (`memory/qemu.x` with the `qemu` feature,
//! else `memory/pyboard.x`) where cortex-m-rt's `link.x` finds it, as `memory.x`.
use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let map = if std::env::var_os("CARGO_FEATURE_QEMU").is_some() {
        "qemu.x"
    } else {
        "pyboard.x"
    };
    for (from, to) in [(map, "memory.x"), ("common.x", "common.x")] {
        let from = dir.join("memory").join(from);
        if let Err(e) = std::fs::copy(&from, out.join(to)) {
            panic!("cannot copy {}: {e}", from.display());
        }
        println!("cargo:rerun-if-changed={}", from.display());
    }
    println!("cargo:rustc-link-search={}", out.display());
}
