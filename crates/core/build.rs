//! Freezes the Python modules under `src/modules/asyncio`: compiles them with Pyrite's own
//! compiler and writes their code objects as Rust statics (`frozen_code.rs`, included by
//! `modules::frozen`), so their instructions, line tables, names and constants stay in flash.
//! The names and strings they use that are not static qstrs are numbered after those
//! (`frozen_qstrs.rs`, included by `qstr`), so they cost no RAM either.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use pyrite_compiler::bytecode::{pack_lines, Code, Const};

/// Reads `src/qstr_static.rs`, the list `qstr.rs` makes the static qstrs of, as their texts
/// in the list's order.
macro_rules! static_qstrs {
    ($($id:ident $(= $s:literal)?),* $(,)?) => { &[$(static_qstrs!(@text $id $(, $s)?)),*] };
    (@text $id:ident, $s:literal) => { $s };
    (@text $id:ident) => { stringify!($id) };
}

const STATIC_QSTRS: &[&str] = include!("src/qstr_static.rs");

/// The frozen packages: folders of `src/modules`, each with an `__init__.py`.
const PACKAGES: &[&str] = &["asyncio"];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed=src/qstr_static.rs");
    let mut modules = Vec::new();
    for package in PACKAGES {
        let dir = Path::new("src/modules").join(package);
        println!("cargo:rerun-if-changed={}", dir.display());
        for entry in fs::read_dir(&dir).expect("the frozen sources are there") {
            let path = entry.expect("a readable directory").path();
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            if path.extension().is_none_or(|e| e != "py") {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let source = fs::read_to_string(&path).expect("a readable source");
            let (name, is_package) = if stem == "__init__" {
                (package.to_string(), true)
            } else {
                (format!("{package}.{stem}"), false)
            };
            let file = format!("{package}/{stem}.py");
            let code = pyrite_compiler::compile(&source, &file, pyrite_compiler::Mode::Exec)
                .unwrap_or_else(|e| panic!("{file}:{}: {}", e.line, e.msg));
            modules.push((name, is_package, code));
        }
    }
    modules.sort_by(|a, b| a.0.cmp(&b.0));

    let mut writer = Writer::new(modules.iter().map(|m| &m.2));
    let mut table = String::new();
    for (name, is_package, code) in &modules {
        let id = writer.code(code);
        writeln!(
            table,
            "    FrozenModule {{ name: {name:?}, code: &CODE_{id}, is_package: {is_package} }},"
        )
        .expect("writing to a String");
    }
    let mut rust = writer.out;
    writeln!(
        rust,
        "/// Every frozen module, sorted by name.\npub static FROZEN: [FrozenModule; {}] = [\n{table}];",
        modules.len()
    )
    .expect("writing to a String");
    fs::write(Path::new(&out).join("frozen_code.rs"), rust).expect("OUT_DIR is writable");

    let mut names = String::new();
    for text in writer.qstrs.keys() {
        writeln!(names, "    {text:?},").expect("writing to a String");
    }
    let names = format!(
        "/// The frozen modules' names and strings that are not static qstrs, sorted.\n\
         const FROZEN_NAMES: [&str; {}] = [\n{names}];\n",
        writer.qstrs.len()
    );
    fs::write(Path::new(&out).join("frozen_qstrs.rs"), names).expect("OUT_DIR is writable");
}

/// Writes code objects as statics.
struct Writer {
    /// Each static qstr's index by text.
    statics: BTreeMap<&'static str, usize>,
    /// The frozen qstrs, by text: their index in `FROZEN_NAMES` (assigned once all are known).
    qstrs: BTreeMap<String, usize>,
    /// The Rust source so far.
    out: String,
    /// Code objects written.
    count: usize,
}

