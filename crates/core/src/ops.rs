//! Operators: truth, equality, hashing, comparison, arithmetic dispatch.
//!
//! Built-in types are handled here in Rust, fast paths first (small ints); instances of Python
//! classes go through their special methods, with the reflected method (`__radd__`) as the
//! fallback, as in CPython.

use alloc::string::String;
use alloc::vec::Vec;

use pyrite_compiler::bytecode::{BinOp, CmpOp, UnaryOp};

use crate::native::PyResult;
use crate::obj::int::Int;
use crate::object::HeapObj;
use crate::qstr::{q, Qstr};
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// The special method of a binary operator, and of its reflection.
fn binop_methods(op: BinOp) -> (Qstr, Qstr, Qstr) {
    match op {
        BinOp::Add => (q::__add__, q::__radd__, q::__iadd__),
        BinOp::Sub => (q::__sub__, q::__rsub__, q::__isub__),
        BinOp::Mul => (q::__mul__, q::__rmul__, q::__imul__),
        BinOp::TrueDiv => (q::__truediv__, q::__rtruediv__, q::__itruediv__),
        BinOp::FloorDiv => (q::__floordiv__, q::__rfloordiv__, q::__ifloordiv__),
        BinOp::Mod => (q::__mod__, q::__rmod__, q::__imod__),
        BinOp::Pow => (q::__pow__, q::__rpow__, q::__ipow__),
        BinOp::LShift => (q::__lshift__, q::__rlshift__, q::__ilshift__),
        BinOp::RShift => (q::__rshift__, q::__rrshift__, q::__irshift__),
        BinOp::And => (q::__and__, q::__rand__, q::__iand__),
        BinOp::Or => (q::__or__, q::__ror__, q::__ior__),
        BinOp::Xor => (q::__xor__, q::__rxor__, q::__ixor__),
        BinOp::MatMul => (q::__matmul__, q::__rmatmul__, q::__imatmul__),
    }
}

/// The deepest nesting `repr`, `==` and `hash` follow into containers.
const MAX_DEPTH: usize = 200;

impl Vm {
    /// `bool(o)`.
    pub fn truthy(&mut self, o: Obj) -> PyResult<bool> {
        if o == Obj::TRUE {
            return Ok(true);
        }
        if o == Obj::FALSE || o == Obj::NONE {
            return Ok(false);
        }
        if let Some(i) = o.as_small_int() {
            return Ok(i != 0);
        }
        if let Some(q) = o.as_qstr() {
            return Ok(!self.qstr_str(q).is_empty());
        }
        match self.heap.get(o) {
            None => Ok(true),
            Some(h) => Ok(match h {
                HeapObj::Str(s) => !s.s.is_empty(),
                HeapObj::Bytes(b) => !b.is_empty(),
                HeapObj::ByteArray(b) => !b.is_empty(),
                HeapObj::Float(f) => *f != 0.0,
                HeapObj::Complex(a, b) => *a != 0.0 || *b != 0.0,
                HeapObj::BigInt(b) => !b.is_zero(),
                HeapObj::List(l) => !l.is_empty(),
                HeapObj::Tuple(t) => !t.is_empty(),
                HeapObj::Dict(d) | HeapObj::Set(d, _) => !d.is_empty(),
                HeapObj::Range(r) => !r.is_empty(),
                HeapObj::MemoryView(m) => m.len != 0,
                HeapObj::Array(a) => !a.is_empty(),
                HeapObj::Deque(d) => !d.items.is_empty(),
                HeapObj::Instance(_) => return self.instance_truthy(o),
                _ => true,
            }),
        }
    }

    fn instance_truthy(&mut self, o: Obj) -> PyResult<bool> {
        if let Some(r) = self.call_special(o, q::__bool__, &[])? {
            return self.truthy(r);
        }
        if let Some(r) = self.call_special(o, q::__len__, &[])? {
            return Ok(self.index_value(r)? != 0);
        }
        if let Some(n) = self.native_payload(o) {
            return self.truthy(n);
        }
        Ok(true)
    }

    /// The built-in value inside an instance of a subclass of a built-in type.
    pub fn native_payload(&self, o: Obj) -> Option<Obj> {
        match self.heap.get(o) {
            Some(HeapObj::Instance(i)) if !i.native.is_null() => Some(i.native),
            _ => None,
        }
    }

