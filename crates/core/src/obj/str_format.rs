//! `str.format()` and `%` formatting of strings.

use alloc::string::String;
use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// `format` of `str`, `bytes` and `bytearray`: the result has the type of `self`.
pub fn text_format(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let t = crate::obj::strbytes::self_text(vm, args)?;
    let fmt = String::from_utf8_lossy(&t.data).into_owned();
    let mut numbering = Numbering::default();
    let out = format_fields(vm, &fmt, &args[1..], kw, &mut numbering, 0)?;
    crate::obj::strbytes::new_text(vm, t.kind, out.into_bytes())
}

/// How `{}` fields are numbered: automatically or by explicit index, never both. Nested
/// fields in a spec continue the numbering of the outer string.
#[derive(Default)]
struct Numbering {
    auto: usize,
    manual: bool,
}

/// `fmt.format(*args, **kw)`; `depth` counts fields nested in specs.
fn format_fields(
    vm: &mut Vm,
    fmt: &str,
    args: &[Obj],
    kw: Kw,
    numbering: &mut Numbering,
    depth: usize,
) -> PyResult<String> {
    if depth > 2 {
        raise!(vm, VALUE_ERROR, "Max string recursion exceeded");
    }
    let mut out = String::new();
    let mut chars = fmt.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '{' => {
                if let Some(&(_, '{')) = chars.peek() {
                    chars.next();
                    out.push('{');
                    continue;
                }
                // Read the field up to the matching '}' (nested braces in the spec).
                let mut field = String::new();
                let mut depth = 1;
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if c == '{' {
                        depth += 1;
                    } else if c == '}' {
                        depth -= 1;
                        if depth == 0 {
                            closed = true;
                            break;
                        }
                    }
                    field.push(c);
                }
                if !closed {
                    raise!(vm, VALUE_ERROR, "unmatched '{{' in format");
                }
                let (name_conv, spec) = match field.find(':') {
                    Some(i) => (&field[..i], &field[i + 1..]),
                    None => (&field[..], ""),
                };
                let (name, conv) = match name_conv.find('!') {
                    Some(i) => (&name_conv[..i], Some(&name_conv[i + 1..])),
                    None => (name_conv, None),
                };
                let value = lookup_field(vm, name, args, kw, numbering)?;
                let value = match conv {
                    None => value,
                    Some("r") => {
                        let s = vm.repr(value)?;
                        vm.new_string(s)?
                    }
                    Some("s") => {
                        let s = vm.to_str(value)?;
                        vm.new_string(s)?
                    }
                    Some("a") => {
                        let s = vm.repr(value)?;
                        let s = crate::obj::str::ascii_escape(&s);
                        vm.new_string(s)?
                    }
                    Some(_) => raise!(vm, VALUE_ERROR, "unknown conversion specifier"),
                };
                // The spec may itself contain fields.
                let spec = if spec.contains('{') {
                    format_fields(vm, spec, args, kw, numbering, depth + 1)?
                } else {
                    String::from(spec)
                };
                let s = if spec.is_empty() {
                    vm.to_str(value)?
                } else {
                    let so = vm.new_str(&spec)?;
                    let r = vm.format(value, so)?;
                    String::from(vm.str_of(r).unwrap_or(""))
                };
                vm.reserve_beside(&mut out, s.len())?;
                out.push_str(&s);
            }
            '}' => {
                if let Some(&(_, '}')) = chars.peek() {
                    chars.next();
                    out.push('}');
                    continue;
                }
                raise!(vm, VALUE_ERROR, "single '}}' encountered in format string");
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

fn lookup_field(
    vm: &mut Vm,
    name: &str,
    args: &[Obj],
    kw: Kw,
    numbering: &mut Numbering,
) -> PyResult<Obj> {
    // Split off attribute and index accessors.
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let (head, mut rest) = name.split_at(first_end);
    let mut value = if head.is_empty() {
        if numbering.manual {
            raise!(
                vm,
                VALUE_ERROR,
                "can't switch from manual field specification to automatic field numbering"
            );
        }
        let i = numbering.auto;
        numbering.auto += 1;
        match args.get(i) {
            Some(&v) => v,
            None => raise!(vm, INDEX_ERROR, "tuple index out of range"),
        }
    } else if let Ok(i) = head.parse::<usize>() {
        if numbering.auto > 0 {
            raise!(
                vm,
                VALUE_ERROR,
                "can't switch from automatic field numbering to manual field specification"
            );
        }
        numbering.manual = true;
        match args.get(i) {
            Some(&v) => v,
            None => raise!(vm, INDEX_ERROR, "tuple index out of range"),
        }
    } else {
        let found = kw
            .iter()
            .find(|(k, _)| vm.qstr_str(*k) == head)
            .map(|&(_, v)| v);
        match found {
            Some(v) => v,
            None => {
                let k = vm.new_str(head)?;
                return Err(vm.exc_with_arg(ty::KEY_ERROR, k));
            }
        }
    };
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let attr = vm.intern(&r[..end])?;
            value = vm.getattr(value, attr)?;
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else {
                raise!(vm, VALUE_ERROR, "expected '}}' before end of string");
            };
            let key = &r[..end];
            let k = match key.parse::<i64>() {
                Ok(i) => vm.new_int(i)?,
                Err(_) => vm.new_str(key)?,
            };
            value = vm.getitem(value, k)?;
            rest = &r[end + 1..];
        } else {
            break;
        }
    }
    Ok(value)
}

