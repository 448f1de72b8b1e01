//! The `framebuf` module: `FrameBuffer`, drawing into a bytearray, array or writable memoryview.
//!
//! A frame buffer keeps the buffer object it was made over and resolves its bytes on every
//! call, so a buffer that changes size can never be written out of bounds. The drawing itself
//! is in `framebuf_draw`, which knows nothing of the VM.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::modules::framebuf_draw::{Canvas, Geometry, ELLIPSE_ALL, ELLIPSE_FILL};
use crate::native::{Kw, PyResult};
use crate::obj::memoryview::{code_size, typed_buffer};
use crate::object::HeapObj;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// A `framebuf.FrameBuffer`.
pub struct FrameBufObj {
    /// The object holding the pixels (never a frame buffer itself: those are looked through
    /// when one is made, so buffers do not nest).
    pub buf: Obj,
    /// The frame's geometry.
    pub g: Geometry,
}

crate::native_table!(pub FUNCTIONS = [("FrameBuffer1", framebuf_framebuffer1)]);

crate::native_table!(pub METHODS = [
    ("blit", framebuf_blit),
    ("ellipse", framebuf_ellipse),
    ("fill", framebuf_fill),
    ("fill_rect", framebuf_fill_rect),
    ("hline", framebuf_hline),
    ("line", framebuf_line),
    ("pixel", framebuf_pixel),
    ("poly", framebuf_poly),
    ("rect", framebuf_rect),
    ("scroll", framebuf_scroll),
    ("text", framebuf_text),
    ("vline", framebuf_vline),
]);

/// Names of the module's other attributes.
pub static ATTR_NAMES: &[&str] = &[
    "FrameBuffer",
    "GS2_HMSB",
    "GS4_HMSB",
    "GS8",
    "MONO_HLSB",
    "MONO_HMSB",
    "MONO_VLSB",
    "MVLSB",
    "RGB565",
];

/// The module's other attributes.
pub fn module_attr(_vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    let c = match name {
        "FrameBuffer" => return Ok(Some(Obj::builtin_type(ty::FRAME_BUFFER))),
        "MVLSB" | "MONO_VLSB" => 0,
        "RGB565" => 1,
        "GS4_HMSB" => 2,
        "MONO_HLSB" => 3,
        "MONO_HMSB" => 4,
        "GS2_HMSB" => 5,
        "GS8" => 6,
        _ => return Ok(None),
    };
    Ok(Some(Obj::small_int_unchecked(c)))
}

/// The frame buffer inside `o` (a `FrameBuffer` or an instance of a subclass).
fn frame_of(vm: &Vm, o: Obj) -> Option<(Obj, Geometry)> {
    let o = vm.native_payload(o).unwrap_or(o);
    match vm.heap.get(o)? {
        HeapObj::FrameBuf(f) => Some((f.buf, f.g)),
        _ => None,
    }
}

/// The frame buffer a method was called on.
fn this(
    vm: &mut Vm,
    args: &[Obj],
    n: core::ops::RangeInclusive<usize>,
) -> PyResult<(Obj, Geometry)> {
    if !n.contains(&args.len()) {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes {} positional arguments but {} were given",
            n.end(),
            args.len()
        );
    }
    match args.first().and_then(|&o| frame_of(vm, o)) {
        Some(f) => Ok(f),
        None => raise!(vm, TYPE_ERROR, "FrameBuffer method needs a FrameBuffer"),
    }
}

/// Where the writable bytes of `o` live: the object owning them, the first byte, the length.
fn writable_region(vm: &Vm, o: Obj) -> Option<(Obj, usize, usize)> {
    match vm.heap.get(o)? {
        HeapObj::ByteArray(b) => Some((o, 0, b.len())),
        HeapObj::Array(a) if a.typecode != b'O' => Some((o, 0, a.data.len())),
        HeapObj::MemoryView(m) if !m.readonly => {
            let (src, start, _) = writable_region(vm, m.src)?;
            let len = m.len.saturating_mul(code_size(m.typecode));
            Some((src, start.saturating_add(m.start), len))
        }
        HeapObj::Instance(i) if !i.native.is_null() => writable_region(vm, i.native),
        _ => None,
    }
}

/// Runs `draw` on the canvas of frame `(buf, g)`.
fn with_canvas(
    vm: &mut Vm,
    (buf, g): (Obj, Geometry),
    draw: impl FnOnce(&mut Canvas),
) -> PyResult<Obj> {
    let Some((src, start, len)) = writable_region(vm, buf) else {
        raise!(vm, TYPE_ERROR, "object with buffer protocol required");
    };
    let bytes: &mut [u8] = match vm.heap.get_mut(src) {
        Some(HeapObj::ByteArray(b)) => b,
        Some(HeapObj::Array(a)) => &mut a.data,
        _ => &mut [],
    };
    let start = start.min(bytes.len());
    let end = start.saturating_add(len).min(bytes.len());
    draw(&mut Canvas {
        buf: &mut bytes[start..end],
        g,
    });
    Ok(Obj::NONE)
}