    /// `hash(o)`.
    pub fn hash(&mut self, o: Obj) -> PyResult<u32> {
        self.hash_depth(o, 0)
    }

    fn hash_depth(&mut self, o: Obj, depth: usize) -> PyResult<u32> {
        if let Some(i) = o.as_small_int() {
            return Ok(i as u32);
        }
        if let Some(q) = o.as_qstr() {
            return Ok(self.qstrs.hash(q));
        }
        if o == Obj::TRUE {
            return Ok(1);
        }
        if o == Obj::FALSE {
            return Ok(0);
        }
        if depth > MAX_DEPTH {
            raise!(self, RUNTIME_ERROR, "maximum recursion depth exceeded");
        }
        let h = match self.heap.get(o) {
            None => o.bits().wrapping_mul(0x9e37_79b9),
            Some(h) => match h {
                HeapObj::Str(s) => s.hash,
                HeapObj::Bytes(b) => crate::qstr::str_hash(b),
                HeapObj::Float(f) => {
                    let f = *f;
                    return Ok(crate::obj::float::float_hash(f));
                }
                HeapObj::Complex(re, im) => {
                    let (re, im) = (*re, *im);
                    crate::obj::float::float_hash(re)
                        .wrapping_add(crate::obj::float::float_hash(im).wrapping_mul(1_000_003))
                }
                HeapObj::BigInt(b) => b.hash_u64() as u32,
                HeapObj::Tuple(t) => {
                    let items = t.to_vec();
                    let mut h: u32 = 0x345678;
                    for it in items {
                        let x = self.hash_depth(it, depth + 1)?;
                        h = (h ^ x).wrapping_mul(1_000_003);
                    }
                    h
                }
                HeapObj::Set(d, true) => {
                    let mut h: u32 = 0;
                    for e in d.iter() {
                        h ^= e.hash.wrapping_mul(0x9e37_79b9);
                    }
                    h
                }
                HeapObj::List(_)
                | HeapObj::Dict(_)
                | HeapObj::Set(_, false)
                | HeapObj::ByteArray(_)
                | HeapObj::UStruct(_) => {
                    let t = String::from(self.type_name(o));
                    raise!(self, TYPE_ERROR, "unhashable type: '{}'", t);
                }
                // Bound methods are equal when their object and function are the same ones.
                HeapObj::BoundMethod(s, f) | HeapObj::NativeBound(s, f) => {
                    s.bits().wrapping_mul(0x9e37_79b9) ^ f.bits()
                }
                // Set-like dict views are unhashable; `dict_values` hashes by identity.
                HeapObj::Instance(i)
                    if i.class == Obj::builtin_type(ty::DICT_KEYS)
                        || i.class == Obj::builtin_type(ty::DICT_ITEMS) =>
                {
                    let t = String::from(self.type_name(o));
                    raise!(self, TYPE_ERROR, "unhashable type: '{}'", t);
                }
                HeapObj::Instance(i) if i.class == Obj::builtin_type(ty::DICT_VALUES) => {
                    o.bits().wrapping_mul(0x9e37_79b9)
                }
                HeapObj::Instance(_) | HeapObj::Exception(_) => {
                    let cls = self.type_of(o);
                    match self.class_lookup(cls, q::__hash__) {
                        Some(f) if f == Obj::NONE => {
                            let t = String::from(self.type_name(o));
                            raise!(self, TYPE_ERROR, "unhashable type: '{}'", t);
                        }
                        Some(f) if crate::native::native_of(f).is_none() => {
                            let r = self.call(f, &[o], &[])?;
                            // A big int result is folded, as MicroPython truncates it.
                            return match crate::obj::int::Int::of(self, r) {
                                Some(crate::obj::int::Int::Small(v)) => Ok(v as u32),
                                Some(_) => self.hash_depth(r, depth + 1),
                                None => raise!(self, TYPE_ERROR, "__hash__() should return an int"),
                            };
                        }
                        _ => {
                            // A class that defines __eq__ without __hash__ is unhashable.
                            if let Some(eq) = self.class_lookup(cls, q::__eq__) {
                                if crate::native::native_of(eq).is_none() {
                                    let t = String::from(self.type_name(o));
                                    raise!(self, TYPE_ERROR, "unhashable type: '{}'", t);
                                }
                            }
                            if let Some(n) = self.native_payload(o) {
                                return self.hash_depth(n, depth + 1);
                            }
                            o.bits().wrapping_mul(0x9e37_79b9)
                        }
                    }
                }
                _ => o.bits().wrapping_mul(0x9e37_79b9),
            },
        };
        Ok(h)
    }

