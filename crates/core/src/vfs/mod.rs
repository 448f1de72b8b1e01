//! The virtual file system: a table of file systems mounted at paths, as MicroPython's
//! `extmod/vfs.c` has it.
//!
//! A mounted file system is any Python object with the VFS methods (`open`, `ilistdir`,
//! `stat`, `mkdir`, ...): a Python class, or one of the built-in kinds in `fs.rs` (the host
//! folder reached through the `Port`, or Pyrite's block-device file system). `os` functions
//! find the mount a path falls under and call its method with the path inside it; the root
//! directory itself is virtual and lists the mount points.
//!
//! On the host, the `pyrite` command mounts the process' file system at `/` at start-up, so
//! paths mean what they mean to the shell.

pub mod blockfs;
pub mod file;
pub mod fs;

use alloc::string::String;
use alloc::vec::Vec;

use crate::native::PyResult;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// Error numbers (Linux values, as MicroPython's unix port has them).
pub mod errno {
    /// Operation not permitted.
    pub const EPERM: i32 = 1;
    /// No such file or directory.
    pub const ENOENT: i32 = 2;
    /// I/O error.
    pub const EIO: i32 = 5;
    /// Bad file descriptor.
    pub const EBADF: i32 = 9;
    /// Out of memory.
    pub const ENOMEM: i32 = 12;
    /// Busy (a file system re-entered from its own block device).
    pub const EBUSY: i32 = 16;
    /// File exists.
    pub const EEXIST: i32 = 17;
    /// No such device (nothing mounted, no file system found).
    pub const ENODEV: i32 = 19;
    /// Not a directory.
    pub const ENOTDIR: i32 = 20;
    /// Is a directory.
    pub const EISDIR: i32 = 21;
    /// Invalid argument.
    pub const EINVAL: i32 = 22;
    /// No space left on device.
    pub const ENOSPC: i32 = 28;
    /// Read-only file system.
    pub const EROFS: i32 = 30;
    /// Directory not empty.
    pub const ENOTEMPTY: i32 = 39;
}

/// `stat` mode bits.
pub const S_IFDIR: i32 = 0x4000;
/// `stat` mode of a regular file.
pub const S_IFREG: i32 = 0x8000;

/// One mounted file system.
pub struct Mount {
    /// The mount point, starting with `/` (`/` itself for the root).
    pub path: String,
    /// The file system object.
    pub obj: Obj,
    /// Identifies the mount for `cur`.
    id: u32,
}

/// The mount table and the current directory's mount.
#[derive(Default)]
pub struct Mounts {
    /// Mounted file systems; one mounted at `/` is always last.
    pub table: Vec<Mount>,
    /// The mount holding the current directory; `None` is the virtual root.
    cur: Option<u32>,
    next_id: u32,
    /// The open block files (closed for the program at collection and at soft reset).
    pub files: file::OpenFiles,
}

impl Mounts {
    /// Calls `f` with every object the table keeps alive (for the collector).
    pub fn trace(&self, f: &mut dyn FnMut(Obj)) {
        self.table.iter().for_each(|m| f(m.obj));
        self.files.trace(f);
    }
}

/// Where a path leads.
enum Lookup {
    /// The virtual root directory.
    Root,
    /// Nothing is mounted there.
    None,
    /// Mount `index`, with the path inside it.
    Mount(usize, String),
}

fn lookup(vm: &Vm, path: &str) -> Lookup {
    let m = &vm.vfs;
    if path.starts_with('/') || m.cur.is_none() {
        let (rest, is_abs) = match path.strip_prefix('/') {
            Some(r) => (r, true),
            None => (path, false),
        };
        if rest.is_empty() {
            return Lookup::Root;
        }
        for (i, mount) in m.table.iter().enumerate() {
            let point = &mount.path[1..];
            if point.is_empty() {
                let inner = if is_abs { path } else { rest };
                return Lookup::Mount(i, String::from(inner));
            }
            if let Some(after) = rest.strip_prefix(point) {
                if after.starts_with('/') {
                    return Lookup::Mount(i, String::from(after));
                }
                if after.is_empty() {
                    return Lookup::Mount(i, String::from("/"));
                }
            }
        }
        return Lookup::None;
    }
    match m.table.iter().position(|x| Some(x.id) == m.cur) {
        Some(i) => Lookup::Mount(i, String::from(path)),
        None => Lookup::None,
    }
}

