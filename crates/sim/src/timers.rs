//! The board's timers 1 to 14 (`timer`) and their pins, behind the `Hardware` timer methods
//! (`pyb.Timer` and its channels, in `hardware`).
//!
//! The timers count on the clock a UI gives the board ([`SimBoard::set_clock`]). A timer is
//! brought up to the clock by every timer method, at every edge of one of its inputs, and by
//! [`SimBoard::run_timers`], which a UI calls before it looks at the pins (and
//! [`SimBoard::take_events`] before it hands out the log).
//!
//! What the channels do to their pins: a PWM output shows its duty cycle as the board shows
//! `machine.PWM` ([`crate::Pwm`], an LED's intensity on the LED pins); an output compare makes
//! its pin an output at its reference level (the inverse when active low); an input capture or
//! encoder input reads the level the UI drives onto the pin, each edge going to the timer.
//!
//! The pins are those of the chip's alternate-function table (`pyrite_pyboard::ROUTES`, the
//! firmware's): a complementary output (`CHyN`) drives the channel's inverse and has no input.
//! A pin keeps its channel until `Pin.init`, `machine.PWM`, `pyb.LED` or another peripheral
//! takes it, or the timer's `deinit` gives it back (an LED's pin as a low output, any other as
//! an input).
//!
//! `machine.PWM` and the dimmed LEDs drive the channel of their pin's `machine.PWM` output
//! (`pyrite_pyboard::pwm_route`), as the firmware's `pwm.rs` does: the four channels of a timer
//! share its counter, so whoever sets its time base sets it for every output. `machine.PWM`
//! sets it from a frequency (MicroPython's prescaler and period, unless the timer makes that
//! frequency already) and a dimmed LED takes the one the timer runs with, else 100 Hz; both
//! keep a duty, their compare value worked out again for each new period (`pyb.Timer`'s
//! `init`, `freq()`, `prescaler()`, `period()` included), and `PWM.freq()` reads the timer's
//! frequency (`Hardware::pwm_freq`). A `pyb.Timer` channel keeps its compare value. A timer
//! that `machine.PWM` or an LED started stops with its last channel; one `pyb.Timer`
//! initialised counts until its `deinit`, which stops every output on it.

use alloc::boxed::Box;

use pyrite_core::hardware::{ChannelMode, HwResult, PinMode, Pull, EINVAL, ENODEV, ERANGE};
use pyrite_pyboard as pyboard;

use crate::board::{SimBoard, LED_PINS};
use crate::pins;
use crate::timer::{index, source_freq, Channel, Timer, COUNT};

/// The clock the board's timers count on: microseconds, never going back.
pub(crate) type Clock = Box<dyn FnMut() -> u64>;

/// Pin `pin`'s output of timer `timer` on one of `channels` (1 to 4): `ENODEV` when the pin
/// has no output of that timer, `EINVAL` when its output is another channel's.
fn route(pin: u16, timer: u8, channels: &[u8]) -> HwResult<pyboard::Route> {
    let pin = pins::chip_pin(pin).ok_or(ENODEV)?;
    pyboard::route(pin, timer, channels).map_err(|e| match e {
        pyboard::NoRoute::Timer => ENODEV,
        pyboard::NoRoute::Channel => EINVAL,
    })
}

impl SimBoard {
    /// Sets the clock the board's timers count on: microseconds, never going back (the port's
    /// `ticks_us`). Without one, time stands still and a timer counts nothing.
    pub fn set_clock(&mut self, clock: impl FnMut() -> u64 + 'static) {
        self.clock = Some(Box::new(clock));
    }

    /// The board's clock.
    fn now(&mut self) -> u64 {
        self.clock.as_mut().map_or(0, |clock| clock())
    }

    /// Brings every running timer up to the clock: the levels of output compare pins, and
    /// the interrupts that fired. A UI calls it before it looks at the pins.
    pub fn run_timers(&mut self) {
        if self.timers.iter().all(|t| !t.running) {
            return;
        }
        let now = self.now();
        for i in 0..COUNT {
            self.advance_timer(i, now);
        }
    }

    /// Brings timer `i` (its place) up to `now`, and shows the output levels that changed.
    fn advance_timer(&mut self, i: usize, now: u64) {
        let changed = self.timers.get_mut(i).map_or(0, |t| t.advance(now));
        for ch in 0..4 {
            if changed & (1 << ch) != 0 {
                self.show_channel(i, ch);
            }
        }
    }

