//! Types of values, attribute lookup and method binding.

use alloc::string::String;

use crate::native::{self, NativeKind, PyResult};
use crate::object::{GenKind, HeapObj, IterObj};
use crate::qstr::{q, Qstr};
use crate::types::{self, ty};
use crate::value::Obj;
use crate::vm::call::prepend;
use crate::vm::Vm;

impl Vm {
    /// `type(o)`.
    pub fn type_of(&self, o: Obj) -> Obj {
        Obj::builtin_type(match self.builtin_type_of(o) {
            Some(t) => t,
            None => {
                return match self.heap.get(o) {
                    Some(HeapObj::Instance(i)) => i.class,
                    Some(HeapObj::Exception(e)) => e.class,
                    Some(HeapObj::Class(c)) if !c.metaclass.is_null() => c.metaclass,
                    _ => Obj::builtin_type(ty::TYPE),
                }
            }
        })
    }

    /// The built-in type of `o`, unless it is an instance of a Python class (or a class).
    pub fn builtin_type_of(&self, o: Obj) -> Option<u16> {
        if o.is_small_int() {
            return Some(ty::INT);
        }
        if o.as_qstr().is_some() {
            return Some(ty::STR);
        }
        if o == Obj::NONE {
            return Some(ty::NONE);
        }
        if o == Obj::TRUE || o == Obj::FALSE {
            return Some(ty::BOOL);
        }
        if o == Obj::ELLIPSIS {
            return Some(ty::ELLIPSIS);
        }
        if o == Obj::NOT_IMPLEMENTED {
            return Some(ty::NOT_IMPLEMENTED);
        }
        if o.as_builtin_type().is_some() {
            return Some(ty::TYPE);
        }
        if o.as_native().is_some() {
            return Some(ty::BUILTIN_FUNCTION);
        }
        if let Some(m) = o.as_builtin_module() {
            if crate::modules::sys::stream_fd(m).is_some() {
                return Some(ty::TEXT_IO_WRAPPER);
            }
            return Some(ty::MODULE);
        }
        Some(match self.heap.get(o)? {
            HeapObj::Str(_) => ty::STR,
            HeapObj::Bytes(_) => ty::BYTES,
            HeapObj::ByteArray(_) => ty::BYTEARRAY,
            HeapObj::Float(_) => ty::FLOAT,
            HeapObj::Complex(..) => ty::COMPLEX,
            HeapObj::BigInt(_) => ty::INT,
            HeapObj::List(_) => ty::LIST,
            HeapObj::Tuple(_) => ty::TUPLE,
            HeapObj::Dict(_) => ty::DICT,
            HeapObj::Set(_, false) => ty::SET,
            HeapObj::Set(_, true) => ty::FROZENSET,
            HeapObj::Range(_) => ty::RANGE,
            HeapObj::Slice(..) => ty::SLICE,
            HeapObj::MemoryView(..) => ty::MEMORYVIEW,
            HeapObj::Array(_) => ty::ARRAY,
            HeapObj::Deque(_) => ty::DEQUE,
            HeapObj::StringIo(s) if s.binary => ty::BYTES_IO,
            HeapObj::StringIo(_) => ty::STRING_IO,
            HeapObj::FrameBuf(_) => ty::FRAME_BUFFER,
            HeapObj::UStruct(_) => ty::UCTYPES_STRUCT,
            HeapObj::Hash(h) => match h.algo {
                crate::modules::hashlib::Algo::Sha256 => ty::SHA256,
                crate::modules::hashlib::Algo::Sha1 => ty::SHA1,
                crate::modules::hashlib::Algo::Md5 => ty::MD5,
            },
            HeapObj::Regex(_) => ty::RE_PATTERN,
            HeapObj::ReMatch(_) => ty::RE_MATCH,
            HeapObj::Poll(_) => ty::POLL,
            HeapObj::Deflate(_) => ty::DEFLATE_IO,
            HeapObj::RingIo(_) => ty::RING_IO,
            HeapObj::Machine(m) => m.type_id(),
            HeapObj::File(f) => crate::vfs::file::file_type(f),
            HeapObj::Vfs(v) => crate::vfs::fs::vfs_type(v),
            HeapObj::Cell(_) => ty::CELL,
            HeapObj::Code(_) => ty::CODE,
            HeapObj::Function(_) => ty::FUNCTION,
            HeapObj::BoundMethod(..) => ty::BOUND_METHOD,
            HeapObj::NativeBound(..) => ty::BUILTIN_FUNCTION,
            HeapObj::Module(_) => ty::MODULE,
            HeapObj::Generator(g) => match g.kind {
                GenKind::Generator => ty::GENERATOR,
                GenKind::Coroutine => ty::COROUTINE,
                GenKind::AsyncGenerator => ty::ASYNC_GENERATOR,
            },
            HeapObj::Property(..) => ty::PROPERTY,
            HeapObj::StaticMethod(_) => ty::STATICMETHOD,
            HeapObj::ClassMethod(_) => ty::CLASSMETHOD,
            HeapObj::Super(..) => ty::SUPER,
            HeapObj::Iter(it) => match **it {
                IterObj::Enumerate { .. } => ty::ENUMERATE,
                IterObj::Zip { .. } => ty::ZIP,
                IterObj::Map { .. } => ty::MAP,
                IterObj::Filter { .. } => ty::FILTER,
                IterObj::Reversed { .. } => ty::REVERSED,
                _ => ty::ITERATOR,
            },
            HeapObj::Instance(_) | HeapObj::Exception(_) | HeapObj::Class(_) => return None,
        })
    }

