//! The DEFLATE codec (RFC 1951, in RFC 1950 zlib or RFC 1952 gzip wrapping), apart from the
//! Python objects, so that the build script can compress the frozen modules with it too.
//!
//! The inflater is a resumable state machine that pulls compressed bytes one at a time (as
//! MicroPython's, so it never reads past the end of the compressed data) and stops when the
//! caller's buffer is full; corrupt input is an error, never a panic. The compressor emits one
//! fixed-Huffman block with greedy LZ77 matches found through a hash of the next three bytes,
//! within a window of `2**wbits` bytes.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

/// `deflate.AUTO`: detect zlib or gzip when reading; raw when writing.
pub const AUTO: u8 = 0;
/// `deflate.RAW`: a bare deflate stream.
pub const RAW: u8 = 1;
/// `deflate.ZLIB`: RFC 1950 wrapping (Adler-32).
pub const ZLIB: u8 = 2;
/// `deflate.GZIP`: RFC 1952 wrapping (CRC-32 and length).
pub const GZIP: u8 = 3;

/// The window when `wbits` is 0 and no header gives one (MicroPython's choice: small).
const DEFAULT_WBITS: u8 = 8;

// ---- checksums ----

/// The CRC-32 of each 4-bit value: two lookups a byte, from a table of 64 bytes (a byte-wide
/// table would be 1 KiB).
const CRC_NIBBLES: [u32; 16] = {
    let mut t = [0u32; 16];
    let mut i = 0;
    while i < 16 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 4 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// The running CRC-32 (IEEE 802.3, reflected; pre- and post-inverted by the caller's initial
/// value and final `!`). The one CRC-32 of the core: gzip, `binascii.crc32` and the block file
/// system use it.
pub fn crc32_update(mut crc: u32, data: &[u8]) -> u32 {
    for &b in data {
        crc ^= u32::from(b);
        crc = CRC_NIBBLES[(crc & 0xf) as usize] ^ (crc >> 4);
        crc = CRC_NIBBLES[(crc & 0xf) as usize] ^ (crc >> 4);
    }
    crc
}

/// The running Adler-32.
fn adler32_update(adler: u32, data: &[u8]) -> u32 {
    let (mut a, mut b) = (adler & 0xffff, adler >> 16);
    for chunk in data.chunks(4096) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

/// The checksum of a wrapping format.
#[derive(Clone, Copy)]
struct Check {
    format: u8,
    value: u32,
    len: u32,
}

impl Check {
    fn new(format: u8) -> Check {
        let value = match format {
            ZLIB => 1,
            GZIP => !0,
            _ => 0,
        };
        Check {
            format,
            value,
            len: 0,
        }
    }

    fn update(&mut self, data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u32);
        self.value = match self.format {
            ZLIB => adler32_update(self.value, data),
            GZIP => crc32_update(self.value, data),
            _ => 0,
        };
    }

    /// The trailer that ends the stream.
    fn trailer(&self) -> Vec<u8> {
        match self.format {
            ZLIB => self.value.to_be_bytes().to_vec(),
            GZIP => {
                let mut t = (!self.value).to_le_bytes().to_vec();
                t.extend_from_slice(&self.len.to_le_bytes());
                t
            }
            _ => Vec::new(),
        }
    }
}

// ---- the tables of RFC 1951 ----

const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// The order of the code-length code lengths in a dynamic block header.
const CLEN_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct Huffman {
    counts: [u16; 16],
    symbols: [u16; 288],
}

impl Huffman {
    /// The code with these lengths; `None` if over-subscribed (an incomplete code is allowed,
    /// its unused codes fail when met).
    fn new(lengths: &[u8]) -> Option<Huffman> {
        let mut h = Huffman {
            counts: [0; 16],
            symbols: [0; 288],
        };
        for &l in lengths {
            h.counts[usize::from(l & 15)] += 1;
        }
        h.counts[0] = 0;
        let mut left: i32 = 1;
        for len in 1..16 {
            left = (left << 1) - i32::from(h.counts[len]);
            if left < 0 {
                return None;
            }
        }
        let mut offs = [0u16; 16];
        for len in 1..15 {
            offs[len + 1] = offs[len] + h.counts[len];
        }
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                let slot = &mut offs[usize::from(l & 15)];
                h.symbols[usize::from(*slot)] = sym as u16;
                *slot += 1;
            }
        }
        Some(h)
    }

    fn fixed() -> (Huffman, Huffman) {
        let mut lit = [8u8; 288];
        lit[144..256].fill(9);
        lit[256..280].fill(7);
        let dist = [5u8; 30];
        // Neither set is over-subscribed.
        let empty = || Huffman {
            counts: [0; 16],
            symbols: [0; 288],
        };
        (
            Huffman::new(&lit).unwrap_or_else(empty),
            Huffman::new(&dist).unwrap_or_else(empty),
        )
    }
}

