//! Who drives the STM32F405's timers (`timer`): `machine.PWM` and the dimmed LEDs in PWM mode
//! 1, as MicroPython's stm32 port drives them (`ports/stm32/machine_pwm.c`), and `pyb.Timer`
//! with its channels (`ports/stm32/timer.c`): PWM, output compare, input capture and the
//! encoder interface.
//!
//! Which pin is on which timer channel, through which alternate function, is
//! `pyrite_pyboard`'s table (`ROUTES`): `Timer.channel(pin=...)` takes the pin's output of
//! that timer and channel ([`output_of`]; a complementary `CHyN` output is driven with its
//! channel, as its inverse; an input capture's pin is the channel's input through the same
//! function, and an encoder's either of channels 1 and 2), `machine.PWM` the one MicroPython
//! chooses for the pin (`pyrite_pyboard::pwm_route`: `X1`-`X4` on TIM5, a 32-bit timer; the
//! pyboard's LEDs 3 (A15) and 4 (B4) on TIM2_CH1 and TIM3_CH1).
//!
//! The four channels of a timer share its counter, so whoever sets the timer's time base sets
//! it for every output of the timer:
//! - `machine.PWM` and a dimmed LED set it from a frequency (setting one sets it for all),
//!   unless the timer makes that frequency already, and keep a duty: their compare value is
//!   worked out again for each new period. A dimmed LED takes the time base the timer runs
//!   with, else 100 Hz. Their frequency is the one the timer makes, read from its prescaler
//!   and period registers ([`Pwm::freq_of`], `PWM.freq()`): `machine.PWM` then keeps the time
//!   base `pyb.Timer` set when only its duty changes.
//! - `pyb.Timer`'s `init`, `freq()`, `prescaler()` and `period()` set MicroPython's prescaler
//!   and period; the timer then counts until its `deinit`, with or without channels. A
//!   `pyb.Timer` channel keeps its compare value (its pulse width, in counts) whatever the
//!   period, as on MicroPython.
//!
//! `pyb.Timer.deinit` stops the timer and every output on it, `machine.PWM`'s and the LEDs'
//! included. One channel drives one pin and one pin is driven by one channel: whichever starts
//! last takes the channel (the pin it drove before goes back to a low output; `X6` shares
//! TIM2_CH1 with LED 3), and a pin moved to another channel leaves its old one off.
//!
//! Prescaler and period from a frequency come from the timer's clock (APB1 timers at 84 MHz
//! and APB2 timers at 168 MHz on the pyboard, both at the 16 MHz HSI under QEMU) as
//! MicroPython's `machine.PWM` computes them (`pyrite_pyboard::pwm_time_base`). A period of 1
//! or less is a frequency too high (`EINVAL`); a prescaler beyond 16 bits, one too low
//! (`ERANGE`, which no frequency of 1 Hz or more reaches here).

use pyrite_core::hardware::{
    ChannelMode, HwResult, TimerConfig, EINVAL, ENODEV, ERANGE, IRQ_FALLING, IRQ_RISING,
};
use pyrite_pyboard::{self as pyboard, FreqError, NoRoute, Route};

use crate::gpio::PinCode;
use crate::timer::{self, Timer};

/// The `OCxM` field of PWM modes 1 and 2.
const PWM_MODE_1: u8 = 6;
const PWM_MODE_2: u8 = 7;

/// Pin `code`'s output of `timer` on one of `channels` (from 1): `ENODEV` when the pin has no
/// output of that timer, `EINVAL` when its output is another channel's.
pub fn output_of(code: PinCode, timer: Timer, channels: &[u8]) -> HwResult<Route> {
    pyboard::route(code, timer.id(), channels).map_err(|e| match e {
        NoRoute::Timer => ENODEV,
        NoRoute::Channel => EINVAL,
    })
}

/// The timer and channel (0 for CH1) of `route`.
pub fn channel_of(route: Route) -> Option<(Timer, u8)> {
    Some((Timer::new(route.timer)?, route.channel.wrapping_sub(1)))
}

