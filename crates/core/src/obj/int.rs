//! `int` (and `bool`, which is an int): small ints in the value word, big ints in the heap.

use alloc::boxed::Box;
use alloc::string::String;
use core::cmp::Ordering;

use pyrite_compiler::bytecode::{BinOp, UnaryOp};
use pyrite_mpz::BigInt;

use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// The largest big int allowed, in bits (a `MemoryError` beyond, before trying).
const MAX_BITS: u64 = 1 << 24;

/// Whether a big int of `bits` bits may be built: within `MAX_BITS` and within the free heap,
/// after a collection if the garbage is in the way (a failed attempt leaves nothing behind, so
/// the caller raises `MemoryError` before it allocates).
pub fn bits_fit(vm: &mut Vm, bits: u64) -> bool {
    if bits > MAX_BITS {
        return false;
    }
    let bytes = (bits / 8) as usize;
    if vm.heap.fits(bytes) {
        return true;
    }
    if bytes > vm.heap.limit() || vm.mp.heap_locked() {
        return false;
    }
    vm.collect(None);
    vm.heap.fits(bytes)
}

/// The count of `seq * n` (`None` if `n` is not an int): negative counts are 0, and a result
/// of `len * n` items of `item_bytes` bytes that the heap could never hold is a `MemoryError`.
pub fn repeat_count(vm: &mut Vm, n: Obj, len: usize, item_bytes: usize) -> PyResult<Option<usize>> {
    let Some(n) = Int::of(vm, n) else {
        return Ok(None);
    };
    let n = match n {
        Int::Small(n) => n.max(0) as usize,
        Int::Big(b) if b.is_negative() => 0,
        Int::Big(_) => return Err(vm.memory_error()),
    };
    if len.saturating_mul(n).saturating_mul(item_bytes) > vm.heap.limit() {
        return Err(vm.memory_error());
    }
    Ok(Some(n))
}

/// An int value, borrowed out of its object.
pub enum Int {
    /// Fits in an `i64`.
    Small(i64),
    /// Does not.
    Big(BigInt),
}

impl Int {
    /// The int value of `o` (ints and bools), or `None`.
    pub fn of(vm: &Vm, o: Obj) -> Option<Int> {
        if let Some(i) = o.as_small_int() {
            return Some(Int::Small(i as i64));
        }
        if o == Obj::TRUE {
            return Some(Int::Small(1));
        }
        if o == Obj::FALSE {
            return Some(Int::Small(0));
        }
        match vm.heap.get(o)? {
            HeapObj::BigInt(b) => Some(match b.to_i64() {
                Some(v) => Int::Small(v),
                None => Int::Big((**b).clone()),
            }),
            HeapObj::Instance(i) if !i.native.is_null() => Int::of(vm, i.native),
            _ => None,
        }
    }

    /// As a big int.
    pub fn to_big(&self) -> BigInt {
        match self {
            Int::Small(v) => BigInt::from_i64(*v),
            Int::Big(b) => b.clone(),
        }
    }

    /// As an `f64` (rounded).
    pub fn to_f64(&self) -> f64 {
        match self {
            Int::Small(v) => *v as f64,
            Int::Big(b) => b.to_f64(),
        }
    }
}

/// The int value of a big int as an object (small if it fits).
pub fn from_big(vm: &mut Vm, b: BigInt) -> PyResult<Obj> {
    if let Some(v) = b.to_i64() {
        return vm.new_int(v);
    }
    if b.bit_length() > MAX_BITS {
        return Err(vm.memory_error());
    }
    vm.alloc(HeapObj::BigInt(Box::new(b)))
}

/// Small-int arithmetic that cannot overflow `i64`: `None` to take the general path.
#[inline]
pub fn small_binop(op: BinOp, x: i32, y: i32) -> Option<Obj> {
    let (a, b) = (x as i64, y as i64);
    let r = match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::FloorDiv if b != 0 => {
            a.div_euclid(b) - if b < 0 && a.rem_euclid(b) != 0 { 1 } else { 0 }
        }
        BinOp::Mod if b != 0 => {
            let m = a % b;
            if m != 0 && ((m < 0) != (b < 0)) {
                m + b
            } else {
                m
            }
        }
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Xor => a ^ b,
        BinOp::LShift if (0..32).contains(&b) => a << b,
        BinOp::RShift if b >= 0 => a >> b.min(63),
        _ => return None,
    };
    Obj::try_small_int(r)
}

