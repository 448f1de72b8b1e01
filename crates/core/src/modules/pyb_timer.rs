//! `pyb.Timer`: the pyboard's timers 1 to 14, on the board's hardware timers where it has them
//! (`Hardware::timer_info`), else kept by the VM on the port's clock.
//!
//! A timer is a counter that counts `source_freq() / (prescaler + 1)` times a second from 0 up
//! to `period` and then wraps, an update event. `freq`, `prescaler` and `period` are worked out
//! as MicroPython's stm32 port does (with its single-precision arithmetic for a float `freq`),
//! so they read back what the pyboard's registers would hold.
//!
//! On a hardware timer the registers are the board's: the source clock is the timer's, the
//! counter is read from the hardware, and `prescaler()`, `period()` and `freq()` read the
//! registers back (a PWM output on the same timer may have changed them). The update interrupt
//! only marks the timer (`Hardware::timer_take_update`); `machine::poll` calls the callback
//! between bytecodes, as it calls pin handlers. `channel()` sets a channel up
//! (`pyb_timer_channel`): PWM, output compare, input capture or an encoder, whose callbacks
//! take the same path from the channel's interrupt.
//!
//! No timer is reserved, as on MicroPython's pyboard (whose docs only warn that its TIM3 dims
//! LED 4, TIM5 drives the servos and TIM6 times the DAC): every hardware timer is offered, and
//! one the board also uses elsewhere (the pyboard's TIM2 and TIM3 dim LEDs 3 and 4,
//! `machine.PWM` runs on several) is shared: a new time base is every output's, and `deinit`
//! stops every output of the timer. A soft reset stops each timer the program initialised or
//! gave a callback or a channel, with its outputs and interrupts ([`release`]).
//!
//! The simulated pyboard (the host's and the browser's boards) has hardware timers too: the
//! simulation's, which count on the port's clock. On a port without hardware timers a timer
//! counts on `Port::ticks_us` with the pyboard's source clocks (84 MHz, 168 MHz for timers 1
//! and 8-11): the count is worked out from the time since it was last set, and `machine::poll`
//! calls the callback once an update event has passed since the last call. Its `channel()`
//! raises `NotImplementedError`; the channel constants exist so that a pyboard program gets
//! that far.
//!
//! Either way an initialised timer with a callback is one of the running timers of
//! `machine_timer`; update events missed while the program was busy make one call, as the
//! hardware's single update flag does. Callbacks are hard by default (an exception stops them),
//! as on the pyboard. One object stands for each timer: `Timer(4)` twice is the same object, as
//! MicroPython keeps it.

use alloc::string::String;

use crate::hardware::{TimerConfig, TimerInfo};
use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

use super::machine::{
    arity, bool_or, check, hw, new_periph, parse, periph, wrong_self, Periph, KW_ONLY,
};

/// `Timer.UP`: counts from 0 up to the period (the STM32 HAL's `TIM_COUNTERMODE_UP`).
const UP: i32 = 0;
/// `Timer.DOWN`: counts from the period down to 0.
const DOWN: i32 = 0x10;
/// `Timer.CENTER`: counts up to the period and back down (center-aligned mode 1).
const CENTER: i32 = 0x20;

/// `Timer`'s class constants, sorted by name: the counter modes, the channel modes, output
/// and input polarities and break modes, with the values MicroPython gives them.
pub static CONSTS: &[(&str, i32)] = &[
    ("BOTH", 0x0a),
    ("BRK_HIGH", 2),
    ("BRK_LOW", 1),
    ("BRK_OFF", 0),
    ("CENTER", CENTER),
    ("DOWN", DOWN),
    ("ENC_A", 9),
    ("ENC_AB", 11),
    ("ENC_B", 10),
    ("FALLING", 2),
    ("HIGH", 0),
    ("IC", 8),
    ("LOW", 2),
    ("OC_ACTIVE", 3),
    ("OC_FORCED_ACTIVE", 6),
    ("OC_FORCED_INACTIVE", 7),
    ("OC_INACTIVE", 4),
    ("OC_TIMING", 2),
    ("OC_TOGGLE", 5),
    ("PWM", 0),
    ("PWM_INVERTED", 1),
    ("RISING", 0),
    ("UP", UP),
];

