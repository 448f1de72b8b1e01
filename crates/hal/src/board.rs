//! The board: named pins, LEDs, the switch and buses, and its `Hardware` implementation.
//!
//! Pins are numbered in the order they were added. Pin interrupts are found by polling:
//! `take_pin_event`, which the VM calls often, reads the watched pins and reports a watched
//! edge since the last look, so an edge shorter than the time between two looks is missed
//! (a firmware with real interrupts can wrap this board and answer `take_pin_event` itself).
//! `machine.UART`, `ADC` and `PWM` have no `embedded-hal` 1.0 trait and are not offered.
//!
//! Given a delay ([`HalBoard::set_delay`]), the board also runs `SoftI2C` and `SoftSPI`
//! bit-banged (`soft`) on any of its pins that can take the modes they need: open drain for
//! I2C, outputs and an input for SPI. Their handles start at [`SOFT_HANDLES`], so a firmware
//! that answers `i2c_open` and `spi_open` for its hardware buses with small handles can pass
//! the rest on here.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use embedded_hal::delay::DelayNs;
use pyrite_core::hardware::{
    Hardware, HwResult, I2cId, I2cOp, PinMode, Pull, ResetKind, SpiPins, EINVAL, ENODEV,
    IRQ_FALLING, IRQ_RISING,
};

use crate::bus::{I2cBus, SpiBus};
use crate::pin::BoardPin;
use crate::soft::{PinIo, SoftI2c, SoftSpi};

/// The first handle of a bit-banged bus (`i2c_open`, `soft_spi_open`); the buses added with
/// `add_i2c` and `add_spi` have the handles below.
pub const SOFT_HANDLES: u8 = 128;
/// How many bit-banged buses of each kind the board keeps: one for each set of pins opened.
const MAX_SOFT_BUSES: usize = 64;

/// `machine.reset_cause()`'s `PWRON_RESET`.
const PWRON_RESET: u8 = 1;

/// A pin and what the board knows of it.
struct NamedPin {
    name: &'static str,
    number: Option<i32>,
    pin: Box<dyn BoardPin>,
    /// Watched edges.
    irq: u8,
    /// The level at the last look, for edge detection.
    level: bool,
}

/// An LED on an output pin.
struct Led {
    pin: u16,
    /// Lit when the pin is low.
    active_low: bool,
    /// Lit now (kept here, so that `led_get` needs no pin read).
    on: bool,
}

/// A bit-banged SPI bus: its pins and settings.
#[derive(Clone, Copy)]
struct SoftSpiBus {
    pins: SpiPins,
    baudrate: u32,
    polarity: u8,
    phase: u8,
}

/// A board built from `embedded-hal` drivers.
#[derive(Default)]
pub struct HalBoard {
    pins: Vec<NamedPin>,
    aliases: Vec<(&'static str, u16)>,
    leds: Vec<Led>,
    /// The switch's pin, and whether pressing it pulls the pin low.
    switch: Option<(u16, bool)>,
    i2c: Vec<(I2cId, Box<dyn I2cBus>)>,
    spi: Vec<(i32, Box<dyn SpiBus>)>,
    /// The bit-banged buses' delay; without one there are none.
    delay: Option<Box<dyn DelayNs>>,
    /// Bit-banged I2C buses: SCL, SDA and the clock in Hz (handle `SOFT_HANDLES + i`).
    soft_i2c: Vec<(u16, u16, u32)>,
    /// Bit-banged SPI buses (handle `SOFT_HANDLES + i`).
    soft_spi: Vec<SoftSpiBus>,
    /// Where the next look for pin edges starts, so that one busy pin does not hide others.
    irq_next: usize,
    unique_id: Vec<u8>,
    freq: u32,
    reset_request: Option<ResetKind>,
    reset_cause: Option<u8>,
}

impl HalBoard {
    /// A board with nothing on it.
    pub fn new() -> HalBoard {
        HalBoard::default()
    }

    /// Adds a pin called `name` (`machine.Pin("LED")`), and with port number `number` if
    /// the board numbers its pins (`machine.Pin(5)` on an ESP32-C3); its handle.
    pub fn add_pin(
        &mut self,
        name: &'static str,
        number: Option<i32>,
        pin: impl BoardPin + 'static,
    ) -> u16 {
        self.pins.push(NamedPin {
            name,
            number,
            pin: Box::new(pin),
            irq: 0,
            level: false,
        });
        (self.pins.len() - 1) as u16
    }

