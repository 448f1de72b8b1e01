//! The IDE's session with its board: the worker, the terminal, the editor and its files.
//!
//! The reactive state that the components show lives in [`IdeState`] (signals); this module
//! owns the non-reactive side (JavaScript objects, the worker, unsaved texts) and turns the
//! user's actions and the worker's messages into changes of both. Actions that speak the board
//! protocol (listing, opening, saving, running) are queued as tasks ([`crate::tasks`]) and run
//! one at a time.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use leptos::prelude::*;
use web_sys::HtmlElement;

use crate::console_text::Tail;
use crate::control::{ControlBlock, DEFAULT_HUMIDITY, DEFAULT_TEMP};
use crate::tasks::Task;
use crate::widgets::{Editor, Terminal};
use crate::worker::{BoardState, BoardWorker, WorkerEvent};

/// The file the IDE opens first and runs at boot.
pub const MAIN_FILE: &str = "main.py";

/// What the board is doing, as the header shows it (`#status`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// The worker is starting (or restarting after a hard reset).
    Starting,
    /// At the prompt, or running code typed at the REPL.
    Ready,
    /// Running the editor's file (Run).
    Running,
    /// The board cannot run here; the text says why.
    Failed(String),
}

impl Status {
    /// The text of `#status`.
    pub fn label(&self) -> String {
        match self {
            Status::Starting => "starting".into(),
            Status::Ready => "ready".into(),
            Status::Running => "running".into(),
            Status::Failed(why) => format!("unavailable: {why}"),
        }
    }
}

/// What the virtual board panel shows.
#[derive(Clone, Copy)]
pub struct BoardView {
    /// LED intensities, red, green, yellow, blue (0-255).
    pub leds: RwSignal<[u8; 4]>,
    /// Pins the board has reported (outputs and changed inputs), with their level.
    pub pins: RwSignal<BTreeMap<String, bool>>,
    /// The OLED's display RAM, if it is on.
    pub oled: RwSignal<Option<Vec<u8>>>,
    /// Whether the board sees its user switch pressed.
    pub switch: RwSignal<bool>,
    /// The sensor's temperature, hundredths of °C.
    pub temp: RwSignal<i32>,
    /// The sensor's humidity, hundredths of %RH.
    pub humidity: RwSignal<i32>,
}

/// Everything the components show.
#[derive(Clone, Copy)]
pub struct IdeState {
    /// The header's status.
    pub status: RwSignal<Status>,
    /// The last error or notice of an action (empty: none).
    pub message: RwSignal<String>,
    /// The board's files in `/`, `main.py` first.
    pub files: RwSignal<Vec<String>>,
    /// The file in the editor.
    pub current: RwSignal<String>,
    /// Files whose text in the IDE differs from the board's.
    pub unsaved: RwSignal<Vec<String>>,
    /// The virtual board.
    pub board: BoardView,
}

impl IdeState {
    /// The state of a page that has just opened.
    pub fn new() -> IdeState {
        IdeState {
            status: RwSignal::new(Status::Starting),
            message: RwSignal::new(String::new()),
            files: RwSignal::new(vec![MAIN_FILE.to_string()]),
            current: RwSignal::new(MAIN_FILE.to_string()),
            unsaved: RwSignal::new(Vec::new()),
            board: BoardView {
                leds: RwSignal::new([0; 4]),
                pins: RwSignal::new(BTreeMap::new()),
                oled: RwSignal::new(None),
                switch: RwSignal::new(false),
                temp: RwSignal::new(DEFAULT_TEMP),
                humidity: RwSignal::new(DEFAULT_HUMIDITY),
            },
        }
    }
}

/// A file's text in the IDE.
pub(crate) struct Buffer {
    /// What the editor holds.
    pub text: String,
    /// What the board holds (`None`: not on the board yet).
    pub saved: Option<String>,
}

impl Buffer {
    fn is_unsaved(&self) -> bool {
        self.saved.as_deref() != Some(self.text.as_str())
    }
}