/// An `OSError(code)`.
pub fn os_error(vm: &mut Vm, code: i32) -> Obj {
    vm.exc_with_arg(ty::OS_ERROR, Obj::small_int_unchecked(code))
}

/// The text of a path argument (`str` or `bytes`), and whether it was bytes.
pub fn path_arg(vm: &mut Vm, o: Obj) -> PyResult<(String, bool)> {
    if let Some(s) = vm.str_of(o) {
        return Ok((String::from(s), false));
    }
    if let Some(crate::object::HeapObj::Bytes(b)) = vm.heap.get(o) {
        return Ok((String::from_utf8_lossy(b).into_owned(), true));
    }
    let t = String::from(vm.type_name(o));
    raise!(
        vm,
        TYPE_ERROR,
        "can't convert '{}' object to str implicitly",
        t
    )
}

/// A path of the caller's kind (`str` or `bytes`).
pub fn new_path(vm: &mut Vm, s: &str, bytes: bool) -> PyResult<Obj> {
    if bytes {
        crate::obj::bytes::new_bytes(vm, s.as_bytes().to_vec())
    } else {
        vm.new_str(s)
    }
}

/// Finds the mount of `path`: its object and the path inside it (of `path`'s kind).
fn resolve(vm: &mut Vm, path: Obj) -> PyResult<(Option<Obj>, Option<Obj>)> {
    let (p, bytes) = path_arg(vm, path)?;
    match lookup(vm, &p) {
        Lookup::Root => Ok((None, None)),
        Lookup::None => Err(os_error(vm, errno::ENODEV)),
        Lookup::Mount(i, inner) => {
            let obj = vm.vfs.table[i].obj;
            let inner = new_path(vm, &inner, bytes)?;
            Ok((Some(obj), Some(inner)))
        }
    }
}

/// Calls method `name` of a mounted file system; `EPERM` on the virtual root.
fn proxy(vm: &mut Vm, fs: Option<Obj>, name: &str, args: &[Obj]) -> PyResult<Obj> {
    let Some(fs) = fs else {
        return Err(os_error(vm, errno::EPERM));
    };
    let q = vm.intern(name)?;
    vm.roots.push(fs);
    let r = vm.call_method(fs, q, args);
    vm.roots.pop();
    r
}

/// Calls `name(path)` on the file system holding `path`.
pub fn path_call(vm: &mut Vm, name: &str, path: Obj) -> PyResult<Obj> {
    let (fs, inner) = resolve(vm, path)?;
    let args: Vec<Obj> = inner.into_iter().collect();
    proxy(vm, fs, name, &args)
}

/// `vfs.mount(fs, mount_point, *, readonly=False, mkfs=False)`.
pub fn mount(vm: &mut Vm, fs: Obj, point: Obj, readonly: Obj, mkfs: Obj) -> PyResult<()> {
    let (point_s, _) = path_arg(vm, point)?;
    let q_mount = vm.intern("mount")?;
    let fs = if vm.getattr_opt(fs, q_mount)?.is_some() {
        fs
    } else {
        // A block device: find the file system on it.
        fs::autodetect(vm, fs)?
    };
    vm.roots.push(fs);
    let r = vm.call_method(fs, q_mount, &[readonly, mkfs]);
    vm.roots.pop();
    r?;
    if let Lookup::Mount(i, _) = lookup(vm, &point_s) {
        let root_mounted = vm.vfs.table[i].path == "/";
        if !(point_s != "/" && root_mounted) {
            return Err(os_error(vm, errno::EPERM));
        }
    }
    let m = &mut vm.vfs;
    m.next_id = m.next_id.wrapping_add(1);
    let entry = Mount {
        path: point_s,
        obj: fs,
        id: m.next_id,
    };
    let at = m
        .table
        .iter()
        .position(|x| x.path == "/")
        .unwrap_or(m.table.len());
    m.table.insert(at, entry);
    Ok(())
}

