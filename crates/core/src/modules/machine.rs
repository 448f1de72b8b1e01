//! `machine`: the board's hardware, written once over [`crate::hardware::Hardware`].
//!
//! Every peripheral object (`Pin`, `I2C`, `Timer`, and `pyb`'s `LED`, `Switch`...) is one heap
//! object, [`Periph`], holding the small numbers the port hands out; each class lives in its own
//! file (`machine_pin`, `machine_i2c`, `machine_spi`, `machine_analog`, `machine_timer`,
//! `pyb`, `pyb_i2c`, `pyb_flash`, `pyb_timer`, `pyb_timer_channel`). This file holds the
//! module functions, the helpers they share, and the VM-side state of [`MachineState`].
//!
//! Callbacks never interrupt Python code: the dispatch loop calls [`poll`] where it polls for
//! Ctrl-C, and [`sleep_us`] (behind `time.sleep`) sleeps in slices that end at the next timer
//! deadline, so `machine.Timer` and `pyb.Timer` callbacks (timers on the port's clock), pin handlers
//! (`Hardware::take_pin_event`) and the `pyb.Switch` callback (a press seen by polling
//! `Hardware::switch_pressed`) run between instructions, one at a time. A callback's exception
//! is printed and the program goes on (a hard callback is then disabled), as MicroPython's
//! scheduler does; only the `SystemExit` of `machine.reset()` in a callback ends the program.
//!
//! Without hardware (`Port::hardware` is `None`) the module still imports; `Timer` and `RTC`
//! work (they need only the clock) and everything else raises `OSError(ENODEV)`.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::hardware::{self, Hardware, HwResult, ResetKind};
use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

use super::machine_analog::{AdcObj, PwmObj};
use super::machine_i2c::I2cObj;
use super::machine_spi::{SpiObj, UartObj};
use super::machine_timer::TimerObj;
use super::pyb_flash::FlashObj;
use super::pyb_i2c::PybI2cObj;
use super::pyb_timer::PybTimerObj;
use super::pyb_timer_channel::TimerChannelObj;

/// A peripheral object of `machine` or `pyb`.
pub enum Periph {
    /// `Pin`: the port's pin number.
    Pin(u16),
    /// `I2C` or `SoftI2C`.
    I2c(I2cObj),
    /// `SPI` or `SoftSPI`.
    Spi(SpiObj),
    /// `UART`.
    Uart(UartObj),
    /// `ADC`.
    Adc(AdcObj),
    /// `PWM`.
    Pwm(PwmObj),
    /// `Timer`.
    Timer(TimerObj),
    /// `RTC`.
    Rtc,
    /// `pyb.LED(n)`.
    Led(u8),
    /// `pyb.Switch()`.
    Switch,
    /// `pyb.I2C`.
    PybI2c(PybI2cObj),
    /// `pyb.Flash`.
    Flash(FlashObj),
    /// `pyb.Timer`.
    PybTimer(PybTimerObj),
    /// `pyb.TimerChannel`.
    PybTimerChannel(TimerChannelObj),
}

impl Periph {
    /// The built-in type of the object.
    pub fn type_id(&self) -> u16 {
        match self {
            Periph::Pin(_) => ty::PIN,
            Periph::I2c(i) if i.soft.is_some() => ty::SOFT_I2C,
            Periph::I2c(_) => ty::I2C,
            Periph::Spi(s) if s.soft.is_some() => ty::SOFT_SPI,
            Periph::Spi(_) => ty::SPI,
            Periph::Uart(_) => ty::UART,
            Periph::Adc(_) => ty::ADC,
            Periph::Pwm(_) => ty::PWM,
            Periph::Timer(_) => ty::TIMER,
            Periph::Rtc => ty::RTC,
            Periph::Led(_) => ty::LED,
            Periph::Switch => ty::SWITCH,
            Periph::PybI2c(_) => ty::PYB_I2C,
            Periph::Flash(_) => ty::PYB_FLASH,
            Periph::PybTimer(_) => ty::PYB_TIMER,
            Periph::PybTimerChannel(_) => ty::PYB_TIMER_CHANNEL,
        }
    }

