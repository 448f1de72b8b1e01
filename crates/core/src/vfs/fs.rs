//! The built-in file system objects: `vfs.VfsPosix` (a folder of the host, through the
//! `Port`) and `vfs.VfsLfs2`/`vfs.VfsFat` (Pyrite's block-device file system, `blockfs`, on
//! a block device object that speaks MicroPython's `readblocks`/`writeblocks`/`ioctl`
//! protocol). Their methods are the VFS protocol that `vfs::mount` expects.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use super::blockfs::{BlockDevice, BlockFs, FsResult};
use super::errno::{EBUSY, EINVAL, EIO, ENODEV, ENOENT, ENOTDIR, EROFS};
use super::file::{FileBackend, Mode};
use super::{new_path, os_error, path_arg, S_IFDIR, S_IFREG};
use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::port::OpenMode;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// A built-in file system object.
pub struct VfsObj {
    /// What it is.
    pub kind: VfsKind,
    /// Mounted read-only.
    pub readonly: bool,
}

/// The kinds of built-in file system.
pub enum VfsKind {
    /// A folder of the host; `root` is "" (paths pass through, relative ones to the process'
    /// own current directory) or an absolute path ending in `/`. A rooted one keeps its own
    /// current directory and resolves every path inside the folder: `..` stops at its top.
    Posix {
        /// The folder.
        root: String,
        /// The current directory inside a rooted folder, without leading slash ("" is its top).
        cwd: String,
    },
    /// Pyrite's file system on a block device.
    Block {
        /// The block device object.
        bdev: Obj,
        /// The class it was made as (`ty::VFS_LFS1`, `ty::VFS_LFS2`, `ty::VFS_FAT`): the
        /// littlefs names use the extended block protocol (an offset, and erases).
        flavour: u16,
        /// The mounted state; `None` while a method has it out, or before a successful mount.
        fs: Option<Box<BlockFs>>,
        /// The current directory, without a leading slash.
        cwd: String,
    },
}

/// The type of a file system object.
pub fn vfs_type(v: &VfsObj) -> u16 {
    match v.kind {
        VfsKind::Posix { .. } => ty::VFS_POSIX,
        VfsKind::Block { flavour, .. } => flavour,
    }
}

fn vfs_type_of(vm: &Vm, o: Obj) -> u16 {
    match vm.heap.get(o) {
        Some(HeapObj::Vfs(v)) => vfs_type(v),
        _ => ty::VFS_LFS2,
    }
}

/// A Python block device seen as a `BlockDevice`; the first Python error is kept in `err`.
struct PyDev<'a> {
    vm: &'a mut Vm,
    obj: Obj,
    extended: bool,
    err: Option<Obj>,
}

impl PyDev<'_> {
    fn has(&mut self, name: &str) -> bool {
        let Ok(q) = self.vm.intern(name) else {
            return false;
        };
        matches!(self.vm.getattr_opt(self.obj, q), Ok(Some(_)))
    }

    fn call(&mut self, name: &str, args: &[Obj]) -> FsResult<Obj> {
        let r = (|| {
            let q = self.vm.intern(name)?;
            self.vm.call_method(self.obj, q, args)
        })();
        match r {
            Ok(v) => match v.as_small_int() {
                Some(n) if n < 0 => Err(n.checked_neg().unwrap_or(EIO)),
                _ => Ok(v),
            },
            Err(e) => {
                self.err.get_or_insert(e);
                Err(EIO)
            }
        }
    }

    fn ioctl(&mut self, op: i32, arg: i32) -> FsResult<Option<i64>> {
        if !self.has("ioctl") {
            // The old protocol: `count()` and `sync()`, 512-byte blocks.
            let v = match op {
                4 => self.call("count", &[])?,
                3 if self.has("sync") => self.call("sync", &[])?,
                _ => Obj::NONE,
            };
            return Ok(v.as_small_int().map(i64::from));
        }
        let v = self.call(
            "ioctl",
            &[Obj::small_int_unchecked(op), Obj::small_int_unchecked(arg)],
        )?;
        Ok(v.as_small_int().map(i64::from))
    }
}

