//! Compiling source into code objects, and `import`.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use pyrite_compiler::bytecode::{pack_lines, Code, Const};
use pyrite_compiler::{CompileError, ErrorKind, Mode};

use crate::modules::frozen::FrozenCode;
use crate::native::PyResult;
use crate::object::{
    CodeBytes, CodeObj, HeapObj, ModuleObj, RawCode, RawRef, Slice, TracebackEntry,
};
use crate::qstr::{q, Qstr};
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// The compiler's loader in the VM: each nested code object is made a code object in the
/// heap (counted by its budget) as soon as it is compiled, and the compiler drops its own.
struct VmLoader<'v> {
    vm: &'v mut Vm,
    /// Why the last load failed (a `MemoryError`).
    error: Option<Obj>,
}

impl pyrite_compiler::Loader for VmLoader<'_> {
    fn load(&mut self, code: Code) -> Option<u32> {
        match self.vm.load_code(&code) {
            Ok(o) => {
                let n = u32::try_from(self.vm.loaded.len()).ok()?;
                self.vm.loaded.push(o);
                Some(n)
            }
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }
}

/// What a module is made from.
pub(crate) enum ModuleBody {
    /// Its source, compiled when imported.
    Source(String),
    /// A frozen module's code, compiled when the interpreter was built.
    Frozen(&'static FrozenCode),
}

impl Vm {
    /// Compiles `source` into a code object; a `SyntaxError` on failure. Nested code becomes
    /// code objects as it is compiled (`VmLoader`). On a board with a fixed arena the
    /// compiler keeps `ARENA_KEEP` free and fails with `MemoryError` rather than take it;
    /// the heap's garbage is collected then and the compile tried once more, since the
    /// compiler and the objects share the arena.
    pub fn compile_source(&mut self, source: &str, filename: &str, mode: Mode) -> PyResult<Obj> {
        match self.compile_once(source, filename, mode) {
            Err(e) if e == self.memory_error && self.arena_free.is_some() => {
                if self.mp.heap_locked() {
                    return Err(e);
                }
                self.collect(None);
                self.compile_once(source, filename, mode)
            }
            r => r,
        }
    }

    fn compile_once(&mut self, source: &str, filename: &str, mode: Mode) -> PyResult<Obj> {
        let options = pyrite_compiler::Options {
            opt_level: self.mp.opt_level,
            max_depth: self.max_parse_depth,
            room: self.arena_free.map(|free| pyrite_compiler::Room {
                free,
                keep: super::ARENA_KEEP,
            }),
        };
        let start = self.loaded.len();
        let mut loader = VmLoader {
            vm: self,
            error: None,
        };
        let compiled =
            pyrite_compiler::compile_loading(source, filename, mode, &options, &mut loader);
        let error = loader.error;
        let r = match (compiled, error) {
            (Ok(code), _) => self.load_code(&code),
            (Err(_), Some(error)) => Err(error),
            (Err(e), None) => Err(self.syntax_error(&e, filename)),
        };
        self.loaded.truncate(start);
        r
    }

    /// The `SyntaxError` for a compile error, with the file and line in its traceback.
    pub fn syntax_error(&mut self, e: &CompileError, filename: &str) -> Obj {
        let t = match e.kind {
            ErrorKind::Syntax => ty::SYNTAX_ERROR,
            ErrorKind::Indentation => ty::INDENTATION_ERROR,
            ErrorKind::Memory => return self.memory_error(),
        };
        let exc = self.exc(t, &e.msg);
        if let Ok(f) = self.intern(filename) {
            self.add_traceback(
                exc,
                TracebackEntry {
                    filename: f,
                    line: e.line,
                    name: q::EMPTY,
                },
            );
        }
        exc
    }

