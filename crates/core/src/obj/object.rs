//! `object`: the root of every class.

use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

/// `object.__new__(cls, *args)`.
pub fn object_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some(&cls) = args.first() else {
        raise!(vm, TYPE_ERROR, "object.__new__(): not enough arguments");
    };
    if cls.as_builtin_type().is_some() || !vm.is_class(cls) {
        raise!(vm, TYPE_ERROR, "arg must be user-type");
    }
    let o = vm.new_instance(cls)?;
    // `super().__new__(cls, value)` in a subclass of a built-in type gives it its value.
    if args.len() > 1 {
        crate::obj::type_::set_payload(vm, o, &args[1..], kw)?;
    }
    Ok(o)
}

/// `object.__init__(self)`.
pub fn object_init(_vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

fn object_eq(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() != 2 {
        raise!(vm, TYPE_ERROR, "expected 1 argument");
    }
    Ok(if args[0] == args[1] {
        Obj::TRUE
    } else {
        Obj::NOT_IMPLEMENTED
    })
}

fn object_ne(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() != 2 {
        raise!(vm, TYPE_ERROR, "expected 1 argument");
    }
    let r = vm.eq(args[0], args[1])?;
    Ok(Obj::bool(!r))
}

fn object_hash(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = args.first().copied().unwrap_or(Obj::NONE);
    let h = (o.bits() >> 2) as i64;
    vm.new_int(h)
}

fn object_repr(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = args.first().copied().unwrap_or(Obj::NONE);
    let t = alloc::string::String::from(vm.type_name(o));
    let s = alloc::format!("<{} object at {:x}>", t, o.bits());
    vm.new_string(s)
}

fn object_setattr(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() != 3 {
        raise!(vm, TYPE_ERROR, "expected 2 arguments");
    }
    let Some(name) = vm.str_to_qstr(args[1])? else {
        raise!(vm, TYPE_ERROR, "attribute name must be string");
    };
    let d = vm.instance_dict(args[0])?;
    if d.is_null() {
        return Err(vm.attribute_error(args[0], name));
    }
    vm.dict_set(d, Obj::qstr(name), args[2])?;
    Ok(Obj::NONE)
}

fn object_delattr(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() != 2 {
        raise!(vm, TYPE_ERROR, "expected 1 argument");
    }
    let Some(name) = vm.str_to_qstr(args[1])? else {
        raise!(vm, TYPE_ERROR, "attribute name must be string");
    };
    let d = vm.instance_dict(args[0])?;
    if d.is_null() || !vm.dict_del_qstr(d, name)? {
        return Err(vm.attribute_error(args[0], name));
    }
    Ok(Obj::NONE)
}

fn object_getattribute(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() != 2 {
        raise!(vm, TYPE_ERROR, "expected 1 argument");
    }
    let Some(name) = vm.str_to_qstr(args[1])? else {
        raise!(vm, TYPE_ERROR, "attribute name must be string");
    };
    vm.getattr(args[0], name)
}

fn object_init_subclass(_vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

crate::native_table!(pub METHODS = [
    ("__delattr__", object_delattr),
    ("__eq__", object_eq),
    ("__getattribute__", object_getattribute),
    ("__hash__", object_hash),
    ("__init__", object_init),
    ("__init_subclass__", object_init_subclass, ClassMethod),
    ("__ne__", object_ne),
    ("__new__", object_new, StaticMethod),
    ("__repr__", object_repr),
    ("__setattr__", object_setattr),
]);
