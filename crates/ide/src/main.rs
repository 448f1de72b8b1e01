//! The Pyrite IDE: a Leptos page with an editor, a terminal on the board's REPL and a virtual
//! pyboard, whose interpreter runs in a Web Worker (`pyrite-wasm`).
//!
//! Layout: `app` (the page's components), `board_panel` (the virtual board), `session` (the
//! state behind the page), `tasks` (list/open/save/run over the board protocol), `worker` and
//! `control` (the worker and the buffer shared with it), `worker_transport` (`pyrite-link`'s
//! transport over the worker), `widgets` (CodeMirror and xterm.js), `console_text` and `oled`
//! (reading what the board prints and shows).

mod app;
mod board_panel;
mod console_text;
mod control;
mod oled;
mod session;
mod tasks;
mod widgets;
mod worker;
mod worker_transport;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