    /// `a == b`.
    pub fn eq(&mut self, a: Obj, b: Obj) -> PyResult<bool> {
        self.eq_depth(a, b, 0)
    }

    fn eq_depth(&mut self, a: Obj, b: Obj, depth: usize) -> PyResult<bool> {
        // Python classes decide even whether an object equals itself.
        if self.is_user_instance(a) || self.is_user_instance(b) {
            let r = self.eq_ne_user(a, b, false)?;
            return self.truthy(r);
        }
        if a == b {
            // Identity implies equality, except for NaN floats.
            match self.heap.get(a) {
                Some(HeapObj::Float(f)) => return Ok(!f.is_nan()),
                Some(HeapObj::Complex(re, im)) => return Ok(!re.is_nan() && !im.is_nan()),
                _ => return Ok(true),
            }
        }
        if a.is_small_int() && b.is_small_int() {
            return Ok(false);
        }
        if depth > MAX_DEPTH {
            raise!(self, RUNTIME_ERROR, "maximum recursion depth exceeded");
        }
        // Strings.
        if let (Some(x), Some(y)) = (self.str_of(a), self.str_of(b)) {
            return Ok(x == y);
        }
        // Numbers.
        if let Some(r) = crate::obj::int::num_eq(self, a, b) {
            return Ok(r);
        }
        if let Some(r) = crate::modules::array::buffer_compare(self, CmpOp::Eq, a, b)? {
            return Ok(r);
        }
        let (ha, hb) = (self.heap.get(a), self.heap.get(b));
        match (ha, hb) {
            (Some(HeapObj::List(x)), Some(HeapObj::List(y))) => {
                let (x, y) = (x.clone(), y.clone());
                self.seq_eq(&x, &y, depth)
            }
            (Some(HeapObj::Tuple(x)), Some(HeapObj::Tuple(y))) => {
                if x.len() != y.len() {
                    return Ok(false);
                }
                let (x, y) = (x.to_vec(), y.to_vec());
                self.seq_eq(&x, &y, depth)
            }
            (Some(HeapObj::Dict(_)), Some(HeapObj::Dict(_))) => {
                crate::obj::dict::dict_eq(self, a, b)
            }
            (Some(HeapObj::Set(..)), Some(HeapObj::Set(..))) => crate::obj::set::set_eq(self, a, b),
            (Some(x), Some(y)) => {
                if let (Some(p), Some(q)) = (
                    crate::obj::bytes::bytes_like(x),
                    crate::obj::bytes::bytes_like(y),
                ) {
                    return Ok(p == q);
                }
                match (x, y) {
                    (HeapObj::Range(r1), HeapObj::Range(r2)) => {
                        let (l1, l2) = (r1.len(), r2.len());
                        Ok(l1 == l2
                            && (l1 == 0
                                || (r1.start == r2.start && (l1 == 1 || r1.step == r2.step))))
                    }
                    (HeapObj::Slice(a1, b1, c1), HeapObj::Slice(a2, b2, c2)) => {
                        let (x, y) = ([*a1, *b1, *c1], [*a2, *b2, *c2]);
                        self.seq_eq(&x, &y, depth)
                    }
                    (HeapObj::BoundMethod(s1, f1), HeapObj::BoundMethod(s2, f2))
                    | (HeapObj::NativeBound(s1, f1), HeapObj::NativeBound(s2, f2)) => {
                        Ok(s1 == s2 && f1 == f2)
                    }
                    _ => Ok(false),
                }
            }
            _ => Ok(false),
        }
    }

