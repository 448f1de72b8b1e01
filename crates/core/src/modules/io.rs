//! The `io` module: in-memory streams `StringIO` and `BytesIO`, and the `IOBase` class that
//! Python stream classes derive from.
//!
//! Both streams keep bytes and a byte position, as MicroPython's do; `StringIO` converts to
//! and from `str` at its methods. Iterating a stream yields its lines.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::native::{self, table, Kw, PyResult};
use crate::obj::memoryview::typed_buffer;
use crate::object::{HeapObj, IterObj};
use crate::qstr::q;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// A `StringIO` or `BytesIO`.
pub struct IoObj {
    /// The contents.
    pub data: Vec<u8>,
    /// The read/write position in bytes (may be past the end).
    pub pos: usize,
    /// Whether `close()` was called.
    pub closed: bool,
    /// `BytesIO` (true) or `StringIO`.
    pub binary: bool,
}

/// `EINVAL`, the error number of a bad seek.
const EINVAL: i32 = 22;

fn io_new(vm: &mut Vm, args: &[Obj], binary: bool) -> PyResult<Obj> {
    let data = match args.first() {
        // `BytesIO(n)` reserves room for `n` bytes, so writes up to that size do not allocate.
        Some(&x) if binary && x.as_small_int().is_some() => {
            let n = usize::try_from(vm.index_value(x)?).unwrap_or(0);
            if n > vm.heap.limit() {
                return Err(vm.memory_error());
            }
            Vec::with_capacity(n)
        }
        Some(&x) if x.as_small_int().is_none() => {
            if binary {
                crate::obj::bytes::buffer_of(vm, x)?
            } else {
                crate::obj::str::str_arg(vm, x)?.into_bytes()
            }
        }
        _ => Vec::new(),
    };
    vm.charge(data.capacity())?;
    vm.alloc(HeapObj::StringIo(Box::new(IoObj {
        data,
        pos: 0,
        closed: false,
        binary,
    })))
}

/// `io.StringIO([initial])`.
pub fn stringio_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    io_new(vm, args, false)
}

/// `io.BytesIO([initial])`.
pub fn bytesio_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    io_new(vm, args, true)
}

/// A stream's buffer (for [`Vm::grow_owned`]).
fn stream_vec(h: &mut HeapObj) -> Option<&mut Vec<u8>> {
    match h {
        HeapObj::StringIo(s) => Some(&mut s.data),
        _ => None,
    }
}

/// The stream inside `o` (a stream or an instance of a subclass), checked open.
fn open_stream(vm: &mut Vm, o: Obj) -> PyResult<&mut IoObj> {
    let o = vm.native_payload(o).unwrap_or(o);
    let closed = match vm.heap.get(o) {
        Some(HeapObj::StringIo(s)) => s.closed,
        _ => raise!(vm, TYPE_ERROR, "expected a stream"),
    };
    if closed {
        raise!(vm, VALUE_ERROR, "I/O operation on closed file");
    }
    if !matches!(vm.heap.get(o), Some(HeapObj::StringIo(_))) {
        raise!(vm, TYPE_ERROR, "expected a stream");
    }
    match vm.heap.get_mut(o) {
        Some(HeapObj::StringIo(s)) => Ok(s),
        _ => Err(Obj::NONE),
    }
}

/// A `str` or `bytes` of `b`, as the stream's kind.
fn result(vm: &mut Vm, binary: bool, b: Vec<u8>) -> PyResult<Obj> {
    if binary {
        return crate::obj::bytes::new_bytes(vm, b);
    }
    match String::from_utf8(b) {
        Ok(s) => vm.new_string(s),
        Err(e) => {
            let s = String::from_utf8_lossy(e.as_bytes()).into_owned();
            vm.new_string(s)
        }
    }
}

fn self_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&o) => Ok(o),
        None => raise!(vm, TYPE_ERROR, "missing self"),
    }
}

