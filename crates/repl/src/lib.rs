#![no_std]
#![forbid(unsafe_code)]
//! The board's REPL: MicroPython's friendly REPL, paste mode, raw REPL and raw-paste mode, as one
//! state machine fed a byte at a time.
//!
//! A board (the firmware's UART interrupt, the browser's worker, the host's virtual board) hands
//! every byte it receives to [`Repl::feed`]; everything the REPL says goes out through the VM's
//! port (`Port::stdout`), in order with the program's own output. Nothing here waits for input:
//! a finished statement runs to its end inside `feed`, and Ctrl-C reaches it through the port
//! (the REPL sets the interrupt character with `Port::set_interrupt_char` while code runs).
//!
//! Resets are the caller's: `feed` answers [`Action::Reset`], the caller builds a fresh VM and
//! calls [`Repl::start`], which runs `boot.py` and `main.py` and greets the user again.
//!
//! The bytes are MicroPython's (`shared/runtime/pyexec.c`), so that mpremote, Thonny and the
//! IDE's own link talk to a Pyrite board as to any MicroPython board.

extern crate alloc;

pub mod board_loop;
pub mod complete;
pub mod console;
pub mod editor;
pub mod flash;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use pyrite_core::hardware::ResetKind;
use pyrite_core::types::ty;
use pyrite_core::{Mode as Compile, Obj, Vm};

use editor::{next_indent, Editor, Event, Paste};
pub use flash::mount_flash;

/// The friendly REPL's first prompt.
pub const PS1: &str = ">>> ";
/// Its continuation prompt.
pub const PS2: &str = "... ";
/// The raw REPL's greeting.
pub const RAW_BANNER: &str = "raw REPL; CTRL-B to exit\r\n";
/// The raw-paste window: half of MicroPython's 256-byte stdin buffer.
pub const RAW_PASTE_WINDOW: u16 = 128;

const CTRL_A: u8 = 0x01;
const CTRL_B: u8 = 0x02;
const CTRL_C: u8 = 0x03;
const CTRL_D: u8 = 0x04;
const CTRL_E: u8 = 0x05;

/// What the board is, for the banner.
#[derive(Clone, Debug)]
pub struct BoardInfo {
    /// The board's name (`"PYBv1.1"`).
    pub board: &'static str,
    /// Its microcontroller (`"STM32F405RG"`).
    pub mcu: &'static str,
    /// The most bytes one raw-REPL program may have (the rest is refused with `MemoryError`).
    pub max_source: usize,
}

/// Which protocol the REPL is speaking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The friendly REPL: prompts, echo, line editing.
    Friendly,
    /// Friendly paste mode (Ctrl-E): text verbatim until Ctrl-D.
    Paste,
    /// The raw REPL (Ctrl-A): no echo; a program ends at Ctrl-D.
    Raw,
    /// Raw-paste mode: a flow-controlled program stream.
    RawPaste,
}

/// What the caller must do after a byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Nothing: feed the next byte.
    None,
    /// Reset the board (a fresh VM), then call [`Repl::start`] with this kind.
    Reset(ResetKind),
}

/// The REPL's state.
pub struct Repl {
    info: BoardInfo,
    mode: Mode,
    editor: Editor,
    paste: Paste,
    /// The friendly REPL's statement so far (its earlier lines).
    statement: String,
    /// The raw REPL's program so far.
    raw: Vec<u8>,
    /// The program went over `max_source`.
    overflow: bool,
    /// Raw-paste bytes still accepted before the next window grant.
    window_left: u16,
}

impl Repl {
    /// A REPL for `info`'s board, in the friendly mode. Call [`Repl::start`] once the VM exists.
    pub fn new(info: BoardInfo) -> Repl {
        Repl {
            info,
            mode: Mode::Friendly,
            editor: Editor::new(),
            paste: Paste::default(),
            statement: String::new(),
            raw: Vec::new(),
            overflow: false,
            window_left: 0,
        }
    }

    /// The protocol being spoken.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The banner: MicroPython's, naming Pyrite and the board.
    pub fn banner(&self) -> String {
        format!(
            "MicroPython v{}.{}.{} (Pyrite {}); {} with {}\r\nType \"help()\" for more information.\r\n",
            pyrite_core::version_triple().0,
            pyrite_core::version_triple().1,
            pyrite_core::version_triple().2,
            pyrite_core::VERSION,
            self.info.board,
            self.info.mcu
        )
    }

    /// Starts the REPL on a fresh VM: after a soft reset says so, runs `boot.py` and (in the
    /// friendly REPL) `main.py`, and greets the user in the current mode.
    pub fn start(&mut self, vm: &mut Vm, after: Option<ResetKind>) -> Action {
        if after == Some(ResetKind::Soft) {
            out(vm, b"MPY: soft reboot\r\n");
        }
        self.statement.clear();
        self.raw.clear();
        if let Some(reset) = self.run_file(vm, "boot.py") {
            return reset;
        }
        if self.mode == Mode::Friendly {
            if let Some(reset) = self.run_file(vm, "main.py") {
                return reset;
            }
        }
        match self.mode {
            Mode::Friendly | Mode::Paste => {
                self.mode = Mode::Friendly;
                let banner = self.banner();
                out(vm, banner.as_bytes());
                self.prompt(vm, PS1, 0);
            }
            Mode::Raw | Mode::RawPaste => {
                self.mode = Mode::Raw;
                out(vm, RAW_BANNER.as_bytes());
                out(vm, b">");
            }
        }
        Action::None
    }

