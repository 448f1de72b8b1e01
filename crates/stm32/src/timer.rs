//! The STM32F405's timers 1 to 14 at the register level: the time base (prescaler, period,
//! counting mode), the counter, the update interrupt, and the channels: outputs (PWM and
//! output compare), input captures, the encoder interface, and their compare/capture
//! interrupts. Who uses which timer and channel (`pyb.Timer`, `machine.PWM`, the dimmed LEDs)
//! is `pwm`'s to keep; this module only touches registers, and never waits on them.
//!
//! Every timer's registers are seen through TIM2's layout: CR1, DIER, SR, EGR, CNT, PSC and ARR
//! are at the same offsets in all of them, CCMR1/2, CCER and CCR1-4 in those with channels, and
//! only the fields and channels a timer has are touched. The advanced timers 1 and 8 are also
//! seen through TIM1's layout, for their break and dead-time register and their complementary
//! outputs.
//!
//! The interrupts: the handler of each timer vector clears the update flag of the timers on
//! that vector whose update interrupt is on, and marks them in [`UPDATES`], and likewise the
//! compare/capture flags of their channels whose interrupt is on, in [`CHANNELS`] (timers 1
//! and 8 have a vector of their own for those). The VM takes the marks between bytecodes
//! ([`Timer::take_update`] and [`Timer::take_channels`], through `Hardware`) and calls the
//! Python callbacks there. The main loop only changes DIER, which the handlers only read; both
//! clear flags in SR by writing 0 to the flag and 1 to the others (which leaves them as they
//! are), so neither undoes the other's write.

use core::sync::atomic::{AtomicU16, AtomicU8, Ordering};

use cortex_m::peripheral::NVIC;
use pyrite_pyboard as pyboard;
use stm32f4xx_hal::pac::tim1::RegisterBlock as AdvancedRegisters;
use stm32f4xx_hal::pac::tim2::RegisterBlock;
use stm32f4xx_hal::pac::{self, interrupt, Interrupt};

/// How many timers the chip has.
pub const COUNT: usize = pyboard::TIMER_COUNT as usize;

/// A timer, by its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timer(u8);

/// Timers whose update interrupt fired and that the VM has not taken yet: bit `n - 1` for
/// timer `n`.
static UPDATES: AtomicU16 = AtomicU16::new(0);

/// Channels whose compare/capture interrupt fired and that the VM has not taken yet: bit
/// `c` (0 for CH1) of timer `n`'s entry, at `n - 1`.
static CHANNELS: [AtomicU8; COUNT] = [const { AtomicU8::new(0) }; COUNT];

/// The channel enable bits of CCER: `CCxE` and `CCxNE` of CH1-CH4.
const CCER_ENABLES: u32 = 0x1555;

impl Timer {
    /// Timer `id`, if the chip has it.
    pub fn new(id: u8) -> Option<Timer> {
        (1..=COUNT as u8).contains(&id).then_some(Timer(id))
    }

    /// The timer at place `i` (its number less one).
    pub fn at(i: usize) -> Option<Timer> {
        Timer::new(u8::try_from(i).ok()?.checked_add(1)?)
    }

    /// Its number.
    pub fn id(self) -> u8 {
        self.0
    }

    /// Its place in tables of every timer: its number less one.
    pub fn index(self) -> usize {
        usize::from(self.0).saturating_sub(1)
    }

    /// Its bit in [`UPDATES`].
    fn bit(self) -> u16 {
        1 << self.index()
    }

    /// Whether it is on APB2 (else APB1), whose timer clock is its own.
    pub fn on_apb2(self) -> bool {
        pyboard::on_apb2(self.0)
    }

    /// The mask of its counter, period and compare registers: timers 2 and 5 are 32-bit.
    pub fn mask(self) -> u32 {
        if pyboard::is_32bit(self.0) {
            u32::MAX
        } else {
            0xffff
        }
    }

    /// Whether a counter this wide needs no prescaler for any period.
    pub fn wide(self) -> bool {
        self.mask() == u32::MAX
    }

    /// How many channels it has (the basic timers 6 and 7 none).
    pub fn channels(self) -> u8 {
        pyboard::channel_count(self.0)
    }