    /// The name of `o`'s type.
    pub fn type_name(&self, o: Obj) -> &str {
        let t = self.type_of(o);
        self.class_name(t)
    }

    /// The `__name__` of a class or built-in type.
    pub fn class_name(&self, c: Obj) -> &str {
        if let Some(t) = c.as_builtin_type() {
            return types::info(t).name;
        }
        match self.heap.get(c) {
            Some(HeapObj::Class(cls)) => self.qstr_str(cls.name),
            _ => "?",
        }
    }

    /// Whether `o` is a class (built-in type or Python class).
    pub fn is_class(&self, o: Obj) -> bool {
        o.as_builtin_type().is_some() || matches!(self.heap.get(o), Some(HeapObj::Class(_)))
    }

    /// The built-in type instances of class `c` are made of.
    pub fn class_native_base(&self, c: Obj) -> u16 {
        if let Some(t) = c.as_builtin_type() {
            return t;
        }
        match self.heap.get(c) {
            Some(HeapObj::Class(cls)) => cls.native_base,
            _ => ty::OBJECT,
        }
    }

    /// `isinstance(o, cls)` for one class.
    pub fn isinstance(&self, o: Obj, cls: Obj) -> bool {
        let t = self.type_of(o);
        self.class_is_subclass(t, cls)
    }

    /// The value of `name` in class `cls` or its bases (no binding).
    pub fn class_lookup(&self, cls: Obj, name: Qstr) -> Option<Obj> {
        self.class_lookup_in(cls, name).map(|(v, _)| v)
    }

    /// The value of `name` in class `cls` or its bases, and the class or built-in type whose
    /// namespace holds it.
    pub fn class_lookup_in(&self, cls: Obj, name: Qstr) -> Option<(Obj, Obj)> {
        if let Some(t) = cls.as_builtin_type() {
            return builtin_type_lookup_in(self, t, name);
        }
        let Some(HeapObj::Class(c)) = self.heap.get(cls) else {
            return None;
        };
        // The MRO lists the bases of built-in types too: search each one's own table only.
        for &m in c.mro.iter() {
            if let Some(t) = m.as_builtin_type() {
                if let Some(o) = self.lookup_static(types::info(t).methods, name) {
                    return Some((o, m));
                }
                continue;
            }
            if let Some(HeapObj::Class(mc)) = self.heap.get(m) {
                if let Some(v) = self.dict_get_qstr(mc.dict, name) {
                    return Some((v, m));
                }
            }
        }
        None
    }

