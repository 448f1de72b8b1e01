//! The board: named pins, LEDs, the switch and buses, and its `Hardware` implementation.
//!
//! Pins are numbered in the order they were added. Pin interrupts are found by polling:
//! `take_pin_event`, which the VM calls often, reads the watched pins and reports a watched
//! edge since the last look, so an edge shorter than the time between two looks is missed
//! (a firmware with real interrupts can wrap this board and answer `take_pin_event` itself).
//! `machine.UART`, `ADC` and `PWM` have no `embedded-hal` 1.0 trait and are not offered.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use pyrite_core::hardware::{
    Hardware, HwResult, I2cId, I2cOp, PinMode, Pull, ResetKind, ENODEV, IRQ_FALLING, IRQ_RISING,
};

use crate::bus::{I2cBus, SpiBus};
use crate::pin::BoardPin;

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

    fn i2c_open(&mut self, id: I2cId, _freq: u32) -> HwResult<u8> {
        let i = self
            .i2c
            .iter()
            .position(|(bus_id, _)| *bus_id == id)
            .ok_or(ENODEV)?;
        Ok(i as u8)
    }

    fn i2c_transaction(&mut self, bus: u8, addr: u8, ops: &mut [I2cOp]) -> HwResult<()> {
        let (_, b) = self.i2c.get_mut(usize::from(bus)).ok_or(ENODEV)?;
        b.run(addr, ops)
    }

    fn spi_open(&mut self, id: i32, _baudrate: u32, _polarity: u8, _phase: u8) -> HwResult<u8> {
        let i = self
            .spi
            .iter()
            .position(|(bus_id, _)| *bus_id == id)
            .ok_or(ENODEV)?;
        Ok(i as u8)
    }

    fn spi_transfer(&mut self, bus: u8, write: &[u8], read: &mut [u8]) -> HwResult<()> {
        let (_, b) = self.spi.get_mut(usize::from(bus)).ok_or(ENODEV)?;
        b.transfer(write, read)
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