impl BlockDevice for PyDev<'_> {
    fn block_size(&mut self) -> FsResult<u32> {
        Ok(self.ioctl(5, 0)?.map_or(512, |n| n as u32))
    }

    fn block_count(&mut self) -> FsResult<u32> {
        let n = self.ioctl(4, 0)?.ok_or(EINVAL)?;
        u32::try_from(n).map_err(|_| EINVAL)
    }

    fn read(&mut self, block: u32, buf: &mut [u8]) -> FsResult<()> {
        let ba = self
            .vm
            .alloc(HeapObj::ByteArray(alloc::vec![0u8; buf.len()]))
            .map_err(|_| super::errno::ENOMEM)?;
        let b = Obj::small_int_unchecked(block as i32);
        if self.extended {
            self.call("readblocks", &[b, ba, Obj::small_int_unchecked(0)])?;
        } else {
            self.call("readblocks", &[b, ba])?;
        }
        match self.vm.heap.get(ba) {
            Some(HeapObj::ByteArray(v)) if v.len() == buf.len() => buf.copy_from_slice(v),
            _ => return Err(EIO),
        }
        Ok(())
    }

    fn write(&mut self, block: u32, data: &[u8]) -> FsResult<()> {
        let ba = self
            .vm
            .alloc(HeapObj::ByteArray(data.to_vec()))
            .map_err(|_| super::errno::ENOMEM)?;
        let b = Obj::small_int_unchecked(block as i32);
        if self.extended {
            self.ioctl(6, block as i32)?;
            self.call("writeblocks", &[b, ba, Obj::small_int_unchecked(0)])?;
        } else {
            self.call("writeblocks", &[b, ba])?;
        }
        Ok(())
    }

    fn sync(&mut self) -> FsResult<()> {
        self.ioctl(3, 0).map(|_| ())
    }
}

fn vfs_mut(vm: &mut Vm, o: Obj) -> PyResult<&mut VfsObj> {
    if !matches!(vm.heap.get(o), Some(HeapObj::Vfs(_))) {
        raise!(vm, TYPE_ERROR, "expected a file system");
    }
    match vm.heap.get_mut(o) {
        Some(HeapObj::Vfs(v)) => Ok(v),
        _ => Err(Obj::NONE),
    }
}

/// Runs `f` on the mounted block file system of `o` with its device.
pub fn with_block<R>(
    vm: &mut Vm,
    o: Obj,
    write: bool,
    f: impl FnOnce(&mut BlockFs, &mut dyn BlockDevice, &str) -> FsResult<R>,
) -> PyResult<R> {
    let v = vfs_mut(vm, o)?;
    if write && v.readonly {
        return Err(os_error(vm, EROFS));
    }
    let VfsKind::Block {
        bdev,
        flavour,
        fs,
        cwd,
    } = &mut v.kind
    else {
        raise!(vm, TYPE_ERROR, "expected a block file system");
    };
    let (bdev, extended, cwd) = (*bdev, *flavour != ty::VFS_FAT, cwd.clone());
    let Some(mut state) = fs.take() else {
        return Err(os_error(vm, EBUSY));
    };
    let mut dev = PyDev {
        vm,
        obj: bdev,
        extended,
        err: None,
    };
    let r = f(&mut state, &mut dev, &cwd);
    let err = dev.err;
    if let Ok(v) = vfs_mut(vm, o) {
        if let VfsKind::Block { fs, .. } = &mut v.kind {
            *fs = Some(state);
        }
    }
    if vm.vfs.files.has_queued() {
        // Garbage files may have waited for this file system: close them now.
        vm.poll_countdown = 1;
    }
    match (r, err) {
        (Ok(x), _) => Ok(x),
        (Err(_), Some(e)) => Err(e),
        (Err(code), None) => Err(os_error(vm, code)),
    }
}

