//! The bit-banged buses (`pyrite_hal::soft`) against bus models: an I2C line pair with pull-ups
//! and a device that decodes the waveform edge by edge (START, STOP, address, data, ACK, clock
//! stretching), and an SPI device for each mode. Time is a counter the delay advances, so the
//! clock's timing is checked without waiting.

mod support;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::rc::Rc;

use embedded_hal::delay::DelayNs;
use embedded_hal::digital::{ErrorType, InputPin, OutputPin};
use pyrite_core::hardware::{Hardware, I2cId, I2cOp, SpiPins, EINVAL, EIO, ENODEV, ETIMEDOUT};
use pyrite_hal::soft::STRETCH_TIMEOUT_US;
use pyrite_hal::{HalBoard, I2cBus, OpenDrain, SoftI2c, SoftSpi, SpiBus, SOFT_HANDLES};

/// A delay that only moves a clock.
#[derive(Clone, Default)]
struct Clock(Rc<Cell<u64>>);

impl DelayNs for Clock {
    fn delay_ns(&mut self, ns: u32) {
        self.0.set(self.0.get() + u64::from(ns));
    }
}

// ---- I2C ----

/// Where the device is in a transfer.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    /// Not addressed: waits for a START.
    Idle,
    /// Shifting in the address (`first`) or a data byte.
    Receive { first: bool, bits: u8, byte: u8 },
    /// Driving ACK through the ninth clock; then sending (a read) or receiving.
    Acking { then_send: bool },
    /// Shifting a byte out.
    Send { bits: u8, byte: u8 },
    /// The ninth clock of a byte sent: the master's ACK or NACK.
    MasterAck,
}

/// Two open-drain lines with pull-ups, and a 256-byte memory device with a register pointer.
struct I2cWire {
    address: u8,
    mem: [u8; 256],
    ptr: u8,
    pointer_set: bool,
    /// Whether the device acknowledges data bytes.
    ack_data: bool,
    master_scl_low: bool,
    master_sda_low: bool,
    device_sda_low: bool,
    /// The device holds SCL low for this many more looks at it (`u32::MAX`: for ever).
    stretch: u32,
    /// Stretch this long after every byte.
    stretch_each_byte: u32,
    scl: bool,
    sda: bool,
    phase: Phase,
    events: Vec<String>,
    clock: Clock,
    /// When SCL last rose, and the shortest time between two rises.
    last_rise: Option<u64>,
    shortest_period: u64,
}

impl I2cWire {
    fn new(address: u8, clock: Clock) -> Rc<RefCell<I2cWire>> {
        let mut mem = [0u8; 256];
        for (i, m) in mem.iter_mut().enumerate() {
            *m = (i as u8).wrapping_mul(7);
        }
        Rc::new(RefCell::new(I2cWire {
            address,
            mem,
            ptr: 0,
            pointer_set: false,
            ack_data: true,
            master_scl_low: false,
            master_sda_low: false,
            device_sda_low: false,
            stretch: 0,
            stretch_each_byte: 0,
            scl: true,
            sda: true,
            phase: Phase::Idle,
            events: Vec::new(),
            clock,
            last_rise: None,
            shortest_period: u64::MAX,
        }))
    }

    fn scl_line(&self) -> bool {
        !self.master_scl_low && self.stretch == 0
    }

    fn sda_line(&self) -> bool {
        !self.master_sda_low && !self.device_sda_low
    }

    /// Follows the lines after a change, edge by edge.
    fn settle(&mut self) {
        let (scl, sda) = (self.scl_line(), self.sda_line());
        if scl && self.scl && sda != self.sda {
            if sda {
                self.events.push("STOP".into());
                self.phase = Phase::Idle;
            } else {
                self.events.push("START".into());
                self.phase = Phase::Receive {
                    first: true,
                    bits: 0,
                    byte: 0,
                };
            }
        }
        let (rose, fell) = (scl && !self.scl, !scl && self.scl);
        self.scl = scl;
        self.sda = sda;
        if rose {
            let now = self.clock.0.get();
            if let Some(t) = self.last_rise {
                self.shortest_period = self.shortest_period.min(now - t);
            }
            self.last_rise = Some(now);
            self.rising(sda);
        }
        if fell {
            self.falling();
            self.sda = self.sda_line();
        }
    }

