//! `dict`, and the namespace operations built on it (globals, class dicts).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use pyrite_compiler::bytecode::BinOp;

use crate::dict::Dict;
use crate::native::{Kw, PyResult};
use crate::object::{HeapObj, IterObj};
use crate::qstr::Qstr;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

impl Vm {
    fn dict_ref(&self, d: Obj) -> Option<&Dict> {
        match self.heap.get(d)? {
            HeapObj::Dict(x) | HeapObj::Set(x, _) => Some(x),
            HeapObj::Instance(i) if !i.native.is_null() => self.dict_ref(i.native),
            _ => None,
        }
    }

    fn dict_mut(&mut self, d: Obj) -> Option<&mut Dict> {
        let target = match self.heap.get(d)? {
            HeapObj::Instance(i) if !i.native.is_null() => i.native,
            _ => d,
        };
        match self.heap.get_mut(target)? {
            HeapObj::Dict(x) | HeapObj::Set(x, _) => Some(x),
            _ => None,
        }
    }

    /// Finds `key` in a dict or set: its entry position.
    pub fn dict_find(&mut self, d: Obj, key: Obj) -> PyResult<Option<usize>> {
        let h = self.hash(key)?;
        let Some(dict) = self.dict_ref(d) else {
            return Ok(None);
        };
        // Fast path: identity or strings.
        let key_str = self.str_of(key);
        let mut fast = None;
        let mut others: Vec<(usize, Obj)> = Vec::new();
        dict.candidates(h, |i, e| {
            if e.key == key {
                fast = Some(i);
                return true;
            }
            if let Some(ks) = key_str {
                if let Some(es) = self.str_of(e.key) {
                    if es == ks {
                        fast = Some(i);
                        return true;
                    }
                    return false;
                }
            }
            others.push((i, e.key));
            false
        });
        if fast.is_some() {
            return Ok(fast);
        }
        for (i, k) in others {
            if self.eq(key, k)? {
                // The dict may have changed while Python code ran.
                if self
                    .dict_ref(d)
                    .and_then(|x| x.entry(i))
                    .is_some_and(|e| e.key == k)
                {
                    return Ok(Some(i));
                }
            }
        }
        Ok(None)
    }

    /// `d.get(key)`.
    pub fn dict_get(&mut self, d: Obj, key: Obj) -> PyResult<Option<Obj>> {
        let i = self.dict_find(d, key)?;
        Ok(i.and_then(|i| self.dict_ref(d)?.entry(i).map(|e| e.value)))
    }

    /// `d[key] = value`.
    pub fn dict_set(&mut self, d: Obj, key: Obj, value: Obj) -> PyResult<()> {
        if let Some(i) = self.dict_find(d, key)? {
            if let Some(x) = self.dict_mut(d) {
                x.set_value(i, value);
            }
            return Ok(());
        }
        let h = self.hash(key)?;
        // A table with room takes a new key without allocating (even with the heap locked);
        // a full one grows to at most twice its size, moving: room for that is made first,
        // and what it did not take is given back.
        let held = match self.dict_ref(d) {
            Some(x) if !x.has_room() => x.bytes(),
            _ => 0,
        };
        self.grow_room(held, held)?;
        if let Some(x) = self.dict_mut(d) {
            let grew = x.push(h, key, value);
            self.heap.refund(held.saturating_sub(grew));
            self.heap.charge(grew.saturating_sub(held));
        }
        Ok(())
    }

    /// Removes `key`: its value, or `None` if absent.
    pub fn dict_remove(&mut self, d: Obj, key: Obj) -> PyResult<Option<Obj>> {
        let Some(i) = self.dict_find(d, key)? else {
            return Ok(None);
        };
        let kv = self.dict_mut(d).and_then(|x| x.remove_at(i));
        if let Some((k, v)) = kv {
            self.heap.keep(k);
            self.heap.keep(v);
            return Ok(Some(v));
        }
        Ok(None)
    }

    /// The value of a qstr key (namespaces: globals, class and instance dicts). Never runs
    /// Python code.
    pub fn dict_get_qstr(&self, d: Obj, name: Qstr) -> Option<Obj> {
        let dict = self.dict_ref(d)?;
        let h = self.qstrs.hash(name);
        let key = Obj::qstr(name);
        let mut found = None;
        dict.candidates(h, |_, e| {
            // Interned texts are unique: another qstr key is another text.
            if e.key == key
                || (e.key.as_qstr().is_none() && self.str_of(e.key) == Some(self.qstr_str(name)))
            {
                found = Some(e.value);
                true
            } else {
                false
            }
        });
        found
    }

