//! A 24LC256 serial EEPROM: 32 KiB behind a 16-bit big-endian memory address.
//!
//! A write sends the address's high byte, its low byte, then data, which goes to a 64-byte page
//! buffer: the address counter's low six bits wrap within the page, so a longer write
//! overwrites its own beginning. The page is programmed at the stop (instantly here; the chip
//! takes up to 5 ms and does not acknowledge meanwhile). A read goes on from the address
//! counter, over the whole memory, wrapping from the last byte to the first. The address
//! counter keeps its place between transactions ("current address read").

use alloc::vec;
use alloc::vec::Vec;

use crate::i2c::I2cDevice;

/// The memory's size in bytes.
const SIZE: usize = 32 * 1024;
/// The page size in bytes.
const PAGE: u16 = 64;

/// A 24LC256 EEPROM.
pub struct Eeprom {
    address: u8,
    mem: Vec<u8>,
    /// The address counter, always below `SIZE`.
    counter: u16,
    /// Bytes received since the start of a write: 0 and 1 are the memory address.
    received: usize,
    /// The high byte of the memory address being received.
    high: u8,
    /// The page being written, which bytes of it were, and its first address.
    page: [u8; PAGE as usize],
    page_written: u64,
    page_base: u16,
}

impl Eeprom {
    /// An erased EEPROM (every byte 0xff, as delivered) at `address` (0x50..=0x57 by its
    /// address pins).
    pub fn new(address: u8) -> Eeprom {
        Eeprom {
            address,
            mem: vec![0xff; SIZE],
            counter: 0,
            received: 0,
            high: 0,
            page: [0; PAGE as usize],
            page_written: 0,
            page_base: 0,
        }
    }

    /// The memory.
    pub fn contents(&self) -> &[u8] {
        &self.mem
    }

    /// The memory, to change from outside.
    pub fn contents_mut(&mut self) -> &mut [u8] {
        &mut self.mem
    }
}

impl I2cDevice for Eeprom {
    fn address(&self) -> u8 {
        self.address
    }

    fn start(&mut self, read: bool) -> bool {
        // A repeated start abandons a page not yet programmed: only a stop programs it.
        self.page_written = 0;
        if !read {
            self.received = 0;
        }
        true
    }

    fn write(&mut self, byte: u8) -> bool {
        match self.received {
            0 => self.high = byte & 0x7f,
            1 => {
                self.counter = u16::from_be_bytes([self.high, byte]);
                self.page_base = self.counter & !(PAGE - 1);
            }
            _ => {
                let i = self.counter & (PAGE - 1);
                self.page[usize::from(i)] = byte;
                self.page_written |= 1 << i;
                self.counter = self.page_base | ((i + 1) & (PAGE - 1));
            }
        }
        self.received = self.received.saturating_add(1);
        true
    }

    fn read(&mut self) -> u8 {
        let b = self.mem[usize::from(self.counter)];
        self.counter = (self.counter + 1) % SIZE as u16;
        b
    }

    fn stop(&mut self) {
        for i in 0..PAGE {
            if self.page_written & (1 << i) != 0 {
                self.mem[usize::from(self.page_base + i)] = self.page[usize::from(i)];
            }
        }
        self.page_written = 0;
    }

    super::any_methods!();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i2c::I2cBus;
    use alloc::boxed::Box;
    use pyrite_core::hardware::I2cOp;

    fn bus() -> I2cBus {
        let mut bus = I2cBus::new();
        bus.add(Box::new(Eeprom::new(0x50)));
        bus
    }

    fn read_at(bus: &mut I2cBus, addr: u16, n: usize) -> Vec<u8> {
        let mut buf = vec![0; n];
        let a = addr.to_be_bytes();
        bus.transaction(0x50, &mut [I2cOp::Write(&a), I2cOp::Read(&mut buf)])
            .unwrap();
        buf
    }

    #[test]
    fn write_then_random_and_current_address_read() {
        let mut bus = bus();
        bus.transaction(0x50, &mut [I2cOp::Write(&[0x12, 0x34, 1, 2, 3])])
            .unwrap();
        assert_eq!(read_at(&mut bus, 0x1234, 4), [1, 2, 3, 0xff]);
        // The counter went on after the four bytes read.
        let mut buf = [0; 1];
        bus.transaction(0x50, &mut [I2cOp::Read(&mut buf)]).unwrap();
        assert_eq!(buf, [0xff]);
        assert_eq!(read_at(&mut bus, 0x1233, 2), [0xff, 1]);
    }

    #[test]
    fn page_write_wraps_within_the_page() {
        let mut bus = bus();
        // Four bytes from 0x3e: two at the page's end, two wrap to its start (0x00, 0x01).
        bus.transaction(0x50, &mut [I2cOp::Write(&[0x00, 0x3e, 1, 2, 3, 4])])
            .unwrap();
        assert_eq!(read_at(&mut bus, 0x00, 2), [3, 4]);
        assert_eq!(read_at(&mut bus, 0x3e, 4), [1, 2, 0xff, 0xff]);
        // 66 bytes into one page: the last two overwrite the first two.
        let mut data = vec![0x01, 0x00];
        data.extend(0..66u8);
        bus.transaction(0x50, &mut [I2cOp::Write(&data)]).unwrap();
        let page = read_at(&mut bus, 0x100, 64);
        assert_eq!(page[..3], [64, 65, 2]);
        assert_eq!(page[63], 63);
        assert_eq!(read_at(&mut bus, 0x140, 1), [0xff]);
    }

    #[test]
    fn sequential_read_wraps_at_the_end() {
        let mut bus = bus();
        bus.transaction(0x50, &mut [I2cOp::Write(&[0x7f, 0xff, 9])])
            .unwrap();
        bus.transaction(0x50, &mut [I2cOp::Write(&[0x00, 0x00, 7])])
            .unwrap();
        assert_eq!(read_at(&mut bus, 0x7fff, 2), [9, 7]);
        // The address's top bit is ignored: 0xffff is 0x7fff.
        assert_eq!(read_at(&mut bus, 0xffff, 1), [9]);
    }

    #[test]
    fn a_repeated_start_abandons_the_page() {
        let mut bus = bus();
        let mut buf = [0; 1];
        bus.transaction(0x50, &mut [I2cOp::Write(&[0, 0, 5]), I2cOp::Read(&mut buf)])
            .unwrap();
        assert_eq!(read_at(&mut bus, 0, 1), [0xff]);
    }
}
