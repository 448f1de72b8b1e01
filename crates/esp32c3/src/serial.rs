//! The board's two serial ports as one console link: the USB-Serial-JTAG port (the USB socket
//! of most ESP32-C3 boards) and UART0 (GPIO21 TX, GPIO20 RX, 115200 baud, behind the USB-UART
//! bridge of boards that have one).
//!
//! Input: bytes from either port feed the REPL. UART0 has no flow control, so its receive
//! interrupt moves every byte from the 128-byte hardware FIFO into a ring as it arrives (a
//! program that runs long between two looks at the console loses nothing, up to the ring's
//! size). The USB port needs no interrupt: its OUT endpoint NAKs the host while its FIFO is full,
//! so bytes wait on the host's side and are read when the console looks.
//!
//! Output goes to both ports until the first byte arrives; from then on it goes to the port that
//! received last (the user's terminal, or mpremote). A terminal on the other port sees nothing
//! until it sends a key, and output is never slowed to UART0's 11.5 KB/s while the user works
//! over USB. A USB port whose host is not reading (no cable, no terminal open) would block
//! writing forever: when its FIFO stays full for [`USB_STALL_US`], output to it is dropped until
//! the FIFO has room again.

use core::cell::RefCell;

use critical_section::Mutex;
use esp_hal::time::Instant;
use esp_hal::uart::{Config, RxConfig, Uart, UartInterrupt};
use esp_hal::usb::usb_serial_jtag::{UsbSerialJtagRx, UsbSerialJtagTx};
use esp_hal::Blocking;
use pyrite_repl::console::Serial;

/// How long a full USB FIFO may keep output waiting before the host is taken as absent.
const USB_STALL_US: u64 = 50_000;

/// UART0's receive ring, filled by its interrupt.
const RING_BYTES: usize = 1024;

/// A byte ring that keeps the oldest bytes when full (later bytes are lost, as on a UART
/// whose FIFO overflows).
struct Ring {
    buf: [u8; RING_BYTES],
    start: usize,
    len: usize,
}

impl Ring {
    const fn new() -> Ring {
        Ring {
            buf: [0; RING_BYTES],
            start: 0,
            len: 0,
        }
    }

    fn push(&mut self, data: &[u8]) {
        for &b in data {
            if self.len == RING_BYTES {
                return;
            }
            let at = (self.start + self.len) % RING_BYTES;
            if let Some(slot) = self.buf.get_mut(at) {
                *slot = b;
            }
            self.len += 1;
        }
    }

    fn pop_into(&mut self, out: &mut [u8]) -> usize {
        let mut n = 0;
        while n < out.len() && self.len > 0 {
            if let (Some(slot), Some(&b)) = (out.get_mut(n), self.buf.get(self.start)) {
                *slot = b;
            }
            self.start = (self.start + 1) % RING_BYTES;
            self.len -= 1;
            n += 1;
        }
        n
    }
}

/// UART0, shared with its interrupt handler.
static UART0: Mutex<RefCell<Option<Uart<'static, Blocking>>>> = Mutex::new(RefCell::new(None));
/// What UART0 received and the console has not taken yet.
static UART0_RX: Mutex<RefCell<Ring>> = Mutex::new(RefCell::new(Ring::new()));

/// UART0's receive interrupt (FIFO above its threshold, or a pause in the data): moves the
/// FIFO into the ring.
#[esp_hal::handler]
fn uart0_received() {
    critical_section::with(|cs| {
        let mut uart = UART0.borrow_ref_mut(cs);
        let Some(uart) = uart.as_mut() else {
            return;
        };
        let mut ring = UART0_RX.borrow_ref_mut(cs);
        let mut chunk = [0u8; 64];
        // A read that meets an error (a framing error, an overflow) clears it and reads
        // nothing: the next one goes on. The bound only guards against a line that errs
        // without end.
        for _ in 0..64 {
            match uart.read_buffered(&mut chunk) {
                Ok(0) => break,
                Ok(n) => ring.push(chunk.get(..n).unwrap_or_default()),
                Err(_) => {}
            }
        }
        uart.clear_interrupts(UartInterrupt::RxFifoFull | UartInterrupt::RxTimeout);
    });
}

/// UART0's settings: 115200 8N1, an interrupt when 64 bytes wait or after a pause of 10
/// symbols.
pub fn uart0_config() -> Config {
    Config::default().with_rx(
        RxConfig::default()
            .with_fifo_full_threshold(64)
            .with_timeout(10),
    )
}