/// The pyboard's timers are 1 to 14.
const TIMERS: i64 = 14;

/// The prescaler divides by at most 2**16.
const PRESCALER_MAX: u32 = 0x1_0000;

/// Microseconds in a second.
const US: u64 = 1_000_000;

/// The clock timer `id` counts when it has no hardware, in Hz: twice the APB clock of its bus
/// on the pyboard.
pub fn source_freq(id: u8) -> u32 {
    if matches!(id, 1 | 8..=11) {
        168_000_000
    } else {
        84_000_000
    }
}

/// The mask of the counter and period of timer `id`: timers 2 and 5 are 32-bit.
pub(crate) fn counter_mask(id: u8) -> u32 {
    if id == 2 || id == 5 {
        u32::MAX
    } else {
        0xffff
    }
}

/// The source clock ticks in `us` microseconds (exact, saturating).
fn source_ticks(us: u64, src: u32) -> u64 {
    let src = u64::from(src);
    (us / US)
        .saturating_mul(src)
        .saturating_add(us % US * src / US)
}

/// The microseconds `ticks` source clock ticks take, rounded up.
fn micros(ticks: u64, src: u32) -> u64 {
    let src = u64::from(src.max(1));
    (ticks / src)
        .saturating_mul(US)
        .saturating_add((ticks % src * US).div_ceil(src))
}

/// A `pyb.Timer` object.
pub struct PybTimerObj {
    /// The timer's number, 1 to 14.
    pub id: u8,
    /// On the board's hardware timer (else counted on the VM's clock).
    pub hw: bool,
    /// The clock the prescaler divides, in Hz.
    pub src: u32,
    /// How many channels the hardware timer has.
    pub channel_count: u8,
    /// The `TimerChannel` objects of channels 1 to 4 (`None` for a channel not set up).
    pub channels: [Obj; 4],
    /// Initialised and counting (`Timer(n)` before `init` and after `deinit`).
    pub running: bool,
    /// Its registers and constants, as `init` worked them out.
    pub config: TimerConfig,
    /// Called with the timer on each update event (`None` for none).
    pub callback: Obj,
    /// A hard callback (the default): an exception in it clears it.
    pub hard: bool,
    /// When the count was last set, on `Port::ticks_us`.
    pub origin_us: u64,
    /// The position of the counter then: the count, or how far down a `DOWN` timer is.
    pub origin_pos: u64,
    /// The update events since then that were handled.
    pub updates: u64,
}

impl PybTimerObj {
    /// Timer `id`, not initialised: on hardware timer `info`, or on the VM's clock.
    fn new(id: u8, info: Option<TimerInfo>) -> Self {
        PybTimerObj {
            id,
            hw: info.is_some(),
            src: info.map_or(source_freq(id), |i| i.source_freq),
            channel_count: info.map_or(0, |i| i.channels),
            channels: [Obj::NONE; 4],
            running: false,
            config: TimerConfig {
                prescaler: 0,
                period: 0,
                mode: UP,
                div: 1,
                dtg: 0,
                brk: 0,
            },
            callback: Obj::NONE,
            hard: true,
            origin_us: 0,
            origin_pos: 0,
            updates: 0,
        }
    }

    /// Counts in one cycle of the counter.
    fn cycle(&self) -> u64 {
        u64::from(self.config.period) + 1
    }

    /// How far the counter has gone at `now` since it was set (a stopped timer stays).
    fn position(&self, now: u64) -> u64 {
        if !self.running {
            return self.origin_pos;
        }
        let ticks = source_ticks(now.saturating_sub(self.origin_us), self.src);
        self.origin_pos
            .saturating_add(ticks / (u64::from(self.config.prescaler) + 1))
    }

