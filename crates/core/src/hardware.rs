//! The board's hardware, as the `machine` and `pyb` modules see it.
//!
//! A port that has hardware returns it from [`crate::port::Port::hardware`]. Everything is
//! addressed by small numbers the port hands out: a pin is the `u16` that
//! [`Hardware::pin_by_name`] gives, a bus is the `u8` that an `*_open` call gives. Errors are
//! `errno` numbers, raised as `OSError` by the Python side. Every method has a default that says
//! "no such hardware", so a port supplies only what its board has.
//!
//! On boards these map onto `embedded-hal` 1.0 drivers; on the host and in the browser onto the
//! simulated pyboard.

use alloc::string::String;
use alloc::vec::Vec;

/// A hardware result: an error is an `errno` number.
pub type HwResult<T> = Result<T, i32>;

/// `EIO`: a bus error, or a data byte not acknowledged.
pub const EIO: i32 = 5;
/// `EINVAL`: a bad argument for this hardware.
pub const EINVAL: i32 = 22;
/// `ENODEV`: no device answered its address, or no such peripheral.
pub const ENODEV: i32 = 19;
/// `ETIMEDOUT`: the bus did not finish in time.
pub const ETIMEDOUT: i32 = 110;
/// `ERANGE`: a value below what this hardware can do (a PWM frequency too low for its timer;
/// one too high is `EINVAL`).
pub const ERANGE: i32 = 34;

/// The usual size of a flash storage block in bytes: [`Hardware::flash_block_size`]'s default.
pub const FLASH_BLOCK_SIZE: usize = 512;

/// How a pin is driven (`machine.Pin.IN`, `OUT`, `OPEN_DRAIN`, `ALT`, `ALT_OPEN_DRAIN`,
/// `ANALOG`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinMode {
    Input,
    Output,
    OpenDrain,
    Alt,
    AltOpenDrain,
    Analog,
}

/// A pin's pull resistor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pull {
    None,
    Up,
    Down,
}

/// Edges a pin interrupt watches (`Pin.IRQ_RISING`, `Pin.IRQ_FALLING`, or both).
pub const IRQ_RISING: u8 = 1;
/// See [`IRQ_RISING`].
pub const IRQ_FALLING: u8 = 2;

/// Which I2C bus: a hardware one by its number, or software I2C on two pins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum I2cId {
    Hard(i32),
    Soft { scl: u16, sda: u16 },
}

/// The pins of a software SPI bus (`machine.SoftSPI`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpiPins {
    pub sck: u16,
    pub mosi: u16,
    pub miso: u16,
}

/// One part of an I2C transaction, as `embedded_hal::i2c::Operation`: a transaction is a
/// start, the address with each change of direction (repeated start), and a stop.
pub enum I2cOp<'a> {
    Read(&'a mut [u8]),
    Write(&'a [u8]),
}

/// A hardware timer of the board (`pyb.Timer` counts on it instead of on the VM's clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerInfo {
    /// The clock its prescaler divides, in Hz.
    pub source_freq: u32,
    /// How many channels it has (0 to 4).
    pub channels: u8,
}

/// A hardware timer's set-up (`pyb.Timer.init`), in MicroPython's terms: the register values
/// it works out and its constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerConfig {
    /// The prescaler register: the source clock is divided by `prescaler + 1`.
    pub prescaler: u32,
    /// The auto-reload register: the counter wraps after `period`.
    pub period: u32,
    /// `Timer.UP` (0), `DOWN` (0x10) or a center-aligned mode (0x20, 0x40, 0x60): the bits
    /// of the STM32 timers' `CR1`.
    pub mode: i32,
    /// The clock division of the input filters: 1, 2 or 4.
    pub div: u8,
    /// The dead time of an advanced timer, as its `DTG` field.
    pub dtg: u8,
    /// The break input of an advanced timer: `BRK_OFF` 0, `BRK_LOW` 1, `BRK_HIGH` 2.
    pub brk: u8,
}

