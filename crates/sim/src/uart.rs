//! A simulated UART: what a program sends, and a receive buffer the outside fills.
//!
//! With loopback on (as after power-up here, as if TX were wired to RX) what is written
//! arrives in the receive buffer. The buffer holds [`RX_CAPACITY`] bytes; more are lost, as
//! when a real UART's buffer overflows.

use alloc::collections::VecDeque;

/// How many received bytes wait at most.
pub const RX_CAPACITY: usize = 512;

/// One UART.
#[derive(Clone, Debug)]
pub struct Uart {
    /// Opened by a program (`UART(n, baudrate)`).
    pub open: bool,
    /// The baud rate it was opened with.
    pub baudrate: u32,
    /// TX wired to RX.
    pub loopback: bool,
    rx: VecDeque<u8>,
}

impl Uart {
    /// A closed UART, looped back.
    pub(crate) fn new() -> Uart {
        Uart {
            open: false,
            baudrate: 0,
            loopback: true,
            rx: VecDeque::new(),
        }
    }

    /// Bytes arriving on RX; those past [`RX_CAPACITY`] are lost.
    pub fn receive(&mut self, data: &[u8]) {
        let room = RX_CAPACITY.saturating_sub(self.rx.len());
        self.rx.extend(data.iter().take(room));
    }

    /// How many received bytes wait.
    pub fn pending(&self) -> usize {
        self.rx.len()
    }

    /// Takes up to `buf.len()` received bytes; how many.
    pub(crate) fn read(&mut self, buf: &mut [u8]) -> usize {
        let n = buf.len().min(self.rx.len());
        for (dst, src) in buf.iter_mut().zip(self.rx.drain(..n)) {
            *dst = src;
        }
        n
    }

    /// Forgets what was received.
    pub(crate) fn clear(&mut self) {
        self.rx.clear();
    }
}