    /// The counter register at `now`.
    fn counter(&self, now: u64) -> u32 {
        let pos = self.position(now);
        let period = u64::from(self.config.period);
        let count = match self.config.mode {
            UP => pos % self.cycle(),
            DOWN => period - pos % self.cycle(),
            _ => {
                // Up to the period and back down.
                let span = (2 * period).max(1);
                let c = pos % span;
                if c > period {
                    span - c
                } else {
                    c
                }
            }
        };
        count as u32
    }

    /// Sets the counter to `count` at `now`; update events start again from there.
    fn set_counter(&mut self, now: u64, count: u32) {
        let count = count & counter_mask(self.id);
        self.origin_pos = match self.config.mode {
            DOWN => u64::from(self.config.period.saturating_sub(count)),
            _ => u64::from(count),
        };
        self.origin_us = now;
        self.updates = 0;
    }

    /// Changes the prescaler and period at `now`, the counter going on from where it was.
    fn retime(&mut self, now: u64, prescaler: u32, period: u32) {
        let pos = self.position(now) % self.cycle();
        self.config.prescaler = prescaler & 0xffff;
        self.config.period = period & counter_mask(self.id);
        self.origin_pos = pos % self.cycle();
        self.origin_us = now;
        self.updates = 0;
    }

    /// When the next update event is due, on `Port::ticks_us`.
    pub(crate) fn next_update_us(&self) -> u64 {
        let counts = self
            .updates
            .saturating_add(1)
            .saturating_mul(self.cycle())
            .saturating_sub(self.origin_pos);
        let ticks = counts.saturating_mul(u64::from(self.config.prescaler) + 1);
        self.origin_us.saturating_add(micros(ticks, self.src))
    }

    /// If an update event passed by `now` since the last one handled, marks every one until
    /// `now` handled and gives the callback and whether it is hard.
    pub(crate) fn take_due(&mut self, now: u64) -> Option<(Obj, bool)> {
        if !self.running || self.callback == Obj::NONE {
            return None;
        }
        let wraps = self.position(now) / self.cycle();
        if wraps <= self.updates {
            return None;
        }
        self.updates = wraps;
        Some((self.callback, self.hard))
    }

    /// `freq()`: the update rate the registers give, as MicroPython works it out (an int when
    /// the divisions are exact, else a float).
    fn freq(&self) -> Result<u32, f64> {
        let src = self.src;
        let a = self.config.prescaler + 1;
        let b = self.config.period.wrapping_add(1).max(1);
        if !src.is_multiple_of(a) {
            return Err(f64::from(src) / f64::from(a) / f64::from(b));
        }
        let src = src / a;
        if !src.is_multiple_of(b) {
            return Err(f64::from(src) / f64::from(b));
        }
        Ok(src / b)
    }
}

/// The dead time in source ticks of the `DTG` field `dtg` (the reference manual's encoding).
fn deadtime_ticks(dtg: u8) -> u32 {
    let dtg = u32::from(dtg);
    match dtg {
        0..=0x7f => dtg,
        0x80..=0xbf => 128 + (dtg & 0x3f) * 2,
        0xc0..=0xdf => 256 + (dtg & 0x1f) * 8,
        _ => 512 + (dtg & 0x1f) * 16,
    }
}

/// The `DTG` field for a dead time of `ticks` (rounded down to the steps it has).
fn deadtime_dtg(ticks: i64) -> u8 {
    match ticks {
        i64::MIN..=0 => 0,
        1..=127 => ticks as u8,
        128..=255 => 0x80 | ((ticks - 128) / 2) as u8,
        256..=511 => 0xc0 | ((ticks - 256) / 8) as u8,
        512..=1007 => 0xe0 | ((ticks - 512) / 16) as u8,
        _ => 0xff,
    }
}