    /// Deletes a qstr key; whether it was there.
    pub fn dict_del_qstr(&mut self, d: Obj, name: Qstr) -> PyResult<bool> {
        Ok(self.dict_remove(d, Obj::qstr(name))?.is_some())
    }

    /// `STORE_NAME`/`STORE_GLOBAL` into namespace `ns`.
    pub fn store_name_in(&mut self, ns: Obj, name: Qstr, v: Obj) -> PyResult<()> {
        if matches!(self.heap.get(ns), Some(HeapObj::Dict(_))) {
            return self.dict_set(ns, Obj::qstr(name), v);
        }
        // A custom namespace (a mapping from a metaclass' __prepare__).
        self.setitem(ns, Obj::qstr(name), v)
    }

    /// `LOAD_GLOBAL`: globals, then builtins.
    pub fn load_global(&mut self, globals: Obj, name: Qstr) -> PyResult<Obj> {
        if let Some(v) = self.dict_get_qstr(globals, name) {
            return Ok(v);
        }
        if let Some(v) = crate::builtins::lookup_builtin(self, name) {
            return Ok(v);
        }
        let s = String::from(self.qstr_str(name));
        raise!(self, NAME_ERROR, "name '{}' isn't defined", s)
    }

    /// The key/value pairs of a dict or any mapping (`keys()` and `[]`).
    pub fn mapping_items(&mut self, m: Obj) -> PyResult<Vec<(Obj, Obj)>> {
        if let Some(d) = self.dict_ref(m) {
            if matches!(self.heap.get(m), Some(HeapObj::Dict(_)))
                || self.native_payload(m).is_some()
            {
                let items: Vec<(Obj, Obj)> = d.iter().map(|e| (e.key, e.value)).collect();
                return Ok(items);
            }
        }
        let keys = self.call_method0(m, crate::qstr::q::keys)?;
        let keys = self.iter_to_vec(keys)?;
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            let v = self.getitem(m, k)?;
            self.heap.keep(v);
            out.push((k, v));
        }
        Ok(out)
    }

    /// `d.update(m)` (`merge`: a repeated key is an error, as in `f(**a, **b)`).
    pub fn dict_update_from(&mut self, d: Obj, m: Obj, merge: bool) -> PyResult<()> {
        let is_mapping = self.dict_ref(m).is_some()
            && !matches!(self.heap.get(m), Some(HeapObj::Set(..)))
            || self.lookup_special(m, crate::qstr::q::keys)?.is_some();
        if is_mapping {
            let items = self.mapping_items(m)?;
            for (k, v) in items {
                if merge && self.dict_find(d, k)?.is_some() {
                    let s = self.repr(k)?;
                    raise!(
                        self,
                        TYPE_ERROR,
                        "function got multiple values for keyword argument {}",
                        s
                    );
                }
                self.dict_set(d, k, v)?;
            }
            return Ok(());
        }
        // An iterable of pairs.
        let items = self.iter_to_vec(m)?;
        for it in items {
            let kv = self.iter_to_vec(it)?;
            if kv.len() != 2 {
                raise!(
                    self,
                    VALUE_ERROR,
                    "dictionary update sequence element has length {}; 2 is required",
                    kv.len()
                );
            }
            self.dict_set(d, kv[0], kv[1])?;
        }
        Ok(())
    }

    /// The number of entries of a dict or set.
    pub fn dict_len(&self, d: Obj) -> usize {
        self.dict_ref(d).map_or(0, |x| x.len())
    }

    /// The live keys (and values) of a dict or set, copied.
    pub fn dict_items(&self, d: Obj) -> Vec<(Obj, Obj)> {
        self.dict_ref(d)
            .map(|x| x.iter().map(|e| (e.key, e.value)).collect())
            .unwrap_or_default()
    }
}

