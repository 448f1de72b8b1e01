//! `select`: MicroPython's `poll` objects over the streams the port has.
//!
//! In-memory streams are always ready; the console streams are ready for what they do
//! (stdout and stderr for writing, stdin for reading); Python objects answer through their
//! `ioctl(MP_STREAM_POLL, mask)` method, as MicroPython's custom pollables do.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::obj::strbytes::arity;
use crate::object::HeapObj;
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

crate::native_table!(pub FUNCTIONS = [
    ("poll", select_poll),
]);

crate::native_table!(pub POLL_METHODS = [
    ("ipoll", poll_ipoll),
    ("modify", poll_modify),
    ("poll", poll_poll),
    ("register", poll_register),
    ("unregister", poll_unregister),
]);

/// Readable.
const POLLIN: u32 = 0x0001;
/// Writable.
const POLLOUT: u32 = 0x0004;
/// An error.
const POLLERR: u32 = 0x0008;
/// Hung up.
const POLLHUP: u32 = 0x0010;
/// Not an open file descriptor.
const POLLNVAL: u32 = 0x0020;

/// The most file descriptors one poll may watch (the host's usual `OPEN_MAX`).
const MAX_FDS: usize = 1024;

/// The `ioctl` request that asks a stream which events are ready.
const MP_STREAM_POLL: i32 = 3;

/// Names of the module's other attributes.
pub static ATTR_NAMES: &[&str] = &["POLLERR", "POLLHUP", "POLLIN", "POLLOUT"];

/// The module's other attributes: the event bits.
pub fn module_attr(_vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    let v = match name {
        "POLLIN" => POLLIN,
        "POLLOUT" => POLLOUT,
        "POLLERR" => POLLERR,
        "POLLHUP" => POLLHUP,
        _ => return Ok(None),
    };
    Ok(Some(Obj::small_int_unchecked(v as i32)))
}

/// A poll object: the registered objects and the events each waits for.
#[derive(Default)]
pub struct PollObj {
    /// `(object, event mask)` pairs.
    pub entries: Vec<(Obj, u32)>,
}

/// `select.poll()`.
fn select_poll(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 0, 0)?;
    vm.alloc(HeapObj::Poll(Box::default()))
}

fn entries(vm: &mut Vm, p: Obj) -> PyResult<&mut Vec<(Obj, u32)>> {
    if !matches!(vm.heap.get(p), Some(HeapObj::Poll(_))) {
        raise!(vm, TYPE_ERROR, "expected a poll object");
    }
    match vm.heap.get_mut(p) {
        Some(HeapObj::Poll(p)) => Ok(&mut p.entries),
        _ => Err(Obj::NONE),
    }
}

fn mask_arg(vm: &mut Vm, o: Option<&Obj>) -> PyResult<u32> {
    match o {
        Some(&m) => Ok(vm.index_value(m)? as u32),
        None => Ok(POLLIN | POLLOUT),
    }
}

/// `poll.register(obj[, eventmask])`: registering again replaces the mask.
fn poll_register(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 2, 3)?;
    let mask = mask_arg(vm, args.get(2))?;
    if args[1].as_small_int().is_some_and(|fd| fd < 0) {
        raise!(vm, VALUE_ERROR, "negative file descriptor");
    }
    let e = entries(vm, args[0])?;
    match e.iter_mut().find(|(o, _)| *o == args[1]) {
        Some(slot) => slot.1 = mask,
        None => e.push((args[1], mask)),
    }
    Ok(Obj::NONE)
}

/// `poll.unregister(obj)`.
fn poll_unregister(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 2, 2)?;
    entries(vm, args[0])?.retain(|(o, _)| *o != args[1]);
    Ok(Obj::NONE)
}

/// `poll.modify(obj, eventmask)`: `OSError(ENOENT)` if `obj` is not registered.
fn poll_modify(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 3, 3)?;
    let mask = mask_arg(vm, args.get(2))?;
    let found = match entries(vm, args[0])?
        .iter_mut()
        .find(|(o, _)| *o == args[1])
    {
        Some(slot) => {
            slot.1 = mask;
            true
        }
        None => false,
    };
    if !found {
        let code = Obj::small_int_unchecked(2);
        return Err(vm.exc_with_arg(ty::OS_ERROR, code));
    }
    Ok(Obj::NONE)
}

