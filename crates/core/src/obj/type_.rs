//! `type`: calling built-in types, creating classes, `super`.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::native::{self, table, Kw, PyResult};
use crate::object::{ClassObj, HeapObj, InstanceObj};
use crate::qstr::{q, Qstr};
use crate::types::{self, ty};
use crate::value::Obj;
use crate::vm::Vm;

/// Calls built-in type `t` (`int("5")`, `list()`, `ValueError("x")`).
pub fn builtin_type_call(vm: &mut Vm, t: u16, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    use crate::obj::*;
    if types::is_exception(t) {
        return exc::exception_new(vm, Obj::builtin_type(t), args);
    }
    match t {
        ty::INT => int::int_new(vm, args, kw),
        ty::BOOL => match args.first() {
            Some(&x) => Ok(Obj::bool(vm.truthy(x)?)),
            None => Ok(Obj::FALSE),
        },
        ty::FLOAT => float::float_new(vm, args, kw),
        ty::COMPLEX => complex::complex_new(vm, args, kw),
        ty::STR => str::str_new(vm, args, kw),
        ty::BYTES => bytes::bytes_new(vm, args, kw),
        ty::BYTEARRAY => bytes::bytearray_new(vm, args, kw),
        ty::MEMORYVIEW => memoryview::memoryview_new(vm, args, kw),
        ty::ARRAY => crate::modules::array::array_new(vm, args, kw),
        ty::DEQUE => crate::modules::collections::deque_new(vm, args, kw),
        ty::ORDERED_DICT => crate::modules::collections::ordereddict_new(vm, args, kw),
        ty::STRING_IO => crate::modules::io::stringio_new(vm, args, kw),
        ty::BYTES_IO => crate::modules::io::bytesio_new(vm, args, kw),
        ty::FRAME_BUFFER => crate::modules::framebuf::framebuf_new(vm, args, kw),
        ty::SHA256 | ty::SHA1 | ty::MD5 => crate::modules::hashlib::hash_new(vm, t, args, kw),
        ty::UCTYPES_STRUCT => crate::modules::uctypes::struct_new(vm, args, kw),
        ty::DEFLATE_IO => crate::modules::deflate::deflateio_new(vm, args, kw),
        ty::RING_IO => crate::modules::ringio::ringio_new(vm, args, kw),
        ty::PIN..=ty::PYB_TIMER => crate::modules::machine::construct(vm, t, args, kw),
        ty::VFS_POSIX | ty::VFS_LFS1 | ty::VFS_LFS2 | ty::VFS_FAT => {
            crate::vfs::fs::vfs_new(vm, t, args, kw)
        }
        ty::LIST => list::list_new(vm, args, kw),
        ty::TUPLE => tuple::tuple_new(vm, args, kw),
        ty::DICT => dict::dict_new(vm, args, kw),
        ty::SET => set::set_new(vm, args, false),
        ty::FROZENSET => set::set_new(vm, args, true),
        ty::RANGE => range::range_new(vm, args, kw),
        ty::SLICE => {
            let (a, b, c) = match args {
                [b] => (Obj::NONE, *b, Obj::NONE),
                [a, b] => (*a, *b, Obj::NONE),
                [a, b, c] => (*a, *b, *c),
                _ => raise!(vm, TYPE_ERROR, "slice expected at most 3 arguments"),
            };
            vm.alloc(HeapObj::Slice(a, b, c))
        }
        ty::OBJECT => vm.alloc(HeapObj::Instance(crate::object::InstanceObj {
            class: Obj::builtin_type(ty::OBJECT),
            dict: Obj::NULL,
            native: Obj::NULL,
        })),
        ty::TYPE => type_call(vm, args, kw),
        ty::PROPERTY => func::property_new(vm, args, kw),
        ty::STATICMETHOD | ty::CLASSMETHOD => {
            let Some(&f) = args.first() else {
                raise!(vm, TYPE_ERROR, "expected 1 argument");
            };
            vm.alloc(if t == ty::STATICMETHOD {
                HeapObj::StaticMethod(f)
            } else {
                HeapObj::ClassMethod(f)
            })
        }
        ty::SUPER => super_new(vm, args),
        ty::ENUMERATE | ty::ZIP | ty::MAP | ty::FILTER | ty::REVERSED => {
            crate::builtins::iterator_type_call(vm, t, args, kw)
        }
        ty::NONE => Ok(Obj::NONE),
        _ => {
            let name = types::info(t).name;
            raise!(vm, TYPE_ERROR, "cannot create '{}' instances", name)
        }
    }
}

