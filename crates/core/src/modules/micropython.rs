//! `micropython`: the parts of MicroPython's own module the language core needs.

use alloc::string::String;

use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

fn mp_const(_vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(args.first().copied().unwrap_or(Obj::NONE))
}

fn mp_opt_level(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.is_empty() {
        return vm.new_int(0);
    }
    Ok(Obj::NONE)
}

fn mp_mem_info(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = alloc::format!(
        "mem: total={}, current={}, peak={}\nGC: total: {}, used: {}, free: {}\n",
        vm.heap.limit(),
        vm.heap.used(),
        vm.heap.used(),
        vm.heap.limit(),
        vm.heap.used(),
        vm.heap.limit().saturating_sub(vm.heap.used())
    );
    vm.port.stdout(s.as_bytes());
    Ok(Obj::NONE)
}

fn mp_qstr_info(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = alloc::format!(
        "qstr pool: n_total={}, n_str_data_bytes={}\n",
        crate::qstr::static_count(),
        vm.qstrs.bytes_used()
    );
    vm.port.stdout(s.as_bytes());
    Ok(Obj::NONE)
}

fn mp_heap_lock(_vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

fn mp_kbd_intr(_vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

fn mp_stack_use(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let n = vm.frames.len() as i64;
    vm.new_int(n)
}

fn mp_alloc_emergency_exception_buf(_vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

/// `micropython.dis(f)`: prints the bytecode of a function (a Pyrite extension).
fn mp_dis(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(code) = args.first().and_then(|&f| vm.code_of(f)) else {
        raise!(vm, TYPE_ERROR, "dis() expects a function or code object");
    };
    let s: String = vm.disassemble(code);
    vm.port.stdout(s.as_bytes());
    Ok(Obj::NONE)
}

crate::native_table!(pub FUNCTIONS = [
    ("alloc_emergency_exception_buf", mp_alloc_emergency_exception_buf),
    ("const", mp_const),
    ("dis", mp_dis),
    ("heap_lock", mp_heap_lock),
    ("heap_unlock", mp_heap_lock),
    ("kbd_intr", mp_kbd_intr),
    ("mem_info", mp_mem_info),
    ("opt_level", mp_opt_level),
    ("qstr_info", mp_qstr_info),
    ("stack_use", mp_stack_use),
]);
