//! `machine.Timer` and `machine.RTC`: time kept by the VM, on the port's clock.
//!
//! Timers are virtual, as MicroPython's soft timers (`Timer(-1)`): a running timer is in
//! `MachineState::timers` with its deadline on `Port::ticks_ms`, and `machine::poll` calls
//! `callback(timer)` once the deadline has passed; a periodic timer's next deadline is one
//! period after the last (not after the late call), so it keeps its rate. The running timers
//! include `pyb.Timer`s with a callback (`pyb_timer` says when they are due, or the hardware
//! for one on a hardware timer); deadlines are compared on `Port::ticks_us`.
//!
//! The RTC is the port's wall clock in the local zone plus an offset that `datetime(...)`
//! sets; the tuple is the pyboard's `(year, month, day, weekday, hours, minutes, seconds,
//! subseconds)` with weekday 1 for Monday and subseconds in microseconds.

use alloc::string::String;

use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

use super::machine::{
    arity, bool_or, int_or, new_periph, parse, periph, wrong_self, Periph, KW_ONLY,
};
use super::time::{date_of, seconds_of};

/// `Timer.ONE_SHOT`.
const ONE_SHOT: i32 = 1;
/// `Timer.PERIODIC`.
const PERIODIC: i32 = 2;

/// `Timer`'s class constants, sorted by name.
pub static TIMER_CONSTS: &[(&str, i32)] = &[("ONE_SHOT", ONE_SHOT), ("PERIODIC", PERIODIC)];

/// A `Timer` object.
pub struct TimerObj {
    /// `ONE_SHOT` or `PERIODIC`.
    pub mode: i32,
    /// The period in milliseconds.
    pub period_ms: u32,
    /// Called with the timer (`None` for none).
    pub callback: Obj,
    /// A hard callback: an exception in it stops the timer.
    pub hard: bool,
    /// When it next fires, on `Port::ticks_ms`.
    pub deadline: u64,
}

/// The timer `o` is.
fn timer(vm: &mut Vm, o: Obj) -> Option<&mut TimerObj> {
    match periph(vm, o) {
        Some(Periph::Timer(t)) => Some(t),
        _ => None,
    }
}

/// Stops timer `t`.
pub(crate) fn stop(vm: &mut Vm, t: Obj) {
    vm.machine.timers.retain(|&x| x != t);
}

/// Stops timer `t` after its callback failed (a `pyb.Timer` loses its callback, and on a
/// hardware timer its update interrupt; the counter and its channels' callbacks go on, as on
/// the pyboard).
pub(crate) fn disable(vm: &mut Vm, t: Obj) {
    stop(vm, t);
    let Some(Periph::PybTimer(p)) = periph(vm, t) else {
        return;
    };
    p.callback = Obj::NONE;
    let hw_id = p.hw.then_some(p.id);
    if let (Some(id), Some(h)) = (hw_id, vm.port.hardware()) {
        h.timer_irq(id, false);
    }
    // Its channels' callbacks go on.
    super::pyb_timer::sync(vm, t);
}

/// If running timer `t` is due at `now` (on `Port::ticks_us`), moves it on (or stops a
/// one-shot) and gives its callback and whether that is hard.
pub(crate) fn take_due(vm: &mut Vm, t: Obj, now: u64) -> Option<(Obj, bool)> {
    if !vm.machine.timers.contains(&t) {
        return None;
    }
    let tm = match periph(vm, t)? {
        Periph::Timer(tm) => tm,
        Periph::PybTimer(p) if p.hw => {
            let (id, due) = (p.id, (p.callback, p.hard));
            let fired = vm.port.hardware()?.timer_take_update(id);
            return (fired && due.0 != Obj::NONE).then_some(due);
        }
        Periph::PybTimer(p) => return p.take_due(now),
        _ => return None,
    };
    if tm.deadline > now / 1000 {
        return None;
    }
    let due = (tm.callback, tm.hard);
    if tm.mode == PERIODIC {
        tm.deadline = tm.deadline.saturating_add(u64::from(tm.period_ms));
    } else {
        stop(vm, t);
    }
    Some(due)
}

/// The earliest deadline of the running timers, on `Port::ticks_us` (hardware timers have
/// none: their updates are polled, see [`any_hardware`]).
pub(crate) fn next_deadline(vm: &mut Vm) -> Option<u64> {
    let timers = vm.machine.timers.clone();
    timers
        .into_iter()
        .filter_map(|t| match periph(vm, t)? {
            Periph::Timer(tm) => Some(tm.deadline.saturating_mul(1000)),
            Periph::PybTimer(p) if !p.hw => Some(p.next_update_us()),
            _ => None,
        })
        .min()
}

