//! The pyboard's I2C controllers (bus 1: `X9` SCL = B6, `X10` SDA = B7; bus 2: `Y9` SCL = B10,
//! `Y10` SDA = B11), with every wait bounded.
//!
//! stm32f4xx-hal 0.23's blocking I2C waits for status flags without a limit, so a bus held low,
//! a missing pull-up or QEMU (whose I2C is a stub that never sets a flag) would hang the board.
//! This driver follows the same register sequence (RM0090, "I2C master mode") with a deadline
//! on every wait: the start condition within [`START_TIMEOUT_US`] (a free bus takes
//! microseconds, so a scan of a dead bus ends quickly), the address and each byte within
//! [`BYTE_TIMEOUT_US`] (MicroPython's 50 ms, room for a device stretching the clock). A
//! timeout is `ETIMEDOUT`, an address not acknowledged `ENODEV`, a data byte not acknowledged
//! or a lost arbitration `EIO`; after any error the bus gets a STOP.
//!
//! It implements `pyrite_hal::I2cBus` directly, because `embedded-hal`'s error kinds have no
//! timeout; `pyrite_hal::bus::i2c_runs` splits a transaction into its runs (a change of
//! direction is a repeated start), so that a read's last byte is known before it arrives.

use pyrite_core::hardware::{HwResult, I2cOp, EINVAL, EIO, ENODEV, ETIMEDOUT};
use pyrite_hal::bus::i2c_runs;
use pyrite_hal::I2cBus;
use stm32f4xx_hal::pac::i2c1::RegisterBlock;

use crate::clock;

/// How long the start condition may take.
pub const START_TIMEOUT_US: u64 = 1_000;
/// How long the address or one byte may take.
pub const BYTE_TIMEOUT_US: u64 = 50_000;
/// The fastest bus the controller runs (fast mode).
const MAX_FREQ: u32 = 400_000;

/// One I2C controller, as the board has set it up.
pub struct I2cController {
    regs: &'static RegisterBlock,
    /// The APB1 clock the controller runs on, in Hz.
    pclk1: u32,
}

impl I2cController {
    /// The controller with registers `regs` (its clock on), on an APB1 clock of `pclk1` Hz.
    pub fn new(regs: &'static RegisterBlock, pclk1: u32) -> I2cController {
        I2cController { regs, pclk1 }
    }

    /// Resets the controller and sets it up for a bus at `freq` Hz (at most 400 kHz).
    pub fn configure(&mut self, freq: u32) -> HwResult<()> {
        if freq == 0 {
            return Err(EINVAL);
        }
        let freq = freq.min(MAX_FREQ);
        let mhz = (self.pclk1 / 1_000_000).clamp(2, 50);
        let r = self.regs;
        // A software reset frees a controller that an interrupted transfer left busy.
        r.cr1().write(|w| w.swrst().set_bit());
        r.cr1().write(|w| w.swrst().clear_bit());
        // SAFETY: 2..=50 is the field's range of valid APB1 frequencies in MHz.
        r.cr2().write(|w| unsafe { w.freq().bits(mhz as u8) });
        if freq <= 100_000 {
            let ccr = (self.pclk1 / (2 * freq)).clamp(4, 0xfff) as u16;
            r.trise().write(|w| w.trise().set(mhz as u8 + 1));
            // SAFETY: 4..=0xfff is a valid standard-mode divider.
            r.ccr()
                .write(|w| unsafe { w.f_s().clear_bit().ccr().bits(ccr) });
        } else {
            let ccr = (self.pclk1 / (3 * freq)).clamp(1, 0xfff) as u16;
            r.trise()
                .write(|w| w.trise().set((mhz * 300 / 1000 + 1) as u8));
            // SAFETY: 1..=0xfff is a valid fast-mode divider (duty 2:1).
            r.ccr()
                .write(|w| unsafe { w.f_s().set_bit().duty().clear_bit().ccr().bits(ccr) });
        }
        r.cr1().write(|w| w.pe().set_bit());
        Ok(())
    }

    /// Waits until `done` says so, at most `timeout_us`; a NACK seen meanwhile is `nack`.
    fn wait(
        &self,
        timeout_us: u64,
        nack: i32,
        done: impl Fn(&RegisterBlock) -> bool,
    ) -> HwResult<()> {
        let start = clock::ticks_us();
        loop {
            let sr1 = self.regs.sr1().read();
            if sr1.af().bit_is_set() {
                self.regs.sr1().modify(|_, w| w.af().clear_bit());
                return Err(nack);
            }
            if sr1.arlo().bit_is_set() {
                self.regs.sr1().modify(|_, w| w.arlo().clear_bit());
                return Err(EIO);
            }
            if done(self.regs) {
                return Ok(());
            }
            if clock::ticks_us().wrapping_sub(start) > timeout_us {
                return Err(ETIMEDOUT);
            }
        }
    }

