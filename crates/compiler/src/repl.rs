//! The REPL's continuation rule: whether the text typed so far is an unfinished statement,
//! decided as MicroPython's REPL decides it (without parsing).

/// True if `source` is an incomplete statement: an open bracket or triple-quoted string, a
/// last line ending in `\` or `:`, or a compound statement not yet ended by an empty line.
pub fn needs_more_input(source: &str) -> bool {
    if source.trim().is_empty() {
        return false;
    }
    let b = source.as_bytes();
    let mut nest: i64 = 0;
    let mut i = 0;
    // The quote byte and whether it is tripled, while inside a string.
    let mut quote: Option<(u8, bool)> = None;
    while i < b.len() {
        let c = b[i];
        if let Some((q, triple)) = quote {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                if !triple {
                    quote = None;
                } else if b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
                    quote = None;
                    i += 2;
                }
            } else if c == b'\n' && !triple {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' => {
                let triple = b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
                quote = Some((c, triple));
                if triple {
                    i += 2;
                }
            }
            b'(' | b'[' | b'{' => nest += 1,
            b')' | b']' | b'}' => nest -= 1,
            _ => {}
        }
        i += 1;
    }
    if matches!(quote, Some((_, true))) || nest > 0 {
        return true;
    }
    let last = source.rsplit('\n').next().unwrap_or("");
    if last.ends_with('\\') {
        return true;
    }
    let code = strip_comment(last).trim_end();
    if code.ends_with(':') {
        return true;
    }
    let first = source.trim_start();
    let word_end = first
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(first.len());
    let word = &first[..word_end];
    let compound = first.starts_with('@')
        || matches!(
            word,
            "if" | "while" | "for" | "try" | "with" | "def" | "class" | "async"
        );
    compound && !source.ends_with('\n')
}

/// The line without a trailing comment (quotes are not tracked: this only decides whether
/// the line ends in `:`).
fn strip_comment(line: &str) -> &str {
    match line.find('#') {
        Some(i) => &line[..i],
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::needs_more_input;

    #[test]
    fn continuation() {
        assert!(!needs_more_input("x = 1"));
        assert!(!needs_more_input(""));
        assert!(needs_more_input("f(1,"));
        assert!(needs_more_input("s = '''abc"));
        assert!(needs_more_input("x = 1 + \\"));
        assert!(needs_more_input("if x:"));
        assert!(needs_more_input("if x:\n  y = 1"));
        assert!(!needs_more_input("if x:\n  y = 1\n"));
        assert!(needs_more_input("@dec"));
        assert!(!needs_more_input("s = 'a(b'"));
        assert!(!needs_more_input("x = 1 # if y:"));
        assert!(!needs_more_input("iffy = 1"));
    }
}
