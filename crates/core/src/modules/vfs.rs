//! `vfs`: mounting file systems (`mount`, `umount`) and the built-in file system classes.
//! The mount table itself is `crate::vfs`.

use crate::native::{Kw, PyResult};
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// A keyword argument's value, or `default`.
pub fn kwarg(vm: &Vm, kw: Kw, name: &str, default: Obj) -> Obj {
    kw.iter()
        .find(|(k, _)| vm.qstr_str(*k) == name)
        .map_or(default, |&(_, v)| v)
}

/// `vfs.mount(fs, mount_point, *, readonly=False, mkfs=False)`, or `vfs.mount()` for the
/// list of mounts.
fn vfs_mount(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    match args {
        [] => crate::vfs::mount_list(vm),
        [fs, point] => {
            let readonly = kwarg(vm, kw, "readonly", Obj::FALSE);
            let mkfs = kwarg(vm, kw, "mkfs", Obj::FALSE);
            crate::vfs::mount(vm, *fs, *point, readonly, mkfs)?;
            Ok(Obj::NONE)
        }
        _ => raise!(vm, TYPE_ERROR, "mount() takes 0 or 2 positional arguments"),
    }
}

/// `vfs.umount(mount_point)`.
fn vfs_umount(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [what] = args else {
        raise!(vm, TYPE_ERROR, "umount() takes 1 positional argument");
    };
    crate::vfs::umount(vm, *what)?;
    Ok(Obj::NONE)
}

crate::native_table!(pub FUNCTIONS = [
    ("mount", vfs_mount),
    ("umount", vfs_umount),
]);

/// Names of the module's other attributes.
pub static ATTR_NAMES: &[&str] = &["VfsFat", "VfsLfs1", "VfsLfs2", "VfsPosix"];

/// The module's other attributes: the file system classes.
pub fn module_attr(vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    Ok(match name {
        "VfsPosix" if vm.port.has_fs() => Some(Obj::builtin_type(ty::VFS_POSIX)),
        "VfsLfs1" => Some(Obj::builtin_type(ty::VFS_LFS1)),
        "VfsLfs2" => Some(Obj::builtin_type(ty::VFS_LFS2)),
        "VfsFat" => Some(Obj::builtin_type(ty::VFS_FAT)),
        _ => None,
    })
}