/// Whether instances of classes deriving from built-in type `t` carry a built-in value
/// (`InstanceObj::native`): every subclassable type but `object`, `type` and the exceptions
/// (exception instances are exception objects themselves).
pub fn has_payload(t: u16) -> bool {
    t != ty::OBJECT && t != ty::TYPE && t != ty::IOBASE && !types::is_exception(t)
}

/// Creates an instance of Python class `cls` (through `__new__`) and finds the `__init__` to
/// call on it, if any.
///
/// A subclass of a built-in type gets its built-in value made from the call's arguments,
/// unless a Python `__init__` makes it first through `super().__init__(...)`: then the returned
/// initialiser is [`native_subclass_init`], which runs the Python `__init__` and makes the
/// value afterwards if it still has none.
pub fn class_new(vm: &mut Vm, cls: Obj, args: &[Obj], kw: Kw) -> PyResult<(Obj, Option<Obj>)> {
    // A metaclass's Python `__call__` replaces the whole construction.
    let meta = vm.type_of(cls);
    if meta.as_builtin_type().is_none() {
        if let Some(call) = vm.class_lookup(meta, q::__call__) {
            if native::native_of(call).is_none() {
                let all = crate::vm::call::prepend(cls, args);
                return Ok((vm.call(call, &all, kw)?, None));
            }
        }
    }
    class_new_plain(vm, cls, args, kw)
}

/// [`class_new`] without a metaclass's `__call__`: `type.__call__`.
fn class_new_plain(vm: &mut Vm, cls: Obj, args: &[Obj], kw: Kw) -> PyResult<(Obj, Option<Obj>)> {
    let new = vm.class_lookup(cls, q::__new__);
    let custom_new = new.filter(|&n| !is_native(n, table::OBJECT, "__new__"));
    let inst = match custom_new {
        Some(n) => {
            let n = match vm.heap.get(n) {
                Some(HeapObj::StaticMethod(f)) => *f,
                _ => n,
            };
            let all = crate::vm::call::prepend(cls, args);
            let inst = vm.call(n, &all, kw)?;
            if !vm.isinstance(inst, cls) {
                return Ok((inst, None));
            }
            inst
        }
        None => new_instance(vm, cls)?,
    };
    let native = vm.class_native_base(cls);
    let init = vm.class_lookup(cls, q::__init__);
    if has_payload(native) {
        if init.is_some_and(|i| native::native_of(i).is_none()) {
            return Ok((inst, Some(native_obj(table::TYPE_HIDDEN, "__init__"))));
        }
        ensure_payload(vm, inst, args, kw)?;
        return Ok((inst, None));
    }
    let init = init.filter(|&i| !is_native(i, table::OBJECT, "__init__"));
    if init.is_none()
        && custom_new.is_none()
        && (!args.is_empty() || !kw.is_empty())
        && native == ty::OBJECT
    {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes 0 positional arguments but {} were given",
            args.len()
        );
    }
    Ok((inst, init))
}

/// A new instance of Python class `cls`; a subclass of a built-in type has no built-in value
/// yet (see [`class_new`]).
pub fn new_instance(vm: &mut Vm, cls: Obj) -> PyResult<Obj> {
    let native = vm.class_native_base(cls);
    if types::is_exception(native) {
        let args = vm.exc_args_tuple(&[])?;
        return vm.new_exception(cls, args);
    }
    vm.alloc(HeapObj::Instance(InstanceObj {
        class: cls,
        dict: Obj::NULL,
        native: Obj::NULL,
    }))
}

/// Makes the built-in value of instance `o` from `args` if it has none yet.
fn ensure_payload(vm: &mut Vm, o: Obj, args: &[Obj], kw: Kw) -> PyResult<()> {
    if matches!(vm.heap.get(o), Some(HeapObj::Instance(i)) if i.native.is_null()) {
        set_payload(vm, o, args, kw)?;
    }
    Ok(())
}

/// Makes the built-in value of instance `o` from `args`, replacing any previous one.
pub fn set_payload(vm: &mut Vm, o: Obj, args: &[Obj], kw: Kw) -> PyResult<()> {
    let cls = vm.type_of(o);
    let native = vm.class_native_base(cls);
    if !has_payload(native) {
        return Ok(());
    }
    let v = builtin_type_call(vm, native, args, kw)?;
    if let Some(HeapObj::Instance(i)) = vm.heap.get_mut(o) {
        i.native = v;
    }
    Ok(())
}