/// A new `VfsPosix` on `root` ("" for the port's own paths).
pub fn new_posix(vm: &mut Vm, root: String) -> PyResult<Obj> {
    vm.alloc(HeapObj::Vfs(Box::new(VfsObj {
        kind: VfsKind::Posix {
            root,
            cwd: String::new(),
        },
        readonly: false,
    })))
}

fn port_err<T>(vm: &mut Vm, r: Result<T, i32>) -> PyResult<T> {
    r.map_err(|code| os_error(vm, code))
}

/// `vfs.VfsPosix(root=None)`.
pub fn posix_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let mut root = String::new();
    if let Some(&r) = args.first().filter(|r| **r != Obj::NONE) {
        let (r, _) = path_arg(vm, r)?;
        if !r.is_empty() && !r.starts_with('/') {
            let cwd = vm.port.fs_getcwd();
            root = port_err(vm, cwd)?;
            root.push('/');
        }
        root.push_str(&r);
        root.push('/');
    }
    new_posix(vm, root)
}

/// `VfsLfs2(bdev, ...)` and `VfsFat(bdev)`: mounts the file system on `bdev` (a `VfsFat`
/// without one yet gets it at `mount(mkfs=True)`).
pub fn block_new(vm: &mut Vm, args: &[Obj], flavour: u16) -> PyResult<Obj> {
    let Some(&bdev) = args.first() else {
        raise!(
            vm,
            TYPE_ERROR,
            "function missing 1 required positional arguments"
        );
    };
    let o = vm.alloc(HeapObj::Vfs(Box::new(VfsObj {
        kind: VfsKind::Block {
            bdev,
            flavour,
            fs: Some(Box::new(BlockFs::empty())),
            cwd: String::new(),
        },
        readonly: false,
    })))?;
    let mounted = with_block(vm, o, false, |_, dev, _| BlockFs::mount(dev));
    match mounted {
        Ok(fs) => set_state(vm, o, Some(Box::new(fs)))?,
        Err(e) if flavour != ty::VFS_FAT => return Err(e),
        Err(_) => set_state(vm, o, None)?,
    }
    Ok(o)
}

fn set_state(vm: &mut Vm, o: Obj, state: Option<Box<BlockFs>>) -> PyResult<()> {
    if let VfsKind::Block { fs, .. } = &mut vfs_mut(vm, o)?.kind {
        *fs = state;
    }
    Ok(())
}

/// Makes a file system object for block device `bdev` (`vfs.mount` of a block device).
pub fn autodetect(vm: &mut Vm, bdev: Obj) -> PyResult<Obj> {
    // The littlefs names speak the extended protocol; a device that does not gets the
    // `VfsFat` name, which may still find no file system (then mounting fails).
    match block_new(vm, &[bdev], ty::VFS_LFS2) {
        Ok(o) => Ok(o),
        Err(_) => block_new(vm, &[bdev], ty::VFS_FAT).map_err(|_| os_error(vm, ENODEV)),
    }
}

/// `Vfs.mkfs(bdev)`: writes an empty file system onto `bdev`.
fn vfs_mkfs(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [cls, bdev, ..] = args else {
        raise!(vm, TYPE_ERROR, "mkfs() takes a block device");
    };
    let flavour = match cls.as_builtin_type() {
        Some(t @ (ty::VFS_FAT | ty::VFS_LFS1)) => t,
        _ => ty::VFS_LFS2,
    };
    let tmp = vm.alloc(HeapObj::Vfs(Box::new(VfsObj {
        kind: VfsKind::Block {
            bdev: *bdev,
            flavour,
            fs: Some(Box::new(BlockFs::empty())),
            cwd: String::new(),
        },
        readonly: false,
    })))?;
    with_block(vm, tmp, true, |_, dev, _| BlockFs::mkfs(dev))?;
    Ok(Obj::NONE)
}

