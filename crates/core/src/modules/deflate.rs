//! `deflate`: `DeflateIO`, a stream that inflates what it reads from another stream and
//! deflates what is written to it. The codec itself is `deflate_codec`.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use super::deflate_codec::{Deflater, InflateError, Inflater};
pub use super::deflate_codec::{AUTO, GZIP, RAW, ZLIB};
use crate::native::{Kw, PyResult};
use crate::obj::bytes::{buffer_of, new_bytes};
use crate::object::HeapObj;
use crate::qstr::q;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

// ---- the Python object ----

/// A `DeflateIO` stream.
pub struct DeflateObj {
    /// The underlying stream; `Obj::NONE` once closed.
    pub stream: Obj,
    closed: bool,
    format: u8,
    wbits: u8,
    close_stream: bool,
    /// Taken out while a read runs (the source is Python code that may re-enter).
    inflater: Option<Box<Inflater>>,
    deflater: Option<Box<Deflater>>,
    /// `true` while a read or write is in progress.
    busy: bool,
}

/// The module's functions (the stream is a type, in `module_attr`).
pub static FUNCTIONS: [crate::native::Native; 0] = [];

crate::native_table!(pub METHODS = [
    ("__enter__", deflate_enter),
    ("__exit__", deflate_exit),
    ("close", deflate_close),
    ("read", deflate_read),
    ("readinto", deflate_readinto),
    ("readline", deflate_readline),
    ("write", deflate_write),
]);

/// Names of the module's other attributes.
pub static ATTR_NAMES: &[&str] = &["AUTO", "DeflateIO", "GZIP", "RAW", "ZLIB"];

/// The module's other attributes: the constants and the type.
pub fn module_attr(_vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    let c = |v: u8| Some(Obj::small_int_unchecked(i32::from(v)));
    Ok(match name {
        "AUTO" => c(AUTO),
        "RAW" => c(RAW),
        "ZLIB" => c(ZLIB),
        "GZIP" => c(GZIP),
        "DeflateIO" => Some(Obj::builtin_type(ty::DEFLATE_IO)),
        _ => None,
    })
}

/// `DeflateIO(stream, format=AUTO, wbits=0, close=False)`.
pub fn deflateio_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let mut a = [Obj::NULL; 4];
    if args.is_empty() || args.len() > 4 || !kw.is_empty() {
        raise!(vm, TYPE_ERROR, "function takes 1 to 4 positional arguments");
    }
    a[..args.len()].copy_from_slice(args);
    let format = if a[1] == Obj::NULL {
        0
    } else {
        vm.index_value(a[1])?
    };
    let wbits = if a[2] == Obj::NULL {
        0
    } else {
        vm.index_value(a[2])?
    };
    if !(0..=3).contains(&format) {
        raise!(vm, VALUE_ERROR, "format");
    }
    if wbits != 0 && !(5..=15).contains(&wbits) {
        raise!(vm, VALUE_ERROR, "wbits");
    }
    let close_stream = a[3] != Obj::NULL && vm.truthy(a[3])?;
    vm.alloc(HeapObj::Deflate(Box::new(DeflateObj {
        stream: a[0],
        closed: false,
        format: format as u8,
        wbits: wbits as u8,
        close_stream,
        inflater: None,
        deflater: None,
        busy: false,
    })))
}

fn this<'v>(vm: &'v mut Vm, args: &[Obj]) -> PyResult<&'v mut DeflateObj> {
    let o = args.first().copied().unwrap_or(Obj::NONE);
    if !matches!(vm.heap.get(o), Some(HeapObj::Deflate(_))) {
        raise!(vm, TYPE_ERROR, "DeflateIO expected");
    }
    match vm.heap.get_mut(o) {
        Some(HeapObj::Deflate(d)) => Ok(d),
        _ => Err(Obj::NONE),
    }
}

fn einval(vm: &mut Vm) -> Obj {
    crate::vfs::os_error(vm, 22)
}

