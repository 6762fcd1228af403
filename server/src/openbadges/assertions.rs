//! Issuing: the badges core's rules find earned in a person's stored log (kept folded, see
//! `store::folds`) become assertions.

use crate::store::{assertions, cohorts, consent, folds};
use officina_core::badges::evaluate;
use officina_core::progress::Progress;
use officina_core::{Bundle, Criteria};
use sqlx::SqliteConnection;

/// Issues an assertion for every badge `user_id` has earned and has none for yet; how many are
/// new. Idempotent: a badge already asserted (or revoked) is left as it is. Nothing is issued for a
/// learner under 14 without consent (see `consent::needed`). Runs in the writer's transaction, so
/// the badges a push earns are stored in the push's own commit.
pub async fn issue(
    conn: &mut SqliteConnection,
    bundle: &Bundle,
    user_id: &str,
) -> Result<usize, sqlx::Error> {
    // Kept up to date whether or not badges can be issued yet: the reports read it too.
    let fold = folds::current_in(conn, bundle, user_id).await?.fold;
    if consent::needed(&mut *conn, user_id).await? {
        return Ok(0);
    }
    let progress = Progress::of(&fold);
    // With streaks switched off for the cohort, no badge counts them.
    let streaks = cohorts::settings_of(&mut *conn, user_id)
        .await?
        .xp_and_streaks;
    let held = assertions::badge_ids_of(&mut *conn, user_id).await?;
    let mut issued = 0;
    for status in evaluate(bundle, &fold, &progress) {
        let counts_streaks = matches!(status.badge.criteria, Criteria::WeeklyStreak { .. });
        if let Ok(earned) = &status.outcome
            && (streaks || !counts_streaks)
            && !held.contains(&status.badge.id)
            && assertions::insert_if_new(&mut *conn, user_id, &status.badge.id, earned).await?
        {
            issued += 1;
        }
    }
    Ok(issued)
}