    /// Whether it counts down and center-aligned too (the others only count up).
    fn counts_both_ways(self) -> bool {
        pyboard::counts_both_ways(self.0)
    }

    /// Its registers.
    fn regs(self) -> &'static RegisterBlock {
        let base = match self.0 {
            1 => pac::TIM1::ptr() as usize,
            2 => pac::TIM2::ptr() as usize,
            3 => pac::TIM3::ptr() as usize,
            4 => pac::TIM4::ptr() as usize,
            5 => pac::TIM5::ptr() as usize,
            6 => pac::TIM6::ptr() as usize,
            7 => pac::TIM7::ptr() as usize,
            8 => pac::TIM8::ptr() as usize,
            9 => pac::TIM9::ptr() as usize,
            10 => pac::TIM10::ptr() as usize,
            11 => pac::TIM11::ptr() as usize,
            12 => pac::TIM12::ptr() as usize,
            13 => pac::TIM13::ptr() as usize,
            _ => pac::TIM14::ptr() as usize,
        };
        // SAFETY: every STM32F4 timer has its CR1, DIER, SR, EGR, CNT, PSC and ARR, and those
        // with channels their CCMR1/2, CCER and CCR1-4, at TIM2's offsets (a timer has the
        // fields and channels it has, and only those are touched); the block is valid for the
        // program's life. The main loop and the update handlers share it as the module doc
        // says.
        unsafe { &*(base as *const RegisterBlock) }
    }

    /// Its registers as an advanced timer's, if it is one (timers 1 and 8).
    fn advanced(self) -> Option<&'static AdvancedRegisters> {
        let base = match self.0 {
            1 => pac::TIM1::ptr(),
            8 => pac::TIM8::ptr(),
            _ => return None,
        };
        // SAFETY: TIM1 and TIM8 have TIM1's layout; their block is valid for the program's
        // life, and only the main loop touches the registers used through it (BDTR, CCER).
        Some(unsafe { &*base })
    }

    /// Stops the counter, with `mode`'s direction (`pyb.Timer`'s `UP` 0, `DOWN` 0x10, center-
    /// aligned 0x20, 0x40, 0x60: the bits of CR1) where the timer has it and the input filters'
    /// clock divided by `div` (1, 2 or 4); the period is buffered (a new one takes effect at
    /// the next update).
    pub fn set_mode(self, mode: i32, div: u8) {
        let both_ways = self.counts_both_ways();
        let divided = self.channels() > 0;
        self.regs().cr1().write(|w| {
            w.arpe().set_bit();
            if both_ways {
                w.dir()
                    .bit(mode & 0x10 != 0)
                    .cms()
                    .set(((mode >> 5) & 3) as u8);
            }
            if divided {
                match div {
                    2 => w.ckd().div2(),
                    4 => w.ckd().div4(),
                    _ => w.ckd().div1(),
                };
            }
            w
        });
    }

    /// Sets an advanced timer's dead time (its `DTG` field) and break input (`brk`: 0 off, 1
    /// active low, 2 active high); other timers have neither.
    pub fn set_break(self, dtg: u8, brk: u8) {
        if let Some(a) = self.advanced() {
            a.bdtr()
                .modify(|_, w| w.dtg().set(dtg).bke().bit(brk != 0).bkp().bit(brk == 2));
        }
    }

    /// The prescaler and period registers.
    pub fn time_base(self) -> (u32, u32) {
        let r = self.regs();
        (
            u32::from(r.psc().read().psc().bits()),
            r.arr().read().arr().bits() & self.mask(),
        )
    }

    /// Whether it counts center-aligned (a `CMS` mode of CR1; the timers that only count up
    /// read 0 there).
    pub fn center_aligned(self) -> bool {
        self.regs().cr1().read().cms().bits() != 0
    }

    /// Sets the prescaler and period registers (both take effect at the next update).
    pub fn set_time_base(self, prescaler: u32, period: u32) {
        let r = self.regs();
        r.psc().write(|w| w.psc().set(prescaler as u16));
        r.arr().write(|w| w.arr().set(period & self.mask()));
    }

    /// Starts the counter from the start of a period, with the prescaler, period and compare
    /// values loaded now; the update this makes is not an update interrupt.
    pub fn start(self) {
        let r = self.regs();
        let irq = r.dier().read().uie().bit_is_set();
        r.dier().modify(|_, w| w.uie().clear_bit());
        r.egr().write(|w| w.ug().set_bit());
        r.sr().write(|w| w.uif().clear_bit());
        if irq {
            r.dier().modify(|_, w| w.uie().set_bit());
        }
        r.cr1().modify(|_, w| w.cen().set_bit());
    }

    /// Stops the counter where it is.
    pub fn stop(self) {
        self.regs().cr1().modify(|_, w| w.cen().clear_bit());
    }

    /// The counter.
    pub fn counter(self) -> u32 {
        self.regs().cnt().read().cnt().bits() & self.mask()
    }

    /// Sets the counter.
    pub fn set_counter(self, value: u32) {
        self.regs()
            .cnt()
            .write(|w| w.cnt().set(value & self.mask()));
    }

    /// Turns the update interrupt on or off; an update before is forgotten either way.
    pub fn set_update_irq(self, on: bool) {
        let r = self.regs();
        r.dier().modify(|_, w| w.uie().clear_bit());
        r.sr().write(|w| w.uif().clear_bit());
        UPDATES.fetch_and(!self.bit(), Ordering::Relaxed);
        if on {
            r.dier().modify(|_, w| w.uie().set_bit());
        }
    }

    /// Whether the update interrupt fired since the last call.
    pub fn take_update(self) -> bool {
        UPDATES.fetch_and(!self.bit(), Ordering::Relaxed) & self.bit() != 0
    }

    /// Whether it has the slave mode controller of the encoder interface.
    fn has_encoder(self) -> bool {
        self.counts_both_ways()
    }

    /// Makes channel `ch` (0 for CH1) an output in mode `ocm` (the `OCxM` field: 6 and 7 are
    /// PWM modes 1 and 2), its compare value buffered to the next update when `preload`. An
    /// input is turned off first (its direction can change only while it is off); an output
    /// stays as it is, so a running PWM output changes without a glitch.
    pub fn set_output_mode(self, ch: u8, ocm: u8, preload: bool) {
        let r = self.regs();
        let n = ch & 1;
        let input = if ch < 2 {
            r.ccmr1_output().read().ccs(n).bits() != 0
        } else {
            r.ccmr2_output().read().ccs(n).bits() != 0
        };
        if input {
            self.enable_output(ch, false);
        }
        if ch < 2 {
            r.ccmr1_output().modify(|_, w| {
                w.ccs(n).output().ocpe(n).bit(preload).ocfe(n).clear_bit();
                w.ocm(n).set(ocm & 7)
            });
        } else {
            r.ccmr2_output().modify(|_, w| {
                w.ccs(n).output().ocpe(n).bit(preload).ocfe(n).clear_bit();
                w.ocm(n).set(ocm & 7)
            });
        }
    }

    /// Makes channel `ch` an input capture of its own input (TI1 for CH1...), every edge of
    /// the chosen polarity, unfiltered; it is off until [`Timer::enable_input`].
    pub fn set_input_mode(self, ch: u8) {
        let r = self.regs();
        self.enable_output(ch, false);
        match ch {
            0 => r
                .ccmr1_input()
                .modify(|_, w| w.cc1s().ti1().icpsc(0).set(0).icf(0).set(0)),
            1 => r
                .ccmr1_input()
                .modify(|_, w| w.cc2s().ti2().icpsc(1).set(0).icf(1).set(0)),
            2 => r
                .ccmr2_input()
                .modify(|_, w| w.cc3s().ti3().icpsc(0).set(0).icf(0).set(0)),
            _ => r
                .ccmr2_input()
                .modify(|_, w| w.cc4s().ti4().icpsc(1).set(0).icf(1).set(0)),
        };
    }

    /// Sets input channel `ch`'s polarity bits: `CCxP` alone captures falling edges, with
    /// `CCxNP` both edges.
    pub fn set_input_polarity(self, ch: u8, p: bool, np: bool) {
        let ch = ch.min(3);
        self.regs()
            .ccer()
            .modify(|_, w| w.ccp(ch).bit(p).ccnp(ch).bit(np));
    }

    /// Makes output channel `ch` active low or high: its `CCxP`, and the `CCxNP` of its
    /// complementary output on an advanced timer (an output without one keeps `CCxNP`
    /// cleared, as the reference manual asks).
    pub fn set_output_polarity(self, ch: u8, low: bool) {
        let ch = ch.min(3);
        let complementary = self.advanced().is_some() && ch < 3;
        self.regs()
            .ccer()
            .modify(|_, w| w.ccp(ch).bit(low).ccnp(ch).bit(low && complementary));
    }

    /// Turns channel `ch`'s input on or off (its `CCxE` alone).
    pub fn enable_input(self, ch: u8, on: bool) {
        let ch = ch.min(3);
        self.regs().ccer().modify(|_, w| w.cce(ch).bit(on));
    }

    /// Puts the counter under the encoder interface counting the edges of input 1 (`inputs`
    /// 1), input 2 (2) or both (3), or (0) back on its clock, where the timer has one.
    pub fn set_encoder(self, inputs: u8) {
        if self.has_encoder() {
            self.regs().smcr().modify(|_, w| w.sms().set(inputs.min(3)));
        }
    }

    /// Starts the counter where it is (a stopped one with the registers it has).
    pub fn run(self) {
        self.regs().cr1().modify(|_, w| w.cen().set_bit());
    }

    /// Turns channel `ch`'s compare/capture interrupt on or off; one before is forgotten
    /// either way.
    pub fn set_channel_irq(self, ch: u8, on: bool) {
        let r = self.regs();
        let ch = ch.min(3);
        r.dier().modify(|_, w| w.ccie(ch).clear_bit());
        r.sr().write(|w| w.ccif(ch).clear_bit());
        if let Some(marks) = CHANNELS.get(self.index()) {
            marks.fetch_and(!(1 << ch), Ordering::Relaxed);
        }
        if on {
            r.dier().modify(|_, w| w.ccie(ch).set_bit());
        }
    }

    /// The channels whose compare/capture interrupt fired since the last call: bit 0 for CH1.
    pub fn take_channels(self) -> u8 {
        CHANNELS
            .get(self.index())
            .map_or(0, |marks| marks.swap(0, Ordering::Relaxed))
    }

    /// Turns every channel off: outputs, inputs, polarities, the encoder interface and the
    /// channels' interrupts (with the marks they left).
    pub fn reset_channels(self) {
        let r = self.regs();
        for ch in 0..self.channels() {
            r.dier().modify(|_, w| w.ccie(ch).clear_bit());
        }
        if self.channels() > 0 {
            r.ccer().reset();
        }
        self.set_encoder(0);
        if let Some(a) = self.advanced() {
            a.bdtr().modify(|_, w| w.moe().clear_bit());
        }
        if let Some(marks) = CHANNELS.get(self.index()) {
            marks.store(0, Ordering::Relaxed);
        }
    }

    /// Channel `ch`'s compare register.
    pub fn compare(self, ch: u8) -> u32 {
        self.regs().ccr(usize::from(ch.min(3))).read().ccr().bits() & self.mask()
    }

    /// Sets channel `ch`'s compare register.
    pub fn set_compare(self, ch: u8, value: u32) {
        self.regs()
            .ccr(usize::from(ch.min(3)))
            .write(|w| w.ccr().set(value & self.mask()));
    }

    /// Turns channel `ch`'s output on or off: its complementary output too on an advanced
    /// timer (CH1N-CH3N), whose outputs all hang on its main output enable, on while any is.
    pub fn enable_output(self, ch: u8, on: bool) {
        let ch = ch.min(3);
        self.regs().ccer().modify(|_, w| w.cce(ch).bit(on));
        if let Some(a) = self.advanced() {
            if ch < 3 {
                a.ccer().modify(|_, w| w.ccne(ch).bit(on));
            }
            let any = a.ccer().read().bits() & CCER_ENABLES != 0;
            a.bdtr().modify(|_, w| w.moe().bit(any));
        }
    }
}