/// Why inflating stopped: the data was bad, or the source failed (or ended).
#[derive(Debug)]
pub enum InflateError<E> {
    /// Not a valid stream (bad header, code, distance or checksum).
    Corrupt,
    /// The source's own error.
    Source(E),
    /// The stream asks for a bigger window than the memory allowed (`Inflater::limit_window`).
    Memory,
}

type Res<T, E> = Result<T, InflateError<E>>;

/// Where the inflater pulls compressed bytes from, one at a time. A `dyn` closure: one copy of
/// the inflater per error type, not one per caller.
pub type Source<'a, E> = dyn FnMut() -> Result<u8, E> + 'a;

#[derive(Clone, Copy)]
enum State {
    Header,
    BlockStart,
    Stored(u16),
    Codes,
    Copy { len: u16, dist: u16 },
    Trailer,
    Done,
}

/// A deflate decompressor in progress.
pub struct Inflater {
    format: u8,
    wbits: u8,
    state: State,
    last_block: bool,
    bitbuf: u32,
    bitcnt: u32,
    window: Vec<u8>,
    /// The biggest window the stream may ask for.
    max_window: usize,
    wpos: usize,
    /// Bytes produced so far, capped at the window size (how far back a match may reach).
    filled: usize,
    lit: Option<Box<Huffman>>,
    dist: Option<Box<Huffman>>,
    check: Check,
}

impl Inflater {
    /// A decompressor for `format` (`AUTO` detects zlib or gzip) with a window of `2**wbits`
    /// bytes (0: from the header, else the default).
    pub fn new(format: u8, wbits: u8) -> Inflater {
        Inflater {
            format,
            wbits,
            state: State::Header,
            last_block: false,
            bitbuf: 0,
            bitcnt: 0,
            window: Vec::new(),
            max_window: 1 << 15,
            wpos: 0,
            filled: 0,
            lit: None,
            dist: None,
            check: Check::new(RAW),
        }
    }

    fn bits<E>(&mut self, src: &mut Source<E>, n: u32) -> Res<u32, E> {
        while self.bitcnt < n {
            let b = src().map_err(InflateError::Source)?;
            self.bitbuf |= u32::from(b) << self.bitcnt;
            self.bitcnt += 8;
        }
        let v = self.bitbuf & ((1u32 << n) - 1);
        self.bitbuf >>= n;
        self.bitcnt -= n;
        Ok(v)
    }

    fn byte<E>(src: &mut Source<E>) -> Res<u8, E> {
        src().map_err(InflateError::Source)
    }

    fn decode<E>(&mut self, src: &mut Source<E>, lit: bool) -> Res<u16, E> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= self.bits(src, 1)? as i32;
            let h = if lit { &self.lit } else { &self.dist };
            let Some(h) = h else {
                return Err(InflateError::Corrupt);
            };
            let count = i32::from(h.counts[len]);
            if code - first < count {
                return Ok(h.symbols[(index + code - first) as usize]);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(InflateError::Corrupt)
    }

    /// Refuses (`InflateError::Memory`) a stream whose window is bigger than `bytes`: the
    /// window lives outside the heap, so a board caps it by what its heap could hold.
    pub fn limit_window(&mut self, bytes: usize) {
        self.max_window = bytes;
    }

