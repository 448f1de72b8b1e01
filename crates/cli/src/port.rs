//! The host port: console on stdin/stdout/stderr, files from the file system, Ctrl-C from
//! SIGINT (see `terminal`).

use std::io::Write;

use pyrite_core::port::{Input, Port};

use crate::editor::{Editor, Event};
use crate::terminal;

/// Flushes standard output.
pub fn flush() {
    let _ = std::io::stdout().flush();
}

/// The host's services.
pub struct HostPort {
    out: std::io::BufWriter<std::io::Stdout>,
    /// The line editor of `input()` on a terminal (its history is `input()`'s own).
    editor: Editor,
    /// Standard output is a terminal: flush at every newline, so output appears as printed.
    out_is_tty: bool,
    start: std::time::Instant,
}

impl HostPort {
    /// A port on the process' standard streams.
    pub fn new() -> HostPort {
        HostPort {
            out: std::io::BufWriter::with_capacity(8192, std::io::stdout()),
            editor: Editor::new(),
            // SAFETY: `isatty` only inspects the descriptor.
            out_is_tty: unsafe { libc::isatty(libc::STDOUT_FILENO) == 1 },
            start: std::time::Instant::now(),
        }
    }
}

impl Port for HostPort {
    fn stdout(&mut self, data: &[u8]) {
        let _ = self.out.write_all(data);
        let newline = data.contains(&b'\n');
        if data.is_empty() || newline && (self.out_is_tty || self.out.buffer().len() > 4096) {
            let _ = self.out.flush();
        }
    }

    fn stderr(&mut self, data: &[u8]) {
        let _ = self.out.flush();
        let _ = std::io::stderr().write_all(data);
    }

    fn read_line(&mut self) -> Input {
        let _ = self.out.flush();
        let event = if terminal::stdin_is_tty() {
            terminal::edit_line(&mut self.editor, "", 0)
        } else {
            terminal::read_plain_line()
        };
        match event {
            Event::Line(line) => Input::Line(line),
            Event::Cancel => Input::Interrupted,
            Event::Eof => Input::Eof,
            // Ctrl-E means nothing to `input()`: an empty line.
            Event::Paste => Input::Line(String::new()),
        }
    }

    fn interrupted(&mut self) -> bool {
        terminal::take_interrupt()
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

    fn ticks_us(&mut self) -> u64 {
        self.start.elapsed().as_micros() as u64
    }

    fn time_ns(&mut self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    }

    fn sleep_us(&mut self, us: u64) {
        // Sleep in slices so Ctrl-C (which sets the flag) ends the wait promptly.
        let end = std::time::Instant::now() + std::time::Duration::from_micros(us);
        loop {
            let now = std::time::Instant::now();
            if now >= end || terminal::interrupt_pending() {
                return;
            }
            std::thread::sleep((end - now).min(std::time::Duration::from_millis(10)));
        }
    }
}

impl Drop for HostPort {
    fn drop(&mut self) {
        let _ = self.out.flush();
    }
}