fn floor_divmod_i64(a: i64, b: i64) -> (i64, i64) {
    let q = a / b;
    let r = a % b;
    if r != 0 && ((r < 0) != (b < 0)) {
        (q - 1, r + b)
    } else {
        (q, r)
    }
}

/// `int op int`: `None` if either operand is not an int.
pub fn int_binop(vm: &mut Vm, op: BinOp, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    let (Some(x), Some(y)) = (Int::of(vm, a), Int::of(vm, b)) else {
        return Ok(None);
    };
    if let (Int::Small(p), Int::Small(q)) = (&x, &y) {
        let (p, q) = (*p, *q);
        let r = match op {
            BinOp::Add => p.checked_add(q),
            BinOp::Sub => p.checked_sub(q),
            BinOp::Mul => p.checked_mul(q),
            BinOp::And => Some(p & q),
            BinOp::Or => Some(p | q),
            BinOp::Xor => Some(p ^ q),
            BinOp::FloorDiv | BinOp::Mod => {
                if q == 0 {
                    raise!(vm, ZERO_DIVISION_ERROR, "divide by zero");
                }
                if p == i64::MIN && q == -1 {
                    None
                } else {
                    let (d, m) = floor_divmod_i64(p, q);
                    Some(if op == BinOp::FloorDiv { d } else { m })
                }
            }
            BinOp::RShift => {
                if q < 0 {
                    raise!(vm, VALUE_ERROR, "negative shift count");
                }
                Some(p >> q.min(63))
            }
            BinOp::LShift => {
                if q < 0 {
                    raise!(vm, VALUE_ERROR, "negative shift count");
                }
                if q < 62 && p.unsigned_abs() < (1u64 << (62 - q)) {
                    Some(p << q)
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some(r) = r {
            return vm.new_int(r).map(Some);
        }
    }
    match op {
        BinOp::TrueDiv => {
            let (xb, yb) = (x.to_big(), y.to_big());
            match xb.div_to_f64(&yb) {
                Some(f) if f.is_infinite() => {
                    raise!(vm, OVERFLOW_ERROR, "int too big to convert to float")
                }
                Some(f) => vm.new_float(f).map(Some),
                None => raise!(vm, ZERO_DIVISION_ERROR, "divide by zero"),
            }
        }
        BinOp::Pow => int_pow(vm, &x, &y).map(Some),
        BinOp::MatMul => Ok(None),
        _ => {
            let (xb, yb) = (x.to_big(), y.to_big());
            let r = match op {
                BinOp::Add => xb.add(&yb),
                BinOp::Sub => xb.sub(&yb),
                BinOp::Mul => {
                    if !bits_fit(vm, xb.bit_length() + yb.bit_length()) {
                        return Err(vm.memory_error());
                    }
                    xb.mul(&yb)
                }
                BinOp::FloorDiv | BinOp::Mod => match xb.divmod_floor(&yb) {
                    Some((d, m)) => {
                        if op == BinOp::FloorDiv {
                            d
                        } else {
                            m
                        }
                    }
                    None => raise!(vm, ZERO_DIVISION_ERROR, "divide by zero"),
                },
                BinOp::And => xb.bitand(&yb),
                BinOp::Or => xb.bitor(&yb),
                BinOp::Xor => xb.bitxor(&yb),
                BinOp::LShift | BinOp::RShift => {
                    if yb.is_negative() {
                        raise!(vm, VALUE_ERROR, "negative shift count");
                    }
                    let n = yb.to_u64().unwrap_or(u64::MAX);
                    if op == BinOp::RShift {
                        xb.shr(n)
                    } else {
                        if xb.is_zero() {
                            return Ok(Some(Obj::small_int_unchecked(0)));
                        }
                        if n > MAX_BITS {
                            raise!(vm, OVERFLOW_ERROR, "result too large");
                        }
                        if !bits_fit(vm, xb.bit_length() + n) {
                            return Err(vm.memory_error());
                        }
                        xb.shl(n)
                    }
                }
                _ => return Ok(None),
            };
            from_big(vm, r).map(Some)
        }
    }
}

fn int_pow(vm: &mut Vm, x: &Int, y: &Int) -> PyResult<Obj> {
    let yb = y.to_big();
    if yb.is_negative() {
        let (fx, fy) = (x.to_f64(), y.to_f64());
        if fx == 0.0 {
            raise!(vm, ZERO_DIVISION_ERROR, "divide by zero");
        }
        return vm.new_float(libm::pow(fx, fy));
    }
    let xb = x.to_big();
    let e = yb.to_u64().unwrap_or(u64::MAX);
    if e == 0 {
        return Ok(Obj::small_int_unchecked(1));
    }
    if xb.is_zero() || xb.cmp_i64(1) == Ordering::Equal {
        return from_big(vm, xb);
    }
    if xb.cmp_i64(-1) == Ordering::Equal {
        return vm.new_int(if e.is_multiple_of(2) { 1 } else { -1 });
    }
    if !bits_fit(vm, xb.bit_length().saturating_mul(e)) {
        return Err(vm.memory_error());
    }
    from_big(vm, xb.pow(e))
}

/// `pow(a, b, m)` for ints.
pub fn int_pow_mod(vm: &mut Vm, a: Obj, b: Obj, m: Obj) -> PyResult<Obj> {
    let (Some(x), Some(y), Some(z)) = (Int::of(vm, a), Int::of(vm, b), Int::of(vm, m)) else {
        raise!(
            vm,
            TYPE_ERROR,
            "pow() 3rd argument not allowed unless all arguments are integers"
        );
    };
    let (xb, yb, zb) = (x.to_big(), y.to_big(), z.to_big());
    if yb.is_negative() {
        raise!(
            vm,
            VALUE_ERROR,
            "pow() 2nd argument cannot be negative when 3rd argument specified"
        );
    }
    match xb.pow_mod(&yb, &zb) {
        Some(r) => from_big(vm, r),
        None => raise!(vm, VALUE_ERROR, "pow() 3rd argument cannot be 0"),
    }
}

/// `-x`, `+x`, `~x` for ints.
pub fn int_unop(vm: &mut Vm, op: UnaryOp, a: Obj) -> PyResult<Option<Obj>> {
    let Some(x) = Int::of(vm, a) else {
        return Ok(None);
    };
    let r = match (op, x) {
        (UnaryOp::Neg, Int::Small(v)) if v != i64::MIN => return vm.new_int(-v).map(Some),
        (UnaryOp::Pos, Int::Small(v)) => return vm.new_int(v).map(Some),
        (UnaryOp::Invert, Int::Small(v)) => return vm.new_int(!v).map(Some),
        (UnaryOp::Neg, x) => x.to_big().neg(),
        (UnaryOp::Pos, x) => x.to_big(),
        (UnaryOp::Invert, x) => x.to_big().not(),
        (UnaryOp::Not, _) => return Ok(None),
    };
    from_big(vm, r).map(Some)
}

/// `a == b` for numbers (ints, bools, floats, complex): `None` if either is not a number.
pub fn num_eq(vm: &Vm, a: Obj, b: Obj) -> Option<bool> {
    if let (Some(x), Some(y)) = (Int::of(vm, a), Int::of(vm, b)) {
        return Some(match (x, y) {
            (Int::Small(p), Int::Small(q)) => p == q,
            (x, y) => x.to_big() == y.to_big(),
        });
    }
    let ca = complex_parts(vm, a)?;
    let cb = complex_parts(vm, b)?;
    // An int compares exactly with a float; a complex compares as its parts.
    if ca.1 == 0.0 && cb.1 == 0.0 {
        if let Some(o) = num_cmp(vm, a, b) {
            return Some(o == Some(Ordering::Equal));
        }
    }
    Some(ca == cb)
}

/// The value of a number as a complex `(re, im)`.
pub fn complex_parts(vm: &Vm, o: Obj) -> Option<(f64, f64)> {
    if let Some(i) = Int::of(vm, o) {
        return Some((i.to_f64(), 0.0));
    }
    match vm.heap.get(o)? {
        HeapObj::Float(f) => Some((*f, 0.0)),
        HeapObj::Complex(r, i) => Some((*r, *i)),
        HeapObj::Instance(i) if !i.native.is_null() => complex_parts(vm, i.native),
        _ => None,
    }
}

/// Orders two real numbers exactly (ints against floats too). `None` if either is not a
/// real number; `Some(None)` if a NaN is involved.
pub fn num_cmp(vm: &Vm, a: Obj, b: Obj) -> Option<Option<Ordering>> {
    let x = Int::of(vm, a);
    let y = Int::of(vm, b);
    match (x, y) {
        (Some(Int::Small(p)), Some(Int::Small(q))) => Some(Some(p.cmp(&q))),
        (Some(p), Some(q)) => Some(Some(p.to_big().cmp(&q.to_big()))),
        (Some(p), None) => {
            let f = float_of(vm, b)?;
            Some(cmp_int_float(&p, f))
        }
        (None, Some(q)) => {
            let f = float_of(vm, a)?;
            Some(cmp_int_float(&q, f).map(Ordering::reverse))
        }
        (None, None) => {
            let (f, g) = (float_of(vm, a)?, float_of(vm, b)?);
            Some(f.partial_cmp(&g))
        }
    }
}

fn float_of(vm: &Vm, o: Obj) -> Option<f64> {
    match vm.heap.get(o)? {
        HeapObj::Float(f) => Some(*f),
        HeapObj::Instance(i) if !i.native.is_null() => float_of(vm, i.native),
        _ => None,
    }
}

/// Compares an int with a float exactly.
fn cmp_int_float(i: &Int, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    if let Int::Small(v) = i {
        if v.unsigned_abs() < (1 << 53) {
            return (*v as f64).partial_cmp(&f);
        }
    }
    // Compare against the float's integer part, then its fraction.
    let fl = libm::floor(f);
    let fb = BigInt::from_f64(fl)?;
    match i.to_big().cmp(&fb) {
        Ordering::Equal if f > fl => Some(Ordering::Less),
        o => Some(o),
    }
}

/// The decimal text of an int object.
pub fn int_to_string(vm: &Vm, o: Obj, radix: u32) -> Option<String> {
    Some(match Int::of(vm, o)? {
        Int::Small(v) if radix == 10 => alloc::format!("{}", v),
        x => x.to_big().to_str_radix(radix, false),
    })
}

/// `int(x)`, `int(s, base)`.
pub fn int_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let mut base = None;
    for &(k, v) in kw {
        if vm.qstr_str(k) == "base" {
            base = Some(v);
        } else {
            raise!(vm, TYPE_ERROR, "unexpected keyword argument");
        }
    }
    if args.len() > 1 {
        base = Some(args[1]);
    }
    let Some(&x) = args.first() else {
        return Ok(Obj::small_int_unchecked(0));
    };
    if let Some(b) = base {
        let b = vm.index_value(b)?;
        if b != 0 && !(2..=36).contains(&b) {
            raise!(vm, VALUE_ERROR, "int() arg 2 must be >= 2 and <= 36");
        }
        return parse_int_obj(vm, x, b as u32);
    }
    if let Some(i) = Int::of(vm, x) {
        return match i {
            Int::Small(v) => vm.new_int(v),
            Int::Big(b) => from_big(vm, b),
        };
    }
    if let Some(HeapObj::Float(f)) = vm.heap.get(x) {
        let f = *f;
        return float_to_int(vm, f);
    }
    if let Some(p) = crate::modules::uctypes::struct_int(vm, x)? {
        return Ok(p);
    }
    if vm.str_of(x).is_some() || crate::obj::bytes::is_bytes_like(vm, x) {
        return parse_int_obj(vm, x, 10);
    }
    if vm.is_user_instance(x) {
        if let Some(r) = vm.call_special(x, crate::qstr::q::__int__, &[])? {
            return Ok(r);
        }
        if let Some(r) = vm.call_special(x, crate::qstr::q::__index__, &[])? {
            return Ok(r);
        }
        if let Some(n) = vm.native_payload(x) {
            return int_new(vm, &[n], &[]);
        }
    }
    let t = String::from(vm.type_name(x));
    raise!(vm, TYPE_ERROR, "can't convert {} to int", t)
}

/// `int(f)`: truncation toward zero.
pub fn float_to_int(vm: &mut Vm, f: f64) -> PyResult<Obj> {
    if f.is_nan() {
        raise!(vm, VALUE_ERROR, "cannot convert float NaN to integer");
    }
    if f.is_infinite() {
        raise!(
            vm,
            OVERFLOW_ERROR,
            "cannot convert float infinity to integer"
        );
    }
    let t = libm::trunc(f);
    if t.abs() < 9.0e18 {
        return vm.new_int(t as i64);
    }
    match BigInt::from_f64(t) {
        Some(b) => from_big(vm, b),
        None => raise!(vm, OVERFLOW_ERROR, "cannot convert float to integer"),
    }
}

fn parse_int_obj(vm: &mut Vm, x: Obj, base: u32) -> PyResult<Obj> {
    let text: String = if let Some(s) = vm.str_of(x) {
        String::from(s)
    } else if let Some((_, b)) = crate::obj::memoryview::typed_buffer(vm, x) {
        String::from_utf8_lossy(b).into_owned()
    } else {
        raise!(
            vm,
            TYPE_ERROR,
            "can't convert non-string with explicit base"
        );
    };
    match pyrite_numfmt::parse_int_prefix(&text, base) {
        Ok((neg, radix, digits)) => match BigInt::parse(digits.as_bytes(), radix) {
            Some(b) => {
                let b = if neg { b.neg() } else { b };
                from_big(vm, b)
            }
            None => Err(invalid_literal(vm, &text, base)),
        },
        Err(_) => Err(invalid_literal(vm, &text, base)),
    }
}

fn invalid_literal(vm: &mut Vm, text: &str, base: u32) -> Obj {
    let mut r = String::new();
    crate::obj::str::repr_str_into(text, &mut r);
    vm.exc_fmt(
        ty::VALUE_ERROR,
        format_args!("invalid syntax for integer with base {}: {}", base, r),
    )
}

fn int_bit_length(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(x) = args.first().and_then(|&a| Int::of(vm, a)) else {
        raise!(vm, TYPE_ERROR, "expected int");
    };
    let n = match x {
        Int::Small(v) => 64 - v.unsigned_abs().leading_zeros() as i64,
        Int::Big(b) => b.bit_length() as i64,
    };
    vm.new_int(n)
}

fn byteorder_arg(vm: &mut Vm, o: Obj) -> PyResult<bool> {
    match vm.str_of(o) {
        Some("little") => Ok(true),
        Some("big") => Ok(false),
        _ => raise!(
            vm,
            VALUE_ERROR,
            "byteorder must be either 'little' or 'big'"
        ),
    }
}

fn int_to_bytes(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some(x) = args.first().and_then(|&a| Int::of(vm, a)) else {
        raise!(vm, TYPE_ERROR, "expected int");
    };
    let mut length = args.get(1).copied().unwrap_or(Obj::small_int_unchecked(1));
    let mut order = args
        .get(2)
        .copied()
        .unwrap_or(Obj::qstr(crate::qstr::q::big));
    let mut signed = Obj::FALSE;
    for &(k, v) in kw {
        match vm.qstr_str(k) {
            "length" => length = v,
            "byteorder" => order = v,
            "signed" => signed = v,
            _ => raise!(vm, TYPE_ERROR, "unexpected keyword argument"),
        }
    }
    let len = vm.index_value(length)?;
    if len < 0 {
        raise!(vm, VALUE_ERROR, "length argument must be non-negative");
    }
    let little = byteorder_arg(vm, order)?;
    let signed = vm.truthy(signed)?;
    if x.to_big().is_negative() && !signed {
        raise!(vm, OVERFLOW_ERROR, "can't convert negative int to unsigned");
    }
    vm.charge(len as usize)?;
    match x.to_big().to_bytes(len as usize, little, signed) {
        Some(b) => vm.alloc(HeapObj::Bytes(b.into_boxed_slice())),
        None => raise!(vm, OVERFLOW_ERROR, "int too big to convert"),
    }
}

fn int_from_bytes(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    // args[0] is the class.
    let Some(&data) = args.get(1) else {
        raise!(vm, TYPE_ERROR, "from_bytes() missing required argument");
    };
    let mut order = args
        .get(2)
        .copied()
        .unwrap_or(Obj::qstr(crate::qstr::q::big));
    let mut signed = Obj::FALSE;
    for &(k, v) in kw {
        match vm.qstr_str(k) {
            "byteorder" => order = v,
            "signed" => signed = v,
            _ => raise!(vm, TYPE_ERROR, "unexpected keyword argument"),
        }
    }
    let little = byteorder_arg(vm, order)?;
    let signed = vm.truthy(signed)?;
    let bytes = crate::obj::bytes::buffer_of(vm, data)?;
    from_big(vm, BigInt::from_bytes(&bytes, little, signed))
}

fn int_conjugate(_vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(args.first().copied().unwrap_or(Obj::NONE))
}

crate::native_table!(pub METHODS = [
    ("bit_length", int_bit_length),
    ("conjugate", int_conjugate),
    ("from_bytes", int_from_bytes, ClassMethod),
    ("to_bytes", int_to_bytes),
]);
