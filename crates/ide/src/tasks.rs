//! The IDE's board-protocol tasks (list, open, save, create, run), run one at a time with
//! `pyrite-link` over the worker's console.
//!
//! A task borrows the console from the terminal for its whole length: it sends Ctrl-C (and
//! shows what that stops), enters the raw REPL, does its work, leaves the raw REPL and puts
//! one friendly prompt back in the terminal. Only Run shows what happens in between (the
//! program's output and traceback). Tasks wait in a queue while another runs or while the
//! board is (re)starting; their futures are not `Send` and run with `spawn_local`.

use std::rc::Rc;

use leptos::prelude::*;
use pyrite_link::{errno, Board, Flow, LinkError, Transport};
use wasm_bindgen_futures::spawn_local;

use crate::console_text::{after_banner, cook, error_line, is_interrupt};
use crate::session::{Session, Status, MAIN_FILE};
use crate::worker_transport::WorkerTransport;

/// Silence after Ctrl-C that ends what it stopped.
const DRAIN_SILENCE_MS: u32 = 100;
/// The longest a task waits for Ctrl-C to take effect, or for the prompt after the raw REPL.
const SETTLE_MS: u64 = 3_000;

/// What `main.py` holds when the board has none yet.
const STARTER: &str = "\
# Light the virtual pyboard's four LEDs one after another.
import pyb
import time

for n in range(1, 5):
    pyb.LED(n).on()
    time.sleep_ms(200)
print(\"Hello from Pyrite!\")
";

/// A board-protocol task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Task {
    /// Lists `/` into the file list, and opens `main.py` the first time.
    ListFiles {
        /// Also open `main.py` (after the first start).
        open_main: bool,
    },
    /// Reads a file into the editor.
    Open {
        /// The file, in `/`.
        file: String,
    },
    /// Writes a file.
    Save {
        /// The file, in `/`.
        file: String,
        /// Its new content.
        text: String,
    },
    /// Creates an empty file and opens it.
    Create {
        /// The file, in `/`.
        file: String,
    },
    /// Saves the file if it changed, then runs its text.
    Run {
        /// The file, in `/`.
        file: String,
        /// Its text.
        text: String,
    },
}

type Link = Board<WorkerTransport>;

impl Session {
    /// Queues `task`; it runs when the board is ready and no other task runs.
    pub fn submit(self: &Rc<Self>, task: Task) {
        self.tasks.borrow_mut().push_back(task);
        self.next_task();
    }

    fn next_task(self: &Rc<Self>) {
        if self.busy.get() || !self.ready.get() {
            return;
        }
        let Some(worker) = self.worker.borrow().clone() else {
            return;
        };
        let Some(task) = self.tasks.borrow_mut().pop_front() else {
            return;
        };
        self.busy.set(true);
        let session = Rc::clone(self);
        spawn_local(async move {
            let mut link = Board::new(WorkerTransport::open(worker));
            session.perform(&mut link, task).await;
            drop(link);
            session.busy.set(false);
            if session.tasks.borrow().is_empty() {
                session.release_keys();
            }
            session.next_task();
        });
    }

    async fn perform(&self, link: &mut Link, task: Task) {
        if !matches!(task, Task::ListFiles { .. }) {
            // The user asked for something new: the last notice is old.
            self.state.message.set(String::new());
        }
        let running = matches!(task, Task::Run { .. });
        if running {
            self.mark_line(0);
            self.focus_terminal();
        }
        let result = match self.interrupt(link).await {
            Ok(()) => self.work(link, &task).await,
            Err(e) => Err(e),
        };
        match result {
            // A hard reset replaced the board; the fresh one greets the terminal itself.
            Err(LinkError::Disconnected) => return,
            Err(e) => {
                let what = describe(&task);
                self.state.message.set(format!("{what}: {e}"));
                web_sys::console::error_1(&format!("{what}: {e}").into());
            }
            Ok(()) => {}
        }
        if let Err(LinkError::Disconnected) = self.back_to_prompt(link).await {
            return;
        }
        if running {
            self.state.status.set(Status::Ready);
        }
    }

    async fn work(&self, link: &mut Link, task: &Task) -> Result<(), LinkError> {
        match task {
            Task::ListFiles { open_main } => {
                let files = self.list(link).await?;
                if *open_main {
                    let exists = files.iter().any(|f| f == MAIN_FILE);
                    self.open_file(link, MAIN_FILE, exists).await?;
                }
                Ok(())
            }
            Task::Open { file } => self.open_file(link, file, true).await,
            Task::Save { file, text } => {
                link.write_file(&path(file), text.as_bytes()).await?;
                self.saved(file, text.clone());
                self.state.message.set(format!("saved {file}"));
                Ok(())
            }
            Task::Create { file } => {
                link.write_file(&path(file), b"").await?;
                self.saved(file, String::new());
                self.list(link).await?;
                self.show_file(file);
                self.focus_editor();
                Ok(())
            }
            Task::Run { file, text } => self.run_program(link, file, text).await,
        }
    }