/// Marks the timers `ids` whose update interrupt is on and whose update flag is set, and
/// clears the flag.
fn on_update(ids: &[u8]) {
    for t in ids.iter().filter_map(|&id| Timer::new(id)) {
        let r = t.regs();
        if r.dier().read().uie().bit_is_set() && r.sr().read().uif().bit_is_set() {
            r.sr().write(|w| w.uif().clear_bit());
            UPDATES.fetch_or(t.bit(), Ordering::Relaxed);
        }
    }
}

/// Marks the channels of timers `ids` whose compare/capture interrupt is on and whose flag is
/// set, and clears their flags.
fn on_compare(ids: &[u8]) {
    for t in ids.iter().filter_map(|&id| Timer::new(id)) {
        let r = t.regs();
        let (dier, sr) = (r.dier().read(), r.sr().read());
        let fired = (0..t.channels())
            .filter(|&ch| dier.ccie(ch).bit_is_set() && sr.ccif(ch).bit_is_set())
            .fold(0u8, |bits, ch| bits | 1 << ch);
        if fired == 0 {
            continue;
        }
        r.sr().write(|w| {
            for ch in (0..4).filter(|ch| fired & 1 << ch != 0) {
                w.ccif(ch).clear_bit();
            }
            w
        });
        if let Some(marks) = CHANNELS.get(t.index()) {
            marks.fetch_or(fired, Ordering::Relaxed);
        }
    }
}