    /// Calls `f` with every object this one refers to.
    pub fn trace(&self, f: &mut dyn FnMut(Obj)) {
        match self {
            Periph::Timer(t) => f(t.callback),
            Periph::PybTimer(t) => {
                f(t.callback);
                t.channels.iter().for_each(|&c| f(c));
            }
            Periph::PybTimerChannel(c) => {
                f(c.timer);
                f(c.callback);
            }
            _ => {}
        }
    }
}

/// How a pin was last configured (the hardware trait sets modes but does not report them).
#[derive(Clone, Copy)]
pub(crate) struct PinConfig {
    pub pin: u16,
    /// `Pin.IN`, `Pin.OUT`... (the constants' values).
    pub mode: i32,
    /// `Pin.PULL_UP`, `Pin.PULL_DOWN`, or 0.
    pub pull: i32,
    /// The alternate function given with `alt=`, or -1.
    pub alt: i32,
}

/// A pin handler set with `Pin.irq`.
#[derive(Clone, Copy)]
pub(crate) struct PinIrq {
    pub pin: u16,
    /// The `Pin` object the handler is called with.
    pub pin_obj: Obj,
    pub handler: Obj,
    pub hard: bool,
}

/// The modules' state, held by the VM: what must outlive the objects the program holds.
#[derive(Default)]
pub struct MachineState {
    pub(crate) pins: Vec<PinConfig>,
    pub(crate) irqs: Vec<PinIrq>,
    /// Running `Timer` objects (of `machine` and `pyb`).
    pub(crate) timers: Vec<Obj>,
    /// The `pyb.Timer` objects made so far, one for each timer.
    pub(crate) pyb_timers: Vec<Obj>,
    /// The pins a `machine.PWM` drives (a soft reset stops them, as on the pyboard).
    pub(crate) pwm_pins: Vec<u16>,
    /// The `pyb.Switch` callback, and whether the switch was down at the last poll.
    pub(crate) switch_callback: Option<Obj>,
    pub(crate) switch_down: bool,
    /// `machine.disable_irq()` is in force: callbacks wait.
    pub(crate) irq_disabled: bool,
    /// A callback is running (callbacks do not nest).
    pub(crate) in_callback: bool,
    /// What `RTC.datetime(...)` set, as an offset from the port's clock in microseconds.
    pub(crate) rtc_offset_us: i64,
}

impl MachineState {
    /// Whether anything waits for [`poll`] (so the dispatch loop can skip it).
    #[inline]
    pub fn active(&self) -> bool {
        !self.timers.is_empty() || !self.irqs.is_empty() || self.switch_callback.is_some()
    }

    /// Calls `f` with every object the state keeps alive.
    pub fn trace(&self, f: &mut dyn FnMut(Obj)) {
        self.timers.iter().for_each(|&t| f(t));
        self.pyb_timers.iter().for_each(|&t| f(t));
        for i in &self.irqs {
            f(i.pin_obj);
            f(i.handler);
        }
        if let Some(c) = self.switch_callback {
            f(c);
        }
    }

    /// The configuration of `pin`, if the program set one.
    pub(crate) fn pin_config(&self, pin: u16) -> Option<PinConfig> {
        self.pins.iter().find(|c| c.pin == pin).copied()
    }

    /// Records the configuration of a pin.
    pub(crate) fn set_pin_config(&mut self, c: PinConfig) {
        match self.pins.iter_mut().find(|p| p.pin == c.pin) {
            Some(p) => *p = c,
            None => self.pins.push(c),
        }
    }
}

// ---- helpers shared by the peripheral classes ----

