#![no_std]
#![forbid(unsafe_code)]
//! The host side of the board protocol: what the IDE and the tests use to drive a board.
//!
//! A board, Pyrite's or stock MicroPython's, is reached over a byte stream ([`Transport`]):
//! WebSerial in the browser, a serial port, a pty or TCP (the virtual board) natively. On it
//! the host speaks MicroPython's raw REPL, with raw-paste flow control where the board has it
//! ([`Board`]: exec, eval, streaming output, interrupt, soft reset), and manages files with the
//! same Python snippets mpremote sends ([`fs`]: ls, stat, read/write, rm, mkdir, rmdir, touch,
//! getcwd, sha256). Staying byte-compatible with mpremote means one client for every board and
//! one yardstick for Pyrite's own. A pyboard's firmware reaches it in ST's DfuSe files ([`dfu`]).
//!
//! The crate is `no_std` + `alloc` so it runs in the browser's wasm as well as natively; the
//! `std` feature adds the native transports ([`native`]). The protocol is written as async
//! functions once; native callers run them with [`block_on`].
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod board;
pub mod dfu;
pub mod error;
pub mod fs;
pub mod literal;
#[cfg(feature = "std")]
pub mod native;
pub mod sha256;
pub mod transport;

#[cfg(test)]
mod fake;

pub use board::{Board, Flow, Timeouts};
pub use error::{errno, LinkError};
pub use fs::{Entry, Stat};
pub use literal::Value;
pub use transport::{block_on, Transport};