fn int_args<const N: usize>(vm: &mut Vm, args: &[Obj]) -> PyResult<[i64; N]> {
    let mut out = [0i64; N];
    for (slot, &a) in out.iter_mut().zip(args) {
        *slot = vm.index_value(a)?;
    }
    Ok(out)
}

/// Checks the constructor's arguments `(buffer, width, height, format[, stride])` against a
/// buffer of `len` bytes.
fn geometry(vm: &mut Vm, args: &[Obj], len: usize) -> PyResult<Geometry> {
    let [w, h, format] = int_args(vm, &args[1..4])?;
    let stride = match args.get(4) {
        Some(&s) => vm.index_value(s)?,
        None => w,
    };
    match Geometry::new(w, h, format, stride) {
        Ok((g, need)) if need <= len => Ok(g),
        Err(true) => raise!(vm, VALUE_ERROR, "invalid format"),
        _ => Err(vm.exc(ty::VALUE_ERROR, "")),
    }
}

/// `FrameBuffer(buffer, width, height, format, stride=width)`.
pub fn framebuf_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    if !kw.is_empty() {
        raise!(vm, TYPE_ERROR, "function doesn't take keyword arguments");
    }
    if !(4..=5).contains(&args.len()) {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes 5 positional arguments but {} were given",
            args.len()
        );
    }
    // A frame buffer over a frame buffer draws into the same bytes.
    let buf = frame_of(vm, args[0]).map_or(args[0], |(b, _)| b);
    let Some((_, _, len)) = writable_region(vm, buf) else {
        raise!(vm, TYPE_ERROR, "object with buffer protocol required");
    };
    let g = geometry(vm, args, len)?;
    vm.alloc(HeapObj::FrameBuf(Box::new(FrameBufObj { buf, g })))
}

/// `FrameBuffer1(buffer, width, height, stride=width)`: the old constructor, always MONO_VLSB.
fn framebuf_framebuffer1(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if !(3..=4).contains(&args.len()) {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes 4 positional arguments but {} were given",
            args.len()
        );
    }
    let stride = args.get(3).copied().unwrap_or(args[1]);
    let all = [
        args[0],
        args[1],
        args[2],
        Obj::small_int_unchecked(0),
        stride,
    ];
    framebuf_new(vm, &all, &[])
}

/// The colour argument, as the 32 bits MicroPython stores.
fn colour(v: i64) -> u32 {
    v as u32
}

fn framebuf_fill(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let f = this(vm, args, 2..=2)?;
    let [c] = int_args(vm, &args[1..])?;
    with_canvas(vm, f, |cv| cv.fill(colour(c)))
}

fn framebuf_fill_rect(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let f = this(vm, args, 6..=6)?;
    let [x, y, w, h, c] = int_args(vm, &args[1..])?;
    with_canvas(vm, f, |cv| cv.fill_rect(x, y, w, h, colour(c)))
}

/// `pixel(x, y)` reads (None outside the frame); `pixel(x, y, c)` writes.
fn framebuf_pixel(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let f = this(vm, args, 3..=4)?;
    let [x, y] = int_args(vm, &args[1..3])?;
    if let Some(&c) = args.get(3) {
        let c = vm.index_value(c)?;
        return with_canvas(vm, f, |cv| cv.set_pixel(x, y, colour(c)));
    }
    let mut got = None;
    with_canvas(vm, f, |cv| got = cv.pixel(x, y))?;
    match got {
        Some(c) => vm.new_int(c as i64),
        None => Ok(Obj::NONE),
    }
}

fn framebuf_hline(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let f = this(vm, args, 5..=5)?;
    let [x, y, w, c] = int_args(vm, &args[1..])?;
    with_canvas(vm, f, |cv| cv.fill_rect(x, y, w, 1, colour(c)))
}

fn framebuf_vline(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let f = this(vm, args, 5..=5)?;
    let [x, y, h, c] = int_args(vm, &args[1..])?;
    with_canvas(vm, f, |cv| cv.fill_rect(x, y, 1, h, colour(c)))
}

/// `rect(x, y, w, h, c[, fill])`.
fn framebuf_rect(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let f = this(vm, args, 6..=7)?;
    let [x, y, w, h, c] = int_args(vm, &args[1..6])?;
    let fill = match args.get(6) {
        Some(&v) => vm.truthy(v)?,
        None => false,
    };
    with_canvas(vm, f, |cv| cv.rect(x, y, w, h, colour(c), fill))
}

fn framebuf_line(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let f = this(vm, args, 6..=6)?;
    let [x1, y1, x2, y2, c] = int_args(vm, &args[1..])?;
    with_canvas(vm, f, |cv| cv.line(x1, y1, x2, y2, colour(c)))
}

/// `ellipse(x, y, xr, yr, c[, fill[, mask]])`.
fn framebuf_ellipse(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let f = this(vm, args, 6..=8)?;
    let [x, y, xr, yr, c] = int_args(vm, &args[1..6])?;
    let mut mask = match args.get(6) {
        Some(&v) if vm.truthy(v)? => ELLIPSE_FILL,
        _ => 0,
    };
    mask |= match args.get(7) {
        Some(&m) => vm.index_value(m)? & ELLIPSE_ALL,
        None => ELLIPSE_ALL,
    };
    with_canvas(vm, f, |cv| cv.ellipse(x, y, xr, yr, colour(c), mask))
}

