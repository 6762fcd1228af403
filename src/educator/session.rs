//! The staff member's session in this browser, under a key of its own: a learner's session on
//! the same device (`officina.session`) is left alone.

use gloo_storage::{LocalStorage, Storage};
use officina_core::account::Session;

const SESSION: &str = "officina.educator.session";

pub fn load() -> Option<Session> {
    LocalStorage::get(SESSION).ok()
}

pub fn save(session: Option<&Session>) {
    let stored = match session {
        Some(session) => LocalStorage::set(SESSION, session),
        None => {
            LocalStorage::delete(SESSION);
            Ok(())
        }
    };
    if let Err(err) = stored {
        leptos::logging::warn!("cannot keep the session: {err}");
    }
}