    /// Timer `id`, brought up to the clock, with the clock.
    pub(crate) fn timer(&mut self, id: u8) -> Option<(&mut Timer, u64)> {
        let i = index(id)?;
        let now = self.now();
        self.advance_timer(i, now);
        Some((self.timers.get_mut(i)?, now))
    }

    /// Puts channel `ch` (0 for CH1) of timer `i`'s output on its pin: a PWM duty (the one
    /// `machine.PWM` or an LED keeps, else its compare value's), or an output compare's level.
    fn show_channel(&mut self, i: usize, ch: usize) {
        let Some(t) = self.timers.get(i) else {
            return;
        };
        let Some(Channel {
            mode,
            compare,
            pin: Some(pin),
            complementary,
            reference,
            duty,
        }) = t.channel(ch)
        else {
            return;
        };
        match mode {
            ChannelMode::Pwm { inverted } => {
                let mut pwm = t.pwm(compare, inverted ^ complementary);
                if let Some(duty) = duty {
                    pwm.duty_u16 = duty;
                }
                let Some(p) = self.pins.get_mut(usize::from(pin)) else {
                    return;
                };
                p.mode = PinMode::Alt;
                if p.pwm != Some(pwm) {
                    p.pwm = Some(pwm);
                    self.log_pwm(pin, Some(pwm));
                }
            }
            ChannelMode::Compare { low, .. } => {
                let Some(p) = self.pins.get_mut(usize::from(pin)) else {
                    return;
                };
                p.mode = PinMode::Output;
                p.out = reference ^ low ^ complementary;
                if p.pwm.take().is_some() {
                    self.log_pwm(pin, None);
                }
            }
            _ => return,
        }
        self.touch(pin);
    }

    /// Shows every output of timer `id` (after a new time base or compare value).
    pub(crate) fn show_timer(&mut self, id: u8) {
        if let Some(i) = index(id) {
            for ch in 0..4 {
                self.show_channel(i, ch);
            }
        }
    }

    /// Takes `pin` off the timer channel that has it, if any: a `pyb.Timer` channel goes on
    /// without it, one of `machine.PWM` or an LED stops. Whether a channel had it.
    pub(crate) fn detach_timer_pin(&mut self, pin: u16) -> bool {
        self.release_pin(pin, None, false)
    }

    /// Takes `pin` off every timer channel but `keep` (timer place, channel): a channel of
    /// `machine.PWM` or an LED stops, a `pyb.Timer` channel too when `all` (else it goes on
    /// without the pin). A timer that loses its last channel stops, unless `pyb.Timer`
    /// initialised it. Whether a channel had the pin.
    fn release_pin(&mut self, pin: u16, keep: Option<(usize, usize)>, all: bool) -> bool {
        let on_channel = |t: &Timer| t.channels.iter().flatten().any(|c| c.pin == Some(pin));
        if !self.timers.iter().any(on_channel) {
            return false;
        }
        // What the timers did until now happened with the pin on its channel.
        self.run_timers();
        let now = self.now();
        let mut found = false;
        for (i, t) in self.timers.iter_mut().enumerate() {
            let mut stopped = false;
            for (ch, slot) in t.channels.iter_mut().enumerate() {
                let Some(c) = slot.as_mut().filter(|c| c.pin == Some(pin)) else {
                    continue;
                };
                if keep == Some((i, ch)) {
                    continue;
                }
                found = true;
                if all || c.duty.is_some() {
                    *slot = None;
                    stopped = true;
                } else {
                    c.pin = None;
                }
            }
            if stopped && !t.held && t.channels.iter().all(Option::is_none) {
                t.halt(now);
            }
        }
        found
    }

    /// Makes `pin` a timer input: its alternate function, neither pull nor PWM.
    fn make_input(&mut self, pin: u16) {
        self.set_pin_free(pin, PinMode::Alt);
    }

    /// Gives back a pin a timer channel had: an LED's pin as a low output (the LED off), any
    /// other as an input.
    fn give_back(&mut self, pin: u16) {
        let mode = if LED_PINS.contains(&pin) {
            PinMode::Output
        } else {
            PinMode::Input
        };
        self.set_pin_free(pin, mode);
    }

    /// A pin a channel stopped driving because another pin took the channel: a low output.
    fn displace(&mut self, pin: u16) {
        self.set_pin_free(pin, PinMode::Output);
    }

    /// Puts `pin` in `mode` with no PWM: an output low, anything else without a pull.
    fn set_pin_free(&mut self, pin: u16, mode: PinMode) {
        let Some(p) = self.pins.get_mut(usize::from(pin)) else {
            return;
        };
        p.mode = mode;
        if mode == PinMode::Output {
            p.out = false;
        } else {
            p.pull = Pull::None;
        }
        if p.pwm.take().is_some() {
            self.log_pwm(pin, None);
        }
        self.touch(pin);
    }

