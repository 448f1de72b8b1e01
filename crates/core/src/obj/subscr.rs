//! Subscripts: `o[k]`, `o[k] = v`, `del o[k]`, and slice arithmetic.

use alloc::string::String;
use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::qstr::q;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// A slice resolved against a sequence length: the indices it selects.
#[derive(Clone, Copy, Debug)]
pub struct SliceIndices {
    /// First index.
    pub start: i64,
    /// End (exclusive, may be -1 for negative steps).
    pub stop: i64,
    /// Step (never 0).
    pub step: i64,
    /// The number of indices.
    pub len: usize,
}

impl SliceIndices {
    /// The `i`-th selected index.
    pub fn index(&self, i: usize) -> usize {
        (self.start + self.step * i as i64) as usize
    }
}

impl Vm {
    /// Resolves `slice(start, stop, step)` against a length, as `slice.indices` does.
    pub fn slice_indices(&mut self, slice: Obj, len: usize) -> PyResult<SliceIndices> {
        let Some(&HeapObj::Slice(a, b, c)) = self.heap.get(slice) else {
            raise!(self, TYPE_ERROR, "expected slice");
        };
        let len = len as i64;
        let step = if c == Obj::NONE {
            1
        } else {
            self.index_value(c)?
        };
        if step == 0 {
            raise!(self, VALUE_ERROR, "slice step cannot be zero");
        }
        let (lo, hi) = if step < 0 { (-1, len - 1) } else { (0, len) };
        let bound = |vm: &mut Vm, o: Obj, default: i64| -> PyResult<i64> {
            if o == Obj::NONE {
                return Ok(default);
            }
            let v = match vm.index_value(o) {
                Ok(v) => v,
                Err(e) if vm.exc_is(e, ty::OVERFLOW_ERROR) => {
                    if crate::obj::int::Int::of(vm, o).is_some_and(|i| i.to_big().is_negative()) {
                        i64::MIN / 2
                    } else {
                        i64::MAX / 2
                    }
                }
                Err(e) => return Err(e),
            };
            let v = if v < 0 { v + len } else { v };
            Ok(v.clamp(lo, hi))
        };
        let start = bound(self, a, if step < 0 { hi } else { lo })?;
        let stop = bound(self, b, if step < 0 { lo } else { hi })?;
        let n = if step > 0 {
            if stop > start {
                (stop - start + step - 1) / step
            } else {
                0
            }
        } else if start > stop {
            (start - stop - step - 1) / (-step)
        } else {
            0
        };
        Ok(SliceIndices {
            start,
            stop,
            step,
            len: n as usize,
        })
    }

    /// A sequence index: negative counts from the end; `IndexError` when out of range.
    pub fn seq_index(&mut self, k: Obj, len: usize, what: &str) -> PyResult<usize> {
        let i = match self.index_value(k) {
            Ok(i) => i,
            Err(e) if self.exc_is(e, ty::TYPE_ERROR) => {
                let t = String::from(self.type_name(k));
                raise!(
                    self,
                    TYPE_ERROR,
                    "{} indices must be integers, not {}",
                    what,
                    t
                );
            }
            Err(e) if self.exc_is(e, ty::OVERFLOW_ERROR) => {
                raise!(self, INDEX_ERROR, "{} index out of range", what);
            }
            Err(e) => return Err(e),
        };
        let j = if i < 0 { i + len as i64 } else { i };
        if j < 0 || j >= len as i64 {
            raise!(self, INDEX_ERROR, "{} index out of range", what);
        }
        Ok(j as usize)
    }

    /// The length of a list or tuple (0 for anything else).
    fn seq_len(&self, o: Obj) -> usize {
        match self.heap.get(o) {
            Some(HeapObj::List(l)) => l.len(),
            Some(HeapObj::Tuple(t)) => t.len(),
            _ => 0,
        }
    }

    /// Item `i` of a list or tuple (`NULL` out of range or for anything else).
    fn seq_item(&self, o: Obj, i: usize) -> Obj {
        let item = match self.heap.get(o) {
            Some(HeapObj::List(l)) => l.get(i),
            Some(HeapObj::Tuple(t)) => t.get(i),
            _ => None,
        };
        item.copied().unwrap_or(Obj::NULL)
    }

