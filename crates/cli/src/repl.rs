//! The interactive prompt, as MicroPython's unix REPL: banner, `>>> ` and `... ` prompts,
//! automatic indentation, paste mode (Ctrl-E), Ctrl-C to abandon a line, Ctrl-D to leave.
//!
//! On a terminal each line is edited in raw mode (`editor`, `terminal`). From a pipe, lines are
//! read as they come under the same prompts (nothing is echoed), and a line holding only Ctrl-E,
//! or only Ctrl-D, acts as that key: tests drive the REPL this way.
//!
//! A compound statement ends at an empty line (or one holding only the automatic indent), or
//! at Ctrl-D.

use pyrite_core::{Mode, Vm};

use crate::terminal;
use pyrite_repl::editor::{next_indent, Editor, Event};

/// The first prompt of a statement.
const PS1: &str = ">>> ";
/// The prompt of its continuation lines.
const PS2: &str = "... ";

/// Where lines come from: a terminal (with its editor and history) or a pipe.
struct Console {
    editor: Option<Editor>,
}

impl Console {
    /// Reads one line after `prompt`; on a terminal it starts with `indent` spaces.
    fn line(&mut self, vm: &mut Vm, prompt: &str, indent: usize) -> Event {
        vm.port.stdout(b"");
        if let Some(editor) = &mut self.editor {
            return terminal::edit_line(editor, prompt, indent, &mut |before| {
                pyrite_repl::complete::complete(vm, before)
            });
        }
        vm.port.stdout(prompt.as_bytes());
        vm.port.stdout(b"");
        let event = match terminal::read_plain_line() {
            Event::Line(l) if l == "\x05" => Event::Paste,
            Event::Line(l) if l == "\x04" => Event::Eof,
            other => other,
        };
        if !matches!(event, Event::Line(_)) {
            // As the editor does on a terminal: the key ends the prompt's line.
            vm.port.stdout(b"\n");
        }
        event
    }

    /// Paste mode: every line up to Ctrl-D, verbatim; `Cancel` on Ctrl-C.
    fn paste(&mut self, vm: &mut Vm) -> Event {
        vm.port
            .stdout(b"paste mode; Ctrl-C to cancel, Ctrl-D to finish\n");
        vm.port.stdout(b"");
        if self.editor.is_some() {
            return terminal::paste_text();
        }
        let mut text = String::new();
        loop {
            vm.port.stdout(b"=== ");
            vm.port.stdout(b"");
            match terminal::read_plain_line() {
                Event::Line(l) if l == "\x04" => break,
                Event::Line(l) => {
                    text.push_str(&l);
                    text.push('\n');
                }
                Event::Cancel => {
                    vm.port.stdout(b"\n");
                    return Event::Cancel;
                }
                _ => break,
            }
        }
        vm.port.stdout(b"\n");
        Event::Line(text)
    }
}

/// What the user asked for at one `>>> ` prompt.
enum Request {
    /// Source to run, and how to compile it.
    Run(String, Mode),
    /// Nothing (an empty line, a cancelled one).
    Nothing,
    /// Leave the REPL.
    Exit,
}

/// Reads one statement (with its continuation lines) or one paste.
fn read_request(vm: &mut Vm, console: &mut Console) -> Request {
    // A Ctrl-C that arrived after the last statement's final poll is not for the next one.
    terminal::take_interrupt();
    let mut src = match console.line(vm, PS1, 0) {
        Event::Line(l) if l.trim().is_empty() => return Request::Nothing,
        Event::Line(l) => l,
        Event::Cancel => return Request::Nothing,
        Event::Eof => return Request::Exit,
        Event::Raw | Event::Banner | Event::Complete(_) => return Request::Nothing,
        Event::Paste => {
            return match console.paste(vm) {
                Event::Line(text) => Request::Run(text, Mode::Exec),
                _ => Request::Nothing,
            }
        }
    };
    while pyrite_core::vm::needs_more_input(&src) {
        match console.line(vm, PS2, next_indent(&src)) {
            Event::Line(l) => {
                src.push('\n');
                src.push_str(&l);
                // A blank line ends the statement unless a bracket or string is still open.
                if l.trim().is_empty() && !pyrite_core::vm::needs_more_input(&format!("{src}\n")) {
                    break;
                }
            }
            Event::Eof => break,
            Event::Cancel => return Request::Nothing,
            _ => {}
        }
    }
    Request::Run(src, Mode::Single)
}

/// Runs the REPL until end of input or `SystemExit`; returns the exit status.
pub fn run(vm: &mut Vm) -> u8 {
    let banner = format!(
        "MicroPython v1.29.0 (Pyrite {}) on linux\nUse Ctrl-D to exit, Ctrl-E for paste mode\n",
        pyrite_core::VERSION
    );
    vm.port.stdout(banner.as_bytes());
    let mut console = Console {
        editor: terminal::stdin_is_tty().then(Editor::new),
    };
    loop {
        let (src, mode) = match read_request(vm, &mut console) {
            Request::Run(src, mode) => (src, mode),
            Request::Nothing => continue,
            Request::Exit => return 0,
        };
        let r = vm.main_module().and_then(|globals| {
            let code = vm.compile_source(&src, "<stdin>", mode)?;
            vm.run_code(code, globals, globals)
        });
        if let Err(e) = r {
            if vm.exc_is(e, pyrite_core::types::ty::SYSTEM_EXIT) {
                return crate::exit_status(vm, e);
            }
            vm.print_exception(e);
        }
        vm.safepoint();
    }
}
