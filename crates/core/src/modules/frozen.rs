//! Frozen modules: Python sources built into the binary and compiled when first imported.
//!
//! `import` consults this table after the built-in modules and before `sys.path`, so a frozen
//! module cannot be shadowed by a file. Each entry is a module or a package (`__init__.py`)
//! named by its full dotted name; submodules of a frozen package are entries of their own.

use alloc::string::String;

use crate::native::PyResult;
use crate::qstr::Qstr;
use crate::value::Obj;
use crate::vm::Vm;

/// One frozen module.
pub struct FrozenModule {
    /// Full dotted name.
    pub name: &'static str,
    /// Its Python source.
    pub source: &'static str,
    /// Whether it is a package (its source is the package's `__init__.py`).
    pub is_package: bool,
}

/// Every frozen module, sorted by name.
pub static FROZEN: [FrozenModule; 7] = [
    FrozenModule {
        name: "asyncio",
        source: include_str!("asyncio/__init__.py"),
        is_package: true,
    },
    FrozenModule {
        name: "asyncio.core",
        source: include_str!("asyncio/core.py"),
        is_package: false,
    },
    FrozenModule {
        name: "asyncio.event",
        source: include_str!("asyncio/event.py"),
        is_package: false,
    },
    FrozenModule {
        name: "asyncio.funcs",
        source: include_str!("asyncio/funcs.py"),
        is_package: false,
    },
    FrozenModule {
        name: "asyncio.lock",
        source: include_str!("asyncio/lock.py"),
        is_package: false,
    },
    FrozenModule {
        name: "asyncio.stream",
        source: include_str!("asyncio/stream.py"),
        is_package: false,
    },
    FrozenModule {
        name: "asyncio.task",
        source: include_str!("asyncio/task.py"),
        is_package: false,
    },
];

/// Other names for frozen modules: `(alias, module)`. Importing the alias imports the module
/// and binds the same module object under both names.
pub static ALIASES: [(&str, &str); 1] = [("uasyncio", "asyncio")];

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
        let src = fm.source.as_bytes().to_vec();
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
    use super::FROZEN;

    #[test]
    fn frozen_table_is_sorted() {
        assert!(FROZEN.windows(2).all(|w| w[0].name < w[1].name));
    }
}
