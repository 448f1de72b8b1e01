//! One of the pyboard's timers as the simulated board keeps it: an STM32 timer reduced to what
//! a program can see.
//!
//! Its counter counts the source clock (84 MHz, 168 MHz for timers 1 and 8-11) divided by
//! `prescaler + 1`, up, down or center-aligned (timers other than 1-5 and 8 only up), and
//! wraps after `period`. Nothing ticks: the counter is worked out from the board's clock when
//! someone looks, as the position it has reached since it was last set (`origin_pos` at
//! `origin_us`). What happened since the last look (update events, compare matches) is
//! counted at once, in constant time however long that was ([`Timer::advance`]). A flag only
//! says that its event happened, however often, as the chip's single flag does, so a program
//! busy through several matches gets one call.
//!
//! Channels, as the chip's capture/compare units: a PWM output's duty and frequency
//! ([`Timer::pwm`]); an output compare's reference level, which goes active, inactive or
//! toggles at each match (a level per match, no edges in between); an input capture, which
//! copies the counter into the compare register at an edge ([`Timer::capture`]); and the
//! encoder interface, which stops the counter counting the clock and makes it follow the
//! quadrature edges of inputs 1 and 2 as the chip's encoder modes 1-3 count
//! ([`Timer::encoder_edge`]). Which pins the channels have is the board's (`timers`).

use pyrite_core::hardware::{ChannelMode, TimerConfig, IRQ_FALLING, IRQ_RISING};
use pyrite_pyboard as pyboard;

use crate::board::Pwm;

/// How many timers the chip has.
pub(crate) const COUNT: usize = pyboard::TIMER_COUNT as usize;

/// Microseconds in a second.
const US: u128 = 1_000_000;

/// The clock timer `id` counts, in Hz: twice the APB clock of its bus on the pyboard.
pub(crate) fn source_freq(id: u8) -> u32 {
    if pyboard::on_apb2(id) {
        168_000_000
    } else {
        84_000_000
    }
}

/// The mask of timer `id`'s counter, period and compare registers: timers 2 and 5 are 32-bit.
fn mask(id: u8) -> u32 {
    if pyboard::is_32bit(id) {
        u32::MAX
    } else {
        0xffff
    }
}

/// The place of timer `id` in the board's table.
pub(crate) fn index(id: u8) -> Option<usize> {
    (1..=COUNT as u8).contains(&id).then(|| usize::from(id) - 1)
}

/// How a timer counts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Counting {
    Up,
    Down,
    Center,
}

/// How many positions in `(from, to]` are `phase` modulo `span`.
fn hits(from: u64, to: u64, phase: u64, span: u64) -> u64 {
    let upto = |x: u64| {
        if x >= phase {
            ((x - phase) / span).saturating_add(1)
        } else {
            0
        }
    };
    upto(to).saturating_sub(upto(from))
}

/// One channel set up by `Timer.channel`.
#[derive(Clone, Copy)]
pub(crate) struct Channel {
    pub(crate) mode: ChannelMode,
    /// The compare/capture register.
    pub(crate) compare: u32,
    /// The pin it drives or reads, if any.
    pub(crate) pin: Option<u16>,
    /// The pin is the channel's complementary output (`CHyN`): the channel's inverse, and no
    /// input.
    pub(crate) complementary: bool,
    /// The output compare's reference level (`OCxREF`), active when set.
    pub(crate) reference: bool,
    /// The duty out of 65535 of `machine.PWM` or a dimmed LED (`None` for a `pyb.Timer`
    /// channel): its compare value is worked out again for every new period, and its pin
    /// shows this duty.
    pub(crate) duty: Option<u16>,
}

impl Channel {
    /// Whether it reads its pin (an input capture or an encoder input).
    pub(crate) fn is_input(&self) -> bool {
        matches!(
            self.mode,
            ChannelMode::Capture { .. } | ChannelMode::Encoder { .. }
        )
    }
}

/// One timer's registers and state.
#[derive(Clone, Copy)]
pub(crate) struct Timer {
    id: u8,
    /// Its counter counts (the clock, or the encoder's edges).
    pub(crate) running: bool,
    /// Initialised by `pyb.Timer`: it counts until `deinit`, with or without channels.
    pub(crate) held: bool,
    prescaler: u32,
    period: u32,
    /// `TimerConfig::mode`'s bits of CR1.
    mode: i32,
    /// When the position was last set, on the board's clock.
    origin_us: u64,
    /// Counts since the start of a cycle then.
    origin_pos: u64,
    /// The position up to which update events and matches are counted.
    seen: u64,
    update_irq: bool,
    update_flag: bool,
    /// The channels whose interrupt is on, bit `n - 1` for channel `n`, and those whose
    /// interrupt fired since taken.
    channel_irqs: u8,
    channel_flags: u8,
    /// The encoder interface: which inputs it counts (1, 2, or 3 for both) and whether they
    /// are inverted (`polarity=FALLING`); the counter is then `count`.
    encoder: Option<(u8, bool)>,
    count: u32,
    pub(crate) channels: [Option<Channel>; 4],
}