/// One byte of the underlying stream (`EOFError` at its end).
fn source_byte(vm: &mut Vm, stream: Obj, scratch: &mut Obj) -> PyResult<u8> {
    if let Some(HeapObj::StringIo(s)) = vm.heap.get_mut(stream) {
        if s.binary && !s.closed {
            let b = s.data.get(s.pos).copied();
            if let Some(b) = b {
                s.pos += 1;
                return Ok(b);
            }
            return Err(vm.exc(ty::EOF_ERROR, ""));
        }
    }
    if *scratch == Obj::NULL {
        *scratch = vm.alloc(HeapObj::ByteArray(vec![0]))?;
    }
    let r = vm.call_method(stream, q::readinto, &[*scratch])?;
    let n = if r == Obj::NONE {
        0
    } else {
        vm.index_value(r)?
    };
    if n < 0 {
        return Err(crate::vfs::os_error(vm, n.saturating_neg().min(255) as i32));
    }
    if n == 0 {
        return Err(vm.exc(ty::EOF_ERROR, ""));
    }
    match vm.heap.get(*scratch) {
        Some(HeapObj::ByteArray(b)) => Ok(b.first().copied().unwrap_or(0)),
        _ => Err(einval(vm)),
    }
}

/// Inflates into `out`: how many bytes (0 at the end).
fn inflate_into(vm: &mut Vm, o: Obj, out: &mut [u8]) -> PyResult<usize> {
    let max_window = vm.beside_max(1);
    let d = this(vm, &[o])?;
    if d.closed || d.busy {
        return Err(einval(vm));
    }
    let stream = d.stream;
    let (format, wbits) = (d.format, d.wbits);
    let mut inf = d.inflater.take().unwrap_or_else(|| {
        let mut inf = Box::new(Inflater::new(format, wbits));
        inf.limit_window(max_window);
        inf
    });
    d.busy = true;
    let mut scratch = Obj::NULL;
    let r = inf.read(out, &mut || source_byte(vm, stream, &mut scratch));
    if let Ok(d) = this(vm, &[o]) {
        d.inflater = Some(inf);
        d.busy = false;
    }
    match r {
        Ok(n) => Ok(n),
        Err(InflateError::Corrupt) => Err(einval(vm)),
        Err(InflateError::Source(e)) => Err(e),
        Err(InflateError::Memory) => Err(vm.memory_error()),
    }
}

fn deflate_read(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = args.first().copied().unwrap_or(Obj::NONE);
    let limit = match args.get(1) {
        Some(&n) if n != Obj::NONE => usize::try_from(vm.index_value(n)?).ok(),
        _ => None,
    };
    let mut data = Vec::new();
    let mut chunk = [0u8; 256];
    loop {
        let want = limit.map_or(chunk.len(), |l| (l - data.len()).min(chunk.len()));
        if want == 0 {
            break;
        }
        let n = inflate_into(vm, o, &mut chunk[..want])?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&chunk[..n]);
    }
    new_bytes(vm, data)
}

fn deflate_readinto(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [o, buf, ..] = args else {
        raise!(vm, TYPE_ERROR, "readinto() takes a buffer");
    };
    let room = match crate::obj::memoryview::buffer_mut(vm, *buf) {
        Some(b) => b.len(),
        None => raise!(vm, TYPE_ERROR, "object with buffer protocol required"),
    };
    let mut tmp = vec![0u8; room];
    let mut n = 0;
    while n < room {
        let got = inflate_into(vm, *o, &mut tmp[n..])?;
        if got == 0 {
            break;
        }
        n += got;
    }
    if let Some(dst) = crate::obj::memoryview::buffer_mut(vm, *buf) {
        let m = n.min(dst.len());
        dst[..m].copy_from_slice(&tmp[..m]);
    }
    vm.new_int(n as i64)
}