    fn rising(&mut self, sda: bool) {
        match self.phase {
            Phase::Receive { first, bits, byte } => {
                self.phase = Phase::Receive {
                    first,
                    bits: bits + 1,
                    byte: byte << 1 | u8::from(sda),
                };
            }
            Phase::MasterAck => {
                self.events.push(if sda { "NACK" } else { "ACK" }.into());
                if sda {
                    self.phase = Phase::Idle;
                }
            }
            _ => {}
        }
    }

    fn falling(&mut self) {
        match self.phase {
            Phase::Receive {
                first,
                bits: 8,
                byte,
            } => {
                let ack = if first {
                    let read = byte & 1 != 0;
                    let to_us = byte >> 1 == self.address;
                    self.events.push(format!(
                        "addr {:#04x} {}",
                        byte >> 1,
                        if read { 'R' } else { 'W' }
                    ));
                    if to_us && !read {
                        self.pointer_set = false;
                    }
                    self.phase = if to_us {
                        Phase::Acking { then_send: read }
                    } else {
                        Phase::Idle
                    };
                    to_us
                } else {
                    self.events.push(format!("wrote {byte:#04x}"));
                    if self.pointer_set {
                        self.mem[usize::from(self.ptr)] = byte;
                        self.ptr = self.ptr.wrapping_add(1);
                    } else {
                        self.ptr = byte;
                        self.pointer_set = true;
                    }
                    self.phase = if self.ack_data {
                        Phase::Acking { then_send: false }
                    } else {
                        Phase::Idle
                    };
                    self.ack_data
                };
                self.device_sda_low = ack;
                self.stretch = self.stretch_each_byte;
            }
            Phase::Acking { then_send } => {
                self.device_sda_low = false;
                self.phase = if then_send {
                    self.load()
                } else {
                    Phase::Receive {
                        first: false,
                        bits: 0,
                        byte: 0,
                    }
                };
            }
            Phase::Send { bits, byte } => {
                if bits == 7 {
                    self.device_sda_low = false;
                    self.phase = Phase::MasterAck;
                } else {
                    self.device_sda_low = byte >> (6 - bits) & 1 == 0;
                    self.phase = Phase::Send {
                        bits: bits + 1,
                        byte,
                    };
                }
            }
            Phase::MasterAck => self.phase = self.load(),
            _ => {}
        }
    }

    /// Starts sending the next byte of memory: its top bit goes on SDA.
    fn load(&mut self) -> Phase {
        let byte = self.mem[usize::from(self.ptr)];
        self.ptr = self.ptr.wrapping_add(1);
        self.events.push(format!("read {byte:#04x}"));
        self.device_sda_low = byte & 0x80 == 0;
        Phase::Send { bits: 0, byte }
    }
}

/// A master's pin on an [`I2cWire`].
struct I2cPin {
    wire: Rc<RefCell<I2cWire>>,
    scl: bool,
}

impl ErrorType for I2cPin {
    type Error = Infallible;
}

impl OutputPin for I2cPin {
    fn set_low(&mut self) -> Result<(), Infallible> {
        self.drive(true);
        Ok(())
    }

    fn set_high(&mut self) -> Result<(), Infallible> {
        self.drive(false);
        Ok(())
    }
}

impl InputPin for I2cPin {
    fn is_high(&mut self) -> Result<bool, Infallible> {
        let mut w = self.wire.borrow_mut();
        if self.scl {
            if w.stretch > 0 && w.stretch != u32::MAX {
                w.stretch -= 1;
                if w.stretch == 0 {
                    w.settle();
                }
            }
            Ok(w.scl_line())
        } else {
            Ok(w.sda_line())
        }
    }

