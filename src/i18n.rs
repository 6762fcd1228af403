//! The app's own texts in Italian (the default) and English. Each text stands where it is used,
//! in both languages, so a missing translation is a compile error rather than a blank.

use officina_core::Lang;

const LANG_KEY: &str = "officina.lang";

/// Picks the text for `lang`.
pub fn t(lang: Lang, it: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::It => it,
        Lang::En => en,
    }
}

/// A count with its noun in the right number: "1 attività", "3 ragazzi", "0 actions".
/// `it` and `en` are each (singular, plural).
pub fn count(lang: Lang, n: usize, it: (&str, &str), en: (&str, &str)) -> String {
    format!("{n} {}", noun(lang, n, it, en))
}

/// The noun alone, singular for exactly one and plural otherwise (zero is plural in both
/// languages: "0 azioni", "0 actions").
pub fn noun<'a>(lang: Lang, n: usize, it: (&'a str, &'a str), en: (&'a str, &'a str)) -> &'a str {
    let (one, many) = match lang {
        Lang::It => it,
        Lang::En => en,
    };
    if n == 1 { one } else { many }
}

/// The language chosen on this device; Italian until someone picks English.
pub fn stored_lang() -> Lang {
    match crate::store::stored_text(LANG_KEY).as_deref() {
        Some("\"en\"") => Lang::En,
        _ => Lang::It,
    }
}

/// Stored as its JSON string, as it always was.
pub fn store_lang(lang: Lang) {
    if !crate::store::store_text(LANG_KEY, &format!("\"{}\"", code(lang))) {
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
        // Setting it, even to the same value, makes the browser restyle the whole page.
        if root.get_attribute("lang").as_deref() != Some(code(lang)) {
            let _ = root.set_attribute("lang", code(lang));
        }
    }
}

/// A number as typed on an Italian keyboard (see `officina_core::quiz::number_text`), read by the
/// browser (`+text`): malformed text (`1.2.3`, `-`) is NaN there, and refused.
pub fn typed_number(text: &str) -> Option<f64> {
    let plain = officina_core::quiz::number_text(text)?;
    let number = wasm_bindgen::JsValue::from_str(&plain).unchecked_into_f64();
    number.is_finite().then_some(number)
}

#[cfg(test)]
mod tests {
    use super::{count, noun};
    use officina_core::Lang;

    const KIDS_IT: (&str, &str) = ("ragazzo", "ragazzi");
    const KIDS_EN: (&str, &str) = ("young person", "young people");

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(Lang::It, 1, KIDS_IT, KIDS_EN), "1 ragazzo");
        assert_eq!(count(Lang::It, 0, KIDS_IT, KIDS_EN), "0 ragazzi");
        assert_eq!(count(Lang::It, 2, KIDS_IT, KIDS_EN), "2 ragazzi");
        assert_eq!(count(Lang::En, 1, KIDS_IT, KIDS_EN), "1 young person");
        assert_eq!(count(Lang::En, 0, KIDS_IT, KIDS_EN), "0 young people");
        assert_eq!(count(Lang::En, 21, KIDS_IT, KIDS_EN), "21 young people");
    }

    #[test]
    fn the_noun_alone_follows_the_same_rule() {
        let more_it = ("altra attività", "altre attività");
        let more_en = ("more activity", "more activities");
        assert_eq!(noun(Lang::It, 1, more_it, more_en), "altra attività");
        assert_eq!(noun(Lang::It, 3, more_it, more_en), "altre attività");
        assert_eq!(noun(Lang::En, 1, more_it, more_en), "more activity");
        assert_eq!(noun(Lang::En, 3, more_it, more_en), "more activities");
    }
}
