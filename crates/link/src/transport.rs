//! The byte pipe to a board, and a way to drive it without an async runtime.
//!
//! The protocol code is written once, as async functions over [`Transport`]. In the browser a
//! WebSerial transport awaits JavaScript promises; natively the transports block inside their
//! futures, which therefore never return `Pending`, and [`block_on`] runs them to completion
//! with a no-op waker.

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use crate::error::LinkError;

// `async fn` in a public trait warns because callers cannot demand `Send` futures. None is
// wanted: the browser's futures hold JavaScript promises, which are not `Send`, and native code
// runs them on the calling thread with `block_on`.
#[allow(async_fn_in_trait)]
/// A bidirectional byte stream to a board: a serial port, a TCP socket, a pty.
pub trait Transport {
    /// Writes all of `data`.
    async fn write(&mut self, data: &[u8]) -> Result<(), LinkError>;

    /// Reads what is available into `buf`, waiting at most `timeout_ms` for the first byte.
    ///
    /// Returns the number of bytes read; `Ok(0)` means the time ran out (and never end of
    /// stream: that is [`LinkError::Disconnected`]). A `timeout_ms` of 0 only takes what has
    /// already arrived.
    async fn read(&mut self, buf: &mut [u8], timeout_ms: u32) -> Result<usize, LinkError>;

    /// Milliseconds on a monotonic clock, if the transport has one.
    ///
    /// With a clock, whole operations (such as entering the raw REPL) get an overall deadline as
    /// well as the limit on silence between bytes; without one only silence is bounded, plus a
    /// cap on how many unexpected bytes are skipped.
    fn now_ms(&mut self) -> Option<u64> {
        None
    }
}

/// Runs `future` to completion on the calling thread.
///
/// Meant for futures over transports that block instead of returning `Pending` (the native
/// ones). A future that does return `Pending` is polled again at once: that is a busy wait,
/// not a hang, because nothing here would ever wake it.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        core::hint::spin_loop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_on_runs_ready_and_pending_futures() {
        assert_eq!(block_on(async { 41 + 1 }), 42);
        // A future that is pending twice before it is ready.
        let mut polls = 0;
        let flaky = core::future::poll_fn(|_| {
            polls += 1;
            if polls < 3 {
                Poll::Pending
            } else {
                Poll::Ready(polls)
            }
        });
        assert_eq!(block_on(flaky), 3);
    }
}
