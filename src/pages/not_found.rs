use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Pagina non trovata"</h1>
        <p><A href="/">"Torna ai percorsi"</A></p>
    }
}
