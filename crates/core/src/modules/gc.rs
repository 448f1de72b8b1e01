//! `gc`: collection control and heap statistics.

use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

fn gc_collect(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    vm.collect(None);
    // As MicroPython's, the collection closes garbage files before it returns.
    crate::vfs::file::run_finalisers(vm);
    Ok(Obj::NONE)
}

fn gc_enable(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    vm.heap.auto = true;
    Ok(Obj::NONE)
}

fn gc_disable(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    vm.heap.auto = false;
    Ok(Obj::NONE)
}

fn gc_isenabled(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(Obj::bool(vm.heap.auto))
}

/// `gc.mem_free()`: the heap's unused budget, or on a board less if its arena has less left
/// (the heap shares it with what lives beside).
fn gc_mem_free(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let budget = vm.heap.limit().saturating_sub(vm.heap.used());
    let free = vm.beside_room().map_or(budget, |room| budget.min(room));
    vm.new_int(free as i64)
}

fn gc_mem_alloc(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let used = vm.heap.used();
    vm.new_int(used as i64)
}

/// `gc.threshold()`: the bytes allocated between automatic collections, -1 for the default;
/// `gc.threshold(n)` sets it (a negative `n` restores the default).
fn gc_threshold(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(&n) = args.first() else {
        return match vm.heap.threshold {
            Some(t) => vm.new_int(i64::try_from(t).unwrap_or(i64::MAX)),
            None => vm.new_int(-1),
        };
    };
    // Counted in 16-byte blocks, as MicroPython's heap does.
    let n = vm.index_value(n)?;
    vm.heap.threshold = usize::try_from(n).ok().map(|t| t / 16 * 16);
    Ok(Obj::NONE)
}

crate::native_table!(pub FUNCTIONS = [
    ("collect", gc_collect),
    ("disable", gc_disable),
    ("enable", gc_enable),
    ("isenabled", gc_isenabled),
    ("mem_alloc", gc_mem_alloc),
    ("mem_free", gc_mem_free),
    ("threshold", gc_threshold),
]);
