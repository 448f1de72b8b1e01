//! The STM32F405's GPIO pins as `machine.Pin` sees them, and the pin set-up of the peripherals
//! that take a pin over (I2C, SPI, UART, ADC).
//!
//! A pin is its port and number, and its registers are those of its port's register block:
//! one small driver serves every pin, and a pin changes mode (input, output, open drain,
//! analog) and pull at run time, which the HAL's typed pins cannot. The firmware's other GPIO
//! users (the REPL's USART under QEMU, USB on the pyboard) own their pins through the HAL;
//! the board offers Python only the other pins (see `board.rs`), except that under QEMU the
//! REPL's USART shares `X9`/`X10` with I2C bus 1, which QEMU does not mind (it has no GPIO).
//!
//! QEMU's GPIO is a stub whose input register reads 0: there an input reads what its pull
//! gives (high with a pull-up), as an unconnected pin would, so that the released switch reads
//! released.

use pyrite_core::hardware::{HwResult, PinMode, Pull, EINVAL};
use pyrite_hal::BoardPin;
use stm32f4xx_hal::pac;
use stm32f4xx_hal::pac::gpioa::moder::MODE;
use stm32f4xx_hal::pac::gpioa::ospeedr::OUTPUT_SPEED;
use stm32f4xx_hal::pac::gpioa::otyper::OUTPUT_TYPE;
use stm32f4xx_hal::pac::gpioa::pupdr::PULL;
use stm32f4xx_hal::pac::gpioa::RegisterBlock;

/// The ports the board offers pins of: A, B and C.
const PORTS: u8 = 3;

/// A pin's port (0 for A) and number, packed as `port << 4 | number`: `pyrite_pyboard`'s
/// number of the pin.
pub type PinCode = pyrite_pyboard::Pin;

/// Pin `n` of port `port` ('A'..='C').
pub const fn pin(port: char, n: u8) -> PinCode {
    ((port as u8 - b'A') << 4) | (n & 0x0f)
}

/// Port `port`'s registers.
fn regs(port: u8) -> &'static RegisterBlock {
    // The GPIO ports are 0x400 apart from GPIOA on, all with GPIOA's layout.
    let addr = pac::GPIOA::ptr() as usize + 0x400 * usize::from(port.min(PORTS - 1));
    // SAFETY: `addr` is the register block of port A, B or C, valid for the program's life;
    // every access is a single-register read, write or read-modify-write of this pin's bits,
    // made from the main loop only (no interrupt handler touches these pins).
    unsafe { &*(addr as *const RegisterBlock) }
}

/// Turns on the clocks of ports A-C (the HAL does it only for the ports it splits).
pub fn enable_ports(rcc: &mut pac::RCC) {
    rcc.ahb1enr().modify(|_, w| {
        w.gpioaen()
            .set_bit()
            .gpioben()
            .set_bit()
            .gpiocen()
            .set_bit()
    });
}

/// Gives pin `code` to a peripheral: alternate function `af`, open drain or push-pull, with
/// `pull`, at high speed.
pub fn set_alternate(code: PinCode, af: u8, open_drain: bool, pull: Pull) {
    let (r, n) = (regs(code >> 4), code & 0x0f);
    set_pull(r, n, pull);
    let otype = if open_drain {
        OUTPUT_TYPE::OpenDrain
    } else {
        OUTPUT_TYPE::PushPull
    };
    r.otyper().modify(|_, w| w.ot(n).variant(otype));
    r.ospeedr()
        .modify(|_, w| w.ospeedr(n).variant(OUTPUT_SPEED::HighSpeed));
    let af = af & 0x0f;
    if n < 8 {
        r.afrl().modify(|_, w| w.afr(n).set(af));
    } else {
        r.afrh().modify(|_, w| w.afr(n - 8).set(af));
    }
    r.moder().modify(|_, w| w.moder(n).variant(MODE::Alternate));
}

/// Gives pin `code` to the ADC (analog mode, no pull).
pub fn set_analog(code: PinCode) {
    let (r, n) = (regs(code >> 4), code & 0x0f);
    set_pull(r, n, Pull::None);
    r.moder().modify(|_, w| w.moder(n).variant(MODE::Analog));
}

fn set_pull(r: &RegisterBlock, n: u8, pull: Pull) {
    let pull = match pull {
        Pull::None => PULL::Floating,
        Pull::Up => PULL::PullUp,
        Pull::Down => PULL::PullDown,
    };
    r.pupdr().modify(|_, w| w.pupdr(n).variant(pull));
}

/// A GPIO of the board.
pub struct GpioPin {
    code: PinCode,
    /// The output register's bit, as last set.
    out: bool,
    /// The mode `Pin.init` set (a push-pull output reads the level set).
    mode: PinMode,
    /// The pull asked for (what an unconnected input reads under QEMU).
    pull: Pull,
}

impl GpioPin {
    /// Pin `code` as the chip left it after reset (an input, or whatever the firmware made
    /// it); `Pin.init` sets it up.
    pub fn new(code: PinCode) -> GpioPin {
        GpioPin {
            code,
            out: false,
            mode: PinMode::Input,
            pull: Pull::None,
        }
    }

    fn regs(&self) -> (&'static RegisterBlock, u8) {
        (regs(self.code >> 4), self.code & 0x0f)
    }
}

impl BoardPin for GpioPin {
    fn init(&mut self, mode: PinMode, pull: Pull) -> HwResult<()> {
        let (r, n) = self.regs();
        let (moder, otype) = match mode {
            PinMode::Input => (MODE::Input, None),
            PinMode::Output => (MODE::Output, Some(OUTPUT_TYPE::PushPull)),
            PinMode::OpenDrain => (MODE::Output, Some(OUTPUT_TYPE::OpenDrain)),
            PinMode::Analog => (MODE::Analog, None),
            PinMode::Alt | PinMode::AltOpenDrain => return Err(EINVAL),
        };
        set_pull(r, n, pull);
        self.pull = pull;
        if let Some(otype) = otype {
            r.otyper().modify(|_, w| w.ot(n).variant(otype));
            // The level set before is driven from the first moment.
            self.write(self.out);
        }
        r.moder().modify(|_, w| w.moder(n).variant(moder));
        self.mode = mode;
        Ok(())
    }

    fn write(&mut self, high: bool) {
        let (r, n) = self.regs();
        self.out = high;
        // BSRR sets (low half) or resets (high half) one bit without a read-modify-write.
        let bit = if high { 1u32 << n } else { 1u32 << (n + 16) };
        // SAFETY: any value is a valid BSRR write; this one touches only this pin.
        r.bsrr().write(|w| unsafe { w.bits(bit) });
    }

    fn read(&mut self) -> bool {
        match self.mode {
            PinMode::Output => return self.out,
            // Under QEMU the line is what the pin and its pull make of it: a pulled-up line
            // reads high unless the pin pulls it low.
            PinMode::OpenDrain if cfg!(feature = "qemu") => {
                return self.out && self.pull == Pull::Up
            }
            _ if cfg!(feature = "qemu") => return self.pull == Pull::Up,
            _ => {}
        }
        let (r, n) = self.regs();
        r.idr().read().bits() & (1 << n) != 0
    }
}