/// How a channel's compare value is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    /// `machine.PWM` or a dimmed LED: a duty out of 65535, worked out again for each period.
    Duty(u16),
    /// A `pyb.Timer` channel: the compare register is its pulse width, in counts.
    Pulse,
}

/// A channel in use: the board's handle of the pin it drives (if any), and its level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Channel {
    pin: Option<u16>,
    level: Level,
}

/// A timer's users.
#[derive(Clone, Copy, Default)]
struct TimerUse {
    /// Counting.
    running: bool,
    /// Initialised by `pyb.Timer`: it counts until `deinit`, with or without channels.
    held: bool,
    channels: [Option<Channel>; 4],
}

/// The prescaler and the period (both at least 1) that make `freq` Hz from `clock` Hz.
fn divide(clock: u32, freq: u32, wide: bool) -> HwResult<(u32, u32)> {
    pyboard::pwm_time_base(clock, freq, wide).map_err(|e| match e {
        FreqError::TooHigh => EINVAL,
        FreqError::TooLow => ERANGE,
    })
}

/// The compare value of `duty`/65535 of a period of `period` counts, rounded.
fn compare(duty: u16, period: u64) -> u32 {
    let cc = (u64::from(duty) * period + 65535 / 2) / 65535;
    cc.min(period).min(u64::from(u32::MAX)) as u32
}

/// The counts in a period of `timer` (its period register plus one).
fn counts(timer: Timer) -> u64 {
    u64::from(timer.time_base().1) + 1
}

/// The timers' users: which timers run, with what time base, driving which pins.
pub struct Pwm {
    /// The timer clocks of APB1 and APB2, in Hz.
    clocks: (u32, u32),
    timers: [TimerUse; timer::COUNT],
}

impl Pwm {
    /// Nothing running; the timers' bus clocks are on, their timer clocks `apb1` and `apb2`
    /// Hz.
    pub fn new(apb1: u32, apb2: u32) -> Pwm {
        Pwm {
            clocks: (apb1, apb2),
            timers: [TimerUse::default(); timer::COUNT],
        }
    }

    /// The clock `timer` counts, in Hz.
    pub fn clock(&self, timer: Timer) -> u32 {
        if timer.on_apb2() {
            self.clocks.1
        } else {
            self.clocks.0
        }
    }

    /// The frequency of `timer`'s PWM outputs, from its prescaler and period registers and
    /// its clock; `None` while its period register reads 0 (a timer that counts nothing, and
    /// under QEMU, a timer it does not model).
    pub fn freq(&self, timer: Timer) -> Option<u32> {
        let (prescaler, period) = timer.time_base();
        let center = timer.center_aligned();
        (period > 0).then(|| pyboard::pwm_freq(self.clock(timer), prescaler, period, center))
    }

    /// The frequency of the output pin `pin` (a board handle) drives for `machine.PWM` or a
    /// dimmed LED, if it drives one: its timer's, whoever set the time base.
    pub fn freq_of(&self, pin: u16) -> Option<u32> {
        let (i, _, c) = self.find(pin)?;
        match c.level {
            Level::Duty(_) => self.freq(Timer::at(i)?),
            Level::Pulse => None,
        }
    }

    /// Whether the timer of `route` runs.
    pub fn running(&self, route: Route) -> bool {
        channel_of(route)
            .and_then(|(timer, _)| self.timers.get(timer.index()))
            .is_some_and(|t| t.running)
    }

    /// The duty out of 65535 of the channel pin `pin` (a board handle) drives, if it drives
    /// one (a `pyb.Timer` channel's from its compare value and the period).
    pub fn duty_of(&self, pin: u16) -> Option<u16> {
        let (i, ch, c) = self.find(pin)?;
        match c.level {
            Level::Duty(duty) => Some(duty),
            Level::Pulse => {
                let timer = Timer::at(i)?;
                let duty = u64::from(timer.compare(ch)) * 65535 / counts(timer);
                Some(duty.min(65535) as u16)
            }
        }
    }

