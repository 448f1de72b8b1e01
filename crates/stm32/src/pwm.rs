//! Who drives the STM32F405's timers (`timer`): `machine.PWM` and the dimmed LEDs in PWM mode
//! 1, as MicroPython's stm32 port drives them (`ports/stm32/machine_pwm.c`), and `pyb.Timer`
//! with its channels (`ports/stm32/timer.c`): PWM, output compare, input capture and the
//! encoder interface.
//!
//! [`ROUTES`] lists every `TIMx_CHy` and `TIMx_CHyN` function of the pins the board offers,
//! from the chip's alternate-function table. `Timer.channel(pin=...)` takes the pin's output of
//! that timer and channel (a complementary `CHyN` output is driven with its channel, as its
//! inverse; an input capture's pin is the channel's input through the same function, and an
//! encoder's either of channels 1 and 2). `machine.PWM` takes the one MicroPython chooses for the pin: the second `TIMx_CHy`
//! function of the pin (its first if it has one), never a complementary output; that puts
//! `X1`-`X4` on TIM5, a 32-bit timer. The pyboard's LEDs 3 (A15) and 4 (B4) are on TIM2_CH1
//! and TIM3_CH1.
//!
//! The four channels of a timer share its counter, so whoever sets the timer's time base sets
//! it for every output of the timer:
//! - `machine.PWM` and a dimmed LED set it from a frequency (setting one sets it for all) and
//!   keep a duty: their compare value is worked out again for each new period. A dimmed LED
//!   takes the time base the timer runs with, else 100 Hz.
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
//! MicroPython's `machine.PWM` computes them: the period is the clock over the frequency,
//! rounded; a 32-bit timer keeps a prescaler of 1, a 16-bit one takes the smallest prescaler
//! (dividing by 5, 3, then 2) that fits the period into 16 bits. A period of 1 or less is a
//! frequency too high (`EINVAL`); a prescaler beyond 16 bits, one too low (`ERANGE`, which no
//! frequency of 1 Hz or more reaches here).

use pyrite_core::hardware::{
    ChannelMode, HwResult, TimerConfig, EINVAL, ENODEV, ERANGE, IRQ_FALLING, IRQ_RISING,
};

use crate::gpio::{pin, PinCode};
use crate::timer::{self, Timer};
use crate::timer::{TIM1, TIM10, TIM11, TIM12, TIM13, TIM14, TIM2, TIM3, TIM4, TIM5, TIM8, TIM9};

/// The `OCxM` field of PWM modes 1 and 2.
const PWM_MODE_1: u8 = 6;
const PWM_MODE_2: u8 = 7;

/// A pin's output of a timer channel: the timer, the channel (0 for CH1), the alternate
/// function that connects the pin to it, and whether it is the pin's `machine.PWM` output.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    pub pin: PinCode,
    timer: Timer,
    pub channel: u8,
    pub af: u8,
    pwm: bool,
}

/// Pin `pin`'s `TIMx_CHy` (`channel` from 1) on alternate function `af`.
const fn ch(pin: PinCode, timer: Timer, channel: u8, af: u8) -> Route {
    Route {
        pin,
        timer,
        channel: channel - 1,
        af,
        pwm: false,
    }
}

/// As [`ch`], the pin's `machine.PWM` output.
const fn pwm(pin: PinCode, timer: Timer, channel: u8, af: u8) -> Route {
    Route {
        pwm: true,
        ..ch(pin, timer, channel, af)
    }
}

/// Pin `pin`'s complementary output `TIMx_CHyN`: to the board, the channel's (an advanced
/// timer drives both outputs of a channel).
const fn chn(pin: PinCode, timer: Timer, channel: u8, af: u8) -> Route {
    ch(pin, timer, channel, af)
}

/// The timer outputs of the pins offered (see the module doc), pin by pin.
const ROUTES: [Route; 46] = [
    ch(pin('A', 0), TIM2, 1, 1), // X1
    pwm(pin('A', 0), TIM5, 1, 2),
    ch(pin('A', 1), TIM2, 2, 1), // X2
    pwm(pin('A', 1), TIM5, 2, 2),
    ch(pin('A', 2), TIM2, 3, 1), // X3
    pwm(pin('A', 2), TIM5, 3, 2),
    ch(pin('A', 2), TIM9, 1, 3),
    ch(pin('A', 3), TIM2, 4, 1), // X4
    pwm(pin('A', 3), TIM5, 4, 2),
    ch(pin('A', 3), TIM9, 2, 3),
    pwm(pin('A', 5), TIM2, 1, 1), // X6
    chn(pin('A', 5), TIM8, 1, 3),
    ch(pin('A', 6), TIM3, 1, 2), // X7
    pwm(pin('A', 6), TIM13, 1, 9),
    chn(pin('A', 7), TIM1, 1, 1), // X8
    ch(pin('A', 7), TIM3, 2, 2),
    chn(pin('A', 7), TIM8, 1, 3),
    pwm(pin('A', 7), TIM14, 1, 9),
    pwm(pin('B', 6), TIM4, 1, 2), // X9
    pwm(pin('B', 7), TIM4, 2, 2), // X10
    pwm(pin('B', 3), TIM2, 2, 1), // X17
    ch(pin('C', 6), TIM3, 1, 2),  // Y1
    pwm(pin('C', 6), TIM8, 1, 3),
    ch(pin('C', 7), TIM3, 2, 2), // Y2
    pwm(pin('C', 7), TIM8, 2, 3),
    ch(pin('B', 8), TIM4, 3, 2), // Y3
    pwm(pin('B', 8), TIM10, 1, 3),
    ch(pin('B', 9), TIM4, 4, 2), // Y4
    pwm(pin('B', 9), TIM11, 1, 3),
    chn(pin('B', 13), TIM1, 1, 1), // Y6
    chn(pin('B', 14), TIM1, 2, 1), // Y7
    chn(pin('B', 14), TIM8, 2, 3),
    pwm(pin('B', 14), TIM12, 1, 9),
    chn(pin('B', 15), TIM1, 3, 1), // Y8
    chn(pin('B', 15), TIM8, 3, 3),
    pwm(pin('B', 15), TIM12, 2, 9),
    pwm(pin('B', 10), TIM2, 3, 1), // Y9
    pwm(pin('B', 11), TIM2, 4, 1), // Y10
    chn(pin('B', 0), TIM1, 2, 1),  // Y11
    pwm(pin('B', 0), TIM3, 3, 2),
    chn(pin('B', 0), TIM8, 2, 3),
    chn(pin('B', 1), TIM1, 3, 1), // Y12
    pwm(pin('B', 1), TIM3, 4, 2),
    chn(pin('B', 1), TIM8, 3, 3),
    pwm(pin('A', 15), TIM2, 1, 1), // LED 3 (yellow)
    pwm(pin('B', 4), TIM3, 1, 2),  // LED 4 (blue)
];

