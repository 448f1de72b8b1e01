//! The STM32F405's timers 1 to 14 and the timer outputs of the pyboard's pins.
//!
//! [`ROUTES`] lists every `TIMx_CHy` and `TIMx_CHyN` function of the pins the board offers,
//! from the chip's alternate-function table, pin by pin and for each pin in the order of its
//! alternate functions. `pyb.Timer.channel(pin=...)` takes the pin's output of that timer and
//! channel ([`route`]; a complementary output `CHyN` is driven with its channel, as its
//! inverse; an input capture's pin is the channel's input through the same function, and an
//! encoder's either of channels 1 and 2). `machine.PWM` takes the one MicroPython's stm32 port
//! chooses for the pin ([`pwm_route`]): the pin's second `TIMx_CHy` function (its first if it
//! has only one), never a complementary output. That puts `X1`-`X4` on TIM5, a 32-bit timer,
//! and the pyboard's LEDs 3 (`A15`) and 4 (`B4`) on TIM2_CH1 and TIM3_CH1.
//!
//! [`pwm_time_base`] is the prescaler and period `machine.PWM` sets for a frequency, as
//! MicroPython's `machine_pwm.c` computes them, and [`pwm_freq`] the frequency a timer's
//! prescaler and period make, whoever set them (`pyb.Timer` too).

use crate::pins::Pin;

/// How many timers the chip has (6 and 7, the basic timers, have no channels).
pub const TIMER_COUNT: u8 = 14;

/// How many channels timer `timer` has (none for the basic timers 6 and 7, or for a timer the
/// chip does not have).
pub fn channel_count(timer: u8) -> u8 {
    match timer {
        1..=5 | 8 => 4,
        9 | 12 => 2,
        10 | 11 | 13 | 14 => 1,
        _ => 0,
    }
}

/// Whether timer `timer`'s counter, period and compare registers are 32-bit (TIM2 and TIM5);
/// the others' are 16-bit.
pub fn is_32bit(timer: u8) -> bool {
    matches!(timer, 2 | 5)
}

/// Whether timer `timer` is on APB2 (TIM1 and TIM8-11), else on APB1: each bus gives its
/// timers a clock of its own (168 and 84 MHz on the pyboard).
pub fn on_apb2(timer: u8) -> bool {
    matches!(timer, 1 | 8..=11)
}

/// Whether timer `timer` also counts down and center-aligned (TIM1-5 and TIM8); the others
/// only count up.
pub fn counts_both_ways(timer: u8) -> bool {
    matches!(timer, 1..=5 | 8)
}

/// A pin's output of a timer channel: `TIMx_CHy`, or `TIMx_CHyN` when complementary, on
/// alternate function `af`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    pub pin: Pin,
    /// The timer's number, 1 to 14.
    pub timer: u8,
    /// The channel, 1 to 4.
    pub channel: u8,
    /// The alternate function that connects the pin to it.
    pub af: u8,
    /// A complementary output `CHyN` (of the advanced timers 1 and 8).
    pub complementary: bool,
}

/// Pin `pin`'s `TIMx_CHy` (`timer` x, `channel` y) on alternate function `af`.
const fn ch(pin: Pin, timer: u8, channel: u8, af: u8) -> Route {
    Route {
        pin,
        timer,
        channel,
        af,
        complementary: false,
    }
}

/// Pin `pin`'s complementary output `TIMx_CHyN` on alternate function `af`.
const fn chn(pin: Pin, timer: u8, channel: u8, af: u8) -> Route {
    Route {
        complementary: true,
        ..ch(pin, timer, channel, af)
    }
}

const A: Pin = 0;
const B: Pin = 16;
const C: Pin = 32;

