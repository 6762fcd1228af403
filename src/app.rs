//! The app's frame: shared state, the header, and the routes.

use crate::components::sync_status::SyncStatus;
use crate::pages::{activity::ActivityPage, home::HomePage, not_found::NotFound, path::PathPage};
use crate::state::AppState;
use crate::sync;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::from_storage();
    provide_context(state);
    sync::start(state);
    view! {
        <Router>
            <a class="skip-link" href="#main">"Vai al contenuto"</a>
            <header class="app-header">
                <A href="/" attr:class="brand">"Officina"</A>
                <SyncStatus/>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/percorsi/:id") view=PathPage/>
                    <Route path=path!("/attivita/:id") view=ActivityPage/>
                </Routes>
            </main>
        </Router>
    }
}
