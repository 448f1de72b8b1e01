//! Built-in functions and methods written in Rust.
//!
//! Each built-in type or module keeps its natives in a static table in its own file, sorted by
//! name at compile time (`native_table!`). A native is referred to by an immediate `Obj` holding
//! `table << 9 | index` (128 tables of up to 512 natives); `TABLES` lists the tables in the
//! order of their ids (`table::*`).

use crate::qstr::Qstr;
use crate::value::Obj;
use crate::vm::Vm;

/// The result of anything that can raise: the error is the exception object.
pub type PyResult<T> = Result<T, Obj>;

/// Keyword arguments of a call: names and values.
pub type Kw<'a> = &'a [(Qstr, Obj)];

/// The signature of every native: the VM, positional arguments (`self` first for methods),
/// keyword arguments.
pub type NativeFn = fn(&mut Vm, &[Obj], Kw) -> PyResult<Obj>;

/// How a native binds when found on a type.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NativeKind {
    /// A plain function (module level), or a method when found through an instance.
    Method,
    /// Bound to the class (`dict.fromkeys`).
    ClassMethod,
    /// Never bound (`str.maketrans`).
    StaticMethod,
}

/// A built-in function or method.
#[derive(Clone, Copy)]
pub struct Native {
    /// The implementation.
    pub f: NativeFn,
    /// The Python name, a static qstr (half the flash of a `&str`, and its text is the pool's).
    pub name: Qstr,
    /// How it binds.
    pub kind: NativeKind,
}

impl Native {
    /// The Python name's text.
    pub fn name_str(&self) -> &'static str {
        crate::qstr::flash_text(self.name)
    }
}

const fn str_lt(a: &str, b: &str) -> bool {
    crate::qstr::bytes_lt(a.as_bytes(), b.as_bytes())
}

/// Whether native `a`'s name sorts before `b`'s (for the compiler).
const fn name_lt(a: &Native, b: &Native) -> bool {
    str_lt(
        crate::qstr::static_text(a.name),
        crate::qstr::static_text(b.name),
    )
}

/// Sorts a table by name (run by the compiler).
pub const fn sort_natives<const N: usize>(mut t: [Native; N]) -> [Native; N] {
    let mut i = 1;
    while i < N {
        let mut j = i;
        while j > 0 && name_lt(&t[j], &t[j - 1]) {
            let tmp = t[j];
            t[j] = t[j - 1];
            t[j - 1] = tmp;
            j -= 1;
        }
        i += 1;
    }
    t
}

/// Declares a sorted static table of natives:
/// `native_table!(pub METHODS = [("append", list_append), ("fromkeys", f, ClassMethod)]);`
#[macro_export]
macro_rules! native_table {
    ($vis:vis $table:ident = [$(($name:literal, $f:path $(, $kind:ident)?)),* $(,)?]) => {
        $vis static $table: [$crate::native::Native; [$($name),*].len()] =
            $crate::native::sort_natives([$($crate::native::Native {
                f: $f,
                name: $crate::qstr::static_qstr($name),
                kind: $crate::native_table!(@kind $($kind)?),
            }),*]);
    };
    (@kind) => { $crate::native::NativeKind::Method };
    (@kind $kind:ident) => { $crate::native::NativeKind::$kind };
}

