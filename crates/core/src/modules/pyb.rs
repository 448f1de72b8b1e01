//! `pyb`: the pyboard's own module: `LED`, `Switch`, the legacy time and chip functions, and
//! the pyboard's names for `machine`'s classes (`pyb.Pin`, `pyb.ADC`, `pyb.UART`, `pyb.RTC`
//! are those classes; `pyb.I2C` is its own API, in `pyb_i2c`; `pyb.Flash` is in `pyb_flash`,
//! `pyb.Timer` in `pyb_timer`).
//!
//! The switch callback is called on each press, found by `machine::poll` comparing
//! `Hardware::switch_pressed` with the previous poll; it is a hard callback (an exception
//! removes it), as on the pyboard.

use crate::native::{Kw, PyResult};
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

use super::machine::{
    arity, hw, machine_bootloader, machine_disable_irq, machine_enable_irq, machine_freq,
    machine_idle, machine_reset, machine_unique_id, new_periph, periph, sleep_us, wrong_self,
    Periph,
};

/// Ticks wrap at 2**30, as `time.ticks_ms` does.
const TICKS_MASK: u64 = (1 << 30) - 1;

/// An int argument that must not be negative (a delay).
fn delay_arg(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<u64> {
    arity(vm, args, kw, 1, 1)?;
    let v = vm.index_value(args[0])?;
    Ok(u64::try_from(v).unwrap_or(0))
}

/// `delay(ms)`.
fn pyb_delay(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let ms = delay_arg(vm, args, kw)?;
    sleep_us(vm, ms.saturating_mul(1000))?;
    Ok(Obj::NONE)
}

/// `udelay(us)`.
fn pyb_udelay(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let us = delay_arg(vm, args, kw)?;
    sleep_us(vm, us)?;
    Ok(Obj::NONE)
}

/// A tick count as a small int.
fn ticks(v: u64) -> Obj {
    Obj::small_int_unchecked((v & TICKS_MASK) as i32)
}

/// `millis()`: milliseconds since start-up, wrapping at 2**30.
fn pyb_millis(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 0)?;
    Ok(ticks(vm.port.ticks_ms()))
}

/// `micros()`: microseconds since start-up, wrapping at 2**30.
fn pyb_micros(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 0)?;
    Ok(ticks(vm.port.ticks_us()))
}

/// How far the clock moved since `start` (a tick count), wrapping at 2**30.
fn elapsed(vm: &mut Vm, args: &[Obj], kw: Kw, now: u64) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let start = vm.index_value(args[0])? as u64;
    Ok(ticks(now.wrapping_sub(start)))
}

/// `elapsed_millis(start)`.
fn pyb_elapsed_millis(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let now = vm.port.ticks_ms();
    elapsed(vm, args, kw, now)
}

/// `elapsed_micros(start)`.
fn pyb_elapsed_micros(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let now = vm.port.ticks_us();
    elapsed(vm, args, kw, now)
}

/// `sync()`: file writes are not buffered here.
fn pyb_sync(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 0)?;
    Ok(Obj::NONE)
}

crate::native_table!(pub FUNCTIONS = [
    ("bootloader", machine_bootloader),
    ("delay", pyb_delay),
    ("disable_irq", machine_disable_irq),
    ("elapsed_micros", pyb_elapsed_micros),
    ("elapsed_millis", pyb_elapsed_millis),
    ("enable_irq", machine_enable_irq),
    ("freq", machine_freq),
    ("hard_reset", machine_reset),
    ("micros", pyb_micros),
    ("millis", pyb_millis),
    ("sync", pyb_sync),
    ("udelay", pyb_udelay),
    ("unique_id", machine_unique_id),
    ("wfi", machine_idle),
]);

/// Names of the module's classes.
pub static ATTR_NAMES: &[&str] = &[
    "ADC", "Flash", "I2C", "LED", "Pin", "RTC", "Switch", "Timer", "UART",
];