/// The timer `o` is.
pub(crate) fn timer(vm: &mut Vm, o: Obj) -> Option<&mut PybTimerObj> {
    match periph(vm, o) {
        Some(Periph::PybTimer(t)) => Some(t),
        _ => None,
    }
}

/// The timer a method was called on.
fn this<'a>(vm: &'a mut Vm, args: &[Obj]) -> PyResult<&'a mut PybTimerObj> {
    let o = args.first().copied().unwrap_or(Obj::NULL);
    if timer(vm, o).is_none() {
        return Err(wrong_self(vm, "Timer"));
    }
    timer(vm, o).ok_or(Obj::NONE)
}

/// Puts timer `o` among the running timers of `machine_timer` if it counts and has a
/// callback, or if a channel of it has one, else takes it out.
pub(crate) fn sync(vm: &mut Vm, o: Obj) {
    super::machine_timer::stop(vm, o);
    let Some((update, channels)) =
        timer(vm, o).map(|t| (t.running && t.callback != Obj::NONE, t.channels))
    else {
        return;
    };
    if update
        || channels
            .iter()
            .any(|&c| super::pyb_timer_channel::armed(vm, c))
    {
        vm.machine.timers.push(o);
    }
}

/// The hardware timer `o` is on: its number, when it has one.
fn hw_id(vm: &mut Vm, o: Obj) -> Option<u8> {
    timer(vm, o).filter(|t| t.hw).map(|t| t.id)
}

/// Reads a hardware timer's prescaler and period back into `o` (a PWM output on the same
/// timer may have set them since).
pub(crate) fn refresh(vm: &mut Vm, o: Obj) {
    let Some(id) = hw_id(vm, o) else {
        return;
    };
    let Some((prescaler, period)) = vm.port.hardware().map(|h| h.timer_registers(id)) else {
        return;
    };
    if let Some(t) = timer(vm, o) {
        t.config.prescaler = prescaler & 0xffff;
        t.config.period = period & counter_mask(id);
    }
}

/// The prescaler and period that make timer `id` (counting `src` Hz) update at `freq` Hz, as
/// MicroPython's `compute_prescaler_period_from_freq` (a float in single precision, as on the
/// pyboard).
fn from_freq(vm: &mut Vm, id: u8, src: u32, freq: Obj) -> PyResult<(u32, u32)> {
    let mut prescaler: u32 = 1;
    let mut period = if crate::obj::float::is_float(vm, freq) {
        let mut f = crate::obj::float::float_arg(vm, freq)? as f32;
        if f <= 0.0 {
            raise!(vm, VALUE_ERROR, "must have positive freq");
        }
        while f < 1.0 && prescaler < 6553 {
            prescaler *= 10;
            f *= 10.0;
        }
        // The cast saturates, and takes NaN to 0, as the pyboard's conversion does.
        (src as f32 / f) as u32
    } else {
        let f = vm.index_value(freq)?;
        if f <= 0 {
            raise!(vm, VALUE_ERROR, "must have positive freq");
        }
        u32::try_from(i64::from(src) / f).unwrap_or(0)
    };
    period = period.max(1);
    while period > counter_mask(id) {
        if period.is_multiple_of(5) && prescaler * 5 <= PRESCALER_MAX {
            prescaler *= 5;
            period /= 5;
        } else if period.is_multiple_of(3) && prescaler * 3 <= PRESCALER_MAX {
            prescaler *= 3;
            period /= 3;
        } else if prescaler * 2 <= PRESCALER_MAX {
            prescaler <<= 1;
            period >>= 1;
        } else if prescaler < PRESCALER_MAX {
            period = (u64::from(period) * u64::from(prescaler) / u64::from(PRESCALER_MAX)) as u32;
            prescaler = PRESCALER_MAX;
        } else {
            raise!(vm, VALUE_ERROR, "freq too small");
        }
    }
    Ok(((prescaler - 1) & 0xffff, (period - 1) & counter_mask(id)))
}

