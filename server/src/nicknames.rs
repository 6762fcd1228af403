//! Nicknames a classmate cannot be impersonated with (Unicode TR39): normalised to NFKC, with no
//! invisible character, and unique in a cohort by a case-folded confusable skeleton, so that
//! "Аstro" with a Cyrillic А is taken when "Astro" is. The Unicode tables stay on the server: the
//! app's first load does not carry them, and the Italian reason reaches it in the error.

use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory};
use icu_properties::{CodePointMapData, CodePointSetData};
use officina_core::account::{NicknameError, normalize_nickname};
use unicase::UniCase;
use unicode_normalization::UnicodeNormalization;

/// The nickname as stored: NFKC, then core's rule, with no Default_Ignorable_Code_Point nor
/// format character (bidi controls, joiners, Hangul fillers) anywhere.
pub fn normalize(raw: &str) -> Result<String, NicknameError> {
    let nickname = nfkc(raw);
    if nickname.chars().any(invisible) {
        return Err(NicknameError::Invisible);
    }
    normalize_nickname(&nickname)
}

/// `raw`, trimmed, in Unicode normalisation form KC: what a nickname typed again looks up.
pub fn nfkc(raw: &str) -> String {
    raw.trim().nfkc().collect()
}

/// What two nicknames share when they look alike or differ only in case: the TR39 skeleton,
/// case-folded, then its skeleton again. The skeleton comes first because folding loses what an
/// uppercase letter looks like: Cyrillic "Мario" is "Mario", though "м" and "m" differ.
pub fn skeleton(nickname: &str) -> String {
    let first: String = unicode_security::skeleton(nickname).collect();
    let folded = UniCase::new(first).to_folded_case();
    unicode_security::skeleton(&folded).collect()
}

fn invisible(c: char) -> bool {
    CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_spacing_characters_are_refused() {
        for (raw, why) in [
            ("Astro\u{2066}", NicknameError::Invisible),
            ("As\u{200D}tro", NicknameError::Invisible),
            ("\u{3164}\u{3164}", NicknameError::Invisible),
            ("Astro\u{E0041}", NicknameError::Invisible),
            ("As\u{2028}tro", NicknameError::Spacing),
            ("\u{2800}\u{2800}", NicknameError::NoLetterOrDigit),
            ("!!..", NicknameError::NoLetterOrDigit),
        ] {
            assert_eq!(normalize(raw), Err(why), "{raw:?}");
        }
    }

    #[test]
    fn nicknames_are_stored_in_nfkc() {
        assert_eq!(normalize(" Lu\u{0300}cia ").as_deref(), Ok("Lùcia"));
        assert_eq!(normalize("ＡＳＴＲＯ").as_deref(), Ok("ASTRO"));
        assert_eq!(
            normalize("Niccolò De Giorgi").as_deref(),
            Ok("Niccolò De Giorgi")
        );
    }

    #[test]
    fn look_alikes_share_a_skeleton() {
        let astro = skeleton("Astro");
        for look_alike in ["\u{0410}stro", "ASTRO", "astro", "Аѕtrо", "A\u{0455}tr0"] {
            assert_eq!(skeleton(look_alike), astro, "{look_alike}");
        }
        assert_eq!(skeleton("\u{041C}ario"), skeleton("Mario"));
        assert_eq!(skeleton("Il"), skeleton("ll"));
        assert_ne!(skeleton("Astra"), astro);
        assert_ne!(skeleton("Lucia"), skeleton("Lùcia"));
    }
}
