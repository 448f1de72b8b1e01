//! Functions, bound methods, `property`, `classmethod`, `staticmethod`.

use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::qstr::{q, Qstr};
use crate::value::Obj;
use crate::vm::Vm;

/// Attributes of function-like objects (`__name__`, `__self__`, `fget`...).
pub fn func_attr(vm: &mut Vm, o: Obj, name: Qstr) -> PyResult<Option<Obj>> {
    match vm.heap.get(o) {
        Some(HeapObj::Function(f)) => {
            let (fname, dict, globals, closure) = (f.name, f.dict, f.globals, f.closure);
            if name == q::__name__ || name == q::__qualname__ {
                return Ok(Some(Obj::qstr(fname)));
            }
            if name == q::__dict__ {
                return vm.instance_dict(o).map(Some);
            }
            if name == q::__globals__ {
                return Ok(Some(globals));
            }
            if name == q::__closure__ {
                return Ok(Some(if closure.is_null() {
                    Obj::NONE
                } else {
                    closure
                }));
            }
            if !dict.is_null() {
                return Ok(vm.dict_get_qstr(dict, name));
            }
            Ok(None)
        }
        Some(&HeapObj::BoundMethod(s, f)) => {
            if name == q::__self__ {
                return Ok(Some(s));
            }
            if name == q::__func__ {
                return Ok(Some(f));
            }
            if name == q::__name__ {
                return func_attr(vm, f, name);
            }
            Ok(None)
        }
        Some(&HeapObj::NativeBound(s, f)) => {
            if name == q::__self__ {
                return Ok(Some(s));
            }
            if name == q::__name__ {
                let n = crate::native::native_of(f).map_or("?", |n| n.name_str());
                return vm.new_str(n).map(Some);
            }
            Ok(None)
        }
        Some(HeapObj::Generator(g)) => {
            if name == q::__name__ {
                return Ok(Some(Obj::qstr(g.name)));
            }
            Ok(None)
        }
        Some(&HeapObj::Property(g, s, d)) => Ok(if name == q::fget {
            Some(g)
        } else if name == q::fset {
            Some(s)
        } else if name == q::fdel {
            Some(d)
        } else {
            None
        }),
        Some(&HeapObj::StaticMethod(f)) | Some(&HeapObj::ClassMethod(f)) => {
            if name == q::__func__ {
                return Ok(Some(f));
            }
            Ok(None)
        }
        _ => Ok(None),
    }
}

/// `property(fget, fset, fdel, doc)`.
pub fn property_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let mut p = [Obj::NONE; 3];
    for (i, &a) in args.iter().take(3).enumerate() {
        p[i] = a;
    }
    for &(k, v) in kw {
        match vm.qstr_str(k) {
            "fget" => p[0] = v,
            "fset" => p[1] = v,
            "fdel" => p[2] = v,
            "doc" => {}
            _ => raise!(vm, TYPE_ERROR, "unexpected keyword argument"),
        }
    }
    vm.alloc(HeapObj::Property(p[0], p[1], p[2]))
}

fn property_with(vm: &mut Vm, args: &[Obj], which: usize) -> PyResult<Obj> {
    let (Some(&p), Some(&f)) = (args.first(), args.get(1)) else {
        raise!(vm, TYPE_ERROR, "expected one argument");
    };
    let Some(&HeapObj::Property(a, b, c)) = vm.heap.get(p) else {
        raise!(vm, TYPE_ERROR, "expected property");
    };
    let mut v = [a, b, c];
    v[which] = f;
    vm.alloc(HeapObj::Property(v[0], v[1], v[2]))
}

fn property_getter(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    property_with(vm, args, 0)
}

fn property_setter(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    property_with(vm, args, 1)
}

fn property_deleter(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    property_with(vm, args, 2)
}

crate::native_table!(pub PROPERTY_METHODS = [
    ("deleter", property_deleter),
    ("getter", property_getter),
    ("setter", property_setter),
]);
