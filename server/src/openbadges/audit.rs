//! `audit badges`: the assertions already issued whose evidence the programme's rules no longer
//! accept (issued before the rules checked every event), and withdrawing them. An assertion is
//! judged by its own evidence, the events it names, whoever wrote them (a relative's
//! confirmation stays evidence after an unlink); not by what its owner has earned since, nor by
//! the cohort's settings.

use crate::store::backend::Db;
use crate::store::{assertions, events};
use officina_core::Criteria;
use officina_core::rules::judge;
use officina_core::streaks::in_time;
use officina_core::{Bundle, Event};
use uuid::Uuid;

/// What the public URL of an assertion withdrawn by the audit says.
pub const REASON: &str =
    "Revocato: le prove non soddisfano le regole del programma (verifica degli eventi).";

/// An assertion whose evidence the rules refuse, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub assertion_id: String,
    pub user_id: String,
    pub badge_id: String,
    pub why: String,
}

/// Every assertion not revoked with evidence the rules refuse today; with `revoke`, each is
/// withdrawn.
pub async fn badges(db: &Db, bundle: &Bundle, revoke: bool) -> Result<Vec<Finding>, sqlx::Error> {
    let mut findings = Vec::new();
    for user_id in assertions::holders(db).await? {
        for assertion in assertions::of_user(db, &user_id).await? {
            if assertion.revoked_on.is_some() {
                continue;
            }
            let ids: Vec<Uuid> = serde_json::from_str(&assertion.events).unwrap_or_default();
            let evidence = events::by_ids(db, &ids).await?;
            let badge = bundle.badges.iter().find(|b| b.id == assertion.badge_id);
            let Some(why) = refused(&ids, &evidence, bundle, badge.map(|b| &b.criteria)) else {
                continue;
            };
            if revoke {
                assertions::revoke(db, &assertion.id, Some(REASON)).await?;
            }
            findings.push(Finding {
                assertion_id: assertion.id,
                user_id: user_id.clone(),
                badge_id: assertion.badge_id,
                why,
            });
        }
    }
    Ok(findings)
}

/// Why the evidence does not hold, if it does not: each event missing or refused by the rules
/// (with its reason code; `late` for a streak's week that reached the server too late).
fn refused(
    ids: &[Uuid],
    evidence: &[Event],
    bundle: &Bundle,
    criteria: Option<&Criteria>,
) -> Option<String> {
    let Some(criteria) = criteria else {
        return Some("the badge is no longer in the programme".into());
    };
    if ids.is_empty() {
        return Some("no evidence".into());
    }
    let streak = matches!(criteria, Criteria::WeeklyStreak { .. });
    let reasons: Vec<String> = ids
        .iter()
        .filter_map(|id| {
            let Some(event) = evidence.iter().find(|e| e.id == *id) else {
                return Some(format!("{id}: missing"));
            };
            match judge(event, bundle) {
                Err(rejection) => Some(format!("{id}: {}", rejection.code())),
                Ok(_) if streak && !in_time(event) => Some(format!("{id}: late")),
                Ok(_) => None,
            }
        })
        .collect();
    (!reasons.is_empty()).then(|| format!("evidence refused: {}", reasons.join(", ")))
}
