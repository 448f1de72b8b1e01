//! The firmware's `Port`: the console on USART1, SysTick's time, and the board.
//!
//! The same console as the host's virtual board and the browser's worker
//! (`pyrite_repl::console`), so output is cooked and batched, `input()` is edited, and Ctrl-C
//! becomes `KeyboardInterrupt` in running code, sleeps and reads alike. Only the bytes' way in
//! and out ([`Usart`]) and the time are this board's.

use pyrite_core::hardware::Hardware;
use pyrite_core::port::{FsResult, Input, OpenMode, Port};
use pyrite_repl::console::{Console, Pacing};

use crate::board::Board;
use crate::clock;
use crate::serial::{self, Usart};

/// `EBADF`: no such descriptor (the files are on the mounted block file system, not here).
const EBADF: i32 = 9;

/// How the console batches output (256 bytes, or 10 ms while a program runs) and looks for
/// input (at every poll of the VM: a look is one critical section).
const PACING: Pacing = Pacing {
    flush_bytes: 256,
    flush_us: 10_000,
    poll_every: 1,
};

/// The board's port.
pub struct BoardPort {
    console: Console<Usart>,
    board: Board,
}

impl BoardPort {
    /// The port over the REPL's USART and the board.
    pub fn new(usart: Usart, board: Board) -> BoardPort {
        BoardPort {
            console: Console::new(usart, PACING),
            board,
        }
    }
}

impl Port for BoardPort {
    /// Output is "cooked" as on a MicroPython board: `\n` goes out as `\r\n`.
    fn stdout(&mut self, data: &[u8]) {
        self.console.write(data);
    }

    fn read_line(&mut self) -> Input {
        self.console.read_line()
    }

    fn interrupted(&mut self) -> bool {
        self.console.interrupted()
    }

    /// The console judges the bytes already received by the old character; the receive
    /// interrupt judges the next ones by the new.
    fn set_interrupt_char(&mut self, c: Option<u8>) {
        self.console.set_interrupt_char(c);
        serial::set_interrupt_char(c);
    }

    fn stdin_ready(&mut self) -> bool {
        self.console.stdin_ready()
    }

    fn platform(&self) -> &'static str {
        "pyboard"
    }

    fn ticks_us(&mut self) -> u64 {
        clock::ticks_us()
    }

    /// Sends what waits, then sleeps in `WFI` until the time is up or Ctrl-C arrives.
    fn sleep_us(&mut self, us: u64) {
        self.console.sleep_us(us);
    }

    fn fs_open(&mut self, path: Option<&str>, fd: i32, _mode: OpenMode) -> FsResult<i32> {
        match path {
            // The console's descriptors are the serial port.
            None if (0..=2).contains(&fd) => Ok(fd),
            _ => Err(EBADF),
        }
    }

    fn fs_read(&mut self, fd: i32, buf: &mut [u8]) -> FsResult<usize> {
        if fd == 0 {
            return self.console.read_stdin(buf);
        }
        Err(EBADF)
    }

    fn fs_write(&mut self, fd: i32, data: &[u8]) -> FsResult<usize> {
        if fd == 1 || fd == 2 {
            self.console.write(data);
            return Ok(data.len());
        }
        Err(EBADF)
    }

    fn fs_flush(&mut self, fd: i32) -> FsResult<()> {
        if (0..=2).contains(&fd) {
            self.console.flush();
            return Ok(());
        }
        Err(EBADF)
    }

    fn fs_close(&mut self, fd: i32) -> FsResult<()> {
        if (0..=2).contains(&fd) {
            return Ok(());
        }
        Err(EBADF)
    }

    fn hardware(&mut self) -> Option<&mut dyn Hardware> {
        Some(&mut self.board)
    }
}
