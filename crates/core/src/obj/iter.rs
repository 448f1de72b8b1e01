//! The iteration protocol: `iter()`, `next()`, and the iterators of built-in types.

use alloc::boxed::Box;
use alloc::string::String;

use crate::native::{Kw, PyResult};
use crate::object::{HeapObj, IterObj};
use crate::qstr::q;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::dispatch::RunEnd;
use crate::vm::Vm;

impl Vm {
    /// A new built-in iterator object.
    pub fn new_iter(&mut self, it: IterObj) -> PyResult<Obj> {
        self.alloc(HeapObj::Iter(Box::new(it)))
    }

    /// `iter(o)`.
    pub fn get_iter(&mut self, o: Obj) -> PyResult<Obj> {
        if let Some(v) = crate::obj::dict::view_iter(self, o)? {
            return Ok(v);
        }
        if o.as_qstr().is_some() {
            return self.new_iter(IterObj::Seq { seq: o, index: 0 });
        }
        let it = match self.heap.get(o) {
            Some(HeapObj::List(_))
            | Some(HeapObj::Tuple(_))
            | Some(HeapObj::Str(_))
            | Some(HeapObj::Bytes(_))
            | Some(HeapObj::ByteArray(_))
            | Some(HeapObj::MemoryView(..))
            | Some(HeapObj::Array(_))
            | Some(HeapObj::Deque(_)) => IterObj::Seq { seq: o, index: 0 },
            Some(HeapObj::StringIo(_)) => return crate::modules::io::io_iter(self, o),
            Some(HeapObj::File(_)) => return crate::vfs::file::file_iter(self, o),
            Some(HeapObj::Range(r)) => IterObj::Range {
                next: r.start,
                left: r.len(),
                step: r.step,
            },
            Some(HeapObj::Dict(d)) | Some(HeapObj::Set(d, _)) => IterObj::Dict {
                dict: o,
                index: 0,
                kind: 0,
                len: d.len(),
            },
            Some(HeapObj::Iter(_)) | Some(HeapObj::Generator(_)) => return Ok(o),
            Some(HeapObj::Instance(_)) | Some(HeapObj::Class(_)) | Some(HeapObj::Exception(_)) => {
                if let Some(r) = self.call_special(o, q::__iter__, &[])? {
                    return Ok(r);
                }
                if self.lookup_special(o, q::__getitem__)?.is_some() {
                    IterObj::GetItem { obj: o, index: 0 }
                } else if let Some(n) = self.native_payload(o) {
                    return self.get_iter(n);
                } else {
                    return Err(self.not_iterable(o));
                }
            }
            _ => {
                if let Some(v) = crate::obj::dict::view_iter(self, o)? {
                    return Ok(v);
                }
                return Err(self.not_iterable(o));
            }
        };
        self.new_iter(it)
    }

    fn not_iterable(&mut self, o: Obj) -> Obj {
        let t = String::from(self.type_name(o));
        self.exc_fmt(
            ty::TYPE_ERROR,
            format_args!("'{}' object isn't iterable", t),
        )
    }

    /// `next(it)`: `None` when the iterator is exhausted.
    pub fn iter_next(&mut self, it: Obj) -> PyResult<Option<Obj>> {
        Ok(self.iter_next_value(it)?.ok())
    }