/// Whether a running timer is a hardware `pyb.Timer`, whose update interrupts a sleep looks
/// for as often as for pin events.
pub(crate) fn any_hardware(vm: &mut Vm) -> bool {
    let timers = vm.machine.timers.clone();
    timers
        .into_iter()
        .any(|t| matches!(periph(vm, t), Some(Periph::PybTimer(p)) if p.hw))
}

/// `init`'s keywords.
const INIT_ARGS: [(&str, u8); 6] = [
    ("mode", KW_ONLY),
    ("callback", KW_ONLY),
    ("period", KW_ONLY),
    ("tick_hz", KW_ONLY),
    ("freq", KW_ONLY),
    ("hard", KW_ONLY),
];

/// (Re)starts timer `o` from `init`'s arguments, as MicroPython's soft timers do: the mode is
/// `PERIODIC` unless given, the period and callback stay as they were unless given.
fn timer_start(vm: &mut Vm, o: Obj, args: &[Obj], kw: Kw) -> PyResult<()> {
    let [mode, callback, period, tick_hz, freq, hard] = parse(vm, args, kw, &INIT_ARGS)?;
    let mode = int_or(vm, mode, i64::from(PERIODIC))? as i32;
    let old = match timer(vm, o) {
        Some(t) => t.period_ms,
        None => return Err(wrong_self(vm, "Timer")),
    };
    let mut ms: i64 = i64::from(old);
    if !freq.is_null() && freq != Obj::NONE {
        let Some(f) = crate::obj::float::to_f64(vm, freq) else {
            raise!(vm, TYPE_ERROR, "can't convert to float");
        };
        // The cast saturates (and takes NaN to 0): out-of-range periods are caught below.
        ms = (1000.0 / f) as i64;
    } else if !period.is_null() {
        let p = vm.index_value(period)?;
        let hz = int_or(vm, tick_hz, 1000)?;
        if hz <= 0 {
            raise!(vm, VALUE_ERROR, "tick_hz must be positive");
        }
        ms = p.saturating_mul(1000) / hz;
    }
    let ms = ms.max(1);
    if ms >= 0x4000_0000 {
        raise!(vm, VALUE_ERROR, "period too large");
    }
    let hard = bool_or(vm, hard, false)?;
    let now = vm.port.ticks_ms();
    let Some(t) = timer(vm, o) else {
        return Err(wrong_self(vm, "Timer"));
    };
    t.mode = mode;
    t.period_ms = ms as u32;
    t.hard = hard;
    if !callback.is_null() {
        t.callback = callback;
    }
    t.deadline = now.saturating_add(ms as u64);
    let running = t.callback != Obj::NONE;
    stop(vm, o);
    if running {
        vm.machine.timers.push(o);
    }
    Ok(())
}

/// `Timer(id=-1, *, mode=Timer.PERIODIC, period=..., freq=..., tick_hz=1000, callback=None,
/// hard=False)`: only the virtual timer -1 exists.
pub fn timer_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let mut rest = args;
    if let Some((&id, more)) = args.split_first() {
        if vm.index_value(id)? != -1 {
            raise!(vm, VALUE_ERROR, "Timer doesn't exist");
        }
        rest = more;
    }
    let o = new_periph(
        vm,
        Periph::Timer(TimerObj {
            mode: PERIODIC,
            period_ms: 1000,
            callback: Obj::NONE,
            hard: false,
            deadline: 0,
        }),
    )?;
    if !rest.is_empty() || !kw.is_empty() {
        timer_start(vm, o, rest, kw)?;
    }
    Ok(o)
}

/// `init(*, mode=Timer.PERIODIC, period, freq, tick_hz=1000, callback, hard=False)`.
fn timer_init(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some(&o) = args.first() else {
        return Err(wrong_self(vm, "Timer"));
    };
    stop(vm, o);
    timer_start(vm, o, &args[1..], kw)?;
    Ok(Obj::NONE)
}

/// `deinit()`: stops the timer.
fn timer_deinit(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    if timer(vm, args[0]).is_none() {
        return Err(wrong_self(vm, "Timer"));
    }
    stop(vm, args[0]);
    Ok(Obj::NONE)
}

