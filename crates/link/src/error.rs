//! What can go wrong between the host and a board, and the `OSError` numbers a board reports.
//!
//! A board prints an `OSError` as `OSError: [Errno 2] ENOENT` (with `errno.errorcode`) or as
//! `OSError: 2` (without). Both carry MicroPython's errno number (`py/mperrno.h`, the Linux
//! numbering), which is what [`LinkError::errno`] returns on every host: the numbers are the
//! board's, not the host OS's.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::literal::encode_bytes;

/// An error from talking to a board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// The transport failed; the message is the platform's.
    Io(String),
    /// The connection is gone (end of stream, device unplugged).
    Disconnected,
    /// Nothing (or not the expected reply) arrived in time.
    Timeout {
        /// What the host was waiting for, e.g. `"the raw REPL banner"`.
        waiting_for: &'static str,
        /// The last bytes that did arrive while waiting (at most [`TIMEOUT_TAIL`]).
        received: Vec<u8>,
    },
    /// The board answered something the protocol does not allow.
    Protocol(String),
    /// Code run on the board raised an exception.
    Exception {
        /// The traceback as the board printed it (`Traceback (most recent call last): ...`).
        traceback: String,
    },
    /// A file operation failed with `OSError`.
    Os {
        /// MicroPython's errno number (see [`errno`]).
        errno: i32,
        /// The board path the operation was about.
        path: String,
        /// The traceback as the board printed it.
        traceback: String,
    },
    /// A reply was not the Python literal expected.
    Parse(String),
}

/// How many of the last received bytes a [`LinkError::Timeout`] keeps for diagnosis.
pub const TIMEOUT_TAIL: usize = 80;

impl LinkError {
    /// The errno of an `OSError` raised on the board, parsed from its traceback as mpremote does.
    pub fn errno(&self) -> Option<i32> {
        match self {
            LinkError::Os { errno, .. } => Some(*errno),
            LinkError::Exception { traceback } => errno::parse_oserror(traceback),
            _ => None,
        }
    }

    /// The last line of a board traceback, e.g. `ZeroDivisionError: divide by zero`.
    pub fn exception_line(&self) -> Option<&str> {
        match self {
            LinkError::Exception { traceback } | LinkError::Os { traceback, .. } => {
                last_line(traceback)
            }
            _ => None,
        }
    }

    /// Turns an `OSError` traceback into [`LinkError::Os`] about `path`; other errors pass.
    pub(crate) fn for_path(self, path: &str) -> LinkError {
        match self {
            LinkError::Exception { traceback } => match errno::parse_oserror(&traceback) {
                Some(errno) => LinkError::Os {
                    errno,
                    path: path.into(),
                    traceback,
                },
                None => LinkError::Exception { traceback },
            },
            other => other,
        }
    }
}

fn last_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).rfind(|l| !l.is_empty())
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Io(msg) => write!(f, "transport error: {msg}"),
            LinkError::Disconnected => f.write_str("the board disconnected"),
            LinkError::Timeout {
                waiting_for,
                received,
            } => {
                write!(f, "timed out waiting for {waiting_for}")?;
                if received.is_empty() {
                    f.write_str(" (nothing received)")
                } else {
                    write!(f, " (last received: {})", encode_bytes(received))
                }
            }
            LinkError::Protocol(msg) => write!(f, "protocol error: {msg}"),
            LinkError::Exception { traceback } => f.write_str(traceback.trim_end()),
            LinkError::Os { errno, path, .. } => match errno::name(*errno) {
                Some(name) => write!(f, "[Errno {errno}] {name}: '{path}'"),
                None => write!(f, "[Errno {errno}]: '{path}'"),
            },
            LinkError::Parse(msg) => write!(f, "unexpected reply: {msg}"),
        }
    }
}

impl core::error::Error for LinkError {}

/// MicroPython's errno numbers and names (`py/mperrno.h`).
pub mod errno {
    use super::last_line;

    /// Operation not permitted.
    pub const EPERM: i32 = 1;
    /// No such file or directory.
    pub const ENOENT: i32 = 2;
    /// I/O error.
    pub const EIO: i32 = 5;
    /// Bad file number.
    pub const EBADF: i32 = 9;
    /// Permission denied.
    pub const EACCES: i32 = 13;
    /// File exists.
    pub const EEXIST: i32 = 17;
    /// No such device.
    pub const ENODEV: i32 = 19;
    /// Not a directory.
    pub const ENOTDIR: i32 = 20;
    /// Is a directory.
    pub const EISDIR: i32 = 21;
    /// Invalid argument.
    pub const EINVAL: i32 = 22;
    /// No space left on device.
    pub const ENOSPC: i32 = 28;
    /// Read-only file system.
    pub const EROFS: i32 = 30;
    /// Directory not empty (not in MicroPython's table, but Linux's number, which ports use).
    pub const ENOTEMPTY: i32 = 39;
    /// Operation not supported.
    pub const EOPNOTSUPP: i32 = 95;