/// The initialiser of a subclass of a built-in type with a Python `__init__`:
/// `(self, *args)`.
fn native_subclass_init(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some(&o) = args.first() else {
        raise!(vm, TYPE_ERROR, "__init__: missing self");
    };
    let cls = vm.type_of(o);
    if let Some(init) = vm.class_lookup(cls, q::__init__) {
        let r = vm.call(init, args, kw)?;
        if r != Obj::NONE {
            let t = String::from(vm.type_name(r));
            raise!(vm, TYPE_ERROR, "__init__() should return None, not '{}'", t);
        }
    }
    ensure_payload(vm, o, &args[1..], kw)?;
    Ok(Obj::NONE)
}

/// `super().__init__(*args)` reaching a built-in base: (re)makes the built-in value.
fn native_base_init(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some(&o) = args.first() else {
        raise!(vm, TYPE_ERROR, "__init__: missing self");
    };
    set_payload(vm, o, &args[1..], kw)?;
    Ok(Obj::NONE)
}

/// Whether `o` is the native `name` of table `t`.
fn is_native(o: Obj, t: u16, name: &str) -> bool {
    native::lookup(t, name).is_some_and(|(n, _)| n == o)
}

/// The immediate of native `name` in table `t`.
fn native_obj(t: u16, name: &str) -> Obj {
    native::lookup(t, name).map_or(Obj::NONE, |(n, _)| n)
}

/// `type(o)` or `type(name, bases, dict)`.
fn type_call(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    match args {
        [o] => Ok(vm.type_of(*o)),
        [name, bases, dict] => {
            let Some(name) = vm.str_to_qstr(*name)? else {
                raise!(vm, TYPE_ERROR, "type() argument 1 must be str");
            };
            let bases_v = vm.seq_items(*bases).unwrap_or_default();
            // A base's metaclass makes the class.
            let meta = bases_metaclass(vm, &bases_v);
            if !meta.is_null() {
                return vm.call(meta, args, &[]);
            }
            let ns = vm.new_dict()?;
            vm.dict_update_from(ns, *dict, false)?;
            new_class(vm, name, &bases_v, ns, Obj::NULL)
        }
        _ => raise!(vm, TYPE_ERROR, "type() takes 1 or 3 arguments"),
    }
}

/// The metaclass classes with these bases get from them (`NULL` for `type`).
fn bases_metaclass(vm: &Vm, bases: &[Obj]) -> Obj {
    let mut meta = Obj::NULL;
    for &b in bases {
        if let Some(HeapObj::Class(c)) = vm.heap.get(b) {
            if !c.metaclass.is_null() && (meta.is_null() || vm.class_is_subclass(c.metaclass, meta))
            {
                meta = c.metaclass;
            }
        }
    }
    meta
}

/// The C3 linearisation of a class with these bases.
fn compute_mro(vm: &mut Vm, cls: Obj, bases: &[Obj]) -> PyResult<Vec<Obj>> {
    let mut seqs: Vec<Vec<Obj>> = Vec::new();
    for &b in bases {
        seqs.push(mro_of(vm, b));
    }
    seqs.push(bases.to_vec());
    let mut out = vec![cls];
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let mut pick = None;
        for s in &seqs {
            let cand = s[0];
            if !seqs.iter().any(|t| t[1..].contains(&cand)) {
                pick = Some(cand);
                break;
            }
        }
        let Some(c) = pick else {
            raise!(
                vm,
                TYPE_ERROR,
                "Cannot create a consistent method resolution order (MRO)"
            );
        };
        out.push(c);
        for s in seqs.iter_mut() {
            if s[0] == c {
                s.remove(0);
            }
        }
    }
}

/// The MRO of a class or built-in type.
pub fn mro_of(vm: &Vm, c: Obj) -> Vec<Obj> {
    if let Some(mut t) = c.as_builtin_type() {
        let mut v = vec![Obj::builtin_type(t)];
        while t != ty::OBJECT {
            t = types::info(t).base;
            v.push(Obj::builtin_type(t));
        }
        return v;
    }
    match vm.heap.get(c) {
        Some(HeapObj::Class(cls)) => cls.mro.clone(),
        _ => vec![c],
    }
}

