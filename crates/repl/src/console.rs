//! The board's console: the serial port as the running interpreter sees it.
//!
//! Every board (the host's virtual board, the browser's worker, the firmware) has the same
//! console behind its `Port`: output "cooked" as a MicroPython board sends it (`\n` goes out as
//! `\r\n`) and batched, input queued as it arrives with the interrupt character (Ctrl-C while
//! code runs) turned into the interrupt flag instead, `input()` edited with the REPL's line
//! editor, and `sys.stdin.read` taking what has arrived. What differs between boards is only
//! how bytes come and go and how a wait sleeps: that is the [`Serial`] trait, and this module
//! is the rest, written once.
//!
//! Nothing here runs in the background. Received bytes are looked at when the console is
//! asked (every few `Port::interrupted` polls, and while it waits), so the interrupt character
//! in force is the one set when the byte is looked at; [`Console::set_interrupt_char`] first
//! takes in what has arrived under the old character, so a byte is judged by the character in
//! force when it arrived, as a UART interrupt would judge it.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

pub use pyrite_core::port::{FsResult, Input, OpenMode};

use crate::editor::{Editor, Event};

/// `EINTR`: what `sys.stdin.read` fails with when Ctrl-C ends its wait.
const EINTR: i32 = 4;

/// `EBADF`: no such descriptor.
pub const EBADF: i32 = 9;

/// The longest single wait of a read that waits for input: the console looks at the flag and
/// the serial side again after each.
const READ_WAIT_US: u64 = 20_000;

/// The board's side of its serial link.
pub trait Serial {
    /// Moves the bytes received since the last call into `buf`, without waiting; how many.
    /// The console calls again until it answers 0.
    fn receive(&mut self, buf: &mut [u8]) -> usize;

    /// Sends `data` (possibly empty). Called at every flush point of the console (a batch of
    /// output is due, a wait begins, the board goes idle), so a board publishes the rest of
    /// its visible state here too.
    fn send(&mut self, data: &[u8]);

    /// Waits until bytes arrive or `us` microseconds pass, whichever is first; may return
    /// early.
    fn wait(&mut self, us: u64);

    /// Microseconds since some fixed point.
    fn ticks_us(&mut self) -> u64;

    /// The interrupt character changed (see [`Console::set_interrupt_char`]): a link whose
    /// bytes arrive in the background (a receive interrupt) judges the next ones by `c`.
    fn set_interrupt_char(&mut self, _c: Option<u8>) {}
}

/// How often the console sends output and looks for input while a program runs.
#[derive(Clone, Copy, Debug)]
pub struct Pacing {
    /// Output is sent once this many bytes wait.
    pub flush_bytes: usize,
    /// Output waits at most this long (µs) while a program runs.
    pub flush_us: u64,
    /// How many `Port::interrupted` polls pass between two looks at the serial side and the
    /// clock (where those are costly, as calls out of WebAssembly are).
    pub poll_every: u32,
}

/// A board's console over a [`Serial`] link.
pub struct Console<S> {
    serial: S,
    pacing: Pacing,
    /// Received bytes not yet read.
    input: VecDeque<u8>,
    /// The byte that interrupts running code, if any.
    interrupt_char: Option<u8>,
    /// The interrupt character arrived and nobody took the interrupt yet.
    interrupt: bool,
    /// Output not yet sent.
    out: Vec<u8>,
    /// The last byte written was `\r` (so a following `\n` is not doubled).
    last_cr: bool,
    /// `input()`'s line editor (its history is `input()`'s own).
    editor: Editor,
    last_flush: u64,
    /// Polls since the last look at the serial side.
    polls: u32,
}

impl<S: Serial> Console<S> {
    /// A console on `serial`.
    pub fn new(mut serial: S, pacing: Pacing) -> Console<S> {
        let now = serial.ticks_us();
        Console {
            serial,
            pacing,
            input: VecDeque::new(),
            interrupt_char: None,
            interrupt: false,
            out: Vec::new(),
            last_cr: false,
            editor: Editor::new(),
            last_flush: now,
            polls: 0,
        }
    }

    /// The serial link.
    pub fn serial(&mut self) -> &mut S {
        &mut self.serial
    }

    // ---- output ----

    /// Writes program or REPL output, cooked: `\n` goes out as `\r\n`.
    pub fn write(&mut self, data: &[u8]) {
        for &b in data {
            if b == b'\n' && !self.last_cr {
                self.out.push(b'\r');
            }
            self.out.push(b);
            self.last_cr = b == b'\r';
        }
        if self.out.len() >= self.pacing.flush_bytes {
            self.flush();
        }
    }

