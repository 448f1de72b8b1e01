//! What `machine` and `pyb` reach on this board: the pins by their pyboard v1.1 names, the four
//! LEDs (3 and 4 dimmable) and the USR switch, I2C buses 1 and 2, SPI buses 1 and 2,
//! `SoftI2C` and `SoftSPI` on any pins, UARTs 2, 3 and 6, ADC1, PWM on the pins with a timer
//! channel, timers 1 to 14 for `pyb.Timer`, the storage behind `pyb.Flash()` and the chip's
//! facts.
//!
//! Pins, LEDs, the switch and the bit-banged buses go through `pyrite-hal`'s board (names,
//! polled pin interrupts, LED state, `SoftI2C`/`SoftSPI` timed by `clock::BusyDelay`); I2C,
//! SPI, UART, ADC, PWM and the timers, which have no bounded `embedded-hal` driver here, through
//! this firmware's own (`i2c`, `spi`, `uart`, `adc`, `pwm` over `timer`). A timer channel that
//! drives a pin (PWM, a `pyb.Timer` channel, or LED 3 or 4 at an intensity between 0 and 255)
//! has the pin until `Pin.init`, the PWM's `deinit` or the timer's `deinit` takes it back.
//! Under QEMU, which has no GPIO or I2C, pins and LEDs keep their state in the board, an I2C
//! transfer times out, an SPI transfer reads zeros (nothing is on QEMU's buses), the
//! bit-banged buses see idle lines (nobody answers), and the ADC gives QEMU's values; of the
//! timers QEMU models TIM2-5 (counting a clock of its own), and the others' registers ignore
//! writes.
//!
//! The storage is `flash`'s: the internal flash's power-loss-safe block log on the pyboard, a
//! RAM disk under QEMU.

use core::ops::Deref;

use pyrite_core::hardware::{
    ChannelMode, Hardware, HwResult, I2cId, I2cOp, PinMode, Pull, ResetKind, SpiPins, TimerConfig,
    TimerInfo, ENODEV,
};
use pyrite_hal::{BoardPin, HalBoard, I2cBus, SOFT_HANDLES};
use pyrite_pyboard::{self as pyboard, HEADER, LEDS};
use stm32f4xx_hal::pac;
use stm32f4xx_hal::rcc::{Enable, Rcc};

use crate::adc::Adc;
use crate::clock::BusyDelay;
use crate::flash::Storage;
use crate::gpio::{self, pin, GpioPin, PinCode};
use crate::i2c::I2cController;
use crate::pwm::{self, Pwm};
use crate::spi::SpiBuses;
use crate::timer::{self, Timer};
use crate::uart::Uarts;

/// The pins offered to Python, by the board's handles: the header pins, then the LEDs in
/// `pyb.LED` order (`pyrite_pyboard`'s `HEADER` and `LEDS`), each by its board name and its CPU
/// name; `X17` is also the USR switch (`SW`).
fn offered(handle: usize) -> Option<(&'static str, PinCode)> {
    let led = handle.checked_sub(FIRST_LED);
    HEADER.get(handle).or_else(|| LEDS.get(led?)).copied()
}

/// How many pins are offered.
const OFFERED: usize = HEADER.len() + LEDS.len();
/// The handle of the first LED.
const FIRST_LED: usize = HEADER.len();

/// The PWM frequency of a dimmed LED whose timer is not running yet (MicroPython's: a 10 ms
/// period).
const LED_PWM_HZ: u32 = 100;

/// I2C buses 1 and 2: SCL and SDA (alternate function 4, open drain, pulled up).
const I2C_PINS: [(PinCode, PinCode); 2] =
    [(pin('B', 6), pin('B', 7)), (pin('B', 10), pin('B', 11))];
/// The I2C alternate function of those pins.
const I2C_AF: u8 = 4;

/// The peripherals the board takes over at start-up.
pub struct Peripherals {
    pub i2c1: pac::I2C1,
    pub i2c2: pac::I2C2,
    pub spi1: pac::SPI1,
    pub spi2: pac::SPI2,
    pub usart2: pac::USART2,
    pub usart3: pac::USART3,
    pub usart6: pac::USART6,
    pub adc1: pac::ADC1,
    pub adc_common: pac::ADC_COMMON,
    pub flash: pac::FLASH,
}