    fn is_low(&mut self) -> Result<bool, Infallible> {
        self.is_high().map(|h| !h)
    }
}

impl I2cPin {
    fn drive(&mut self, low: bool) {
        let mut w = self.wire.borrow_mut();
        if self.scl {
            w.master_scl_low = low;
        } else {
            w.master_sda_low = low;
        }
        w.settle();
    }
}

fn i2c_pins(wire: &Rc<RefCell<I2cWire>>) -> (I2cPin, I2cPin) {
    let pin = |scl| I2cPin {
        wire: wire.clone(),
        scl,
    };
    (pin(true), pin(false))
}

fn events(wire: &Rc<RefCell<I2cWire>>) -> Vec<String> {
    std::mem::take(&mut wire.borrow_mut().events)
}

#[test]
fn i2c_transactions_on_the_wire() {
    let clock = Clock::default();
    let wire = I2cWire::new(0x50, clock.clone());
    let (scl, sda) = i2c_pins(&wire);
    let mut bus = SoftI2c::new(scl, sda, clock.clone(), 100_000);

    // A register write: START, address, pointer, data, STOP.
    bus.run(0x50, &mut [I2cOp::Write(&[0x10, 0xab, 0xcd])])
        .unwrap();
    assert_eq!(
        events(&wire),
        [
            "START",
            "addr 0x50 W",
            "wrote 0x10",
            "wrote 0xab",
            "wrote 0xcd",
            "STOP"
        ]
    );
    // A register read: the pointer, a repeated START, three bytes (the last one NACKed).
    let mut buf = [0u8; 3];
    bus.run(0x50, &mut [I2cOp::Write(&[0x0f]), I2cOp::Read(&mut buf)])
        .unwrap();
    assert_eq!(buf, [0x0f * 7, 0xab, 0xcd]);
    assert_eq!(
        events(&wire),
        [
            "START",
            "addr 0x50 W",
            "wrote 0x0f",
            "START",
            "addr 0x50 R",
            "read 0x69",
            "ACK",
            "read 0xab",
            "ACK",
            "read 0xcd",
            "NACK",
            "STOP"
        ]
    );
    // Reads split over two buffers are one run: only the very last byte is NACKed.
    let (mut a, mut b) = ([0u8; 1], [0u8; 2]);
    bus.run(0x50, &mut [I2cOp::Read(&mut a), I2cOp::Read(&mut b)])
        .unwrap();
    assert_eq!((a, b), ([0x12 * 7], [0x13 * 7, 0x14 * 7]));
    let e = events(&wire);
    assert_eq!(e.iter().filter(|e| *e == "NACK").count(), 1);
    assert_eq!(e.iter().filter(|e| *e == "START").count(), 1);
    // A probe: the address alone.
    bus.run(0x50, &mut []).unwrap();
    assert_eq!(events(&wire), ["START", "addr 0x50 W", "STOP"]);
    // Nobody at 0x51: ENODEV, and the bus is stopped and released.
    assert_eq!(bus.run(0x51, &mut [I2cOp::Write(&[1])]), Err(ENODEV));
    assert_eq!(events(&wire), ["START", "addr 0x51 W", "STOP"]);
    let w = wire.borrow();
    assert!(w.scl_line() && w.sda_line());
    // The clock never ran faster than asked (10 us a period at 100 kHz).
    assert!(
        w.shortest_period >= 10_000,
        "{} ns a period",
        w.shortest_period
    );
}

#[test]
fn i2c_data_nack_is_eio() {
    let clock = Clock::default();
    let wire = I2cWire::new(0x50, clock.clone());
    let (scl, sda) = i2c_pins(&wire);
    let mut bus = SoftI2c::new(scl, sda, clock, 400_000);
    // The device answers its address but no data byte: the first one ends the transfer.
    wire.borrow_mut().ack_data = false;
    assert_eq!(bus.run(0x50, &mut [I2cOp::Write(&[1, 2])]), Err(EIO));
    assert_eq!(
        events(&wire),
        ["START", "addr 0x50 W", "wrote 0x01", "STOP"]
    );
}

