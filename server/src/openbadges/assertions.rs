//! Issuing: the badges core's rules find earned in a person's stored log become assertions.

use crate::store::{assertions, cohorts, consent, events};
use officina_core::badges::evaluate;
use officina_core::progress::Progress;
use officina_core::rules::Judged;
use officina_core::{Bundle, Criteria};
use sqlx::SqlitePool;

/// Issues an assertion for every badge `user_id` has earned and has none for yet; how many are
/// new. Idempotent: a badge already asserted (or revoked) is left as it is. Nothing is issued for a
/// learner under 14 without consent (see `consent::needed`).
pub async fn issue(db: &SqlitePool, bundle: &Bundle, user_id: &str) -> Result<usize, sqlx::Error> {
    if consent::needed(db, user_id).await? {
        return Ok(0);
    }
    let log = events::log_of(db, user_id).await?;
    let judged = Judged::of(&log, bundle).owned_by(Some(user_id));
    let progress = Progress::from_judged(&judged);
    // With streaks switched off for the cohort, no badge counts them.
    let streaks = cohorts::settings_of(db, user_id).await?.xp_and_streaks;
    let mut issued = 0;
    for status in evaluate(bundle, &judged, &progress) {
        let counts_streaks = matches!(status.badge.criteria, Criteria::WeeklyStreak { .. });
        if let Ok(earned) = &status.outcome
            && (streaks || !counts_streaks)
            && assertions::insert_if_new(db, user_id, &status.badge.id, earned).await?
        {
            issued += 1;
        }
    }
    Ok(issued)
}