    /// An edge of `pin`, now at `level` (from [`SimBoard::touch`]): a capture, or an
    /// encoder's count, if the pin is a timer input.
    pub(crate) fn timer_edge(&mut self, pin: u16, level: bool) {
        let found = self.timers.iter().enumerate().find_map(|(i, t)| {
            t.channels.iter().enumerate().find_map(|(ch, c)| {
                c.filter(|c| c.pin == Some(pin) && c.is_input() && !c.complementary)
                    .map(|c| (i, ch, c.mode))
            })
        });
        let Some((i, ch, mode)) = found else {
            return;
        };
        let now = self.now();
        self.advance_timer(i, now);
        let other = self
            .timers
            .get(i)
            .and_then(|t| t.channel(ch ^ 1))
            .and_then(|c| c.pin)
            .and_then(|p| self.pins.get(usize::from(p)))
            .is_some_and(|p| p.level());
        let Some(t) = self.timers.get_mut(i) else {
            return;
        };
        match mode {
            ChannelMode::Capture { .. } => t.capture(ch, level, now),
            ChannelMode::Encoder { .. } if ch < 2 => t.encoder_edge(ch as u8 + 1, level, other),
            _ => {}
        }
    }

    /// Stops timer `id`: back as after reset, the pins of its channels given back.
    pub(crate) fn stop_timer(&mut self, id: u8) {
        let Some(t) = index(id).and_then(|i| self.timers.get_mut(i)) else {
            return;
        };
        let channels = t.channels;
        *t = Timer::new(id);
        for pin in channels.iter().flatten().filter_map(|c| c.pin) {
            self.give_back(pin);
        }
    }

    /// Stops every timer in use (at a reset), giving their pins back.
    pub(crate) fn stop_timers(&mut self) {
        for id in 1..=COUNT as u8 {
            let used = index(id)
                .and_then(|i| self.timers.get(i))
                .is_some_and(|t| t.running || t.channels.iter().any(Option::is_some));
            if used {
                self.stop_timer(id);
            }
        }
    }

    /// `machine.PWM` or a dimmed LED on `pin`: the pin's `machine.PWM` channel (`route`) keeps
    /// `duty`/65535, at `freq` Hz or (`None`) with the time base its timer runs with. A
    /// frequency is the whole timer's (every channel that keeps a duty follows it), as
    /// MicroPython's `machine.PWM` sets it, unless the timer makes that frequency already; a
    /// stopped timer starts, counting up from 0. The pin leaves any other channel; the pin the
    /// channel drove before, if another, becomes a low output. `EINVAL` for a frequency too
    /// high for the timer, `ERANGE` too low.
    pub(crate) fn start_pwm(
        &mut self,
        pin: u16,
        route: pyboard::Route,
        freq: Option<u32>,
        duty: u16,
    ) -> HwResult<()> {
        let id = route.timer;
        let i = index(id).ok_or(ENODEV)?;
        let ch = usize::from(route.channel.wrapping_sub(1));
        let (t, now) = self.timer(id).ok_or(ENODEV)?;
        let time_base = match freq {
            Some(f) if !(t.running && t.pwm_freq() == f) => {
                let wide = pyboard::is_32bit(id);
                let (prescaler, period) = pyboard::pwm_time_base(source_freq(id), f, wide)
                    .map_err(|e| match e {
                        pyboard::FreqError::TooHigh => EINVAL,
                        pyboard::FreqError::TooLow => ERANGE,
                    })?;
                Some((prescaler - 1, period - 1))
            }
            _ => None,
        };
        self.release_pin(pin, Some((i, ch)), true);
        let t = self.timers.get_mut(i).ok_or(ENODEV)?;
        let slot = t.slot(ch).ok_or(ENODEV)?;
        let before = slot.and_then(|c| c.pin).filter(|&p| p != pin);
        *slot = Some(Channel {
            mode: ChannelMode::Pwm { inverted: false },
            compare: 0,
            pin: Some(pin),
            complementary: route.complementary,
            reference: false,
            duty: Some(duty),
        });
        if !t.running {
            t.start_up(now);
        }
        match time_base {
            Some((prescaler, period)) => t.retime(now, prescaler, period),
            None => t.keep_duties(),
        }
        if let Some(p) = before {
            self.displace(p);
        }
        self.show_timer(id);
        Ok(())
    }

