//! The `collections` module: `deque`, `OrderedDict` and `namedtuple`, as MicroPython has them.
//!
//! - `deque(iterable, maxlen[, flags])` is a bounded double-ended queue; `maxlen` is
//!   mandatory. Appending to a full deque drops an item from the other end, or raises
//!   `IndexError('full')` when `flags` is true.
//! - `OrderedDict` is an instance of the built-in type `OrderedDict` holding a dict (dicts keep
//!   insertion order already); only its `repr` and its equality (order matters) differ.
//! - `namedtuple(name, fields)` makes a subclass of `tuple` whose fields are properties.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::native::{self, table, Kw, PyResult};
use crate::object::{HeapObj, InstanceObj};
use crate::qstr::Qstr;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// A `collections.deque`.
pub struct DequeObj {
    /// The items, front first.
    pub items: VecDeque<Obj>,
    /// The most items it holds.
    pub maxlen: usize,
    /// Whether overflow and underflow raise (`flags` true) rather than drop.
    pub checked: bool,
}

fn deque_mut(vm: &mut Vm, o: Obj) -> Option<&mut DequeObj> {
    let o = vm.native_payload(o).unwrap_or(o);
    match vm.heap.get_mut(o)? {
        HeapObj::Deque(d) => Some(d),
        _ => None,
    }
}

/// A deque's items (for [`Vm::grow_owned`]).
fn deque_items(h: &mut HeapObj) -> Option<&mut VecDeque<Obj>> {
    match h {
        HeapObj::Deque(d) => Some(&mut d.items),
        _ => None,
    }
}

fn deque_ref(vm: &Vm, o: Obj) -> Option<&DequeObj> {
    let o = vm.native_payload(o).unwrap_or(o);
    match vm.heap.get(o)? {
        HeapObj::Deque(d) => Some(d),
        _ => None,
    }
}

/// `deque(iterable, maxlen[, flags])`.
pub fn deque_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() < 2 || args.len() > 3 {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes 2 or 3 positional arguments but {} were given",
            args.len()
        );
    }
    let maxlen = vm.index_value(args[1])?;
    if maxlen < 0 {
        raise!(vm, VALUE_ERROR, "maxlen must be >= 0");
    }
    let checked = match args.get(2) {
        Some(&f) => vm.truthy(f)?,
        None => false,
    };
    let items = vm.iter_to_vec(args[0])?;
    let d = vm.alloc(HeapObj::Deque(Box::new(DequeObj {
        items: VecDeque::new(),
        maxlen: maxlen as usize,
        checked,
    })))?;
    for it in items {
        push(vm, d, it, false)?;
    }
    Ok(d)
}

/// Adds `v` at the back (or the front); a full deque drops from the other end or raises.
fn push(vm: &mut Vm, d: Obj, v: Obj, front: bool) -> PyResult<()> {
    let full = deque_ref(vm, d).is_some_and(|q| q.items.len() >= q.maxlen);
    let checked = deque_ref(vm, d).is_some_and(|q| q.checked);
    if full && checked {
        raise!(vm, INDEX_ERROR, "full");
    }
    if !full {
        let d = vm.native_payload(d).unwrap_or(d);
        vm.grow_owned(d, 1, deque_items)?;
    }
    if let Some(q) = deque_mut(vm, d) {
        if q.maxlen == 0 {
            return Ok(());
        }
        if full {
            if front {
                q.items.pop_back();
            } else {
                q.items.pop_front();
            }
        }
        if front {
            q.items.push_front(v);
        } else {
            q.items.push_back(v);
        }
    }
    Ok(())
}

fn two_args(vm: &mut Vm, args: &[Obj], what: &str) -> PyResult<(Obj, Obj)> {
    match args {
        [a, b] => Ok((*a, *b)),
        _ => raise!(vm, TYPE_ERROR, "{}() takes exactly one argument", what),
    }
}