/// The board's hardware, or `OSError(ENODEV)` on a port without any.
pub(crate) fn hw(vm: &mut Vm) -> PyResult<&mut dyn Hardware> {
    if vm.port.hardware().is_none() {
        return Err(crate::vfs::os_error(vm, hardware::ENODEV));
    }
    vm.port.hardware().ok_or(Obj::NONE)
}

/// A hardware result as a Python one: an error is `OSError(errno)`.
pub(crate) fn check<T>(vm: &mut Vm, r: HwResult<T>) -> PyResult<T> {
    r.map_err(|e| crate::vfs::os_error(vm, e))
}

/// A new peripheral object.
pub(crate) fn new_periph(vm: &mut Vm, p: Periph) -> PyResult<Obj> {
    vm.alloc(HeapObj::Machine(Box::new(p)))
}

/// The peripheral `o` is, if it is one.
pub(crate) fn periph(vm: &mut Vm, o: Obj) -> Option<&mut Periph> {
    match vm.heap.get_mut(o) {
        Some(HeapObj::Machine(p)) => Some(p),
        _ => None,
    }
}

/// The `TypeError` for a method called on the wrong object.
pub(crate) fn wrong_self(vm: &mut Vm, class: &str) -> Obj {
    vm.exc_fmt(
        ty::TYPE_ERROR,
        format_args!("descriptor requires a '{}' object", class),
    )
}

/// Flag of a [`parse`] parameter: it must be given.
pub(crate) const REQUIRED: u8 = 1;
/// Flag of a [`parse`] parameter: it may only be given by keyword.
pub(crate) const KW_ONLY: u8 = 2;

/// Binds positional arguments `pos` and keywords `kw` to the parameters `spec` (name, flags),
/// as MicroPython's `mp_arg_parse_all`: a parameter not given is `NULL`.
#[inline]
pub(crate) fn parse<const N: usize>(
    vm: &mut Vm,
    pos: &[Obj],
    kw: Kw,
    spec: &[(&str, u8); N],
) -> PyResult<[Obj; N]> {
    let mut out = [Obj::NULL; N];
    parse_into(vm, pos, kw, spec, &mut out)?;
    Ok(out)
}

/// The body of [`parse`], once for every parameter count.
fn parse_into(
    vm: &mut Vm,
    pos: &[Obj],
    kw: Kw,
    spec: &[(&str, u8)],
    out: &mut [Obj],
) -> PyResult<()> {
    let (mut pos_used, mut kw_used) = (0, 0);
    for (i, (&(name, flags), slot)) in spec.iter().zip(out.iter_mut()).enumerate() {
        if let Some(&v) = pos.get(i) {
            if flags & KW_ONLY != 0 {
                break;
            }
            *slot = v;
            pos_used += 1;
        } else if let Some(&(_, v)) = kw.iter().find(|(k, _)| vm.qstr_str(*k) == name) {
            *slot = v;
            kw_used += 1;
        } else if flags & REQUIRED != 0 {
            raise!(vm, TYPE_ERROR, "'{}' argument required", name);
        }
    }
    if pos_used < pos.len() {
        raise!(vm, TYPE_ERROR, "extra positional arguments given");
    }
    if kw_used < kw.len() {
        raise!(vm, TYPE_ERROR, "extra keyword arguments given");
    }
    Ok(())
}

/// Checks the argument count of a method without keywords (`self` counts), with MicroPython's
/// messages.
pub(crate) fn arity(vm: &mut Vm, args: &[Obj], kw: Kw, min: usize, max: usize) -> PyResult<()> {
    if !kw.is_empty() {
        raise!(vm, TYPE_ERROR, "function doesn't take keyword arguments");
    }
    crate::obj::strbytes::arity(vm, args, min, max)
}

/// An int argument, or `default` when it was not given (`NULL`).
pub(crate) fn int_or(vm: &mut Vm, o: Obj, default: i64) -> PyResult<i64> {
    if o.is_null() {
        Ok(default)
    } else {
        vm.index_value(o)
    }
}