    /// A special method of `o`'s class (Python classes only; built-in types implement the
    /// protocols in Rust).
    pub fn lookup_special(&mut self, o: Obj, name: Qstr) -> PyResult<Option<Obj>> {
        let cls = self.type_of(o);
        if cls.as_builtin_type().is_some() {
            return Ok(
                builtin_type_lookup(self, cls.as_builtin_type().unwrap_or(0), name)
                    .filter(|_| !o.is_null()),
            );
        }
        Ok(self.class_lookup(cls, name))
    }

    /// `getattr(o, name)`.
    pub fn getattr(&mut self, o: Obj, name: Qstr) -> PyResult<Obj> {
        match self.getattr_opt(o, name)? {
            Some(v) => Ok(v),
            None => Err(self.attribute_error(o, name)),
        }
    }

    /// The `AttributeError` for a missing attribute.
    pub fn attribute_error(&mut self, o: Obj, name: Qstr) -> Obj {
        let n = String::from(self.qstr_str(name));
        if let Some(HeapObj::Module(m)) = self.heap.get(o) {
            let _ = m;
            return self.exc_fmt(
                ty::ATTRIBUTE_ERROR,
                format_args!("'module' object has no attribute '{}'", n),
            );
        }
        if self.is_class(o) {
            let c = String::from(self.class_name(o));
            return self.exc_fmt(
                ty::ATTRIBUTE_ERROR,
                format_args!("type object '{}' has no attribute '{}'", c, n),
            );
        }
        let t = String::from(self.type_name(o));
        self.exc_fmt(
            ty::ATTRIBUTE_ERROR,
            format_args!("'{}' object has no attribute '{}'", t, n),
        )
    }

    /// `getattr(o, name)`, with `None` for a missing attribute.
    pub fn getattr_opt(&mut self, o: Obj, name: Qstr) -> PyResult<Option<Obj>> {
        let (m, s) = match self.load_method_opt(o, name)? {
            Some(p) => p,
            None => return Ok(None),
        };
        if m.is_null() {
            return Ok(Some(s));
        }
        // Bind.
        if crate::native::native_of(m).is_some() {
            return Ok(Some(self.alloc(HeapObj::NativeBound(s, m))?));
        }
        Ok(Some(self.alloc(HeapObj::BoundMethod(s, m))?))
    }

    /// `LOAD_METHOD`: `(method, self)` for a method to call with `self` first, else
    /// `(NULL, attribute)`.
    pub fn load_method(&mut self, o: Obj, name: Qstr) -> PyResult<(Obj, Obj)> {
        match self.load_method_opt(o, name)? {
            Some(p) => Ok(p),
            None => Err(self.attribute_error(o, name)),
        }
    }

    fn load_method_opt(&mut self, o: Obj, name: Qstr) -> PyResult<Option<(Obj, Obj)>> {
        match self.heap.get(o) {
            Some(HeapObj::Instance(_)) | Some(HeapObj::Exception(_)) => {
                self.instance_getattr(o, name)
            }
            Some(HeapObj::Class(_)) => {
                if let Some(v) = self.class_lookup(o, name) {
                    return self.bind_class_attr(v, o);
                }
                if let Some(v) = self.class_special_attr(o, name)? {
                    return Ok(Some((Obj::NULL, v)));
                }
                // Methods of the metaclass apply to the class as their instance.
                let meta = self.type_of(o);
                match self.class_lookup(meta, name) {
                    Some(v) => {
                        if let Some(&HeapObj::Property(fget, _, _)) = self.heap.get(v) {
                            let r = self.call(fget, &[o], &[])?;
                            return Ok(Some((Obj::NULL, r)));
                        }
                        self.bind_instance_attr(v, o, meta).map(Some)
                    }
                    None => Ok(None),
                }
            }
            Some(HeapObj::Module(m)) => {
                let d = m.dict;
                if name == q::__dict__ {
                    return Ok(Some((Obj::NULL, d)));
                }
                Ok(self.dict_get_qstr(d, name).map(|v| (Obj::NULL, v)))
            }
            Some(HeapObj::Super(..)) => crate::obj::type_::super_getattr(self, o, name),
            _ => {
                if let Some(t) = o.as_builtin_type() {
                    if let Some(v) = builtin_type_lookup(self, t, name) {
                        return self.bind_class_attr(v, o);
                    }
                    return Ok(self.class_special_attr(o, name)?.map(|v| (Obj::NULL, v)));
                }
                if let Some(m) = o.as_builtin_module() {
                    let v = crate::modules::module_attr(self, m, name)?;
                    // The streams' methods (`sys.stdout.write`) take the stream as `self`.
                    let is_method = crate::modules::sys::stream_fd(m).is_some()
                        && v.is_some_and(|f| native::native_of(f).is_some());
                    return Ok(v.map(|v| if is_method { (v, o) } else { (Obj::NULL, v) }));
                }
                let t = self.builtin_type_of(o).unwrap_or(ty::OBJECT);
                if let Some(v) = builtin_type_lookup(self, t, name) {
                    if let Some(n) = native::native_of(v) {
                        return Ok(Some(match n.kind {
                            NativeKind::Method => (v, o),
                            NativeKind::ClassMethod => (v, Obj::builtin_type(t)),
                            NativeKind::StaticMethod => (Obj::NULL, v),
                        }));
                    }
                    return Ok(Some((Obj::NULL, v)));
                }
                Ok(crate::obj::special_attr(self, o, name)?.map(|v| (Obj::NULL, v)))
            }
        }
    }

