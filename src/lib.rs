//! Officina's app: a Leptos client-side app compiled to WebAssembly. It keeps the programme and
//! the learner's events in browser storage, so it works offline, and syncs with the server.

mod answers;
pub mod api;
mod app;
mod components;
pub mod educator;
mod explain;
mod fetch;
mod files;
pub mod i18n;
mod marks;
mod offline_images;
pub mod one_at_a_time;
mod pages;
pub mod photos;
pub mod profiles;
pub mod pwa;
mod rare;
mod review;
mod routes;
pub mod state;
pub mod store;
pub mod stored_journal;
pub mod sync;

/// Mounts the app on the page. Without `console_error_panic_hook` (the educator page keeps it): a
/// panic's message in the console is a developer's aid, and its 0.7 KB of formatting code does not
/// fit the learner's first-load budget; the panic still stops the app with an error in the console.
pub fn start() {
    marks::mark("officina:start");
    leptos::mount::mount_to_body(app::App);
}
