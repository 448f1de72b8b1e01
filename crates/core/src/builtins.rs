//! The `builtins` module: built-in functions, and the lookup of every built-in name.

use alloc::string::String;
use alloc::vec::Vec;

use pyrite_compiler::bytecode::{BinOp, CmpOp};

use crate::native::{self, table, Kw, PyResult};
use crate::obj::int::Int;
use crate::object::{HeapObj, IterObj};
use crate::qstr::{q, Qstr};
use crate::types::{self, ty};
use crate::value::Obj;
use crate::vm::Vm;

/// `__build_class__`, as an object (for `LOAD_BUILD_CLASS`).
pub fn build_class_obj() -> Obj {
    const BUILD_CLASS: Obj = native::native_obj(
        table::BUILTINS,
        native::index_of(&BUILTINS, "__build_class__"),
    );
    BUILD_CLASS
}

/// The built-in value called `name`, if any: a function, a type, an exception class or a
/// constant.
pub fn lookup_builtin(vm: &Vm, name: Qstr) -> Option<Obj> {
    // Every built-in name (and miss) goes through the lookup cache under a pseudo-table id.
    const ALL_BUILTINS: u16 = u16::MAX - 1;
    if let Some(r) = vm.lookup_cache.get(ALL_BUILTINS, name) {
        return r;
    }
    let r = lookup_builtin_uncached(vm, name);
    vm.lookup_cache.put(ALL_BUILTINS, name, r);
    r
}

fn lookup_builtin_uncached(vm: &Vm, name: Qstr) -> Option<Obj> {
    let s = vm.qstr_str(name);
    if let Some((o, _)) = native::lookup(table::BUILTINS, s) {
        return Some(o);
    }
    match s {
        "None" => return Some(Obj::NONE),
        "True" => return Some(Obj::TRUE),
        "False" => return Some(Obj::FALSE),
        "Ellipsis" => return Some(Obj::ELLIPSIS),
        "NotImplemented" => return Some(Obj::NOT_IMPLEMENTED),
        "__debug__" => return Some(Obj::TRUE),
        "__name__" => return Some(Obj::qstr(q::__main__)),
        _ => {}
    }
    // Types (except the internal ones).
    for (i, t) in types::TYPES.iter().enumerate() {
        if t.name == s
            && !matches!(
                i as u16,
                ty::NONE
                    | ty::FUNCTION
                    | ty::BOUND_METHOD
                    | ty::BUILTIN_FUNCTION
                    | ty::MODULE
                    | ty::GENERATOR
                    | ty::COROUTINE
                    | ty::ASYNC_GENERATOR
                    | ty::CELL
                    | ty::CODE
                    | ty::ITERATOR
                    | ty::ELLIPSIS
                    | ty::NOT_IMPLEMENTED
                    | ty::DICT_KEYS
                    | ty::DICT_VALUES
                    | ty::DICT_ITEMS
                    | ty::SLICE
                    | ty::MEMORYVIEW
                    | ty::ARRAY
                    | ty::DEQUE
                    | ty::ORDERED_DICT
                    | ty::STRING_IO
                    | ty::BYTES_IO
                    | ty::IOBASE
                    | ty::TEXT_IO_WRAPPER
            )
        {
            return Some(Obj::builtin_type(i as u16));
        }
    }
    match s {
        "slice" => Some(Obj::builtin_type(ty::SLICE)),
        "memoryview" => Some(Obj::builtin_type(ty::MEMORYVIEW)),
        "RecursionError" => Some(Obj::builtin_type(ty::RUNTIME_ERROR)),
        "IOError" | "EnvironmentError" => Some(Obj::builtin_type(ty::OS_ERROR)),
        _ => None,
    }
}

fn arg1(vm: &mut Vm, args: &[Obj], name: &str) -> PyResult<Obj> {
    match args {
        [a] => Ok(*a),
        _ => raise!(
            vm,
            TYPE_ERROR,
            "{}() takes exactly one argument ({} given)",
            name,
            args.len()
        ),
    }
}

