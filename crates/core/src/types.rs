//! The built-in types: a static table of names, bases and method tables.
//!
//! A built-in type is the immediate `Obj::builtin_type(ty::X)`. Its methods are in the native
//! table `methods` names; its base gives `isinstance` and the exception hierarchy.

use crate::native::table;
use crate::value::Obj;

/// A built-in type.
pub struct TypeInfo {
    /// `__name__`.
    pub name: &'static str,
    /// The base type (`ty::OBJECT` has itself).
    pub base: u16,
    /// The id of its method table.
    pub methods: u16,
    /// Whether Python classes may derive from it.
    pub subclassable: bool,
}

macro_rules! builtin_types {
    ($($id:ident = ($name:literal, $base:ident, $methods:ident, $sub:literal);)*) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u16)]
        enum TypeIndex { $($id),* }

        /// Type ids, indices into `TYPES`.
        pub mod ty {
            $(#[allow(missing_docs)] pub const $id: u16 = super::TypeIndex::$id as u16;)*
        }

        /// Every built-in type, by id.
        pub static TYPES: &[TypeInfo] = &[$(TypeInfo {
            name: $name,
            base: ty::$base,
            methods: table::$methods,
            subclassable: $sub,
        }),*];
    };
}

builtin_types! {
    OBJECT = ("object", OBJECT, OBJECT, true);
    TYPE = ("type", OBJECT, TYPE, true);
    NONE = ("NoneType", OBJECT, EMPTY, false);
    INT = ("int", OBJECT, INT, true);
    BOOL = ("bool", INT, INT, false);
    FLOAT = ("float", OBJECT, FLOAT, true);
    COMPLEX = ("complex", OBJECT, COMPLEX, true);
    STR = ("str", OBJECT, STR, true);
    BYTES = ("bytes", OBJECT, BYTES, true);
    BYTEARRAY = ("bytearray", OBJECT, BYTEARRAY, true);
    LIST = ("list", OBJECT, LIST, true);
    TUPLE = ("tuple", OBJECT, TUPLE, true);
    DICT = ("dict", OBJECT, DICT, true);
    SET = ("set", OBJECT, SET, true);
    FROZENSET = ("frozenset", OBJECT, FROZENSET, true);
    RANGE = ("range", OBJECT, RANGE, false);
    SLICE = ("slice", OBJECT, SLICE, false);
    MEMORYVIEW = ("memoryview", OBJECT, MEMORYVIEW, false);
    FUNCTION = ("function", OBJECT, EMPTY, false);
    BOUND_METHOD = ("bound_method", OBJECT, EMPTY, false);
    BUILTIN_FUNCTION = ("function", OBJECT, EMPTY, false);
    CLASSMETHOD = ("classmethod", OBJECT, EMPTY, false);
    STATICMETHOD = ("staticmethod", OBJECT, EMPTY, false);
    PROPERTY = ("property", OBJECT, PROPERTY, false);
    MODULE = ("module", OBJECT, EMPTY, false);
    GENERATOR = ("generator", OBJECT, GENERATOR, false);
    COROUTINE = ("coroutine", OBJECT, GENERATOR, false);
    ASYNC_GENERATOR = ("async_generator", OBJECT, GENERATOR, false);
    CELL = ("cell", OBJECT, EMPTY, false);
    CODE = ("code", OBJECT, EMPTY, false);
    ITERATOR = ("iterator", OBJECT, ITERATOR, false);
    SUPER = ("super", OBJECT, EMPTY, false);
    ELLIPSIS = ("ellipsis", OBJECT, EMPTY, false);
    NOT_IMPLEMENTED = ("NotImplementedType", OBJECT, EMPTY, false);
    ENUMERATE = ("enumerate", OBJECT, ITERATOR, false);
    ZIP = ("zip", OBJECT, ITERATOR, false);
    MAP = ("map", OBJECT, ITERATOR, false);
    FILTER = ("filter", OBJECT, ITERATOR, false);
    REVERSED = ("reversed", OBJECT, ITERATOR, false);
    DICT_KEYS = ("dict_keys", OBJECT, DICT_VIEW, false);
    DICT_VALUES = ("dict_values", OBJECT, DICT_VIEW, false);
    DICT_ITEMS = ("dict_items", OBJECT, DICT_VIEW, false);
    BASE_EXCEPTION = ("BaseException", OBJECT, EXCEPTION, true);
    SYSTEM_EXIT = ("SystemExit", BASE_EXCEPTION, EXCEPTION, true);
    KEYBOARD_INTERRUPT = ("KeyboardInterrupt", BASE_EXCEPTION, EXCEPTION, true);
    GENERATOR_EXIT = ("GeneratorExit", BASE_EXCEPTION, EXCEPTION, true);
    EXCEPTION = ("Exception", BASE_EXCEPTION, EXCEPTION, true);
    STOP_ITERATION = ("StopIteration", EXCEPTION, EXCEPTION, true);
    STOP_ASYNC_ITERATION = ("StopAsyncIteration", EXCEPTION, EXCEPTION, true);
    ARITHMETIC_ERROR = ("ArithmeticError", EXCEPTION, EXCEPTION, true);
    OVERFLOW_ERROR = ("OverflowError", ARITHMETIC_ERROR, EXCEPTION, true);
    ZERO_DIVISION_ERROR = ("ZeroDivisionError", ARITHMETIC_ERROR, EXCEPTION, true);
    ASSERTION_ERROR = ("AssertionError", EXCEPTION, EXCEPTION, true);
    ATTRIBUTE_ERROR = ("AttributeError", EXCEPTION, EXCEPTION, true);
    EOF_ERROR = ("EOFError", EXCEPTION, EXCEPTION, true);
    IMPORT_ERROR = ("ImportError", EXCEPTION, EXCEPTION, true);
    LOOKUP_ERROR = ("LookupError", EXCEPTION, EXCEPTION, true);
    INDEX_ERROR = ("IndexError", LOOKUP_ERROR, EXCEPTION, true);
    KEY_ERROR = ("KeyError", LOOKUP_ERROR, EXCEPTION, true);
    MEMORY_ERROR = ("MemoryError", EXCEPTION, EXCEPTION, true);
    NAME_ERROR = ("NameError", EXCEPTION, EXCEPTION, true);
    UNBOUND_LOCAL_ERROR = ("UnboundLocalError", NAME_ERROR, EXCEPTION, true);
    OS_ERROR = ("OSError", EXCEPTION, EXCEPTION, true);
    RUNTIME_ERROR = ("RuntimeError", EXCEPTION, EXCEPTION, true);
    NOT_IMPLEMENTED_ERROR = ("NotImplementedError", RUNTIME_ERROR, EXCEPTION, true);
    SYNTAX_ERROR = ("SyntaxError", EXCEPTION, EXCEPTION, true);
    INDENTATION_ERROR = ("IndentationError", SYNTAX_ERROR, EXCEPTION, true);
    TYPE_ERROR = ("TypeError", EXCEPTION, EXCEPTION, true);
    VALUE_ERROR = ("ValueError", EXCEPTION, EXCEPTION, true);
    UNICODE_ERROR = ("UnicodeError", VALUE_ERROR, EXCEPTION, true);
    ARRAY = ("array", OBJECT, ARRAY, true);
    DEQUE = ("deque", OBJECT, DEQUE, false);
    ORDERED_DICT = ("OrderedDict", DICT, DICT, true);
    STRING_IO = ("StringIO", OBJECT, IO_STREAM, true);
    BYTES_IO = ("BytesIO", OBJECT, IO_STREAM, true);
    IOBASE = ("IOBase", OBJECT, EMPTY, true);
    // `sys.stdout` and friends: their methods come from their module table (`sys::STREAM_METHODS`).
    TEXT_IO_WRAPPER = ("TextIOWrapper", OBJECT, EMPTY, false);
    FRAME_BUFFER = ("FrameBuffer", OBJECT, FRAMEBUFFER, true);
    // `uctypes.struct`: attribute and item access come from its descriptor.
    UCTYPES_STRUCT = ("struct", OBJECT, EMPTY, false);
    // Files from `open()`: text and binary.
    TEXT_FILE = ("TextIOWrapper", OBJECT, FILE, false);
    FILE_IO = ("FileIO", OBJECT, FILE, false);
    VFS_POSIX = ("VfsPosix", OBJECT, VFS, false);
    VFS_LFS1 = ("VfsLfs1", OBJECT, VFS, false);
    VFS_LFS2 = ("VfsLfs2", OBJECT, VFS, false);
    VFS_FAT = ("VfsFat", OBJECT, VFS, false);
    SHA256 = ("sha256", OBJECT, HASH, false);
    SHA1 = ("sha1", OBJECT, HASH, false);
    MD5 = ("md5", OBJECT, HASH, false);
    RE_PATTERN = ("re", OBJECT, RE_PATTERN, false);
    RE_MATCH = ("match", OBJECT, RE_MATCH, false);
    POLL = ("poll", OBJECT, POLL, false);
    DEFLATE_IO = ("DeflateIO", OBJECT, DEFLATE_IO, false);
    RING_IO = ("RingIO", OBJECT, RING_IO, false);
    // `machine` and `pyb` (`modules/machine*.rs`, `modules/pyb*.rs`).
    PIN = ("Pin", OBJECT, PIN, false);
    I2C = ("I2C", OBJECT, I2C, false);
    SOFT_I2C = ("SoftI2C", OBJECT, I2C, false);
    SPI = ("SPI", OBJECT, SPI, false);
    SOFT_SPI = ("SoftSPI", OBJECT, SPI, false);
    UART = ("UART", OBJECT, UART, false);
    ADC = ("ADC", OBJECT, ADC, false);
    PWM = ("PWM", OBJECT, PWM, false);
    TIMER = ("Timer", OBJECT, TIMER, false);
    RTC = ("RTC", OBJECT, RTC, false);
    LED = ("LED", OBJECT, LED, false);
    SWITCH = ("Switch", OBJECT, SWITCH, false);
    PYB_I2C = ("I2C", OBJECT, PYB_I2C, false);
    PYB_FLASH = ("Flash", OBJECT, PYB_FLASH, false);
    PYB_TIMER = ("Timer", OBJECT, PYB_TIMER, false);
    PYB_TIMER_CHANNEL = ("TimerChannel", OBJECT, PYB_TIMER_CHANNEL, false);
}

