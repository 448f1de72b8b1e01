//! Bit-banged I2C and SPI masters (`machine.SoftI2C`, `machine.SoftSPI`) over `embedded-hal`
//! pins and a delay, for any pins a firmware offers.
//!
//! The waveforms are MicroPython's (`extmod/machine_i2c.c`, `drivers/bus/softspi.c`): I2C
//! lines are open drain, released high by their pull-ups and driven low, a half period apart;
//! a device may hold SCL low to slow the bus down (clock stretching), which is waited out for
//! at most [`STRETCH_TIMEOUT_US`] before the transfer ends with `ETIMEDOUT`. SPI shifts MSB
//! first with the four modes of `polarity` and `phase`.
//!
//! An I2C error has no `embedded-hal` kind for a timeout, so [`SoftI2c`] implements this
//! crate's [`I2cBus`] (whose errors are `errno`) rather than `embedded_hal::i2c::I2c`;
//! [`SoftSpi`] is an `embedded_hal::spi::SpiBus`, and so an [`SpiBus`](crate::SpiBus) too.
//! [`PinIo`] lends a board pin ([`BoardPin`]) to either, which is how
//! [`HalBoard`](crate::HalBoard) runs them on its own pins.

use core::convert::Infallible;

use embedded_hal::delay::DelayNs;
use embedded_hal::digital::{self, InputPin, OutputPin};
use embedded_hal::spi;
use pyrite_core::hardware::{HwResult, I2cOp, EIO, ENODEV, ETIMEDOUT};

use crate::bus::{i2c_runs, I2cBus};
use crate::pin::BoardPin;

/// How long a device may hold SCL low: MicroPython's default `timeout` of `SoftI2C`.
pub const STRETCH_TIMEOUT_US: u32 = 50_000;

/// Half a period of a clock at `hz` (at least 1 Hz), in nanoseconds.
pub fn half_period_ns(hz: u32) -> u32 {
    500_000_000 / hz.max(1)
}

/// A bit-banged I2C master on SCL and SDA, two open-drain pins that read their line
/// (`set_high` releases it, `set_low` drives it low).
pub struct SoftI2c<C, A, D> {
    scl: C,
    sda: A,
    delay: D,
    /// Half a clock period, in nanoseconds.
    half_ns: u32,
}

/// Why a bit-banged transfer stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// A device held SCL low for longer than [`STRETCH_TIMEOUT_US`].
    Stretched,
    /// A pin driver failed.
    Pin,
}

impl Stop {
    fn errno(self) -> i32 {
        match self {
            Stop::Stretched => ETIMEDOUT,
            Stop::Pin => EIO,
        }
    }
}

fn pin_ok<T, E>(r: Result<T, E>) -> Result<T, Stop> {
    r.map_err(|_| Stop::Pin)
}

