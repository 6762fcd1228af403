//! Several people on one device (the family tablet): each has a profile with a name, an avatar
//! and a PIN, and their own journal, account and settings in browser storage. Switching asks for
//! the PIN and reloads the app, so nothing of one profile stays on screen for the next.

use crate::answers::{list, text};
use crate::store;
use gloo_storage::{LocalStorage, Storage};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen_futures::JsFuture;

const PROFILES: &str = "officina.profiles";
/// The avatars to choose from: pictures, not photos.
pub const AVATARS: [&str; 6] = ["🚀", "🌙", "🔭", "🤖", "🌱", "🧪"];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub avatar: String,
    salt: String,
    pin_hash: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Profiles {
    pub active: Option<String>,
    pub list: Vec<Profile>,
}

pub fn load() -> Profiles {
    LocalStorage::get::<Value>(PROFILES)
        .ok()
        .and_then(|stored| read(&stored))
        .unwrap_or_default()
}

/// Read by hand (see `crate::answers`); `None` if not what `save` stores.
fn read(stored: &Value) -> Option<Profiles> {
    let profile = |p: &Value| {
        Some(Profile {
            id: text(p, "id")?,
            name: text(p, "name")?,
            avatar: text(p, "avatar")?,
            salt: text(p, "salt")?,
            pin_hash: text(p, "pin_hash")?,
        })
    };
    Some(Profiles {
        active: text(stored, "active"),
        list: list(stored, "list", profile)?,
    })
}

fn save(profiles: &Profiles) {
    if LocalStorage::set(PROFILES, profiles).is_err() {
        leptos::logging::error!("cannot store the profiles");
    }
}

/// The active profile's id; `None` on a device nobody has made profiles on.
pub fn active_id() -> Option<String> {
    load().active
}

/// SHA-256 of salt and PIN, in hex, by the browser's own crypto. A PIN only keeps family members
/// out of each other's profile on a shared tablet; the account's secret protects the server side.
async fn hash_pin(salt: &str, pin: &str) -> Option<String> {
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let bytes = format!("{salt}:{pin}").into_bytes();
    let digest = JsFuture::from(
        subtle
            .digest_with_str_and_u8_array("SHA-256", &bytes)
            .ok()?,
    )
    .await
    .ok()?;
    let digest = js_sys::Uint8Array::new(&digest).to_vec();
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Adds a profile. The first one made on a device takes the data already there: it is the person
/// who has been using it.
pub async fn add(name: &str, avatar: &str, pin: &str) -> Option<Profile> {
    let salt = uuid::Uuid::new_v4().to_string();
    let profile = Profile {
        id: uuid::Uuid::new_v4().simple().to_string(),
        name: name.trim().to_owned(),
        avatar: avatar.to_owned(),
        pin_hash: hash_pin(&salt, pin).await?,
        salt,
    };
    let mut profiles = load();
    if profiles.list.is_empty() {
        adopt_device_data(&profile.id);
        profiles.active = Some(profile.id.clone());
    }
    profiles.list.push(profile.clone());
    save(&profiles);
    Some(profile)
}

/// Moves the data of a device without profiles under the first profile's keys.
fn adopt_device_data(id: &str) {
    for name in store::PERSONAL {
        store::move_text(
            &format!("officina.{name}"),
            &format!("officina.p.{id}.{name}"),
        );
    }
    crate::stored_journal::adopt("officina.journal", &format!("officina.p.{id}.journal"));
}

/// Switches to profile `id` if `pin` is its PIN, and reloads the app; `false` for a wrong PIN.
pub async fn switch_to(id: &str, pin: &str) -> bool {
    let mut profiles = load();
    let Some(profile) = profiles.list.iter().find(|p| p.id == id) else {
        return false;
    };
    if hash_pin(&profile.salt, pin).await.as_deref() != Some(profile.pin_hash.as_str()) {
        return false;
    }
    profiles.active = Some(id.to_owned());
    save(&profiles);
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
    true
}