/// What a `pyb.Timer` channel does (`Timer.channel`'s mode), as the STM32 timers' capture/
/// compare registers do it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelMode {
    /// A PWM output: PWM mode 1 (active high), or mode 2 (active low) when `inverted`, its
    /// compare value buffered to the next update.
    Pwm { inverted: bool },
    /// An output compare, its compare value taking effect at once: `ocm` is the `OCxM`
    /// field (0 frozen, 1 active on match, 2 inactive on match, 3 toggle on match, 4 forced
    /// inactive, 5 forced active); active low when `low`.
    Compare { ocm: u8, low: bool },
    /// An input capture of the channel's own input on `edges` ([`IRQ_RISING`],
    /// [`IRQ_FALLING`] or both).
    Capture { edges: u8 },
    /// The counter driven by a quadrature encoder on inputs 1 and 2: counting the edges of
    /// input 1 (`inputs` 1), of input 2 (2) or of both (3); `edges` as for a capture.
    Encoder { inputs: u8, edges: u8 },
}

/// How `machine.reset()` and friends end the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetKind {
    /// `machine.soft_reset()`, `sys.exit()` at the REPL: a fresh interpreter, `boot.py`,
    /// `main.py`.
    Soft,
    /// `machine.reset()`: the whole board restarts.
    Hard,
    /// `machine.bootloader()`: the board enters its ROM loader.
    Bootloader,
}

/// The board's peripherals.
pub trait Hardware {
    // ---- pins ----

    /// The pin called `name` (`"X1"`, `"LED_RED"`, `"A13"`...).
    fn pin_by_name(&self, _name: &str) -> Option<u16> {
        None
    }

    /// The pin with port number `n` (`machine.Pin(5)` on boards that number their pins).
    fn pin_by_number(&self, _n: i32) -> Option<u16> {
        None
    }

    /// The pin's name, for `repr`.
    fn pin_name(&self, pin: u16) -> String {
        alloc::format!("{pin}")
    }

    /// Sets the pin's mode and pull.
    fn pin_init(&mut self, _pin: u16, _mode: PinMode, _pull: Pull) -> HwResult<()> {
        Err(ENODEV)
    }

    /// Drives an output pin.
    fn pin_write(&mut self, _pin: u16, _high: bool) {}

    /// The pin's level (for an output, the level it drives).
    fn pin_read(&mut self, _pin: u16) -> bool {
        false
    }

    /// Watches the pin for `edges` (`IRQ_RISING | IRQ_FALLING`; 0 stops watching).
    fn pin_irq(&mut self, _pin: u16, _edges: u8) -> HwResult<()> {
        Err(ENODEV)
    }

    /// A watched pin whose edge happened since the last call (the VM calls its handler).
    fn take_pin_event(&mut self) -> Option<u16> {
        None
    }

    // ---- pyb.LED and pyb.Switch ----

    /// How many LEDs `pyb.LED(n)` may name (1-based).
    fn led_count(&self) -> u8 {
        0
    }

    /// Sets LED `n` (1-based) to `intensity` (0 off, 255 fully on).
    fn led_set(&mut self, _n: u8, _intensity: u8) {}

    /// LED `n`'s intensity.
    fn led_get(&self, _n: u8) -> u8 {
        0
    }

    /// Whether the user switch is pressed; `None` without a switch.
    fn switch_pressed(&mut self) -> Option<bool> {
        None
    }

    // ---- buses ----

    /// Opens an I2C bus at `freq` Hz; the handle for `i2c_transaction`.
    fn i2c_open(&mut self, _id: I2cId, _freq: u32) -> HwResult<u8> {
        Err(ENODEV)
    }

    /// Runs one transaction with the device at 7-bit `addr`. `ENODEV` when the address is
    /// not acknowledged, `EIO` when a data byte is not.
    fn i2c_transaction(&mut self, _bus: u8, _addr: u8, _ops: &mut [I2cOp]) -> HwResult<()> {
        Err(ENODEV)
    }

    /// Opens SPI bus `id` (`-1` for software SPI) with `baudrate`, `polarity`, `phase`, `bits`.
    fn spi_open(&mut self, _id: i32, _baudrate: u32, _polarity: u8, _phase: u8) -> HwResult<u8> {
        Err(ENODEV)
    }