impl<C, A, D> SoftI2c<C, A, D>
where
    C: InputPin + OutputPin,
    A: InputPin + OutputPin,
    D: DelayNs,
{
    /// A bus on `scl` and `sda`, clocked at (at most) `freq` Hz. The pins must already be
    /// open drain, released or not: each transfer starts by releasing them.
    pub fn new(scl: C, sda: A, delay: D, freq: u32) -> SoftI2c<C, A, D> {
        SoftI2c {
            scl,
            sda,
            delay,
            half_ns: half_period_ns(freq),
        }
    }

    /// The pins and the delay back.
    pub fn release(self) -> (C, A, D) {
        (self.scl, self.sda, self.delay)
    }

    fn wait(&mut self) {
        self.delay.delay_ns(self.half_ns);
    }

    /// Releases SCL, keeps it high for half a period, and waits until it reads high (a
    /// device may be stretching the clock).
    fn scl_release(&mut self) -> Result<(), Stop> {
        pin_ok(self.scl.set_high())?;
        self.wait();
        let mut waited = 0;
        while !pin_ok(self.scl.is_high())? {
            if waited >= STRETCH_TIMEOUT_US {
                return Err(Stop::Stretched);
            }
            self.delay.delay_us(1);
            waited += 1;
        }
        Ok(())
    }

    fn scl_low(&mut self) -> Result<(), Stop> {
        pin_ok(self.scl.set_low())
    }

    fn sda_set(&mut self, high: bool) -> Result<(), Stop> {
        pin_ok(self.sda.set_state(digital::PinState::from(high)))
    }

    /// A START, or a repeated START when SCL is low after a byte: SDA falls while SCL is high.
    fn start(&mut self) -> Result<(), Stop> {
        self.sda_set(true)?;
        self.wait();
        self.scl_release()?;
        self.sda_set(false)?;
        self.wait();
        Ok(())
    }

    /// A STOP: SDA rises while SCL is high; both lines end released.
    fn stop(&mut self) -> Result<(), Stop> {
        self.wait();
        self.sda_set(false)?;
        self.wait();
        let scl = self.scl_release();
        self.wait();
        self.sda_set(true)?;
        self.wait();
        scl
    }

    /// Sends `byte`, MSB first; whether the device acknowledged it.
    fn write_byte(&mut self, byte: u8) -> Result<bool, Stop> {
        self.wait();
        self.scl_low()?;
        for bit in (0..8).rev() {
            self.sda_set(byte >> bit & 1 != 0)?;
            self.wait();
            self.scl_release()?;
            self.scl_low()?;
        }
        // The ninth clock: the device pulls SDA low to acknowledge.
        self.sda_set(true)?;
        self.wait();
        self.scl_release()?;
        let nack = pin_ok(self.sda.is_high())?;
        self.wait();
        self.scl_low()?;
        Ok(!nack)
    }

    /// Receives a byte, MSB first, and answers it with ACK (more to come) or NACK (the last).
    fn read_byte(&mut self, ack: bool) -> Result<u8, Stop> {
        self.wait();
        let mut byte = 0u8;
        for _ in 0..8 {
            self.scl_release()?;
            byte = byte << 1 | u8::from(pin_ok(self.sda.is_high())?);
            self.scl_low()?;
            self.wait();
        }
        self.sda_set(!ack)?;
        self.wait();
        self.scl_release()?;
        self.wait();
        self.scl_low()?;
        self.sda_set(true)?;
        Ok(byte)
    }

    /// The transaction between the first START and the STOP: `Ok(Err(errno))` for a byte
    /// not acknowledged (the bus is still in order for the STOP).
    fn transfer(&mut self, addr: u8, ops: &mut [I2cOp]) -> Result<HwResult<()>, Stop> {
        let runs = i2c_runs(ops);
        if runs.is_empty() {
            // An address probe: the address for writing, and nothing after it.
            self.start()?;
            return Ok(if self.write_byte(addr << 1)? {
                Ok(())
            } else {
                Err(ENODEV)
            });
        }
        for run in runs {
            self.start()?;
            if !self.write_byte(addr << 1 | u8::from(run.read))? {
                return Ok(Err(ENODEV));
            }
            let mut left = run.bytes;
            for op in ops.get_mut(run.ops).unwrap_or_default() {
                match op {
                    I2cOp::Write(data) => {
                        for &b in data.iter() {
                            if !self.write_byte(b)? {
                                return Ok(Err(EIO));
                            }
                        }
                    }
                    I2cOp::Read(buf) => {
                        for slot in buf.iter_mut() {
                            left -= 1;
                            // The run's last byte is answered with NACK.
                            *slot = self.read_byte(left > 0)?;
                        }
                    }
                }
            }
        }
        Ok(Ok(()))
    }
}

impl<C, A, D> I2cBus for SoftI2c<C, A, D>
where
    C: InputPin + OutputPin,
    A: InputPin + OutputPin,
    D: DelayNs,
{
    /// Runs `ops` with the device at 7-bit `addr` and ends with a STOP, even after an error
    /// (unless SCL stays held: then the bus is not the master's to stop).
    fn run(&mut self, addr: u8, ops: &mut [I2cOp]) -> HwResult<()> {
        match self.transfer(addr & 0x7f, ops) {
            Ok(result) => {
                self.stop().map_err(Stop::errno)?;
                result
            }
            Err(Stop::Stretched) => Err(ETIMEDOUT),
            Err(Stop::Pin) => {
                let _ = self.stop();
                Err(EIO)
            }
        }
    }
}

/// A bit-banged SPI master: SCK and MOSI outputs, MISO an input. `polarity` is the clock's
/// idle level; with `phase` 0 MISO is sampled on the first clock edge of each bit, with 1 on
/// the second.
pub struct SoftSpi<K, O, I, D> {
    sck: K,
    mosi: O,
    miso: I,
    delay: D,
    half_ns: u32,
    polarity: bool,
    phase: bool,
}

