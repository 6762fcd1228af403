//! The app's own texts in Italian (the default) and English. Each text stands where it is used,
//! in both languages, so a missing translation is a compile error rather than a blank.

use gloo_storage::{LocalStorage, Storage};
use officina_core::Lang;

const LANG_KEY: &str = "officina.lang";

/// Picks the text for `lang`.
pub fn t(lang: Lang, it: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::It => it,
        Lang::En => en,
    }
}

/// The language chosen on this device; Italian until someone picks English.
pub fn stored_lang() -> Lang {
    LocalStorage::get(LANG_KEY).unwrap_or_default()
}

pub fn store_lang(lang: Lang) {
    if LocalStorage::set(LANG_KEY, lang).is_err() {
        leptos::logging::warn!("cannot remember the language");
    }
}

/// The language's code, as HTML and the API's `?lang=` name it.
pub fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::It => "it",
        Lang::En => "en",
    }
}

/// Tells the browser (and screen readers) which language the page is in.
pub fn set_document_lang(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", code(lang));
    }
}