/// The timers' vectors (several are shared with another timer or another event; timers 1 and
/// 8 have one for their channels).
const VECTORS: [Interrupt; 14] = [
    Interrupt::TIM1_UP_TIM10,
    Interrupt::TIM1_BRK_TIM9,
    Interrupt::TIM1_TRG_COM_TIM11,
    Interrupt::TIM1_CC,
    Interrupt::TIM2,
    Interrupt::TIM3,
    Interrupt::TIM4,
    Interrupt::TIM5,
    Interrupt::TIM6_DAC,
    Interrupt::TIM7,
    Interrupt::TIM8_UP_TIM13,
    Interrupt::TIM8_BRK_TIM12,
    Interrupt::TIM8_TRG_COM_TIM14,
    Interrupt::TIM8_CC,
];

/// Unmasks the timers' vectors: a timer interrupts only once its update interrupt or a
/// channel's is on.
pub fn enable_interrupts() {
    for v in VECTORS {
        // SAFETY: the handlers below only read DIER and SR, clear SR's flags of the interrupts
        // the main loop turned on, and set bits of atomics; they share no other state with
        // the main loop, and no critical section is in progress.
        unsafe { NVIC::unmask(v) };
    }
}

#[interrupt]
fn TIM1_UP_TIM10() {
    on_update(&[1, 10]);
    on_compare(&[10]);
}