    /// Binds a value found in a class when the class itself is the target (`C.f`).
    fn bind_class_attr(&mut self, v: Obj, cls: Obj) -> PyResult<Option<(Obj, Obj)>> {
        match self.heap.get(v) {
            Some(HeapObj::ClassMethod(f)) => Ok(Some((*f, cls))),
            Some(HeapObj::StaticMethod(f)) => Ok(Some((Obj::NULL, *f))),
            _ => {
                if let Some(n) = native::native_of(v) {
                    if n.kind == NativeKind::ClassMethod {
                        return Ok(Some((v, cls)));
                    }
                }
                Ok(Some((Obj::NULL, v)))
            }
        }
    }

    fn instance_getattr(&mut self, o: Obj, name: Qstr) -> PyResult<Option<(Obj, Obj)>> {
        let (cls, dict) = match self.heap.get(o) {
            Some(HeapObj::Instance(i)) => (i.class, i.dict),
            Some(HeapObj::Exception(e)) => (e.class, e.dict),
            _ => return Ok(None),
        };
        if name == q::__class__ {
            return Ok(Some((Obj::NULL, cls)));
        }
        if name == q::__dict__ {
            let d = self.instance_dict(o)?;
            return Ok(Some((Obj::NULL, d)));
        }
        let found_in = self.class_lookup_in(cls, name);
        let found = found_in.map(|(v, _)| v);
        // Data descriptors win over the instance dict.
        if let Some(a) = found {
            if let Some(&HeapObj::Property(fget, _, _)) = self.heap.get(a) {
                if fget == Obj::NONE || fget.is_null() {
                    raise!(self, ATTRIBUTE_ERROR, "unreadable attribute");
                }
                let v = self.call(fget, &[o], &[])?;
                return Ok(Some((Obj::NULL, v)));
            }
            if self.is_user_instance(a) {
                let acls = self.type_of(a);
                if self.class_lookup(acls, q::__set__).is_some()
                    || self.class_lookup(acls, q::__delete__).is_some()
                {
                    if let Some(get) = self.class_lookup(acls, q::__get__) {
                        let v = self.call(get, &[a, o, cls], &[])?;
                        return Ok(Some((Obj::NULL, v)));
                    }
                }
            }
        }
        if !dict.is_null() {
            if let Some(v) = self.dict_get_qstr(dict, name) {
                return Ok(Some((Obj::NULL, v)));
            }
        }
        if let Some((a, holder)) = found_in {
            // A built-in function stored in a Python class does not bind (as in MicroPython).
            if holder.as_builtin_type().is_none() && native::native_of(a).is_some() {
                return Ok(Some((Obj::NULL, a)));
            }
            return self.bind_instance_attr(a, o, cls).map(Some);
        }
        if let Some(v) = crate::obj::special_attr(self, o, name)? {
            return Ok(Some((Obj::NULL, v)));
        }
        if name != q::__getattr__ {
            if let Some(ga) = self.class_lookup(cls, q::__getattr__) {
                let n = Obj::qstr(name);
                let v = self.call(ga, &[o, n], &[])?;
                return Ok(Some((Obj::NULL, v)));
            }
        }
        Ok(None)
    }