/// The prescaler and period that make timer `id` (counting `src` Hz) update every `num / den`
/// seconds, as MicroPython's `compute_prescaler_period_from_t`.
fn from_time(vm: &mut Vm, id: u8, src: u32, num: i64, den: i64) -> PyResult<(u32, u32)> {
    if num <= 0 || den <= 0 {
        raise!(vm, VALUE_ERROR, "must have positive freq");
    }
    let mut period = u64::from(src).saturating_mul(num as u64) / den as u64;
    let mut prescaler: u64 = 1;
    while period > u64::from(counter_mask(id)) {
        if prescaler <= 13107 && period.is_multiple_of(5) {
            prescaler *= 5;
            period /= 5;
        } else if prescaler <= 21845 && period.is_multiple_of(3) {
            prescaler *= 3;
            period /= 3;
        } else {
            let lsb = period & 1;
            prescaler <<= 1;
            period >>= 1;
            if period < prescaler {
                // Round the division up.
                prescaler |= lsb;
            }
            if prescaler > u64::from(PRESCALER_MAX) {
                raise!(vm, VALUE_ERROR, "period too large");
            }
        }
    }
    let period = period.wrapping_sub(1) as u32 & counter_mask(id);
    Ok(((prescaler - 1) as u32 & 0xffff, period))
}

/// Checks a callback argument: `None` or something callable.
pub(crate) fn callback_arg(vm: &mut Vm, f: Obj) -> PyResult<Obj> {
    if f != Obj::NONE && !crate::builtins::is_callable(vm, f)? {
        raise!(
            vm,
            VALUE_ERROR,
            "callback must be None or a callable object"
        );
    }
    Ok(f)
}

/// `init`'s keywords.
const INIT_ARGS: [(&str, u8); 10] = [
    ("freq", KW_ONLY),
    ("prescaler", KW_ONLY),
    ("period", KW_ONLY),
    ("tick_hz", KW_ONLY),
    ("mode", KW_ONLY),
    ("div", KW_ONLY),
    ("callback", KW_ONLY),
    ("deadtime", KW_ONLY),
    ("brk", KW_ONLY),
    ("hard", KW_ONLY),
];

/// An int keyword argument, `None` when not given or -1 (MicroPython's "not given").
pub(crate) fn given(vm: &mut Vm, o: Obj) -> PyResult<Option<i64>> {
    if o.is_null() {
        return Ok(None);
    }
    let v = vm.index_value(o)?;
    Ok((v != -1).then_some(v))
}