/// The timer outputs of the pins offered (see the module doc), pin by pin.
pub const ROUTES: [Route; 46] = [
    ch(A, 2, 1, 1), // X1
    ch(A, 5, 1, 2),
    ch(A + 1, 2, 2, 1), // X2
    ch(A + 1, 5, 2, 2),
    ch(A + 2, 2, 3, 1), // X3
    ch(A + 2, 5, 3, 2),
    ch(A + 2, 9, 1, 3),
    ch(A + 3, 2, 4, 1), // X4
    ch(A + 3, 5, 4, 2),
    ch(A + 3, 9, 2, 3),
    ch(A + 5, 2, 1, 1), // X6
    chn(A + 5, 8, 1, 3),
    ch(A + 6, 3, 1, 2), // X7
    ch(A + 6, 13, 1, 9),
    chn(A + 7, 1, 1, 1), // X8
    ch(A + 7, 3, 2, 2),
    chn(A + 7, 8, 1, 3),
    ch(A + 7, 14, 1, 9),
    ch(B + 6, 4, 1, 2), // X9
    ch(B + 7, 4, 2, 2), // X10
    ch(B + 3, 2, 2, 1), // X17
    ch(C + 6, 3, 1, 2), // Y1
    ch(C + 6, 8, 1, 3),
    ch(C + 7, 3, 2, 2), // Y2
    ch(C + 7, 8, 2, 3),
    ch(B + 8, 4, 3, 2), // Y3
    ch(B + 8, 10, 1, 3),
    ch(B + 9, 4, 4, 2), // Y4
    ch(B + 9, 11, 1, 3),
    chn(B + 13, 1, 1, 1), // Y6
    chn(B + 14, 1, 2, 1), // Y7
    chn(B + 14, 8, 2, 3),
    ch(B + 14, 12, 1, 9),
    chn(B + 15, 1, 3, 1), // Y8
    chn(B + 15, 8, 3, 3),
    ch(B + 15, 12, 2, 9),
    ch(B + 10, 2, 3, 1), // Y9
    ch(B + 11, 2, 4, 1), // Y10
    chn(B, 1, 2, 1),     // Y11
    ch(B, 3, 3, 2),
    chn(B, 8, 2, 3),
    chn(B + 1, 1, 3, 1), // Y12
    ch(B + 1, 3, 4, 2),
    chn(B + 1, 8, 3, 3),
    ch(A + 15, 2, 1, 1), // LED 3 (yellow)
    ch(B + 4, 3, 1, 2),  // LED 4 (blue)
];

/// Pin `pin`'s `machine.PWM` output, if it has one: its second `TIMx_CHy` function, or its
/// first if it has only one (MicroPython's `pin_find_af_for_pwm` on the STM32F4).
pub fn pwm_route(pin: Pin) -> Option<Route> {
    let mut outputs = ROUTES.iter().filter(|r| r.pin == pin && !r.complementary);
    let first = outputs.next().copied();
    outputs.next().copied().or(first)
}

/// Why a pin has no output of a timer channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoRoute {
    /// The pin has no output of that timer.
    Timer,
    /// The pin's output of that timer is another channel's.
    Channel,
}

/// Pin `pin`'s output of timer `timer` on one of `channels` (each 1 to 4).
pub fn route(pin: Pin, timer: u8, channels: &[u8]) -> Result<Route, NoRoute> {
    let mut on_timer = ROUTES
        .iter()
        .filter(|r| r.pin == pin && r.timer == timer)
        .peekable();
    if on_timer.peek().is_none() {
        return Err(NoRoute::Timer);
    }
    on_timer
        .find(|r| channels.contains(&r.channel))
        .copied()
        .ok_or(NoRoute::Channel)
}

/// Why a frequency has no time base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FreqError {
    /// A period of one count or less.
    TooHigh,
    /// A prescaler beyond 16 bits.
    TooLow,
}

/// The prescaler and the period, both at least 1 (the registers take each less one), that
/// make `freq` Hz from a timer clock of `clock` Hz, as MicroPython's `machine.PWM` computes
/// them: the period is the clock over the frequency, rounded; a 32-bit timer (`wide`) keeps a
/// prescaler of 1, a 16-bit one takes the smallest prescaler (dividing by 5, 3, then 2) that
/// fits the period into 16 bits. `freq` 0 counts as 1.
pub fn pwm_time_base(clock: u32, freq: u32, wide: bool) -> Result<(u32, u32), FreqError> {
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
        return Err(FreqError::TooHigh);
    }
    if prescaler > 0x1_0000 || period > u64::from(u32::MAX) {
        return Err(FreqError::TooLow);
    }
    Ok((prescaler as u32, period as u32))
}

