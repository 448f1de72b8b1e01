//! The control block the page shares with the board's worker: one `SharedArrayBuffer`.
//!
//! The interpreter runs Python synchronously inside the worker, so a running program never
//! sees a `postMessage`. What must reach it while it runs (keys, Ctrl-C, the switch, the
//! sensor's climate) is written here instead, and the worker reads it at its interrupt polls
//! and while it sleeps in `Atomics.wait`.
//!
//! | bytes          | view                 | content                                            |
//! |----------------|----------------------|----------------------------------------------------|
//! | 0..64          | `Int32Array` "ctl"   | the slots below                                    |
//! | 64..65600      | `Uint8Array` "ring"  | terminal bytes: byte k of the stream at k % 65536  |
//!
//! Slots: `WRITE` (bytes the page has written, a wrapping u32, page only), `READ` (bytes the
//! worker has consumed, worker only), `SWITCH` (1 while the user switch is held), `TEMP`
//! (hundredths of °C), `HUMIDITY` (hundredths of %RH), `SIGNAL` (bumped and notified after
//! every change, so that a sleeping worker wakes at once); the rest are reserved.

use std::collections::VecDeque;

use js_sys::{Atomics, Int32Array, SharedArrayBuffer, Uint8Array};
use wasm_bindgen::JsValue;

/// Bytes the page has written into the ring (a wrapping counter).
const WRITE: u32 = 0;
/// Bytes the worker has consumed from the ring.
const READ: u32 = 1;
/// 1 while the board's user switch is held down.
const SWITCH: u32 = 2;
/// The SHT31's temperature in hundredths of °C.
const TEMP: u32 = 3;
/// The SHT31's relative humidity in hundredths of %.
const HUMIDITY: u32 = 4;
/// Incremented (and notified) after every write of a slot or of ring bytes.
const SIGNAL: u32 = 5;
/// Number of `Int32` slots.
const SLOTS: u32 = 16;

/// Where the ring starts, in bytes.
const RING_OFFSET: u32 = 64;
/// The ring's size in bytes.
pub const RING_SIZE: u32 = 65_536;
/// The whole buffer's size in bytes.
pub const BUFFER_SIZE: u32 = RING_OFFSET + RING_SIZE;

/// The sensor's temperature until the user moves the slider, in hundredths of °C.
pub const DEFAULT_TEMP: i32 = 2150;
/// The sensor's humidity until the user moves the slider, in hundredths of %.
pub const DEFAULT_HUMIDITY: i32 = 4500;

/// The page's side of the shared control buffer, with the terminal bytes that did not fit yet.
pub struct ControlBlock {
    buffer: SharedArrayBuffer,
    ctl: Int32Array,
    ring: Uint8Array,
    /// Bytes waiting for room in the ring (sent on the worker's next "consumed").
    pending: VecDeque<u8>,
}

impl ControlBlock {
    /// A fresh buffer with the sensor defaults, or why one cannot be made here.
    ///
    /// `SharedArrayBuffer` exists only on a cross-origin isolated page (COOP/COEP headers).
    pub fn new() -> Result<ControlBlock, String> {
        let global = js_sys::global();
        let isolated = js_sys::Reflect::get(&global, &JsValue::from_str("crossOriginIsolated"))
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let has_sab =
            js_sys::Reflect::has(&global, &JsValue::from_str("SharedArrayBuffer")).unwrap_or(false);
        if !isolated || !has_sab {
            return Err(
                "this page is not cross-origin isolated (its server must send the \
                 Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers)"
                    .into(),
            );
        }
        let buffer = SharedArrayBuffer::new(BUFFER_SIZE);
        let ctl = Int32Array::new_with_byte_offset_and_length(&buffer, 0, SLOTS);
        let ring = Uint8Array::new_with_byte_offset_and_length(&buffer, RING_OFFSET, RING_SIZE);
        let block = ControlBlock {
            buffer,
            ctl,
            ring,
            pending: VecDeque::new(),
        };
        block.store(TEMP, DEFAULT_TEMP);
        block.store(HUMIDITY, DEFAULT_HUMIDITY);
        Ok(block)
    }

