//! Built-in types: one file per type, plus the dispatch shared by all of them.

pub mod binary;
pub mod bytes;
pub mod complex;
pub mod dict;
pub mod exc;
pub mod float;
pub mod func;
pub mod gen;
pub mod int;
pub mod iter;
pub mod list;
pub mod memoryview;
pub mod object;
pub mod range;
pub mod repr;
pub mod set;
pub mod str;
pub mod str_format;
pub mod strbytes;
pub mod subscr;
pub mod tuple;
pub mod type_;

use pyrite_compiler::bytecode::{BinOp, UnaryOp};

use crate::native::PyResult;
use crate::object::HeapObj;
use crate::qstr::{q, Qstr};
use crate::value::Obj;
use crate::vm::Vm;

/// A binary operator on built-in values: `None` when the types do not support it.
pub fn builtin_binop(vm: &mut Vm, op: BinOp, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    if let Some(r) = int::int_binop(vm, op, a, b)? {
        return Ok(Some(r));
    }
    if let Some(r) = float::float_binop(vm, op, a, b)? {
        return Ok(Some(r));
    }
    if let Some(r) = complex::complex_binop(vm, op, a, b)? {
        return Ok(Some(r));
    }
    if vm.str_of(a).is_some() {
        return str::str_binop(vm, op, a, b);
    }
    match vm.heap.get(a) {
        Some(HeapObj::List(_)) => list::list_binop(vm, op, a, b),
        Some(HeapObj::Tuple(_)) => tuple::tuple_binop(vm, op, a, b),
        Some(HeapObj::Bytes(_)) | Some(HeapObj::ByteArray(_)) => bytes::bytes_binop(vm, op, a, b),
        Some(HeapObj::Set(..)) => set::set_binop(vm, op, a, b),
        Some(HeapObj::Dict(_)) => dict::dict_binop(vm, op, a, b),
        Some(HeapObj::Array(_)) => crate::modules::array::array_binop(vm, op, a, b),
        _ => {
            // `int * seq`.
            if op == BinOp::Mul && int::Int::of(vm, a).is_some() {
                match vm.heap.get(b) {
                    Some(HeapObj::List(_))
                    | Some(HeapObj::Tuple(_))
                    | Some(HeapObj::Bytes(_))
                    | Some(HeapObj::ByteArray(_))
                    | Some(HeapObj::Str(_)) => return builtin_binop(vm, op, b, a),
                    _ if b.as_qstr().is_some() => return builtin_binop(vm, op, b, a),
                    _ => {}
                }
            }
            Ok(None)
        }
    }
}

/// A unary operator on built-in values: `None` when the type does not support it.
pub fn builtin_unop(vm: &mut Vm, op: UnaryOp, a: Obj) -> PyResult<Option<Obj>> {
    if let Some(r) = int::int_unop(vm, op, a)? {
        return Ok(Some(r));
    }
    if let Some(r) = float::float_unop(vm, op, a)? {
        return Ok(Some(r));
    }
    complex::complex_unop(vm, op, a)
}

/// The item at position `i` of a sequence being iterated, and how far to advance (`None`
/// at the end). Strings advance by the UTF-8 length of the character.
pub fn seq_iter_item(vm: &mut Vm, seq: Obj, i: usize) -> PyResult<(Option<Obj>, usize)> {
    if let Some(s) = vm.str_of(seq) {
        let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else {
            return Ok((None, 0));
        };
        let mut buf = [0u8; 4];
        let cs: &str = c.encode_utf8(&mut buf);
        let o = vm.new_str(cs)?;
        return Ok((Some(o), c.len_utf8()));
    }
    let v = match vm.heap.get(seq) {
        Some(HeapObj::MemoryView(_)) => {
            return Ok((memoryview::memoryview_iter_item(vm, seq, i)?, 1))
        }
        Some(HeapObj::Array(_)) => return Ok((crate::modules::array::array_item(vm, seq, i)?, 1)),
        Some(HeapObj::Deque(_)) => crate::modules::collections::deque_item(vm, seq, i),
        Some(HeapObj::List(l)) => l.get(i).copied(),
        Some(HeapObj::Tuple(t)) => t.get(i).copied(),
        Some(h) => match bytes::bytes_like(h) {
            Some(b) => b.get(i).map(|&x| Obj::small_int_unchecked(x as i32)),
            None => None,
        },
        None => None,
    };
    Ok((v, 1))
}

/// Attributes of built-in values that are not methods (`z.real`, `f.__name__`, `e.args`).
pub fn special_attr(vm: &mut Vm, o: Obj, name: Qstr) -> PyResult<Option<Obj>> {
    if name == q::__class__ {
        return Ok(Some(vm.type_of(o)));
    }
    match vm.heap.get(o) {
        Some(HeapObj::Complex(re, im)) => {
            let (re, im) = (*re, *im);
            if name == q::real {
                return vm.new_float(re).map(Some);
            }
            if name == q::imag {
                return vm.new_float(im).map(Some);
            }
            Ok(None)
        }
        Some(HeapObj::Exception(_)) => exc::exc_attr(vm, o, name),
        Some(HeapObj::MemoryView(_)) => memoryview::memoryview_attr(vm, o, name),
        Some(HeapObj::UStruct(_)) => crate::modules::uctypes::struct_attr(vm, o, name),
        Some(HeapObj::Function(_))
        | Some(HeapObj::BoundMethod(..))
        | Some(HeapObj::Generator(_))
        | Some(HeapObj::Property(..))
        | Some(HeapObj::ClassMethod(_))
        | Some(HeapObj::StaticMethod(_))
        | Some(HeapObj::NativeBound(..)) => func::func_attr(vm, o, name),
        Some(HeapObj::Slice(a, b, c)) => {
            let (a, b, c) = (*a, *b, *c);
            Ok(if name == q::start {
                Some(a)
            } else if name == q::stop {
                Some(b)
            } else if name == q::step {
                Some(c)
            } else {
                None
            })
        }
        Some(HeapObj::Range(r)) => {
            let r = **r;
            if name == q::start {
                return vm.new_int(r.start).map(Some);
            }
            if name == q::stop {
                return vm.new_int(r.stop).map(Some);
            }
            if name == q::step {
                return vm.new_int(r.step).map(Some);
            }
            Ok(None)
        }
        _ => {
            if let Some(n) = o.as_native() {
                let _ = n;
                if name == q::__name__ {
                    let n = crate::native::native_of(o).map_or("?", |n| n.name_str());
                    return vm.new_str(n).map(Some);
                }
            }
            if int::Int::of(vm, o).is_some() && (name == q::real || name == q::imag) {
                return Ok(Some(if name == q::real {
                    o
                } else {
                    Obj::small_int_unchecked(0)
                }));
            }
            if let Some(HeapObj::Float(f)) = vm.heap.get(o) {
                let f = *f;
                if name == q::real {
                    return Ok(Some(o));
                }
                if name == q::imag {
                    let _ = f;
                    return vm.new_float(0.0).map(Some);
                }
            }
            Ok(None)
        }
    }
}