/// Creates a class.
pub fn new_class(vm: &mut Vm, name: Qstr, bases: &[Obj], ns: Obj, metaclass: Obj) -> PyResult<Obj> {
    new_class_kw(vm, name, bases, ns, metaclass, &[])
}

/// Creates a class; `kw` are the keywords of the class statement, for `__init_subclass__`.
fn new_class_kw(
    vm: &mut Vm,
    name: Qstr,
    bases: &[Obj],
    ns: Obj,
    metaclass: Obj,
    kw: Kw,
) -> PyResult<Obj> {
    let mut native_base = ty::OBJECT;
    for &b in bases {
        if !vm.is_class(b) {
            raise!(vm, TYPE_ERROR, "bases must be types");
        }
        if let Some(t) = b.as_builtin_type() {
            if !types::info(t).subclassable {
                let n = types::info(t).name;
                raise!(
                    vm,
                    TYPE_ERROR,
                    "type '{}' is not an acceptable base type",
                    n
                );
            }
        }
        let nb = vm.class_native_base(b);
        if nb != ty::OBJECT {
            if native_base != ty::OBJECT
                && native_base != nb
                && !types::is_subtype(nb, native_base)
                && !types::is_subtype(native_base, nb)
            {
                raise!(
                    vm,
                    TYPE_ERROR,
                    "multiple bases have instance lay-out conflict"
                );
            }
            if native_base == ty::OBJECT || types::is_subtype(nb, native_base) {
                native_base = nb;
            }
        }
    }
    let bases_v: Vec<Obj> = if bases.is_empty() {
        vec![Obj::builtin_type(ty::OBJECT)]
    } else {
        bases.to_vec()
    };
    let cls = vm.alloc(HeapObj::Class(Box::new(ClassObj {
        name,
        bases: bases_v.clone(),
        mro: Vec::new(),
        dict: ns,
        native_base,
        metaclass,
    })))?;
    let mro = compute_mro(vm, cls, &bases_v)?;
    if let Some(HeapObj::Class(c)) = vm.heap.get_mut(cls) {
        c.mro = mro;
    }
    // `__new__` is a static method even without the decorator.
    if let Some(f) = vm.dict_get_qstr(ns, q::__new__) {
        if matches!(vm.heap.get(f), Some(HeapObj::Function(_))) {
            let sm = vm.alloc(HeapObj::StaticMethod(f))?;
            vm.dict_set(ns, Obj::qstr(q::__new__), sm)?;
        }
    }
    // The namespace is complete: methods are rarely added later.
    if let Some(HeapObj::Dict(d)) = vm.heap.get_mut(ns) {
        d.shrink_to_fit();
    }
    // __set_name__ on descriptors, then __init_subclass__ of the parent.
    for (k, v) in vm.dict_items(ns) {
        if vm.is_user_instance(v) {
            if let Some(f) = vm.lookup_special(v, q::__set_name__)? {
                vm.call(f, &[v, cls, k], &[])?;
            }
        }
    }
    // `__init_subclass__` is a class method even without the decorator; the search starts
    // after the new class.
    match super_lookup(vm, cls, cls, q::__init_subclass__)? {
        Some((m, f)) if m.is_null() && native::native_of(f).is_none() => {
            vm.call(f, &[], kw)?;
        }
        Some((m, s)) if native::native_of(m).is_none() && !m.is_null() => {
            vm.call(m, &[s], kw)?;
        }
        _ => {}
    }
    Ok(cls)
}

