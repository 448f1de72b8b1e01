//! `machine.I2C` and `machine.SoftI2C`, over whole transactions (`Hardware::i2c_transaction`).
//!
//! The bus operations map one to one: `readfrom_mem` is one transaction that writes the memory
//! address and reads after a repeated start; `writeto_mem` writes address and data in one
//! go. `stop=False` is accepted, but every call ends its transaction (devices with a register
//! pointer see the same thing).
//!
//! The primitives (`start`, `write`, `readinto`, `stop`) are replayed as transactions:
//! - `start()` says the next `write` begins with an address byte (`addr << 1 | read`);
//! - that `write` probes the address with an empty write: a NACK makes it return 0 acks (as
//!   a real bus would), otherwise the rest of its bytes, and those of later `write`s, are
//!   kept;
//! - `readinto(buf)` after a read address runs one transaction: the kept bytes, a repeated
//!   start, the read (so `start, write([a<<1, reg]), start, write([a<<1|1]), readinto, stop`
//!   is one register read); with no device addressed it reads the idle bus (0xff);
//! - a new write address, or `stop()`, sends the kept bytes as one transaction.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::hardware::{I2cId, I2cOp, ENODEV};
use crate::native::{Kw, PyResult};
use crate::obj::bytes::new_bytes;
use crate::value::Obj;
use crate::vm::Vm;

use super::machine::{
    arity, bool_or, check, fill_buf, hw, int_or, len_arg, new_periph, no_such, parse, periph,
    pin_arg, pin_name, read_buf, u32_arg, write_buf_len, wrong_self, Periph, KW_ONLY, REQUIRED,
};

/// MicroPython's default bus timeout, in microseconds.
const DEFAULT_TIMEOUT_US: u32 = 50_000;
/// The default clock.
const DEFAULT_FREQ: u32 = 400_000;

/// Where a sequence of primitive operations stands.
#[derive(Clone, Default)]
pub struct Prim {
    /// `start()` was called: the next `write` begins with an address byte.
    started: bool,
    /// The device addressed, and whether for reading.
    addr: Option<(u8, bool)>,
    /// The address was not acknowledged.
    nacked: bool,
    /// Bytes written to the device, not yet sent.
    pending: Vec<u8>,
}

/// An `I2C` or `SoftI2C` object.
#[derive(Clone)]
pub struct I2cObj {
    /// The port's handle.
    pub bus: u8,
    /// The hardware bus number (for `repr`).
    pub id: i32,
    /// A software bus: its `(scl, sda)` pins.
    pub soft: Option<(u16, u16)>,
    /// The clock in Hz.
    pub freq: u32,
    /// The timeout in microseconds.
    pub timeout: u32,
    /// The primitives' state.
    prim: Prim,
}

/// The bus a method was called on: its handle.
fn this(vm: &mut Vm, args: &[Obj]) -> PyResult<u8> {
    match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::I2c(i)) => Ok(i.bus),
        _ => Err(wrong_self(vm, "I2C")),
    }
}

/// The primitives' state of the bus a method was called on.
fn prim(vm: &mut Vm, args: &[Obj]) -> PyResult<(u8, Prim)> {
    match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::I2c(i)) => Ok((i.bus, core::mem::take(&mut i.prim))),
        _ => Err(wrong_self(vm, "I2C")),
    }
}

/// Puts the primitives' state back.
fn set_prim(vm: &mut Vm, o: Obj, p: Prim) {
    if let Some(Periph::I2c(i)) = periph(vm, o) {
        i.prim = p;
    }
}

/// Opens a bus: a missing hardware bus is MicroPython's `ValueError`.
fn open(vm: &mut Vm, id: I2cId, freq: u32, timeout: u32) -> PyResult<I2cObj> {
    let r = hw(vm)?.i2c_open(id, freq);
    let bus = match (r, id) {
        (Err(ENODEV), I2cId::Hard(n)) => return Err(no_such(vm, "I2C", i64::from(n))),
        (r, _) => check(vm, r)?,
    };
    let (hard_id, soft) = match id {
        I2cId::Hard(n) => (n, None),
        I2cId::Soft { scl, sda } => (-1, Some((scl, sda))),
    };
    Ok(I2cObj {
        bus,
        id: hard_id,
        soft,
        freq,
        timeout,
        prim: Prim::default(),
    })
}