/// The `repr` of a timer: `Timer(mode=PERIODIC, period=1000)`.
pub(crate) fn timer_repr(t: &TimerObj) -> String {
    let mode = if t.mode == ONE_SHOT {
        "ONE_SHOT"
    } else {
        "PERIODIC"
    };
    alloc::format!("Timer(mode={mode}, period={})", t.period_ms)
}

crate::native_table!(pub TIMER_METHODS = [
    ("deinit", timer_deinit),
    ("init", timer_init),
]);

// ---- RTC ----

/// Microseconds in a second.
const US: i64 = 1_000_000;

/// The port's clock in the local zone, in microseconds since the epoch.
fn local_clock_us(vm: &mut Vm) -> i64 {
    let utc = i64::try_from(vm.port.time_ns() / 1000).unwrap_or(i64::MAX);
    let zone = vm.port.utc_offset_s(utc.div_euclid(US));
    utc.saturating_add(zone.saturating_mul(US))
}

/// The RTC's time, in microseconds since the epoch.
fn rtc_now_us(vm: &mut Vm) -> i64 {
    local_clock_us(vm).saturating_add(vm.machine.rtc_offset_us)
}

/// `RTC()`.
pub fn rtc_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 0)?;
    new_periph(vm, Periph::Rtc)
}

/// Checks that a method was called on an RTC.
fn rtc_this(vm: &mut Vm, args: &[Obj]) -> PyResult<()> {
    match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::Rtc) => Ok(()),
        _ => Err(wrong_self(vm, "RTC")),
    }
}

/// Sets the RTC to the date `f` (year, month, day, hours, minutes, seconds) and `us`.
fn rtc_set(vm: &mut Vm, f: [i64; 6], us: i64) -> PyResult<()> {
    let Some(secs) = seconds_of(f) else {
        raise!(vm, OVERFLOW_ERROR, "timestamp out of range");
    };
    let target = secs.saturating_mul(US).saturating_add(us.clamp(0, US - 1));
    vm.machine.rtc_offset_us = target.saturating_sub(local_clock_us(vm));
    Ok(())
}

/// The ints of a date tuple argument of `n` fields (at least `min`).
fn date_fields(vm: &mut Vm, o: Obj, min: usize, max: usize) -> PyResult<[i64; 8]> {
    let Some(items) = vm.seq_items(o) else {
        raise!(vm, TYPE_ERROR, "object isn't a tuple or list");
    };
    if items.len() < min || items.len() > max {
        raise!(
            vm,
            VALUE_ERROR,
            "requested length {} but object has length {}",
            max,
            items.len()
        );
    }
    let mut f = [0i64; 8];
    for (slot, item) in f.iter_mut().zip(items) {
        *slot = if item == Obj::NONE {
            0
        } else {
            vm.index_value(item)?
        };
    }
    Ok(f)
}

/// `datetime([datetimetuple])`: the date and time as `(year, month, day, weekday, hours,
/// minutes, seconds, subseconds)`, or sets them (the weekday is worked out, subseconds
/// restart from 0).
fn rtc_datetime(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    rtc_this(vm, args)?;
    if let Some(&t) = args.get(1) {
        let [y, mo, d, _wd, h, mi, s, _sub] = date_fields(vm, t, 8, 8)?;
        rtc_set(vm, [y, mo, d, h, mi, s], 0)?;
        return Ok(Obj::NONE);
    }
    let now = rtc_now_us(vm);
    let [y, mo, d, h, mi, s, wd, _] = date_of(now.div_euclid(US));
    let sub = now.rem_euclid(US);
    let mut items = [Obj::NONE; 8];
    for (slot, v) in items.iter_mut().zip([y, mo, d, wd + 1, h, mi, s, sub]) {
        *slot = vm.new_int(v)?;
    }
    vm.new_tuple(&items)
}

/// `init([datetime])`: with `(year, month, day[, hour[, minute[, second[, microsecond[,
/// tzinfo]]]]])`, sets the clock.
fn rtc_init(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    rtc_this(vm, args)?;
    if let Some(&t) = args.get(1) {
        let [y, mo, d, h, mi, s, us, _tz] = date_fields(vm, t, 3, 8)?;
        rtc_set(vm, [y, mo, d, h, mi, s], us)?;
    }
    Ok(Obj::NONE)
}

crate::native_table!(pub RTC_METHODS = [
    ("datetime", rtc_datetime),
    ("init", rtc_init),
]);
