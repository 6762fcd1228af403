//! What an educator states when creating a cohort, and the rules it must meet: the same for the
//! API and the command line.

use crate::store::cohorts::Details;
use officina_core::staff::CohortRequest;
use officina_core::{Audience, Bundle, Path};
use std::ops::RangeInclusive;
use time::Date;
use time::macros::format_description;

pub const NAME_CHARS: RangeInclusive<usize> = 2..=80;
pub const AUDIENCE_CHARS: RangeInclusive<usize> = 2..=120;
/// The start-ups an IN-Community cohort can follow: the programme plans 3 a path.
pub const STARTUPS: RangeInclusive<i64> = 0..=50;

/// Why a cohort's details are refused; each message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CohortError {
    #[error("Il nome del gruppo deve avere da 2 a 80 caratteri, senza caratteri di controllo.")]
    Name,
    #[error(
        "La descrizione dei partecipanti deve avere da {} a {} caratteri, senza caratteri di controllo (per esempio «2ª B, scuola media Galateo»).",
        AUDIENCE_CHARS.start(),
        AUDIENCE_CHARS.end()
    )]
    Audience,
    #[error("La data «{0}» non è valida: scrivila come AAAA-MM-GG, per esempio 2026-03-02.")]
    Date(String),
    #[error("La data di fine viene prima della data di inizio.")]
    EndsBeforeStart,
    #[error("Il percorso «{0}» non esiste nei contenuti.")]
    UnknownPath(String),
    #[error("Il numero di start-up va da {} a {}.", STARTUPS.start(), STARTUPS.end())]
    Startups,
    #[error("Il numero di start-up si indica solo per un percorso dedicato alle start-up.")]
    StartupsNotAllowed,
}

/// The details of `POST /api/cohorts`, checked.
pub fn check(request: CohortRequest, bundle: &Bundle) -> Result<Details, CohortError> {
    let name = check_name(&request.name)?;
    let path = known_path(bundle, &request.path_id)?;
    let audience = trimmed_text(&request.audience, AUDIENCE_CHARS).ok_or(CohortError::Audience)?;
    if date(&request.ends_on)? < date(&request.starts_on)? {
        return Err(CohortError::EndsBeforeStart);
    }
    let startups = match request.startups {
        Some(_) if path.audience != Audience::Startups => {
            return Err(CohortError::StartupsNotAllowed);
        }
        Some(count) if !STARTUPS.contains(&count) => return Err(CohortError::Startups),
        startups => startups,
    };
    Ok(Details {
        name,
        path_id: request.path_id,
        audience,
        starts_on: Some(request.starts_on),
        ends_on: Some(request.ends_on),
        startups,
    })
}

/// The command line states only a name and a path; the rest stays empty.
pub fn from_command_line(
    name: &str,
    path_id: &str,
    bundle: &Bundle,
) -> Result<Details, CohortError> {
    let name = check_name(name)?;
    known_path(bundle, path_id)?;
    Ok(Details {
        name,
        path_id: path_id.to_owned(),
        audience: String::new(),
        starts_on: None,
        ends_on: None,
        startups: None,
    })
}

fn check_name(raw: &str) -> Result<String, CohortError> {
    trimmed_text(raw, NAME_CHARS).ok_or(CohortError::Name)
}

fn known_path<'a>(bundle: &'a Bundle, id: &str) -> Result<&'a Path, CohortError> {
    bundle
        .path(id)
        .ok_or_else(|| CohortError::UnknownPath(id.to_owned()))
}

/// `raw` trimmed, if its length is in `chars` and it has no control characters.
fn trimmed_text(raw: &str, chars: RangeInclusive<usize>) -> Option<String> {
    let text = raw.trim();
    let ok = chars.contains(&text.chars().count()) && !text.chars().any(char::is_control);
    ok.then(|| text.to_owned())
}

fn date(text: &str) -> Result<Date, CohortError> {
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .map_err(|_| CohortError::Date(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(check_name("  Lab 2026 "), Ok("Lab 2026".to_owned()));
        assert_eq!(check_name("L"), Err(CohortError::Name));
        assert_eq!(check_name(&"x".repeat(81)), Err(CohortError::Name));
        assert!(check_name(&"è".repeat(80)).is_ok(), "characters, not bytes");
        assert_eq!(check_name("La\u{7}b"), Err(CohortError::Name));
    }

    #[test]
    fn dates_are_calendar_days_written_in_full() {
        assert!(date("2026-02-28").is_ok());
        for bad in [
            "2026-02-30",
            "2026-2-3",
            "26-02-03",
            "2026/02/03",
            " 2026-02-03",
            "",
        ] {
            assert_eq!(date(bad), Err(CohortError::Date(bad.to_owned())), "{bad:?}");
        }
    }
}
