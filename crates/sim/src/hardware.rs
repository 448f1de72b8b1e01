//! The simulated pyboard as the `machine` and `pyb` modules see it.
//!
//! Bus handles: I2C 0 is bus 1's device set and 1 is bus 2's; SPI 0 is software SPI, 1 and 2
//! the hardware buses; a UART's handle is its number. Timers are `timer`'s; a pin that
//! `Pin.init`, `machine.PWM`, `pyb.LED` or a bus takes leaves its timer channel.

use alloc::string::String;
use alloc::vec::Vec;

use pyrite_core::hardware::{
    ChannelMode, Hardware, HwResult, I2cId, I2cOp, PinMode, Pull, ResetKind, TimerConfig,
    TimerInfo, ENODEV,
};

use crate::board::SimBoard;
use crate::event::Event;
use crate::i2c::op_sizes;
use crate::pins::{self, PinState, SW, X10, X9, Y10, Y9};
use crate::timer;

/// `machine.unique_id()`: the 96-bit ID every STM32 carries, fixed for the simulation.
const UNIQUE_ID: [u8; 12] = [
    0x33, 0x00, 0x2c, 0x00, 0x0b, 0x47, 0x36, 0x30, 0x39, 0x32, 0x31, 0x37,
];

/// The STM32F405's clock on the pyboard.
const CPU_FREQ: u32 = 168_000_000;

/// SPI 1's and 2's SCK, MISO and MOSI (`X6`..`X8`, `Y6`..`Y8`).
const SPI_PINS: [[&str; 3]; 2] = [["X6", "X7", "X8"], ["Y6", "Y7", "Y8"]];

/// UART 1..=6's TX and RX; UART 5 is not wired on the pyboard v1.1.
const UART_PINS: [Option<[&str; 2]>; 6] = [
    Some(["B6", "B7"]),
    Some(["A2", "A3"]),
    Some(["B10", "B11"]),
    Some(["A0", "A1"]),
    None,
    Some(["C6", "C7"]),
];

impl SimBoard {
    /// Gives `pin` to a peripheral.
    fn set_alt(&mut self, pin: u16, mode: PinMode, pull: Pull) {
        self.detach_timer_pin(pin);
        let Some(p) = self.pins.get_mut(usize::from(pin)) else {
            return;
        };
        p.mode = mode;
        p.pull = pull;
        if p.pwm.take().is_some() {
            self.log_pwm(pin, None);
        }
        self.touch(pin);
    }

    /// Gives the pins called `names` to a peripheral, push-pull.
    fn set_alt_by_name(&mut self, names: &[&str]) {
        for name in names {
            if let Some(pin) = pins::pin_by_name(name) {
                self.set_alt(pin, PinMode::Alt, Pull::None);
            }
        }
    }
}

/// What the ADC reads on a pin: the analog value set, else the full scale of its digital level
/// (what drives it, or its pull).
fn adc_value(p: &PinState) -> u16 {
    let high = match p.mode {
        PinMode::Input | PinMode::Analog => p.input.unwrap_or(p.pull == Pull::Up),
        _ => p.level(),
    };
    p.analog.unwrap_or(if high { 65535 } else { 0 })
}

impl Hardware for SimBoard {
    fn pin_by_name(&self, name: &str) -> Option<u16> {
        pins::pin_by_name(name)
    }

    fn pin_name(&self, pin: u16) -> String {
        match pins::pin_name(pin) {
            Some(name) => String::from(name),
            None => alloc::format!("{pin}"),
        }
    }

    fn pin_init(&mut self, pin: u16, mode: PinMode, pull: Pull) -> HwResult<()> {
        self.detach_timer_pin(pin);
        let p = self.pins.get_mut(usize::from(pin)).ok_or(ENODEV)?;
        p.mode = mode;
        p.pull = pull;
        if p.pwm.take().is_some() {
            self.log_pwm(pin, None);
        }
        self.touch(pin);
        Ok(())
    }

    fn pin_write(&mut self, pin: u16, high: bool) {
        if let Some(p) = self.pins.get_mut(usize::from(pin)) {
            p.out = high;
            self.touch(pin);
        }
    }

    /// The level an output compare drives is brought up to the clock first.
    fn pin_read(&mut self, pin: u16) -> bool {
        self.run_timers();
        self.pins.get(usize::from(pin)).is_some_and(|p| p.level())
    }

    fn pin_irq(&mut self, pin: u16, edges: u8) -> HwResult<()> {
        let p = self.pins.get_mut(usize::from(pin)).ok_or(ENODEV)?;
        p.irq = edges & (pyrite_core::hardware::IRQ_RISING | pyrite_core::hardware::IRQ_FALLING);
        p.level = p.level();
        if p.irq == 0 {
            self.irq_pending.retain(|&q| q != pin);
        }
        Ok(())
    }