fn builtin_abs(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = arg1(vm, args, "abs")?;
    if let Some(i) = Int::of(vm, x) {
        return match i {
            Int::Small(v) if v != i64::MIN => vm.new_int(v.abs()),
            i => crate::obj::int::from_big(vm, i.to_big().abs()),
        };
    }
    match vm.heap.get(x) {
        Some(HeapObj::Float(f)) => {
            let f = *f;
            vm.new_float(f.abs())
        }
        Some(&HeapObj::Complex(re, im)) => vm.new_float(libm::hypot(re, im)),
        _ => {
            if let Some(r) = vm.call_special(x, q::__abs__, &[])? {
                return Ok(r);
            }
            let t = String::from(vm.type_name(x));
            raise!(vm, TYPE_ERROR, "unsupported type for abs(): '{}'", t)
        }
    }
}

fn builtin_all(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = arg1(vm, args, "all")?;
    let it = vm.get_iter(x)?;
    vm.roots.push(it);
    let r = (|| {
        while let Some(v) = vm.iter_next(it)? {
            if !vm.truthy(v)? {
                return Ok(Obj::FALSE);
            }
        }
        Ok(Obj::TRUE)
    })();
    vm.roots.pop();
    r
}

fn builtin_any(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = arg1(vm, args, "any")?;
    let it = vm.get_iter(x)?;
    vm.roots.push(it);
    let r = (|| {
        while let Some(v) = vm.iter_next(it)? {
            if vm.truthy(v)? {
                return Ok(Obj::TRUE);
            }
        }
        Ok(Obj::FALSE)
    })();
    vm.roots.pop();
    r
}

fn int_in_radix(vm: &mut Vm, args: &[Obj], radix: u32, prefix: &str, name: &str) -> PyResult<Obj> {
    let x = arg1(vm, args, name)?;
    let x = if Int::of(vm, x).is_none() && vm.is_user_instance(x) {
        match vm.call_special(x, q::__index__, &[])? {
            Some(r) => r,
            None => x,
        }
    } else {
        x
    };
    let Some(i) = Int::of(vm, x) else {
        let t = String::from(vm.type_name(x));
        raise!(vm, TYPE_ERROR, "can't convert {} to int", t);
    };
    let b = i.to_big();
    let mut s = String::new();
    if b.is_negative() {
        s.push('-');
    }
    s.push_str(prefix);
    s.push_str(&b.abs().to_str_radix(radix, false));
    vm.new_string(s)
}

fn builtin_bin(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    int_in_radix(vm, args, 2, "0b", "bin")
}

/// `open(file, mode="r", buffering=-1, encoding=None)`: through the mount table (`vfs`).
fn builtin_open(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let Some(&file) = args.first() else {
        let file = crate::modules::vfs::kwarg(vm, kw, "file", Obj::NULL);
        if file.is_null() {
            raise!(
                vm,
                TYPE_ERROR,
                "function missing required positional argument #1"
            );
        }
        let mode = crate::modules::vfs::kwarg(vm, kw, "mode", Obj::NULL);
        let mode = if mode.is_null() {
            vm.new_str("r")?
        } else {
            mode
        };
        return crate::vfs::open(vm, file, mode);
    };
    let mode = match args.get(1) {
        Some(&m) => m,
        None => match crate::modules::vfs::kwarg(vm, kw, "mode", Obj::NULL) {
            m if m.is_null() => vm.new_str("r")?,
            m => m,
        },
    };
    crate::vfs::open(vm, file, mode)
}

fn builtin_oct(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    int_in_radix(vm, args, 8, "0o", "oct")
}

fn builtin_hex(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    int_in_radix(vm, args, 16, "0x", "hex")
}

fn builtin_callable(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = arg1(vm, args, "callable")?;
    Ok(Obj::bool(is_callable(vm, x)?))
}

/// Whether `x` can be called (`callable(x)`).
pub(crate) fn is_callable(vm: &mut Vm, x: Obj) -> PyResult<bool> {
    Ok(x.as_native().is_some()
        || x.as_builtin_type().is_some()
        || match vm.heap.get(x) {
            Some(HeapObj::Function(_))
            | Some(HeapObj::BoundMethod(..))
            | Some(HeapObj::NativeBound(..))
            | Some(HeapObj::Class(_)) => true,
            Some(HeapObj::Instance(_)) => vm.lookup_special(x, q::__call__)?.is_some(),
            _ => false,
        })
}

fn builtin_chr(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = arg1(vm, args, "chr")?;
    let n = vm.index_value(x)?;
    match u32::try_from(n).ok().and_then(char::from_u32) {
        Some(c) => {
            let mut buf = [0u8; 4];
            vm.new_str(c.encode_utf8(&mut buf))
        }
        None => raise!(vm, VALUE_ERROR, "chr() arg not in range(0x110000)"),
    }
}