    /// `next(it)`: `Err(return value)` when the iterator is exhausted (the value of its
    /// `StopIteration`, for `yield from`).
    pub fn iter_next_value(&mut self, it: Obj) -> PyResult<Result<Obj, Obj>> {
        let Some(h) = self.heap.get(it) else {
            return Err(self.not_an_iterator(it));
        };
        match h {
            HeapObj::Generator(_) => {
                return match self.gen_resume(it, Obj::NONE, None)? {
                    RunEnd::Yield(v) => Ok(Ok(v)),
                    RunEnd::Return(v) => Ok(Err(v)),
                };
            }
            HeapObj::Iter(_) => {}
            HeapObj::Instance(_) | HeapObj::Exception(_) => {
                let Some(m) = self.lookup_special(it, q::__next__)? else {
                    return Err(self.not_an_iterator(it));
                };
                return match self.call(m, &[it], &[]) {
                    Ok(v) => Ok(Ok(v)),
                    Err(e) if self.is_exception(e) && self.exc_is(e, ty::STOP_ITERATION) => {
                        Ok(Err(self.exc_args(e).first().copied().unwrap_or(Obj::NONE)))
                    }
                    Err(e) => Err(e),
                };
            }
            _ => return Err(self.not_an_iterator(it)),
        }
        // A `StopIteration` raised inside (say, by the function `map` calls) ends the iteration
        // with its value, as it does for a `for` loop.
        match self.builtin_iter_next(it) {
            Ok(o) => Ok(o.ok_or(Obj::NONE)),
            Err(e) if self.is_exception(e) && self.exc_is(e, ty::STOP_ITERATION) => {
                Ok(Err(self.exc_args(e).first().copied().unwrap_or(Obj::NONE)))
            }
            Err(e) => Err(e),
        }
    }

    fn not_an_iterator(&mut self, o: Obj) -> Obj {
        let t = String::from(self.type_name(o));
        self.exc_fmt(
            ty::TYPE_ERROR,
            format_args!("'{}' object isn't an iterator", t),
        )
    }

    /// The end of an iterator that wraps another: the inner iterator's `StopIteration` value
    /// goes on (as MicroPython's `next(enumerate(it))` keeps it).
    fn stop_with(&mut self, r: Obj) -> PyResult<Option<Obj>> {
        if r == Obj::NONE {
            Ok(None)
        } else {
            Err(self.exc_with_arg(ty::STOP_ITERATION, r))
        }
    }

