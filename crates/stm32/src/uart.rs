//! `machine.UART` on the pyboard's UARTs that the REPL does not use: `UART(2)` (`X3` TX = A2,
//! `X4` RX = A3), `UART(3)` (`Y9` TX = B10, `Y10` RX = B11) and `UART(6)` (`Y1` TX = C6, `Y2`
//! RX = C7), 8 data bits, no parity, one stop bit.
//!
//! `embedded-hal` 1.0 has no UART trait, so this drives the USART registers itself: received
//! bytes go from the receive interrupt into a ring buffer of [`RX_BYTES`] per UART, which
//! `read` and `any` take from; `write` waits for room in the transmit register for each byte,
//! a bounded wait (two byte times, at least a millisecond), so a stuck or absent peripheral is
//! `ETIMEDOUT`, never a hang.

use core::cell::RefCell;

use cortex_m::peripheral::NVIC;
use critical_section::Mutex;
use pyrite_core::hardware::{HwResult, Pull, EINVAL, ENODEV, ETIMEDOUT};
use stm32f4xx_hal::pac::usart1::RegisterBlock;
use stm32f4xx_hal::pac::{self, interrupt, Interrupt};

use crate::clock;
use crate::gpio::{self, pin, PinCode};

/// How many received bytes each UART holds until the program reads them.
const RX_BYTES: usize = 128;

/// A UART: its Python number, TX and RX pins, alternate function, interrupt, and whether it
/// is on APB2.
struct UartPins {
    id: i32,
    tx: PinCode,
    rx: PinCode,
    af: u8,
    irq: Interrupt,
    apb2: bool,
}

/// The UARTs offered, in handle order.
const UARTS: [UartPins; 3] = [
    UartPins {
        id: 2,
        tx: pin('A', 2),
        rx: pin('A', 3),
        af: 7,
        irq: Interrupt::USART2,
        apb2: false,
    },
    UartPins {
        id: 3,
        tx: pin('B', 10),
        rx: pin('B', 11),
        af: 7,
        irq: Interrupt::USART3,
        apb2: false,
    },
    UartPins {
        id: 6,
        tx: pin('C', 6),
        rx: pin('C', 7),
        af: 8,
        irq: Interrupt::USART6,
        apb2: true,
    },
];

/// Bytes received and not yet read: a ring buffer.
struct RxBuffer {
    bytes: [u8; RX_BYTES],
    start: usize,
    len: usize,
}

impl RxBuffer {
    const EMPTY: RxBuffer = RxBuffer {
        bytes: [0; RX_BYTES],
        start: 0,
        len: 0,
    };

    /// Keeps `b`; a full buffer drops it (as MicroPython's does).
    fn push(&mut self, b: u8) {
        if self.len < RX_BYTES {
            if let Some(slot) = self.bytes.get_mut((self.start + self.len) % RX_BYTES) {
                *slot = b;
            }
            self.len += 1;
        }
    }

    fn pop(&mut self) -> Option<u8> {
        if self.len == 0 {
            return None;
        }
        let b = self.bytes.get(self.start).copied();
        self.start = (self.start + 1) % RX_BYTES;
        self.len -= 1;
        b
    }
}

/// Each UART's received bytes, filled by its interrupt.
static RX: [Mutex<RefCell<RxBuffer>>; 3] = [
    Mutex::new(RefCell::new(RxBuffer::EMPTY)),
    Mutex::new(RefCell::new(RxBuffer::EMPTY)),
    Mutex::new(RefCell::new(RxBuffer::EMPTY)),
];

