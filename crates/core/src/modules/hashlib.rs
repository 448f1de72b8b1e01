//! `hashlib`: SHA-256, SHA-1 and MD5, written out here (each a few dozen lines) rather than
//! pulled from a crate. As in MicroPython, a hash object has `update` and `digest` only, and
//! `digest` finalises it: any later call is `ValueError: hash is final`.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::obj::bytes::{buffer_of, new_bytes};
use crate::obj::strbytes::arity;
use crate::object::HeapObj;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// The module's functions (the constructors are types, in `module_attr`).
pub static FUNCTIONS: [crate::native::Native; 0] = [];

crate::native_table!(pub HASH_METHODS = [
    ("digest", hash_digest),
    ("update", hash_update),
]);

/// Names of the module's other attributes.
pub static ATTR_NAMES: &[&str] = &["md5", "sha1", "sha256"];

/// The module's other attributes: the hash types.
pub fn module_attr(_vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    Ok(match name {
        "md5" => Some(Obj::builtin_type(ty::MD5)),
        "sha1" => Some(Obj::builtin_type(ty::SHA1)),
        "sha256" => Some(Obj::builtin_type(ty::SHA256)),
        _ => None,
    })
}

/// A hash algorithm.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Algo {
    /// SHA-256.
    Sha256,
    /// SHA-1.
    Sha1,
    /// MD5.
    Md5,
}

/// A hash in progress: the chaining state, the partial block and the length so far.
pub struct HashObj {
    /// Which algorithm.
    pub algo: Algo,
    state: [u32; 8],
    block: [u8; 64],
    filled: usize,
    len: u64,
    /// `digest()` was called.
    pub finished: bool,
}

impl HashObj {
    /// A fresh hash.
    pub fn new(algo: Algo) -> HashObj {
        let state = match algo {
            Algo::Sha256 => [
                0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
                0x5be0cd19,
            ],
            Algo::Sha1 => [
                0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0, 0, 0, 0,
            ],
            Algo::Md5 => [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0, 0, 0, 0],
        };
        HashObj {
            algo,
            state,
            block: [0; 64],
            filled: 0,
            len: 0,
            finished: false,
        }
    }

    /// Feeds `data`.
    pub fn update(&mut self, mut data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u64);
        while !data.is_empty() {
            let n = (64 - self.filled).min(data.len());
            self.block[self.filled..self.filled + n].copy_from_slice(&data[..n]);
            self.filled += n;
            data = &data[n..];
            if self.filled == 64 {
                self.compress();
                self.filled = 0;
            }
        }
    }

    /// Pads, finishes and returns the digest.
    pub fn finish(&mut self) -> Vec<u8> {
        let bits = self.len.wrapping_mul(8);
        let little = self.algo == Algo::Md5;
        let mut pad = [0u8; 72];
        pad[0] = 0x80;
        let zeros = (55usize.wrapping_sub(self.filled)) % 64;
        let mut tail = Vec::with_capacity(zeros + 9);
        tail.extend_from_slice(&pad[..1 + zeros]);
        tail.extend_from_slice(&if little {
            bits.to_le_bytes()
        } else {
            bits.to_be_bytes()
        });
        let len = self.len;
        self.update(&tail);
        self.len = len;
        let words = match self.algo {
            Algo::Sha256 => 8,
            Algo::Sha1 => 5,
            Algo::Md5 => 4,
        };
        let mut out = Vec::with_capacity(words * 4);
        for &w in &self.state[..words] {
            out.extend_from_slice(&if little {
                w.to_le_bytes()
            } else {
                w.to_be_bytes()
            });
        }
        out
    }

    fn compress(&mut self) {
        match self.algo {
            Algo::Sha256 => sha256_block(&mut self.state, &self.block),
            Algo::Sha1 => sha1_block(&mut self.state, &self.block),
            Algo::Md5 => md5_block(&mut self.state, &self.block),
        }
    }
}

const SHA256_K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

