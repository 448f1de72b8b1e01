//! `set` and `frozenset`: dicts whose values are unused.

use alloc::boxed::Box;
use alloc::vec::Vec;

use pyrite_compiler::bytecode::{BinOp, CmpOp};

use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::value::Obj;
use crate::vm::Vm;

impl Vm {
    /// A new empty set (`frozen`: a frozenset).
    pub fn new_set(&mut self, frozen: bool) -> PyResult<Obj> {
        self.alloc(HeapObj::Set(Box::default(), frozen))
    }

    /// `s.add(v)`.
    pub fn set_add(&mut self, s: Obj, v: Obj) -> PyResult<()> {
        if self.dict_find(s, v)?.is_some() {
            return Ok(());
        }
        self.dict_set(s, v, Obj::NULL)
    }

    /// `s.update(iterable)`.
    pub fn set_update(&mut self, s: Obj, it: Obj) -> PyResult<()> {
        let items = if matches!(
            self.heap.get(it),
            Some(HeapObj::Set(..)) | Some(HeapObj::Dict(_))
        ) {
            self.dict_items(it).into_iter().map(|(k, _)| k).collect()
        } else {
            self.iter_to_vec(it)?
        };
        for v in items {
            self.set_add(s, v)?;
        }
        Ok(())
    }

    /// `v in s`.
    pub fn set_contains(&mut self, s: Obj, v: Obj) -> PyResult<bool> {
        match self.dict_find(s, v) {
            Ok(r) => Ok(r.is_some()),
            Err(e) => {
                // `{1} in set_of_frozensets` hashes a set: compare it as a frozenset.
                if matches!(self.heap.get(v), Some(HeapObj::Set(_, false))) {
                    let f = self.new_set(true)?;
                    self.set_update(f, v)?;
                    return Ok(self.dict_find(s, f)?.is_some());
                }
                Err(e)
            }
        }
    }

    fn set_keys(&self, s: Obj) -> Vec<Obj> {
        self.dict_items(s).into_iter().map(|(k, _)| k).collect()
    }
}

fn is_set(vm: &Vm, o: Obj) -> bool {
    matches!(vm.heap.get(o), Some(HeapObj::Set(..)))
}

fn frozen(vm: &Vm, o: Obj) -> bool {
    matches!(vm.heap.get(o), Some(HeapObj::Set(_, true)))
}

/// `a == b` for sets.
pub fn set_eq(vm: &mut Vm, a: Obj, b: Obj) -> PyResult<bool> {
    if vm.dict_len(a) != vm.dict_len(b) {
        return Ok(false);
    }
    is_subset(vm, a, b)
}

fn is_subset(vm: &mut Vm, a: Obj, b: Obj) -> PyResult<bool> {
    for k in vm.set_keys(a) {
        if !vm.set_contains(b, k)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `<`, `<=`, `>`, `>=` for sets (subset relations).
pub fn set_order(vm: &mut Vm, op: CmpOp, a: Obj, b: Obj) -> PyResult<bool> {
    let (la, lb) = (vm.dict_len(a), vm.dict_len(b));
    Ok(match op {
        CmpOp::Lt => la < lb && is_subset(vm, a, b)?,
        CmpOp::Le => is_subset(vm, a, b)?,
        CmpOp::Gt => la > lb && is_subset(vm, b, a)?,
        _ => is_subset(vm, b, a)?,
    })
}

fn combine(vm: &mut Vm, op: BinOp, a: Obj, b: Obj, result_frozen: bool) -> PyResult<Obj> {
    let r = vm.new_set(result_frozen)?;
    match op {
        BinOp::Or => {
            vm.set_update(r, a)?;
            vm.set_update(r, b)?;
        }
        BinOp::And => {
            for k in vm.set_keys(a) {
                if vm.set_contains(b, k)? {
                    vm.set_add(r, k)?;
                }
            }
        }
        BinOp::Sub => {
            for k in vm.set_keys(a) {
                if !vm.set_contains(b, k)? {
                    vm.set_add(r, k)?;
                }
            }
        }
        _ => {
            for k in vm.set_keys(a) {
                if !vm.set_contains(b, k)? {
                    vm.set_add(r, k)?;
                }
            }
            for k in vm.set_keys(b) {
                if !vm.set_contains(a, k)? {
                    vm.set_add(r, k)?;
                }
            }
        }
    }
    Ok(r)
}

/// `|`, `&`, `-`, `^` between sets.
pub fn set_binop(vm: &mut Vm, op: BinOp, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    if !is_set(vm, b) || !matches!(op, BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor) {
        return Ok(None);
    }
    let f = frozen(vm, a);
    combine(vm, op, a, b, f).map(Some)
}

/// `|=`, `&=`, `-=`, `^=` on a set.
pub fn set_inplace(vm: &mut Vm, op: BinOp, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    if !is_set(vm, b) {
        return Ok(None);
    }
    let r = combine(vm, op, a, b, false)?;
    let items = vm.set_keys(r);
    if let Some(HeapObj::Set(d, _)) = vm.heap.get_mut(a) {
        d.clear();
    }
    for k in items {
        vm.set_add(a, k)?;
    }
    Ok(Some(a))
}

fn arg_set(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&s) if is_set(vm, s) => Ok(s),
        Some(&s) => match vm.native_payload(s) {
            Some(n) if is_set(vm, n) => Ok(n),
            _ => raise!(vm, TYPE_ERROR, "descriptor requires a 'set' object"),
        },
        None => raise!(vm, TYPE_ERROR, "descriptor requires a 'set' object"),
    }
}

