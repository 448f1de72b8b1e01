//! `machine.PWM` and the dimmed LEDs on the STM32F405's timers, in PWM mode 1, as
//! MicroPython's stm32 port drives them (`ports/stm32/machine_pwm.c`).
//!
//! Each pin with a timer channel has one, chosen as MicroPython chooses it from the chip's
//! alternate-function table: the second `TIMx_CHy` function of the pin (its first if it has
//! one), never a complementary `CHyN` output; that puts `X1`-`X4` on TIM5, a 32-bit timer. The
//! pyboard's LEDs 3 (A15) and 4 (B4) are on TIM2_CH1 and TIM3_CH1.
//!
//! The four channels of a timer share its counter, so pins on the same timer share its
//! frequency: setting one sets it for all, and the others' duty cycles are worked out again for
//! the new period. One channel drives one pin: `X6` shares TIM2_CH1 with LED 3, and whichever
//! starts last takes the channel (the other pin goes back to a low output).
//!
//! Prescaler and period come from the timer's clock (APB1 timers at 84 MHz and APB2 timers at
//! 168 MHz on the pyboard, both at the 16 MHz HSI under QEMU) as MicroPython computes them:
//! the period is the clock over the frequency, rounded; a 32-bit timer keeps a prescaler of 1,
//! a 16-bit one takes the smallest prescaler (dividing by 5, 3, then 2) that fits the period
//! into 16 bits. A period of 1 or less is a frequency too high (`EINVAL`); a prescaler beyond
//! 16 bits, one too low (`ERANGE`, which no frequency of 1 Hz or more reaches here).
//!
//! Nothing here waits on the hardware: every register access is a single read or write.

use pyrite_core::hardware::{HwResult, EINVAL, ENODEV, ERANGE};
use stm32f4xx_hal::pac;
use stm32f4xx_hal::pac::tim2::RegisterBlock;

use crate::gpio::{pin, PinCode};

/// The timers with channels on the pyboard's pins, in [`Timer`] order.
const TIMERS: usize = 10;
const ALL_TIMERS: [Timer; TIMERS] = [
    Timer::Tim2,
    Timer::Tim3,
    Timer::Tim4,
    Timer::Tim5,
    Timer::Tim8,
    Timer::Tim10,
    Timer::Tim11,
    Timer::Tim12,
    Timer::Tim13,
    Timer::Tim14,
];

/// A timer the pins reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Timer {
    Tim2,
    Tim3,
    Tim4,
    Tim5,
    Tim8,
    Tim10,
    Tim11,
    Tim12,
    Tim13,
    Tim14,
}

impl Timer {
    /// Its place in [`ALL_TIMERS`] and [`Pwm::timers`].
    fn index(self) -> usize {
        self as usize
    }

    /// Whether it is on APB2 (else APB1), whose timer clock is its own.
    fn on_apb2(self) -> bool {
        matches!(self, Timer::Tim8 | Timer::Tim10 | Timer::Tim11)
    }

    /// Whether its counter, auto-reload and compare registers are 32 bits wide.
    fn wide(self) -> bool {
        matches!(self, Timer::Tim2 | Timer::Tim5)
    }

    /// Its registers.
    fn regs(self) -> &'static RegisterBlock {
        let base = match self {
            Timer::Tim2 => pac::TIM2::ptr() as usize,
            Timer::Tim3 => pac::TIM3::ptr() as usize,
            Timer::Tim4 => pac::TIM4::ptr() as usize,
            Timer::Tim5 => pac::TIM5::ptr() as usize,
            Timer::Tim8 => pac::TIM8::ptr() as usize,
            Timer::Tim10 => pac::TIM10::ptr() as usize,
            Timer::Tim11 => pac::TIM11::ptr() as usize,
            Timer::Tim12 => pac::TIM12::ptr() as usize,
            Timer::Tim13 => pac::TIM13::ptr() as usize,
            Timer::Tim14 => pac::TIM14::ptr() as usize,
        };
        // SAFETY: every STM32F4 timer has its CR1, EGR, CCMR1/2, CCER, PSC, ARR and CCR1-4
        // at TIM2's offsets (a timer with fewer channels has the registers of those it has,
        // and only those are touched); the block is valid for the program's life, and the
        // timers are used from the main loop only, by this module.
        unsafe { &*(base as *const RegisterBlock) }
    }
}

