//! The test board shared by the hardware tests: a small pyboard that records the calls the VM
//! makes on it (pins, LEDs, the switch, I2C, SPI, UART, ADC, PWM, hardware timers, flash,
//! resets), a clock that only sleeping moves, and the output the program printed. The board
//! lives outside the VM, so a test can change it between runs and it outlives a soft reset.

// Each test binary uses only part of the harness.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::rc::Rc;

use pyrite_core::hardware::{
    ChannelMode, Hardware, HwResult, I2cId, I2cOp, PinMode, Pull, ResetKind, SpiPins, TimerConfig,
    TimerInfo, EINVAL, EIO, ENODEV, ERANGE, ETIMEDOUT, FLASH_BLOCK_SIZE,
};
use pyrite_core::port::Port;
use pyrite_core::Vm;

/// Pin names of the test board: pin `n` is `NAMES[n]`.
pub const NAMES: [&str; 6] = ["X1", "X2", "X3", "X9", "X10", "Y1"];

/// An I2C device: 256 bytes of memory behind a register pointer (the first byte written).
pub struct Device {
    pub addr: u8,
    pub mem: [u8; 256],
    pub ptr: u8,
    /// Refuses data bytes (`EIO`) after the address.
    pub nack_data: bool,
}

/// A hardware timer of the test board: its registers, on a 1 MHz source clock.
#[derive(Clone, Copy, Default)]
pub struct Tim {
    pub running: bool,
    pub prescaler: u32,
    pub period: u32,
    /// When it started counting, on the clock.
    pub start_us: u64,
    /// The update interrupt is on.
    pub irq: bool,
    /// Update events the VM has taken (or that passed before the interrupt was turned on).
    pub taken: u64,
    pub compare: [u32; 4],
    /// The channels' compare interrupts are on.
    pub cc_irq: [bool; 4],
    /// Compare matches of each channel the VM has taken (or that passed before its
    /// interrupt was turned on).
    pub cc_taken: [u64; 4],
}

impl Tim {
    /// The counts since it started, at `now`.
    fn counts(&self, now: u64) -> u64 {
        if !self.running {
            return 0;
        }
        now.saturating_sub(self.start_us) / (u64::from(self.prescaler) + 1)
    }

    /// The update events since it started, at `now`.
    fn updates(&self, now: u64) -> u64 {
        self.counts(now) / (u64::from(self.period) + 1)
    }

    /// The times the counter went past channel `ch`'s compare value since it started, at
    /// `now` (never, for a compare value beyond the period).
    fn matches(&self, now: u64, ch: usize) -> u64 {
        let (counts, cc) = (self.counts(now), u64::from(self.compare[ch]));
        if cc > u64::from(self.period) || counts <= cc {
            return 0;
        }
        (counts - cc - 1) / (u64::from(self.period) + 1) + 1
    }
}

/// The test board's timers' source clock.
pub const TIMER_HZ: u32 = 1_000_000;

/// The board's state, shared with the test.
#[derive(Default)]
pub struct Board {
    /// The hardware calls, in order (flash transfers as `r N`, `w N` and `sync`).
    pub log: Vec<String>,
    pub levels: [bool; 6],
    /// Pins whose interrupt fired, for the VM to take.
    pub events: VecDeque<u16>,
    pub leds: [u8; 4],
    pub switch: bool,
    pub devices: Vec<Device>,
    pub uart_rx: VecDeque<u8>,
    pub resets: Vec<ResetKind>,
    pub now_us: u64,
    /// Timers 1 to 14 are hardware timers (`Config::timers`), at index `n`.
    pub timers: Option<[Tim; 15]>,
    /// The flash, whole blocks (empty: the board has none).
    pub flash: Vec<u8>,
    /// The flash's block size in bytes.
    pub flash_bs: usize,
    /// A flash block whose transfers fail with `ETIMEDOUT`.
    pub bad: Option<u32>,
    /// A power cut after this many more flash writes: the next write tears (its first half
    /// lands, the rest of the block reads erased, 0xFF) and it and every later one fail with
    /// `EIO`.
    pub writes_left: Option<usize>,
    /// What the program printed.
    pub out: String,
}

impl Board {
    fn log(&mut self, s: String) {
        self.log.push(s);
    }

