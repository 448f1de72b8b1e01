//! The `struct` module: packing values into bytes and back, by format string.
//!
//! A format is an optional byte-order prefix (`@` native with alignment, `<` `=` little-endian,
//! `>` `!` big-endian) followed by item codes (see `obj::binary`), each with an optional count;
//! `Ns` is an N-byte string and `Nx` N pad bytes. As in MicroPython, `pack` with too few values
//! leaves the rest zero and `unpack` accepts a buffer longer than the format.

use alloc::vec;
use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::obj::binary;
use crate::obj::memoryview::{buffer_mut, typed_buffer};
use crate::object::HeapObj;
use crate::value::Obj;
use crate::vm::Vm;

/// One field of a format: `count` items of `code` (`s` and `x` are one field of `count` bytes).
#[derive(Clone, Copy)]
struct Field {
    code: u8,
    count: usize,
    size: usize,
    align: usize,
}

/// A parsed format.
struct Format {
    little: bool,
    fields: Vec<Field>,
}

impl Format {
    /// The total size in bytes.
    fn size(&self) -> usize {
        let mut at = 0usize;
        for f in &self.fields {
            at = self.place(at, f);
        }
        at
    }

    /// Where the field after `f` starts, given that `f` starts at (or is aligned from) `at`.
    fn place(&self, at: usize, f: &Field) -> usize {
        match f.code {
            b's' | b'x' => at.saturating_add(f.count),
            _ if f.count == 0 => at,
            // Sizes are multiples of alignments: only the first item needs aligning.
            _ => align_up(at, f.align).saturating_add(f.size.saturating_mul(f.count)),
        }
    }
}

fn align_up(at: usize, align: usize) -> usize {
    at.div_ceil(align).saturating_mul(align)
}

fn parse(vm: &mut Vm, fmt: Obj) -> PyResult<Format> {
    let Some(s) = vm.str_of(fmt) else {
        let t = alloc::string::String::from(vm.type_name(fmt));
        raise!(
            vm,
            TYPE_ERROR,
            "can't convert '{}' object to str implicitly",
            t
        );
    };
    let bytes = s.as_bytes().to_vec();
    let (native, little, rest) = match bytes.first() {
        Some(b'@') => (true, true, &bytes[1..]),
        Some(b'<') | Some(b'=') => (false, true, &bytes[1..]),
        Some(b'>') | Some(b'!') => (false, false, &bytes[1..]),
        _ => (true, true, &bytes[..]),
    };
    let mut fields = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let mut count = 1usize;
        if rest[i].is_ascii_digit() {
            count = 0;
            while i < rest.len() && rest[i].is_ascii_digit() {
                count = count
                    .saturating_mul(10)
                    .saturating_add((rest[i] - b'0') as usize);
                i += 1;
            }
        }
        let Some(&code) = rest.get(i) else {
            raise!(vm, VALUE_ERROR, "bad typecode");
        };
        i += 1;
        if code.is_ascii_whitespace() {
            continue;
        }
        let (size, align) = match code {
            b's' | b'x' => (1, 1),
            _ => match binary::item_size(code, !native) {
                Some(sz) => (sz, if native { sz } else { 1 }),
                None => raise!(vm, VALUE_ERROR, "bad typecode"),
            },
        };
        fields.push(Field {
            code,
            count,
            size,
            align,
        });
    }
    Ok(Format { little, fields })
}

/// `struct.calcsize(fmt)`.
fn struct_calcsize(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(&fmt) = args.first() else {
        raise!(vm, TYPE_ERROR, "calcsize() takes exactly one argument");
    };
    let f = parse(vm, fmt)?;
    vm.new_int(f.size() as i64)
}

/// The packed bytes of `values` (missing values stay zero, extra ones are ignored).
fn pack_bytes(vm: &mut Vm, f: &Format, values: &[Obj]) -> PyResult<Vec<u8>> {
    let size = f.size();
    vm.charge(size)?;
    let mut out = vec![0u8; size];
    let mut at = 0usize;
    let mut vals = values.iter();
    'fields: for fld in &f.fields {
        match fld.code {
            b'x' => at += fld.count,
            b's' => {
                let Some(&v) = vals.next() else {
                    break 'fields;
                };
                let src = crate::obj::bytes::buffer_of(vm, v)?;
                let n = src.len().min(fld.count);
                out[at..at + n].copy_from_slice(&src[..n]);
                at += fld.count;
            }
            _ => {
                for _ in 0..fld.count {
                    let Some(&v) = vals.next() else {
                        break 'fields;
                    };
                    at = align_up(at, fld.align);
                    let b = binary::encode(vm, fld.code, v, fld.size, f.little)?;
                    out[at..at + fld.size].copy_from_slice(&b[..fld.size]);
                    at += fld.size;
                }
            }
        }
    }
    Ok(out)
}

