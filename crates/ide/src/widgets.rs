//! The editor (CodeMirror 6) and the terminal (xterm.js), from the JavaScript bundle.
//!
//! `js/bundle.js` is esbuild's bundle of `web/js/widgets.js`. Its API is deliberately small
//! (create, get/set text, mark a line, write bytes) so that the IDE's logic stays in Rust.

use js_sys::{Function, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

#[wasm_bindgen(module = "/js/bundle.js")]
extern "C" {
    /// A code editor with Python highlighting.
    pub type JsEditor;

    #[wasm_bindgen(js_name = createEditor)]
    fn create_editor(parent: &HtmlElement, text: &str, on_change: &Function) -> JsEditor;
    #[wasm_bindgen(method, js_name = getText)]
    fn get_text(this: &JsEditor) -> String;
    #[wasm_bindgen(method, js_name = setText)]
    fn set_text(this: &JsEditor, text: &str);
    #[wasm_bindgen(method, js_name = markLine)]
    fn mark_line(this: &JsEditor, line: u32);
    #[wasm_bindgen(method, js_name = focus)]
    fn focus_editor(this: &JsEditor);

    /// A serial terminal.
    pub type JsTerminal;

    #[wasm_bindgen(js_name = createTerminal)]
    fn create_terminal(parent: &HtmlElement, on_data: &Function) -> JsTerminal;
    #[wasm_bindgen(method, js_name = write)]
    fn write_bytes(this: &JsTerminal, bytes: &Uint8Array);
    #[wasm_bindgen(method, js_name = focus)]
    fn focus_terminal(this: &JsTerminal);
}

/// The code editor, with the callback that reports every change of its text.
pub struct Editor {
    js: JsEditor,
    _on_change: Closure<dyn FnMut(String)>,
}

impl Editor {
    /// An editor inside `parent` showing `text`; `on_change` gets the whole text after edits.
    pub fn new(parent: &HtmlElement, text: &str, on_change: impl FnMut(String) + 'static) -> Self {
        let on_change = Closure::<dyn FnMut(String)>::new(on_change);
        let js = create_editor(parent, text, on_change.as_ref().unchecked_ref());
        Editor {
            js,
            _on_change: on_change,
        }
    }

    /// The text being edited.
    pub fn text(&self) -> String {
        self.js.get_text()
    }

    /// Replaces the text.
    pub fn set_text(&self, text: &str) {
        self.js.set_text(text);
    }

    /// Marks 1-based `line` as an error's (0 clears the mark).
    pub fn mark_line(&self, line: u32) {
        self.js.mark_line(line);
    }

    /// Gives the editor the keyboard.
    pub fn focus(&self) {
        self.js.focus_editor();
    }
}

/// The terminal, with the callback that receives the bytes the user types.
pub struct Terminal {
    js: JsTerminal,
    _on_data: Closure<dyn FnMut(Uint8Array)>,
}

impl Terminal {
    /// A terminal inside `parent`; `on_data` gets the bytes a serial terminal would send.
    pub fn new(parent: &HtmlElement, mut on_data: impl FnMut(Vec<u8>) + 'static) -> Self {
        let on_data =
            Closure::<dyn FnMut(Uint8Array)>::new(move |bytes: Uint8Array| on_data(bytes.to_vec()));
        let js = create_terminal(parent, on_data.as_ref().unchecked_ref());
        Terminal {
            js,
            _on_data: on_data,
        }
    }

    /// Shows bytes (UTF-8 text and escape sequences). They are copied: xterm.js may parse
    /// them later.
    pub fn write(&self, bytes: &[u8]) {
        self.js.write_bytes(&Uint8Array::from(bytes));
    }

    /// Gives the terminal the keyboard.
    pub fn focus(&self) {
        self.js.focus_terminal();
    }
}
