//! Built-in modules: static tables of functions plus computed attributes.
//!
//! A built-in module is the immediate `Obj::builtin_module(i)`; its functions are a native
//! table, its other attributes are computed by `attr`. Setting an attribute on one is allowed
//! only where the module says so.

pub mod array;
pub mod asyncio;
pub mod binascii;
pub mod cmath;
pub mod collections;
pub mod deflate;
pub mod deflate_codec;
pub mod errno;
pub mod framebuf;
pub mod framebuf_draw;
pub mod frozen;
pub mod gc;
pub mod hashlib;
pub mod heapq;
pub mod io;
pub mod json;
pub mod machine;
pub mod machine_analog;
pub mod machine_i2c;
pub mod machine_pin;
pub mod machine_spi;
pub mod machine_timer;
pub mod math;
pub mod micropython;
pub mod os;
pub mod platform;
pub mod pyb;
pub mod pyb_flash;
pub mod pyb_i2c;
pub mod pyb_timer;
pub mod pyb_timer_channel;
pub mod random;
pub mod re;
pub mod ringio;
pub mod select;
pub mod struct_;
pub mod sys;
pub mod time;
pub mod uctypes;
pub mod vfs;

use alloc::vec::Vec;

use crate::native::{self, table, PyResult};
use crate::qstr::Qstr;
use crate::value::Obj;
use crate::vm::Vm;

/// A built-in module.
pub struct ModuleInfo {
    /// Its name.
    pub name: &'static str,
    /// Its function table.
    pub functions: u16,
    /// Attributes that are not functions.
    pub attr: fn(&mut Vm, &str) -> PyResult<Option<Obj>>,
    /// The names `attr` knows, for `dir()`.
    pub attr_names: &'static [&'static str],
}

fn no_attr(_vm: &mut Vm, _name: &str) -> PyResult<Option<Obj>> {
    Ok(None)
}

/// Module ids.
pub mod id {
    /// `json`.
    pub const JSON: u16 = 14;
    /// `re`.
    pub const RE: u16 = 15;
    /// `binascii`.
    pub const BINASCII: u16 = 16;
    /// `hashlib`.
    pub const HASHLIB: u16 = 17;
    /// `heapq`.
    pub const HEAPQ: u16 = 18;
    /// `random`.
    pub const RANDOM: u16 = 19;
    /// `errno`.
    pub const ERRNO: u16 = 20;
    /// `platform`.
    pub const PLATFORM: u16 = 21;
    /// `select`.
    pub const SELECT: u16 = 22;
    /// `framebuf`.
    pub const FRAMEBUF: u16 = 23;
    /// `uctypes`.
    pub const UCTYPES: u16 = 24;
    /// `os`.
    pub const OS: u16 = 25;
    /// `_asyncio`.
    pub const ASYNCIO: u16 = 26;
    /// `vfs`.
    pub const VFS: u16 = 27;
    /// `deflate`.
    pub const DEFLATE: u16 = 28;
    /// `machine`.
    pub const MACHINE: u16 = 29;
    /// `pyb`.
    pub const PYB: u16 = 30;

    /// `time`.
    pub const TIME: u16 = 13;
    /// `sys`.
    pub const SYS: u16 = 0;
    /// `gc`.
    pub const GC: u16 = 1;
    /// `micropython`.
    pub const MICROPYTHON: u16 = 2;
    /// `builtins`.
    pub const BUILTINS: u16 = 3;
    /// `sys.stdout` (a stream object).
    pub const STDOUT: u16 = 4;
    /// `sys.stderr`.
    pub const STDERR: u16 = 5;
    /// `sys.stdin`.
    pub const STDIN: u16 = 6;
    /// `math`.
    pub const MATH: u16 = 7;
    /// `cmath`.
    pub const CMATH: u16 = 8;
    /// `array`.
    pub const ARRAY: u16 = 9;
    /// `struct`.
    pub const STRUCT: u16 = 10;
    /// `collections`.
    pub const COLLECTIONS: u16 = 11;
    /// `io`.
    pub const IO: u16 = 12;
}