    /// Sends what output waits (a flush point of [`Serial::send`] even when nothing does).
    pub fn flush(&mut self) {
        self.serial.send(&self.out);
        self.out.clear();
        self.last_flush = self.serial.ticks_us();
    }

    // ---- input ----

    /// Takes in what the serial side received: each byte is queued, except the interrupt
    /// character, which sets the interrupt flag instead.
    pub fn receive(&mut self) {
        let mut buf = [0u8; 256];
        loop {
            let n = self.serial.receive(&mut buf).min(buf.len());
            if n == 0 {
                return;
            }
            for &b in buf.iter().take(n) {
                if Some(b) == self.interrupt_char {
                    self.interrupt = true;
                } else {
                    self.input.push_back(b);
                }
            }
        }
    }

    /// Whether the interrupt character arrived (the flag is cleared).
    pub fn take_interrupt(&mut self) -> bool {
        core::mem::take(&mut self.interrupt)
    }

    /// `Port::interrupted`: every few calls takes in what arrived and sends output that has
    /// waited too long; then whether Ctrl-C was pressed.
    pub fn interrupted(&mut self) -> bool {
        self.polls = self.polls.saturating_add(1);
        if self.polls >= self.pacing.poll_every {
            self.polls = 0;
            self.receive();
            let now = self.serial.ticks_us();
            if now.wrapping_sub(self.last_flush) >= self.pacing.flush_us {
                self.flush();
            }
        }
        self.take_interrupt()
    }

    /// `Port::set_interrupt_char`. What arrived before is judged by the old character; when
    /// the character is switched off (the program ended), a Ctrl-C that came after the
    /// program's last poll is not kept for the next one.
    pub fn set_interrupt_char(&mut self, c: Option<u8>) {
        self.receive();
        self.interrupt_char = c;
        self.serial.set_interrupt_char(c);
        if c.is_none() {
            self.interrupt = false;
        }
    }

    /// `Port::stdin_ready`: whether a received byte waits.
    pub fn stdin_ready(&mut self) -> bool {
        self.receive();
        !self.input.is_empty()
    }

    /// The next received byte, waiting up to `us` microseconds for one. Output is flushed
    /// before waiting (not while input is queued, so echo is sent in batches). The interrupt
    /// flag ends the wait, and stays set: callers that care look at it.
    pub fn next_byte(&mut self, us: u64) -> Option<u8> {
        self.receive();
        if let Some(b) = self.input.pop_front() {
            return Some(b);
        }
        self.flush();
        let start = self.serial.ticks_us();
        loop {
            let waited = self.serial.ticks_us().saturating_sub(start);
            if waited >= us || self.interrupt {
                return None;
            }
            self.serial.wait(us - waited);
            self.receive();
            if let Some(b) = self.input.pop_front() {
                return Some(b);
            }
        }
    }

    /// `Port::read_line` (`input()`): a line edited with the REPL's editor and echoed; Ctrl-C
    /// (the interrupt character, or the editor's own Ctrl-C when interrupts are off) gives
    /// `Input::Interrupted`, Ctrl-D on an empty line `Input::Eof`.
    pub fn read_line(&mut self) -> Input {
        let mut echo = Vec::new();
        self.editor.begin(0, &mut echo);
        loop {
            self.write(&echo);
            echo.clear();
            if self.take_interrupt() {
                self.write(b"\r\n");
                return Input::Interrupted;
            }
            let Some(b) = self.next_byte(READ_WAIT_US) else {
                continue;
            };
            match self.editor.feed(b, &mut echo) {
                Some(Event::Line(line)) => {
                    self.write(&echo);
                    return Input::Line(line);
                }
                Some(Event::Cancel) => {
                    self.write(b"\r\n");
                    return Input::Interrupted;
                }
                Some(Event::Eof) => return Input::Eof,
                _ => {}
            }
        }
    }