    fn is_slice(&self, k: Obj) -> bool {
        matches!(self.heap.get(k), Some(HeapObj::Slice(..)))
    }

    /// `o[k]`.
    pub fn getitem(&mut self, o: Obj, k: Obj) -> PyResult<Obj> {
        if let Some(s) = self.str_of(o) {
            let s = String::from(s);
            return crate::obj::str::str_getitem(self, &s, k);
        }
        let Some(h) = self.heap.get(o) else {
            return self.not_subscriptable(o);
        };
        match h {
            HeapObj::List(_) | HeapObj::Tuple(_) => {
                let is_list = matches!(h, HeapObj::List(_));
                if !self.is_slice(k) {
                    // An index: no copy of the items.
                    let len = self.seq_len(o);
                    let what = if is_list { "list" } else { "tuple" };
                    let i = self.seq_index(k, len, what)?;
                    return Ok(self.seq_item(o, i));
                }
                let items = self.seq_items(o).unwrap_or_default();
                if self.is_slice(k) {
                    let si = self.slice_indices(k, items.len())?;
                    let out: Vec<Obj> = (0..si.len).map(|i| items[si.index(i)]).collect();
                    return if is_list {
                        self.new_list(out)
                    } else {
                        self.new_tuple(&out)
                    };
                }
                let what = if is_list { "list" } else { "tuple" };
                let i = self.seq_index(k, items.len(), what)?;
                Ok(items[i])
            }
            HeapObj::Dict(_) => match self.dict_get(o, k)? {
                Some(v) => Ok(v),
                None => Err(self.exc_with_arg(ty::KEY_ERROR, k)),
            },
            HeapObj::Range(r) => {
                let r = **r;
                crate::obj::range::range_getitem(self, &r, k)
            }
            HeapObj::Bytes(_) | HeapObj::ByteArray(_) => {
                crate::obj::bytes::bytes_getitem(self, o, k)
            }
            HeapObj::MemoryView(_) => crate::obj::memoryview::memoryview_getitem(self, o, k),
            HeapObj::Array(_) => crate::modules::array::array_getitem(self, o, k),
            HeapObj::UStruct(_) => crate::modules::uctypes::struct_getitem(self, o, k),
            HeapObj::Deque(_) => crate::modules::collections::deque_getitem(self, o, k),
            HeapObj::Instance(_) | HeapObj::Class(_) | HeapObj::Exception(_) => {
                if let Some(r) = self.call_special(o, q::__getitem__, &[k])? {
                    return Ok(r);
                }
                if let Some(n) = self.native_payload(o) {
                    let r = self.getitem(n, k);
                    if let Err(e) = r {
                        if self.exc_is(e, ty::KEY_ERROR) {
                            if let Some(r) = self.call_special(o, q::__missing__, &[k])? {
                                return Ok(r);
                            }
                        }
                    }
                    return r;
                }
                self.not_subscriptable(o)
            }
            _ => self.not_subscriptable(o),
        }
    }

    fn not_subscriptable(&mut self, o: Obj) -> PyResult<Obj> {
        let t = String::from(self.type_name(o));
        raise!(self, TYPE_ERROR, "'{}' object isn't subscriptable", t)
    }