    /// Opens a software SPI bus on `pins` (`machine.SoftSPI`) with `baudrate`, `polarity`
    /// and `phase`; the handle for `spi_transfer`. By default the port's SPI `-1`, for a
    /// port that wires its software bus itself.
    fn soft_spi_open(
        &mut self,
        _pins: SpiPins,
        baudrate: u32,
        polarity: u8,
        phase: u8,
    ) -> HwResult<u8> {
        self.spi_open(-1, baudrate, polarity, phase)
    }

    /// Writes `write` while reading as many bytes into `read` (which may be empty, or as long
    /// as `write`).
    fn spi_transfer(&mut self, _bus: u8, _write: &[u8], _read: &mut [u8]) -> HwResult<()> {
        Err(ENODEV)
    }

    /// Opens UART `id` at `baudrate`.
    fn uart_open(&mut self, _id: i32, _baudrate: u32) -> HwResult<u8> {
        Err(ENODEV)
    }

    /// Sends `data`; how many bytes were taken.
    fn uart_write(&mut self, _uart: u8, _data: &[u8]) -> HwResult<usize> {
        Err(ENODEV)
    }

    /// Reads what has arrived, at most `buf.len()` bytes, without waiting.
    fn uart_read(&mut self, _uart: u8, _buf: &mut [u8]) -> HwResult<usize> {
        Err(ENODEV)
    }

    /// How many received bytes wait to be read.
    fn uart_any(&mut self, _uart: u8) -> usize {
        0
    }

    // ---- analog ----

    /// Reads the ADC on `pin`, scaled to 0..=65535.
    fn adc_read_u16(&mut self, _pin: u16) -> HwResult<u16> {
        Err(ENODEV)
    }

    /// Drives `pin` with PWM at `freq` Hz and duty `duty_u16`/65535; `freq` 0 stops it.
    /// `ENODEV` when the pin has no PWM, `EINVAL` when `freq` is above what its PWM can make,
    /// `ERANGE` when below.
    fn pwm_set(&mut self, _pin: u16, _freq: u32, _duty_u16: u16) -> HwResult<()> {
        Err(ENODEV)
    }

    /// The frequency `pin`'s PWM runs at now, if the port knows it: its timer's, which other
    /// users of the timer (`pyb.Timer`) may have changed since [`Hardware::pwm_set`]. `None`
    /// leaves `machine.PWM` with the frequency it last set.
    fn pwm_freq(&mut self, _pin: u16) -> Option<u32> {
        None
    }

    // ---- hardware timers (`pyb.Timer`) ----
    //
    // Timers are numbered as the board's datasheet numbers them; channels from 1. Without
    // `timer_info`, `pyb.Timer` counts on the VM's clock and the other methods are not called.

    /// Timer `id`, if the board has it as a hardware timer.
    fn timer_info(&self, _id: u8) -> Option<TimerInfo> {
        None
    }

    /// Sets timer `id` up and starts it from the beginning of a period; its update interrupt
    /// is off until [`Hardware::timer_irq`].
    fn timer_init(&mut self, _id: u8, _config: &TimerConfig) -> HwResult<()> {
        Err(ENODEV)
    }

    /// Stops timer `id`: its counter, its update interrupt and every output of its channels.
    fn timer_deinit(&mut self, _id: u8) {}

    /// Timer `id`'s prescaler and period registers (another user of the timer, such as a
    /// PWM output, may have changed them).
    fn timer_registers(&mut self, _id: u8) -> (u32, u32) {
        (0, 0)
    }

    /// Sets timer `id`'s prescaler and period; they take effect at the next update event.
    fn timer_set_registers(&mut self, _id: u8, _prescaler: u32, _period: u32) {}

    /// Timer `id`'s counter.
    fn timer_counter(&mut self, _id: u8) -> u32 {
        0
    }

    /// Sets timer `id`'s counter.
    fn timer_set_counter(&mut self, _id: u8, _value: u32) {}

