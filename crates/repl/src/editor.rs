//! The REPL's line editor: a pure state machine from terminal bytes to echo bytes and events.
//!
//! It models MicroPython's `readline.c`: the terminal is in raw mode, every key press arrives
//! as bytes, and the editor answers with the bytes that redraw the line in place (cursor moves
//! are relative, so it never needs to know the prompt). Nothing here touches a file descriptor,
//! which is what makes it testable.
//!
//! Keys: printable text inserts; Left/Right (Ctrl-B/F), Home/End (Ctrl-A/E), Backspace,
//! Delete (Ctrl-D), Ctrl-K/U kill to the end/start, Up/Down (Ctrl-P/N) walk the history, Tab
//! indents. Ctrl-C cancels the line; Ctrl-D on an empty line is end of input and Ctrl-E on an
//! empty line asks for paste mode. Screen columns are counted as one per `char`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

/// The most lines the history keeps.
const HISTORY_MAX: usize = 100;

/// What a key press completed.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// Enter: the line, without its newline.
    Line(String),
    /// Ctrl-C: the line is abandoned.
    Cancel,
    /// Ctrl-D on an empty (or all-blank) line.
    Eof,
    /// Ctrl-E on an empty line: the caller switches to paste mode.
    Paste,
    /// Ctrl-A on an empty line: the caller switches to the raw REPL.
    Raw,
    /// Ctrl-B on an empty line: the caller prints the banner again.
    Banner,
    /// Tab after a word: the caller completes the text before the cursor (given) and answers
    /// with [`Editor::complete`].
    Complete(String),
}

/// What a Tab completed to.
#[derive(Debug, PartialEq, Eq)]
pub enum Completion {
    /// Nothing matches.
    None,
    /// Text to insert at the cursor (the one match, or the common prefix of several).
    Insert(String),
    /// Several matches with nothing in common to add: they are listed under the line.
    List(Vec<String>),
}

/// Where the editor is inside an escape sequence (`ESC [ params final` or `ESC O final`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    None,
    Esc,
    Bracket,
    O,
}

/// One line being edited, plus the history it can recall.
pub struct Editor {
    line: Vec<char>,
    /// Index into `line`; also the screen column relative to the end of the prompt.
    cursor: usize,
    history: Vec<String>,
    /// The history entry shown, counted from the newest (1) back; 0 is the line being typed.
    recalled: usize,
    /// The line being typed before the history was walked, restored by walking back down.
    draft: Vec<char>,
    escape: Escape,
    /// The numeric parameter of an `ESC [` sequence (`3` in `ESC [ 3 ~`).
    param: u32,
    /// The bytes of a UTF-8 character received so far, and how many it needs.
    utf8: [u8; 4],
    utf8_len: usize,
    utf8_need: usize,
    /// The newline byte that ended the last line, so that `\r\n` counts as one Enter.
    last_nl: u8,
    /// The line holds only the automatic indent: a Tab or space typed now adjusts it.
    indent_just_added: bool,
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new()
    }
}

impl Editor {
    /// An editor with an empty history.
    pub fn new() -> Editor {
        Editor {
            line: Vec::new(),
            cursor: 0,
            history: Vec::new(),
            recalled: 0,
            draft: Vec::new(),
            escape: Escape::None,
            param: 0,
            utf8: [0; 4],
            utf8_len: 0,
            utf8_need: 0,
            last_nl: 0,
            indent_just_added: false,
        }
    }

    /// Starts a new line holding `indent` spaces (the automatic indent), echoing them.
    pub fn begin(&mut self, indent: usize, out: &mut Vec<u8>) {
        self.line = vec![' '; indent];
        self.cursor = indent;
        self.recalled = 0;
        self.draft.clear();
        self.escape = Escape::None;
        self.utf8_len = 0;
        self.utf8_need = 0;
        self.indent_just_added = indent > 0;
        out.resize(out.len() + indent, b' ');
    }

    /// The text of the line being edited.
    pub fn text(&self) -> String {
        self.line.iter().collect()
    }

