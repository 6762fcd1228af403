//! Online or offline, and how many actions wait to reach the server: always visible, calm.

use crate::i18n::{count, t};
use crate::state::AppState;
use leptos::prelude::*;

#[component]
pub fn SyncStatus() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let text = move || {
        let online = state.online.get();
        let pending = state.pending_count();
        let network = match online {
            true => t(lang, "In linea", "Online"),
            false => "Offline",
        };
        let said = match pending {
            0 => t(lang, "tutto salvato", "all saved").to_owned(),
            n => count(
                lang,
                n,
                ("azione da inviare", "azioni da inviare"),
                ("action to send", "actions to send"),
            ),
        };
        format!("{network} · {said}")
    };
    view! {
        <p class="sync-status" role="status" data-online=move || state.online.get().to_string()
            data-pending=move || state.pending_count().to_string()>
            {text}
        </p>
    }
}
