//! The `uctypes` module: C-like structure layouts over byte buffers, without raw memory.
//!
//! MicroPython's `uctypes` reads and writes any machine address. Pyrite has no raw memory to
//! offer, so an address here is a *buffer address*: `addressof(buf)` returns
//! `(heap slot of buf + 1) << 32 | byte offset`, and every access resolves the address back to
//! that buffer and checks the bounds. Pointer fields hold such addresses (8 bytes,
//! little-endian), so pointer arithmetic within one buffer works as in C. An address that
//! names no live buffer (a raw one like `0x40000000`, or one whose buffer was collected) gives
//! `ValueError` when it is read or written; creating and printing a struct at it is fine.
//!
//! Where MicroPython hands out a bytearray that aliases memory (`bytearray_at`, arrays of
//! `UINT8`), Pyrite returns a `memoryview` of the buffer: writes through it reach the buffer
//! just the same.
//!
//! Descriptor encoding (MicroPython's, so its constants work unchanged): a scalar field is an
//! int with the value type in bits 27..31 (sign-extended from bit 30) and the offset below; a
//! bit field also has its bit position at bit 17 and its length at bit 22. An aggregate is a
//! tuple whose first item has the aggregate type (`STRUCT`, `PTR`, `ARRAY`) in bits 29..31.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::obj::binary;
use crate::obj::int::Int;
use crate::obj::memoryview::MemViewObj;
use crate::object::HeapObj;
use crate::qstr::Qstr;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// A `uctypes.struct`: a descriptor applied at an address.
pub struct StructObj {
    /// A dict of fields, or an aggregate tuple (`PTR`, `ARRAY`).
    pub desc: Obj,
    /// The buffer address of the first byte.
    pub addr: u64,
    /// `LITTLE_ENDIAN`, `BIG_ENDIAN` or `NATIVE`.
    pub layout: i64,
}

const LITTLE_ENDIAN: i64 = 0;
const BIG_ENDIAN: i64 = 1;
const NATIVE: i64 = 2;

// Scalar value types (4 bits).
const UINT8: i64 = 0;
const INT8: i64 = 1;
const UINT16: i64 = 2;
const INT16: i64 = 3;
const UINT32: i64 = 4;
const INT32: i64 = 5;
const UINT64: i64 = 6;
const INT64: i64 = 7;
const BFUINT8: i64 = 8;
const BFINT8: i64 = 9;
const BFUINT16: i64 = 10;
const BFINT16: i64 = 11;
const BFUINT32: i64 = 12;
const BFINT32: i64 = 13;
const FLOAT32: i64 = 14;
const FLOAT64: i64 = 15;

// Aggregate types (2 bits).
const STRUCT: i64 = 0;
const PTR: i64 = 1;
const ARRAY: i64 = 2;

const VAL_TYPE_BITS: u32 = 4;
const AGG_TYPE_BITS: u32 = 2;
const OFFSET_BITS: u32 = 17;
const LEN_BITS: u32 = OFFSET_BITS + 5;

/// A pointer's size: buffer addresses are 64-bit.
const PTR_SIZE: u64 = 8;

/// How deep descriptors may nest (they are user data and may even be cyclic).
const MAX_DEPTH: usize = 32;

/// A type code as MicroPython's module constants hold it.
const fn type_const(t: i64, nbits: u32) -> i64 {
    (((t as i32) << (32 - nbits)) >> 1) as i64
}

/// The type in the top bits of a descriptor int.
fn get_type(x: i64, nbits: u32) -> i64 {
    (x >> (31 - nbits)) & ((1 << nbits) - 1)
}

/// The offset bits of a descriptor int.
fn value_mask(nbits: u32) -> i64 {
    (!(i32::MIN >> nbits)) as i64
}

/// The byte size of scalar type `t`.
fn scalar_size(t: i64) -> u64 {
    if t == FLOAT32 {
        4
    } else {
        1 << ((t & 7) >> 1)
    }
}

crate::native_table!(pub FUNCTIONS = [
    ("addressof", uctypes_addressof),
    ("bytearray_at", uctypes_bytearray_at),
    ("bytes_at", uctypes_bytes_at),
    ("sizeof", uctypes_sizeof),
]);