/// A bool argument, or `default` when it was not given (`NULL`).
pub(crate) fn bool_or(vm: &mut Vm, o: Obj, default: bool) -> PyResult<bool> {
    if o.is_null() {
        Ok(default)
    } else {
        vm.truthy(o)
    }
}

/// An int argument that must fit a `u32`.
pub(crate) fn u32_arg(vm: &mut Vm, o: Obj, default: u32) -> PyResult<u32> {
    let v = int_or(vm, o, i64::from(default))?;
    match u32::try_from(v) {
        Ok(v) => Ok(v),
        Err(_) => raise!(vm, VALUE_ERROR, "value out of range"),
    }
}

/// A byte count argument for a new buffer: `MemoryError` when negative or larger than the
/// heap could hold (as MicroPython's allocation of it fails).
pub(crate) fn len_arg(vm: &mut Vm, o: Obj) -> PyResult<usize> {
    let n = vm.index_value(o)?;
    match usize::try_from(n) {
        Ok(n) if n <= vm.heap.limit() => Ok(n),
        _ => Err(vm.memory_error()),
    }
}

/// A new `int` from a `u64`.
pub(crate) fn new_uint(vm: &mut Vm, v: u64) -> PyResult<Obj> {
    vm.new_int(i64::try_from(v).unwrap_or(i64::MAX))
}

/// The bytes of a read-only buffer argument.
pub(crate) fn read_buf(vm: &mut Vm, o: Obj) -> PyResult<Vec<u8>> {
    crate::obj::bytes::buffer_of(vm, o)
}

/// The length of a writable buffer argument (`bytearray`, `array`, writable `memoryview`).
pub(crate) fn write_buf_len(vm: &mut Vm, o: Obj) -> PyResult<usize> {
    let writable = match vm.heap.get(o) {
        Some(HeapObj::ByteArray(_) | HeapObj::Array(_)) => true,
        Some(HeapObj::MemoryView(m)) => !m.readonly,
        _ => false,
    };
    match crate::obj::memoryview::typed_buffer(vm, o) {
        Some((_, b)) if writable => Ok(b.len()),
        _ => raise!(vm, TYPE_ERROR, "object with buffer protocol required"),
    }
}

/// Copies `data` into the writable buffer `o`.
pub(crate) fn fill_buf(vm: &mut Vm, o: Obj, data: &[u8]) {
    let _ = crate::obj::memoryview::fill_buffer(vm, o, data);
}

/// The pin `o` names: a `Pin`, a pin name (`"X1"`) or a port pin number. MicroPython's
/// `ValueError` when the board has no such pin.
pub(crate) fn pin_arg(vm: &mut Vm, o: Obj) -> PyResult<u16> {
    if let Some(Periph::Pin(p)) = periph(vm, o) {
        return Ok(*p);
    }
    hw(vm)?;
    let found = if let Some(name) = vm.str_of(o).map(String::from) {
        hw(vm)?.pin_by_name(&name)
    } else {
        let n = vm.index_value(o)?;
        let n = i32::try_from(n).unwrap_or(i32::MIN);
        hw(vm)?.pin_by_number(n)
    };
    match found {
        Some(p) => Ok(p),
        None => {
            let s = vm.to_str(o)?;
            raise!(vm, VALUE_ERROR, "Pin({}) doesn't exist", s)
        }
    }
}

/// The name the port gives `pin`.
pub(crate) fn pin_name(vm: &mut Vm, pin: u16) -> String {
    match vm.port.hardware() {
        Some(h) => h.pin_name(pin),
        None => alloc::format!("{pin}"),
    }
}

/// The `ValueError` MicroPython raises for a bus or unit the board lacks:
/// `I2C(3) doesn't exist`.
pub(crate) fn no_such(vm: &mut Vm, class: &str, id: i64) -> Obj {
    vm.exc_fmt(
        ty::VALUE_ERROR,
        format_args!("{}({}) doesn't exist", class, id),
    )
}