fn deque_append(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (d, v) = two_args(vm, args, "append")?;
    push(vm, d, v, false)?;
    Ok(Obj::NONE)
}

fn deque_appendleft(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (d, v) = two_args(vm, args, "appendleft")?;
    push(vm, d, v, true)?;
    Ok(Obj::NONE)
}

fn deque_extend(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (d, v) = two_args(vm, args, "extend")?;
    for it in vm.iter_to_vec(v)? {
        push(vm, d, it, false)?;
    }
    Ok(Obj::NONE)
}

fn pop(vm: &mut Vm, args: &[Obj], front: bool) -> PyResult<Obj> {
    let d = args.first().copied().unwrap_or(Obj::NONE);
    let v = deque_mut(vm, d).and_then(|q| {
        if front {
            q.items.pop_front()
        } else {
            q.items.pop_back()
        }
    });
    match v {
        Some(v) => Ok(v),
        None => raise!(vm, INDEX_ERROR, "empty"),
    }
}

fn deque_pop(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    pop(vm, args, false)
}

fn deque_popleft(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    pop(vm, args, true)
}

/// The number of items of a deque.
pub fn deque_len(d: &DequeObj) -> usize {
    d.items.len()
}

/// Item `i` of a deque, `None` past the end.
pub fn deque_item(vm: &Vm, d: Obj, i: usize) -> Option<Obj> {
    deque_ref(vm, d)?.items.get(i).copied()
}

fn deque_index(vm: &mut Vm, d: Obj, k: Obj) -> PyResult<usize> {
    if matches!(vm.heap.get(k), Some(HeapObj::Slice(..))) {
        raise!(vm, TYPE_ERROR, "deque indices must be integers, not slice");
    }
    let len = deque_ref(vm, d).map_or(0, |q| q.items.len());
    vm.seq_index(k, len, "deque")
}

/// `d[k]`.
pub fn deque_getitem(vm: &mut Vm, d: Obj, k: Obj) -> PyResult<Obj> {
    let i = deque_index(vm, d, k)?;
    Ok(deque_item(vm, d, i).unwrap_or(Obj::NONE))
}

/// `d[k] = v`.
pub fn deque_setitem(vm: &mut Vm, d: Obj, k: Obj, v: Obj) -> PyResult<()> {
    let i = deque_index(vm, d, k)?;
    if let Some(slot) = deque_mut(vm, d).and_then(|q| q.items.get_mut(i)) {
        *slot = v;
    }
    Ok(())
}

crate::native_table!(pub DEQUE_METHODS = [
    ("append", deque_append),
    ("appendleft", deque_appendleft),
    ("extend", deque_extend),
    ("pop", deque_pop),
    ("popleft", deque_popleft),
]);

/// `OrderedDict(...)`: takes what `dict()` takes.
pub fn ordereddict_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let d = crate::obj::dict::dict_new(vm, args, kw)?;
    vm.alloc(HeapObj::Instance(InstanceObj {
        class: Obj::builtin_type(ty::ORDERED_DICT),
        dict: Obj::NULL,
        native: d,
    }))
}

/// The dict inside an `OrderedDict` (or an instance of a subclass), if `o` is one.
fn ordered_payload(vm: &Vm, o: Obj) -> Option<Obj> {
    if !is_ordereddict(vm, o) {
        return None;
    }
    let mut d = o;
    while let Some(n) = vm.native_payload(d) {
        d = n;
    }
    Some(d)
}

/// Whether `o` is an `OrderedDict` (or an instance of a subclass).
pub fn is_ordereddict(vm: &Vm, o: Obj) -> bool {
    let t = vm.type_of(o);
    vm.class_is_subclass(t, Obj::builtin_type(ty::ORDERED_DICT))
}