    /// The timer place, channel and record of the channel pin `pin` drives, if any.
    fn find(&self, pin: u16) -> Option<(usize, u8, Channel)> {
        self.timers.iter().enumerate().find_map(|(i, t)| {
            t.channels
                .iter()
                .enumerate()
                .find_map(|(ch, c)| c.filter(|c| c.pin == Some(pin)).map(|c| (i, ch as u8, c)))
        })
    }

    /// Drives `route`'s channel with `duty`/65535 for pin `pin` (the board's handle): at
    /// `freq` Hz (above 0), or with the time base the timer runs with when `freq` is `None` or
    /// the one it makes already (so a new duty keeps the time base `pyb.Timer` set).
    /// The pin that drove the channel before, if another one did. The pin's alternate
    /// function is the caller's to set.
    pub fn start(
        &mut self,
        pin: u16,
        route: Route,
        freq: Option<u32>,
        duty: u16,
    ) -> HwResult<Option<u16>> {
        let (timer, ch) = channel_of(route).ok_or(ENODEV)?;
        let t = *self.timers.get(timer.index()).ok_or(ENODEV)?;
        let time_base = match freq {
            Some(f) if !(t.running && self.freq(timer) == Some(f)) => {
                let (prescaler, period) = divide(self.clock(timer), f, timer.wide())?;
                Some((prescaler - 1, period - 1))
            }
            _ => None,
        };
        let before = self.attach(timer, ch, Some(pin), Level::Duty(duty));
        if !t.running {
            // Up-counting, the period buffered so that a change takes effect at the next
            // update rather than mid-period.
            timer.set_mode(0, 1);
        }
        timer.set_output_mode(ch, PWM_MODE_1, true);
        timer.set_output_polarity(ch, false);
        match time_base {
            Some((prescaler, period)) => self.retime(timer, prescaler, period),
            None => timer.set_compare(ch, compare(duty, counts(timer))),
        }
        if !t.running {
            // Loads the prescaler, period and compare values, then counts.
            timer.start();
            if let Some(t) = self.timers.get_mut(timer.index()) {
                t.running = true;
            }
        }
        timer.enable_output(ch, true);
        Ok(before)
    }

    /// Stops the channel pin `pin` drives, if it drives one; the timer stops with its last
    /// channel unless `pyb.Timer` holds it. Whether it drove one.
    pub fn stop(&mut self, pin: u16) -> bool {
        match self.find(pin) {
            Some((i, ch, _)) => {
                self.stop_channel(i, ch);
                true
            }
            None => false,
        }
    }

    /// Stops channel `ch` of the timer at place `i`.
    fn stop_channel(&mut self, i: usize, ch: u8) {
        let (Some(timer), Some(t)) = (Timer::at(i), self.timers.get_mut(i)) else {
            return;
        };
        if let Some(slot) = t.channels.get_mut(usize::from(ch)) {
            *slot = None;
        }
        timer.enable_output(ch, false);
        if !t.held && t.channels.iter().all(Option::is_none) {
            t.running = false;
            timer.stop();
        }
    }

    /// Gives channel `ch` of `timer` to `pin` (to the pin it drove, if `pin` is `None`) at
    /// `level`; the pin it drove before, if another. `pin` leaves any other channel.
    fn attach(&mut self, timer: Timer, ch: u8, pin: Option<u16>, level: Level) -> Option<u16> {
        let i = timer.index();
        if let Some((j, other, _)) = pin.and_then(|p| self.find(p)) {
            if (j, other) != (i, ch) {
                self.stop_channel(j, other);
            }
        }
        let slot = self.timers.get_mut(i)?.channels.get_mut(usize::from(ch))?;
        let old = slot.and_then(|c| c.pin);
        let pin = pin.or(old);
        *slot = Some(Channel { pin, level });
        old.filter(|&p| Some(p) != pin)
    }

    /// Sets `timer`'s prescaler and period registers, and works the compare values of the
    /// channels that keep a duty out again for the new period.
    fn retime(&mut self, timer: Timer, prescaler: u32, period: u32) {
        timer.set_time_base(prescaler, period);
        let counts = u64::from(period & timer.mask()) + 1;
        let Some(t) = self.timers.get(timer.index()) else {
            return;
        };
        for (ch, c) in t.channels.iter().enumerate() {
            if let Some(Channel {
                level: Level::Duty(duty),
                ..
            }) = c
            {
                timer.set_compare(ch as u8, compare(*duty, counts));
            }
        }
    }