/// Calls a callback, one at a time. A hard callback's exception is reported as MicroPython
/// reports an exception in an interrupt; `Ok(false)` says the callback failed (the caller
/// disables a hard one). Only Ctrl-C and the `SystemExit` of a requested reset are passed on
/// to the program.
pub(crate) fn run_callback(vm: &mut Vm, f: Obj, args: &[Obj], hard: bool) -> PyResult<bool> {
    let base = vm.roots.len();
    vm.roots.push(f);
    vm.roots.extend_from_slice(args);
    vm.machine.in_callback = true;
    let r = vm.call(f, args, &[]);
    vm.machine.in_callback = false;
    vm.roots.truncate(base);
    match r {
        Ok(_) => Ok(true),
        Err(e) if vm.reset_request.is_some() || vm.exc_is(e, ty::KEYBOARD_INTERRUPT) => Err(e),
        Err(e) => {
            if hard {
                vm.port
                    .stderr(b"Uncaught exception in IRQ callback handler\n");
            }
            vm.print_exception(e);
            Ok(false)
        }
    }
}

/// At most this many pin events are handled per poll (the rest wait for the next).
const MAX_PIN_EVENTS: usize = 8;

/// Runs what is due: handlers of pin edges, the switch callback on a press, and `Timer`
/// callbacks whose deadline passed (a periodic timer's next deadline is one period on, so
/// a late poll catches up one call at a time).
pub(crate) fn poll(vm: &mut Vm) -> PyResult<()> {
    if vm.machine.in_callback || vm.machine.irq_disabled {
        return Ok(());
    }
    if !vm.machine.irqs.is_empty() {
        for _ in 0..MAX_PIN_EVENTS {
            let Some(pin) = vm.port.hardware().and_then(|h| h.take_pin_event()) else {
                break;
            };
            let Some(irq) = vm.machine.irqs.iter().find(|i| i.pin == pin).copied() else {
                continue;
            };
            if !run_callback(vm, irq.handler, &[irq.pin_obj], irq.hard)? {
                super::machine_pin::drop_irq(vm, pin);
            }
        }
    }
    if let Some(cb) = vm.machine.switch_callback {
        let down = vm
            .port
            .hardware()
            .and_then(|h| h.switch_pressed())
            .unwrap_or(false);
        let pressed = down && !vm.machine.switch_down;
        vm.machine.switch_down = down;
        if pressed && !run_callback(vm, cb, &[], true)? {
            vm.machine.switch_callback = None;
        }
    }
    if !vm.machine.timers.is_empty() {
        let now = vm.port.ticks_us();
        let timers = vm.machine.timers.clone();
        for t in timers {
            if let Some((callback, hard)) = super::machine_timer::take_due(vm, t, now) {
                if !run_callback(vm, callback, &[t], hard)? {
                    super::machine_timer::disable(vm, t);
                }
            }
            super::pyb_timer_channel::poll(vm, t)?;
        }
    }
    Ok(())
}

/// Stops the pin interrupts, the PWM outputs and the timers the program set up (before a
/// soft reset: the hardware outlives the VM).
pub fn release(vm: &mut Vm) {
    let pins: Vec<u16> = vm.machine.irqs.drain(..).map(|i| i.pin).collect();
    let pwm_pins = core::mem::take(&mut vm.machine.pwm_pins);
    if let Some(h) = vm.port.hardware() {
        for pin in pins {
            let _ = h.pin_irq(pin, 0);
        }
        for pin in pwm_pins {
            let _ = h.pwm_set(pin, 0, 0);
        }
    }
    for t in core::mem::take(&mut vm.machine.pyb_timers) {
        super::pyb_timer::release(vm, t);
    }
    vm.machine.timers.clear();
    vm.machine.switch_callback = None;
}

/// The `KeyboardInterrupt` for Ctrl-C during a wait.
fn interrupted(vm: &mut Vm) -> PyResult<()> {
    if vm.port.interrupted() {
        return Err(vm.exc(ty::KEYBOARD_INTERRUPT, ""));
    }
    Ok(())
}