fn deflate_readline(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = args.first().copied().unwrap_or(Obj::NONE);
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    while inflate_into(vm, o, &mut b)? == 1 {
        line.push(b[0]);
        if b[0] == b'\n' {
            break;
        }
    }
    new_bytes(vm, line)
}

fn deflate_write(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [o, data, ..] = args else {
        raise!(vm, TYPE_ERROR, "write() takes a buffer");
    };
    let bytes = match vm.str_of(*data) {
        Some(s) => s.as_bytes().to_vec(),
        None => buffer_of(vm, *data)?,
    };
    let d = this(vm, args)?;
    if d.closed || d.busy {
        return Err(einval(vm));
    }
    let stream = d.stream;
    let (format, wbits) = (d.format, d.wbits);
    if d.deflater.is_none() {
        // The compressor keeps up to two windows of input beside the heap.
        let window = 1usize << if wbits == 0 { 8 } else { wbits.min(15) };
        if window * 2 > vm.beside_max(1) {
            return Err(vm.memory_error());
        }
        let Ok(d) = this(vm, args) else {
            return Err(einval(vm));
        };
        d.deflater = Some(Box::new(Deflater::new(format, wbits)));
        // A failed header write is `EINVAL`, as MicroPython.
        let header = Deflater::header(format, wbits);
        if put(vm, stream, header, false).is_err() {
            return Err(einval(vm));
        }
    }
    let out = match this(vm, &[*o])?.deflater.as_mut() {
        Some(def) => def.write(&bytes),
        None => Vec::new(),
    };
    put(vm, stream, out, true)?;
    vm.new_int(bytes.len() as i64)
}

/// Writes `data` to the underlying stream: to a Python stream a byte per call when
/// `bytewise` (as MicroPython's compressor emits them), else in one call.
fn put(vm: &mut Vm, stream: Obj, data: Vec<u8>, bytewise: bool) -> PyResult<()> {
    if data.is_empty() {
        return Ok(());
    }
    let native = matches!(vm.heap.get(stream), Some(HeapObj::StringIo(_)));
    let pieces: Vec<Vec<u8>> = if bytewise && !native {
        data.iter().map(|&b| vec![b]).collect()
    } else {
        vec![data]
    };
    for piece in pieces {
        let b = vm.alloc(HeapObj::ByteArray(piece))?;
        let r = vm.call_method(stream, q::write, &[b])?;
        let n = if r == Obj::NONE {
            0
        } else {
            vm.index_value(r)?
        };
        if n < 0 {
            return Err(crate::vfs::os_error(vm, n.saturating_neg().min(255) as i32));
        }
    }
    Ok(())
}

fn deflate_close(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let d = this(vm, args)?;
    if d.closed {
        return Ok(Obj::NONE);
    }
    d.closed = true;
    let stream = core::mem::replace(&mut d.stream, Obj::NONE);
    let close_stream = d.close_stream;
    let tail = d.deflater.take().map(|mut w| w.finish());
    // `stream` is no longer reachable from the object: keep it across the calls below.
    vm.heap.keep(stream);
    if let Some((last, trailer)) = tail {
        put(vm, stream, last, true)?;
        put(vm, stream, trailer, false)?;
    }
    if close_stream {
        // A Python stream derived from `io.IOBase` may have only `ioctl` (4 is close).
        if vm.getattr_opt(stream, q::close)?.is_some() {
            vm.call_method(stream, q::close, &[])?;
        } else if let Some(ioctl) = {
            let name = vm.intern("ioctl")?;
            vm.getattr_opt(stream, name)?
        } {
            let (four, zero) = (Obj::small_int_unchecked(4), Obj::small_int_unchecked(0));
            vm.call(ioctl, &[four, zero], &[])?;
        }
    }
    Ok(Obj::NONE)
}

fn deflate_enter(_vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(args.first().copied().unwrap_or(Obj::NONE))
}

fn deflate_exit(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    deflate_close(vm, &args[..args.len().min(1)], kw)
}
