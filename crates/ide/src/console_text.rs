//! Reading what the board's console prints: tracebacks, prompts and banners.
//!
//! The page shows the board's bytes unchanged, except around its own board-protocol
//! operations: it hides the raw REPL's chatter and the banner that leaving it prints, and
//! shows one friendly prompt instead, so that saving a file does not scroll the terminal.

/// The friendly REPL's prompt.
pub const PROMPT: &[u8] = b">>> ";
/// What the board prints for Ctrl-C at an empty friendly prompt.
pub const FRESH_PROMPT: &[u8] = b"\r\n>>> ";
/// The banner's last line (MicroPython's wording).
const BANNER_END: &[u8] = b"for more information.\r\n";

/// The line of `file` (or of `<stdin>`, where the raw REPL runs code) that a traceback points
/// at last: the line to mark in the editor.
pub fn error_line(traceback: &str, file: &str) -> Option<u32> {
    let stdin = "File \"<stdin>\", line ";
    let named = format!("File \"{file}\", line ");
    let slash = format!("File \"/{file}\", line ");
    traceback.lines().rev().find_map(|line| {
        let line = line.trim_start();
        let rest = line
            .strip_prefix(stdin)
            .or_else(|| line.strip_prefix(named.as_str()))
            .or_else(|| line.strip_prefix(slash.as_str()))?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

/// Whether a traceback ends with `KeyboardInterrupt` (the user stopped the program).
pub fn is_interrupt(traceback: &str) -> bool {
    traceback
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .is_some_and(|l| l.starts_with("KeyboardInterrupt"))
}

/// `text` with every bare `\n` turned into `\r\n`, as a terminal needs.
pub fn cook(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 8);
    let mut prev = 0u8;
    for &b in text {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}

/// What the board printed after leaving the raw REPL, without the banner: normally just the
/// prompt. `None` while the prompt has not arrived yet.
pub fn after_banner(received: &[u8]) -> Option<&[u8]> {
    if !received.ends_with(PROMPT) {
        return None;
    }
    let start = find(received, BANNER_END).map_or(0, |at| at + BANNER_END.len());
    received.get(start..)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

/// The last bytes shown in the terminal: enough to know whether it is at a fresh prompt or at
/// the start of a line.
#[derive(Default)]
pub struct Tail {
    last: Vec<u8>,
}

impl Tail {
    /// Records bytes written to the terminal.
    pub fn push(&mut self, bytes: &[u8]) {
        self.last.extend_from_slice(bytes);
        let keep = 8;
        if self.last.len() > keep {
            self.last.drain(..self.last.len() - keep);
        }
    }

    /// Whether the terminal ends with an untouched `>>> ` prompt.
    pub fn at_prompt(&self) -> bool {
        self.last.ends_with(PROMPT)
    }

    /// Whether the next byte would start a new line.
    pub fn at_line_start(&self) -> bool {
        self.last.is_empty() || self.last.ends_with(b"\n")
    }

    /// The bytes that show a fresh prompt at the start of a line, or nothing if one is shown.
    pub fn prompt_bytes(&self) -> Vec<u8> {
        if self.at_prompt() {
            Vec::new()
        } else if self.at_line_start() {
            PROMPT.to_vec()
        } else {
            [b"\r\n", PROMPT].concat()
        }
    }

    /// Whether showing `output` would only repeat the prompt already shown (the board's answer
    /// to Ctrl-C at an idle prompt).
    pub fn is_repeat(&self, output: &[u8]) -> bool {
        output.is_empty() || (self.at_prompt() && output == FRESH_PROMPT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_last_line_of_the_program() {
        let tb = "Traceback (most recent call last):\r\n  File \"<stdin>\", line 7, in <module>\r\n  File \"<stdin>\", line 3, in f\r\nZeroDivisionError: divide by zero\r\n";
        assert_eq!(error_line(tb, "main.py"), Some(3));
        let tb = "  File \"main.py\", line 12, in <module>\n  File \"lib.py\", line 2, in g\n";
        assert_eq!(error_line(tb, "main.py"), Some(12));
        assert_eq!(error_line(tb, "other.py"), None);
        assert_eq!(
            error_line("  File \"/main.py\", line 4\n", "main.py"),
            Some(4)
        );
        assert_eq!(error_line("SyntaxError: invalid syntax", "main.py"), None);
    }

    #[test]
    fn recognises_a_stop() {
        assert!(is_interrupt(
            "Traceback (most recent call last):\r\n  File \"<stdin>\", line 2, in <module>\r\nKeyboardInterrupt: \r\n"
        ));
        assert!(!is_interrupt("ValueError: KeyboardInterrupt\n"));
        assert!(!is_interrupt(""));
    }

    #[test]
    fn cooks_bare_newlines_only() {
        assert_eq!(cook(b"a\nb\r\nc\n"), b"a\r\nb\r\nc\r\n");
        assert_eq!(cook(b""), b"");
    }

    #[test]
    fn strips_the_banner_after_the_raw_repl() {
        let exit = b">\r\nMicroPython v1.27.0 (Pyrite 0.1.0); PYBv1.1 with STM32F405RG\r\nType \"help()\" for more information.\r\n>>> ";
        assert_eq!(after_banner(exit), Some(&b">>> "[..]));
        assert_eq!(after_banner(b"\r\nMicroPython v1"), None);
        assert_eq!(after_banner(b">>> "), Some(&b">>> "[..]));
    }

    #[test]
    fn a_prompt_goes_on_a_line_of_its_own() {
        let mut tail = Tail::default();
        assert_eq!(tail.prompt_bytes(), b">>> ");
        tail.push(b"banner\r\n>>> ");
        assert!(tail.at_prompt());
        assert_eq!(tail.prompt_bytes(), b"");
        assert!(tail.is_repeat(FRESH_PROMPT));
        tail.push(b"pri");
        assert_eq!(tail.prompt_bytes(), b"\r\n>>> ");
        assert!(!tail.is_repeat(FRESH_PROMPT));
        tail.push(b"nt\r\n");
        assert_eq!(tail.prompt_bytes(), b">>> ");
    }
}
