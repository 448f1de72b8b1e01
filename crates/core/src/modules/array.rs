//! The `array` module: `array.array`, a compact sequence of typed numbers.
//!
//! Items are stored in the native layout of `obj::binary` (little-endian, so raw copies to and
//! from bytes are byte-order dependent exactly as on MicroPython's ports). MicroPython's
//! extension `array('O')` holds arbitrary objects; they are kept as object words, apart from
//! the bytes, so the collector can trace them and no byte view can forge one.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use pyrite_compiler::bytecode::{BinOp, CmpOp};

use crate::native::{Kw, PyResult};
use crate::obj::binary;
use crate::obj::memoryview::{self, typed_buffer};
use crate::object::HeapObj;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// An `array.array`.
pub struct ArrayObj {
    /// The item code (`b`, `H`, `f`, ... or `O` for objects).
    pub typecode: u8,
    /// The items, `item_size` bytes each (empty for `O`).
    pub data: Vec<u8>,
    /// The items of an `O` array.
    pub objs: Vec<Obj>,
}

impl ArrayObj {
    /// The size of one item in bytes.
    pub fn item_size(&self) -> usize {
        item_size(self.typecode).unwrap_or(1)
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        if self.typecode == b'O' {
            self.objs.len()
        } else {
            self.data.len() / self.item_size()
        }
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of the items (`None` for an `O` array, which has no buffer).
    pub fn bytes(&self) -> Option<&[u8]> {
        (self.typecode != b'O').then_some(&self.data[..])
    }
}

/// The item size of array code `tc`, or `None` if arrays do not support it.
fn item_size(tc: u8) -> Option<usize> {
    match tc {
        b'O' | b'S' => Some(8),
        _ => binary::item_size(tc, false),
    }
}

/// The array inside `o` (an array or an instance of a subclass).
fn array_ref(vm: &Vm, o: Obj) -> Option<&ArrayObj> {
    match vm.heap.get(o)? {
        HeapObj::Array(a) => Some(a),
        HeapObj::Instance(i) if !i.native.is_null() => array_ref(vm, i.native),
        _ => None,
    }
}

fn array_mut(vm: &mut Vm, o: Obj) -> Option<&mut ArrayObj> {
    match vm.heap.get_mut(o)? {
        HeapObj::Array(a) => Some(a),
        _ => None,
    }
}

/// The array object itself (the payload of a subclass instance).
fn target(vm: &Vm, o: Obj) -> Obj {
    match vm.heap.get(o) {
        Some(HeapObj::Instance(i)) if !i.native.is_null() => target(vm, i.native),
        _ => o,
    }
}

fn new_array(vm: &mut Vm, typecode: u8, data: Vec<u8>, objs: Vec<Obj>) -> PyResult<Obj> {
    vm.alloc(HeapObj::Array(Box::new(ArrayObj {
        typecode,
        data,
        objs,
    })))
}

/// `array.array(typecode[, initializer])`.
pub fn array_new(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.is_empty() || args.len() > 2 {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes 1 to 2 positional arguments but {} were given",
            args.len()
        );
    }
    let code = crate::obj::str::str_arg(vm, args[0])?;
    let tc = code.bytes().next().unwrap_or(0);
    let Some(sz) = item_size(tc) else {
        raise!(vm, VALUE_ERROR, "bad typecode");
    };
    let a = new_array(vm, tc, Vec::new(), Vec::new())?;
    let Some(&init) = args.get(1) else {
        return Ok(a);
    };
    let raw = matches!(
        vm.heap.get(init),
        Some(HeapObj::Bytes(_)) | Some(HeapObj::ByteArray(_))
    );
    if raw && tc != b'O' {
        let mut data = crate::obj::bytes::buffer_of(vm, init)?;
        data.truncate(data.len() / sz * sz);
        vm.charge(data.len())?;
        if let Some(arr) = array_mut(vm, a) {
            arr.data = data;
        }
        return Ok(a);
    }
    extend_from_iter(vm, a, init)?;
    Ok(a)
}

fn extend_from_iter(vm: &mut Vm, a: Obj, src: Obj) -> PyResult<()> {
    let items = vm.iter_to_vec(src)?;
    for it in items {
        append(vm, a, it)?;
    }
    Ok(())
}

fn append(vm: &mut Vm, a: Obj, v: Obj) -> PyResult<()> {
    let Some(arr) = array_ref(vm, a) else {
        raise!(vm, TYPE_ERROR, "expected array");
    };
    let (tc, sz) = (arr.typecode, arr.item_size());
    vm.charge(sz)?;
    if tc == b'O' {
        if let Some(arr) = array_mut(vm, a) {
            arr.objs.push(v);
        }
        return Ok(());
    }
    let bytes = binary::encode(vm, tc, v, sz, true)?;
    if let Some(arr) = array_mut(vm, a) {
        arr.data.extend_from_slice(&bytes[..sz]);
    }
    Ok(())
}

