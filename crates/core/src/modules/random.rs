//! `random`: MicroPython's `random` module over its Yasmarang generator, so a seeded sequence
//! is the same as MicroPython's. Unseeded, the generator is seeded from the port on first use.

use alloc::string::String;

use crate::native::{Kw, PyResult};
use crate::obj::int::Int;
use crate::obj::strbytes::arity;
use crate::value::Obj;
use crate::vm::Vm;

crate::native_table!(pub FUNCTIONS = [
    ("choice", random_choice),
    ("getrandbits", random_getrandbits),
    ("randint", random_randint),
    ("randrange", random_randrange),
    ("random", random_random),
    ("seed", random_seed),
    ("uniform", random_uniform),
]);

/// Names of the module's other attributes (none).
pub static ATTR_NAMES: &[&str] = &[];

/// The module's other attributes (none).
pub fn module_attr(_vm: &mut Vm, _name: &str) -> PyResult<Option<Obj>> {
    Ok(None)
}

/// The state of the Yasmarang generator (one per VM).
#[derive(Clone, Copy, Default)]
pub struct Yasmarang {
    pad: u32,
    n: u32,
    d: u32,
    dat: u8,
    seeded: bool,
}

impl Yasmarang {
    /// Restarts the sequence from `seed`.
    pub fn seed(&mut self, seed: u32) {
        *self = Yasmarang {
            pad: seed,
            n: 69,
            d: 233,
            dat: 0,
            seeded: true,
        };
    }

    /// The next 32 random bits.
    pub fn next_u32(&mut self) -> u32 {
        self.pad = self
            .pad
            .wrapping_add(u32::from(self.dat))
            .wrapping_add(self.d.wrapping_mul(self.n));
        self.pad = (self.pad << 3).wrapping_add(self.pad >> 29);
        self.n = self.pad | 2;
        self.d ^= (self.pad << 31).wrapping_add(self.pad >> 1);
        self.dat ^= (self.pad as u8) ^ ((self.d >> 8) as u8) ^ 1;
        self.pad ^ (self.d << 5) ^ (self.pad >> 18) ^ (u32::from(self.dat) << 1)
    }

    /// A uniform value in `0..n` (0 for an empty range).
    pub fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        let mask = u32::MAX >> n.leading_zeros();
        loop {
            let r = self.next_u32() & mask;
            if r < n {
                return r;
            }
        }
    }

    /// A uniform float in `[0, 1)`, from 52 random mantissa bits.
    pub fn float(&mut self) -> f64 {
        let hi = u64::from(self.next_u32());
        let lo = u64::from(self.next_u32());
        let frac = ((hi << 32) | lo) & ((1 << 52) - 1);
        f64::from_bits((1023 << 52) | frac) - 1.0
    }
}

/// The VM's generator, seeded from the port if nothing seeded it yet.
fn rng(vm: &mut Vm) -> &mut Yasmarang {
    if !vm.random.seeded {
        let s = vm.port.random_seed();
        vm.random.seed(s as u32 ^ (s >> 32) as u32);
    }
    &mut vm.random
}

/// `random.getrandbits(n)`: an int of `n` (at most 32) random bits.
fn random_getrandbits(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 1)?;
    let n = vm.index_value(args[0])?;
    if !(0..=32).contains(&n) {
        raise!(vm, VALUE_ERROR, "bits must be 32 or less");
    }
    if n == 0 {
        return Ok(Obj::small_int_unchecked(0));
    }
    let v = rng(vm).next_u32() & (u32::MAX >> (32 - n));
    vm.new_int(i64::from(v))
}

/// `random.seed([n])`: restarts the sequence; no argument or `None` seeds from the port.
fn random_seed(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 0, 1)?;
    let seed = match args.first() {
        None => None,
        Some(&o) if o == Obj::NONE => None,
        Some(&o) => Some(match Int::of(vm, o) {
            Some(Int::Small(v)) => v as u32,
            Some(Int::Big(b)) => {
                let m = pyrite_mpz::BigInt::from_u64(1 << 32);
                b.divmod_floor(&m)
                    .and_then(|(_, r)| r.to_i64())
                    .unwrap_or(0) as u32
            }
            None => {
                let t = String::from(vm.type_name(o));
                raise!(vm, TYPE_ERROR, "can't convert {} to int", t)
            }
        }),
    };
    let seed = match seed {
        Some(s) => s,
        None => {
            let s = vm.port.random_seed();
            s as u32 ^ (s >> 32) as u32
        }
    };
    vm.random.seed(seed);
    Ok(Obj::NONE)
}

/// `random.randrange(stop)`, `randrange(start, stop[, step])`.
fn random_randrange(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 3)?;
    let mut v = [0i64; 3];
    for (slot, &a) in v.iter_mut().zip(args) {
        *slot = vm.index_value(a)?;
    }
    let (start, stop, step) = match args.len() {
        1 => (0, v[0], 1),
        2 => (v[0], v[1], 1),
        _ => (v[0], v[1], v[2]),
    };
    // The number of values, in a u64 (no 128-bit division: it is large on a 32-bit target).
    let span = if step > 0 && start < stop {
        stop.wrapping_sub(start) as u64
    } else if step < 0 && start > stop {
        start.wrapping_sub(stop) as u64
    } else {
        return Err(vm.exc(crate::types::ty::VALUE_ERROR, ""));
    };
    let n = (span - 1) / step.unsigned_abs() + 1;
    let k = rng(vm).below(n as u32);
    vm.new_int(start.wrapping_add(step.wrapping_mul(i64::from(k))))
}

/// `random.randint(a, b)`: a value in `a..=b`.
fn random_randint(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 2, 2)?;
    let a = vm.index_value(args[0])?;
    let b = vm.index_value(args[1])?;
    if a > b {
        return Err(vm.exc(crate::types::ty::VALUE_ERROR, ""));
    }
    let span = b.wrapping_sub(a).wrapping_add(1) as u32;
    let k = rng(vm).below(span);
    vm.new_int(a.wrapping_add(i64::from(k)))
}

/// `random.choice(seq)`: a random item of a non-empty sequence.
fn random_choice(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 1)?;
    let n = vm.len(args[0])?;
    if n == 0 {
        return Err(vm.exc(crate::types::ty::INDEX_ERROR, ""));
    }
    let k = rng(vm).below(n as u32);
    let i = vm.new_int(i64::from(k))?;
    vm.getitem(args[0], i)
}

/// `random.random()`: a float in `[0, 1)`.
fn random_random(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 0, 0)?;
    let f = rng(vm).float();
    vm.new_float(f)
}

/// `random.uniform(a, b)`: a float between `a` and `b`.
fn random_uniform(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 2, 2)?;
    let a = crate::obj::float::float_arg(vm, args[0])?;
    let b = crate::obj::float::float_arg(vm, args[1])?;
    let f = rng(vm).float();
    vm.new_float(a + (b - a) * f)
}