    /// Lists the board's files into the file list.
    async fn list(&self, link: &mut Link) -> Result<Vec<String>, LinkError> {
        let entries = link.ls("/").await?;
        let mut files: Vec<String> = entries
            .into_iter()
            .filter(|e| !e.is_dir)
            .map(|e| e.name)
            .collect();
        if !files.iter().any(|f| f == MAIN_FILE) {
            files.push(MAIN_FILE.to_string());
        }
        sort_files(&mut files);
        self.state.files.set(files.clone());
        Ok(files)
    }

    /// Reads `file` (if the board has it) and shows it in the editor.
    async fn open_file(&self, link: &mut Link, file: &str, exists: bool) -> Result<(), LinkError> {
        let data = if exists {
            match link.read_file(&path(file)).await {
                Ok(data) => Some(data),
                Err(e) if e.errno() == Some(errno::ENOENT) => None,
                Err(e) => return Err(e),
            }
        } else {
            None
        };
        match data {
            Some(data) => {
                let text = String::from_utf8_lossy(&data).into_owned();
                self.loaded(file, Some(text.clone()), text);
            }
            None => {
                let text = if file == MAIN_FILE { STARTER } else { "" };
                self.loaded(file, None, text.to_string());
            }
        }
        self.show_file(file);
        Ok(())
    }

    /// Run: save if needed, then execute the text with its output in the terminal.
    async fn run_program(&self, link: &mut Link, file: &str, text: &str) -> Result<(), LinkError> {
        if !self.board_has(file, text) {
            link.write_file(&path(file), text.as_bytes()).await?;
            self.saved(file, text.to_string());
        }
        if self.stop_requested.get() {
            return Ok(());
        }
        if !self.tail().at_line_start() {
            self.show(b"\r\n");
        }
        self.program_running.set(true);
        let traceback = link
            .exec_stream(text.as_bytes(), None, |out| {
                self.show(out);
                Flow::Continue
            })
            .await;
        self.program_running.set(false);
        let traceback = traceback?;
        let traceback = String::from_utf8_lossy(&traceback);
        self.show(&cook(traceback.as_bytes()));
        if !is_interrupt(&traceback) {
            if let Some(line) = error_line(&traceback, file) {
                self.mark_line(line);
            }
        }
        Ok(())
    }

    /// Sends Ctrl-C and shows what it stopped, unless it only repeated an idle prompt.
    async fn interrupt(&self, link: &mut Link) -> Result<(), LinkError> {
        let transport = link.transport_mut();
        transport.write(b"\x03").await?;
        let start = transport.now_ms().unwrap_or(0);
        let mut stopped = Vec::new();
        let mut buf = [0u8; 1024];
        loop {
            let n = transport.read(&mut buf, DRAIN_SILENCE_MS).await?;
            if n == 0 {
                break;
            }
            stopped.extend_from_slice(buf.get(..n).unwrap_or_default());
            if transport.now_ms().unwrap_or(0).saturating_sub(start) > SETTLE_MS {
                break;
            }
        }
        if !self.tail().is_repeat(&stopped) {
            self.show(&stopped);
        }
        Ok(())
    }

    /// Leaves the raw REPL and shows one prompt (the board's banner is not repeated).
    async fn back_to_prompt(&self, link: &mut Link) -> Result<(), LinkError> {
        link.exit_raw().await?;
        let mut received = link.take_received();
        let transport = link.transport_mut();
        let start = transport.now_ms().unwrap_or(0);
        let mut buf = [0u8; 1024];
        while after_banner(&received).is_none() {
            let elapsed = transport.now_ms().unwrap_or(0).saturating_sub(start);
            if elapsed > SETTLE_MS {
                // Not the expected greeting: show what came, whatever it is.
                self.show(&received);
                return Ok(());
            }
            let n = transport.read(&mut buf, 100).await?;
            received.extend_from_slice(buf.get(..n).unwrap_or_default());
        }
        let prompt = self.tail().prompt_bytes();
        self.show(&prompt);
        Ok(())
    }
}

/// The board path of a file in `/`.
fn path(file: &str) -> String {
    format!("/{file}")
}

/// `main.py` first, then by name.
fn sort_files(files: &mut [String]) {
    files.sort_by(|a, b| (a != MAIN_FILE, a).cmp(&(b != MAIN_FILE, b)));
}

fn describe(task: &Task) -> String {
    match task {
        Task::ListFiles { .. } => "could not list the files".into(),
        Task::Open { file } => format!("could not open {file}"),
        Task::Save { file, .. } => format!("could not save {file}"),
        Task::Create { file } => format!("could not create {file}"),
        Task::Run { file, .. } => format!("could not run {file}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_py_comes_first() {
        let mut files: Vec<String> = ["b.py", "main.py", "a.txt", "boot.py"]
            .into_iter()
            .map(String::from)
            .collect();
        sort_files(&mut files);
        assert_eq!(files, ["main.py", "a.txt", "b.py", "boot.py"]);
    }
}
