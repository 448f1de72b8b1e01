//! `pyb.I2C`: the pyboard's own I2C API (`send`, `recv`, `mem_read`, `mem_write`), over the
//! same transactions as `machine.I2C`.
//!
//! As on the pyboard, `I2C(1)` alone gives the bus uninitialised (only `init` or arguments to
//! the constructor make it a controller), a device that does not acknowledge is
//! `OSError(EIO)` (the HAL's error, not `ENODEV`), and `data` may be an int (one byte to
//! send, or how many to receive) or a buffer. Peripheral mode is not simulated: a bus in it
//! refuses transfers.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::hardware::{I2cId, I2cOp, EIO, ENODEV};
use crate::native::{Kw, PyResult};
use crate::obj::bytes::new_bytes;
use crate::value::Obj;
use crate::vm::Vm;

use super::machine::{
    arity, check, fill_buf, hw, int_or, len_arg, new_periph, no_such, parse, periph, read_buf,
    write_buf_len, wrong_self, Periph, KW_ONLY, REQUIRED,
};

/// `I2C.CONTROLLER` (`MASTER`).
const CONTROLLER: i64 = 0;
/// `I2C.PERIPHERAL` (`SLAVE`).
const PERIPHERAL: i64 = 1;
/// The fastest clock the pyboard's I2C runs at.
const MAX_BAUDRATE: u32 = 400_000;

/// The class constants, sorted by name.
pub static CONSTS: &[(&str, i32)] = &[
    ("CONTROLLER", CONTROLLER as i32),
    ("MASTER", CONTROLLER as i32),
    ("PERIPHERAL", PERIPHERAL as i32),
    ("SLAVE", PERIPHERAL as i32),
];

/// How a `pyb.I2C` bus is set up.
#[derive(Clone, Copy)]
pub enum PybI2cMode {
    /// Not initialised.
    Off,
    /// A controller at this clock, with the port's handle.
    Controller { bus: u8, baudrate: u32 },
    /// A peripheral answering this address (not simulated).
    Peripheral { addr: u8 },
}

/// A `pyb.I2C` object.
#[derive(Clone, Copy)]
pub struct PybI2cObj {
    /// The bus number.
    pub id: i32,
    pub mode: PybI2cMode,
}

/// `pyb.I2C(bus, ...)`: with more arguments, as `init`.
pub fn pyb_i2c_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some((&id, rest)) = args.split_first() else {
        raise!(
            vm,
            TYPE_ERROR,
            "function missing 1 required positional arguments"
        );
    };
    if let Some(name) = vm.str_of(id).map(String::from) {
        raise!(vm, VALUE_ERROR, "I2C({}) doesn't exist", name);
    }
    let n = vm.index_value(id)?;
    let Ok(n) = i32::try_from(n) else {
        return Err(no_such(vm, "I2C", n));
    };
    let mode = if rest.is_empty() && kw.is_empty() {
        // Only to check that the bus exists.
        open(vm, n, MAX_BAUDRATE)?;
        PybI2cMode::Off
    } else {
        setup(vm, n, rest, kw)?
    };
    new_periph(vm, Periph::PybI2c(PybI2cObj { id: n, mode }))
}

/// Opens controller bus `id`; a missing bus is MicroPython's `ValueError`.
fn open(vm: &mut Vm, id: i32, baudrate: u32) -> PyResult<u8> {
    match hw(vm)?.i2c_open(I2cId::Hard(id), baudrate) {
        Err(ENODEV) => Err(no_such(vm, "I2C", i64::from(id))),
        r => check(vm, r),
    }
}

/// The mode `init`'s arguments ask for on bus `id`.
fn setup(vm: &mut Vm, id: i32, args: &[Obj], kw: Kw) -> PyResult<PybI2cMode> {
    let [mode, addr, baudrate, _gencall, _dma] = parse(
        vm,
        args,
        kw,
        &[
            ("mode", 0),
            ("addr", KW_ONLY),
            ("baudrate", KW_ONLY),
            ("gencall", KW_ONLY),
            ("dma", KW_ONLY),
        ],
    )?;
    if int_or(vm, mode, CONTROLLER)? != CONTROLLER {
        let addr = (int_or(vm, addr, 0x12)? & 0x7f) as u8;
        return Ok(PybI2cMode::Peripheral { addr });
    }
    let baudrate = int_or(vm, baudrate, i64::from(MAX_BAUDRATE))?;
    let baudrate = u32::try_from(baudrate.clamp(1, i64::from(MAX_BAUDRATE))).unwrap_or(1);
    let bus = open(vm, id, baudrate)?;
    Ok(PybI2cMode::Controller { bus, baudrate })
}

