//! The images of the learner's own paths, kept for offline use: once the programme is on the
//! device, `public/pwa.js` fetches them in the background into the service worker's image cache,
//! within [`BUDGET`] bytes (other images are cached as they are seen).

use crate::state::{AppState, ContentState};
use leptos::prelude::*;
use officina_core::account::Role;
use officina_core::placement::{image_sources, paths_kept_offline};
use wasm_bindgen::prelude::*;

/// How many bytes of images the device keeps ahead of need (the seven lessons' images, covers
/// and badges of the whole programme are about 150 KB).
pub const BUDGET: u32 = 2_000_000;

#[wasm_bindgen(js_namespace = officinaImages)]
extern "C" {
    #[wasm_bindgen(catch, js_name = keep)]
    fn keep_js(sources: &str, budget: u32) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = stored)]
    async fn stored_js() -> Result<JsValue, JsValue>;
}

/// Starts keeping the images of the learner's own paths (a parent's: the family paths; before
/// joining: the paths started). Returns at once; a run already under way is left to finish.
pub fn keep(state: AppState) {
    let parent = state
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Parent));
    // Outside any reactive scope (the sync loop): nothing here subscribes.
    let sources = state.content.with_untracked(|content| match content {
        ContentState::Ready(bundle) => state.progress.with_untracked(|progress| {
            let paths = paths_kept_offline(bundle, state.own_path(bundle), parent, progress);
            image_sources(bundle, &paths)
        }),
        _ => String::new(),
    });
    if !sources.is_empty()
        && let Err(err) = keep_js(&sources, BUDGET)
    {
        leptos::logging::warn!("images not kept for offline use: {err:?}");
    }
}

/// How many images the device holds for offline use, and their bytes.
pub async fn stored() -> Option<(u32, f64)> {
    let found: js_sys::Array = stored_js().await.ok()?.dyn_into().ok()?;
    Some((found.get(0).as_f64()? as u32, found.get(1).as_f64()?))
}
