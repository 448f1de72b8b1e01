//! `list`.

use alloc::string::String;
use alloc::vec::Vec;

use pyrite_compiler::bytecode::{BinOp, CmpOp};

use crate::native::{Kw, PyResult};
use crate::obj::subscr::SliceIndices;
use crate::object::HeapObj;
use crate::value::Obj;
use crate::vm::Vm;

const W: usize = core::mem::size_of::<Obj>();

/// The list object behind `o` (itself, or the payload of a list subclass instance).
pub fn list_target(vm: &Vm, o: Obj) -> Option<Obj> {
    match vm.heap.get(o)? {
        HeapObj::List(_) => Some(o),
        HeapObj::Instance(i) if !i.native.is_null() => list_target(vm, i.native),
        _ => None,
    }
}

fn items_mut(vm: &mut Vm, l: Obj) -> Option<&mut Vec<Obj>> {
    vm.heap.get_mut(l).and_then(list_vec)
}

/// A list's items (for [`Vm::grow_owned`]).
fn list_vec(h: &mut HeapObj) -> Option<&mut Vec<Obj>> {
    match h {
        HeapObj::List(v) => Some(v),
        _ => None,
    }
}

fn items(vm: &Vm, l: Obj) -> Vec<Obj> {
    match vm.heap.get(l) {
        Some(HeapObj::List(v)) => v.clone(),
        _ => Vec::new(),
    }
}

impl Vm {
    /// `list.append(v)`.
    pub fn list_append(&mut self, l: Obj, v: Obj) -> PyResult<()> {
        let Some(l) = list_target(self, l) else {
            raise!(self, TYPE_ERROR, "expected list");
        };
        self.grow_owned(l, 1, list_vec)?;
        if let Some(x) = items_mut(self, l) {
            x.push(v);
        }
        Ok(())
    }

    /// `list.extend(iterable)`.
    pub fn list_extend(&mut self, l: Obj, it: Obj) -> PyResult<()> {
        let Some(l) = list_target(self, l) else {
            raise!(self, TYPE_ERROR, "expected list");
        };
        let new = self.iter_to_vec(it)?;
        self.grow_owned(l, new.len(), list_vec)?;
        if let Some(x) = items_mut(self, l) {
            x.extend_from_slice(&new);
        }
        Ok(())
    }
}

/// `list + list`, `list * n`.
pub fn list_binop(vm: &mut Vm, op: BinOp, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    match op {
        BinOp::Add => {
            let Some(HeapObj::List(y)) = vm.heap.get(b) else {
                return Ok(None);
            };
            let mut v = items(vm, a);
            v.extend_from_slice(y);
            vm.new_list(v).map(Some)
        }
        BinOp::Mul => {
            let v = items(vm, a);
            let Some(n) = crate::obj::int::repeat_count(vm, b, v.len(), W)? else {
                return Ok(None);
            };
            let mut items: Vec<Obj> = vm.buffer_for(v.len().saturating_mul(n))?;
            (0..n).for_each(|_| items.extend_from_slice(&v));
            vm.new_list(items).map(Some)
        }
        _ => Ok(None),
    }
}

/// `l *= n`.
pub fn list_imul(vm: &mut Vm, l: Obj, n: Obj) -> PyResult<()> {
    let len = items_mut(vm, l).map_or(0, |x| x.len());
    let Some(count) = crate::obj::int::repeat_count(vm, n, len, W)? else {
        return Err(vm.unsupported_binop(BinOp::Mul, l, n));
    };
    // Repeated in place: the list grows once, nothing is copied beside it.
    vm.grow_owned(l, len * count.saturating_sub(1), list_vec)?;
    if let Some(x) = items_mut(vm, l) {
        if count == 0 {
            x.clear();
        }
        for _ in 1..count {
            x.extend_from_within(..len);
        }
    }
    Ok(())
}

/// `l[slice] = new`.
pub fn list_set_slice(vm: &mut Vm, l: Obj, si: SliceIndices, new: Vec<Obj>) -> PyResult<()> {
    if si.step == 1 {
        vm.grow_owned(l, new.len(), list_vec)?;
        if let Some(x) = items_mut(vm, l) {
            let start = (si.start.max(0) as usize).min(x.len());
            let end = (start + si.len).min(x.len());
            x.splice(start..end, new);
        }
        return Ok(());
    }
    if new.len() != si.len {
        raise!(
            vm,
            VALUE_ERROR,
            "attempt to assign sequence of size {} to extended slice of size {}",
            new.len(),
            si.len
        );
    }
    if let Some(x) = items_mut(vm, l) {
        for (i, v) in new.into_iter().enumerate() {
            let j = si.index(i);
            if j < x.len() {
                x[j] = v;
            }
        }
    }
    Ok(())
}

