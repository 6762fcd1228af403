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
    let Some(manager) = storage_manager() else { return false };
    let Ok(promise) = manager.persist() else { return false };
    JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

pub async fn storage_info() -> Option<StorageInfo> {
    let manager = storage_manager()?;
    // A dictionary, not a class: there is nothing to check the cast against.
    let estimate: web_sys::StorageEstimate = JsFuture::from(manager.estimate().ok()?).await.ok()?.unchecked_into();
    let persisted = JsFuture::from(manager.persisted().ok()?).await.ok()?.as_bool().unwrap_or(false);
    Some(StorageInfo { usage: estimate.get_usage().unwrap_or(0.0), quota: estimate.get_quota().unwrap_or(0.0), persisted })
}

/// Bytes as people read them: "1,2 MB".
pub fn human_size(bytes: f64) -> String {
    let (value, unit) = if bytes >= 1e9 {
        (bytes / 1e9, "GB")
    } else if bytes >= 1e6 {
        (bytes / 1e6, "MB")
    } else {
        (bytes / 1e3, "KB")
    };
    format!("{value:.1} {unit}").replace('.', ",")
}
