//! The board's Web Worker, seen from the page: starting it, the messages it sends, the bytes
//! sent to it, and a hard reset (a new worker).
//!
//! The protocol: the page posts `{type: "init", control, heap}` once and `{type: "wake"}`
//! after writing terminal bytes into the ring of the [`ControlBlock`]; the worker posts
//! `ready`, `out` (the console's bytes), `board` (LEDs, pins, OLED, switch), `consumed`,
//! `reset` and `fatal`.
//!
//! While a board-protocol operation runs (see [`crate::worker_transport`]), the console's
//! bytes go to that operation through the [`LinkTap`] instead of to the terminal.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::Waker;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::control::ControlBlock;

/// The worker script, relative to the page.
const WORKER_URL: &str = "./worker.js";
/// The interpreter's heap in bytes.
const HEAP_BYTES: u32 = 1 << 20;

/// What the board shows: the worker's `board` message.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoardState {
    /// The four LEDs' intensities (red, green, yellow, blue), 0-255.
    pub leds: [u8; 4],
    /// Pins that are outputs or have changed, with their level.
    pub pins: Vec<(String, bool)>,
    /// The OLED's 1024-byte GDDRAM, if the display is on.
    pub oled: Option<Vec<u8>>,
    /// Whether the board sees its user switch pressed.
    pub switch: bool,
}

/// A message from the worker, as the rest of the page sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerEvent {
    /// The board has started and printed its first prompt.
    Ready,
    /// Console bytes for the terminal (only when no operation has the [`LinkTap`] open).
    Out(Vec<u8>),
    /// The board's visible state changed.
    Board(BoardState),
    /// The program asked for a hard reset; the page has already started a fresh worker.
    Reset(String),
    /// The worker could not start or crashed.
    Fatal(String),
}

/// The console stream diverted to a board-protocol operation.
///
/// Open while a [`crate::worker_transport::WorkerTransport`] exists. A hard reset bumps the
/// generation, which tells the operation that its board is gone.
#[derive(Default)]
pub struct LinkTap {
    open: Cell<bool>,
    queue: RefCell<VecDeque<u8>>,
    waker: RefCell<Option<Waker>>,
    generation: Cell<u32>,
}

impl LinkTap {
    /// Starts diverting console bytes; returns the current worker generation.
    pub fn open(&self) -> u32 {
        self.queue.borrow_mut().clear();
        self.open.set(true);
        self.generation.get()
    }

    /// Stops diverting: console bytes go to the terminal again.
    pub fn close(&self) {
        self.open.set(false);
        self.queue.borrow_mut().clear();
    }

    /// Whether the worker of generation `generation` is still the board.
    pub fn is_current(&self, generation: u32) -> bool {
        self.generation.get() == generation
    }

    /// Moves received bytes into `buf`; returns how many.
    pub fn take(&self, buf: &mut [u8]) -> usize {
        let mut queue = self.queue.borrow_mut();
        let n = buf.len().min(queue.len());
        for (slot, b) in buf.iter_mut().zip(queue.drain(..n)) {
            *slot = b;
        }
        n
    }

    /// Asks to be woken when bytes arrive or the board goes away.
    pub fn wake_on_arrival(&self, waker: &Waker) {
        *self.waker.borrow_mut() = Some(waker.clone());
    }

    /// Offers console bytes; false if the tap is closed (they are the terminal's).
    fn offer(&self, bytes: &[u8]) -> bool {
        if !self.open.get() {
            return false;
        }
        self.queue.borrow_mut().extend(bytes);
        self.wake();
        true
    }

    /// The worker was replaced or died: the operation in flight has lost its board.
    fn disconnect(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        self.close();
        self.wake();
    }

    fn wake(&self) {
        if let Some(waker) = self.waker.borrow_mut().take() {
            waker.wake();
        }
    }
}

/// The board's worker and everything the page shares with it.
pub struct BoardWorker {
    control: RefCell<ControlBlock>,
    worker: RefCell<Option<Worker>>,
    tap: LinkTap,
    on_event: Box<dyn Fn(WorkerEvent)>,
    /// The worker's message and error handlers, shared by every worker of the page (they
    /// ignore events from a worker that has been replaced).
    handlers: RefCell<Option<Handlers>>,
}

struct Handlers {
    message: Closure<dyn FnMut(MessageEvent)>,
    error: Closure<dyn FnMut(Event)>,
}