    /// Every errno MicroPython names, with its number.
    const TABLE: &[(i32, &str)] = &[
        (1, "EPERM"),
        (2, "ENOENT"),
        (3, "ESRCH"),
        (4, "EINTR"),
        (5, "EIO"),
        (6, "ENXIO"),
        (7, "E2BIG"),
        (8, "ENOEXEC"),
        (9, "EBADF"),
        (10, "ECHILD"),
        (11, "EAGAIN"),
        (12, "ENOMEM"),
        (13, "EACCES"),
        (14, "EFAULT"),
        (15, "ENOTBLK"),
        (16, "EBUSY"),
        (17, "EEXIST"),
        (18, "EXDEV"),
        (19, "ENODEV"),
        (20, "ENOTDIR"),
        (21, "EISDIR"),
        (22, "EINVAL"),
        (23, "ENFILE"),
        (24, "EMFILE"),
        (25, "ENOTTY"),
        (26, "ETXTBSY"),
        (27, "EFBIG"),
        (28, "ENOSPC"),
        (29, "ESPIPE"),
        (30, "EROFS"),
        (31, "EMLINK"),
        (32, "EPIPE"),
        (33, "EDOM"),
        (34, "ERANGE"),
        (39, "ENOTEMPTY"),
        (95, "EOPNOTSUPP"),
        (97, "EAFNOSUPPORT"),
        (98, "EADDRINUSE"),
        (103, "ECONNABORTED"),
        (104, "ECONNRESET"),
        (105, "ENOBUFS"),
        (106, "EISCONN"),
        (107, "ENOTCONN"),
        (110, "ETIMEDOUT"),
        (111, "ECONNREFUSED"),
        (113, "EHOSTUNREACH"),
        (114, "EALREADY"),
        (115, "EINPROGRESS"),
        (125, "ECANCELED"),
    ];

    /// The symbolic name of a MicroPython errno, e.g. `"ENOENT"` for 2.
    pub fn name(errno: i32) -> Option<&'static str> {
        TABLE.iter().find(|(n, _)| *n == errno).map(|(_, s)| *s)
    }

    /// The number of a symbolic errno name.
    pub fn from_name(name: &str) -> Option<i32> {
        TABLE.iter().find(|(_, s)| *s == name).map(|(n, _)| *n)
    }

    /// The errno of the `OSError` that ends `traceback`, if it ends with one.
    ///
    /// Accepts `OSError: [Errno 2] ENOENT`, `OSError: 2`, `OSError: ENOENT` and an `OSError` with
    /// a message (`OSError: [Errno 2] ENOENT: path`), as mpremote does.
    pub fn parse_oserror(traceback: &str) -> Option<i32> {
        let rest = last_line(traceback)?.strip_prefix("OSError: ")?.trim();
        if let Some(inner) = rest.strip_prefix("[Errno ") {
            let digits = inner.split(']').next()?;
            return digits.trim().parse().ok();
        }
        if let Ok(n) = rest.parse() {
            return Some(n);
        }
        let word = rest
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or_default();
        from_name(word)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn parses_both_oserror_forms() {
            let tb = "Traceback (most recent call last):\r\n  File \"<stdin>\", line 2, in <module>\r\nOSError: [Errno 2] ENOENT\r\n";
            assert_eq!(parse_oserror(tb), Some(ENOENT));
            assert_eq!(parse_oserror("OSError: 17\r\n"), Some(EEXIST));
            assert_eq!(parse_oserror("OSError: EISDIR\n"), Some(EISDIR));
            assert_eq!(parse_oserror("OSError: [Errno 39] ENOTEMPTY\n"), Some(39));
            assert_eq!(parse_oserror("OSError: -110"), Some(-110));
            assert_eq!(parse_oserror("ValueError: 2\n"), None);
            assert_eq!(parse_oserror("OSError: [Errno x] ENOENT"), None);
            assert_eq!(parse_oserror(""), None);
            assert_eq!(name(ENOENT), Some("ENOENT"));
            assert_eq!(from_name("EROFS"), Some(EROFS));
        }
    }
}
