//! The worker's serial link: input from the control buffer's ring, output posted to the page
//! as `{type: "out", data}`, and, at every flush point, the board's state and its flash.

use js_sys::Uint8Array;
use pyrite_repl::console::Serial;
use pyrite_sim::SimBoard;
use wasm_bindgen::JsValue;
use web_sys::DedicatedWorkerGlobalScope;

use crate::board_state::Published;
use crate::control::{Control, HUMIDITY, READ, RING_BYTES, SIGNAL, SWITCH, TEMP, WRITE};
use crate::flash::FlashFile;
use crate::js;

/// The board's end of the page's terminal, and the simulated pyboard behind it.
pub struct Link {
    control: Control,
    scope: DedicatedWorkerGlobalScope,
    /// Ring bytes consumed (ctl[1]).
    read: u32,
    /// SIGNAL as loaded before the last look at the ring: a wait sleeps only while it holds.
    seen: i32,
    /// SIGNAL when the switch and the sensor were last copied into the board.
    inputs_seen: Option<i32>,
    switch: Option<bool>,
    climate: Option<(i32, i32)>,
    board: Box<SimBoard>,
    published: Published,
    flash: Option<FlashFile>,
    /// READ when the page was last told.
    told_read: u32,
}

impl Link {
    /// A link on `control`, posting to `scope`, for `board` with its flash file, if any.
    pub fn new(
        control: Control,
        scope: DedicatedWorkerGlobalScope,
        board: Box<SimBoard>,
        flash: Option<FlashFile>,
    ) -> Link {
        let read = control.load(READ) as u32;
        let seen = control.load(SIGNAL);
        Link {
            control,
            scope,
            read,
            seen,
            inputs_seen: None,
            switch: None,
            climate: None,
            board,
            published: Published::new(),
            flash,
            told_read: read,
        }
    }

    /// The board, with the switch and the sensor's climate as the page set them.
    pub fn board(&mut self) -> &mut SimBoard {
        let signal = self.control.load(SIGNAL);
        if self.inputs_seen != Some(signal) {
            self.inputs_seen = Some(signal);
            let pressed = self.control.load(SWITCH) != 0;
            if self.switch != Some(pressed) {
                self.switch = Some(pressed);
                self.board.press(pressed);
            }
            let climate = (self.control.load(TEMP), self.control.load(HUMIDITY));
            if self.climate != Some(climate) {
                self.climate = Some(climate);
                self.board
                    .set_climate(climate.0 as f32 / 100.0, climate.1 as f32 / 100.0);
            }
        }
        &mut self.board
    }

    /// Posts `msg` to the page.
    fn post(&self, msg: &JsValue) {
        if let Err(e) = self.scope.post_message(msg) {
            js::log_err("pyrite: postMessage failed", &e);
        }
    }

    /// Tells the page how far the worker read, if that moved since it was last told (at every
    /// flush point, so a page with bytes queued can go on while a program reads its input).
    fn tell_consumed(&mut self) {
        if self.told_read != self.read {
            self.told_read = self.read;
            let msg = js::message("consumed");
            js::set(&msg, "read", &JsValue::from(self.read as i32));
            self.post(&msg);
        }
    }
}

impl Serial for Link {
    fn receive(&mut self, buf: &mut [u8]) -> usize {
        self.seen = self.control.load(SIGNAL);
        let written = self.control.load(WRITE) as u32;
        // A page that overran the ring broke the protocol: the oldest bytes are lost.
        let waiting = written.wrapping_sub(self.read).min(RING_BYTES) as usize;
        if waiting == 0 {
            return 0;
        }
        let from = written.wrapping_sub(waiting as u32);
        let take = waiting.min(buf.len());
        let n = self.control.copy_ring(from, &mut buf[..take]);
        self.read = from.wrapping_add(n as u32);
        self.control.store(READ, self.read as i32);
        n
    }

    /// Writes the flash's changed blocks first, so that whatever the page sees done is also
    /// stored; then the output, the board's state and how far the worker read.
    fn send(&mut self, data: &[u8]) {
        if let Some(flash) = &mut self.flash {
            flash.persist(&mut self.board);
        }
        if !data.is_empty() {
            let msg = js::message("out");
            js::set(&msg, "data", &Uint8Array::from(data).into());
            self.post(&msg);
        }
        // Output compares move with the clock: the page sees their pins as they are now.
        self.board.run_timers();
        if let Some(msg) = self.published.update(&self.board) {
            self.post(&msg);
        }
        self.tell_consumed();
    }

    fn wait(&mut self, us: u64) {
        self.control.wait(self.seen, us as f64 / 1000.0);
    }

    fn ticks_us(&mut self) -> u64 {
        js::ticks_us()
    }
}