/// An optional size argument: `None`, absent or negative means "all".
fn size_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<Option<usize>> {
    match args.get(1) {
        Some(&n) if n != Obj::NONE => {
            let n = vm.index_value(n)?;
            Ok((n >= 0).then_some(n as usize))
        }
        _ => Ok(None),
    }
}

fn io_read(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    let n = size_arg(vm, args)?;
    let s = open_stream(vm, o)?;
    let start = s.pos.min(s.data.len());
    let end = n.map_or(s.data.len(), |n| start.saturating_add(n).min(s.data.len()));
    let out = s.data[start..end].to_vec();
    s.pos = end.max(s.pos);
    let binary = s.binary;
    result(vm, binary, out)
}

fn io_readline(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    let n = size_arg(vm, args)?;
    let s = open_stream(vm, o)?;
    let start = s.pos.min(s.data.len());
    let mut end = match s.data[start..].iter().position(|&c| c == b'\n') {
        Some(i) => start + i + 1,
        None => s.data.len(),
    };
    if let Some(n) = n {
        end = end.min(start.saturating_add(n));
    }
    let out = s.data[start..end].to_vec();
    s.pos = end.max(s.pos);
    let binary = s.binary;
    result(vm, binary, out)
}

fn io_readinto(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [o, buf, ..] = args else {
        raise!(vm, TYPE_ERROR, "readinto() takes a buffer");
    };
    let room = typed_buffer(vm, *buf).map_or(0, |(_, b)| b.len());
    let s = open_stream(vm, *o)?;
    let start = s.pos.min(s.data.len());
    let end = start.saturating_add(room).min(s.data.len());
    let chunk = s.data[start..end].to_vec();
    s.pos = end.max(s.pos);
    let Some(n) = crate::obj::memoryview::fill_buffer(vm, *buf, &chunk) else {
        raise!(vm, TYPE_ERROR, "object with buffer protocol required");
    };
    vm.new_int(n as i64)
}

/// `write(buf)`, and MicroPython's `write(buf, len)` and `write(buf, offset, len)`.
fn io_write(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [o, v, rest @ ..] = args else {
        raise!(vm, TYPE_ERROR, "write() takes a buffer");
    };
    let binary = open_stream(vm, *o)?.binary;
    let mut bytes = match vm.str_of(*v) {
        Some(s) if !binary => s.as_bytes().to_vec(),
        _ if !binary => {
            let t = String::from(vm.type_name(*v));
            raise!(
                vm,
                TYPE_ERROR,
                "can't convert '{}' object to str implicitly",
                t
            )
        }
        _ => crate::obj::bytes::buffer_of(vm, *v)?,
    };
    let (off, len) = match rest {
        [len] => (0, vm.index_value(*len)?),
        [off, len] => (vm.index_value(*off)?, vm.index_value(*len)?),
        _ => (0, i64::MAX),
    };
    let off = (off.max(0) as usize).min(bytes.len());
    let end = off.saturating_add(len.max(0) as usize).min(bytes.len());
    bytes = bytes[off..end].to_vec();
    let (pos, len) = {
        let s = open_stream(vm, *o)?;
        (s.pos, s.data.len())
    };
    let end = pos.saturating_add(bytes.len());
    let stream = vm.native_payload(*o).unwrap_or(*o);
    vm.grow_owned(stream, end.saturating_sub(len), stream_vec)?;
    let s = open_stream(vm, *o)?;
    if s.data.len() < end {
        s.data.resize(end, 0);
    }
    s.data[s.pos..end].copy_from_slice(&bytes);
    s.pos = end;
    vm.new_int(bytes.len() as i64)
}

fn io_getvalue(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    let s = open_stream(vm, o)?;
    let (out, binary) = (s.data.clone(), s.binary);
    result(vm, binary, out)
}

