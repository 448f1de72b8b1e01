//! `machine.SPI`, `machine.SoftSPI` and `machine.UART`: the byte-stream buses.
//!
//! SPI transfers whole buffers through `Hardware::spi_transfer`; `firstbit=SPI.LSB` is done
//! here by reversing the bits of each byte, so the port only shifts MSB first. A software
//! bus is opened on its pins (`Hardware::soft_spi_open`).
//!
//! A UART never blocks the port: reads poll `Hardware::uart_read` and wait in `machine`'s
//! sleep (callbacks run) up to `timeout` ms for the first byte and `timeout_char` ms between
//! bytes, as MicroPython's stream reads do; nothing within the timeout reads as `None`.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::hardware::{SpiPins, ENODEV};
use crate::native::{Kw, PyResult};
use crate::obj::bytes::new_bytes;
use crate::value::Obj;
use crate::vm::Vm;

use super::machine::{
    arity, check, fill_buf, hw, int_or, len_arg, new_periph, no_such, parse, periph, pin_arg,
    pin_name, read_buf, sleep_us, u32_arg, write_buf_len, wrong_self, Periph, KW_ONLY,
};

/// `SPI.MSB` (the stm32 port's value).
const MSB: i32 = 0;
/// `SPI.LSB` (the stm32 port's value).
const LSB: i32 = 0x80;

/// `SPI`'s class constants, sorted by name.
pub static SPI_CONSTS: &[(&str, i32)] = &[("LSB", LSB), ("MSB", MSB)];

/// An `SPI` or `SoftSPI` object.
#[derive(Clone)]
pub struct SpiObj {
    /// The port's handle.
    pub bus: u8,
    /// The hardware bus number (-1 for software SPI).
    pub id: i32,
    /// A software bus: its `(sck, mosi, miso)` pins.
    pub soft: Option<(u16, u16, u16)>,
    /// The clock in Hz.
    pub baudrate: u32,
    /// Clock idle level.
    pub polarity: u8,
    /// Which clock edge samples.
    pub phase: u8,
    /// `MSB` or `LSB`.
    pub firstbit: i32,
}

/// The bus a method was called on.
fn spi_this(vm: &mut Vm, args: &[Obj]) -> PyResult<SpiObj> {
    match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::Spi(s)) => Ok(s.clone()),
        _ => Err(wrong_self(vm, "SPI")),
    }
}

/// A polarity or phase: 0 or 1.
fn bit_arg(vm: &mut Vm, o: Obj, default: u8) -> PyResult<u8> {
    Ok(u8::from(int_or(vm, o, i64::from(default))? != 0))
}

/// The settings common to `SPI` and `SoftSPI`: `(baudrate, polarity, phase, bits, firstbit)`
/// parsed over `old`.
fn spi_settings(vm: &mut Vm, a: [Obj; 5], old: &SpiObj) -> PyResult<SpiObj> {
    let [baudrate, polarity, phase, bits, firstbit] = a;
    if int_or(vm, bits, 8)? != 8 {
        raise!(vm, VALUE_ERROR, "bits must be 8");
    }
    let mut s = old.clone();
    s.baudrate = u32_arg(vm, baudrate, old.baudrate)?;
    s.polarity = bit_arg(vm, polarity, old.polarity)?;
    s.phase = bit_arg(vm, phase, old.phase)?;
    s.firstbit = int_or(vm, firstbit, i64::from(old.firstbit))? as i32;
    Ok(s)
}

/// Opens the bus `s` describes, filling in its handle.
fn spi_open(vm: &mut Vm, mut s: SpiObj) -> PyResult<SpiObj> {
    let h = hw(vm)?;
    let r = match s.soft {
        Some((sck, mosi, miso)) => {
            let pins = SpiPins { sck, mosi, miso };
            h.soft_spi_open(pins, s.baudrate, s.polarity, s.phase)
        }
        None => h.spi_open(s.id, s.baudrate, s.polarity, s.phase),
    };
    s.bus = match r {
        Err(ENODEV) if s.id >= 0 => return Err(no_such(vm, "SPI", i64::from(s.id))),
        r => check(vm, r)?,
    };
    Ok(s)
}