/// Table ids: the index of each table in `TABLES`.
pub mod table {
    /// The builtins module's functions.
    pub const BUILTINS: u16 = 0;
    /// `object`.
    pub const OBJECT: u16 = 1;
    /// `int` (and `bool`).
    pub const INT: u16 = 2;
    /// `float`.
    pub const FLOAT: u16 = 3;
    /// `complex`.
    pub const COMPLEX: u16 = 4;
    /// `str`.
    pub const STR: u16 = 5;
    /// `bytes`.
    pub const BYTES: u16 = 6;
    /// `bytearray`.
    pub const BYTEARRAY: u16 = 7;
    /// `list`.
    pub const LIST: u16 = 8;
    /// `tuple`.
    pub const TUPLE: u16 = 9;
    /// `dict`.
    pub const DICT: u16 = 10;
    /// `set`.
    pub const SET: u16 = 11;
    /// `frozenset`.
    pub const FROZENSET: u16 = 12;
    /// Generators and coroutines.
    pub const GENERATOR: u16 = 13;
    /// `BaseException` and subclasses.
    pub const EXCEPTION: u16 = 14;
    /// `sys`.
    pub const SYS: u16 = 15;
    /// `gc`.
    pub const GC: u16 = 16;
    /// `type`.
    pub const TYPE: u16 = 17;
    /// `property`.
    pub const PROPERTY: u16 = 18;
    /// `range`.
    pub const RANGE: u16 = 19;
    /// `memoryview`.
    pub const MEMORYVIEW: u16 = 20;
    /// `micropython`.
    pub const MICROPYTHON: u16 = 21;
    /// Methods shared by all iterators (none yet beyond the protocol).
    pub const EMPTY: u16 = 22;
    /// `dict` views.
    pub const DICT_VIEW: u16 = 23;
    /// Console streams (`sys.stdout`).
    pub const STREAM: u16 = 24;
    /// `math`.
    pub const MATH: u16 = 25;
    /// `cmath`.
    pub const CMATH: u16 = 26;
    /// Natives of class construction not visible as attributes (`type_::HIDDEN`).
    pub const TYPE_HIDDEN: u16 = 27;
    /// `__next__` and `__iter__` of the built-in iterators.
    pub const ITERATOR: u16 = 28;
    /// `slice.indices`.
    pub const SLICE: u16 = 29;
    /// `array.array`.
    pub const ARRAY: u16 = 30;
    /// `struct`.
    pub const STRUCT: u16 = 31;
    /// `collections`.
    pub const COLLECTIONS: u16 = 32;
    /// `collections.deque`.
    pub const DEQUE: u16 = 33;
    /// The natives behind `namedtuple` classes (not attributes of anything).
    pub const NAMEDTUPLE: u16 = 34;
    /// `io.StringIO` and `io.BytesIO`.
    pub const IO_STREAM: u16 = 35;
    /// `time`.
    pub const TIME: u16 = 36;
    /// `json`.
    pub const JSON: u16 = 37;
    /// `re`.
    pub const RE: u16 = 38;
    /// `binascii`.
    pub const BINASCII: u16 = 39;
    /// `hashlib`.
    pub const HASHLIB: u16 = 40;
    /// `heapq`.
    pub const HEAPQ: u16 = 41;
    /// `random`.
    pub const RANDOM: u16 = 42;
    /// `errno`.
    pub const ERRNO: u16 = 43;
    /// `platform`.
    pub const PLATFORM: u16 = 44;
    /// `select`.
    pub const SELECT: u16 = 45;
    /// `framebuf`.
    pub const FRAMEBUF: u16 = 46;
    /// `uctypes`.
    pub const UCTYPES: u16 = 47;
    /// `os`.
    pub const OS: u16 = 48;
    /// `_asyncio`.
    pub const ASYNCIO: u16 = 49;
    /// `framebuf.FrameBuffer` methods.
    pub const FRAMEBUFFER: u16 = 50;
    /// File objects (`open()`).
    pub const FILE: u16 = 51;
    /// The built-in file systems (`vfs.VfsPosix`, `vfs.VfsLfs2`, `vfs.VfsFat`).
    pub const VFS: u16 = 52;
    /// The `vfs` module.
    pub const VFS_MODULE: u16 = 53;
    /// `hashlib` hash objects.
    pub const HASH: u16 = 54;
    /// Compiled `re` patterns.
    pub const RE_PATTERN: u16 = 55;
    /// `re` match objects.
    pub const RE_MATCH: u16 = 56;
    /// `select.poll` objects.
    pub const POLL: u16 = 57;
    /// `deflate`.
    pub const DEFLATE: u16 = 58;
    /// `deflate.DeflateIO` methods.
    pub const DEFLATE_IO: u16 = 59;
    /// `micropython.RingIO` methods.
    pub const RING_IO: u16 = 60;
    /// `machine`.
    pub const MACHINE: u16 = 61;
    /// `pyb`.
    pub const PYB: u16 = 62;
    /// `machine.Pin` (and `pyb.Pin`).
    pub const PIN: u16 = 63;
    /// `machine.I2C` and `machine.SoftI2C`.
    pub const I2C: u16 = 64;
    /// `machine.SPI` and `machine.SoftSPI`.
    pub const SPI: u16 = 65;
    /// `machine.UART`.
    pub const UART: u16 = 66;
    /// `machine.ADC` (and `pyb.ADC`).
    pub const ADC: u16 = 67;
    /// `machine.PWM`.
    pub const PWM: u16 = 68;
    /// `machine.Timer`.
    pub const TIMER: u16 = 69;
    /// `machine.RTC`.
    pub const RTC: u16 = 70;
    /// `pyb.LED`.
    pub const LED: u16 = 71;
    /// `pyb.Switch`.
    pub const SWITCH: u16 = 72;
    /// `pyb.I2C`.
    pub const PYB_I2C: u16 = 73;
    /// `pyb.Flash`.
    pub const PYB_FLASH: u16 = 74;
    /// `pyb.Timer`.
    pub const PYB_TIMER: u16 = 75;
    /// `pyb.TimerChannel`.
    pub const PYB_TIMER_CHANNEL: u16 = 76;
}