    /// Handles one received byte.
    pub fn feed(&mut self, vm: &mut Vm, byte: u8) -> Action {
        match self.mode {
            Mode::Friendly => self.friendly(vm, byte),
            Mode::Paste => self.paste_byte(vm, byte),
            Mode::Raw => self.raw_byte(vm, byte),
            Mode::RawPaste => self.raw_paste_byte(vm, byte),
        }
    }

    // ---- the friendly REPL ----

    fn prompt(&mut self, vm: &mut Vm, prompt: &str, indent: usize) {
        let mut echo = Vec::from(prompt.as_bytes());
        self.editor.begin(indent, &mut echo);
        out(vm, &echo);
    }

    fn friendly(&mut self, vm: &mut Vm, byte: u8) -> Action {
        let mut echo = Vec::new();
        let event = self.editor.feed(byte, &mut echo);
        out(vm, &echo);
        let continuing = !self.statement.is_empty();
        match event {
            None => Action::None,
            Some(Event::Line(line)) => self.line(vm, line),
            Some(Event::Cancel) => {
                // MicroPython abandons the whole statement.
                self.statement.clear();
                out(vm, b"\r\n");
                self.prompt(vm, PS1, 0);
                Action::None
            }
            Some(Event::Eof) if continuing => {
                // Ctrl-D in a compound statement runs what was typed.
                out(vm, b"\r\n");
                let source = core::mem::take(&mut self.statement);
                self.run_friendly(vm, &source, Compile::Single)
            }
            Some(Event::Eof) => {
                out(vm, b"\r\n");
                Action::Reset(ResetKind::Soft)
            }
            Some(Event::Paste) if !continuing => {
                out(
                    vm,
                    b"\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== ",
                );
                self.mode = Mode::Paste;
                Action::None
            }
            Some(Event::Raw) if !continuing => {
                out(vm, b"\r\n");
                self.enter_raw(vm);
                Action::None
            }
            Some(Event::Banner) if !continuing => {
                out(vm, b"\r\n");
                let banner = self.banner();
                out(vm, banner.as_bytes());
                self.prompt(vm, PS1, 0);
                Action::None
            }
            Some(Event::Complete(before)) => {
                let completion = complete::complete(vm, &before);
                let prompt = if continuing { PS2 } else { PS1 };
                let mut echo = Vec::new();
                self.editor.complete(completion, prompt, &mut echo);
                out(vm, &echo);
                Action::None
            }
            // Control keys in a continuation line do nothing.
            Some(_) => Action::None,
        }
    }

    fn line(&mut self, vm: &mut Vm, line: String) -> Action {
        if self.statement.is_empty() {
            if line.trim().is_empty() {
                self.prompt(vm, PS1, 0);
                return Action::None;
            }
            self.statement = line;
        } else {
            self.statement.push('\n');
            self.statement.push_str(&line);
            // A blank line ends a compound statement unless a bracket or string is still open.
            if line.trim().is_empty() {
                let mut probe = self.statement.clone();
                probe.push('\n');
                if !pyrite_core::vm::needs_more_input(&probe) {
                    let source = core::mem::take(&mut self.statement);
                    return self.run_friendly(vm, &source, Compile::Single);
                }
            }
        }
        if pyrite_core::vm::needs_more_input(&self.statement) {
            let indent = next_indent(&self.statement);
            self.prompt(vm, PS2, indent);
            return Action::None;
        }
        let source = core::mem::take(&mut self.statement);
        self.run_friendly(vm, &source, Compile::Single)
    }

    fn paste_byte(&mut self, vm: &mut Vm, byte: u8) -> Action {
        let mut echo = Vec::new();
        let event = self.paste.feed(byte, &mut echo);
        out(vm, &echo);
        match event {
            Some(Event::Line(text)) => {
                self.mode = Mode::Friendly;
                self.run_friendly(vm, &text, Compile::Exec)
            }
            Some(_) => {
                self.mode = Mode::Friendly;
                out(vm, b"\r\n");
                self.prompt(vm, PS1, 0);
                Action::None
            }
            None => Action::None,
        }
    }

    fn run_friendly(&mut self, vm: &mut Vm, source: &str, mode: Compile) -> Action {
        if let Some(reset) = execute(vm, source.as_bytes(), "<stdin>", mode, false) {
            return reset;
        }
        self.prompt(vm, PS1, 0);
        Action::None
    }

