//! `memoryview` and the buffer protocol.
//!
//! A buffer is anything whose items live in contiguous bytes: `bytes`, `bytearray` (item code
//! `B`), `array.array` (its own code) and `memoryview`. A memoryview never refers to another
//! memoryview: viewing a view refers to the view's source with the same offset. Its items are
//! decoded by item code as in MicroPython, so `memoryview(array('h', ...))[0]` is a short.

use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::obj::binary;
use crate::object::HeapObj;
use crate::qstr::Qstr;
use crate::value::Obj;
use crate::vm::Vm;

/// A `memoryview`: a window of items over a buffer object.
#[derive(Clone, Copy)]
pub struct MemViewObj {
    /// The object holding the bytes (`bytes`, `bytearray` or `array`).
    pub src: Obj,
    /// Where the window starts, in bytes.
    pub start: usize,
    /// The number of items.
    pub len: usize,
    /// The item code.
    pub typecode: u8,
    /// Whether stores are refused.
    pub readonly: bool,
}

/// The item size of a buffer's item code (1 for unknown codes, which hold bytes).
pub fn code_size(tc: u8) -> usize {
    binary::item_size(tc, false).unwrap_or(1)
}

/// The item code and bytes of a buffer object, or `None` if `o` has no buffer.
pub fn typed_buffer(vm: &Vm, o: Obj) -> Option<(u8, &[u8])> {
    match vm.heap.get(o)? {
        HeapObj::Bytes(b) => Some((b'B', b)),
        HeapObj::ByteArray(b) => Some((b'B', b)),
        HeapObj::Array(a) => a.bytes().map(|b| (a.typecode, b)),
        HeapObj::MemoryView(m) => {
            let (_, all) = typed_buffer(vm, m.src)?;
            let end = m
                .start
                .saturating_add(m.len.saturating_mul(code_size(m.typecode)));
            let bytes = all.get(m.start.min(all.len())..end.min(all.len()))?;
            Some((m.typecode, bytes))
        }
        HeapObj::Instance(i) if !i.native.is_null() => typed_buffer(vm, i.native),
        HeapObj::FrameBuf(f) => typed_buffer(vm, f.buf),
        HeapObj::UStruct(_) => crate::modules::uctypes::struct_bytes(vm, o),
        _ => None,
    }
}

/// The writable bytes of a buffer object (`bytearray` or `array`).
pub fn buffer_mut(vm: &mut Vm, o: Obj) -> Option<&mut Vec<u8>> {
    match vm.heap.get_mut(o)? {
        HeapObj::ByteArray(b) => Some(b),
        HeapObj::Array(a) if a.typecode != b'O' => Some(&mut a.data),
        _ => None,
    }
}

/// Copies `data` to the start of the writable buffer `o` (a `bytearray`, an `array`, or a
/// writable `memoryview` of one): how many bytes fitted, or `None` if `o` is not writable.
pub fn fill_buffer(vm: &mut Vm, o: Obj, data: &[u8]) -> Option<usize> {
    let (target, start, len) = match vm.heap.get(o)? {
        HeapObj::MemoryView(m) if m.readonly => return None,
        HeapObj::MemoryView(m) => (m.src, m.start, m.len.saturating_mul(code_size(m.typecode))),
        _ => (o, 0, usize::MAX),
    };
    let dst = buffer_mut(vm, target)?;
    let end = start.saturating_add(len).min(dst.len());
    let room = dst.get_mut(start.min(end)..end)?;
    let n = data.len().min(room.len());
    room[..n].copy_from_slice(&data[..n]);
    Some(n)
}

fn view_of(vm: &Vm, o: Obj) -> Option<MemViewObj> {
    match vm.heap.get(o)? {
        HeapObj::MemoryView(m) => Some(*m),
        _ => None,
    }
}

/// `memoryview(obj)`.
pub fn memoryview_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [x] = args else {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes 1 positional arguments but {} were given",
            args.len()
        );
    };
    let x = vm.native_payload(*x).unwrap_or(*x);
    let view = match vm.heap.get(x) {
        Some(HeapObj::MemoryView(m)) => *m,
        Some(HeapObj::Bytes(b)) => MemViewObj {
            src: x,
            start: 0,
            len: b.len(),
            typecode: b'B',
            readonly: true,
        },
        Some(HeapObj::ByteArray(b)) => MemViewObj {
            src: x,
            start: 0,
            len: b.len(),
            typecode: b'B',
            readonly: false,
        },
        Some(HeapObj::Array(a)) if a.typecode != b'O' => MemViewObj {
            src: x,
            start: 0,
            len: a.len(),
            typecode: a.typecode,
            readonly: false,
        },
        // A frame buffer (whose buffer is never another frame buffer) lends its buffer.
        Some(HeapObj::FrameBuf(f)) => return memoryview_new(vm, &[f.buf], _kw),
        _ => raise!(vm, TYPE_ERROR, "object with buffer protocol required"),
    };
    vm.alloc(HeapObj::MemoryView(view))
}

/// The number of items of a memoryview.
pub fn memoryview_len(m: &MemViewObj) -> usize {
    m.len
}