    /// The cursor's position, in characters from the start of the line.
    #[cfg(test)]
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Handles one byte from the terminal, appending what to draw to `out`. After an event
    /// the editor holds an empty line again.
    pub fn feed(&mut self, byte: u8, out: &mut Vec<u8>) -> Option<Event> {
        let nl = byte == b'\r' || byte == b'\n';
        if !nl {
            self.last_nl = 0;
        }
        if self.escape != Escape::None {
            self.escape_byte(byte, out);
            return None;
        }
        if self.utf8_need > 0 && byte & 0xc0 != 0x80 {
            // A broken UTF-8 sequence: drop it, and take this byte on its own.
            self.utf8_need = 0;
        }
        if self.utf8_need > 0 || byte >= 0x80 {
            self.utf8_byte(byte, out);
            return None;
        }
        let empty = self.line.is_empty();
        let just_added = core::mem::take(&mut self.indent_just_added);
        match byte {
            0x01 if empty => return Some(Event::Raw),
            0x01 => self.home(out),
            0x02 if empty => return Some(Event::Banner),
            0x02 => self.left(out),
            0x03 => {
                self.begin(0, out);
                return Some(Event::Cancel);
            }
            0x04 if self.line.iter().all(|c| *c == ' ') => return Some(Event::Eof),
            0x04 => self.delete(out),
            0x05 if empty => return Some(Event::Paste),
            0x05 => self.end(out),
            0x06 => self.right(out),
            0x08 | 0x7f => self.backspace(out),
            // Typed indentation after the automatic one (pasted code brings its own): a Tab
            // keeps the indent, a space gives back three of its four spaces.
            b'\t' if just_added => {}
            b' ' if just_added && self.cursor >= 3 => {
                self.line.truncate(self.cursor - 3);
                move_back(out, 3);
                self.cursor -= 3;
                self.redraw_tail(out);
            }
            b'\t' if self.cursor == 0 || self.line[self.cursor - 1].is_whitespace() => {
                for _ in 0..4 {
                    self.insert(' ', out);
                }
            }
            b'\t' => {
                let before: String = self.line[..self.cursor].iter().collect();
                return Some(Event::Complete(before));
            }
            0x0b => {
                self.line.truncate(self.cursor);
                out.extend_from_slice(b"\x1b[K");
            }
            0x0e => self.history_down(out),
            0x10 => self.history_up(out),
            0x15 => {
                self.line.drain(..self.cursor);
                move_back(out, self.cursor);
                self.cursor = 0;
                self.redraw_tail(out);
            }
            b'\r' | b'\n' => {
                // `\r\n` (and `\n\r`) is one Enter; two of the same byte are two.
                if self.last_nl != 0 && self.last_nl != byte {
                    self.last_nl = 0;
                    return None;
                }
                self.last_nl = byte;
                out.extend_from_slice(b"\r\n");
                let text = self.text();
                self.remember(&text);
                self.begin(0, out);
                return Some(Event::Line(text));
            }
            0x1b => {
                self.escape = Escape::Esc;
                self.param = 0;
            }
            0x20..=0x7e => self.insert(byte as char, out),
            _ => {}
        }
        None
    }

    /// Finishes a Tab ([`Event::Complete`]): inserts the completion, or lists the matches on
    /// the lines below and draws `prompt` and the line again.
    pub fn complete(&mut self, completion: Completion, prompt: &str, out: &mut Vec<u8>) {
        match completion {
            Completion::None => {}
            Completion::Insert(text) => text.chars().for_each(|c| self.insert(c, out)),
            Completion::List(words) => {
                out.extend_from_slice(b"\r\n");
                list_words(&words, out);
                out.extend_from_slice(prompt.as_bytes());
                out.extend_from_slice(self.text().as_bytes());
                move_back(out, self.line.len() - self.cursor);
            }
        }
    }

    /// Adds a line to the history, unless blank or the same as the newest entry.
    pub fn remember(&mut self, line: &str) {
        if line.trim().is_empty() || self.history.last().is_some_and(|l| l == line) {
            return;
        }
        if self.history.len() == HISTORY_MAX {
            self.history.remove(0);
        }
        self.history.push(line.to_string());
    }

    fn escape_byte(&mut self, byte: u8, out: &mut Vec<u8>) {
        match self.escape {
            Escape::Esc => {
                self.escape = match byte {
                    b'[' => Escape::Bracket,
                    b'O' => Escape::O,
                    _ => Escape::None,
                };
            }
            Escape::Bracket if byte.is_ascii_digit() => {
                self.param = self
                    .param
                    .saturating_mul(10)
                    .saturating_add(u32::from(byte - b'0'));
            }
            // Modifier parameters (`ESC [ 1 ; 5 C`) are read and ignored.
            Escape::Bracket if byte == b';' => self.param = 0,
            Escape::Bracket => {
                self.escape = Escape::None;
                match (byte, self.param) {
                    (b'A', _) => self.history_up(out),
                    (b'B', _) => self.history_down(out),
                    (b'C', _) => self.right(out),
                    (b'D', _) => self.left(out),
                    (b'H', _) | (b'~', 1 | 7) => self.home(out),
                    (b'F', _) | (b'~', 4 | 8) => self.end(out),
                    (b'~', 3) => self.delete(out),
                    _ => {}
                }
            }
            Escape::O => {
                self.escape = Escape::None;
                match byte {
                    b'H' => self.home(out),
                    b'F' => self.end(out),
                    _ => {}
                }
            }
            Escape::None => {}
        }
    }