    /// Hardware timer `id` (the VM asks only for those `timer_info` offers).
    fn tim(&mut self, id: u8) -> &mut Tim {
        &mut self.timers.as_mut().expect("hardware timers")[usize::from(id)]
    }
}

/// The board as the VM's hardware.
struct Hw(Rc<RefCell<Board>>);

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Hardware for Hw {
    fn pin_by_name(&self, name: &str) -> Option<u16> {
        NAMES.iter().position(|n| *n == name).map(|i| i as u16)
    }

    fn pin_by_number(&self, n: i32) -> Option<u16> {
        (0..NAMES.len() as i32).contains(&n).then_some(n as u16)
    }

    fn pin_name(&self, pin: u16) -> String {
        NAMES[pin as usize].to_string()
    }

    fn pin_init(&mut self, pin: u16, mode: PinMode, pull: Pull) -> HwResult<()> {
        self.0
            .borrow_mut()
            .log(format!("init {} {mode:?} {pull:?}", NAMES[pin as usize]));
        Ok(())
    }

    fn pin_write(&mut self, pin: u16, high: bool) {
        let mut b = self.0.borrow_mut();
        b.levels[pin as usize] = high;
        b.log(format!("write {} {}", NAMES[pin as usize], u8::from(high)));
    }

    fn pin_read(&mut self, pin: u16) -> bool {
        self.0.borrow().levels[pin as usize]
    }

    fn pin_irq(&mut self, pin: u16, edges: u8) -> HwResult<()> {
        self.0
            .borrow_mut()
            .log(format!("irq {} {edges}", NAMES[pin as usize]));
        Ok(())
    }

    fn take_pin_event(&mut self) -> Option<u16> {
        self.0.borrow_mut().events.pop_front()
    }

    fn led_count(&self) -> u8 {
        4
    }

    fn led_set(&mut self, n: u8, intensity: u8) {
        let mut b = self.0.borrow_mut();
        b.leds[n as usize - 1] = intensity;
        b.log(format!("led {n} {intensity}"));
    }

    fn led_get(&self, n: u8) -> u8 {
        self.0.borrow().leds[n as usize - 1]
    }

    fn switch_pressed(&mut self) -> Option<bool> {
        Some(self.0.borrow().switch)
    }

    fn i2c_open(&mut self, id: I2cId, freq: u32) -> HwResult<u8> {
        let mut b = self.0.borrow_mut();
        match id {
            I2cId::Hard(1) => {
                b.log(format!("i2c open 1 {freq}"));
                Ok(0)
            }
            I2cId::Hard(_) => Err(ENODEV),
            I2cId::Soft { scl, sda } => {
                b.log(format!("i2c open soft {scl} {sda} {freq}"));
                Ok(1)
            }
        }
    }

    fn i2c_transaction(&mut self, bus: u8, addr: u8, ops: &mut [I2cOp]) -> HwResult<()> {
        let mut b = self.0.borrow_mut();
        let mut line = format!("i2c{bus} {addr:#04x}");
        for op in ops.iter() {
            match op {
                I2cOp::Write(d) => write!(line, " W[{}]", hex(d)).unwrap(),
                I2cOp::Read(d) => write!(line, " R{}", d.len()).unwrap(),
            }
        }
        // Empty writes are probes (scan): they are not logged.
        let probe = matches!(ops, [I2cOp::Write(d)] if d.is_empty());
        if !probe {
            b.log(line);
        }
        let Some(dev) = b.devices.iter_mut().find(|d| d.addr == addr) else {
            return Err(ENODEV);
        };
        let mut first_write = true;
        for op in ops.iter_mut() {
            match op {
                I2cOp::Write(d) => {
                    for &byte in d.iter() {
                        if first_write {
                            dev.ptr = byte;
                            first_write = false;
                        } else if dev.nack_data {
                            return Err(EIO);
                        } else {
                            dev.mem[dev.ptr as usize] = byte;
                            dev.ptr = dev.ptr.wrapping_add(1);
                        }
                    }
                }
                I2cOp::Read(d) => {
                    for byte in d.iter_mut() {
                        *byte = dev.mem[dev.ptr as usize];
                        dev.ptr = dev.ptr.wrapping_add(1);
                    }
                }
            }
        }
        Ok(())
    }

    fn spi_open(&mut self, id: i32, baudrate: u32, polarity: u8, phase: u8) -> HwResult<u8> {
        if id > 1 {
            return Err(ENODEV);
        }
        self.0
            .borrow_mut()
            .log(format!("spi open {id} {baudrate} {polarity} {phase}"));
        Ok(0)
    }

    fn soft_spi_open(
        &mut self,
        pins: SpiPins,
        baudrate: u32,
        polarity: u8,
        phase: u8,
    ) -> HwResult<u8> {
        let SpiPins { sck, mosi, miso } = pins;
        self.0.borrow_mut().log(format!(
            "spi open soft {sck} {mosi} {miso} {baudrate} {polarity} {phase}"
        ));
        Ok(0)
    }

    fn spi_transfer(&mut self, _bus: u8, write: &[u8], read: &mut [u8]) -> HwResult<()> {
        self.0
            .borrow_mut()
            .log(format!("spi W[{}] R{}", hex(write), read.len()));
        // MISO follows MOSI, plus one.
        for (i, r) in read.iter_mut().enumerate() {
            *r = write.get(i).map_or(0, |w| w.wrapping_add(1));
        }
        Ok(())
    }

    fn uart_open(&mut self, id: i32, baudrate: u32) -> HwResult<u8> {
        if id != 2 {
            return Err(ENODEV);
        }
        self.0
            .borrow_mut()
            .log(format!("uart open {id} {baudrate}"));
        Ok(7)
    }

    fn uart_write(&mut self, _uart: u8, data: &[u8]) -> HwResult<usize> {
        self.0.borrow_mut().log(format!("uart W[{}]", hex(data)));
        Ok(data.len())
    }

    fn uart_read(&mut self, _uart: u8, buf: &mut [u8]) -> HwResult<usize> {
        let mut b = self.0.borrow_mut();
        let mut n = 0;
        while n < buf.len() {
            let Some(c) = b.uart_rx.pop_front() else {
                break;
            };
            buf[n] = c;
            n += 1;
        }
        Ok(n)
    }

    fn uart_any(&mut self, _uart: u8) -> usize {
        self.0.borrow().uart_rx.len()
    }

    fn adc_read_u16(&mut self, pin: u16) -> HwResult<u16> {
        match pin {
            0 => Ok(0x8765),
            _ => Err(EINVAL),
        }
    }

    /// Timers 1 to 14 when the board has them, with four channels (timers 6 and 7 none).
    fn timer_info(&self, id: u8) -> Option<TimerInfo> {
        self.0.borrow().timers?;
        (1..=14).contains(&id).then_some(TimerInfo {
            source_freq: TIMER_HZ,
            channels: if matches!(id, 6 | 7) { 0 } else { 4 },
        })
    }

    fn timer_init(&mut self, id: u8, c: &TimerConfig) -> HwResult<()> {
        let mut b = self.0.borrow_mut();
        b.log(format!(
            "tim {id} init {} {} {}",
            c.prescaler, c.period, c.mode
        ));
        let now = b.now_us;
        let t = b.tim(id);
        *t = Tim {
            running: true,
            prescaler: c.prescaler,
            period: c.period,
            start_us: now,
            compare: t.compare,
            cc_irq: t.cc_irq,
            ..Tim::default()
        };
        Ok(())
    }

    fn timer_deinit(&mut self, id: u8) {
        let mut b = self.0.borrow_mut();
        b.log(format!("tim {id} deinit"));
        *b.tim(id) = Tim::default();
    }

    fn timer_registers(&mut self, id: u8) -> (u32, u32) {
        let mut b = self.0.borrow_mut();
        let t = b.tim(id);
        (t.prescaler, t.period)
    }

    fn timer_set_registers(&mut self, id: u8, prescaler: u32, period: u32) {
        let mut b = self.0.borrow_mut();
        b.log(format!("tim {id} registers {prescaler} {period}"));
        let t = b.tim(id);
        (t.prescaler, t.period) = (prescaler, period);
    }

    fn timer_counter(&mut self, id: u8) -> u32 {
        let mut b = self.0.borrow_mut();
        let now = b.now_us;
        let t = b.tim(id);
        (t.counts(now) % (u64::from(t.period) + 1)) as u32
    }

    fn timer_irq(&mut self, id: u8, on: bool) {
        let mut b = self.0.borrow_mut();
        b.log(format!("tim {id} irq {on}"));
        let now = b.now_us;
        let t = b.tim(id);
        t.irq = on;
        t.taken = t.updates(now);
    }

    fn timer_take_update(&mut self, id: u8) -> bool {
        let mut b = self.0.borrow_mut();
        let now = b.now_us;
        let t = b.tim(id);
        let updates = t.updates(now);
        let fired = t.irq && updates > t.taken;
        t.taken = updates;
        fired
    }

    /// `X1` and `X2` are channels 1 and 2 of timer 2 (an encoder takes either); no other
    /// pin has a timer output. The output modes load the compare register.
    fn timer_channel(
        &mut self,
        id: u8,
        channel: u8,
        pin: Option<u16>,
        mode: ChannelMode,
        compare: u32,
    ) -> HwResult<()> {
        let encoder = matches!(mode, ChannelMode::Encoder { .. });
        match pin {
            Some(p) if id != 2 || p > 1 => return Err(ENODEV),
            Some(p) if !encoder && p + 1 != u16::from(channel) => return Err(EINVAL),
            _ => {}
        }
        let mut b = self.0.borrow_mut();
        let name = pin.map_or("-", |p| NAMES[p as usize]);
        b.log(format!("tim {id} ch {channel} {name} {mode:?} {compare}"));
        if matches!(mode, ChannelMode::Pwm { .. } | ChannelMode::Compare { .. }) {
            b.tim(id).compare[usize::from(channel - 1)] = compare;
        }
        Ok(())
    }

    fn timer_channel_irq(&mut self, id: u8, channel: u8, on: bool) {
        let mut b = self.0.borrow_mut();
        b.log(format!("tim {id} ch {channel} irq {on}"));
        let now = b.now_us;
        let t = b.tim(id);
        let ch = usize::from(channel - 1);
        t.cc_irq[ch] = on;
        t.cc_taken[ch] = t.matches(now, ch);
    }

    fn timer_take_channels(&mut self, id: u8) -> u8 {
        let mut b = self.0.borrow_mut();
        let now = b.now_us;
        let t = b.tim(id);
        let mut fired = 0;
        for ch in 0..4 {
            let matches = t.matches(now, ch);
            if t.cc_irq[ch] && matches > t.cc_taken[ch] {
                fired |= 1 << ch;
            }
            t.cc_taken[ch] = matches;
        }
        fired
    }

    fn timer_compare(&mut self, id: u8, channel: u8) -> u32 {
        self.0.borrow_mut().tim(id).compare[usize::from(channel - 1)]
    }

    fn timer_set_compare(&mut self, id: u8, channel: u8, value: u32) {
        self.0.borrow_mut().tim(id).compare[usize::from(channel - 1)] = value;
    }

    /// PWM on every pin but `Y1`, from 5 Hz to 84 MHz.
    fn pwm_set(&mut self, pin: u16, freq: u32, duty_u16: u16) -> HwResult<()> {
        match (NAMES[pin as usize], freq) {
            ("Y1", _) => return Err(ENODEV),
            (_, 1..=4) => return Err(ERANGE),
            (_, 84_000_001..) => return Err(EINVAL),
            _ => {}
        }
        self.0
            .borrow_mut()
            .log(format!("pwm {} {freq} {duty_u16}", NAMES[pin as usize]));
        Ok(())
    }

    fn flash_block_size(&self) -> u32 {
        self.0.borrow().flash_bs as u32
    }

    fn flash_blocks(&self) -> u32 {
        let b = self.0.borrow();
        (b.flash.len() / b.flash_bs) as u32
    }

    fn flash_read(&mut self, block: u32, buf: &mut [u8]) -> HwResult<()> {
        let mut b = self.0.borrow_mut();
        b.log(format!("r {block}"));
        if b.bad == Some(block) {
            return Err(ETIMEDOUT);
        }
        let at = block as usize * b.flash_bs;
        buf.copy_from_slice(&b.flash[at..at + b.flash_bs]);
        Ok(())
    }

    fn flash_write(&mut self, block: u32, data: &[u8]) -> HwResult<()> {
        let mut b = self.0.borrow_mut();
        b.log(format!("w {block}"));
        if b.bad == Some(block) {
            return Err(ETIMEDOUT);
        }
        let at = block as usize * b.flash_bs;
        let bs = b.flash_bs;
        match b.writes_left {
            Some(0) => return Err(EIO),
            Some(1) => {
                b.writes_left = Some(0);
                b.flash[at..at + bs / 2].copy_from_slice(&data[..bs / 2]);
                b.flash[at + bs / 2..at + bs].fill(0xff);
                return Err(EIO);
            }
            Some(n) => b.writes_left = Some(n - 1),
            None => {}
        }
        b.flash[at..at + bs].copy_from_slice(data);
        Ok(())
    }

    fn flash_sync(&mut self) -> HwResult<()> {
        self.0.borrow_mut().log("sync".to_string());
        Ok(())
    }

    fn unique_id(&self) -> Vec<u8> {
        vec![1, 2, 3]
    }

    fn freq(&self) -> u32 {
        168_000_000
    }

    fn request_reset(&mut self, kind: ResetKind) {
        self.0.borrow_mut().resets.push(kind);
    }

    fn reset_cause(&self) -> u8 {
        2
    }
}

