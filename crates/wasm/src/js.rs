//! The few JavaScript services both entry points use: clocks, randomness, logging, building
//! message objects.
//!
//! A JavaScript call that fails is logged on the console and otherwise ignored: nothing here
//! panics.

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds, monotonic, with sub-millisecond precision.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Microseconds since the page (or node) started.
pub fn ticks_us() -> u64 {
    // A float-to-int `as` saturates (and gives 0 for NaN): never a panic.
    (performance_now() * 1000.0) as u64
}

/// Nanoseconds since the Epoch (`Date.now()`).
pub fn time_ns() -> u64 {
    (js_sys::Date::now() * 1e6) as u64
}

/// The local zone's offset from UTC in seconds at `utc_secs` (east positive).
pub fn utc_offset_s(utc_secs: i64) -> i64 {
    let date = js_sys::Date::new(&JsValue::from_f64(utc_secs as f64 * 1000.0));
    let minutes = date.get_timezone_offset();
    if minutes.is_finite() {
        -(minutes as i64) * 60
    } else {
        0
    }
}

/// Fills `buf` from `crypto.getRandomValues`; `false` where there is none.
pub fn urandom(buf: &mut [u8]) -> bool {
    let global = js_sys::global();
    let Ok(crypto) = Reflect::get(&global, &"crypto".into()) else {
        return false;
    };
    let Some(get) = Reflect::get(&crypto, &"getRandomValues".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return false;
    };
    // `getRandomValues` gives at most 65536 bytes a call.
    for chunk in buf.chunks_mut(65536) {
        let arr = Uint8Array::new_with_length(chunk.len() as u32);
        if get.call1(&crypto, &arr).is_err() {
            return false;
        }
        arr.copy_to(chunk);
    }
    true
}

/// Logs `msg` as an error on the console.
pub fn log(msg: &str) {
    web_sys::console::error_1(&JsValue::from_str(msg));
}

/// Logs a failed JavaScript call.
pub fn log_err(what: &str, err: &JsValue) {
    web_sys::console::error_2(&JsValue::from_str(what), err);
}

/// A plain object `{type: kind}`, to which [`set`] adds fields.
pub fn message(kind: &str) -> Object {
    let obj = Object::new();
    set(&obj, "type", &JsValue::from_str(kind));
    obj
}

/// `obj[key] = value`.
pub fn set(obj: &Object, key: &str, value: &JsValue) {
    if let Err(e) = Reflect::set(obj, &JsValue::from_str(key), value) {
        log_err("pyrite: setting a message field failed", &e);
    }
}

/// `obj[key]`, `undefined` if it cannot be read.
pub fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A JavaScript array of `values`.
pub fn array(values: impl IntoIterator<Item = JsValue>) -> Array {
    values.into_iter().collect()
}
