//! The ESP32-C3 board behind `machine`: its GPIOs, I2C, `SoftSPI`, UART1, ADC, PWM, the flash
//! file system and the chip's identity, as Pyrite's `Hardware`.
//!
//! Pins go through `pyrite-hal`'s board (names, numbers, polled pin interrupts, and `SoftSPI`
//! bit-banged on any of them, timed by esp-hal's busy-wait delay), and I2C through its bus
//! trait, which maps esp-hal's errors to `errno`. What `embedded-hal` has no
//! trait for (UART, ADC, PWM, flash) is driven here with esp-hal's own drivers.
//!
//! Pins: `Pin(0)`..`Pin(10)` (also `Pin("GPIO5")`). GPIO11-17 are the SPI flash's, GPIO18/19
//! the USB port's and GPIO20/21 UART0's (the REPL), so none of those is offered. Peripherals
//! are routed to pins through the GPIO matrix when first used, with MicroPython's ESP32-C3
//! defaults: `I2C(0)` on SCL GPIO9 / SDA GPIO8 (a `SoftI2C(scl, sda)` runs on the same
//! controller, moved to its pins), `UART(1)` on TX GPIO10 / RX GPIO9, `ADC` on GPIO0-4
//! (ADC1, 11 dB attenuation, 12 bits scaled to 16), `PWM` on any pin.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::vec::Vec;

use esp_hal::analog::adc::{Adc, AdcConfig, Attenuation};
use esp_hal::delay::Delay;
use esp_hal::gpio::{AnyPin, Pin as _};
use esp_hal::i2c::master::{Config as I2cConfig, I2c};
use esp_hal::peripherals::{ADC1, GPIO0, GPIO1, GPIO2, GPIO3, GPIO4, I2C0, UART1};
use esp_hal::time::Rate;
use esp_hal::uart::{Config as UartConfig, Uart};
use esp_hal::Blocking;
use pyrite_core::hardware::{
    Hardware, HwResult, I2cId, I2cOp, ResetKind, SpiPins, EINVAL, EIO, ENODEV,
};
use pyrite_hal::{HalBoard, I2cBus};

use crate::flash::FlashFs;
use crate::pin::{self, EspPin};
use crate::pwm::Pwm;

/// The GPIOs offered to Python, by number (the rest belong to the flash, USB and UART0).
pub const USER_PINS: [u8; 11] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const PIN_NAMES: [&str; 11] = [
    "GPIO0", "GPIO1", "GPIO2", "GPIO3", "GPIO4", "GPIO5", "GPIO6", "GPIO7", "GPIO8", "GPIO9",
    "GPIO10",
];

/// `I2C(0)`'s default pins (SCL, SDA).
const I2C0_PINS: (u8, u8) = (9, 8);
/// `UART(1)`'s pins (TX, RX).
const UART1_PINS: (u8, u8) = (10, 9);

/// `machine.reset_cause()` values.
const PWRON_RESET: u8 = 1;
const HARD_RESET: u8 = 2;
const WDT_RESET: u8 = 3;
const DEEPSLEEP_RESET: u8 = 4;
const SOFT_RESET: u8 = 5;

/// The I2C controller as it is set up now: the bus (SCL, SDA) and frequency, and the driver.
struct ActiveI2c {
    pins: (u8, u8),
    freq: u32,
    bus: Box<dyn I2cBus>,
}

/// The ESP32-C3's peripherals.
pub struct EspBoard {
    pins: HalBoard,
    /// Each `i2c_open` handle's bus (SCL, SDA) and frequency.
    i2c_handles: Vec<((u8, u8), u32)>,
    i2c: Option<ActiveI2c>,
    uart1: Option<Uart<'static, Blocking>>,
    /// UART1 bytes read from its FIFO and not yet by Python.
    uart1_rx: VecDeque<u8>,
    pwm: Pwm,
    flash: Option<FlashFs>,
    reset_cause: u8,
}