/// The parameters of `SoftI2C` and its `init`.
const SOFT_ARGS: [(&str, u8); 4] = [
    ("scl", REQUIRED),
    ("sda", REQUIRED),
    ("freq", KW_ONLY),
    ("timeout", KW_ONLY),
];

/// Opens a software bus from `SoftI2C`'s arguments.
fn open_soft(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<I2cObj> {
    let [scl, sda, freq, timeout] = parse(vm, args, kw, &SOFT_ARGS)?;
    let scl = pin_arg(vm, scl)?;
    let sda = pin_arg(vm, sda)?;
    let freq = u32_arg(vm, freq, DEFAULT_FREQ)?;
    let timeout = u32_arg(vm, timeout, DEFAULT_TIMEOUT_US)?;
    open(vm, I2cId::Soft { scl, sda }, freq, timeout)
}

/// `SoftI2C(scl, sda, *, freq=400000, timeout=50000)`.
pub fn softi2c_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let i = open_soft(vm, args, kw)?;
    new_periph(vm, Periph::I2c(i))
}

/// The parameters of a hardware `I2C` after its id.
const HARD_ARGS: [(&str, u8); 4] = [
    ("scl", KW_ONLY),
    ("sda", KW_ONLY),
    ("freq", KW_ONLY),
    ("timeout", KW_ONLY),
];

/// Opens hardware bus `id` from `I2C`'s keyword arguments. `scl` and `sda` must name pins
/// but the port wires its buses itself.
fn open_hard(vm: &mut Vm, id: i32, args: &[Obj], kw: Kw) -> PyResult<I2cObj> {
    let [scl, sda, freq, timeout] = parse(vm, args, kw, &HARD_ARGS)?;
    for p in [scl, sda] {
        if !p.is_null() {
            pin_arg(vm, p)?;
        }
    }
    let freq = u32_arg(vm, freq, DEFAULT_FREQ)?;
    let timeout = u32_arg(vm, timeout, DEFAULT_TIMEOUT_US)?;
    open(vm, I2cId::Hard(id), freq, timeout)
}

/// `I2C(id, *, scl, sda, freq=400000, timeout=50000)`; `I2C()` and `I2C(-1, ...)` make a
/// `SoftI2C`, with MicroPython's warning.
pub fn i2c_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let legacy = match args.first() {
        None => true,
        Some(&id) => id.as_small_int() == Some(-1),
    };
    if legacy {
        vm.port
            .stderr(b"Warning: I2C(-1, ...) is deprecated, use SoftI2C(...) instead\n");
        return softi2c_new(vm, args.get(1..).unwrap_or(&[]), kw);
    }
    let id = args[0];
    if let Some(name) = vm.str_of(id).map(String::from) {
        raise!(vm, VALUE_ERROR, "I2C({}) doesn't exist", name);
    }
    let n = vm.index_value(id)?;
    let Ok(n) = i32::try_from(n) else {
        return Err(no_such(vm, "I2C", n));
    };
    let i = open_hard(vm, n, &args[1..], kw)?;
    new_periph(vm, Periph::I2c(i))
}

/// `init(...)`: reopens the bus with new settings (`SoftI2C`'s arguments for a software
/// bus, `freq` and `timeout` for a hardware one).
fn i2c_init(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (id, soft) = match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::I2c(i)) => (i.id, i.soft.is_some()),
        _ => return Err(wrong_self(vm, "I2C")),
    };
    let i = if soft {
        open_soft(vm, &args[1..], kw)?
    } else {
        open_hard(vm, id, &args[1..], kw)?
    };
    if let Some(p) = periph(vm, args[0]) {
        *p = Periph::I2c(i);
    }
    Ok(Obj::NONE)
}