/// `__build_class__(body, name, *bases, metaclass=None, **kw)`.
pub fn build_class(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (Some(&body), Some(&name)) = (args.first(), args.get(1)) else {
        raise!(vm, TYPE_ERROR, "__build_class__: not enough arguments");
    };
    let Some(name_q) = vm.str_to_qstr(name)? else {
        raise!(vm, TYPE_ERROR, "__build_class__: name is not a string");
    };
    let bases: Vec<Obj> = args[2..].to_vec();
    let mut metaclass = Obj::NULL;
    let mut class_kw = Vec::new();
    for &(k, v) in kw {
        if vm.qstr_str(k) == "metaclass" {
            metaclass = v;
        } else {
            class_kw.push((k, v));
        }
    }
    if metaclass.is_null() {
        metaclass = bases_metaclass(vm, &bases);
    }
    let ns = vm.new_dict()?;
    vm.roots.push(ns);
    let r = (|| {
        let (code, globals, closure) = match vm.heap.get(body) {
            Some(HeapObj::Function(f)) => (f.code, f.globals, f.closure),
            _ => raise!(vm, TYPE_ERROR, "__build_class__: body is not a function"),
        };
        let mut frame = vm.code_frame(code, globals, ns)?;
        // The body's free variables come from the function's closure.
        if !closure.is_null() {
            let cells = vm.seq_items(closure).unwrap_or_default();
            let ncells = match vm.heap.get(code) {
                Some(HeapObj::Code(c)) => c.ncells as usize,
                _ => 0,
            };
            for (j, c) in cells.into_iter().enumerate() {
                let at = frame.nlocals + ncells + j;
                if at < frame.stack_base {
                    frame.slots[at] = c;
                }
            }
        }
        frame.func = body;
        vm.run_nested(frame)?;
        let cls = if metaclass.is_null() || metaclass == Obj::builtin_type(ty::TYPE) {
            new_class_kw(vm, name_q, &bases, ns, Obj::NULL, &class_kw)?
        } else {
            let b = vm.new_tuple(&bases)?;
            let n = Obj::qstr(name_q);
            let c = vm.call(metaclass, &[n, b, ns], &[])?;
            if let Some(HeapObj::Class(cl)) = vm.heap.get_mut(c) {
                if cl.metaclass.is_null() {
                    cl.metaclass = metaclass;
                }
            }
            c
        };
        if let Some(cell) = vm.dict_get_qstr(ns, q::__classcell__) {
            if let Some(HeapObj::Cell(v)) = vm.heap.get_mut(cell) {
                *v = cls;
            }
        }
        Ok(cls)
    })();
    vm.roots.pop();
    r
}

/// `super()` / `super(type, obj)`.
fn super_new(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    let (t, o) = match args {
        [t, o] => (*t, *o),
        [] => {
            // Zero-argument form: the `__class__` cell and first argument of the caller.
            let Some(f) = vm.frames.last() else {
                raise!(vm, RUNTIME_ERROR, "super(): no arguments");
            };
            let first = if f.nlocals > 0 { f.slots[0] } else { Obj::NULL };
            let first = match vm.heap.get(first) {
                Some(HeapObj::Cell(v)) => *v,
                _ => first,
            };
            let code = f.code;
            let mut cls = Obj::NULL;
            if let Some(HeapObj::Code(c)) = vm.heap.get(code) {
                if let Some(i) = c.deref_names.iter().position(|&n| n == q::__class__) {
                    let cell = f.slots.get(f.nlocals + i).copied().unwrap_or(Obj::NULL);
                    if let Some(HeapObj::Cell(v)) = vm.heap.get(cell) {
                        cls = *v;
                    }
                }
                // A `self` that was captured as a cell.
                if first.is_null() {
                    raise!(vm, RUNTIME_ERROR, "super(): no arguments");
                }
            }
            if cls.is_null() {
                raise!(vm, RUNTIME_ERROR, "super(): __class__ cell not found");
            }
            (cls, first)
        }
        _ => raise!(vm, TYPE_ERROR, "super() takes 0 or 2 arguments"),
    };
    // `obj` must be an instance of `type`, or a subclass of it (for class methods).
    let ok = vm.is_class(t)
        && ((vm.is_class(o) && vm.class_is_subclass(o, t))
            || vm.class_is_subclass(vm.type_of(o), t));
    if !ok {
        raise!(
            vm,
            TYPE_ERROR,
            "super(type, obj): obj must be an instance or subtype of type"
        );
    }
    vm.alloc(HeapObj::Super(t, o))
}

/// Attribute lookup through a `super` object: the MRO of `type(obj)` after `type`.
pub fn super_getattr(vm: &mut Vm, s: Obj, name: Qstr) -> PyResult<Option<(Obj, Obj)>> {
    let Some(&HeapObj::Super(t, o)) = vm.heap.get(s) else {
        return Ok(None);
    };
    super_lookup(vm, t, o, name)
}