/// How many `micropython.schedule` callbacks a sleep runs each time it wakes (the queue's
/// depth).
const SCHEDULED_PER_WAKE: usize = 4;

/// How often a sleep wakes to look for pin and switch events, in microseconds.
const EVENT_POLL_US: u64 = 1000;

/// Sleeps `us` microseconds, running callbacks as they fall due; Ctrl-C raises
/// `KeyboardInterrupt`.
pub fn sleep_us(vm: &mut Vm, us: u64) -> PyResult<()> {
    if !vm.machine.active() {
        vm.port.sleep_us(us);
        return interrupted(vm);
    }
    let end = vm.port.ticks_us().saturating_add(us);
    loop {
        poll(vm)?;
        // What the callbacks scheduled with `micropython.schedule` runs too.
        for _ in 0..SCHEDULED_PER_WAKE {
            super::micropython::run_scheduled(vm);
        }
        let now = vm.port.ticks_us();
        if now >= end {
            return Ok(());
        }
        let mut slice = end - now;
        if !vm.machine.irqs.is_empty()
            || vm.machine.switch_callback.is_some()
            || super::machine_timer::any_hardware(vm)
        {
            slice = slice.min(EVENT_POLL_US);
        }
        if let Some(due) = super::machine_timer::next_deadline(vm) {
            // A timer already due waits for callbacks to be allowed again.
            let wait = due.saturating_sub(now);
            slice = slice.min(if wait == 0 { EVENT_POLL_US } else { wait });
        }
        vm.port.sleep_us(slice);
        interrupted(vm)?;
    }
}

// ---- repr ----

/// Writes the `repr` of peripheral `o`.
pub fn repr_into(vm: &mut Vm, o: Obj, out: &mut String) {
    use core::fmt::Write;
    if let Some(HeapObj::Machine(p)) = vm.heap.get(o) {
        if let Periph::PybTimer(_) = **p {
            super::pyb_timer::refresh(vm, o);
        }
    }
    let Some(HeapObj::Machine(p)) = vm.heap.get(o) else {
        return;
    };
    let s = match &**p {
        Periph::Pin(pin) => {
            let pin = *pin;
            super::machine_pin::pin_repr(vm, pin)
        }
        Periph::I2c(i) => {
            let i = i.clone();
            super::machine_i2c::i2c_repr(vm, &i)
        }
        Periph::Spi(s) => {
            let s = s.clone();
            super::machine_spi::spi_repr(vm, &s)
        }
        Periph::Uart(u) => super::machine_spi::uart_repr(u),
        Periph::Adc(a) => {
            let pin = a.pin;
            let name = pin_name(vm, pin);
            alloc::format!("<ADC on {name}>")
        }
        Periph::Pwm(p) => {
            let (pin, freq, duty) = (p.pin, p.freq, p.duty);
            let name = pin_name(vm, pin);
            alloc::format!("PWM(Pin({name}), freq={freq}, duty_u16={duty})")
        }
        Periph::Timer(t) => super::machine_timer::timer_repr(t),
        Periph::Rtc => String::from("<RTC>"),
        Periph::Led(n) => alloc::format!("LED({n})"),
        Periph::Switch => String::from("Switch()"),
        Periph::PybI2c(i) => super::pyb_i2c::repr(i),
        Periph::Flash(f) => super::pyb_flash::repr(f),
        Periph::PybTimer(t) => super::pyb_timer::repr(t),
        Periph::PybTimerChannel(c) => super::pyb_timer_channel::repr(c),
    };
    let _ = write!(out, "{s}");
}

// ---- the module ----

