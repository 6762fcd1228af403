//! The bottom navigation: three places, always in reach of a thumb.

use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn BottomNav() -> impl IntoView {
    let lang = expect_context::<AppState>().lang;
    view! {
        <nav class="bottom-nav" aria-label=move || t(lang.get(), "Principale", "Main")>
            <A href="/" exact=true>{move || t(lang.get(), "Percorsi", "Paths")}</A>
            <A href="/badge">{move || t(lang.get(), "Badge", "Badges")}</A>
            <A href="/profilo">{move || t(lang.get(), "Profilo", "Profile")}</A>
        </nav>
    }
}
