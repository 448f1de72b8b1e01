//! A board driven through MicroPython's raw REPL: enter and leave it, run code, read back stdout
//! and the traceback, soft-reset.
//!
//! The byte sequences are mpremote's (`tools/mpremote/mpremote/transport_serial.py`), so
//! anything that works with mpremote works here, and Pyrite's own boards are held to them:
//!
//! - enter: `\r\x03`, drop what has arrived, `\r\x01`; for a soft reset wait for
//!   `raw REPL; CTRL-B to exit\r\n>`, send `\x04`, wait for `soft reboot\r\n`; then wait for
//!   `raw REPL; CTRL-B to exit\r\n` (the `>` prompt is left for the first exec to read).
//! - exec: wait for `>`, send `\x05A\x01`. `R\x01` starts raw-paste: a little-endian u16 window
//!   increment follows; the host never has more than the granted window in flight, each `\x01`
//!   grants another increment, a `\x04` from the board means it stopped reading (echo `\x04`,
//!   stop sending). The host ends with `\x04` and waits for the board's `\x04` (compiled).
//!   Anything else (`R\x00`, or `ra` from firmware without raw-paste) falls back to the plain
//!   raw REPL for the rest of the connection: 256-byte chunks 10 ms apart, `\x04`, expect `OK`.
//! - then `<stdout>\x04<traceback>\x04>` for both.
//!
//! Every wait is bounded: silence longer than [`Timeouts::reply_ms`] is a
//! [`LinkError::Timeout`] naming what was awaited, and the bytes skipped while looking for a
//! banner or prompt are capped. An error that leaves the board in an unknown state makes the
//! next operation re-enter the raw REPL first.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{LinkError, TIMEOUT_TAIL};
use crate::literal::{self, encode_bytes, Value};
use crate::transport::Transport;

/// The raw REPL's banner, without its `>` prompt.
const RAW_BANNER: &[u8] = b"raw REPL; CTRL-B to exit\r\n";
/// The raw REPL's banner with the prompt, as printed on entry.
const RAW_BANNER_PROMPT: &[u8] = b"raw REPL; CTRL-B to exit\r\n>";
/// Bytes skipped at most while looking for a banner, prompt or marker.
const SKIP_CAP: usize = 1 << 20;
/// Chunk size of the plain raw REPL (no flow control), as mpremote.
const PLAIN_CHUNK: usize = 256;
/// How often a streaming exec hands control back to its caller while the board is silent.
const STREAM_TICK_MS: u32 = 100;
/// Bytes read from the transport at a time.
const READ_CHUNK: usize = 1024;

/// How long to wait for what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// The longest silence while a reply is due, also between the output bytes of
    /// [`Board::exec`] (mpremote: 10 s).
    pub reply_ms: u32,
    /// The longest each step of entering the raw REPL may take in all, when the transport has a
    /// clock (mpremote: 10 s).
    pub enter_ms: u32,
    /// The silence that ends the drain after [`Board::interrupt`].
    pub drain_ms: u32,
    /// The pause between chunks in the plain raw REPL (mpremote: 10 ms).
    pub chunk_pause_ms: u32,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            reply_ms: 10_000,
            enter_ms: 10_000,
            drain_ms: 100,
            chunk_pause_ms: 10,
        }
    }
}

/// What a streaming exec's callback wants next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Keep running.
    Continue,
    /// Send Ctrl-C: the program gets `KeyboardInterrupt`, whose traceback ends the exec.
    Interrupt,
}

/// Received bytes not yet consumed by the protocol.
#[derive(Default)]
struct Inbox {
    data: Vec<u8>,
    pos: usize,
}

impl Inbox {
    fn bytes(&self) -> &[u8] {
        self.data.get(self.pos..).unwrap_or_default()
    }

    fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.data.len());
    }

    fn pop(&mut self) -> Option<u8> {
        let b = self.data.get(self.pos).copied()?;
        self.pos += 1;
        Some(b)
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.is_empty() {
            self.data.clear();
            self.pos = 0;
        } else if self.pos > 4096 {
            self.data.drain(..self.pos);
            self.pos = 0;
        }
        self.data.extend_from_slice(bytes);
    }

    fn clear(&mut self) {
        self.data.clear();
        self.pos = 0;
    }
}

