// The editor (CodeMirror 6) and the terminal (xterm.js) for the Pyrite IDE.
//
// esbuild bundles this file with its npm dependencies into one ES module
// (crates/ide/js/bundle.js), which the Rust side imports through wasm-bindgen.
// The API is small on purpose: the IDE's logic stays in Rust.

import { EditorView, basicSetup } from "codemirror";
import { EditorState, StateEffect, StateField } from "@codemirror/state";
import { Decoration, keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { syntaxHighlighting } from "@codemirror/language";
import { classHighlighter } from "@lezer/highlight";
import { python } from "@codemirror/lang-python";
import { Terminal as XTerm } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";

// ---- the editor ------------------------------------------------------------

// The line an error points at: one line decoration, replaced or cleared by `markLine`.
const setMark = StateEffect.define();
const errorLine = Decoration.line({ class: "cm-error-line" });
const markField = StateField.define({
    create: () => Decoration.none,
    update(marks, tr) {
        marks = marks.map(tr.changes);
        for (const e of tr.effects) {
            if (e.is(setMark)) marks = e.value;
        }
        // Editing the file clears the mark: it described the code as it was.
        return tr.docChanged ? Decoration.none : marks;
    },
    provide: (f) => EditorView.decorations.from(f),
});

const theme = EditorView.theme({
    "&": { height: "100%", fontSize: "14px" },
    ".cm-scroller": { fontFamily: "ui-monospace, 'DejaVu Sans Mono', monospace" },
    ".cm-error-line": { backgroundColor: "rgba(220, 50, 47, 0.25)" },
});

class Editor {
    constructor(parent, text, onChange) {
        this.view = new EditorView({
            parent,
            state: EditorState.create({
                doc: text,
                extensions: [
                    basicSetup,
                    keymap.of([indentWithTab]),
                    python(),
                    // Tokens get `tok-*` classes; style.css colours them for the dark editor.
                    syntaxHighlighting(classHighlighter),
                    EditorState.tabSize.of(4),
                    theme,
                    markField,
                    EditorView.updateListener.of((u) => {
                        if (u.docChanged) onChange(u.state.doc.toString());
                    }),
                ],
            }),
        });
    }
    getText() {
        return this.view.state.doc.toString();
    }
    setText(text) {
        const view = this.view;
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    }
    // Marks 1-based line `line` as the error's; 0 (or a line past the end) clears the mark.
    markLine(line) {
        const doc = this.view.state.doc;
        if (line < 1 || line > doc.lines) {
            this.view.dispatch({ effects: setMark.of(Decoration.none) });
            return;
        }
        const at = doc.line(line).from;
        this.view.dispatch({
            effects: setMark.of(Decoration.set([errorLine.range(at)])),
            selection: { anchor: at },
            scrollIntoView: true,
        });
    }
    focus() {
        this.view.focus();
    }
}

export function createEditor(parent, text, onChange) {
    return new Editor(parent, text, onChange);
}

// ---- the terminal ----------------------------------------------------------

const encoder = new TextEncoder();

class Terminal {
    constructor(parent, onData) {
        this.term = new XTerm({
            cursorBlink: true,
            fontFamily: "ui-monospace, 'DejaVu Sans Mono', monospace",
            fontSize: 14,
            // A little air between rows, or underscores are clipped by the next row.
            lineHeight: 1.15,
            scrollback: 5000,
            theme: { background: "#1e1f22", foreground: "#e6e6e6" },
        });
        this.fitter = new FitAddon();
        this.term.loadAddon(this.fitter);
        this.term.open(parent);
        // A serial terminal's bytes: keys as typed (UTF-8), Enter as `\r`.
        this.term.onData((s) => onData(encoder.encode(s)));
        this.term.onBinary((s) => onData(Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)));
        new ResizeObserver(() => this.fit()).observe(parent);
        this.fit();
    }
    write(bytes) {
        this.term.write(bytes);
    }
    focus() {
        this.term.focus();
    }
    fit() {
        try {
            this.fitter.fit();
        } catch (_) {
            // Not laid out yet (hidden): the next resize fits it.
        }
    }
    // The whole buffer as text, one line per row, trailing blanks trimmed.
    text() {
        const buf = this.term.buffer.active;
        const lines = [];
        for (let i = 0; i < buf.length; i++) {
            const line = buf.getLine(i);
            if (!line) continue;
            // A wrapped row continues the previous line.
            const s = line.translateToString(true);
            if (line.isWrapped && lines.length) lines[lines.length - 1] += s;
            else lines.push(s);
        }
        while (lines.length && lines[lines.length - 1] === "") lines.pop();
        return lines.join("\n");
    }
}

let lastTerminal = null;

export function createTerminal(parent, onData) {
    lastTerminal = new Terminal(parent, onData);
    return lastTerminal;
}

// What the browser tests read.
globalThis.pyriteTest = {
    terminalText: () => (lastTerminal ? lastTerminal.text() : ""),
};