/// Calls one of the classes of `machine` and `pyb` (the types `ty::PIN..=ty::PYB_TIMER`).
pub fn construct(vm: &mut Vm, t: u16, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    use super::{machine_analog as analog, machine_i2c as i2c, machine_spi as spi};
    match t {
        ty::PIN => super::machine_pin::pin_new(vm, args, kw),
        ty::I2C => i2c::i2c_new(vm, args, kw),
        ty::SOFT_I2C => i2c::softi2c_new(vm, args, kw),
        ty::SPI => spi::spi_new(vm, args, kw),
        ty::SOFT_SPI => spi::softspi_new(vm, args, kw),
        ty::UART => spi::uart_new(vm, args, kw),
        ty::ADC => analog::adc_new(vm, args, kw),
        ty::PWM => analog::pwm_new(vm, args, kw),
        ty::TIMER => super::machine_timer::timer_new(vm, args, kw),
        ty::RTC => super::machine_timer::rtc_new(vm, args, kw),
        ty::LED => super::pyb::led_new(vm, args, kw),
        ty::SWITCH => super::pyb::switch_new(vm, args, kw),
        ty::PYB_FLASH => super::pyb_flash::flash_new(vm, args, kw),
        ty::PYB_TIMER => super::pyb_timer::timer_new(vm, args, kw),
        _ => super::pyb_i2c::pyb_i2c_new(vm, args, kw),
    }
}

/// Raises `SystemExit` after recording a reset for the REPL (and telling the hardware).
fn request_reset(vm: &mut Vm, kind: ResetKind) -> PyResult<Obj> {
    if let Some(h) = vm.port.hardware() {
        h.request_reset(kind);
    }
    vm.reset_request = Some(kind);
    Err(vm.exc(ty::SYSTEM_EXIT, ""))
}

/// `machine.reset()`: the whole board restarts.
pub(crate) fn machine_reset(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 0)?;
    request_reset(vm, ResetKind::Hard)
}

/// `machine.soft_reset()`: a fresh interpreter.
fn machine_soft_reset(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 0)?;
    request_reset(vm, ResetKind::Soft)
}

/// `machine.bootloader([value])`: the board enters its ROM loader.
pub(crate) fn machine_bootloader(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 1)?;
    request_reset(vm, ResetKind::Bootloader)
}

/// `machine.reset_cause()`.
fn machine_reset_cause(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 0)?;
    let cause = vm.port.hardware().map_or(1, |h| h.reset_cause());
    Ok(Obj::small_int_unchecked(i32::from(cause)))
}

/// `machine.unique_id()`: the chip's id, as bytes.
pub(crate) fn machine_unique_id(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 0)?;
    let id = hw(vm)?.unique_id();
    crate::obj::bytes::new_bytes(vm, id)
}

/// `machine.freq()`: the CPU clock in Hz (setting it is accepted and ignored).
pub(crate) fn machine_freq(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 4)?;
    let f = hw(vm)?.freq();
    if !args.is_empty() {
        return Ok(Obj::NONE);
    }
    vm.new_int(i64::from(f))
}

/// `machine.idle()`: gives the CPU away until something happens: runs what is due.
pub(crate) fn machine_idle(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 0)?;
    poll(vm)?;
    interrupted(vm)?;
    Ok(Obj::NONE)
}

/// `machine.disable_irq()`: callbacks wait until `enable_irq`; the previous state.
pub(crate) fn machine_disable_irq(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 0)?;
    let was = core::mem::replace(&mut vm.machine.irq_disabled, true);
    Ok(Obj::small_int_unchecked(i32::from(was)))
}

/// `machine.enable_irq(state)`: restores what `disable_irq` returned.
pub(crate) fn machine_enable_irq(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 0, 1)?;
    let state = match args.first() {
        Some(&s) => vm.index_value(s)? != 0,
        None => false,
    };
    vm.machine.irq_disabled = state;
    Ok(Obj::NONE)
}

