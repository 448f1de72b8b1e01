//! Pixel formats and drawing for `framebuf`, over plain byte slices.
//!
//! Nothing here knows about the VM: a [`Canvas`] is a mutable byte slice plus its geometry,
//! so the same code can later drive a browser canvas or a real board's OLED. The algorithms
//! (Bresenham lines, the midpoint ellipse, scan-line polygon fill) follow MicroPython's
//! `extmod/modframebuf.c` step for step, so every drawing lands on the same pixels. A pixel
//! outside the slice (a buffer that shrank after the frame buffer was made) reads as 0 and
//! is not written.

/// A pixel layout; the values are MicroPython's constants.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    /// 1 bit per pixel, bytes are vertical columns of 8 pixels, LSB at the top.
    MonoVlsb = 0,
    /// 16 bits per pixel, stored little-endian.
    Rgb565 = 1,
    /// 4 bits per pixel, the first pixel of a byte in its high nibble.
    Gs4Hmsb = 2,
    /// 1 bit per pixel, bytes are horizontal runs of 8 pixels, MSB at the left.
    MonoHlsb = 3,
    /// 1 bit per pixel, bytes are horizontal runs of 8 pixels, LSB at the left.
    MonoHmsb = 4,
    /// 2 bits per pixel, the first pixel of a byte in its low bits.
    Gs2Hmsb = 5,
    /// 8 bits per pixel.
    Gs8 = 6,
}

impl Format {
    /// The format with MicroPython's constant `v`.
    pub fn from_const(v: i64) -> Option<Format> {
        Some(match v {
            0 => Format::MonoVlsb,
            1 => Format::Rgb565,
            2 => Format::Gs4Hmsb,
            3 => Format::MonoHlsb,
            4 => Format::MonoHmsb,
            5 => Format::Gs2Hmsb,
            6 => Format::Gs8,
            _ => return None,
        })
    }
}

/// The shape of a frame buffer: size in pixels, row stride in pixels, pixel format.
#[derive(Clone, Copy, Debug)]
pub struct Geometry {
    /// Width in pixels (1..=65535).
    pub width: i64,
    /// Height in pixels (1..=65535).
    pub height: i64,
    /// Pixels from one row to the next (rounded up to whole bytes for sub-byte formats).
    pub stride: i64,
    /// The pixel format.
    pub format: Format,
}

impl Geometry {
    /// Checks MicroPython's constructor rules and computes the stride actually used and the
    /// number of bytes the buffer needs: `Err(true)` for an unknown format, `Err(false)` for
    /// a bad size.
    pub fn new(
        width: i64,
        height: i64,
        format: i64,
        stride: i64,
    ) -> Result<(Geometry, usize), bool> {
        if !(1..=0xffff).contains(&width)
            || !(1..=0xffff).contains(&height)
            || stride > 0xffff
            || stride < width
        {
            return Err(false);
        }
        let format = Format::from_const(format).ok_or(true)?;
        let mut stride = stride;
        let (mut bpp, mut height_required, mut width_required, mut strides_required) =
            (1, height, width, height - 1);
        match format {
            Format::MonoVlsb => {
                height_required = (height + 7) & !7;
                strides_required = height_required - 8;
            }
            Format::MonoHlsb | Format::MonoHmsb => {
                stride = (stride + 7) & !7;
                width_required = (width + 7) & !7;
            }
            Format::Gs2Hmsb => {
                stride = (stride + 3) & !3;
                width_required = (width + 3) & !3;
                bpp = 2;
            }
            Format::Gs4Hmsb => {
                stride = (stride + 1) & !1;
                width_required = (width + 1) & !1;
                bpp = 4;
            }
            Format::Gs8 => bpp = 8,
            Format::Rgb565 => bpp = 16,
        }
        let bits = (strides_required * stride
            + (height_required - strides_required) * width_required)
            * bpp;
        let g = Geometry {
            width,
            height,
            stride,
            format,
        };
        Ok((g, (bits / 8) as usize))
    }

