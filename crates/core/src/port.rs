//! The port: the only way the core touches the world.
//!
//! The host CLI, the browser worker and the firmware each implement `Port`. Everything has a
//! default so a port only supplies what its target has.

use alloc::string::String;
use alloc::vec::Vec;

/// What reading a line of input gave.
pub enum Input {
    /// A line, without its newline.
    Line(String),
    /// End of input (`EOFError`).
    Eof,
    /// Ctrl-C while waiting (`KeyboardInterrupt`).
    Interrupted,
}

/// The services a target gives the interpreter.
pub trait Port {
    /// Writes to standard output.
    fn stdout(&mut self, data: &[u8]);

    /// Writes to standard error (tracebacks); standard output by default, as on a board.
    fn stderr(&mut self, data: &[u8]) {
        self.stdout(data)
    }

    /// Reads one line for `input()`.
    fn read_line(&mut self) -> Input {
        Input::Eof
    }

    /// Whether Ctrl-C was pressed since the last call (the VM polls this at backward jumps and
    /// calls, and raises `KeyboardInterrupt`).
    fn interrupted(&mut self) -> bool {
        false
    }

    /// The contents of a file, for `import` (and `open` until the `os` module has a VFS).
    fn read_file(&mut self, _path: &str) -> Option<Vec<u8>> {
        None
    }

    /// Whether `path` is a directory (a package, for `import`).
    fn is_dir(&mut self, _path: &str) -> bool {
        false
    }

    /// `sys.platform`.
    fn platform(&self) -> &'static str {
        "pyrite"
    }

    /// Milliseconds since some fixed point.
    fn ticks_ms(&mut self) -> u64 {
        self.ticks_us() / 1000
    }

    /// Microseconds since some fixed point.
    fn ticks_us(&mut self) -> u64 {
        0
    }

    /// Nanoseconds since the Epoch (1970-01-01 UTC), or since start-up where there is no
    /// clock.
    fn time_ns(&mut self) -> u64 {
        self.ticks_us().saturating_mul(1000)
    }

    /// Waits `us` microseconds (a port may return early on Ctrl-C; the VM checks).
    fn sleep_us(&mut self, us: u64) {
        let end = self.ticks_us().saturating_add(us);
        while self.ticks_us() < end && !self.interrupted() {}
    }
}
