//! The REPL's serial link: USB CDC on the pyboard (`usb`), USART1 at 115200 baud under QEMU
//! (its first `-serial`).
//!
//! The receive interrupt (USART1's, or USB's) moves each byte into a ring, except the
//! interrupt character (Ctrl-C while code runs, as `Port::set_interrupt_char` sets it), which
//! raises the interrupt flag instead: so Ctrl-C reaches a busy program even when the ring is
//! full of unread input. The console (`pyrite_repl::console`) takes bytes out through
//! [`Link`], its [`Serial`]; a raised flag comes out first, as the interrupt character, for the
//! console to judge as it judges every byte. Output goes to USB, or out of USART1 byte by byte,
//! waiting for the transmitter.
//!
//! The ring and the flag are shared with the interrupt handlers under a critical section.

use core::cell::RefCell;

use critical_section::Mutex;
use embedded_io::Write;
use pyrite_repl::console::Serial;
use stm32f4xx_hal::pac::{interrupt, USART1};
use stm32f4xx_hal::prelude::*;
use stm32f4xx_hal::serial::{Rx, Tx};

use crate::clock;

/// The baud rate of the REPL's USART.
#[cfg(feature = "qemu")]
pub const BAUD: u32 = 115_200;

/// Received bytes not yet taken by the console. Raw-paste sends at most a 128-byte window
/// ahead; mpremote's plain raw REPL sends 256-byte chunks.
const RING_BYTES: usize = 1024;

/// Received bytes and the interrupt flag.
struct Queue {
    ring: [u8; RING_BYTES],
    /// Where the oldest unread byte is.
    head: usize,
    /// How many bytes are unread.
    len: usize,
    /// The byte that raises the flag instead of being queued.
    interrupt_char: Option<u8>,
    /// The interrupt character arrived and the console has not taken it yet.
    interrupted: bool,
}

impl Queue {
    /// Queues `b`; a byte that finds the ring full is dropped, as a UART's would be.
    fn push(&mut self, b: u8) {
        if Some(b) == self.interrupt_char {
            self.interrupted = true;
        } else if self.len < RING_BYTES {
            let at = (self.head + self.len) % RING_BYTES;
            if let Some(slot) = self.ring.get_mut(at) {
                *slot = b;
                self.len += 1;
            }
        }
    }

    /// Moves unread bytes into `buf` (the flag first, as the interrupt character).
    fn take(&mut self, buf: &mut [u8]) -> usize {
        let mut n = 0;
        if self.interrupted {
            if let (Some(c), Some(slot)) = (self.interrupt_char, buf.first_mut()) {
                *slot = c;
                n = 1;
            }
            self.interrupted = false;
        }
        while self.len > 0 {
            let (Some(slot), Some(&b)) = (buf.get_mut(n), self.ring.get(self.head)) else {
                break;
            };
            *slot = b;
            n += 1;
            self.head = (self.head + 1) % RING_BYTES;
            self.len -= 1;
        }
        n
    }

    /// Whether anything waits for the console.
    fn pending(&self) -> bool {
        self.len > 0 || self.interrupted
    }
}

/// What the receive interrupts share with the console. It starts as all zeros, so it takes
/// no flash (`.bss`): a static with one byte that is not zero would be copied from flash whole.
static QUEUE: Mutex<RefCell<Queue>> = Mutex::new(RefCell::new(Queue {
    ring: [0; RING_BYTES],
    head: 0,
    len: 0,
    interrupt_char: None,
    interrupted: false,
}));

/// USART1's receiving half, for its interrupt; `None` until [`usart`].
static RX: Mutex<RefCell<Option<Rx<USART1>>>> = Mutex::new(RefCell::new(None));

/// The console's side of the link: USART1's transmitter, or (`None`) USB.
pub struct Link {
    tx: Option<Tx<USART1>>,
}

impl Link {
    /// The link over USB (`usb::init` has started the device).
    #[cfg(not(feature = "qemu"))]
    pub fn usb() -> Link {
        Link { tx: None }
    }
}

/// Queues a byte received by an interrupt handler (the USB one; USART1's is below).
#[cfg(not(feature = "qemu"))]
pub fn receive_byte(cs: critical_section::CriticalSection<'_>, b: u8) {
    QUEUE.borrow_ref_mut(cs).push(b);
}

