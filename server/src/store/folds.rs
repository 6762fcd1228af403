//! Each person's log kept folded (migration 0022), with the reports' summary of it: badges and
//! reports are worked out from the stored summary and the events that arrived after it, so a push
//! costs the same with 100 events stored or 20 000, and a report does not read whole logs.

use crate::store::events::readable_after;
use officina_core::rules::Judged;
use officina_core::summary::Summary;
use officina_core::{Bundle, Event, EventLog};
use sqlx::{FromRow, SqlitePool};

/// A fold is saved again once it is this many events ahead of the stored one: between saves,
/// reading the few events after the stored fold costs less than a write per push.
const SAVE_EVERY: usize = 64;

#[derive(FromRow)]
struct Row {
    generation: i64,
    content_version: Option<String>,
    through_seq: i64,
    fold: Option<Vec<u8>>,
}

/// The summary of `user_id`'s log (their events and their linked relatives' confirmations),
/// folded by the rules against `bundle`, as it is now.
pub async fn current(
    db: &SqlitePool,
    bundle: &Bundle,
    user_id: &str,
) -> Result<Summary, sqlx::Error> {
    // The stored fold and the events after it, from one snapshot.
    let mut tx = db.begin().await?;
    let row: Option<Row> = sqlx::query_as(
        "SELECT generation, content_version, through_seq, fold FROM folds WHERE user_id = ?",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    let stored = row.as_ref().and_then(|row| readable(row, bundle));
    let rebuilt = stored.is_none();
    let (mut summary, since) = stored.unwrap_or_else(|| (Summary::new(Some(user_id)), 0));
    let after = readable_after(&mut *tx, user_id, since, u32::MAX).await?;
    tx.commit().await?;
    let (through, count) = (after.last().map_or(since, |s| s.seq), after.len());
    let mut log = EventLog::default();
    log.merge(after.into_iter().map(Event::from));
    // Judged together: the activities are looked up in an index built once, not searched.
    summary.extend(&Judged::of(&log, bundle));
    if rebuilt || count >= SAVE_EVERY {
        let generation = row.map(|r| r.generation);
        save(db, user_id, generation, bundle, through, &summary).await?;
    }
    Ok(summary)
}

/// The stored summary and the `seq` it is folded through, if it is of this content and readable.
fn readable(row: &Row, bundle: &Bundle) -> Option<(Summary, i64)> {
    if row.content_version.as_deref() != Some(bundle.content_version.as_str()) {
        return None;
    }
    let summary = Summary::from_bytes(row.fold.as_deref()?)?;
    Some((summary, row.through_seq))
}

/// Saves the fold unless what the log means changed since it was read (the generation moved on),
/// a newer fold was saved meanwhile, or the account is gone.
async fn save(
    db: &SqlitePool,
    user_id: &str,
    generation: Option<i64>,
    bundle: &Bundle,
    through: i64,
    summary: &Summary,
) -> Result<(), sqlx::Error> {
    let bytes = summary.to_bytes();
    let query = match generation {
        Some(generation) => sqlx::query(
            "UPDATE folds SET content_version = ?1, through_seq = ?2, fold = ?3
             WHERE user_id = ?4 AND generation = ?5
               AND (through_seq < ?2 OR content_version IS NOT ?1 OR fold IS NULL)",
        )
        .bind(&bundle.content_version)
        .bind(through)
        .bind(&bytes)
        .bind(user_id)
        .bind(generation),
        // Not over a row a change made meanwhile: its generation says this fold is stale.
        None => sqlx::query(
            "INSERT INTO folds (content_version, through_seq, fold, user_id)
             SELECT ?1, ?2, ?3, id FROM users WHERE id = ?4
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(&bundle.content_version)
        .bind(through)
        .bind(&bytes)
        .bind(user_id),
    };
    query.execute(db).await?;
    Ok(())
}