    fn take_pin_event(&mut self) -> Option<u16> {
        self.irq_pending.pop_front()
    }

    fn led_count(&self) -> u8 {
        4
    }

    fn led_set(&mut self, n: u8, intensity: u8) {
        self.set_led(n, intensity);
    }

    fn led_get(&self, n: u8) -> u8 {
        self.leds
            .get(usize::from(n).wrapping_sub(1))
            .copied()
            .unwrap_or(0)
    }

    fn switch_pressed(&mut self) -> Option<bool> {
        Some(!self.pin_read(SW))
    }

    fn i2c_open(&mut self, id: I2cId, _freq: u32) -> HwResult<u8> {
        match id {
            I2cId::Hard(n @ (1 | 2)) => {
                let (scl, sda) = if n == 1 { (X9, X10) } else { (Y9, Y10) };
                self.set_alt(scl, PinMode::AltOpenDrain, Pull::Up);
                self.set_alt(sda, PinMode::AltOpenDrain, Pull::Up);
                Ok(n as u8 - 1)
            }
            I2cId::Hard(_) => Err(ENODEV),
            I2cId::Soft { scl, sda } => {
                if self.pin(scl).is_none() || self.pin(sda).is_none() {
                    return Err(ENODEV);
                }
                for pin in [scl, sda] {
                    if let Some(p) = self.pins.get_mut(usize::from(pin)) {
                        p.mode = PinMode::OpenDrain;
                        p.out = true;
                    }
                    self.touch(pin);
                }
                Ok(if (scl, sda) == (Y9, Y10) { 1 } else { 0 })
            }
        }
    }

    fn i2c_transaction(&mut self, bus: u8, addr: u8, ops: &mut [I2cOp]) -> HwResult<()> {
        let b = self.i2c.get_mut(usize::from(bus)).ok_or(ENODEV)?;
        let result = b.transaction(addr, ops);
        if self.log_i2c {
            let (written, read) = op_sizes(ops);
            self.log(Event::I2c {
                bus: bus + 1,
                addr,
                written,
                read,
                error: result.err(),
            });
        }
        result
    }

    fn spi_open(&mut self, id: i32, _baudrate: u32, _polarity: u8, _phase: u8) -> HwResult<u8> {
        let handle = match id {
            -1 => 0,
            1 | 2 => id as u8,
            _ => return Err(ENODEV),
        };
        if let Some(names) = SPI_PINS.get(usize::from(handle).wrapping_sub(1)) {
            self.set_alt_by_name(names);
        }
        self.spi_open[usize::from(handle)] = true;
        Ok(handle)
    }

    fn spi_transfer(&mut self, bus: u8, write: &[u8], read: &mut [u8]) -> HwResult<()> {
        if !self
            .spi_open
            .get(usize::from(bus))
            .copied()
            .unwrap_or(false)
        {
            return Err(ENODEV);
        }
        // MISO is wired to MOSI: each byte read is the one written with it.
        for (i, r) in read.iter_mut().enumerate() {
            *r = write.get(i).copied().unwrap_or(0);
        }
        Ok(())
    }

    fn uart_open(&mut self, id: i32, baudrate: u32) -> HwResult<u8> {
        let i = usize::try_from(id).map_err(|_| ENODEV)?.wrapping_sub(1);
        let names = UART_PINS.get(i).copied().flatten().ok_or(ENODEV)?;
        self.set_alt_by_name(&names);
        let uart = self.uarts.get_mut(i).ok_or(ENODEV)?;
        uart.open = true;
        uart.baudrate = baudrate;
        uart.clear();
        Ok(i as u8 + 1)
    }

    fn uart_write(&mut self, uart: u8, data: &[u8]) -> HwResult<usize> {
        let u = self
            .uarts
            .get_mut(usize::from(uart).wrapping_sub(1))
            .filter(|u| u.open)
            .ok_or(ENODEV)?;
        if u.loopback {
            u.receive(data);
        }
        if !data.is_empty() {
            self.log(Event::Uart {
                id: uart,
                data: Vec::from(data),
            });
        }
        Ok(data.len())
    }

    fn uart_read(&mut self, uart: u8, buf: &mut [u8]) -> HwResult<usize> {
        let u = self
            .uarts
            .get_mut(usize::from(uart).wrapping_sub(1))
            .filter(|u| u.open)
            .ok_or(ENODEV)?;
        Ok(u.read(buf))
    }

    fn uart_any(&mut self, uart: u8) -> usize {
        self.uart(uart)
            .filter(|u| u.open)
            .map_or(0, |u| u.pending())
    }

    fn adc_read_u16(&mut self, pin: u16) -> HwResult<u16> {
        match self.pin(pin) {
            Some(p) if pins::has_adc(pin) => Ok(adc_value(p)),
            _ => Err(ENODEV),
        }
    }