/// Names of the module's other attributes.
pub static ATTR_NAMES: &[&str] = &[
    "ARRAY",
    "BFINT16",
    "BFINT32",
    "BFINT8",
    "BFUINT16",
    "BFUINT32",
    "BFUINT8",
    "BF_LEN",
    "BF_POS",
    "BIG_ENDIAN",
    "FLOAT32",
    "FLOAT64",
    "INT",
    "INT16",
    "INT32",
    "INT64",
    "INT8",
    "LITTLE_ENDIAN",
    "LONG",
    "LONGLONG",
    "NATIVE",
    "PTR",
    "SHORT",
    "UINT",
    "UINT16",
    "UINT32",
    "UINT64",
    "UINT8",
    "ULONG",
    "ULONGLONG",
    "USHORT",
    "VOID",
    "struct",
];

/// The module's other attributes.
pub fn module_attr(_vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    let v = |t| type_const(t, VAL_TYPE_BITS);
    let c = match name {
        "struct" => return Ok(Some(Obj::builtin_type(ty::UCTYPES_STRUCT))),
        "NATIVE" => NATIVE,
        "LITTLE_ENDIAN" => LITTLE_ENDIAN,
        "BIG_ENDIAN" => BIG_ENDIAN,
        "VOID" | "UINT8" => v(UINT8),
        "INT8" => v(INT8),
        "UINT16" | "USHORT" => v(UINT16),
        "INT16" | "SHORT" => v(INT16),
        "UINT32" | "UINT" => v(UINT32),
        "INT32" | "INT" => v(INT32),
        "UINT64" | "ULONG" | "ULONGLONG" => v(UINT64),
        "INT64" | "LONG" | "LONGLONG" => v(INT64),
        "BFUINT8" => v(BFUINT8),
        "BFINT8" => v(BFINT8),
        "BFUINT16" => v(BFUINT16),
        "BFINT16" => v(BFINT16),
        "BFUINT32" => v(BFUINT32),
        "BFINT32" => v(BFINT32),
        "FLOAT32" => v(FLOAT32),
        "FLOAT64" => v(FLOAT64),
        "BF_POS" => OFFSET_BITS as i64,
        "BF_LEN" => LEN_BITS as i64,
        "PTR" => type_const(PTR, AGG_TYPE_BITS),
        "ARRAY" => type_const(ARRAY, AGG_TYPE_BITS),
        _ => return Ok(None),
    };
    Ok(Some(Obj::small_int_unchecked(c as i32)))
}

// ---- buffer addresses ----

/// The address of byte `offset` of buffer object `o`.
fn address(o: Obj, offset: usize) -> u64 {
    let slot = o.as_heap().map_or(0, |i| i as u64 + 1);
    (slot << 32) | offset as u64
}

/// The buffer object an address points into, and the offset in it.
fn region(addr: u64) -> Option<(Obj, usize)> {
    let slot = addr >> 32;
    if slot == 0 || slot >= 1 << 30 {
        return None;
    }
    let o = Obj::from_bits((slot as u32) << 2);
    o.as_heap()?;
    Some((o, (addr & 0xffff_ffff) as usize))
}

/// The bytes of a buffer object that addresses can name.
fn buffer_bytes(vm: &Vm, o: Obj) -> Option<&[u8]> {
    match vm.heap.get(o)? {
        HeapObj::Bytes(b) => Some(b),
        HeapObj::ByteArray(b) => Some(b),
        HeapObj::Array(a) => a.bytes(),
        _ => None,
    }
}

/// The buffer object and offset an address names, checked to hold `len` bytes.
fn resolve(vm: &mut Vm, addr: u64, len: u64) -> PyResult<(Obj, usize)> {
    if let Some((o, off)) = region(addr) {
        if let Some(b) = buffer_bytes(vm, o) {
            if (off as u64).saturating_add(len) <= b.len() as u64 {
                return Ok((o, off));
            }
            raise!(
                vm,
                VALUE_ERROR,
                "uctypes: {} bytes at 0x{:x} run past the end of their buffer",
                len,
                addr
            );
        }
    }
    raise!(
        vm,
        VALUE_ERROR,
        "uctypes: no buffer at address 0x{:x} (raw memory can't be accessed)",
        addr
    )
}

/// `len` bytes at `addr`.
fn read(vm: &mut Vm, addr: u64, len: u64) -> PyResult<Vec<u8>> {
    let (o, off) = resolve(vm, addr, len)?;
    let b = buffer_bytes(vm, o).unwrap_or(&[]);
    Ok(b.get(off..off + len as usize).unwrap_or(&[]).to_vec())
}