fn array_append(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [a, v] = args else {
        raise!(vm, TYPE_ERROR, "append() takes exactly one argument");
    };
    let a = target(vm, *a);
    append(vm, a, *v)?;
    Ok(Obj::NONE)
}

/// `a.extend(x)` and `a += x`: any buffer is copied raw (a MicroPython extension), anything
/// else is iterated.
pub fn array_extend_obj(vm: &mut Vm, a: Obj, v: Obj) -> PyResult<()> {
    let a = target(vm, a);
    let Some(arr) = array_ref(vm, a) else {
        raise!(vm, TYPE_ERROR, "expected array");
    };
    let (tc, sz) = (arr.typecode, arr.item_size());
    if tc != b'O' {
        if let Some((_, b)) = typed_buffer(vm, v) {
            let mut extra = b.to_vec();
            extra.truncate(extra.len() / sz * sz);
            vm.charge(extra.len())?;
            if let Some(arr) = array_mut(vm, a) {
                arr.data.extend_from_slice(&extra);
            }
            return Ok(());
        }
    }
    extend_from_iter(vm, a, v)
}

fn array_extend(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [a, v] = args else {
        raise!(vm, TYPE_ERROR, "extend() takes exactly one argument");
    };
    array_extend_obj(vm, *a, *v)?;
    Ok(Obj::NONE)
}

/// The number of items of an array.
pub fn array_len(a: &ArrayObj) -> usize {
    a.len()
}

/// Item `i` of an array, `None` past the end.
pub fn array_item(vm: &mut Vm, o: Obj, i: usize) -> PyResult<Option<Obj>> {
    let Some(arr) = array_ref(vm, o) else {
        return Ok(None);
    };
    if arr.typecode == b'O' {
        return Ok(arr.objs.get(i).copied());
    }
    let (tc, sz) = (arr.typecode, arr.item_size());
    let mut buf = [0u8; 8];
    match arr.data.get(i * sz..i * sz + sz) {
        Some(b) => buf[..sz].copy_from_slice(b),
        None => return Ok(None),
    }
    binary::decode(vm, tc, &buf[..sz], true).map(Some)
}

/// `a[k]`.
pub fn array_getitem(vm: &mut Vm, o: Obj, k: Obj) -> PyResult<Obj> {
    let Some(arr) = array_ref(vm, o) else {
        raise!(vm, TYPE_ERROR, "expected array");
    };
    let (tc, sz, len) = (arr.typecode, arr.item_size(), arr.len());
    if matches!(vm.heap.get(k), Some(HeapObj::Slice(..))) {
        let si = vm.slice_indices(k, len)?;
        if si.step != 1 {
            raise!(
                vm,
                NOT_IMPLEMENTED_ERROR,
                "only slices with step=1 (aka None) are supported"
            );
        }
        let s = si.start.max(0) as usize;
        let (data, objs) = match array_ref(vm, o) {
            Some(arr) if tc == b'O' => (Vec::new(), arr.objs[s..s + si.len].to_vec()),
            Some(arr) => (arr.data[s * sz..(s + si.len) * sz].to_vec(), Vec::new()),
            None => (Vec::new(), Vec::new()),
        };
        return new_array(vm, tc, data, objs);
    }
    let i = vm.seq_index(k, len, "array")?;
    match array_item(vm, o, i)? {
        Some(v) => Ok(v),
        None => raise!(vm, INDEX_ERROR, "array index out of range"),
    }
}

/// `a[k] = v`.
pub fn array_setitem(vm: &mut Vm, o: Obj, k: Obj, v: Obj) -> PyResult<()> {
    let o = target(vm, o);
    let Some(arr) = array_ref(vm, o) else {
        raise!(vm, TYPE_ERROR, "expected array");
    };
    let (tc, sz, len) = (arr.typecode, arr.item_size(), arr.len());
    if matches!(vm.heap.get(k), Some(HeapObj::Slice(..))) {
        let si = vm.slice_indices(k, len)?;
        if si.step != 1 || tc == b'O' {
            raise!(
                vm,
                NOT_IMPLEMENTED_ERROR,
                "only slices with step=1 (aka None) are supported"
            );
        }
        let src = memoryview::slice_source(vm, v, sz)?;
        vm.charge(src.len())?;
        let s = si.start.max(0) as usize * sz;
        if let Some(arr) = array_mut(vm, o) {
            arr.data.splice(s..s + si.len * sz, src);
        }
        return Ok(());
    }
    let i = vm.seq_index(k, len, "array")?;
    if tc == b'O' {
        if let Some(arr) = array_mut(vm, o) {
            arr.objs[i] = v;
        }
        return Ok(());
    }
    let bytes = binary::encode(vm, tc, v, sz, true)?;
    if let Some(arr) = array_mut(vm, o) {
        if let Some(dst) = arr.data.get_mut(i * sz..i * sz + sz) {
            dst.copy_from_slice(&bytes[..sz]);
        }
    }
    Ok(())
}