    /// Binds a class attribute found through instance `o`.
    fn bind_instance_attr(&mut self, a: Obj, o: Obj, cls: Obj) -> PyResult<(Obj, Obj)> {
        match self.heap.get(a) {
            Some(HeapObj::Function(_)) => Ok((a, o)),
            Some(HeapObj::StaticMethod(f)) => Ok((Obj::NULL, *f)),
            Some(HeapObj::ClassMethod(f)) => Ok((*f, cls)),
            _ => {
                if let Some(n) = native::native_of(a) {
                    return Ok(match n.kind {
                        NativeKind::Method => (a, self.method_self(a, o)?),
                        NativeKind::ClassMethod => (a, cls),
                        NativeKind::StaticMethod => (Obj::NULL, a),
                    });
                }
                if self.is_user_instance(a) {
                    let acls = self.type_of(a);
                    if let Some(get) = self.class_lookup(acls, q::__get__) {
                        let v = self.call(get, &[a, o, cls], &[])?;
                        return Ok((Obj::NULL, v));
                    }
                }
                Ok((Obj::NULL, a))
            }
        }
    }

    /// The `self` that method `f`, found in the class of `o`, acts on: a built-in method of a
    /// built-in base acts on the built-in value inside an instance of a subclass (followed
    /// through subclasses of subclasses), unless the instance's own built-in class defines it
    /// (dict views hold a dict but have methods of their own).
    pub fn method_self(&mut self, f: Obj, o: Obj) -> PyResult<Obj> {
        let Some(n) = f.as_native() else {
            return Ok(o);
        };
        let table = native::table_of(n);
        if table == native::table::OBJECT {
            return Ok(o);
        }
        let mut target = o;
        // Each level is a subclass instance holding the next one: the depth is bounded by
        // the number of built-in types.
        for _ in 0..8 {
            let (class, payload) = match self.heap.get(target) {
                Some(HeapObj::Instance(i)) => (i.class, i.native),
                _ => return Ok(target),
            };
            if let Some(t) = class.as_builtin_type() {
                let info = types::info(t);
                if info.methods == table
                    && (t == ty::OBJECT || types::info(info.base).methods != table)
                {
                    return Ok(target);
                }
                if payload.is_null() {
                    return Ok(target);
                }
            } else if payload.is_null() {
                if crate::obj::type_::has_payload(self.class_native_base(class)) {
                    raise!(self, ATTRIBUTE_ERROR, "call super().__init__() first");
                }
                return Ok(target);
            }
            target = payload;
        }
        Ok(target)
    }

    /// Whether `o` is an instance of a Python class.
    pub fn is_user_instance(&self, o: Obj) -> bool {
        matches!(self.heap.get(o), Some(HeapObj::Instance(_)))
            || matches!(self.heap.get(o), Some(HeapObj::Exception(e)) if e.class.as_builtin_type().is_none())
    }

    /// The `__dict__` of an instance, created on first use.
    pub fn instance_dict(&mut self, o: Obj) -> PyResult<Obj> {
        let d = match self.heap.get(o) {
            Some(HeapObj::Instance(i)) => i.dict,
            Some(HeapObj::Exception(e)) => e.dict,
            Some(HeapObj::Function(f)) => f.dict,
            _ => return Ok(Obj::NULL),
        };
        if !d.is_null() {
            return Ok(d);
        }
        let d = self.new_dict()?;
        match self.heap.get_mut(o) {
            Some(HeapObj::Instance(i)) => i.dict = d,
            Some(HeapObj::Exception(e)) => e.dict = d,
            Some(HeapObj::Function(f)) => f.dict = d,
            _ => {}
        }
        Ok(d)
    }

