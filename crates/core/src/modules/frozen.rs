//! Frozen modules: Python sources built into the binary and compiled when first imported.
//!
//! The build script stores each source deflated (zlib format, a 1 KiB window) after emptying
//! comment lines and cutting indentation to a space a level: under a third of the flash of the
//! text, for a moment of inflating at import. Line numbers are those of the files.
//!
//! `import` consults this table after the built-in modules and before `sys.path`, so a frozen
//! module cannot be shadowed by a file. Each entry is a module or a package (`__init__.py`)
//! named by its full dotted name; submodules of a frozen package are entries of their own.

use alloc::string::String;
use alloc::vec::Vec;

use super::deflate_codec::{Inflater, ZLIB};
use crate::native::PyResult;
use crate::qstr::Qstr;
use crate::value::Obj;
use crate::vm::Vm;

/// One frozen module.
pub struct FrozenModule {
    /// Full dotted name.
    pub name: &'static str,
    /// Its Python source, deflated (see the module doc).
    pub packed: &'static [u8],
    /// Whether it is a package (its source is the package's `__init__.py`).
    pub is_package: bool,
}

/// The deflated source the build script made of `src/modules/<path>`.
macro_rules! frozen_source {
    ($path:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/frozen/", $path))
    };
}

/// Every frozen module, sorted by name.
pub static FROZEN: [FrozenModule; 7] = [
    FrozenModule {
        name: "asyncio",
        packed: frozen_source!("asyncio/__init__.py"),
        is_package: true,
    },
    FrozenModule {
        name: "asyncio.core",
        packed: frozen_source!("asyncio/core.py"),
        is_package: false,
    },
    FrozenModule {
        name: "asyncio.event",
        packed: frozen_source!("asyncio/event.py"),
        is_package: false,
    },
    FrozenModule {
        name: "asyncio.funcs",
        packed: frozen_source!("asyncio/funcs.py"),
        is_package: false,
    },
    FrozenModule {
        name: "asyncio.lock",
        packed: frozen_source!("asyncio/lock.py"),
        is_package: false,
    },
    FrozenModule {
        name: "asyncio.stream",
        packed: frozen_source!("asyncio/stream.py"),
        is_package: false,
    },
    FrozenModule {
        name: "asyncio.task",
        packed: frozen_source!("asyncio/task.py"),
        is_package: false,
    },
];

/// Other names for frozen modules: `(alias, module)`. Importing the alias imports the module
/// and binds the same module object under both names.
pub static ALIASES: [(&str, &str); 1] = [("uasyncio", "asyncio")];

impl FrozenModule {
    /// The Python source, inflated; `None` only if the build stored it corrupt.
    pub fn source(&self) -> Option<Vec<u8>> {
        let mut inflater = Inflater::new(ZLIB, 0);
        let mut packed = self.packed.iter().copied();
        // The error type of `DeflateIO`'s source, so that both share one inflater.
        let mut next = || packed.next().ok_or(Obj::NULL);
        let mut out = Vec::new();
        let mut buf = [0u8; 256];
        loop {
            match inflater.read(&mut buf, &mut next) {
                Ok(0) => return Some(out),
                Ok(n) => out.extend_from_slice(buf.get(..n)?),
                Err(_) => return None,
            }
        }
    }
}

/// The frozen module called `name`, if any.
pub fn find(name: &str) -> Option<&'static FrozenModule> {
    FROZEN
        .binary_search_by(|m| m.name.cmp(name))
        .ok()
        .map(|i| &FROZEN[i])
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
        let Some(src) = fm.source() else {
            raise!(self, IMPORT_ERROR, "frozen module {} is corrupt", full);
        };
        self.exec_module(key, full, &file, src, pkg_path.as_deref(), parent, leaf)
            .map(Some)
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

    use super::FROZEN;

    #[test]
    fn frozen_table_is_sorted() {
        assert!(FROZEN.windows(2).all(|w| w[0].name < w[1].name));
    }

    #[test]
    fn frozen_sources_inflate_to_the_files() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/modules/");
        for m in FROZEN.iter() {
            let file = m.name.replace('.', "/") + if m.is_package { "/__init__.py" } else { ".py" };
            let text = std::fs::read_to_string(alloc::format!("{dir}{file}")).unwrap();
            let source = alloc::string::String::from_utf8(m.source().unwrap()).unwrap();
            // Line for line the file, but for emptied comments and one space of indentation
            // a level.
            assert_eq!(source.lines().count(), text.lines().count(), "{file}");
            for (got, want) in source.lines().zip(text.lines()) {
                let body = want.trim();
                if body.starts_with('#') {
                    assert_eq!(got, "", "{file}");
                } else {
                    let indent = want.len() - want.trim_start().len();
                    assert_eq!(got, " ".repeat(indent / 4) + body, "{file}");
                }
            }
            assert!(m.packed.len() < text.len() / 2, "{file}");
        }
    }
}
