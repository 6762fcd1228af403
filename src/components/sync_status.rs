//! Online or offline, and how many actions wait to reach the server: always visible, calm.

use crate::state::AppState;
use leptos::prelude::*;

#[component]
pub fn SyncStatus() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = move || {
        let network = if state.online.get() { "In linea" } else { "Offline" };
        match state.pending_count() {
            0 => format!("{network} · tutto salvato"),
            1 => format!("{network} · 1 azione da inviare"),
            n => format!("{network} · {n} azioni da inviare"),
        }
    };
    view! {
        <p class="sync-status" role="status" data-online=move || state.online.get().to_string()
            data-pending=move || state.pending_count().to_string()>
            {text}
        </p>
    }
}
