//! The board's time base: SysTick interrupting once a millisecond, and the busy wait that
//! times the bit-banged buses.
//!
//! `ticks_us` is the millisecond count plus the part of the current millisecond SysTick has
//! counted, so `time.ticks_us()` has the resolution of the core clock while only one
//! interrupt a millisecond wakes the core (and ends each `WFI` of a sleep).

use core::cell::Cell;
use core::sync::atomic::{AtomicU32, Ordering};

use cortex_m::peripheral::syst::SystClkSource;
use cortex_m::peripheral::{SCB, SYST};
use cortex_m_rt::exception;
use critical_section::Mutex;
use stm32f4xx_hal::hal::delay::DelayNs;

/// Milliseconds since `start`.
static MILLIS: Mutex<Cell<u64>> = Mutex::new(Cell::new(0));
/// SysTick counts per microsecond (the core clock in MHz).
static PER_US: AtomicU32 = AtomicU32::new(1);

/// Starts SysTick on the core clock, which runs at `core_hz`.
pub fn start(mut syst: SYST, core_hz: u32) {
    let per_us = (core_hz / 1_000_000).max(1);
    PER_US.store(per_us, Ordering::Relaxed);
    syst.set_clock_source(SystClkSource::Core);
    syst.set_reload(per_us * 1000 - 1);
    syst.clear_current();
    syst.enable_interrupt();
    syst.enable_counter();
}

/// Microseconds since `start`.
pub fn ticks_us() -> u64 {
    let per_us = u64::from(PER_US.load(Ordering::Relaxed));
    critical_section::with(|cs| {
        let mut ms = MILLIS.borrow(cs).get();
        let mut current = SYST::get_current();
        // SysTick wrapped and its interrupt waits for this critical section to end: the
        // millisecond has passed, and `current` may be from before or after the wrap.
        if SCB::is_pendst_pending() {
            ms += 1;
            current = SYST::get_current();
        }
        let reload = per_us * 1000 - 1;
        let into_ms = reload.saturating_sub(u64::from(current)) / per_us;
        ms * 1000 + into_ms
    })
}

#[exception]
fn SysTick() {
    critical_section::with(|cs| {
        let ms = MILLIS.borrow(cs);
        ms.set(ms.get() + 1);
    });
}

/// A busy wait of at least the time asked, counted in core clock cycles (`SoftI2C` and
/// `SoftSPI` wait half a clock period at a time, 1.25 us at 400 kHz: less than SysTick's
/// interrupt period, and too short to sleep). It counts instructions, so it never depends on
/// a peripheral answering.
pub struct BusyDelay {
    /// Core clock cycles per microsecond.
    per_us: u32,
}

impl BusyDelay {
    /// A delay on a core clock of `core_hz`.
    pub fn new(core_hz: u32) -> BusyDelay {
        BusyDelay {
            per_us: (core_hz / 1_000_000).max(1),
        }
    }
}

impl DelayNs for BusyDelay {
    fn delay_ns(&mut self, ns: u32) {
        let cycles = u64::from(ns) * u64::from(self.per_us) / 1000;
        cortex_m::asm::delay(cycles.min(u64::from(u32::MAX)) as u32);
    }
}
