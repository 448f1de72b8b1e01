//! `machine.ADC` (also `pyb.ADC`) and `machine.PWM`: the analog side of a pin.
//!
//! The port reads and drives 16-bit values; `pyb.ADC.read()` is the pyboard's 12-bit reading
//! of the same sample. A PWM keeps its frequency and duty here, so `duty_ns` converts with the
//! current frequency and the port only ever sees `(freq, duty_u16)`. Where the port knows the
//! frequency the output runs at (`Hardware::pwm_freq`: its timer's, which `pyb.Timer` may have
//! changed), that is the current one: `freq()` reads it and a new duty keeps it.

use crate::hardware::{HwResult, EINVAL, ENODEV, ERANGE};
use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

use super::machine::{
    arity, bool_or, check, hw, int_or, new_periph, parse, periph, pin_arg, pin_name, wrong_self,
    Periph, KW_ONLY, REQUIRED,
};

/// An `ADC` object.
#[derive(Clone, Copy)]
pub struct AdcObj {
    /// The pin it samples.
    pub pin: u16,
}

/// `ADC(pin)`: `pin` is a `Pin`, a pin name or number; a pin without an ADC channel is
/// MicroPython's `ValueError`.
pub fn adc_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let [id, _atten] = parse(vm, args, kw, &[("id", REQUIRED), ("atten", KW_ONLY)])?;
    let pin = pin_arg(vm, id)?;
    let r = hw(vm)?.adc_read_u16(pin);
    if let Err(ENODEV | EINVAL) = r {
        let name = pin_name(vm, pin);
        raise!(
            vm,
            VALUE_ERROR,
            "Pin({}) doesn't have ADC capabilities",
            name
        );
    }
    check(vm, r)?;
    new_periph(vm, Periph::Adc(AdcObj { pin }))
}

/// A sample of the ADC a method was called on, 0..=65535.
fn sample(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<u16> {
    arity(vm, args, kw, 1, 1)?;
    let pin = match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::Adc(a)) => a.pin,
        _ => return Err(wrong_self(vm, "ADC")),
    };
    let r = hw(vm)?.adc_read_u16(pin);
    check(vm, r)
}

/// `read_u16()`: a sample scaled to 0..=65535.
fn adc_read_u16(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let v = sample(vm, args, kw)?;
    Ok(Obj::small_int_unchecked(i32::from(v)))
}

/// `read()`: a 12-bit sample, 0..=4095 (`pyb.ADC`).
fn adc_read(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let v = sample(vm, args, kw)?;
    Ok(Obj::small_int_unchecked(i32::from(v >> 4)))
}

crate::native_table!(pub ADC_METHODS = [
    ("read", adc_read),
    ("read_u16", adc_read_u16),
]);

// ---- PWM ----

/// The frequency a PWM starts with when none is given.
const DEFAULT_FREQ: u32 = 1000;

/// A `PWM` object.
#[derive(Clone, Copy)]
pub struct PwmObj {
    /// The pin it drives.
    pub pin: u16,
    /// Hz.
    pub freq: u32,
    /// The duty cycle, out of 65535 (before inversion).
    pub duty: u16,
    /// The output is inverted.
    pub invert: bool,
}

/// The PWM a method was called on.
fn pwm_this(vm: &mut Vm, args: &[Obj]) -> PyResult<PwmObj> {
    match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::Pwm(p)) => Ok(*p),
        _ => Err(wrong_self(vm, "PWM")),
    }
}

/// The PWM a method was called on, at the frequency its output runs at if the port knows it.
fn pwm_now(vm: &mut Vm, args: &[Obj]) -> PyResult<PwmObj> {
    let mut p = pwm_this(vm, args)?;
    if let Some(freq) = vm.port.hardware().and_then(|h| h.pwm_freq(p.pin)) {
        p.freq = freq;
    }
    Ok(p)
}

/// The port's answer to a PWM setting on `pin`, with MicroPython's `ValueError`s for a pin
/// without PWM and a frequency its timer cannot make.
fn pwm_check(vm: &mut Vm, pin: u16, r: HwResult<()>) -> PyResult<()> {
    match r {
        Err(ENODEV) => {
            let name = pin_name(vm, pin);
            raise!(
                vm,
                VALUE_ERROR,
                "Pin({}) doesn't have PWM capabilities",
                name
            );
        }
        Err(EINVAL) => raise!(vm, VALUE_ERROR, "freq too large"),
        Err(ERANGE) => raise!(vm, VALUE_ERROR, "freq too small"),
        r => check(vm, r),
    }
}

/// Sends the PWM's settings to the port and keeps them in object `o` (if it is one yet).
fn apply(vm: &mut Vm, o: Obj, p: PwmObj) -> PyResult<()> {
    let duty = if p.invert { u16::MAX - p.duty } else { p.duty };
    let r = hw(vm)?.pwm_set(p.pin, p.freq, duty);
    pwm_check(vm, p.pin, r)?;
    if !vm.machine.pwm_pins.contains(&p.pin) {
        vm.machine.pwm_pins.push(p.pin);
    }
    if let Some(Periph::Pwm(q)) = periph(vm, o) {
        *q = p;
    }
    Ok(())
}

