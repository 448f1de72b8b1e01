//! What `str`, `bytes` and `bytearray` share: their search, split, strip, replace, padding,
//! case and character-class methods, each written once over UTF-8 bytes.
//!
//! A `str` is valid UTF-8, and a match of a valid UTF-8 needle inside it always starts and ends
//! on character boundaries, so byte searching is exact for both kinds. Where an algorithm steps
//! one unit at a time (strip, count, replace with an empty needle) a `str` steps a whole
//! character and a bytes object one byte. Indices given to and returned by `str` methods are in
//! characters. Case mapping and the `is*` tests are ASCII only, as in MicroPython.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use crate::native::{Kw, PyResult};
use crate::object::HeapObj;
use crate::value::Obj;
use crate::vm::Vm;

/// Which of the three types a value is; results have the type of `self`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// `str`.
    Str,
    /// `bytes`.
    Bytes,
    /// `bytearray`.
    ByteArray,
}

impl Kind {
    fn is_str(self) -> bool {
        self == Kind::Str
    }

    /// Whether an argument of kind `other` may be used with `self` (bytes and bytearray mix).
    fn accepts(self, other: Kind) -> bool {
        self.is_str() == other.is_str()
    }
}

// ---- algorithms on byte slices ----

fn is_cont(b: u8) -> bool {
    b & 0xc0 == 0x80
}

/// ASCII whitespace, as MicroPython's `unichar_isspace`.
pub fn is_space(b: u8) -> bool {
    b == b' ' || (9..=13).contains(&b)
}

/// The number of units (characters of a `str`, bytes otherwise) in `data`.
pub fn unit_count(data: &[u8], kind: Kind) -> usize {
    if kind.is_str() {
        data.iter().filter(|&&b| !is_cont(b)).count()
    } else {
        data.len()
    }
}

/// The byte offset of unit `n` (at most `data.len()`).
fn unit_offset(data: &[u8], n: usize, kind: Kind) -> usize {
    if !kind.is_str() {
        return n.min(data.len());
    }
    let mut seen = 0;
    for (i, &b) in data.iter().enumerate() {
        if !is_cont(b) {
            if seen == n {
                return i;
            }
            seen += 1;
        }
    }
    data.len()
}

/// The length of the unit that starts at `i` (< `data.len()`).
fn unit_len(data: &[u8], i: usize, kind: Kind) -> usize {
    let mut n = 1;
    if kind.is_str() {
        while i + n < data.len() && is_cont(data[i + n]) {
            n += 1;
        }
    }
    n
}

/// The length of the unit that ends at `end` (> 0).
fn unit_len_before(data: &[u8], end: usize, kind: Kind) -> usize {
    let mut n = 1;
    if kind.is_str() {
        while n < end && is_cont(data[end - n]) {
            n += 1;
        }
    }
    n
}

/// The first (or with `rev` the last) position of `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8], rev: bool) -> Option<usize> {
    let last = hay.len().checked_sub(needle.len())?;
    let at = |i: &usize| hay[*i..*i + needle.len()] == *needle;
    if rev {
        (0..=last).rev().find(at)
    } else {
        (0..=last).find(at)
    }
}

/// Non-overlapping occurrences of `needle`; an empty needle is found between any two units
/// and at both ends.
pub fn count(hay: &[u8], needle: &[u8], kind: Kind) -> usize {
    if needle.is_empty() {
        return unit_count(hay, kind) + 1;
    }
    let (mut n, mut i) = (0, 0);
    while i + needle.len() <= hay.len() {
        if hay[i..i + needle.len()] == *needle {
            n += 1;
            i += needle.len();
        } else {
            i += unit_len(hay, i, kind);
        }
    }
    n
}

fn skip_space(data: &[u8], mut i: usize) -> usize {
    while i < data.len() && is_space(data[i]) {
        i += 1;
    }
    i
}

/// `split()` without a separator: runs of whitespace separate the words; at most `maxsplit`
/// splits (no limit when negative), after which the rest is one word.
pub fn split_whitespace(data: &[u8], maxsplit: i64) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut splits = maxsplit;
    let mut i = skip_space(data, 0);
    while i < data.len() && splits != 0 {
        let start = i;
        while i < data.len() && !is_space(data[i]) {
            i += 1;
        }
        out.push(start..i);
        i = skip_space(data, i);
        splits -= i64::from(splits > 0);
    }
    if i < data.len() {
        out.push(i..data.len());
    }
    out
}

