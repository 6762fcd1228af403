//! The app's frame: shared state, the header, the navigation, and the routes.

use crate::components::celebration::BadgeCelebration;
use crate::components::nav::BottomNav;
use crate::components::room_notice::RoomNotice;
use crate::components::sync_status::SyncStatus;
use crate::components::update_banner::UpdateBanner;
use crate::i18n::{self, t};
use crate::pages::{
    activity::ActivityPage, badges::BadgesPage, home::HomePage, not_found::NotFound, path::PathPage,
};
use crate::routes::{Route, Router};
use crate::state::AppState;
use crate::sync;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::from_storage();
    provide_context(state);
    let router: Router = Router::start();
    provide_context(router);
    i18n::set_document_lang(state.lang.get_untracked());
    sync::start(state);
    // A language change rebuilds the whole interface: it is rare, and it lets every text be
    // plain data instead of a reactive closure (smaller wasm).
    move || {
        let lang = state.lang.get();
        view! {
            <a class="skip-link" href="#main">{t(lang, "Vai al contenuto", "Skip to content")}</a>
            <header class="app-header">
                <a href="/" class="brand">"Officina"</a>
                <SyncStatus/>
            </header>
            <UpdateBanner/>
            <RoomNotice/>
            <BadgeCelebration/>
            <main id="main" tabindex="-1">{move || screen(router.route.get())}</main>
            <BottomNav/>
        }
    }
}

fn screen(route: Route) -> AnyView {
    match route {
        Route::Home => view! { <HomePage/> }.into_any(),
        Route::Path(id) => view! { <PathPage id/> }.into_any(),
        Route::Activity(id) => view! { <ActivityPage id/> }.into_any(),
        Route::Badges => view! { <BadgesPage/> }.into_any(),
        Route::Profile => lazy_screen(("Profilo", "Profile"), crate::rare::profile()),
        Route::Privacy => lazy_screen(
            ("I tuoi dati in Officina", "Your data in Officina"),
            crate::rare::privacy(),
        ),
        Route::NotFound => view! { <NotFound/> }.into_any(),
    }
}

/// A screen loaded after the first paint: its heading at once, so that the page says where the
/// learner is while the rest arrives (its chunk can take a while on a first visit).
fn lazy_screen(
    (it, en): (&'static str, &'static str),
    rest: impl Future<Output = AnyView> + Send + 'static,
) -> AnyView {
    let lang = expect_context::<AppState>().lang.get_untracked();
    view! {
        <h1>{t(lang, it, en)}</h1>
        {Suspend::new(rest)}
    }
    .into_any()
}