fn builtin_ord(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = arg1(vm, args, "ord")?;
    if let Some(s) = vm.str_of(x) {
        let mut it = s.chars();
        if let (Some(c), None) = (it.next(), it.next()) {
            return vm.new_int(c as i64);
        }
        let n = s.chars().count();
        raise!(
            vm,
            TYPE_ERROR,
            "ord() expected a character, but string of length {} found",
            n
        );
    }
    if let Some(b) = vm.heap.get(x).and_then(crate::obj::bytes::bytes_like) {
        if b.len() == 1 {
            let v = b[0] as i64;
            return vm.new_int(v);
        }
        let n = b.len();
        raise!(
            vm,
            TYPE_ERROR,
            "ord() expected a character, but string of length {} found",
            n
        );
    }
    let t = String::from(vm.type_name(x));
    raise!(
        vm,
        TYPE_ERROR,
        "ord() expected string of length 1, but {} found",
        t
    )
}

fn name_arg(vm: &mut Vm, o: Obj) -> PyResult<Qstr> {
    match vm.str_to_qstr(o)? {
        Some(q) => Ok(q),
        None => raise!(vm, TYPE_ERROR, "attribute name must be string"),
    }
}

fn builtin_getattr(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() < 2 || args.len() > 3 {
        raise!(vm, TYPE_ERROR, "getattr expected 2 or 3 arguments");
    }
    let name = name_arg(vm, args[1])?;
    match args.get(2) {
        None => vm.getattr(args[0], name),
        Some(&dflt) => match vm.getattr(args[0], name) {
            Ok(v) => Ok(v),
            Err(e) if vm.exc_is(e, ty::ATTRIBUTE_ERROR) => Ok(dflt),
            Err(e) => Err(e),
        },
    }
}

fn builtin_setattr(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() != 3 {
        raise!(vm, TYPE_ERROR, "setattr expected 3 arguments");
    }
    let name = name_arg(vm, args[1])?;
    vm.setattr(args[0], name, args[2])?;
    Ok(Obj::NONE)
}

fn builtin_delattr(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() != 2 {
        raise!(vm, TYPE_ERROR, "delattr expected 2 arguments");
    }
    let name = name_arg(vm, args[1])?;
    vm.delattr(args[0], name)?;
    Ok(Obj::NONE)
}

fn builtin_hasattr(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() != 2 {
        raise!(vm, TYPE_ERROR, "hasattr expected 2 arguments");
    }
    let name = name_arg(vm, args[1])?;
    match vm.getattr(args[0], name) {
        Ok(_) => Ok(Obj::TRUE),
        Err(e) if vm.exc_is(e, ty::ATTRIBUTE_ERROR) => Ok(Obj::FALSE),
        Err(e) => Err(e),
    }
}

fn builtin_hash(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = arg1(vm, args, "hash")?;
    let h = vm.hash(x)?;
    // A small int hashes to itself; other hashes are truncated to the small-int range as
    // MicroPython does, so a hash that fits (an integral float's) is kept.
    if let Some(i) = x.as_small_int() {
        return Ok(Obj::small_int_unchecked(i));
    }
    vm.new_int(((h << 1) as i32 >> 1) as i64)
}

fn builtin_id(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = arg1(vm, args, "id")?;
    vm.new_int(x.bits() as i64)
}

fn builtin_isinstance(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() != 2 {
        raise!(vm, TYPE_ERROR, "isinstance expected 2 arguments");
    }
    let t = vm.type_of(args[0]);
    class_check(vm, t, args[1], "isinstance")
}

fn builtin_issubclass(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() != 2 {
        raise!(vm, TYPE_ERROR, "issubclass expected 2 arguments");
    }
    if !vm.is_class(args[0]) {
        raise!(vm, TYPE_ERROR, "issubclass() arg 1 must be a class");
    }
    class_check(vm, args[0], args[1], "issubclass")
}