    /// `pyb.Timer.init`: `config`'s time base and mode, counting from the start of a period
    /// until [`Pwm::deinit`]; the channels go on (those that keep a duty at the new period).
    pub fn init(&mut self, timer: Timer, config: &TimerConfig) {
        timer.set_mode(config.mode, config.div);
        timer.set_break(config.dtg, config.brk);
        timer.set_update_irq(false);
        self.retime(timer, config.prescaler, config.period);
        timer.start();
        if let Some(t) = self.timers.get_mut(timer.index()) {
            t.held = true;
            t.running = true;
        }
    }

    /// `pyb.Timer`'s `freq()`, `prescaler()` and `period()`: a new time base for every user
    /// of `timer`.
    pub fn set_time_base(&mut self, timer: Timer, prescaler: u32, period: u32) {
        self.retime(timer, prescaler, period);
    }

    /// `pyb.Timer.deinit`: stops `timer`, its update interrupt and every channel; the pins the
    /// channels drove, for the caller to give back.
    pub fn deinit(&mut self, timer: Timer) -> [Option<u16>; 4] {
        timer.set_update_irq(false);
        let mut pins = [None; 4];
        let Some(t) = self.timers.get_mut(timer.index()) else {
            return pins;
        };
        for (slot, pin) in t.channels.iter_mut().zip(pins.iter_mut()) {
            *pin = slot.take().and_then(|c| c.pin);
        }
        timer.reset_channels();
        *t = TimerUse::default();
        timer.stop();
        pins
    }

    /// `pyb.Timer.channel`: channel `ch` (0 for CH1) of `timer` in `mode`, an output mode with
    /// compare value `compare`, driving `pin` (or the pin it drove), and the counter running;
    /// the pin it drove before, if another. An encoder takes inputs 1 and 2 and starts
    /// counting from 0. The pin's alternate function is the caller's to set (from
    /// [`output_of`]).
    pub fn channel(
        &mut self,
        timer: Timer,
        ch: u8,
        pin: Option<u16>,
        mode: ChannelMode,
        compare: u32,
    ) -> Option<u16> {
        let before = self.attach(timer, ch, pin, Level::Pulse);
        match mode {
            ChannelMode::Pwm { inverted } => {
                let ocm = if inverted { PWM_MODE_2 } else { PWM_MODE_1 };
                timer.set_output_mode(ch, ocm, true);
                timer.set_output_polarity(ch, false);
                timer.set_compare(ch, compare);
                timer.enable_output(ch, true);
            }
            ChannelMode::Compare { ocm, low } => {
                timer.set_output_mode(ch, ocm, false);
                timer.set_output_polarity(ch, low);
                timer.set_compare(ch, compare);
                timer.enable_output(ch, true);
            }
            ChannelMode::Capture { edges } => {
                timer.set_input_mode(ch);
                set_edges(timer, ch, edges);
                timer.enable_input(ch, true);
            }
            ChannelMode::Encoder { inputs, edges } => {
                for input in 0..2 {
                    timer.set_input_mode(input);
                    set_edges(timer, input, edges);
                }
                timer.set_encoder(inputs);
                timer.set_counter(0);
                timer.enable_input(0, true);
                timer.enable_input(1, true);
            }
        }
        timer.run();
        if let Some(t) = self.timers.get_mut(timer.index()) {
            t.running = true;
        }
        before
    }
}

/// Sets the polarity bits of input channel `ch` of `timer` to capture on `edges`
/// (`IRQ_RISING`, `IRQ_FALLING` or both).
fn set_edges(timer: Timer, ch: u8, edges: u8) {
    let both = edges == IRQ_RISING | IRQ_FALLING;
    timer.set_input_polarity(ch, edges & IRQ_FALLING != 0, both);
}