/// The session: one per page.
pub struct Session {
    /// The signals the components show.
    pub state: IdeState,
    pub(crate) worker: RefCell<Option<Rc<BoardWorker>>>,
    editor: RefCell<Option<Editor>>,
    terminal: RefCell<Option<Terminal>>,
    /// Output that arrived before the terminal existed.
    early_output: RefCell<Vec<u8>>,
    tail: RefCell<Tail>,
    buffers: RefCell<BTreeMap<String, Buffer>>,
    pub(crate) tasks: RefCell<VecDeque<Task>>,
    /// A task is running (the console belongs to the link).
    pub(crate) busy: Cell<bool>,
    /// Run's program is executing: keystrokes are its input.
    pub(crate) program_running: Cell<bool>,
    /// Stop was pressed before Run's program started.
    pub(crate) stop_requested: Cell<bool>,
    /// Keystrokes typed while a task had the console, sent when the tasks are done.
    held_keys: RefCell<Vec<u8>>,
    /// The board has said "ready" and has not been reset since.
    pub(crate) ready: Cell<bool>,
    /// The first "ready" has been seen (later ones follow hard resets).
    started: Cell<bool>,
}

/// The session, for components (a copyable handle; the session itself is not `Send`).
pub type SessionRef = StoredValue<Rc<Session>, LocalStorage>;

impl Session {
    /// Starts the board's worker and returns the session.
    pub fn start(state: IdeState) -> Rc<Session> {
        let session = Rc::new(Session {
            state,
            worker: RefCell::new(None),
            editor: RefCell::new(None),
            terminal: RefCell::new(None),
            early_output: RefCell::new(Vec::new()),
            tail: RefCell::new(Tail::default()),
            buffers: RefCell::new(BTreeMap::new()),
            tasks: RefCell::new(VecDeque::new()),
            busy: Cell::new(false),
            program_running: Cell::new(false),
            stop_requested: Cell::new(false),
            held_keys: RefCell::new(Vec::new()),
            ready: Cell::new(false),
            started: Cell::new(false),
        });
        let weak = Rc::downgrade(&session);
        let worker = ControlBlock::new().and_then(|control| {
            BoardWorker::start(control, move |event| {
                if let Some(session) = weak.upgrade() {
                    session.on_worker_event(event);
                }
            })
        });
        match worker {
            Ok(worker) => *session.worker.borrow_mut() = Some(worker),
            Err(why) => session.fail(&why),
        }
        session
    }

    /// Puts the editor into `parent`.
    pub fn attach_editor(self: &Rc<Self>, parent: &HtmlElement) {
        let weak = Rc::downgrade(self);
        let text = self.buffer_text(&self.state.current.get_untracked());
        let editor = Editor::new(parent, &text, move |text| {
            if let Some(session) = weak.upgrade() {
                session.edited(text);
            }
        });
        *self.editor.borrow_mut() = Some(editor);
    }

    /// Puts the terminal into `parent`.
    pub fn attach_terminal(self: &Rc<Self>, parent: &HtmlElement) {
        let weak = Rc::downgrade(self);
        let terminal = Terminal::new(parent, move |bytes| {
            if let Some(session) = weak.upgrade() {
                session.typed(&bytes);
            }
        });
        let early = std::mem::take(&mut *self.early_output.borrow_mut());
        terminal.write(&early);
        *self.terminal.borrow_mut() = Some(terminal);
    }

    /// Shows console bytes in the terminal.
    pub fn show(&self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        self.tail.borrow_mut().push(bytes);
        match self.terminal.borrow().as_ref() {
            Some(terminal) => terminal.write(bytes),
            None => self.early_output.borrow_mut().extend_from_slice(bytes),
        }
    }