/// The registers of peripheral `p`, which the board owns from now on.
fn owned<P: Deref>(p: P) -> &'static P::Target {
    let regs: *const P::Target = &*p;
    // SAFETY: a PAC peripheral is a zero-sized token for a register block at a fixed address,
    // valid for the program's life; `p` was taken from `pac::Peripherals` and is given up
    // here, so the board is the only user of these registers.
    unsafe { &*regs }
}

/// The board's hardware.
pub struct Board {
    pins: HalBoard,
    /// I2C buses 1 and 2.
    i2c: [I2cController; 2],
    /// SPI buses 1 and 2.
    spi: SpiBuses,
    uarts: Uarts,
    adc: Adc,
    pwm: Pwm,
    storage: Storage,
    /// The core clock in Hz.
    sysclk: u32,
}

impl Board {
    /// The board; called once, at start-up. The LEDs are off, the switch's pin is an input
    /// with its pull-up, the other pins are as the chip left them until `Pin.init`.
    pub fn new(sysclk: u32, rcc: &mut Rcc, p: Peripherals) -> Board {
        gpio::enable_ports(rcc);
        pac::I2C1::enable(rcc);
        pac::I2C2::enable(rcc);
        pac::SPI1::enable(rcc);
        pac::SPI2::enable(rcc);
        pac::USART2::enable(rcc);
        pac::USART3::enable(rcc);
        pac::USART6::enable(rcc);
        pac::ADC1::enable(rcc);
        enable_timers(rcc);
        let (pclk1, pclk2) = (rcc.clocks.pclk1().raw(), rcc.clocks.pclk2().raw());
        let (timclk1, timclk2) = (rcc.clocks.timclk1().raw(), rcc.clocks.timclk2().raw());

        let mut pins = HalBoard::new();
        for i in 0..OFFERED {
            let Some((name, code)) = offered(i) else {
                continue;
            };
            let led = i >= FIRST_LED;
            let mut gpio = GpioPin::new(code);
            if led {
                let _ = gpio.init(PinMode::Output, Pull::None);
            } else if code == pyboard::SW {
                let _ = gpio.init(PinMode::Input, Pull::Up);
            }
            let handle = pins.add_pin(name, None, gpio);
            if let Some(cpu) = pyboard::cpu_name(code) {
                pins.add_alias(cpu, handle);
            }
            if led {
                pins.add_led(handle, false);
            } else if code == pyboard::SW {
                pins.add_alias("SW", handle);
                pins.set_switch(handle, true);
            }
        }
        pins.set_unique_id(&crate::chip::unique_id());
        pins.set_freq(sysclk);
        pins.set_delay(BusyDelay::new(sysclk));

        Board {
            pins,
            i2c: [
                I2cController::new(owned(p.i2c1), pclk1),
                I2cController::new(owned(p.i2c2), pclk1),
            ],
            spi: SpiBuses::new([owned(p.spi1), owned(p.spi2)], [pclk2, pclk1]),
            uarts: Uarts::new(
                [owned(p.usart2), owned(p.usart3), owned(p.usart6)],
                (pclk1, pclk2),
            ),
            adc: Adc::new(owned(p.adc1), owned(p.adc_common)),
            pwm: Pwm::new(timclk1, timclk2),
            storage: Storage::new(p.flash),
            sysclk,
        }
    }
}

/// Turns on the clocks of timers 1 to 14 and unmasks their interrupts (a timer interrupts only
/// once `pyb.Timer` turns its update interrupt on).
fn enable_timers(rcc: &mut Rcc) {
    pac::TIM1::enable(rcc);
    pac::TIM2::enable(rcc);
    pac::TIM3::enable(rcc);
    pac::TIM4::enable(rcc);
    pac::TIM5::enable(rcc);
    pac::TIM6::enable(rcc);
    pac::TIM7::enable(rcc);
    pac::TIM8::enable(rcc);
    pac::TIM9::enable(rcc);
    pac::TIM10::enable(rcc);
    pac::TIM11::enable(rcc);
    pac::TIM12::enable(rcc);
    pac::TIM13::enable(rcc);
    pac::TIM14::enable(rcc);
    timer::enable_interrupts();
}