impl Timer {
    /// Timer `id` after reset: stopped, every register 0.
    pub(crate) fn new(id: u8) -> Timer {
        Timer {
            id,
            running: false,
            held: false,
            prescaler: 0,
            period: 0,
            mode: 0,
            origin_us: 0,
            origin_pos: 0,
            seen: 0,
            update_irq: false,
            update_flag: false,
            channel_irqs: 0,
            channel_flags: 0,
            encoder: None,
            count: 0,
            channels: [None; 4],
        }
    }

    /// How it counts: timers other than 1-5 and 8 only count up.
    fn counting(&self) -> Counting {
        if !pyboard::counts_both_ways(self.id) {
            Counting::Up
        } else if self.mode & 0x60 != 0 {
            Counting::Center
        } else if self.mode & 0x10 != 0 {
            Counting::Down
        } else {
            Counting::Up
        }
    }

    /// The positions in one cycle of the counter (up and down for center-aligned).
    fn span(&self) -> u64 {
        let period = u64::from(self.period);
        match self.counting() {
            Counting::Center => (2 * period).max(1),
            _ => period + 1,
        }
    }

    /// How far the counter has gone at `now` (a stopped one, or an encoder's, stays).
    fn position(&self, now: u64) -> u64 {
        if !self.running || self.encoder.is_some() {
            return self.origin_pos;
        }
        let us = u128::from(now.saturating_sub(self.origin_us));
        let ticks = us * u128::from(source_freq(self.id)) / US;
        let counts = ticks / (u128::from(self.prescaler) + 1);
        self.origin_pos
            .saturating_add(u64::try_from(counts).unwrap_or(u64::MAX))
    }

    /// The counter register at `now`.
    pub(crate) fn counter(&self, now: u64) -> u32 {
        if self.encoder.is_some() {
            return self.count;
        }
        let c = self.position(now) % self.span();
        let period = u64::from(self.period);
        let count = match self.counting() {
            Counting::Up => c,
            Counting::Down => period - c,
            Counting::Center if c > period => self.span() - c,
            Counting::Center => c,
        };
        count as u32
    }

    /// Sets the counter to `value` at `now`; events count again from there.
    pub(crate) fn set_counter(&mut self, now: u64, value: u32) {
        let value = value & mask(self.id);
        if self.encoder.is_some() {
            self.count = value.min(self.period);
            return;
        }
        let v = u64::from(value.min(self.period));
        let pos = match self.counting() {
            Counting::Down => u64::from(self.period) - v,
            _ => v,
        };
        self.anchor(now, pos);
    }

    /// Sets the position to `pos` at `now`.
    fn anchor(&mut self, now: u64, pos: u64) {
        self.origin_us = now;
        self.origin_pos = pos;
        self.seen = pos;
    }

    /// `Timer.init`: the time base and mode of `config`, counting from the start of a period
    /// until `deinit`; the update interrupt off, the channels going on (those that keep a duty
    /// at the new period).
    pub(crate) fn init(&mut self, now: u64, config: &TimerConfig) {
        self.prescaler = config.prescaler & 0xffff;
        self.period = config.period & mask(self.id);
        self.mode = config.mode;
        self.running = true;
        self.held = true;
        self.update_irq = false;
        self.update_flag = false;
        self.count = 0;
        self.anchor(now, 0);
        self.keep_duties();
    }

    /// A new prescaler and period, the counter going on from where it is, and the channels
    /// that keep a duty at the new period.
    pub(crate) fn retime(&mut self, now: u64, prescaler: u32, period: u32) {
        let count = self.counter(now);
        self.prescaler = prescaler & 0xffff;
        self.period = period & mask(self.id);
        self.set_counter(now, count);
        self.keep_duties();
    }

    /// Starts a stopped timer for `machine.PWM` as MicroPython's `machine_pwm.c` does: counting
    /// up from 0, the mode `pyb.Timer` may have set forgotten.
    pub(crate) fn start_up(&mut self, now: u64) {
        self.mode = 0;
        self.encoder = None;
        self.running = true;
        self.anchor(now, 0);
    }

    /// Works the compare values of the channels that keep a duty (`machine.PWM`, the LEDs)
    /// out for the period: the duty of a PWM period, rounded, as MicroPython's `machine.PWM`
    /// sets it.
    pub(crate) fn keep_duties(&mut self) {
        let full = self.pwm_period();
        for c in self.channels.iter_mut().flatten() {
            if let Some(duty) = c.duty {
                let cc = (u64::from(duty) * full + 65535 / 2) / 65535;
                c.compare = cc.min(full).min(u64::from(u32::MAX)) as u32;
            }
        }
    }