    /// Gives pin `pin` a second name (a CPU name beside a board name).
    pub fn add_alias(&mut self, name: &'static str, pin: u16) {
        self.aliases.push((name, pin));
    }

    /// Makes pin `pin` the next LED (`pyb.LED(1)` is the first added): lit when high, or
    /// when low if `active_low`. An LED is on or off: any intensity above 0 lights it, and
    /// writing its pin through `machine.Pin` switches it too.
    pub fn add_led(&mut self, pin: u16, active_low: bool) -> u8 {
        let on = self.pin_read(pin) != active_low;
        self.leds.push(Led {
            pin,
            active_low,
            on,
        });
        self.leds.len() as u8
    }

    /// Makes pin `pin` the user switch (`pyb.Switch`), pressed when low if `active_low`.
    pub fn set_switch(&mut self, pin: u16, active_low: bool) {
        self.switch = Some((pin, active_low));
    }

    /// Adds I2C bus `id` (`I2cId::Hard(n)` for `machine.I2C(n)`, or `I2cId::Soft` with the
    /// pins of a software bus the firmware drives). Its speed is the one the HAL set up:
    /// the `freq` asked by Python is not applied.
    pub fn add_i2c(&mut self, id: I2cId, bus: impl embedded_hal::i2c::I2c + 'static) {
        self.i2c.push((id, Box::new(bus)));
    }

    /// Adds SPI bus `id` (`machine.SPI(id)`, -1 for a software bus). Its baud rate, polarity
    /// and phase are the ones the HAL set up.
    pub fn add_spi(&mut self, id: i32, bus: impl embedded_hal::spi::SpiBus<u8> + 'static) {
        self.spi.push((id, Box::new(bus)));
    }

    /// Gives the board the delay its bit-banged buses time their clocks with (any
    /// `embedded-hal` delay; a busy wait is best, since half a period of a 400 kHz clock is
    /// 1.25 us): `SoftI2C` and `SoftSPI` then run on the board's pins.
    pub fn set_delay(&mut self, delay: impl DelayNs + 'static) {
        self.delay = Some(Box::new(delay));
    }

    /// Sets `machine.unique_id()`.
    pub fn set_unique_id(&mut self, id: &[u8]) {
        self.unique_id = Vec::from(id);
    }

    /// Sets `machine.freq()`, the CPU clock in Hz.
    pub fn set_freq(&mut self, hz: u32) {
        self.freq = hz;
    }

    /// Sets `machine.reset_cause()` as the chip's reset flags tell it.
    pub fn set_reset_cause(&mut self, cause: u8) {
        self.reset_cause = Some(cause);
    }

    /// The reset a program asked for (`machine.reset()`...), once; the firmware carries it
    /// out.
    pub fn take_reset(&mut self) -> Option<ResetKind> {
        self.reset_request.take()
    }

    fn pin_mut(&mut self, pin: u16) -> Option<&mut NamedPin> {
        self.pins.get_mut(usize::from(pin))
    }

    /// Sets pin `pin` up as `mode` with `pull`, writing `level` to it first (so that an output
    /// starts at that level).
    fn pin_setup(&mut self, pin: u16, mode: PinMode, pull: Pull, level: bool) -> HwResult<()> {
        let p = self.pin_mut(pin).ok_or(ENODEV)?;
        p.pin.write(level);
        p.pin.init(mode, pull)
    }