/// The parameters of `SoftSPI`, of `SPI` after its id, and of their `init`.
const SPI_ARGS: [(&str, u8); 8] = [
    ("baudrate", 0),
    ("polarity", KW_ONLY),
    ("phase", KW_ONLY),
    ("bits", KW_ONLY),
    ("firstbit", KW_ONLY),
    ("sck", KW_ONLY),
    ("mosi", KW_ONLY),
    ("miso", KW_ONLY),
];

/// The pins of a software bus; all three must be given.
fn soft_pins(vm: &mut Vm, pins: [Obj; 3]) -> PyResult<(u16, u16, u16)> {
    if pins.iter().any(|p| p.is_null()) {
        raise!(vm, VALUE_ERROR, "must specify all of sck/mosi/miso");
    }
    Ok((
        pin_arg(vm, pins[0])?,
        pin_arg(vm, pins[1])?,
        pin_arg(vm, pins[2])?,
    ))
}

/// The settings of a software bus from `SoftSPI`'s arguments.
fn soft_spi(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<SpiObj> {
    let [b, pol, ph, bits, fb, sck, mosi, miso] = parse(vm, args, kw, &SPI_ARGS)?;
    let base = SpiObj {
        bus: 0,
        id: -1,
        soft: None,
        baudrate: 500_000,
        polarity: 0,
        phase: 0,
        firstbit: MSB,
    };
    let mut s = spi_settings(vm, [b, pol, ph, bits, fb], &base)?;
    s.soft = Some(soft_pins(vm, [sck, mosi, miso])?);
    spi_open(vm, s)
}

/// `SoftSPI(baudrate=500000, *, polarity=0, phase=0, bits=8, firstbit=MSB, sck, mosi, miso)`.
pub fn softspi_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let s = soft_spi(vm, args, kw)?;
    new_periph(vm, Periph::Spi(s))
}

/// The settings of hardware bus `base` from the arguments after its id; the pins, if given,
/// must name pins, but the port wires its buses itself.
fn hard_spi(vm: &mut Vm, base: &SpiObj, args: &[Obj], kw: Kw) -> PyResult<SpiObj> {
    let [b, pol, ph, bits, fb, sck, mosi, miso] = parse(vm, args, kw, &SPI_ARGS)?;
    for p in [sck, mosi, miso] {
        if !p.is_null() {
            pin_arg(vm, p)?;
        }
    }
    let s = spi_settings(vm, [b, pol, ph, bits, fb], base)?;
    spi_open(vm, s)
}

/// `SPI(id, baudrate=1000000, *, polarity=0, phase=0, bits=8, firstbit=MSB, sck, mosi,
/// miso)`; `SPI()` and `SPI(-1, ...)` make a `SoftSPI`, with MicroPython's warning.
pub fn spi_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let legacy = match args.first() {
        None => true,
        Some(&id) => id.as_small_int() == Some(-1),
    };
    if legacy {
        vm.port
            .stderr(b"Warning: SPI(-1, ...) is deprecated, use SoftSPI(...) instead\n");
        return softspi_new(vm, args.get(1..).unwrap_or(&[]), kw);
    }
    let id = args[0];
    if let Some(name) = vm.str_of(id).map(String::from) {
        raise!(vm, VALUE_ERROR, "SPI({}) doesn't exist", name);
    }
    let n = vm.index_value(id)?;
    let Ok(n) = i32::try_from(n) else {
        return Err(no_such(vm, "SPI", n));
    };
    let base = SpiObj {
        bus: 0,
        id: n,
        soft: None,
        baudrate: 1_000_000,
        polarity: 0,
        phase: 0,
        firstbit: MSB,
    };
    let s = hard_spi(vm, &base, &args[1..], kw)?;
    new_periph(vm, Periph::Spi(s))
}

/// `init(...)`: new settings (the constructor's, without the id).
fn spi_init(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let old = spi_this(vm, args)?;
    let s = if old.soft.is_some() {
        soft_spi(vm, &args[1..], kw)?
    } else {
        hard_spi(vm, &old, &args[1..], kw)?
    };
    if let Some(p) = periph(vm, args[0]) {
        *p = Periph::Spi(s);
    }
    Ok(Obj::NONE)
}