    /// The positions in a span at which the counter equals `value`.
    fn phases(&self, value: u32) -> [Option<u64>; 2] {
        if value > self.period {
            return [None; 2];
        }
        let (v, period, span) = (u64::from(value), u64::from(self.period), self.span());
        match self.counting() {
            Counting::Up => [Some(v), None],
            Counting::Down => [Some(period - v), None],
            Counting::Center => {
                let down = (span - v) % span;
                [Some(v % span), (down != v % span).then_some(down)]
            }
        }
    }

    /// How many times in `(from, to]` the counter equals `value`.
    fn matches(&self, from: u64, to: u64, value: u32) -> u64 {
        let span = self.span();
        self.phases(value).iter().flatten().fold(0u64, |n, &phase| {
            n.saturating_add(hits(from, to, phase, span))
        })
    }

    /// Brings the timer up to `now`: marks an update event and the matching channels whose
    /// interrupt is on, and moves the reference level of output compares. The channels
    /// (bit `n - 1` for channel `n`) whose output level changed.
    pub(crate) fn advance(&mut self, now: u64) -> u8 {
        if !self.running || self.encoder.is_some() {
            return 0;
        }
        let (from, to) = (self.seen, self.position(now));
        if to <= from {
            return 0;
        }
        self.seen = to;
        // Update events: at the start of each cycle (the counter wrapping to 0, or reloading
        // the period when counting down), and center-aligned also where it turns at the period.
        let span = self.span();
        let mut updates = hits(from, to, 0, span);
        if self.counting() == Counting::Center && self.period > 0 {
            updates = updates.saturating_add(hits(from, to, u64::from(self.period), span));
        }
        if updates > 0 && self.update_irq {
            self.update_flag = true;
        }
        let mut changed = 0;
        for i in 0..4 {
            let Some(c) = self.channels.get(i).copied().flatten() else {
                continue;
            };
            let n = match c.mode {
                ChannelMode::Pwm { .. } | ChannelMode::Compare { .. } => {
                    self.matches(from, to, c.compare)
                }
                _ => 0,
            };
            if n == 0 {
                continue;
            }
            let bit = 1 << i;
            self.channel_flags |= self.channel_irqs & bit;
            if let ChannelMode::Compare { ocm, .. } = c.mode {
                let reference = match ocm {
                    1 => true,
                    2 => false,
                    3 => c.reference ^ (n % 2 == 1),
                    _ => c.reference,
                };
                if reference != c.reference {
                    changed |= bit;
                    if let Some(Some(slot)) = self.channels.get_mut(i) {
                        slot.reference = reference;
                    }
                }
            }
        }
        changed
    }

    /// The counts of a whole PWM period: `period + 1`, or `period` center-aligned.
    fn pwm_period(&self) -> u64 {
        let period = u64::from(self.period);
        match self.counting() {
            Counting::Center => period.max(1),
            _ => period + 1,
        }
    }

    /// What a PWM output with compare value `compare` shows: its frequency and duty
    /// (inverted: active low).
    pub(crate) fn pwm(&self, compare: u32, inverted: bool) -> Pwm {
        let full = self.pwm_period();
        let duty = (u64::from(compare).min(full) * 65535 / full) as u16;
        Pwm {
            freq: self.pwm_freq(),
            duty_u16: if inverted { 65535 - duty } else { duty },
        }
    }

    /// The frequency of its PWM outputs, in Hz (at least 1): the source clock over the
    /// prescaler and a whole PWM period (up and down, center-aligned), as the firmware reads
    /// it from a timer's registers (`pyrite_pyboard::pwm_freq`).
    pub(crate) fn pwm_freq(&self) -> u32 {
        let center = self.counting() == Counting::Center;
        pyboard::pwm_freq(source_freq(self.id), self.prescaler, self.period, center)
    }

    /// Moves the encoder's counter for an edge of input `input` (1 or 2) now at `level`, the
    /// other input at `other`, as the chip's encoder modes count.
    pub(crate) fn encoder_edge(&mut self, input: u8, level: bool, other: bool) {
        let Some((inputs, inverted)) = self.encoder else {
            return;
        };
        if inputs & input == 0 {
            return;
        }
        let (level, other) = (level ^ inverted, other ^ inverted);
        // Input 1 counts up on a rising edge while input 2 is low; input 2 up on a rising
        // edge while input 1 is high; each the other way round for a falling edge.
        let up = if input == 1 {
            level != other
        } else {
            level == other
        };
        let wrapped = if up {
            let wrap = self.count >= self.period;
            self.count = if wrap { 0 } else { self.count + 1 };
            wrap
        } else {
            let wrap = self.count == 0;
            self.count = if wrap { self.period } else { self.count - 1 };
            wrap
        };
        if wrapped && self.update_irq {
            self.update_flag = true;
        }
    }

