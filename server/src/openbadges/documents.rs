//! The JSON-LD documents of hosted Open Badges 2.0: the Issuer, a BadgeClass, an Assertion (or
//! its revocation) and a recipient's public profile.

use super::Issuer;
use crate::store::assertions::Assertion;
use officina_core::{Badge, Bundle, Criteria, Lang};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const CONTEXT: &str = "https://w3id.org/openbadges/v2";

const ISSUER_NAME: &str = "Social STEAMcamp — Pro Officine Mezzogiorno";

pub const ISSUER_PATH: &str = "/ob/issuer";

pub fn badge_path(badge_id: &str) -> String {
    format!("/ob/badges/{badge_id}")
}

pub fn assertion_path(id: &str) -> String {
    format!("/ob/assertions/{id}")
}

pub fn profile_path(public_id: &str) -> String {
    format!("/ob/learners/{public_id}")
}

pub fn issuer(issuer: &Issuer) -> Value {
    json!({
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer.url(ISSUER_PATH),
        "name": ISSUER_NAME,
        "url": issuer.public_url.to_string(),
        "email": issuer.email,
        // Only assertions hosted here are this issuer's.
        "verification": {"type": "hosted", "startsWith": issuer.url("/ob/assertions/")},
    })
}

pub fn badge_class(issuer: &Issuer, bundle: &Bundle, badge: &Badge) -> Value {
    json!({
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": issuer.url(&badge_path(&badge.id)),
        "name": badge.name.get(Lang::It),
        "description": badge.description.get(Lang::It),
        "image": issuer.url(&badge.image),
        "criteria": {"narrative": criteria_narrative(bundle, &badge.criteria)},
        "issuer": issuer.url(ISSUER_PATH),
    })
}

/// An assertion of a badge for the person whose public profile is at `profile_path`.
pub fn assertion(issuer: &Issuer, assertion: &Assertion, profile_path: &str) -> Value {
    json!({
        "@context": CONTEXT,
        "type": "Assertion",
        "id": issuer.url(&assertion_path(&assertion.id)),
        "recipient": recipient(&issuer.url(profile_path), &assertion.salt),
        "badge": issuer.url(&badge_path(&assertion.badge_id)),
        "verification": {"type": "hosted"},
        "issuedOn": assertion.issued_on,
        "evidence": {"narrative": format!("Ottenuto il {} (ora del dispositivo).", assertion.earned_on)},
    })
}

/// What a revoked assertion's URL answers (Open Badges 2.0: `revoked` with a reason).
pub fn revoked(issuer: &Issuer, id: &str, reason: Option<&str>) -> Value {
    let reason = reason.unwrap_or("Revocato dalla persona che l'aveva ottenuto.");
    json!({
        "@context": CONTEXT,
        "type": "Assertion",
        "id": issuer.url(&assertion_path(id)),
        "revoked": true,
        "revocationReason": reason,
    })
}

/// A recipient's public profile: the nickname only if they chose to show it.
pub fn profile(issuer: &Issuer, public_id: &str, nickname: Option<&str>) -> Value {
    let mut profile =
        json!({"@context": CONTEXT, "type": "Profile", "id": issuer.url(&profile_path(public_id))});
    if let Some(nickname) = nickname {
        profile["name"] = Value::from(nickname);
    }
    profile
}

/// The recipient as a salted SHA-256 of their profile URL (type `url`): never an email, and the
/// assertion alone does not say who it is.
pub fn recipient(profile_url: &str, salt: &str) -> Value {
    let digest = Sha256::digest(format!("{profile_url}{salt}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    json!({"type": "url", "hashed": true, "salt": salt, "identity": format!("sha256${hex}")})
}

/// What earns the badge, in Italian, for people who read the BadgeClass.
fn criteria_narrative(bundle: &Bundle, criteria: &Criteria) -> String {
    let title = |id: &str| {
        bundle
            .activity(id)
            .map_or(id.to_owned(), |a| a.activity.title.get(Lang::It).to_owned())
    };
    match criteria {
        Criteria::ActivitiesCompleted { activities } => {
            let titles: Vec<String> = activities
                .iter()
                .map(|a| format!("«{}»", title(a)))
                .collect();
            format!("Completare le attività {}.", titles.join(", "))
        }
        Criteria::ModuleCompleted { module } => {
            let name = bundle
                .module(module)
                .map_or(module.as_str(), |m| m.title.get(Lang::It));
            format!("Completare tutte le attività del modulo «{name}».")
        }
        Criteria::PathCompleted { path } => {
            let name = bundle
                .path(path)
                .map_or(path.as_str(), |p| p.title.get(Lang::It));
            format!("Completare tutte le attività del percorso «{name}».")
        }
        Criteria::QuizPassed { activity } => format!("Superare il quiz «{}».", title(activity)),
        Criteria::ChallengesApproved { count, .. } => {
            format!("Vedere approvate da un educatore {count} sfide.")
        }
        Criteria::FamilyTasksConfirmed { count, .. } => {
            format!(
                "Completare {count} compiti in famiglia, confermati dal ragazzo e dal genitore."
            )
        }
        Criteria::WeeklyStreak { weeks } => {
            format!("Essere attivi {weeks} settimane di fila (una settimana di pausa è concessa).")
        }
        Criteria::Awarded => "Assegnato da un educatore.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recipient_is_a_salted_hash_of_the_profile_url() {
        let recipient = recipient("http://127.0.0.1:8080/ob/learners/abc", "sale");
        let expected = Sha256::digest(b"http://127.0.0.1:8080/ob/learners/abcsale");
        let hex: String = expected.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            recipient,
            json!({"type": "url", "hashed": true, "salt": "sale", "identity": format!("sha256${hex}")})
        );
    }
}
