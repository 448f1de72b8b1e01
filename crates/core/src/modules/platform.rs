//! `platform`: a description of the system, as MicroPython's `platform` module gives it.

use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

crate::native_table!(pub FUNCTIONS = [
    ("libc_ver", platform_libc_ver),
    ("platform", platform_platform),
    ("python_compiler", platform_python_compiler),
]);

/// Names of the module's other attributes (none).
pub static ATTR_NAMES: &[&str] = &[];

/// The module's other attributes (none).
pub fn module_attr(_vm: &mut Vm, _name: &str) -> PyResult<Option<Obj>> {
    Ok(None)
}

/// `platform.platform()`: `<system>-<version>-<machine>`, as MicroPython formats it.
fn platform_platform(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (major, minor, micro) = crate::version_triple();
    let system = vm.port.platform();
    let s = alloc::format!(
        "{}-{}.{}.{}-pyrite-{}",
        system,
        major,
        minor,
        micro,
        crate::VERSION
    );
    vm.new_string(s)
}

/// `platform.python_compiler()`: the compiler that built the interpreter.
fn platform_python_compiler(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    vm.new_str("rustc")
}

/// `platform.libc_ver()`: `(lib, version)`; Pyrite uses no C library, so both are empty.
fn platform_libc_ver(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let e = vm.new_str("")?;
    vm.new_tuple(&[e, e])
}