#[test]
fn i2c_clock_stretching_is_waited_out_within_the_timeout() {
    let clock = Clock::default();
    let wire = I2cWire::new(0x50, clock.clone());
    let (scl, sda) = i2c_pins(&wire);
    let mut bus = SoftI2c::new(scl, sda, clock.clone(), 400_000);
    // The device holds SCL for 100 looks after each byte: the transfer goes through.
    wire.borrow_mut().stretch_each_byte = 100;
    let mut buf = [0u8; 2];
    bus.run(0x50, &mut [I2cOp::Write(&[0x20]), I2cOp::Read(&mut buf)])
        .unwrap();
    assert_eq!(buf, [0x20 * 7, 0x21 * 7]);
    // A device that never lets go: ETIMEDOUT after the timeout, not a hang.
    wire.borrow_mut().stretch_each_byte = u32::MAX;
    let before = clock.0.get();
    assert_eq!(bus.run(0x50, &mut [I2cOp::Write(&[1])]), Err(ETIMEDOUT));
    let waited = clock.0.get() - before;
    let limit = u64::from(STRETCH_TIMEOUT_US) * 1000;
    assert!((limit..2 * limit).contains(&waited), "{waited} ns");
    // SCL held low from the start (a bus stuck low): the START itself times out.
    let mut w = wire.borrow_mut();
    w.stretch = u32::MAX;
    w.settle();
    drop(w);
    assert_eq!(bus.run(0x50, &mut []), Err(ETIMEDOUT));
}

// ---- SPI ----

/// An SPI device in mode (`cpol`, `cpha`): records what it samples from MOSI and answers with
/// `answers`, MSB first.
struct SpiWire {
    cpol: bool,
    cpha: bool,
    sck: bool,
    mosi: bool,
    miso: bool,
    in_bits: u8,
    in_byte: u8,
    out_bits: u8,
    out_byte: u8,
    answers: VecDeque<u8>,
    received: Vec<u8>,
}

impl SpiWire {
    fn new(cpol: bool, cpha: bool, answers: &[u8]) -> Rc<RefCell<SpiWire>> {
        let mut w = SpiWire {
            cpol,
            cpha,
            sck: cpol,
            mosi: false,
            miso: false,
            in_bits: 0,
            in_byte: 0,
            out_bits: 0,
            out_byte: 0,
            answers: answers.iter().copied().collect(),
            received: Vec::new(),
        };
        if !cpha {
            // Mode 0 and 2: the first bit is on MISO before the first edge.
            w.next_out();
            w.shift_out();
        }
        Rc::new(RefCell::new(w))
    }

    fn next_out(&mut self) {
        self.out_byte = self.answers.pop_front().unwrap_or(0xff);
        self.out_bits = 0;
    }

    fn shift_out(&mut self) {
        self.miso = self.out_byte >> (7 - self.out_bits) & 1 != 0;
        self.out_bits += 1;
    }

    fn sample(&mut self) {
        self.in_byte = self.in_byte << 1 | u8::from(self.mosi);
        self.in_bits += 1;
        if self.in_bits == 8 {
            self.received.push(self.in_byte);
            self.in_bits = 0;
        }
    }

    fn set_sck(&mut self, level: bool) {
        if level == self.sck {
            return;
        }
        self.sck = level;
        let leading = level != self.cpol;
        match (self.cpha, leading) {
            // Mode 0/2: sample on the leading edge, shift on the trailing one.
            (false, true) => self.sample(),
            (false, false) => {
                if self.out_bits == 8 {
                    self.next_out();
                }
                self.shift_out();
            }
            // Mode 1/3: shift on the leading edge, sample on the trailing one.
            (true, true) => {
                if self.out_bits == 0 || self.out_bits == 8 {
                    self.next_out();
                }
                self.shift_out();
            }
            (true, false) => self.sample(),
        }
    }
}

