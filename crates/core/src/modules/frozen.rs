//! Frozen modules: Python modules compiled when the interpreter is built, their code in flash.
//!
//! The build script compiles each `.py` file under `src/modules/asyncio` with Pyrite's own
//! compiler and writes the code objects out as `static` [`FrozenCode`]s: instructions, line
//! tables, names and constants stay in flash, and the names and strings are qstrs numbered after
//! the static ones (`qstr::FROZEN_NAMES`). Importing one makes only the objects a module must have in RAM:
//! a small code object per function (its constants), the functions, classes and dicts. As in
//! MicroPython's frozen bytecode, nothing is compiled on the board, so a module too large to
//! compile in a small heap still imports.
//!
//! `import` consults this table after the built-in modules and before `sys.path`, so a frozen
//! module cannot be shadowed by a file. Each entry is a module or a package (`__init__.py`)
//! named by its full dotted name; submodules of a frozen package are entries of their own.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::native::PyResult;
use crate::object::{CodeBytes, CodeObj, HeapObj, RawCode, RawRef, Slice};
use crate::qstr::Qstr;
use crate::value::Obj;
use crate::vm::import::ModuleBody;
use crate::vm::Vm;

/// One frozen module.
pub struct FrozenModule {
    /// Full dotted name.
    pub name: &'static str,
    /// Its module code.
    pub code: &'static FrozenCode,
    /// Whether it is a package (its code is the package's `__init__.py`).
    pub is_package: bool,
}

/// A code object compiled into the binary.
pub struct FrozenCode {
    /// The instructions.
    pub code: &'static [u8],
    /// Names, line table, parameters.
    pub raw: RawCode,
    /// The constants, made into objects when the code is loaded.
    pub consts: &'static [FrozenConst],
}

