//! The page: a header with Run and Stop, the file list, the editor above the terminal, and the
//! virtual board.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

use crate::board_panel::BoardPanel;
use crate::session::{IdeState, Session, SessionRef, Status};

/// The whole IDE.
#[component]
pub fn App() -> impl IntoView {
    let state = IdeState::new();
    let session: SessionRef = StoredValue::new_local(Session::start(state));
    // Ctrl-S (Cmd-S) saves the file instead of the page, wherever the focus is.
    let _ = window_event_listener(ev::keydown, move |event| {
        if (event.ctrl_key() || event.meta_key()) && event.key().eq_ignore_ascii_case("s") {
            event.prevent_default();
            session.get_value().save();
        }
    });
    view! {
        <div class="ide">
            <Toolbar state session />
            <main class="workspace">
                <FileList state session />
                <section class="code">
                    <EditorPane session />
                    <TerminalPane session />
                </section>
                <BoardPanel view=state.board session />
            </main>
        </div>
    }
}

/// The header: the name, Run, Stop, Save, the board's status and the last message.
#[component]
fn Toolbar(state: IdeState, session: SessionRef) -> impl IntoView {
    let status = state.status;
    let kind = move || match status.get() {
        Status::Starting => "starting",
        Status::Ready => "ready",
        Status::Running => "running",
        Status::Failed(_) => "failed",
    };
    let can_run = move || status.get() == Status::Ready;
    let can_stop = move || !matches!(status.get(), Status::Failed(_));
    view! {
        <header class="toolbar">
            <span class="brand">"Pyrite"</span>
            <button
                id="run"
                class="run"
                title="Save the file and run it on the board"
                disabled=move || !can_run()
                on:click=move |_| session.get_value().run()
            >
                "Run ▶"
            </button>
            <button
                id="stop"
                class="stop"
                title="Stop the running program (Ctrl-C)"
                disabled=move || !can_stop()
                on:click=move |_| session.get_value().stop()
            >
                "Stop ■"
            </button>
            <button
                id="save"
                title="Write the file to the board (Ctrl-S)"
                disabled=move || !can_run()
                on:click=move |_| session.get_value().save()
            >
                "Save"
            </button>
            <span id="status" class="status" data-state=kind>
                {move || status.get().label()}
            </span>
            <span id="message" class="message">
                {move || state.message.get()}
            </span>
        </header>
    }
}

/// The board's files; the one in the editor is highlighted, unsaved ones are marked.
#[component]
fn FileList(state: IdeState, session: SessionRef) -> impl IntoView {
    view! {
        <nav class="files">
            <div class="files-head">
                <span>"Files"</span>
                <button
                    id="new-file"
                    title="Create a file on the board"
                    on:click=move |_| session.get_value().new_file()
                >
                    "+ New"
                </button>
            </div>
            <ul id="files">
                <For each=move || state.files.get() key=|file| file.clone() let:file>
                    <FileItem file state session />
                </For>
            </ul>
        </nav>
    }
}

/// One file of the list.
#[component]
fn FileItem(file: String, state: IdeState, session: SessionRef) -> impl IntoView {
    let name = file.clone();
    let is_current = {
        let file = file.clone();
        move || state.current.with(|current| *current == file)
    };
    let is_unsaved = {
        let file = file.clone();
        move || state.unsaved.with(|unsaved| unsaved.contains(&file))
    };
    let open = {
        let file = file.clone();
        move |_| session.get_value().open(file.clone())
    };
    view! {
        <li
            data-file=file
            class="file"
            class:current=is_current
            class:unsaved=is_unsaved
            title="Open in the editor"
            on:click=open
        >
            {name}
        </li>
    }
}

/// The editor's host element.
#[component]
fn EditorPane(session: SessionRef) -> impl IntoView {
    let host = NodeRef::<html::Div>::new();
    host.on_load(move |el| session.get_value().attach_editor(&el));
    view! { <div id="editor" class="editor" node_ref=host></div> }
}

/// The terminal's host element.
#[component]
fn TerminalPane(session: SessionRef) -> impl IntoView {
    let host = NodeRef::<html::Div>::new();
    host.on_load(move |el| session.get_value().attach_terminal(&el));
    view! { <div id="terminal" class="terminal" node_ref=host></div> }
}