/// Stores `bytes` at `addr`.
fn write(vm: &mut Vm, addr: u64, bytes: &[u8]) -> PyResult<()> {
    let (o, off) = resolve(vm, addr, bytes.len() as u64)?;
    let target: Option<&mut [u8]> = match vm.heap.get_mut(o) {
        Some(HeapObj::ByteArray(b)) => Some(b),
        Some(HeapObj::Array(a)) => Some(&mut a.data),
        _ => None,
    };
    match target.and_then(|t| t.get_mut(off..off + bytes.len())) {
        Some(t) => {
            t.copy_from_slice(bytes);
            Ok(())
        }
        None => raise!(
            vm,
            TYPE_ERROR,
            "uctypes: can't write into a read-only buffer"
        ),
    }
}

/// An int argument as an address (wrapped to 64 bits, as MicroPython truncates).
fn address_arg(vm: &mut Vm, o: Obj) -> PyResult<u64> {
    match Int::of(vm, o) {
        Some(Int::Small(v)) => Ok(v as u64),
        Some(Int::Big(b)) => {
            let low = b.bitand(&pyrite_mpz::BigInt::from_u64(u64::MAX));
            Ok(low.to_u64().unwrap_or(u64::MAX))
        }
        None => {
            let t = String::from(vm.type_name(o));
            raise!(vm, TYPE_ERROR, "can't convert {} to int", t)
        }
    }
}

fn new_address(vm: &mut Vm, addr: u64) -> PyResult<Obj> {
    match i64::try_from(addr) {
        Ok(v) => vm.new_int(v),
        Err(_) => crate::obj::int::from_big(vm, pyrite_mpz::BigInt::from_u64(addr)),
    }
}

/// The buffer address of the data of `o`, if it has a buffer.
fn address_of(vm: &Vm, o: Obj, depth: usize) -> Option<u64> {
    if depth > 4 {
        return None;
    }
    match vm.heap.get(o)? {
        HeapObj::Bytes(_) | HeapObj::ByteArray(_) => Some(address(o, 0)),
        HeapObj::Array(a) if a.typecode != b'O' => Some(address(o, 0)),
        HeapObj::MemoryView(m) => Some(address(m.src, m.start)),
        HeapObj::UStruct(s) => Some(s.addr),
        HeapObj::FrameBuf(f) => address_of(vm, f.buf, depth + 1),
        HeapObj::Instance(i) if !i.native.is_null() => address_of(vm, i.native, depth + 1),
        _ => None,
    }
}

/// `addressof(obj)`: the buffer address of a buffer's first byte.
fn uctypes_addressof(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [o] = args else {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes 1 positional arguments but {} were given",
            args.len()
        );
    };
    match address_of(vm, *o, 0) {
        Some(a) => new_address(vm, a),
        None => raise!(vm, TYPE_ERROR, "object with buffer protocol required"),
    }
}

fn at_args(vm: &mut Vm, args: &[Obj]) -> PyResult<(u64, u64)> {
    let [a, n] = args else {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes 2 positional arguments but {} were given",
            args.len()
        );
    };
    let addr = address_arg(vm, *a)?;
    let n = vm.index_value(*n)?;
    if n < 0 {
        raise!(vm, VALUE_ERROR, "negative size");
    }
    Ok((addr, n as u64))
}

/// `bytes_at(addr, size)`: a copy of the bytes.
fn uctypes_bytes_at(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (addr, n) = at_args(vm, args)?;
    let b = read(vm, addr, n)?;
    crate::obj::bytes::new_bytes(vm, b)
}

/// A memoryview of `len` bytes at `addr`, writable unless the buffer is `bytes`.
fn view_at(vm: &mut Vm, addr: u64, len: u64) -> PyResult<Obj> {
    let (src, start) = resolve(vm, addr, len)?;
    let readonly = matches!(vm.heap.get(src), Some(HeapObj::Bytes(_)));
    vm.alloc(HeapObj::MemoryView(MemViewObj {
        src,
        start,
        len: len as usize,
        typecode: b'B',
        readonly,
    }))
}

/// `bytearray_at(addr, size)`: the bytes by reference (a memoryview, see the module doc).
fn uctypes_bytearray_at(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (addr, n) = at_args(vm, args)?;
    view_at(vm, addr, n)
}

// ---- descriptors ----

/// Why a descriptor has no size.
enum DescError {
    Syntax,
    Scalar,
    TooDeep,
}