fn class_check(vm: &mut Vm, c: Obj, spec: Obj, name: &str) -> PyResult<Obj> {
    if let Some(items) = vm.heap.get(spec).and_then(|h| match h {
        HeapObj::Tuple(t) => Some(t.to_vec()),
        _ => None,
    }) {
        for it in items {
            if class_check(vm, c, it, name)? == Obj::TRUE {
                return Ok(Obj::TRUE);
            }
        }
        return Ok(Obj::FALSE);
    }
    if !vm.is_class(spec) {
        raise!(
            vm,
            TYPE_ERROR,
            "{}() arg 2 must be a class or a tuple of classes",
            name
        );
    }
    Ok(Obj::bool(vm.class_is_subclass(c, spec)))
}

fn builtin_iter(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    match args {
        [x] => vm.get_iter(*x),
        [f, sentinel] => vm.new_iter(IterObj::Callable {
            func: *f,
            sentinel: *sentinel,
        }),
        _ => raise!(vm, TYPE_ERROR, "iter expected 1 or 2 arguments"),
    }
}

fn builtin_next(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (it, dflt) = match args {
        [it] => (*it, None),
        [it, d] => (*it, Some(*d)),
        _ => raise!(vm, TYPE_ERROR, "next expected 1 or 2 arguments"),
    };
    match vm.iter_next_value(it)? {
        Ok(v) => Ok(v),
        Err(ret) => match dflt {
            Some(d) => Ok(d),
            None => {
                if ret == Obj::NONE {
                    Err(vm.exc(ty::STOP_ITERATION, ""))
                } else {
                    Err(vm.exc_with_arg(ty::STOP_ITERATION, ret))
                }
            }
        },
    }
}

/// `len(o)`.
pub fn builtin_len(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = arg1(vm, args, "len")?;
    let n = vm.len(x)?;
    vm.new_int(n as i64)
}

impl Vm {
    /// `len(o)`.
    pub fn len(&mut self, x: Obj) -> PyResult<usize> {
        if let Some(q) = x.as_qstr() {
            return Ok(self.qstr_str(q).chars().count());
        }
        let n = match self.heap.get(x) {
            Some(HeapObj::Str(s)) => s.chars as usize,
            Some(HeapObj::Bytes(b)) => b.len(),
            Some(HeapObj::ByteArray(b)) => b.len(),
            Some(HeapObj::List(l)) => l.len(),
            Some(HeapObj::Tuple(t)) => t.len(),
            Some(HeapObj::Dict(d)) | Some(HeapObj::Set(d, _)) => d.len(),
            Some(HeapObj::Range(r)) => match r.len_usize() {
                Some(n) => n,
                None => raise!(
                    self,
                    OVERFLOW_ERROR,
                    "overflow converting long int to machine word"
                ),
            },
            Some(HeapObj::MemoryView(m)) => m.len,
            Some(HeapObj::Array(a)) => a.len(),
            Some(HeapObj::Deque(d)) => d.items.len(),
            Some(HeapObj::Instance(_)) => {
                if let Some(n) = crate::obj::dict::view_len(self, x) {
                    return Ok(n);
                }
                if let Some(r) = self.call_special(x, q::__len__, &[])? {
                    let n = self.index_value(r)?;
                    if n < 0 {
                        raise!(self, VALUE_ERROR, "__len__() should return >= 0");
                    }
                    return Ok(n as usize);
                }
                if let Some(n) = self.native_payload(x) {
                    return self.len(n);
                }
                let t = String::from(self.type_name(x));
                raise!(self, TYPE_ERROR, "object of type '{}' has no len()", t)
            }
            _ => {
                let t = String::from(self.type_name(x));
                raise!(self, TYPE_ERROR, "object of type '{}' has no len()", t)
            }
        };
        Ok(n)
    }
}

fn min_max(vm: &mut Vm, args: &[Obj], kw: Kw, op: CmpOp, name: &str) -> PyResult<Obj> {
    let mut key = Obj::NONE;
    let mut dflt = None;
    for &(k, v) in kw {
        match vm.qstr_str(k) {
            "key" => key = v,
            "default" => dflt = Some(v),
            _ => raise!(vm, TYPE_ERROR, "unexpected keyword argument"),
        }
    }
    let items = match args {
        [] => raise!(vm, TYPE_ERROR, "{} expected 1 argument, got 0", name),
        [x] => vm.iter_to_vec(*x)?,
        many => many.to_vec(),
    };
    if items.is_empty() {
        if let Some(d) = dflt {
            return Ok(d);
        }
        raise!(vm, VALUE_ERROR, "{}() arg is an empty sequence", name);
    }
    let mut best = items[0];
    let mut best_key = if key == Obj::NONE {
        best
    } else {
        vm.call(key, &[best], &[])?
    };
    vm.heap.keep(best_key);
    for &it in &items[1..] {
        let k = if key == Obj::NONE {
            it
        } else {
            vm.call(key, &[it], &[])?
        };
        vm.heap.keep(k);
        if vm.order(op, k, best_key)? {
            best = it;
            best_key = k;
        }
    }
    Ok(best)
}