/// `a == b` for dicts.
pub fn dict_eq(vm: &mut Vm, a: Obj, b: Obj) -> PyResult<bool> {
    if vm.dict_len(a) != vm.dict_len(b) {
        return Ok(false);
    }
    for (k, v) in vm.dict_items(a) {
        match vm.dict_get(b, k)? {
            Some(w) if vm.eq(v, w)? => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

/// `dict | dict`.
pub fn dict_binop(vm: &mut Vm, op: BinOp, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    if op != BinOp::Or || !matches!(vm.heap.get(b), Some(HeapObj::Dict(_))) {
        return Ok(None);
    }
    let d = vm.new_dict()?;
    vm.dict_update_from(d, a, false)?;
    vm.dict_update_from(d, b, false)?;
    Ok(Some(d))
}

/// Whether `o` is a dict view (`keys()`, `values()`, `items()`).
pub fn is_dict_view(vm: &Vm, o: Obj) -> bool {
    view_of(vm, o).is_some()
}

/// The dict and kind (0 keys, 1 values, 2 items) of a view. Views are instances of the
/// built-in view types holding the dict as their payload.
fn view_of(vm: &Vm, o: Obj) -> Option<(Obj, u8)> {
    match vm.heap.get(o)? {
        HeapObj::Instance(i) => {
            let kind = match i.class.as_builtin_type()? {
                ty::DICT_KEYS => 0,
                ty::DICT_VALUES => 1,
                ty::DICT_ITEMS => 2,
                _ => return None,
            };
            Some((i.native, kind))
        }
        _ => None,
    }
}

fn new_view(vm: &mut Vm, d: Obj, t: u16) -> PyResult<Obj> {
    vm.alloc(HeapObj::Instance(crate::object::InstanceObj {
        class: Obj::builtin_type(t),
        dict: Obj::NULL,
        native: d,
    }))
}

/// `x in view`.
pub fn view_contains(vm: &mut Vm, view: Obj, x: Obj) -> PyResult<bool> {
    let Some((d, kind)) = view_of(vm, view) else {
        return Ok(false);
    };
    match kind {
        0 => Ok(vm.dict_find(d, x)?.is_some()),
        1 => {
            for (_, v) in vm.dict_items(d) {
                if vm.eq(v, x)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        _ => {
            let kv = vm.seq_items(x).unwrap_or_default();
            if kv.len() != 2 {
                return Ok(false);
            }
            match vm.dict_get(d, kv[0])? {
                Some(v) => vm.eq(v, kv[1]),
                None => Ok(false),
            }
        }
    }
}

/// `iter(view)`, or `None` if `o` is not a view.
pub fn view_iter(vm: &mut Vm, o: Obj) -> PyResult<Option<Obj>> {
    let Some((d, kind)) = view_of(vm, o) else {
        return Ok(None);
    };
    let len = vm.dict_len(d);
    vm.new_iter(IterObj::Dict {
        dict: d,
        index: 0,
        kind,
        len,
    })
    .map(Some)
}

/// `repr(view)`: `dict_items([(1, 2)])`, or `None` if `o` is not a view.
pub fn view_repr(vm: &mut Vm, o: Obj) -> PyResult<Option<String>> {
    let Some((d, kind)) = view_of(vm, o) else {
        return Ok(None);
    };
    let name = ["dict_keys", "dict_values", "dict_items"][(kind as usize).min(2)];
    let it = view_iter(vm, o)?.unwrap_or(Obj::NONE);
    let _ = d;
    let items = vm.iter_to_vec(it)?;
    let l = vm.new_list(items)?;
    let inner = vm.repr(l)?;
    Ok(Some(alloc::format!("{}({})", name, inner)))
}

/// `len(view)`.
pub fn view_len(vm: &Vm, o: Obj) -> Option<usize> {
    view_of(vm, o).map(|(d, _)| vm.dict_len(d))
}

fn arg_dict(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&d) if vm.dict_ref(d).is_some() => {
            // The dict itself, not an `OrderedDict` holding it (views refer to it).
            let mut d = d;
            while let Some(n) = vm.native_payload(d) {
                d = n;
            }
            Ok(d)
        }
        _ => raise!(vm, TYPE_ERROR, "descriptor requires a 'dict' object"),
    }
}

/// `dict(...)`.
pub fn dict_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let d = vm.new_dict()?;
    if let Some(&m) = args.first() {
        vm.dict_update_from(d, m, false)?;
    }
    for &(k, v) in kw {
        vm.dict_set(d, Obj::qstr(k), v)?;
    }
    Ok(d)
}

fn dict_keys(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    new_view(vm, d, ty::DICT_KEYS)
}

fn dict_values(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    new_view(vm, d, ty::DICT_VALUES)
}

fn dict_items_m(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    new_view(vm, d, ty::DICT_ITEMS)
}

fn dict_get_m(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    let Some(&k) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "get expected at least 1 argument");
    };
    Ok(vm
        .dict_get(d, k)?
        .unwrap_or(args.get(2).copied().unwrap_or(Obj::NONE)))
}

