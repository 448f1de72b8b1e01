//! `pyb.TimerChannel`: a channel of a hardware `pyb.Timer`, made by `Timer.channel(n, mode,
//! ...)`: a PWM output, an output compare, an input capture, or the timer's counter driven by
//! a quadrature encoder.
//!
//! The channel is the board's (`Hardware::timer_channel`): its compare register (`pulse_width`,
//! `compare` and `capture` are three names for it, as on MicroPython) is read and written
//! through the hardware, in counts of the timer, so it is what the timer uses whoever set it
//! last, and an input capture's last capture. `pulse_width_percent` is worked out from the
//! timer's period as MicroPython does (in edge-aligned modes `period + 1` counts are 100 %, in
//! center-aligned modes `period`).
//!
//! The modes are MicroPython's: `PWM` and `PWM_INVERTED` are PWM modes 1 and 2 (`pulse_width`
//! or `pulse_width_percent`); `OC_TIMING`, `OC_ACTIVE`, `OC_INACTIVE`, `OC_TOGGLE`,
//! `OC_FORCED_ACTIVE` and `OC_FORCED_INACTIVE` compare the counter with `compare`, the output
//! active high or (`polarity=Timer.LOW`) low; `IC` captures the counter on the input's
//! `RISING`, `FALLING` or `BOTH` edges (`polarity`); `ENC_A`, `ENC_B` and `ENC_AB` make the
//! counter follow an encoder on inputs 1 and 2 (whatever the channel number, on timers 1-5
//! and 8 only; read it with `Timer.counter()`).
//!
//! A channel's callback (`callback=` or `TimerChannel.callback`) is called with the timer on
//! the channel's compare or capture interrupt: the interrupt only marks the channel
//! (`Hardware::timer_take_channels`) and `machine::poll` calls the callback between bytecodes,
//! as for the timer's update callback, hard or soft as the timer's. One that raises loses its
//! interrupt and its callback. As on MicroPython, an encoder channel keeps its callback but
//! raises no interrupt, so it is never called.

use alloc::string::String;

use crate::hardware::{ChannelMode, EINVAL, ENODEV, IRQ_FALLING, IRQ_RISING};
use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

use super::machine::{
    arity, hw, int_or, new_periph, parse, periph, pin_name, run_callback, wrong_self, Periph,
    KW_ONLY, REQUIRED,
};
use super::pyb_timer::{callback_arg, counter_mask, given, refresh, sync, timer};

/// `Timer.PWM`: PWM mode 1, active high.
const PWM: i32 = 0;
/// `Timer.PWM_INVERTED`: PWM mode 2, active low.
const PWM_INVERTED: i32 = 1;
/// `Timer.OC_TIMING` (2) to `Timer.OC_FORCED_INACTIVE` (7): the output compare modes.
const OC_TIMING: i32 = 2;
const OC_FORCED_INACTIVE: i32 = 7;
/// `Timer.IC`: input capture.
const IC: i32 = 8;
/// `Timer.ENC_A` (9), `ENC_B` (10), `ENC_AB` (11): the encoder modes.
const ENC_A: i32 = 9;

/// The `OCxM` field of the output compare modes, from `OC_TIMING` on (frozen, active on
/// match, inactive on match, toggle, forced active, forced inactive).
const OCM: [u8; 6] = [0, 1, 2, 3, 5, 4];

/// `Timer.HIGH` / `Timer.RISING` and `Timer.LOW` / `Timer.FALLING`: the `CCxP` bit.
const POLARITY_LOW: i64 = 2;
/// `Timer.BOTH`: the `CCxP` and `CCxNP` bits.
const POLARITY_BOTH: i64 = 0x0a;

/// The timers that have an encoder interface.
const ENCODER_TIMERS: [u8; 6] = [1, 2, 3, 4, 5, 8];

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
    /// Its mode, `Timer.PWM` (0) to `Timer.ENC_AB` (11).
    pub mode: i32,
    /// Called with the timer on the channel's compare or capture interrupt (`None` for
    /// none).
    pub callback: Obj,
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

/// The edges of an input capture or encoder `polarity` (`RISING` when not given).
fn edges(vm: &mut Vm, polarity: Option<i64>) -> PyResult<u8> {
    Ok(match polarity {
        None | Some(0) => IRQ_RISING,
        Some(POLARITY_LOW) => IRQ_FALLING,
        Some(POLARITY_BOTH) => IRQ_RISING | IRQ_FALLING,
        Some(p) => raise!(vm, VALUE_ERROR, "invalid polarity ({})", p),
    })
}

/// The hardware mode and compare value of `mode` (known to be one of `MODES`) on timer `t`,
/// from `channel()`'s keywords.
fn hardware_mode(
    vm: &mut Vm,
    t: Obj,
    id: u8,
    mode: i32,
    [pulse_width, percent, compare, polarity]: [Obj; 4],
) -> PyResult<(ChannelMode, u32)> {
    let polarity = given(vm, polarity)?;
    Ok(match mode {
        PWM | PWM_INVERTED => {
            let pulse = if !percent.is_null() && percent != Obj::NONE {
                let period = full_period(vm, t);
                from_percent(vm, period, percent)?
            } else {
                int_or(vm, pulse_width, 0)? as u32
            };
            let inverted = mode == PWM_INVERTED;
            (ChannelMode::Pwm { inverted }, pulse)
        }
        OC_TIMING..=OC_FORCED_INACTIVE => {
            let value = int_or(vm, compare, 0)? as u32;
            let low = match polarity {
                None | Some(0) => false,
                Some(POLARITY_LOW) => true,
                Some(p) => raise!(vm, VALUE_ERROR, "invalid polarity ({})", p),
            };
            let ocm = OCM.get((mode - OC_TIMING) as usize).copied().unwrap_or(0);
            (ChannelMode::Compare { ocm, low }, value)
        }
        IC => (
            ChannelMode::Capture {
                edges: edges(vm, polarity)?,
            },
            0,
        ),
        _ => {
            let edges = edges(vm, polarity)?;
            if !ENCODER_TIMERS.contains(&id) {
                raise!(vm, VALUE_ERROR, "encoder not supported on timer {}", id);
            }
            let inputs = (mode - ENC_A + 1) as u8;
            (ChannelMode::Encoder { inputs, edges }, 0)
        }
    })
}