/// The frequency in Hz (at least 1) of the PWM outputs of a timer counting a clock of `clock`
/// Hz with prescaler and period registers `prescaler` and `period`: the clock over the
/// prescaler and a whole PWM period, `period + 1` counts, or `period` counts up and as many
/// down when `center`-aligned. The inverse of [`pwm_time_base`] (less its registers' one) for
/// a frequency the clock divides into, as `machine.PWM`'s `freq()` reads it back.
pub fn pwm_freq(clock: u32, prescaler: u32, period: u32, center: bool) -> u32 {
    let counts = if center {
        2 * u64::from(period.max(1))
    } else {
        u64::from(period) + 1
    };
    let freq = u64::from(clock) / (u64::from(prescaler) + 1) / counts;
    u32::try_from(freq).unwrap_or(u32::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pins::{pin_by_name, pin_name, LEDS};

    /// The pin called `name`.
    fn pin(name: &str) -> Pin {
        pin_by_name(name).unwrap()
    }

    #[test]
    fn every_route_is_a_channel_of_its_timer_on_a_named_pin() {
        for r in ROUTES {
            assert!((1..=channel_count(r.timer)).contains(&r.channel), "{r:?}");
            assert!(pin_name(r.pin).is_some_and(|n| !n.starts_with(['A', 'B', 'C'])));
            assert!(!r.complementary || matches!(r.timer, 1 | 8), "{r:?}");
            assert!((1..=15).contains(&r.af));
        }
    }

    #[test]
    fn a_pins_routes_are_together_in_alternate_function_order_one_per_timer() {
        for (i, r) in ROUTES.iter().enumerate() {
            let later = &ROUTES[i + 1..];
            if let Some(next) = later.first().filter(|n| n.pin == r.pin) {
                assert!(next.af > r.af, "{r:?} {next:?}");
            } else {
                assert!(later.iter().all(|n| n.pin != r.pin), "{r:?}");
            }
            assert!(later.iter().all(|n| (n.pin, n.timer) != (r.pin, r.timer)));
        }
    }

    #[test]
    fn machine_pwm_takes_micropythons_choice() {
        let pwm = |name| pwm_route(pin(name)).map(|r| (r.timer, r.channel, r.af));
        assert_eq!(pwm("X1"), Some((5, 1, 2)));
        assert_eq!(pwm("X3"), Some((5, 3, 2)));
        assert_eq!(pwm("X4"), Some((5, 4, 2)));
        assert_eq!(pwm("X6"), Some((2, 1, 1)));
        assert_eq!(pwm("X8"), Some((14, 1, 9)));
        assert_eq!(pwm("X9"), Some((4, 1, 2)));
        assert_eq!(pwm("Y1"), Some((8, 1, 3)));
        assert_eq!(pwm("Y7"), Some((12, 1, 9)));
        assert_eq!(pwm("Y11"), Some((3, 3, 2)));
        assert_eq!(pwm("LED_YELLOW"), Some((2, 1, 1)));
        assert_eq!(pwm("LED_BLUE"), Some((3, 1, 2)));
        // Only complementary outputs, or none at all.
        assert_eq!(pwm("Y6"), None);
        assert_eq!(pwm("X5"), None);
        assert_eq!(pwm("LED_RED"), None);
        let with_pwm = (0..crate::pins::PIN_COUNT).filter_map(pwm_route).count();
        assert_eq!(with_pwm, 22);
        assert!(LEDS[2..].iter().all(|&(_, p)| pwm_route(p).is_some()));
    }

    #[test]
    fn routes_tell_a_missing_timer_from_another_channel() {
        let x1 = pin("X1");
        assert_eq!(route(x1, 2, &[1]).map(|r| r.af), Ok(1));
        assert_eq!(route(x1, 2, &[2]), Err(NoRoute::Channel));
        assert_eq!(route(x1, 4, &[1]), Err(NoRoute::Timer));
        assert!(route(pin("X8"), 1, &[1]).is_ok_and(|r| r.complementary));
        // An encoder takes either of channels 1 and 2.
        assert_eq!(route(pin("X8"), 3, &[1, 2]).map(|r| r.channel), Ok(2));
        assert_eq!(route(pin("Y3"), 4, &[1, 2]), Err(NoRoute::Channel));
    }

    #[test]
    fn timers_have_their_datasheet_facts() {
        let channels: [u8; 14] = [4, 4, 4, 4, 4, 0, 0, 4, 2, 1, 1, 2, 1, 1];
        for (id, n) in (1..=TIMER_COUNT).zip(channels) {
            assert_eq!(channel_count(id), n, "TIM{id}");
        }
        assert_eq!(channel_count(0), 0);
        assert_eq!(channel_count(15), 0);
        let wide: [u8; 2] = [2, 5];
        let apb2: [u8; 5] = [1, 8, 9, 10, 11];
        for id in 1..=TIMER_COUNT {
            assert_eq!(is_32bit(id), wide.contains(&id));
            assert_eq!(on_apb2(id), apb2.contains(&id));
            assert_eq!(counts_both_ways(id), matches!(id, 1..=5 | 8));
        }
    }

    #[test]
    fn time_bases_are_micropythons() {
        // 32-bit: the period alone, rounded.
        assert_eq!(pwm_time_base(84_000_000, 1000, true), Ok((1, 84_000)));
        assert_eq!(pwm_time_base(84_000_000, 1, true), Ok((1, 84_000_000)));
        assert_eq!(pwm_time_base(84_000_000, 7, true), Ok((1, 12_000_000)));
        // 16-bit: divided by 5, 3, then 2 until it fits.
        assert_eq!(pwm_time_base(84_000_000, 100, false), Ok((25, 33_600)));
        assert_eq!(pwm_time_base(84_000_000, 1000, false), Ok((5, 16_800)));
        assert_eq!(pwm_time_base(84_000_000, 999, false), Ok((3, 28_028)));
        assert_eq!(pwm_time_base(168_000_000, 1, false), Ok((3_125, 53_760)));
        for (clock, freq, wide) in [(84_000_000, 1, false), (168_000_000, 3, false)] {
            let (prescaler, period) = pwm_time_base(clock, freq, wide).unwrap();
            assert!(period <= 0xffff && prescaler <= 0x1_0000);
            let made = u64::from(clock) / (u64::from(prescaler) * u64::from(period));
            assert_eq!(made, u64::from(freq));
        }
        assert_eq!(pwm_time_base(84_000_000, 0, true), Ok((1, 84_000_000)));
        assert_eq!(
            pwm_time_base(84_000_000, 60_000_000, true),
            Err(FreqError::TooHigh)
        );
        assert_eq!(pwm_time_base(84_000_000, 28_000_000, true), Ok((1, 3)));
        // A prescaler beyond 16 bits: 1 Hz from a clock far above the pyboard's.
        assert_eq!(pwm_time_base(u32::MAX, 1, false), Err(FreqError::TooLow));
    }

    #[test]
    fn frequencies_read_back_from_time_bases() {
        // What machine.PWM set reads back as the frequency asked for, where the clock divides.
        for (clock, wide) in [
            (84_000_000, true),
            (84_000_000, false),
            (168_000_000, false),
        ] {
            for freq in [1, 50, 100, 999, 1000, 20_000, 1_000_000] {
                let (prescaler, period) = pwm_time_base(clock, freq, wide).unwrap();
                assert_eq!(pwm_freq(clock, prescaler - 1, period - 1, false), freq);
            }
        }
        // Otherwise the rounded period's, rounded down (as MicroPython reads its registers).
        let (prescaler, period) = pwm_time_base(16_000_000, 9, true).unwrap();
        assert_eq!(pwm_freq(16_000_000, prescaler - 1, period - 1, false), 8);
        // pyb.Timer's time bases: any prescaler and period.
        assert_eq!(pwm_freq(16_000_000, 3, 9_999, false), 400);
        assert_eq!(pwm_freq(84_000_000, 83, 999, false), 1000);
        assert_eq!(pwm_freq(16_000_000, 0, 12_345, false), 1295);
        // Center-aligned: up and down make one period.
        assert_eq!(pwm_freq(16_000_000, 0, 8_000, true), 1000);
        assert_eq!(pwm_freq(16_000_000, 0, 0, true), 8_000_000);
        // At least 1 Hz, and at most the clock.
        assert_eq!(pwm_freq(84_000_000, 0xffff, u32::MAX, false), 1);
        assert_eq!(pwm_freq(u32::MAX, 0, 0, false), u32::MAX);
    }
}
