//! What makes the app an installed, offline app: persistent storage and its use.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How much browser storage the app uses, and whether the browser promised to keep it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StorageInfo {
    pub usage: f64,
    pub quota: f64,
    pub persisted: bool,
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    Some(web_sys::window()?.navigator().storage())
}

/// Asks the browser not to evict the app's data under storage pressure (learners' unsynced work).
pub async fn request_persistence() -> bool {
    let Some(manager) = storage_manager() else {
        return false;
    };
    let Ok(promise) = manager.persist() else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

pub async fn storage_info() -> Option<StorageInfo> {
    let manager = storage_manager()?;
    // A dictionary, not a class: there is nothing to check the cast against.
    let estimate: web_sys::StorageEstimate = JsFuture::from(manager.estimate().ok()?)
        .await
        .ok()?
        .unchecked_into();
    let persisted = JsFuture::from(manager.persisted().ok()?)
        .await
        .ok()?
        .as_bool()
        .unwrap_or(false);
    Some(StorageInfo {
        usage: estimate.get_usage().unwrap_or(0.0),
        quota: estimate.get_quota().unwrap_or(0.0),
        persisted,
    })
}

/// Bytes as people read them: "1,2 MB". Integer arithmetic only: float formatting alone would
/// add about 15 KB to the app.
pub fn human_size(bytes: f64) -> String {
    let bytes = bytes.max(0.0) as u64;
    let (unit, name) = match bytes {
        1_000_000_000.. => (1_000_000_000, "GB"),
        1_000_000.. => (1_000_000, "MB"),
        _ => (1_000, "KB"),
    };
    let tenths = (bytes * 10 + unit / 2) / unit;
    format!("{},{} {name}", tenths / 10, tenths % 10)
}
