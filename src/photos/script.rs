//! Loads public/photos.js, once: after the first paint (like the programme, off the first load),
//! or when a photo is needed before that.

use js_sys::{Function, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

thread_local! {
    /// The load under way: photos shown side by side all wait for the same one.
    static LOADING: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Resolves once `officinaPhotos` is there. A load that failed (offline before the service
/// worker had precached the file) is tried again the next time.
pub async fn script() -> Result<(), JsValue> {
    if Reflect::has(&js_sys::global(), &"officinaPhotos".into())? {
        return Ok(());
    }
    let loading = LOADING.with_borrow_mut(|l| l.get_or_insert_with(append).clone());
    let loaded = JsFuture::from(loading).await.map(drop);
    if loaded.is_err() {
        LOADING.set(None);
    }
    loaded
}

fn append() -> Promise {
    Promise::new(&mut |done, fail| {
        if let Err(err) = add_tag(&done, &fail) {
            let _ = fail.call1(&JsValue::NULL, &err);
        }
    })
}

fn add_tag(done: &Function, fail: &Function) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let script: HtmlElement = document.create_element("script")?.unchecked_into();
    script.set_onload(Some(done));
    script.set_onerror(Some(fail));
    script.set_attribute("src", "/photos.js")?;
    document.body().ok_or("no body")?.append_child(&script)?;
    Ok(())
}
