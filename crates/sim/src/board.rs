//! The simulated pyboard: its state, and the methods a UI or a test uses to look at it and to
//! play the outside world.
//!
//! Everything is plain data changed only by method calls: a program changes it through the
//! `Hardware` trait (in `hardware.rs`), the UI through the methods here. Each change of a
//! pin goes through [`SimBoard::touch`], which keeps the LEDs, the edge detector and the event
//! log in step with the pin, so the pin view and the LED view of the board always agree.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::vec::Vec;

use pyrite_core::hardware::{PinMode, Pull, ResetKind, IRQ_FALLING, IRQ_RISING};

use crate::devices::{Eeprom, Memory, Sht31, Ssd1306};
use crate::event::Event;
use crate::flash::Flash;
use crate::i2c::I2cBus;
use crate::pins::{self, PinState, LED_BLUE, LED_GREEN, LED_RED, LED_YELLOW, PIN_COUNT, SW};
use crate::timer::{self, Timer};
use crate::timers::Clock;
use crate::uart::Uart;

/// The LED pins, LED 1 to 4: red, green, yellow, blue.
pub const LED_PINS: [u16; 4] = [LED_RED, LED_GREEN, LED_YELLOW, LED_BLUE];

/// The PWM frequency of a dimmed LED whose timer is not running yet (MicroPython's: a 1 MHz
/// count with a period of 10000).
const LED_PWM_FREQ: u32 = 100;

/// How many events the log keeps when nobody takes them; older ones are dropped.
const MAX_EVENTS: usize = 4096;

/// A pin's PWM output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pwm {
    /// Frequency in Hz.
    pub freq: u32,
    /// Duty cycle, `duty_u16`/65535.
    pub duty_u16: u16,
}

/// `machine.reset_cause()` after power-up.
pub(crate) const PWRON_RESET: u8 = 1;
/// `machine.reset_cause()` after `machine.reset()`.
pub(crate) const HARD_RESET: u8 = 2;

/// A simulated pyboard v1.1.
///
/// I2C bus 1 (`X9`/`X10`) carries the board's simulated chips: an SSD1306 OLED at 0x3C, a
/// register memory at 0x42, an SHT31 sensor at 0x44 and a 24LC256 EEPROM at 0x50. Bus 2
/// (`Y9`/`Y10`) is empty until a UI wires something to it. Software I2C sees the devices of
/// bus 2 on pins `Y9`/`Y10` and those of bus 1 on any other pair. SPI buses 1 and 2 (and
/// software SPI) have MISO wired to MOSI. UARTs 1, 2, 3, 4 and 6 exist, as on the board,
/// each with TX looped back to RX until the UI says otherwise. The flash storage has 2048
/// blocks of 512 bytes (1 MiB). Timers 1 to 14 count on the clock a UI gives
/// ([`SimBoard::set_clock`]); see `timers`.
pub struct SimBoard {
    pub(crate) pins: Vec<PinState>,
    pub(crate) leds: [u8; 4],
    pub(crate) irq_pending: VecDeque<u16>,
    pub(crate) events: VecDeque<Event>,
    pub(crate) i2c: [I2cBus; 2],
    pub(crate) log_i2c: bool,
    pub(crate) spi_open: [bool; 3],
    /// UARTs 1 to 6 by index `id - 1`; index 4 (UART 5, not on the board's pins) is never
    /// opened.
    pub(crate) uarts: [Uart; 6],
    pub(crate) reset_request: Option<ResetKind>,
    pub(crate) reset_cause: u8,
    /// The file storage; it keeps its contents through every reset.
    pub(crate) flash: Flash,
    /// Timers 1 to 14 by index `id - 1`.
    pub(crate) timers: [Timer; timer::COUNT],
    /// What the timers count on (`None`: time stands still).
    pub(crate) clock: Option<Clock>,
}

impl Default for SimBoard {
    fn default() -> SimBoard {
        SimBoard::new()
    }
}

impl SimBoard {
    /// A board as after power-up, with its chips on I2C bus 1.
    pub fn new() -> SimBoard {
        let mut bus1 = I2cBus::new();
        bus1.add(Box::new(Ssd1306::new(0x3c)));
        bus1.add(Box::new(Memory::new(0x42)));
        bus1.add(Box::new(Sht31::new(0x44)));
        bus1.add(Box::new(Eeprom::new(0x50)));
        let mut board = SimBoard {
            pins: (0..PIN_COUNT).map(|_| PinState::new()).collect(),
            leds: [0; 4],
            irq_pending: VecDeque::new(),
            events: VecDeque::new(),
            i2c: [bus1, I2cBus::new()],
            log_i2c: false,
            spi_open: [false; 3],
            uarts: core::array::from_fn(|_| Uart::new()),
            reset_request: None,
            reset_cause: PWRON_RESET,
            flash: Flash::new(),
            timers: core::array::from_fn(|i| Timer::new(i as u8 + 1)),
            clock: None,
        };
        board.power_up_pins();
        board.events.clear();
        board
    }

