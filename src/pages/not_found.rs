use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let lang = expect_context::<AppState>().lang;
    view! {
        <h1>{move || t(lang.get(), "Pagina non trovata", "Page not found")}</h1>
        <p><A href="/">{move || t(lang.get(), "Torna ai percorsi", "Back to the paths")}</A></p>
    }
}
