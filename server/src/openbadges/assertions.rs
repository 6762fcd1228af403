//! Issuing: the badges core's rules find earned in a person's stored log (kept folded, see
//! `store::folds`) become assertions.

use crate::store::backend::{Conn, Db};
use crate::store::{assertions, cohorts, consent, folds};
use officina_core::badges::{Earned, evaluate};
use officina_core::fold::Fold;
use officina_core::progress::Progress;
use officina_core::{Bundle, Criteria};

/// Issues an assertion for every badge `user_id` has earned and has none for yet; how many are
/// new. Idempotent: a badge already asserted (or revoked) is left as it is. Nothing is issued for a
/// learner under 14 without consent (see `consent::needed`). Runs in the writer's transaction, so
/// the badges a push earns are stored in the push's own commit.
pub async fn issue(
    mut conn: Conn<'_>,
    bundle: &Bundle,
    user_id: &str,
) -> Result<usize, sqlx::Error> {
    // Kept up to date whether or not badges can be issued yet: the reports read it too.
    let fold = folds::current_in(conn.reborrow(), bundle, user_id)
        .await?
        .fold;
    let mut issued = 0;
    for (badge_id, earned) in unheld(conn.reborrow(), bundle, user_id, &fold).await? {
        if assertions::insert_if_new(conn.reborrow(), user_id, &badge_id, &earned).await? {
            issued += 1;
        }
    }
    Ok(issued)
}

/// Whether `user_id` has earned a badge they hold no assertion of yet, read from the pool: asking
/// (as every `GET /api/badges` does) costs the writer nothing unless there is something to issue.
pub async fn any_to_issue(db: &Db, bundle: &Bundle, user_id: &str) -> Result<bool, sqlx::Error> {
    let fold = folds::current(db, bundle, user_id).await?.fold;
    let mut pooled = db.acquire().await?;
    Ok(!unheld(pooled.conn(), bundle, user_id, &fold)
        .await?
        .is_empty())
}

/// The badges `fold` has earned that `user_id` holds no assertion of and may be issued now.
async fn unheld(
    mut conn: Conn<'_>,
    bundle: &Bundle,
    user_id: &str,
    fold: &Fold,
) -> Result<Vec<(String, Earned)>, sqlx::Error> {
    if consent::needed(conn.reborrow(), user_id).await? {
        return Ok(Vec::new());
    }
    // With streaks switched off for the cohort, no badge counts them.
    let streaks = cohorts::settings_of(conn.reborrow(), user_id)
        .await?
        .xp_and_streaks;
    let held = assertions::badge_ids_of(conn, user_id).await?;
    let progress = Progress::of(fold);
    Ok(evaluate(bundle, fold, &progress)
        .into_iter()
        .filter(|status| streaks || !matches!(status.badge.criteria, Criteria::WeeklyStreak { .. }))
        .filter(|status| !held.contains(&status.badge.id))
        .filter_map(|status| Some((status.badge.id.clone(), status.outcome.ok()?)))
        .collect())
}