    /// Turns compiled code into a runtime code object.
    pub fn load_code(&mut self, code: &Code) -> PyResult<Obj> {
        let mut consts = Vec::with_capacity(code.consts.len());
        for c in &code.consts {
            let o = self.load_const(c)?;
            self.heap.keep(o);
            consts.push(o);
        }
        let intern_all = |vm: &mut Vm, names: &[String]| -> PyResult<Box<[Qstr]>> {
            let mut v = Vec::with_capacity(names.len());
            for n in names {
                v.push(vm.intern(n)?);
            }
            Ok(v.into_boxed_slice())
        };
        let names = intern_all(self, &code.names)?;
        let varnames = intern_all(self, &code.varnames)?;
        let mut deref: Vec<String> = code.cellvars.clone();
        deref.extend(code.freevars.iter().cloned());
        let deref_names = intern_all(self, &deref)?;
        let name = self.intern(&code.name)?;
        let filename = self.intern(&code.filename)?;
        let raw = RawCode {
            names: Slice::Owned(names),
            varnames: Slice::Owned(varnames),
            cell_args: Slice::Owned(code.cell_args().into_boxed_slice()),
            deref_names: Slice::Owned(deref_names),
            ncells: code.cellvars.len() as u16,
            argcount: code.argcount,
            kwonlyargcount: code.kwonlyargcount,
            flags: code.flags,
            max_stack: code.max_stack,
            lines: Slice::Owned(pack_lines(&code.lines).into_boxed_slice()),
            name,
            filename,
        };
        self.alloc(HeapObj::Code(Box::new(CodeObj {
            raw: RawRef::Owned(Box::new(raw)),
            code: CodeBytes::Owned(alloc::rc::Rc::from(&code.code[..])),
            consts: consts.into_boxed_slice(),
        })))
    }

    /// An integer constant too large for an `i64`, from its digits.
    pub(crate) fn load_big_int(&mut self, digits: &str, radix: u32) -> PyResult<Obj> {
        match pyrite_mpz::BigInt::parse(digits.as_bytes(), radix) {
            Some(b) => crate::obj::int::from_big(self, b),
            None => raise!(self, SYNTAX_ERROR, "invalid syntax for number"),
        }
    }

    fn load_const(&mut self, c: &Const) -> PyResult<Obj> {
        Ok(match c {
            Const::None => Obj::NONE,
            Const::True => Obj::TRUE,
            Const::False => Obj::FALSE,
            Const::Ellipsis => Obj::ELLIPSIS,
            Const::Int(i) => self.new_int(*i)?,
            Const::BigInt { radix, digits } => self.load_big_int(digits, *radix)?,
            Const::Float(f) => self.new_float(*f)?,
            Const::Imag(f) => crate::obj::complex::new_complex(self, 0.0, *f)?,
            Const::Str(s) => {
                if s.len() <= 32 && crate::vm::is_identifier(s) {
                    Obj::qstr(self.intern(s)?)
                } else {
                    self.new_str(s)?
                }
            }
            Const::Bytes(b) => crate::obj::bytes::new_bytes(self, b.clone())?,
            Const::Tuple(items) => {
                let mut v = Vec::with_capacity(items.len());
                for it in items {
                    let o = self.load_const(it)?;
                    self.heap.keep(o);
                    v.push(o);
                }
                self.new_tuple(&v)?
            }
            Const::Code(code) => self.load_code(code)?,
            Const::Loaded(n) => match self.loaded.get(*n as usize) {
                Some(&o) => o,
                None => raise!(self, RUNTIME_ERROR, "no code object {}", n),
            },
        })
    }

    /// A new module object with an empty namespace holding `__name__`.
    pub fn new_module(&mut self, name: Qstr) -> PyResult<Obj> {
        let d = self.new_dict()?;
        self.dict_set(d, Obj::qstr(q::__name__), Obj::qstr(name))?;
        self.alloc(HeapObj::Module(Box::new(ModuleObj { name, dict: d })))
    }

    /// The namespace dict of a module object.
    pub fn module_dict(&self, m: Obj) -> Obj {
        match self.heap.get(m) {
            Some(HeapObj::Module(x)) => x.dict,
            _ => Obj::NULL,
        }
    }

    /// Runs `source` as the `__main__` module (a script, `-c` code).
    pub fn run_main(&mut self, source: &str, filename: &str) -> PyResult<Obj> {
        let code = self.compile_source(source, filename, Mode::Exec)?;
        let g = self.main_module()?;
        if let Ok(f) = self.new_str(filename) {
            let _ = self.dict_set(g, Obj::qstr(q::__file__), f);
        }
        self.run_code(code, g, g)
    }