/// `name` looked up in the MRO of `o` (or of its type) after class `t`, bound to `o`:
/// `(method, self)` or `(NULL, value)`.
fn super_lookup(vm: &mut Vm, t: Obj, o: Obj, name: Qstr) -> PyResult<Option<(Obj, Obj)>> {
    let start = if vm.is_class(o) && vm.class_is_subclass(o, t) {
        o
    } else {
        vm.type_of(o)
    };
    let mro = mro_of(vm, start);
    let pos = mro
        .iter()
        .position(|&c| c == t)
        .map_or(mro.len(), |p| p + 1);
    for &c in &mro[pos..] {
        // `super().__init__(...)` reaching a built-in base makes the built-in value.
        if name == q::__init__ && c.as_builtin_type().is_some_and(has_payload) {
            return Ok(Some((native_obj(table::TYPE_HIDDEN, "base_init"), o)));
        }
        let v = if let Some(bt) = c.as_builtin_type() {
            crate::vm::attr::builtin_type_lookup(vm, bt, name)
        } else {
            match vm.heap.get(c) {
                Some(HeapObj::Class(cl)) => vm.dict_get_qstr(cl.dict, name),
                _ => None,
            }
        };
        let Some(v) = v else { continue };
        return Ok(Some(match vm.heap.get(v) {
            Some(HeapObj::Function(_)) => (v, o),
            Some(HeapObj::ClassMethod(f)) => (*f, start),
            Some(HeapObj::StaticMethod(f)) => (Obj::NULL, *f),
            Some(&HeapObj::Property(g, _, _)) => {
                let r = vm.call(g, &[o], &[])?;
                (Obj::NULL, r)
            }
            _ => match crate::native::native_of(v).map(|n| n.kind) {
                Some(crate::native::NativeKind::Method) => (v, vm.method_self(v, o)?),
                Some(crate::native::NativeKind::ClassMethod) => (v, start),
                Some(crate::native::NativeKind::StaticMethod) => (Obj::NULL, v),
                None => (Obj::NULL, v),
            },
        }));
    }
    Ok(None)
}

fn type_mro(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let c = args.first().copied().unwrap_or(Obj::NONE);
    let m = mro_of(vm, c);
    vm.new_list(m)
}

fn type_repr_name(vm: &mut Vm, c: Obj) -> String {
    String::from(vm.class_name(c))
}

fn type_subclasses(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let _ = args.first().map(|&c| type_repr_name(vm, c));
    vm.new_list(Vec::new())
}

/// `type.__new__(mcs, name, bases, ns)`: a class whose metaclass is `mcs`.
fn type_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    match args {
        [mcs, o] => {
            let _ = mcs;
            Ok(vm.type_of(*o))
        }
        [mcs, name, bases, dict] => {
            let Some(name) = vm.str_to_qstr(*name)? else {
                raise!(vm, TYPE_ERROR, "type() argument 1 must be str");
            };
            let bases = vm.seq_items(*bases).unwrap_or_default();
            let ns = vm.new_dict()?;
            vm.dict_update_from(ns, *dict, false)?;
            let meta = if *mcs == Obj::builtin_type(ty::TYPE) {
                Obj::NULL
            } else {
                *mcs
            };
            new_class(vm, name, &bases, ns, meta)
        }
        _ => raise!(vm, TYPE_ERROR, "type.__new__() takes 1 or 3 arguments"),
    }
}

// Natives reachable only through `class_new` and `super()`, under the name they act for.
crate::native_table!(pub HIDDEN = [
    ("__init__", native_subclass_init),
    ("base_init", native_base_init),
]);

/// `type.__call__(cls, *args)`: makes an instance (what `super().__call__()` in a
/// metaclass reaches).
fn type_dunder_call(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some((&cls, rest)) = args.split_first() else {
        raise!(vm, TYPE_ERROR, "type.__call__: missing class");
    };
    if !vm.is_class(cls) {
        raise!(vm, TYPE_ERROR, "type.__call__: not a class");
    }
    if cls.as_builtin_type().is_some() {
        return vm.call(cls, rest, kw);
    }
    let (inst, init) = class_new_plain(vm, cls, rest, kw)?;
    if let Some(init) = init {
        let all = crate::vm::call::prepend(inst, rest);
        let r = vm.call(init, &all, kw)?;
        if r != Obj::NONE {
            raise!(vm, TYPE_ERROR, "__init__() should return None");
        }
    }
    Ok(inst)
}

crate::native_table!(pub METHODS = [
    ("__call__", type_dunder_call),
    ("__new__", type_new, StaticMethod),
    ("__subclasses__", type_subclasses),
    ("mro", type_mro),
]);