impl Board {
    /// The pin code of handle `pin`.
    fn code(pin: u16) -> HwResult<PinCode> {
        offered(usize::from(pin))
            .map(|(_, code)| code)
            .ok_or(ENODEV)
    }

    /// Drives pin `pin` from its timer channel with `duty`/65535 (`ENODEV` without one), at
    /// `freq` Hz or (`None`) with the time base its timer runs with; a pin the channel drove
    /// before goes back to a low output.
    fn pwm_start(&mut self, pin: u16, freq: Option<u32>, duty: u16) -> HwResult<()> {
        let route = pyboard::pwm_route(Board::code(pin)?).ok_or(ENODEV)?;
        let before = self.pwm.start(pin, route, freq, duty)?;
        gpio::set_alternate(route.pin, route.af, false, Pull::None);
        self.displaced(before);
        Ok(())
    }

    /// A pin whose timer channel another pin took: a low output.
    fn displaced(&mut self, pin: Option<u16>) {
        if let Some(old) = pin {
            self.pins.pin_write(old, false);
            let _ = self.pins.pin_init(old, PinMode::Output, Pull::None);
        }
    }

    /// A pin a timer channel stopped driving: an LED's pin a low output (the LED off, and
    /// ready for `pyb.LED`), any other an input, not driven.
    fn give_back(&mut self, pin: u16) -> HwResult<()> {
        if usize::from(pin) >= FIRST_LED {
            self.pins.pin_write(pin, false);
            self.pins.pin_init(pin, PinMode::Output, Pull::None)
        } else {
            self.pins.pin_init(pin, PinMode::Input, Pull::None)
        }
    }

    /// Timer `id` and its channel `channel` (from 1), if it has them.
    fn channel_of(id: u8, channel: u8) -> Option<(Timer, u8)> {
        let timer = Timer::new(id)?;
        let ch = channel.checked_sub(1).filter(|&c| c < timer.channels())?;
        Some((timer, ch))
    }

    /// The pin of LED `n` (1-based).
    fn led_pin(n: u8) -> Option<u16> {
        let i = usize::from(n).checked_sub(1)?;
        (i < LEDS.len()).then_some((FIRST_LED + i) as u16)
    }
}

impl Hardware for Board {
    pyrite_hal::hal_board_methods!(pins, lookups);

    /// A pin driven by a timer channel is given back to the GPIO first.
    fn pin_init(&mut self, pin: u16, mode: PinMode, pull: Pull) -> HwResult<()> {
        self.pwm.stop(pin);
        self.pins.pin_init(pin, mode, pull)
    }

    fn pin_write(&mut self, pin: u16, high: bool) {
        self.pins.pin_write(pin, high)
    }

    /// LEDs 3 and 4 between 0 and 255 are dimmed by their timer channel (at the timer's
    /// frequency if it runs for other pins, else at 100 Hz), as on MicroPython's pyboard;
    /// 0, 255 and LEDs 1 and 2 are the pin's level.
    fn led_set(&mut self, n: u8, intensity: u8) {
        let Some(pin) = Board::led_pin(n) else {
            return;
        };
        let dimmable = Board::code(pin).ok().and_then(pyboard::pwm_route);
        if let (Some(route), 1..=254) = (dimmable, intensity) {
            let freq = (!self.pwm.running(route)).then_some(LED_PWM_HZ);
            if self
                .pwm_start(pin, freq, u16::from(intensity) * 257)
                .is_ok()
            {
                return;
            }
        }
        let was_dimmed = self.pwm.stop(pin);
        self.pins.led_set(n, intensity);
        if was_dimmed {
            let _ = self.pins.pin_init(pin, PinMode::Output, Pull::None);
        }
    }