    /// Reads the zlib or gzip header and sizes the window.
    fn header<E>(&mut self, src: &mut Source<E>) -> Res<(), E> {
        let mut wbits = self.wbits;
        if self.format == RAW {
            if wbits == 0 {
                wbits = DEFAULT_WBITS;
            }
        } else {
            let b0 = Self::byte(src)?;
            let b1 = Self::byte(src)?;
            let (kind, header_wbits) = if b0 == 0x1f && b1 == 0x8b {
                if Self::byte(src)? != 8 {
                    return Err(InflateError::Corrupt);
                }
                let flags = Self::byte(src)?;
                for _ in 0..6 {
                    Self::byte(src)?;
                }
                if flags & 4 != 0 {
                    let n = u16::from(Self::byte(src)?) | u16::from(Self::byte(src)?) << 8;
                    for _ in 0..n {
                        Self::byte(src)?;
                    }
                }
                for flag in [8, 16] {
                    if flags & flag != 0 {
                        while Self::byte(src)? != 0 {}
                    }
                }
                if flags & 2 != 0 {
                    Self::byte(src)?;
                    Self::byte(src)?;
                }
                (GZIP, 15)
            } else {
                let ok = (u16::from(b0) << 8 | u16::from(b1)) % 31 == 0
                    && b0 & 15 == 8
                    && b0 >> 4 <= 7
                    && b1 & 0x20 == 0;
                if !ok {
                    return Err(InflateError::Corrupt);
                }
                (ZLIB, (b0 >> 4) + 8)
            };
            if self.format != AUTO && self.format != kind {
                return Err(InflateError::Corrupt);
            }
            self.format = kind;
            if wbits == 0 || header_wbits < wbits {
                wbits = header_wbits;
            }
        }
        if 1usize << wbits > self.max_window {
            return Err(InflateError::Memory);
        }
        // An allocator too scattered to give the window is a memory error too.
        let mut window = Vec::new();
        if window.try_reserve_exact(1 << wbits).is_err() {
            return Err(InflateError::Memory);
        }
        window.resize(1 << wbits, 0);
        self.window = window;
        self.check = Check::new(self.format);
        self.state = State::BlockStart;
        Ok(())
    }

    fn block_start<E>(&mut self, src: &mut Source<E>) -> Res<(), E> {
        if self.last_block {
            self.bitbuf = 0;
            self.bitcnt = 0;
            self.state = State::Trailer;
            return Ok(());
        }
        self.last_block = self.bits(src, 1)? == 1;
        match self.bits(src, 2)? {
            0 => {
                self.bitbuf = 0;
                self.bitcnt = 0;
                let mut b = [0u8; 4];
                for x in &mut b {
                    *x = Self::byte(src)?;
                }
                let len = u16::from_le_bytes([b[0], b[1]]);
                if len != !u16::from_le_bytes([b[2], b[3]]) {
                    return Err(InflateError::Corrupt);
                }
                self.state = State::Stored(len);
            }
            1 => {
                let (lit, dist) = Huffman::fixed();
                self.lit = Some(Box::new(lit));
                self.dist = Some(Box::new(dist));
                self.state = State::Codes;
            }
            2 => {
                self.dynamic_tables(src)?;
                self.state = State::Codes;
            }
            _ => return Err(InflateError::Corrupt),
        }
        Ok(())
    }

    fn dynamic_tables<E>(&mut self, src: &mut Source<E>) -> Res<(), E> {
        let nlen = self.bits(src, 5)? as usize + 257;
        let ndist = self.bits(src, 5)? as usize + 1;
        let ncode = self.bits(src, 4)? as usize + 4;
        if nlen > 286 || ndist > 30 {
            return Err(InflateError::Corrupt);
        }
        let mut clen = [0u8; 19];
        for &i in CLEN_ORDER.iter().take(ncode) {
            clen[i] = self.bits(src, 3)? as u8;
        }
        self.lit = Some(Box::new(Huffman::new(&clen).ok_or(InflateError::Corrupt)?));
        let mut lengths = [0u8; 286 + 30];
        let mut i = 0;
        while i < nlen + ndist {
            let sym = self.decode(src, true)?;
            let (value, repeat) = match sym {
                0..=15 => (sym as u8, 1),
                16 => {
                    let Some(&prev) = i.checked_sub(1).and_then(|p| lengths.get(p)) else {
                        return Err(InflateError::Corrupt);
                    };
                    (prev, 3 + self.bits(src, 2)? as usize)
                }
                17 => (0, 3 + self.bits(src, 3)? as usize),
                _ => (0, 11 + self.bits(src, 7)? as usize),
            };
            if i + repeat > nlen + ndist {
                return Err(InflateError::Corrupt);
            }
            lengths[i..i + repeat].fill(value);
            i += repeat;
        }
        if lengths[256] == 0 {
            return Err(InflateError::Corrupt);
        }
        let lit = Huffman::new(&lengths[..nlen]).ok_or(InflateError::Corrupt)?;
        let dist = Huffman::new(&lengths[nlen..nlen + ndist]).ok_or(InflateError::Corrupt)?;
        self.lit = Some(Box::new(lit));
        self.dist = Some(Box::new(dist));
        Ok(())
    }