/// Every table, indexed by table id.
pub static TABLES: [&[Native]; 77] = [
    &crate::builtins::BUILTINS,
    &crate::obj::object::METHODS,
    &crate::obj::int::METHODS,
    &crate::obj::float::METHODS,
    &crate::obj::complex::METHODS,
    &crate::obj::str::METHODS,
    &crate::obj::bytes::BYTES_METHODS,
    &crate::obj::bytes::BYTEARRAY_METHODS,
    &crate::obj::list::METHODS,
    &crate::obj::tuple::METHODS,
    &crate::obj::dict::METHODS,
    &crate::obj::set::SET_METHODS,
    &crate::obj::set::FROZENSET_METHODS,
    &crate::obj::gen::METHODS,
    &crate::obj::exc::METHODS,
    &crate::modules::sys::FUNCTIONS,
    &crate::modules::gc::FUNCTIONS,
    &crate::obj::type_::METHODS,
    &crate::obj::func::PROPERTY_METHODS,
    &crate::obj::range::METHODS,
    &crate::obj::memoryview::METHODS,
    &crate::modules::micropython::FUNCTIONS,
    &[],
    &crate::obj::dict::VIEW_METHODS,
    &crate::modules::sys::STREAM_METHODS,
    &crate::modules::math::FUNCTIONS,
    &crate::modules::cmath::FUNCTIONS,
    &crate::obj::type_::HIDDEN,
    &crate::obj::iter::METHODS,
    &crate::obj::subscr::SLICE_METHODS,
    &crate::modules::array::METHODS,
    &crate::modules::struct_::FUNCTIONS,
    &crate::modules::collections::FUNCTIONS,
    &crate::modules::collections::DEQUE_METHODS,
    &crate::modules::collections::NAMEDTUPLE_HELPERS,
    &crate::modules::io::STREAM_METHODS,
    &crate::modules::time::FUNCTIONS,
    &crate::modules::json::FUNCTIONS,
    &crate::modules::re::FUNCTIONS,
    &crate::modules::binascii::FUNCTIONS,
    &crate::modules::hashlib::FUNCTIONS,
    &crate::modules::heapq::FUNCTIONS,
    &crate::modules::random::FUNCTIONS,
    &crate::modules::errno::FUNCTIONS,
    &crate::modules::platform::FUNCTIONS,
    &crate::modules::select::FUNCTIONS,
    &crate::modules::framebuf::FUNCTIONS,
    &crate::modules::uctypes::FUNCTIONS,
    &crate::modules::os::FUNCTIONS,
    &crate::modules::asyncio::FUNCTIONS,
    &crate::modules::framebuf::METHODS,
    &crate::vfs::file::METHODS,
    &crate::vfs::fs::METHODS,
    &crate::modules::vfs::FUNCTIONS,
    &crate::modules::hashlib::HASH_METHODS,
    &crate::modules::re::PATTERN_METHODS,
    &crate::modules::re::MATCH_METHODS,
    &crate::modules::select::POLL_METHODS,
    &crate::modules::deflate::FUNCTIONS,
    &crate::modules::deflate::METHODS,
    &crate::modules::ringio::METHODS,
    &crate::modules::machine::FUNCTIONS,
    &crate::modules::pyb::FUNCTIONS,
    &crate::modules::machine_pin::METHODS,
    &crate::modules::machine_i2c::METHODS,
    &crate::modules::machine_spi::SPI_METHODS,
    &crate::modules::machine_spi::UART_METHODS,
    &crate::modules::machine_analog::ADC_METHODS,
    &crate::modules::machine_analog::PWM_METHODS,
    &crate::modules::machine_timer::TIMER_METHODS,
    &crate::modules::machine_timer::RTC_METHODS,
    &crate::modules::pyb::LED_METHODS,
    &crate::modules::pyb::SWITCH_METHODS,
    &crate::modules::pyb_i2c::METHODS,
    &crate::modules::pyb_flash::METHODS,
    &crate::modules::pyb_timer::METHODS,
    &crate::modules::pyb_timer_channel::METHODS,
];