fn other_set(vm: &mut Vm, o: Obj) -> PyResult<Obj> {
    if is_set(vm, o) {
        return Ok(o);
    }
    let s = vm.new_set(true)?;
    vm.set_update(s, o)?;
    Ok(s)
}

fn set_add_m(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = arg_set(vm, args)?;
    let Some(&v) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "add() takes exactly one argument")
    };
    vm.set_add(s, v)?;
    Ok(Obj::NONE)
}

fn set_discard(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = arg_set(vm, args)?;
    let Some(&v) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "discard() takes exactly one argument")
    };
    vm.dict_remove(s, v)?;
    Ok(Obj::NONE)
}

fn set_remove(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = arg_set(vm, args)?;
    let Some(&v) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "remove() takes exactly one argument")
    };
    if vm.dict_find(s, v)?.is_none() {
        return Err(vm.exc_with_arg(crate::types::ty::KEY_ERROR, v));
    }
    vm.dict_remove(s, v)?;
    Ok(Obj::NONE)
}

fn set_pop(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = arg_set(vm, args)?;
    let first = vm.set_keys(s).first().copied();
    match first {
        Some(k) => {
            vm.dict_remove(s, k)?;
            Ok(k)
        }
        None => raise!(vm, KEY_ERROR, "pop from an empty set"),
    }
}

fn set_clear(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = arg_set(vm, args)?;
    if let Some(HeapObj::Set(d, _)) = vm.heap.get_mut(s) {
        d.clear();
    }
    Ok(Obj::NONE)
}

fn set_copy(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = arg_set(vm, args)?;
    let f = frozen(vm, s);
    let r = vm.new_set(f)?;
    vm.set_update(r, s)?;
    Ok(r)
}

fn set_update_m(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = arg_set(vm, args)?;
    for &o in &args[1..] {
        vm.set_update(s, o)?;
    }
    Ok(Obj::NONE)
}

fn set_op_method(vm: &mut Vm, args: &[Obj], op: BinOp) -> PyResult<Obj> {
    let s = arg_set(vm, args)?;
    let f = frozen(vm, s);
    let mut acc = s;
    if args.len() == 1 {
        return combine(vm, BinOp::Or, s, s, f);
    }
    for &o in &args[1..] {
        let o = other_set(vm, o)?;
        acc = combine(vm, op, acc, o, f)?;
    }
    Ok(acc)
}

fn set_op_update(vm: &mut Vm, args: &[Obj], op: BinOp) -> PyResult<Obj> {
    let s = arg_set(vm, args)?;
    for &o in &args[1..] {
        let o = other_set(vm, o)?;
        set_inplace(vm, op, s, o)?;
    }
    Ok(Obj::NONE)
}