impl<K, O, I, D> SoftSpi<K, O, I, D>
where
    K: OutputPin,
    O: OutputPin,
    I: InputPin,
    D: DelayNs,
{
    /// A bus at (at most) `baudrate` Hz; SCK is set to its idle level.
    pub fn new(
        sck: K,
        mosi: O,
        miso: I,
        delay: D,
        baudrate: u32,
        polarity: u8,
        phase: u8,
    ) -> SoftSpi<K, O, I, D> {
        let mut bus = SoftSpi {
            sck,
            mosi,
            miso,
            delay,
            half_ns: half_period_ns(baudrate),
            polarity: polarity != 0,
            phase: phase != 0,
        };
        let _ = bus.sck.set_state(digital::PinState::from(bus.polarity));
        bus
    }

    /// The pins and the delay back.
    pub fn release(self) -> (K, O, I, D) {
        (self.sck, self.mosi, self.miso, self.delay)
    }

    fn clock(&mut self, active: bool) -> Result<(), spi::ErrorKind> {
        let level = active != self.polarity;
        self.sck
            .set_state(digital::PinState::from(level))
            .map_err(|_| spi::ErrorKind::Other)
    }

    /// Shifts `out` out while shifting a byte in.
    fn exchange(&mut self, out: u8) -> Result<u8, spi::ErrorKind> {
        let mut got = 0u8;
        for bit in (0..8).rev() {
            self.mosi
                .set_state(digital::PinState::from(out >> bit & 1 != 0))
                .map_err(|_| spi::ErrorKind::Other)?;
            // Phase 0: data is set up half a period before the first (sampling) edge; phase
            // 1: the first edge shifts, and the second, half a period later, samples.
            if self.phase {
                self.clock(true)?;
                self.delay.delay_ns(self.half_ns);
            } else {
                self.delay.delay_ns(self.half_ns);
                self.clock(true)?;
            }
            let high = self.miso.is_high().map_err(|_| spi::ErrorKind::Other)?;
            got = got << 1 | u8::from(high);
            if self.phase {
                self.clock(false)?;
                self.delay.delay_ns(self.half_ns);
            } else {
                self.delay.delay_ns(self.half_ns);
                self.clock(false)?;
            }
        }
        Ok(got)
    }
}

impl<K, O, I, D> spi::ErrorType for SoftSpi<K, O, I, D> {
    type Error = spi::ErrorKind;
}

impl<K, O, I, D> spi::SpiBus<u8> for SoftSpi<K, O, I, D>
where
    K: OutputPin,
    O: OutputPin,
    I: InputPin,
    D: DelayNs,
{
    fn read(&mut self, words: &mut [u8]) -> Result<(), Self::Error> {
        for w in words.iter_mut() {
            *w = self.exchange(0)?;
        }
        Ok(())
    }

    fn write(&mut self, words: &[u8]) -> Result<(), Self::Error> {
        for &w in words {
            self.exchange(w)?;
        }
        Ok(())
    }

    /// `embedded-hal` semantics: as many bytes as the longer buffer; zeros are sent past the
    /// end of `write`, and what is read past the end of `read` is dropped.
    fn transfer(&mut self, read: &mut [u8], write: &[u8]) -> Result<(), Self::Error> {
        for i in 0..read.len().max(write.len()) {
            let got = self.exchange(write.get(i).copied().unwrap_or(0))?;
            if let Some(slot) = read.get_mut(i) {
                *slot = got;
            }
        }
        Ok(())
    }

    fn transfer_in_place(&mut self, words: &mut [u8]) -> Result<(), Self::Error> {
        for w in words.iter_mut() {
            *w = self.exchange(*w)?;
        }
        Ok(())
    }

    /// Every bit is on the wire when `exchange` returns.
    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// A board pin lent to a bit-banged bus as an `embedded-hal` pin: `set_high`/`set_low` write
/// it (an open-drain pin releases or drives its line), `is_high` reads it.
pub struct PinIo<'a>(pub &'a mut dyn BoardPin);

impl digital::ErrorType for PinIo<'_> {
    type Error = Infallible;
}

impl OutputPin for PinIo<'_> {
    fn set_low(&mut self) -> Result<(), Infallible> {
        self.0.write(false);
        Ok(())
    }

    fn set_high(&mut self) -> Result<(), Infallible> {
        self.0.write(true);
        Ok(())
    }
}

impl InputPin for PinIo<'_> {
    fn is_high(&mut self) -> Result<bool, Infallible> {
        Ok(self.0.read())
    }

    fn is_low(&mut self) -> Result<bool, Infallible> {
        Ok(!self.0.read())
    }
}
