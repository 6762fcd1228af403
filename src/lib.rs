//! Officina's app: a Leptos client-side app compiled to WebAssembly. It keeps the programme and
//! the learner's events in browser storage, so it works offline, and syncs with the server.

pub mod api;
mod app;
mod components;
pub mod educator;
mod fetch;
mod files;
pub mod i18n;
mod pages;
pub mod photos;
pub mod profiles;
pub mod pwa;
mod review;
mod routes;
pub mod state;
pub mod store;
pub mod sync;

/// Mounts the app on the page.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
