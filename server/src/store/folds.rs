//! Each person's log kept folded (migration 0022), with the reports' summary of it: badges and
//! reports are worked out from the stored summary and the events that arrived after it, so a push
//! costs the same with 100 events stored or 20 000, and a report does not read whole logs.

use crate::store::events::readable_after;
use officina_core::rules::Judged;
use officina_core::summary::Summary;
use officina_core::{Bundle, Event, EventLog};
use sqlx::{FromRow, SqliteConnection, SqliteExecutor, SqlitePool};

/// Read from the pool, a fold is saved again once it is this many events ahead of the stored
/// one: between saves, reading the few events after it costs less than a write per read. The
/// writer saves after every push, in the push's own commit.
const SAVE_EVERY: usize = 64;

#[derive(FromRow)]
struct Row {
    generation: i64,
    content_version: Option<String>,
    through_seq: i64,
    fold: Option<Vec<u8>>,
}

/// A summary brought up to date from the stored one.
struct Caught {
    summary: Summary,
    /// The stored row's generation, if there was a row.
    generation: Option<i64>,
    /// The last `seq` folded in.
    through: i64,
    /// Whether the stored fold had to be saved again: missing, stale, or `SAVE_EVERY` behind.
    worth_saving: bool,
    /// Whether anything was folded in since the stored fold.
    grew: bool,
}

/// The summary of `user_id`'s log (their events and their linked relatives' confirmations),
/// folded by the rules against `bundle`, as it is now; read from the pool.
pub async fn current(
    db: &SqlitePool,
    bundle: &Bundle,
    user_id: &str,
) -> Result<Summary, sqlx::Error> {
    // The stored fold and the events after it, from one snapshot; saved outside it, so that a
    // read never has to become a write.
    let mut tx = db.begin().await?;
    let caught = catch_up(&mut tx, bundle, user_id).await?;
    tx.commit().await?;
    if caught.worth_saving {
        save(db, user_id, bundle, &caught).await?;
    }
    Ok(caught.summary)
}

/// The same, inside the writer's transaction: saved whenever it grew, in the same commit, so the
/// next push folds only its own events.
pub async fn current_in(
    conn: &mut SqliteConnection,
    bundle: &Bundle,
    user_id: &str,
) -> Result<Summary, sqlx::Error> {
    let caught = catch_up(&mut *conn, bundle, user_id).await?;
    if caught.grew || caught.worth_saving {
        save(&mut *conn, user_id, bundle, &caught).await?;
    }
    Ok(caught.summary)
}

/// The stored summary with the events after it folded in.
async fn catch_up(
    conn: &mut SqliteConnection,
    bundle: &Bundle,
    user_id: &str,
) -> Result<Caught, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT generation, content_version, through_seq, fold FROM folds WHERE user_id = ?",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let stored = row.as_ref().and_then(|row| readable(row, bundle));
    let rebuilt = stored.is_none();
    let (mut summary, since) = stored.unwrap_or_else(|| (Summary::new(Some(user_id)), 0));
    let after = readable_after(&mut *conn, user_id, since, u32::MAX).await?;
    let (through, count) = (after.last().map_or(since, |s| s.seq), after.len());
    let mut log = EventLog::default();
    log.merge(after.into_iter().map(Event::from));
    // Judged together: the activities are looked up in an index built once, not searched.
    summary.extend(&Judged::of(&log, bundle));
    Ok(Caught {
        summary,
        generation: row.map(|r| r.generation),
        through,
        worth_saving: rebuilt || count >= SAVE_EVERY,
        grew: count > 0,
    })
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
    db: impl SqliteExecutor<'_>,
    user_id: &str,
    bundle: &Bundle,
    caught: &Caught,
) -> Result<(), sqlx::Error> {
    let bytes = caught.summary.to_bytes();
    let query = match caught.generation {
        Some(generation) => sqlx::query(
            "UPDATE folds SET content_version = ?1, through_seq = ?2, fold = ?3
             WHERE user_id = ?4 AND generation = ?5
               AND (through_seq < ?2 OR content_version IS NOT ?1 OR fold IS NULL)",
        )
        .bind(&bundle.content_version)
        .bind(caught.through)
        .bind(bytes)
        .bind(user_id)
        .bind(generation),
        // Not over a row a change made meanwhile: its generation says this fold is stale.
        None => sqlx::query(
            "INSERT INTO folds (content_version, through_seq, fold, user_id)
             SELECT ?1, ?2, ?3, id FROM users WHERE id = ?4
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(&bundle.content_version)
        .bind(caught.through)
        .bind(bytes)
        .bind(user_id),
    };
    query.execute(db).await?;
    Ok(())
}