/// `repr(od)`: `OrderedDict({'a': 1})`, or `None` if `o` is not an `OrderedDict`.
pub fn ordereddict_repr(vm: &mut Vm, o: Obj) -> PyResult<Option<String>> {
    let Some(d) = ordered_payload(vm, o) else {
        return Ok(None);
    };
    let inner = vm.repr(d)?;
    let name = String::from(vm.type_name(o));
    Ok(Some(alloc::format!("{}({})", name, inner)))
}

/// `a == b` when both are `OrderedDict`s: the same items in the same order. `None` otherwise.
pub fn ordereddict_eq(vm: &mut Vm, a: Obj, b: Obj) -> PyResult<Option<bool>> {
    let (Some(x), Some(y)) = (ordered_payload(vm, a), ordered_payload(vm, b)) else {
        return Ok(None);
    };
    let (ix, iy) = (vm.dict_items(x), vm.dict_items(y));
    if ix.len() != iy.len() {
        return Ok(Some(false));
    }
    for ((k1, v1), (k2, v2)) in ix.into_iter().zip(iy) {
        if !vm.eq(k1, k2)? || !vm.eq(v1, v2)? {
            return Ok(Some(false));
        }
    }
    Ok(Some(true))
}

/// `namedtuple(name, fields)`: a new subclass of `tuple`.
fn collections_namedtuple(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [name, fields] = args else {
        raise!(vm, TYPE_ERROR, "namedtuple() takes 2 positional arguments");
    };
    let Some(name) = vm.str_to_qstr(*name)? else {
        raise!(vm, TYPE_ERROR, "namedtuple() name must be str");
    };
    let names: Vec<Obj> = if let Some(s) = vm.str_of(*fields) {
        let parts: Vec<String> = s
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect();
        let mut v = Vec::new();
        for p in parts {
            v.push(vm.new_str(&p)?);
        }
        v
    } else {
        match vm.heap.get(*fields) {
            Some(HeapObj::List(_)) | Some(HeapObj::Tuple(_)) => {
                vm.seq_items(*fields).unwrap_or_default()
            }
            _ => raise!(
                vm,
                TYPE_ERROR,
                "namedtuple() fields must be a str, list or tuple"
            ),
        }
    };
    let mut qs = Vec::with_capacity(names.len());
    for &n in &names {
        match vm.str_to_qstr(n)? {
            Some(q) => qs.push(q),
            None => raise!(vm, TYPE_ERROR, "namedtuple() field names must be str"),
        }
    }
    let ns = vm.new_dict()?;
    let field_names: Vec<Obj> = qs.iter().map(|&q| Obj::qstr(q)).collect();
    let fields_tuple = vm.new_tuple(&field_names)?;
    let k = vm.intern("_fields")?;
    vm.dict_set(ns, Obj::qstr(k), fields_tuple)?;
    let new = helper(vm, "__new__")?;
    let k = vm.intern("__new__")?;
    vm.dict_set(ns, Obj::qstr(k), new)?;
    let repr = helper(vm, "repr")?;
    let repr = vm.alloc(HeapObj::NativeBound(Obj::NONE, repr))?;
    let k = vm.intern("__repr__")?;
    vm.dict_set(ns, Obj::qstr(k), repr)?;
    let getter = helper(vm, "field")?;
    for (i, &q) in qs.iter().enumerate() {
        let fget = vm.alloc(HeapObj::NativeBound(
            Obj::small_int_unchecked(i as i32),
            getter,
        ))?;
        let prop = vm.alloc(HeapObj::Property(fget, Obj::NONE, Obj::NONE))?;
        vm.dict_set(ns, Obj::qstr(q), prop)?;
    }
    crate::obj::type_::new_class(vm, name, &[Obj::builtin_type(ty::TUPLE)], ns, Obj::NULL)
}

fn helper(vm: &mut Vm, name: &str) -> PyResult<Obj> {
    match native::lookup(table::NAMEDTUPLE, name) {
        Some((o, _)) => Ok(o),
        None => raise!(vm, RUNTIME_ERROR, "namedtuple helper missing"),
    }
}