    /// Puts every pin as the firmware leaves it at start-up: LEDs outputs driving low, the
    /// switch an input pulled up, the rest inputs without pull.
    fn power_up_pins(&mut self) {
        self.irq_pending.clear();
        for pin in 0..PIN_COUNT {
            if let Some(p) = self.pins.get_mut(usize::from(pin)) {
                let input = p.input;
                let analog = p.analog;
                *p = PinState {
                    input,
                    analog,
                    level: p.level,
                    logged: p.logged,
                    ..PinState::new()
                };
                if LED_PINS.contains(&pin) {
                    p.mode = PinMode::Output;
                } else if pin == SW {
                    p.pull = Pull::Up;
                }
            }
            self.touch(pin);
        }
    }

    // ---- looking at the board ----

    /// Pin `pin`'s state (pins are numbered as in [`pins`]; `None` past the last).
    pub fn pin(&self, pin: u16) -> Option<&PinState> {
        self.pins.get(usize::from(pin))
    }

    /// The four LEDs' intensities, 0..=255, red, green, yellow, blue.
    pub fn leds(&self) -> [u8; 4] {
        self.leds
    }

    /// Takes the events logged since the last call, oldest first (the timers brought up to
    /// the clock first).
    pub fn take_events(&mut self) -> Vec<Event> {
        self.run_timers();
        self.events.drain(..).collect()
    }

    /// Whether I2C transactions go to the event log (off by default: a scan is 112 of them).
    pub fn set_log_i2c(&mut self, on: bool) {
        self.log_i2c = on;
    }

    /// I2C bus `n` (1 or 2), with the chips on it.
    pub fn i2c_bus(&self, n: u8) -> Option<&I2cBus> {
        self.i2c.get(usize::from(n).wrapping_sub(1))
    }

    /// I2C bus `n` (1 or 2), to change its chips or wire others to it.
    pub fn i2c_bus_mut(&mut self, n: u8) -> Option<&mut I2cBus> {
        self.i2c.get_mut(usize::from(n).wrapping_sub(1))
    }

    /// The OLED on bus 1, to draw it.
    pub fn oled(&self) -> Option<&Ssd1306> {
        self.i2c[0].device::<Ssd1306>()
    }

    /// The EEPROM on bus 1.
    pub fn eeprom(&self) -> Option<&Eeprom> {
        self.i2c[0].device::<Eeprom>()
    }

    /// UART `id` (1..=6).
    pub fn uart(&self, id: u8) -> Option<&Uart> {
        self.uarts.get(usize::from(id).wrapping_sub(1))
    }

    /// UART `id` (1..=6), to feed its RX or change its loopback.
    pub fn uart_mut(&mut self, id: u8) -> Option<&mut Uart> {
        self.uarts.get_mut(usize::from(id).wrapping_sub(1))
    }

    /// The reset a program asked for (`machine.reset()`...), once; the caller carries it out
    /// with [`SimBoard::reset`].
    pub fn take_reset(&mut self) -> Option<ResetKind> {
        self.reset_request.take()
    }

    // ---- playing the outside world ----

    /// Drives `pin` from outside to `high`, as a wire to 3.3 V or to ground would.
    pub fn set_input(&mut self, pin: u16, high: bool) {
        self.set_external(pin, Some(high));
    }

    /// Leaves `pin` unconnected: as an input it then reads its pull.
    pub fn disconnect(&mut self, pin: u16) {
        self.set_external(pin, None);
    }

    fn set_external(&mut self, pin: u16, level: Option<bool>) {
        if let Some(p) = self.pins.get_mut(usize::from(pin)) {
            p.input = level;
            self.touch(pin);
        }
    }

    /// Sets the voltage the ADC reads on `pin`, 0..=65535 for 0..3.3 V.
    pub fn set_analog(&mut self, pin: u16, value: u16) {
        if let Some(p) = self.pins.get_mut(usize::from(pin)) {
            p.analog = Some(value);
        }
    }

    /// Presses (`true`) or releases the user switch, which pulls `SW` to ground.
    pub fn press(&mut self, pressed: bool) {
        self.set_external(SW, if pressed { Some(false) } else { None });
    }

    /// Sets what the SHT31 on bus 1 measures: °C and %RH.
    pub fn set_climate(&mut self, celsius: f32, rh: f32) {
        if let Some(s) = self.i2c[0].device_mut::<Sht31>() {
            s.set_climate(celsius, rh);
        }
    }