fn desc_error(vm: &mut Vm, e: DescError) -> Obj {
    match e {
        DescError::Syntax => vm.exc(ty::TYPE_ERROR, "syntax error in uctypes descriptor"),
        DescError::Scalar => vm.exc(ty::TYPE_ERROR, "can't unambiguously get sizeof scalar"),
        DescError::TooDeep => vm.exc(ty::RUNTIME_ERROR, "uctypes descriptor nested too deeply"),
    }
}

/// The dict of a dict or `OrderedDict` descriptor.
fn fields_of(vm: &Vm, desc: Obj) -> Option<Obj> {
    let mut d = desc;
    for _ in 0..4 {
        match vm.heap.get(d)? {
            HeapObj::Dict(_) => return Some(d),
            HeapObj::Instance(i) if !i.native.is_null() => d = i.native,
            _ => return None,
        }
    }
    None
}

/// The items of an aggregate (tuple) descriptor.
fn tuple_of(vm: &Vm, desc: Obj) -> Option<Vec<Obj>> {
    match vm.heap.get(desc)? {
        HeapObj::Tuple(t) => Some(t.to_vec()),
        _ => None,
    }
}

fn small(vm: &Vm, o: Obj) -> Option<i64> {
    match Int::of(vm, o)? {
        Int::Small(v) => Some(v),
        Int::Big(_) => None,
    }
}

/// The size of descriptor `desc`; `max_field` collects the largest scalar, for alignment.
fn desc_size(
    vm: &Vm,
    desc: Obj,
    layout: i64,
    max_field: &mut u64,
    depth: usize,
) -> Result<u64, DescError> {
    if depth > MAX_DEPTH {
        return Err(DescError::TooDeep);
    }
    let Some(d) = fields_of(vm, desc) else {
        if let Some(items) = tuple_of(vm, desc) {
            return agg_size(vm, &items, layout, max_field, depth);
        }
        if desc.as_small_int().is_some() {
            return Err(DescError::Scalar);
        }
        return Err(DescError::Syntax);
    };
    let values: Vec<Obj> = match vm.heap.get(d) {
        Some(HeapObj::Dict(d)) => d.iter().map(|e| e.value).collect(),
        _ => Vec::new(),
    };
    let mut total = 0u64;
    for v in values {
        let end = if let Some(x) = v.as_small_int() {
            let x = x as i64;
            let t = get_type(x, VAL_TYPE_BITS);
            let mut offset = x & value_mask(VAL_TYPE_BITS);
            if (BFUINT8..=BFINT32).contains(&t) {
                offset &= (1 << OFFSET_BITS) - 1;
            }
            let s = scalar_size(t);
            *max_field = (*max_field).max(s);
            offset as u64 + s
        } else {
            let items = tuple_of(vm, v).ok_or(DescError::Syntax)?;
            let first = items
                .first()
                .and_then(|&o| small(vm, o))
                .ok_or(DescError::Syntax)?;
            let offset = (first & value_mask(AGG_TYPE_BITS)) as u64;
            offset.saturating_add(agg_size(vm, &items, layout, max_field, depth)?)
        };
        total = total.max(end);
    }
    if layout == NATIVE {
        let m = *max_field;
        total = total.wrapping_add(m).wrapping_sub(1) & !m.wrapping_sub(1);
    }
    Ok(total)
}

/// The size of an aggregate descriptor's items.
fn agg_size(
    vm: &Vm,
    t: &[Obj],
    layout: i64,
    max_field: &mut u64,
    depth: usize,
) -> Result<u64, DescError> {
    if t.len() < 2 {
        return Err(DescError::Syntax);
    }
    let first = small(vm, t[0]).ok_or(DescError::Syntax)?;
    match get_type(first, AGG_TYPE_BITS) {
        STRUCT if t.len() == 2 => desc_size(vm, t[1], layout, max_field, depth + 1),
        PTR if t.len() == 2 => {
            *max_field = (*max_field).max(PTR_SIZE);
            Ok(PTR_SIZE)
        }
        ARRAY => {
            let n = small(vm, t[1]).ok_or(DescError::Syntax)?;
            let val_type = get_type(n, VAL_TYPE_BITS);
            let count = (n & value_mask(VAL_TYPE_BITS)) as u64;
            let item = match t.len() {
                2 => {
                    let s = scalar_size(val_type);
                    *max_field = (*max_field).max(s);
                    s
                }
                3 => desc_size(vm, t[2], layout, max_field, depth + 1)?,
                _ => return Err(DescError::Syntax),
            };
            Ok(item.saturating_mul(count))
        }
        _ => Err(DescError::Syntax),
    }
}