/// `deinit()`: nothing to release.
fn spi_deinit(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    spi_this(vm, args)?;
    Ok(Obj::NONE)
}

/// Writes `out` while reading as many bytes into `read` (empty for a write only), in the
/// bus' bit order.
fn transfer(vm: &mut Vm, s: &SpiObj, out: &[u8], read: &mut [u8]) -> PyResult<()> {
    let lsb = s.firstbit == LSB;
    let flipped: Vec<u8>;
    let out = if lsb {
        flipped = out.iter().map(|b| b.reverse_bits()).collect();
        &flipped[..]
    } else {
        out
    };
    let r = hw(vm)?.spi_transfer(s.bus, out, read);
    check(vm, r)?;
    if lsb {
        read.iter_mut().for_each(|b| *b = b.reverse_bits());
    }
    Ok(())
}

/// The byte sent while reading (`write=0x00`).
fn fill_byte(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<u8> {
    Ok(int_or(vm, args.get(i).copied().unwrap_or(Obj::NULL), 0)? as u8)
}

/// `read(nbytes, write=0x00)`: the bytes read while sending `write`.
fn spi_read(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 3)?;
    let s = spi_this(vm, args)?;
    let n = len_arg(vm, args[1])?;
    let out = vec![fill_byte(vm, args, 2)?; n];
    let mut buf = vec![0u8; n];
    transfer(vm, &s, &out, &mut buf)?;
    new_bytes(vm, buf)
}

/// `readinto(buf, write=0x00)`.
fn spi_readinto(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 3)?;
    let s = spi_this(vm, args)?;
    let n = write_buf_len(vm, args[1])?;
    let out = vec![fill_byte(vm, args, 2)?; n];
    let mut buf = vec![0u8; n];
    transfer(vm, &s, &out, &mut buf)?;
    fill_buf(vm, args[1], &buf);
    Ok(Obj::NONE)
}

/// `write(buf)`.
fn spi_write(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 2)?;
    let s = spi_this(vm, args)?;
    let data = read_buf(vm, args[1])?;
    transfer(vm, &s, &data, &mut [])?;
    Ok(Obj::NONE)
}

/// `write_readinto(write_buf, read_buf)`: the buffers must be as long.
fn spi_write_readinto(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 3, 3)?;
    let s = spi_this(vm, args)?;
    let data = read_buf(vm, args[1])?;
    let n = write_buf_len(vm, args[2])?;
    if n != data.len() {
        raise!(vm, VALUE_ERROR, "buffers must be the same length");
    }
    let mut buf = vec![0u8; n];
    transfer(vm, &s, &data, &mut buf)?;
    fill_buf(vm, args[2], &buf);
    Ok(Obj::NONE)
}

/// The `repr` of an SPI bus.
pub(crate) fn spi_repr(vm: &mut Vm, s: &SpiObj) -> String {
    match s.soft {
        Some((sck, mosi, miso)) => {
            let (sck, mosi, miso) = (pin_name(vm, sck), pin_name(vm, mosi), pin_name(vm, miso));
            alloc::format!(
                "SoftSPI(baudrate={}, polarity={}, phase={}, firstbit={}, sck={sck}, mosi={mosi}, miso={miso})",
                s.baudrate, s.polarity, s.phase, s.firstbit
            )
        }
        None => alloc::format!(
            "SPI({}, baudrate={}, polarity={}, phase={}, bits=8)",
            s.id,
            s.baudrate,
            s.polarity,
            s.phase
        ),
    }
}

crate::native_table!(pub SPI_METHODS = [
    ("deinit", spi_deinit),
    ("init", spi_init),
    ("read", spi_read),
    ("readinto", spi_readinto),
    ("write", spi_write),
    ("write_readinto", spi_write_readinto),
]);

// ---- UART ----

/// A `UART` object.
#[derive(Clone)]
pub struct UartObj {
    /// The port's handle.
    pub uart: u8,
    /// The UART's number.
    pub id: i32,
    pub baudrate: u32,
    pub bits: u8,
    /// `None`, 0 (even) or 1 (odd).
    pub parity: Option<u8>,
    pub stop: u8,
    /// Milliseconds to wait for the first byte of a read.
    pub timeout: u32,
    /// Milliseconds to wait for each further byte.
    pub timeout_char: u32,
    /// The receive buffer's size, as given.
    pub rxbuf: u32,
}