/// `poly(x, y, coords, c[, fill])`: `coords` is an array (or any buffer) of x, y pairs.
fn framebuf_poly(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let f = this(vm, args, 5..=6)?;
    let [x, y] = int_args(vm, &args[1..3])?;
    let Some((tc, bytes)) = typed_buffer(vm, args[3]) else {
        raise!(vm, TYPE_ERROR, "object with buffer protocol required");
    };
    if crate::obj::binary::is_float_code(tc) {
        raise!(vm, TYPE_ERROR, "can't convert float to int");
    }
    let size = code_size(tc);
    let signed = tc.is_ascii_lowercase();
    let count = bytes.len() / (size * 2) * 2;
    let pts: Vec<i64> = bytes
        .chunks_exact(size)
        .take(count)
        .map(|item| {
            let mut raw = 0u64;
            for (i, &b) in item.iter().enumerate() {
                raw |= (b as u64) << (8 * i);
            }
            let bits = 64 - 8 * size as u32;
            if signed && bits > 0 {
                ((raw << bits) as i64) >> bits
            } else {
                raw as i64
            }
        })
        .collect();
    if pts.is_empty() {
        return Ok(Obj::NONE);
    }
    let [c] = int_args(vm, &args[4..5])?;
    let fill = match args.get(5) {
        Some(&v) => vm.truthy(v)?,
        None => false,
    };
    with_canvas(vm, f, |cv| cv.poly(x, y, &pts, colour(c), fill))
}

/// The pixels and geometry of a blit source or palette: a frame buffer, or a tuple or list
/// `(buffer, width, height, format[, stride])` over any readable buffer. The bytes are copied
/// so that a frame may be blitted onto itself.
fn read_frame(vm: &mut Vm, o: Obj) -> PyResult<(Vec<u8>, Geometry)> {
    let (buf, g) = match frame_of(vm, o) {
        Some(f) => f,
        None => {
            let Some(items) = vm.seq_items(o) else {
                raise!(vm, TYPE_ERROR, "object isn't a FrameBuffer or a tuple");
            };
            if !(4..=5).contains(&items.len()) {
                return Err(vm.exc(ty::VALUE_ERROR, ""));
            }
            let buf = frame_of(vm, items[0]).map_or(items[0], |(b, _)| b);
            let Some(len) = typed_buffer(vm, buf).map(|(_, b)| b.len()) else {
                raise!(vm, TYPE_ERROR, "object with buffer protocol required");
            };
            (buf, geometry(vm, &items, len)?)
        }
    };
    let bytes = typed_buffer(vm, buf).map_or(Vec::new(), |(_, b)| b.to_vec());
    Ok((bytes, g))
}

/// `blit(source, x, y[, key[, palette]])`.
fn framebuf_blit(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let f = this(vm, args, 4..=6)?;
    let (src, sg) = read_frame(vm, args[1])?;
    let [x, y] = int_args(vm, &args[2..4])?;
    let key = match args.get(4) {
        Some(&k) => vm.index_value(k)?,
        None => -1,
    };
    let palette = match args.get(5) {
        Some(&p) if p != Obj::NONE => Some(read_frame(vm, p)?),
        _ => None,
    };
    let palette = palette.as_ref().map(|(b, g)| (&b[..], *g));
    with_canvas(vm, f, |cv| cv.blit((&src, sg), x, y, key, palette))
}

fn framebuf_scroll(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let f = this(vm, args, 3..=3)?;
    let [dx, dy] = int_args(vm, &args[1..])?;
    with_canvas(vm, f, |cv| cv.scroll(dx, dy))
}

/// `text(s, x, y[, c])`.
fn framebuf_text(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let f = this(vm, args, 4..=5)?;
    let Some(s) = vm.str_of(args[1]) else {
        raise!(vm, TYPE_ERROR, "can't convert to str implicitly");
    };
    let text: Vec<u8> = s.as_bytes().to_vec();
    let [x, y] = int_args(vm, &args[2..4])?;
    let c = match args.get(4) {
        Some(&c) => vm.index_value(c)?,
        None => 1,
    };
    with_canvas(vm, f, |cv| cv.text(&text, x, y, colour(c)))
}

#[cfg(test)]
mod tests {
    use crate::modules::framebuf_draw::{Canvas, Geometry};

    #[test]
    fn mono_hlsb_text_matches_the_font() {
        let (g, need) = Geometry::new(8, 8, 3, 8).unwrap_or_else(|_| panic!("geometry"));
        assert_eq!(need, 8);
        let mut buf = [0u8; 8];
        Canvas { buf: &mut buf, g }.text(b"!", 0, 0, 1);
        // '!' is two columns (3 and 4) lit from row 0 to 3 and row 6.
        assert_eq!(buf, [0x18, 0x18, 0x18, 0x18, 0, 0, 0x18, 0]);
    }
}