/// A constant of a [`FrozenCode`] (`pyrite_compiler::bytecode::Const`, in flash). Every variant
/// holds at most one thin reference or a qstr: numbers are behind references so that none needs
/// 8-byte alignment, and slices behind a second reference so that none is two words, making a
/// constant 8 bytes on the board (4 for the tag, 4 for the word), not 16.
pub enum FrozenConst {
    /// `None`.
    None,
    /// `True`.
    True,
    /// `False`.
    False,
    /// `...`.
    Ellipsis,
    /// An integer that fits in an `i64`.
    Int(&'static i64),
    /// A larger integer.
    BigInt(&'static FrozenBigInt),
    /// A float.
    Float(&'static f64),
    /// The complex number `0 + Nj`.
    Imag(&'static f64),
    /// A `str`: every string of a frozen module is a qstr, in flash.
    Name(Qstr),
    /// A `bytes`.
    Bytes(&'static &'static [u8]),
    /// A tuple of constants.
    Tuple(&'static &'static [FrozenConst]),
    /// A nested code object.
    Code(&'static FrozenCode),
}

/// An integer constant too large for an `i64`: its digits in `radix`.
pub struct FrozenBigInt {
    /// 2, 8, 10 or 16.
    pub radix: u8,
    /// ASCII digits.
    pub digits: &'static str,
}

// The code objects and `FROZEN`, every frozen module sorted by name, written by the build script.
include!(concat!(env!("OUT_DIR"), "/frozen_code.rs"));

/// Other names for frozen modules: `(alias, module)`. Importing the alias imports the module
/// and binds the same module object under both names.
pub static ALIASES: [(&str, &str); 1] = [("uasyncio", "asyncio")];

/// The frozen module called `name`, if any.
pub fn find(name: &str) -> Option<&'static FrozenModule> {
    FROZEN
        .binary_search_by(|m| m.name.cmp(name))
        .ok()
        .and_then(|i| FROZEN.get(i))
}

impl Vm {
    /// Imports frozen module `full` (stored in `sys.modules` under `key`, bound as `leaf` on
    /// `parent` when it is a submodule); `None` when no frozen module has that name.
    pub(crate) fn import_frozen(
        &mut self,
        full: &str,
        key: Qstr,
        parent: Obj,
        leaf: &str,
    ) -> PyResult<Option<Obj>> {
        if let Some(&(_, target)) = ALIASES.iter().find(|(a, _)| *a == full) {
            let m = self.import_name_str(target)?;
            self.dict_set(self.modules, Obj::qstr(key), m)?;
            return Ok(Some(m));
        }
        let Some(fm) = find(full) else {
            return Ok(None);
        };
        let path = full.replace('.', "/");
        let file = if fm.is_package {
            alloc::format!("{}/__init__.py", path)
        } else {
            alloc::format!("{}.py", path)
        };
        let pkg_path: Option<String> = fm.is_package.then_some(path);
        let body = ModuleBody::Frozen(fm.code);
        self.exec_module(key, &file, body, pkg_path.as_deref(), parent, leaf)
            .map(Some)
    }

    /// The runtime code object of a frozen code object: its constants are made, the rest
    /// stays in flash.
    pub(crate) fn load_frozen_code(&mut self, code: &'static FrozenCode) -> PyResult<Obj> {
        let mut consts = Vec::with_capacity(code.consts.len());
        for c in code.consts {
            let o = self.load_frozen_const(c)?;
            self.heap.keep(o);
            consts.push(o);
        }
        self.alloc(HeapObj::Code(Box::new(CodeObj {
            raw: RawRef::Static(&code.raw),
            code: CodeBytes::Static(code.code),
            consts: consts.into_boxed_slice(),
        })))
    }

    fn load_frozen_const(&mut self, c: &'static FrozenConst) -> PyResult<Obj> {
        Ok(match c {
            FrozenConst::None => Obj::NONE,
            FrozenConst::True => Obj::TRUE,
            FrozenConst::False => Obj::FALSE,
            FrozenConst::Ellipsis => Obj::ELLIPSIS,
            FrozenConst::Int(&i) => self.new_int(i)?,
            FrozenConst::BigInt(b) => self.load_big_int(b.digits, u32::from(b.radix))?,
            FrozenConst::Float(&f) => self.new_float(f)?,
            FrozenConst::Imag(&f) => crate::obj::complex::new_complex(self, 0.0, f)?,
            FrozenConst::Name(q) => Obj::qstr(*q),
            FrozenConst::Bytes(b) => crate::obj::bytes::new_bytes(self, b.to_vec())?,
            FrozenConst::Tuple(items) => {
                let mut v = Vec::with_capacity(items.len());
                for it in items.iter() {
                    let o = self.load_frozen_const(it)?;
                    self.heap.keep(o);
                    v.push(o);
                }
                self.new_tuple(&v)?
            }
            FrozenConst::Code(code) => self.load_frozen_code(code)?,
        })
    }

    /// Imports the module `name` (dotted, absolute) and returns it (not its top package).
    fn import_name_str(&mut self, name: &str) -> PyResult<Obj> {
        let q = self.intern(name)?;
        let fromlist = Obj::qstr(q);
        let fromlist = self.new_tuple(&[fromlist])?;
        self.import_name(q, fromlist, Obj::small_int_unchecked(0))
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::{FrozenCode, FrozenConst, FROZEN};
    use crate::qstr::QstrPool;
    use pyrite_compiler::bytecode::{Code, Const};

    /// A constant is a tag and one word (8 bytes on the board).
    #[test]
    fn frozen_const_is_two_words() {
        assert_eq!(
            core::mem::size_of::<FrozenConst>(),
            2 * core::mem::size_of::<usize>()
        );
    }

    #[test]
    fn frozen_table_is_sorted() {
        assert!(FROZEN.windows(2).all(|w| w[0].name < w[1].name));
    }

    /// The frozen code is what the compiler makes of the files today.
    #[test]
    fn frozen_code_is_the_compiled_files() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/modules/");
        let pool = QstrPool::new();
        for m in FROZEN.iter() {
            let file = m.name.replace('.', "/") + if m.is_package { "/__init__.py" } else { ".py" };
            let text = std::fs::read_to_string(alloc::format!("{dir}{file}")).unwrap();
            let code = pyrite_compiler::compile(&text, &file, pyrite_compiler::Mode::Exec).unwrap();
            same_code(&pool, m.code, &code);
        }
    }

    fn same_code(pool: &QstrPool, f: &FrozenCode, c: &Code) {
        let names = |qs: &[crate::qstr::Qstr]| {
            qs.iter()
                .map(|&q| pool.get(q))
                .collect::<std::vec::Vec<_>>()
        };
        let raw = &f.raw;
        assert_eq!(pool.get(raw.name), c.name);
        assert_eq!(pool.get(raw.filename), c.filename);
        assert_eq!(f.code, &c.code[..], "{}", c.name);
        assert_eq!(
            &*raw.lines,
            &pyrite_compiler::bytecode::pack_lines(&c.lines)[..]
        );
        assert_eq!(names(&raw.names), c.names);
        assert_eq!(names(&raw.varnames), c.varnames);
        let deref: std::vec::Vec<_> = c.cellvars.iter().chain(&c.freevars).collect();
        assert_eq!(names(&raw.deref_names), deref);
        assert_eq!(&*raw.cell_args, &c.cell_args()[..]);
        assert_eq!(raw.ncells as usize, c.cellvars.len());
        assert_eq!(
            (raw.argcount, raw.kwonlyargcount),
            (c.argcount, c.kwonlyargcount)
        );
        assert_eq!((raw.flags, raw.max_stack), (c.flags, c.max_stack));
        assert_eq!(f.consts.len(), c.consts.len());
        for (fc, cc) in f.consts.iter().zip(&c.consts) {
            same_const(pool, fc, cc);
        }
    }

    fn same_const(pool: &QstrPool, f: &FrozenConst, c: &Const) {
        match (f, c) {
            (FrozenConst::None, Const::None)
            | (FrozenConst::True, Const::True)
            | (FrozenConst::False, Const::False)
            | (FrozenConst::Ellipsis, Const::Ellipsis) => {}
            (FrozenConst::Int(a), Const::Int(b)) => assert_eq!(*a, b),
            (
                FrozenConst::BigInt(f),
                Const::BigInt {
                    radix: r,
                    digits: d,
                },
            ) => {
                assert_eq!((u32::from(f.radix), f.digits), (*r, d.as_str()))
            }
            (FrozenConst::Float(a), Const::Float(b)) | (FrozenConst::Imag(a), Const::Imag(b)) => {
                assert_eq!(a.to_bits(), b.to_bits())
            }
            (FrozenConst::Name(q), Const::Str(s)) => assert_eq!(pool.get(*q), s),
            (FrozenConst::Bytes(a), Const::Bytes(b)) => assert_eq!(**a, &b[..]),
            (FrozenConst::Tuple(a), Const::Tuple(b)) => {
                assert_eq!(a.len(), b.len());
                a.iter().zip(b).for_each(|(x, y)| same_const(pool, x, y));
            }
            (FrozenConst::Code(a), Const::Code(b)) => same_code(pool, a, b),
            _ => panic!("constants differ"),
        }
    }
}