    /// The slot of a bit-banged bus on pins for which `same` holds, or a new one; `ENODEV` when
    /// all are taken.
    fn soft_slot<T>(buses: &mut Vec<T>, same: impl Fn(&T) -> bool, bus: T) -> HwResult<u8> {
        let i = match buses.iter().position(same) {
            Some(i) => {
                if let Some(slot) = buses.get_mut(i) {
                    *slot = bus;
                }
                i
            }
            None if buses.len() < MAX_SOFT_BUSES => {
                buses.push(bus);
                buses.len() - 1
            }
            None => return Err(ENODEV),
        };
        Ok(SOFT_HANDLES + i as u8)
    }
}

/// Pins `want` of `pins` (all different), in that order, each borrowed on its own.
fn pins_mut<'a>(pins: &'a mut [NamedPin], want: &[u16]) -> HwResult<Vec<&'a mut NamedPin>> {
    let mut found: Vec<Option<&'a mut NamedPin>> = want.iter().map(|_| None).collect();
    for (i, p) in pins.iter_mut().enumerate() {
        if let Some(k) = want.iter().position(|&w| usize::from(w) == i) {
            if let Some(slot) = found.get_mut(k) {
                *slot = Some(p);
            }
        }
    }
    // A pin named twice is found once, and leaves a slot empty.
    found.into_iter().collect::<Option<Vec<_>>>().ok_or(EINVAL)
}

/// The index of bit-banged bus `handle`.
fn soft_index(handle: u8) -> Option<usize> {
    handle.checked_sub(SOFT_HANDLES).map(usize::from)
}

