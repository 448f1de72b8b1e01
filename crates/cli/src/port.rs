//! The host port: console on stdin/stdout/stderr, files from the file system, Ctrl-C from
//! SIGINT.

use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use pyrite_core::port::{Input, Port};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::Relaxed);
}

/// Routes SIGINT to the VM's interrupt flag.
pub fn install_sigint() {
    // SAFETY: `on_sigint` only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, on_sigint as *const () as libc::sighandler_t);
    }
}

/// Takes the pending Ctrl-C, if any.
pub fn take_interrupt() -> bool {
    INTERRUPTED.swap(false, Ordering::Relaxed)
}

/// Flushes standard output.
pub fn flush() {
    let _ = std::io::stdout().flush();
}

/// The host's services.
pub struct HostPort {
    out: std::io::BufWriter<std::io::Stdout>,
    start: std::time::Instant,
}

impl HostPort {
    /// A port on the process' standard streams.
    pub fn new() -> HostPort {
        HostPort {
            out: std::io::BufWriter::with_capacity(8192, std::io::stdout()),
            start: std::time::Instant::now(),
        }
    }
}

impl Port for HostPort {
    fn stdout(&mut self, data: &[u8]) {
        let _ = self.out.write_all(data);
        if data.is_empty() || data.contains(&b'\n') && self.out.buffer().len() > 4096 {
            let _ = self.out.flush();
        }
    }

    fn stderr(&mut self, data: &[u8]) {
        let _ = self.out.flush();
        let _ = std::io::stderr().write_all(data);
    }

    fn read_line(&mut self) -> Input {
        let _ = self.out.flush();
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) => Input::Eof,
            Ok(_) => {
                if line.ends_with('\n') {
                    line.pop();
                    if line.ends_with('\r') {
                        line.pop();
                    }
                }
                Input::Line(line)
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => Input::Interrupted,
            Err(_) => Input::Eof,
        }
    }

    fn interrupted(&mut self) -> bool {
        take_interrupt()
    }

    fn read_file(&mut self, path: &str) -> Option<Vec<u8>> {
        std::fs::read(path).ok()
    }

    fn is_dir(&mut self, path: &str) -> bool {
        std::path::Path::new(path).is_dir()
    }

    fn platform(&self) -> &'static str {
        "linux"
    }

    fn ticks_ms(&mut self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }
}

impl Drop for HostPort {
    fn drop(&mut self) {
        let _ = self.out.flush();
    }
}