/// A pin's timer channel: the timer, the channel (0 for CH1) and the alternate function that
/// connects the pin to it.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    pub pin: PinCode,
    timer: Timer,
    channel: u8,
    pub af: u8,
}

const fn route(pin: PinCode, timer: Timer, channel: u8, af: u8) -> Route {
    Route {
        pin,
        timer,
        channel,
        af,
    }
}

/// The timer channel of each pin that has one (MicroPython's choice, see the module doc).
const ROUTES: [Route; 22] = [
    route(pin('A', 0), Timer::Tim5, 0, 2),   // X1
    route(pin('A', 1), Timer::Tim5, 1, 2),   // X2
    route(pin('A', 2), Timer::Tim5, 2, 2),   // X3
    route(pin('A', 3), Timer::Tim5, 3, 2),   // X4
    route(pin('A', 5), Timer::Tim2, 0, 1),   // X6
    route(pin('A', 6), Timer::Tim13, 0, 9),  // X7
    route(pin('A', 7), Timer::Tim14, 0, 9),  // X8
    route(pin('B', 6), Timer::Tim4, 0, 2),   // X9
    route(pin('B', 7), Timer::Tim4, 1, 2),   // X10
    route(pin('B', 3), Timer::Tim2, 1, 1),   // X17
    route(pin('C', 6), Timer::Tim8, 0, 3),   // Y1
    route(pin('C', 7), Timer::Tim8, 1, 3),   // Y2
    route(pin('B', 8), Timer::Tim10, 0, 3),  // Y3
    route(pin('B', 9), Timer::Tim11, 0, 3),  // Y4
    route(pin('B', 14), Timer::Tim12, 0, 9), // Y7
    route(pin('B', 15), Timer::Tim12, 1, 9), // Y8
    route(pin('B', 10), Timer::Tim2, 2, 1),  // Y9
    route(pin('B', 11), Timer::Tim2, 3, 1),  // Y10
    route(pin('B', 0), Timer::Tim3, 2, 2),   // Y11
    route(pin('B', 1), Timer::Tim3, 3, 2),   // Y12
    route(pin('A', 15), Timer::Tim2, 0, 1),  // LED 3 (yellow)
    route(pin('B', 4), Timer::Tim3, 0, 2),   // LED 4 (blue)
];

/// Pin `code`'s timer channel, if it has one.
pub fn route_of(code: PinCode) -> Option<Route> {
    ROUTES.iter().find(|r| r.pin == code).copied()
}

/// A channel in use: the board's handle of the pin it drives, and its duty out of 65535.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Channel {
    pin: u16,
    duty: u16,
}

/// A running timer: its frequency and what its four channels drive.
#[derive(Clone, Copy, Default)]
struct TimerUse {
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
fn compare(duty: u16, period: u32) -> u32 {
    let cc = (u64::from(duty) * u64::from(period) + 65535 / 2) / 65535;
    cc.min(u64::from(period)) as u32
}

/// The PWM outputs: which timers run, at what frequency, driving which pins.
pub struct Pwm {
    /// The timer clocks of APB1 and APB2, in Hz.
    clocks: (u32, u32),
    timers: [TimerUse; TIMERS],
}

impl Pwm {
    /// Nothing running; the timers' bus clocks are on, their timer clocks `apb1` and `apb2`
    /// Hz.
    pub fn new(apb1: u32, apb2: u32) -> Pwm {
        Pwm {
            clocks: (apb1, apb2),
            timers: [TimerUse::default(); TIMERS],
        }
    }

    /// The frequency of the timer behind pin `code`, if it runs.
    pub fn running_freq(&self, code: PinCode) -> Option<u32> {
        let r = route_of(code)?;
        let t = self.timers.get(r.timer.index())?;
        (t.freq > 0).then_some(t.freq)
    }

    /// The duty out of 65535 of the channel pin `pin` (a board handle) drives, if it drives
    /// one.
    pub fn duty_of(&self, pin: u16) -> Option<u16> {
        self.timers
            .iter()
            .flat_map(|t| t.channels.iter().flatten())
            .find(|c| c.pin == pin)
            .map(|c| c.duty)
    }

