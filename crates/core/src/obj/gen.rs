//! Generator, coroutine and async-generator methods: `send`, `throw`, `close`.

use crate::native::{Kw, PyResult};
use crate::types::ty;
use crate::value::Obj;
use crate::vm::dispatch::RunEnd;
use crate::vm::Vm;

/// The result of resuming: a yielded value, or `StopIteration(return value)`.
fn resumed(vm: &mut Vm, r: RunEnd) -> PyResult<Obj> {
    match r {
        RunEnd::Yield(v) => Ok(v),
        RunEnd::Return(v) => {
            if v == Obj::NONE {
                Err(vm.exc(ty::STOP_ITERATION, ""))
            } else {
                Err(vm.exc_with_arg(ty::STOP_ITERATION, v))
            }
        }
    }
}

fn gen_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&g) if vm.is_generator(g) => Ok(g),
        _ => raise!(vm, TYPE_ERROR, "expected a generator"),
    }
}

fn gen_send(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let g = gen_arg(vm, args)?;
    let v = args.get(1).copied().unwrap_or(Obj::NONE);
    let r = vm.gen_resume(g, v, None)?;
    resumed(vm, r)
}

fn gen_next(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let g = gen_arg(vm, args)?;
    let r = vm.gen_resume(g, Obj::NONE, None)?;
    resumed(vm, r)
}

fn gen_throw(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let g = gen_arg(vm, args)?;
    let Some(&t) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "throw expected at least 1 argument");
    };
    // As in MicroPython, `throw(type, value)` reduces to one value, passed through as is: the
    // generator (or the iterator it delegates to) decides what it means.
    let e = match args.get(2) {
        Some(&v) if v != Obj::NONE => v,
        _ => t,
    };
    let r = vm.gen_resume(g, Obj::NONE, Some(e))?;
    resumed(vm, r)
}

fn gen_close(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let g = gen_arg(vm, args)?;
    let e = vm.exc(ty::GENERATOR_EXIT, "");
    match vm.gen_resume(g, Obj::NONE, Some(e)) {
        Ok(RunEnd::Yield(_)) => raise!(vm, RUNTIME_ERROR, "generator ignored GeneratorExit"),
        Ok(RunEnd::Return(_)) => Ok(Obj::NONE),
        Err(x)
            if vm.is_exception(x)
                && (vm.exc_is(x, ty::GENERATOR_EXIT) || vm.exc_is(x, ty::STOP_ITERATION)) =>
        {
            Ok(Obj::NONE)
        }
        Err(x) => Err(x),
    }
}

fn gen_iter(_vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(args.first().copied().unwrap_or(Obj::NONE))
}

crate::native_table!(pub METHODS = [
    ("__iter__", gen_iter),
    ("__next__", gen_next),
    ("close", gen_close),
    ("send", gen_send),
    ("throw", gen_throw),
]);
