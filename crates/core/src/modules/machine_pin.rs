//! `machine.Pin` (also `pyb.Pin`): a GPIO pin, with the pyboard's constants and legacy names.
//!
//! The mode constants have the stm32 port's values (`OPEN_DRAIN` is 0x11); the edge constants
//! are the hardware trait's (`IRQ_RISING` 1, `IRQ_FALLING` 2). The hardware sets modes but
//! does not report them, so the VM remembers how each pin was configured (`MachineState`), for
//! `mode()`, `pull()` and `repr`. The `repr` is the pyboard's with the name the port gives the
//! pin in place of `Pin.cpu.A13` (ports name pins by their board names): `Pin(X1, mode=Pin.OUT)`.

use alloc::string::String;

use crate::hardware::{PinMode, Pull, IRQ_FALLING, IRQ_RISING};
use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

use super::machine::{
    arity, bool_or, check, hw, int_or, new_periph, parse, periph, pin_arg, pin_name, wrong_self,
    Periph, PinConfig, PinIrq, KW_ONLY,
};

/// `Pin.IN`.
const IN: i32 = 0;
/// `Pin.OUT` (`OUT_PP`).
const OUT: i32 = 1;
/// `Pin.ALT` (`AF_PP`).
const ALT: i32 = 2;
/// `Pin.ANALOG`.
const ANALOG: i32 = 3;
/// `Pin.OPEN_DRAIN` (`OUT_OD`).
const OPEN_DRAIN: i32 = 0x11;
/// `Pin.ALT_OPEN_DRAIN` (`AF_OD`).
const ALT_OPEN_DRAIN: i32 = 0x12;
/// `Pin.PULL_UP`.
const PULL_UP: i32 = 1;
/// `Pin.PULL_DOWN`.
const PULL_DOWN: i32 = 2;

/// The class constants, sorted by name.
pub static CONSTS: &[(&str, i32)] = &[
    ("AF_OD", ALT_OPEN_DRAIN),
    ("AF_PP", ALT),
    ("ALT", ALT),
    ("ALT_OPEN_DRAIN", ALT_OPEN_DRAIN),
    ("ANALOG", ANALOG),
    ("IN", IN),
    ("IRQ_FALLING", IRQ_FALLING as i32),
    ("IRQ_RISING", IRQ_RISING as i32),
    ("OPEN_DRAIN", OPEN_DRAIN),
    ("OUT", OUT),
    ("OUT_OD", OPEN_DRAIN),
    ("OUT_PP", OUT),
    ("PULL_DOWN", PULL_DOWN),
    ("PULL_NONE", 0),
    ("PULL_UP", PULL_UP),
];

/// The hardware mode of a mode constant.
fn hw_mode(mode: i32) -> Option<PinMode> {
    Some(match mode {
        IN => PinMode::Input,
        OUT => PinMode::Output,
        OPEN_DRAIN => PinMode::OpenDrain,
        ALT => PinMode::Alt,
        ALT_OPEN_DRAIN => PinMode::AltOpenDrain,
        ANALOG => PinMode::Analog,
        _ => return None,
    })
}

/// The hardware pull of a pull constant.
fn hw_pull(pull: i32) -> Option<Pull> {
    Some(match pull {
        0 => Pull::None,
        PULL_UP => Pull::Up,
        PULL_DOWN => Pull::Down,
        _ => return None,
    })
}

/// The pin a method was called on.
fn this(vm: &mut Vm, args: &[Obj]) -> PyResult<u16> {
    match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::Pin(p)) => Ok(*p),
        _ => Err(wrong_self(vm, "Pin")),
    }
}

/// The configuration of `pin` as the program last set it (input, no pull, by default).
fn config(vm: &Vm, pin: u16) -> PinConfig {
    vm.machine.pin_config(pin).unwrap_or(PinConfig {
        pin,
        mode: IN,
        pull: 0,
        alt: -1,
    })
}

