//! I2C and SPI buses behind object-safe traits, so one board holds buses of different HAL
//! types, and the mapping of their errors to `errno`.

use alloc::vec::Vec;

use embedded_hal::i2c::{self, Error as _, ErrorKind, NoAcknowledgeSource, Operation};
use embedded_hal::spi;
use pyrite_core::hardware::{HwResult, I2cOp, EIO, ENODEV};

/// The `errno` for an I2C error: an address not acknowledged is `ENODEV` (nobody there), as
/// is a not-acknowledge whose source the HAL cannot tell (most often it is the address);
/// a data byte not acknowledged, and every other error, is `EIO`.
pub fn i2c_errno(kind: ErrorKind) -> i32 {
    match kind {
        ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address | NoAcknowledgeSource::Unknown) => {
            ENODEV
        }
        _ => EIO,
    }
}

/// An I2C bus: any `embedded_hal::i2c::I2c` with 7-bit addresses.
pub trait I2cBus {
    /// Runs `ops` as one transaction with the device at `addr`.
    fn run(&mut self, addr: u8, ops: &mut [I2cOp]) -> HwResult<()>;
}

impl<T: i2c::I2c> I2cBus for T {
    fn run(&mut self, addr: u8, ops: &mut [I2cOp]) -> HwResult<()> {
        // The common shapes go through the trait's own methods, which a HAL may implement
        // better than a general transaction; no operations at all is an address probe.
        let result = match ops {
            [] => self.write(addr, &[]),
            [I2cOp::Write(w)] => self.write(addr, w),
            [I2cOp::Read(r)] => self.read(addr, r),
            [I2cOp::Write(w), I2cOp::Read(r)] => self.write_read(addr, w, r),
            _ => {
                let mut hal_ops: Vec<Operation> = ops
                    .iter_mut()
                    .map(|op| match op {
                        I2cOp::Read(r) => Operation::Read(r),
                        I2cOp::Write(w) => Operation::Write(w),
                    })
                    .collect();
                self.transaction(addr, &mut hal_ops)
            }
        };
        result.map_err(|e| i2c_errno(e.kind()))
    }
}

/// An SPI bus: any `embedded_hal::spi::SpiBus<u8>`. Chip select is the program's (a
/// `machine.Pin`), as with MicroPython's `machine.SPI`.
pub trait SpiBus {
    /// Writes `write` while reading into `read` (empty, or as long as `write`), and waits
    /// until the bus is done. Every error is `EIO`.
    fn transfer(&mut self, write: &[u8], read: &mut [u8]) -> HwResult<()>;
}

impl<T: spi::SpiBus<u8>> SpiBus for T {
    fn transfer(&mut self, write: &[u8], read: &mut [u8]) -> HwResult<()> {
        let result = if read.is_empty() {
            self.write(write)
        } else {
            spi::SpiBus::transfer(self, read, write)
        };
        result.and_then(|()| self.flush()).map_err(|_| EIO)
    }
}