fn size_of(vm: &mut Vm, desc: Obj, layout: i64) -> PyResult<u64> {
    let mut max_field = 0;
    desc_size(vm, desc, layout, &mut max_field, 0).map_err(|e| desc_error(vm, e))
}

/// `sizeof(struct_or_descriptor[, layout])`.
fn uctypes_sizeof(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if !(1..=2).contains(&args.len()) {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes 2 positional arguments but {} were given",
            args.len()
        );
    }
    let o = args[0];
    let (desc, layout) = match vm.heap.get(o) {
        Some(HeapObj::ByteArray(b)) => return vm.new_int(b.len() as i64),
        // What MicroPython gives as a bytearray by reference is a memoryview here.
        Some(HeapObj::MemoryView(m)) if m.typecode == b'B' => return vm.new_int(m.len as i64),
        Some(HeapObj::UStruct(s)) => {
            if args.len() != 1 {
                return Err(vm.exc(ty::TYPE_ERROR, ""));
            }
            (s.desc, s.layout)
        }
        _ => match args.get(1) {
            Some(&l) => (o, vm.index_value(l)?),
            None => (o, NATIVE),
        },
    };
    let n = size_of(vm, desc, layout)?;
    vm.new_int(n.min(i64::MAX as u64) as i64)
}

// ---- structs ----

/// `uctypes.struct(addr, descriptor[, layout])`.
pub fn struct_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    if !kw.is_empty() {
        raise!(vm, TYPE_ERROR, "function doesn't take keyword arguments");
    }
    if !(2..=3).contains(&args.len()) {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes 3 positional arguments but {} were given",
            args.len()
        );
    }
    let addr = address_arg(vm, args[0])?;
    let layout = match args.get(2) {
        Some(&l) => vm.index_value(l)?,
        None => NATIVE,
    };
    new_struct(vm, args[1], addr, layout)
}

fn new_struct(vm: &mut Vm, desc: Obj, addr: u64, layout: i64) -> PyResult<Obj> {
    vm.alloc(HeapObj::UStruct(Box::new(StructObj { desc, addr, layout })))
}

fn struct_parts(vm: &Vm, o: Obj) -> Option<(Obj, u64, i64)> {
    match vm.heap.get(o)? {
        HeapObj::UStruct(s) => Some((s.desc, s.addr, s.layout)),
        _ => None,
    }
}

/// The bytes a struct covers (its buffer protocol), if its address and descriptor are good.
pub fn struct_bytes(vm: &Vm, o: Obj) -> Option<(u8, &[u8])> {
    let (desc, addr, layout) = struct_parts(vm, o)?;
    let mut max_field = 0;
    let size = desc_size(vm, desc, layout, &mut max_field, 0).ok()?;
    let (src, off) = region(addr)?;
    let b = buffer_bytes(vm, src)?;
    let end = (off as u64).checked_add(size)?;
    Some((b'B', b.get(off..usize::try_from(end).ok()?)?))
}

/// `repr(s)`: `<struct KIND address>`.
pub fn struct_repr(vm: &Vm, o: Obj) -> String {
    let Some((desc, addr, _)) = struct_parts(vm, o) else {
        return String::from("<struct>");
    };
    let kind = if fields_of(vm, desc).is_some() {
        "STRUCT"
    } else if let Some(items) = tuple_of(vm, desc) {
        match items
            .first()
            .and_then(|&o| small(vm, o))
            .map(|x| get_type(x, AGG_TYPE_BITS))
        {
            Some(PTR) => "PTR",
            Some(ARRAY) => "ARRAY",
            _ => "unk",
        }
    } else {
        "ERROR"
    };
    format!("<struct {} {:x}>", kind, addr)
}

/// The item code `obj::binary` uses for scalar type `t`.
fn scalar_code(t: i64) -> u8 {
    match t {
        UINT8 => b'B',
        INT8 => b'b',
        UINT16 => b'H',
        INT16 => b'h',
        UINT32 => b'I',
        INT32 => b'i',
        UINT64 => b'Q',
        INT64 => b'q',
        FLOAT32 => b'f',
        _ => b'd',
    }
}