/// `rsplit()` without a separator: `split_whitespace` counted from the end.
pub fn rsplit_whitespace(data: &[u8], maxsplit: i64) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut splits = maxsplit;
    let mut end = data.len();
    while end > 0 && is_space(data[end - 1]) {
        end -= 1;
    }
    while end > 0 && splits != 0 {
        let mut start = end;
        while start > 0 && !is_space(data[start - 1]) {
            start -= 1;
        }
        out.push(start..end);
        end = start;
        while end > 0 && is_space(data[end - 1]) {
            end -= 1;
        }
        splits -= i64::from(splits > 0);
    }
    if end > 0 {
        out.push(0..end);
    }
    out.reverse();
    out
}

/// `split(sep, maxsplit)` with a non-empty separator.
pub fn split_sep(data: &[u8], sep: &[u8], maxsplit: i64) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut splits) = (0, maxsplit);
    loop {
        let found = if splits == 0 {
            None
        } else {
            find(&data[start..], sep, false)
        };
        let Some(p) = found else {
            out.push(start..data.len());
            return out;
        };
        out.push(start..start + p);
        start += p + sep.len();
        splits -= i64::from(splits > 0);
    }
}

/// `rsplit(sep, maxsplit)` with a non-empty separator.
pub fn rsplit_sep(data: &[u8], sep: &[u8], maxsplit: i64) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut end, mut splits) = (data.len(), maxsplit);
    loop {
        let found = if splits == 0 {
            None
        } else {
            find(&data[..end], sep, true)
        };
        let Some(p) = found else {
            out.push(0..end);
            out.reverse();
            return out;
        };
        out.push(p + sep.len()..end);
        end = p;
        splits -= i64::from(splits > 0);
    }
}

/// `splitlines(keepends)`: lines end at `\n`, `\r` or `\r\n`.
pub fn splitlines(data: &[u8], keepends: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let start = i;
        while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
            i += 1;
        }
        let eol = match data.get(i..i + 2) {
            Some(b"\r\n") => 2,
            _ => usize::from(i < data.len()),
        };
        out.push(start..if keepends { i + eol } else { i });
        i += eol;
    }
    out
}

/// The part of `data` left by stripping, from the chosen ends, units found in `del` (ASCII
/// whitespace when `None`).
pub fn strip(data: &[u8], del: Option<&[u8]>, left: bool, right: bool, kind: Kind) -> Range<usize> {
    let strippable = |r: Range<usize>| match del {
        None => data[r].iter().all(|&b| is_space(b)),
        Some(d) => find(d, &data[r], false).is_some(),
    };
    let (mut a, mut b) = (0, data.len());
    while left && a < b {
        let n = unit_len(data, a, kind);
        if !strippable(a..a + n) {
            break;
        }
        a += n;
    }
    while right && b > a {
        let n = unit_len_before(data, b, kind);
        if !strippable(b - n..b) {
            break;
        }
        b -= n;
    }
    a..b
}

/// `replace(old, new, max)` (`max` < 0: all); `None` when nothing changes.
pub fn replace(data: &[u8], old: &[u8], new: &[u8], max: i64, kind: Kind) -> Option<Vec<u8>> {
    if max == 0 || old.len() > data.len() {
        return None;
    }
    let mut out = Vec::new();
    let (mut done, mut i) = (0i64, 0);
    if old.is_empty() {
        // `new` goes before every unit and at the end.
        while done != max {
            out.extend_from_slice(new);
            done += 1;
            if i >= data.len() {
                break;
            }
            let n = unit_len(data, i, kind);
            out.extend_from_slice(&data[i..i + n]);
            i += n;
        }
    } else {
        while done != max {
            let Some(p) = find(&data[i..], old, false) else {
                break;
            };
            out.extend_from_slice(&data[i..i + p]);
            out.extend_from_slice(new);
            i += p + old.len();
            done += 1;
        }
        if done == 0 {
            return None;
        }
    }
    out.extend_from_slice(&data[i..]);
    Some(out)
}