/// Hands UART0 to its interrupt handler and starts receiving.
pub fn start_uart0(mut uart: Uart<'static, Blocking>) {
    uart.set_interrupt_handler(uart0_received);
    critical_section::with(|cs| {
        uart.listen(UartInterrupt::RxFifoFull | UartInterrupt::RxTimeout);
        UART0.borrow_ref_mut(cs).replace(uart);
    });
}

/// Where output goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Both,
    Usb,
    Uart,
}

/// The board's end of its two serial ports.
pub struct Link {
    usb_rx: UsbSerialJtagRx<'static, Blocking>,
    usb_tx: UsbSerialJtagTx<'static, Blocking>,
    route: Route,
    /// The USB host stopped reading: output to it is dropped until its FIFO has room.
    usb_stalled: bool,
    /// A USB byte read while waiting, handed out by the next `receive`.
    held: Option<u8>,
}

impl Link {
    /// A link over the USB-Serial-JTAG port's halves; UART0 is the one given to
    /// [`start_uart0`].
    pub fn new(
        usb_rx: UsbSerialJtagRx<'static, Blocking>,
        usb_tx: UsbSerialJtagTx<'static, Blocking>,
    ) -> Link {
        Link {
            usb_rx,
            usb_tx,
            route: Route::Both,
            usb_stalled: false,
            held: None,
        }
    }

    fn uart_waiting() -> bool {
        critical_section::with(|cs| UART0_RX.borrow_ref(cs).len > 0)
    }

    /// Writes to the USB port, giving up when the host does not read.
    fn send_usb(&mut self, data: &[u8]) {
        let mut rest = data;
        let mut since = Instant::now();
        while let Some((&b, tail)) = rest.split_first() {
            match self.usb_tx.write_byte_nb(b) {
                Ok(()) => {
                    self.usb_stalled = false;
                    rest = tail;
                    since = Instant::now();
                }
                Err(_) if self.usb_stalled => return,
                Err(_) => {
                    // The FIFO is full: it goes to the host as a packet once flushed.
                    let _ = self.usb_tx.flush_tx_nb();
                    if since.elapsed().as_micros() >= USB_STALL_US {
                        self.usb_stalled = true;
                        return;
                    }
                }
            }
        }
        let _ = self.usb_tx.flush_tx_nb();
    }

    /// Writes to UART0, waiting for room in its FIFO (115200 baud always drains).
    fn send_uart(data: &[u8]) {
        let mut rest = data;
        while !rest.is_empty() {
            let n = critical_section::with(|cs| {
                let mut uart = UART0.borrow_ref_mut(cs);
                match uart.as_mut() {
                    Some(u) if u.write_ready() => u.write(rest).unwrap_or(0),
                    Some(_) => 0,
                    None => rest.len(),
                }
            });
            rest = rest.get(n..).unwrap_or_default();
        }
    }
}

impl Serial for Link {
    fn receive(&mut self, buf: &mut [u8]) -> usize {
        let mut n = critical_section::with(|cs| UART0_RX.borrow_ref_mut(cs).pop_into(buf));
        if n > 0 {
            self.route = Route::Uart;
            return n;
        }
        if let (Some(b), Some(slot)) = (self.held, buf.first_mut()) {
            *slot = b;
            self.held = None;
            n = 1;
        }
        while let Some(slot) = buf.get_mut(n) {
            match self.usb_rx.read_byte() {
                Ok(b) => *slot = b,
                Err(_) => break,
            }
            n += 1;
        }
        if n > 0 {
            self.route = Route::Usb;
        }
        n
    }

    fn send(&mut self, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        if self.route != Route::Uart {
            self.send_usb(data);
        }
        if self.route != Route::Usb {
            Link::send_uart(data);
        }
    }

    fn wait(&mut self, us: u64) {
        let start = Instant::now();
        while self.held.is_none() && !Link::uart_waiting() {
            if let Ok(b) = self.usb_rx.read_byte() {
                self.held = Some(b);
                return;
            }
            if start.elapsed().as_micros() >= us {
                return;
            }
            core::hint::spin_loop();
        }
    }

    fn ticks_us(&mut self) -> u64 {
        Instant::now().duration_since_epoch().as_micros()
    }
}
