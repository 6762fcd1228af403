//! Shows its children once the programme is in browser storage, a clear message until then.

use crate::i18n::t;
use crate::state::{AppState, ContentState};
use leptos::prelude::*;
use officina_core::{Bundle, Lang};

/// Renders `view` with the programme and the language, or a loading / unavailable message.
/// `view` re-runs when the programme or the language changes.
#[component]
pub fn WithContent<V, F>(view: F) -> impl IntoView
where
    F: Fn(&Bundle, Lang) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let state = expect_context::<AppState>();
    move || {
        let lang = state.lang.get_untracked();
        state.content.with(|content| match content {
            ContentState::Ready(bundle) => view(bundle, lang).into_any(),
            ContentState::Loading => {
                view! { <p class="notice">{t(lang, "Sto scaricando i percorsi…", "Downloading the paths…")}</p> }.into_any()
            }
            ContentState::Unavailable => view! {
                <p class="notice notice-error">
                    {t(
                        lang,
                        "Non riesco a scaricare i percorsi. Collegati a internet una volta: poi Officina funziona anche offline.",
                        "I cannot download the paths. Connect to the internet once: then Officina works offline too.",
                    )}
                </p>
            }
            .into_any(),
        })
    }
}