/// `center(width)`: `None` when `data` is already as wide.
pub fn center(data: &[u8], width: usize, kind: Kind) -> Option<Vec<u8>> {
    let units = unit_count(data, kind);
    let pad = width.checked_sub(units).filter(|&p| p > 0)?;
    let left = pad / 2;
    let mut out = Vec::with_capacity(data.len() + pad);
    out.resize(left, b' ');
    out.extend_from_slice(data);
    out.resize(data.len() + pad, b' ');
    Some(out)
}

/// A character class test, as the `is*` methods apply it: false for empty text; `isupper` and
/// `islower` look only at letters and need at least one.
pub fn is_class(data: &[u8], test: fn(&u8) -> bool, cased: bool) -> bool {
    if cased {
        let mut letters = data.iter().filter(|b| b.is_ascii_alphabetic()).peekable();
        letters.peek().is_some() && letters.all(test)
    } else {
        !data.is_empty() && data.iter().all(test)
    }
}

// ---- the Python-facing methods ----

/// A str, bytes or bytearray value: its kind and a copy of its data.
pub struct Text {
    /// Its type.
    pub kind: Kind,
    /// Its UTF-8 or raw bytes.
    pub data: Vec<u8>,
}

/// The text of `o`, or of the built-in value of an instance of a subclass.
pub fn text_of(vm: &Vm, o: Obj) -> Option<Text> {
    text_ref(vm, o).map(|(kind, data)| Text {
        kind,
        data: data.to_vec(),
    })
}

/// The kind and bytes of `o`'s text, borrowed (see [`text_of`]).
pub fn text_ref(vm: &Vm, o: Obj) -> Option<(Kind, &[u8])> {
    if let Some(s) = vm.str_of(o) {
        return Some((Kind::Str, s.as_bytes()));
    }
    match vm.heap.get(o)? {
        HeapObj::Bytes(b) => Some((Kind::Bytes, &b[..])),
        HeapObj::ByteArray(b) => Some((Kind::ByteArray, &b[..])),
        HeapObj::Instance(_) => text_ref(vm, vm.native_payload(o)?),
        _ => None,
    }
}

/// `self` of a method (`args[0]`).
pub fn self_text(vm: &mut Vm, args: &[Obj]) -> PyResult<Text> {
    let o = args.first().copied().unwrap_or(Obj::NONE);
    let Some((kind, len)) = text_ref(vm, o).map(|(kind, data)| (kind, data.len())) else {
        let t = String::from(vm.type_name(o));
        raise!(vm, TYPE_ERROR, "argument should be a 'str' not a '{}'", t)
    };
    let mut data: Vec<u8> = vm.scratch_for(len)?;
    if let Some((_, d)) = text_ref(vm, o) {
        data.extend_from_slice(d);
    }
    Ok(Text { kind, data })
}

/// A text argument of a method on a value of kind `kind`: a `str` for a `str`, bytes or a
/// bytearray for the others.
pub fn arg_text(vm: &mut Vm, kind: Kind, o: Obj) -> PyResult<Vec<u8>> {
    match text_of(vm, o) {
        Some(t) if kind.accepts(t.kind) => Ok(t.data),
        _ => Err(implicit_conversion_error(vm, o)),
    }
}

/// `TypeError: can't convert 'int' object to str implicitly`.
pub fn implicit_conversion_error(vm: &mut Vm, o: Obj) -> Obj {
    let t = String::from(vm.type_name(o));
    let to = if t == "str" { "bytes" } else { "str" };
    vm.exc_fmt(
        crate::types::ty::TYPE_ERROR,
        format_args!("can't convert '{}' object to {} implicitly", t, to),
    )
}

/// A new value of kind `kind`.
pub fn new_text(vm: &mut Vm, kind: Kind, data: Vec<u8>) -> PyResult<Obj> {
    match kind {
        Kind::Str => match String::from_utf8(data) {
            Ok(s) => vm.new_string(s),
            Err(e) => {
                let s = String::from_utf8_lossy(e.as_bytes()).into_owned();
                vm.new_string(s)
            }
        },
        Kind::Bytes => vm.alloc(HeapObj::Bytes(data.into_boxed_slice())),
        Kind::ByteArray => vm.alloc(HeapObj::ByteArray(data)),
    }
}

