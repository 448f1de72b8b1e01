//! The worker: a simulated pyboard running the board's REPL, driven by the page's messages.
//!
//! `start_worker` installs the message handler. `init` builds the board (with the flash image
//! `worker.js` opened), mounts the flash, runs `boot.py` and `main.py`, prints the banner and
//! posts `ready`. Then the worker idles in its event loop: a `wake` (the page wrote ring bytes)
//! feeds every unread byte to the REPL, which may run Python for as long as it likes, and a
//! 10 ms interval runs `machine.Timer` callbacks and pin handlers at the prompt. Soft resets
//! stay inside (a fresh VM on the same board and flash); a hard reset is the page's to carry
//! out (`{type: "reset"}`: it starts a fresh worker).

use std::cell::RefCell;

use pyrite_core::hardware::{Hardware, ResetKind};
use pyrite_core::port::Port;
use pyrite_core::Vm;
use pyrite_repl::console::{Console, Pacing};
use pyrite_repl::{Action, BoardInfo, Repl};
use pyrite_sim::SimBoard;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, FileSystemSyncAccessHandle, MessageEvent};

use crate::control::Control;
use crate::flash::FlashFile;
use crate::js;
use crate::link::Link;

/// The heap when the `init` message names none.
const DEFAULT_HEAP: usize = 1024 * 1024;
/// The heap's bounds (a bigger request is cut: the worker's memory is finite).
const MIN_HEAP: usize = 16 * 1024;
const MAX_HEAP: usize = 256 * 1024 * 1024;

/// The flash image's file name when the `init` message names none.
const DEFAULT_FLASH: &str = "flash.img";

/// The most bytes the board keeps of a raw-REPL program.
const MAX_SOURCE: usize = 1 << 20;

/// How often the interval looks after the idle board (ms).
const TICK_MS: i32 = 10;

/// How the console batches output (1 KiB, or 20 ms while a program runs) and looks at the
/// ring: every 8th poll of the VM (the VM polls every 1024 instructions), as each look is a
/// few calls out of WebAssembly.
const PACING: Pacing = Pacing {
    flush_bytes: 1024,
    flush_us: 20_000,
    poll_every: 8,
};

/// The board's port: the page's terminal for the console, the simulated pyboard for
/// `machine` and `pyb` (and `pyb.Flash`, where the files live).
struct WorkerPort {
    console: Console<Link>,
}

impl Port for WorkerPort {
    pyrite_repl::console_port!(console);

    fn platform(&self) -> &'static str {
        "pyboard"
    }

    fn ticks_us(&mut self) -> u64 {
        js::ticks_us()
    }

    fn time_ns(&mut self) -> u64 {
        js::time_ns()
    }

    fn utc_offset_s(&mut self, utc_secs: i64) -> i64 {
        js::utc_offset_s(utc_secs)
    }

    fn urandom(&mut self, buf: &mut [u8]) -> bool {
        js::urandom(buf)
    }

    fn hardware(&mut self) -> Option<&mut dyn Hardware> {
        Some(self.console.serial().board())
    }
}

/// The running board.
struct Worker {
    vm: Vm,
    repl: Repl,
    /// The flash file's handle (the link writes through it), closed at a hard reset so that
    /// the next worker can open the file at once.
    flash: Option<FileSystemSyncAccessHandle>,
    /// The page was told to reset the board: nothing more runs.
    stopped: bool,
}

/// Where the worker is.
enum State {
    /// Waiting for `init`.
    Fresh,
    /// `init` came; the flash file is being opened.
    Starting,
    Running(Box<Worker>),
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State::Fresh) };
    /// The page was told that the interpreter crashed (it is told once).
    static CRASHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The worker's global scope.
fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts `msg` from the worker.
fn post(msg: &JsValue) {
    if let Err(e) = scope().post_message(msg) {
        js::log_err("pyrite: postMessage failed", &e);
    }
}

/// Posts `{type: "fatal", message}`.
fn fatal(message: &str) {
    js::log(&format!("pyrite: {message}"));
    let msg = js::message("fatal");
    js::set(&msg, "message", &JsValue::from_str(message));
    post(&msg);
}

/// Installs the worker's message handler: `init` (once) and `wake` (see the module doc).
#[wasm_bindgen]
pub fn start_worker() {
    console_error_panic_hook::set_once();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        on_message(&e.data());
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    handler.forget();
}

fn on_message(data: &JsValue) {
    match js::get(data, "type").as_string().as_deref() {
        Some("init") => init(data),
        Some("wake") => with_worker(Worker::pump),
        _ => {}
    }
}

/// Runs `f` on the running board, if there is one and it is not stopped.
fn with_worker(f: impl FnOnce(&mut Worker)) {
    STATE.with(|state| {
        let Ok(mut state) = state.try_borrow_mut() else {
            // Only a crash (a trap leaves the state borrowed) gets here.
            if !CRASHED.with(|c| c.replace(true)) {
                fatal("the interpreter crashed");
            }
            return;
        };
        if let State::Running(w) = &mut *state {
            if !w.stopped {
                f(w);
            }
        }
    });
}

