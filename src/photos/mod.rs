//! Photos as evidence of a challenge: shrunk and stripped of metadata on the device, kept in
//! IndexedDB with the submission, uploaded in chunks by the sync loop ([`upload`]).
//!
//! The browser work (canvas, `createImageBitmap`, IndexedDB, the chunked upload) is
//! `public/photos.js`, 2.2 KB brotli: through web-sys each of those calls would be a binding plus
//! closures for the IndexedDB callbacks in the wasm, which is on the first load, and the upload's
//! async loop alone was 3 KB of it. The first load was measured above its 250 KB budget with
//! either, so the file is not on it either: [`script`] loads it the first time a photo is needed
//! (the service worker precaches it, so that works offline too).

mod script;

use crate::api::ApiError;
use crate::fetch::NetworkError;
use officina_core::outbox::Journal;
use officina_core::payload::Payload;
use officina_core::{Event, EventKind};
use wasm_bindgen::prelude::*;
use web_sys::Blob;

pub use script::script;

/// The most photos one submission carries.
pub const MAX_PHOTOS: usize = 3;

#[wasm_bindgen(js_namespace = officinaPhotos)]
extern "C" {
    #[wasm_bindgen(catch, js_name = shrink)]
    async fn shrink_js(file: &Blob) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = pick)]
    async fn pick_js(file: &Blob) -> Result<JsValue, JsValue>;
    /// Lets go of a picked photo or of a URL made with [`object_url`].
    #[wasm_bindgen(catch, js_name = forget)]
    fn forget_js(url: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = keep)]
    async fn keep_js(id: &str, url: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = getPhoto)]
    async fn get_photo(id: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = upload)]
    async fn upload_js(
        token: &str,
        ids: Vec<String>,
        progress: &Closure<dyn FnMut(String, f64, f64, bool)>,
    ) -> Result<JsValue, JsValue>;
}

/// Where a photo is on its way to the server, as the challenge page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upload {
    /// On the phone only.
    Saved,
    /// Part of it reached the server: the percentage.
    Sending(u8),
    Sent,
}

impl Upload {
    pub fn of(received: u64, total: u64, done: bool) -> Self {
        match (done, received) {
            (true, _) => Self::Sent,
            (false, 0) => Self::Saved,
            (false, received) => Self::Sending((received * 100 / total.max(1)).min(99) as u8),
        }
    }
}

/// A photo this device holds.
pub struct Saved {
    pub blob: Blob,
    pub received: u64,
    pub done: bool,
}

impl Saved {
    pub fn upload(&self) -> Upload {
        Upload::of(self.received, self.blob.size() as u64, self.done)
    }
}

/// A picture the camera or the gallery gave, as a JPEG of at most 1280 px a side and under
/// 300 KB, with no metadata left (no GPS position, no camera, no time).
pub async fn shrink(file: &Blob) -> Result<Blob, JsValue> {
    script().await?;
    shrink_js(file).await?.dyn_into()
}

/// Shrinks a photo for the form being filled in: the object URL it is shown from and kept by.
pub async fn pick(file: &Blob) -> Result<String, JsValue> {
    script().await?;
    pick_js(file).await?.as_string().ok_or(JsValue::NULL)
}

/// Keeps a picked photo under its id until it is uploaded.
pub async fn keep(id: &str, url: &str) -> Result<(), JsValue> {
    script().await?;
    keep_js(id, url).await.map(drop)
}

/// The photo, when this device holds it (and its storage can be read).
pub async fn saved(id: &str) -> Option<Saved> {
    script().await.ok()?;
    let record = get_photo(id).await.ok()?;
    let field = |name: &str| js_sys::Reflect::get(&record, &name.into()).ok();
    Some(Saved {
        blob: field("blob")?.dyn_into().ok()?,
        received: field("received")?.as_f64()? as u64,
        done: field("done")?.as_bool()?,
    })
}

/// Uploads the photos `ids` this device still holds unsent, resuming each from what the server
/// holds, and tells `progress` where each one is. Only a lost connection or a refused token stop
/// the round; a photo the server refuses is reported and the others still go.
pub async fn upload(
    token: &str,
    ids: Vec<String>,
    mut progress: impl FnMut(&str, Upload) + 'static,
) -> Result<(), ApiError> {
    if ids.is_empty() {
        return Ok(());
    }
    script().await.map_err(NetworkError::from)?;
    let progress = Closure::new(move |id: String, received: f64, total: f64, done| {
        progress(&id, Upload::of(received as u64, total as u64, done));
    });
    upload_js(token, ids, &progress)
        .await
        .map(drop)
        .map_err(upload_error)
}