    /// `sys.stdin.read` (descriptor 0): waits for the first byte, then takes what has
    /// arrived, up to `buf.len()`; Ctrl-C during the wait fails with `EINTR`.
    pub fn read_stdin(&mut self, buf: &mut [u8]) -> FsResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let mut n = 0;
        while n == 0 {
            if let Some(b) = self.next_byte(READ_WAIT_US) {
                if let Some(slot) = buf.get_mut(0) {
                    *slot = b;
                }
                n = 1;
            } else if self.take_interrupt() {
                return Err(EINTR);
            }
        }
        self.receive();
        while let Some(slot) = buf.get_mut(n) {
            let Some(b) = self.input.pop_front() else {
                break;
            };
            *slot = b;
            n += 1;
        }
        Ok(n)
    }

    /// `Port::fs_read` of the console's descriptors: `sys.stdin` (0) reads the input; `None`
    /// for another descriptor.
    pub fn fd_read(&mut self, fd: i32, buf: &mut [u8]) -> Option<FsResult<usize>> {
        (fd == 0).then(|| self.read_stdin(buf))
    }

    /// `Port::fs_write` of the console's descriptors: `sys.stdout` (1) and `sys.stderr` (2)
    /// write to the console; `None` for another descriptor.
    pub fn fd_write(&mut self, fd: i32, data: &[u8]) -> Option<FsResult<usize>> {
        (fd == 1 || fd == 2).then(|| {
            self.write(data);
            Ok(data.len())
        })
    }

    /// `Port::fs_flush` of the console's descriptors; `None` for another descriptor.
    pub fn fd_flush(&mut self, fd: i32) -> Option<FsResult<()>> {
        console_fd(None, fd).map(|_| {
            self.flush();
            Ok(())
        })
    }

    /// `Port::sleep_us`: sends what waits, then sleeps until the time is up or Ctrl-C
    /// arrives (the flag stays set for the VM to raise `KeyboardInterrupt`).
    pub fn sleep_us(&mut self, us: u64) {
        self.flush();
        let end = self.serial.ticks_us().saturating_add(us);
        loop {
            self.receive();
            let now = self.serial.ticks_us();
            if self.interrupt || now >= end {
                return;
            }
            self.serial.wait(end - now);
        }
    }
}

/// The `Port` methods that every board answers from its [`Console`], written once: output
/// (cooked), `input()`, Ctrl-C, the interrupt character, `stdin` readiness, sleeps, and the
/// console's descriptors 0 (`sys.stdin`), 1 and 2 (`sys.stdout`, `sys.stderr`).
///
/// Used inside a board's `impl Port`: `console_port!(console)` names the field holding the
/// console, and every other descriptor is `EBADF` (the board's files are on a mounted block
/// file system); `console_port!(console, host)` also names a field whose `fs_open`, `fs_read`,
/// `fs_write`, `fs_flush` and `fs_close` take every other descriptor (a host folder).
#[macro_export]
macro_rules! console_port {
    ($console:ident) => {
        $crate::console_port!(@console $console);

        fn fs_open(
            &mut self,
            path: Option<&str>,
            fd: i32,
            _mode: $crate::console::OpenMode,
        ) -> $crate::console::FsResult<i32> {
            $crate::console::console_fd(path, fd).ok_or($crate::console::EBADF)
        }

        fn fs_read(&mut self, fd: i32, buf: &mut [u8]) -> $crate::console::FsResult<usize> {
            self.$console.fd_read(fd, buf).unwrap_or(Err($crate::console::EBADF))
        }

        fn fs_write(&mut self, fd: i32, data: &[u8]) -> $crate::console::FsResult<usize> {
            self.$console.fd_write(fd, data).unwrap_or(Err($crate::console::EBADF))
        }

        fn fs_flush(&mut self, fd: i32) -> $crate::console::FsResult<()> {
            self.$console.fd_flush(fd).unwrap_or(Err($crate::console::EBADF))
        }

        fn fs_close(&mut self, fd: i32) -> $crate::console::FsResult<()> {
            $crate::console::console_fd(None, fd).map_or(Err($crate::console::EBADF), |_| Ok(()))
        }
    };
    ($console:ident, $files:ident) => {
        $crate::console_port!(@console $console);

        fn fs_open(
            &mut self,
            path: Option<&str>,
            fd: i32,
            mode: $crate::console::OpenMode,
        ) -> $crate::console::FsResult<i32> {
            match $crate::console::console_fd(path, fd) {
                Some(fd) => Ok(fd),
                None => self.$files.fs_open(path, fd, mode),
            }
        }

        fn fs_read(&mut self, fd: i32, buf: &mut [u8]) -> $crate::console::FsResult<usize> {
            match self.$console.fd_read(fd, buf) {
                Some(result) => result,
                None => self.$files.fs_read(fd, buf),
            }
        }

        fn fs_write(&mut self, fd: i32, data: &[u8]) -> $crate::console::FsResult<usize> {
            match self.$console.fd_write(fd, data) {
                Some(result) => result,
                None => self.$files.fs_write(fd, data),
            }
        }

        fn fs_flush(&mut self, fd: i32) -> $crate::console::FsResult<()> {
            match self.$console.fd_flush(fd) {
                Some(result) => result,
                None => self.$files.fs_flush(fd),
            }
        }

        fn fs_close(&mut self, fd: i32) -> $crate::console::FsResult<()> {
            match $crate::console::console_fd(None, fd) {
                Some(_) => Ok(()),
                None => self.$files.fs_close(fd),
            }
        }
    };
    (@console $console:ident) => {
        /// Output is "cooked" as on a MicroPython board: a line feed goes out as CR LF.
        fn stdout(&mut self, data: &[u8]) {
            self.$console.write(data);
        }

        fn read_line(&mut self) -> $crate::console::Input {
            self.$console.read_line()
        }

        fn interrupted(&mut self) -> bool {
            self.$console.interrupted()
        }

        fn set_interrupt_char(&mut self, c: Option<u8>) {
            self.$console.set_interrupt_char(c);
        }

        fn stdin_ready(&mut self) -> bool {
            self.$console.stdin_ready()
        }

        /// Sends what waits, then sleeps until the time is up or Ctrl-C arrives.
        fn sleep_us(&mut self, us: u64) {
            self.$console.sleep_us(us);
        }
    };
}