    /// Runs `path` if it exists, as MicroPython runs `boot.py` and `main.py`.
    fn run_file(&mut self, vm: &mut Vm, path: &str) -> Option<Action> {
        let source = vm.read_file(path)?;
        execute(vm, &source, path, Compile::Exec, false)
    }

    // ---- the raw REPL ----

    fn enter_raw(&mut self, vm: &mut Vm) {
        self.mode = Mode::Raw;
        self.raw.clear();
        self.overflow = false;
        out(vm, RAW_BANNER.as_bytes());
        out(vm, b">");
    }

    fn raw_byte(&mut self, vm: &mut Vm, byte: u8) -> Action {
        match byte {
            CTRL_A if self.raw.len() == 2 && self.raw[0] == CTRL_E => {
                let command = self.raw[1];
                self.raw.clear();
                if command == b'A' {
                    let [lo, hi] = RAW_PASTE_WINDOW.to_le_bytes();
                    out(vm, &[b'R', 1, lo, hi, 1]);
                    self.mode = Mode::RawPaste;
                    self.window_left = RAW_PASTE_WINDOW;
                    self.overflow = false;
                } else {
                    out(vm, b"R\x00>");
                }
            }
            CTRL_A => self.enter_raw(vm),
            CTRL_B => {
                out(vm, b"\r\n");
                self.raw.clear();
                self.mode = Mode::Friendly;
                let banner = self.banner();
                out(vm, banner.as_bytes());
                self.prompt(vm, PS1, 0);
            }
            CTRL_C => {
                self.raw.clear();
                self.overflow = false;
            }
            CTRL_D => {
                out(vm, b"OK");
                if self.raw.is_empty() && !self.overflow {
                    out(vm, b"\r\n");
                    return Action::Reset(ResetKind::Soft);
                }
                return self.run_raw(vm);
            }
            _ => self.push_raw(byte),
        }
        Action::None
    }

    fn raw_paste_byte(&mut self, vm: &mut Vm, byte: u8) -> Action {
        match byte {
            CTRL_C => {
                // The stream ends, and the program never runs: MicroPython raises
                // KeyboardInterrupt from its reader.
                self.raw.clear();
                self.mode = Mode::Raw;
                out(vm, b"\x04\x04KeyboardInterrupt: \r\n\x04>");
                Action::None
            }
            CTRL_D => {
                out(vm, b"\x04");
                self.mode = Mode::Raw;
                self.run_raw(vm)
            }
            _ => {
                self.push_raw(byte);
                self.window_left -= 1;
                if self.window_left == 0 {
                    out(vm, b"\x01");
                    self.window_left = RAW_PASTE_WINDOW;
                }
                Action::None
            }
        }
    }

    fn push_raw(&mut self, byte: u8) {
        if self.raw.len() < self.info.max_source {
            self.raw.push(byte);
        } else {
            self.overflow = true;
        }
    }

    /// Runs the raw REPL's program: its output, `\x04`, its traceback, `\x04`, `>`.
    fn run_raw(&mut self, vm: &mut Vm) -> Action {
        let source = core::mem::take(&mut self.raw);
        let reset = if core::mem::take(&mut self.overflow) {
            out(vm, b"\x04");
            vm.port
                .stderr(b"MemoryError: program too long for the raw REPL\n");
            None
        } else {
            execute(vm, &source, "<stdin>", Compile::Exec, true)
        };
        out(vm, b"\x04");
        if let Some(reset) = reset {
            return reset;
        }
        out(vm, b">");
        Action::None
    }
}

/// Writes REPL output through the port.
fn out(vm: &mut Vm, bytes: &[u8]) {
    if !bytes.is_empty() {
        vm.port.stdout(bytes);
    }
}

/// Compiles and runs `source` (named `filename` in tracebacks) in `__main__` with Ctrl-C armed.
/// In the raw REPL the end of the program's output is marked with `\x04`. A reset the program
/// asked for comes back.
fn execute(vm: &mut Vm, source: &[u8], filename: &str, mode: Compile, raw: bool) -> Option<Action> {
    let r = vm.main_module().and_then(|globals| {
        let text = String::from_utf8_lossy(source);
        let code = vm.compile_source(&text, filename, mode)?;
        vm.port.set_interrupt_char(Some(CTRL_C));
        let r = vm.run_code(code, globals, globals);
        vm.port.set_interrupt_char(None);
        r
    });
    if raw {
        out(vm, b"\x04");
    }
    finish(vm, r)
}

/// Reports how a program ended: a traceback, or the reset that `SystemExit` (and `machine`'s
/// resets) ask for.
fn finish(vm: &mut Vm, r: pyrite_core::PyResult<Obj>) -> Option<Action> {
    let action = match r {
        Ok(_) => None,
        Err(e) if vm.exc_is(e, ty::SYSTEM_EXIT) => {
            let kind = vm.take_reset_request().unwrap_or(ResetKind::Soft);
            Some(Action::Reset(kind))
        }
        Err(e) => {
            vm.print_exception(e);
            None
        }
    };
    vm.safepoint();
    action
}