    /// `machine.PWM`'s `deinit`: the channel driving `pin` stops (and its timer with its last
    /// channel, unless `pyb.Timer` initialised it); the pin is given back.
    pub(crate) fn stop_pwm(&mut self, pin: u16) {
        if self.release_pin(pin, None, true) {
            self.give_back(pin);
        }
    }

    /// The frequency `pin`'s PWM runs at, if `machine.PWM` or an LED drives it: its timer's,
    /// which `pyb.Timer` may have changed.
    pub(crate) fn pwm_freq_of(&self, pin: u16) -> Option<u32> {
        self.timers
            .iter()
            .find(|t| {
                t.channels
                    .iter()
                    .flatten()
                    .any(|c| c.pin == Some(pin) && c.duty.is_some())
            })
            .map(Timer::pwm_freq)
    }

    /// `Hardware::timer_channel`: channel `channel` of timer `id` in `mode` on `pin` (else on
    /// the pin it had), the counter running. A pin another channel had leaves it; the pin this
    /// channel had before, if another, becomes a low output. An encoder makes channels 1 and 2
    /// its inputs and counts from 0.
    pub(crate) fn set_timer_channel(
        &mut self,
        id: u8,
        channel: u8,
        pin: Option<u16>,
        mode: ChannelMode,
        compare: u32,
    ) -> HwResult<()> {
        let i = index(id).ok_or(ENODEV)?;
        if channel == 0 || channel > pyboard::channel_count(id) {
            return Err(ENODEV);
        }
        let mut ch = usize::from(channel - 1);
        let mut complementary = None;
        if let Some(p) = pin {
            if self.pin(p).is_none() {
                return Err(ENODEV);
            }
            let channels: &[u8] = match mode {
                ChannelMode::Encoder { .. } => &[1, 2],
                _ => &[channel],
            };
            let r = route(p, id, channels)?;
            ch = usize::from(r.channel - 1);
            complementary = Some(r.complementary);
        }
        let (t, now) = self.timer(id).ok_or(ENODEV)?;
        let mask = t.mask();
        let old = t.slot(ch).and_then(Option::take);
        if let Some(p) = pin {
            self.release_pin(p, None, true);
        }
        let new_pin = pin.or(old.and_then(|c| c.pin));
        if let Some(o) = old.and_then(|c| c.pin).filter(|&o| Some(o) != new_pin) {
            self.displace(o);
        }
        let mut c = Channel {
            mode,
            compare: old.map_or(0, |c| c.compare),
            pin: new_pin,
            complementary: complementary.unwrap_or(old.is_some_and(|c| c.complementary)),
            reference: old.is_some_and(|c| c.reference),
            duty: None,
        };
        match mode {
            ChannelMode::Pwm { .. } => c.compare = compare & mask,
            ChannelMode::Compare { ocm, .. } => {
                c.compare = compare & mask;
                // Forced inactive and forced active set the level at once.
                match ocm {
                    4 => c.reference = false,
                    5 => c.reference = true,
                    _ => {}
                }
            }
            ChannelMode::Capture { .. } | ChannelMode::Encoder { .. } => {
                // The pin becomes an input before the channel watches it: no edge from that.
                if let Some(p) = new_pin {
                    self.make_input(p);
                }
            }
        }
        if let ChannelMode::Encoder { inputs, edges } = mode {
            // The other of channels 1 and 2 becomes the encoder's other input.
            let other = ch ^ 1;
            let taken = self
                .timers
                .get_mut(i)
                .and_then(|t| t.slot(other))
                .and_then(Option::take);
            if let Some(p) = taken.and_then(|o| o.pin) {
                self.make_input(p);
            }
            if let Some(t) = self.timers.get_mut(i) {
                if let (Some(slot), Some(o)) = (t.slot(other), taken) {
                    *slot = Some(Channel {
                        mode,
                        duty: None,
                        ..o
                    });
                }
                t.start_encoder(inputs, edges);
            }
        }
        let t = self.timers.get_mut(i).ok_or(ENODEV)?;
        if let Some(slot) = t.slot(ch) {
            *slot = Some(c);
        }
        t.resume(now);
        self.show_channel(i, ch);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_the_pyboard_tables_in_the_boards_errors() {
        let x1 = pins::pin_by_name("X1").unwrap();
        assert!(route(x1, 2, &[1]).is_ok());
        assert_eq!(route(x1, 2, &[2]).err(), Some(EINVAL));
        assert_eq!(route(x1, 4, &[1]).err(), Some(ENODEV));
        assert_eq!(route(0x100, 2, &[1]).err(), Some(ENODEV));
    }
}