/// The UART a method was called on.
fn uart_this(vm: &mut Vm, args: &[Obj]) -> PyResult<UartObj> {
    match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::Uart(u)) => Ok(u.clone()),
        _ => Err(wrong_self(vm, "UART")),
    }
}

/// The parameters of `UART.init` (and of `UART` after the id).
const UART_ARGS: [(&str, u8); 9] = [
    ("baudrate", 0),
    ("bits", 0),
    ("parity", 0),
    ("stop", 0),
    ("flow", KW_ONLY),
    ("timeout", KW_ONLY),
    ("timeout_char", KW_ONLY),
    ("rxbuf", KW_ONLY),
    ("read_buf_len", KW_ONLY),
];

/// Opens UART `id` with the arguments after the id.
fn uart_open(vm: &mut Vm, id: i32, args: &[Obj], kw: Kw) -> PyResult<UartObj> {
    let [baudrate, bits, parity, stop, _flow, timeout, timeout_char, rxbuf, read_buf_len] =
        parse(vm, args, kw, &UART_ARGS)?;
    let baudrate = u32_arg(vm, baudrate, 9600)?;
    let bits = int_or(vm, bits, 8)?;
    let parity = if parity.is_null() || parity == Obj::NONE {
        None
    } else {
        Some((vm.index_value(parity)? & 1) as u8)
    };
    let stop = int_or(vm, stop, 1)?;
    if !(7..=9).contains(&bits) || !(1..=2).contains(&stop) {
        raise!(
            vm,
            VALUE_ERROR,
            "unsupported combination of bits and parity"
        );
    }
    let timeout = u32_arg(vm, timeout, 0)?;
    let timeout_char = u32_arg(vm, timeout_char, 0)?;
    let rxbuf = if rxbuf.is_null() { read_buf_len } else { rxbuf };
    let rxbuf = u32_arg(vm, rxbuf, 64)?;
    let r = hw(vm)?.uart_open(id, baudrate);
    let uart = match r {
        Err(ENODEV) => return Err(no_such(vm, "UART", i64::from(id))),
        r => check(vm, r)?,
    };
    Ok(UartObj {
        uart,
        id,
        baudrate,
        bits: bits as u8,
        parity,
        stop: stop as u8,
        timeout,
        timeout_char,
        rxbuf,
    })
}

/// `UART(id, baudrate=9600, bits=8, parity=None, stop=1, *, timeout=0, timeout_char=0,
/// rxbuf=64)`.
pub fn uart_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some((&id, rest)) = args.split_first() else {
        raise!(vm, TYPE_ERROR, "'id' argument required");
    };
    if let Some(name) = vm.str_of(id).map(String::from) {
        raise!(vm, VALUE_ERROR, "UART({}) doesn't exist", name);
    }
    let n = vm.index_value(id)?;
    let Ok(n) = i32::try_from(n) else {
        return Err(no_such(vm, "UART", n));
    };
    let u = uart_open(vm, n, rest, kw)?;
    new_periph(vm, Periph::Uart(u))
}

/// `init(baudrate, bits=8, parity=None, stop=1, *, timeout, timeout_char, rxbuf)`.
fn uart_init(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let old = uart_this(vm, args)?;
    let u = uart_open(vm, old.id, &args[1..], kw)?;
    if let Some(p) = periph(vm, args[0]) {
        *p = Periph::Uart(u);
    }
    Ok(Obj::NONE)
}

/// `deinit()`, `flush()`, `sendbreak()`: nothing to do.
fn uart_nothing(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    uart_this(vm, args)?;
    Ok(Obj::NONE)
}

/// `txdone()`: writes finish at once.
fn uart_txdone(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    uart_nothing(vm, args, kw)?;
    Ok(Obj::TRUE)
}

/// `any()`: how many bytes wait to be read.
fn uart_any(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let u = uart_this(vm, args)?;
    let n = hw(vm)?.uart_any(u.uart);
    vm.new_int(n as i64)
}