/// (Re)starts timer `o` from `init`'s keywords: the counter starts again from 0; a callback
/// set before stays unless one is given.
fn start(vm: &mut Vm, o: Obj, args: &[Obj], kw: Kw) -> PyResult<()> {
    let [freq, prescaler, period, tick_hz, mode, div, callback, deadtime, brk, hard] =
        parse(vm, args, kw, &INIT_ARGS)?;
    let (id, src, on_hw) = match timer(vm, o) {
        Some(t) => (t.id, t.src, t.hw),
        None => return Err(wrong_self(vm, "Timer")),
    };
    let (prescaler, period) = match (freq, given(vm, prescaler)?, given(vm, period)?) {
        (f, _, _) if !f.is_null() && f != Obj::NONE => from_freq(vm, id, src, f)?,
        (_, Some(p), Some(a)) => ((p as u32) & 0xffff, (a as u32) & counter_mask(id)),
        (_, _, Some(a)) => {
            let hz = if tick_hz.is_null() {
                1000
            } else {
                vm.index_value(tick_hz)?
            };
            from_time(vm, id, src, a, hz)?
        }
        _ => raise!(
            vm,
            TYPE_ERROR,
            "must specify either freq, period, or prescaler and period"
        ),
    };
    let mode = if mode.is_null() {
        UP
    } else {
        vm.index_value(mode)? as i32
    };
    if !matches!(mode, UP | DOWN | CENTER | 0x40 | 0x60) {
        raise!(vm, VALUE_ERROR, "invalid mode ({})", mode);
    }
    let div = match given(vm, div)? {
        Some(2) => 2,
        Some(4) => 4,
        _ => 1,
    };
    let dtg = deadtime_dtg(given(vm, deadtime)?.unwrap_or(0));
    let brk = match given(vm, brk)? {
        None | Some(0) => 0,
        Some(1) => 1,
        Some(_) => 2,
    };
    let hard = bool_or(vm, hard, true)?;
    let callback = if callback.is_null() {
        Obj::NONE
    } else {
        callback_arg(vm, callback)?
    };
    let config = TimerConfig {
        prescaler,
        period,
        mode,
        div,
        dtg,
        brk,
    };
    if on_hw {
        let r = hw(vm)?.timer_init(id, &config);
        check(vm, r)?;
    }
    let now = vm.port.ticks_us();
    let Some(t) = timer(vm, o) else {
        return Err(wrong_self(vm, "Timer"));
    };
    t.config = config;
    t.hard = hard;
    t.running = true;
    // The counter starts a cycle: at 0, or at the period counting down.
    t.origin_pos = 0;
    t.origin_us = now;
    t.updates = 0;
    if callback != Obj::NONE {
        t.callback = callback;
    }
    let irq = t.callback != Obj::NONE;
    if on_hw {
        hw(vm)?.timer_irq(id, irq);
    }
    sync(vm, o);
    Ok(())
}

/// `Timer(id, *, freq, prescaler, period, tick_hz=1000, mode=Timer.UP, div=1, callback=None,
/// deadtime=0, brk=Timer.BRK_OFF, hard=True)`: timer `id` (1 to 14), initialised when more is
/// given.
pub fn timer_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some((&id, rest)) = args.split_first() else {
        raise!(
            vm,
            TYPE_ERROR,
            "function missing 1 required positional arguments"
        );
    };
    let id = vm.index_value(id)?;
    if !(1..=TIMERS).contains(&id) {
        raise!(vm, VALUE_ERROR, "Timer({}) doesn't exist", id);
    }
    let id = id as u8;
    let info = vm.port.hardware().and_then(|h| h.timer_info(id));
    let existing = vm
        .machine
        .pyb_timers
        .clone()
        .into_iter()
        .find(|&o| timer(vm, o).is_some_and(|t| t.id == id));
    let o = match existing {
        Some(o) => o,
        None => {
            let o = new_periph(vm, Periph::PybTimer(PybTimerObj::new(id, info)))?;
            vm.machine.pyb_timers.push(o);
            o
        }
    };
    if !rest.is_empty() || !kw.is_empty() {
        start(vm, o, rest, kw)?;
    }
    Ok(o)
}

/// `init(*, freq, prescaler, period, ...)`: as the constructor's keywords.
fn timer_init(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    this(vm, args)?;
    start(vm, args[0], &args[1..], kw)?;
    Ok(Obj::NONE)
}

/// `deinit()`: stops the counter and the callbacks, the channels' too (and, on a hardware
/// timer, every output of its channels and their interrupts).
fn timer_deinit(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let now = vm.port.ticks_us();
    let t = this(vm, args)?;
    t.origin_pos = t.position(now);
    t.origin_us = now;
    t.running = false;
    t.callback = Obj::NONE;
    let channels = core::mem::replace(&mut t.channels, [Obj::NONE; 4]);
    for c in channels {
        if let Some(Periph::PybTimerChannel(c)) = periph(vm, c) {
            c.callback = Obj::NONE;
        }
    }
    if let Some(id) = hw_id(vm, args[0]) {
        hw(vm)?.timer_deinit(id);
    }
    sync(vm, args[0]);
    Ok(Obj::NONE)
}