    fn utf8_byte(&mut self, byte: u8, out: &mut Vec<u8>) {
        if self.utf8_need == 0 {
            self.utf8_need = match byte {
                0xc2..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf4 => 4,
                _ => return,
            };
            self.utf8_len = 0;
        }
        self.utf8[self.utf8_len] = byte;
        self.utf8_len += 1;
        if self.utf8_len == self.utf8_need {
            self.utf8_need = 0;
            let ch = core::str::from_utf8(&self.utf8[..self.utf8_len])
                .ok()
                .and_then(|s| s.chars().next());
            if let Some(c) = ch {
                self.insert(c, out);
            }
        }
    }

    fn insert(&mut self, c: char, out: &mut Vec<u8>) {
        self.line.insert(self.cursor, c);
        self.cursor += 1;
        let mut buf = [0; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        if self.cursor < self.line.len() {
            self.redraw_tail(out);
        }
    }

    /// Deletes before the cursor: four spaces at once inside leading indentation.
    fn backspace(&mut self, out: &mut Vec<u8>) {
        if self.cursor == 0 {
            return;
        }
        let in_indent = self.line[..self.cursor].iter().all(|c| *c == ' ');
        let n = if in_indent && self.cursor >= 4 { 4 } else { 1 };
        self.line.drain(self.cursor - n..self.cursor);
        move_back(out, n);
        self.cursor -= n;
        self.redraw_tail(out);
    }

    fn delete(&mut self, out: &mut Vec<u8>) {
        if self.cursor < self.line.len() {
            self.line.remove(self.cursor);
            self.redraw_tail(out);
        }
    }

    fn left(&mut self, out: &mut Vec<u8>) {
        if self.cursor > 0 {
            self.cursor -= 1;
            move_back(out, 1);
        }
    }

    fn right(&mut self, out: &mut Vec<u8>) {
        if self.cursor < self.line.len() {
            self.cursor += 1;
            move_forward(out, 1);
        }
    }

    fn home(&mut self, out: &mut Vec<u8>) {
        move_back(out, self.cursor);
        self.cursor = 0;
    }

    fn end(&mut self, out: &mut Vec<u8>) {
        move_forward(out, self.line.len() - self.cursor);
        self.cursor = self.line.len();
    }

    fn history_up(&mut self, out: &mut Vec<u8>) {
        if self.recalled >= self.history.len() {
            return;
        }
        if self.recalled == 0 {
            self.draft = core::mem::take(&mut self.line);
        }
        self.recalled += 1;
        let entry = self.history[self.history.len() - self.recalled]
            .chars()
            .collect();
        self.replace_line(entry, out);
    }

    fn history_down(&mut self, out: &mut Vec<u8>) {
        if self.recalled == 0 {
            return;
        }
        self.recalled -= 1;
        let line = if self.recalled == 0 {
            core::mem::take(&mut self.draft)
        } else {
            self.history[self.history.len() - self.recalled]
                .chars()
                .collect()
        };
        self.replace_line(line, out);
    }

    /// Shows `line` instead of the current one, with the cursor at its end.
    fn replace_line(&mut self, line: Vec<char>, out: &mut Vec<u8>) {
        move_back(out, self.cursor);
        self.line = line;
        self.cursor = self.line.len();
        let text = self.text();
        out.extend_from_slice(text.as_bytes());
        out.extend_from_slice(b"\x1b[K");
    }

    /// Redraws from the cursor to the end of the line, clears what is left of the old line,
    /// and puts the terminal's cursor back where it was.
    fn redraw_tail(&self, out: &mut Vec<u8>) {
        let tail: String = self.line[self.cursor..].iter().collect();
        out.extend_from_slice(tail.as_bytes());
        out.extend_from_slice(b"\x1b[K");
        move_back(out, self.line.len() - self.cursor);
    }
}

/// Lists `words` in 16-column slots, 64 columns a line, as MicroPython's REPL does.
fn list_words(words: &[String], out: &mut Vec<u8>) {
    const SLOT: usize = 16;
    const LINE: usize = 4 * SLOT;
    let mut column = LINE;
    for w in words {
        let mut gap = column.div_ceil(SLOT) * SLOT - column;
        if gap < 2 {
            gap += SLOT;
        }
        if column + gap + w.len() <= LINE {
            out.resize(out.len() + gap, b' ');
            column += gap + w.len();
        } else {
            if column != LINE {
                out.extend_from_slice(b"\r\n");
            }
            column = w.len();
        }
        out.extend_from_slice(w.as_bytes());
    }
    out.extend_from_slice(b"\r\n");
}

fn move_back(out: &mut Vec<u8>, n: usize) {
    if n > 0 {
        out.extend_from_slice(format!("\x1b[{n}D").as_bytes());
    }
}

fn move_forward(out: &mut Vec<u8>, n: usize) {
    if n > 0 {
        out.extend_from_slice(format!("\x1b[{n}C").as_bytes());
    }
}

/// Paste mode (Ctrl-E): bytes are kept as they come, with no editing or indenting, until
/// Ctrl-D gives the whole text (`Event::Line`) or Ctrl-C cancels it.
#[derive(Default)]
pub struct Paste {
    text: Vec<u8>,
    last_nl: u8,
}

impl Paste {
    /// The prompt of each pasted line.
    pub const PROMPT: &'static str = "=== ";