/// The immediate for entry `index` of table `table`.
pub const fn native_obj(table: u16, index: usize) -> Obj {
    Obj::native((table << 9) | index as u16)
}

/// The table id of native number `n` (what `Obj::as_native` gives).
pub const fn table_of(n: u16) -> u16 {
    n >> 9
}

/// The native an immediate refers to.
pub fn native_of(o: Obj) -> Option<&'static Native> {
    let n = o.as_native()?;
    TABLES.get(table_of(n) as usize)?.get((n & 0x1ff) as usize)
}

/// Finds `name` in table `table`, as its immediate.
pub fn lookup(table: u16, name: &str) -> Option<(Obj, &'static Native)> {
    let t = TABLES.get(table as usize)?;
    let i = t.binary_search_by(|n| n.name_str().cmp(name)).ok()?;
    Some((native_obj(table, i), &t[i]))
}

/// A direct-mapped cache of name lookups in static tables, keyed by `(table, qstr)`: a hit
/// avoids the binary search by string. Static tables never change, so entries never go stale.
pub struct LookupCache {
    entries: [core::cell::Cell<(u16, u16, u32)>; LOOKUP_CACHE_SIZE],
}

const LOOKUP_CACHE_SIZE: usize = 256;
const EMPTY_ENTRY: (u16, u16, u32) = (u16::MAX, 0, 0);

impl Default for LookupCache {
    fn default() -> Self {
        LookupCache {
            entries: [const { core::cell::Cell::new(EMPTY_ENTRY) }; LOOKUP_CACHE_SIZE],
        }
    }
}

impl LookupCache {
    fn slot(table: u16, q: crate::qstr::Qstr) -> usize {
        (q.0 as usize).wrapping_mul(31).wrapping_add(table as usize) % LOOKUP_CACHE_SIZE
    }

    /// The cached result for `(table, q)`: `Some(None)` is a cached miss; `None` is not cached.
    pub fn get(&self, table: u16, q: crate::qstr::Qstr) -> Option<Option<Obj>> {
        let (t, n, bits) = self.entries[Self::slot(table, q)].get();
        if t == table && n == q.0 {
            return Some(if bits == 0 {
                None
            } else {
                Some(Obj::from_bits(bits))
            });
        }
        None
    }

    /// Remembers the result for `(table, q)`.
    pub fn put(&self, table: u16, q: crate::qstr::Qstr, v: Option<Obj>) {
        let bits = v.map_or(0, |o| o.bits());
        self.entries[Self::slot(table, q)].set((table, q.0, bits));
    }
}

/// Finds a table entry by name at compile time (for builtins that refer to each other).
pub const fn index_of(t: &[Native], name: &str) -> usize {
    let mut i = 0;
    while i < t.len() {
        let text = crate::qstr::static_text(t[i].name);
        if !str_lt(text, name) && !str_lt(name, text) {
            return i;
        }
        i += 1;
    }
    usize::MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_fit() {
        for t in TABLES.iter() {
            assert!(t.len() < 512);
            for w in t.windows(2) {
                let (a, b) = (w[0].name_str(), w[1].name_str());
                assert!(a < b, "{a} {b}");
            }
        }
    }
}