/// Every built-in module, by id.
pub static MODULES: [ModuleInfo; 31] = [
    ModuleInfo {
        name: "sys",
        functions: table::SYS,
        attr: sys::sys_attr,
        attr_names: sys::ATTR_NAMES,
    },
    ModuleInfo {
        name: "gc",
        functions: table::GC,
        attr: no_attr,
        attr_names: &[],
    },
    ModuleInfo {
        name: "micropython",
        functions: table::MICROPYTHON,
        attr: micropython::mp_attr,
        attr_names: &["RingIO"],
    },
    ModuleInfo {
        name: "builtins",
        functions: table::BUILTINS,
        attr: no_attr,
        attr_names: &[],
    },
    ModuleInfo {
        name: "stdout",
        functions: sys::STREAM_TABLE,
        attr: no_attr,
        attr_names: &[],
    },
    ModuleInfo {
        name: "stderr",
        functions: sys::STREAM_TABLE,
        attr: no_attr,
        attr_names: &[],
    },
    ModuleInfo {
        name: "stdin",
        functions: sys::STREAM_TABLE,
        attr: no_attr,
        attr_names: &[],
    },
    ModuleInfo {
        name: "math",
        functions: table::MATH,
        attr: math::math_attr,
        attr_names: math::ATTR_NAMES,
    },
    ModuleInfo {
        name: "cmath",
        functions: table::CMATH,
        attr: cmath::cmath_attr,
        attr_names: cmath::ATTR_NAMES,
    },
    ModuleInfo {
        name: "array",
        functions: table::EMPTY,
        attr: array::module_attr,
        attr_names: array::ATTR_NAMES,
    },
    ModuleInfo {
        name: "struct",
        functions: table::STRUCT,
        attr: no_attr,
        attr_names: &[],
    },
    ModuleInfo {
        name: "collections",
        functions: table::COLLECTIONS,
        attr: collections::module_attr,
        attr_names: collections::ATTR_NAMES,
    },
    ModuleInfo {
        name: "io",
        functions: table::EMPTY,
        attr: io::module_attr,
        attr_names: io::ATTR_NAMES,
    },
    ModuleInfo {
        name: "time",
        functions: table::TIME,
        attr: no_attr,
        attr_names: &[],
    },
    ModuleInfo {
        name: "json",
        functions: table::JSON,
        attr: json::module_attr,
        attr_names: json::ATTR_NAMES,
    },
    ModuleInfo {
        name: "re",
        functions: table::RE,
        attr: re::module_attr,
        attr_names: re::ATTR_NAMES,
    },
    ModuleInfo {
        name: "binascii",
        functions: table::BINASCII,
        attr: binascii::module_attr,
        attr_names: binascii::ATTR_NAMES,
    },
    ModuleInfo {
        name: "hashlib",
        functions: table::HASHLIB,
        attr: hashlib::module_attr,
        attr_names: hashlib::ATTR_NAMES,
    },
    ModuleInfo {
        name: "heapq",
        functions: table::HEAPQ,
        attr: heapq::module_attr,
        attr_names: heapq::ATTR_NAMES,
    },
    ModuleInfo {
        name: "random",
        functions: table::RANDOM,
        attr: random::module_attr,
        attr_names: random::ATTR_NAMES,
    },
    ModuleInfo {
        name: "errno",
        functions: table::ERRNO,
        attr: errno::module_attr,
        attr_names: errno::ATTR_NAMES,
    },
    ModuleInfo {
        name: "platform",
        functions: table::PLATFORM,
        attr: platform::module_attr,
        attr_names: platform::ATTR_NAMES,
    },
    ModuleInfo {
        name: "select",
        functions: table::SELECT,
        attr: select::module_attr,
        attr_names: select::ATTR_NAMES,
    },
    ModuleInfo {
        name: "framebuf",
        functions: table::FRAMEBUF,
        attr: framebuf::module_attr,
        attr_names: framebuf::ATTR_NAMES,
    },
    ModuleInfo {
        name: "uctypes",
        functions: table::UCTYPES,
        attr: uctypes::module_attr,
        attr_names: uctypes::ATTR_NAMES,
    },
    ModuleInfo {
        name: "os",
        functions: table::OS,
        attr: os::module_attr,
        attr_names: os::ATTR_NAMES,
    },
    ModuleInfo {
        name: "_asyncio",
        functions: table::ASYNCIO,
        attr: asyncio::module_attr,
        attr_names: asyncio::ATTR_NAMES,
    },
    ModuleInfo {
        name: "vfs",
        functions: table::VFS_MODULE,
        attr: vfs::module_attr,
        attr_names: vfs::ATTR_NAMES,
    },
    ModuleInfo {
        name: "deflate",
        functions: table::DEFLATE,
        attr: deflate::module_attr,
        attr_names: deflate::ATTR_NAMES,
    },
    ModuleInfo {
        name: "machine",
        functions: table::MACHINE,
        attr: machine::module_attr,
        attr_names: machine::ATTR_NAMES,
    },
    ModuleInfo {
        name: "pyb",
        functions: table::PYB,
        attr: pyb::module_attr,
        attr_names: pyb::ATTR_NAMES,
    },
];

