//! Online or offline, and how many actions wait to reach the server: always visible, calm.

use crate::state::AppState;
use leptos::prelude::*;
use officina_core::Lang;

#[component]
pub fn SyncStatus() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let text = move || {
        let online = state.online.get();
        let pending = state.pending_count();
        match lang {
            Lang::It => {
                let network = if online { "In linea" } else { "Offline" };
                match pending {
                    0 => format!("{network} · tutto salvato"),
                    1 => format!("{network} · 1 azione da inviare"),
                    n => format!("{network} · {n} azioni da inviare"),
                }
            }
            Lang::En => {
                let network = if online { "Online" } else { "Offline" };
                match pending {
                    0 => format!("{network} · all saved"),
                    1 => format!("{network} · 1 action to send"),
                    n => format!("{network} · {n} actions to send"),
                }
            }
        }
    };
    view! {
        <p class="sync-status" role="status" data-online=move || state.online.get().to_string()
            data-pending=move || state.pending_count().to_string()>
            {text}
        </p>
    }
}
