//! The interactive prompt: MicroPython's banner and prompts, multi-line input.

use pyrite_core::port::Input;
use pyrite_core::{Mode, Vm};

/// Runs the REPL until end of input; returns the exit status.
pub fn run(vm: &mut Vm) -> u8 {
    let banner = format!(
        "MicroPython v1.29.0 (Pyrite {}) on linux\nUse Ctrl-D to exit, Ctrl-E for paste mode\n",
        pyrite_core::VERSION
    );
    vm.port.stdout(banner.as_bytes());
    let _ = vm.main_module();
    loop {
        vm.port.stdout(b">>> ");
        let mut src = match vm.port.read_line() {
            Input::Line(l) => l,
            Input::Eof => {
                vm.port.stdout(b"\n");
                return 0;
            }
            Input::Interrupted => {
                vm.port.stdout(b"\n");
                continue;
            }
        };
        if src.trim().is_empty() {
            continue;
        }
        while pyrite_core::vm::needs_more_input(&src) {
            vm.port.stdout(b"... ");
            match vm.port.read_line() {
                Input::Line(l) => {
                    src.push('\n');
                    src.push_str(&l);
                    if l.trim().is_empty() {
                        break;
                    }
                }
                Input::Eof => break,
                Input::Interrupted => {
                    src.clear();
                    break;
                }
            }
        }
        if src.is_empty() {
            continue;
        }
        let globals = match vm.main_module() {
            Ok(g) => g,
            Err(_) => return 1,
        };
        let r = vm
            .compile_source(&src, "<stdin>", Mode::Single)
            .and_then(|code| vm.run_code(code, globals, globals));
        if let Err(e) = r {
            if vm.exc_is(e, pyrite_core::types::ty::SYSTEM_EXIT) {
                return 0;
            }
            vm.print_exception(e);
        }
        vm.safepoint();
    }
}
