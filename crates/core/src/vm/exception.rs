//! Making, matching and printing exceptions.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::native::PyResult;
use crate::object::{ExcObj, HeapObj, TracebackEntry};
use crate::types::{self, ty};
use crate::value::Obj;
use crate::vm::Vm;

/// How much of a message an exception keeps when the whole does not fit in the emergency
/// buffer.
const EMERGENCY_MSG_BYTES: usize = 64;

/// The longest prefix of `s` of at most `n` bytes that ends on a character boundary.
fn truncated(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl Vm {
    /// A new exception of built-in type `t` with one string argument (or none if `msg` is
    /// empty). Never fails: without memory it is the `MemoryError`.
    /// Exceptions are built in emergency mode (they can be made with the heap locked or
    /// full); a message too long for that is cut short, as MicroPython's emergency buffer
    /// does.
    pub fn exc(&mut self, t: u16, msg: &str) -> Obj {
        let r = self.with_emergency(|vm| -> PyResult<Obj> {
            let args = if msg.is_empty() {
                vm.new_tuple(&[])?
            } else {
                let s = match vm.new_str(msg) {
                    Ok(s) => s,
                    Err(_) => vm.new_str(truncated(msg, EMERGENCY_MSG_BYTES))?,
                };
                vm.new_tuple(&[s])?
            };
            vm.new_exception(Obj::builtin_type(t), args)
        });
        r.unwrap_or_else(|e| e)
    }

    /// As `exc`, with a formatted message.
    pub fn exc_fmt(&mut self, t: u16, args: core::fmt::Arguments) -> Obj {
        let mut s = String::new();
        let _ = s.write_fmt(args);
        self.exc(t, &s)
    }

    /// A new exception of class `class` (built-in or Python) with the `args` tuple.
    pub fn new_exception(&mut self, class: Obj, args: Obj) -> PyResult<Obj> {
        let e = HeapObj::Exception(Box::new(ExcObj {
            class,
            args,
            traceback: Vec::new(),
            cause: Obj::NULL,
            context: Obj::NULL,
            dict: Obj::NULL,
        }));
        self.with_emergency(|vm| vm.alloc(e))
    }

    /// The `args` tuple of a new exception. With the heap locked or full, too many arguments
    /// for the emergency buffer leave it empty, as in MicroPython.
    pub fn exc_args_tuple(&mut self, args: &[Obj]) -> PyResult<Obj> {
        self.with_emergency(|vm| match vm.new_tuple(args) {
            Ok(t) => Ok(t),
            Err(_) => vm.new_tuple(&[]),
        })
    }

    /// An exception with a single argument object (`StopIteration(value)`, `KeyError(key)`).
    pub fn exc_with_arg(&mut self, t: u16, arg: Obj) -> Obj {
        let r = self.with_emergency(|vm| -> PyResult<Obj> {
            let args = vm.new_tuple(&[arg])?;
            vm.new_exception(Obj::builtin_type(t), args)
        });
        r.unwrap_or_else(|e| e)
    }

    /// Whether `o` is an exception instance.
    pub fn is_exception(&self, o: Obj) -> bool {
        matches!(self.heap.get(o), Some(HeapObj::Exception(_)))
    }

    /// The class of an exception instance.
    pub fn exc_class(&self, e: Obj) -> Obj {
        match self.heap.get(e) {
            Some(HeapObj::Exception(x)) => x.class,
            _ => Obj::builtin_type(ty::BASE_EXCEPTION),
        }
    }

    /// Whether exception `e` is an instance of built-in exception type `t`.
    pub fn exc_is(&self, e: Obj, t: u16) -> bool {
        let c = self.exc_class(e);
        self.class_is_subclass(c, Obj::builtin_type(t))
    }

    /// Whether class `c` is `base` or derives from it (built-in or Python classes).
    pub fn class_is_subclass(&self, c: Obj, base: Obj) -> bool {
        if c == base {
            return true;
        }
        if let Some(t) = c.as_builtin_type() {
            return base
                .as_builtin_type()
                .is_some_and(|b| types::is_subtype(t, b));
        }
        match self.heap.get(c) {
            Some(HeapObj::Class(cls)) => cls.mro.iter().any(|&m| {
                m == base
                    || (m.as_builtin_type().is_some()
                        && base.as_builtin_type().is_some()
                        && types::is_subtype(
                            m.as_builtin_type().unwrap_or(0),
                            base.as_builtin_type().unwrap_or(0),
                        ))
            }),
            _ => false,
        }
    }

    /// Whether exception `e` matches an `except` clause's class or tuple of classes.
    pub fn exc_matches(&self, e: Obj, spec: Obj) -> bool {
        if let Some(HeapObj::Tuple(items)) = self.heap.get(spec) {
            return items.iter().any(|&c| self.exc_matches(e, c));
        }
        let c = self.exc_class(e);
        self.class_is_subclass(c, spec)
    }

    /// Adds a traceback line to `e`.
    pub fn add_traceback(&mut self, e: Obj, entry: TracebackEntry) {
        if let Some(HeapObj::Exception(x)) = self.heap.get_mut(e) {
            // The preallocated MemoryError must not grow without bound in a tight heap.
            if x.traceback.len() < 64 {
                x.traceback.push(entry);
            }
        }
    }

    /// The `args` tuple of an exception, as a vector.
    pub fn exc_args(&self, e: Obj) -> Vec<Obj> {
        match self.heap.get(e) {
            Some(HeapObj::Exception(x)) => self.seq_items(x.args).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// `SystemExit`'s code: `None` when it has no argument.
    pub fn system_exit_code(&self, e: Obj) -> Obj {
        self.exc_args(e).first().copied().unwrap_or(Obj::NONE)
    }

    /// The text after the class name in a printed exception (`str(e)`).
    pub fn exc_message(&mut self, e: Obj) -> String {
        let args = self.exc_args(e);
        // `OSError(5, "x")` reads `[Errno 5] EIO: x`, as MicroPython prints a known errno.
        if self.exc_class(e) == Obj::builtin_type(ty::OS_ERROR) && (1..3).contains(&args.len()) {
            let name = args[0]
                .as_small_int()
                .and_then(|c| crate::modules::errno::errno_name(i64::from(c)));
            if let (Some(name), Some(code)) = (name, args[0].as_small_int()) {
                let mut s = alloc::format!("[Errno {}] {}", code, name);
                if let Some(&detail) = args.get(1) {
                    s.push_str(": ");
                    s.push_str(&self.to_str(detail).unwrap_or_default());
                }
                return s;
            }
        }
        let r = match args.len() {
            0 => Ok(String::new()),
            1 if !self.exc_is(e, ty::KEY_ERROR) => self.to_str(args[0]),
            1 => self.repr(args[0]),
            _ => {
                let t = self.heap.get(e).and_then(|h| match h {
                    HeapObj::Exception(x) => Some(x.args),
                    _ => None,
                });
                match t {
                    Some(t) => self.repr(t),
                    None => Ok(String::new()),
                }
            }
        };
        r.unwrap_or_default()
    }

    /// The name of an exception's class.
    pub fn exc_name(&self, e: Obj) -> String {
        let c = self.exc_class(e);
        String::from(self.class_name(c))
    }

    /// Formats an exception with its traceback, as MicroPython prints an uncaught one.
    pub fn format_exception(&mut self, e: Obj) -> String {
        let mut out = String::new();
        let tb: Vec<TracebackEntry> = match self.heap.get(e) {
            Some(HeapObj::Exception(x)) => x.traceback.clone(),
            _ => Vec::new(),
        };
        if !tb.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
            for t in tb.iter().rev() {
                let _ = write!(
                    out,
                    "  File \"{}\", line {}",
                    self.qstr_str(t.filename),
                    t.line
                );
                // A syntax error's line belongs to no function.
                if t.name != crate::qstr::q::EMPTY {
                    let _ = write!(out, ", in {}", self.qstr_str(t.name));
                }
                out.push('\n');
            }
        }
        // MicroPython always writes the colon, even with no message (`ValueError: `).
        out.push_str(&self.exc_name(e));
        out.push_str(": ");
        let msg = self.exc_message(e);
        out.push_str(&msg);
        out.push('\n');
        out
    }

    /// Prints an exception with its traceback to standard error.
    pub fn print_exception(&mut self, e: Obj) {
        let s = self.format_exception(e);
        self.port.stderr(s.as_bytes());
    }
}
