//! `machine.PWM` on the LED PWM controller (LEDC): 6 channels, each driving one pin, fed by 4
//! timers, one per frequency in use (pins at the same frequency share a timer, as in
//! MicroPython's ESP32 port).
//!
//! esp-hal's LEDC handles borrow each other (a channel borrows its timer), so they are made
//! afresh for every change and dropped: the settings live in the peripheral, and the handles
//! have no `Drop` that would undo them. Writing a timer's settings again with the same values
//! does not restart it, so a change of one pin's duty leaves the pins sharing its timer alone.

use esp_hal::gpio::DriveMode;
use esp_hal::ledc::channel::{self, ChannelHW, ChannelIFace};
use esp_hal::ledc::timer::{self, TimerIFace};
use esp_hal::ledc::{LSGlobalClkSource, Ledc, LowSpeed};
use esp_hal::peripherals::LEDC;
use esp_hal::time::Rate;
use pyrite_core::hardware::{HwResult, EINVAL, ENODEV, ERANGE};

use crate::pin;

/// The LEDC's clock (APB).
const SOURCE_HZ: u32 = 80_000_000;
/// The finest duty resolution of the ESP32-C3's LEDC.
const MAX_DUTY_BITS: u32 = 14;
const CHANNELS: usize = 6;
const TIMERS: usize = 4;

/// A timer in use: its frequency and how many channels it feeds.
#[derive(Clone, Copy)]
struct TimerUse {
    freq: u32,
    users: u8,
}

/// Which pin each channel drives and which timer feeds it.
#[derive(Default)]
pub struct Pwm {
    channels: [Option<(u8, usize)>; CHANNELS],
    timers: [Option<TimerUse>; TIMERS],
}

/// The duty resolution for `freq`: the most bits (up to 14) whose counter still fits one
/// period of the 80 MHz clock.
fn duty_bits(freq: u32) -> Option<u32> {
    let ticks = SOURCE_HZ / freq.max(1);
    if ticks < 2 {
        return None;
    }
    Some((31 - ticks.leading_zeros()).min(MAX_DUTY_BITS))
}

fn channel_number(i: usize) -> channel::Number {
    match i {
        0 => channel::Number::Channel0,
        1 => channel::Number::Channel1,
        2 => channel::Number::Channel2,
        3 => channel::Number::Channel3,
        4 => channel::Number::Channel4,
        _ => channel::Number::Channel5,
    }
}

fn timer_number(i: usize) -> timer::Number {
    match i {
        0 => timer::Number::Timer0,
        1 => timer::Number::Timer1,
        2 => timer::Number::Timer2,
        _ => timer::Number::Timer3,
    }
}

impl Pwm {
    /// Drives GPIO `gpio` at `freq` Hz with duty `duty_u16`/65535, or stops it when `freq` is
    /// 0 (the pin is then a plain GPIO again, not driven).
    pub fn set(&mut self, gpio: u8, freq: u32, duty_u16: u16) -> HwResult<()> {
        let current = self
            .channels
            .iter()
            .position(|c| matches!(c, Some((p, _)) if *p == gpio));
        if freq == 0 {
            if let Some(ch) = current {
                self.release(ch);
                // SAFETY: a short-lived driver that only resets the pad to the GPIO function
                // (its output off), taking it back from LEDC.
                let _ = esp_hal::gpio::Flex::new(unsafe { pin::steal(gpio) });
            }
            return Ok(());
        }
        let bits = duty_bits(freq).ok_or(EINVAL)?;
        let ch = match current {
            Some(ch) => ch,
            None => self
                .channels
                .iter()
                .position(Option::is_none)
                .ok_or(ENODEV)?,
        };
        let old_timer = self.channels.get(ch).copied().flatten().map(|(_, t)| t);
        let timer = self.timer_for(freq, old_timer).ok_or(ENODEV)?;
        if old_timer != Some(timer) {
            if let Some(old) = old_timer {
                self.drop_user(old);
            }
            if let Some(t) = self.timers.get_mut(timer) {
                let users = t.map_or(0, |t| t.users);
                *t = Some(TimerUse {
                    freq,
                    users: users + 1,
                });
            }
        } else if let Some(Some(t)) = self.timers.get_mut(timer) {
            t.freq = freq;
        }
        if let Some(slot) = self.channels.get_mut(ch) {
            *slot = Some((gpio, timer));
        }
        program(ch, timer, gpio, freq, bits, duty_u16)
    }

    /// A timer for `freq`: the channel's own if nobody shares it, one already at `freq`, or
    /// a free one.
    fn timer_for(&self, freq: u32, own: Option<usize>) -> Option<usize> {
        if let Some(t) = own {
            if let Some(Some(u)) = self.timers.get(t) {
                if u.users == 1 || u.freq == freq {
                    return Some(t);
                }
            }
        }
        let same = self
            .timers
            .iter()
            .position(|t| matches!(t, Some(u) if u.freq == freq));
        same.or_else(|| self.timers.iter().position(Option::is_none))
    }

    fn drop_user(&mut self, timer: usize) {
        if let Some(t) = self.timers.get_mut(timer) {
            *t = match *t {
                Some(u) if u.users > 1 => Some(TimerUse {
                    users: u.users - 1,
                    ..u
                }),
                _ => None,
            };
        }
    }

    fn release(&mut self, ch: usize) {
        if let Some(Some((_, timer))) = self.channels.get(ch).copied() {
            self.drop_user(timer);
        }
        if let Some(slot) = self.channels.get_mut(ch) {
            *slot = None;
        }
    }
}

/// Programs timer `timer` for `freq` with `bits` of duty resolution, and channel `ch` to drive
/// GPIO `gpio` from it with `duty_u16`/65535.
fn program(ch: usize, timer: usize, gpio: u8, freq: u32, bits: u32, duty_u16: u16) -> HwResult<()> {
    // SAFETY: LEDC is used only here, by one short-lived driver at a time; `Ledc::new` resets
    // the peripheral only the first time it is enabled.
    let mut ledc = Ledc::new(unsafe { LEDC::steal() });
    ledc.set_global_slow_clock(LSGlobalClkSource::APBClk);
    let mut t = ledc.timer::<LowSpeed>(timer_number(timer));
    let duty = timer::config::Duty::try_from(bits).map_err(|_| EINVAL)?;
    // With the most duty bits that fit, only a frequency too low for the timer's divider
    // fails.
    t.configure(timer::config::Config {
        duty,
        clock_source: timer::LSClockSource::APBClk,
        frequency: Rate::from_hz(freq),
    })
    .map_err(|_| ERANGE)?;
    // SAFETY: the pad goes to LEDC; `Pin.init` takes it back (see `pin`).
    let mut c = ledc.channel(channel_number(ch), unsafe { pin::steal(gpio) });
    c.configure(channel::config::Config {
        timer: &t,
        duty_pct: 0,
        drive_mode: DriveMode::PushPull,
    })
    .map_err(|_| EINVAL)?;
    // The exact duty, beyond the percent `configure` takes.
    let full = 1u32 << bits;
    let value = (u64::from(duty_u16) * u64::from(full) / 65535) as u32;
    c.set_duty_hw(value.min(full));
    Ok(())
}