/// The field names of namedtuple class `cls`.
fn fields_of(vm: &mut Vm, cls: Obj) -> PyResult<Vec<Qstr>> {
    let k = vm.intern("_fields")?;
    let t = vm.class_lookup(cls, k).unwrap_or(Obj::NONE);
    let items = vm.seq_items(t).unwrap_or_default();
    Ok(items.iter().filter_map(|o| o.as_qstr()).collect())
}

/// `T.__new__(cls, *args, **kw)`: fields by position or by name, each exactly once.
fn namedtuple_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some((&cls, args)) = args.split_first() else {
        raise!(vm, TYPE_ERROR, "__new__() missing class");
    };
    let fields = fields_of(vm, cls)?;
    if args.len() > fields.len() {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes {} positional arguments but {} were given",
            fields.len(),
            args.len()
        );
    }
    let mut values = vec![Obj::NULL; fields.len()];
    values[..args.len()].copy_from_slice(args);
    for &(k, v) in kw {
        let Some(i) = fields.iter().position(|&f| f == k) else {
            let n = String::from(vm.qstr_str(k));
            raise!(vm, TYPE_ERROR, "unexpected keyword argument '{}'", n);
        };
        if !values[i].is_null() {
            let n = String::from(vm.qstr_str(k));
            raise!(
                vm,
                TYPE_ERROR,
                "function got multiple values for argument '{}'",
                n
            );
        }
        values[i] = v;
    }
    if let Some(i) = values.iter().position(|v| v.is_null()) {
        let n = String::from(vm.qstr_str(fields[i]));
        raise!(
            vm,
            TYPE_ERROR,
            "function missing required positional argument '{}'",
            n
        );
    }
    let t = vm.new_tuple(&values)?;
    vm.alloc(HeapObj::Instance(InstanceObj {
        class: cls,
        dict: Obj::NULL,
        native: t,
    }))
}

/// A field's getter: `(index, instance)`.
fn namedtuple_field(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [i, o] = args else {
        raise!(vm, TYPE_ERROR, "field getter takes one argument");
    };
    let t = vm.native_payload(*o).unwrap_or(*o);
    let items = vm.seq_items(t).unwrap_or_default();
    match i.as_small_int().and_then(|i| items.get(i as usize)) {
        Some(&v) => Ok(v),
        None => raise!(vm, ATTRIBUTE_ERROR, "field missing"),
    }
}

/// `repr(t)`: `Name(a=1, b=2)`; called as `(None, instance)`.
fn namedtuple_repr(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(&o) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "__repr__ takes no arguments");
    };
    let cls = vm.type_of(o);
    let fields = fields_of(vm, cls)?;
    let t = vm.native_payload(o).unwrap_or(o);
    let items = vm.seq_items(t).unwrap_or_default();
    let mut out = String::from(vm.class_name(cls));
    out.push('(');
    for (i, (&f, &v)) in fields.iter().zip(items.iter()).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(vm.qstr_str(f));
        out.push('=');
        let r = vm.repr(v)?;
        out.push_str(&r);
    }
    out.push(')');
    vm.new_string(out)
}

crate::native_table!(pub NAMEDTUPLE_HELPERS = [
    ("__new__", namedtuple_new),
    ("field", namedtuple_field),
    ("repr", namedtuple_repr),
]);

crate::native_table!(pub FUNCTIONS = [
    ("namedtuple", collections_namedtuple),
]);

/// The `collections` module's attributes that are not functions.
pub fn module_attr(_vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    Ok(match name {
        "deque" => Some(Obj::builtin_type(ty::DEQUE)),
        "OrderedDict" => Some(Obj::builtin_type(ty::ORDERED_DICT)),
        _ => None,
    })
}

/// The names `module_attr` knows.
pub const ATTR_NAMES: &[&str] = &["OrderedDict", "deque"];