/// `vfs.umount(mount_point or fs)`.
pub fn umount(vm: &mut Vm, what: Obj) -> PyResult<()> {
    let name = vm.str_of(what).map(String::from);
    let found = vm
        .vfs
        .table
        .iter()
        .position(|m| name.as_deref() == Some(m.path.as_str()) || m.obj == what);
    let Some(i) = found else {
        return Err(os_error(vm, errno::EINVAL));
    };
    let m = vm.vfs.table.remove(i);
    if vm.vfs.cur == Some(m.id) {
        vm.vfs.cur = None;
    }
    proxy(vm, Some(m.obj), "umount", &[]).map(|_| ())
}

/// `vfs.mount()` with no arguments: `[(fs, mount_point), ...]`.
pub fn mount_list(vm: &mut Vm) -> PyResult<Obj> {
    let list = vm.new_list(Vec::new())?;
    let n = vm.vfs.table.len();
    for i in 0..n {
        let (obj, path) = match vm.vfs.table.get(i) {
            Some(m) => (m.obj, m.path.clone()),
            None => break,
        };
        let p = vm.new_str(&path)?;
        let t = vm.new_tuple(&[obj, p])?;
        vm.list_append(list, t)?;
    }
    Ok(list)
}

/// Mounts the port's own folder at `/` (the host CLI does this at start-up).
pub fn mount_port_root(vm: &mut Vm) -> PyResult<()> {
    if !vm.port.has_fs() || !vm.vfs.table.is_empty() {
        return Ok(());
    }
    let fs = fs::new_posix(vm, String::new())?;
    let root = vm.new_str("/")?;
    mount(vm, fs, root, Obj::FALSE, Obj::FALSE)?;
    // The current directory is the root mount's (the process' own).
    vm.vfs.cur = vm.vfs.table.last().map(|m| m.id);
    Ok(())
}

/// `open(file, mode="r", buffering=-1, encoding=None)`.
pub fn open(vm: &mut Vm, file: Obj, mode: Obj) -> PyResult<Obj> {
    if file.as_small_int().is_some() {
        return fs::posix_open_fd(vm, file, mode);
    }
    let (fs, inner) = resolve(vm, file)?;
    let mut args: Vec<Obj> = inner.into_iter().collect();
    args.push(mode);
    proxy(vm, fs, "open", &args)
}

/// `os.chdir(path)`.
pub fn chdir(vm: &mut Vm, path: Obj) -> PyResult<()> {
    let (fs, inner) = resolve(vm, path)?;
    let Some(fs) = fs else {
        // To the root: a file system mounted at `/` goes to its own root.
        let root = vm.vfs.table.iter().find(|m| m.path == "/").map(|m| m.obj);
        if let Some(r) = root {
            let slash = vm.new_str("/")?;
            proxy(vm, Some(r), "chdir", &[slash])?;
        }
        vm.vfs.cur = None;
        return Ok(());
    };
    let args: Vec<Obj> = inner.into_iter().collect();
    proxy(vm, Some(fs), "chdir", &args)?;
    vm.vfs.cur = vm.vfs.table.iter().find(|m| m.obj == fs).map(|m| m.id);
    Ok(())
}

/// `os.getcwd()`.
pub fn getcwd(vm: &mut Vm) -> PyResult<Obj> {
    let cur = vm.vfs.cur;
    let Some(m) = vm.vfs.table.iter().find(|m| Some(m.id) == cur) else {
        return vm.new_str("/");
    };
    let (obj, point) = (m.obj, m.path.clone());
    let cwd = proxy(vm, Some(obj), "getcwd", &[])?;
    if point == "/" {
        return Ok(cwd);
    }
    let (c, _) = path_arg(vm, cwd)?;
    let mut s = point;
    if c != "/" {
        s.push_str(&c);
    }
    vm.new_string(s)
}