/// The arguments of `seek(offset[, whence])`: the stream, the offset and `whence` (0 when
/// not given). Shared by in-memory streams and files.
pub fn seek_args(vm: &mut Vm, args: &[Obj]) -> PyResult<(Obj, i64, i64)> {
    let [o, off, rest @ ..] = args else {
        raise!(vm, TYPE_ERROR, "seek() takes an offset");
    };
    let off = vm.index_value(*off)?;
    let whence = match rest.first() {
        Some(&w) => vm.index_value(w)?,
        None => 0,
    };
    Ok((*o, off, whence))
}

/// The position `seek` moves an in-memory stream to: `off` from the start (`whence` 0), the
/// current position `pos` (1) or the end `len` (2); `None` when it would be negative.
pub fn seek_position(pos: usize, len: usize, off: i64, whence: i64) -> Option<usize> {
    let base = match whence {
        0 => 0,
        1 => pos as i64,
        _ => len as i64,
    };
    usize::try_from(base.saturating_add(off)).ok()
}

fn io_seek(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (o, off, whence) = seek_args(vm, args)?;
    let s = open_stream(vm, o)?;
    let Some(new) = seek_position(s.pos, s.data.len(), off, whence) else {
        let e = vm.exc_with_arg(ty::OS_ERROR, Obj::small_int_unchecked(EINVAL));
        return Err(e);
    };
    s.pos = new;
    vm.new_int(new as i64)
}

fn io_tell(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    let pos = open_stream(vm, o)?.pos;
    vm.new_int(pos as i64)
}

fn io_flush(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    open_stream(vm, o)?;
    Ok(Obj::NONE)
}

fn io_close(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    let o = vm.native_payload(o).unwrap_or(o);
    if let Some(HeapObj::StringIo(s)) = vm.heap.get_mut(o) {
        s.closed = true;
        s.data = Vec::new();
    }
    Ok(Obj::NONE)
}

fn io_enter(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    self_arg(vm, args)
}

fn io_exit(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    io_close(vm, args, kw)
}

/// `iter(stream)`: calls `readline` until it returns an empty line.
pub fn io_iter(vm: &mut Vm, o: Obj) -> PyResult<Obj> {
    let binary = match vm.heap.get(o) {
        Some(HeapObj::StringIo(s)) => s.binary,
        _ => false,
    };
    let Some((readline, _)) = native::lookup(table::IO_STREAM, "readline") else {
        raise!(vm, RUNTIME_ERROR, "readline missing");
    };
    let sentinel = if binary {
        crate::obj::bytes::new_bytes(vm, Vec::new())?
    } else {
        Obj::qstr(q::EMPTY)
    };
    let func = vm.alloc(HeapObj::NativeBound(o, readline))?;
    vm.new_iter(IterObj::Callable { func, sentinel })
}

/// `repr(stream)`.
pub fn io_repr(vm: &Vm, o: Obj) -> &'static str {
    match vm.heap.get(o) {
        Some(HeapObj::StringIo(s)) if s.binary => "<io.BytesIO>",
        _ => "<io.StringIO>",
    }
}

crate::native_table!(pub STREAM_METHODS = [
    ("__enter__", io_enter),
    ("__exit__", io_exit),
    ("close", io_close),
    ("flush", io_flush),
    ("getvalue", io_getvalue),
    ("read", io_read),
    ("readinto", io_readinto),
    ("readline", io_readline),
    ("seek", io_seek),
    ("tell", io_tell),
    ("write", io_write),
]);

/// The `io` module's attributes.
pub fn module_attr(_vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    Ok(match name {
        "StringIO" => Some(Obj::builtin_type(ty::STRING_IO)),
        "BytesIO" => Some(Obj::builtin_type(ty::BYTES_IO)),
        "IOBase" => Some(Obj::builtin_type(ty::IOBASE)),
        _ => None,
    })
}

/// The names `module_attr` knows.
pub const ATTR_NAMES: &[&str] = &["BytesIO", "IOBase", "StringIO"];