    /// `o[k] = v`.
    pub fn setitem(&mut self, o: Obj, k: Obj, v: Obj) -> PyResult<()> {
        match self.heap.get(o) {
            Some(HeapObj::List(l)) => {
                let len = l.len();
                if self.is_slice(k) {
                    let si = self.slice_indices(k, len)?;
                    let new = self.iter_to_vec(v)?;
                    return crate::obj::list::list_set_slice(self, o, si, new);
                }
                let i = self.seq_index(k, len, "list")?;
                if let Some(HeapObj::List(l)) = self.heap.get_mut(o) {
                    if i < l.len() {
                        l[i] = v;
                    }
                }
                Ok(())
            }
            Some(HeapObj::Dict(_)) if matches!(self.heap.get(k), Some(HeapObj::Slice(..))) => {
                // MicroPython's plain dict cannot hash a slice (its OrderedDict can).
                raise!(self, TYPE_ERROR, "unsupported type for __hash__: 'slice'")
            }
            Some(HeapObj::Dict(_)) => self.dict_set(o, k, v),
            Some(HeapObj::ByteArray(_)) => crate::obj::bytes::bytes_setitem(self, o, k, v),
            Some(HeapObj::MemoryView(_)) => {
                crate::obj::memoryview::memoryview_setitem(self, o, k, v)
            }
            Some(HeapObj::Array(_)) => crate::modules::array::array_setitem(self, o, k, v),
            Some(HeapObj::UStruct(_)) => crate::modules::uctypes::struct_setitem(self, o, k, v),
            Some(HeapObj::Deque(_)) => crate::modules::collections::deque_setitem(self, o, k, v),
            Some(HeapObj::Instance(_)) | Some(HeapObj::Exception(_)) => {
                if self.call_special(o, q::__setitem__, &[k, v])?.is_some() {
                    return Ok(());
                }
                if let Some(n) = self.native_payload(o) {
                    if matches!(self.heap.get(n), Some(HeapObj::Dict(_))) {
                        // An OrderedDict or dict subclass: any key goes (see the slice rule).
                        return self.dict_set(n, k, v);
                    }
                    return self.setitem(n, k, v);
                }
                let t = String::from(self.type_name(o));
                raise!(
                    self,
                    TYPE_ERROR,
                    "'{}' object doesn't support item assignment",
                    t
                )
            }
            _ => {
                let t = String::from(self.type_name(o));
                raise!(
                    self,
                    TYPE_ERROR,
                    "'{}' object doesn't support item assignment",
                    t
                )
            }
        }
    }

    /// `del o[k]`.
    pub fn delitem(&mut self, o: Obj, k: Obj) -> PyResult<()> {
        match self.heap.get(o) {
            Some(HeapObj::List(l)) => {
                let len = l.len();
                if self.is_slice(k) {
                    let si = self.slice_indices(k, len)?;
                    let mut doomed: Vec<usize> = (0..si.len).map(|i| si.index(i)).collect();
                    // The indices run in the step's direction: make them ascending.
                    if si.step < 0 {
                        doomed.reverse();
                    }
                    if let Some(HeapObj::List(l)) = self.heap.get_mut(o) {
                        let mut j = 0;
                        let mut idx = 0;
                        l.retain(|_| {
                            let keep = !(j < doomed.len() && doomed[j] == idx);
                            if !keep {
                                j += 1;
                            }
                            idx += 1;
                            keep
                        });
                    }
                    return Ok(());
                }
                let i = self.seq_index(k, len, "list")?;
                if let Some(HeapObj::List(l)) = self.heap.get_mut(o) {
                    if i < l.len() {
                        l.remove(i);
                    }
                }
                Ok(())
            }
            Some(HeapObj::Dict(_)) => {
                if self.dict_remove(o, k)?.is_none() {
                    return Err(self.exc_with_arg(ty::KEY_ERROR, k));
                }
                Ok(())
            }
            Some(HeapObj::ByteArray(_)) => crate::obj::bytes::bytearray_delitem(self, o, k),
            Some(HeapObj::Instance(_)) => {
                if self.call_special(o, q::__delitem__, &[k])?.is_some() {
                    return Ok(());
                }
                if let Some(n) = self.native_payload(o) {
                    return self.delitem(n, k);
                }
                let t = String::from(self.type_name(o));
                raise!(
                    self,
                    TYPE_ERROR,
                    "'{}' object doesn't support item deletion",
                    t
                )
            }
            _ => {
                let t = String::from(self.type_name(o));
                raise!(
                    self,
                    TYPE_ERROR,
                    "'{}' object doesn't support item deletion",
                    t
                )
            }
        }
    }
}

/// `slice.indices(length)`: `(start, stop, step)` resolved against `length`.
fn slice_indices_method(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [s, n] = args else {
        raise!(vm, TYPE_ERROR, "indices expected 1 argument");
    };
    let n = vm.index_value(*n)?;
    let Ok(len) = usize::try_from(n) else {
        raise!(vm, VALUE_ERROR, "length should not be negative");
    };
    let si = vm.slice_indices(*s, len)?;
    let parts = [
        vm.new_int(si.start)?,
        vm.new_int(si.stop)?,
        vm.new_int(si.step)?,
    ];
    vm.new_tuple(&parts)
}

crate::native_table!(pub SLICE_METHODS = [
    ("indices", slice_indices_method),
]);