    /// A dimmed LED's intensity is its channel's duty (so an LED pin driven by
    /// `machine.PWM` shows its duty too).
    fn led_get(&self, n: u8) -> u8 {
        match Board::led_pin(n).and_then(|pin| self.pwm.duty_of(pin)) {
            Some(duty) => (duty >> 8) as u8,
            None => self.pins.led_get(n),
        }
    }

    /// Buses 1 and 2 on their controllers; `SoftI2C` bit-banged by the pins' board.
    fn i2c_open(&mut self, id: I2cId, freq: u32) -> HwResult<u8> {
        if let I2cId::Soft { .. } = id {
            return self.pins.i2c_open(id, freq);
        }
        let I2cId::Hard(n @ (1 | 2)) = id else {
            return Err(ENODEV);
        };
        let i = n as usize - 1;
        let (&(scl, sda), bus) = I2C_PINS.get(i).zip(self.i2c.get_mut(i)).ok_or(ENODEV)?;
        bus.configure(freq)?;
        gpio::set_alternate(scl, I2C_AF, true, Pull::Up);
        gpio::set_alternate(sda, I2C_AF, true, Pull::Up);
        Ok(i as u8)
    }

    fn i2c_transaction(&mut self, bus: u8, addr: u8, ops: &mut [I2cOp]) -> HwResult<()> {
        if bus >= SOFT_HANDLES {
            return self.pins.i2c_transaction(bus, addr, ops);
        }
        self.i2c
            .get_mut(usize::from(bus))
            .ok_or(ENODEV)?
            .run(addr, ops)
    }

    fn spi_open(&mut self, id: i32, baudrate: u32, polarity: u8, phase: u8) -> HwResult<u8> {
        self.spi.open(id, baudrate, polarity, phase)
    }

