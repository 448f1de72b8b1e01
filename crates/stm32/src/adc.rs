//! `machine.ADC` / `pyb.ADC` on ADC1: one 12-bit conversion per reading, on the pins wired
//! to its channels (`A0`..`A7` are IN0-7, `B0`/`B1` IN8/9, `C0`..`C5` IN10-15).
//!
//! `embedded-hal` 1.0 has no ADC trait, so this drives the registers. The ADC clock is APB2
//! divided by 4 (21 MHz on the pyboard, under the 36 MHz limit) and every channel samples for
//! 480 cycles (for sources up to about 50 kOhm), so a conversion takes 23 us. The result is
//! read when the end-of-conversion flag rises, or once twice the conversion time has passed
//! without it: the conversion's length is fixed, so the data register then holds it. (QEMU's
//! model of the ADC never raises the flag, and produces its value when the data register is
//! read after a start.)

use pyrite_core::hardware::{HwResult, ENODEV};
use stm32f4xx_hal::pac::adc1::RegisterBlock;
use stm32f4xx_hal::pac::adc_common::ccr::ADCPRE;
use stm32f4xx_hal::pac::adc_common::RegisterBlock as CommonRegisterBlock;

use crate::clock;
use crate::gpio::{self, PinCode};

/// The longest a reading waits for its end-of-conversion flag.
const CONVERSION_WAIT_US: u64 = 50;

/// ADC1.
pub struct Adc {
    regs: &'static RegisterBlock,
    /// Whether the converter has been switched on (at the first reading).
    on: bool,
}

impl Adc {
    /// ADC1 with registers `regs` and the ADCs' common registers `common` (its clock on).
    pub fn new(regs: &'static RegisterBlock, common: &'static CommonRegisterBlock) -> Adc {
        common.ccr().modify(|_, w| w.adcpre().variant(ADCPRE::Div4));
        Adc { regs, on: false }
    }

    /// Converts the voltage on pin `code` (made an analog input); 12 bits.
    pub fn read(&mut self, code: PinCode) -> HwResult<u16> {
        // `pyrite_pyboard` numbers the pins of ports A-C as `PinCode` packs them.
        let ch = pyrite_pyboard::adc_channel(code).ok_or(ENODEV)?;
        let r = self.regs;
        gpio::set_analog(code);
        if !self.on {
            // SAFETY: every bit pattern of SMPR1/SMPR2 selects valid sample times; all ones
            // is 480 cycles on every channel.
            r.smpr1().write(|w| unsafe { w.bits(0x07ff_ffff) });
            r.smpr2().write(|w| unsafe { w.bits(0x3fff_ffff) });
            r.cr2().write(|w| w.adon().set_bit());
            self.on = true;
            // The converter needs a few microseconds to settle after power-up.
            wait_us(3, || false);
        }
        r.sqr1().write(|w| w.l().set(0));
        // SAFETY: channels 0..=15 are valid sequence entries.
        r.sqr3().write(|w| unsafe { w.sq1().bits(ch) });
        r.cr2().modify(|_, w| w.swstart().set_bit());
        wait_us(CONVERSION_WAIT_US, || r.sr().read().eoc().bit_is_set());
        Ok(r.dr().read().data().bits() & 0x0fff)
    }
}

/// Spins until `done` or `us` microseconds have passed.
fn wait_us(us: u64, done: impl Fn() -> bool) {
    let start = clock::ticks_us();
    while !done() && clock::ticks_us().wrapping_sub(start) <= us {}
}
