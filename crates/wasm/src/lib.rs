//! Pyrite in the browser: the interpreter, the board's REPL and the simulated pyboard in a Web
//! Worker, and a whole-program entry point for node.
//!
//! The worker (`start_worker`, loaded by `web/worker.js`) is a pyboard whose serial port is the
//! page's terminal: the same REPL state machine (`pyrite-repl`) and console
//! (`pyrite_repl::console`) as the host's virtual board and the firmware, over the page's
//! control buffer (`control`) and messages (`link`, `worker`); the board's LEDs, pins, switch
//! and OLED go to the page as messages (`board_state`), its files live in a flash image in the
//! Origin Private File System (`flash`). `run_script` runs a program the way `pyrite file.py`
//! does, for the benchmarks under node (`script`).
//!
//! Python runs synchronously inside the worker; what must reach a running program (Ctrl-C,
//! typed input, the switch) comes through the SharedArrayBuffer, never through messages.

mod board_state;
mod control;
mod flash;
mod js;
mod link;
mod script;
mod worker;

pub use script::run_script;
pub use worker::start_worker;