fn arg_list(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    match args.first().and_then(|&o| list_target(vm, o)) {
        Some(l) => Ok(l),
        None => raise!(vm, TYPE_ERROR, "descriptor requires a 'list' object"),
    }
}

/// `args` (self first) must be `n` long, or at least `n` long when `more` is allowed.
fn need(vm: &mut Vm, args: &[Obj], n: usize, more: bool, name: &str) -> PyResult<()> {
    if args.len() < n || (!more && args.len() > n) {
        raise!(
            vm,
            TYPE_ERROR,
            "{}() takes exactly {} arguments",
            name,
            n - 1
        );
    }
    Ok(())
}

fn list_append_m(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    need(vm, args, 2, false, "append")?;
    vm.list_append(args[0], args[1])?;
    Ok(Obj::NONE)
}

fn list_extend_m(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    need(vm, args, 2, false, "extend")?;
    vm.list_extend(args[0], args[1])?;
    Ok(Obj::NONE)
}

fn list_insert(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    need(vm, args, 3, false, "insert")?;
    let l = arg_list(vm, args)?;
    let i = vm.index_value(args[1])?;
    vm.grow_owned(l, 1, list_vec)?;
    if let Some(x) = items_mut(vm, l) {
        let len = x.len() as i64;
        let j = if i < 0 { (i + len).max(0) } else { i.min(len) };
        x.insert(j as usize, args[2]);
    }
    Ok(Obj::NONE)
}

fn list_pop(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let l = arg_list(vm, args)?;
    let len = items_mut(vm, l).map_or(0, |x| x.len());
    if len == 0 {
        raise!(vm, INDEX_ERROR, "pop from empty list");
    }
    let i = match args.get(1) {
        Some(&k) => vm.seq_index(k, len, "list")?,
        None => len - 1,
    };
    let v = items_mut(vm, l).map_or(Obj::NONE, |x| x.remove(i));
    vm.heap.keep(v);
    Ok(v)
}

fn list_remove(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    need(vm, args, 2, false, "remove")?;
    let l = arg_list(vm, args)?;
    let v = items(vm, l);
    for (i, &it) in v.iter().enumerate() {
        if vm.eq(it, args[1])? {
            if let Some(x) = items_mut(vm, l) {
                if i < x.len() {
                    x.remove(i);
                }
            }
            return Ok(Obj::NONE);
        }
    }
    raise!(vm, VALUE_ERROR, "object not in sequence")
}

fn list_index(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    need(vm, args, 2, true, "index")?;
    let l = arg_list(vm, args)?;
    let v = items(vm, l);
    seq_index_of(vm, &v, args)
}

/// `seq.index(x[, start[, end]])` over items.
pub fn seq_index_of(vm: &mut Vm, v: &[Obj], args: &[Obj]) -> PyResult<Obj> {
    let len = v.len() as i64;
    let norm = |i: i64| if i < 0 { (i + len).max(0) } else { i.min(len) };
    let start = match args.get(2) {
        Some(&s) => norm(vm.index_value(s)?),
        None => 0,
    };
    let end = match args.get(3) {
        Some(&e) => norm(vm.index_value(e)?),
        None => len,
    };
    let mut i = start;
    while i < end {
        if vm.eq(v[i as usize], args[1])? {
            return vm.new_int(i);
        }
        i += 1;
    }
    raise!(vm, VALUE_ERROR, "object not in sequence")
}

/// `seq.count(x)` over items.
pub fn seq_count(vm: &mut Vm, v: &[Obj], x: Obj) -> PyResult<Obj> {
    let mut n = 0;
    for &it in v {
        if vm.eq(it, x)? {
            n += 1;
        }
    }
    vm.new_int(n)
}

fn list_count(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    need(vm, args, 2, false, "count")?;
    let l = arg_list(vm, args)?;
    let v = items(vm, l);
    seq_count(vm, &v, args[1])
}

