//! Tab completion of names and attributes, as MicroPython's REPL does it.
//!
//! The word before the cursor (`machine.Pi`) is split at its dots; the part before the last dot
//! is evaluated in `__main__` (attribute lookups only: the text is checked to be a dotted name
//! first), and the last part is completed against `dir()` of the result, or against the
//! globals and builtins for a bare name. Names starting with `_` are offered only once the user
//! has typed the underscore.

use alloc::string::String;
use alloc::vec::Vec;

use pyrite_core::{Mode, Vm};

use crate::editor::Completion;

/// Completes `before`, the line's text up to the cursor.
pub fn complete(vm: &mut Vm, before: &str) -> Completion {
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[start..];
    let (object, partial) = match word.rfind('.') {
        Some(dot) => (Some(&word[..dot]), &word[dot + 1..]),
        None => (None, word),
    };
    let names = match object {
        Some(path) if !path.split('.').all(pyrite_core::vm::is_identifier) => {
            return Completion::None
        }
        Some(path) => dir_of(vm, &alloc::format!("dir({path})")),
        None => {
            let mut names = dir_of(vm, "dir()");
            names.extend(dir_of(vm, "dir(__import__('builtins'))"));
            names
        }
    };
    // Sorted and each once, by putting each in its place.
    let mut matches: Vec<String> = Vec::new();
    for n in names {
        if n.starts_with(partial) && (!partial.is_empty() || !n.starts_with('_')) {
            if let Err(at) = matches.binary_search(&n) {
                matches.insert(at, n);
            }
        }
    }
    if matches.is_empty() {
        // As MicroPython: the first word of a line may be the start of `import`.
        let first = start == 0 && object.is_none();
        if first && !partial.is_empty() && "import ".starts_with(partial) && partial.len() < 7 {
            return Completion::Insert(String::from(&"import "[partial.len()..]));
        }
        return Completion::None;
    }
    let common = common_prefix(&matches);
    if matches.len() == 1 || common.len() > partial.len() {
        return Completion::Insert(String::from(&common[partial.len()..]));
    }
    Completion::List(matches)
}

/// The names an expression like `dir(x.y)` gives, or none if it fails.
fn dir_of(vm: &mut Vm, expr: &str) -> Vec<String> {
    let r = vm.main_module().and_then(|globals| {
        let code = vm.compile_source(expr, "<stdin>", Mode::Eval)?;
        vm.run_code(code, globals, globals)
    });
    let names = match r {
        Ok(list) => vm
            .seq_items(list)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|n| vm.str_of(n).map(String::from))
            .collect(),
        Err(_) => Vec::new(),
    };
    vm.safepoint();
    names
}

/// The longest prefix all of `words` share (they are not empty).
fn common_prefix(words: &[String]) -> String {
    let first = &words[0];
    let mut len = first.len();
    for w in &words[1..] {
        len = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(len);
    }
    String::from(&first[..len])
}
