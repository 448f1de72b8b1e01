//! `sys`: the interpreter's own state, as MicroPython exposes it.

use alloc::string::String;

use crate::native::{table, Kw, PyResult};
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

/// The native table of stream objects (`sys.stdout.write`).
pub const STREAM_TABLE: u16 = table::STREAM;

/// The version of the language MicroPython reports.
pub const VERSION: &str = "3.4.0";

/// Names of the computed attributes of `sys`.
pub static ATTR_NAMES: &[&str] = &[
    "argv",
    "byteorder",
    "implementation",
    "maxsize",
    "modules",
    "path",
    "platform",
    "stderr",
    "stdin",
    "stdout",
    "version",
    "version_info",
];

/// The file descriptor of `sys.stdin`, `sys.stdout` or `sys.stderr` (built-in module ids
/// standing for stream objects); `None` for a real module.
pub fn stream_fd(m: u16) -> Option<u8> {
    match m {
        super::id::STDIN => Some(0),
        super::id::STDOUT => Some(1),
        super::id::STDERR => Some(2),
        _ => None,
    }
}

/// `sys.<name>`.
pub fn sys_attr(vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    Ok(Some(match name {
        "argv" => vm.sys_argv,
        "path" => vm.sys_path,
        "modules" => vm.modules,
        "stdout" => Obj::builtin_module(super::id::STDOUT),
        "stderr" => Obj::builtin_module(super::id::STDERR),
        "stdin" => Obj::builtin_module(super::id::STDIN),
        "byteorder" => vm.new_str("little")?,
        "platform" => {
            let p = vm.port.platform();
            vm.new_str(p)?
        }
        "version" => {
            let s = alloc::format!("{}; Pyrite {}", VERSION, crate::VERSION);
            vm.new_string(s)?
        }
        "version_info" => {
            let t = [3, 4, 0].map(Obj::small_int_unchecked);
            vm.new_tuple(&t)?
        }
        // The largest length: the machine word's, as MicroPython's (2**31 - 1 on a 32-bit board).
        "maxsize" => {
            let max = i64::try_from(isize::MAX).unwrap_or(i64::MAX);
            crate::obj::int::from_big(vm, pyrite_mpz::BigInt::from_i64(max))?
        }
        "implementation" => implementation(vm)?,
        _ => return Ok(None),
    }))
}

fn implementation(vm: &mut Vm) -> PyResult<Obj> {
    // A named tuple, as MicroPython's attrtuple: `(name='micropython', version=(1, 29, 0), ...)`.
    let nt = vm.intern("namedtuple")?;
    let Some(make) = super::module_attr(vm, super::id::COLLECTIONS, nt)? else {
        raise!(vm, RUNTIME_ERROR, "namedtuple missing");
    };
    let cname = vm.new_str("implementation")?;
    let fields = vm.new_str("name version _machine _mpy _build")?;
    let cls = vm.call(make, &[cname, fields], &[])?;
    vm.heap.keep(cls);
    let name = vm.new_str("micropython")?;
    let (major, minor, micro) = crate::version_triple();
    let v = [major, minor, micro].map(|x| Obj::small_int_unchecked(x as i32));
    let version = vm.new_tuple(&v)?;
    let platform = vm.port.platform();
    let machine = vm.new_string(alloc::format!(
        "Pyrite {} with {}",
        crate::VERSION,
        platform
    ))?;
    let build = vm.new_string(alloc::format!("pyrite-{}", platform))?;
    let mpy = Obj::small_int_unchecked(0);
    vm.call(cls, &[name, version, machine, mpy, build], &[])
}

/// Writes text to a file object (`print(file=...)`): the console streams or anything with a
/// `write` method.
pub fn write_to(vm: &mut Vm, file: Obj, s: &str) -> PyResult<()> {
    if file == Obj::NONE || file == Obj::builtin_module(super::id::STDOUT) {
        vm.port.stdout(s.as_bytes());
        return Ok(());
    }
    if file == Obj::builtin_module(super::id::STDERR) {
        vm.port.stderr(s.as_bytes());
        return Ok(());
    }
    let so = vm.new_str(s)?;
    let n = vm.call_method(file, crate::qstr::q::write, &[so])?;
    // A stream that claims to have written more than it was given is broken: EIO.
    if let Some(n) = n.as_small_int() {
        if n as usize > s.len() {
            return Err(vm.exc_with_arg(ty::OS_ERROR, Obj::small_int_unchecked(5)));
        }
    }
    Ok(())
}