/// Whether a struct of this layout stores big-endian (MicroPython treats every layout but
/// `LITTLE_ENDIAN` and `NATIVE` as big-endian).
fn is_big(layout: i64) -> bool {
    layout != LITTLE_ENDIAN && layout != NATIVE
}

fn load_scalar(vm: &mut Vm, t: i64, addr: u64, layout: i64) -> PyResult<Obj> {
    let b = read(vm, addr, scalar_size(t))?;
    binary::decode(vm, scalar_code(t), &b, !is_big(layout))
}

fn store_scalar(vm: &mut Vm, t: i64, addr: u64, layout: i64, v: Obj) -> PyResult<()> {
    let size = scalar_size(t) as usize;
    let b = binary::encode(vm, scalar_code(t), v, size, !is_big(layout))?;
    write(vm, addr, &b[..size])
}

/// Reads or writes (`set`) the field encoded by descriptor int `x` of a struct at `base`.
fn scalar_field(vm: &mut Vm, x: i64, base: u64, layout: i64, set: Option<Obj>) -> PyResult<Obj> {
    let t = get_type(x, VAL_TYPE_BITS);
    let offset = x & value_mask(VAL_TYPE_BITS);
    if !(BFUINT8..=BFINT32).contains(&t) {
        let addr = base.wrapping_add(offset as u64);
        return match set {
            None => load_scalar(vm, t, addr, layout),
            Some(v) => store_scalar(vm, t, addr, layout, v).map(|_| Obj::NONE),
        };
    }
    let bit_pos = (offset >> OFFSET_BITS) & 31;
    let bit_len = (offset >> LEN_BITS) & 31;
    let addr = base.wrapping_add((offset & ((1 << OFFSET_BITS) - 1)) as u64);
    let size = scalar_size(t);
    let little = !is_big(layout);
    let bytes = read(vm, addr, size)?;
    let mut word = 0u64;
    for (i, &b) in bytes.iter().enumerate() {
        let shift = if little { i } else { bytes.len() - 1 - i } * 8;
        word |= (b as u64) << shift;
    }
    let mask = (1u64 << bit_len) - 1;
    let Some(v) = set else {
        return vm.new_int(((word >> bit_pos) & mask) as i64);
    };
    let v = vm.index_value(v)? as u64;
    word = (word & !(mask << bit_pos)) | ((v & mask) << bit_pos);
    let mut out = [0u8; 4];
    for (i, slot) in out.iter_mut().enumerate().take(size as usize) {
        let shift = if little { i } else { size as usize - 1 - i } * 8;
        *slot = (word >> shift) as u8;
    }
    write(vm, addr, &out[..size as usize])?;
    Ok(Obj::NONE)
}

/// `s.name` (`set` None) or `s.name = v`; `Ok(None)` if the struct has no such field.
fn field(vm: &mut Vm, o: Obj, name: Qstr, set: Option<Obj>) -> PyResult<Option<Obj>> {
    let Some((desc, addr, layout)) = struct_parts(vm, o) else {
        return Ok(None);
    };
    let Some(d) = fields_of(vm, desc) else {
        raise!(vm, TYPE_ERROR, "struct: no fields");
    };
    let Some(f) = vm.dict_get(d, Obj::qstr(name))? else {
        return Ok(None);
    };
    if let Some(x) = f.as_small_int() {
        return scalar_field(vm, x as i64, addr, layout, set).map(Some);
    }
    let syntax = |vm: &mut Vm| Err(desc_error(vm, DescError::Syntax));
    let Some(items) = tuple_of(vm, f) else {
        return syntax(vm);
    };
    if set.is_some() || items.len() < 2 {
        return syntax(vm);
    }
    let Some(first) = small(vm, items[0]) else {
        return syntax(vm);
    };
    let at = addr.wrapping_add((first & value_mask(AGG_TYPE_BITS)) as u64);
    let sub = match get_type(first, AGG_TYPE_BITS) {
        STRUCT => new_struct(vm, items[1], at, layout)?,
        ARRAY
            if items.len() == 2
                && small(vm, items[1]).map(|n| get_type(n, VAL_TYPE_BITS)) == Some(UINT8) =>
        {
            let size = size_of(vm, f, layout)?;
            view_at(vm, at, size)?
        }
        _ => new_struct(vm, f, at, layout)?,
    };
    Ok(Some(sub))
}

/// `s.name`, for `obj::special_attr`.
pub fn struct_attr(vm: &mut Vm, o: Obj, name: Qstr) -> PyResult<Option<Obj>> {
    field(vm, o, name, None)
}