/// Integer constants of built-in classes (`machine.Pin.OUT`): the type, then its names and
/// values, sorted by name.
static CLASS_CONSTS: &[(u16, &[(&str, i32)])] = &[
    (ty::PIN, crate::modules::machine_pin::CONSTS),
    (ty::SPI, crate::modules::machine_spi::SPI_CONSTS),
    (ty::SOFT_SPI, crate::modules::machine_spi::SPI_CONSTS),
    (ty::TIMER, crate::modules::machine_timer::TIMER_CONSTS),
    (ty::PYB_I2C, crate::modules::pyb_i2c::CONSTS),
    (ty::PYB_TIMER, crate::modules::pyb_timer::CONSTS),
];

/// The integer constants of built-in type `t` (empty for most).
pub fn class_consts(t: u16) -> &'static [(&'static str, i32)] {
    CLASS_CONSTS
        .iter()
        .find(|(c, _)| *c == t)
        .map_or(&[], |(_, names)| names)
}

/// The integer constant `name` of built-in type `t`, if it has one.
pub fn class_const(t: u16, name: &str) -> Option<i32> {
    let consts = class_consts(t);
    let i = consts.binary_search_by(|(n, _)| n.cmp(&name)).ok()?;
    consts.get(i).map(|&(_, v)| v)
}

/// The immediate of built-in type `t`.
pub const fn type_obj(t: u16) -> Obj {
    Obj::builtin_type(t)
}

/// The type's entry.
pub fn info(t: u16) -> &'static TypeInfo {
    TYPES.get(t as usize).unwrap_or(&TYPES[0])
}

/// Whether built-in type `t` is `base` or derives from it.
pub fn is_subtype(mut t: u16, base: u16) -> bool {
    loop {
        if t == base {
            return true;
        }
        if t == ty::OBJECT {
            return base == ty::OBJECT;
        }
        t = info(t).base;
    }
}

/// Whether built-in type `t` is an exception class.
pub fn is_exception(t: u16) -> bool {
    is_subtype(t, ty::BASE_EXCEPTION)
}