    fn seq_eq(&mut self, x: &[Obj], y: &[Obj], depth: usize) -> PyResult<bool> {
        if x.len() != y.len() {
            return Ok(false);
        }
        for (&a, &b) in x.iter().zip(y) {
            if !self.eq_depth(a, b, depth + 1)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `a == b` or (`ne`) `a != b` when either is an instance of a Python class, as MicroPython
    /// does it: `__ne__` then `__eq__` of `a`, then of `b`; a Python method's result is the
    /// result, whatever its type.
    fn eq_ne_user(&mut self, a: Obj, b: Obj, ne: bool) -> PyResult<Obj> {
        if let Some(r) = crate::modules::collections::ordereddict_eq(self, a, b)? {
            return Ok(Obj::bool(r != ne));
        }
        for (x, y) in [(a, b), (b, a)] {
            if ne {
                if let Some(r) = self.call_user_special(x, q::__ne__, &[y])? {
                    if r != Obj::NOT_IMPLEMENTED {
                        return Ok(r);
                    }
                }
            }
            if let Some(r) = self.call_user_special(x, q::__eq__, &[y])? {
                if r != Obj::NOT_IMPLEMENTED {
                    return Ok(if ne { Obj::bool(!self.truthy(r)?) } else { r });
                }
            }
        }
        // Subclasses of built-in types compare by their value.
        let pa = self.native_payload(a).unwrap_or(a);
        let pb = self.native_payload(b).unwrap_or(b);
        let equal = if pa != a || pb != b {
            self.eq(pa, pb)?
        } else {
            a == b
        };
        Ok(Obj::bool(equal != ne))
    }

    /// `<`, `<=`, `>`, `>=` when either operand is an instance of a Python class: the special
    /// method of `a`, then the reflected one of `b`; their result is returned as is.
    fn order_user(&mut self, op: CmpOp, a: Obj, b: Obj) -> PyResult<Obj> {
        let (m, reflected) = match op {
            CmpOp::Lt => (q::__lt__, q::__gt__),
            CmpOp::Le => (q::__le__, q::__ge__),
            CmpOp::Gt => (q::__gt__, q::__lt__),
            _ => (q::__ge__, q::__le__),
        };
        for (x, y, name) in [(a, b, m), (b, a, reflected)] {
            if let Some(r) = self.call_user_special(x, name, &[y])? {
                if r != Obj::NOT_IMPLEMENTED {
                    return Ok(r);
                }
            }
        }
        // Subclasses of built-in types compare by their value.
        let pa = self.native_payload(a).unwrap_or(a);
        let pb = self.native_payload(b).unwrap_or(b);
        if (pa != a || pb != b) && !self.is_user_instance(pa) && !self.is_user_instance(pb) {
            return self.order(op, pa, pb).map(Obj::bool);
        }
        Err(self.unsupported_order(op, a, b))
    }

    /// `COMPARE_OP`.
    pub fn compare_op(&mut self, op: CmpOp, a: Obj, b: Obj) -> PyResult<Obj> {
        let user = self.is_user_instance(a) || self.is_user_instance(b);
        Ok(Obj::bool(match op {
            CmpOp::Is => a == b,
            CmpOp::IsNot => a != b,
            CmpOp::Eq | CmpOp::Ne if user => return self.eq_ne_user(a, b, op == CmpOp::Ne),
            CmpOp::Eq => self.eq(a, b)?,
            CmpOp::Ne => !self.eq(a, b)?,
            CmpOp::In => self.contains(b, a)?,
            CmpOp::NotIn => !self.contains(b, a)?,
            _ if user => return self.order_user(op, a, b),
            _ => self.order(op, a, b)?,
        }))
    }

    /// `<`, `<=`, `>`, `>=`.
    pub fn order(&mut self, op: CmpOp, a: Obj, b: Obj) -> PyResult<bool> {
        if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
            return Ok(apply_order(op, x.cmp(&y)));
        }
        if self.is_user_instance(a) || self.is_user_instance(b) {
            let r = self.order_user(op, a, b)?;
            return self.truthy(r);
        }
        if let Some(ord) = crate::obj::int::num_cmp(self, a, b) {
            return match ord {
                Some(o) => Ok(apply_order(op, o)),
                None => Ok(false), // NaN
            };
        }
        if let (Some(x), Some(y)) = (self.str_of(a), self.str_of(b)) {
            return Ok(apply_order(op, x.cmp(y)));
        }
        if let Some(r) = crate::modules::array::buffer_compare(self, op, a, b)? {
            return Ok(r);
        }
        let (ha, hb) = (self.heap.get(a), self.heap.get(b));
        if let (Some(x), Some(y)) = (ha, hb) {
            if let (Some(p), Some(q)) = (
                crate::obj::bytes::bytes_like(x),
                crate::obj::bytes::bytes_like(y),
            ) {
                return Ok(apply_order(op, p.cmp(q)));
            }
            let seqs = match (x, y) {
                (HeapObj::List(x), HeapObj::List(y)) => Some((x.clone(), y.clone())),
                (HeapObj::Tuple(x), HeapObj::Tuple(y)) => Some((x.to_vec(), y.to_vec())),
                _ => None,
            };
            if let Some((x, y)) = seqs {
                for (&p, &q) in x.iter().zip(&y) {
                    if !self.eq(p, q)? {
                        return self.order(op, p, q);
                    }
                }
                return Ok(apply_order(op, x.len().cmp(&y.len())));
            }
            if let (HeapObj::Set(..), HeapObj::Set(..)) = (x, y) {
                return crate::obj::set::set_order(self, op, a, b);
            }
        }
        Err(self.unsupported_order(op, a, b))
    }

    fn unsupported_order(&mut self, op: CmpOp, a: Obj, b: Obj) -> Obj {
        // MicroPython names the special method in the message.
        let sym = match op {
            CmpOp::Lt => "__lt__",
            CmpOp::Le => "__le__",
            CmpOp::Gt => "__gt__",
            _ => "__ge__",
        };
        let (ta, tb) = (
            String::from(self.type_name(a)),
            String::from(self.type_name(b)),
        );
        self.exc_fmt(
            ty::TYPE_ERROR,
            format_args!("unsupported types for {}: '{}', '{}'", sym, ta, tb),
        )
    }

    /// `x in container`.
    pub fn contains(&mut self, container: Obj, x: Obj) -> PyResult<bool> {
        if let Some(s) = self.str_of(container) {
            let Some(needle) = self.str_of(x) else {
                raise!(
                    self,
                    TYPE_ERROR,
                    "'in <string>' requires string as left operand"
                );
            };
            let found = crate::obj::strbytes::find(s.as_bytes(), needle.as_bytes(), false);
            return Ok(found.is_some());
        }
        match self.heap.get(container) {
            Some(HeapObj::List(l)) => {
                let items = l.clone();
                self.seq_contains(&items, x)
            }
            Some(HeapObj::Tuple(t)) => {
                let items = t.to_vec();
                self.seq_contains(&items, x)
            }
            Some(HeapObj::Dict(_)) => Ok(self.dict_get(container, x)?.is_some()),
            Some(HeapObj::Set(..)) => self.set_contains(container, x),
            Some(HeapObj::Range(r)) => {
                let r = **r;
                crate::obj::range::range_contains(self, &r, x)
            }
            Some(h) if crate::obj::bytes::bytes_like(h).is_some() => {
                crate::obj::bytes::bytes_contains(self, container, x)
            }
            Some(HeapObj::Array(_)) => crate::modules::array::array_contains(self, container, x),
            Some(HeapObj::Instance(_)) => {
                if let Some(r) = self.call_special(container, q::__contains__, &[x])? {
                    return self.truthy(r);
                }
                if let Some(n) = self.native_payload(container) {
                    return self.contains(n, x);
                }
                self.iter_contains(container, x)
            }
            _ => {
                if crate::obj::dict::is_dict_view(self, container) {
                    return crate::obj::dict::view_contains(self, container, x);
                }
                self.iter_contains(container, x)
            }
        }
    }

    fn seq_contains(&mut self, items: &[Obj], x: Obj) -> PyResult<bool> {
        for &it in items {
            if self.eq(it, x)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn iter_contains(&mut self, container: Obj, x: Obj) -> PyResult<bool> {
        let it = self.get_iter(container)?;
        self.roots.push(it);
        let r = (|| {
            while let Some(v) = self.iter_next(it)? {
                if self.eq(v, x)? {
                    return Ok(true);
                }
            }
            Ok(false)
        })();
        self.roots.pop();
        r
    }

    /// `BINARY_OP`.
    pub fn binary_op(&mut self, op: BinOp, a: Obj, b: Obj) -> PyResult<Obj> {
        // The fast path: small ints.
        if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
            if let Some(r) = crate::obj::int::small_binop(op, x, y) {
                return Ok(r);
            }
        }
        if self.is_user_instance(a) || self.is_user_instance(b) {
            return self.user_binop(op, a, b, None);
        }
        match crate::obj::builtin_binop(self, op, a, b)? {
            Some(r) => Ok(r),
            None => Err(self.unsupported_binop(op, a, b)),
        }
    }

    /// The `TypeError` for an operator the operands do not support.
    pub fn unsupported_binop(&mut self, op: BinOp, a: Obj, b: Obj) -> Obj {
        // MicroPython names the special method in the message.
        let method = String::from(self.qstr_str(binop_methods(op).0));
        let (ta, tb) = (
            String::from(self.type_name(a)),
            String::from(self.type_name(b)),
        );
        self.exc_fmt(
            ty::TYPE_ERROR,
            format_args!("unsupported types for {}: '{}', '{}'", method, ta, tb),
        )
    }

    fn user_binop(&mut self, op: BinOp, a: Obj, b: Obj, inplace: Option<Qstr>) -> PyResult<Obj> {
        let (m, r, _) = binop_methods(op);
        if let Some(im) = inplace {
            if self.is_user_instance(a) {
                if let Some(res) = self.call_special(a, im, &[b])? {
                    if res != Obj::NOT_IMPLEMENTED {
                        return Ok(res);
                    }
                }
            }
        }
        for (x, y, name) in [(a, b, m), (b, a, r)] {
            if let Some(res) = self.call_user_special(x, name, &[y])? {
                if res != Obj::NOT_IMPLEMENTED {
                    return Ok(res);
                }
            }
        }
        // Subclasses of built-in types use the built-in operation on their value.
        let pa = self.native_payload(a).unwrap_or(a);
        let pb = self.native_payload(b).unwrap_or(b);
        // `str % obj` and `bytes % obj` format any object.
        if op == BinOp::Mod
            && (self.str_of(pa).is_some() || matches!(self.heap.get(pa), Some(HeapObj::Bytes(_))))
        {
            if let Some(res) = crate::obj::builtin_binop(self, op, pa, b)? {
                return Ok(res);
            }
        }
        if (pa != a || pb != b) && !self.is_user_instance(pa) && !self.is_user_instance(pb) {
            if let Some(res) = crate::obj::builtin_binop(self, op, pa, pb)? {
                return Ok(res);
            }
        }
        Err(self.unsupported_binop(op, a, b))
    }

    /// `INPLACE_OP`: `a op= b`.
    pub fn inplace_op(&mut self, op: BinOp, a: Obj, b: Obj) -> PyResult<Obj> {
        if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
            if let Some(r) = crate::obj::int::small_binop(op, x, y) {
                return Ok(r);
            }
        }
        if self.is_user_instance(a) || self.is_user_instance(b) {
            let (_, _, im) = binop_methods(op);
            return self.user_binop(op, a, b, Some(im));
        }
        // Mutable built-ins change in place.
        match (op, self.heap.get(a)) {
            (BinOp::Add, Some(HeapObj::List(_))) => {
                self.list_extend(a, b)?;
                return Ok(a);
            }
            (BinOp::Add, Some(HeapObj::ByteArray(_))) => {
                crate::obj::bytes::bytearray_extend_obj(self, a, b)?;
                return Ok(a);
            }
            (BinOp::Add, Some(HeapObj::Array(_))) => {
                crate::modules::array::array_extend_obj(self, a, b)?;
                return Ok(a);
            }
            (BinOp::Mul, Some(HeapObj::List(_))) => {
                crate::obj::list::list_imul(self, a, b)?;
                return Ok(a);
            }
            (BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor, Some(HeapObj::Set(_, false))) => {
                if let Some(r) = crate::obj::set::set_inplace(self, op, a, b)? {
                    return Ok(r);
                }
            }
            (BinOp::Or, Some(HeapObj::Dict(_))) => {
                if matches!(self.heap.get(b), Some(HeapObj::Dict(_))) {
                    self.dict_update_from(a, b, false)?;
                    return Ok(a);
                }
            }
            _ => {}
        }
        self.binary_op(op, a, b)
    }

    /// `UNARY_OP` (except `not`).
    pub fn unary_op(&mut self, op: UnaryOp, a: Obj) -> PyResult<Obj> {
        if let Some(x) = a.as_small_int() {
            let x = x as i64;
            return match op {
                UnaryOp::Neg => self.new_int(-x),
                UnaryOp::Pos => Ok(a),
                UnaryOp::Invert => self.new_int(!x),
                UnaryOp::Not => Ok(Obj::bool(x == 0)),
            };
        }
        if self.is_user_instance(a) {
            let m = match op {
                UnaryOp::Neg => q::__neg__,
                UnaryOp::Pos => q::__pos__,
                UnaryOp::Invert => q::__invert__,
                UnaryOp::Not => return Ok(Obj::bool(!self.truthy(a)?)),
            };
            if let Some(r) = self.call_special(a, m, &[])? {
                return Ok(r);
            }
            if let Some(n) = self.native_payload(a) {
                return self.unary_op(op, n);
            }
        } else if let Some(r) = crate::obj::builtin_unop(self, op, a)? {
            return Ok(r);
        }
        let t = String::from(self.type_name(a));
        let sym = match op {
            UnaryOp::Neg => "__neg__",
            UnaryOp::Pos => "__pos__",
            _ => "__invert__",
        };
        raise!(self, TYPE_ERROR, "unsupported type for {}: '{}'", sym, t)
    }

    /// An int value as `i64` (for indices and counts): `TypeError` if not an int,
    /// `OverflowError` if too big.
    pub fn index_value(&mut self, o: Obj) -> PyResult<i64> {
        if let Some(i) = o.as_small_int() {
            return Ok(i as i64);
        }
        match Int::of(self, o) {
            Some(Int::Small(i)) => Ok(i),
            Some(Int::Big(b)) => match b.to_i64() {
                Some(v) => Ok(v),
                None => raise!(
                    self,
                    OVERFLOW_ERROR,
                    "overflow converting long int to machine word"
                ),
            },
            None => {
                if self.is_user_instance(o) {
                    if let Some(r) = self.call_special(o, q::__index__, &[])? {
                        return self.index_value(r);
                    }
                }
                let t = String::from(self.type_name(o));
                raise!(self, TYPE_ERROR, "can't convert {} to int", t)
            }
        }
    }

    /// The items of any iterable, as a vector.
    ///
    /// They gather in a list on the heap: so they are roots while the iterator runs, and
    /// their memory counts against the heap's budget as it grows (a `MemoryError` when the
    /// heap is full, never an allocation outside the budget that a board cannot serve).
    pub fn iter_to_vec(&mut self, o: Obj) -> PyResult<Vec<Obj>> {
        if let Some(len) = self.seq_ref(o).map(<[Obj]>::len) {
            // A working copy of a tuple's or list's items, with room for it.
            let mut items: Vec<Obj> = self.scratch_for(len)?;
            items.extend_from_slice(self.seq_ref(o).unwrap_or_default());
            return Ok(items);
        }
        let it = self.get_iter(o)?;
        self.roots.push(it);
        let mark = self.roots.len();
        let r = (|| {
            let list = self.new_list(Vec::new())?;
            self.roots.push(list);
            while let Some(v) = self.iter_next(it)? {
                self.list_append(list, v)?;
            }
            Ok(match self.heap.get_mut(list) {
                Some(HeapObj::List(items)) => core::mem::take(items),
                _ => Vec::new(),
            })
        })();
        self.roots.truncate(mark - 1);
        let items = r?;
        self.keep_all(&items)?;
        Ok(items)
    }

    /// `UNPACK_SEQUENCE`: exactly `n` items.
    pub fn unpack(&mut self, o: Obj, n: usize) -> PyResult<Vec<Obj>> {
        let items = self.iter_to_vec(o)?;
        if items.len() != n {
            if items.len() < n {
                raise!(
                    self,
                    VALUE_ERROR,
                    "need more than {} values to unpack",
                    items.len()
                );
            }
            raise!(
                self,
                VALUE_ERROR,
                "too many values to unpack (expected {})",
                n
            );
        }
        Ok(items)
    }
}

fn apply_order(op: CmpOp, o: core::cmp::Ordering) -> bool {
    use core::cmp::Ordering::*;
    match op {
        CmpOp::Lt => o == Less,
        CmpOp::Le => o != Greater,
        CmpOp::Gt => o == Greater,
        CmpOp::Ge => o != Less,
        CmpOp::Eq => o == Equal,
        _ => o != Equal,
    }
}