/// The importable built-in modules: `(name, id)`.
const IMPORTABLE: [(&str, u16); 45] = [
    ("deflate", id::DEFLATE),
    ("machine", id::MACHINE),
    ("umachine", id::MACHINE),
    ("pyb", id::PYB),
    ("hashlib", id::HASHLIB),
    ("uhashlib", id::HASHLIB),
    ("re", id::RE),
    ("ure", id::RE),
    ("select", id::SELECT),
    ("uselect", id::SELECT),
    ("os", id::OS),
    ("uos", id::OS),
    ("vfs", id::VFS),
    ("json", id::JSON),
    ("ujson", id::JSON),
    ("random", id::RANDOM),
    ("urandom", id::RANDOM),
    ("binascii", id::BINASCII),
    ("ubinascii", id::BINASCII),
    ("uheapq", id::HEAPQ),
    ("uplatform", id::PLATFORM),
    ("errno", id::ERRNO),
    ("uerrno", id::ERRNO),
    ("platform", id::PLATFORM),
    ("heapq", id::HEAPQ),
    ("framebuf", id::FRAMEBUF),
    ("uctypes", id::UCTYPES),
    ("time", id::TIME),
    ("utime", id::TIME),
    ("builtins", id::BUILTINS),
    ("gc", id::GC),
    ("micropython", id::MICROPYTHON),
    ("sys", id::SYS),
    ("usys", id::SYS),
    ("ugc", id::GC),
    ("math", id::MATH),
    ("cmath", id::CMATH),
    ("array", id::ARRAY),
    ("uarray", id::ARRAY),
    ("struct", id::STRUCT),
    ("ustruct", id::STRUCT),
    ("collections", id::COLLECTIONS),
    ("ucollections", id::COLLECTIONS),
    ("io", id::IO),
    ("uio", id::IO),
];

/// The built-in module called `name`, if any.
pub fn find(name: &str) -> Option<Obj> {
    IMPORTABLE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, i)| Obj::builtin_module(i))
}

/// The name of built-in module `m`.
pub fn module_name(m: u16) -> &'static str {
    MODULES.get(m as usize).map_or("?", |i| i.name)
}

/// The attribute `name` of built-in module `m`.
pub fn module_attr(vm: &mut Vm, m: u16, name: Qstr) -> PyResult<Option<Obj>> {
    let Some(info) = MODULES.get(m as usize) else {
        return Ok(None);
    };
    let s = alloc::string::String::from(vm.qstr_str(name));
    if s == "__name__" {
        return vm.new_str(info.name).map(Some);
    }
    if m == id::BUILTINS {
        return Ok(crate::builtins::lookup_builtin(vm, name));
    }
    if let Some((o, _)) = native::lookup(info.functions, &s) {
        // Stream objects' functions are methods: bind them to the stream.
        if matches!(m, id::STDOUT | id::STDERR | id::STDIN) {
            let stream = Obj::builtin_module(m);
            return vm
                .alloc(crate::object::HeapObj::NativeBound(stream, o))
                .map(Some);
        }
        return Ok(Some(o));
    }
    (info.attr)(vm, &s)
}

/// `m.name = v` for a built-in module.
pub fn module_setattr(vm: &mut Vm, m: u16, name: Qstr, _v: Obj) -> PyResult<()> {
    let n = alloc::string::String::from(vm.qstr_str(name));
    let _ = m;
    raise!(
        vm,
        ATTRIBUTE_ERROR,
        "'module' object has no attribute '{}'",
        n
    )
}

/// The names in built-in module `m`, for `dir()`.
pub fn module_names(m: u16) -> Vec<&'static str> {
    let Some(info) = MODULES.get(m as usize) else {
        return Vec::new();
    };
    let mut v: Vec<&'static str> = native::TABLES
        .get(info.functions as usize)
        .map(|t| t.iter().map(|n| n.name_str()).collect())
        .unwrap_or_default();
    v.extend_from_slice(info.attr_names);
    v.push("__name__");
    v
}