fn builtin_min(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    min_max(vm, args, kw, CmpOp::Lt, "min")
}

fn builtin_max(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    min_max(vm, args, kw, CmpOp::Gt, "max")
}

fn builtin_sum(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (x, start) = match args {
        [x] => (*x, Obj::small_int_unchecked(0)),
        [x, s] => (*x, *s),
        _ => raise!(vm, TYPE_ERROR, "sum expected 1 or 2 arguments"),
    };
    let items = vm.iter_to_vec(x)?;
    let mut acc = start;
    for it in items {
        acc = vm.binary_op(BinOp::Add, acc, it)?;
        vm.heap.keep(acc);
    }
    Ok(acc)
}

fn builtin_pow(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    match args {
        [a, b] | [a, b, Obj::NONE] => vm.binary_op(BinOp::Pow, *a, *b),
        [a, b, m] => crate::obj::int::int_pow_mod(vm, *a, *b, *m),
        _ => raise!(vm, TYPE_ERROR, "pow expected 2 or 3 arguments"),
    }
}

fn builtin_divmod(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [a, b] = args else {
        raise!(vm, TYPE_ERROR, "divmod expected 2 arguments");
    };
    let d = vm.binary_op(BinOp::FloorDiv, *a, *b)?;
    let m = vm.binary_op(BinOp::Mod, *a, *b)?;
    vm.new_tuple(&[d, m])
}

fn builtin_round(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (x, nd) = match args {
        [x] => (*x, None),
        [x, n] if *n == Obj::NONE => (*x, None),
        [x, n] => (*x, Some(vm.index_value(*n)?)),
        _ => raise!(vm, TYPE_ERROR, "round expected 1 or 2 arguments"),
    };
    if let Some(i) = Int::of(vm, x) {
        return match nd {
            Some(n) if n < 0 && n.unsigned_abs() > i.to_big().bit_length() + 1 => {
                Ok(Obj::small_int_unchecked(0))
            }
            Some(n) if n < 0 => {
                // Round to a multiple of 10**-n, half to even.
                let p = crate::obj::int::from_big(
                    vm,
                    pyrite_mpz::BigInt::from_i64(10).pow(n.unsigned_abs()),
                )?;
                let xb = vm
                    .new_int(0)
                    .and_then(|_| crate::obj::int::from_big(vm, i.to_big()))?;
                let q = vm.binary_op(BinOp::FloorDiv, xb, p)?;
                let r = vm.binary_op(BinOp::Mod, xb, p)?;
                let twice = vm.binary_op(BinOp::Mul, r, Obj::small_int_unchecked(2))?;
                let up = vm.order(CmpOp::Gt, twice, p)?
                    || (vm.eq(twice, p)?
                        && vm.binary_op(BinOp::Mod, q, Obj::small_int_unchecked(2))?
                            != Obj::small_int_unchecked(0));
                let q = if up {
                    vm.binary_op(BinOp::Add, q, Obj::small_int_unchecked(1))?
                } else {
                    q
                };
                vm.binary_op(BinOp::Mul, q, p)
            }
            _ if x == Obj::TRUE => Ok(Obj::small_int_unchecked(1)),
            _ if x == Obj::FALSE => Ok(Obj::small_int_unchecked(0)),
            _ => Ok(x),
        };
    }
    if let Some(HeapObj::Float(f)) = vm.heap.get(x) {
        let f = *f;
        return match nd {
            None => {
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
                crate::obj::int::float_to_int(vm, pyrite_numfmt::round_half_even(f))
            }
            Some(n) => vm.new_float(pyrite_numfmt::round(f, n)),
        };
    }
    if let Some(r) = vm.call_special(x, q::__round__, args.get(1..).unwrap_or(&[]))? {
        return Ok(r);
    }
    let t = String::from(vm.type_name(x));
    raise!(vm, TYPE_ERROR, "type {} doesn't define __round__ method", t)
}