    /// The colour of pixel `(x, y)` (which must be inside the frame) in `buf`.
    pub fn get(&self, buf: &[u8], x: i64, y: i64) -> u32 {
        let byte = |i: i64| buf.get(i as usize).copied().unwrap_or(0) as u32;
        match self.format {
            Format::MonoHlsb | Format::MonoHmsb => {
                let shift = self.mono_shift(x);
                (byte((x + y * self.stride) >> 3) >> shift) & 1
            }
            Format::MonoVlsb => (byte((y >> 3) * self.stride + x) >> (y & 7)) & 1,
            Format::Rgb565 => {
                let i = (x + y * self.stride) * 2;
                byte(i) | byte(i + 1) << 8
            }
            Format::Gs2Hmsb => (byte((x + y * self.stride) >> 2) >> ((x & 3) << 1)) & 3,
            Format::Gs4Hmsb => {
                let b = byte((x + y * self.stride) >> 1);
                if x % 2 != 0 {
                    b & 0x0f
                } else {
                    b >> 4
                }
            }
            Format::Gs8 => byte(x + y * self.stride),
        }
    }

    /// Sets pixel `(x, y)` (which must be inside the frame) of `buf` to colour `col`.
    pub fn set(&self, buf: &mut [u8], x: i64, y: i64, col: u32) {
        let mut put = |i: i64, mask: u8, bits: u8| {
            if let Some(b) = buf.get_mut(i as usize) {
                *b = (*b & !mask) | (bits & mask);
            }
        };
        match self.format {
            Format::MonoHlsb | Format::MonoHmsb => {
                let bit = 1u8 << self.mono_shift(x);
                put(
                    (x + y * self.stride) >> 3,
                    bit,
                    if col != 0 { bit } else { 0 },
                );
            }
            Format::MonoVlsb => {
                let bit = 1u8 << (y & 7);
                put(
                    (y >> 3) * self.stride + x,
                    bit,
                    if col != 0 { bit } else { 0 },
                );
            }
            Format::Rgb565 => {
                let i = (x + y * self.stride) * 2;
                put(i, 0xff, col as u8);
                put(i + 1, 0xff, (col >> 8) as u8);
            }
            Format::Gs2Hmsb => {
                let shift = (x & 3) << 1;
                put(
                    (x + y * self.stride) >> 2,
                    3 << shift,
                    ((col & 3) as u8) << shift,
                );
            }
            Format::Gs4Hmsb => {
                let i = (x + y * self.stride) >> 1;
                if x % 2 != 0 {
                    put(i, 0x0f, col as u8);
                } else {
                    put(i, 0xf0, (col as u8) << 4);
                }
            }
            Format::Gs8 => put(x + y * self.stride, 0xff, col as u8),
        }
    }

    fn mono_shift(&self, x: i64) -> i64 {
        if self.format == Format::MonoHmsb {
            x & 7
        } else {
            7 - (x & 7)
        }
    }

    fn contains(&self, x: i64, y: i64) -> bool {
        0 <= x && x < self.width && 0 <= y && y < self.height
    }
}

/// A frame buffer's bytes with their geometry: everything drawing needs.
pub struct Canvas<'a> {
    /// The pixels.
    pub buf: &'a mut [u8],
    /// Their layout.
    pub g: Geometry,
}

/// The ellipse quadrant bits of `ellipse`'s mask (Q2 Q1 over Q3 Q4) and its fill flag.
pub const ELLIPSE_ALL: i64 = 0x0f;
/// Fill the ellipse rather than outline it.
pub const ELLIPSE_FILL: i64 = 0x10;