#[interrupt]
fn TIM1_BRK_TIM9() {
    on_update(&[9]);
    on_compare(&[9]);
}

#[interrupt]
fn TIM1_TRG_COM_TIM11() {
    on_update(&[11]);
    on_compare(&[11]);
}

#[interrupt]
fn TIM1_CC() {
    on_compare(&[1]);
}

#[interrupt]
fn TIM2() {
    on_update(&[2]);
    on_compare(&[2]);
}

#[interrupt]
fn TIM3() {
    on_update(&[3]);
    on_compare(&[3]);
}

#[interrupt]
fn TIM4() {
    on_update(&[4]);
    on_compare(&[4]);
}

#[interrupt]
fn TIM5() {
    on_update(&[5]);
    on_compare(&[5]);
}

#[interrupt]
fn TIM6_DAC() {
    on_update(&[6]);
}

#[interrupt]
fn TIM7() {
    on_update(&[7]);
}

#[interrupt]
fn TIM8_UP_TIM13() {
    on_update(&[8, 13]);
    on_compare(&[13]);
}

#[interrupt]
fn TIM8_BRK_TIM12() {
    on_update(&[12]);
    on_compare(&[12]);
}

#[interrupt]
fn TIM8_TRG_COM_TIM14() {
    on_update(&[14]);
    on_compare(&[14]);
}

#[interrupt]
fn TIM8_CC() {
    on_compare(&[8]);
}