fn builtin_repr(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = arg1(vm, args, "repr")?;
    let s = vm.repr(x)?;
    vm.new_string(s)
}

fn builtin_ascii(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let x = arg1(vm, args, "ascii")?;
    let s = vm.repr(x)?;
    let s = crate::obj::str::ascii_escape(&s);
    vm.new_string(s)
}

fn builtin_format(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    match args {
        [v] => vm.format(*v, Obj::NULL),
        [v, s] => vm.format(*v, *s),
        _ => raise!(vm, TYPE_ERROR, "format expected 1 or 2 arguments"),
    }
}

fn builtin_sorted(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let x = arg1(vm, args, "sorted")?;
    let (key, reverse) = crate::obj::list::sort_kwargs(vm, kw)?;
    let mut v = vm.iter_to_vec(x)?;
    let mut items: Vec<Obj> = vm.buffer_for(v.len())?;
    items.extend_from_slice(&v);
    let l = vm.new_list(items)?;
    vm.roots.push(l);
    let r = crate::obj::list::sort_objs(vm, &mut v, key, reverse);
    vm.roots.pop();
    r?;
    if let Some(HeapObj::List(items)) = vm.heap.get_mut(l) {
        *items = v;
    }
    Ok(l)
}

fn builtin_print(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let mut sep = String::from(" ");
    let mut end = String::from("\n");
    let mut file = Obj::NONE;
    for &(k, v) in kw {
        match vm.qstr_str(k) {
            "sep" if v != Obj::NONE => sep = crate::obj::str::str_arg(vm, v)?,
            "end" if v != Obj::NONE => end = crate::obj::str::str_arg(vm, v)?,
            "file" => file = v,
            "sep" | "end" | "flush" => {}
            _ => raise!(vm, TYPE_ERROR, "unexpected keyword argument"),
        }
    }
    // A Python stream gets one `write` per piece, as MicroPython's print does.
    let piecewise = file != Obj::NONE && file.as_builtin_module().is_none();
    let mut out = String::new();
    for (i, &a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        if piecewise && !out.is_empty() {
            crate::modules::sys::write_to(vm, file, &out)?;
            out.clear();
        }
        out.push_str(&vm.to_str(a)?);
        if piecewise {
            crate::modules::sys::write_to(vm, file, &out)?;
            out.clear();
        }
    }
    out.push_str(&end);
    if !out.is_empty() || !piecewise {
        crate::modules::sys::write_to(vm, file, &out)?;
    }
    Ok(Obj::NONE)
}

fn builtin_input(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if let Some(&p) = args.first() {
        let s = vm.to_str(p)?;
        vm.port.stdout(s.as_bytes());
    }
    match vm.port.read_line() {
        crate::port::Input::Line(l) => vm.new_string(l),
        crate::port::Input::Eof => raise!(vm, EOF_ERROR, ""),
        crate::port::Input::Interrupted => raise!(vm, KEYBOARD_INTERRUPT, ""),
    }
}

fn builtin_globals(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(vm.frames.last().map_or(Obj::NONE, |f| f.globals))
}

fn builtin_locals(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(f) = vm.frames.last() else {
        return Ok(Obj::NONE);
    };
    if !f.locals.is_null() {
        return Ok(f.locals);
    }
    if f.func.is_null() {
        return Ok(f.globals);
    }
    // A function: a fresh dict of its bound fast locals.
    let code = f.code;
    let values: Vec<Obj> = f.slots[..f.nlocals].to_vec();
    let names: Vec<Qstr> = match vm.heap.get(code) {
        Some(HeapObj::Code(c)) => c.varnames.to_vec(),
        _ => Vec::new(),
    };
    let d = vm.new_dict()?;
    for (n, v) in names.into_iter().zip(values) {
        if !v.is_null() {
            vm.dict_set(d, Obj::qstr(n), v)?;
        }
    }
    Ok(d)
}