/// `{type: "init", control, heap, flash}`: opens the flash file (through `worker.js`'s
/// `pyriteOpenFlash(name)`, a promise of a `FileSystemSyncAccessHandle` or `null`), then
/// boots.
fn init(data: &JsValue) {
    let fresh = STATE.with(|s| {
        let Ok(mut s) = s.try_borrow_mut() else {
            return false;
        };
        if !matches!(*s, State::Fresh) {
            return false;
        }
        *s = State::Starting;
        true
    });
    if !fresh {
        return;
    }
    let control = match Control::new(&js::get(data, "control")) {
        Ok(c) => c,
        Err(e) => return fatal(&e),
    };
    let heap = js::get(data, "heap")
        .as_f64()
        .filter(|h| h.is_finite() && *h > 0.0)
        .map_or(DEFAULT_HEAP, |h| h as usize)
        .clamp(MIN_HEAP, MAX_HEAP);
    let name = js::get(data, "flash")
        .as_string()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| DEFAULT_FLASH.into());
    let opener = js::get(&js_sys::global(), "pyriteOpenFlash");
    let Some(opener) = opener.dyn_ref::<js_sys::Function>() else {
        return boot(control, heap, JsValue::NULL);
    };
    let promise = match opener.call1(&JsValue::NULL, &JsValue::from_str(&name)) {
        Ok(p) => js_sys::Promise::resolve(&p),
        Err(e) => {
            js::log_err("pyrite: opening the flash file failed", &e);
            return boot(control, heap, JsValue::NULL);
        }
    };
    // The two callbacks share the one `boot`: whichever runs first takes it.
    let start = std::rc::Rc::new(RefCell::new(Some((control, heap))));
    let on_open = {
        let start = start.clone();
        Closure::once(move |handle: JsValue| {
            if let Some((control, heap)) = start.borrow_mut().take() {
                boot(control, heap, handle);
            }
        })
    };
    let on_fail = Closure::once(move |e: JsValue| {
        js::log_err("pyrite: opening the flash file failed", &e);
        if let Some((control, heap)) = start.borrow_mut().take() {
            boot(control, heap, JsValue::NULL);
        }
    });
    let _ = promise.then2(&on_open, &on_fail);
    on_open.forget();
    on_fail.forget();
}

/// Builds the board and starts the REPL, then idles.
fn boot(control: Control, heap: usize, flash: JsValue) {
    let mut board = Box::new(SimBoard::new());
    board.set_clock(js::ticks_us);
    let handle = flash
        .is_object()
        .then(|| flash.clone().unchecked_into::<FileSystemSyncAccessHandle>());
    let mut flash = FlashFile::new(flash);
    if let Some(f) = &mut flash {
        f.load(&mut board);
    }
    let in_ram = flash.is_none();
    let link = Link::new(control, scope(), board, flash);
    let port = WorkerPort {
        console: Console::new(link, PACING),
    };
    let mut vm = Vm::new(heap, Box::new(port));
    if in_ram {
        js::log("pyrite: no private file system: the board's files live in memory only");
    }
    mount(&mut vm);
    let repl = Repl::new(BoardInfo {
        board: "PYBv1.1",
        mcu: "STM32F405RG",
        max_source: MAX_SOURCE,
    });
    let mut worker = Box::new(Worker {
        vm,
        repl,
        flash: handle,
        stopped: false,
    });
    let action = worker.repl.start(&mut worker.vm, None);
    worker.settle(action);
    if worker.stopped {
        return;
    }
    let _ = worker.vm.port.fs_flush(1);
    let ready = js::message("ready");
    // Whether the files outlive the page (else they are in memory only, and the page says so).
    js::set(&ready, "persistent", &JsValue::from_bool(!in_ram));
    post(&ready);
    let stored = STATE.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => {
            *s = State::Running(worker);
            true
        }
        Err(_) => false,
    });
    if !stored {
        return fatal("the interpreter crashed");
    }
    // Bytes typed while the board started.
    with_worker(Worker::pump);
    let tick = Closure::<dyn FnMut()>::new(|| with_worker(Worker::tick));
    if let Err(e) = scope().set_interval_with_callback_and_timeout_and_arguments_0(
        tick.as_ref().unchecked_ref(),
        TICK_MS,
    ) {
        js::log_err("pyrite: setInterval failed", &e);
    }
    tick.forget();
}

/// Mounts the flash at `/` on a fresh VM; a failure is reported on the console.
fn mount(vm: &mut Vm) {
    if let Err(text) = pyrite_repl::mount_flash(vm) {
        vm.port.stderr(b"could not mount the flash:\n");
        vm.port.stderr(text.as_bytes());
    }
}

impl Worker {
    /// Carries out what the REPL asked: soft resets here, hard resets by the page.
    fn settle(&mut self, mut action: Action) {
        while let Action::Reset(kind) = action {
            match kind {
                ResetKind::Soft => {
                    self.vm.soft_reset();
                    mount(&mut self.vm);
                    action = self.repl.start(&mut self.vm, Some(kind));
                }
                ResetKind::Hard | ResetKind::Bootloader => {
                    let _ = self.vm.port.fs_flush(1);
                    if let Some(handle) = self.flash.take() {
                        handle.close();
                    }
                    let msg = js::message("reset");
                    let kind = if kind == ResetKind::Hard {
                        "hard"
                    } else {
                        "bootloader"
                    };
                    js::set(&msg, "kind", &JsValue::from_str(kind));
                    post(&msg);
                    self.stopped = true;
                    return;
                }
            }
        }
    }

    /// Feeds every unread byte to the REPL, then flushes (which also tells the page how far
    /// the worker read).
    fn pump(&mut self) {
        while !self.stopped && self.vm.port.stdin_ready() {
            let mut b = [0u8];
            if let Ok(1) = self.vm.port.fs_read(0, &mut b) {
                let action = self.repl.feed(&mut self.vm, b[0]);
                self.settle(action);
            }
        }
        if self.stopped {
            return;
        }
        let _ = self.vm.port.fs_flush(1);
    }

    /// The idle board's interval: timers and pin handlers, then any input.
    fn tick(&mut self) {
        if let Err(e) = self.vm.service_events() {
            self.vm.print_exception(e);
        }
        self.vm.safepoint();
        self.pump();
    }
}