/// Configures `pin` from `init`'s arguments `(mode, pull, value, alt)`; `NULL` or -1 keeps
/// the mode or pull as it was.
fn configure(vm: &mut Vm, pin: u16, [mode, pull, value, alt]: [Obj; 4]) -> PyResult<()> {
    let mut c = config(vm, pin);
    let m = int_or(vm, mode, -1)?;
    if m != -1 {
        c.mode = i32::try_from(m).unwrap_or(i32::MIN);
    }
    let Some(hm) = hw_mode(c.mode) else {
        raise!(vm, VALUE_ERROR, "invalid pin mode: {}", m);
    };
    if pull == Obj::NONE {
        c.pull = 0;
    } else {
        let p = int_or(vm, pull, -1)?;
        if p != -1 {
            c.pull = i32::try_from(p).unwrap_or(i32::MIN);
        }
    }
    let Some(hp) = hw_pull(c.pull) else {
        raise!(vm, VALUE_ERROR, "invalid pin pull: {}", c.pull);
    };
    let a = int_or(vm, alt, -1)?;
    if matches!(c.mode, ALT | ALT_OPEN_DRAIN) {
        if !(0..=15).contains(&a) {
            raise!(vm, VALUE_ERROR, "invalid pin af: {}", a);
        }
        c.alt = a as i32;
    } else {
        c.alt = -1;
    }
    if !value.is_null() && value != Obj::NONE {
        let high = vm.truthy(value)?;
        hw(vm)?.pin_write(pin, high);
    }
    let r = hw(vm)?.pin_init(pin, hm, hp);
    check(vm, r)?;
    vm.machine.set_pin_config(c);
    Ok(())
}

/// The parameters of `Pin(id, ...)` and `Pin.init(...)` after the id.
const INIT_ARGS: [(&str, u8); 4] = [
    ("mode", 0),
    ("pull", 0),
    ("value", KW_ONLY),
    ("alt", KW_ONLY),
];

/// `Pin(id, mode=-1, pull=-1, *, value=None, alt=-1)`: `id` is a name (`"X1"`), a port pin
/// number or a `Pin`.
pub fn pin_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some((&id, rest)) = args.split_first() else {
        raise!(vm, TYPE_ERROR, "'id' argument required");
    };
    let pin = pin_arg(vm, id)?;
    if !rest.is_empty() || !kw.is_empty() {
        let a = parse(vm, rest, kw, &INIT_ARGS)?;
        configure(vm, pin, a)?;
    }
    new_periph(vm, Periph::Pin(pin))
}

/// `init(mode=-1, pull=-1, *, value=None, alt=-1)`.
fn pin_init(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let pin = this(vm, args)?;
    let a = parse(vm, &args[1..], kw, &INIT_ARGS)?;
    configure(vm, pin, a)?;
    Ok(Obj::NONE)
}

/// `value([x])`, also `pin([x])`: the level as 0 or 1, or drives it.
fn pin_value(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    let pin = this(vm, args)?;
    match args.get(1) {
        Some(&v) => {
            let high = vm.truthy(v)?;
            hw(vm)?.pin_write(pin, high);
            Ok(Obj::NONE)
        }
        None => {
            let high = hw(vm)?.pin_read(pin);
            Ok(Obj::small_int_unchecked(i32::from(high)))
        }
    }
}

/// Drives the pin of a one-argument method high or low.
fn drive(vm: &mut Vm, args: &[Obj], kw: Kw, high: bool) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let pin = this(vm, args)?;
    hw(vm)?.pin_write(pin, high);
    Ok(Obj::NONE)
}

/// `on()`, also `high()`.
fn pin_on(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    drive(vm, args, kw, true)
}

/// `off()`, also `low()`.
fn pin_off(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    drive(vm, args, kw, false)
}

/// `toggle()`.
fn pin_toggle(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let pin = this(vm, args)?;
    let h = hw(vm)?;
    let high = h.pin_read(pin);
    h.pin_write(pin, !high);
    Ok(Obj::NONE)
}

/// `mode([mode])`: the mode constant, or sets it.
fn pin_mode(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    let pin = this(vm, args)?;
    match args.get(1) {
        Some(&m) => {
            configure(vm, pin, [m, Obj::NULL, Obj::NULL, Obj::NULL])?;
            Ok(Obj::NONE)
        }
        None => Ok(Obj::small_int_unchecked(config(vm, pin).mode)),
    }
}