impl Canvas<'_> {
    /// The colour at `(x, y)`, or `None` outside the frame.
    pub fn pixel(&self, x: i64, y: i64) -> Option<u32> {
        self.g.contains(x, y).then(|| self.g.get(self.buf, x, y))
    }

    /// Sets `(x, y)` if it is inside the frame.
    pub fn set_pixel(&mut self, x: i64, y: i64, col: u32) {
        if self.g.contains(x, y) {
            self.g.set(self.buf, x, y, col);
        }
    }

    /// Fills the whole frame.
    pub fn fill(&mut self, col: u32) {
        self.fill_rect(0, 0, self.g.width, self.g.height, col);
    }

    /// Fills a rectangle, clipped to the frame.
    pub fn fill_rect(&mut self, x: i64, y: i64, w: i64, h: i64, col: u32) {
        let (width, height) = (self.g.width, self.g.height);
        if h < 1 || w < 1 || x.saturating_add(w) <= 0 || y.saturating_add(h) <= 0 {
            return;
        }
        if y >= height || x >= width {
            return;
        }
        let (xend, yend) = (
            width.min(x.saturating_add(w)),
            height.min(y.saturating_add(h)),
        );
        for yy in y.max(0)..yend {
            for xx in x.max(0)..xend {
                self.g.set(self.buf, xx, yy, col);
            }
        }
    }

    /// A rectangle's outline, or the filled rectangle.
    pub fn rect(&mut self, x: i64, y: i64, w: i64, h: i64, col: u32, fill: bool) {
        if fill {
            self.fill_rect(x, y, w, h, col);
        } else {
            let (right, bottom) = (
                x.wrapping_add(w).wrapping_sub(1),
                y.wrapping_add(h).wrapping_sub(1),
            );
            self.fill_rect(x, y, w, 1, col);
            self.fill_rect(x, bottom, w, 1, col);
            self.fill_rect(x, y, 1, h, col);
            self.fill_rect(right, y, 1, h, col);
        }
    }

    /// A Bresenham line from `(x1, y1)` to `(x2, y2)`, both ends included.
    pub fn line(&mut self, mut x1: i64, mut y1: i64, x2: i64, y2: i64, col: u32) {
        let (mut dx, mut sx) = (x2.wrapping_sub(x1), 1i64);
        if dx <= 0 {
            dx = dx.wrapping_neg();
            sx = -1;
        }
        let (mut dy, mut sy) = (y2.wrapping_sub(y1), 1i64);
        if dy <= 0 {
            dy = dy.wrapping_neg();
            sy = -1;
        }
        let steep = dy > dx;
        if steep {
            core::mem::swap(&mut x1, &mut y1);
            core::mem::swap(&mut dx, &mut dy);
            core::mem::swap(&mut sx, &mut sy);
        }
        let mut e = dy.wrapping_mul(2).wrapping_sub(dx);
        for _ in 0..dx {
            if steep {
                self.set_pixel(y1, x1, col);
            } else {
                self.set_pixel(x1, y1, col);
            }
            while e >= 0 {
                y1 = y1.wrapping_add(sy);
                e = e.wrapping_sub(dx.wrapping_mul(2));
            }
            x1 = x1.wrapping_add(sx);
            e = e.wrapping_add(dy.wrapping_mul(2));
        }
        self.set_pixel(x2, y2, col);
    }

    fn ellipse_points(&mut self, cx: i64, cy: i64, x: i64, y: i64, col: u32, mask: i64) {
        let (l, r) = (cx.wrapping_sub(x), cx.wrapping_add(x));
        let (t, b) = (cy.wrapping_sub(y), cy.wrapping_add(y));
        if mask & ELLIPSE_FILL != 0 {
            let w = x.wrapping_add(1);
            if mask & 1 != 0 {
                self.fill_rect(cx, t, w, 1, col);
            }
            if mask & 2 != 0 {
                self.fill_rect(l, t, w, 1, col);
            }
            if mask & 4 != 0 {
                self.fill_rect(l, b, w, 1, col);
            }
            if mask & 8 != 0 {
                self.fill_rect(cx, b, w, 1, col);
            }
        } else {
            for (bit, px, py) in [(1, r, t), (2, l, t), (4, l, b), (8, r, b)] {
                if mask & bit != 0 {
                    self.set_pixel(px, py, col);
                }
            }
        }
    }

    /// An ellipse centred on `(cx, cy)` with radii `xr`, `yr`; `mask` holds the quadrants to
    /// draw and [`ELLIPSE_FILL`].
    pub fn ellipse(&mut self, cx: i64, cy: i64, xr: i64, yr: i64, col: u32, mask: i64) {
        if xr == 0 && yr == 0 {
            if mask & ELLIPSE_ALL != 0 {
                self.set_pixel(cx, cy, col);
            }
            return;
        }
        let two_a2 = xr.wrapping_mul(xr).wrapping_mul(2);
        let two_b2 = yr.wrapping_mul(yr).wrapping_mul(2);
        // First the part where the slope is shallower than -1, stepping y.
        let (mut x, mut y) = (xr, 0i64);
        let mut xchange = yr
            .wrapping_mul(yr)
            .wrapping_mul(1i64.wrapping_sub(xr.wrapping_mul(2)));
        let mut ychange = xr.wrapping_mul(xr);
        let mut err = 0i64;
        let (mut stop_x, mut stop_y) = (two_b2.wrapping_mul(xr), 0i64);
        while stop_x >= stop_y {
            self.ellipse_points(cx, cy, x, y, col, mask);
            y += 1;
            stop_y = stop_y.wrapping_add(two_a2);
            err = err.wrapping_add(ychange);
            ychange = ychange.wrapping_add(two_a2);
            if err.wrapping_mul(2).wrapping_add(xchange) > 0 {
                x -= 1;
                stop_x = stop_x.wrapping_sub(two_b2);
                err = err.wrapping_add(xchange);
                xchange = xchange.wrapping_add(two_b2);
            }
        }
        // Then the steep part, stepping x.
        x = 0;
        y = yr;
        xchange = yr.wrapping_mul(yr);
        ychange = xr
            .wrapping_mul(xr)
            .wrapping_mul(1i64.wrapping_sub(yr.wrapping_mul(2)));
        err = 0;
        stop_x = 0;
        stop_y = two_a2.wrapping_mul(yr);
        while stop_x <= stop_y {
            self.ellipse_points(cx, cy, x, y, col, mask);
            x += 1;
            stop_x = stop_x.wrapping_add(two_b2);
            err = err.wrapping_add(xchange);
            xchange = xchange.wrapping_add(two_b2);
            if err.wrapping_mul(2).wrapping_add(ychange) > 0 {
                y -= 1;
                stop_y = stop_y.wrapping_sub(two_a2);
                err = err.wrapping_add(ychange);
                ychange = ychange.wrapping_add(two_a2);
            }
        }
    }

    /// The polygon with vertices `pts` (x, y pairs) offset by `(x, y)`, outlined or filled
    /// scan line by scan line.
    pub fn poly(&mut self, x: i64, y: i64, pts: &[i64], col: u32, fill: bool) {
        let n = pts.len() / 2;
        if n == 0 {
            return;
        }
        let vertex = |i: usize| (pts[2 * i], pts[2 * i + 1]);
        if !fill {
            // Edges are walked backwards from the closing edge, as MicroPython does.
            let (mut px1, mut py1) = vertex(0);
            for i in (0..n).rev() {
                let (px2, py2) = vertex(i);
                self.line(
                    x.wrapping_add(px1),
                    y.wrapping_add(py1),
                    x.wrapping_add(px2),
                    y.wrapping_add(py2),
                    col,
                );
                (px1, py1) = (px2, py2);
            }
            return;
        }
        let y_min = (0..n).map(|i| vertex(i).1).min().unwrap_or(0);
        let y_max = (0..n).map(|i| vertex(i).1).max().unwrap_or(0);
        let mut nodes = alloc::vec::Vec::with_capacity(n);
        let mut row = y_min;
        while row <= y_max {
            nodes.clear();
            let (mut px1, mut py1) = vertex(0);
            for i in (0..n).rev() {
                let (px2, py2) = vertex(i);
                // The bottom pixel of each edge is left out so that two edges meeting at a
                // vertex give one node; local minima are patched up pixel by pixel.
                if py1 != py2 && ((py1 > row && py2 <= row) || (py1 <= row && py2 > row)) {
                    let num = (px2.wrapping_sub(px1))
                        .wrapping_mul(32)
                        .wrapping_mul(row.wrapping_sub(py1));
                    let node = px1
                        .wrapping_mul(32)
                        .wrapping_add(num.wrapping_div(py2.wrapping_sub(py1)))
                        .wrapping_add(16)
                        / 32;
                    nodes.push(node);
                } else if row == py1.max(py2) {
                    if py1 < py2 {
                        self.set_pixel(x.wrapping_add(px2), y.wrapping_add(py2), col);
                    } else if py2 < py1 {
                        self.set_pixel(x.wrapping_add(px1), y.wrapping_add(py1), col);
                    } else {
                        self.line(
                            x.wrapping_add(px1),
                            y.wrapping_add(py1),
                            x.wrapping_add(px2),
                            y.wrapping_add(py2),
                            col,
                        );
                    }
                }
                (px1, py1) = (px2, py2);
            }
            // Insertion sort, as MicroPython does: a row crosses few edges.
            for i in 1..nodes.len() {
                let mut j = i;
                while j > 0 && nodes[j - 1] > nodes[j] {
                    nodes.swap(j - 1, j);
                    j -= 1;
                }
            }
            for pair in nodes.chunks(2) {
                if let [a, b] = *pair {
                    self.fill_rect(
                        x.wrapping_add(a),
                        y.wrapping_add(row),
                        b.wrapping_sub(a).wrapping_add(1),
                        1,
                        col,
                    );
                }
            }
            if row == i64::MAX {
                break;
            }
            row += 1;
        }
    }

    /// Shifts the contents by `(xstep, ystep)`; the uncovered strip keeps its old pixels.
    pub fn scroll(&mut self, xstep: i64, ystep: i64) {
        let (w, h) = (self.g.width, self.g.height);
        if xstep <= -w || xstep >= w || ystep <= -h || ystep >= h {
            return;
        }
        let (sx, xend, dx) = if xstep < 0 {
            (0, w + xstep, 1)
        } else {
            (w - 1, xstep - 1, -1)
        };
        let (mut yy, yend, dy) = if ystep < 0 {
            (0, h + ystep, 1)
        } else {
            (h - 1, ystep - 1, -1)
        };
        while yy != yend {
            let mut xx = sx;
            while xx != xend {
                let c = self.g.get(self.buf, xx - xstep, yy - ystep);
                self.g.set(self.buf, xx, yy, c);
                xx += dx;
            }
            yy += dy;
        }
    }

    /// Draws `text` in the 8x8 font with its top left corner at `(x, y)`; each byte is one
    /// glyph, bytes outside 32..=127 draw glyph 127.
    pub fn text(&mut self, text: &[u8], x: i64, y: i64, col: u32) {
        let mut x0 = x;
        for &ch in text {
            let ch = if (32..=127).contains(&ch) { ch } else { 127 };
            for &column in &FONT_8X8[(ch - 32) as usize] {
                if 0 <= x0 && x0 < self.g.width {
                    let mut bits = column;
                    let mut yy = y;
                    while bits != 0 {
                        if bits & 1 != 0 {
                            self.set_pixel(x0, yy, col);
                        }
                        bits >>= 1;
                        yy = yy.wrapping_add(1);
                    }
                }
                x0 = x0.wrapping_add(1);
            }
        }
    }

    /// Copies `src` (bytes and geometry) with its top left corner at `(x, y)`, skipping pixels
    /// of colour `key` (compared as MicroPython does, as an unsigned 32-bit value), each
    /// colour first looked up along the top row of `palette` if given.
    pub fn blit(
        &mut self,
        src: (&[u8], Geometry),
        x: i64,
        y: i64,
        key: i64,
        palette: Option<(&[u8], Geometry)>,
    ) {
        let (sbuf, sg) = src;
        if x >= self.g.width || y >= self.g.height || x <= -sg.width || y <= -sg.height {
            return;
        }
        let (x0, y0) = (x.max(0), y.max(0));
        // After the checks above, `-x` and `-y` are above -65536: no overflow.
        let (x1, y1) = ((-x).max(0), (-y).max(0));
        let x0end = self.g.width.min(x + sg.width);
        let y0end = self.g.height.min(y + sg.height);
        for (dy, sy) in (y0..y0end).zip(y1..) {
            for (dx, sx) in (x0..x0end).zip(x1..) {
                let mut col = sg.get(sbuf, sx, sy);
                if let Some((pbuf, pg)) = palette {
                    col = pg.get(pbuf, col as i64, 0);
                }
                if col != key as u32 {
                    self.g.set(self.buf, dx, dy, col);
                }
            }
        }
    }
}