/// Item `i` of a view (no bounds check against `len`; a shrunk source reads as an error).
fn view_item(vm: &mut Vm, m: &MemViewObj, i: usize) -> PyResult<Obj> {
    let sz = code_size(m.typecode);
    let at = m.start + i * sz;
    let bytes: Option<[u8; 8]> = typed_buffer(vm, m.src).and_then(|(_, b)| {
        let s = b.get(at..at + sz)?;
        let mut out = [0u8; 8];
        out[..sz].copy_from_slice(s);
        Some(out)
    });
    match bytes {
        Some(b) => binary::decode(vm, m.typecode, &b[..sz], true),
        None => raise!(vm, INDEX_ERROR, "memoryview index out of range"),
    }
}

/// The item at position `i` of a view being iterated, `None` past the end.
pub fn memoryview_iter_item(vm: &mut Vm, o: Obj, i: usize) -> PyResult<Option<Obj>> {
    match view_of(vm, o) {
        Some(m) if i < m.len => view_item(vm, &m, i).map(Some),
        _ => Ok(None),
    }
}

/// A slice of a memoryview: only step 1 is supported, as in MicroPython.
fn step1_slice(vm: &mut Vm, k: Obj, len: usize) -> PyResult<crate::obj::subscr::SliceIndices> {
    let si = vm.slice_indices(k, len)?;
    if si.step != 1 {
        raise!(
            vm,
            NOT_IMPLEMENTED_ERROR,
            "only slices with step=1 (aka None) are supported"
        );
    }
    Ok(si)
}

/// `m[k]`.
pub fn memoryview_getitem(vm: &mut Vm, o: Obj, k: Obj) -> PyResult<Obj> {
    let Some(m) = view_of(vm, o) else {
        raise!(vm, TYPE_ERROR, "expected memoryview");
    };
    if matches!(vm.heap.get(k), Some(HeapObj::Slice(..))) {
        let si = step1_slice(vm, k, m.len)?;
        let start = m.start + si.start.max(0) as usize * code_size(m.typecode);
        return vm.alloc(HeapObj::MemoryView(MemViewObj {
            start,
            len: si.len,
            ..m
        }));
    }
    let i = vm.seq_index(k, m.len, "memoryview")?;
    view_item(vm, &m, i)
}

/// `m[k] = v`.
pub fn memoryview_setitem(vm: &mut Vm, o: Obj, k: Obj, v: Obj) -> PyResult<()> {
    let Some(m) = view_of(vm, o) else {
        raise!(vm, TYPE_ERROR, "expected memoryview");
    };
    if m.readonly {
        raise!(
            vm,
            TYPE_ERROR,
            "'memoryview' object doesn't support item assignment"
        );
    }
    let sz = code_size(m.typecode);
    if matches!(vm.heap.get(k), Some(HeapObj::Slice(..))) {
        let si = step1_slice(vm, k, m.len)?;
        let src = slice_source(vm, v, sz)?;
        if src.len() != si.len * sz {
            raise!(vm, VALUE_ERROR, "lhs and rhs should be compatible");
        }
        let at = m.start + si.start.max(0) as usize * sz;
        return store_bytes(vm, m.src, at, &src);
    }
    let i = vm.seq_index(k, m.len, "memoryview")?;
    let bytes = binary::encode(vm, m.typecode, v, sz, true)?;
    store_bytes(vm, m.src, m.start + i * sz, &bytes[..sz])
}

/// The bytes of the right side of a slice store into a buffer of item size `sz`: another
/// buffer of the same item size (`bytes` only for byte buffers).
pub fn slice_source(vm: &mut Vm, v: Obj, sz: usize) -> PyResult<Vec<u8>> {
    let is_bytes = matches!(vm.heap.get(v), Some(HeapObj::Bytes(_)));
    match typed_buffer(vm, v) {
        Some((tc, b)) if code_size(tc) == sz && (sz == 1 || !is_bytes) => Ok(b.to_vec()),
        Some(_) => raise!(vm, VALUE_ERROR, "lhs and rhs should be compatible"),
        None => raise!(
            vm,
            NOT_IMPLEMENTED_ERROR,
            "array/bytes required on right side"
        ),
    }
}

fn store_bytes(vm: &mut Vm, src: Obj, at: usize, bytes: &[u8]) -> PyResult<()> {
    let Some(buf) = buffer_mut(vm, src) else {
        raise!(
            vm,
            TYPE_ERROR,
            "'memoryview' object doesn't support item assignment"
        );
    };
    match buf.get_mut(at..at + bytes.len()) {
        Some(dst) => {
            dst.copy_from_slice(bytes);
            Ok(())
        }
        None => raise!(vm, INDEX_ERROR, "memoryview index out of range"),
    }
}

/// Attributes of a memoryview that are not methods (`itemsize`).
pub fn memoryview_attr(vm: &mut Vm, o: Obj, name: Qstr) -> PyResult<Option<Obj>> {
    match view_of(vm, o) {
        Some(m) if vm.qstr_str(name) == "itemsize" => {
            Ok(Some(Obj::small_int_unchecked(code_size(m.typecode) as i32)))
        }
        _ => Ok(None),
    }
}

fn memoryview_tobytes(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let b = crate::obj::bytes::buffer_of(vm, args.first().copied().unwrap_or(Obj::NONE))?;
    crate::obj::bytes::new_bytes(vm, b)
}

fn memoryview_hex(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    // No separator argument: `bytes.hex` of the memory.
    crate::obj::bytes::bytes_hex(vm, args.get(..1).unwrap_or(&[Obj::NONE]), kw)
}

crate::native_table!(pub METHODS = [
    ("hex", memoryview_hex),
    ("tobytes", memoryview_tobytes),
]);