/// What photos.js threw: `{status, code, message}` from the server, or `{network, message}`.
fn upload_error(err: JsValue) -> ApiError {
    let field = |name: &str| js_sys::Reflect::get(&err, &name.into()).ok();
    let text = |name: &str| field(name).and_then(|v| v.as_string()).unwrap_or_default();
    match field("status").and_then(|s| s.as_f64()) {
        Some(status) => ApiError::Server {
            status: status as u16,
            code: text("code"),
            message: text("message"),
        },
        None => NetworkError::from(JsValue::from(text("message"))).into(),
    }
}

/// The photos of submissions the server accepted: before that it would not know whose they are.
pub fn acknowledged_photos(journal: &Journal) -> Vec<String> {
    let mut ids = Vec::new();
    for event in journal.log.iter() {
        let acknowledged =
            !journal.outbox.contains(&event.id) && !journal.rejected.contains_key(&event.id);
        if event.kind == EventKind::ChallengeSubmitted && acknowledged {
            ids.extend(photo_ids(event));
        }
    }
    ids
}

/// The photos a challenge submission lists (ids the device made).
pub fn photo_ids(event: &Event) -> Vec<String> {
    match event.payload() {
        Some(Payload::Submission(submission)) => submission.photos,
        _ => Vec::new(),
    }
}

pub fn forget(url: &str) {
    let _ = forget_js(url);
}

/// A URL the page can show the photo from; give it back with [`forget`].
pub fn object_url(blob: &Blob) -> String {
    web_sys::Url::create_object_url_with_blob(blob).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_submission_lists_its_photos_and_nothing_else() {
        let (a, b) = (Uuid::new_v4().to_string(), Uuid::new_v4().to_string());
        let with = |data| {
            Event::with_data(
                Uuid::new_v4(),
                EventKind::ChallengeSubmitted,
                Some("sfida"),
                "2026-11-25T10:00:00Z".into(),
                data,
            )
        };
        let event = with(serde_json::json!({"text": "fatto", "photos": [a, b]}));
        assert_eq!(photo_ids(&event), vec![a.clone(), b.clone()]);
        assert!(photo_ids(&with(serde_json::json!({"text": "fatto"}))).is_empty());
        let forged = with(serde_json::json!({"text": "fatto", "photos": [a, 7, b]}));
        assert!(
            photo_ids(&forged).is_empty(),
            "not a submission the rules read"
        );
    }

    #[test]
    fn only_photos_of_submissions_the_server_accepted_are_uploaded() {
        use officina_core::sync::{PushResult, PushStatus};
        let submission = |photo: u128| {
            let submission = Payload::Submission(officina_core::payload::Submission {
                text: "fatto".into(),
                photos: vec![Uuid::from_u128(photo).to_string()],
            });
            let at = "2026-11-25T10:00:00Z".into();
            Event::new(Uuid::new_v4(), Some("sfida"), at, &submission)
        };
        let [accepted, rejected, waiting] = [1, 2, 3].map(submission);
        let mut journal = Journal::default();
        for event in [&accepted, &rejected, &waiting] {
            journal.record(event.clone());
        }
        let result = |event: &Event, status| PushResult {
            id: event.id,
            status,
            error: None,
        };
        journal.apply(&[
            result(&accepted, PushStatus::Accepted),
            result(&rejected, PushStatus::Rejected),
        ]);
        assert_eq!(
            acknowledged_photos(&journal),
            [Uuid::from_u128(1).to_string()]
        );
    }

    #[test]
    fn the_upload_state_follows_what_the_server_holds() {
        assert_eq!(Upload::of(0, 1000, false), Upload::Saved);
        assert_eq!(Upload::of(250, 1000, false), Upload::Sending(25));
        assert_eq!(Upload::of(1000, 1000, false), Upload::Sending(99));
        assert_eq!(Upload::of(0, 1000, true), Upload::Sent);
    }
}