fn set_union(vm: &mut Vm, a: &[Obj], _kw: Kw) -> PyResult<Obj> {
    set_op_method(vm, a, BinOp::Or)
}
fn set_intersection(vm: &mut Vm, a: &[Obj], _kw: Kw) -> PyResult<Obj> {
    set_op_method(vm, a, BinOp::And)
}
fn set_difference(vm: &mut Vm, a: &[Obj], _kw: Kw) -> PyResult<Obj> {
    set_op_method(vm, a, BinOp::Sub)
}
fn set_symmetric_difference(vm: &mut Vm, a: &[Obj], _kw: Kw) -> PyResult<Obj> {
    set_op_method(vm, a, BinOp::Xor)
}
fn set_intersection_update(vm: &mut Vm, a: &[Obj], _kw: Kw) -> PyResult<Obj> {
    set_op_update(vm, a, BinOp::And)
}
fn set_difference_update(vm: &mut Vm, a: &[Obj], _kw: Kw) -> PyResult<Obj> {
    set_op_update(vm, a, BinOp::Sub)
}
fn set_symmetric_difference_update(vm: &mut Vm, a: &[Obj], _kw: Kw) -> PyResult<Obj> {
    set_op_update(vm, a, BinOp::Xor)
}

fn set_relation(vm: &mut Vm, args: &[Obj], op: CmpOp) -> PyResult<Obj> {
    let s = arg_set(vm, args)?;
    let Some(&o) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "expected one argument")
    };
    let o = other_set(vm, o)?;
    set_order(vm, op, s, o).map(Obj::bool)
}

fn set_issubset(vm: &mut Vm, a: &[Obj], _kw: Kw) -> PyResult<Obj> {
    set_relation(vm, a, CmpOp::Le)
}
fn set_issuperset(vm: &mut Vm, a: &[Obj], _kw: Kw) -> PyResult<Obj> {
    set_relation(vm, a, CmpOp::Ge)
}

fn set_isdisjoint(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = arg_set(vm, args)?;
    let Some(&o) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "expected one argument")
    };
    let o = other_set(vm, o)?;
    for k in vm.set_keys(s) {
        if vm.set_contains(o, k)? {
            return Ok(Obj::FALSE);
        }
    }
    Ok(Obj::TRUE)
}

/// `set(iterable)` / `frozenset(iterable)`.
pub fn set_new(vm: &mut Vm, args: &[Obj], frozen: bool) -> PyResult<Obj> {
    let s = vm.new_set(frozen)?;
    if let Some(&it) = args.first() {
        vm.set_update(s, it)?;
    }
    Ok(s)
}

/// `s.__contains__(v)`.
fn set_contains_m(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = arg_set(vm, args)?;
    let [_, v] = args else {
        raise!(vm, TYPE_ERROR, "__contains__ expected 1 argument");
    };
    vm.set_contains(s, *v).map(Obj::bool)
}

crate::native_table!(pub SET_METHODS = [
    ("__contains__", set_contains_m),
    ("add", set_add_m),
    ("clear", set_clear),
    ("copy", set_copy),
    ("difference", set_difference),
    ("difference_update", set_difference_update),
    ("discard", set_discard),
    ("intersection", set_intersection),
    ("intersection_update", set_intersection_update),
    ("isdisjoint", set_isdisjoint),
    ("issubset", set_issubset),
    ("issuperset", set_issuperset),
    ("pop", set_pop),
    ("remove", set_remove),
    ("symmetric_difference", set_symmetric_difference),
    ("symmetric_difference_update", set_symmetric_difference_update),
    ("union", set_union),
    ("update", set_update_m),
]);

crate::native_table!(pub FROZENSET_METHODS = [
    ("__contains__", set_contains_m),
    ("copy", set_copy),
    ("difference", set_difference),
    ("intersection", set_intersection),
    ("isdisjoint", set_isdisjoint),
    ("issubset", set_issubset),
    ("issuperset", set_issuperset),
    ("symmetric_difference", set_symmetric_difference),
    ("union", set_union),
]);
