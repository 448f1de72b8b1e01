//! `heapq`: MicroPython's subset of the heap queue algorithm over a list (`heappush`,
//! `heappop`, `heapify`).
//!
//! Items are swapped in place rather than lifted out of the list, so every item stays
//! reachable while comparisons call into Python; a list that a comparison shrinks is an
//! `IndexError`, never a panic.

use pyrite_compiler::bytecode::CmpOp;

use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::value::Obj;
use crate::vm::Vm;

crate::native_table!(pub FUNCTIONS = [
    ("heapify", heapq_heapify),
    ("heappop", heapq_heappop),
    ("heappush", heapq_heappush),
]);

/// Names of the module's other attributes (none).
pub static ATTR_NAMES: &[&str] = &[];

/// The module's other attributes (none).
pub fn module_attr(_vm: &mut Vm, _name: &str) -> PyResult<Option<Obj>> {
    Ok(None)
}

/// Checks that `heap` is a list; its length.
fn heap_len(vm: &mut Vm, heap: Obj) -> PyResult<usize> {
    match vm.heap.get(heap) {
        Some(HeapObj::List(v)) => Ok(v.len()),
        _ => raise!(vm, TYPE_ERROR, "heap must be a list"),
    }
}

fn items(vm: &mut Vm, heap: Obj) -> PyResult<&mut alloc::vec::Vec<Obj>> {
    heap_len(vm, heap)?;
    match vm.heap.get_mut(heap) {
        Some(HeapObj::List(v)) => Ok(v),
        _ => Err(Obj::NONE),
    }
}

/// Whether `heap[i] < heap[j]`.
fn less(vm: &mut Vm, heap: Obj, i: usize, j: usize) -> PyResult<bool> {
    let v = items(vm, heap)?;
    let (Some(&a), Some(&b)) = (v.get(i), v.get(j)) else {
        raise!(vm, INDEX_ERROR, "list index out of range");
    };
    vm.order(CmpOp::Lt, a, b)
}

fn swap(vm: &mut Vm, heap: Obj, i: usize, j: usize) -> PyResult<()> {
    let v = items(vm, heap)?;
    if i >= v.len() || j >= v.len() {
        raise!(vm, INDEX_ERROR, "list index out of range");
    }
    v.swap(i, j);
    Ok(())
}

/// Moves the item at `pos` towards the root while it is smaller than its parent.
fn sift_down(vm: &mut Vm, heap: Obj, start: usize, mut pos: usize) -> PyResult<()> {
    while pos > start {
        let parent = (pos - 1) / 2;
        if !less(vm, heap, pos, parent)? {
            break;
        }
        swap(vm, heap, pos, parent)?;
        pos = parent;
    }
    Ok(())
}

/// Moves the item at `pos` down to a leaf along the smaller children, then back up into place.
fn sift_up(vm: &mut Vm, heap: Obj, mut pos: usize) -> PyResult<()> {
    let start = pos;
    let end = heap_len(vm, heap)?;
    loop {
        let mut child = pos.saturating_mul(2).saturating_add(1);
        if child >= end {
            break;
        }
        if child + 1 < end && !less(vm, heap, child, child + 1)? {
            child += 1;
        }
        swap(vm, heap, pos, child)?;
        pos = child;
    }
    sift_down(vm, heap, start, pos)
}

/// `heapq.heappush(heap, item)`.
fn heapq_heappush(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let &[heap, item] = args else {
        raise!(vm, TYPE_ERROR, "function takes 2 positional arguments");
    };
    heap_len(vm, heap)?;
    vm.list_append(heap, item)?;
    let n = heap_len(vm, heap)?;
    sift_down(vm, heap, 0, n - 1)?;
    Ok(Obj::NONE)
}

/// `heapq.heappop(heap)`: the smallest item.
fn heapq_heappop(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let &[heap] = args else {
        raise!(vm, TYPE_ERROR, "function takes 1 positional arguments");
    };
    heap_len(vm, heap)?;
    let v = items(vm, heap)?;
    let Some(last) = v.pop() else {
        raise!(vm, INDEX_ERROR, "empty heap");
    };
    let top = match v.first_mut() {
        Some(first) => core::mem::replace(first, last),
        None => return Ok(last),
    };
    vm.roots.push(top);
    let r = sift_up(vm, heap, 0);
    vm.roots.pop();
    r.map(|_| top)
}

/// `heapq.heapify(x)`: makes the list a heap in place.
fn heapq_heapify(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let &[heap] = args else {
        raise!(vm, TYPE_ERROR, "function takes 1 positional arguments");
    };
    let n = heap_len(vm, heap)?;
    for i in (0..n / 2).rev() {
        sift_up(vm, heap, i)?;
    }
    Ok(Obj::NONE)
}