/// The bus a method was called on.
fn this(vm: &mut Vm, args: &[Obj]) -> PyResult<PybI2cObj> {
    match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::PybI2c(i)) => Ok(*i),
        _ => Err(wrong_self(vm, "I2C")),
    }
}

/// The handle of the controller a method was called on.
fn controller(vm: &mut Vm, args: &[Obj]) -> PyResult<u8> {
    match this(vm, args)?.mode {
        PybI2cMode::Controller { bus, .. } => Ok(bus),
        _ => raise!(vm, TYPE_ERROR, "I2C must be a controller"),
    }
}

/// `init(mode, *, addr=0x12, baudrate=400000, gencall=False, dma=False)`.
fn pyb_i2c_init(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let i = this(vm, args)?;
    let mode = setup(vm, i.id, &args[1..], kw)?;
    if let Some(Periph::PybI2c(i)) = periph(vm, args[0]) {
        i.mode = mode;
    }
    Ok(Obj::NONE)
}

/// `deinit()`.
fn pyb_i2c_deinit(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    this(vm, args)?;
    if let Some(Periph::PybI2c(i)) = periph(vm, args[0]) {
        i.mode = PybI2cMode::Off;
    }
    Ok(Obj::NONE)
}

/// Runs one transaction; the pyboard's errors: a device not answering is `EIO`.
fn transact(vm: &mut Vm, bus: u8, addr: u8, ops: &mut [I2cOp]) -> PyResult<()> {
    let r = hw(vm)?.i2c_transaction(bus, addr & 0x7f, ops);
    check(vm, r.map_err(|e| if e == ENODEV { EIO } else { e }))
}

/// `is_ready(addr)`: whether a device answers at `addr`.
fn pyb_i2c_is_ready(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 2)?;
    let bus = controller(vm, args)?;
    let addr = (vm.index_value(args[1])? & 0x7f) as u8;
    let ok = hw(vm)?
        .i2c_transaction(bus, addr, &mut [I2cOp::Write(&[])])
        .is_ok();
    Ok(Obj::bool(ok))
}

/// `scan()`: the addresses 0x08..=0x77 that answer.
fn pyb_i2c_scan(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let bus = controller(vm, args)?;
    let found = super::machine_i2c::scan(vm, bus)?;
    vm.new_list(found)
}

/// The bytes of `send`'s or `mem_write`'s data: an int is one byte.
fn send_data(vm: &mut Vm, o: Obj) -> PyResult<Vec<u8>> {
    if o.is_small_int() {
        return Ok(vec![vm.index_value(o)? as u8]);
    }
    read_buf(vm, o)
}

/// What `recv` and `mem_read` read into: an int is a count (a new `bytes` is returned), a
/// buffer is filled and returned.
fn recv_target(vm: &mut Vm, o: Obj) -> PyResult<(usize, Option<Obj>)> {
    if o.is_small_int() {
        return Ok((len_arg(vm, o)?, None));
    }
    Ok((write_buf_len(vm, o)?, Some(o)))
}

/// The result of `recv` and `mem_read`.
fn recv_result(vm: &mut Vm, data: Vec<u8>, into: Option<Obj>) -> PyResult<Obj> {
    match into {
        Some(o) => {
            fill_buf(vm, o, &data);
            Ok(o)
        }
        None => new_bytes(vm, data),
    }
}

/// The parameters of `send` and `recv` after `self`.
const XFER_ARGS: [(&str, u8); 3] = [("data", REQUIRED), ("addr", 0), ("timeout", KW_ONLY)];

