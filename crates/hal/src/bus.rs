//! I2C and SPI buses behind object-safe traits, so one board holds buses of different HAL
//! types, and the mapping of their errors to `errno`; and the runs an I2C transaction is made
//! of, for a firmware that drives an I2C controller byte by byte.

use alloc::vec::Vec;
use core::ops::Range;

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

/// One run of an I2C transaction: a start (or repeated start) with the address, then bytes in
/// one direction. `embedded_hal::i2c::Operation` semantics: operations in the same direction
/// continue one run, a change of direction starts the next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct I2cRun {
    /// Whether the run reads.
    pub read: bool,
    /// The operations it covers (empty ones included; they move nothing).
    pub ops: Range<usize>,
    /// How many bytes it moves (at least one).
    pub bytes: usize,
    /// Whether it ends the transaction (a STOP follows), else a repeated start does.
    pub last: bool,
}

/// The runs of the transaction `ops`, in order. Operations without data neither start nor
/// break a run; a transaction without data has no runs (it is an address probe).
///
/// A controller that receives byte by byte must know each read run's last byte before it
/// arrives (it answers it with NACK, and sets the STOP or repeated start beside), which is
/// what `bytes` and `last` tell it.
pub fn i2c_runs(ops: &[I2cOp]) -> Vec<I2cRun> {
    let mut runs: Vec<I2cRun> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let (read, n) = match op {
            I2cOp::Read(buf) => (true, buf.len()),
            I2cOp::Write(data) => (false, data.len()),
        };
        match runs.last_mut() {
            Some(run) if n == 0 || run.read == read => {
                run.ops.end = i + 1;
                run.bytes += n;
            }
            _ if n == 0 => {}
            _ => runs.push(I2cRun {
                read,
                ops: i..i + 1,
                bytes: n,
                last: false,
            }),
        }
    }
    if let Some(run) = runs.last_mut() {
        run.last = true;
    }
    runs
}
