//! Localised text: Italian is required everywhere, English is optional and falls back to Italian.

use serde::{Deserialize, Serialize};

/// The languages of the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    It,
    En,
}

impl Lang {
    /// One of two texts written in the code, by language.
    pub fn pick<'a>(self, it: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::It => it,
            Self::En => en,
        }
    }
}

/// A text in Italian and, optionally, English. The Italian text is never empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "RawLocalized")]
pub struct Localized {
    pub it: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocalized {
    it: String,
    #[serde(default)]
    en: Option<String>,
}

impl TryFrom<RawLocalized> for Localized {
    type Error = &'static str;

    fn try_from(raw: RawLocalized) -> Result<Self, Self::Error> {
        if raw.it.trim().is_empty() {
            return Err("manca il testo in italiano (`it` è vuoto)");
        }
        Ok(Self {
            it: raw.it,
            en: raw.en,
        })
    }
}

impl Localized {
    pub fn it(text: impl Into<String>) -> Self {
        Self {
            it: text.into(),
            en: None,
        }
    }

    /// The text in `lang`, falling back to Italian when that translation is missing or empty.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) if !en.trim().is_empty() => en,
            _ => &self.it,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_falls_back_to_italian() {
        let only_it = Localized::it("Ciao");
        assert_eq!(only_it.get(Lang::En), "Ciao");
        let blank_en = Localized {
            it: "Ciao".into(),
            en: Some("  ".into()),
        };
        assert_eq!(blank_en.get(Lang::En), "Ciao");
        let both = Localized {
            it: "Ciao".into(),
            en: Some("Hello".into()),
        };
        assert_eq!(both.get(Lang::En), "Hello");
        assert_eq!(both.get(Lang::It), "Ciao");
    }

    #[test]
    fn italian_is_required_and_not_blank() {
        assert!(serde_json::from_str::<Localized>(r#"{"en":"Hello"}"#).is_err());
        let blank = serde_json::from_str::<Localized>(r#"{"it":"  "}"#).unwrap_err();
        assert!(
            blank.to_string().contains("manca il testo in italiano"),
            "{blank}"
        );
        assert!(serde_json::from_str::<Localized>(r#"{"it":"Ciao","fr":"Salut"}"#).is_err());
    }

    #[test]
    fn serialises_as_language_map() {
        let json = serde_json::to_value(Localized::it("Ciao")).unwrap();
        assert_eq!(json, serde_json::json!({"it": "Ciao"}));
    }
}