    /// `SoftSPI`, bit-banged by the pins' board.
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
        if bus >= SOFT_HANDLES {
            return self.pins.spi_transfer(bus, write, read);
        }
        self.spi.transfer(bus, write, read)
    }

    fn uart_open(&mut self, id: i32, baudrate: u32) -> HwResult<u8> {
        self.uarts.open(id, baudrate)
    }

    fn uart_write(&mut self, uart: u8, data: &[u8]) -> HwResult<usize> {
        self.uarts.write(uart, data)
    }

    fn uart_read(&mut self, uart: u8, buf: &mut [u8]) -> HwResult<usize> {
        self.uarts.read(uart, buf)
    }

    fn uart_any(&mut self, uart: u8) -> usize {
        self.uarts.any(uart)
    }

    fn adc_read_u16(&mut self, pin: u16) -> HwResult<u16> {
        let raw = self.adc.read(Board::code(pin)?)?;
        // 12 bits to 16, as MicroPython scales: the top bits repeated below.
        Ok(raw << 4 | raw >> 8)
    }

    /// PWM on the pins with a timer channel (see `pwm`); `freq` 0 stops it and leaves the
    /// pin an input, not driven (an LED's pin a low output: the LED off, and ready for
    /// `pyb.LED`).
    fn pwm_set(&mut self, pin: u16, freq: u32, duty_u16: u16) -> HwResult<()> {
        pyboard::pwm_route(Board::code(pin)?).ok_or(ENODEV)?;
        if freq > 0 {
            return self.pwm_start(pin, Some(freq), duty_u16);
        }
        if self.pwm.stop(pin) {
            self.give_back(pin)?;
        }
        Ok(())
    }

    /// The frequency of the pin's timer, from its prescaler and period registers (which
    /// `pyb.Timer` may have set), while `machine.PWM` or a dimmed LED drives the pin.
    fn pwm_freq(&mut self, pin: u16) -> Option<u32> {
        self.pwm.freq_of(pin)
    }

    /// Timers 1 to 14, counting their APB bus's timer clock.
    fn timer_info(&self, id: u8) -> Option<TimerInfo> {
        let timer = Timer::new(id)?;
        Some(TimerInfo {
            source_freq: self.pwm.clock(timer),
            channels: timer.channels(),
        })
    }

    fn timer_init(&mut self, id: u8, config: &TimerConfig) -> HwResult<()> {
        let timer = Timer::new(id).ok_or(ENODEV)?;
        self.pwm.init(timer, config);
        Ok(())
    }

    /// The pins the timer's channels drove are given back as `PWM.deinit` gives them.
    fn timer_deinit(&mut self, id: u8) {
        let Some(timer) = Timer::new(id) else {
            return;
        };
        for pin in self.pwm.deinit(timer).into_iter().flatten() {
            let _ = self.give_back(pin);
        }
    }

    fn timer_registers(&mut self, id: u8) -> (u32, u32) {
        Timer::new(id).map_or((0, 0), Timer::time_base)
    }

    fn timer_set_registers(&mut self, id: u8, prescaler: u32, period: u32) {
        if let Some(timer) = Timer::new(id) {
            self.pwm.set_time_base(timer, prescaler, period);
        }
    }

    fn timer_counter(&mut self, id: u8) -> u32 {
        Timer::new(id).map_or(0, Timer::counter)
    }

    fn timer_set_counter(&mut self, id: u8, value: u32) {
        if let Some(timer) = Timer::new(id) {
            timer.set_counter(value);
        }
    }

    fn timer_irq(&mut self, id: u8, on: bool) {
        if let Some(timer) = Timer::new(id) {
            timer.set_update_irq(on);
        }
    }

    fn timer_take_update(&mut self, id: u8) -> bool {
        Timer::new(id).is_some_and(Timer::take_update)
    }

    /// A pin takes the alternate function of its output of the channel (`pwm::output_of`; for
    /// an encoder, of channel 1 or 2), in every mode: an input capture's pin is the timer's
    /// input through the same function.
    fn timer_channel(
        &mut self,
        id: u8,
        channel: u8,
        pin: Option<u16>,
        mode: ChannelMode,
        compare: u32,
    ) -> HwResult<()> {
        let (timer, mut ch) = Board::channel_of(id, channel).ok_or(ENODEV)?;
        let route = match pin {
            Some(p) => {
                let channels: &[u8] = match mode {
                    ChannelMode::Encoder { .. } => &[1, 2],
                    _ => &[ch + 1],
                };
                let route = pwm::output_of(Board::code(p)?, timer, channels)?;
                (_, ch) = pwm::channel_of(route).ok_or(ENODEV)?;
                Some(route)
            }
            None => None,
        };
        let before = self.pwm.channel(timer, ch, pin, mode, compare);
        if let Some(r) = route {
            gpio::set_alternate(r.pin, r.af, false, Pull::None);
        }
        self.displaced(before);
        Ok(())
    }

    fn timer_channel_irq(&mut self, id: u8, channel: u8, on: bool) {
        if let Some((timer, ch)) = Board::channel_of(id, channel) {
            timer.set_channel_irq(ch, on);
        }
    }

    fn timer_take_channels(&mut self, id: u8) -> u8 {
        Timer::new(id).map_or(0, Timer::take_channels)
    }

    fn timer_compare(&mut self, id: u8, channel: u8) -> u32 {
        Board::channel_of(id, channel).map_or(0, |(timer, ch)| timer.compare(ch))
    }

    fn timer_set_compare(&mut self, id: u8, channel: u8, value: u32) {
        if let Some((timer, ch)) = Board::channel_of(id, channel) {
            timer.set_compare(ch, value);
        }
    }

    fn flash_blocks(&self) -> u32 {
        self.storage.blocks()
    }

    fn flash_read(&mut self, block: u32, buf: &mut [u8]) -> HwResult<()> {
        self.storage.read(block, buf)
    }

    fn flash_write(&mut self, block: u32, data: &[u8]) -> HwResult<()> {
        self.storage.write(block, data)
    }

    fn unique_id(&self) -> alloc::vec::Vec<u8> {
        self.pins.unique_id()
    }

    fn freq(&self) -> u32 {
        self.sysclk
    }

    /// The main loop carries the reset out once the program has unwound.
    fn request_reset(&mut self, _kind: ResetKind) {}
}