/// The optional time in milliseconds of `lightsleep` and `deepsleep`.
fn sleep_ms_arg(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<u64> {
    arity(vm, args, kw, 0, 1)?;
    let ms = match args.first() {
        Some(&ms) => vm.index_value(ms)?,
        None => 0,
    };
    Ok(u64::try_from(ms).unwrap_or(0))
}

/// `machine.lightsleep([ms])`: sleeps; callbacks run.
fn machine_lightsleep(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let ms = sleep_ms_arg(vm, args, kw)?;
    sleep_us(vm, ms.saturating_mul(1000))?;
    Ok(Obj::NONE)
}

/// `machine.deepsleep([ms])`: sleeps, then the board restarts.
fn machine_deepsleep(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let ms = sleep_ms_arg(vm, args, kw)?;
    vm.port.sleep_us(ms.saturating_mul(1000));
    request_reset(vm, ResetKind::Hard)
}

/// `machine.time_pulse_us(pin, pulse_level, timeout_us=1000000)`: waits for the pin to reach
/// `pulse_level` (-2 on timeout), then times how long it stays there (-1 on timeout).
fn machine_time_pulse_us(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 3)?;
    let pin = pin_arg(vm, args[0])?;
    let level = vm.truthy(args[1])?;
    let timeout = int_or(vm, args.get(2).copied().unwrap_or(Obj::NULL), 1_000_000)?;
    let timeout = u64::try_from(timeout).unwrap_or(0);
    let mut start = vm.port.ticks_us();
    while hw(vm)?.pin_read(pin) != level {
        if vm.port.ticks_us().saturating_sub(start) >= timeout {
            return Ok(Obj::small_int_unchecked(-2));
        }
        interrupted(vm)?;
    }
    start = vm.port.ticks_us();
    while hw(vm)?.pin_read(pin) == level {
        if vm.port.ticks_us().saturating_sub(start) >= timeout {
            return Ok(Obj::small_int_unchecked(-1));
        }
        interrupted(vm)?;
    }
    let t = vm.port.ticks_us().saturating_sub(start);
    new_uint(vm, t)
}

crate::native_table!(pub FUNCTIONS = [
    ("bootloader", machine_bootloader),
    ("deepsleep", machine_deepsleep),
    ("disable_irq", machine_disable_irq),
    ("enable_irq", machine_enable_irq),
    ("freq", machine_freq),
    ("idle", machine_idle),
    ("lightsleep", machine_lightsleep),
    ("reset", machine_reset),
    ("reset_cause", machine_reset_cause),
    ("sleep", machine_lightsleep),
    ("soft_reset", machine_soft_reset),
    ("time_pulse_us", machine_time_pulse_us),
    ("unique_id", machine_unique_id),
]);

/// Names of the module's other attributes.
pub static ATTR_NAMES: &[&str] = &[
    "ADC",
    "DEEPSLEEP_RESET",
    "HARD_RESET",
    "I2C",
    "PWM",
    "PWRON_RESET",
    "Pin",
    "RTC",
    "SOFT_RESET",
    "SPI",
    "SoftI2C",
    "SoftSPI",
    "Timer",
    "UART",
    "WDT_RESET",
];

/// The module's classes and constants (the reset causes are `Hardware::reset_cause`'s).
pub fn module_attr(_vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    let t = match name {
        "Pin" => ty::PIN,
        "I2C" => ty::I2C,
        "SoftI2C" => ty::SOFT_I2C,
        "SPI" => ty::SPI,
        "SoftSPI" => ty::SOFT_SPI,
        "UART" => ty::UART,
        "ADC" => ty::ADC,
        "PWM" => ty::PWM,
        "Timer" => ty::TIMER,
        "RTC" => ty::RTC,
        _ => {
            let c = match name {
                "PWRON_RESET" => 1,
                "HARD_RESET" => 2,
                "WDT_RESET" => 3,
                "DEEPSLEEP_RESET" => 4,
                "SOFT_RESET" => 5,
                _ => return Ok(None),
            };
            return Ok(Some(Obj::small_int_unchecked(c)));
        }
    };
    Ok(Some(Obj::builtin_type(t)))
}