    fn builtin_iter_next(&mut self, it: Obj) -> PyResult<Option<Obj>> {
        let Some(HeapObj::Iter(state)) = self.heap.get_mut(it) else {
            return Ok(None);
        };
        match &mut **state {
            IterObj::Seq { seq, index } => {
                let (seq, i) = (*seq, *index);
                let (v, step) = crate::obj::seq_iter_item(self, seq, i)?;
                if let Some(HeapObj::Iter(state)) = self.heap.get_mut(it) {
                    if let IterObj::Seq { index, .. } = &mut **state {
                        *index += step;
                    }
                }
                Ok(v)
            }
            IterObj::Range { next, left, step } => {
                if *left <= 0 {
                    return Ok(None);
                }
                let v = *next;
                *next = next.wrapping_add(*step);
                *left -= 1;
                self.new_int(v).map(Some)
            }
            IterObj::Dict {
                dict,
                index,
                kind,
                len,
            } => {
                let (dict, start, kind, len) = (*dict, *index, *kind, *len);
                let d = match self.heap.get(dict) {
                    Some(HeapObj::Dict(d)) | Some(HeapObj::Set(d, _)) => d,
                    _ => return Ok(None),
                };
                if d.len() != len {
                    raise!(
                        self,
                        RUNTIME_ERROR,
                        "dictionary changed size during iteration"
                    );
                }
                let mut i = start;
                let found = loop {
                    match d.entry(i) {
                        None => break None,
                        Some(e) if e.key.is_null() => i += 1,
                        Some(e) => break Some((e.key, e.value)),
                    }
                };
                if let Some(HeapObj::Iter(state)) = self.heap.get_mut(it) {
                    if let IterObj::Dict { index, .. } = &mut **state {
                        *index = i + 1;
                    }
                }
                match found {
                    None => Ok(None),
                    Some((k, v)) => Ok(Some(match kind {
                        0 => k,
                        1 => v,
                        _ => self.new_tuple(&[k, v])?,
                    })),
                }
            }
            IterObj::Enumerate { iter, count } => {
                let (inner, c) = (*iter, *count);
                self.heap.keep(c);
                let v = match self.iter_next_value(inner)? {
                    Ok(v) => v,
                    Err(r) => return self.stop_with(r),
                };
                let next = self.binary_op(
                    pyrite_compiler::bytecode::BinOp::Add,
                    c,
                    Obj::small_int_unchecked(1),
                )?;
                if let Some(HeapObj::Iter(state)) = self.heap.get_mut(it) {
                    if let IterObj::Enumerate { count, .. } = &mut **state {
                        *count = next;
                    }
                }
                self.new_tuple(&[c, v]).map(Some)
            }
            IterObj::Zip { iters } => {
                let iters = iters.clone();
                if iters.is_empty() {
                    return Ok(None);
                }
                let mut out = alloc::vec::Vec::with_capacity(iters.len());
                for i in iters {
                    match self.iter_next_value(i)? {
                        Ok(v) => {
                            self.heap.keep(v);
                            out.push(v)
                        }
                        Err(r) => return self.stop_with(r),
                    }
                }
                self.new_tuple(&out).map(Some)
            }
            IterObj::Map { func, iters } => {
                let (func, iters) = (*func, iters.clone());
                let mut args = alloc::vec::Vec::with_capacity(iters.len());
                for i in iters {
                    match self.iter_next_value(i)? {
                        Ok(v) => {
                            self.heap.keep(v);
                            args.push(v)
                        }
                        Err(r) => return self.stop_with(r),
                    }
                }
                self.call(func, &args, &[]).map(Some)
            }
            IterObj::Filter { func, iter } => {
                let (func, inner) = (*func, *iter);
                loop {
                    let Some(v) = self.iter_next(inner)? else {
                        return Ok(None);
                    };
                    self.heap.keep(v);
                    let keep = if func == Obj::NONE {
                        self.truthy(v)?
                    } else {
                        let r = self.call(func, &[v], &[])?;
                        self.truthy(r)?
                    };
                    if keep {
                        return Ok(Some(v));
                    }
                }
            }
            IterObj::Reversed { seq, left } => {
                if *left == 0 {
                    return Ok(None);
                }
                *left -= 1;
                let (seq, i) = (*seq, *left);
                let idx = self.new_int(i as i64)?;
                self.getitem(seq, idx).map(Some)
            }
            IterObj::Callable { func, sentinel } => {
                let (func, sentinel) = (*func, *sentinel);
                if func.is_null() {
                    return Ok(None);
                }
                let v = self.call(func, &[], &[])?;
                if self.eq(v, sentinel)? {
                    // Once the sentinel came back, the iterator stays exhausted.
                    if let Some(HeapObj::Iter(state)) = self.heap.get_mut(it) {
                        if let IterObj::Callable { func, .. } = &mut **state {
                            *func = Obj::NULL;
                        }
                    }
                    return Ok(None);
                }
                Ok(Some(v))
            }
            IterObj::GetItem { obj, index } => {
                let (obj, i) = (*obj, *index);
                *index += 1;
                let idx = self.new_int(i as i64)?;
                match self.getitem(obj, idx) {
                    Ok(v) => Ok(Some(v)),
                    Err(e)
                        if self.is_exception(e)
                            && (self.exc_is(e, ty::INDEX_ERROR)
                                || self.exc_is(e, ty::STOP_ITERATION)) =>
                    {
                        Ok(None)
                    }
                    Err(e) => Err(e),
                }
            }
        }
    }
}

/// `it.__next__()` of a built-in iterator.
fn iter_next_method(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(&it) = args.first() else {
        raise!(vm, TYPE_ERROR, "__next__ expected 1 argument");
    };
    match vm.iter_next_value(it)? {
        Ok(v) => Ok(v),
        Err(r) if r == Obj::NONE => Err(vm.exc(ty::STOP_ITERATION, "")),
        Err(r) => Err(vm.exc_with_arg(ty::STOP_ITERATION, r)),
    }
}

/// `it.__iter__()` of a built-in iterator: itself.
fn iter_iter_method(_vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(args.first().copied().unwrap_or(Obj::NONE))
}

crate::native_table!(pub METHODS = [
    ("__iter__", iter_iter_method),
    ("__next__", iter_next_method),
]);