fn sys_exit(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let e = match args.first() {
        Some(&code) => vm.exc_with_arg(ty::SYSTEM_EXIT, code),
        None => vm.exc(ty::SYSTEM_EXIT, ""),
    };
    Err(e)
}

fn sys_print_exception(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(&e) = args.first() else {
        raise!(vm, TYPE_ERROR, "print_exception expected 1 argument");
    };
    let file = args.get(1).copied().unwrap_or(Obj::NONE);
    // As MicroPython: the output must be a stream (OSError otherwise), checked first.
    let console = [super::id::STDOUT, super::id::STDERR].map(Obj::builtin_module);
    if file != Obj::NONE
        && !console.contains(&file)
        && vm.getattr_opt(file, crate::qstr::q::write)?.is_none()
    {
        return Err(vm.exc_with_arg(ty::OS_ERROR, Obj::small_int_unchecked(22)));
    }
    if !vm.is_exception(e) {
        raise!(vm, TYPE_ERROR, "print_exception expected an exception");
    }
    let s = vm.format_exception(e);
    write_to(vm, file, &s)?;
    Ok(Obj::NONE)
}

fn sys_exc_info(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let e = vm.handled;
    if e.is_null() {
        return vm.new_tuple(&[Obj::NONE, Obj::NONE, Obj::NONE]);
    }
    let c = vm.exc_class(e);
    vm.new_tuple(&[c, e, Obj::NONE])
}

fn stream_write(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (Some(&stream), Some(&data)) = (args.first(), args.get(1)) else {
        raise!(vm, TYPE_ERROR, "write expected 1 argument");
    };
    let bytes: alloc::vec::Vec<u8> = match vm.str_of(data) {
        Some(s) => s.as_bytes().to_vec(),
        None => crate::obj::bytes::buffer_of(vm, data)?,
    };
    if stream == Obj::builtin_module(super::id::STDERR) {
        vm.port.stderr(&bytes);
    } else {
        vm.port.stdout(&bytes);
    }
    let n = match vm.str_of(data) {
        Some(s) => s.chars().count(),
        None => bytes.len(),
    };
    vm.new_int(n as i64)
}

fn stream_flush(_vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

fn stream_readline(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    match vm.port.read_line() {
        crate::port::Input::Line(mut l) => {
            l.push('\n');
            vm.new_string(l)
        }
        crate::port::Input::Eof => vm.new_str(""),
        crate::port::Input::Interrupted => raise!(vm, KEYBOARD_INTERRUPT, ""),
    }
}

fn stream_read(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let mut all = String::new();
    loop {
        match vm.port.read_line() {
            crate::port::Input::Line(l) => {
                all.push_str(&l);
                all.push('\n');
                if args.len() > 1 {
                    break;
                }
            }
            crate::port::Input::Eof => break,
            crate::port::Input::Interrupted => raise!(vm, KEYBOARD_INTERRUPT, ""),
        }
    }
    let _ = kw;
    vm.new_string(all)
}

/// `sys.atexit(f)`: `f` runs when the program ends; returns the function registered before.
fn sys_atexit(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [f] = args else {
        raise!(vm, TYPE_ERROR, "atexit() takes 1 argument");
    };
    let prev = core::mem::replace(&mut vm.atexit, *f);
    Ok(if prev.is_null() { Obj::NONE } else { prev })
}

crate::native_table!(pub FUNCTIONS = [
    ("atexit", sys_atexit),
    ("exc_info", sys_exc_info),
    ("exit", sys_exit),
    ("print_exception", sys_print_exception),
]);

crate::native_table!(pub STREAM_METHODS = [
    ("flush", stream_flush),
    ("read", stream_read),
    ("readline", stream_readline),
    ("write", stream_write),
]);