    /// A (repeated) start and the address; for a read, `nack_first` answers its first byte
    /// with NACK (a one-byte read), which must be set before the address phase ends.
    fn start(&self, addr: u8, read: bool, nack_first: bool) -> HwResult<()> {
        let r = self.regs;
        // SAFETY: writing 0 clears every error flag; the other bits are read-only.
        r.sr1().write(|w| unsafe { w.bits(0) });
        r.cr1().modify(|_, w| w.start().set_bit().ack().bit(read));
        self.wait(START_TIMEOUT_US, EIO, |r| r.sr1().read().sb().bit_is_set())?;
        // SAFETY: any byte is a valid data register value.
        r.dr()
            .write(|w| unsafe { w.bits(u16::from(addr) << 1 | u16::from(read)) });
        self.wait(BYTE_TIMEOUT_US, ENODEV, |r| {
            r.sr1().read().addr().bit_is_set()
        })?;
        if nack_first {
            r.cr1().modify(|_, w| w.ack().clear_bit());
        }
        // Reading SR2 after SR1 ends the address phase.
        let _ = r.sr2().read();
        Ok(())
    }

    /// Sends one byte and waits until it is on the bus.
    fn send(&self, byte: u8) -> HwResult<()> {
        self.wait(BYTE_TIMEOUT_US, EIO, |r| r.sr1().read().tx_e().bit_is_set())?;
        // SAFETY: any byte is a valid data register value.
        self.regs.dr().write(|w| unsafe { w.bits(u16::from(byte)) });
        self.wait(BYTE_TIMEOUT_US, EIO, |r| r.sr1().read().btf().bit_is_set())
    }

    /// Receives one byte.
    fn recv(&self) -> HwResult<u8> {
        self.wait(BYTE_TIMEOUT_US, EIO, |r| {
            r.sr1().read().rx_ne().bit_is_set()
        })?;
        Ok(self.regs.dr().read().bits() as u8)
    }

    /// Sends a STOP and waits (briefly) until it is out.
    fn stop(&self) -> HwResult<()> {
        self.regs.cr1().modify(|_, w| w.stop().set_bit());
        self.wait_stopped()
    }

    fn wait_stopped(&self) -> HwResult<()> {
        self.wait(START_TIMEOUT_US, EIO, |r| {
            r.cr1().read().stop().bit_is_clear()
        })
    }

    /// The transaction; on error the caller sends the STOP.
    fn transfer(&self, addr: u8, ops: &mut [I2cOp]) -> HwResult<()> {
        self.wait_stopped()?;
        let runs = i2c_runs(ops);
        if runs.is_empty() {
            // No data: an address probe (`scan`).
            self.start(addr, false, false)?;
            return self.stop();
        }
        for run in &runs {
            self.start(addr, run.read, run.read && run.bytes == 1)?;
            let mut left = run.bytes;
            for op in ops.get_mut(run.ops.clone()).unwrap_or_default() {
                match op {
                    I2cOp::Write(data) => {
                        for &b in data.iter() {
                            self.send(b)?;
                        }
                    }
                    I2cOp::Read(buf) => {
                        for slot in buf.iter_mut() {
                            if left == 1 {
                                // The run's last byte: NACK it, and STOP or restart after it;
                                // both are set before it arrives.
                                self.regs.cr1().modify(|_, w| {
                                    w.ack().clear_bit();
                                    if run.last {
                                        w.stop().set_bit()
                                    } else {
                                        w.start().set_bit()
                                    }
                                });
                            }
                            *slot = self.recv()?;
                            left = left.saturating_sub(1);
                        }
                    }
                }
            }
        }
        match runs.last() {
            // A read's STOP was set before its last byte.
            Some(run) if run.read => self.wait_stopped(),
            _ => self.stop(),
        }
    }
}

impl I2cBus for I2cController {
    fn run(&mut self, addr: u8, ops: &mut [I2cOp]) -> HwResult<()> {
        let result = self.transfer(addr, ops);
        if result.is_err() {
            // Frees the bus; a controller that does not answer is reset at the next open.
            let _ = self.stop();
        }
        result
    }
}