    fn put(&mut self, b: u8) {
        let mask = self.window.len() - 1;
        self.window[self.wpos] = b;
        self.wpos = (self.wpos + 1) & mask;
        if self.filled < self.window.len() {
            self.filled += 1;
        }
    }

    fn trailer<E>(&mut self, src: &mut Source<E>) -> Res<(), E> {
        let want = self.check.trailer();
        for w in want {
            if Self::byte(src)? != w {
                return Err(InflateError::Corrupt);
            }
        }
        self.state = State::Done;
        Ok(())
    }

    /// Fills `out` as far as the stream goes; 0 only at its end.
    pub fn read<E>(&mut self, out: &mut [u8], src: &mut Source<E>) -> Res<usize, E> {
        let mut n = 0;
        while n < out.len() {
            match self.state {
                State::Header => self.header(src)?,
                State::BlockStart => self.block_start(src)?,
                State::Stored(0) => self.state = State::BlockStart,
                State::Stored(left) => {
                    let b = Self::byte(src)?;
                    self.put(b);
                    out[n] = b;
                    n += 1;
                    self.state = State::Stored(left - 1);
                }
                State::Codes => {
                    let sym = self.decode(src, true)?;
                    match sym {
                        0..=255 => {
                            self.put(sym as u8);
                            out[n] = sym as u8;
                            n += 1;
                        }
                        256 => self.state = State::BlockStart,
                        257..=285 => {
                            let i = usize::from(sym - 257);
                            let len =
                                LENGTH_BASE[i] + self.bits(src, u32::from(LENGTH_EXTRA[i]))? as u16;
                            let d = usize::from(self.decode(src, false)?);
                            if d >= 30 {
                                return Err(InflateError::Corrupt);
                            }
                            let dist =
                                DIST_BASE[d] + self.bits(src, u32::from(DIST_EXTRA[d]))? as u16;
                            if usize::from(dist) > self.filled {
                                return Err(InflateError::Corrupt);
                            }
                            self.state = State::Copy { len, dist };
                        }
                        _ => return Err(InflateError::Corrupt),
                    }
                }
                State::Copy { len: 0, .. } => self.state = State::Codes,
                State::Copy { len, dist } => {
                    let mask = self.window.len() - 1;
                    let b = self.window[self.wpos.wrapping_sub(usize::from(dist)) & mask];
                    self.put(b);
                    out[n] = b;
                    n += 1;
                    self.state = State::Copy { len: len - 1, dist };
                }
                State::Trailer => {
                    self.check.update(&out[..n]);
                    self.trailer(src)?;
                    return Ok(n);
                }
                State::Done => break,
            }
        }
        self.check.update(&out[..n]);
        Ok(n)
    }
}

// ---- compression ----