fn builtin_dir(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let mut names: Vec<Obj> = Vec::new();
    match args.first() {
        None => {
            let ns = builtin_locals(vm, &[], &[])?;
            names = vm.dict_items(ns).into_iter().map(|(k, _)| k).collect();
        }
        Some(&o) => {
            let mut dicts = Vec::new();
            match vm.heap.get(o) {
                Some(HeapObj::Module(m)) => dicts.push(m.dict),
                Some(HeapObj::Instance(i)) if !i.dict.is_null() => dicts.push(i.dict),
                _ => {}
            }
            let cls = if vm.is_class(o) { o } else { vm.type_of(o) };
            for c in crate::obj::type_::mro_of(vm, cls) {
                if let Some(t) = c.as_builtin_type() {
                    let tab = types::info(t).methods;
                    let consts = types::class_consts(t).iter().map(|c| c.0);
                    if let Some(entries) = native::TABLES.get(tab as usize) {
                        for n in entries.iter().map(|n| n.name_str()).chain(consts) {
                            let s = vm.new_str(n)?;
                            vm.heap.keep(s);
                            names.push(s);
                        }
                    }
                } else if let Some(HeapObj::Class(cl)) = vm.heap.get(c) {
                    dicts.push(cl.dict);
                }
            }
            if let Some(m) = o.as_builtin_module() {
                for n in crate::modules::module_names(m) {
                    let s = vm.new_str(n)?;
                    vm.heap.keep(s);
                    names.push(s);
                }
            }
            for d in dicts {
                names.extend(vm.dict_items(d).into_iter().map(|(k, _)| k));
            }
        }
    }
    // Unique, sorted: each name goes in at its place (no sort routine to carry in flash).
    let mut seen: Vec<String> = Vec::with_capacity(names.len());
    for s in names.iter().filter_map(|&n| vm.str_of(n)) {
        if let Err(i) = seen.binary_search_by(|x| x.as_str().cmp(s)) {
            seen.insert(i, String::from(s));
        }
    }
    let mut out = Vec::with_capacity(seen.len());
    for s in seen {
        let o = vm.new_string(s)?;
        vm.heap.keep(o);
        out.push(o);
    }
    vm.new_list(out)
}

fn builtin_eval(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    exec_or_eval(vm, args, pyrite_compiler::Mode::Eval)
}

fn builtin_exec(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    exec_or_eval(vm, args, pyrite_compiler::Mode::Exec)?;
    Ok(Obj::NONE)
}

fn exec_or_eval(vm: &mut Vm, args: &[Obj], mode: pyrite_compiler::Mode) -> PyResult<Obj> {
    let Some(&src) = args.first() else {
        raise!(vm, TYPE_ERROR, "expected at least 1 argument");
    };
    let (cur_globals, cur_locals) = match vm.frames.last() {
        Some(f) => (
            f.globals,
            if f.locals.is_null() {
                f.globals
            } else {
                f.locals
            },
        ),
        None => (vm.main_globals, vm.main_globals),
    };
    let globals = match args.get(1) {
        Some(&g) if g != Obj::NONE => g,
        _ => cur_globals,
    };
    let locals = match args.get(2) {
        Some(&l) if l != Obj::NONE => l,
        _ if args.get(1).is_some_and(|&g| g != Obj::NONE) => globals,
        _ => cur_locals,
    };
    if !matches!(vm.heap.get(globals), Some(HeapObj::Dict(_))) {
        raise!(vm, TYPE_ERROR, "globals must be a dict");
    }
    if !matches!(vm.heap.get(locals), Some(HeapObj::Dict(_))) {
        raise!(vm, TYPE_ERROR, "locals must be a dict");
    }
    let code = if matches!(vm.heap.get(src), Some(HeapObj::Code(_))) {
        src
    } else {
        // The compiler's own copy of the source, only with room for it beside the heap.
        let text = match vm.str_of(src) {
            Some(_) => crate::obj::str::str_arg(vm, src)?,
            None => {
                let b = crate::obj::bytes::buffer_of(vm, src)?;
                String::from_utf8(b)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
            }
        };
        vm.compile_source(&text, "<string>", mode)?
    };
    vm.run_code(code, globals, locals)
}

fn builtin_compile(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if args.len() < 3 {
        raise!(vm, TYPE_ERROR, "compile expected 3 arguments");
    }
    let text = crate::obj::str::str_arg(vm, args[0])?;
    let file = crate::obj::str::str_arg(vm, args[1])?;
    let mode = match vm.str_of(args[2]) {
        Some("exec") => pyrite_compiler::Mode::Exec,
        Some("eval") => pyrite_compiler::Mode::Eval,
        Some("single") => pyrite_compiler::Mode::Single,
        _ => raise!(vm, VALUE_ERROR, "bad compile mode"),
    };
    vm.compile_source(&text, &file, mode)
}

