//! `time`: ticks, sleeping and the wall clock, through the port.
//!
//! Ticks wrap at `TICKS_PERIOD` (2**30, the small-int range) as MicroPython's do, so
//! `ticks_diff` and `ticks_add` give the same answers on every target.

use crate::native::{Kw, PyResult};
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// The period of every ticks counter.
const TICKS_PERIOD: i64 = 1 << 30;

fn ticks(v: u64) -> Obj {
    Obj::small_int_unchecked((v & (TICKS_PERIOD as u64 - 1)) as i32)
}

fn time_ticks_ms(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(ticks(vm.port.ticks_ms()))
}

fn time_ticks_us(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(ticks(vm.port.ticks_us()))
}

fn time_ticks_diff(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [a, b] = args else {
        raise!(vm, TYPE_ERROR, "ticks_diff() takes 2 arguments");
    };
    let (a, b) = (vm.index_value(*a)?, vm.index_value(*b)?);
    let half = TICKS_PERIOD / 2;
    let d = (a.wrapping_sub(b).wrapping_add(half)) & (TICKS_PERIOD - 1);
    vm.new_int(d - half)
}

fn time_ticks_add(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [a, b] = args else {
        raise!(vm, TYPE_ERROR, "ticks_add() takes 2 arguments");
    };
    let (a, b) = (vm.index_value(*a)?, vm.index_value(*b)?);
    vm.new_int(a.wrapping_add(b) & (TICKS_PERIOD - 1))
}

/// Sleeps, waking for Ctrl-C.
fn sleep_us(vm: &mut Vm, us: f64) -> PyResult<Obj> {
    if us.is_nan() || us < 0.0 {
        raise!(vm, VALUE_ERROR, "sleep length must be non-negative");
    }
    let us = if us > 1.0e15 { 1.0e15 } else { us };
    vm.port.sleep_us(us as u64);
    if vm.port.interrupted() {
        return Err(vm.exc(ty::KEYBOARD_INTERRUPT, ""));
    }
    Ok(Obj::NONE)
}

fn number(vm: &mut Vm, args: &[Obj]) -> PyResult<f64> {
    match args.first().and_then(|&a| crate::obj::float::to_f64(vm, a)) {
        Some(f) => Ok(f),
        None => raise!(vm, TYPE_ERROR, "expected a number"),
    }
}

fn time_sleep(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = number(vm, args)?;
    sleep_us(vm, s * 1.0e6)
}

fn time_sleep_ms(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let ms = number(vm, args)?;
    sleep_us(vm, ms * 1.0e3)
}

fn time_sleep_us(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let us = number(vm, args)?;
    sleep_us(vm, us)
}

fn time_time(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let ns = vm.port.time_ns();
    vm.new_float(ns as f64 / 1.0e9)
}

fn time_time_ns(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let ns = vm.port.time_ns();
    crate::obj::int::from_big(vm, pyrite_mpz::BigInt::from_u64(ns))
}

crate::native_table!(pub FUNCTIONS = [
    ("sleep", time_sleep),
    ("sleep_ms", time_sleep_ms),
    ("sleep_us", time_sleep_us),
    ("ticks_add", time_ticks_add),
    ("ticks_cpu", time_ticks_us),
    ("ticks_diff", time_ticks_diff),
    ("ticks_ms", time_ticks_ms),
    ("ticks_us", time_ticks_us),
    ("time", time_time),
    ("time_ns", time_time_ns),
]);
