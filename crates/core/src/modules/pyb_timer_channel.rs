//! `pyb.TimerChannel`: a channel of a hardware `pyb.Timer` driving a pin in PWM mode, made by
//! `Timer.channel(n, Timer.PWM, pin=..., pulse_width=... | pulse_width_percent=...)`.
//!
//! The channel is the board's (`Hardware::timer_channel_pwm`): its pulse width is the channel's
//! compare register, in counts of the timer, read and written through the hardware, so it is
//! what the timer outputs whoever set it last. `pulse_width_percent` is worked out from the
//! timer's period as MicroPython does (in edge-aligned modes `period + 1` counts are 100 %, in
//! center-aligned modes `period`). `Timer.PWM_INVERTED` is PWM mode 2 (active low).
//!
//! Only the PWM modes are offered: output compare, input capture and the encoder modes, and
//! channel callbacks, raise `NotImplementedError`; `pulse_width_us` and `pulse_width_ns` (newer
//! MicroPython) are not there.

use alloc::string::String;

use crate::hardware::{EINVAL, ENODEV};
use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

use super::machine::{
    arity, hw, int_or, new_periph, parse, periph, pin_name, wrong_self, Periph, KW_ONLY, REQUIRED,
};
use super::pyb_timer::{counter_mask, refresh, timer};

/// `Timer.PWM`: PWM mode 1, active high.
const PWM: i32 = 0;
/// `Timer.PWM_INVERTED`: PWM mode 2, active low.
const PWM_INVERTED: i32 = 1;

/// The names of the channel modes, by their value (`Timer.PWM` is 0, `Timer.ENC_AB` 11).
const MODES: [&str; 12] = [
    "PWM",
    "PWM_INVERTED",
    "OC_TIMING",
    "OC_ACTIVE",
    "OC_INACTIVE",
    "OC_TOGGLE",
    "OC_FORCED_ACTIVE",
    "OC_FORCED_INACTIVE",
    "IC",
    "ENC_A",
    "ENC_B",
    "ENC_AB",
];

/// The largest period that can be multiplied by 100 in 32 bits (MicroPython's
/// `MAX_PERIOD_DIV_100`).
const MAX_PERIOD_DIV_100: u32 = 42_949_672;

/// A `pyb.TimerChannel` object.
pub struct TimerChannelObj {
    /// The `Timer` it belongs to.
    pub timer: Obj,
    /// The timer's number.
    pub id: u8,
    /// The channel, 1 to 4.
    pub channel: u8,
    /// `Timer.PWM` or `Timer.PWM_INVERTED`.
    pub mode: i32,
}

/// `channel()`'s parameters after the channel number.
const CHANNEL_ARGS: [(&str, u8); 7] = [
    ("mode", REQUIRED),
    ("callback", KW_ONLY),
    ("pin", KW_ONLY),
    ("pulse_width", KW_ONLY),
    ("pulse_width_percent", KW_ONLY),
    ("compare", KW_ONLY),
    ("polarity", KW_ONLY),
];

/// Sets channel `channel` of hardware timer `t` up from `channel()`'s arguments after the
/// channel number, and gives the new `TimerChannel`. A pin that has no output of this timer is
/// MicroPython's `ValueError`; so is one whose output is another channel of it.
pub(crate) fn channel_new(vm: &mut Vm, t: Obj, channel: u8, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let [mode, callback, pin, pulse_width, percent, _compare, _polarity] =
        parse(vm, args, kw, &CHANNEL_ARGS)?;
    let Some(id) = timer(vm, t).map(|t| t.id) else {
        return Err(wrong_self(vm, "Timer"));
    };
    let mode = vm.index_value(mode)?;
    let Some(&name) = usize::try_from(mode).ok().and_then(|m| MODES.get(m)) else {
        raise!(vm, VALUE_ERROR, "invalid mode ({})", mode);
    };
    let mode = mode as i32;
    if mode != PWM && mode != PWM_INVERTED {
        raise!(
            vm,
            NOT_IMPLEMENTED_ERROR,
            "Timer.{} channels aren't supported (only PWM and PWM_INVERTED)",
            name
        );
    }
    if !callback.is_null() && callback != Obj::NONE {
        raise!(
            vm,
            NOT_IMPLEMENTED_ERROR,
            "TimerChannel callbacks aren't supported"
        );
    }
    let pin = if pin.is_null() || pin == Obj::NONE {
        None
    } else {
        match periph(vm, pin) {
            Some(Periph::Pin(p)) => Some(*p),
            _ => raise!(vm, VALUE_ERROR, "pin argument needs to be a Pin type"),
        }
    };
    let pulse = if !percent.is_null() && percent != Obj::NONE {
        let period = full_period(vm, t);
        from_percent(vm, period, percent)?
    } else {
        int_or(vm, pulse_width, 0)? as u32
    };
    let r = hw(vm)?.timer_channel_pwm(
        id,
        channel,
        pin,
        mode == PWM_INVERTED,
        pulse & counter_mask(id),
    );
    match (r, pin) {
        (Ok(()), _) => {}
        (Err(ENODEV), Some(p)) => {
            let name = pin_name(vm, p);
            raise!(
                vm,
                VALUE_ERROR,
                "Pin({}) doesn't have an alt for Timer({})",
                name,
                id
            );
        }
        (Err(EINVAL), Some(p)) => {
            let name = pin_name(vm, p);
            raise!(
                vm,
                VALUE_ERROR,
                "Pin({}) doesn't have an alt for Timer({}) channel {}",
                name,
                id,
                channel
            );
        }
        (Err(e), _) => return Err(crate::vfs::os_error(vm, e)),
    }
    new_periph(
        vm,
        Periph::PybTimerChannel(TimerChannelObj {
            timer: t,
            id,
            channel,
            mode,
        }),
    )
}

