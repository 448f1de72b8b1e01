//! `tuple`.

use alloc::vec::Vec;

use pyrite_compiler::bytecode::BinOp;

use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::value::Obj;
use crate::vm::Vm;

/// `tuple + tuple`, `tuple * n`.
pub fn tuple_binop(vm: &mut Vm, op: BinOp, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    let x = vm.seq_items(a).unwrap_or_default();
    match op {
        BinOp::Add => {
            let Some(HeapObj::Tuple(y)) = vm.heap.get(b) else {
                return Ok(None);
            };
            let mut v = x;
            v.extend_from_slice(y);
            vm.new_tuple(&v).map(Some)
        }
        BinOp::Mul => {
            let Some(n) = crate::obj::int::repeat_count(vm, b, x.len(), 4)? else {
                return Ok(None);
            };
            let mut v: Vec<Obj> = vm.buffer_for(x.len().saturating_mul(n))?;
            (0..n).for_each(|_| v.extend_from_slice(&x));
            vm.alloc(HeapObj::Tuple(v.into_boxed_slice())).map(Some)
        }
        _ => Ok(None),
    }
}

fn tuple_items(vm: &mut Vm, args: &[Obj]) -> PyResult<Vec<Obj>> {
    let t = args.first().copied().unwrap_or(Obj::NONE);
    let t = vm.native_payload(t).unwrap_or(t);
    match vm.heap.get(t) {
        Some(HeapObj::Tuple(x)) => Ok(x.to_vec()),
        _ => raise!(vm, TYPE_ERROR, "descriptor requires a 'tuple' object"),
    }
}

fn tuple_count(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let v = tuple_items(vm, args)?;
    let Some(&x) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "count() takes exactly one argument");
    };
    crate::obj::list::seq_count(vm, &v, x)
}

fn tuple_index(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let v = tuple_items(vm, args)?;
    if args.len() < 2 {
        raise!(vm, TYPE_ERROR, "index() takes at least one argument");
    }
    crate::obj::list::seq_index_of(vm, &v, args)
}

/// `tuple(iterable)`.
pub fn tuple_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    match args.first() {
        Some(&it) => {
            if let Some(HeapObj::Tuple(_)) = vm.heap.get(it) {
                return Ok(it);
            }
            let v = vm.iter_to_vec(it)?;
            vm.new_tuple(&v)
        }
        None => vm.new_tuple(&[]),
    }
}

crate::native_table!(pub METHODS = [
    ("count", tuple_count),
    ("index", tuple_index),
]);
