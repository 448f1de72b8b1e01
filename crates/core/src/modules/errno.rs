//! `errno`: the error numbers of MicroPython's unix port, and `errorcode` mapping them back
//! to their names.

use crate::native::{Native, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

/// The module's functions (it has none).
pub static FUNCTIONS: [Native; 0] = [];

/// The error numbers, sorted by number (Linux values, as MicroPython's unix port has them).
static CODES: [(&str, i32); 22] = [
    ("EPERM", 1),
    ("ENOENT", 2),
    ("EIO", 5),
    ("EBADF", 9),
    ("EAGAIN", 11),
    ("ENOMEM", 12),
    ("EACCES", 13),
    ("EEXIST", 17),
    ("ENODEV", 19),
    ("EISDIR", 21),
    ("EINVAL", 22),
    ("EOPNOTSUPP", 95),
    ("EADDRINUSE", 98),
    ("ECONNABORTED", 103),
    ("ECONNRESET", 104),
    ("ENOBUFS", 105),
    ("ENOTCONN", 107),
    ("ETIMEDOUT", 110),
    ("ECONNREFUSED", 111),
    ("EHOSTUNREACH", 113),
    ("EALREADY", 114),
    ("EINPROGRESS", 115),
];

/// Names of the module's other attributes.
pub static ATTR_NAMES: &[&str] = &[
    "EACCES",
    "EADDRINUSE",
    "EAGAIN",
    "EALREADY",
    "EBADF",
    "ECONNABORTED",
    "ECONNREFUSED",
    "ECONNRESET",
    "EEXIST",
    "EHOSTUNREACH",
    "EINPROGRESS",
    "EINVAL",
    "EIO",
    "EISDIR",
    "ENOBUFS",
    "ENODEV",
    "ENOENT",
    "ENOMEM",
    "ENOTCONN",
    "EOPNOTSUPP",
    "EPERM",
    "ETIMEDOUT",
    "errorcode",
];

/// The name of error number `code` (`"EIO"` for 5), for `errorcode` and `OSError` messages.
pub fn errno_name(code: i64) -> Option<&'static str> {
    CODES
        .iter()
        .find(|&&(_, c)| i64::from(c) == code)
        .map(|&(n, _)| n)
}

/// The module's other attributes: the constants and `errorcode`.
pub fn module_attr(vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    if let Some(&(_, c)) = CODES.iter().find(|&&(n, _)| n == name) {
        return Ok(Some(Obj::small_int_unchecked(c)));
    }
    if name == "errorcode" {
        let d = vm.new_dict()?;
        for &(n, c) in CODES.iter() {
            let s = vm.new_str(n)?;
            vm.dict_set(d, Obj::small_int_unchecked(c), s)?;
        }
        return Ok(Some(d));
    }
    Ok(None)
}