/// The compare value that is 100 % of timer `t`'s period, as MicroPython's `compute_period`:
/// `period + 1` counts when it counts one way, `period` when center-aligned.
fn full_period(vm: &mut Vm, t: Obj) -> u32 {
    refresh(vm, t);
    let Some(t) = timer(vm, t) else {
        return 0;
    };
    let period = t.config.period & counter_mask(t.id);
    let edge = t.config.mode & 0x60 == 0;
    if period != u32::MAX && edge {
        period + 1
    } else {
        period
    }
}

/// The compare value of `percent` (an int or a float, clamped to 0..=100) of `period`, as
/// MicroPython's `compute_pwm_value_from_percent`.
fn from_percent(vm: &mut Vm, period: u32, percent: Obj) -> PyResult<u32> {
    if crate::obj::float::is_float(vm, percent) {
        let p = crate::obj::float::float_arg(vm, percent)?;
        return Ok(if p <= 0.0 {
            0
        } else if p >= 100.0 {
            period
        } else {
            // The cast saturates (and takes NaN to 0).
            (p / 100.0 * f64::from(period)) as u32
        });
    }
    let p = vm.index_value(percent)?;
    Ok(if p <= 0 {
        0
    } else if p >= 100 {
        period
    } else if period > MAX_PERIOD_DIV_100 {
        p as u32 * (period / 100)
    } else {
        p as u32 * period / 100
    })
}

/// The channel a method was called on.
fn this(vm: &mut Vm, args: &[Obj]) -> PyResult<(Obj, u8, u8)> {
    match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::PybTimerChannel(c)) => Ok((c.timer, c.id, c.channel)),
        _ => Err(wrong_self(vm, "TimerChannel")),
    }
}

/// `pulse_width([value])` (and its aliases `compare` and `capture`): the channel's compare
/// register, in counts of the timer (`period + 1` is always on).
fn channel_pulse_width(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    let (_, id, channel) = this(vm, args)?;
    let mask = counter_mask(id);
    let Some(&v) = args.get(1) else {
        let c = hw(vm)?.timer_compare(id, channel) & mask;
        return vm.new_int(i64::from(c));
    };
    let v = vm.index_value(v)? as u32;
    hw(vm)?.timer_set_compare(id, channel, v & mask);
    Ok(Obj::NONE)
}

/// `pulse_width_percent([value])`: the pulse width as a percentage of the period (a float
/// read back; an int or a float set).
fn channel_pulse_width_percent(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    let (t, id, channel) = this(vm, args)?;
    let period = full_period(vm, t);
    let mask = counter_mask(id);
    let Some(&v) = args.get(1) else {
        let c = hw(vm)?.timer_compare(id, channel) & mask;
        let percent = if c >= period {
            100.0
        } else {
            f64::from(c) * 100.0 / f64::from(period)
        };
        return vm.new_float(percent);
    };
    let c = from_percent(vm, period, v)?;
    hw(vm)?.timer_set_compare(id, channel, c & mask);
    Ok(Obj::NONE)
}

/// `callback(fun)`: `None` (no callback) is accepted; channel interrupts are not offered.
fn channel_callback(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 2)?;
    this(vm, args)?;
    let f = args[1];
    if f == Obj::NONE {
        return Ok(Obj::NONE);
    }
    if !crate::builtins::is_callable(vm, f)? {
        raise!(
            vm,
            VALUE_ERROR,
            "callback must be None or a callable object"
        );
    }
    raise!(
        vm,
        NOT_IMPLEMENTED_ERROR,
        "TimerChannel callbacks aren't supported"
    )
}

/// The `repr` of a channel: `TimerChannel(timer=2, channel=1, mode=PWM)`.
pub(crate) fn repr(c: &TimerChannelObj) -> String {
    let mode = usize::try_from(c.mode)
        .ok()
        .and_then(|m| MODES.get(m))
        .copied()
        .unwrap_or("PWM");
    alloc::format!(
        "TimerChannel(timer={}, channel={}, mode={mode})",
        c.id,
        c.channel
    )
}

crate::native_table!(pub METHODS = [
    ("callback", channel_callback),
    ("capture", channel_pulse_width),
    ("compare", channel_pulse_width),
    ("pulse_width", channel_pulse_width),
    ("pulse_width_percent", channel_pulse_width_percent),
]);