/// `self` itself for a str or bytes result equal to it (they are immutable); a copy otherwise.
fn same_or_new(vm: &mut Vm, args: &[Obj], t: &Text, r: Range<usize>) -> PyResult<Obj> {
    if r == (0..t.data.len()) && t.kind != Kind::ByteArray && vm.native_payload(args[0]).is_none() {
        return Ok(args[0]);
    }
    let mut out: Vec<u8> = vm.buffer_for(r.len())?;
    out.extend_from_slice(t.data.get(r).unwrap_or_default());
    new_text(vm, t.kind, out)
}

/// Checks the number of arguments (`self` included) against MicroPython's limits.
pub fn arity(vm: &mut Vm, args: &[Obj], min: usize, max: usize) -> PyResult<()> {
    let n = args.len();
    if min == max && n != min {
        raise!(
            vm,
            TYPE_ERROR,
            "function takes {} positional arguments but {} were given",
            min,
            n
        );
    }
    if n < min {
        raise!(
            vm,
            TYPE_ERROR,
            "function missing {} required positional arguments",
            min - n
        );
    }
    if n > max {
        raise!(
            vm,
            TYPE_ERROR,
            "function expected at most {} arguments, got {}",
            max,
            n
        );
    }
    Ok(())
}

/// A start or end argument, clamped like a slice bound, as a byte offset.
fn bound(vm: &mut Vm, t: &Text, o: Obj, default: usize) -> PyResult<usize> {
    if o == Obj::NONE {
        return Ok(default);
    }
    let i = vm.index_value(o)?;
    let units = unit_count(&t.data, t.kind) as i64;
    let i = if i < 0 { i.saturating_add(units) } else { i };
    Ok(unit_offset(&t.data, i.clamp(0, units) as usize, t.kind))
}

/// The byte range selected by optional start and end arguments at `args[from..]`.
fn bounds(vm: &mut Vm, t: &Text, args: &[Obj], from: usize) -> PyResult<Range<usize>> {
    let end = match args.get(from + 1) {
        Some(&o) => bound(vm, t, o, t.data.len())?,
        None => t.data.len(),
    };
    let start = match args.get(from) {
        Some(&o) => bound(vm, t, o, 0)?,
        None => 0,
    };
    Ok(start..end)
}

/// find/rfind/index/rindex.
fn finder(vm: &mut Vm, args: &[Obj], rev: bool, must: bool) -> PyResult<Obj> {
    arity(vm, args, 2, 4)?;
    let t = self_text(vm, args)?;
    let needle = match args[1].as_small_int() {
        Some(v) if !t.kind.is_str() => {
            if !(0..256).contains(&v) {
                raise!(vm, VALUE_ERROR, "bytes value out of range");
            }
            alloc::vec![v as u8]
        }
        _ => arg_text(vm, t.kind, args[1])?,
    };
    let r = bounds(vm, &t, args, 2)?;
    let found = if r.start <= r.end {
        find(&t.data[r.clone()], &needle, rev).map(|p| p + r.start)
    } else {
        None
    };
    match found {
        Some(p) => vm.new_int(unit_count(&t.data[..p], t.kind) as i64),
        None if must => raise!(vm, VALUE_ERROR, "substring not found"),
        None => Ok(Obj::small_int_unchecked(-1)),
    }
}

/// `find` of `str`, `bytes` and `bytearray`.
pub fn text_find(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    finder(vm, args, false, false)
}

/// `rfind` of `str`, `bytes` and `bytearray`.
pub fn text_rfind(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    finder(vm, args, true, false)
}

/// `index` of `str`, `bytes` and `bytearray`.
pub fn text_index(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    finder(vm, args, false, true)
}

/// `rindex` of `str`, `bytes` and `bytearray`.
pub fn text_rindex(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    finder(vm, args, true, true)
}

/// `count` of `str`, `bytes` and `bytearray`.
pub fn text_count(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 2, 4)?;
    let t = self_text(vm, args)?;
    let needle = arg_text(vm, t.kind, args[1])?;
    let r = bounds(vm, &t, args, 2)?;
    let n = if r.start <= r.end {
        count(&t.data[r], &needle, t.kind)
    } else {
        0
    };
    vm.new_int(n as i64)
}