/// Standard input is readable when the port says a read would not block.
fn stdin_events(vm: &mut Vm) -> u32 {
    if vm.port.stdin_ready() {
        POLLIN
    } else {
        0
    }
}

/// The events of `mask` that `o` has ready.
fn ready(vm: &mut Vm, o: Obj, mask: u32) -> PyResult<u32> {
    if let Some(fd) = o.as_small_int() {
        return Ok(match fd {
            0 => stdin_events(vm) & mask,
            1 | 2 => POLLOUT & mask,
            _ => POLLNVAL,
        });
    }
    if let Some(m) = o.as_builtin_module() {
        let can = match crate::modules::sys::stream_fd(m) {
            Some(0) => stdin_events(vm),
            Some(_) => POLLOUT,
            None => 0,
        };
        return Ok(can & mask);
    }
    if matches!(vm.heap.get(o), Some(HeapObj::StringIo(_))) {
        return Ok((POLLIN | POLLOUT) & mask);
    }
    let ioctl = vm.intern("ioctl")?;
    let req = Obj::small_int_unchecked(MP_STREAM_POLL);
    let m = vm.new_int(i64::from(mask))?;
    let r = vm.call_method(o, ioctl, &[req, m])?;
    let r = vm.index_value(r)?;
    if r < 0 {
        let code = vm.new_int(-r)?;
        return Err(vm.exc_with_arg(ty::OS_ERROR, code));
    }
    Ok(r as u32 & (mask | POLLERR | POLLHUP))
}

/// One scan over the registered objects: `(object, events)` for each that is ready.
fn scan(vm: &mut Vm, p: Obj) -> PyResult<Vec<(Obj, u32)>> {
    let list = entries(vm, p)?.clone();
    if list.iter().filter(|(o, _)| o.is_small_int()).count() > MAX_FDS {
        let code = Obj::small_int_unchecked(22);
        return Err(vm.exc_with_arg(ty::OS_ERROR, code));
    }
    let mut out = Vec::new();
    for (o, mask) in list {
        vm.heap.keep(o);
        let ev = ready(vm, o, mask)?;
        if ev != 0 {
            out.push((o, ev));
        }
    }
    Ok(out)
}

/// Scans until something is ready or `timeout` ms pass (negative: no limit).
fn wait(vm: &mut Vm, p: Obj, timeout: Option<&Obj>) -> PyResult<Vec<(Obj, u32)>> {
    let timeout = match timeout {
        Some(&t) if t != Obj::NONE => vm.index_value(t)?,
        _ => -1,
    };
    let start = vm.port.ticks_ms();
    loop {
        let r = scan(vm, p)?;
        if !r.is_empty() {
            return Ok(r);
        }
        let elapsed = vm.port.ticks_ms().saturating_sub(start);
        if timeout >= 0 && elapsed >= timeout as u64 {
            return Ok(r);
        }
        if vm.port.interrupted() {
            return Err(vm.exc(ty::KEYBOARD_INTERRUPT, ""));
        }
        vm.port.sleep_us(1000);
    }
}

/// `poll.poll([timeout])`: a list of `(obj, event)` tuples.
fn poll_poll(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 2)?;
    let r = wait(vm, args[0], args.get(1))?;
    let mut items = Vec::with_capacity(r.len());
    for (o, ev) in r {
        let e = vm.new_int(i64::from(ev))?;
        items.push(vm.new_tuple(&[o, e])?);
    }
    vm.new_list(items)
}

/// `poll.ipoll([timeout[, flags]])`: like `poll`, as an iterator.
fn poll_ipoll(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, 1, 3)?;
    let l = poll_poll(vm, &args[..args.len().min(2)], kw)?;
    vm.get_iter(l)
}