impl BoardWorker {
    /// Starts the worker on `control`; `on_event` receives what it says.
    pub fn start(
        control: ControlBlock,
        on_event: impl Fn(WorkerEvent) + 'static,
    ) -> Result<Rc<BoardWorker>, String> {
        let board = Rc::new(BoardWorker {
            control: RefCell::new(control),
            worker: RefCell::new(None),
            tap: LinkTap::default(),
            on_event: Box::new(on_event),
            handlers: RefCell::new(None),
        });
        let weak = Rc::downgrade(&board);
        let message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(board) = weak.upgrade() {
                board.on_message(&event);
            }
        });
        let weak = Rc::downgrade(&board);
        // A module worker that fails to load reports a plain `Event`, a crash an `ErrorEvent`.
        let error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            if let Some(board) = weak.upgrade() {
                if board.is_current(&event) {
                    event.prevent_default();
                    let why = field(&event, "message")
                        .as_string()
                        .unwrap_or_else(|| format!("{WORKER_URL} could not be loaded"));
                    let message = format!("the board's worker failed: {why}");
                    board.tap.disconnect();
                    (board.on_event)(WorkerEvent::Fatal(message));
                }
            }
        });
        *board.handlers.borrow_mut() = Some(Handlers { message, error });
        board.spawn().map_err(describe)?;
        Ok(board)
    }

    /// The console stream's tap for board-protocol operations.
    pub fn tap(&self) -> &LinkTap {
        &self.tap
    }

    /// Sends terminal bytes to the board (through the ring).
    pub fn send(&self, bytes: &[u8]) {
        if self.control.borrow_mut().send(bytes) {
            self.post_wake();
        }
    }

    /// Holds the user switch down or lets it go.
    pub fn set_switch(&self, pressed: bool) {
        self.control.borrow().set_switch(pressed);
    }

    /// Sets the temperature and humidity the sensor measures (hundredths of °C and %RH).
    pub fn set_climate(&self, temp: i32, humidity: i32) {
        self.control.borrow().set_climate(temp, humidity);
    }

    /// A hard reset: the worker is terminated and a fresh one started on the same buffer.
    pub fn restart(&self) -> Result<(), String> {
        if let Some(old) = self.worker.borrow_mut().take() {
            old.terminate();
        }
        self.tap.disconnect();
        self.control.borrow_mut().reset_ring();
        self.spawn().map_err(describe)
    }

    fn spawn(&self) -> Result<(), JsValue> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_URL, &options)?;
        if let Some(handlers) = self.handlers.borrow().as_ref() {
            worker.set_onmessage(Some(handlers.message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(handlers.error.as_ref().unchecked_ref()));
        }
        let init = Object::new();
        Reflect::set(&init, &"type".into(), &"init".into())?;
        let control = self.control.borrow().buffer().clone();
        Reflect::set(&init, &"control".into(), &control)?;
        Reflect::set(&init, &"heap".into(), &HEAP_BYTES.into())?;
        worker.post_message(&init)?;
        *self.worker.borrow_mut() = Some(worker);
        Ok(())
    }

    fn post_wake(&self) {
        if let Some(worker) = self.worker.borrow().as_ref() {
            let wake = Object::new();
            let _ = Reflect::set(&wake, &"type".into(), &"wake".into());
            let _ = worker.post_message(&wake);
        }
    }

    /// Whether `event` comes from the current worker (not from one already replaced).
    fn is_current(&self, event: &Event) -> bool {
        let current = self.worker.borrow();
        match (event.target(), current.as_ref()) {
            (Some(target), Some(worker)) => Object::is(&target, worker),
            _ => false,
        }
    }

    fn on_message(&self, event: &MessageEvent) {
        if !self.is_current(event) {
            return;
        }
        let data = event.data();
        let kind = field(&data, "type").as_string().unwrap_or_default();
        let event = match kind.as_str() {
            "ready" => WorkerEvent::Ready,
            "out" => {
                let bytes = field(&data, "data")
                    .dyn_into::<Uint8Array>()
                    .map(|a| a.to_vec())
                    .unwrap_or_default();
                if self.tap.offer(&bytes) {
                    return;
                }
                WorkerEvent::Out(bytes)
            }
            "board" => WorkerEvent::Board(board_state(&data)),
            "consumed" => {
                if self.control.borrow_mut().flush() {
                    self.post_wake();
                }
                return;
            }
            "reset" => {
                let kind = field(&data, "kind").as_string().unwrap_or_default();
                if let Err(e) = self.restart() {
                    (self.on_event)(WorkerEvent::Fatal(e));
                    return;
                }
                WorkerEvent::Reset(kind)
            }
            "fatal" => {
                // The operation in flight will get no answer.
                self.tap.disconnect();
                WorkerEvent::Fatal(
                    field(&data, "message")
                        .as_string()
                        .unwrap_or_else(|| "the board could not start".into()),
                )
            }
            _ => return,
        };
        (self.on_event)(event);
    }
}

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads a `board` message; missing or malformed fields read as off / empty.
fn board_state(data: &JsValue) -> BoardState {
    let mut state = BoardState::default();
    let leds = field(data, "leds");
    if Array::is_array(&leds) {
        let leds = Array::from(&leds);
        for (i, slot) in state.leds.iter_mut().enumerate() {
            let value = leds.get(i as u32).as_f64().unwrap_or(0.0);
            *slot = value.clamp(0.0, 255.0) as u8;
        }
    }
    let pins = field(data, "pins");
    if Array::is_array(&pins) {
        for pin in Array::from(&pins).iter() {
            let pair = Array::from(&pin);
            if let Some(name) = pair.get(0).as_string() {
                let high = pair.get(1).as_f64().unwrap_or(0.0) != 0.0;
                state.pins.push((name, high));
            }
        }
    }
    state.oled = field(data, "oled")
        .dyn_into::<Uint8Array>()
        .ok()
        .map(|a| a.to_vec());
    state.switch = field(data, "switch").as_f64().unwrap_or(0.0) != 0.0;
    state
}

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}
