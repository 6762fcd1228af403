//! The bottom navigation: three places, always in reach of a thumb.

use crate::i18n::t;
use crate::routes::{Route, Router};
use crate::state::AppState;
use leptos::prelude::*;

#[component]
pub fn BottomNav() -> impl IntoView {
    let lang = expect_context::<AppState>().lang.get_untracked();
    let route = expect_context::<Router>().route;
    let current = move |target: Route| move || (route.get() == target).then_some("page");
    view! {
        <nav class="bottom-nav" aria-label=t(lang, "Principale", "Main")>
            <a href="/" aria-current=current(Route::Home)>{t(lang, "Percorsi", "Paths")}</a>
            <a href="/badge" aria-current=current(Route::Badges)>{t(lang, "Badge", "Badges")}</a>
            <a href="/profilo" aria-current=current(Route::Profile)>{t(lang, "Profilo", "Profile")}</a>
        </nav>
    }
}
