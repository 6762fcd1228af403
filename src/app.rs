//! The app's frame: shared state, the header, the navigation, and the routes.

use crate::components::celebration::BadgeCelebration;
use crate::components::nav::BottomNav;
use crate::components::sync_status::SyncStatus;
use crate::components::update_banner::UpdateBanner;
use crate::i18n::{self, t};
use crate::pages::{
    activity::ActivityPage, badges::BadgesPage, home::HomePage, not_found::NotFound, path::PathPage,
    profile::ProfilePage,
};
use crate::state::AppState;
use crate::sync;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::from_storage();
    provide_context(state);
    i18n::set_document_lang(state.lang.get_untracked());
    sync::start(state);
    // A language change rebuilds the whole interface: it is rare, and it lets every text be
    // plain data instead of a reactive closure (smaller wasm).
    move || {
        let lang = state.lang.get();
        view! {
            <Router>
                <a class="skip-link" href="#main">{t(lang, "Vai al contenuto", "Skip to content")}</a>
                <header class="app-header">
                    <A href="/" attr:class="brand">"Officina"</A>
                    <SyncStatus/>
                </header>
                <UpdateBanner/>
                <BadgeCelebration/>
                <main id="main" tabindex="-1">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=HomePage/>
                        <Route path=path!("/percorsi/:id") view=PathPage/>
                        <Route path=path!("/attivita/:id") view=ActivityPage/>
                        <Route path=path!("/badge") view=BadgesPage/>
                        <Route path=path!("/profilo") view=ProfilePage/>
                    </Routes>
                </main>
                <BottomNav/>
            </Router>
        }
    }
}
