//! `run_script`: a whole program run as `pyrite file.py` runs it, for node (the benchmarks'
//! `tests/bench/wasm-run.mjs`) and for anything else that wants the interpreter without the
//! board's REPL.

use js_sys::{Function, Int32Array, SharedArrayBuffer, Uint8Array};
use pyrite_core::hardware::Hardware;
use pyrite_core::port::{FsResult, Port};
use pyrite_core::types::ty;
use pyrite_core::{Obj, Vm};
use pyrite_sim::SimBoard;
use wasm_bindgen::prelude::*;

use crate::js;

/// The smallest heap `run_script` accepts (a smaller request is raised to it).
const MIN_HEAP: usize = 16 * 1024;

/// Output is handed over in batches of this many bytes.
const BATCH: usize = 8192;

/// The script's port: output to a JavaScript function, time from the JavaScript clocks, a
/// simulated pyboard for `machine` and `pyb`; no files, no input.
struct ScriptPort {
    out: Vec<u8>,
    sink: Function,
    board: SimBoard,
    /// A private word to `Atomics.wait` on for `time.sleep`, if the host allows waiting.
    sleeper: Option<Int32Array>,
}

impl ScriptPort {
    fn new(sink: Function) -> ScriptPort {
        let mut board = SimBoard::new();
        board.set_clock(js::ticks_us);
        ScriptPort {
            out: Vec::new(),
            sink,
            board,
            sleeper: js::get(&js_sys::global(), "SharedArrayBuffer")
                .is_function()
                .then(|| Int32Array::new(&SharedArrayBuffer::new(4))),
        }
    }

    /// Calls the sink with `data` and the descriptor (1 or 2).
    fn emit(&self, data: &[u8], fd: u8) {
        if data.is_empty() {
            return;
        }
        let bytes = Uint8Array::from(data);
        if let Err(e) = self
            .sink
            .call2(&JsValue::NULL, &bytes.into(), &JsValue::from(fd))
        {
            js::log_err("pyrite: the output function failed", &e);
        }
    }

    fn flush(&mut self) {
        self.emit(&self.out, 1);
        self.out.clear();
    }
}

impl Port for ScriptPort {
    fn stdout(&mut self, data: &[u8]) {
        self.out.extend_from_slice(data);
        if self.out.len() >= BATCH {
            self.flush();
        }
    }

    fn stderr(&mut self, data: &[u8]) {
        self.flush();
        self.emit(data, 2);
    }

    fn platform(&self) -> &'static str {
        "webassembly"
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

    fn sleep_us(&mut self, us: u64) {
        self.flush();
        let end = js::ticks_us().saturating_add(us);
        loop {
            let now = js::ticks_us();
            if now >= end {
                return;
            }
            let ms = (end - now) as f64 / 1000.0;
            let waited = self
                .sleeper
                .as_ref()
                .is_some_and(|w| js_sys::Atomics::wait_with_timeout(w, 0, 0, ms).is_ok());
            if !waited {
                // Where waiting is not allowed (a page's main thread), the clock is watched.
                self.sleeper = None;
            }
        }
    }

    fn fs_write(&mut self, fd: i32, data: &[u8]) -> FsResult<usize> {
        match fd {
            1 => self.stdout(data),
            2 => self.stderr(data),
            _ => return Err(9),
        }
        Ok(data.len())
    }

    fn fs_flush(&mut self, fd: i32) -> FsResult<()> {
        if fd == 1 || fd == 2 {
            self.flush();
        }
        Ok(())
    }

    fn urandom(&mut self, buf: &mut [u8]) -> bool {
        js::urandom(buf)
    }

    fn hardware(&mut self) -> Option<&mut dyn Hardware> {
        Some(&mut self.board)
    }
}

/// Runs `source` as a whole program, as `pyrite file.py` does: its output goes to `stdout`,
/// called with a `Uint8Array` and the descriptor (1, or 2 for a traceback and other error
/// output). An uncaught exception prints its traceback and gives 1; `SystemExit` gives its
/// code. `filename` names the program in tracebacks (`<stdin>` when not given).
#[wasm_bindgen]
pub fn run_script(
    source: &str,
    heap_bytes: u32,
    stdout: &Function,
    filename: Option<String>,
) -> i32 {
    console_error_panic_hook::set_once();
    let heap = (heap_bytes as usize).max(MIN_HEAP);
    let mut vm = Vm::new(heap, Box::new(ScriptPort::new(stdout.clone())));
    let name = filename.as_deref().unwrap_or("<stdin>");
    let _ = vm.set_argv(&[name]);
    let _ = vm.push_path("");
    let status = match vm.run_main(source, name) {
        Ok(_) => 0,
        Err(e) => exit_status(&mut vm, e),
    };
    // `sys.atexit` runs last, as in MicroPython's unix port; its own error is printed.
    let status = match vm.run_atexit() {
        Ok(()) => status,
        Err(e) => exit_status(&mut vm, e).max(status),
    };
    let _ = vm.port.fs_flush(1);
    status
}

/// The exit status for an uncaught exception, as the `pyrite` command gives it: `SystemExit`'s
/// code, else the traceback and 1.
fn exit_status(vm: &mut Vm, e: Obj) -> i32 {
    if vm.exc_is(e, ty::SYSTEM_EXIT) {
        let code = vm.system_exit_code(e);
        if code == Obj::NONE {
            return 0;
        }
        if let Some(i) = code.as_small_int() {
            return i32::from(i as u8);
        }
        if let Ok(s) = vm.to_str(code) {
            vm.port.stderr(format!("{s}\n").as_bytes());
        }
        return 1;
    }
    vm.print_exception(e);
    1
}
