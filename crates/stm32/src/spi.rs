//! `machine.SPI` on the pyboard's SPI controllers, as masters: `SPI(1)` on the X side (`X6`
//! SCK = A5, `X7` MISO = A6, `X8` MOSI = A7) and `SPI(2)` on the Y side (`Y6` SCK = B13, `Y7`
//! MISO = B14, `Y8` MOSI = B15); 8-bit frames, MSB first. NSS (`X5`, `Y5`) is left to the
//! program, as MicroPython leaves it: chip select is a `machine.Pin`.
//!
//! stm32f4xx-hal 0.23's SPI waits for its status flags without a limit, so this drives the
//! registers itself (RM0090, "SPI master mode"), one byte at a time: wait for room, send,
//! wait for the byte that came back. Each wait is bounded by [`BYTE_TIMEOUT_US`], so a
//! controller that never answers is `ETIMEDOUT`, never a hang. QEMU's netduinoplus2 models
//! the controllers with nothing on the bus: every byte comes back at once, as 0.
//!
//! The clock is the controller's bus clock (APB2 for SPI1, APB1 for SPI2) divided by the
//! smallest power of two from 2 to 256 that does not exceed the baud rate asked for, as
//! MicroPython picks it.

use pyrite_core::hardware::{HwResult, Pull, ENODEV, ETIMEDOUT};
use stm32f4xx_hal::pac::spi1::{sr, RegisterBlock};

use crate::clock;
use crate::gpio::{self, pin, PinCode};

/// How long one byte may take: a byte at the slowest clock (APB1 / 256 on the pyboard) takes
/// about 50 us; the rest is room for interrupts.
const BYTE_TIMEOUT_US: u64 = 10_000;

/// The SPI alternate function of the buses' pins (the same for SPI1 and SPI2).
const SPI_AF: u8 = 5;

/// Each bus's SCK, MISO and MOSI, in handle order (`SPI(1)`, `SPI(2)`).
const SPI_PINS: [[PinCode; 3]; 2] = [
    [pin('A', 5), pin('A', 6), pin('A', 7)],
    [pin('B', 13), pin('B', 14), pin('B', 15)],
];

/// The value of CR1's BR field: the clock divided by `2 << BR`, the smallest that keeps the
/// bus at or below `baudrate` (the slowest, 256, if none does).
fn prescaler(clock: u32, baudrate: u32) -> u8 {
    let divider = clock.div_ceil(baudrate.max(1));
    (0u8..7).find(|&br| divider <= 2u32 << br).unwrap_or(7)
}

/// SPI1 and SPI2.
pub struct SpiBuses {
    /// The controllers' registers, in handle order.
    regs: [&'static RegisterBlock; 2],
    /// Each controller's bus clock in Hz (APB2 for SPI1, APB1 for SPI2).
    clocks: [u32; 2],
}

impl SpiBuses {
    /// The buses with registers `regs` (SPI1, SPI2, their clocks on), on bus clocks `clocks`
    /// in Hz.
    pub fn new(regs: [&'static RegisterBlock; 2], clocks: [u32; 2]) -> SpiBuses {
        SpiBuses { regs, clocks }
    }

    /// Sets bus `id` (1 or 2) up as a master at (at most) `baudrate`, with clock `polarity`
    /// (the idle level) and `phase` (0: sample on the first edge); its handle.
    pub fn open(&mut self, id: i32, baudrate: u32, polarity: u8, phase: u8) -> HwResult<u8> {
        let i = match id {
            1 => 0,
            2 => 1,
            _ => return Err(ENODEV),
        };
        let (&r, &clock, pins) = match (self.regs.get(i), self.clocks.get(i), SPI_PINS.get(i)) {
            (Some(r), Some(c), Some(p)) => (r, c, p),
            _ => return Err(ENODEV),
        };
        let br = prescaler(clock, baudrate);
        r.cr1().write(|w| w);
        r.cr2().write(|w| w);
        // The pins rest at the clock's idle level, as MicroPython pulls them.
        let pull = if polarity == 0 { Pull::Down } else { Pull::Up };
        for &code in pins {
            gpio::set_alternate(code, SPI_AF, false, pull);
        }
        // Software slave management with the internal NSS high keeps a master from faulting
        // when the NSS pin is used for something else.
        r.cr1().write(|w| {
            w.mstr()
                .set_bit()
                .ssm()
                .set_bit()
                .ssi()
                .set_bit()
                .br()
                .set(br)
                .cpol()
                .bit(polarity != 0)
                .cpha()
                .bit(phase != 0)
        });
        r.cr1().modify(|_, w| w.spe().set_bit());
        Ok(i as u8)
    }

    /// Sends `write` while receiving as many bytes into `read` (which may be shorter, or
    /// empty for a write only); `ETIMEDOUT` if the controller does not keep up.
    pub fn transfer(&mut self, bus: u8, write: &[u8], read: &mut [u8]) -> HwResult<()> {
        let r = *self.regs.get(usize::from(bus)).ok_or(ENODEV)?;
        // A byte an interrupted transfer left behind is not this transfer's.
        if r.sr().read().rxne().bit_is_set() {
            let _ = r.dr().read();
        }
        for (i, &b) in write.iter().enumerate() {
            wait(r, |sr| sr.txe().bit_is_set())?;
            r.dr().write(|w| w.dr().set(u16::from(b)));
            wait(r, |sr| sr.rxne().bit_is_set())?;
            let got = r.dr().read().dr().bits() as u8;
            if let Some(slot) = read.get_mut(i) {
                *slot = got;
            }
        }
        wait(r, |sr| sr.bsy().bit_is_clear())
    }
}

/// Waits until the status register satisfies `done`, at most [`BYTE_TIMEOUT_US`].
fn wait(r: &RegisterBlock, done: impl Fn(&sr::R) -> bool) -> HwResult<()> {
    let start = clock::ticks_us();
    while !done(&r.sr().read()) {
        if clock::ticks_us().wrapping_sub(start) > BYTE_TIMEOUT_US {
            return Err(ETIMEDOUT);
        }
    }
    Ok(())
}
