//! Standard input for the REPL and `input()`: raw-mode key reading on a terminal, plain lines
//! from a pipe, and Ctrl-C from SIGINT.
//!
//! Both kinds of reading go through the one buffer of `std::io::stdin()`, so that a line the
//! REPL read ahead is still there for `input()`, and neither retries after a signal: SIGINT
//! while waiting for input gives `Interrupted` (a KeyboardInterrupt) instead of being kept for
//! the next statement.

use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use pyrite_repl::editor::{Completion, Editor, Event, Paste};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::Relaxed);
}

/// Routes SIGINT to the VM's interrupt flag. Without `SA_RESTART`, a blocked read returns
/// `EINTR`, which the readers here turn into `Interrupted`.
pub fn install_sigint() {
    // SAFETY: `action` is fully initialised before use (zeroed, then the fields set), and
    // `on_sigint` only stores to an atomic, which is async-signal-safe.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigint as *const () as libc::sighandler_t;
        action.sa_flags = 0;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
    }
}

/// Blocks SIGINT in the calling thread, so that the kernel delivers it to the interpreter's
/// thread, where it interrupts a blocked read (call it after spawning that thread).
pub fn block_sigint_here() {
    // SAFETY: `set` is initialised by `sigemptyset` before use.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// Whether a Ctrl-C is pending (without taking it).
pub fn interrupt_pending() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Takes the pending Ctrl-C, if any.
pub fn take_interrupt() -> bool {
    INTERRUPTED.swap(false, Ordering::Relaxed)
}

/// Whether standard input is a terminal (line editing) rather than a pipe or file.
pub fn stdin_is_tty() -> bool {
    // SAFETY: `isatty` only inspects the descriptor.
    unsafe { libc::isatty(libc::STDIN_FILENO) == 1 }
}

/// What one read from standard input gave.
enum Read {
    Byte(u8),
    Eof,
    Interrupted,
}

/// Reads one byte, without retrying when a signal interrupts the wait.
fn read_byte() -> Read {
    let stdin = std::io::stdin();
    let mut lock = stdin.lock();
    match lock.fill_buf() {
        Ok([]) => Read::Eof,
        Ok(buf) => {
            let b = buf[0];
            lock.consume(1);
            Read::Byte(b)
        }
        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
            take_interrupt();
            Read::Interrupted
        }
        Err(_) => Read::Eof,
    }
}

/// A line from a pipe (without its `\n` or `\r\n`); `Eof` only when nothing was read.
pub fn read_plain_line() -> Event {
    let mut line = Vec::new();
    loop {
        match read_byte() {
            Read::Byte(b'\n') => break,
            Read::Byte(b) => line.push(b),
            Read::Eof if line.is_empty() => return Event::Eof,
            Read::Eof => break,
            Read::Interrupted => return Event::Cancel,
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Event::Line(String::from_utf8_lossy(&line).into_owned())
}

/// The terminal in raw mode (no echo, no line buffering, no signals from keys, no output
/// translation), as MicroPython's `mp_hal_stdio_mode_raw`; restored when dropped. Switching
/// keeps input typed ahead (`TCSANOW`, not `TCSAFLUSH`), so lines pasted without paste mode or
/// typed while a program runs are not lost.
struct RawMode {
    saved: libc::termios,
}

impl RawMode {
    fn enter() -> Option<RawMode> {
        // SAFETY: `termios` is plain data that `tcgetattr` fills before it is read.
        unsafe {
            let mut saved: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut saved) != 0 {
                return None;
            }
            let mut raw = saved;
            raw.c_iflag &= !(libc::BRKINT | libc::ICRNL | libc::INPCK | libc::ISTRIP | libc::IXON);
            raw.c_oflag = 0;
            raw.c_cflag = (raw.c_cflag & !(libc::CSIZE | libc::PARENB)) | libc::CS8;
            raw.c_lflag = 0;
            raw.c_cc[libc::VMIN] = 1;
            raw.c_cc[libc::VTIME] = 0;
            if libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &raw) != 0 {
                return None;
            }
            Some(RawMode { saved })
        }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `enter`.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.saved);
        }
    }
}

fn write_out(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}

/// Edits one line on the terminal after `prompt`, starting with `indent` spaces; Tab asks
/// `complete` for the completion of the text before the cursor.
pub fn edit_line(
    editor: &mut Editor,
    prompt: &str,
    indent: usize,
    complete: &mut dyn FnMut(&str) -> Completion,
) -> Event {
    let Some(_raw) = RawMode::enter() else {
        write_out(prompt.as_bytes());
        return read_plain_line();
    };
    let mut out = prompt.as_bytes().to_vec();
    editor.begin(indent, &mut out);
    loop {
        write_out(&out);
        out.clear();
        match read_byte() {
            Read::Byte(b) => match editor.feed(b, &mut out) {
                // The board's keys for the raw REPL and the banner mean nothing here.
                None | Some(Event::Raw | Event::Banner) => {}
                Some(Event::Complete(before)) => {
                    let completion = complete(&before);
                    editor.complete(completion, prompt, &mut out);
                }
                Some(event) => {
                    if matches!(event, Event::Cancel | Event::Eof | Event::Paste) {
                        out.extend_from_slice(b"\r\n");
                    }
                    write_out(&out);
                    return event;
                }
            },
            Read::Eof => return Event::Eof,
            Read::Interrupted => return Event::Cancel,
        }
    }
}

/// Reads paste-mode text on the terminal: `Line` with all of it on Ctrl-D, `Cancel` on Ctrl-C.
pub fn paste_text() -> Event {
    let raw = RawMode::enter();
    let mut paste = Paste::default();
    let mut out = Paste::PROMPT.as_bytes().to_vec();
    loop {
        write_out(&out);
        out.clear();
        match read_byte() {
            Read::Byte(b) => {
                let event = paste.feed(b, &mut out);
                if raw.is_none() {
                    // Cooked mode: the terminal echoes by itself.
                    out.clear();
                }
                if let Some(event) = event {
                    if event == Event::Cancel {
                        out.extend_from_slice(b"\r\n");
                    }
                    write_out(&out);
                    return event;
                }
            }
            Read::Eof => return paste.feed(0x04, &mut out).unwrap_or(Event::Eof),
            Read::Interrupted => return Event::Cancel,
        }
    }
}