/// startswith/endswith: the prefix may be a tuple of alternatives.
fn affix(vm: &mut Vm, args: &[Obj], end: bool) -> PyResult<Obj> {
    arity(vm, args, 2, 4)?;
    let t = self_text(vm, args)?;
    let r = bounds(vm, &t, args, 2)?;
    let hay = t.data.get(r).unwrap_or(&[]);
    let options = match vm.heap.get(args[1]) {
        Some(HeapObj::Tuple(items)) => items.to_vec(),
        _ => alloc::vec![args[1]],
    };
    for o in options {
        let p = arg_text(vm, t.kind, o)?;
        let hit = if end {
            hay.ends_with(&p)
        } else {
            hay.starts_with(&p)
        };
        if hit {
            return Ok(Obj::TRUE);
        }
    }
    Ok(Obj::FALSE)
}

/// `startswith` of `str`, `bytes` and `bytearray`.
pub fn text_startswith(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    affix(vm, args, false)
}

/// `endswith` of `str`, `bytes` and `bytearray`.
pub fn text_endswith(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    affix(vm, args, true)
}

/// A list of the parts of `t` at `ranges`.
fn parts(vm: &mut Vm, t: &Text, ranges: Vec<Range<usize>>) -> PyResult<Obj> {
    let mut items = Vec::with_capacity(ranges.len());
    for r in ranges {
        items.push(new_text(vm, t.kind, t.data[r].to_owned())?);
    }
    vm.new_list(items)
}

/// split/rsplit.
fn splitter(vm: &mut Vm, args: &[Obj], kw: Kw, rev: bool) -> PyResult<Obj> {
    let t = self_text(vm, args)?;
    let mut sep = args.get(1).copied().unwrap_or(Obj::NONE);
    let mut maxsplit = args.get(2).copied();
    for &(k, v) in kw {
        let name = vm.qstr_str(k);
        if name == "sep" {
            sep = v;
        } else if name == "maxsplit" {
            maxsplit = Some(v);
        } else {
            raise!(
                vm,
                TYPE_ERROR,
                "unexpected keyword argument '{}'",
                vm.qstr_str(k).to_owned()
            );
        }
    }
    arity(vm, args, 1, 3)?;
    let maxsplit = match maxsplit {
        Some(o) => vm.index_value(o)?,
        None => -1,
    };
    // Every part takes a heap slot: more parts than the heap has room for is a `MemoryError`,
    // found before the list of where they are outgrows the memory beside the heap (it
    // doubles as it grows: one more part than the room may take its old buffer and one of
    // twice the room at once).
    let beside = vm.beside_room().unwrap_or(usize::MAX) / (4 * size_of::<Range<usize>>());
    let room = (vm.heap.limit() / crate::heap::SLOT_BYTES).min(beside) as i64;
    let (maxsplit, capped) = if maxsplit < 0 || maxsplit > room {
        (room, true)
    } else {
        (maxsplit, false)
    };
    let ranges = if sep == Obj::NONE {
        if rev {
            rsplit_whitespace(&t.data, maxsplit)
        } else {
            split_whitespace(&t.data, maxsplit)
        }
    } else {
        let sep = arg_text(vm, t.kind, sep)?;
        if sep.is_empty() {
            raise!(vm, VALUE_ERROR, "empty separator");
        }
        if rev {
            rsplit_sep(&t.data, &sep, maxsplit)
        } else {
            split_sep(&t.data, &sep, maxsplit)
        }
    };
    if capped && ranges.len() as i64 > room {
        return Err(vm.memory_error());
    }
    parts(vm, &t, ranges)
}

/// `split` of `str`, `bytes` and `bytearray`.
pub fn text_split(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    splitter(vm, args, kw, false)
}

/// `rsplit` of `str`, `bytes` and `bytearray`.
pub fn text_rsplit(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    splitter(vm, args, kw, true)
}

/// `splitlines` of `str`, `bytes` and `bytearray`.
pub fn text_splitlines(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 2)?;
    let t = self_text(vm, args)?;
    let mut keep = args.get(1).copied().unwrap_or(Obj::FALSE);
    for &(k, v) in kw {
        if vm.qstr_str(k) != "keepends" {
            raise!(
                vm,
                TYPE_ERROR,
                "unexpected keyword argument '{}'",
                vm.qstr_str(k).to_owned()
            );
        }
        keep = v;
    }
    let keep = vm.truthy(keep)?;
    let ranges = splitlines(&t.data, keep);
    parts(vm, &t, ranges)
}