/// `deinit()`: nothing to release.
fn i2c_deinit(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    this(vm, args)?;
    Ok(Obj::NONE)
}

/// Runs one transaction; an error is `OSError(errno)`.
fn transact(vm: &mut Vm, bus: u8, addr: u8, ops: &mut [I2cOp]) -> PyResult<()> {
    let r = hw(vm)?.i2c_transaction(bus, addr & 0x7f, ops);
    check(vm, r)
}

/// A 7-bit address argument.
fn addr_arg(vm: &mut Vm, o: Obj) -> PyResult<u8> {
    Ok((vm.index_value(o)? & 0x7f) as u8)
}

/// `scan()`: the addresses 0x08..=0x77 that acknowledge an empty write (never raises).
fn i2c_scan(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let bus = this(vm, args)?;
    let found = scan(vm, bus)?;
    vm.new_list(found)
}

/// The addresses 0x08..=0x77 on `bus` that acknowledge an empty write.
pub(crate) fn scan(vm: &mut Vm, bus: u8) -> PyResult<Vec<Obj>> {
    let h = hw(vm)?;
    let mut found = Vec::new();
    for addr in 0x08u8..0x78 {
        if h.i2c_transaction(bus, addr, &mut [I2cOp::Write(&[])])
            .is_ok()
        {
            found.push(Obj::small_int_unchecked(i32::from(addr)));
        }
    }
    Ok(found)
}

/// `readfrom(addr, nbytes, stop=True)`: the bytes read.
fn i2c_readfrom(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 3, 4)?;
    let bus = this(vm, args)?;
    let addr = addr_arg(vm, args[1])?;
    let n = len_arg(vm, args[2])?;
    let mut buf = vec![0u8; n];
    transact(vm, bus, addr, &mut [I2cOp::Read(&mut buf)])?;
    new_bytes(vm, buf)
}

/// `readfrom_into(addr, buf, stop=True)`.
fn i2c_readfrom_into(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 3, 4)?;
    let bus = this(vm, args)?;
    let addr = addr_arg(vm, args[1])?;
    let n = write_buf_len(vm, args[2])?;
    let mut buf = vec![0u8; n];
    transact(vm, bus, addr, &mut [I2cOp::Read(&mut buf)])?;
    fill_buf(vm, args[2], &buf);
    Ok(Obj::NONE)
}

/// `writeto(addr, buf, stop=True)`: how many bytes were acknowledged.
fn i2c_writeto(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 3, 4)?;
    let bus = this(vm, args)?;
    let addr = addr_arg(vm, args[1])?;
    let data = read_buf(vm, args[2])?;
    transact(vm, bus, addr, &mut [I2cOp::Write(&data)])?;
    vm.new_int(data.len() as i64)
}

/// `writevto(addr, vector, stop=True)`: writes the buffers of `vector` in one transaction;
/// how many bytes were acknowledged.
fn i2c_writevto(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 3, 4)?;
    let bus = this(vm, args)?;
    let addr = addr_arg(vm, args[1])?;
    let Some(items) = vm.seq_items(args[2]) else {
        raise!(vm, TYPE_ERROR, "object isn't a tuple or list");
    };
    let mut bufs = Vec::with_capacity(items.len());
    for o in items {
        let b = read_buf(vm, o)?;
        if !b.is_empty() {
            bufs.push(b);
        }
    }
    let total: usize = bufs.iter().map(Vec::len).sum();
    let mut ops: Vec<I2cOp> = bufs.iter().map(|b| I2cOp::Write(b)).collect();
    if ops.is_empty() {
        ops.push(I2cOp::Write(&[]));
    }
    transact(vm, bus, addr, &mut ops)?;
    vm.new_int(total as i64)
}

