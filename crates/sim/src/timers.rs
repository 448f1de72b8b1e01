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
//! The pins are those of the chip's alternate-function table ([`ROUTES`], as the firmware's):
//! a complementary output (`CHyN`) drives the channel's inverse and has no input. A pin keeps
//! its channel until `Pin.init`, `machine.PWM`, `pyb.LED` or another peripheral takes it, or
//! the timer's `deinit` gives it back (an LED's pin as a low output, any other as an input).
//! Unlike on the firmware, `machine.PWM` and the dimmed LEDs keep their own frequency here
//! rather than sharing their timer's time base.

use alloc::boxed::Box;

use pyrite_core::hardware::{ChannelMode, HwResult, PinMode, Pull, EINVAL, ENODEV};

use crate::board::{SimBoard, LED_PINS};
use crate::timer::{channel_count, index, Channel, Timer, COUNT};

/// The clock the board's timers count on: microseconds, never going back.
pub(crate) type Clock = Box<dyn FnMut() -> u64>;

/// A pin's output of a timer channel.
#[derive(Clone, Copy)]
struct Route {
    pin: u16,
    timer: u8,
    /// 1 to 4.
    channel: u8,
    /// A complementary output `CHyN`.
    complementary: bool,
}

/// The CPU's ports as the board numbers its pins.
const A: u16 = 0;
const B: u16 = 16;
const C: u16 = 32;

/// `TIMx_CHy` of pin `pin`.
const fn ch(pin: u16, timer: u8, channel: u8) -> Route {
    Route {
        pin,
        timer,
        channel,
        complementary: false,
    }
}

/// `TIMx_CHyN` of pin `pin`.
const fn chn(pin: u16, timer: u8, channel: u8) -> Route {
    Route {
        complementary: true,
        ..ch(pin, timer, channel)
    }
}

/// The timer outputs of the pins the board offers, from the STM32F405's alternate-function
/// table (the firmware's `pwm::ROUTES`).
const ROUTES: [Route; 46] = [
    ch(A, 2, 1), // X1
    ch(A, 5, 1),
    ch(A + 1, 2, 2), // X2
    ch(A + 1, 5, 2),
    ch(A + 2, 2, 3), // X3
    ch(A + 2, 5, 3),
    ch(A + 2, 9, 1),
    ch(A + 3, 2, 4), // X4
    ch(A + 3, 5, 4),
    ch(A + 3, 9, 2),
    ch(A + 5, 2, 1), // X6
    chn(A + 5, 8, 1),
    ch(A + 6, 3, 1), // X7
    ch(A + 6, 13, 1),
    chn(A + 7, 1, 1), // X8
    ch(A + 7, 3, 2),
    chn(A + 7, 8, 1),
    ch(A + 7, 14, 1),
    ch(B + 6, 4, 1), // X9
    ch(B + 7, 4, 2), // X10
    ch(B + 3, 2, 2), // X17
    ch(C + 6, 3, 1), // Y1
    ch(C + 6, 8, 1),
    ch(C + 7, 3, 2), // Y2
    ch(C + 7, 8, 2),
    ch(B + 8, 4, 3), // Y3
    ch(B + 8, 10, 1),
    ch(B + 9, 4, 4), // Y4
    ch(B + 9, 11, 1),
    chn(B + 13, 1, 1), // Y6
    chn(B + 14, 1, 2), // Y7
    chn(B + 14, 8, 2),
    ch(B + 14, 12, 1),
    chn(B + 15, 1, 3), // Y8
    chn(B + 15, 8, 3),
    ch(B + 15, 12, 2),
    ch(B + 10, 2, 3), // Y9
    ch(B + 11, 2, 4), // Y10
    chn(B, 1, 2),     // Y11
    ch(B, 3, 3),
    chn(B, 8, 2),
    chn(B + 1, 1, 3), // Y12
    ch(B + 1, 3, 4),
    chn(B + 1, 8, 3),
    ch(A + 15, 2, 1), // LED 3 (yellow)
    ch(B + 4, 3, 1),  // LED 4 (blue)
];

/// Pin `pin`'s output of timer `timer` on one of `channels` (1 to 4): `ENODEV` when the pin
/// has no output of that timer, `EINVAL` when its output is another channel's.
fn route(pin: u16, timer: u8, channels: &[u8]) -> HwResult<Route> {
    let mut on_timer = ROUTES
        .iter()
        .filter(|r| r.pin == pin && r.timer == timer)
        .peekable();
    if on_timer.peek().is_none() {
        return Err(ENODEV);
    }
    on_timer
        .find(|r| channels.contains(&r.channel))
        .copied()
        .ok_or(EINVAL)
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

    /// Puts channel `ch` (0 for CH1) of timer `i`'s output on its pin: a PWM duty, or an
    /// output compare's level.
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
        }) = t.channel(ch)
        else {
            return;
        };
        match mode {
            ChannelMode::Pwm { inverted } => {
                let pwm = t.pwm(compare, inverted ^ complementary);
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

    /// Takes `pin` off the timer channel that has it, if any (the channel goes on without
    /// it).
    pub(crate) fn detach_timer_pin(&mut self, pin: u16) {
        for t in &mut self.timers {
            for c in t.channels.iter_mut().flatten() {
                if c.pin == Some(pin) {
                    c.pin = None;
                }
            }
        }
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
        if channel == 0 || channel > channel_count(id) {
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
            for t in &mut self.timers {
                for slot in &mut t.channels {
                    if slot.is_some_and(|c| c.pin == Some(p)) {
                        *slot = None;
                    }
                }
            }
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
                    *slot = Some(Channel { mode, ..o });
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
    fn every_route_is_a_channel_of_its_timer() {
        for r in ROUTES {
            assert!((1..=channel_count(r.timer)).contains(&r.channel));
            assert!(crate::pins::pin_name(r.pin).is_some());
        }
    }

    #[test]
    fn routes_tell_a_missing_timer_from_another_channel() {
        assert!(route(A, 2, &[1]).is_ok());
        assert_eq!(route(A, 2, &[2]).err(), Some(EINVAL));
        assert_eq!(route(A, 4, &[1]).err(), Some(ENODEV));
        assert!(route(A + 7, 1, &[1]).is_ok_and(|r| r.complementary));
    }
}