/// `write(buf)`: how many bytes were sent.
fn uart_write(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 2)?;
    let u = uart_this(vm, args)?;
    let data = match vm.str_of(args[1]) {
        Some(s) => s.as_bytes().to_vec(),
        None => read_buf(vm, args[1])?,
    };
    let r = hw(vm)?.uart_write(u.uart, &data);
    let n = check(vm, r)?;
    vm.new_int(n as i64)
}

/// Reads up to `want` bytes, waiting `timeout` ms for the first and `timeout_char` ms for
/// each next; stops after a newline when `line`.
fn read_timed(vm: &mut Vm, u: &UartObj, want: usize, line: bool) -> PyResult<Vec<u8>> {
    let mut out = Vec::new();
    let mut deadline = vm.port.ticks_ms().saturating_add(u64::from(u.timeout));
    let mut chunk = [0u8; 64];
    while out.len() < want {
        let room = if line {
            1
        } else {
            (want - out.len()).min(chunk.len())
        };
        let r = hw(vm)?.uart_read(u.uart, &mut chunk[..room]);
        let got = check(vm, r)?.min(room);
        if got > 0 {
            out.extend_from_slice(&chunk[..got]);
            if line && chunk[0] == b'\n' {
                break;
            }
            deadline = vm.port.ticks_ms().saturating_add(u64::from(u.timeout_char));
            continue;
        }
        if vm.port.ticks_ms() >= deadline {
            break;
        }
        sleep_us(vm, 1000)?;
    }
    Ok(out)
}

/// The bytes read, or `None` when nothing came.
fn bytes_or_none(vm: &mut Vm, data: Vec<u8>) -> PyResult<Obj> {
    if data.is_empty() {
        return Ok(Obj::NONE);
    }
    new_bytes(vm, data)
}

/// `read([nbytes])`: up to `nbytes` bytes (all that come without `nbytes`), or `None`.
fn uart_read(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 2)?;
    let u = uart_this(vm, args)?;
    let want = match args.get(1) {
        Some(&n) if n != Obj::NONE => usize::try_from(vm.index_value(n)?).unwrap_or(usize::MAX),
        _ => usize::MAX,
    };
    if want == 0 {
        return new_bytes(vm, Vec::new());
    }
    let data = read_timed(vm, &u, want, false)?;
    bytes_or_none(vm, data)
}

/// `readline()`: bytes up to and including a newline, or `None`.
fn uart_readline(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 1, 1)?;
    let u = uart_this(vm, args)?;
    let data = read_timed(vm, &u, usize::MAX, true)?;
    bytes_or_none(vm, data)
}

/// `readinto(buf[, nbytes])`: how many bytes were read, or `None`.
fn uart_readinto(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 2, 3)?;
    let u = uart_this(vm, args)?;
    let mut want = write_buf_len(vm, args[1])?;
    if let Some(&n) = args.get(2) {
        want = want.min(usize::try_from(vm.index_value(n)?).unwrap_or(0));
    }
    let data = read_timed(vm, &u, want, false)?;
    if data.is_empty() {
        return Ok(Obj::NONE);
    }
    fill_buf(vm, args[1], &data);
    vm.new_int(data.len() as i64)
}

/// The `repr` of a UART, as the stm32 port prints it.
pub(crate) fn uart_repr(u: &UartObj) -> String {
    let parity = match u.parity {
        None => "None",
        Some(0) => "0",
        Some(_) => "1",
    };
    alloc::format!(
        "UART({}, baudrate={}, bits={}, parity={parity}, stop={}, flow=0, timeout={}, timeout_char={}, rxbuf={})",
        u.id, u.baudrate, u.bits, u.stop, u.timeout, u.timeout_char, u.rxbuf
    )
}

crate::native_table!(pub UART_METHODS = [
    ("any", uart_any),
    ("deinit", uart_nothing),
    ("flush", uart_nothing),
    ("init", uart_init),
    ("read", uart_read),
    ("readinto", uart_readinto),
    ("readline", uart_readline),
    ("sendbreak", uart_nothing),
    ("txdone", uart_txdone),
    ("write", uart_write),
]);