/// The port: output captured (standard error too, as on a board), a clock that only sleeping
/// moves, and the board.
struct TestPort {
    board: Rc<RefCell<Board>>,
    hw: Option<Hw>,
}

impl Port for TestPort {
    fn stdout(&mut self, data: &[u8]) {
        self.board
            .borrow_mut()
            .out
            .push_str(&String::from_utf8_lossy(data));
    }

    fn ticks_us(&mut self) -> u64 {
        self.board.borrow().now_us
    }

    fn sleep_us(&mut self, us: u64) {
        self.board.borrow_mut().now_us += us;
    }

    fn hardware(&mut self) -> Option<&mut dyn Hardware> {
        self.hw.as_mut().map(|h| h as &mut dyn Hardware)
    }
}

/// How a test VM and its board are made.
pub struct Config {
    /// Whether the port has the board (`false`: a port without hardware).
    pub hardware: bool,
    /// Blocks of flash, each byte its block number at the start (0: no flash).
    pub flash_blocks: u32,
    /// The flash's block size in bytes.
    pub flash_block_size: usize,
    /// The heap size in bytes.
    pub heap: usize,
    /// Collect before every allocation: values the VM holds must stay rooted.
    pub stress: bool,
    /// Timers 1 to 14 are hardware timers (`pyb.Timer` on the board's registers).
    pub timers: bool,
}