    /// `setattr(o, name, v)`.
    pub fn setattr(&mut self, o: Obj, name: Qstr, v: Obj) -> PyResult<()> {
        match self.heap.get(o) {
            Some(HeapObj::Instance(_)) | Some(HeapObj::Exception(_)) => {
                if name == q::__traceback__ && v == Obj::NONE {
                    // `e.__traceback__ = None` clears it (MicroPython's way to reuse a
                    // preallocated exception without allocating).
                    if let Some(HeapObj::Exception(e)) = self.heap.get_mut(o) {
                        e.traceback.clear();
                        return Ok(());
                    }
                }
                let cls = self.type_of(o);
                if let Some(a) = self.class_lookup(cls, name) {
                    if let Some(&HeapObj::Property(_, fset, _)) = self.heap.get(a) {
                        if fset == Obj::NONE || fset.is_null() {
                            raise!(self, ATTRIBUTE_ERROR, "can't set attribute");
                        }
                        self.call(fset, &[o, v], &[])?;
                        return Ok(());
                    }
                    if self.is_user_instance(a) {
                        let acls = self.type_of(a);
                        if let Some(set) = self.class_lookup(acls, q::__set__) {
                            self.call(set, &[a, o, v], &[])?;
                            return Ok(());
                        }
                    }
                }
                if let Some(sa) = self.class_lookup(cls, q::__setattr__) {
                    if native::native_of(sa).is_none() {
                        self.call(sa, &[o, Obj::qstr(name), v], &[])?;
                        return Ok(());
                    }
                }
                let d = self.instance_dict(o)?;
                self.dict_set(d, Obj::qstr(name), v)
            }
            Some(HeapObj::Class(c)) => {
                let d = c.dict;
                self.dict_set(d, Obj::qstr(name), v)
            }
            Some(HeapObj::Module(m)) => {
                let d = m.dict;
                self.dict_set(d, Obj::qstr(name), v)
            }
            Some(HeapObj::UStruct(_)) => crate::modules::uctypes::struct_setattr(self, o, name, v),
            Some(HeapObj::Function(_)) => {
                if name == q::__globals__ || name == q::__closure__ {
                    return Err(self.attribute_error(o, name));
                }
                let d = self.instance_dict(o)?;
                self.dict_set(d, Obj::qstr(name), v)
            }
            _ => {
                if let Some(m) = o.as_builtin_module() {
                    return crate::modules::module_setattr(self, m, name, v);
                }
                Err(self.attribute_error(o, name))
            }
        }
    }

    /// `delattr(o, name)`.
    pub fn delattr(&mut self, o: Obj, name: Qstr) -> PyResult<()> {
        let cls = self.type_of(o);
        if self.is_user_instance(o) {
            if let Some(a) = self.class_lookup(cls, name) {
                if let Some(&HeapObj::Property(_, _, fdel)) = self.heap.get(a) {
                    if fdel == Obj::NONE || fdel.is_null() {
                        raise!(self, ATTRIBUTE_ERROR, "can't delete attribute");
                    }
                    self.call(fdel, &[o], &[])?;
                    return Ok(());
                }
                if self.is_user_instance(a) {
                    let acls = self.type_of(a);
                    if let Some(del) = self.class_lookup(acls, q::__delete__) {
                        self.call(del, &[a, o], &[])?;
                        return Ok(());
                    }
                }
            }
            if let Some(da) = self.class_lookup(cls, q::__delattr__) {
                if native::native_of(da).is_none() {
                    self.call(da, &[o, Obj::qstr(name)], &[])?;
                    return Ok(());
                }
            }
        }
        let d = match self.heap.get(o) {
            Some(HeapObj::Instance(i)) => i.dict,
            Some(HeapObj::Exception(e)) => e.dict,
            Some(HeapObj::Class(c)) => c.dict,
            Some(HeapObj::Module(m)) => m.dict,
            Some(HeapObj::Function(f)) => f.dict,
            _ => Obj::NULL,
        };
        if d.is_null() || !self.dict_del_qstr(d, name)? {
            return Err(self.attribute_error(o, name));
        }
        Ok(())
    }