/// `pull([pull])`: the pull constant, or sets it.
fn pin_pull(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    let pin = this(vm, args)?;
    match args.get(1) {
        Some(&p) => {
            let alt = Obj::small_int_unchecked(config(vm, pin).alt);
            configure(vm, pin, [Obj::NULL, p, Obj::NULL, alt])?;
            Ok(Obj::NONE)
        }
        None => Ok(Obj::small_int_unchecked(config(vm, pin).pull)),
    }
}

/// `name()`: the name the port gives the pin.
fn pin_name_method(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let pin = this(vm, args)?;
    let s = pin_name(vm, pin);
    vm.new_string(s)
}

/// `names()`: the pin's names (one here).
fn pin_names(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let name = pin_name_method(vm, args, kw)?;
    vm.new_list(alloc::vec![name])
}

/// Stops watching `pin` and forgets its handler.
pub(crate) fn drop_irq(vm: &mut Vm, pin: u16) {
    vm.machine.irqs.retain(|i| i.pin != pin);
    if let Some(h) = vm.port.hardware() {
        let _ = h.pin_irq(pin, 0);
    }
}

/// `irq(handler=None, trigger=IRQ_FALLING | IRQ_RISING, *, hard=False)`: calls
/// `handler(pin)` on each edge; `None` stops. Returns `None`, as the stm32 port does.
fn pin_irq(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let pin = this(vm, args)?;
    let [handler, trigger, hard, _priority, _wake] = parse(
        vm,
        &args[1..],
        kw,
        &[
            ("handler", 0),
            ("trigger", 0),
            ("hard", 0),
            ("priority", KW_ONLY),
            ("wake", KW_ONLY),
        ],
    )?;
    if args.len() < 2 && kw.is_empty() {
        return Ok(Obj::NONE);
    }
    let edges = int_or(vm, trigger, i64::from(IRQ_RISING | IRQ_FALLING))?;
    let edges = (edges & i64::from(IRQ_RISING | IRQ_FALLING)) as u8;
    let hard = bool_or(vm, hard, false)?;
    if handler.is_null() || handler == Obj::NONE {
        drop_irq(vm, pin);
        return Ok(Obj::NONE);
    }
    vm.machine.irqs.retain(|i| i.pin != pin);
    let r = hw(vm)?.pin_irq(pin, edges);
    check(vm, r)?;
    vm.machine.irqs.push(PinIrq {
        pin,
        pin_obj: args[0],
        handler,
        hard,
    });
    Ok(Obj::NONE)
}

/// The `repr` of a pin: `Pin(X1, mode=Pin.OUT, pull=Pin.PULL_UP)`.
pub(crate) fn pin_repr(vm: &mut Vm, pin: u16) -> String {
    let c = config(vm, pin);
    let name = pin_name(vm, pin);
    let mode = match c.mode {
        OUT => "OUT",
        OPEN_DRAIN => "OPEN_DRAIN",
        ALT => "ALT",
        ALT_OPEN_DRAIN => "ALT_OPEN_DRAIN",
        ANALOG => return alloc::format!("Pin({name}, mode=Pin.ANALOG)"),
        _ => "IN",
    };
    let pull = match c.pull {
        PULL_UP => ", pull=Pin.PULL_UP",
        PULL_DOWN => ", pull=Pin.PULL_DOWN",
        _ => "",
    };
    if c.alt >= 0 {
        alloc::format!("Pin({name}, mode=Pin.{mode}{pull}, alt={})", c.alt)
    } else {
        alloc::format!("Pin({name}, mode=Pin.{mode}{pull})")
    }
}

crate::native_table!(pub METHODS = [
    ("__call__", pin_value),
    ("high", pin_on),
    ("init", pin_init),
    ("irq", pin_irq),
    ("low", pin_off),
    ("mode", pin_mode),
    ("name", pin_name_method),
    ("names", pin_names),
    ("off", pin_off),
    ("on", pin_on),
    ("pull", pin_pull),
    ("toggle", pin_toggle),
    ("value", pin_value),
]);
