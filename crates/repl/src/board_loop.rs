//! A board's main loop, written once: every received byte to the REPL, resets carried out,
//! and, while the board waits at the prompt, output sent and `machine.Timer` callbacks and pin
//! handlers run, as on a MicroPython board. What differs between boards (how a reset restarts
//! the chip or mounts the files again, how the board waits for input) is the [`Board`] trait.

use pyrite_core::hardware::ResetKind;
use pyrite_core::Vm;

use crate::{Action, Repl};

/// What a board's main loop leaves to the board.
pub trait Board {
    /// Carries out a reset the REPL asked for. The VM is already fresh (its files closed, the
    /// output sent): a hard reset or the bootloader restarts the chip and does not return;
    /// after a soft reset the board mounts its files again.
    fn reset(&mut self, vm: &mut Vm, kind: ResetKind);

    /// Waits a little while for input, at the prompt (the output has been sent).
    fn idle(&mut self, vm: &mut Vm);
}

/// Runs the board: greets the user (after `boot.py` and `main.py`), then feeds every received
/// byte to `repl`, forever.
pub fn run(vm: &mut Vm, mut repl: Repl, board: &mut impl Board) -> ! {
    let mut action = repl.start(vm, None);
    loop {
        if let Action::Reset(kind) = action {
            let _ = vm.port.fs_flush(1);
            // Closes the files the program left open, so that what it wrote is kept.
            vm.soft_reset();
            let _ = vm.port.fs_flush(1);
            board.reset(vm, kind);
            action = repl.start(vm, Some(kind));
            continue;
        }
        if vm.port.stdin_ready() {
            let mut b = [0u8];
            if let Ok(1) = vm.port.fs_read(0, &mut b) {
                action = repl.feed(vm, b[0]);
            }
            continue;
        }
        let _ = vm.port.fs_flush(1);
        board.idle(vm);
        if let Err(e) = vm.service_events() {
            vm.print_exception(e);
        }
        vm.safepoint();
    }
}