/// strip/lstrip/rstrip.
fn stripper(vm: &mut Vm, args: &[Obj], left: bool, right: bool) -> PyResult<Obj> {
    arity(vm, args, 1, 2)?;
    let t = self_text(vm, args)?;
    let del = match args.get(1) {
        Some(&o) if o != Obj::NONE => Some(arg_text(vm, t.kind, o)?),
        _ => None,
    };
    let r = strip(&t.data, del.as_deref(), left, right, t.kind);
    same_or_new(vm, args, &t, r)
}

/// `strip` of `str`, `bytes` and `bytearray`.
pub fn text_strip(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    stripper(vm, args, true, true)
}

/// `lstrip` of `str`, `bytes` and `bytearray`.
pub fn text_lstrip(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    stripper(vm, args, true, false)
}

/// `rstrip` of `str`, `bytes` and `bytearray`.
pub fn text_rstrip(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    stripper(vm, args, false, true)
}

/// `replace` of `str`, `bytes` and `bytearray`.
pub fn text_replace(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 3, 4)?;
    let t = self_text(vm, args)?;
    let max = match args.get(3) {
        Some(&o) => vm.index_value(o)?.max(-1),
        None => -1,
    };
    let old = arg_text(vm, t.kind, args[1])?;
    let new = arg_text(vm, t.kind, args[2])?;
    // The result's size, checked before it is built.
    let found = count(&t.data, &old, t.kind);
    let n = usize::try_from(max).map_or(found, |m| found.min(m));
    let size = n
        .checked_mul(new.len())
        .and_then(|grow| (t.data.len() - n * old.len()).checked_add(grow));
    if size.is_none_or(|s| s > vm.heap.limit()) {
        return Err(vm.memory_error());
    }
    match replace(&t.data, &old, &new, max, t.kind) {
        Some(out) => new_text(vm, t.kind, out),
        None => same_or_new(vm, args, &t, 0..t.data.len()),
    }
}

/// partition/rpartition.
fn partitioner(vm: &mut Vm, args: &[Obj], rev: bool) -> PyResult<Obj> {
    arity(vm, args, 2, 2)?;
    let t = self_text(vm, args)?;
    let sep = arg_text(vm, t.kind, args[1])?;
    if sep.is_empty() {
        raise!(vm, VALUE_ERROR, "empty separator");
    }
    let n = t.data.len();
    let (a, b, c) = match find(&t.data, &sep, rev) {
        Some(p) => (0..p, p..p + sep.len(), p + sep.len()..n),
        None if rev => (0..0, 0..0, 0..n),
        None => (0..n, n..n, n..n),
    };
    let mut items = [Obj::NONE; 3];
    for (slot, r) in items.iter_mut().zip([a, b, c]) {
        *slot = same_or_new(vm, args, &t, r)?;
    }
    vm.new_tuple(&items)
}

/// `partition` of `str`, `bytes` and `bytearray`.
pub fn text_partition(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    partitioner(vm, args, false)
}

/// `rpartition` of `str`, `bytes` and `bytearray`.
pub fn text_rpartition(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    partitioner(vm, args, true)
}

/// `center` of `str`, `bytes` and `bytearray`.
pub fn text_center(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 2, 2)?;
    let t = self_text(vm, args)?;
    let width = vm.index_value(args[1])?;
    let width = usize::try_from(width).unwrap_or(0);
    if width > vm.heap.limit() {
        return Err(vm.memory_error());
    }
    match center(&t.data, width, t.kind) {
        Some(out) => new_text(vm, t.kind, out),
        None => same_or_new(vm, args, &t, 0..t.data.len()),
    }
}

fn case_map(vm: &mut Vm, args: &[Obj], f: fn(&u8) -> u8) -> PyResult<Obj> {
    arity(vm, args, 1, 1)?;
    let mut t = self_text(vm, args)?;
    // The copy becomes the result.
    vm.room_for(t.data.len())?;
    t.data.iter_mut().for_each(|b| *b = f(b));
    new_text(vm, t.kind, t.data)
}

/// `lower` of `str`, `bytes` and `bytearray`.
pub fn text_lower(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    case_map(vm, args, u8::to_ascii_lowercase)
}