/// Stops the hardware timer of `o` if the program used it (at a soft reset: the hardware
/// outlives the VM). One the program never initialised nor gave a channel or a callback is
/// left alone: a PWM output may be using it.
pub(crate) fn release(vm: &mut Vm, o: Obj) {
    let used = timer(vm, o).filter(|t| {
        t.hw && (t.running || t.callback != Obj::NONE || t.channels.iter().any(|&c| c != Obj::NONE))
    });
    if let (Some(id), Some(h)) = (used.map(|t| t.id), vm.port.hardware()) {
        h.timer_deinit(id);
    }
}

/// `callback(fun)`: calls `fun(timer)` on each update event from now on; `None` stops the
/// calls (the counter goes on).
fn timer_callback(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 2)?;
    this(vm, args)?;
    let f = callback_arg(vm, args[1])?;
    let now = vm.port.ticks_us();
    let t = this(vm, args)?;
    // An update event that passed before is not pending.
    t.updates = t.position(now) / t.cycle();
    t.callback = f;
    if let Some(id) = hw_id(vm, args[0]) {
        hw(vm)?.timer_irq(id, f != Obj::NONE);
    }
    sync(vm, args[0]);
    Ok(Obj::NONE)
}

/// `counter([value])`: the counter (the hardware's, or worked out from the time since it was
/// set).
fn timer_counter(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    this(vm, args)?;
    let value = match args.get(1) {
        Some(&v) => Some(vm.index_value(v)? as u32),
        None => None,
    };
    if let Some(id) = hw_id(vm, args[0]) {
        let h = hw(vm)?;
        return match value {
            Some(v) => {
                h.timer_set_counter(id, v & counter_mask(id));
                Ok(Obj::NONE)
            }
            None => {
                let c = h.timer_counter(id) & counter_mask(id);
                vm.new_int(i64::from(c))
            }
        };
    }
    let now = vm.port.ticks_us();
    let t = this(vm, args)?;
    match value {
        Some(v) => {
            t.set_counter(now, v);
            Ok(Obj::NONE)
        }
        None => {
            let c = t.counter(now);
            vm.new_int(i64::from(c))
        }
    }
}

/// `source_freq()`: the clock the timer divides, in Hz.
fn timer_source_freq(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let src = this(vm, args)?.src;
    vm.new_int(i64::from(src))
}

/// `freq([value])`: the update rate in Hz; setting it sets the prescaler and period.
fn timer_freq(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    let (id, src) = this(vm, args).map(|t| (t.id, t.src))?;
    if let Some(&f) = args.get(1) {
        let (prescaler, period) = from_freq(vm, id, src, f)?;
        retime(vm, args[0], prescaler, period)?;
        return Ok(Obj::NONE);
    }
    refresh(vm, args[0]);
    match this(vm, args)?.freq() {
        Ok(hz) => vm.new_int(i64::from(hz)),
        Err(hz) => vm.new_float(hz),
    }
}

/// `prescaler([value])` and `period([value])`: a register, read or set (`set` gives the new
/// prescaler and period from the timer and the value).
fn register(
    vm: &mut Vm,
    args: &[Obj],
    kw: Kw,
    get: fn(&PybTimerObj) -> u32,
    set: fn(&PybTimerObj, u32) -> (u32, u32),
) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    this(vm, args)?;
    refresh(vm, args[0]);
    let Some(&v) = args.get(1) else {
        let r = get(this(vm, args)?);
        return vm.new_int(i64::from(r));
    };
    let v = vm.index_value(v)? as u32;
    let (prescaler, period) = set(this(vm, args)?, v);
    retime(vm, args[0], prescaler, period).map(|()| Obj::NONE)
}

/// Gives timer `o` a new prescaler and period, the counter going on from where it is.
fn retime(vm: &mut Vm, o: Obj, prescaler: u32, period: u32) -> PyResult<()> {
    let now = vm.port.ticks_us();
    let Some(t) = timer(vm, o) else {
        return Err(wrong_self(vm, "Timer"));
    };
    t.retime(now, prescaler, period);
    let (id, prescaler, period) = (t.id, t.config.prescaler, t.config.period);
    if hw_id(vm, o).is_some() {
        hw(vm)?.timer_set_registers(id, prescaler, period);
    }
    Ok(())
}

