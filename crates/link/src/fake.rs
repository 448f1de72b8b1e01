//! Scripted transports for the unit tests: byte-exact conversations, and a model board that
//! enforces raw-paste flow control.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::error::LinkError;
use crate::literal::encode_bytes;
use crate::transport::Transport;

/// One turn of a scripted conversation.
pub enum Step {
    /// Bytes the host must write next, exactly.
    Host(Vec<u8>),
    /// Bytes the board sends once every earlier `Host` step has been written.
    Dev(Vec<u8>),
}

/// The host writes `bytes` next.
pub fn host(bytes: &[u8]) -> Step {
    Step::Host(bytes.to_vec())
}

/// The board answers `bytes`.
pub fn dev(bytes: &[u8]) -> Step {
    Step::Dev(bytes.to_vec())
}

/// A transport that plays a script and panics on the first byte the host writes out of turn.
/// Reads with nothing to give advance a virtual clock by their timeout and return `Ok(0)`.
pub struct Scripted {
    steps: VecDeque<Step>,
    matched: usize,
    out: VecDeque<u8>,
    written: Vec<u8>,
    clock: u64,
    /// Every `timeout_ms` passed to `read`, in order.
    pub reads: Vec<u32>,
}

impl Scripted {
    pub fn new(steps: impl IntoIterator<Item = Step>) -> Self {
        let mut s = Scripted {
            steps: steps.into_iter().collect(),
            matched: 0,
            out: VecDeque::new(),
            written: Vec::new(),
            clock: 0,
            reads: Vec::new(),
        };
        s.release();
        s
    }

    fn release(&mut self) {
        while let Some(Step::Dev(bytes)) = self.steps.front() {
            self.out.extend(bytes.iter().copied());
            self.steps.pop_front();
        }
    }

    /// Panics unless the whole script has been played.
    pub fn assert_done(&self) {
        assert!(
            self.steps.is_empty(),
            "script not finished; host wrote {}",
            encode_bytes(&self.written)
        );
        assert!(
            self.out.is_empty(),
            "board output left unread: {}",
            encode_bytes(&self.out.iter().copied().collect::<Vec<u8>>())
        );
    }

    /// The virtual time in milliseconds.
    pub fn clock(&self) -> u64 {
        self.clock
    }
}

impl Transport for Scripted {
    async fn write(&mut self, data: &[u8]) -> Result<(), LinkError> {
        for &b in data {
            self.release();
            let Some(Step::Host(expected)) = self.steps.front() else {
                panic!(
                    "unexpected write {} after {}",
                    encode_bytes(&[b]),
                    encode_bytes(&self.written)
                );
            };
            let want = expected[self.matched];
            assert_eq!(
                b,
                want,
                "host wrote {} where the script has {} (step offset {}), after {}",
                encode_bytes(&[b]),
                encode_bytes(&[want]),
                self.matched,
                encode_bytes(&self.written)
            );
            self.written.push(b);
            self.matched += 1;
            if self.matched == expected.len() {
                self.steps.pop_front();
                self.matched = 0;
            }
        }
        self.release();
        Ok(())
    }

    async fn read(&mut self, buf: &mut [u8], timeout_ms: u32) -> Result<usize, LinkError> {
        self.reads.push(timeout_ms);
        self.release();
        if self.out.is_empty() {
            self.clock += u64::from(timeout_ms);
            return Ok(0);
        }
        let n = buf.len().min(self.out.len());
        for (slot, b) in buf.iter_mut().zip(self.out.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }

    fn now_ms(&mut self) -> Option<u64> {
        Some(self.clock)
    }
}

/// A model board in the raw REPL that accepts one raw-paste exec and checks the host never
/// sends more than it was granted. The board takes its input in only while the host waits
/// (a read with a timeout), so a host that does not wait for grants overruns and fails.
pub struct PasteBoard {
    increment: u16,
    credit: i64,
    since_grant: usize,
    owed_grants: usize,
    state: PasteState,
    out: VecDeque<u8>,
    /// The source received.
    pub source: Vec<u8>,
    /// Stop reading (send `\x04`) after this many source bytes, as on a syntax error.
    pub abort_after: Option<usize>,
    /// Bytes received after an abort, before the host's `\x04`.
    pub after_abort: usize,
}

#[derive(PartialEq, Debug)]
enum PasteState {
    Command(Vec<u8>),
    Source,
    Aborted,
    Done,
}

impl PasteBoard {
    pub fn new(increment: u16) -> Self {
        PasteBoard {
            increment,
            credit: 0,
            since_grant: 0,
            owed_grants: 0,
            state: PasteState::Command(Vec::new()),
            out: b">".iter().copied().collect(),
            source: Vec::new(),
            abort_after: None,
            after_abort: 0,
        }
    }