/// `upper` of `str`, `bytes` and `bytearray`.
pub fn text_upper(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    case_map(vm, args, u8::to_ascii_uppercase)
}

fn class_test(vm: &mut Vm, args: &[Obj], f: fn(&u8) -> bool, cased: bool) -> PyResult<Obj> {
    arity(vm, args, 1, 1)?;
    let t = self_text(vm, args)?;
    Ok(Obj::bool(is_class(&t.data, f, cased)))
}

/// `isspace` of `str`, `bytes` and `bytearray`.
pub fn text_isspace(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    class_test(vm, args, |b| is_space(*b), false)
}

/// `isalpha` of `str`, `bytes` and `bytearray`.
pub fn text_isalpha(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    class_test(vm, args, u8::is_ascii_alphabetic, false)
}

/// `isdigit` of `str`, `bytes` and `bytearray`.
pub fn text_isdigit(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    class_test(vm, args, u8::is_ascii_digit, false)
}

/// `isupper` of `str`, `bytes` and `bytearray`.
pub fn text_isupper(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    class_test(vm, args, u8::is_ascii_uppercase, true)
}

/// `islower` of `str`, `bytes` and `bytearray`.
pub fn text_islower(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    class_test(vm, args, u8::is_ascii_lowercase, true)
}

/// `join` of `str`, `bytes` and `bytearray`.
pub fn text_join(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 2, 2)?;
    let t = self_text(vm, args)?;
    let items = vm.iter_to_vec(args[1])?;
    // The result's size first, so that it is built once at its size with room made for it.
    let mut len = t.data.len().saturating_mul(items.len().saturating_sub(1));
    for &o in &items {
        match text_ref(vm, o) {
            Some((kind, p)) if t.kind.accepts(kind) => len = len.saturating_add(p.len()),
            _ => raise!(
                vm,
                TYPE_ERROR,
                "join expects a list of str/bytes objects consistent with self object"
            ),
        }
    }
    if len > vm.heap.limit() {
        return Err(vm.memory_error());
    }
    let mut out: Vec<u8> = vm.buffer_for(len)?;
    for (i, &o) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(&t.data);
        }
        if let Some((_, p)) = text_ref(vm, o) {
            out.extend_from_slice(p);
        }
    }
    new_text(vm, t.kind, out)
}

/// Declares the method table of `str`, `bytes` or `bytearray`: the shared methods above plus
/// the type's own entries.
#[macro_export]
macro_rules! text_method_table {
    ($vis:vis $table:ident = [$($extra:tt)*]) => {
        $crate::native_table!($vis $table = [
            ("center", $crate::obj::strbytes::text_center),
            ("count", $crate::obj::strbytes::text_count),
            ("endswith", $crate::obj::strbytes::text_endswith),
            ("find", $crate::obj::strbytes::text_find),
            ("index", $crate::obj::strbytes::text_index),
            ("isalpha", $crate::obj::strbytes::text_isalpha),
            ("isdigit", $crate::obj::strbytes::text_isdigit),
            ("islower", $crate::obj::strbytes::text_islower),
            ("isspace", $crate::obj::strbytes::text_isspace),
            ("isupper", $crate::obj::strbytes::text_isupper),
            ("join", $crate::obj::strbytes::text_join),
            ("lower", $crate::obj::strbytes::text_lower),
            ("lstrip", $crate::obj::strbytes::text_lstrip),
            ("partition", $crate::obj::strbytes::text_partition),
            ("replace", $crate::obj::strbytes::text_replace),
            ("rfind", $crate::obj::strbytes::text_rfind),
            ("rindex", $crate::obj::strbytes::text_rindex),
            ("rpartition", $crate::obj::strbytes::text_rpartition),
            ("rsplit", $crate::obj::strbytes::text_rsplit),
            ("rstrip", $crate::obj::strbytes::text_rstrip),
            ("split", $crate::obj::strbytes::text_split),
            ("splitlines", $crate::obj::strbytes::text_splitlines),
            ("startswith", $crate::obj::strbytes::text_startswith),
            ("strip", $crate::obj::strbytes::text_strip),
            ("upper", $crate::obj::strbytes::text_upper),
            $($extra)*
        ]);
    };
}
