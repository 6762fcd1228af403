//! Issuing: the badges core's rules find earned in a person's stored log (kept folded, see
//! `store::folds`) become assertions.

use crate::store::{assertions, cohorts, consent, folds};
use officina_core::badges::evaluate;
use officina_core::progress::Progress;
use officina_core::{Bundle, Criteria};
use sqlx::SqlitePool;

/// Issues an assertion for every badge `user_id` has earned and has none for yet; how many are
/// new. Idempotent: a badge already asserted (or revoked) is left as it is. Nothing is issued for a
/// learner under 14 without consent (see `consent::needed`).
pub async fn issue(db: &SqlitePool, bundle: &Bundle, user_id: &str) -> Result<usize, sqlx::Error> {
    if consent::needed(db, user_id).await? {
        return Ok(0);
    }
    let fold = folds::current(db, bundle, user_id).await?.fold;
    let progress = Progress::of(&fold);
    // With streaks switched off for the cohort, no badge counts them.
    let streaks = cohorts::settings_of(db, user_id).await?.xp_and_streaks;
    let mut issued = 0;
    for status in evaluate(bundle, &fold, &progress) {
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