/// `s.name = v`.
pub fn struct_setattr(vm: &mut Vm, o: Obj, name: Qstr, v: Obj) -> PyResult<()> {
    match field(vm, o, name, Some(v))? {
        Some(_) => Ok(()),
        None => Err(vm.attribute_error(o, name)),
    }
}

/// `s[i]` (`set` None) or `s[i] = v` for array and pointer structs.
fn item(vm: &mut Vm, o: Obj, k: Obj, set: Option<Obj>) -> PyResult<Obj> {
    let Some((desc, addr, layout)) = struct_parts(vm, o) else {
        raise!(vm, TYPE_ERROR, "struct: can't index");
    };
    let Some(t) = tuple_of(vm, desc) else {
        raise!(vm, TYPE_ERROR, "struct: can't index");
    };
    let (Some(first), Some(&second)) = (t.first().and_then(|&o| small(vm, o)), t.get(1)) else {
        return Err(desc_error(vm, DescError::Syntax));
    };
    let index = vm.index_value(k)?;
    match get_type(first, AGG_TYPE_BITS) {
        ARRAY => {
            let Some(n) = small(vm, second) else {
                return Err(desc_error(vm, DescError::Syntax));
            };
            let count = n & value_mask(VAL_TYPE_BITS);
            if index < 0 || index >= count {
                raise!(vm, INDEX_ERROR, "struct: index out of range");
            }
            let index = index as u64;
            if t.len() == 2 {
                let vt = get_type(n, VAL_TYPE_BITS);
                let at = addr.wrapping_add(scalar_size(vt).wrapping_mul(index));
                return match set {
                    None => load_scalar(vm, vt, at, layout),
                    Some(v) => store_scalar(vm, vt, at, layout, v).map(|_| Obj::NONE),
                };
            }
            if set.is_some() {
                raise!(
                    vm,
                    TYPE_ERROR,
                    "'struct' object doesn't support item assignment"
                );
            }
            let elem = t.get(2).copied().unwrap_or(Obj::NONE);
            let size = size_of(vm, elem, layout)?;
            new_struct(
                vm,
                elem,
                addr.wrapping_add(size.wrapping_mul(index)),
                layout,
            )
        }
        PTR => {
            if set.is_some() {
                raise!(
                    vm,
                    TYPE_ERROR,
                    "'struct' object doesn't support item assignment"
                );
            }
            let target = pointer_value(vm, addr)?;
            if let Some(x) = second.as_small_int() {
                let vt = get_type(x as i64, VAL_TYPE_BITS);
                let at = target.wrapping_add(scalar_size(vt).wrapping_mul(index as u64));
                return load_scalar(vm, vt, at, NATIVE);
            }
            let size = size_of(vm, second, layout)?;
            new_struct(
                vm,
                second,
                target.wrapping_add(size.wrapping_mul(index as u64)),
                layout,
            )
        }
        _ => Err(desc_error(vm, DescError::Syntax)),
    }
}

/// The address stored in a pointer (native: 8 bytes, little-endian).
fn pointer_value(vm: &mut Vm, addr: u64) -> PyResult<u64> {
    let b = read(vm, addr, PTR_SIZE)?;
    Ok(b.iter().rev().fold(0u64, |acc, &x| (acc << 8) | x as u64))
}

/// `s[i]`.
pub fn struct_getitem(vm: &mut Vm, o: Obj, k: Obj) -> PyResult<Obj> {
    item(vm, o, k, None)
}

/// `s[i] = v`.
pub fn struct_setitem(vm: &mut Vm, o: Obj, k: Obj, v: Obj) -> PyResult<()> {
    item(vm, o, k, Some(v)).map(|_| ())
}

/// `int(s)` of a pointer struct: the address it holds; `None` for other structs.
pub fn struct_int(vm: &mut Vm, o: Obj) -> PyResult<Option<Obj>> {
    let Some((desc, addr, _)) = struct_parts(vm, o) else {
        return Ok(None);
    };
    let is_ptr = tuple_of(vm, desc)
        .and_then(|t| t.first().and_then(|&f| small(vm, f)))
        .is_some_and(|f| get_type(f, AGG_TYPE_BITS) == PTR);
    if !is_ptr {
        return Ok(None);
    }
    let p = pointer_value(vm, addr)?;
    new_address(vm, p).map(Some)
}
