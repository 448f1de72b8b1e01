//! Compresses the frozen Python modules (`src/modules/asyncio/*.py`) with the core's own
//! DEFLATE codec: they take under half the flash that way, and `modules::frozen` inflates a
//! module when it is imported. The zlib header records the small window used, so inflating
//! needs only that much memory. Before that, comment lines are emptied and indentation is cut
//! to one space a level: the lines keep their numbers, so tracebacks are unchanged.

extern crate alloc;

#[allow(dead_code)]
#[path = "src/modules/deflate_codec.rs"]
mod deflate_codec;

use std::fs;
use std::path::Path;

use deflate_codec::{Deflater, ZLIB};

/// The compression window, `2**WBITS` bytes: the memory inflating needs.
const WBITS: u8 = 10;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let dir = Path::new("src/modules/asyncio");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=src/modules/deflate_codec.rs");
    let target = Path::new(&out).join("frozen/asyncio");
    fs::create_dir_all(&target).expect("OUT_DIR is writable");
    for entry in fs::read_dir(dir).expect("the frozen sources are there") {
        let path = entry.expect("a readable directory").path();
        if path.extension().is_some_and(|e| e == "py") {
            println!("cargo:rerun-if-changed={}", path.display());
            let source = minify(&fs::read_to_string(&path).expect("a readable source"));
            let mut packed = Deflater::header(ZLIB, WBITS);
            let mut d = Deflater::new(ZLIB, WBITS);
            packed.extend(d.write(&source));
            let (last, trailer) = d.finish();
            packed.extend(last);
            packed.extend(trailer);
            let name = path.file_name().expect("a file name");
            fs::write(target.join(name), packed).expect("OUT_DIR is writable");
        }
    }
}

/// The source with comment lines left empty and four-space indentation cut to one space per
/// level; unchanged if it has anything that could make that unsafe (a triple-quoted string, a
/// line continuation, a tab, indentation that is not in fours).
fn minify(source: &str) -> Vec<u8> {
    let risky = source.contains("\"\"\"")
        || source.contains("'''")
        || source.contains('\t')
        || source.lines().any(|l| l.ends_with('\\'));
    let mut out = String::new();
    for line in source.lines() {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        if risky || indent % 4 != 0 {
            return source.as_bytes().to_vec();
        }
        if !body.starts_with('#') {
            out.push_str(&" ".repeat(indent / 4));
            out.push_str(body.trim_end());
        }
        out.push('\n');
    }
    out.into_bytes()
}