    /// `pyrite -m name`: finds module `name` on `sys.path` (a file, or a package's
    /// `__main__.py`) and runs it as `__main__`, as MicroPython's unix port does.
    pub fn run_module_as_main(&mut self, name: &str) -> PyResult<Obj> {
        let rel = name.replace('.', "/");
        let dirs: Vec<String> = self
            .seq_items(self.sys_path)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| self.str_of(p).map(String::from))
            .collect();
        for dir in dirs {
            let base = if dir.is_empty() {
                rel.clone()
            } else {
                alloc::format!("{}/{}", dir.trim_end_matches('/'), rel)
            };
            let candidates = [
                alloc::format!("{}.py", base),
                alloc::format!("{}/__main__.py", base),
            ];
            for file in candidates {
                if let Some(src) = self.import_read(&file) {
                    let Ok(text) = String::from_utf8(src) else {
                        raise!(self, SYNTAX_ERROR, "invalid UTF-8 in source");
                    };
                    return self.run_main(&text, &file);
                }
            }
        }
        let s = String::from(name);
        raise!(self, IMPORT_ERROR, "no module named '{}'", s)
    }

    /// The `__main__` module's namespace, created on first use.
    pub fn main_module(&mut self) -> PyResult<Obj> {
        if !self.main_globals.is_null() {
            return Ok(self.main_globals);
        }
        let m = self.new_module(q::__main__)?;
        let d = self.module_dict(m);
        self.main_globals = d;
        self.dict_set(self.modules, Obj::qstr(q::__main__), m)?;
        Ok(d)
    }

