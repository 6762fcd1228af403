//! The bottom navigation: three places, always in reach of a thumb.

use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn BottomNav() -> impl IntoView {
    let lang = expect_context::<AppState>().lang.get_untracked();
    view! {
        <nav class="bottom-nav" aria-label=t(lang, "Principale", "Main")>
            <A href="/" exact=true>{t(lang, "Percorsi", "Paths")}</A>
            <A href="/badge">{t(lang, "Badge", "Badges")}</A>
            <A href="/profilo">{t(lang, "Profilo", "Profile")}</A>
        </nav>
    }
}