impl<'a> Writer {
    /// A writer for `codes`, whose names are collected first so that the frozen qstrs can be
    /// numbered in sorted order.
    fn new(codes: impl Iterator<Item = &'a Code>) -> Writer {
        // The static qstrs are numbered in the order of their texts (see `qstr.rs`).
        let mut sorted = STATIC_QSTRS.to_vec();
        sorted.sort_unstable();
        let statics = sorted.iter().enumerate().map(|(i, s)| (*s, i)).collect();
        let mut w = Writer {
            statics,
            qstrs: BTreeMap::new(),
            out: String::new(),
            count: 0,
        };
        let mut texts = BTreeSet::new();
        for code in codes {
            collect_names(code, &mut texts);
        }
        let fresh: Vec<String> = texts
            .into_iter()
            .filter(|t| !w.statics.contains_key(t.as_str()))
            .collect();
        w.qstrs = fresh.into_iter().enumerate().map(|(i, t)| (t, i)).collect();
        w
    }

    /// The Rust expression of the qstr with this text.
    fn qstr(&self, text: &str) -> String {
        match self.statics.get(text) {
            Some(i) => format!("Qstr({i})"),
            None => format!("Qstr({})", STATIC_QSTRS.len() + self.qstrs[text]),
        }
    }

    fn qstrs<'s>(&self, texts: impl Iterator<Item = &'s String>) -> String {
        let list: Vec<String> = texts.map(|t| self.qstr(t)).collect();
        format!("Slice::Static(&[{}])", list.join(", "))
    }

    /// Writes `code` and the code objects among its constants; the number of its static.
    fn code(&mut self, code: &Code) -> usize {
        let consts: Vec<String> = code.consts.iter().map(|c| self.constant(c)).collect();
        let id = self.count;
        self.count += 1;
        let cell_args: Vec<String> = code.cell_args().iter().map(|a| format!("{a:?}")).collect();
        let deref = code.cellvars.iter().chain(&code.freevars);
        let text = format!(
            "static CODE_{id}: FrozenCode = FrozenCode {{\n    code: b\"{}\",\n    \
             raw: RawCode {{\n        names: {},\n        varnames: {},\n        \
             cell_args: Slice::Static(&[{}]),\n        deref_names: {},\n        ncells: {},\n        \
             argcount: {},\n        kwonlyargcount: {},\n        flags: {},\n        \
             max_stack: {},\n        lines: Slice::Static(b\"{}\"),\n        name: {},\n        \
             filename: {},\n    }},\n    consts: &[{}],\n}};\n",
            escaped(&code.code),
            self.qstrs(code.names.iter()),
            self.qstrs(code.varnames.iter()),
            cell_args.join(", "),
            self.qstrs(deref),
            code.cellvars.len(),
            code.argcount,
            code.kwonlyargcount,
            code.flags,
            code.max_stack,
            escaped(&pack_lines(&code.lines)),
            self.qstr(&code.name),
            self.qstr(&code.filename),
            consts.join(", "),
        );
        self.out.push_str(&text);
        id
    }

    /// The Rust expression of a constant (writing the code objects it holds).
    fn constant(&mut self, c: &Const) -> String {
        match c {
            Const::None => "FrozenConst::None".into(),
            Const::True => "FrozenConst::True".into(),
            Const::False => "FrozenConst::False".into(),
            Const::Ellipsis => "FrozenConst::Ellipsis".into(),
            Const::Int(i) => format!("FrozenConst::Int(&{i})"),
            Const::BigInt { radix, digits } => {
                format!(
                    "FrozenConst::BigInt(&FrozenBigInt {{ radix: {radix}, digits: {digits:?} }})"
                )
            }
            Const::Float(f) => format!("FrozenConst::Float(&f64::from_bits({:#x}))", f.to_bits()),
            Const::Imag(f) => format!("FrozenConst::Imag(&f64::from_bits({:#x}))", f.to_bits()),
            Const::Str(s) => format!("FrozenConst::Name({})", self.qstr(s)),
            Const::Bytes(b) => format!("FrozenConst::Bytes(&(&{b:?} as &[u8]))"),
            Const::Tuple(items) => {
                let items: Vec<String> = items.iter().map(|c| self.constant(c)).collect();
                format!("FrozenConst::Tuple(&(&[{}] as &[_]))", items.join(", "))
            }
            Const::Code(code) => format!("FrozenConst::Code(&CODE_{})", self.code(code)),
            // Compiled without a loader: nested code is always `Const::Code`.
            Const::Loaded(_) => panic!("frozen code compiled with a loader"),
        }
    }
}

/// The text of a byte string literal holding `bytes`.
fn escaped(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\x{b:02x}")).collect()
}

/// Adds every name `code` and its nested code objects use to `texts`.
fn collect_names(code: &Code, texts: &mut BTreeSet<String>) {
    texts.insert(code.name.clone());
    texts.insert(code.filename.clone());
    for n in code
        .names
        .iter()
        .chain(&code.varnames)
        .chain(&code.cellvars)
        .chain(&code.freevars)
    {
        texts.insert(n.clone());
    }
    collect_const_names(&code.consts, texts);
}

fn collect_const_names(consts: &[Const], texts: &mut BTreeSet<String>) {
    for c in consts {
        match c {
            Const::Str(s) => {
                texts.insert(s.clone());
            }
            Const::Tuple(items) => collect_const_names(items, texts),
            Const::Code(code) => collect_names(code, texts),
            _ => {}
        }
    }
}