    /// The prescaler and period registers.
    pub(crate) fn registers(&self) -> (u32, u32) {
        (self.prescaler, self.period)
    }

    /// The mask of its counter, period and compare registers.
    pub(crate) fn mask(&self) -> u32 {
        mask(self.id)
    }

    /// Turns the update interrupt on or off; one before is forgotten either way.
    pub(crate) fn set_update_irq(&mut self, on: bool) {
        self.update_irq = on;
        self.update_flag = false;
    }

    /// Whether the update interrupt fired since the last call.
    pub(crate) fn take_update(&mut self) -> bool {
        core::mem::take(&mut self.update_flag)
    }

    /// Turns channel `ch`'s (0 for CH1) interrupt on or off; one before is forgotten either
    /// way.
    pub(crate) fn set_channel_irq(&mut self, ch: u8, on: bool) {
        let bit = if ch < 4 { 1 << ch } else { 0 };
        self.channel_flags &= !bit;
        if on {
            self.channel_irqs |= bit;
        } else {
            self.channel_irqs &= !bit;
        }
    }

    /// The channels whose interrupt fired since the last call, bit 0 for CH1.
    pub(crate) fn take_channels(&mut self) -> u8 {
        core::mem::take(&mut self.channel_flags)
    }

    /// Channel `ch` (0 for CH1), if set up.
    pub(crate) fn channel(&self, ch: usize) -> Option<Channel> {
        self.channels.get(ch).copied().flatten()
    }

    /// Channel `ch`'s slot.
    pub(crate) fn slot(&mut self, ch: usize) -> Option<&mut Option<Channel>> {
        self.channels.get_mut(ch)
    }

    /// Stops counting at `now`, where it is (its last channel gone).
    pub(crate) fn halt(&mut self, now: u64) {
        if self.running {
            let pos = self.position(now);
            self.running = false;
            self.anchor(now, pos);
        }
    }

    /// Counts on from where it stopped, if it was stopped (a channel set up starts it).
    pub(crate) fn resume(&mut self, now: u64) {
        if !self.running {
            self.running = true;
            let pos = self.origin_pos;
            self.anchor(now, pos);
        }
    }

    /// Puts the counter under the encoder interface counting the edges of input 1
    /// (`inputs` 1), input 2 (2) or both (3), inverted for `polarity=FALLING`, from 0.
    pub(crate) fn start_encoder(&mut self, inputs: u8, edges: u8) {
        self.encoder = Some((inputs, edges == IRQ_FALLING));
        self.count = 0;
    }

    /// An edge of input capture channel `ch`'s input, now at `level`, at `now`: the counter
    /// copied into the compare register on an edge it watches, and its interrupt marked.
    pub(crate) fn capture(&mut self, ch: usize, level: bool, now: u64) {
        let Some(ChannelMode::Capture { edges }) = self.channel(ch).map(|c| c.mode) else {
            return;
        };
        let edge = if level { IRQ_RISING } else { IRQ_FALLING };
        if edges & edge == 0 {
            return;
        }
        let count = self.counter(now);
        if let Some(Some(c)) = self.channels.get_mut(ch) {
            c.compare = count;
        }
        self.channel_flags |= self.channel_irqs & (1 << ch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_count_positions_of_a_phase() {
        assert_eq!(hits(0, 10, 0, 10), 1);
        assert_eq!(hits(0, 9, 0, 10), 0);
        assert_eq!(hits(3, 25, 5, 10), 3);
        assert_eq!(hits(5, 25, 5, 10), 2);
        // Saturating, never overflowing.
        assert!(hits(0, u64::MAX, 0, 1) >= u64::MAX - 1);
    }

    #[test]
    fn counters_count_up_down_and_center_aligned() {
        let mut t = Timer::new(3);
        let config = |mode| TimerConfig {
            prescaler: 83,
            period: 9,
            mode,
            div: 1,
            dtg: 0,
            brk: 0,
        };
        t.init(0, &config(0));
        assert_eq!([t.counter(3), t.counter(9), t.counter(10)], [3, 9, 0]);
        t.init(0, &config(0x10));
        assert_eq!([t.counter(0), t.counter(3), t.counter(10)], [9, 6, 9]);
        t.init(0, &config(0x20));
        assert_eq!([t.counter(9), t.counter(12), t.counter(18)], [9, 6, 0]);
        // Timer 9 counts 168 MHz, and only up.
        let mut t = Timer::new(9);
        t.init(0, &config(0x10));
        assert_eq!(t.counter(1), 2);
    }
}