fn list_clear(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let l = arg_list(vm, args)?;
    if let Some(x) = items_mut(vm, l) {
        x.clear();
    }
    Ok(Obj::NONE)
}

fn list_copy(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let l = arg_list(vm, args)?;
    let v = items(vm, l);
    vm.new_list(v)
}

fn list_reverse(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let l = arg_list(vm, args)?;
    if let Some(x) = items_mut(vm, l) {
        x.reverse();
    }
    Ok(Obj::NONE)
}

/// Sorts `v` (stable merge sort; comparisons may run Python code), by `keys` if given.
pub fn sort_objs(vm: &mut Vm, v: &mut Vec<Obj>, key: Obj, reverse: bool) -> PyResult<()> {
    let keys: Vec<Obj> = if key == Obj::NONE || key.is_null() {
        v.clone()
    } else {
        let mut ks = Vec::with_capacity(v.len());
        let mark = vm.roots.len();
        for &x in v.iter() {
            let k = vm.call(key, &[x], &[]);
            match k {
                Ok(k) => {
                    vm.roots.push(k);
                    ks.push(k);
                }
                Err(e) => {
                    vm.roots.truncate(mark);
                    return Err(e);
                }
            }
        }
        vm.roots.truncate(mark);
        vm.keep_all(&ks)?;
        ks
    };
    let mut idx: Vec<usize> = (0..v.len()).collect();
    // Bottom-up merge sort over indices.
    let n = idx.len();
    let mut buf = idx.clone();
    let mut width = 1;
    while width < n {
        let mut i = 0;
        while i < n {
            let mid = (i + width).min(n);
            let hi = (i + 2 * width).min(n);
            let (mut a, mut b, mut k) = (i, mid, i);
            while a < mid && b < hi {
                // Take from the right only if it is strictly less (stability).
                let (x, y) = (keys[idx[b]], keys[idx[a]]);
                let less = if reverse {
                    vm.order(CmpOp::Lt, y, x)?
                } else {
                    vm.order(CmpOp::Lt, x, y)?
                };
                if less {
                    buf[k] = idx[b];
                    b += 1;
                } else {
                    buf[k] = idx[a];
                    a += 1;
                }
                k += 1;
            }
            while a < mid {
                buf[k] = idx[a];
                a += 1;
                k += 1;
            }
            while b < hi {
                buf[k] = idx[b];
                b += 1;
                k += 1;
            }
            i += 2 * width;
        }
        core::mem::swap(&mut idx, &mut buf);
        width *= 2;
    }
    let sorted: Vec<Obj> = idx.iter().map(|&i| v[i]).collect();
    *v = sorted;
    Ok(())
}

/// The `key` and `reverse` keyword arguments of `sort`/`sorted`.
pub fn sort_kwargs(vm: &mut Vm, kw: Kw) -> PyResult<(Obj, bool)> {
    let mut key = Obj::NONE;
    let mut reverse = false;
    for &(k, v) in kw {
        match vm.qstr_str(k) {
            "key" => key = v,
            "reverse" => reverse = vm.truthy(v)?,
            other => {
                let s = String::from(other);
                raise!(vm, TYPE_ERROR, "unexpected keyword argument '{}'", s)
            }
        }
    }
    Ok((key, reverse))
}

fn list_sort(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let l = arg_list(vm, args)?;
    if args.len() > 1 {
        raise!(vm, TYPE_ERROR, "sort() takes no positional arguments");
    }
    let (key, reverse) = sort_kwargs(vm, kw)?;
    let mut v = items(vm, l);
    sort_objs(vm, &mut v, key, reverse)?;
    if let Some(x) = items_mut(vm, l) {
        *x = v;
    }
    Ok(Obj::NONE)
}

/// `list(iterable)`.
pub fn list_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    match args.first() {
        Some(&it) => {
            let v = vm.iter_to_vec(it)?;
            vm.new_list(v)
        }
        None => vm.new_list(Vec::new()),
    }
}

crate::native_table!(pub METHODS = [
    ("append", list_append_m),
    ("clear", list_clear),
    ("copy", list_copy),
    ("count", list_count),
    ("extend", list_extend_m),
    ("index", list_index),
    ("insert", list_insert),
    ("pop", list_pop),
    ("remove", list_remove),
    ("reverse", list_reverse),
    ("sort", list_sort),
]);