    /// The buffer, for the worker's "init" message.
    pub fn buffer(&self) -> &SharedArrayBuffer {
        &self.buffer
    }

    /// Queues `bytes` for the worker and moves as many as fit into the ring. Returns whether
    /// any went in (then the worker needs a "wake").
    pub fn send(&mut self, bytes: &[u8]) -> bool {
        self.pending.extend(bytes);
        self.flush()
    }

    /// Moves queued bytes into the ring as far as there is room. Returns whether any went in.
    pub fn flush(&mut self) -> bool {
        if self.pending.is_empty() {
            return false;
        }
        let write = self.load(WRITE) as u32;
        let read = self.load(READ) as u32;
        let n = ring_space(write, read).min(self.pending.len());
        if n == 0 {
            return false;
        }
        let bytes: Vec<u8> = self.pending.drain(..n).collect();
        let mut from = 0;
        for (start, len) in ring_spans(write, n) {
            if let Some(part) = bytes.get(from..from + len) {
                self.ring
                    .subarray(start, start + len as u32)
                    .copy_from(part);
            }
            from += len;
        }
        self.store(WRITE, write.wrapping_add(n as u32) as i32);
        self.signal();
        true
    }

    /// Sets the switch slot: held down or released.
    pub fn set_switch(&self, pressed: bool) {
        self.store(SWITCH, i32::from(pressed));
        self.signal();
    }

    /// Sets what the SHT31 measures, in hundredths of °C and of %RH.
    pub fn set_climate(&self, temp: i32, humidity: i32) {
        self.store(TEMP, temp);
        self.store(HUMIDITY, humidity);
        self.signal();
    }

    /// Empties the ring for a fresh worker: both counters back to 0, queued bytes dropped.
    pub fn reset_ring(&mut self) {
        self.pending.clear();
        self.store(WRITE, 0);
        self.store(READ, 0);
    }

    fn load(&self, slot: u32) -> i32 {
        Atomics::load(&self.ctl, slot).unwrap_or(0)
    }

    fn store(&self, slot: u32, value: i32) {
        // Atomics on an Int32Array over a SharedArrayBuffer cannot fail.
        let _ = Atomics::store(&self.ctl, slot, value);
    }

    fn signal(&self) {
        let _ = Atomics::add(&self.ctl, SIGNAL, 1);
        let _ = Atomics::notify(&self.ctl, SIGNAL);
    }
}

/// Free bytes in the ring when the page has written `write` and the worker read `read`.
fn ring_space(write: u32, read: u32) -> usize {
    let used = write.wrapping_sub(read).min(RING_SIZE);
    (RING_SIZE - used) as usize
}

/// The one or two ring ranges `(start, len)` that `n` bytes written at stream offset `write`
/// occupy (two when they wrap around the end).
fn ring_spans(write: u32, n: usize) -> Vec<(u32, usize)> {
    let start = write % RING_SIZE;
    let first = n.min((RING_SIZE - start) as usize);
    let mut spans = vec![(start, first)];
    if n > first {
        spans.push((0, n - first));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_follows_the_wrapping_counters() {
        assert_eq!(ring_space(0, 0), 65_536);
        assert_eq!(ring_space(100, 40), 65_476);
        assert_eq!(ring_space(65_536, 0), 0);
        // The counters wrap at 2^32; the distance stays right.
        assert_eq!(ring_space(5, u32::MAX - 4), 65_526);
        // A worker that reports more than was written cannot make the space exceed the ring.
        assert_eq!(ring_space(0, 10), 0);
    }

    #[test]
    fn spans_split_at_the_end_of_the_ring() {
        assert_eq!(ring_spans(10, 5), vec![(10, 5)]);
        assert_eq!(ring_spans(65_534, 5), vec![(65_534, 2), (0, 3)]);
        assert_eq!(ring_spans(65_536 * 3 + 7, 1), vec![(7, 1)]);
        assert_eq!(ring_spans(u32::MAX, 2), vec![(65_535, 1), (0, 1)]);
    }
}