    /// Carries out a reset. `Soft` ends what the program set going (pin interrupts, PWM,
    /// the timers, the buses) and keeps the pins but those the timers had; `Hard` and
    /// `Bootloader` restart the whole chip, pins included, and `machine.reset_cause()` then
    /// says `HARD_RESET`. The chips on the buses keep their state: they are not reset with
    /// the microcontroller.
    pub fn reset(&mut self, kind: ResetKind) {
        self.irq_pending.clear();
        for p in &mut self.pins {
            p.irq = 0;
        }
        self.stop_timers();
        for pin in 0..PIN_COUNT {
            let had_pwm = self
                .pins
                .get_mut(usize::from(pin))
                .and_then(|p| p.pwm.take())
                .is_some();
            if had_pwm {
                self.log_pwm(pin, None);
                self.touch(pin);
            }
        }
        self.spi_open = [false; 3];
        for u in &mut self.uarts {
            u.open = false;
            u.clear();
        }
        if kind != ResetKind::Soft {
            self.power_up_pins();
            self.reset_cause = HARD_RESET;
        }
    }

    // ---- keeping views in step ----

    /// After any change of pin `pin`: fires its interrupt on a watched edge, updates the LED
    /// it drives, logs a new output level, and gives an edge to the timer channel reading
    /// the pin.
    pub(crate) fn touch(&mut self, pin: u16) {
        let Some(p) = self.pins.get_mut(usize::from(pin)) else {
            return;
        };
        let level = p.level();
        let edge = level != p.level;
        if edge {
            p.level = level;
            let edge = if level { IRQ_RISING } else { IRQ_FALLING };
            if p.irq & edge != 0 && !self.irq_pending.contains(&pin) {
                self.irq_pending.push_back(pin);
            }
        }
        let driven = p.driven();
        if let Some(n) = LED_PINS.iter().position(|&l| l == pin) {
            p.logged = driven;
            let intensity = match (p.mode, p.pwm) {
                (PinMode::Alt, Some(pwm)) => (pwm.duty_u16 >> 8) as u8,
                (PinMode::Output, _) if p.out => 255,
                _ => 0,
            };
            if self.leds[n] != intensity {
                self.leds[n] = intensity;
                log(
                    &mut self.events,
                    Event::Led {
                        n: n as u8 + 1,
                        intensity,
                    },
                );
            }
        } else if driven != p.logged {
            p.logged = driven;
            if let (Some(high), Some(name)) = (driven, pins::pin_name(pin)) {
                log(&mut self.events, Event::Pin { name, high });
            }
        }
        if edge {
            self.timer_edge(pin, level);
        }
    }

    /// Sets LED `n` (1..=4) as `pyb.LED` does: on an LED with a timer output (3 and 4, the
    /// pyboard v1.1's `MICROPY_HW_LEDn_PWM`) an intensity strictly between 0 and 255 is a PWM
    /// duty on its timer channel, at the frequency the timer runs at, else at 100 Hz;
    /// otherwise the pin is an output, high when on.
    pub(crate) fn set_led(&mut self, n: u8, intensity: u8) {
        let Some(&pin) = LED_PINS.get(usize::from(n).wrapping_sub(1)) else {
            return;
        };
        let route = pins::chip_pin(pin).and_then(pyrite_pyboard::pwm_route);
        if let (Some(route), 1..=254) = (route, intensity) {
            let running = timer::index(route.timer)
                .and_then(|i| self.timers.get(i))
                .is_some_and(|t| t.running);
            let freq = (!running).then_some(LED_PWM_FREQ);
            if self
                .start_pwm(pin, route, freq, u16::from(intensity) * 257)
                .is_ok()
            {
                return;
            }
        }
        self.detach_timer_pin(pin);
        if let Some(p) = self.pins.get_mut(usize::from(pin)) {
            p.mode = PinMode::Output;
            p.pwm = None;
            p.out = intensity > 0;
        }
        self.touch(pin);
    }

    /// Logs a PWM change of a pin that is not an LED's (those log their LED's intensity).
    pub(crate) fn log_pwm(&mut self, pin: u16, pwm: Option<Pwm>) {
        if LED_PINS.contains(&pin) {
            return;
        }
        if let Some(name) = pins::pin_name(pin) {
            let (freq, duty_u16) = pwm.map_or((0, 0), |p| (p.freq, p.duty_u16));
            self.log(Event::Pwm {
                name,
                freq,
                duty_u16,
            });
        }
    }

    /// Appends `event` to the log.
    pub(crate) fn log(&mut self, event: Event) {
        log(&mut self.events, event);
    }
}

/// Appends `event` to `events`, dropping the oldest beyond [`MAX_EVENTS`].
fn log(events: &mut VecDeque<Event>, event: Event) {
    if events.len() >= MAX_EVENTS {
        events.pop_front();
    }
    events.push_back(event);
}