    /// `IMPORT_NAME`: imports `name` (relative to the current package at `level`), and returns
    /// the top package, or the module itself when `fromlist` is given.
    pub fn import_name(&mut self, name: Qstr, fromlist: Obj, level: Obj) -> PyResult<Obj> {
        let level = level.as_small_int().unwrap_or(0).max(0) as usize;
        let mut full = String::from(self.qstr_str(name));
        if level > 0 {
            let globals = self.frames.last().map_or(self.main_globals, |f| f.globals);
            let pkg_name = match self
                .dict_get_qstr(globals, q::__name__)
                .and_then(|n| self.str_of(n))
            {
                Some(s) => String::from(s),
                None => String::new(),
            };
            let is_pkg = self.dict_get_qstr(globals, q::__path__).is_some();
            let mut base: Vec<&str> = pkg_name.split('.').collect();
            if !is_pkg {
                base.pop();
            }
            for _ in 1..level {
                base.pop();
            }
            if base.is_empty() || base == [""] || pkg_name.is_empty() || pkg_name == "__main__" {
                raise!(self, IMPORT_ERROR, "can't perform relative import");
            }
            let mut b = base.join(".");
            if !full.is_empty() {
                b.push('.');
                b.push_str(&full);
            }
            full = b;
        }
        let mut top = Obj::NULL;
        let mut module = Obj::NULL;
        let mut prefix = String::new();
        let parts: Vec<String> = full.split('.').map(String::from).collect();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                prefix.push('.');
            }
            prefix.push_str(part);
            let m = self.import_one(&prefix, module)?;
            if i == 0 {
                top = m;
            }
            module = m;
        }
        let want_leaf = fromlist != Obj::NONE
            && !fromlist.is_null()
            && self.seq_items(fromlist).is_some_and(|v| !v.is_empty());
        Ok(if want_leaf || level > 0 && name == q::EMPTY {
            module
        } else {
            top
        })
    }

    fn import_one(&mut self, full: &str, parent: Obj) -> PyResult<Obj> {
        let key = self.intern(full)?;
        if let Some(m) = self.dict_get_qstr(self.modules, key) {
            return Ok(m);
        }
        if parent.is_null() {
            if let Some(m) = crate::modules::find(full) {
                self.dict_set(self.modules, Obj::qstr(key), m)?;
                return Ok(m);
            }
        }
        let leaf = full.rsplit('.').next().unwrap_or(full);
        if let Some(m) = self.import_frozen(full, key, parent, leaf)? {
            return Ok(m);
        }
        // Where to look: the parent package's folder, or sys.path.
        let dirs: Vec<String> = if parent.is_null() {
            let paths = self.seq_items(self.sys_path).unwrap_or_default();
            paths
                .into_iter()
                .filter_map(|p| self.str_of(p).map(String::from))
                .collect()
        } else {
            let pd = self.module_dict(parent);
            match self
                .dict_get_qstr(pd, q::__path__)
                .and_then(|p| self.str_of(p))
            {
                Some(p) => alloc::vec![String::from(p)],
                None => {
                    let s = String::from(full);
                    raise!(self, IMPORT_ERROR, "no module named '{}'", s);
                }
            }
        };
        for dir in dirs {
            let base = if dir.is_empty() {
                String::from(leaf)
            } else {
                alloc::format!("{}/{}", dir.trim_end_matches('/'), leaf)
            };
            let init = alloc::format!("{}/__init__.py", base);
            if self.import_is_dir(&base) {
                let src = self.import_read(&init);
                let body = self.module_source(src.unwrap_or_default())?;
                return self.exec_module(key, &init, body, Some(&base), parent, leaf);
            }
            let file = alloc::format!("{}.py", base);
            if let Some(src) = self.import_read(&file) {
                let body = self.module_source(src)?;
                return self.exec_module(key, &file, body, None, parent, leaf);
            }
        }
        let s = String::from(full);
        raise!(self, IMPORT_ERROR, "no module named '{}'", s)
    }

    /// A module's source as text: a `SyntaxError` if it is not UTF-8.
    fn module_source(&mut self, src: Vec<u8>) -> PyResult<ModuleBody> {
        match String::from_utf8(src) {
            Ok(t) => Ok(ModuleBody::Source(t)),
            Err(_) => raise!(self, SYNTAX_ERROR, "invalid UTF-8 in source"),
        }
    }

    /// Makes module `key` from `body`, registers it in `sys.modules` while its code runs (and
    /// takes it out again if that fails), and binds it as `leaf` on `parent` when it is a
    /// submodule.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn exec_module(
        &mut self,
        key: Qstr,
        file: &str,
        body: ModuleBody,
        pkg_path: Option<&str>,
        parent: Obj,
        leaf: &str,
    ) -> PyResult<Obj> {
        let m = self.new_module(key)?;
        let d = self.module_dict(m);
        let f = self.new_str(file)?;
        self.dict_set(d, Obj::qstr(q::__file__), f)?;
        if let Some(p) = pkg_path {
            let p = self.new_str(p)?;
            self.dict_set(d, Obj::qstr(q::__path__), p)?;
        }
        self.dict_set(self.modules, Obj::qstr(key), m)?;
        let code = match body {
            ModuleBody::Source(text) => self.compile_source(&text, file, Mode::Exec),
            ModuleBody::Frozen(code) => self.load_frozen_code(code),
        };
        let r = code.and_then(|code| self.run_code(code, d, d));
        if let Err(e) = r {
            let _ = self.dict_del_qstr(self.modules, key);
            return Err(e);
        }
        if let Some(HeapObj::Dict(globals)) = self.heap.get_mut(d) {
            globals.shrink_to_fit();
        }
        if !parent.is_null() {
            let lq = self.intern(leaf)?;
            self.setattr(parent, lq, m)?;
        }
        Ok(m)
    }

    /// What is at `path` for `import`: through the mounted file systems when there are any
    /// (so a board's flash, the browser's storage and Python file systems all serve imports),
    /// else straight from the port. `None` when nothing is there.
    fn import_stat_mode(&mut self, path: &str) -> Option<u32> {
        if self.vfs.table.is_empty() {
            return if self.port.is_dir(path) {
                Some(crate::vfs::S_IFDIR as u32)
            } else {
                self.port.read_file(path).map(|_| 0o100000)
            };
        }
        let mark = self.heap.young_mark();
        let r = (|| {
            let p = self.new_str(path).ok()?;
            let st = crate::vfs::stat(self, p).ok()?;
            let mode = self.seq_items(st)?.first().copied()?;
            mode.as_small_int().map(|m| m as u32)
        })();
        self.heap.safepoint(mark);
        r
    }

    fn import_is_dir(&mut self, path: &str) -> bool {
        self.import_stat_mode(path)
            .is_some_and(|m| m & 0o170000 == crate::vfs::S_IFDIR as u32)
    }

    /// The contents of file `path` through the mounted file systems (as `import` reads a
    /// module), or `None` if it cannot be read.
    pub fn read_file(&mut self, path: &str) -> Option<Vec<u8>> {
        self.import_read(path)
    }

    /// The bytes of a source file for `import`, through the mounted file systems.
    fn import_read(&mut self, path: &str) -> Option<Vec<u8>> {
        if self.vfs.table.is_empty() {
            return self.port.read_file(path);
        }
        if self.import_stat_mode(path)? & 0o170000 == crate::vfs::S_IFDIR as u32 {
            return None;
        }
        let p = self.new_str(path).ok()?;
        let mode = self.new_str("rb").ok()?;
        let f = crate::vfs::open(self, p, mode).ok()?;
        self.roots.push(f);
        let data = self.call_method0(f, q::read);
        let _ = self.call_method0(f, q::close);
        self.roots.pop();
        crate::obj::bytes::buffer_of(self, data.ok()?).ok()
    }

    /// `IMPORT_FROM`: `from m import name`.
    pub fn import_from(&mut self, m: Obj, name: Qstr) -> PyResult<Obj> {
        match self.getattr_opt(m, name)? {
            Some(v) => Ok(v),
            None => {
                // A submodule not imported yet.
                let d = self.module_dict(m);
                if !d.is_null() && self.dict_get_qstr(d, q::__path__).is_some() {
                    if let Some(pn) = self
                        .dict_get_qstr(d, q::__name__)
                        .and_then(|n| self.str_of(n))
                    {
                        let full = alloc::format!("{}.{}", pn, self.qstr_str(name));
                        if let Ok(sub) = self.import_one(&full, m) {
                            return Ok(sub);
                        }
                    }
                }
                let s = String::from(self.qstr_str(name));
                raise!(self, IMPORT_ERROR, "cannot import name {}", s)
            }
        }
    }

    /// `from m import *` with `m.__all__` = `names`: binds each listed name in `ns`.
    fn import_names(&mut self, m: Obj, names: Obj, ns: Obj) -> PyResult<()> {
        for name in self.iter_to_vec(names)? {
            let Some(qn) = self.str_to_qstr(name)? else {
                raise!(self, TYPE_ERROR, "__all__ must contain strings");
            };
            let v = self.getattr(m, qn)?;
            self.dict_set(ns, Obj::qstr(qn), v)?;
        }
        Ok(())
    }

    /// `IMPORT_STAR`.
    pub fn import_star(&mut self, m: Obj) -> PyResult<()> {
        let (locals, globals) = self
            .frames
            .last()
            .map_or((Obj::NULL, self.main_globals), |f| (f.locals, f.globals));
        let ns = if locals.is_null() { globals } else { locals };
        let items: Vec<(Obj, Obj)> = if let Some(mi) = m.as_builtin_module() {
            let mut v = Vec::new();
            for n in crate::modules::module_names(mi) {
                if n.starts_with('_') {
                    continue;
                }
                let q = self.intern(n)?;
                if let Some(val) = crate::modules::module_attr(self, mi, q)? {
                    v.push((Obj::qstr(q), val));
                }
            }
            v
        } else {
            // `__all__` names the public names; without it, every name in `__dict__` not
            // starting with `_` (MicroPython allows any object here, not just a module).
            let all = self.intern("__all__")?;
            if let Some(names) = self.getattr_opt(m, all)? {
                self.roots.push(names);
                let r = self.import_names(m, names, ns);
                self.roots.pop();
                return r;
            }
            let d = match self.heap.get(m) {
                Some(HeapObj::Module(x)) => x.dict,
                _ => self.getattr(m, q::__dict__)?,
            };
            if !matches!(self.heap.get(d), Some(HeapObj::Dict(_))) {
                raise!(self, TYPE_ERROR, "__dict__ must be a dict");
            }
            self.dict_items(d)
        };
        for (k, v) in items {
            if self.str_of(k).is_some_and(|s| s.starts_with('_')) {
                continue;
            }
            self.dict_set(ns, k, v)?;
        }
        Ok(())
    }
}
