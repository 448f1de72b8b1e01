//! Simulated I2C buses, and the byte-level interface a simulated chip implements.
//!
//! A transaction is played out as on the wire: a start with the address and direction, bytes
//! written (each acknowledged or not by the device) or read, a repeated start at each change of
//! direction, and a stop. So a device keeps its own state across transactions exactly as the
//! chip does (an EEPROM's address counter, a display's half-received command), and drivers
//! written for the real chip work unchanged.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::any::Any;

use pyrite_core::hardware::{HwResult, I2cOp, EIO, ENODEV};

/// A chip on a simulated I2C bus.
pub trait I2cDevice {
    /// The 7-bit address it answers.
    fn address(&self) -> u8;

    /// A start or repeated start with this device's address; `read` is the direction bit.
    /// `false` leaves the address unacknowledged (the controller then stops: `ENODEV`).
    fn start(&mut self, read: bool) -> bool;

    /// A byte from the controller; `false` leaves it unacknowledged (the controller then
    /// stops: `EIO`).
    fn write(&mut self, byte: u8) -> bool;

    /// The next byte the controller reads.
    fn read(&mut self) -> u8;

    /// The stop that ends every transaction, also one whose start was not acknowledged.
    fn stop(&mut self);

    /// The device as `Any`, so that a UI finds its concrete type ([`I2cBus::device`]).
    fn as_any(&self) -> &dyn Any;

    /// See [`I2cDevice::as_any`].
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// The devices wired to one bus.
#[derive(Default)]
pub struct I2cBus {
    devices: Vec<Box<dyn I2cDevice>>,
}

impl I2cBus {
    /// A bus with nothing on it.
    pub fn new() -> I2cBus {
        I2cBus::default()
    }

    /// Wires `device` to the bus. When two answer the same address, the first added wins.
    pub fn add(&mut self, device: Box<dyn I2cDevice>) {
        self.devices.push(device);
    }

    /// Unwires the device at `addr`, if there is one.
    pub fn remove(&mut self, addr: u8) -> Option<Box<dyn I2cDevice>> {
        let i = self.devices.iter().position(|d| d.address() == addr)?;
        Some(self.devices.remove(i))
    }

    /// The addresses that answer, in ascending order (what `I2C.scan()` finds).
    pub fn addresses(&self) -> Vec<u8> {
        let mut v: Vec<u8> = self.devices.iter().map(|d| d.address()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The first device of type `T`.
    pub fn device<T: 'static>(&self) -> Option<&T> {
        self.devices
            .iter()
            .find_map(|d| d.as_any().downcast_ref::<T>())
    }

    /// The first device of type `T`, to change it.
    pub fn device_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.devices
            .iter_mut()
            .find_map(|d| d.as_any_mut().downcast_mut::<T>())
    }

    /// Runs one transaction with the device at `addr`: `ENODEV` when the address (also after
    /// a repeated start) is not acknowledged, `EIO` when a written byte is not. Operations in
    /// a row of the same direction continue without a repeated start, as in
    /// `embedded_hal::i2c`; no operations at all is an address probe (a start to write, a
    /// stop).
    pub fn transaction(&mut self, addr: u8, ops: &mut [I2cOp]) -> HwResult<()> {
        let device = self
            .devices
            .iter_mut()
            .find(|d| d.address() == addr)
            .ok_or(ENODEV)?;
        let result = run(device.as_mut(), ops);
        device.stop();
        result
    }
}

/// Plays `ops` to `device`, up to the stop.
fn run(device: &mut dyn I2cDevice, ops: &mut [I2cOp]) -> HwResult<()> {
    if ops.is_empty() {
        return if device.start(false) {
            Ok(())
        } else {
            Err(ENODEV)
        };
    }
    let mut reading = None;
    for op in ops.iter_mut() {
        let read = matches!(op, I2cOp::Read(_));
        if reading != Some(read) {
            if !device.start(read) {
                return Err(ENODEV);
            }
            reading = Some(read);
        }
        match op {
            I2cOp::Write(bytes) => {
                for &b in bytes.iter() {
                    if !device.write(b) {
                        return Err(EIO);
                    }
                }
            }
            I2cOp::Read(buf) => {
                for b in buf.iter_mut() {
                    *b = device.read();
                }
            }
        }
    }
    Ok(())
}

/// The sizes of a transaction's parts: bytes written, bytes read.
pub(crate) fn op_sizes(ops: &[I2cOp]) -> (usize, usize) {
    ops.iter().fold((0, 0), |(w, r), op| match op {
        I2cOp::Write(b) => (w + b.len(), r),
        I2cOp::Read(b) => (w, r + b.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::{Eeprom, Memory};

    #[test]
    fn missing_address_is_enodev() {
        let mut bus = I2cBus::new();
        bus.add(Box::new(Memory::new(0x42)));
        assert_eq!(bus.transaction(0x43, &mut []), Err(ENODEV));
        assert_eq!(bus.transaction(0x42, &mut []), Ok(()));
        assert_eq!(bus.addresses(), [0x42]);
    }

    #[test]
    fn typed_access() {
        let mut bus = I2cBus::new();
        bus.add(Box::new(Memory::new(0x42)));
        bus.add(Box::new(Eeprom::new(0x50)));
        assert!(bus.device::<Eeprom>().is_some());
        assert_eq!(bus.device_mut::<Memory>().map(|m| m.address()), Some(0x42));
        assert!(bus.remove(0x50).is_some());
        assert!(bus.device::<Eeprom>().is_none());
    }
}