fn builtin_build_class(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    crate::obj::type_::build_class(vm, args, kw)
}

fn builtin_import(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(&name) = args.first() else {
        raise!(vm, TYPE_ERROR, "__import__ expected at least 1 argument");
    };
    let Some(n) = vm.str_to_qstr(name)? else {
        raise!(vm, TYPE_ERROR, "module name must be a string");
    };
    let fromlist = args.get(3).copied().unwrap_or(Obj::NONE);
    let level = args.get(4).copied().unwrap_or(Obj::small_int_unchecked(0));
    vm.import_name(n, fromlist, level)
}

/// Calls one of the iterator types (`enumerate`, `zip`, `map`, `filter`, `reversed`).
pub fn iterator_type_call(vm: &mut Vm, t: u16, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    match t {
        ty::ENUMERATE => {
            let mut start = Obj::small_int_unchecked(0);
            let mut iterable = args.first().copied();
            for &(k, v) in kw {
                match vm.qstr_str(k) {
                    "start" => start = v,
                    "iterable" => iterable = Some(v),
                    _ => {}
                }
            }
            if let Some(&s) = args.get(1) {
                start = s;
            }
            let Some(x) = iterable else {
                raise!(vm, TYPE_ERROR, "enumerate expected at least 1 argument");
            };
            let it = vm.get_iter(x)?;
            vm.new_iter(IterObj::Enumerate {
                iter: it,
                count: start,
            })
        }
        ty::ZIP => {
            let mut iters = Vec::with_capacity(args.len());
            for &a in args {
                let it = vm.get_iter(a)?;
                vm.heap.keep(it);
                iters.push(it);
            }
            vm.new_iter(IterObj::Zip { iters })
        }
        ty::MAP => {
            if args.len() < 2 {
                raise!(vm, TYPE_ERROR, "map expected at least 2 arguments");
            }
            let mut iters = Vec::with_capacity(args.len() - 1);
            for &a in &args[1..] {
                let it = vm.get_iter(a)?;
                vm.heap.keep(it);
                iters.push(it);
            }
            vm.new_iter(IterObj::Map {
                func: args[0],
                iters,
            })
        }
        ty::FILTER => {
            let [f, x] = args else {
                raise!(vm, TYPE_ERROR, "filter expected 2 arguments");
            };
            let it = vm.get_iter(*x)?;
            vm.new_iter(IterObj::Filter { func: *f, iter: it })
        }
        _ => {
            let x = arg1(vm, args, "reversed")?;
            if vm.is_user_instance(x) {
                if let Some(r) = vm.call_special(x, q::__reversed__, &[])? {
                    return Ok(r);
                }
            }
            let n = vm.len(x)?;
            vm.new_iter(IterObj::Reversed { seq: x, left: n })
        }
    }
}

crate::native_table!(pub BUILTINS = [
    ("__build_class__", builtin_build_class),
    ("__import__", builtin_import),
    ("abs", builtin_abs),
    ("all", builtin_all),
    ("any", builtin_any),
    ("ascii", builtin_ascii),
    ("bin", builtin_bin),
    ("callable", builtin_callable),
    ("chr", builtin_chr),
    ("compile", builtin_compile),
    ("delattr", builtin_delattr),
    ("dir", builtin_dir),
    ("divmod", builtin_divmod),
    ("eval", builtin_eval),
    ("exec", builtin_exec),
    ("format", builtin_format),
    ("getattr", builtin_getattr),
    ("globals", builtin_globals),
    ("hasattr", builtin_hasattr),
    ("hash", builtin_hash),
    ("hex", builtin_hex),
    ("id", builtin_id),
    ("input", builtin_input),
    ("isinstance", builtin_isinstance),
    ("issubclass", builtin_issubclass),
    ("iter", builtin_iter),
    ("len", builtin_len),
    ("locals", builtin_locals),
    ("max", builtin_max),
    ("min", builtin_min),
    ("next", builtin_next),
    ("oct", builtin_oct),
    ("open", builtin_open),
    ("ord", builtin_ord),
    ("pow", builtin_pow),
    ("print", builtin_print),
    ("repr", builtin_repr),
    ("round", builtin_round),
    ("setattr", builtin_setattr),
    ("sorted", builtin_sorted),
    ("sum", builtin_sum),
]);