    /// Drives `route`'s channel at `freq` Hz (above 0) with `duty`/65535 for pin `pin` (the
    /// board's handle); the pin that drove the channel before, if another one did. The pin's
    /// alternate function is the caller's to set.
    pub fn start(&mut self, pin: u16, route: Route, freq: u32, duty: u16) -> HwResult<Option<u16>> {
        let timer = route.timer;
        let clock = if timer.on_apb2() {
            self.clocks.1
        } else {
            self.clocks.0
        };
        let (prescaler, period) = divide(clock, freq, timer.wide())?;
        let t = self.timers.get_mut(timer.index()).ok_or(ENODEV)?;
        let slot = t
            .channels
            .get_mut(usize::from(route.channel))
            .ok_or(ENODEV)?;
        let before = slot.map(|c| c.pin).filter(|&p| p != pin);
        *slot = Some(Channel { pin, duty });
        let r = timer.regs();
        let running = t.freq > 0;
        if !running {
            // Up-counting, the period buffered so that a change takes effect at the next
            // update rather than mid-period.
            r.cr1().write(|w| w.arpe().set_bit());
        }
        set_mode(r, route.channel);
        if t.freq != freq {
            t.freq = freq;
            r.psc().write(|w| w.psc().set((prescaler - 1) as u16));
            r.arr().write(|w| w.arr().set(period - 1));
            for (ch, c) in t.channels.iter().enumerate() {
                if let Some(c) = c {
                    set_compare(r, ch, compare(c.duty, period));
                }
            }
        } else {
            set_compare(r, usize::from(route.channel), compare(duty, period));
        }
        if timer == Timer::Tim8 {
            // An advanced timer drives its outputs only with the main output enabled.
            // SAFETY: a read-modify-write of TIM8's BDTR, whose other bits stay as they are.
            let tim8 = unsafe { &*pac::TIM8::ptr() };
            tim8.bdtr().modify(|_, w| w.moe().set_bit());
        }
        if !running {
            // Loads the prescaler, period and compare values, then counts.
            r.egr().write(|w| w.ug().set_bit());
            r.cr1().modify(|_, w| w.cen().set_bit());
        }
        r.ccer().modify(|_, w| w.cce(route.channel).set_bit());
        Ok(before)
    }

    /// Stops the channel pin `pin` drives, if it drives one; the timer stops with its last
    /// channel. Whether it drove one.
    pub fn stop(&mut self, pin: u16) -> bool {
        for (i, t) in self.timers.iter_mut().enumerate() {
            let Some(ch) = t
                .channels
                .iter()
                .position(|c| c.is_some_and(|c| c.pin == pin))
            else {
                continue;
            };
            if let Some(slot) = t.channels.get_mut(ch) {
                *slot = None;
            }
            let Some(timer) = timer_at(i) else {
                return true;
            };
            let r = timer.regs();
            r.ccer().modify(|_, w| w.cce(ch as u8).clear_bit());
            if t.channels.iter().all(Option::is_none) {
                t.freq = 0;
                r.cr1().modify(|_, w| w.cen().clear_bit());
                if timer == Timer::Tim8 {
                    // SAFETY: as in `start`.
                    let tim8 = unsafe { &*pac::TIM8::ptr() };
                    tim8.bdtr().modify(|_, w| w.moe().clear_bit());
                }
            }
            return true;
        }
        false
    }
}

/// The timer at place `i` of [`Pwm::timers`].
fn timer_at(i: usize) -> Option<Timer> {
    ALL_TIMERS.get(i).copied()
}

/// Puts channel `ch` (0-3) in PWM mode 1, an output with its compare value buffered.
fn set_mode(r: &RegisterBlock, ch: u8) {
    let n = ch & 1;
    if ch < 2 {
        r.ccmr1_output()
            .modify(|_, w| w.ccs(n).output().ocpe(n).enabled().ocm(n).pwm_mode1());
    } else {
        r.ccmr2_output()
            .modify(|_, w| w.ccs(n).output().ocpe(n).enabled().ocm(n).pwm_mode1());
    }
}

/// Sets channel `ch`'s compare value.
fn set_compare(r: &RegisterBlock, ch: usize, value: u32) {
    r.ccr(ch.min(3)).write(|w| w.ccr().set(value));
}