fn sha256_block(state: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 64];
    for (i, c) in block.chunks_exact(4).enumerate() {
        w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
    }
    for i in 16..64 {
        let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
        let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16]
            .wrapping_add(s0)
            .wrapping_add(w[i - 7])
            .wrapping_add(s1);
    }
    let mut v = *state;
    for i in 0..64 {
        let [a, b, c, d, e, f, g, h] = v;
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let ch = (e & f) ^ (!e & g);
        let t1 = h
            .wrapping_add(s1)
            .wrapping_add(ch)
            .wrapping_add(SHA256_K[i])
            .wrapping_add(w[i]);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let maj = (a & b) ^ (a & c) ^ (b & c);
        let t2 = s0.wrapping_add(maj);
        v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
    }
    for (s, x) in state.iter_mut().zip(v) {
        *s = s.wrapping_add(x);
    }
}

fn sha1_block(state: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 80];
    for (i, c) in block.chunks_exact(4).enumerate() {
        w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
    }
    for i in 16..80 {
        w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
    }
    let [mut a, mut b, mut c, mut d, mut e, ..] = *state;
    for (i, &wi) in w.iter().enumerate() {
        let (f, k) = match i / 20 {
            0 => ((b & c) | (!b & d), 0x5a827999),
            1 => (b ^ c ^ d, 0x6ed9eba1),
            2 => ((b & c) | (b & d) | (c & d), 0x8f1bbcdc),
            _ => (b ^ c ^ d, 0xca62c1d6),
        };
        let t = a
            .rotate_left(5)
            .wrapping_add(f)
            .wrapping_add(e)
            .wrapping_add(k)
            .wrapping_add(wi);
        e = d;
        d = c;
        c = b.rotate_left(30);
        b = a;
        a = t;
    }
    for (s, x) in state.iter_mut().zip([a, b, c, d, e]) {
        *s = s.wrapping_add(x);
    }
}

/// MD5's additive constants: `floor(2^32 * |sin(i + 1)|)`.
const MD5_K: [u32; 64] = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];

/// MD5's per-round shift amounts.
const MD5_S: [u32; 16] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

fn md5_block(state: &mut [u32; 8], block: &[u8; 64]) {
    let mut m = [0u32; 16];
    for (i, c) in block.chunks_exact(4).enumerate() {
        m[i] = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    }
    let [mut a, mut b, mut c, mut d, ..] = *state;
    for i in 0..64 {
        let (f, g) = match i / 16 {
            0 => ((b & c) | (!b & d), i),
            1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
            2 => (b ^ c ^ d, (3 * i + 5) % 16),
            _ => (c ^ (b | !d), (7 * i) % 16),
        };
        let k = MD5_K[i];
        let s = MD5_S[(i / 16) * 4 + i % 4];
        let t = a.wrapping_add(f).wrapping_add(k).wrapping_add(m[g]);
        a = d;
        d = c;
        c = b;
        b = b.wrapping_add(t.rotate_left(s));
    }
    for (s, x) in state.iter_mut().zip([a, b, c, d]) {
        *s = s.wrapping_add(x);
    }
}

/// `hashlib.sha256([data])` and friends: the constructor of hash type `t`.
pub fn hash_new(vm: &mut Vm, t: u16, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 0, 1)?;
    let algo = match t {
        ty::SHA1 => Algo::Sha1,
        ty::MD5 => Algo::Md5,
        _ => Algo::Sha256,
    };
    let mut h = HashObj::new(algo);
    if let Some(&data) = args.first() {
        let b = buffer_of(vm, data)?;
        h.update(&b);
    }
    vm.alloc(HeapObj::Hash(Box::new(h)))
}

/// The unfinished hash `o`.
fn open_hash(vm: &mut Vm, o: Obj) -> PyResult<&mut HashObj> {
    match vm.heap.get(o) {
        Some(HeapObj::Hash(h)) if h.finished => raise!(vm, VALUE_ERROR, "hash is final"),
        Some(HeapObj::Hash(_)) => {}
        _ => raise!(vm, TYPE_ERROR, "expected a hash object"),
    }
    match vm.heap.get_mut(o) {
        Some(HeapObj::Hash(h)) => Ok(h),
        _ => Err(Obj::NONE),
    }
}

/// `h.update(data)`.
fn hash_update(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 2, 2)?;
    let data = buffer_of(vm, args[1])?;
    open_hash(vm, args[0])?.update(&data);
    Ok(Obj::NONE)
}

/// `h.digest()`: the digest as bytes; the hash is final afterwards.
fn hash_digest(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 1)?;
    let h = open_hash(vm, args[0])?;
    h.finished = true;
    let d = h.finish();
    new_bytes(vm, d)
}
