//! A 256-byte register memory with an 8-bit register pointer, the peripheral of MicroPython's
//! `machine.I2C` examples.
//!
//! As register-based chips do: the first byte written after a start sets the pointer, bytes
//! after it are stored from there; reads go on from the pointer; the pointer steps on after
//! each byte, wrapping from 255 to 0, and keeps its place between transactions. So
//! `writeto_mem(a, 2, b'\x10')` stores 0x10 at 2, `readfrom_mem(a, 8, 3)` reads 8..=10, and
//! `writeto(a, b'123')` sets the pointer to 0x31 (`'1'`) and stores `b'23'` there.

use crate::i2c::I2cDevice;

/// A 256-byte register memory.
pub struct Memory {
    address: u8,
    mem: [u8; 256],
    pointer: u8,
    /// The next byte written is the pointer (the first after a start).
    expect_pointer: bool,
}

impl Memory {
    /// A zeroed memory at `address`.
    pub fn new(address: u8) -> Memory {
        Memory {
            address,
            mem: [0; 256],
            pointer: 0,
            expect_pointer: false,
        }
    }

    /// The memory.
    pub fn contents(&self) -> &[u8; 256] {
        &self.mem
    }

    /// The memory, to change from outside.
    pub fn contents_mut(&mut self) -> &mut [u8; 256] {
        &mut self.mem
    }

    /// The register pointer.
    pub fn pointer(&self) -> u8 {
        self.pointer
    }
}

impl I2cDevice for Memory {
    fn address(&self) -> u8 {
        self.address
    }

    fn start(&mut self, read: bool) -> bool {
        self.expect_pointer = !read;
        true
    }

    fn write(&mut self, byte: u8) -> bool {
        if self.expect_pointer {
            self.pointer = byte;
            self.expect_pointer = false;
        } else {
            self.mem[usize::from(self.pointer)] = byte;
            self.pointer = self.pointer.wrapping_add(1);
        }
        true
    }

    fn read(&mut self) -> u8 {
        let b = self.mem[usize::from(self.pointer)];
        self.pointer = self.pointer.wrapping_add(1);
        b
    }

    fn stop(&mut self) {}

    super::any_methods!();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i2c::I2cBus;
    use alloc::boxed::Box;
    use pyrite_core::hardware::I2cOp;

    #[test]
    fn registers() {
        let mut bus = I2cBus::new();
        bus.add(Box::new(Memory::new(0x42)));
        // writeto_mem(0x42, 2, b'\x10\x11')
        bus.transaction(0x42, &mut [I2cOp::Write(&[2]), I2cOp::Write(&[0x10, 0x11])])
            .unwrap();
        // readfrom_mem(0x42, 1, 4)
        let mut buf = [0; 4];
        bus.transaction(0x42, &mut [I2cOp::Write(&[1]), I2cOp::Read(&mut buf)])
            .unwrap();
        assert_eq!(buf, [0, 0x10, 0x11, 0]);
        // writeto(0x42, b'123'), then readfrom(0x42, 2) goes on after the '3'.
        bus.transaction(0x42, &mut [I2cOp::Write(b"123")]).unwrap();
        let mut two = [0xaa; 2];
        bus.transaction(0x42, &mut [I2cOp::Read(&mut two)]).unwrap();
        assert_eq!(two, [0, 0]);
        bus.transaction(0x42, &mut [I2cOp::Write(&[0x31]), I2cOp::Read(&mut two)])
            .unwrap();
        assert_eq!(&two, b"23");
        // The pointer wraps.
        bus.transaction(0x42, &mut [I2cOp::Write(&[0xff, 7, 8])])
            .unwrap();
        let m = bus.device::<Memory>().unwrap();
        assert_eq!((m.contents()[255], m.contents()[0]), (7, 8));
        assert_eq!(m.pointer(), 1);
    }
}