/// Pin `code`'s `machine.PWM` output, if it has one.
pub fn route_of(code: PinCode) -> Option<Route> {
    ROUTES.iter().find(|r| r.pin == code && r.pwm).copied()
}

/// Pin `code`'s output of channel `channel` (0 for CH1) of `timer`: `ENODEV` when the pin has
/// no output of that timer, `EINVAL` when its output is another channel's.
pub fn output_of(code: PinCode, timer: Timer, channel: u8) -> HwResult<Route> {
    let mut on_timer = ROUTES
        .iter()
        .filter(|r| r.pin == code && r.timer == timer)
        .peekable();
    if on_timer.peek().is_none() {
        return Err(ENODEV);
    }
    on_timer
        .find(|r| r.channel == channel)
        .copied()
        .ok_or(EINVAL)
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
    /// The frequency `machine.PWM` or an LED set the time base to (0 when `pyb.Timer` set it).
    freq: u32,
    channels: [Option<Channel>; 4],
}

/// The prescaler and the period (both at least 1) that make `freq` Hz from `clock` Hz.
fn divide(clock: u32, freq: u32, wide: bool) -> HwResult<(u32, u32)> {
    let freq = u64::from(freq.max(1));
    let mut period = (u64::from(clock) + freq / 2) / freq;
    let mut prescaler = 1u64;
    if !wide {
        while period > 0xffff {
            if period % 5 == 0 {
                prescaler *= 5;
                period /= 5;
            } else if period % 3 == 0 {
                prescaler *= 3;
                period /= 3;
            } else {
                prescaler <<= 1;
                period >>= 1;
            }
        }
    }
    if period <= 1 {
        return Err(EINVAL);
    }
    if prescaler > 0x1_0000 || period > u64::from(u32::MAX) {
        return Err(ERANGE);
    }
    Ok((prescaler as u32, period as u32))
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

    /// Whether the timer of `route` runs.
    pub fn running(&self, route: Route) -> bool {
        self.timers
            .get(route.timer.index())
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
    /// `freq` Hz (above 0), or with the time base the timer runs with when `freq` is `None`.
    /// The pin that drove the channel before, if another one did. The pin's alternate
    /// function is the caller's to set.
    pub fn start(
        &mut self,
        pin: u16,
        route: Route,
        freq: Option<u32>,
        duty: u16,
    ) -> HwResult<Option<u16>> {
        let timer = route.timer;
        let t = *self.timers.get(timer.index()).ok_or(ENODEV)?;
        let time_base = match freq {
            Some(f) if !(t.running && t.freq == f) => {
                let (prescaler, period) = divide(self.clock(timer), f, timer.wide())?;
                Some((f, prescaler - 1, period - 1))
            }
            _ => None,
        };
        let before = self.attach(timer, route.channel, Some(pin), Level::Duty(duty));
        if !t.running {
            // Up-counting, the period buffered so that a change takes effect at the next
            // update rather than mid-period.
            timer.set_mode(0, 1);
        }
        timer.set_output_mode(route.channel, PWM_MODE_1, true);
        timer.set_output_polarity(route.channel, false);
        match time_base {
            Some((f, prescaler, period)) => {
                self.retime(timer, prescaler, period);
                if let Some(t) = self.timers.get_mut(timer.index()) {
                    t.freq = f;
                }
            }
            None => timer.set_compare(route.channel, compare(duty, counts(timer))),
        }
        if !t.running {
            // Loads the prescaler, period and compare values, then counts.
            timer.start();
            if let Some(t) = self.timers.get_mut(timer.index()) {
                t.running = true;
            }
        }
        timer.enable_output(route.channel, true);
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
            t.freq = 0;
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
            t.freq = 0;
        }
    }

    /// `pyb.Timer`'s `freq()`, `prescaler()` and `period()`: a new time base for every user
    /// of `timer`.
    pub fn set_time_base(&mut self, timer: Timer, prescaler: u32, period: u32) {
        self.retime(timer, prescaler, period);
        if let Some(t) = self.timers.get_mut(timer.index()) {
            t.freq = 0;
        }
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