/// Writes bits least significant first.
struct BitWriter {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl BitWriter {
    fn put(&mut self, value: u32, bits: u32) {
        self.acc |= value << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// Writes a Huffman code (sent most significant bit first).
    fn code(&mut self, code: u32, bits: u32) {
        let mut rev = 0;
        for i in 0..bits {
            rev |= ((code >> i) & 1) << (bits - 1 - i);
        }
        self.put(rev, bits);
    }

    fn literal(&mut self, sym: u16) {
        let s = u32::from(sym);
        match sym {
            0..=143 => self.code(0x30 + s, 8),
            144..=255 => self.code(0x190 + s - 144, 9),
            256..=279 => self.code(s - 256, 7),
            _ => self.code(0xc0 + s - 280, 8),
        }
    }

    fn matched(&mut self, len: usize, dist: usize) {
        let i = LENGTH_BASE
            .iter()
            .rposition(|&b| usize::from(b) <= len)
            .unwrap_or(0);
        self.literal(257 + i as u16);
        self.put(
            (len - usize::from(LENGTH_BASE[i])) as u32,
            u32::from(LENGTH_EXTRA[i]),
        );
        let d = DIST_BASE
            .iter()
            .rposition(|&b| usize::from(b) <= dist)
            .unwrap_or(0);
        self.code(d as u32, 5);
        self.put(
            (dist - usize::from(DIST_BASE[d])) as u32,
            u32::from(DIST_EXTRA[d]),
        );
    }
}

const HASH_BITS: u32 = 12;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;

/// A compressor in progress: one fixed-Huffman block, open until `finish`.
pub struct Deflater {
    bits: BitWriter,
    window: usize,
    /// The last `window` bytes of input, for matches.
    history: Vec<u8>,
    /// The position in `history` (offset by `base`) where each 3-byte hash was last seen.
    head: Vec<u32>,
    /// How many bytes were dropped from the front of `history`.
    base: u32,
    check: Check,
}

fn hash3(b: &[u8]) -> usize {
    let v = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
    (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
}

impl Deflater {
    /// The zlib or gzip header that starts the stream (empty for raw).
    pub fn header(format: u8, wbits: u8) -> Vec<u8> {
        let wbits = if wbits == 0 { DEFAULT_WBITS } else { wbits };
        match format {
            ZLIB => {
                let cmf = (wbits.saturating_sub(8).max(1) << 4) | 8;
                let flg = 0x80u8;
                let fcheck = 31 - ((u16::from(cmf) << 8 | u16::from(flg)) % 31) as u8;
                [cmf, flg | (fcheck % 31)].to_vec()
            }
            GZIP => [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 3].to_vec(),
            _ => Vec::new(),
        }
    }

    /// A compressor with a window of `2**wbits` bytes for `format` (the header is
    /// `Deflater::header`).
    pub fn new(format: u8, wbits: u8) -> Deflater {
        let wbits = if wbits == 0 { DEFAULT_WBITS } else { wbits };
        let mut bits = BitWriter {
            out: Vec::new(),
            acc: 0,
            n: 0,
        };
        // The one block: final, fixed codes.
        bits.put(1, 1);
        bits.put(1, 2);
        Deflater {
            bits,
            window: (1usize << wbits).min(32768),
            history: Vec::new(),
            head: vec![u32::MAX; 1 << HASH_BITS],
            base: 0,
            check: Check::new(format),
        }
    }

    /// Compresses `data`; returns the whole bytes ready so far.
    pub fn write(&mut self, data: &[u8]) -> Vec<u8> {
        self.check.update(data);
        let start = self.history.len();
        self.history.extend_from_slice(data);
        let h = &self.history;
        let mut i = start;
        while i < h.len() {
            let mut best = (0, 0);
            if i + MIN_MATCH <= h.len() {
                let key = hash3(&h[i..]);
                let cand = self.head[key];
                self.head[key] = self.base.wrapping_add(i as u32);
                if cand != u32::MAX {
                    let c = cand.wrapping_sub(self.base) as usize;
                    if c < i && i - c <= self.window {
                        let max = (h.len() - i).min(MAX_MATCH);
                        let len = (0..max).take_while(|&k| h[c + k] == h[i + k]).count();
                        if len >= MIN_MATCH {
                            best = (len, i - c);
                        }
                    }
                }
            }
            if best.0 >= MIN_MATCH {
                self.bits.matched(best.0, best.1);
                for j in i + 1..i + best.0 {
                    if j + MIN_MATCH <= h.len() {
                        self.head[hash3(&h[j..])] = self.base.wrapping_add(j as u32);
                    }
                }
                i += best.0;
            } else {
                self.bits.literal(u16::from(h[i]));
                i += 1;
            }
        }
        if self.history.len() > 2 * self.window {
            let drop = self.history.len() - self.window;
            self.history.drain(..drop);
            self.base = self.base.wrapping_add(drop as u32);
            // Positions from before the wrap of `base` could alias new ones: forget them all.
            if self.base < drop as u32 {
                self.head.fill(u32::MAX);
            }
        }
        core::mem::take(&mut self.bits.out)
    }

    /// Ends the block and the stream: the last bytes of the block, and the trailer.
    pub fn finish(&mut self) -> (Vec<u8>, Vec<u8>) {
        self.bits.literal(256);
        if self.bits.n > 0 {
            self.bits.put(0, 8 - self.bits.n);
        }
        (core::mem::take(&mut self.bits.out), self.check.trailer())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(data: &[u8], format: u8, wbits: u8) -> Result<Vec<u8>, InflateError<()>> {
        let mut it = data.iter().copied();
        let mut src = || it.next().ok_or(());
        let mut inf = Inflater::new(format, wbits);
        let mut out = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            let n = inf.read(&mut buf, &mut src)?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    fn deflate(data: &[u8], format: u8, wbits: u8, pieces: usize) -> Vec<u8> {
        let mut d = Deflater::new(format, wbits);
        let mut out = Deflater::header(format, wbits);
        for chunk in data.chunks(pieces.max(1)) {
            out.extend(d.write(chunk));
        }
        let (last, trailer) = d.finish();
        out.extend(last);
        out.extend(trailer);
        out
    }

    /// xorshift: deterministic test data.
    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn known_streams() {
        let raw =
            b"\xcb\xcdL.\xca/\xa8,\xc9\xc8\xcfS\xc8H\xcd\xc9\xc9W(\xcf/\xcaIAa\xe7\"\xd4\x00\x00";
        let text = b"micropython hello world hello world micropython";
        assert_eq!(inflate(raw, RAW, 0).ok().as_deref(), Some(&text[..]));
        let dynamic = b"x\x9c\x05\xc1\x81\x01\x000\x04\x04\xb1\x95\\\x1f\xcfn\x86o\x82d\x06Qq\xc8\x9d\xc5X}<e\xb5g\x83\x0f\x89X\x07\xab";
        assert_eq!(
            inflate(dynamic, AUTO, 0).ok().as_deref(),
            Some(&b"13371813150|13764518736|12345678901"[..])
        );
        let stored = b"x\x01\x01\x05\x00\xfa\xffhello\x06,\x02\x15";
        assert_eq!(
            inflate(stored, ZLIB, 0).ok().as_deref(),
            Some(&b"hello"[..])
        );
    }

    #[test]
    fn round_trips_random_data() {
        let mut seed = 0x1234_5678_9abc_def0u64;
        for round in 0..200 {
            let len = (rng(&mut seed) % 3000) as usize;
            let alphabet = 1 + rng(&mut seed) % 255;
            let data: Vec<u8> = (0..len)
                .map(|_| (rng(&mut seed) % alphabet) as u8)
                .collect();
            let format = (round % 4) as u8;
            let wbits = [0u8, 5, 8, 10, 15][round % 5];
            let packed = deflate(&data, format, wbits, 1 + round * 7);
            let read_format = if format == AUTO { RAW } else { format };
            let got = inflate(&packed, read_format, 15);
            assert_eq!(got.ok().as_deref(), Some(&data[..]), "round {round}");
        }
    }

    #[test]
    fn corrupt_input_never_panics() {
        let mut seed = 0x0bad_cafe_u64;
        let good = deflate(&[7u8; 500], ZLIB, 9, 100);
        for round in 0..3000 {
            let mut data: Vec<u8> = if round % 2 == 0 {
                good.clone()
            } else {
                (0..(rng(&mut seed) % 200))
                    .map(|_| rng(&mut seed) as u8)
                    .collect()
            };
            if !data.is_empty() {
                for _ in 0..1 + rng(&mut seed) % 4 {
                    let i = (rng(&mut seed) as usize) % data.len();
                    data[i] ^= 1 << (rng(&mut seed) % 8);
                }
            }
            for format in [AUTO, RAW, ZLIB, GZIP] {
                let _ = inflate(&data, format, (rng(&mut seed) % 11) as u8 + 5);
            }
        }
    }

    #[test]
    fn checksums() {
        assert_eq!(!crc32_update(!0, b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32_update(1, b"Wikipedia"), 0x11e6_0398);
    }
}