impl Hardware for HalBoard {
    fn pin_by_name(&self, name: &str) -> Option<u16> {
        self.pins
            .iter()
            .position(|p| p.name == name)
            .map(|i| i as u16)
            .or_else(|| {
                self.aliases
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|&(_, p)| p)
            })
    }

    fn pin_by_number(&self, n: i32) -> Option<u16> {
        self.pins
            .iter()
            .position(|p| p.number == Some(n))
            .map(|i| i as u16)
    }

    fn pin_name(&self, pin: u16) -> String {
        match self.pins.get(usize::from(pin)) {
            Some(p) => String::from(p.name),
            None => alloc::format!("{pin}"),
        }
    }

    fn pin_init(&mut self, pin: u16, mode: PinMode, pull: Pull) -> HwResult<()> {
        self.pin_mut(pin).ok_or(ENODEV)?.pin.init(mode, pull)
    }

    fn pin_write(&mut self, pin: u16, high: bool) {
        if let Some(p) = self.pin_mut(pin) {
            p.pin.write(high);
        }
        for led in self.leds.iter_mut().filter(|l| l.pin == pin) {
            led.on = high != led.active_low;
        }
    }

    fn pin_read(&mut self, pin: u16) -> bool {
        self.pin_mut(pin).is_some_and(|p| p.pin.read())
    }

    fn pin_irq(&mut self, pin: u16, edges: u8) -> HwResult<()> {
        let p = self.pin_mut(pin).ok_or(ENODEV)?;
        p.irq = edges & (IRQ_RISING | IRQ_FALLING);
        if p.irq != 0 {
            p.level = p.pin.read();
        }
        Ok(())
    }

    fn take_pin_event(&mut self) -> Option<u16> {
        let n = self.pins.len();
        for k in 0..n {
            let i = (self.irq_next + k) % n;
            let Some(p) = self.pins.get_mut(i) else {
                continue;
            };
            if p.irq == 0 {
                continue;
            }
            let level = p.pin.read();
            if level == p.level {
                continue;
            }
            p.level = level;
            let edge = if level { IRQ_RISING } else { IRQ_FALLING };
            if p.irq & edge != 0 {
                self.irq_next = i + 1;
                return Some(i as u16);
            }
        }
        None
    }

    fn led_count(&self) -> u8 {
        self.leds.len() as u8
    }

    fn led_set(&mut self, n: u8, intensity: u8) {
        let Some(led) = self.leds.get(usize::from(n).wrapping_sub(1)) else {
            return;
        };
        let (pin, level) = (led.pin, (intensity > 0) != led.active_low);
        self.pin_write(pin, level);
    }

    fn led_get(&self, n: u8) -> u8 {
        match self.leds.get(usize::from(n).wrapping_sub(1)) {
            Some(led) if led.on => 255,
            _ => 0,
        }
    }

    fn switch_pressed(&mut self) -> Option<bool> {
        let (pin, active_low) = self.switch?;
        Some(self.pin_read(pin) != active_low)
    }

    /// A bus added with `add_i2c`, or else, for `I2cId::Soft` on a board with a delay, a
    /// bit-banged bus on those pins (open drain with their pull-ups, released).
    fn i2c_open(&mut self, id: I2cId, freq: u32) -> HwResult<u8> {
        if let Some(i) = self.i2c.iter().position(|(bus_id, _)| *bus_id == id) {
            return Ok(i as u8);
        }
        let I2cId::Soft { scl, sda } = id else {
            return Err(ENODEV);
        };
        if self.delay.is_none() {
            return Err(ENODEV);
        }
        if freq == 0 || scl == sda {
            return Err(EINVAL);
        }
        for pin in [scl, sda] {
            self.pin_setup(pin, PinMode::OpenDrain, Pull::Up, true)?;
        }
        let bus = (scl, sda, freq);
        HalBoard::soft_slot(&mut self.soft_i2c, |b| (b.0, b.1) == (scl, sda), bus)
    }

    fn i2c_transaction(&mut self, bus: u8, addr: u8, ops: &mut [I2cOp]) -> HwResult<()> {
        let Some(i) = soft_index(bus) else {
            let (_, b) = self.i2c.get_mut(usize::from(bus)).ok_or(ENODEV)?;
            return b.run(addr, ops);
        };
        let &(scl, sda, freq) = self.soft_i2c.get(i).ok_or(ENODEV)?;
        let delay = self.delay.as_deref_mut().ok_or(ENODEV)?;
        let mut pins = pins_mut(&mut self.pins, &[scl, sda])?;
        let [scl, sda] = pins.as_mut_slice() else {
            return Err(ENODEV);
        };
        SoftI2c::new(PinIo(&mut *scl.pin), PinIo(&mut *sda.pin), delay, freq).run(addr, ops)
    }

    fn spi_open(&mut self, id: i32, _baudrate: u32, _polarity: u8, _phase: u8) -> HwResult<u8> {
        let i = self
            .spi
            .iter()
            .position(|(bus_id, _)| *bus_id == id)
            .ok_or(ENODEV)?;
        Ok(i as u8)
    }

    /// On a board with a delay, a bit-banged bus on `pins`: SCK an output at its idle level,
    /// MOSI an output (low), MISO an input; otherwise the bus added as SPI `-1`.
    fn soft_spi_open(
        &mut self,
        pins: SpiPins,
        baudrate: u32,
        polarity: u8,
        phase: u8,
    ) -> HwResult<u8> {
        if self.delay.is_none() {
            return self.spi_open(-1, baudrate, polarity, phase);
        }
        let SpiPins { sck, mosi, miso } = pins;
        if baudrate == 0 || sck == mosi || sck == miso || mosi == miso {
            return Err(EINVAL);
        }
        self.pin_setup(sck, PinMode::Output, Pull::None, polarity != 0)?;
        self.pin_setup(mosi, PinMode::Output, Pull::None, false)?;
        self.pin_setup(miso, PinMode::Input, Pull::None, false)?;
        let bus = SoftSpiBus {
            pins,
            baudrate,
            polarity,
            phase,
        };
        HalBoard::soft_slot(&mut self.soft_spi, |b| b.pins == pins, bus)
    }

    fn spi_transfer(&mut self, bus: u8, write: &[u8], read: &mut [u8]) -> HwResult<()> {
        let Some(i) = soft_index(bus) else {
            let (_, b) = self.spi.get_mut(usize::from(bus)).ok_or(ENODEV)?;
            return b.transfer(write, read);
        };
        let s = *self.soft_spi.get(i).ok_or(ENODEV)?;
        let delay = self.delay.as_deref_mut().ok_or(ENODEV)?;
        let mut pins = pins_mut(&mut self.pins, &[s.pins.sck, s.pins.mosi, s.pins.miso])?;
        let [sck, mosi, miso] = pins.as_mut_slice() else {
            return Err(ENODEV);
        };
        let mut spi = SoftSpi::new(
            PinIo(&mut *sck.pin),
            PinIo(&mut *mosi.pin),
            PinIo(&mut *miso.pin),
            delay,
            s.baudrate,
            s.polarity,
            s.phase,
        );
        SpiBus::transfer(&mut spi, write, read)
    }

    fn unique_id(&self) -> Vec<u8> {
        self.unique_id.clone()
    }

    fn freq(&self) -> u32 {
        self.freq
    }

    fn request_reset(&mut self, kind: ResetKind) {
        self.reset_request = Some(kind);
    }

    fn reset_cause(&self) -> u8 {
        self.reset_cause.unwrap_or(PWRON_RESET)
    }
}