impl EspBoard {
    /// The board with GPIO0-10 (taken from `gpio`, in `USER_PINS` order) and its flash file
    /// system, if the partition table has one.
    pub fn new(gpio: [AnyPin<'static>; 11], flash: Option<FlashFs>) -> EspBoard {
        let mut pins = HalBoard::new();
        for (pin, name) in gpio.into_iter().zip(PIN_NAMES) {
            let number = i32::from(pin.number());
            pins.add_pin(name, Some(number), EspPin::new(pin));
        }
        pins.set_unique_id(esp_hal::efuse::base_mac_address().as_bytes());
        pins.set_freq(esp_hal::clock::cpu_clock().as_hz());
        pins.set_delay(Delay::new());
        EspBoard {
            pins,
            i2c_handles: Vec::new(),
            i2c: None,
            uart1: None,
            uart1_rx: VecDeque::new(),
            pwm: Pwm::default(),
            flash,
            reset_cause: reset_cause(),
        }
    }

    /// The GPIO number of handle `pin`.
    fn gpio(&self, pin: u16) -> HwResult<u8> {
        USER_PINS.get(usize::from(pin)).copied().ok_or(ENODEV)
    }

    /// Sets the I2C controller up for handle `bus`, unless it is already.
    fn i2c_bus(&mut self, bus: u8) -> HwResult<&mut dyn I2cBus> {
        let &(pins, freq) = self.i2c_handles.get(usize::from(bus)).ok_or(ENODEV)?;
        let current = matches!(&self.i2c, Some(a) if a.pins == pins && a.freq == freq);
        if !current {
            // The old driver lets go of its pins before the new one takes the controller.
            self.i2c = None;
            let config = I2cConfig::default().with_frequency(Rate::from_hz(freq));
            // SAFETY: the controller's previous driver was dropped just above; the pins go
            // to I2C until `Pin.init` takes them back.
            let driver = I2c::new(unsafe { I2C0::steal() }, config)
                .map_err(|_| EINVAL)?
                .with_scl(unsafe { pin::steal(pins.0) })
                .with_sda(unsafe { pin::steal(pins.1) });
            self.i2c = Some(ActiveI2c {
                pins,
                freq,
                bus: Box::new(driver),
            });
        }
        match &mut self.i2c {
            Some(a) => Ok(a.bus.as_mut()),
            None => Err(ENODEV),
        }
    }

    /// Takes what UART1's FIFO holds into the software buffer.
    fn uart1_poll(&mut self) {
        let Some(uart) = self.uart1.as_mut() else {
            return;
        };
        let mut chunk = [0u8; 64];
        for _ in 0..8 {
            match uart.read_buffered(&mut chunk) {
                Ok(0) => break,
                Ok(n) => self
                    .uart1_rx
                    .extend(chunk.get(..n).unwrap_or_default().iter().copied()),
                Err(_) => {}
            }
        }
    }
}

/// `machine.reset_cause()` from the chip's reset reason.
fn reset_cause() -> u8 {
    use esp_hal::rtc_cntl::SocResetReason as R;
    match esp_hal::system::reset_reason() {
        Some(R::CoreSw | R::Cpu0Sw) => SOFT_RESET,
        Some(R::CoreDeepSleep) => DEEPSLEEP_RESET,
        Some(
            R::CoreMwdt0
            | R::CoreMwdt1
            | R::CoreRtcWdt
            | R::Cpu0Mwdt0
            | R::Cpu0Mwdt1
            | R::Cpu0RtcWdt
            | R::SysRtcWdt
            | R::SysSuperWdt,
        ) => WDT_RESET,
        Some(R::ChipPowerOn) | None => PWRON_RESET,
        Some(_) => HARD_RESET,
    }
}

/// Reads the ADC1 channel on GPIO `gpio` (0-4) once: 12 bits.
fn adc1_read(gpio: u8) -> HwResult<u16> {
    // The ADC takes typed pins; each is taken for this one reading.
    macro_rules! read {
        ($pin:ident) => {{
            let mut config = AdcConfig::new();
            // SAFETY: the pad goes to the ADC (analog) until `Pin.init` takes it back; ADC1
            // is only used here, one reading at a time.
            let mut pin = config.enable_pin(unsafe { $pin::steal() }, Attenuation::_11dB);
            let mut adc = Adc::new(unsafe { ADC1::steal() }, config);
            let mut tries = 0u32;
            loop {
                match adc.read_oneshot(&mut pin) {
                    Ok(v) => break Ok(v),
                    Err(_) if tries < 100_000 => tries += 1,
                    Err(_) => break Err(EIO),
                }
            }
        }};
    }
    match gpio {
        0 => read!(GPIO0),
        1 => read!(GPIO1),
        2 => read!(GPIO2),
        3 => read!(GPIO3),
        4 => read!(GPIO4),
        _ => Err(ENODEV),
    }
}

impl Hardware for EspBoard {
    pyrite_hal::hal_board_methods!(pins);