/// `struct.pack(fmt, v1, v2, ...)`.
fn struct_pack(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some((&fmt, values)) = args.split_first() else {
        raise!(vm, TYPE_ERROR, "pack() missing format");
    };
    let f = parse(vm, fmt)?;
    let b = pack_bytes(vm, &f, values)?;
    crate::obj::bytes::new_bytes(vm, b)
}

/// An offset into a buffer of `len` bytes (negative counts from the end) that leaves room for
/// `size` bytes.
fn check_offset(vm: &mut Vm, offset: Obj, len: usize, size: usize) -> PyResult<usize> {
    let mut off = vm.index_value(offset)?;
    if off < 0 {
        off += len as i64;
    }
    if off < 0 || (off as u64).saturating_add(size as u64) > len as u64 {
        raise!(vm, VALUE_ERROR, "buffer too small");
    }
    Ok(off as usize)
}

/// `struct.pack_into(fmt, buffer, offset, v1, v2, ...)`.
fn struct_pack_into(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [fmt, buf, offset, values @ ..] = args else {
        raise!(vm, TYPE_ERROR, "pack_into() takes at least 3 arguments");
    };
    let f = parse(vm, *fmt)?;
    let (src, base, len) = match vm.heap.get(*buf) {
        Some(HeapObj::MemoryView(m)) if !m.readonly => {
            let len = typed_buffer(vm, *buf).map_or(0, |(_, b)| b.len());
            (m.src, m.start, len)
        }
        _ => {
            let len = typed_buffer(vm, *buf).map_or(0, |(_, b)| b.len());
            (*buf, 0, len)
        }
    };
    let size = f.size();
    let off = check_offset(vm, *offset, len, size)?;
    let bytes = pack_bytes(vm, &f, values)?;
    let Some(dst) = buffer_mut(vm, src) else {
        raise!(vm, TYPE_ERROR, "object with buffer protocol required");
    };
    let at = base + off;
    match dst.get_mut(at..at + bytes.len()) {
        Some(d) => d.copy_from_slice(&bytes),
        None => raise!(vm, VALUE_ERROR, "buffer too small"),
    }
    Ok(Obj::NONE)
}

fn unpack_at(vm: &mut Vm, fmt: Obj, buf: Obj, offset: Obj) -> PyResult<Obj> {
    let f = parse(vm, fmt)?;
    let Some((_, b)) = typed_buffer(vm, buf) else {
        raise!(vm, TYPE_ERROR, "object with buffer protocol required");
    };
    let data = b.to_vec();
    let size = f.size();
    let off = check_offset(vm, offset, data.len(), size)?;
    let data = &data[off..off + size];
    let mut items = Vec::new();
    let mut at = 0usize;
    for fld in &f.fields {
        match fld.code {
            b'x' => at += fld.count,
            b's' => {
                let v = crate::obj::bytes::new_bytes(vm, data[at..at + fld.count].to_vec())?;
                items.push(v);
                at += fld.count;
            }
            _ => {
                for _ in 0..fld.count {
                    at = align_up(at, fld.align);
                    let v = binary::decode(vm, fld.code, &data[at..at + fld.size], f.little)?;
                    items.push(v);
                    at += fld.size;
                }
            }
        }
    }
    vm.new_tuple(&items)
}

/// `struct.unpack(fmt, buffer)`.
fn struct_unpack(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [fmt, buf] = args else {
        raise!(vm, TYPE_ERROR, "unpack() takes exactly 2 arguments");
    };
    unpack_at(vm, *fmt, *buf, Obj::small_int_unchecked(0))
}

/// `struct.unpack_from(fmt, buffer, offset=0)`.
fn struct_unpack_from(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let (fmt, buf, mut offset) = match args {
        [f, b] => (*f, *b, Obj::small_int_unchecked(0)),
        [f, b, o] => (*f, *b, *o),
        _ => raise!(vm, TYPE_ERROR, "unpack_from() takes 2 or 3 arguments"),
    };
    for &(k, v) in kw {
        if vm.qstr_str(k) == "offset" {
            offset = v;
        }
    }
    unpack_at(vm, fmt, buf, offset)
}

crate::native_table!(pub FUNCTIONS = [
    ("calcsize", struct_calcsize),
    ("pack", struct_pack),
    ("pack_into", struct_pack_into),
    ("unpack", struct_unpack),
    ("unpack_from", struct_unpack_from),
]);
