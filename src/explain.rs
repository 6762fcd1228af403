//! What the app tells a person about a failed call to the server, in the words of the labels they
//! see ("Codice del gruppo", "Soprannome", "PIN"). The server's own messages are for developers;
//! a code the app does not know falls back to them.

use crate::api::ApiError;
use crate::i18n::{count, t};
use officina_core::Lang;

/// The whole minutes, rounded up, until a person may try again after `seconds` (at least one).
pub fn retry_minutes(seconds: u64) -> u64 {
    seconds.div_ceil(60).max(1)
}

/// The person's words for `err`.
pub fn explain(lang: Lang, err: &ApiError) -> String {
    if let ApiError::Limited { retry_after } = err {
        return match retry_after {
            Some(seconds) => {
                let minutes = count(
                    lang,
                    retry_minutes(*seconds) as usize,
                    ("minuto", "minuti"),
                    ("minute", "minutes"),
                );
                match lang {
                    Lang::It => format!("Troppi tentativi: riprova tra {minutes}."),
                    Lang::En => format!("Too many attempts: try again in {minutes}."),
                }
            }
            None => t(
                lang,
                "Troppi tentativi: riprova più tardi.",
                "Too many attempts: try again later.",
            )
            .to_owned(),
        };
    }
    let known = match err.code() {
        None => t(
            lang,
            "Il server non è raggiungibile: serve la connessione. Riprova quando sei in linea.",
            "The server cannot be reached: you need a connection. Try again when you are online.",
        ),
        Some("bad_credentials") => t(
            lang,
            "Codice del gruppo, soprannome o PIN sbagliati.",
            "Wrong group code, nickname or PIN.",
        ),
        Some("unknown_code") => t(
            lang,
            "Questo codice non esiste: controlla di averlo scritto bene.",
            "This code does not exist: check you typed it right.",
        ),
        Some("join_closed") => t(
            lang,
            "Questo gruppo non accetta nuove iscrizioni: chiedi all'educatore un codice nuovo.",
            "This group takes no new members: ask your educator for a new code.",
        ),
        // The server says which rule the nickname breaks, or that it looks like a classmate's.
        Some("nickname_taken" | "invalid_nickname") if lang == Lang::It => return err.to_string(),
        Some("nickname_taken") => {
            "This nickname, or one that looks like it, is already used in the group: pick another one."
        }
        Some("invalid_nickname") => {
            "The nickname needs 2 to 24 characters, a letter or digit, plain spaces, nothing invisible."
        }
        Some("invalid_secret") => t(
            lang,
            "Il PIN deve avere almeno 6 caratteri, cifre o lettere.",
            "The PIN must have at least 6 characters, digits or letters.",
        ),
        Some("role_not_allowed") => t(
            lang,
            "Questo gruppo è per ragazzi e ragazze: i genitori si iscrivono con il codice di un gruppo famiglie.",
            "This group is for young people: parents join with a family group's code.",
        ),
        Some("account_disabled") => t(
            lang,
            "Questo profilo è disattivato: l'educatore ti aiuta a rientrare.",
            "This profile is disabled: your educator helps you back in.",
        ),
        Some("code_used") => t(
            lang,
            "Questo codice famiglia è già stato usato: chiedine uno nuovo.",
            "This family code has been used already: ask for a new one.",
        ),
        Some("code_expired") => t(
            lang,
            "Questo codice famiglia è scaduto (vale 24 ore): chiedine uno nuovo.",
            "This family code has expired (it lasts 24 hours): ask for a new one.",
        ),
        Some("wrong_role") => t(
            lang,
            "Il codice va scritto dall'altra persona: un genitore collega un ragazzo o una ragazza, e viceversa.",
            "The other person types the code: a parent links a young person, and the other way round.",
        ),
        Some("already_linked") => t(lang, "Siete già collegati.", "You are already linked."),
        Some("busy") => t(
            lang,
            "Officina è molto occupata: riprova tra qualche secondo.",
            "Officina is busy: try again in a few seconds.",
        ),
        Some("image_too_large") => t(
            lang,
            "La foto è troppo grande (al massimo 40 megapixel): riducila e riprova.",
            "The photo is too large (40 megapixels at most): shrink it and try again.",
        ),
        Some(_) => return err.to_string(),
    };
    known.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_said_in_whole_minutes_rounded_up() {
        assert_eq!(retry_minutes(0), 1);
        assert_eq!(retry_minutes(1), 1);
        assert_eq!(retry_minutes(60), 1);
        assert_eq!(retry_minutes(61), 2);
        assert_eq!(retry_minutes(900), 15);
    }

    #[test]
    fn a_limit_says_how_long_and_errors_use_the_labels_words() {
        let limited = |secs| ApiError::Limited {
            retry_after: Some(secs),
        };
        assert_eq!(
            explain(Lang::It, &limited(895)),
            "Troppi tentativi: riprova tra 15 minuti."
        );
        assert_eq!(
            explain(Lang::It, &limited(30)),
            "Troppi tentativi: riprova tra 1 minuto."
        );
        assert_eq!(
            explain(Lang::En, &limited(120)),
            "Too many attempts: try again in 2 minutes."
        );
        let server = |code: &str| ApiError::Server {
            status: 400,
            code: code.into(),
            message: "Messaggio del server.".into(),
        };
        assert_eq!(
            explain(Lang::It, &server("bad_credentials")),
            "Codice del gruppo, soprannome o PIN sbagliati."
        );
        assert_eq!(
            explain(Lang::It, &server("invalid_nickname")),
            "Messaggio del server.",
            "the server says which rule the nickname breaks"
        );
        assert!(explain(Lang::En, &server("invalid_nickname")).starts_with("The nickname needs"));
        assert_eq!(
            explain(Lang::It, &server("something_new")),
            "Messaggio del server.",
            "an unknown code keeps the server's message"
        );
    }
}
