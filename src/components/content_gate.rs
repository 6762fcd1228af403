//! Shows its children once the programme is in browser storage, a clear message until then.

use crate::state::{AppState, ContentState};
use leptos::prelude::*;
use officina_core::Bundle;

/// Renders `view` with the programme, or a loading / unavailable message.
#[component]
pub fn WithContent<V, F>(view: F) -> impl IntoView
where
    F: Fn(&Bundle) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let state = expect_context::<AppState>();
    move || {
        state.content.with(|content| match content {
            ContentState::Ready(bundle) => view(bundle).into_any(),
            ContentState::Loading => view! { <p class="notice">"Sto scaricando i percorsi…"</p> }.into_any(),
            ContentState::Unavailable => view! {
                <p class="notice notice-error">
                    "Non riesco a scaricare i percorsi. Collegati a internet una volta: poi Officina funziona anche offline."
                </p>
            }
            .into_any(),
        })
    }
}
