//! `os`: files and directories through the mount table (`crate::vfs`), `uname`, `urandom`.

use alloc::vec;
use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vfs;
use crate::vm::Vm;

fn one(vm: &mut Vm, args: &[Obj], name: &str) -> PyResult<Obj> {
    match args {
        [a] => Ok(*a),
        _ => raise!(vm, TYPE_ERROR, "{}() takes 1 positional argument", name),
    }
}

fn os_chdir(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let p = one(vm, args, "chdir")?;
    vfs::chdir(vm, p)?;
    Ok(Obj::NONE)
}

fn os_getcwd(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    vfs::getcwd(vm)
}

fn os_ilistdir(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    vfs::ilistdir(vm, args.first().copied())
}

fn os_listdir(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    vfs::listdir(vm, args.first().copied())
}

fn os_mkdir(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let p = one(vm, args, "mkdir")?;
    vfs::mkdir(vm, p)
}

fn os_remove(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let p = one(vm, args, "remove")?;
    vfs::path_call(vm, "remove", p)
}

fn os_rmdir(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let p = one(vm, args, "rmdir")?;
    vfs::path_call(vm, "rmdir", p)
}

fn os_rename(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [a, b] = args else {
        raise!(vm, TYPE_ERROR, "rename() takes 2 positional arguments");
    };
    vfs::rename(vm, *a, *b)
}

fn os_stat(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let p = one(vm, args, "stat")?;
    vfs::stat(vm, p)
}

fn os_statvfs(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let p = one(vm, args, "statvfs")?;
    vfs::statvfs(vm, p)
}

fn os_sync(_vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

/// `os.uname()`: a named tuple of five strings.
fn os_uname(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let nt = vm.intern("namedtuple")?;
    let Some(make) = super::module_attr(vm, super::id::COLLECTIONS, nt)? else {
        raise!(vm, RUNTIME_ERROR, "namedtuple missing");
    };
    let cname = vm.new_str("uname_result")?;
    let fields = vm.new_str("sysname nodename release version machine")?;
    let cls = vm.call(make, &[cname, fields], &[])?;
    vm.heap.keep(cls);
    let platform = vm.port.platform();
    let (major, minor, micro) = crate::version_triple();
    let texts = [
        alloc::string::String::from(platform),
        alloc::string::String::from(platform),
        alloc::format!("{}.{}.{}", major, minor, micro),
        alloc::format!(
            "Pyrite {} (MicroPython {}.{}.{})",
            crate::VERSION,
            major,
            minor,
            micro
        ),
        alloc::format!("Pyrite with {}", platform),
    ];
    let mut items = Vec::with_capacity(5);
    for t in texts {
        let s = vm.new_string(t)?;
        vm.heap.keep(s);
        items.push(s);
    }
    vm.call(cls, &items, &[])
}

/// `os.urandom(n)`: `n` random bytes, from the port if it has a source, else from `random`'s
/// generator.
fn os_urandom(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let n = one(vm, args, "urandom")?;
    let n = vm.index_value(n)?;
    let Ok(n) = usize::try_from(n) else {
        raise!(vm, VALUE_ERROR, "negative count");
    };
    vm.charge(n)?;
    let mut buf = vec![0u8; n];
    if !vm.port.urandom(&mut buf) {
        for b in buf.iter_mut() {
            *b = vm.random.next_u32() as u8;
        }
    }
    crate::obj::bytes::new_bytes(vm, buf)
}

crate::native_table!(pub FUNCTIONS = [
    ("chdir", os_chdir),
    ("getcwd", os_getcwd),
    ("ilistdir", os_ilistdir),
    ("listdir", os_listdir),
    ("mkdir", os_mkdir),
    ("remove", os_remove),
    ("rename", os_rename),
    ("rmdir", os_rmdir),
    ("stat", os_stat),
    ("statvfs", os_statvfs),
    ("sync", os_sync),
    ("uname", os_uname),
    ("unlink", os_remove),
    ("urandom", os_urandom),
]);

/// Names of the module's other attributes.
pub static ATTR_NAMES: &[&str] = &["sep"];

/// The module's other attributes.
pub fn module_attr(vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    Ok(match name {
        "sep" => Some(vm.new_str("/")?),
        _ => None,
    })
}
