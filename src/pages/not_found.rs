use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let lang = expect_context::<AppState>().lang.get_untracked();
    view! {
        <h1>{t(lang, "Pagina non trovata", "Page not found")}</h1>
        <p><a href="/">{t(lang, "Torna ai percorsi", "Back to the paths")}</a></p>
    }
}