/// Sets channel `channel` of hardware timer `t` up from `channel()`'s arguments after the
/// channel number, and gives the new `TimerChannel`; the channel that was set up there before
/// loses its callback. A pin that has no output of this timer is MicroPython's `ValueError`;
/// so is one whose output is another channel of it.
pub(crate) fn channel_new(vm: &mut Vm, t: Obj, channel: u8, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let [mode, callback, pin, pulse_width, percent, compare, polarity] =
        parse(vm, args, kw, &CHANNEL_ARGS)?;
    let Some((id, before)) = timer(vm, t).map(|p| {
        let before = p.channels.get(usize::from(channel) - 1).copied();
        (p.id, before.unwrap_or(Obj::NONE))
    }) else {
        return Err(wrong_self(vm, "Timer"));
    };
    let mode = vm.index_value(mode)?;
    if usize::try_from(mode)
        .ok()
        .and_then(|m| MODES.get(m))
        .is_none()
    {
        raise!(vm, VALUE_ERROR, "invalid mode ({})", mode);
    }
    let mode = mode as i32;
    let callback = if callback.is_null() {
        Obj::NONE
    } else {
        callback_arg(vm, callback)?
    };
    let pin = if pin.is_null() || pin == Obj::NONE {
        None
    } else {
        match periph(vm, pin) {
            Some(Periph::Pin(p)) => Some(*p),
            _ => raise!(vm, VALUE_ERROR, "pin argument needs to be a Pin type"),
        }
    };
    let (hw_mode, value) =
        hardware_mode(vm, t, id, mode, [pulse_width, percent, compare, polarity])?;
    if armed(vm, before) {
        hw(vm)?.timer_channel_irq(id, channel, false);
    }
    if let Some(Periph::PybTimerChannel(c)) = periph(vm, before) {
        c.callback = Obj::NONE;
    }
    let r = hw(vm)?.timer_channel(id, channel, pin, hw_mode, value & counter_mask(id));
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
    if callback != Obj::NONE && mode < ENC_A {
        hw(vm)?.timer_channel_irq(id, channel, true);
    }
    new_periph(
        vm,
        Periph::PybTimerChannel(TimerChannelObj {
            timer: t,
            id,
            channel,
            mode,
            callback,
        }),
    )
}

/// Whether channel object `c` (or `None`) has a callback its interrupt calls.
pub(crate) fn armed(vm: &mut Vm, c: Obj) -> bool {
    matches!(periph(vm, c), Some(Periph::PybTimerChannel(c)) if c.callback != Obj::NONE && c.mode < ENC_A)
}

/// Calls the callbacks of hardware timer `t`'s channels whose interrupt fired since the last
/// poll, each once, with the timer (`machine::poll`). One that raises loses its callback and
/// its interrupt.
pub(crate) fn poll(vm: &mut Vm, t: Obj) -> PyResult<()> {
    let Some((id, hard)) = timer(vm, t).filter(|p| p.hw).map(|p| (p.id, p.hard)) else {
        return Ok(());
    };
    let fired = hw(vm)?.timer_take_channels(id);
    for i in 0..4u8 {
        if fired & (1 << i) == 0 {
            continue;
        }
        // Read again for each: a callback may have replaced the channels or stopped the timer.
        let c = timer(vm, t)
            .and_then(|p| p.channels.get(usize::from(i)).copied())
            .unwrap_or(Obj::NONE);
        if !armed(vm, c) {
            continue;
        }
        let Some(Periph::PybTimerChannel(ch)) = periph(vm, c) else {
            continue;
        };
        let callback = ch.callback;
        if !run_callback(vm, callback, &[t], hard)? {
            if let Some(Periph::PybTimerChannel(ch)) = periph(vm, c) {
                ch.callback = Obj::NONE;
            }
            hw(vm)?.timer_channel_irq(id, i + 1, false);
            sync(vm, t);
        }
    }
    Ok(())
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

/// `callback(fun)`: calls `fun(timer)` on each compare or capture interrupt of the channel
/// from now on (one that happened before is forgotten); `None` stops the calls.
fn channel_callback(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 2)?;
    let (t, id, channel) = this(vm, args)?;
    let f = callback_arg(vm, args[1])?;
    let Some(Periph::PybTimerChannel(c)) = periph(vm, args[0]) else {
        return Err(wrong_self(vm, "TimerChannel"));
    };
    c.callback = f;
    let irq = f != Obj::NONE && c.mode < ENC_A;
    hw(vm)?.timer_channel_irq(id, channel, irq);
    sync(vm, t);
    Ok(Obj::NONE)
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