    /// On the pin's timer channel (`pyrite_pyboard::pwm_route`), sharing the timer's time base
    /// with its other outputs and `pyb.Timer` (see `timers`); `freq` 0 stops it and gives the
    /// pin back (an input; an LED's pin a low output).
    fn pwm_set(&mut self, pin: u16, freq: u32, duty_u16: u16) -> HwResult<()> {
        let route = pins::chip_pin(pin)
            .and_then(pyrite_pyboard::pwm_route)
            .ok_or(ENODEV)?;
        if freq > 0 {
            self.start_pwm(pin, route, Some(freq), duty_u16)
        } else {
            self.stop_pwm(pin);
            Ok(())
        }
    }

    fn pwm_freq(&mut self, pin: u16) -> Option<u32> {
        self.pwm_freq_of(pin)
    }

    /// Timers 1 to 14, counting the pyboard's timer clocks (84 MHz, 168 MHz for timers 1 and
    /// 8-11) on the board's clock.
    fn timer_info(&self, id: u8) -> Option<TimerInfo> {
        timer::index(id).map(|_| TimerInfo {
            source_freq: timer::source_freq(id),
            channels: pyrite_pyboard::channel_count(id),
        })
    }

    fn timer_init(&mut self, id: u8, config: &TimerConfig) -> HwResult<()> {
        let (t, now) = self.timer(id).ok_or(ENODEV)?;
        t.init(now, config);
        self.show_timer(id);
        Ok(())
    }

    /// The pins its channels had are given back (see `timers`).
    fn timer_deinit(&mut self, id: u8) {
        self.stop_timer(id);
    }

    fn timer_registers(&mut self, id: u8) -> (u32, u32) {
        self.timer(id).map_or((0, 0), |(t, _)| t.registers())
    }

    /// Takes effect at once; every output of the timer follows the new period.
    fn timer_set_registers(&mut self, id: u8, prescaler: u32, period: u32) {
        if let Some((t, now)) = self.timer(id) {
            t.retime(now, prescaler, period);
            self.show_timer(id);
        }
    }

    fn timer_counter(&mut self, id: u8) -> u32 {
        self.timer(id).map_or(0, |(t, now)| t.counter(now))
    }

    fn timer_set_counter(&mut self, id: u8, value: u32) {
        if let Some((t, now)) = self.timer(id) {
            t.set_counter(now, value);
        }
    }

    fn timer_irq(&mut self, id: u8, on: bool) {
        if let Some((t, _)) = self.timer(id) {
            t.set_update_irq(on);
        }
    }

    fn timer_take_update(&mut self, id: u8) -> bool {
        self.timer(id).is_some_and(|(t, _)| t.take_update())
    }

    fn timer_channel(
        &mut self,
        id: u8,
        channel: u8,
        pin: Option<u16>,
        mode: ChannelMode,
        compare: u32,
    ) -> HwResult<()> {
        self.set_timer_channel(id, channel, pin, mode, compare)
    }

    fn timer_channel_irq(&mut self, id: u8, channel: u8, on: bool) {
        if let Some((t, _)) = self.timer(id) {
            t.set_channel_irq(channel.wrapping_sub(1), on);
        }
    }

    fn timer_take_channels(&mut self, id: u8) -> u8 {
        self.timer(id).map_or(0, |(t, _)| t.take_channels())
    }

    fn timer_compare(&mut self, id: u8, channel: u8) -> u32 {
        let ch = usize::from(channel).wrapping_sub(1);
        self.timer(id)
            .and_then(|(t, _)| t.channel(ch))
            .map_or(0, |c| c.compare)
    }

    /// A PWM output shows its new duty at once (not at the next update).
    fn timer_set_compare(&mut self, id: u8, channel: u8, value: u32) {
        let ch = usize::from(channel).wrapping_sub(1);
        if let Some((t, _)) = self.timer(id) {
            let mask = t.mask();
            if let Some(Some(c)) = t.slot(ch) {
                c.compare = value & mask;
            }
            self.show_timer(id);
        }
    }

    fn flash_blocks(&self) -> u32 {
        crate::flash::FLASH_BLOCKS
    }

    fn flash_read(&mut self, block: u32, buf: &mut [u8]) -> HwResult<()> {
        self.flash.read(block, buf)
    }

    fn flash_write(&mut self, block: u32, data: &[u8]) -> HwResult<()> {
        self.flash.write(block, data)
    }

    fn unique_id(&self) -> Vec<u8> {
        Vec::from(UNIQUE_ID)
    }

    fn freq(&self) -> u32 {
        CPU_FREQ
    }

    fn request_reset(&mut self, kind: ResetKind) {
        self.reset_request = Some(kind);
    }

    fn reset_cause(&self) -> u8 {
        self.reset_cause
    }
}
