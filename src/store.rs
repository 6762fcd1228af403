//! Browser storage: the cached programme, the journal (log + outbox) and this device's id.
//! The journal is one key, so an action and its outbox entry are written together. On a device
//! shared by several profiles, each profile's journal, session and settings have keys of their own.

use gloo_storage::{LocalStorage, Storage, errors::StorageError};
use officina_core::Bundle;
use officina_core::account::Session;
use officina_core::outbox::Journal;
use uuid::Uuid;

const CONTENT: &str = "officina.content";
const DEVICE: &str = "officina.device";
/// What each profile keeps apart from the others.
pub const PERSONAL: [&str; 4] = ["journal", "session", "xp-and-streaks", "cohort-path"];

/// The key of a profile's own `name` (one of [`PERSONAL`]): the device's as it always was
/// without profiles, `officina.p.<id>.<name>` for the active profile when there are some.
pub fn personal_key(name: &str) -> String {
    match crate::profiles::active_id() {
        Some(id) => format!("officina.p.{id}.{name}"),
        None => format!("officina.{name}"),
    }
}

pub fn load_content() -> Option<Bundle> {
    let bundle = LocalStorage::get(CONTENT).ok();
    crate::marks::mark("officina:content");
    bundle
}

/// Stores the programme's JSON exactly as the server sent it; the error says why it could not.
pub fn save_content(json: &str) -> Result<(), String> {
    write_text(CONTENT, json)
}

/// Where an unreadable journal is moved, so that starting afresh never destroys it.
const UNREADABLE: &str = ".unreadable";

/// The journal; an empty one when none is stored yet. An unreadable one is set aside, not overwritten.
pub fn load_journal() -> Journal {
    let key = personal_key("journal");
    let journal = match LocalStorage::get(&key) {
        Ok(journal) => journal,
        Err(StorageError::KeyNotFound(_)) => Journal::default(),
        Err(_) => {
            set_aside(&key, &format!("{key}{UNREADABLE}"));
            Journal::default()
        }
    };
    crate::marks::mark("officina:journal");
    journal
}

fn set_aside(key: &str, backup: &str) {
    let storage = LocalStorage::raw();
    if let Ok(Some(raw)) = storage.get_item(key) {
        let _ = storage.set_item(backup, &raw);
    }
}

/// The characters an origin may keep in localStorage: 5 MiB in Firefox and Safari, 10 MiB of
/// UTF-16 in Chromium.
pub const CHARACTERS_ALLOWED: f64 = 5.0 * 1024.0 * 1024.0;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = officinaStorageUsed)]
    fn storage_used() -> Result<f64, wasm_bindgen::JsValue>;
}

/// The characters this origin keeps in localStorage (`public/pwa.js`); 0 if it cannot say.
pub fn characters_used() -> f64 {
    storage_used().unwrap_or(0.0)
}

/// A small value's stored JSON text, read and written as text: a `LocalStorage::get` per type
/// compiled a JSON reader per type into the wasm.
pub fn stored_text(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

pub fn store_text(key: &str, json: &str) -> bool {
    write_text(key, json).is_ok()
}

/// Stores `value` under `key`; the error says why it could not (storage full, or none at all).
pub fn write_text(key: &str, value: &str) -> Result<(), String> {
    LocalStorage::raw().set_item(key, value).map_err(|err| {
        err.as_string()
            .unwrap_or_else(|| "spazio esaurito o non disponibile".into())
    })
}

/// Moves the value under `old` to `new`, removing `old` only once the copy is stored: nothing is
/// lost when storage is full.
pub fn move_text(old: &str, new: &str) {
    if let Some(value) = stored_text(old)
        && store_text(new, &value)
    {
        LocalStorage::delete(old);
    }
}

/// This browser's id, made on first use (stored as a JSON string).
pub fn device_id() -> Uuid {
    let stored = stored_text(DEVICE);
    if let Some(id) = stored.and_then(|json| Uuid::parse_str(json.trim_matches('"')).ok()) {
        return id;
    }
    let id = Uuid::new_v4();
    // If storage is unavailable the id lives for this visit only; sync still works.
    store_text(DEVICE, &format!("\"{id}\""));
    id
}

/// The signed-in account and its token, if any.
pub fn load_session() -> Option<Session> {
    LocalStorage::get(personal_key("session")).ok()
}

pub fn save_session(session: Option<&Session>) -> Result<(), StorageError> {
    match session {
        Some(session) => LocalStorage::set(personal_key("session"), session),
        None => {
            LocalStorage::delete(personal_key("session"));
            Ok(())
        }
    }
}

/// Whether points and streaks are on for the learner's cohort (on until the cohort says otherwise).
pub fn load_playful() -> bool {
    stored_text(&personal_key("xp-and-streaks")).as_deref() != Some("false")
}

pub fn save_playful(on: bool) {
    store_text(
        &personal_key("xp-and-streaks"),
        if on { "true" } else { "false" },
    );
}

/// The path the learner's cohort follows, as the server last said (`None` before joining).
/// Stored as plain text: a path id needs no JSON.
pub fn load_cohort_path() -> Option<String> {
    LocalStorage::raw()
        .get_item(&personal_key("cohort-path"))
        .ok()
        .flatten()
}

pub fn save_cohort_path(path_id: Option<&str>) {
    let (storage, key) = (LocalStorage::raw(), personal_key("cohort-path"));
    let _ = match path_id {
        Some(id) => storage.set_item(&key, id),
        None => storage.remove_item(&key),
    };
}