fn dict_setdefault(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    let Some(&k) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "setdefault expected at least 1 argument");
    };
    if let Some(v) = vm.dict_get(d, k)? {
        return Ok(v);
    }
    let v = args.get(2).copied().unwrap_or(Obj::NONE);
    vm.dict_set(d, k, v)?;
    Ok(v)
}

fn dict_pop(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    let Some(&k) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "pop expected at least 1 argument");
    };
    match vm.dict_remove(d, k)? {
        Some(v) => Ok(v),
        None => match args.get(2) {
            Some(&dflt) => Ok(dflt),
            None => Err(vm.exc_with_arg(ty::KEY_ERROR, k)),
        },
    }
}

fn dict_popitem(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    let kv = vm.dict_mut(d).and_then(|x| x.pop_last());
    match kv {
        Some((k, v)) => {
            vm.heap.keep(k);
            vm.heap.keep(v);
            vm.new_tuple(&[k, v])
        }
        None => raise!(vm, KEY_ERROR, "popitem(): dictionary is empty"),
    }
}

fn dict_clear(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    if let Some(x) = vm.dict_mut(d) {
        x.clear();
    }
    Ok(Obj::NONE)
}

fn dict_copy(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    let n = vm.new_dict()?;
    for (k, v) in vm.dict_items(d) {
        vm.dict_set(n, k, v)?;
    }
    Ok(n)
}

fn dict_update(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    if let Some(&m) = args.get(1) {
        vm.dict_update_from(d, m, false)?;
    }
    for &(k, v) in kw {
        vm.dict_set(d, Obj::qstr(k), v)?;
    }
    Ok(Obj::NONE)
}

fn dict_fromkeys(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(&keys) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "fromkeys expected at least 1 argument");
    };
    let v = args.get(2).copied().unwrap_or(Obj::NONE);
    let d = vm.new_dict()?;
    let keys = vm.iter_to_vec(keys)?;
    for k in keys {
        vm.dict_set(d, k, v)?;
    }
    Ok(d)
}

/// `d.__getitem__(k)`.
fn dict_getitem_m(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    let [_, k] = args else {
        raise!(vm, TYPE_ERROR, "__getitem__ expected 1 argument");
    };
    vm.getitem(d, *k)
}

/// `d.__setitem__(k, v)`.
fn dict_setitem_m(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    let [_, k, v] = args else {
        raise!(vm, TYPE_ERROR, "__setitem__ expected 2 arguments");
    };
    vm.dict_set(d, *k, *v)?;
    Ok(Obj::NONE)
}

/// `d.__delitem__(k)`.
fn dict_delitem_m(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = arg_dict(vm, args)?;
    let [_, k] = args else {
        raise!(vm, TYPE_ERROR, "__delitem__ expected 1 argument");
    };
    vm.delitem(d, *k)?;
    Ok(Obj::NONE)
}

crate::native_table!(pub METHODS = [
    ("__delitem__", dict_delitem_m),
    ("__getitem__", dict_getitem_m),
    ("__setitem__", dict_setitem_m),
    ("clear", dict_clear),
    ("copy", dict_copy),
    ("fromkeys", dict_fromkeys, ClassMethod),
    ("get", dict_get_m),
    ("items", dict_items_m),
    ("keys", dict_keys),
    ("pop", dict_pop),
    ("popitem", dict_popitem),
    ("setdefault", dict_setdefault),
    ("update", dict_update),
    ("values", dict_values),
]);

/// Methods of dict views (none beyond the protocols).
pub static VIEW_METHODS: [crate::native::Native; 0] = [];

/// Makes a dict from a dict object's payload (used for `Box<Dict>` creation elsewhere).
pub fn boxed() -> Box<Dict> {
    Box::default()
}