/// `prescaler([value])`: the source clock is divided by `prescaler + 1` (16 bits).
fn timer_prescaler(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    register(
        vm,
        args,
        kw,
        |t| t.config.prescaler,
        |t, v| (v, t.config.period),
    )
}

/// `period([value])`: the counter wraps after this count (16 bits, 32 on timers 2 and 5).
fn timer_period(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    register(
        vm,
        args,
        kw,
        |t| t.config.period,
        |t, v| (t.config.prescaler, v),
    )
}

/// `channel(channel, mode, ...)`: on a hardware timer (the simulated board's too), sets the
/// channel up (`pyb_timer_channel`); with the channel alone, the channel set up before (or
/// `None`). A timer without hardware has no channels: `NotImplementedError`.
fn timer_channel(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (on_hw, count) = this(vm, args).map(|t| (t.hw, t.channel_count))?;
    let Some(&ch) = args.get(1) else {
        raise!(
            vm,
            TYPE_ERROR,
            "function missing 1 required positional arguments"
        );
    };
    let ch = vm.index_value(ch)?;
    if !(1..=4).contains(&ch) || (on_hw && ch > i64::from(count)) {
        raise!(vm, VALUE_ERROR, "invalid channel ({})", ch);
    }
    let existing = this(vm, args)?
        .channels
        .get(ch as usize - 1)
        .copied()
        .unwrap_or(Obj::NONE);
    if args.len() == 2 && kw.is_empty() {
        return Ok(existing);
    }
    if on_hw {
        let c = super::pyb_timer_channel::channel_new(vm, args[0], ch as u8, &args[2..], kw)?;
        if let Some(slot) = this(vm, args)?.channels.get_mut(ch as usize - 1) {
            *slot = c;
        }
        sync(vm, args[0]);
        return Ok(c);
    }
    raise!(
        vm,
        NOT_IMPLEMENTED_ERROR,
        "Timer channels (PWM, compare, capture) need a hardware timer"
    )
}

/// The `repr` of a timer: `Timer(4)` before `init`, else its registers as MicroPython prints
/// them (with the dead time and break input of timers 1 and 8).
pub(crate) fn repr(t: &PybTimerObj) -> String {
    use core::fmt::Write;
    let mut s = alloc::format!("Timer({}", t.id);
    if t.running {
        // An int, worked out in 32 bits as the pyboard does (the product may wrap).
        let divisor = (t.config.prescaler + 1).wrapping_mul(t.config.period.wrapping_add(1));
        let freq = t.src.checked_div(divisor).unwrap_or(0);
        let mode = match t.config.mode {
            UP => "UP",
            DOWN => "DOWN",
            _ => "CENTER",
        };
        let _ = write!(
            s,
            ", freq={freq}, prescaler={}, period={}, mode={mode}, div={}",
            t.config.prescaler, t.config.period, t.config.div
        );
        if t.id == 1 || t.id == 8 {
            let brk = ["BRK_OFF", "BRK_LOW", "BRK_HIGH"];
            let brk = brk
                .get(usize::from(t.config.brk))
                .copied()
                .unwrap_or("BRK_HIGH");
            let _ = write!(s, ", deadtime={}, brk={brk}", deadtime_ticks(t.config.dtg));
        }
    }
    s.push(')');
    s
}

crate::native_table!(pub METHODS = [
    ("callback", timer_callback),
    ("channel", timer_channel),
    ("counter", timer_counter),
    ("deinit", timer_deinit),
    ("freq", timer_freq),
    ("init", timer_init),
    ("period", timer_period),
    ("prescaler", timer_prescaler),
    ("source_freq", timer_source_freq),
]);