/// A board on the other end of a [`Transport`], spoken to through the raw REPL.
pub struct Board<T: Transport> {
    transport: T,
    inbox: Inbox,
    in_raw: bool,
    use_raw_paste: bool,
    timeouts: Timeouts,
    pub(crate) file_chunk: usize,
}

impl<T: Transport> Board<T> {
    /// A board on `transport`, in an unknown state: the first exec enters the raw REPL.
    pub fn new(transport: T) -> Self {
        Board {
            transport,
            inbox: Inbox::default(),
            in_raw: false,
            use_raw_paste: true,
            timeouts: Timeouts::default(),
            file_chunk: 256,
        }
    }

    /// The timeouts in force.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// Replaces the timeouts.
    pub fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.timeouts = timeouts;
    }

    /// Sets the bytes per round trip of [`Board::read_file`] and [`Board::write_file`]
    /// (mpremote's 256 by default; at least 1).
    pub fn set_file_chunk(&mut self, bytes: usize) {
        self.file_chunk = bytes.max(1);
    }

    /// Whether the board is known to be in the raw REPL.
    pub fn in_raw_repl(&self) -> bool {
        self.in_raw
    }

    /// Marks the board as already in the raw REPL with its prompt pending.
    #[cfg(test)]
    pub(crate) fn assume_raw(&mut self) {
        self.in_raw = true;
    }

    /// Turns raw-paste on or off for the following execs (on by default; off sends every
    /// source through the plain raw REPL, as with firmware that lacks raw-paste).
    pub fn set_raw_paste(&mut self, enabled: bool) {
        self.use_raw_paste = enabled;
    }

    /// Whether raw-paste is still tried (false once the board has declined it).
    pub fn uses_raw_paste(&self) -> bool {
        self.use_raw_paste
    }

    /// The transport, e.g. to run a terminal on the friendly REPL after [`Board::exit_raw`].
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// Takes the bytes received but not consumed by the protocol (such as the raw REPL's `>`),
    /// for whoever reads the transport directly next.
    pub fn take_received(&mut self) -> Vec<u8> {
        let out = self.inbox.bytes().to_vec();
        self.inbox.clear();
        out
    }

    /// Gives the transport back (bytes already received are dropped: see
    /// [`Board::take_received`]).
    pub fn into_transport(self) -> T {
        self.transport
    }

    /// Sends `\r\x03` (Ctrl-C: stop a running program, clear the line) and returns what the
    /// board printed until it fell silent for [`Timeouts::drain_ms`].
    pub async fn interrupt(&mut self) -> Result<Vec<u8>, LinkError> {
        // Whatever state the board ends in, its prompt may be among the drained bytes.
        self.in_raw = false;
        self.transport.write(b"\r\x03").await?;
        let mut out = self.take_received();
        let deadline = self.deadline(self.timeouts.reply_ms);
        while out.len() < SKIP_CAP && !self.past(deadline) {
            if !self.fill(self.timeouts.drain_ms).await? {
                break;
            }
            out.extend_from_slice(self.inbox.bytes());
            self.inbox.clear();
        }
        Ok(out)
    }

    /// Enters the raw REPL from any state, optionally soft-resetting the board on the way, with
    /// mpremote's sequence.
    pub async fn enter_raw(&mut self, soft_reset: bool) -> Result<(), LinkError> {
        self.in_raw = false;
        self.transport.write(b"\r\x03").await?;
        // Drop what has already arrived, without waiting for more (mpremote flushes its input
        // the same way; later waits skip the rest of the board's answer).
        self.inbox.clear();
        let mut scratch = [0u8; READ_CHUNK];
        let mut dropped = 0;
        while dropped < SKIP_CAP {
            let n = self.transport.read(&mut scratch, 0).await?;
            if n == 0 {
                break;
            }
            dropped += n;
        }
        self.transport.write(b"\r\x01").await?;
        let limit = self.timeouts.enter_ms;
        if soft_reset {
            self.expect(RAW_BANNER_PROMPT, "the raw REPL banner", Some(limit))
                .await?;
            self.transport.write(b"\x04").await?;
            self.expect(b"soft reboot\r\n", "the soft reboot message", Some(limit))
                .await?;
        }
        self.expect(RAW_BANNER, "the raw REPL banner", Some(limit))
            .await?;
        self.in_raw = true;
        Ok(())
    }

    /// Leaves the raw REPL (`\r\x02`): the board prints its banner and the friendly prompt.
    pub async fn exit_raw(&mut self) -> Result<(), LinkError> {
        self.in_raw = false;
        self.transport.write(b"\r\x02").await
    }

    /// Soft-resets the board and leaves it in the raw REPL (mpremote's `soft-reset`).
    pub async fn soft_reset(&mut self) -> Result<(), LinkError> {
        self.enter_raw(true).await
    }

    /// Runs `source` and returns its stdout and its stderr (the traceback, empty on success),
    /// entering the raw REPL first if needed. Output may pause for at most
    /// [`Timeouts::reply_ms`].
    pub async fn exec(&mut self, source: &[u8]) -> Result<(Vec<u8>, Vec<u8>), LinkError> {
        let mut stdout = Vec::new();
        let idle = self.timeouts.reply_ms;
        let stderr = self
            .exec_stream(source, Some(idle), |chunk| {
                stdout.extend_from_slice(chunk);
                Flow::Continue
            })
            .await?;
        Ok((stdout, stderr))
    }

    /// Runs `source` and returns its stdout, or [`LinkError::Exception`] with the traceback
    /// if it raised (mpremote's `exec`).
    pub async fn exec_checked(&mut self, source: &[u8]) -> Result<Vec<u8>, LinkError> {
        let (stdout, stderr) = self.exec(source).await?;
        if stderr.is_empty() {
            Ok(stdout)
        } else {
            Err(LinkError::Exception {
                traceback: String::from_utf8_lossy(&stderr).into_owned(),
            })
        }
    }

    /// Evaluates `expr` on the board (`print(repr(expr))`) and parses the result.
    pub async fn eval(&mut self, expr: &str) -> Result<Value, LinkError> {
        let out = self
            .exec_checked(format!("print(repr({expr}))").as_bytes())
            .await?;
        literal::parse(&out)
    }

    /// Runs `source`, handing stdout to `on_stdout` as it arrives, and returns the traceback
    /// (empty on success).
    ///
    /// `on_stdout` also gets an empty slice after every 100 ms of silence, so the caller can
    /// return [`Flow::Interrupt`] at any time. `idle_timeout_ms` bounds the silence (`None`:
    /// wait for as long as the program runs).
    pub async fn exec_stream(
        &mut self,
        source: &[u8],
        idle_timeout_ms: Option<u32>,
        mut on_stdout: impl FnMut(&[u8]) -> Flow,
    ) -> Result<Vec<u8>, LinkError> {
        if !self.in_raw {
            self.enter_raw(false).await?;
        }
        let mut result = self.send_source(source).await;
        if result.is_ok() {
            result = self.follow_stdout(idle_timeout_ms, &mut on_stdout).await;
        }
        let stderr = match result {
            Ok(()) => self.follow_stderr().await,
            Err(e) => Err(e),
        };
        if stderr.is_err() {
            // Mid-protocol: the next operation must resynchronise.
            self.in_raw = false;
        }
        stderr
    }

    /// Sends `source` with raw-paste if the board has it, plainly otherwise, up to the point
    /// where the program's output starts.
    async fn send_source(&mut self, source: &[u8]) -> Result<(), LinkError> {
        self.expect(b">", "the raw REPL prompt '>'", None).await?;
        if self.use_raw_paste {
            self.transport.write(b"\x05A\x01").await?;
            let reply = self.read_exact::<2>("the raw-paste reply").await?;
            match &reply {
                b"R\x01" => return self.raw_paste_write(source).await,
                // Understood but unsupported; the board prints its prompt again (pyexec.c).
                b"R\x00" => {
                    self.expect(b">", "the raw REPL prompt '>'", None).await?;
                }
                // Firmware without raw-paste took Ctrl-A as "reset the raw REPL" and is
                // printing its banner, of which `reply` was the start.
                _ => {
                    self.expect(
                        b"w REPL; CTRL-B to exit\r\n>",
                        "the raw REPL banner",
                        Some(self.timeouts.enter_ms),
                    )
                    .await?;
                }
            }
            self.use_raw_paste = false;
        }
        for chunk in source.chunks(PLAIN_CHUNK) {
            self.transport.write(chunk).await?;
            // Without flow control, give the board time to take each chunk in. A read is the
            // portable way to wait; anything it receives stays queued.
            self.fill(self.timeouts.chunk_pause_ms).await?;
        }
        self.transport.write(b"\x04").await?;
        let ok = self.read_exact::<2>("'OK' after the source").await?;
        if &ok != b"OK" {
            return Err(LinkError::Protocol(format!(
                "could not exec command (response: {})",
                encode_bytes(&ok)
            )));
        }
        Ok(())
    }

    /// The raw-paste data phase, after `R\x01`.
    async fn raw_paste_write(&mut self, source: &[u8]) -> Result<(), LinkError> {
        let increment =
            u16::from_le_bytes(self.read_exact::<2>("the raw-paste window size").await?);
        let increment = usize::from(increment);
        if increment == 0 {
            return Err(LinkError::Protocol("raw-paste window size 0".into()));
        }
        let mut window = increment;
        let mut sent = 0;
        while sent < source.len() {
            // Take every grant that has arrived; wait for one when the window is used up.
            while window == 0 || self.poll_pending().await? {
                match self.next_byte("a raw-paste window grant").await? {
                    0x01 => window += increment,
                    0x04 => {
                        // The board stopped reading (e.g. a syntax error): acknowledge, stop.
                        self.transport.write(b"\x04").await?;
                        return Ok(());
                    }
                    other => {
                        return Err(LinkError::Protocol(format!(
                            "unexpected byte {other:#04x} during raw paste"
                        )))
                    }
                }
            }
            let end = source.len().min(sent + window);
            let part = source.get(sent..end).unwrap_or_default();
            self.transport.write(part).await?;
            window -= part.len();
            sent = end;
        }
        self.transport.write(b"\x04").await?;
        // Grants still in flight come before the board's end-of-data acknowledgement.
        self.expect(b"\x04", "the end of the raw paste", None).await
    }

    /// Passes stdout to `on_stdout` up to the first `\x04`.
    async fn follow_stdout(
        &mut self,
        idle_timeout_ms: Option<u32>,
        on_stdout: &mut impl FnMut(&[u8]) -> Flow,
    ) -> Result<(), LinkError> {
        let mut interrupted = false;
        let mut idle = 0u32;
        loop {
            let bytes = self.inbox.bytes();
            let (chunk, done) = match bytes.iter().position(|&b| b == 0x04) {
                Some(end) => (bytes.get(..end).unwrap_or_default(), true),
                None => (bytes, false),
            };
            // Output goes to the caller as it comes; so does every tick of silence.
            let flow = if !chunk.is_empty() || (idle > 0 && !done) {
                on_stdout(chunk)
            } else {
                Flow::Continue
            };
            let taken = chunk.len() + usize::from(done);
            self.inbox.consume(taken);
            if done {
                return Ok(());
            }
            if flow == Flow::Interrupt && !interrupted {
                interrupted = true;
                self.transport.write(b"\x03").await?;
            }
            let tick = match idle_timeout_ms {
                Some(limit) => STREAM_TICK_MS.min(limit.saturating_sub(idle)),
                None => STREAM_TICK_MS,
            };
            if self.fill(tick).await? {
                idle = 0;
            } else {
                idle = idle.saturating_add(tick.max(1));
                if idle_timeout_ms.is_some_and(|limit| idle >= limit) {
                    return Err(LinkError::Timeout {
                        waiting_for: "the program's output to end",
                        received: Vec::new(),
                    });
                }
            }
        }
    }

    /// Reads the traceback up to the second `\x04`.
    async fn follow_stderr(&mut self) -> Result<Vec<u8>, LinkError> {
        let mut stderr = Vec::new();
        loop {
            let bytes = self.inbox.bytes();
            if let Some(end) = bytes.iter().position(|&b| b == 0x04) {
                stderr.extend_from_slice(bytes.get(..end).unwrap_or_default());
                self.inbox.consume(end + 1);
                return Ok(stderr);
            }
            stderr.extend_from_slice(bytes);
            self.inbox.clear();
            if !self.fill(self.timeouts.reply_ms).await? {
                return Err(self.timeout("the end of the traceback", &stderr));
            }
        }
    }

    /// Reads from the transport into the inbox; false if nothing came within `timeout_ms`.
    async fn fill(&mut self, timeout_ms: u32) -> Result<bool, LinkError> {
        let mut buf = [0u8; READ_CHUNK];
        let n = self.transport.read(&mut buf, timeout_ms).await?;
        let got = buf.get(..n).unwrap_or(&buf);
        self.inbox.push(got);
        Ok(n > 0)
    }

    /// Whether a byte has arrived, without waiting (pyserial's `inWaiting()`).
    async fn poll_pending(&mut self) -> Result<bool, LinkError> {
        Ok(!self.inbox.is_empty() || self.fill(0).await?)
    }

    async fn next_byte(&mut self, waiting_for: &'static str) -> Result<u8, LinkError> {
        loop {
            if let Some(b) = self.inbox.pop() {
                return Ok(b);
            }
            if !self.fill(self.timeouts.reply_ms).await? {
                return Err(self.timeout(waiting_for, &[]));
            }
        }
    }

    async fn read_exact<const N: usize>(
        &mut self,
        waiting_for: &'static str,
    ) -> Result<[u8; N], LinkError> {
        let mut out = [0u8; N];
        let mut got = 0;
        while let Some(slot) = out.get_mut(got) {
            match self.next_byte(waiting_for).await {
                Ok(b) => *slot = b,
                Err(LinkError::Timeout { .. }) => {
                    return Err(self.timeout(waiting_for, out.get(..got).unwrap_or_default()))
                }
                Err(e) => return Err(e),
            }
            got += 1;
        }
        Ok(out)
    }

    /// Skips input up to and including `ending`. Silence is bounded by
    /// [`Timeouts::reply_ms`], the whole wait by `overall_ms` when the transport has a clock,
    /// and the bytes skipped by [`SKIP_CAP`].
    async fn expect(
        &mut self,
        ending: &[u8],
        waiting_for: &'static str,
        overall_ms: Option<u32>,
    ) -> Result<(), LinkError> {
        let deadline = overall_ms.and_then(|ms| self.deadline(ms));
        let keep = ending.len().max(TIMEOUT_TAIL);
        let mut tail: Vec<u8> = Vec::new();
        let mut skipped = 0usize;
        loop {
            while let Some(b) = self.inbox.pop() {
                tail.push(b);
                if tail.ends_with(ending) {
                    return Ok(());
                }
                if tail.len() > 2 * keep {
                    tail.drain(..tail.len() - keep);
                }
                skipped += 1;
                if skipped > SKIP_CAP {
                    return Err(LinkError::Protocol(format!(
                        "no {waiting_for} in {SKIP_CAP} bytes"
                    )));
                }
            }
            let mut wait = self.timeouts.reply_ms;
            if let Some(deadline) = deadline {
                let now = self.transport.now_ms().unwrap_or(deadline);
                if now >= deadline {
                    return Err(self.timeout(waiting_for, &tail));
                }
                wait = wait.min(u32::try_from(deadline - now).unwrap_or(u32::MAX));
            }
            if !self.fill(wait).await? {
                return Err(self.timeout(waiting_for, &tail));
            }
        }
    }

    fn deadline(&mut self, ms: u32) -> Option<u64> {
        self.transport.now_ms().map(|now| now + u64::from(ms))
    }

    fn past(&mut self, deadline: Option<u64>) -> bool {
        match (deadline, self.transport.now_ms()) {
            (Some(deadline), Some(now)) => now >= deadline,
            _ => false,
        }
    }

    fn timeout(&self, waiting_for: &'static str, seen: &[u8]) -> LinkError {
        let start = seen.len().saturating_sub(TIMEOUT_TAIL);
        LinkError::Timeout {
            waiting_for,
            received: seen.get(start..).unwrap_or_default().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests;
