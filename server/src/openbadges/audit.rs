//! `audit badges`: the assertions already issued whose evidence the programme's rules no longer
//! accept (issued before the rules checked every event), and withdrawing them.

use crate::store::{assertions, cohorts, events};
use officina_core::badges::{Missing, evaluate};
use officina_core::progress::Progress;
use officina_core::rules::{Judged, judge};
use officina_core::{Bundle, Criteria};
use sqlx::SqlitePool;
use uuid::Uuid;

/// What the public URL of an assertion withdrawn by the audit says.
pub const REASON: &str =
    "Revocato: le prove non soddisfano le regole del programma (verifica degli eventi).";

/// An assertion whose evidence no longer earns its badge, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub assertion_id: String,
    pub user_id: String,
    pub badge_id: String,
    pub why: String,
}

/// Every assertion not revoked whose badge the rules do not find earned from its owner's log
/// today; with `revoke`, each is withdrawn.
pub async fn badges(
    db: &SqlitePool,
    bundle: &Bundle,
    revoke: bool,
) -> Result<Vec<Finding>, sqlx::Error> {
    let mut findings = Vec::new();
    for user_id in assertions::holders(db).await? {
        let log = events::log_of(db, &user_id).await?;
        let judged = Judged::of(&log, bundle).owned_by(Some(&user_id));
        let progress = Progress::from_judged(&judged);
        let streaks = cohorts::settings_of(db, &user_id).await?.xp_and_streaks;
        let statuses = evaluate(bundle, &judged, &progress);
        for assertion in assertions::of_user(db, &user_id).await? {
            if assertion.revoked_on.is_some() {
                continue;
            }
            let status = statuses.iter().find(|s| s.badge.id == assertion.badge_id);
            let counts = |c: &Criteria| streaks || !matches!(c, Criteria::WeeklyStreak { .. });
            let why = match status {
                None => "il badge non è più nel programma".to_owned(),
                Some(s) if s.earned() && counts(&s.badge.criteria) => continue,
                Some(s) => why(&assertion.events, &log, bundle, s.missing()),
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

/// The evidence events the rules now refuse, with their reason codes; otherwise what is missing.
fn why(
    evidence: &str,
    log: &officina_core::EventLog,
    bundle: &Bundle,
    missing: Option<&Missing>,
) -> String {
    let ids: Vec<Uuid> = serde_json::from_str(evidence).unwrap_or_default();
    let refused: Vec<String> = ids
        .iter()
        .filter_map(|id| match log.get(id) {
            None => Some(format!("{id}: missing")),
            Some(event) => judge(event, bundle)
                .err()
                .map(|rejection| format!("{id}: {}", rejection.code())),
        })
        .collect();
    if refused.is_empty() {
        format!("criterion not met: {missing:?}")
    } else {
        format!("evidence refused: {}", refused.join(", "))
    }
}