/// `os.ilistdir([path])`.
pub fn ilistdir(vm: &mut Vm, path: Option<Obj>) -> PyResult<Obj> {
    let path = path.unwrap_or(Obj::qstr(crate::qstr::q::EMPTY));
    let (fs, inner) = resolve(vm, path)?;
    if fs.is_some() {
        let args: Vec<Obj> = inner.into_iter().collect();
        return proxy(vm, fs, "ilistdir", &args);
    }
    // The virtual root: the mount points, then what a file system mounted at `/` lists.
    let (_, bytes) = path_arg(vm, path)?;
    let mut items = Vec::new();
    let n = vm.vfs.table.len();
    for i in 0..n {
        let Some(m) = vm.vfs.table.get(i) else { break };
        let (obj, point) = (m.obj, m.path.clone());
        if point == "/" {
            let slash = vm.new_str("/")?;
            let it = proxy(vm, Some(obj), "ilistdir", &[slash])?;
            let list = vm.new_list(items)?;
            vm.roots.push(list);
            let r = vm.list_extend(list, it);
            vm.roots.pop();
            r?;
            return vm.get_iter(list);
        }
        let name = new_path(vm, &point[1..], bytes)?;
        let t = vm.new_tuple(&[
            name,
            Obj::small_int_unchecked(S_IFDIR),
            Obj::small_int_unchecked(0),
        ])?;
        items.push(t);
        vm.heap.keep(t);
    }
    let list = vm.new_list(items)?;
    vm.get_iter(list)
}

/// `os.listdir([path])`.
pub fn listdir(vm: &mut Vm, path: Option<Obj>) -> PyResult<Obj> {
    let it = ilistdir(vm, path)?;
    vm.roots.push(it);
    let r = (|| {
        let list = vm.new_list(Vec::new())?;
        vm.roots.push(list);
        let r = (|| loop {
            let Some(item) = vm.iter_next(it)? else {
                return Ok(list);
            };
            let name = vm.getitem(item, Obj::small_int_unchecked(0))?;
            vm.list_append(list, name)?;
        })();
        vm.roots.pop();
        r
    })();
    vm.roots.pop();
    r
}

/// `os.mkdir(path)`.
pub fn mkdir(vm: &mut Vm, path: Obj) -> PyResult<Obj> {
    let (fs, inner) = resolve(vm, path)?;
    let is_root = match inner {
        Some(i) => vm.str_of(i) == Some("/"),
        None => true,
    };
    if is_root {
        return Err(os_error(vm, errno::EEXIST));
    }
    let args: Vec<Obj> = inner.into_iter().collect();
    proxy(vm, fs, "mkdir", &args)
}

/// `os.rename(old, new)`.
pub fn rename(vm: &mut Vm, old: Obj, new: Obj) -> PyResult<Obj> {
    let (fs_a, a) = resolve(vm, old)?;
    if let Some(a) = a {
        vm.heap.keep(a);
    }
    let (fs_b, b) = resolve(vm, new)?;
    if fs_a != fs_b {
        return Err(os_error(vm, errno::EPERM));
    }
    let args: Vec<Obj> = a.into_iter().chain(b).collect();
    proxy(vm, fs_a, "rename", &args)
}

/// `os.stat(path)`.
pub fn stat(vm: &mut Vm, path: Obj) -> PyResult<Obj> {
    let (fs, inner) = resolve(vm, path)?;
    if fs.is_none() {
        let mut items = [Obj::small_int_unchecked(0); 10];
        items[0] = Obj::small_int_unchecked(S_IFDIR);
        return vm.new_tuple(&items);
    }
    let args: Vec<Obj> = inner.into_iter().collect();
    proxy(vm, fs, "stat", &args)
}

/// `os.statvfs(path)`.
pub fn statvfs(vm: &mut Vm, path: Obj) -> PyResult<Obj> {
    let (fs, inner) = resolve(vm, path)?;
    if fs.is_none() {
        let root = vm.vfs.table.iter().find(|m| m.path == "/").map(|m| m.obj);
        let Some(r) = root else {
            let mut items = [Obj::small_int_unchecked(0); 10];
            items[9] = Obj::small_int_unchecked(4096);
            return vm.new_tuple(&items);
        };
        let slash = vm.new_str("/")?;
        return proxy(vm, Some(r), "statvfs", &[slash]);
    }
    let args: Vec<Obj> = inner.into_iter().collect();
    proxy(vm, fs, "statvfs", &args)
}

/// Joins `path` onto directory `cwd` (both `/`-based) and removes `.`, `..` and repeated
/// slashes: the result has no leading slash ("" is the root).
pub fn normalize(cwd: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let full = if path.starts_with('/') { "" } else { cwd };
    for p in full.split('/').chain(path.split('/')) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}