#[derive(Clone, Copy)]
enum SpiLine {
    Sck,
    Mosi,
    Miso,
}

struct SpiPin {
    wire: Rc<RefCell<SpiWire>>,
    line: SpiLine,
}

impl ErrorType for SpiPin {
    type Error = Infallible;
}

impl OutputPin for SpiPin {
    fn set_low(&mut self) -> Result<(), Infallible> {
        self.set(false);
        Ok(())
    }

    fn set_high(&mut self) -> Result<(), Infallible> {
        self.set(true);
        Ok(())
    }
}

impl InputPin for SpiPin {
    fn is_high(&mut self) -> Result<bool, Infallible> {
        let w = self.wire.borrow();
        Ok(match self.line {
            SpiLine::Sck => w.sck,
            SpiLine::Mosi => w.mosi,
            SpiLine::Miso => w.miso,
        })
    }

    fn is_low(&mut self) -> Result<bool, Infallible> {
        self.is_high().map(|h| !h)
    }
}

impl SpiPin {
    fn set(&mut self, level: bool) {
        let mut w = self.wire.borrow_mut();
        match self.line {
            SpiLine::Sck => w.set_sck(level),
            SpiLine::Mosi => w.mosi = level,
            // The master never drives MISO (the board's input wrapper releases it).
            SpiLine::Miso => {}
        }
    }
}

fn spi_pins(wire: &Rc<RefCell<SpiWire>>) -> [SpiPin; 3] {
    [SpiLine::Sck, SpiLine::Mosi, SpiLine::Miso].map(|line| SpiPin {
        wire: wire.clone(),
        line,
    })
}

#[test]
fn spi_in_every_mode() {
    for (polarity, phase) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        let answers = [0xa5, 0x3c, 0x81, 0x00, 0xff];
        let wire = SpiWire::new(polarity == 1, phase == 1, &answers);
        let [sck, mosi, miso] = spi_pins(&wire);
        let mut bus = SoftSpi::new(
            sck,
            mosi,
            miso,
            Clock::default(),
            1_000_000,
            polarity,
            phase,
        );
        let sent = [0x12, 0xfe, 0x80, 0x01, 0x55];
        let mut got = [0u8; 5];
        SpiBus::transfer(&mut bus, &sent, &mut got).unwrap();
        let w = wire.borrow();
        assert_eq!(w.received, sent, "mode {polarity}{phase}: MOSI");
        assert_eq!(got, answers, "mode {polarity}{phase}: MISO");
        // The clock rests at its idle level.
        assert_eq!(w.sck, polarity == 1);
    }
}

#[test]
fn spi_write_only_and_timing() {
    let clock = Clock::default();
    let wire = SpiWire::new(false, false, &[]);
    let [sck, mosi, miso] = spi_pins(&wire);
    let mut bus = SoftSpi::new(sck, mosi, miso, clock.clone(), 250_000, 0, 0);
    SpiBus::transfer(&mut bus, b"hello", &mut []).unwrap();
    assert_eq!(wire.borrow().received, b"hello");
    // 5 bytes of 8 bits at 250 kHz: at least 160 us.
    assert!(clock.0.get() >= 160_000, "{} ns", clock.0.get());
}

// ---- on a HalBoard's pins ----

/// A board with SCL and SDA on an I2C wire (pins 0 and 1), SCK, MOSI and MISO on an SPI wire
/// (pins 2-4), and the clock as its delay.
fn board(i2c: &Rc<RefCell<I2cWire>>, spi: &Rc<RefCell<SpiWire>>, clock: &Clock) -> HalBoard {
    let mut b = HalBoard::new();
    let (scl, sda) = i2c_pins(i2c);
    b.add_pin("X9", None, OpenDrain::new(scl));
    b.add_pin("X10", None, OpenDrain::new(sda));
    for (name, pin) in ["X6", "X8", "X7"].into_iter().zip(spi_pins(spi)) {
        b.add_pin(name, None, OpenDrain::new(pin));
    }
    b.set_delay(clock.clone());
    b
}