/// The module's classes.
pub fn module_attr(_vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    let t = match name {
        "LED" => ty::LED,
        "Switch" => ty::SWITCH,
        "Pin" => ty::PIN,
        "I2C" => ty::PYB_I2C,
        "ADC" => ty::ADC,
        "UART" => ty::UART,
        "RTC" => ty::RTC,
        "Flash" => ty::PYB_FLASH,
        "Timer" => ty::PYB_TIMER,
        _ => return Ok(None),
    };
    Ok(Some(Obj::builtin_type(t)))
}

// ---- LED ----

/// `LED(n)`: `n` from 1 to the board's LED count, else MicroPython's `ValueError`.
pub fn led_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let n = vm.index_value(args[0])?;
    let count = hw(vm)?.led_count();
    match u8::try_from(n) {
        Ok(n) if (1..=count).contains(&n) => new_periph(vm, Periph::Led(n)),
        _ => raise!(vm, VALUE_ERROR, "LED({}) doesn't exist", n),
    }
}

/// The LED a method was called on.
fn led_this(vm: &mut Vm, args: &[Obj]) -> PyResult<u8> {
    match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::Led(n)) => Ok(*n),
        _ => Err(wrong_self(vm, "LED")),
    }
}

/// Sets the LED of a one-argument method to `level`.
fn led_set(vm: &mut Vm, args: &[Obj], kw: Kw, level: u8) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let n = led_this(vm, args)?;
    hw(vm)?.led_set(n, level);
    Ok(Obj::NONE)
}

/// `on()`.
fn led_on(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    led_set(vm, args, kw, 255)
}

/// `off()`.
fn led_off(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    led_set(vm, args, kw, 0)
}

/// `toggle()`: a lit LED (at any intensity) goes off, a dark one fully on.
fn led_toggle(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let n = led_this(vm, args)?;
    let h = hw(vm)?;
    let level = if h.led_get(n) > 0 { 0 } else { 255 };
    h.led_set(n, level);
    Ok(Obj::NONE)
}

/// `intensity([value])`: the brightness, 0 (off) to 255 (full); values beyond are clamped.
fn led_intensity(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    let n = led_this(vm, args)?;
    match args.get(1) {
        Some(&v) => {
            let v = vm.index_value(v)?.clamp(0, 255) as u8;
            hw(vm)?.led_set(n, v);
            Ok(Obj::NONE)
        }
        None => {
            let v = hw(vm)?.led_get(n);
            Ok(Obj::small_int_unchecked(i32::from(v)))
        }
    }
}

crate::native_table!(pub LED_METHODS = [
    ("intensity", led_intensity),
    ("off", led_off),
    ("on", led_on),
    ("toggle", led_toggle),
]);

// ---- Switch ----

/// Whether the switch is down; `OSError(ENODEV)` on a board without one.
fn switch_down(vm: &mut Vm) -> PyResult<bool> {
    match hw(vm)?.switch_pressed() {
        Some(d) => Ok(d),
        None => Err(crate::vfs::os_error(vm, crate::hardware::ENODEV)),
    }
}

/// `Switch()`.
pub fn switch_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 0)?;
    switch_down(vm)?;
    new_periph(vm, Periph::Switch)
}

/// Checks that a method was called on the switch.
fn switch_this(vm: &mut Vm, args: &[Obj]) -> PyResult<()> {
    match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::Switch) => Ok(()),
        _ => Err(wrong_self(vm, "Switch")),
    }
}

/// `value()`, also `sw()`: whether the switch is pressed.
fn switch_value(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    switch_this(vm, args)?;
    Ok(Obj::bool(switch_down(vm)?))
}

/// `callback(fun)`: calls `fun()` on each press; `None` stops.
fn switch_callback(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 2)?;
    switch_this(vm, args)?;
    let down = switch_down(vm)?;
    vm.machine.switch_down = down;
    vm.machine.switch_callback = (args[1] != Obj::NONE).then_some(args[1]);
    Ok(Obj::NONE)
}

crate::native_table!(pub SWITCH_METHODS = [
    ("__call__", switch_value),
    ("callback", switch_callback),
    ("value", switch_value),
]);