/// `fmt % args` for a str.
pub fn percent_format(vm: &mut Vm, fmt: &str, args: Obj) -> PyResult<Obj> {
    let out = percent_text(vm, fmt, args, false)?;
    vm.new_string(out)
}

/// `fmt % args` for bytes: the result is bytes.
pub fn percent_format_bytes(vm: &mut Vm, fmt: &[u8], args: Obj) -> PyResult<Obj> {
    let out = percent_text(vm, &latin1(fmt), args, true)?;
    // Every char of `out` stands for one byte (see `percent_text`).
    crate::obj::bytes::new_bytes(vm, out.chars().map(|c| c as u32 as u8).collect())
}

/// Each byte as the char with that code, so `&str` code can format bytes losslessly.
fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

/// `%` formatting. For bytes (`bytes`), `fmt` and the result hold one char per byte: text
/// produced from arguments is UTF-8 encoded and then spread one byte per char.
fn percent_text(vm: &mut Vm, fmt: &str, args: Obj, bytes: bool) -> PyResult<String> {
    let as_bytes = |s: String| if bytes { latin1(s.as_bytes()) } else { s };
    // A tuple subclass (a namedtuple) supplies its items too.
    let tuple = vm
        .native_payload(args)
        .filter(|&p| matches!(vm.heap.get(p), Some(HeapObj::Tuple(_))))
        .unwrap_or(args);
    let is_tuple = matches!(vm.heap.get(tuple), Some(HeapObj::Tuple(_)));
    let items: Vec<Obj> = if is_tuple {
        vm.seq_items(tuple).unwrap_or_default()
    } else {
        alloc::vec![args]
    };
    let is_mapping = !is_tuple
        && (matches!(vm.heap.get(args), Some(HeapObj::Dict(_)))
            || (vm.is_user_instance(args)
                && vm
                    .lookup_special(args, crate::qstr::q::__getitem__)?
                    .is_some()));
    let mut next = 0usize;
    let mut out = String::new();
    let take = |vm: &mut Vm, next: &mut usize| -> PyResult<Obj> {
        let v = items.get(*next).copied();
        *next += 1;
        match v {
            Some(v) => Ok(v),
            None => raise!(vm, TYPE_ERROR, "format string needs more arguments"),
        }
    };
    for piece in pyrite_numfmt::parse_percent(fmt) {
        let piece = match piece {
            Ok(p) => p,
            Err(e) => {
                let msg = alloc::format!("{}", e);
                return Err(vm.exc(ty::VALUE_ERROR, &msg));
            }
        };
        match piece {
            pyrite_numfmt::Piece::Literal(s) => {
                vm.reserve_beside(&mut out, s.len())?;
                out.push_str(s)
            }
            pyrite_numfmt::Piece::Percent => out.push('%'),
            pyrite_numfmt::Piece::Conv(mut d) => {
                let width = match d.width {
                    pyrite_numfmt::Count::Star => {
                        let w = take(vm, &mut next)?;
                        let w = vm.index_value(w)?;
                        Some(d.apply_star_width(w))
                    }
                    pyrite_numfmt::Count::Num(n) => Some(n),
                    pyrite_numfmt::Count::None => None,
                };
                let precision = match d.precision {
                    Some(pyrite_numfmt::Count::Star) => {
                        let p = take(vm, &mut next)?;
                        let p = vm.index_value(p)?;
                        Some(pyrite_numfmt::Directive::star_precision(p))
                    }
                    Some(pyrite_numfmt::Count::Num(n)) => Some(n),
                    _ => None,
                };
                // Padding wider than the heap could never be stored: refuse before building it.
                let limit = vm.heap.limit();
                if width.into_iter().chain(precision).any(|n| n > limit) {
                    return Err(vm.memory_error());
                }
                let value = match d.key {
                    Some(k) => {
                        if !is_mapping {
                            raise!(vm, TYPE_ERROR, "format requires a dict");
                        }
                        // The mapping is the one positional argument, now used up.
                        next = 1;
                        let key = vm.new_str(k)?;
                        vm.getitem(args, key)?
                    }
                    None => take(vm, &mut next)?,
                };
                match d.conv {
                    's' | 'r' | 'a' => {
                        let raw = match vm.heap.get(value) {
                            Some(HeapObj::Bytes(b)) if bytes && d.conv == 's' => Some(latin1(b)),
                            _ => None,
                        };
                        let s = match d.conv {
                            _ if raw.is_some() => raw.unwrap_or_default(),
                            's' => as_bytes(vm.to_str(value)?),
                            'r' => as_bytes(vm.repr(value)?),
                            _ => {
                                let r = vm.repr(value)?;
                                crate::obj::str::ascii_escape(&r)
                            }
                        };
                        vm.reserve_beside(&mut out, s.len().max(width.unwrap_or(0)))?;
                        pyrite_numfmt::percent_str(&s, &d, width, precision, &mut out);
                    }
                    'c' => {
                        let s = if let Some(s) = vm.str_of(value) {
                            if s.chars().count() != 1 {
                                raise!(vm, TYPE_ERROR, "%c requires int or char");
                            }
                            String::from(s)
                        } else {
                            let n = vm.index_value(value)?;
                            match u32::try_from(n).ok().and_then(char::from_u32) {
                                Some(c) => String::from(c),
                                None => raise!(vm, OVERFLOW_ERROR, "%c arg not in range(0x110000)"),
                            }
                        };
                        let s = as_bytes(s);
                        pyrite_numfmt::percent_str(&s, &d, width, None, &mut out);
                    }
                    'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                        let value =
                            match vm.call_user_special(value, crate::qstr::q::__int__, &[])? {
                                Some(v) => v,
                                None => value,
                            };
                        let iv = match crate::obj::int::Int::of(vm, value) {
                            Some(i) => i,
                            None => {
                                if let Some(HeapObj::Float(f)) = vm.heap.get(value) {
                                    let f = *f;
                                    let o = crate::obj::int::float_to_int(vm, f)?;
                                    crate::obj::int::Int::of(vm, o)
                                        .unwrap_or(crate::obj::int::Int::Small(0))
                                } else {
                                    let t = String::from(vm.type_name(value));
                                    raise!(
                                        vm,
                                        TYPE_ERROR,
                                        "%{} format: a number is required, not {}",
                                        d.conv,
                                        t
                                    );
                                }
                            }
                        };
                        let radix = match d.conv {
                            'x' | 'X' => 16,
                            'o' => 8,
                            _ => 10,
                        };
                        let b = iv.to_big();
                        let digits = b.abs().to_str_radix(radix, false);
                        let most = digits.len().max(width.unwrap_or(0));
                        vm.reserve_beside(&mut out, most.max(precision.unwrap_or(0)) + 4)?;
                        pyrite_numfmt::percent_int(
                            b.is_negative(),
                            &digits,
                            &d,
                            width,
                            precision,
                            &mut out,
                        );
                    }
                    _ => {
                        let f = crate::obj::float::float_arg(vm, value)?;
                        d.width = pyrite_numfmt::Count::None;
                        let most = width.unwrap_or(0).max(precision.unwrap_or(0));
                        vm.reserve_beside(&mut out, most.saturating_add(32))?;
                        if let Err(e) =
                            pyrite_numfmt::percent_float(f, &d, width, precision, &mut out)
                        {
                            let msg = alloc::format!("{}", e);
                            return Err(vm.exc(ty::VALUE_ERROR, &msg));
                        }
                    }
                }
            }
        }
    }
    if !is_mapping && next < items.len() {
        raise!(vm, TYPE_ERROR, "format string didn't convert all arguments");
    }
    Ok(out)
}