/// `a + b` (`b` any buffer, as MicroPython allows) and `a += b`.
pub fn array_binop(vm: &mut Vm, op: BinOp, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    if op != BinOp::Add {
        return Ok(None);
    }
    let Some(arr) = array_ref(vm, a) else {
        return Ok(None);
    };
    let (tc, sz) = (arr.typecode, arr.item_size());
    let Some(mut data) = arr.bytes().map(|b| b.to_vec()) else {
        return Ok(None);
    };
    let Some((_, extra)) = typed_buffer(vm, b) else {
        let t = String::from(vm.type_name(b));
        raise!(
            vm,
            TYPE_ERROR,
            "object with buffer protocol required, not {}",
            t
        );
    };
    data.extend_from_slice(&extra[..extra.len() / sz * sz]);
    vm.charge(data.len())?;
    new_array(vm, tc, data, Vec::new()).map(Some)
}

/// `x in a`: only buffers (never found) and non-numbers (`False`) are supported.
pub fn array_contains(vm: &mut Vm, _a: Obj, x: Obj) -> PyResult<bool> {
    if typed_buffer(vm, x).is_none() && crate::obj::float::to_f64(vm, x).is_some() {
        raise!(vm, NOT_IMPLEMENTED_ERROR, "");
    }
    Ok(false)
}

/// The item code and bytes of `o` for comparisons (`O` arrays compare by code only).
fn compare_view(vm: &Vm, o: Obj) -> Option<(u8, Vec<u8>)> {
    if let Some(a) = array_ref(vm, o) {
        if a.typecode == b'O' {
            return Some((b'O', Vec::new()));
        }
    }
    typed_buffer(vm, o).map(|(tc, b)| (tc, b.to_vec()))
}

/// Whether `o` is an array or a memoryview (the buffers with their own comparison rules).
fn is_typed(vm: &Vm, o: Obj) -> bool {
    array_ref(vm, o).is_some() || matches!(vm.heap.get(o), Some(HeapObj::MemoryView(_)))
}

/// Comparison of buffers when an array or memoryview takes part, as MicroPython: the bytes
/// are compared when the item codes are the same up to signedness (for `==`) or the same and
/// unsigned (for ordering); floats and other mixes raise `NotImplementedError`. `None` when
/// neither side is an array or memoryview.
pub fn buffer_compare(vm: &mut Vm, op: CmpOp, a: Obj, b: Obj) -> PyResult<Option<bool>> {
    if !is_typed(vm, a) && !is_typed(vm, b) {
        return Ok(None);
    }
    // MicroPython compares an array with `bytes` only by identity (neither type asks to be
    // compared with other types), but with `bytearray` and `memoryview` by contents.
    let is_array = |o: Obj| matches!(vm.heap.get(o), Some(HeapObj::Array(_)));
    let is_bytes = |o: Obj| matches!(vm.heap.get(o), Some(HeapObj::Bytes(_)));
    if op == CmpOp::Eq && ((is_array(a) && is_bytes(b)) || (is_bytes(a) && is_array(b))) {
        return Ok(Some(false));
    }
    let (Some((ca, x)), Some((cb, y))) = (compare_view(vm, a), compare_view(vm, b)) else {
        return Ok(Some(false));
    };
    let unsigned = ca.is_ascii_uppercase() || cb.is_ascii_uppercase();
    let (la, lb) = (ca.to_ascii_lowercase(), cb.to_ascii_lowercase());
    if la != lb || la == b'f' || la == b'd' || (op != CmpOp::Eq && !unsigned) {
        raise!(vm, NOT_IMPLEMENTED_ERROR, "");
    }
    let ord = x.cmp(&y);
    Ok(Some(match op {
        CmpOp::Eq => ord.is_eq(),
        CmpOp::Lt => ord.is_lt(),
        CmpOp::Le => ord.is_le(),
        CmpOp::Gt => ord.is_gt(),
        _ => ord.is_ge(),
    }))
}

/// `repr(a)`: `array('b', [1, 2])`.
pub fn array_repr(vm: &mut Vm, o: Obj) -> PyResult<String> {
    let (tc, len) = match array_ref(vm, o) {
        Some(a) => (a.typecode, a.len()),
        None => return Ok(String::new()),
    };
    let mut out = String::from("array('");
    out.push(tc as char);
    out.push('\'');
    if len > 0 {
        out.push_str(", [");
        for i in 0..len {
            if i > 0 {
                out.push_str(", ");
            }
            let v = array_item(vm, o, i)?.unwrap_or(Obj::NONE);
            out.push_str(&vm.repr(v)?);
        }
        out.push(']');
    }
    out.push(')');
    Ok(out)
}

crate::native_table!(pub METHODS = [
    ("append", array_append),
    ("extend", array_extend),
]);

/// The `array` module's attributes.
pub fn module_attr(_vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    Ok((name == "array").then_some(Obj::builtin_type(ty::ARRAY)))
}

/// The names `module_attr` knows.
pub const ATTR_NAMES: &[&str] = &["array"];