fn self_vfs(vm: &mut Vm, args: &[Obj], n: usize) -> PyResult<Obj> {
    match args.first() {
        Some(&o) if args.len() > n && matches!(vm.heap.get(o), Some(HeapObj::Vfs(_))) => Ok(o),
        _ => raise!(
            vm,
            TYPE_ERROR,
            "function takes {} positional arguments",
            n + 1
        ),
    }
}

/// The host path of `path` under a `VfsPosix`, or `None` for a block file system.
fn posix_path(vm: &mut Vm, o: Obj, path: &str) -> PyResult<Option<String>> {
    match &vfs_mut(vm, o)?.kind {
        VfsKind::Posix { root, .. } if root.is_empty() => Ok(Some(String::from(path))),
        VfsKind::Posix { root, cwd } => {
            let mut p = root.clone();
            p.push_str(&super::normalize(cwd, path));
            Ok(Some(p))
        }
        VfsKind::Block { .. } => Ok(None),
    }
}

fn path_of(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<(String, bool)> {
    match args.get(i) {
        Some(&p) => path_arg(vm, p),
        None => raise!(vm, TYPE_ERROR, "missing path"),
    }
}

fn mtime(vm: &mut Vm) -> u32 {
    (vm.port.time_ns() / 1_000_000_000) as u32
}

fn vfs_mount(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_vfs(vm, args, 0)?;
    let readonly = match args.get(1) {
        Some(&r) => vm.truthy(r)?,
        None => false,
    };
    let mkfs = match args.get(2) {
        Some(&m) => vm.truthy(m)?,
        None => false,
    };
    let needs_fs = matches!(&vfs_mut(vm, o)?.kind, VfsKind::Block { fs: None, .. });
    if needs_fs {
        if mkfs {
            set_state(vm, o, Some(Box::new(BlockFs::empty())))?;
            with_block(vm, o, false, |_, dev, _| BlockFs::mkfs(dev))?;
        }
        set_state(vm, o, Some(Box::new(BlockFs::empty())))?;
        let fs = with_block(vm, o, false, |_, dev, _| BlockFs::mount(dev));
        match fs {
            Ok(fs) => set_state(vm, o, Some(Box::new(fs)))?,
            Err(e) => {
                set_state(vm, o, None)?;
                return Err(e);
            }
        }
    }
    vfs_mut(vm, o)?.readonly = readonly;
    Ok(Obj::NONE)
}

fn vfs_umount(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    self_vfs(vm, args, 0)?;
    Ok(Obj::NONE)
}

fn stat_tuple(vm: &mut Vm, dir: bool, size: u64, mtime: u64, ino: u64) -> PyResult<Obj> {
    let size = vm.new_int(size as i64)?;
    let t = vm.new_int(mtime as i64)?;
    let ino = vm.new_int(ino as i64)?;
    let mode = Obj::small_int_unchecked(if dir { S_IFDIR } else { S_IFREG });
    let z = Obj::small_int_unchecked(0);
    vm.new_tuple(&[mode, ino, z, z, z, z, size, t, t, t])
}

fn vfs_stat(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_vfs(vm, args, 1)?;
    let (p, _) = path_of(vm, args, 1)?;
    if let Some(hp) = posix_path(vm, o, &p)? {
        let st = vm.port.fs_stat(&hp);
        let st = port_err(vm, st)?;
        return stat_tuple(vm, st.is_dir, st.size, st.mtime, st.ino);
    }
    let (dir, size, t) = with_block(vm, o, false, |fs, _, cwd| {
        let path = super::normalize(cwd, &p);
        Ok(match fs.stat(&path)? {
            None => (true, 0, 0),
            Some(e) => (e.dir, e.size, e.mtime),
        })
    })?;
    stat_tuple(vm, dir, u64::from(size), u64::from(t), 0)
}

fn vfs_statvfs(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_vfs(vm, args, 1)?;
    let (p, _) = path_of(vm, args, 1)?;
    let v: [u64; 10] = if let Some(hp) = posix_path(vm, o, &p)? {
        let r = vm.port.fs_statvfs(&hp);
        port_err(vm, r)?
    } else {
        let (bs, n, free) = with_block(vm, o, false, |fs, _, _| Ok(fs.usage()))?;
        let (bs, n, free) = (u64::from(bs), u64::from(n), u64::from(free));
        let max = super::blockfs::NAME_MAX as u64;
        [bs, bs, n, free, free, 0, 0, 0, 0, max]
    };
    let mut items = Vec::with_capacity(10);
    for x in v {
        let i = vm.new_int(x as i64)?;
        vm.heap.keep(i);
        items.push(i);
    }
    vm.new_tuple(&items)
}

fn vfs_ilistdir(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_vfs(vm, args, 0)?;
    let (p, bytes) = match args.get(1) {
        Some(&p) => path_arg(vm, p)?,
        None => (String::new(), false),
    };
    // A rooted folder stands for a board's file system: its entries carry their size, as a
    // board's do (MicroPython's unix `VfsPosix` gives three items).
    let rooted = matches!(&vfs_mut(vm, o)?.kind, VfsKind::Posix { root, .. } if !root.is_empty());
    let entries: Vec<(String, bool, u64, u32)> = if let Some(hp) = posix_path(vm, o, &p)? {
        let r = vm.port.fs_listdir(&hp);
        let list = port_err(vm, r)?;
        let mut entries = Vec::with_capacity(list.len());
        for (n, d, ino) in list.into_iter().filter(|(n, _, _)| n != "." && n != "..") {
            let size = match rooted && !d {
                true => {
                    let full = alloc::format!("{}/{}", hp.trim_end_matches('/'), n);
                    vm.port
                        .fs_stat(&full)
                        .map_or(0, |st| st.size.min(u64::from(u32::MAX)) as u32)
                }
                false => 0,
            };
            entries.push((n, d, ino, size));
        }
        entries
    } else {
        with_block(vm, o, false, |fs, _, cwd| {
            let path = super::normalize(cwd, &p);
            Ok(fs
                .listdir(&path)?
                .into_iter()
                .map(|e| {
                    let name = e.path.rsplit('/').next().unwrap_or("");
                    (String::from(name), e.dir, 0, e.size)
                })
                .collect())
        })?
    };
    let block = rooted || matches!(vfs_mut(vm, o)?.kind, VfsKind::Block { .. });
    let mut items = Vec::with_capacity(entries.len());
    for (name, dir, ino, size) in entries {
        let n = new_path(vm, &name, bytes)?;
        let ino = vm.new_int(ino as i64)?;
        let mode = Obj::small_int_unchecked(if dir { S_IFDIR } else { S_IFREG });
        let t = if block {
            let size = vm.new_int(i64::from(size))?;
            vm.new_tuple(&[n, mode, ino, size])?
        } else {
            vm.new_tuple(&[n, mode, ino])?
        };
        vm.heap.keep(t);
        items.push(t);
    }
    let list = vm.new_list(items)?;
    vm.get_iter(list)
}

/// A write operation on one path: `mkdir`, `rmdir`, `remove`.
fn path_op(vm: &mut Vm, args: &[Obj], op: u8) -> PyResult<Obj> {
    let o = self_vfs(vm, args, 1)?;
    let (p, _) = path_of(vm, args, 1)?;
    if let Some(hp) = posix_path(vm, o, &p)? {
        if op == 3 {
            if let VfsKind::Posix { root, cwd } = &vfs_mut(vm, o)?.kind {
                if !root.is_empty() {
                    // A rooted folder changes its own directory, not the process'.
                    let inside = super::normalize(cwd, &p);
                    let st = vm.port.fs_stat(&hp);
                    match port_err(vm, st)? {
                        st if st.is_dir => {}
                        _ => return Err(os_error(vm, ENOTDIR)),
                    }
                    if let VfsKind::Posix { cwd, .. } = &mut vfs_mut(vm, o)?.kind {
                        *cwd = inside;
                    }
                    return Ok(Obj::NONE);
                }
            }
        }
        let r = match op {
            0 => vm.port.fs_mkdir(&hp),
            1 => vm.port.fs_rmdir(&hp),
            2 => vm.port.fs_remove(&hp),
            _ => vm.port.fs_chdir(&hp),
        };
        port_err(vm, r)?;
        return Ok(Obj::NONE);
    }
    let t = mtime(vm);
    if op == 3 {
        // chdir
        let path = with_block(vm, o, false, |fs, _, cwd| {
            let path = super::normalize(cwd, &p);
            match fs.stat(&path)? {
                Some(e) if !e.dir => Err(ENOENT),
                _ => Ok(path),
            }
        })?;
        if let VfsKind::Block { cwd, .. } = &mut vfs_mut(vm, o)?.kind {
            *cwd = path;
        }
        return Ok(Obj::NONE);
    }
    with_block(vm, o, true, |fs, dev, cwd| {
        let path = super::normalize(cwd, &p);
        match op {
            0 => fs.mkdir(dev, &path, t),
            1 => fs.remove(dev, &path, true),
            _ => fs.remove(dev, &path, false),
        }
    })?;
    Ok(Obj::NONE)
}

fn vfs_mkdir(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    path_op(vm, args, 0)
}

fn vfs_rmdir(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    path_op(vm, args, 1)
}

fn vfs_remove(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    path_op(vm, args, 2)
}

fn vfs_chdir(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    path_op(vm, args, 3)
}

fn vfs_rename(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_vfs(vm, args, 2)?;
    let (a, _) = path_of(vm, args, 1)?;
    let (b, _) = path_of(vm, args, 2)?;
    if let Some(ha) = posix_path(vm, o, &a)? {
        let hb = posix_path(vm, o, &b)?.unwrap_or_default();
        let r = vm.port.fs_rename(&ha, &hb);
        port_err(vm, r)?;
        return Ok(Obj::NONE);
    }
    with_block(vm, o, true, |fs, dev, cwd| {
        let (a, b) = (super::normalize(cwd, &a), super::normalize(cwd, &b));
        fs.rename(dev, &a, &b)
    })?;
    Ok(Obj::NONE)
}

fn vfs_getcwd(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_vfs(vm, args, 0)?;
    let s = match &vfs_mut(vm, o)?.kind {
        VfsKind::Posix { root, .. } if root.is_empty() => {
            let cwd = vm.port.fs_getcwd();
            port_err(vm, cwd)?
        }
        VfsKind::Posix { cwd, .. } => {
            let mut s = String::from("/");
            s.push_str(cwd);
            s
        }
        VfsKind::Block { cwd, .. } => {
            let mut s = String::from("/");
            s.push_str(cwd);
            s
        }
    };
    vm.new_string(s)
}

fn vfs_open(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_vfs(vm, args, 1)?;
    let (p, _) = path_of(vm, args, 1)?;
    let mode_s = match args.get(2) {
        Some(&m) => String::from(vm.str_of(m).unwrap_or("r")),
        None => String::from("r"),
    };
    let Some(mode) = Mode::parse(&mode_s) else {
        raise!(vm, VALUE_ERROR, "invalid mode");
    };
    if let Some(hp) = posix_path(vm, o, &p)? {
        let r = vm.port.fs_open(Some(&hp), -1, mode.open_mode());
        let fd = port_err(vm, r)?;
        return super::file::new_file(vm, mode.text, FileBackend::Host { fd });
    }
    let writes = mode.open_mode().write;
    let t = mtime(vm);
    let (path, data) = with_block(vm, o, writes, |fs, dev, cwd| {
        let path = super::normalize(cwd, &p);
        let om = mode.open_mode();
        let exists = fs.stat(&path).ok().flatten().is_some();
        if path.is_empty() || fs.stat(&path).ok().flatten().is_some_and(|e| e.dir) {
            return Err(super::errno::EISDIR);
        }
        if om.exclusive && exists {
            return Err(super::errno::EEXIST);
        }
        if !exists {
            if !om.create {
                return Err(ENOENT);
            }
            // The new file exists (empty) from its opening on.
            fs.write_file(dev, &path, &[], t)?;
        }
        let data = if om.truncate {
            Vec::new()
        } else {
            fs.read_file(dev, &path)?
        };
        Ok((path, data))
    })?;
    vm.charge(data.len())?;
    let om = mode.open_mode();
    let pos = if om.append { data.len() } else { 0 };
    super::file::new_file(
        vm,
        mode.text,
        FileBackend::Block {
            vfs: o,
            path,
            data,
            pos,
            dirty: om.truncate,
            mode: om,
            fat: vfs_type_of(vm, o) == ty::VFS_FAT,
        },
    )
}

/// `open(fd)`: a file object on a descriptor of the host.
pub fn posix_open_fd(vm: &mut Vm, fd: Obj, mode: Obj) -> PyResult<Obj> {
    let mode_s = String::from(vm.str_of(mode).unwrap_or("r"));
    let Some(m) = Mode::parse(&mode_s) else {
        raise!(vm, VALUE_ERROR, "invalid mode");
    };
    let n = fd.as_small_int().unwrap_or(-1);
    let r = vm.port.fs_open(None, n, OpenMode::default());
    let fd = port_err(vm, r)?;
    super::file::new_file(vm, m.text, FileBackend::Host { fd })
}

/// Whether a block file of `len` bytes fits beside the committed state (the old contents stay
/// until the new are committed).
pub fn block_fits(vm: &mut Vm, vfs: Obj, len: usize) -> PyResult<bool> {
    let (bs, _, free) = with_block(vm, vfs, false, |fs, _, _| Ok(fs.usage()))?;
    // One block is kept for the metadata.
    let room = (free.saturating_sub(1) as usize).saturating_mul(bs as usize);
    Ok(len <= room)
}

/// Whether block file system `vfs` is in the middle of an operation (its state is out, and a
/// block device method is running).
pub fn block_busy(vm: &Vm, vfs: Obj) -> bool {
    match vm.heap.get(vfs) {
        Some(HeapObj::Vfs(v)) => matches!(v.kind, VfsKind::Block { fs: None, .. }),
        _ => false,
    }
}

/// Commits a block file's new contents.
pub fn block_commit(vm: &mut Vm, vfs: Obj, path: &str, data: &[u8]) -> PyResult<()> {
    let t = mtime(vm);
    with_block(vm, vfs, true, |fs, dev, _| {
        fs.write_file(dev, path, data, t)
    })
}

/// `repr` of a file system object.
pub fn vfs_repr(v: &VfsObj) -> String {
    let name = crate::types::info(vfs_type(v)).name;
    alloc::format!("<{}>", name)
}

/// `vfs.VfsPosix(...)`, `vfs.VfsLfs2(...)`, `vfs.VfsFat(...)`.
pub fn vfs_new(vm: &mut Vm, t: u16, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    match t {
        ty::VFS_POSIX => posix_new(vm, args, kw),
        _ => block_new(vm, args, t),
    }
}

crate::native_table!(pub METHODS = [
    ("chdir", vfs_chdir),
    ("getcwd", vfs_getcwd),
    ("ilistdir", vfs_ilistdir),
    ("mkdir", vfs_mkdir),
    ("mkfs", vfs_mkfs, ClassMethod),
    ("mount", vfs_mount),
    ("open", vfs_open),
    ("remove", vfs_remove),
    ("rename", vfs_rename),
    ("rmdir", vfs_rmdir),
    ("stat", vfs_stat),
    ("statvfs", vfs_statvfs),
    ("umount", vfs_umount),
]);
