//! The pyboard's REPL on USB: a CDC-ACM serial port on the OTG FS peripheral (PA11/PA12), with
//! MicroPython's pyboard identity (VID:PID f055:9802, "Pyboard Virtual Comm Port in FS Mode"),
//! so that mpremote, Thonny and the IDE find it as they find a MicroPython pyboard.
//!
//! The USB interrupt runs the device stack and puts each received byte through the same queue
//! as the USART's receive interrupt (`serial::receive_byte`): Ctrl-C becomes the interrupt flag
//! there, even while the ring is full. Output waits for the host to take it, but only while a
//! host is attached with the port open (DTR set) and reading: with nobody listening it is
//! dropped, as a MicroPython board drops it, so a program never hangs on `print`.
//!
//! QEMU's netduinoplus2 has no USB: the `qemu` build leaves this module out and keeps the REPL
//! on USART1. Nothing here has run on hardware yet.

use core::cell::RefCell;

use critical_section::Mutex;
use stm32f4xx_hal::gpio::{PA11, PA12};
use stm32f4xx_hal::otg_fs::{UsbBus, UsbBusType, USB};
use stm32f4xx_hal::pac::{self, interrupt};
use stm32f4xx_hal::rcc::Clocks;
use usb_device::bus::UsbBusAllocator;
use usb_device::device::{
    StringDescriptors, UsbDevice, UsbDeviceBuilder, UsbDeviceState, UsbVidPid,
};
use usbd_serial::SerialPort;

use crate::{chip, clock, serial};

/// MicroPython's vendor ID and its pyboard's CDC-only product ID.
const VID_PID: UsbVidPid = UsbVidPid(0xf055, 0x9802);

/// How long output waits for a host that is attached but not reading (µs) before it is
/// dropped.
const STALL_US: u64 = 500_000;

/// The device and its serial port, shared by the interrupt and the console.
struct Usb {
    device: UsbDevice<'static, UsbBusType>,
    port: SerialPort<'static, UsbBusType>,
}

/// The USB device once started. Not an `Option`: `None` would be a niche value of the device's
/// fields, so the static would start with bytes that are not zero and take 1 KB of flash
/// (`.data`); a tag of its own, zero for `Off`, leaves it in `.bss`. (Its one value is this
/// static, so the small variant wastes nothing.)
#[repr(u8)]
#[allow(clippy::large_enum_variant)]
enum UsbState {
    Off = 0,
    On(Usb),
}

static USB_DEVICE: Mutex<RefCell<UsbState>> = Mutex::new(RefCell::new(UsbState::Off));

/// Starts the USB device on PA11 (D-) and PA12 (D+) and its interrupt; called once, at
/// start-up, with the 48 MHz USB clock running.
pub fn init(
    periphs: (pac::OTG_FS_GLOBAL, pac::OTG_FS_DEVICE, pac::OTG_FS_PWRCLK),
    pins: (PA11, PA12),
    clocks: &Clocks,
) {
    let usb = USB::new(periphs, pins, clocks);
    // Each is made once: `singleton!` answers `None` only on a second call.
    let Some(ep_memory) = cortex_m::singleton!(: [u32; 320] = [0; 320]) else {
        return;
    };
    let Some(bus) =
        cortex_m::singleton!(: UsbBusAllocator<UsbBusType> = UsbBus::new(usb, ep_memory))
    else {
        return;
    };
    let Some(serial_text) = cortex_m::singleton!(: [u8; 24] = [b'0'; 24]) else {
        return;
    };
    let serial_number = hex(&chip::unique_id(), serial_text);
    let port = SerialPort::new(bus);
    let strings = StringDescriptors::default()
        .manufacturer("MicroPython")
        .product("Pyboard Virtual Comm Port in FS Mode")
        .serial_number(serial_number);
    let Ok(builder) = UsbDeviceBuilder::new(bus, VID_PID).strings(&[strings]) else {
        return;
    };
    let device = builder.device_class(usbd_serial::USB_CLASS_CDC).build();
    critical_section::with(|cs| {
        *USB_DEVICE.borrow_ref_mut(cs) = UsbState::On(Usb { device, port });
    });
    // SAFETY: the handler below only touches `USB_DEVICE` and the receive queue, each under a
    // critical section; unmasking cannot break a critical section in progress (there is none).
    unsafe { cortex_m::peripheral::NVIC::unmask(pac::Interrupt::OTG_FS) };
}

/// The unique ID as upper-case hexadecimal in `out`, as MicroPython's pyboard gives its USB
/// serial number.
fn hex(id: &[u8; 12], out: &'static mut [u8; 24]) -> &'static str {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for (pair, &byte) in out.chunks_exact_mut(2).zip(id.iter()) {
        if let [high, low] = pair {
            *high = DIGITS[usize::from(byte >> 4)];
            *low = DIGITS[usize::from(byte & 15)];
        }
    }
    core::str::from_utf8(out).unwrap_or("0")
}

/// Sends `data` to the host, waiting while it takes it; dropped when no host has the port
/// open, or when one stops reading for [`STALL_US`].
pub fn write(data: &[u8]) {
    let mut rest = data;
    let mut progress_at = clock::ticks_us();
    while !rest.is_empty() {
        let sent = critical_section::with(|cs| {
            let mut usb = USB_DEVICE.borrow_ref_mut(cs);
            let UsbState::On(usb) = &mut *usb else {
                return None;
            };
            if usb.device.state() != UsbDeviceState::Configured || !usb.port.dtr() {
                return None;
            }
            Some(usb.port.write(rest).unwrap_or(0))
        });
        let Some(sent) = sent else {
            return;
        };
        if sent > 0 {
            rest = rest.get(sent..).unwrap_or_default();
            progress_at = clock::ticks_us();
        } else if clock::ticks_us().wrapping_sub(progress_at) > STALL_US {
            return;
        } else {
            // The USB interrupt (the host took a packet) or the millisecond tick wakes it.
            cortex_m::asm::wfi();
        }
    }
}

#[interrupt]
fn OTG_FS() {
    critical_section::with(|cs| {
        let mut usb = USB_DEVICE.borrow_ref_mut(cs);
        let UsbState::On(Usb { device, port }) = &mut *usb else {
            return;
        };
        if !device.poll(&mut [port]) {
            return;
        }
        let mut buf = [0u8; 64];
        while let Ok(n) = port.read(&mut buf) {
            if n == 0 {
                break;
            }
            for &b in buf.get(..n).unwrap_or_default() {
                serial::receive_byte(cs, b);
            }
        }
    });
}