    /// Turns timer `id`'s update interrupt on or off; an update that happened before is
    /// forgotten either way.
    fn timer_irq(&mut self, _id: u8, _on: bool) {}

    /// Whether timer `id`'s update interrupt fired since the last call (any number of times:
    /// the VM then calls the timer's callback once).
    fn timer_take_update(&mut self, _id: u8) -> bool {
        false
    }

    /// Sets channel `channel` of timer `id` to `mode` and turns it on (and the counter, if it
    /// was stopped), on `pin` if given (the pin takes the channel's alternate function; else
    /// the pin it had before, if any). An output mode loads `compare` into the compare
    /// register; the input modes leave it to the captures. An encoder mode uses inputs 1 and
    /// 2 whatever `channel` is, and restarts the counter from 0. `ENODEV` when `pin` has no
    /// output of that timer, `EINVAL` when its output is another channel's (for an encoder,
    /// neither channel 1's nor channel 2's).
    fn timer_channel(
        &mut self,
        _id: u8,
        _channel: u8,
        _pin: Option<u16>,
        _mode: ChannelMode,
        _compare: u32,
    ) -> HwResult<()> {
        Err(ENODEV)
    }

    /// Turns the compare/capture interrupt of channel `channel` of timer `id` on or off; one
    /// that happened before is forgotten either way.
    fn timer_channel_irq(&mut self, _id: u8, _channel: u8, _on: bool) {}

    /// The channels of timer `id` whose compare/capture interrupt fired since the last call,
    /// bit `n - 1` for channel `n` (any number of times each: the VM calls the channel's
    /// callback once).
    fn timer_take_channels(&mut self, _id: u8) -> u8 {
        0
    }

    /// The compare register of channel `channel` of timer `id`.
    fn timer_compare(&mut self, _id: u8, _channel: u8) -> u32 {
        0
    }

    /// Sets the compare register of channel `channel` of timer `id`.
    fn timer_set_compare(&mut self, _id: u8, _channel: u8, _value: u32) {}

    // ---- flash storage (`pyb.Flash`) ----

    /// The size of the board's flash storage blocks in bytes: [`FLASH_BLOCK_SIZE`] unless
    /// the storage erases in larger units (a board whose flash erases 4 KiB sectors uses
    /// 4096-byte blocks, so that writing a block never erases another one). A power of two,
    /// at least 512.
    fn flash_block_size(&self) -> u32 {
        FLASH_BLOCK_SIZE as u32
    }

    /// How many [`Hardware::flash_block_size`]-byte blocks the board's file storage has; 0
    /// without one.
    fn flash_blocks(&self) -> u32 {
        0
    }

    /// Reads block `block` (below [`Hardware::flash_blocks`]) into `buf`, one block long.
    fn flash_read(&mut self, _block: u32, _buf: &mut [u8]) -> HwResult<()> {
        Err(ENODEV)
    }

    /// Erases block `block` and writes `data`, one block long, into it. The write may stay
    /// in a cache until [`Hardware::flash_sync`].
    fn flash_write(&mut self, _block: u32, _data: &[u8]) -> HwResult<()> {
        Err(ENODEV)
    }

    /// Makes earlier writes durable.
    fn flash_sync(&mut self) -> HwResult<()> {
        Ok(())
    }

    // ---- the chip ----

    /// `machine.unique_id()`.
    fn unique_id(&self) -> Vec<u8> {
        Vec::new()
    }

    /// The CPU clock in Hz (`machine.freq()`).
    fn freq(&self) -> u32 {
        0
    }

    /// Asks for a reset of `kind`; the VM then unwinds the running program with `SystemExit`
    /// and the REPL (or firmware) carries the reset out.
    fn request_reset(&mut self, _kind: ResetKind) {}

    /// `machine.reset_cause()`: `PWRON_RESET` 1, `HARD_RESET` 2, `WDT_RESET` 3,
    /// `DEEPSLEEP_RESET` 4, `SOFT_RESET` 5.
    fn reset_cause(&self) -> u8 {
        1
    }
}