    fn receive(&mut self, b: u8) {
        match &mut self.state {
            PasteState::Command(got) => {
                got.push(b);
                if got.len() == 3 {
                    assert_eq!(got.as_slice(), b"\x05A\x01");
                    self.state = PasteState::Source;
                    self.out.extend(b"R\x01");
                    self.out.extend(self.increment.to_le_bytes());
                    self.out.push_back(0x01);
                    self.credit = 2 * i64::from(self.increment);
                }
            }
            PasteState::Source if b == 0x04 => {
                self.out.extend(b"\x04done\r\n\x04\x04>");
                self.state = PasteState::Done;
            }
            PasteState::Source => {
                self.credit -= 1;
                assert!(self.credit >= 0, "host overran the raw-paste window");
                self.source.push(b);
                self.since_grant += 1;
                if self.abort_after == Some(self.source.len()) {
                    self.out.push_back(0x04);
                    self.state = PasteState::Aborted;
                } else if self.since_grant == usize::from(self.increment) {
                    self.since_grant = 0;
                    self.owed_grants += 1;
                }
            }
            PasteState::Aborted if b == 0x04 => {
                self.out
                    .extend(b"\x04Traceback (most recent call last):\r\nSyntaxError: invalid syntax\r\n\x04>");
                self.state = PasteState::Done;
            }
            PasteState::Aborted => self.after_abort += 1,
            PasteState::Done => panic!("write after the exec finished"),
        }
    }
}

impl Transport for PasteBoard {
    async fn write(&mut self, data: &[u8]) -> Result<(), LinkError> {
        for &b in data {
            self.receive(b);
        }
        Ok(())
    }

    async fn read(&mut self, buf: &mut [u8], timeout_ms: u32) -> Result<usize, LinkError> {
        if timeout_ms > 0 && self.state == PasteState::Source {
            for _ in 0..core::mem::take(&mut self.owed_grants) {
                self.credit += i64::from(self.increment);
                self.out.push_back(0x01);
            }
        }
        let n = buf.len().min(self.out.len());
        for (slot, b) in buf.iter_mut().zip(self.out.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }
}

/// The board's side of `enter_raw(false)` from the friendly REPL; leaves the `>` prompt.
pub fn enter() -> Vec<Step> {
    alloc::vec![
        host(b"\r\x03"),
        dev(b"\r\n>>> "),
        host(b"\r\x01"),
        dev(b"\r\nraw REPL; CTRL-B to exit\r\n>"),
    ]
}

/// One raw-paste exec of `source` with the board's default window (128 bytes, two free at
/// the start): the host sends `source` in 128-byte windows, each granted by a `\x01` after the
/// board has taken the previous one in. `reply` is what follows the compile acknowledgement:
/// `stdout \x04 stderr \x04 >`.
pub fn paste_exec(source: &[u8], reply: &[u8]) -> Vec<Step> {
    let mut steps = alloc::vec![host(b"\x05A\x01"), dev(b"R\x01\x80\x00\x01")];
    for window in source.chunks(128) {
        steps.push(host(window));
        if window.len() == 128 {
            steps.push(dev(b"\x01"));
        }
    }
    steps.push(host(b"\x04"));
    steps.push(dev(b"\x04"));
    steps.push(dev(reply));
    steps
}

/// `paste_exec` for code that prints `stdout` and succeeds.
pub fn paste_ok(source: &[u8], stdout: &[u8]) -> Vec<Step> {
    let mut reply = stdout.to_vec();
    reply.extend_from_slice(b"\x04\x04>");
    paste_exec(source, &reply)
}