    /// Attributes every class has (`__name__`, `__bases__`, ...).
    fn class_special_attr(&mut self, c: Obj, name: Qstr) -> PyResult<Option<Obj>> {
        if name == q::__name__ || name == q::__qualname__ {
            let s = String::from(self.class_name(c));
            return Ok(Some(self.new_str(&s)?));
        }
        if name == q::__class__ {
            return Ok(Some(self.type_of(c)));
        }
        if let Some(t) = c.as_builtin_type() {
            if name == q::__dict__ {
                let d = self.new_dict()?;
                if let Some(entries) = native::TABLES.get(types::info(t).methods as usize) {
                    for (i, n) in entries.iter().enumerate() {
                        let k = self.new_str(n.name_str())?;
                        let v = native::native_obj(types::info(t).methods, i);
                        self.dict_set(d, k, v)?;
                    }
                }
                return Ok(Some(d));
            }
            if name == q::__bases__ {
                let info = types::info(t);
                return Ok(Some(if t == ty::OBJECT {
                    self.new_tuple(&[])?
                } else {
                    self.new_tuple(&[Obj::builtin_type(info.base)])?
                }));
            }
            return Ok(None);
        }
        let (bases, dict, mro) = match self.heap.get(c) {
            Some(HeapObj::Class(cls)) => (cls.bases.clone(), cls.dict, cls.mro.clone()),
            _ => return Ok(None),
        };
        if name == q::__bases__ {
            return Ok(Some(self.new_tuple(&bases)?));
        }
        if name == q::__dict__ {
            return Ok(Some(dict));
        }
        if name == q::__mro__ {
            return Ok(Some(self.new_tuple(&mro)?));
        }
        Ok(None)
    }

    /// Calls `getattr(o, name)(*args)` where `name` must be a special method of `o`'s class;
    /// `None` if the class has no such method.
    pub fn call_special(&mut self, o: Obj, name: Qstr, args: &[Obj]) -> PyResult<Option<Obj>> {
        match self.lookup_special(o, name)? {
            Some(m) => self.call_method_of(o, m, args).map(Some),
            None => Ok(None),
        }
    }

    /// Like [`Vm::call_special`], for a special method written in Python only (built-in types
    /// implement theirs in Rust, in the operators).
    pub fn call_user_special(&mut self, o: Obj, name: Qstr, args: &[Obj]) -> PyResult<Option<Obj>> {
        if !self.is_user_instance(o) {
            return Ok(None);
        }
        match self.lookup_special(o, name)? {
            Some(m) if native::native_of(m).is_none() => self.call_method_of(o, m, args).map(Some),
            _ => Ok(None),
        }
    }

    /// Calls method `m`, found in the class of `o`, bound as an attribute of `o` would be.
    pub fn call_method_of(&mut self, o: Obj, m: Obj, args: &[Obj]) -> PyResult<Obj> {
        match self.heap.get(m) {
            Some(&HeapObj::StaticMethod(f)) => self.call(f, args, &[]),
            Some(&HeapObj::ClassMethod(f)) => {
                let all = prepend(self.type_of(o), args);
                self.call(f, &all, &[])
            }
            _ => {
                let all = prepend(self.method_self(m, o)?, args);
                self.call(m, &all, &[])
            }
        }
    }
}

/// Looks `name` up in built-in type `t` and its bases.
pub fn builtin_type_lookup(vm: &Vm, t: u16, name: Qstr) -> Option<Obj> {
    builtin_type_lookup_in(vm, t, name).map(|(v, _)| v)
}

/// Looks `name` up in built-in type `t` and its bases; also gives the type holding it.
fn builtin_type_lookup_in(vm: &Vm, mut t: u16, name: Qstr) -> Option<(Obj, Obj)> {
    loop {
        let info = types::info(t);
        if let Some(o) = vm.lookup_static(info.methods, name) {
            return Some((o, Obj::builtin_type(t)));
        }
        if let Some(v) = types::class_const(t, vm.qstr_str(name)) {
            return Some((Obj::small_int_unchecked(v), Obj::builtin_type(t)));
        }
        if t == ty::OBJECT {
            return None;
        }
        t = info.base;
    }
}