/// The memory address bytes, big-endian, of `addrsize` bits (a multiple of 8, at most 32).
pub(crate) fn memaddr_bytes(vm: &mut Vm, memaddr: i64, addrsize: i64) -> PyResult<Vec<u8>> {
    if addrsize % 8 != 0 || !(0..=32).contains(&addrsize) {
        raise!(vm, VALUE_ERROR, "invalid addrsize");
    }
    let n = (addrsize / 8) as usize;
    Ok((0..n).rev().map(|i| (memaddr >> (8 * i)) as u8).collect())
}

/// The bus, device address, memory address bytes and third argument of the `*_mem`
/// methods: `(addr, memaddr, arg, *, addrsize=8)`.
fn mem_args(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<(u8, u8, Vec<u8>, Obj)> {
    let bus = this(vm, args)?;
    let [addr, memaddr, arg, addrsize] = parse(
        vm,
        &args[1..],
        kw,
        &[
            ("addr", REQUIRED),
            ("memaddr", REQUIRED),
            ("arg", REQUIRED),
            ("addrsize", KW_ONLY),
        ],
    )?;
    let addr = addr_arg(vm, addr)?;
    let memaddr = vm.index_value(memaddr)?;
    let addrsize = int_or(vm, addrsize, 8)?;
    let mem = memaddr_bytes(vm, memaddr, addrsize)?;
    Ok((bus, addr, mem, arg))
}

/// Reads `buf.len()` bytes from memory address `mem` of device `addr`: one transaction,
/// the address written, then a repeated start and the read.
pub(crate) fn read_mem(vm: &mut Vm, bus: u8, addr: u8, mem: &[u8], buf: &mut [u8]) -> PyResult<()> {
    if mem.is_empty() {
        return transact(vm, bus, addr, &mut [I2cOp::Read(buf)]);
    }
    transact(vm, bus, addr, &mut [I2cOp::Write(mem), I2cOp::Read(buf)])
}

/// `readfrom_mem(addr, memaddr, nbytes, *, addrsize=8)`: the bytes read.
fn i2c_readfrom_mem(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (bus, addr, mem, n) = mem_args(vm, args, kw)?;
    let n = len_arg(vm, n)?;
    let mut buf = vec![0u8; n];
    read_mem(vm, bus, addr, &mem, &mut buf)?;
    new_bytes(vm, buf)
}

/// `readfrom_mem_into(addr, memaddr, buf, *, addrsize=8)`.
fn i2c_readfrom_mem_into(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (bus, addr, mem, dest) = mem_args(vm, args, kw)?;
    let n = write_buf_len(vm, dest)?;
    let mut buf = vec![0u8; n];
    read_mem(vm, bus, addr, &mem, &mut buf)?;
    fill_buf(vm, dest, &buf);
    Ok(Obj::NONE)
}

/// `writeto_mem(addr, memaddr, buf, *, addrsize=8)`: the memory address and the data in one
/// write.
fn i2c_writeto_mem(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (bus, addr, mem, src) = mem_args(vm, args, kw)?;
    let data = read_buf(vm, src)?;
    transact(
        vm,
        bus,
        addr,
        &mut [I2cOp::Write(&mem), I2cOp::Write(&data)],
    )?;
    Ok(Obj::NONE)
}

// ---- the primitives (see the module doc) ----

/// Sends the bytes kept for the addressed device, if any.
fn flush(vm: &mut Vm, bus: u8, p: &mut Prim) -> PyResult<()> {
    let data = core::mem::take(&mut p.pending);
    match p.addr {
        Some((addr, _)) if !p.nacked && !data.is_empty() => {
            transact(vm, bus, addr, &mut [I2cOp::Write(&data)])
        }
        _ => Ok(()),
    }
}

/// `start()`.
fn i2c_start(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let (_, mut p) = prim(vm, args)?;
    p.started = true;
    set_prim(vm, args[0], p);
    Ok(Obj::NONE)
}

/// `stop()`: sends what is kept.
fn i2c_stop(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let (bus, mut p) = prim(vm, args)?;
    let r = flush(vm, bus, &mut p);
    set_prim(vm, args[0], Prim::default());
    r?;
    Ok(Obj::NONE)
}

/// `write(buf)`: how many bytes were acknowledged.
fn i2c_write(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 2)?;
    let data = read_buf(vm, args[1])?;
    let (bus, mut p) = prim(vm, args)?;
    let r = prim_write(vm, bus, &mut p, &data);
    set_prim(vm, args[0], p);
    let acks = r?;
    vm.new_int(acks as i64)
}