impl Default for Config {
    /// The board without flash and with timers on the clock, a 1 MiB heap, collecting at every
    /// allocation.
    fn default() -> Self {
        Config {
            hardware: true,
            flash_blocks: 0,
            flash_block_size: FLASH_BLOCK_SIZE,
            heap: 1 << 20,
            stress: true,
            timers: false,
        }
    }
}

/// A VM made as `config` says, and its board.
pub fn setup(config: Config) -> (Vm, Rc<RefCell<Board>>) {
    let flash = (0..config.flash_blocks)
        .flat_map(|n| vec![n as u8; config.flash_block_size])
        .collect();
    let board = Rc::new(RefCell::new(Board {
        flash,
        flash_bs: config.flash_block_size,
        timers: config.timers.then(<[Tim; 15]>::default),
        ..Board::default()
    }));
    let port = TestPort {
        board: board.clone(),
        hw: config.hardware.then(|| Hw(board.clone())),
    };
    let mut vm = Vm::new(config.heap, Box::new(port));
    vm.heap.stress = config.stress;
    (vm, board)
}

/// Runs `src` as `t.py`: the output, with an uncaught exception's last line after it.
pub fn run_on(vm: &mut Vm, board: &Rc<RefCell<Board>>, src: &str) -> String {
    if let Err(e) = vm.run_main(src, "t.py") {
        let text = vm.format_exception(e);
        let last = text.lines().last().unwrap_or("").to_string();
        board.borrow_mut().out.push_str(&last);
        board.borrow_mut().out.push('\n');
    }
    std::mem::take(&mut board.borrow_mut().out)
}

/// Runs `src` on a fresh VM made as `config` says: the output and the hardware log.
pub fn run_with(config: Config, src: &str) -> (String, Vec<String>) {
    let (mut vm, board) = setup(config);
    let out = run_on(&mut vm, &board, src);
    let log = std::mem::take(&mut board.borrow_mut().log);
    (out, log)
}

/// Runs `src` on a fresh board without flash: the output and the hardware log.
pub fn run(src: &str) -> (String, Vec<String>) {
    run_with(Config::default(), src)
}
