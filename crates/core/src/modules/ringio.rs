//! `micropython.RingIO`: a fixed-size byte ring buffer with the stream methods (`read`,
//! `readinto`, `readline`, `write`), as MicroPython's `objringio.c`.
//!
//! The ring holds `size - 1` bytes: one slot stays empty so that `iget == iput` means empty.
//! `RingIO(n)` makes a ring of `n + 1` slots (room for `n` bytes); `RingIO(buffer)` makes one
//! as long as the buffer. Pyrite keeps the bytes in the object itself either way (the buffer
//! gives only the size), so the ring never aliases a `bytearray` the program still holds.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::obj::bytes::new_bytes;
use crate::obj::memoryview::{buffer_mut, typed_buffer};
use crate::object::HeapObj;
use crate::value::Obj;
use crate::vm::Vm;

/// The most slots a ring may have (MicroPython indexes it with 16 bits).
const MAX_SLOTS: usize = u16::MAX as usize;

/// A `RingIO`.
pub struct RingIoObj {
    /// The slots; its length is the ring's size.
    buf: Vec<u8>,
    /// Where the next byte is read from.
    iget: usize,
    /// Where the next byte is written to.
    iput: usize,
}

impl RingIoObj {
    /// Bytes the ring holds, ready to read.
    fn avail(&self) -> usize {
        (self.iput + self.buf.len() - self.iget) % self.buf.len()
    }

    /// Bytes that can be written before it is full.
    fn free(&self) -> usize {
        self.buf.len() - 1 - self.avail()
    }

    /// Takes up to `n` bytes out.
    fn get(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.avail());
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.buf[self.iget]);
            self.iget = (self.iget + 1) % self.buf.len();
        }
        out
    }

    /// Puts as much of `data` in as fits; how many bytes went in.
    fn put(&mut self, data: &[u8]) -> usize {
        let n = data.len().min(self.free());
        for &b in &data[..n] {
            self.buf[self.iput] = b;
            self.iput = (self.iput + 1) % self.buf.len();
        }
        n
    }

    /// The allocator's block of the ring's buffer, for heap accounting.
    pub fn bytes(&self) -> usize {
        crate::heap::block(self.buf.capacity())
    }
}

/// `RingIO(size_or_buffer)`.
pub fn ringio_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [arg] = args else {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes 1 positional arguments but {} were given",
            args.len()
        );
    };
    let writable = matches!(
        vm.heap.get(*arg),
        Some(HeapObj::ByteArray(_) | HeapObj::Array(_) | HeapObj::MemoryView(_))
    );
    let slots = match typed_buffer(vm, *arg) {
        Some((_, b)) if writable => b.len(),
        _ => usize::try_from(vm.index_value(*arg)?.saturating_add(1)).unwrap_or(0),
    };
    if !(2..=MAX_SLOTS).contains(&slots) {
        raise!(vm, VALUE_ERROR, "");
    }
    vm.charge(slots)?;
    vm.alloc(HeapObj::RingIo(Box::new(RingIoObj {
        buf: vec![0; slots],
        iget: 0,
        iput: 0,
    })))
}

/// The ring `args[0]` refers to.
fn ring<'v>(vm: &'v mut Vm, args: &[Obj]) -> PyResult<&'v mut RingIoObj> {
    let o = args.first().copied().unwrap_or(Obj::NONE);
    if !matches!(vm.heap.get(o), Some(HeapObj::RingIo(_))) {
        raise!(vm, TYPE_ERROR, "expected a RingIO");
    }
    match vm.heap.get_mut(o) {
        Some(HeapObj::RingIo(r)) => Ok(r),
        _ => Err(Obj::NONE),
    }
}

/// An optional size argument at `args[i]`: absent, `None` or negative means "all".
fn size_at(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<usize> {
    match args.get(i) {
        Some(&n) if n != Obj::NONE => Ok(usize::try_from(vm.index_value(n)?).unwrap_or(usize::MAX)),
        _ => Ok(usize::MAX),
    }
}

/// `any()`: how many bytes can be read.
fn ringio_any(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let n = ring(vm, args)?.avail();
    vm.new_int(n as i64)
}

/// `read([n])`: up to `n` bytes (all that are held without `n`).
fn ringio_read(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let n = size_at(vm, args, 1)?;
    let out = ring(vm, args)?.get(n);
    new_bytes(vm, out)
}

/// `readline([n])`: bytes up to and including the next newline (at most `n`).
fn ringio_readline(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let n = size_at(vm, args, 1)?;
    let r = ring(vm, args)?;
    let mut out = Vec::new();
    while out.len() < n {
        let Some(&b) = r.get(1).first() else { break };
        out.push(b);
        if b == b'\n' {
            break;
        }
    }
    new_bytes(vm, out)
}

/// `readinto(buf[, n])`: reads into a writable buffer; how many bytes were read.
fn ringio_readinto(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(&dest) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "readinto() takes a buffer");
    };
    let n = size_at(vm, args, 2)?;
    let room = match buffer_mut(vm, dest) {
        Some(b) => b.len(),
        None => raise!(vm, TYPE_ERROR, "object with buffer protocol required"),
    };
    let data = ring(vm, args)?.get(n.min(room));
    if let Some(b) = buffer_mut(vm, dest) {
        b[..data.len()].copy_from_slice(&data);
    }
    vm.new_int(data.len() as i64)
}

/// `write(buf[, max_len])` or `write(buf, off, max_len)`: how many bytes went in (what does
/// not fit is dropped).
fn ringio_write(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(&src) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "write() takes a buffer");
    };
    let data = crate::obj::bytes::buffer_of(vm, src)?;
    let (off, max) = match args.len() {
        3 => (0, size_at(vm, args, 2)?),
        4 => (size_at(vm, args, 2)?, size_at(vm, args, 3)?),
        _ => (0, usize::MAX),
    };
    let start = off.min(data.len());
    let end = start.saturating_add(max).min(data.len());
    let n = ring(vm, args)?.put(&data[start..end]);
    vm.new_int(n as i64)
}

/// `close()`: nothing to release.
fn ringio_close(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    ring(vm, args)?;
    Ok(Obj::NONE)
}

crate::native_table!(pub METHODS = [
    ("any", ringio_any),
    ("close", ringio_close),
    ("read", ringio_read),
    ("readinto", ringio_readinto),
    ("readline", ringio_readline),
    ("write", ringio_write),
]);