    /// Handles one byte, appending its echo to `out`.
    pub fn feed(&mut self, byte: u8, out: &mut Vec<u8>) -> Option<Event> {
        let last_nl = core::mem::take(&mut self.last_nl);
        match byte {
            0x03 => {
                self.text.clear();
                Some(Event::Cancel)
            }
            0x04 => {
                out.extend_from_slice(b"\r\n");
                let text = String::from_utf8_lossy(&self.text).into_owned();
                self.text.clear();
                Some(Event::Line(text))
            }
            b'\r' | b'\n' if last_nl != 0 && last_nl != byte => None,
            b'\r' | b'\n' => {
                self.last_nl = byte;
                self.text.push(b'\n');
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(Paste::PROMPT.as_bytes());
                None
            }
            _ => {
                self.text.push(byte);
                out.push(byte);
                None
            }
        }
    }
}

/// The automatic indent (in spaces) for the line after `source`: the last line's indent rounded
/// down to whole levels, one level more after a `:` (MicroPython's rule).
pub fn next_indent(source: &str) -> usize {
    let last = source.rsplit('\n').next().unwrap_or("");
    let spaces = last.len() - last.trim_start_matches(' ').len();
    let levels = spaces / 4 + usize::from(last.trim_end().ends_with(':'));
    levels * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `keys`, returning the events and everything drawn.
    fn type_keys(ed: &mut Editor, keys: &[u8]) -> (Vec<Event>, String) {
        let mut out = Vec::new();
        let events = keys.iter().filter_map(|b| ed.feed(*b, &mut out)).collect();
        (events, String::from_utf8_lossy(&out).into_owned())
    }

    fn line(s: &str) -> Event {
        Event::Line(s.to_string())
    }

    #[test]
    fn typing_and_enter_gives_the_line() {
        let mut ed = Editor::new();
        let (events, drawn) = type_keys(&mut ed, b"1+2\r");
        assert_eq!(events, [line("1+2")]);
        assert_eq!(drawn, "1+2\r\n");
    }

    #[test]
    fn crlf_is_one_enter_but_two_crs_are_two() {
        let mut ed = Editor::new();
        assert_eq!(type_keys(&mut ed, b"a\r\nb\n").0, [line("a"), line("b")]);
        let mut ed = Editor::new();
        assert_eq!(type_keys(&mut ed, b"\r\r").0, [line(""), line("")]);
    }

    #[test]
    fn cursor_keys_edit_in_the_middle() {
        let mut ed = Editor::new();
        // "ac", Left, "b" -> "abc"; Home, Delete -> "bc"; End, Backspace -> "b".
        type_keys(&mut ed, b"ac\x1b[Db");
        assert_eq!((ed.text().as_str(), ed.cursor()), ("abc", 2));
        type_keys(&mut ed, b"\x1b[H\x1b[3~");
        assert_eq!((ed.text().as_str(), ed.cursor()), ("bc", 0));
        type_keys(&mut ed, b"\x1bOF\x7f");
        assert_eq!((ed.text().as_str(), ed.cursor()), ("b", 1));
        type_keys(&mut ed, b"\x1b[1~x\x1b[4~y");
        assert_eq!(ed.text(), "xby");
    }

    #[test]
    fn insert_in_the_middle_redraws_the_tail() {
        let mut ed = Editor::new();
        let (_, drawn) = type_keys(&mut ed, b"ac\x1b[Db");
        assert_eq!(drawn, "ac\x1b[1Dbc\x1b[K\x1b[1D");
    }

    #[test]
    fn emacs_keys() {
        let mut ed = Editor::new();
        type_keys(&mut ed, b"hello world");
        type_keys(&mut ed, b"\x01\x06\x06\x06\x06\x06\x0b");
        assert_eq!(ed.text(), "hello");
        type_keys(&mut ed, b"\x02\x02\x15");
        assert_eq!((ed.text().as_str(), ed.cursor()), ("lo", 0));
        type_keys(&mut ed, b"\x05!");
        assert_eq!(ed.text(), "lo!");
        type_keys(&mut ed, b"\x01\x04");
        assert_eq!(ed.text(), "o!");
    }

    #[test]
    fn control_keys_on_an_empty_line() {
        let mut ed = Editor::new();
        assert_eq!(type_keys(&mut ed, b"\x04").0, [Event::Eof]);
        assert_eq!(type_keys(&mut ed, b"\x05").0, [Event::Paste]);
        assert_eq!(type_keys(&mut ed, b"abc\x03").0, [Event::Cancel]);
    }

    #[test]
    fn history_walks_up_and_back_down_to_the_draft() {
        let mut ed = Editor::new();
        type_keys(&mut ed, b"one\rtwo\rtwo\r");
        ed.begin(0, &mut Vec::new());
        type_keys(&mut ed, b"dra");
        type_keys(&mut ed, b"\x1b[A");
        assert_eq!(ed.text(), "two");
        type_keys(&mut ed, b"\x1b[A\x1b[A\x1b[A");
        assert_eq!(ed.text(), "one");
        type_keys(&mut ed, b"\x1b[B");
        assert_eq!(ed.text(), "two");
        type_keys(&mut ed, b"\x0e\x0e");
        assert_eq!(ed.text(), "dra");
        type_keys(&mut ed, b"\x10");
        assert_eq!(ed.text(), "two");
    }

    #[test]
    fn backspace_removes_a_whole_indent_level() {
        let mut ed = Editor::new();
        let mut out = Vec::new();
        ed.begin(8, &mut out);
        assert_eq!(out, b"        ");
        type_keys(&mut ed, b"\x7f");
        assert_eq!(ed.text(), "    ");
        type_keys(&mut ed, b"  x\x7f\x7f");
        assert_eq!(ed.text(), "  ");
    }

    #[test]
    fn space_after_auto_indent_keeps_pasted_indentation() {
        let mut ed = Editor::new();
        ed.begin(4, &mut Vec::new());
        type_keys(&mut ed, b"    return 1");
        assert_eq!(ed.text(), "    return 1");
        ed.begin(4, &mut Vec::new());
        type_keys(&mut ed, b"\tx");
        assert_eq!(ed.text(), "    x");
    }

    #[test]
    fn tab_indents_after_whitespace_only() {
        let mut ed = Editor::new();
        type_keys(&mut ed, b"\tx\t");
        assert_eq!(ed.text(), "    x");
    }

    #[test]
    fn utf8_characters_are_one_column() {
        let mut ed = Editor::new();
        let (events, _) = type_keys(&mut ed, "héé\x7f\r".as_bytes());
        assert_eq!(events, [line("hé")]);
        // A broken sequence is dropped.
        assert_eq!(type_keys(&mut ed, b"a\xc3b\r").0, [line("ab")]);
    }

    #[test]
    fn paste_mode_keeps_text_verbatim_until_ctrl_d() {
        let mut paste = Paste::default();
        let mut out = Vec::new();
        let events: Vec<Event> = b"if 1:\r\n\tx = 1\r\x04"
            .iter()
            .filter_map(|b| paste.feed(*b, &mut out))
            .collect();
        assert_eq!(events, [line("if 1:\n\tx = 1\n")]);
        assert_eq!(out, b"if 1:\r\n=== \tx = 1\r\n=== \r\n");
        assert_eq!(paste.feed(b'x', &mut out), None);
        assert_eq!(paste.feed(0x03, &mut out), Some(Event::Cancel));
        assert_eq!(paste.feed(0x04, &mut out), Some(line("")));
    }

    #[test]
    fn next_indent_follows_micropython() {
        assert_eq!(next_indent("x = 1"), 0);
        assert_eq!(next_indent("def f():"), 4);
        assert_eq!(next_indent("def f():\n    if x:"), 8);
        assert_eq!(next_indent("def f():\n    return 1"), 4);
        assert_eq!(next_indent("def f():\n    return 1\n    "), 4);
        assert_eq!(next_indent("  x = 1"), 0);
        assert_eq!(next_indent("if x:  "), 4);
    }
}