/// The bus, payload argument and address of `send` or `recv`: the address is required of a
/// controller.
fn xfer_args(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<(u8, Obj, u8)> {
    let bus = controller(vm, args)?;
    let [data, addr, _timeout] = parse(vm, &args[1..], kw, &XFER_ARGS)?;
    if addr.is_null() {
        raise!(vm, TYPE_ERROR, "addr argument required");
    }
    let addr = (vm.index_value(addr)? & 0x7f) as u8;
    Ok((bus, data, addr))
}

/// `send(data, addr, *, timeout=5000)`.
fn pyb_i2c_send(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (bus, data, addr) = xfer_args(vm, args, kw)?;
    let bytes = send_data(vm, data)?;
    transact(vm, bus, addr, &mut [I2cOp::Write(&bytes)])?;
    Ok(Obj::NONE)
}

/// `recv(data, addr, *, timeout=5000)`: a new `bytes` for a count, else the filled buffer.
fn pyb_i2c_recv(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (bus, data, addr) = xfer_args(vm, args, kw)?;
    let (n, into) = recv_target(vm, data)?;
    let mut buf = vec![0u8; n];
    transact(vm, bus, addr, &mut [I2cOp::Read(&mut buf)])?;
    recv_result(vm, buf, into)
}

/// The bus, data argument, device address and memory address bytes of `mem_read` and
/// `mem_write`: `(data, addr, memaddr, *, timeout=5000, addr_size=8)`; any `addr_size` but
/// 8 means 16 bits, as on the pyboard.
fn mem_args(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<(u8, Obj, u8, Vec<u8>)> {
    let [data, addr, memaddr, _timeout, addr_size] = parse(
        vm,
        &args[1..],
        kw,
        &[
            ("data", REQUIRED),
            ("addr", REQUIRED),
            ("memaddr", REQUIRED),
            ("timeout", KW_ONLY),
            ("addr_size", KW_ONLY),
        ],
    )?;
    let bus = controller(vm, args)?;
    let addr = (vm.index_value(addr)? & 0x7f) as u8;
    let memaddr = vm.index_value(memaddr)?;
    let bits = if int_or(vm, addr_size, 8)? == 8 {
        8
    } else {
        16
    };
    let mem = super::machine_i2c::memaddr_bytes(vm, memaddr, bits)?;
    Ok((bus, data, addr, mem))
}

/// `mem_read(data, addr, memaddr, *, timeout=5000, addr_size=8)`.
fn pyb_i2c_mem_read(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (bus, data, addr, mem) = mem_args(vm, args, kw)?;
    let (n, into) = recv_target(vm, data)?;
    let mut buf = vec![0u8; n];
    transact(
        vm,
        bus,
        addr,
        &mut [I2cOp::Write(&mem), I2cOp::Read(&mut buf)],
    )?;
    recv_result(vm, buf, into)
}

/// `mem_write(data, addr, memaddr, *, timeout=5000, addr_size=8)`.
fn pyb_i2c_mem_write(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (bus, data, addr, mem) = mem_args(vm, args, kw)?;
    let bytes = send_data(vm, data)?;
    transact(
        vm,
        bus,
        addr,
        &mut [I2cOp::Write(&mem), I2cOp::Write(&bytes)],
    )?;
    Ok(Obj::NONE)
}

/// The `repr`: `I2C(1)`, `I2C(1, I2C.CONTROLLER, baudrate=400000)` or
/// `I2C(1, I2C.PERIPHERAL, addr=0x12)`.
pub(crate) fn repr(i: &PybI2cObj) -> String {
    match i.mode {
        PybI2cMode::Off => alloc::format!("I2C({})", i.id),
        PybI2cMode::Controller { baudrate, .. } => {
            alloc::format!("I2C({}, I2C.CONTROLLER, baudrate={baudrate})", i.id)
        }
        PybI2cMode::Peripheral { addr } => {
            alloc::format!("I2C({}, I2C.PERIPHERAL, addr=0x{addr:02x})", i.id)
        }
    }
}

crate::native_table!(pub METHODS = [
    ("deinit", pyb_i2c_deinit),
    ("init", pyb_i2c_init),
    ("is_ready", pyb_i2c_is_ready),
    ("mem_read", pyb_i2c_mem_read),
    ("mem_write", pyb_i2c_mem_write),
    ("recv", pyb_i2c_recv),
    ("scan", pyb_i2c_scan),
    ("send", pyb_i2c_send),
]);