/// The body of `write`: an address byte after `start()`, then data to keep.
fn prim_write(vm: &mut Vm, bus: u8, p: &mut Prim, mut data: &[u8]) -> PyResult<usize> {
    let mut acks = 0;
    if p.started {
        let Some((&first, rest)) = data.split_first() else {
            return Ok(0);
        };
        p.started = false;
        let (addr, read) = (first >> 1, first & 1 != 0);
        // A read of the device just written to continues its transaction (repeated start).
        let continues = read && p.addr.is_some_and(|(a, r)| a == addr && !r) && !p.nacked;
        if !continues {
            flush(vm, bus, p)?;
            let h = hw(vm)?;
            p.nacked = h
                .i2c_transaction(bus, addr, &mut [I2cOp::Write(&[])])
                .is_err();
        }
        p.addr = Some((addr, read));
        if p.nacked {
            return Ok(0);
        }
        acks = 1;
        data = rest;
    }
    match p.addr {
        Some((_, false)) if !p.nacked => {
            p.pending.extend_from_slice(data);
            Ok(acks + data.len())
        }
        _ => Ok(acks),
    }
}

/// `readinto(buf, nack=True)`: reads from the device addressed for reading; the bytes kept
/// for it go first, in the same transaction.
fn i2c_readinto(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 3)?;
    bool_or(vm, args.get(2).copied().unwrap_or(Obj::NULL), true)?;
    let n = write_buf_len(vm, args[1])?;
    let (bus, mut p) = prim(vm, args)?;
    let mut buf = vec![0xffu8; n];
    let r = match p.addr {
        Some((addr, true)) if !p.nacked => {
            let kept = core::mem::take(&mut p.pending);
            if kept.is_empty() {
                transact(vm, bus, addr, &mut [I2cOp::Read(&mut buf)])
            } else {
                transact(
                    vm,
                    bus,
                    addr,
                    &mut [I2cOp::Write(&kept), I2cOp::Read(&mut buf)],
                )
            }
        }
        _ => Ok(()),
    };
    set_prim(vm, args[0], p);
    r?;
    fill_buf(vm, args[1], &buf);
    Ok(Obj::NONE)
}

/// The `repr` of a bus: `I2C(1, freq=400000, timeout=50000)` or
/// `SoftI2C(scl=X9, sda=X10, freq=400000)`.
pub(crate) fn i2c_repr(vm: &mut Vm, i: &I2cObj) -> String {
    match i.soft {
        Some((scl, sda)) => {
            let (scl, sda) = (pin_name(vm, scl), pin_name(vm, sda));
            alloc::format!("SoftI2C(scl={scl}, sda={sda}, freq={})", i.freq)
        }
        None => alloc::format!("I2C({}, freq={}, timeout={})", i.id, i.freq, i.timeout),
    }
}

crate::native_table!(pub METHODS = [
    ("deinit", i2c_deinit),
    ("init", i2c_init),
    ("readfrom", i2c_readfrom),
    ("readfrom_into", i2c_readfrom_into),
    ("readfrom_mem", i2c_readfrom_mem),
    ("readfrom_mem_into", i2c_readfrom_mem_into),
    ("readinto", i2c_readinto),
    ("scan", i2c_scan),
    ("start", i2c_start),
    ("stop", i2c_stop),
    ("write", i2c_write),
    ("writeto", i2c_writeto),
    ("writeto_mem", i2c_writeto_mem),
    ("writevto", i2c_writevto),
]);
