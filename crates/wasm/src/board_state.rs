//! What the page draws of the simulated pyboard, and the `{type: "board"}` message that tells
//! it, sent at the console's flush points when something changed.
//!
//! `{type: "board", leds: [r, g, y, b] (0-255), pins: [[name, 0|1], ...], oled: Uint8Array(1024)
//! | null, switch: 0|1}`. `pins` lists the `X`/`Y` header pins that are outputs, and those
//! that ever were (with their level now), so a pin the program switches back to an input stays
//! in the page's table. `oled` is what the SSD1306's glass shows, in the chip's own layout
//! (page-major: byte `page * 128 + x`, bit `y % 8`, for `page = y / 8`), with the display's
//! on/off, inversion, remapping and start line applied; `null` when it did not change since the
//! last message.

use js_sys::Uint8Array;
use pyrite_sim::pins::{pin_name, PIN_COUNT, SW};
use pyrite_sim::SimBoard;
use wasm_bindgen::JsValue;

use crate::js;

/// The OLED's width and height in pixels.
const OLED_W: usize = 128;
const OLED_H: usize = 64;
/// Its display RAM's size.
const OLED_BYTES: usize = OLED_W * OLED_H / 8;

/// The board as the page last saw it.
pub struct Published {
    leds: [u8; 4],
    pins: Vec<(u16, bool)>,
    switch: bool,
    /// The OLED's revision when last looked at, and what its glass showed.
    oled_revision: Option<u32>,
    oled: Option<[u8; OLED_BYTES]>,
    /// Pins that have been outputs, one bit each.
    listed: u64,
    /// Nothing was sent yet.
    first: bool,
}

impl Published {
    /// Nothing sent yet: the first [`Published::update`] sends everything.
    pub fn new() -> Published {
        Published {
            leds: [0; 4],
            pins: Vec::new(),
            switch: false,
            oled_revision: None,
            oled: None,
            listed: 0,
            first: true,
        }
    }

    /// The message telling the page what changed on `board` since the last one; `None` when
    /// nothing did.
    pub fn update(&mut self, board: &SimBoard) -> Option<js_sys::Object> {
        let leds = board.leds();
        let pins = self.pins(board);
        let switch = board.pin(SW).is_some_and(|p| p.input == Some(false));
        let oled = self.oled(board);
        if !self.first
            && oled.is_none()
            && leds == self.leds
            && pins == self.pins
            && switch == self.switch
        {
            return None;
        }
        self.first = false;
        self.leds = leds;
        self.switch = switch;
        let msg = js::message("board");
        js::set(
            &msg,
            "leds",
            &js::array(leds.iter().map(|&l| JsValue::from(l))).into(),
        );
        let list = pins.iter().filter_map(|&(pin, high)| {
            let name = pin_name(pin)?;
            Some(JsValue::from(js::array([
                JsValue::from_str(name),
                JsValue::from(u8::from(high)),
            ])))
        });
        js::set(&msg, "pins", &js::array(list).into());
        self.pins = pins;
        let oled = match oled {
            Some(ram) => Uint8Array::from(&ram[..]).into(),
            None => JsValue::NULL,
        };
        js::set(&msg, "oled", &oled);
        js::set(&msg, "switch", &JsValue::from(u8::from(switch)));
        Some(msg)
    }

    /// The header pins to list, with their levels.
    fn pins(&mut self, board: &SimBoard) -> Vec<(u16, bool)> {
        let mut out = Vec::new();
        for pin in 0..PIN_COUNT.min(64) {
            let (Some(state), Some(name)) = (board.pin(pin), pin_name(pin)) else {
                continue;
            };
            if !(name.starts_with('X') || name.starts_with('Y')) {
                continue;
            }
            if state.driven().is_some() {
                self.listed |= 1 << pin;
            }
            if self.listed & (1 << pin) != 0 {
                out.push((pin, state.level()));
            }
        }
        out
    }

    /// What the OLED shows, if that changed since the last look.
    fn oled(&mut self, board: &SimBoard) -> Option<[u8; OLED_BYTES]> {
        let oled = board.oled()?;
        if self.oled_revision == Some(oled.revision()) {
            return None;
        }
        self.oled_revision = Some(oled.revision());
        let mut glass = [0u8; OLED_BYTES];
        for (i, byte) in glass.iter_mut().enumerate() {
            let (page, x) = (i / OLED_W, i % OLED_W);
            for bit in 0..8 {
                if oled.pixel(x, page * 8 + bit) {
                    *byte |= 1 << bit;
                }
            }
        }
        if self.oled == Some(glass) {
            return None;
        }
        self.oled = Some(glass);
        Some(glass)
    }
}