    fn i2c_open(&mut self, id: I2cId, freq: u32) -> HwResult<u8> {
        let pins = match id {
            I2cId::Hard(0) => I2C0_PINS,
            I2cId::Hard(_) => return Err(ENODEV),
            I2cId::Soft { scl, sda } => (self.gpio(scl)?, self.gpio(sda)?),
        };
        if freq == 0 {
            return Err(EINVAL);
        }
        let config = (pins, freq);
        if let Some(i) = self.i2c_handles.iter().position(|h| *h == config) {
            return Ok(i as u8);
        }
        if self.i2c_handles.len() >= usize::from(u8::MAX) {
            return Err(ENODEV);
        }
        self.i2c_handles.push(config);
        Ok((self.i2c_handles.len() - 1) as u8)
    }

    fn i2c_transaction(&mut self, bus: u8, addr: u8, ops: &mut [I2cOp]) -> HwResult<()> {
        self.i2c_bus(bus)?.run(addr, ops)
    }

    fn soft_spi_open(
        &mut self,
        pins: SpiPins,
        baudrate: u32,
        polarity: u8,
        phase: u8,
    ) -> HwResult<u8> {
        self.pins.soft_spi_open(pins, baudrate, polarity, phase)
    }

    fn spi_transfer(&mut self, bus: u8, write: &[u8], read: &mut [u8]) -> HwResult<()> {
        self.pins.spi_transfer(bus, write, read)
    }

    fn uart_open(&mut self, id: i32, baudrate: u32) -> HwResult<u8> {
        if id != 1 {
            return Err(ENODEV);
        }
        let config = UartConfig::default().with_baudrate(baudrate);
        if let Some(uart) = self.uart1.as_mut() {
            uart.apply_config(&config).map_err(|_| EINVAL)?;
            return Ok(0);
        }
        // SAFETY: UART1 is only used here; its pins go to it until `Pin.init` takes them back.
        let uart = Uart::new(unsafe { UART1::steal() }, config)
            .map_err(|_| EINVAL)?
            .with_tx(unsafe { pin::steal(UART1_PINS.0) })
            .with_rx(unsafe { pin::steal(UART1_PINS.1) });
        self.uart1 = Some(uart);
        self.uart1_rx.clear();
        Ok(0)
    }

    fn uart_write(&mut self, _uart: u8, data: &[u8]) -> HwResult<usize> {
        let uart = self.uart1.as_mut().ok_or(ENODEV)?;
        let mut rest = data;
        while !rest.is_empty() {
            let n = uart.write(rest).map_err(|_| EIO)?;
            rest = rest.get(n..).unwrap_or_default();
        }
        Ok(data.len())
    }

    fn uart_read(&mut self, _uart: u8, buf: &mut [u8]) -> HwResult<usize> {
        if self.uart1.is_none() {
            return Err(ENODEV);
        }
        self.uart1_poll();
        let mut n = 0;
        while let Some(slot) = buf.get_mut(n) {
            let Some(b) = self.uart1_rx.pop_front() else {
                break;
            };
            *slot = b;
            n += 1;
        }
        Ok(n)
    }

    fn uart_any(&mut self, _uart: u8) -> usize {
        self.uart1_poll();
        self.uart1_rx.len()
    }

    fn adc_read_u16(&mut self, pin: u16) -> HwResult<u16> {
        let raw = adc1_read(self.gpio(pin)?)?;
        // 12 bits to 16, as MicroPython scales: the top bits repeated below.
        let raw = raw.min(0x0FFF);
        Ok(raw << 4 | raw >> 8)
    }

    fn pwm_set(&mut self, pin: u16, freq: u32, duty_u16: u16) -> HwResult<()> {
        let gpio = self.gpio(pin)?;
        self.pwm.set(gpio, freq, duty_u16)
    }

    fn flash_block_size(&self) -> u32 {
        crate::flash::SECTOR_BYTES as u32
    }

    fn flash_blocks(&self) -> u32 {
        self.flash.as_ref().map_or(0, FlashFs::blocks)
    }

    fn flash_read(&mut self, block: u32, buf: &mut [u8]) -> HwResult<()> {
        self.flash.as_mut().ok_or(ENODEV)?.read(block, buf)
    }

    fn flash_write(&mut self, block: u32, data: &[u8]) -> HwResult<()> {
        self.flash.as_mut().ok_or(ENODEV)?.write(block, data)
    }

    fn unique_id(&self) -> Vec<u8> {
        self.pins.unique_id()
    }

    fn freq(&self) -> u32 {
        self.pins.freq()
    }

    fn request_reset(&mut self, kind: ResetKind) {
        self.pins.request_reset(kind)
    }

    fn reset_cause(&self) -> u8 {
        self.reset_cause
    }
}
