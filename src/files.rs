//! Files the app hands to the person: a blob saved under a name, as a link with `download` would.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// Saves `blob` as a file called `name`.
pub fn save(blob: &web_sys::Blob, name: &str) -> Option<()> {
    let url = web_sys::Url::create_object_url_with_blob(blob).ok()?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url).ok()
}