/// `fd` when `open(fd)` names one of the console's descriptors (0, 1, 2).
pub fn console_fd(path: Option<&str>, fd: i32) -> Option<i32> {
    (path.is_none() && (0..=2).contains(&fd)).then_some(fd)
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use alloc::string::String;
    use alloc::vec;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A serial link whose other side is a script: bytes become readable at given times, and
    /// the clock advances only by waits.
    #[derive(Default)]
    struct Wire {
        /// (arrival time µs, byte), in order.
        pending: VecDeque<(u64, u8)>,
        now: u64,
        sent: Vec<u8>,
        sends: usize,
        waits: usize,
    }

    #[derive(Clone, Default)]
    struct Fake(Rc<RefCell<Wire>>);

    impl Fake {
        fn arrive(&self, at: u64, data: &[u8]) {
            let mut w = self.0.borrow_mut();
            for &b in data {
                w.pending.push_back((at, b));
            }
        }
        fn sent(&self) -> String {
            String::from_utf8_lossy(&self.0.borrow().sent).into_owned()
        }
    }

    impl Serial for Fake {
        fn receive(&mut self, buf: &mut [u8]) -> usize {
            let mut w = self.0.borrow_mut();
            let now = w.now;
            let mut n = 0;
            while n < buf.len() {
                match w.pending.front() {
                    Some(&(t, b)) if t <= now => {
                        buf[n] = b;
                        n += 1;
                        w.pending.pop_front();
                    }
                    _ => break,
                }
            }
            n
        }
        fn send(&mut self, data: &[u8]) {
            let mut w = self.0.borrow_mut();
            w.sent.extend_from_slice(data);
            w.sends += 1;
        }
        fn wait(&mut self, us: u64) {
            let mut w = self.0.borrow_mut();
            w.waits += 1;
            let next = w.pending.front().map(|&(t, _)| t);
            let until = w.now.saturating_add(us);
            w.now = match next {
                Some(t) if t > w.now && t < until => t,
                _ => until,
            };
        }
        fn ticks_us(&mut self) -> u64 {
            self.0.borrow().now
        }
    }

    const PACING: Pacing = Pacing {
        flush_bytes: 16,
        flush_us: 10_000,
        poll_every: 4,
    };

    fn console() -> (Console<Fake>, Fake) {
        let wire = Fake::default();
        (Console::new(wire.clone(), PACING), wire)
    }

    #[test]
    fn output_is_cooked_and_batched() {
        let (mut c, wire) = console();
        c.write(b"a\nb\r\nc");
        assert_eq!(wire.sent(), "");
        c.write(b"\n");
        c.flush();
        assert_eq!(wire.sent(), "a\r\nb\r\nc\r\n");
        // A full batch goes out at once.
        c.write(b"0123456789abcdefXYZ");
        assert_eq!(wire.sent(), "a\r\nb\r\nc\r\n0123456789abcdefXYZ");
        // `\r` then `\n` in two writes is not doubled.
        c.write(b"x\r");
        c.write(b"\ny");
        c.flush();
        assert!(wire.sent().ends_with("x\r\ny"));
    }

    #[test]
    fn polls_look_at_the_wire_every_few_calls_and_flush_by_time() {
        let (mut c, wire) = console();
        c.set_interrupt_char(Some(3));
        wire.arrive(0, b"ab\x03cd");
        // The first three polls do not look.
        for _ in 0..3 {
            assert!(!c.interrupted());
        }
        assert!(c.interrupted());
        assert!(!c.interrupted(), "the flag is taken once");
        assert!(c.stdin_ready());
        let mut buf = [0u8; 8];
        assert_eq!(c.read_stdin(&mut buf), Ok(4));
        assert_eq!(&buf[..4], b"abcd");
        // Output waiting longer than `flush_us` goes out at a poll.
        c.write(b"late");
        wire.0.borrow_mut().now += 20_000;
        for _ in 0..4 {
            c.interrupted();
        }
        assert!(wire.sent().ends_with("late"));
    }

    #[test]
    fn the_interrupt_char_is_judged_when_set() {
        let (mut c, wire) = console();
        // Arrived while nothing ran: a plain byte.
        wire.arrive(0, b"\x03");
        c.set_interrupt_char(Some(3));
        assert!(!c.take_interrupt());
        // Arrived while code ran, but looked at only when it ended: not kept for later.
        wire.arrive(0, b"\x03");
        c.set_interrupt_char(None);
        assert!(!c.take_interrupt());
        assert_eq!(c.next_byte(0), Some(3));
        assert_eq!(c.next_byte(0), None);
        // Turned off (`micropython.kbd_intr(-1)`): Ctrl-C is data.
        wire.arrive(0, b"\x03");
        assert!(!c.interrupted() && !c.interrupted() && !c.interrupted() && !c.interrupted());
        assert_eq!(c.next_byte(0), Some(3));
    }

    #[test]
    fn read_line_edits_echoes_and_is_interrupted() {
        let (mut c, wire) = console();
        c.set_interrupt_char(Some(3));
        wire.arrive(100, b"hex\x7flo\r");
        match c.read_line() {
            Input::Line(l) => assert_eq!(l, "helo"),
            _ => panic!("no line"),
        }
        c.flush();
        assert_eq!(wire.sent(), "hex\x1b[1D\x1b[Klo\r\n");
        // Ctrl-C in the middle of a line, as the interrupt character.
        wire.arrive(50_000, b"ab");
        wire.arrive(55_000, b"\x03");
        assert!(matches!(c.read_line(), Input::Interrupted));
        c.flush();
        assert!(wire.sent().ends_with("ab\r\n"));
        // With interrupts off, the editor's Ctrl-C cancels.
        c.set_interrupt_char(None);
        wire.arrive(60_000, b"x\x03");
        assert!(matches!(c.read_line(), Input::Interrupted));
        // Ctrl-D on an empty line.
        wire.arrive(70_000, b"\x04");
        assert!(matches!(c.read_line(), Input::Eof));
    }

    #[test]
    fn stdin_read_waits_for_the_first_byte_then_takes_what_arrived() {
        let (mut c, wire) = console();
        c.set_interrupt_char(Some(3));
        wire.arrive(30_000, b"xy");
        wire.arrive(90_000, b"z");
        let mut buf = [0u8; 8];
        assert_eq!(c.read_stdin(&mut buf), Ok(2));
        assert_eq!(&buf[..2], b"xy");
        assert_eq!(c.read_stdin(&mut buf), Ok(1));
        assert_eq!(c.read_stdin(&mut []), Ok(0));
        wire.arrive(200_000, b"\x03");
        assert_eq!(c.read_stdin(&mut buf), Err(EINTR));
    }

    #[test]
    fn sleep_flushes_then_ends_on_time_or_at_ctrl_c() {
        let (mut c, wire) = console();
        c.set_interrupt_char(Some(3));
        c.write(b"before");
        c.sleep_us(1_000_000);
        assert_eq!(wire.sent(), "before");
        assert_eq!(wire.0.borrow().now, 1_000_000);
        // Typed text does not end it; Ctrl-C does, and stays for the VM to see.
        wire.arrive(1_100_000, b"k");
        wire.arrive(1_200_000, b"\x03");
        c.sleep_us(5_000_000);
        assert_eq!(wire.0.borrow().now, 1_200_000);
        assert!(c.interrupted());
        assert_eq!(c.next_byte(0), Some(b'k'));
    }

    #[test]
    fn much_input_at_once_is_all_queued() {
        let (mut c, wire) = console();
        let data: Vec<u8> = (0..2000u32).map(|i| b'a' + (i % 26) as u8).collect();
        wire.arrive(0, &data);
        let mut got = vec![];
        while c.stdin_ready() {
            got.extend(c.next_byte(0));
        }
        assert_eq!(got, data);
    }
}