/// Sets up USART1 on PB6 (TX) and PB7 (RX) and starts the receive interrupt.
#[cfg(feature = "qemu")]
pub fn usart(
    usart: USART1,
    tx: stm32f4xx_hal::gpio::PB6,
    rx: stm32f4xx_hal::gpio::PB7,
    rcc: &mut stm32f4xx_hal::rcc::Rcc,
) -> Link {
    let config = stm32f4xx_hal::serial::Config::default().baudrate(BAUD.bps());
    // The configuration is a fixed, valid one: only an impossible baud rate fails.
    let Ok(serial) = usart.serial((tx, rx), config, rcc) else {
        panic!("USART1: baud rate {BAUD} out of reach");
    };
    let (tx, mut rx) = serial.split();
    rx.listen();
    critical_section::with(|cs| *RX.borrow_ref_mut(cs) = Some(rx));
    // SAFETY: the handler below only touches `RX` and `QUEUE`, under a critical section; unmasking
    // an interrupt cannot break a critical section in progress (there is none here).
    unsafe { cortex_m::peripheral::NVIC::unmask(stm32f4xx_hal::pac::Interrupt::USART1) };
    Link { tx: Some(tx) }
}

/// Sleeps until the next interrupt (a received byte, the millisecond tick), unless input
/// already waits.
pub fn wait_for_input() {
    // Masked, so that a byte arriving between the look and the `WFI` still wakes it: a
    // pending interrupt ends `WFI` whatever PRIMASK says, and runs once the mask is lifted.
    critical_section::with(|cs| {
        if !QUEUE.borrow_ref(cs).pending() {
            cortex_m::asm::wfi();
        }
    });
}

impl Serial for Link {
    fn receive(&mut self, buf: &mut [u8]) -> usize {
        critical_section::with(|cs| QUEUE.borrow_ref_mut(cs).take(buf))
    }

    fn send(&mut self, data: &[u8]) {
        match self.tx.as_mut() {
            // The transmitter never reports an error: a write only waits for it.
            Some(tx) => {
                let _ = tx.write_all(data);
            }
            #[cfg(not(feature = "qemu"))]
            None => crate::usb::write(data),
            #[cfg(feature = "qemu")]
            None => {}
        }
    }

    fn wait(&mut self, _us: u64) {
        // The console looks at its deadline again after each wake-up (at most 1 ms).
        wait_for_input();
    }

    fn ticks_us(&mut self) -> u64 {
        clock::ticks_us()
    }

    /// The receive interrupt judges the next bytes by the new character.
    fn set_interrupt_char(&mut self, c: Option<u8>) {
        critical_section::with(|cs| QUEUE.borrow_ref_mut(cs).interrupt_char = c);
    }
}

#[interrupt]
fn USART1() {
    critical_section::with(|cs| {
        let mut rx = RX.borrow_ref_mut(cs);
        let Some(rx) = rx.as_mut() else {
            return;
        };
        let mut queue = QUEUE.borrow_ref_mut(cs);
        // Each read takes a byte or clears an error (overrun, framing, noise: the byte is
        // lost); the flags are all clear when it would block.
        for _ in 0..8 {
            match rx.read() {
                Ok(b) => queue.push(b),
                Err(nb::Error::WouldBlock) => break,
                Err(nb::Error::Other(_)) => {}
            }
        }
    });
}

/// Writes `text` to USART1 directly, waiting for the transmitter: for the fault and panic
/// handlers, which cannot reach the console (it is the interrupted program's).
pub fn emergency_write(text: &[u8]) {
    // SAFETY: only called on the way to a reset, when nothing else runs; the status and data
    // registers are read and written as the reference manual describes, nothing else is
    // touched.
    let usart = unsafe { &*USART1::ptr() };
    // Not set up (the pyboard's REPL is on USB): nothing to write to.
    if usart.cr1().read().ue().bit_is_clear() {
        return;
    }
    for &b in text {
        let mut spins = 0u32;
        while usart.sr().read().txe().bit_is_clear() && spins < 1_000_000 {
            spins += 1;
        }
        usart.dr().write(|w| w.dr().set(u16::from(b)));
    }
}
