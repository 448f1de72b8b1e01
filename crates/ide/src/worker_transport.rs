//! A [`Transport`] over the board worker's console stream, so that `pyrite-link` drives the
//! browser's board exactly as it drives a board on a serial port.
//!
//! Writes go into the control block's ring like keystrokes; reads take the console bytes the
//! worker posts, which the [`LinkTap`](crate::worker::LinkTap) diverts from the terminal for
//! as long as the transport exists. A read that finds nothing waits for the next "out" message
//! or for a `setTimeout`, whichever comes first. The WebSerial transport has the same shape
//! with a serial port's streams in place of the worker.

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::time::Duration;

use leptos::leptos_dom::helpers::{set_timeout_with_handle, TimeoutHandle};
use pyrite_link::{LinkError, Transport};

use crate::worker::BoardWorker;

/// The board's console, borrowed from the terminal for one board-protocol operation.
pub struct WorkerTransport {
    board: Rc<BoardWorker>,
    /// The worker generation the operation started on; a hard reset ends the connection.
    generation: u32,
}

impl WorkerTransport {
    /// Opens the console to the link: from now on its bytes come here, not to the terminal.
    pub fn open(board: Rc<BoardWorker>) -> WorkerTransport {
        let generation = board.tap().open();
        WorkerTransport { board, generation }
    }

    fn check_connected(&self) -> Result<(), LinkError> {
        if self.board.tap().is_current(self.generation) {
            Ok(())
        } else {
            Err(LinkError::Disconnected)
        }
    }
}

impl Drop for WorkerTransport {
    fn drop(&mut self) {
        if self.board.tap().is_current(self.generation) {
            self.board.tap().close();
        }
    }
}

impl Transport for WorkerTransport {
    async fn write(&mut self, data: &[u8]) -> Result<(), LinkError> {
        self.check_connected()?;
        self.board.send(data);
        Ok(())
    }

    async fn read(&mut self, buf: &mut [u8], timeout_ms: u32) -> Result<usize, LinkError> {
        self.check_connected()?;
        let n = self.board.tap().take(buf);
        if n > 0 || timeout_ms == 0 || buf.is_empty() {
            return Ok(n);
        }
        let timer = Timer::start(timeout_ms);
        poll_fn(|cx| {
            if let Err(e) = self.check_connected() {
                return Poll::Ready(Err(e));
            }
            let n = self.board.tap().take(buf);
            if n > 0 {
                return Poll::Ready(Ok(n));
            }
            if timer.fired() {
                return Poll::Ready(Ok(0));
            }
            self.board.tap().wake_on_arrival(cx.waker());
            timer.wake_on_expiry(cx.waker());
            Poll::Pending
        })
        .await
    }

    fn now_ms(&mut self) -> Option<u64> {
        let now = web_sys::window()?.performance()?.now();
        Some(now.max(0.0) as u64)
    }
}

/// A `setTimeout` that a future can wait on; cleared when dropped.
struct Timer {
    state: Rc<TimerState>,
    handle: Option<TimeoutHandle>,
}

#[derive(Default)]
struct TimerState {
    fired: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl Timer {
    fn start(ms: u32) -> Timer {
        let state = Rc::new(TimerState::default());
        let shared = Rc::clone(&state);
        let handle = set_timeout_with_handle(
            move || {
                shared.fired.set(true);
                if let Some(waker) = shared.waker.borrow_mut().take() {
                    waker.wake();
                }
            },
            Duration::from_millis(u64::from(ms)),
        )
        .ok();
        if handle.is_none() {
            // No timer available: time is up at once rather than never.
            state.fired.set(true);
        }
        Timer { state, handle }
    }

    fn fired(&self) -> bool {
        self.state.fired.get()
    }

    fn wake_on_expiry(&self, waker: &Waker) {
        *self.state.waker.borrow_mut() = Some(waker.clone());
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.clear();
        }
    }
}
