//! `range`.

use alloc::boxed::Box;

use crate::native::{Kw, PyResult};
use crate::object::{HeapObj, RangeObj};
use crate::value::Obj;
use crate::vm::Vm;

/// `range(stop)`, `range(start, stop[, step])`.
pub fn range_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    if !kw.is_empty() {
        raise!(vm, TYPE_ERROR, "function doesn't take keyword arguments");
    }
    let (start, stop, step) = match args.len() {
        1 => (0, vm.index_value(args[0])?, 1),
        2 => (vm.index_value(args[0])?, vm.index_value(args[1])?, 1),
        3 => (
            vm.index_value(args[0])?,
            vm.index_value(args[1])?,
            vm.index_value(args[2])?,
        ),
        n => raise!(
            vm,
            TYPE_ERROR,
            "range expected at most 3 arguments, got {}",
            n
        ),
    };
    if step == 0 {
        raise!(vm, VALUE_ERROR, "zero step");
    }
    // As MicroPython: the bounds are machine words (31 bits and a sign on a 32-bit board).
    if [start, stop, step]
        .iter()
        .any(|&v| isize::try_from(v).is_err())
    {
        raise!(
            vm,
            OVERFLOW_ERROR,
            "overflow converting long int to machine word"
        );
    }
    vm.alloc(HeapObj::Range(Box::new(RangeObj { start, stop, step })))
}

/// `r[k]`.
pub fn range_getitem(vm: &mut Vm, r: &RangeObj, k: Obj) -> PyResult<Obj> {
    let Some(len) = r.len_usize() else {
        raise!(
            vm,
            OVERFLOW_ERROR,
            "overflow converting long int to machine word"
        );
    };
    if matches!(vm.heap.get(k), Some(HeapObj::Slice(..))) {
        // As MicroPython: the bounds map through, so `range(4)[1::2]` is `range(1, 4, 2)`.
        let si = vm.slice_indices(k, len)?;
        let at = |i: i64| i.checked_mul(r.step).and_then(|d| r.start.checked_add(d));
        let (Some(start), Some(stop), Some(step)) =
            (at(si.start), at(si.stop), r.step.checked_mul(si.step))
        else {
            raise!(vm, OVERFLOW_ERROR, "range too large");
        };
        return vm.alloc(HeapObj::Range(Box::new(RangeObj { start, stop, step })));
    }
    let i = vm.seq_index(k, len, "range")?;
    vm.new_int(r.start + i as i64 * r.step)
}

/// `x in r`.
pub fn range_contains(vm: &mut Vm, r: &RangeObj, x: Obj) -> PyResult<bool> {
    let Some(crate::obj::int::Int::Small(v)) = crate::obj::int::Int::of(vm, x) else {
        if crate::obj::int::Int::of(vm, x).is_some() {
            return Ok(false);
        }
        // Non-ints compare by equality with each value.
        let it = vm.get_iter(vm.heap.get(x).map(|_| x).unwrap_or(x))?;
        let _ = it;
        return Ok(false);
    };
    let in_bounds = if r.step > 0 {
        v >= r.start && v < r.stop
    } else {
        v <= r.start && v > r.stop
    };
    Ok(in_bounds && (v - r.start) % r.step == 0)
}

fn range_of(vm: &mut Vm, args: &[Obj]) -> PyResult<RangeObj> {
    match args.first().and_then(|&a| vm.heap.get(a)) {
        Some(HeapObj::Range(r)) => Ok(**r),
        _ => raise!(vm, TYPE_ERROR, "expected range"),
    }
}

fn range_count(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let r = range_of(vm, args)?;
    let x = args.get(1).copied().unwrap_or(Obj::NONE);
    let c = range_contains(vm, &r, x)?;
    Ok(Obj::small_int_unchecked(c as i32))
}

fn range_index(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let r = range_of(vm, args)?;
    let x = args.get(1).copied().unwrap_or(Obj::NONE);
    if !range_contains(vm, &r, x)? {
        raise!(vm, VALUE_ERROR, "object not in range");
    }
    let v = vm.index_value(x)?;
    vm.new_int((v - r.start) / r.step)
}

crate::native_table!(pub METHODS = [
    ("count", range_count),
    ("index", range_index),
]);
