//! The control buffer: the one SharedArrayBuffer through which the page reaches Python while
//! it runs (the worker's event loop is blocked then, so messages would wait).
//!
//! Layout (65,600 bytes, made by the page):
//!
//! | bytes        | view              | what                                                  |
//! |--------------|-------------------|-------------------------------------------------------|
//! | 0..64        | `Int32Array` ctl  | ctl[0] WRITE: bytes the page wrote into the ring (wrapping) |
//! |              |                   | ctl[1] READ: bytes the worker consumed (wrapping)      |
//! |              |                   | ctl[2] SWITCH: 1 while the user switch is held         |
//! |              |                   | ctl[3] TEMP: the sensor's °C × 100                     |
//! |              |                   | ctl[4] HUMIDITY: the sensor's %RH × 100                |
//! |              |                   | ctl[5] SIGNAL: bumped and notified by the page after every write |
//! | 64..65600    | `Uint8Array` ring | terminal bytes, byte k of the stream at ring[k % 65536] |
//!
//! The page writes ring bytes, then WRITE, then bumps SIGNAL; the worker loads SIGNAL (to wait
//! on it later without missing a write), then WRITE, copies the bytes and stores READ.

use js_sys::{Atomics, Int32Array, SharedArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// ctl[0]: bytes written into the ring by the page.
pub const WRITE: u32 = 0;
/// ctl[1]: bytes consumed by the worker.
pub const READ: u32 = 1;
/// ctl[2]: the user switch is held.
pub const SWITCH: u32 = 2;
/// ctl[3]: temperature, hundredths of °C.
pub const TEMP: u32 = 3;
/// ctl[4]: relative humidity, hundredths of %.
pub const HUMIDITY: u32 = 4;
/// ctl[5]: bumped by the page after every write.
pub const SIGNAL: u32 = 5;

/// The ring's size.
pub const RING_BYTES: u32 = 65536;
/// Where the ring starts in the buffer.
const RING_OFFSET: u32 = 64;
/// The whole buffer's size.
pub const CONTROL_BYTES: u32 = RING_OFFSET + RING_BYTES;

/// Views of the control buffer.
pub struct Control {
    ctl: Int32Array,
    ring: Uint8Array,
    /// `Atomics.wait` failed once (logged): later failures are not.
    wait_failed: bool,
}

impl Control {
    /// Views of `sab`, which must be a SharedArrayBuffer of at least [`CONTROL_BYTES`].
    pub fn new(sab: &JsValue) -> Result<Control, String> {
        let Some(sab) = sab.dyn_ref::<SharedArrayBuffer>() else {
            return Err(
                "no SharedArrayBuffer: the page must be cross-origin isolated (COOP/COEP)".into(),
            );
        };
        if sab.byte_length() < CONTROL_BYTES {
            return Err(format!(
                "the control buffer has {} bytes, not {CONTROL_BYTES}",
                sab.byte_length()
            ));
        }
        Ok(Control {
            ctl: Int32Array::new_with_byte_offset_and_length(sab, 0, 16),
            ring: Uint8Array::new_with_byte_offset_and_length(sab, RING_OFFSET, RING_BYTES),
            wait_failed: false,
        })
    }

    /// `Atomics.load(ctl, i)`.
    pub fn load(&self, i: u32) -> i32 {
        Atomics::load(&self.ctl, i).unwrap_or(0)
    }

    /// `Atomics.store(ctl, i, v)`.
    pub fn store(&self, i: u32, v: i32) {
        let _ = Atomics::store(&self.ctl, i, v);
    }

    /// Sleeps until SIGNAL differs from `seen`, or `ms` pass.
    pub fn wait(&mut self, seen: i32, ms: f64) {
        if let Err(e) = Atomics::wait_with_timeout(&self.ctl, SIGNAL, seen, ms) {
            if !self.wait_failed {
                self.wait_failed = true;
                crate::js::log_err("pyrite: Atomics.wait failed", &e);
            }
        }
    }

    /// Copies ring bytes starting at stream position `from` into `buf` (at most a ring's
    /// worth); how many.
    pub fn copy_ring(&self, from: u32, buf: &mut [u8]) -> usize {
        let n = buf.len().min(RING_BYTES as usize) as u32;
        let buf = &mut buf[..n as usize];
        let start = from % RING_BYTES;
        let first = n.min(RING_BYTES - start);
        let (a, b) = buf.split_at_mut(first as usize);
        self.ring.subarray(start, start + first).copy_to(a);
        if !b.is_empty() {
            self.ring.subarray(0, n - first).copy_to(b);
        }
        n as usize
    }
}
