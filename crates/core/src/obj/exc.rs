//! Exception objects: construction and attributes.

use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::qstr::{q, Qstr};
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// `ExcClass(*args)` for a built-in exception class.
pub fn exception_new(vm: &mut Vm, class: Obj, args: &[Obj]) -> PyResult<Obj> {
    let t = vm.exc_args_tuple(args)?;
    vm.new_exception(class, t)
}

/// Attributes of exceptions: `args`, `value` (StopIteration), `errno` (OSError),
/// `__cause__`, `__context__`, `__traceback__`.
pub fn exc_attr(vm: &mut Vm, o: Obj, name: Qstr) -> PyResult<Option<Obj>> {
    let Some(HeapObj::Exception(e)) = vm.heap.get(o) else {
        return Ok(None);
    };
    let (args, cause, context, class) = (e.args, e.cause, e.context, e.class);
    if name == q::args {
        return Ok(Some(args));
    }
    if name == q::__cause__ {
        return Ok(Some(if cause.is_null() { Obj::NONE } else { cause }));
    }
    if name == q::__context__ {
        return Ok(Some(if context.is_null() {
            Obj::NONE
        } else {
            context
        }));
    }
    if name == q::__traceback__ {
        return Ok(Some(Obj::NONE));
    }
    if name == q::value && vm.class_is_subclass(class, Obj::builtin_type(ty::STOP_ITERATION)) {
        return Ok(Some(vm.exc_args(o).first().copied().unwrap_or(Obj::NONE)));
    }
    if name == q::code && vm.class_is_subclass(class, Obj::builtin_type(ty::SYSTEM_EXIT)) {
        return Ok(Some(vm.exc_args(o).first().copied().unwrap_or(Obj::NONE)));
    }
    if name == q::errno && vm.class_is_subclass(class, Obj::builtin_type(ty::OS_ERROR)) {
        return Ok(Some(vm.exc_args(o).first().copied().unwrap_or(Obj::NONE)));
    }
    Ok(None)
}

/// `BaseException.__init__(self, *args)`: sets `args`.
fn exc_init(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(&e) = args.first() else {
        return Ok(Obj::NONE);
    };
    let t = vm.exc_args_tuple(&args[1..])?;
    if let Some(HeapObj::Exception(x)) = vm.heap.get_mut(e) {
        x.args = t;
    }
    Ok(Obj::NONE)
}

fn exc_with_traceback(_vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(args.first().copied().unwrap_or(Obj::NONE))
}

crate::native_table!(pub METHODS = [
    ("__init__", exc_init),
    ("with_traceback", exc_with_traceback),
]);