    /// Whether the terminal ends with an untouched prompt, and so on (see [`Tail`]).
    pub(crate) fn tail(&self) -> std::cell::Ref<'_, Tail> {
        self.tail.borrow()
    }

    /// Runs the editor's file.
    pub fn run(self: &Rc<Self>) {
        let queued = self
            .tasks
            .borrow()
            .iter()
            .any(|t| matches!(t, Task::Run { .. }));
        if queued || self.state.status.get_untracked() == Status::Running {
            return;
        }
        let file = self.state.current.get_untracked();
        let text = self.editor_text();
        // "running" from the click on, even while an earlier task finishes.
        self.state.status.set(Status::Running);
        self.stop_requested.set(false);
        self.submit(Task::Run { file, text });
    }

    /// Stop: Ctrl-C for what runs, whether Run or the REPL started it. A Run that has not
    /// started its program yet is cancelled instead (Ctrl-C would break the task's protocol).
    pub fn stop(&self) {
        if self.busy.get() && !self.program_running.get() {
            self.stop_requested.set(true);
            let mut tasks = self.tasks.borrow_mut();
            let before = tasks.len();
            tasks.retain(|task| !matches!(task, Task::Run { .. }));
            if tasks.len() < before {
                // There is one Run at most, and it was waiting: nothing runs any more.
                self.state.status.set(Status::Ready);
            }
            return;
        }
        if let Some(worker) = self.worker.borrow().as_ref() {
            worker.send(b"\x03");
        }
    }

    /// Writes the editor's file to the board.
    pub fn save(self: &Rc<Self>) {
        let file = self.state.current.get_untracked();
        let text = self.editor_text();
        self.submit(Task::Save { file, text });
    }

    /// Shows `file` in the editor: its unsaved text if it has one, else the board's.
    pub fn open(self: &Rc<Self>, file: String) {
        if file == self.state.current.get_untracked() {
            self.focus_editor();
            return;
        }
        let unsaved = self
            .buffers
            .borrow()
            .get(&file)
            .is_some_and(Buffer::is_unsaved);
        if unsaved {
            self.show_file(&file);
        } else {
            self.submit(Task::Open { file });
        }
    }

    /// Asks for a name and creates an empty file with it.
    pub fn new_file(self: &Rc<Self>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(Some(answer)) = window.prompt_with_message_and_default("New file name:", ".py")
        else {
            return;
        };
        match file_name(&answer) {
            Ok(file) if self.state.files.get_untracked().contains(&file) => self.open(file),
            Ok(file) => self.submit(Task::Create { file }),
            Err(why) => self.state.message.set(why),
        }
    }

    /// Holds the user switch down (`true`) or releases it.
    pub fn press_switch(&self, pressed: bool) {
        if let Some(worker) = self.worker.borrow().as_ref() {
            worker.set_switch(pressed);
        }
    }

    /// Sets what the SHT31 measures (hundredths of °C and of %RH).
    pub fn set_climate(&self, temp: i32, humidity: i32) {
        self.state.board.temp.set(temp);
        self.state.board.humidity.set(humidity);
        if let Some(worker) = self.worker.borrow().as_ref() {
            worker.set_climate(temp, humidity);
        }
    }

    /// Presses the board's reset button: a hard reset (a fresh worker, same flash).
    pub fn hard_reset(self: &Rc<Self>) {
        let restarted = match self.worker.borrow().as_ref() {
            Some(worker) => worker.restart(),
            None => return,
        };
        match restarted {
            Ok(()) => self.on_worker_event(WorkerEvent::Reset("hard".into())),
            Err(why) => self.fail(&why),
        }
    }

    pub(crate) fn focus_editor(&self) {
        if let Some(editor) = self.editor.borrow().as_ref() {
            editor.focus();
        }
    }

    /// Gives the terminal the keyboard (a running program may read from it).
    pub(crate) fn focus_terminal(&self) {
        if let Some(terminal) = self.terminal.borrow().as_ref() {
            terminal.focus();
        }
    }

    pub(crate) fn mark_line(&self, line: u32) {
        if let Some(editor) = self.editor.borrow().as_ref() {
            editor.mark_line(line);
        }
    }

    fn editor_text(&self) -> String {
        match self.editor.borrow().as_ref() {
            Some(editor) => editor.text(),
            None => self.buffer_text(&self.state.current.get_untracked()),
        }
    }

    fn buffer_text(&self, file: &str) -> String {
        self.buffers
            .borrow()
            .get(file)
            .map(|b| b.text.clone())
            .unwrap_or_default()
    }

    /// The editor's text changed.
    fn edited(&self, text: String) {
        let file = self.state.current.get_untracked();
        self.buffers
            .borrow_mut()
            .entry(file)
            .or_insert(Buffer {
                text: String::new(),
                saved: None,
            })
            .text = text;
        self.refresh_unsaved();
    }

    /// Records what the board holds for `file` (after reading or writing it); the IDE's text
    /// becomes `text` unless it has unsaved changes of its own.
    pub(crate) fn loaded(&self, file: &str, saved: Option<String>, text: String) {
        let mut buffers = self.buffers.borrow_mut();
        match buffers.get_mut(file) {
            // The user's edits (made while the file was loading, or earlier) win.
            Some(buffer) if buffer.is_unsaved() && !buffer.text.is_empty() => buffer.saved = saved,
            _ => {
                buffers.insert(file.to_string(), Buffer { text, saved });
            }
        }
        drop(buffers);
        self.refresh_unsaved();
    }

    /// Records that the board now holds `text` as `file`.
    pub(crate) fn saved(&self, file: &str, text: String) {
        let mut buffers = self.buffers.borrow_mut();
        let buffer = buffers.entry(file.to_string()).or_insert_with(|| Buffer {
            text: text.clone(),
            saved: None,
        });
        buffer.saved = Some(text);
        drop(buffers);
        self.refresh_unsaved();
    }

    /// Whether the board is known to hold `text` as `file`.
    pub(crate) fn board_has(&self, file: &str, text: &str) -> bool {
        self.buffers
            .borrow()
            .get(file)
            .is_some_and(|b| b.saved.as_deref() == Some(text))
    }

    /// Shows `file`'s text in the editor.
    pub(crate) fn show_file(&self, file: &str) {
        self.state.current.set(file.to_string());
        let text = self.buffer_text(file);
        if let Some(editor) = self.editor.borrow().as_ref() {
            if editor.text() != text {
                editor.set_text(&text);
            }
            editor.mark_line(0);
        }
    }

    fn refresh_unsaved(&self) {
        let unsaved: Vec<String> = self
            .buffers
            .borrow()
            .iter()
            .filter(|(_, b)| b.is_unsaved())
            .map(|(name, _)| name.clone())
            .collect();
        if self.state.unsaved.get_untracked() != unsaved {
            self.state.unsaved.set(unsaved);
        }
    }

    /// The user typed in the terminal.
    fn typed(&self, bytes: &[u8]) {
        // While a task speaks the board protocol, keystrokes would corrupt it: they wait for
        // the friendly prompt. While Run's program runs, they are its input.
        if self.busy.get() && !self.program_running.get() {
            self.held_keys.borrow_mut().extend_from_slice(bytes);
            return;
        }
        if let Some(worker) = self.worker.borrow().as_ref() {
            worker.send(bytes);
        }
    }

    /// Sends the keystrokes held back while tasks ran.
    pub(crate) fn release_keys(&self) {
        let keys = std::mem::take(&mut *self.held_keys.borrow_mut());
        if keys.is_empty() {
            return;
        }
        if let Some(worker) = self.worker.borrow().as_ref() {
            worker.send(&keys);
        }
    }

    fn on_worker_event(self: &Rc<Self>, event: WorkerEvent) {
        match event {
            WorkerEvent::Ready => {
                self.ready.set(true);
                self.state.status.set(Status::Ready);
                let first = !self.started.replace(true);
                self.submit(Task::ListFiles { open_main: first });
            }
            WorkerEvent::Out(bytes) => self.show(&bytes),
            WorkerEvent::Board(board) => self.show_board(board),
            WorkerEvent::Reset(kind) => {
                self.ready.set(false);
                self.held_keys.borrow_mut().clear();
                // A program queued for the old board is not run on the new one.
                self.tasks
                    .borrow_mut()
                    .retain(|task| !matches!(task, Task::Run { .. }));
                self.state.status.set(Status::Starting);
                self.show_board(BoardState::default());
                self.state.board.pins.set(BTreeMap::new());
                self.state
                    .message
                    .set(format!("the board was reset ({kind})"));
            }
            WorkerEvent::Fatal(why) => self.fail(&why),
        }
    }

    fn show_board(&self, board: BoardState) {
        let view = self.state.board;
        if view.leds.get_untracked() != board.leds {
            view.leds.set(board.leds);
        }
        if !board.pins.is_empty() {
            view.pins.update(|pins| pins.extend(board.pins));
        }
        if view.oled.with_untracked(|o| *o != board.oled) {
            view.oled.set(board.oled);
        }
        if view.switch.get_untracked() != board.switch {
            view.switch.set(board.switch);
        }
    }

    fn fail(&self, why: &str) {
        self.ready.set(false);
        self.state.status.set(Status::Failed(why.to_string()));
        self.show(format!("\r\n\x1b[31mThe board cannot run: {why}.\x1b[0m\r\n").as_bytes());
    }
}

/// A new file's name from what the user typed: trimmed, `.py` added when there is no
/// extension.
fn file_name(answer: &str) -> Result<String, String> {
    let name = answer.trim();
    if name.is_empty() || name == ".py" {
        return Err("a file needs a name".into());
    }
    if name.contains(['/', '\\']) || name.chars().any(char::is_control) {
        return Err(format!("'{name}' is not a file name (no folders, please)"));
    }
    if name.contains('.') {
        Ok(name.to_string())
    } else {
        Ok(format!("{name}.py"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_file_names() {
        assert_eq!(file_name(" blink "), Ok("blink.py".into()));
        assert_eq!(file_name("data.txt"), Ok("data.txt".into()));
        assert!(file_name("").is_err());
        assert!(file_name(".py").is_err());
        assert!(file_name("lib/x.py").is_err());
    }
}
