//! The firmware's `Port`: the console on USART1, SysTick's time, and the board.
//!
//! The same console as the host's virtual board and the browser's worker
//! (`pyrite_repl::console`), so output is cooked and batched, `input()` is edited, and Ctrl-C
//! becomes `KeyboardInterrupt` in running code, sleeps and reads alike. Only the bytes' way in
//! and out ([`Link`]) and the time are this board's.

use pyrite_core::hardware::Hardware;
use pyrite_core::port::{MemoryUse, Port};
use pyrite_repl::console::{Console, Pacing};

use crate::board::Board;
use crate::clock;
use crate::serial::Link;

/// How the console batches output (256 bytes, or 10 ms while a program runs) and looks for
/// input (at every poll of the VM: a look is one critical section).
const PACING: Pacing = Pacing {
    flush_bytes: 256,
    flush_us: 10_000,
    poll_every: 1,
};

/// The board's port.
pub struct BoardPort {
    console: Console<Link>,
    board: Board,
    /// Seeds handed out so far: mixed into the next, so that two seeds asked for within
    /// the same microsecond still differ (QEMU models no random number generator).
    seeds: u64,
}

impl BoardPort {
    /// The port over the REPL's USART and the board.
    pub fn new(link: Link, board: Board) -> BoardPort {
        BoardPort {
            console: Console::new(link, PACING),
            board,
            seeds: 0,
        }
    }
}

impl Port for BoardPort {
    pyrite_repl::console_port!(console);

    fn platform(&self) -> &'static str {
        "pyboard"
    }

    fn ticks_us(&mut self) -> u64 {
        clock::ticks_us()
    }

    fn random_seed(&mut self) -> u64 {
        self.seeds = self.seeds.wrapping_add(1);
        clock::ticks_us() ^ self.seeds.wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    fn hardware(&mut self) -> Option<&mut dyn Hardware> {
        Some(&mut self.board)
    }

    fn memory(&self) -> Option<MemoryUse> {
        Some(crate::ALLOCATOR.usage())
    }
}