/// The UARTs' registers, in [`UARTS`] order.
pub struct Uarts {
    regs: [&'static RegisterBlock; 3],
    /// The APB1 and APB2 clocks in Hz.
    pclk: (u32, u32),
}

impl Uarts {
    /// The UARTs with registers `regs` (USART2, USART3, USART6, their clocks on), on APB
    /// clocks `pclk` (APB1, APB2) in Hz.
    pub fn new(regs: [&'static RegisterBlock; 3], pclk: (u32, u32)) -> Uarts {
        Uarts { regs, pclk }
    }

    fn get(&self, uart: u8) -> HwResult<(&'static RegisterBlock, &'static UartPins)> {
        let i = usize::from(uart);
        match (self.regs.get(i), UARTS.get(i)) {
            (Some(&r), Some(u)) => Ok((r, u)),
            _ => Err(ENODEV),
        }
    }

    /// Sets UART `id` up at `baudrate`, empties its receive buffer; its handle.
    pub fn open(&mut self, id: i32, baudrate: u32) -> HwResult<u8> {
        let i = UARTS.iter().position(|u| u.id == id).ok_or(ENODEV)?;
        let (r, u) = self.get(i as u8)?;
        let pclk = if u.apb2 { self.pclk.1 } else { self.pclk.0 };
        // Oversampling by 16: BRR is the clock divided by the baud rate, at least 16.
        let brr = pclk
            .checked_add(baudrate / 2)
            .and_then(|c| c.checked_div(baudrate))
            .filter(|b| (16..=0xffff).contains(b))
            .ok_or(EINVAL)?;
        NVIC::mask(u.irq);
        r.cr1().write(|w| w);
        // SAFETY: 16..=0xffff is a valid divider (mantissa and fraction).
        r.brr().write(|w| unsafe { w.bits(brr as u16) });
        r.cr2().write(|w| w);
        r.cr3().write(|w| w);
        gpio::set_alternate(u.tx, u.af, false, Pull::Up);
        gpio::set_alternate(u.rx, u.af, false, Pull::Up);
        critical_section::with(|cs| {
            if let Some(rx) = RX.get(i) {
                *rx.borrow_ref_mut(cs) = RxBuffer::EMPTY;
            }
        });
        r.cr1().write(|w| {
            w.ue()
                .set_bit()
                .te()
                .set_bit()
                .re()
                .set_bit()
                .rxneie()
                .set_bit()
        });
        // SAFETY: the handler only moves bytes from this UART's data register to its buffer,
        // under a critical section, as `read` takes them.
        unsafe { NVIC::unmask(u.irq) };
        Ok(i as u8)
    }

    /// Sends `data`; `ETIMEDOUT` if the transmitter does not take a byte in time.
    pub fn write(&mut self, uart: u8, data: &[u8]) -> HwResult<usize> {
        let (r, _) = self.get(uart)?;
        let baud = self.baudrate(uart).max(1);
        let byte_us = (20_000_000 / u64::from(baud)).max(1_000);
        for &b in data {
            let start = clock::ticks_us();
            while r.sr().read().txe().bit_is_clear() {
                if clock::ticks_us().wrapping_sub(start) > byte_us {
                    return Err(ETIMEDOUT);
                }
            }
            r.dr().write(|w| w.dr().set(u16::from(b)));
        }
        Ok(data.len())
    }

    /// The baud rate UART `uart` runs at, from its divider.
    fn baudrate(&self, uart: u8) -> u32 {
        match self.get(uart) {
            Ok((r, u)) => {
                let pclk = if u.apb2 { self.pclk.1 } else { self.pclk.0 };
                pclk / u32::from(r.brr().read().bits()).max(1)
            }
            Err(_) => 0,
        }
    }

    /// Takes received bytes into `buf`; how many.
    pub fn read(&mut self, uart: u8, buf: &mut [u8]) -> HwResult<usize> {
        self.get(uart)?;
        critical_section::with(|cs| {
            let Some(rx) = RX.get(usize::from(uart)) else {
                return Err(ENODEV);
            };
            let mut rx = rx.borrow_ref_mut(cs);
            let mut n = 0;
            for slot in buf.iter_mut() {
                let Some(b) = rx.pop() else { break };
                *slot = b;
                n += 1;
            }
            Ok(n)
        })
    }

    /// How many received bytes wait.
    pub fn any(&mut self, uart: u8) -> usize {
        critical_section::with(|cs| {
            RX.get(usize::from(uart))
                .map_or(0, |rx| rx.borrow_ref(cs).len)
        })
    }
}

/// Moves what UART `i` (in [`UARTS`] order) received into its buffer.
fn on_receive(i: usize, r: &RegisterBlock) {
    critical_section::with(|cs| {
        let sr = r.sr().read();
        // Reading DR after SR also clears an overrun.
        if sr.rxne().bit_is_set() || sr.ore().bit_is_set() {
            let b = r.dr().read().dr().bits() as u8;
            if sr.rxne().bit_is_set() {
                if let Some(rx) = RX.get(i) {
                    rx.borrow_ref_mut(cs).push(b);
                }
            }
        }
    });
}

#[interrupt]
fn USART2() {
    // SAFETY: reads of the status and data registers; the main loop only reads the status
    // (TXE) and writes the data register, neither of which disturbs a reception.
    on_receive(0, unsafe { &*pac::USART2::ptr() });
}

#[interrupt]
fn USART3() {
    // SAFETY: as in `USART2`.
    on_receive(1, unsafe { &*pac::USART3::ptr() });
}

#[interrupt]
fn USART6() {
    // SAFETY: as in `USART2`.
    on_receive(2, unsafe { &*pac::USART6::ptr() });
}