/// A frequency argument.
fn freq_arg(vm: &mut Vm, o: Obj) -> PyResult<u32> {
    let f = vm.index_value(o)?;
    match u32::try_from(f) {
        Ok(f) if f > 0 => Ok(f),
        _ => raise!(vm, VALUE_ERROR, "freq must be positive"),
    }
}

/// A `duty_u16` argument.
fn duty_u16_arg(vm: &mut Vm, o: Obj) -> PyResult<u16> {
    let d = vm.index_value(o)?;
    match u16::try_from(d) {
        Ok(d) => Ok(d),
        Err(_) => raise!(vm, VALUE_ERROR, "duty_u16 must be from 0 to 65535"),
    }
}

/// The `duty_u16` of a pulse `ns` nanoseconds long at `freq` Hz.
fn ns_to_u16(ns: i64, freq: u32) -> u16 {
    let d = u64::try_from(ns)
        .unwrap_or(0)
        .saturating_mul(u64::from(freq))
        .saturating_mul(65536)
        / 1_000_000_000;
    d.min(65535) as u16
}

/// The length in nanoseconds of a pulse of `duty_u16` at `freq` Hz.
fn u16_to_ns(duty: u16, freq: u32) -> i64 {
    if freq == 0 {
        return 0;
    }
    let ns =
        (u64::from(duty) * 1_000_000_000 + u64::from(freq) * 32768) / (u64::from(freq) * 65536);
    ns as i64
}

/// Applies `init`'s keywords `(freq, duty_u16, duty_ns, invert)` to `p`; whether any was
/// given.
fn settings(vm: &mut Vm, p: &mut PwmObj, a: [Obj; 4]) -> PyResult<bool> {
    let [freq, duty_u16, duty_ns, invert] = a;
    if !freq.is_null() {
        p.freq = freq_arg(vm, freq)?;
    }
    if !duty_u16.is_null() {
        p.duty = duty_u16_arg(vm, duty_u16)?;
    } else if !duty_ns.is_null() {
        let ns = vm.index_value(duty_ns)?;
        p.duty = ns_to_u16(ns, p.freq);
    }
    p.invert = bool_or(vm, invert, p.invert)?;
    Ok(a.iter().any(|o| !o.is_null()))
}

/// The keywords of `PWM` and `PWM.init`.
const PWM_ARGS: [(&str, u8); 4] = [
    ("freq", KW_ONLY),
    ("duty_u16", KW_ONLY),
    ("duty_ns", KW_ONLY),
    ("invert", KW_ONLY),
];

/// `PWM(pin, *, freq, duty_u16, duty_ns, invert=False)`: the output starts once a setting
/// is given.
pub fn pwm_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some((&dest, rest)) = args.split_first() else {
        raise!(vm, TYPE_ERROR, "'dest' argument required");
    };
    let a = parse(vm, rest, kw, &PWM_ARGS)?;
    let pin = pin_arg(vm, dest)?;
    let mut p = PwmObj {
        pin,
        freq: DEFAULT_FREQ,
        duty: 0,
        invert: false,
    };
    let given = settings(vm, &mut p, a)?;
    let o = new_periph(vm, Periph::Pwm(p))?;
    if given {
        apply(vm, o, p)?;
    }
    Ok(o)
}

/// `init(*, freq, duty_u16, duty_ns, invert)`.
fn pwm_init(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let mut p = pwm_now(vm, args)?;
    let a = parse(vm, &args[1..], kw, &PWM_ARGS)?;
    settings(vm, &mut p, a)?;
    apply(vm, args[0], p)?;
    Ok(Obj::NONE)
}

/// `deinit()`: stops the output.
fn pwm_deinit(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let p = pwm_this(vm, args)?;
    let r = hw(vm)?.pwm_set(p.pin, 0, 0);
    pwm_check(vm, p.pin, r)?;
    vm.machine.pwm_pins.retain(|&pin| pin != p.pin);
    Ok(Obj::NONE)
}

/// `freq([value])`.
fn pwm_freq(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    let mut p = pwm_now(vm, args)?;
    let Some(&f) = args.get(1) else {
        return vm.new_int(i64::from(p.freq));
    };
    p.freq = freq_arg(vm, f)?;
    apply(vm, args[0], p)?;
    Ok(Obj::NONE)
}

/// `duty_u16([value])`: the duty cycle out of 65535.
fn pwm_duty_u16(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    let mut p = pwm_now(vm, args)?;
    let Some(&d) = args.get(1) else {
        return Ok(Obj::small_int_unchecked(i32::from(p.duty)));
    };
    p.duty = duty_u16_arg(vm, d)?;
    apply(vm, args[0], p)?;
    Ok(Obj::NONE)
}

/// `duty_ns([value])`: the pulse length in nanoseconds.
fn pwm_duty_ns(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    let mut p = pwm_now(vm, args)?;
    let Some(&d) = args.get(1) else {
        return vm.new_int(u16_to_ns(p.duty, p.freq));
    };
    let ns = int_or(vm, d, 0)?;
    p.duty = ns_to_u16(ns, p.freq);
    apply(vm, args[0], p)?;
    Ok(Obj::NONE)
}

crate::native_table!(pub PWM_METHODS = [
    ("deinit", pwm_deinit),
    ("duty_ns", pwm_duty_ns),
    ("duty_u16", pwm_duty_u16),
    ("freq", pwm_freq),
    ("init", pwm_init),
]);