/// The 8x8 font, glyphs 32 to 127, one byte per column, LSB at the top.
///
/// This is the "PetMe128" font of MicroPython's `extmod/font_petme128_8x8.h`
/// (Copyright (c) 2013, 2014 Damien P. George, MIT License), transcribed as one row per glyph
/// so text renders on exactly the same pixels as on MicroPython.
static FONT_8X8: [[u8; 8]; 96] = [
    [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], // space
    [0x00, 0x00, 0x00, 0x4f, 0x4f, 0x00, 0x00, 0x00], // '!'
    [0x00, 0x07, 0x07, 0x00, 0x00, 0x07, 0x07, 0x00], // '"'
    [0x14, 0x7f, 0x7f, 0x14, 0x14, 0x7f, 0x7f, 0x14], // '#'
    [0x00, 0x24, 0x2e, 0x6b, 0x6b, 0x3a, 0x12, 0x00], // '$'
    [0x00, 0x63, 0x33, 0x18, 0x0c, 0x66, 0x63, 0x00], // '%'
    [0x00, 0x32, 0x7f, 0x4d, 0x4d, 0x77, 0x72, 0x50], // '&'
    [0x00, 0x00, 0x00, 0x04, 0x06, 0x03, 0x01, 0x00], // "'"
    [0x00, 0x00, 0x1c, 0x3e, 0x63, 0x41, 0x00, 0x00], // '('
    [0x00, 0x00, 0x41, 0x63, 0x3e, 0x1c, 0x00, 0x00], // ')'
    [0x08, 0x2a, 0x3e, 0x1c, 0x1c, 0x3e, 0x2a, 0x08], // '*'
    [0x00, 0x08, 0x08, 0x3e, 0x3e, 0x08, 0x08, 0x00], // '+'
    [0x00, 0x00, 0x80, 0xe0, 0x60, 0x00, 0x00, 0x00], // ','
    [0x00, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x00], // '-'
    [0x00, 0x00, 0x00, 0x60, 0x60, 0x00, 0x00, 0x00], // '.'
    [0x00, 0x40, 0x60, 0x30, 0x18, 0x0c, 0x06, 0x02], // '/'
    [0x00, 0x3e, 0x7f, 0x49, 0x45, 0x7f, 0x3e, 0x00], // '0'
    [0x00, 0x40, 0x44, 0x7f, 0x7f, 0x40, 0x40, 0x00], // '1'
    [0x00, 0x62, 0x73, 0x51, 0x49, 0x4f, 0x46, 0x00], // '2'
    [0x00, 0x22, 0x63, 0x49, 0x49, 0x7f, 0x36, 0x00], // '3'
    [0x00, 0x18, 0x18, 0x14, 0x16, 0x7f, 0x7f, 0x10], // '4'
    [0x00, 0x27, 0x67, 0x45, 0x45, 0x7d, 0x39, 0x00], // '5'
    [0x00, 0x3e, 0x7f, 0x49, 0x49, 0x7b, 0x32, 0x00], // '6'
    [0x00, 0x03, 0x03, 0x79, 0x7d, 0x07, 0x03, 0x00], // '7'
    [0x00, 0x36, 0x7f, 0x49, 0x49, 0x7f, 0x36, 0x00], // '8'
    [0x00, 0x26, 0x6f, 0x49, 0x49, 0x7f, 0x3e, 0x00], // '9'
    [0x00, 0x00, 0x00, 0x24, 0x24, 0x00, 0x00, 0x00], // ':'
    [0x00, 0x00, 0x80, 0xe4, 0x64, 0x00, 0x00, 0x00], // ';'
    [0x00, 0x08, 0x1c, 0x36, 0x63, 0x41, 0x41, 0x00], // '<'
    [0x00, 0x14, 0x14, 0x14, 0x14, 0x14, 0x14, 0x00], // '='
    [0x00, 0x41, 0x41, 0x63, 0x36, 0x1c, 0x08, 0x00], // '>'
    [0x00, 0x02, 0x03, 0x51, 0x59, 0x0f, 0x06, 0x00], // '?'
    [0x00, 0x3e, 0x7f, 0x41, 0x4d, 0x4f, 0x2e, 0x00], // '@'
    [0x00, 0x7c, 0x7e, 0x0b, 0x0b, 0x7e, 0x7c, 0x00], // 'A'
    [0x00, 0x7f, 0x7f, 0x49, 0x49, 0x7f, 0x36, 0x00], // 'B'
    [0x00, 0x3e, 0x7f, 0x41, 0x41, 0x63, 0x22, 0x00], // 'C'
    [0x00, 0x7f, 0x7f, 0x41, 0x63, 0x3e, 0x1c, 0x00], // 'D'
    [0x00, 0x7f, 0x7f, 0x49, 0x49, 0x41, 0x41, 0x00], // 'E'
    [0x00, 0x7f, 0x7f, 0x09, 0x09, 0x01, 0x01, 0x00], // 'F'
    [0x00, 0x3e, 0x7f, 0x41, 0x49, 0x7b, 0x3a, 0x00], // 'G'
    [0x00, 0x7f, 0x7f, 0x08, 0x08, 0x7f, 0x7f, 0x00], // 'H'
    [0x00, 0x00, 0x41, 0x7f, 0x7f, 0x41, 0x00, 0x00], // 'I'
    [0x00, 0x20, 0x60, 0x41, 0x7f, 0x3f, 0x01, 0x00], // 'J'
    [0x00, 0x7f, 0x7f, 0x1c, 0x36, 0x63, 0x41, 0x00], // 'K'
    [0x00, 0x7f, 0x7f, 0x40, 0x40, 0x40, 0x40, 0x00], // 'L'
    [0x00, 0x7f, 0x7f, 0x06, 0x0c, 0x06, 0x7f, 0x7f], // 'M'
    [0x00, 0x7f, 0x7f, 0x0e, 0x1c, 0x7f, 0x7f, 0x00], // 'N'
    [0x00, 0x3e, 0x7f, 0x41, 0x41, 0x7f, 0x3e, 0x00], // 'O'
    [0x00, 0x7f, 0x7f, 0x09, 0x09, 0x0f, 0x06, 0x00], // 'P'
    [0x00, 0x1e, 0x3f, 0x21, 0x61, 0x7f, 0x5e, 0x00], // 'Q'
    [0x00, 0x7f, 0x7f, 0x19, 0x39, 0x6f, 0x46, 0x00], // 'R'
    [0x00, 0x26, 0x6f, 0x49, 0x49, 0x7b, 0x32, 0x00], // 'S'
    [0x00, 0x01, 0x01, 0x7f, 0x7f, 0x01, 0x01, 0x00], // 'T'
    [0x00, 0x3f, 0x7f, 0x40, 0x40, 0x7f, 0x3f, 0x00], // 'U'
    [0x00, 0x1f, 0x3f, 0x60, 0x60, 0x3f, 0x1f, 0x00], // 'V'
    [0x00, 0x7f, 0x7f, 0x30, 0x18, 0x30, 0x7f, 0x7f], // 'W'
    [0x00, 0x63, 0x77, 0x1c, 0x1c, 0x77, 0x63, 0x00], // 'X'
    [0x00, 0x07, 0x0f, 0x78, 0x78, 0x0f, 0x07, 0x00], // 'Y'
    [0x00, 0x61, 0x71, 0x59, 0x4d, 0x47, 0x43, 0x00], // 'Z'
    [0x00, 0x00, 0x7f, 0x7f, 0x41, 0x41, 0x00, 0x00], // '['
    [0x00, 0x02, 0x06, 0x0c, 0x18, 0x30, 0x60, 0x40], // '\\'
    [0x00, 0x00, 0x41, 0x41, 0x7f, 0x7f, 0x00, 0x00], // ']'
    [0x00, 0x08, 0x0c, 0x06, 0x06, 0x0c, 0x08, 0x00], // '^'
    [0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0], // '_'
    [0x00, 0x00, 0x01, 0x03, 0x06, 0x04, 0x00, 0x00], // '`'
    [0x00, 0x20, 0x74, 0x54, 0x54, 0x7c, 0x78, 0x00], // 'a'
    [0x00, 0x7f, 0x7f, 0x44, 0x44, 0x7c, 0x38, 0x00], // 'b'
    [0x00, 0x38, 0x7c, 0x44, 0x44, 0x6c, 0x28, 0x00], // 'c'
    [0x00, 0x38, 0x7c, 0x44, 0x44, 0x7f, 0x7f, 0x00], // 'd'
    [0x00, 0x38, 0x7c, 0x54, 0x54, 0x5c, 0x58, 0x00], // 'e'
    [0x00, 0x08, 0x7e, 0x7f, 0x09, 0x03, 0x02, 0x00], // 'f'
    [0x00, 0x98, 0xbc, 0xa4, 0xa4, 0xfc, 0x7c, 0x00], // 'g'
    [0x00, 0x7f, 0x7f, 0x04, 0x04, 0x7c, 0x78, 0x00], // 'h'
    [0x00, 0x00, 0x00, 0x7d, 0x7d, 0x00, 0x00, 0x00], // 'i'
    [0x00, 0x40, 0xc0, 0x80, 0x80, 0xfd, 0x7d, 0x00], // 'j'
    [0x00, 0x7f, 0x7f, 0x30, 0x38, 0x6c, 0x44, 0x00], // 'k'
    [0x00, 0x00, 0x41, 0x7f, 0x7f, 0x40, 0x00, 0x00], // 'l'
    [0x00, 0x7c, 0x7c, 0x18, 0x30, 0x18, 0x7c, 0x7c], // 'm'
    [0x00, 0x7c, 0x7c, 0x04, 0x04, 0x7c, 0x78, 0x00], // 'n'
    [0x00, 0x38, 0x7c, 0x44, 0x44, 0x7c, 0x38, 0x00], // 'o'
    [0x00, 0xfc, 0xfc, 0x24, 0x24, 0x3c, 0x18, 0x00], // 'p'
    [0x00, 0x18, 0x3c, 0x24, 0x24, 0xfc, 0xfc, 0x00], // 'q'
    [0x00, 0x7c, 0x7c, 0x04, 0x04, 0x0c, 0x08, 0x00], // 'r'
    [0x00, 0x48, 0x5c, 0x54, 0x54, 0x74, 0x20, 0x00], // 's'
    [0x04, 0x04, 0x3f, 0x7f, 0x44, 0x64, 0x20, 0x00], // 't'
    [0x00, 0x3c, 0x7c, 0x40, 0x40, 0x7c, 0x3c, 0x00], // 'u'
    [0x00, 0x1c, 0x3c, 0x60, 0x60, 0x3c, 0x1c, 0x00], // 'v'
    [0x00, 0x1c, 0x7c, 0x30, 0x18, 0x30, 0x7c, 0x1c], // 'w'
    [0x00, 0x44, 0x6c, 0x38, 0x38, 0x6c, 0x44, 0x00], // 'x'
    [0x00, 0x9c, 0xbc, 0xa0, 0xa0, 0xfc, 0x7c, 0x00], // 'y'
    [0x00, 0x44, 0x64, 0x74, 0x5c, 0x4c, 0x44, 0x00], // 'z'
    [0x00, 0x08, 0x08, 0x3e, 0x77, 0x41, 0x41, 0x00], // '{'
    [0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00], // '|'
    [0x00, 0x41, 0x41, 0x77, 0x3e, 0x08, 0x08, 0x00], // '}'
    [0x00, 0x02, 0x03, 0x01, 0x03, 0x02, 0x03, 0x01], // '~'
    [0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55], // checkerboard
];