#[test]
fn a_board_runs_soft_buses_on_its_pins() {
    let clock = Clock::default();
    let i2c = I2cWire::new(0x3c, clock.clone());
    let spi = SpiWire::new(false, false, &[0x42]);
    let mut b = board(&i2c, &spi, &clock);
    let bus = b.i2c_open(I2cId::Soft { scl: 0, sda: 1 }, 100_000).unwrap();
    assert!(bus >= SOFT_HANDLES);
    let found: Vec<u8> = (0x08..0x78)
        .filter(|&a| b.i2c_transaction(bus, a, &mut []).is_ok())
        .collect();
    assert_eq!(found, [0x3c]);
    // The same pins again: the same bus, at the new speed.
    assert_eq!(b.i2c_open(I2cId::Soft { scl: 0, sda: 1 }, 400_000), Ok(bus));
    assert_eq!(
        b.i2c_open(I2cId::Soft { scl: 0, sda: 0 }, 400_000),
        Err(EINVAL)
    );
    assert_eq!(
        b.i2c_open(I2cId::Soft { scl: 0, sda: 9 }, 400_000),
        Err(ENODEV)
    );
    assert_eq!(b.i2c_open(I2cId::Hard(1), 400_000), Err(ENODEV));

    let pins = SpiPins {
        sck: 2,
        mosi: 3,
        miso: 4,
    };
    let s = b.soft_spi_open(pins, 500_000, 0, 0).unwrap();
    assert!(s >= SOFT_HANDLES);
    let mut got = [0u8; 1];
    b.spi_transfer(s, &[0x99], &mut got).unwrap();
    assert_eq!((spi.borrow().received.clone(), got), (vec![0x99], [0x42]));
    let same = SpiPins {
        sck: 2,
        mosi: 2,
        miso: 4,
    };
    assert_eq!(b.soft_spi_open(same, 500_000, 0, 0), Err(EINVAL));
    assert_eq!(b.spi_transfer(SOFT_HANDLES + 5, &[1], &mut []), Err(ENODEV));
}

#[test]
fn without_a_delay_there_are_no_soft_buses() {
    let clock = Clock::default();
    let i2c = I2cWire::new(0x3c, clock.clone());
    let mut b = HalBoard::new();
    let (scl, sda) = i2c_pins(&i2c);
    b.add_pin("X9", None, OpenDrain::new(scl));
    b.add_pin("X10", None, OpenDrain::new(sda));
    assert_eq!(
        b.i2c_open(I2cId::Soft { scl: 0, sda: 1 }, 100_000),
        Err(ENODEV)
    );
    let pins = SpiPins {
        sck: 0,
        mosi: 1,
        miso: 0,
    };
    assert_eq!(b.soft_spi_open(pins, 100_000, 0, 0), Err(ENODEV));
}

#[test]
fn python_soft_i2c_and_soft_spi() {
    let clock = Clock::default();
    let i2c = I2cWire::new(0x50, clock.clone());
    let spi = SpiWire::new(true, true, b"pong");
    let source = "from machine import SoftI2C, SoftSPI, Pin
i2c = SoftI2C(scl=Pin('X9'), sda=Pin('X10'), freq=100000)
print(i2c.scan())
i2c.writeto_mem(0x50, 0x40, b'hi')
print(i2c.readfrom_mem(0x50, 0x40, 2))
try:
    i2c.writeto(0x51, b'x')
except OSError as e:
    print('OSError', e.errno)
s = SoftSPI(baudrate=100000, polarity=1, phase=1, sck=Pin('X6'), mosi=Pin('X8'), miso=Pin('X7'))
b = bytearray(4)
s.write_readinto(b'ping', b)
print(b)
";
    let text = support::run(board(&i2c, &spi, &clock), source);
    assert_eq!(text, "[80]\nb'hi'\nOSError 19\nbytearray(b'pong')\n");
    assert_eq!(spi.borrow().received, b"ping");
}
