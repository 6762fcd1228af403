//! Each person's log kept folded (migration 0022), with the reports' summary of it: badges and
//! reports are worked out from the stored summary and the events that arrived after it, so a push
//! costs the same with 100 events stored or 20 000, and a report does not read whole logs.

use crate::store::backend::{Conn, Db, on};
use crate::store::events::readable_after;
use officina_core::rules::Judged;
use officina_core::summary::{self, Summary};
use officina_core::{Bundle, Event, EventLog};
use sqlx::FromRow;

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
    /// Whether it was folded from the whole log, the stored one missing or unreadable.
    rebuilt: bool,
    /// Whether anything was folded in since the stored fold.
    grew: bool,
}

/// Folds again every log whose kept fold is missing, of another content or in an older format
/// ([`summary::FORMAT`]), one person at a time, in the background from start-up: after the
/// content changed every fold is stale, and the first report would otherwise fold every log at
/// once. Anyone's fold asked for meanwhile is brought up to date by whoever asks.
pub async fn keep_all(db: Db, bundle: &Bundle) {
    let sql = "SELECT id FROM users WHERE role IN ('learner', 'parent') AND id NOT IN
           (SELECT user_id FROM folds WHERE content_version = $1 AND substr(fold, 1, 1) = $2)";
    let stale: Result<Vec<String>, _> = on!(&db, c => sqlx::query_scalar(sql)
        .bind(&bundle.content_version)
        // Folds stored in an older format are unreadable: kept again here at start-up, not only
        // when someone first reads them.
        .bind(&[summary::FORMAT][..])
        .fetch_all(c)
        .await);
    let stale = match stale {
        Ok(stale) if stale.is_empty() => return,
        Ok(stale) => stale,
        Err(err) => return tracing::error!(error = %err, "cannot list the folds to keep"),
    };
    let began = std::time::Instant::now();
    for user_id in &stale {
        // The others are still worth keeping; whoever is left out is folded when asked for.
        if let Err(err) = current(&db, bundle, user_id).await {
            tracing::error!(error = %err, "cannot fold a log again");
        }
    }
    let (people, seconds) = (stale.len(), began.elapsed().as_secs_f64());
    tracing::info!(people, seconds, "kept folds brought up to date");
}

/// The summary of `user_id`'s log (their events and their linked relatives' confirmations),
/// folded by the rules against `bundle`, as it is now; read from the pool.
pub async fn current(db: &Db, bundle: &Bundle, user_id: &str) -> Result<Summary, sqlx::Error> {
    // The stored fold and the events after it, from one snapshot; saved outside it, so that a
    // read never has to become a write.
    let mut tx = db.begin_snapshot().await?;
    let caught = catch_up(tx.conn(), bundle, user_id).await?;
    tx.commit().await?;
    if caught.worth_saving {
        save(db.acquire().await?.conn(), user_id, bundle, &caught).await?;
    }
    Ok(caught.summary)
}

/// The same, inside the writer's transaction: saved whenever it grew, in the same commit, so the
/// next push folds only its own events.
pub async fn current_in(
    mut conn: Conn<'_>,
    bundle: &Bundle,
    user_id: &str,
) -> Result<Summary, sqlx::Error> {
    let caught = catch_up(conn.reborrow(), bundle, user_id).await?;
    if caught.grew || caught.worth_saving {
        save(conn, user_id, bundle, &caught).await?;
    }
    Ok(caught.summary)
}

/// The stored summary with the events after it folded in.
async fn catch_up(
    mut conn: Conn<'_>,
    bundle: &Bundle,
    user_id: &str,
) -> Result<Caught, sqlx::Error> {
    let sql = "SELECT generation, content_version, through_seq, fold FROM folds WHERE user_id = $1";
    let row: Option<Row> = on!(conn.reborrow(), c => sqlx::query_as(sql)
        .bind(user_id)
        .fetch_optional(c)
        .await)?;
    fold_after(conn, bundle, user_id, row).await
}

/// `row`'s summary with the events after it folded in.
async fn fold_after(
    conn: Conn<'_>,
    bundle: &Bundle,
    user_id: &str,
    row: Option<Row>,
) -> Result<Caught, sqlx::Error> {
    let stored = row.as_ref().and_then(|row| {
        let summary = readable(row.content_version.as_deref(), row.fold.as_deref(), bundle)?;
        Some((summary, row.through_seq))
    });
    let rebuilt = stored.is_none();
    let (mut summary, since) = stored.unwrap_or_else(|| (Summary::new(Some(user_id)), 0));
    let after = readable_after(conn, user_id, since, u32::MAX).await?;
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
        rebuilt,
        grew: count > 0,
    })
}

/// A stored fold read with others, and what says whether events came after it.
#[derive(FromRow)]
struct Listed {
    user_id: String,
    generation: Option<i64>,
    content_version: Option<String>,
    through_seq: Option<i64>,
    fold: Option<Vec<u8>>,
    /// The `seq` of the person's latest own event.
    own_last: i64,
    /// Whether a confirmed family link joins them to anyone, whose confirmations they read too.
    linked: bool,
}

impl Listed {
    /// The stored fold, if it is known to have nothing after it.
    fn up_to_date(&self, bundle: &Bundle) -> Option<Caught> {
        let through = self.through_seq?;
        if self.linked || self.own_last > through {
            return None;
        }
        let summary = readable(
            self.content_version.as_deref(),
            self.fold.as_deref(),
            bundle,
        )?;
        Some(Caught {
            summary,
            generation: Some(self.generation?),
            through,
            worth_saving: false,
            rebuilt: false,
            grew: false,
        })
    }

    fn into_row(self) -> Option<Row> {
        Some(Row {
            generation: self.generation?,
            content_version: self.content_version,
            through_seq: self.through_seq?,
            fold: self.fold,
        })
    }
}

/// The summaries of `users`, in their order, each as [`current`] gives it, from one snapshot: the
/// stored folds are read together, and only the people with events after theirs, or with a
/// confirmed relative, are read one by one. What a report of many people reads.
pub async fn current_of(
    db: &Db,
    bundle: &Bundle,
    users: &[&str],
) -> Result<Vec<Summary>, sqlx::Error> {
    let mut tx = db.begin_snapshot().await?;
    let sql = format!(
        "SELECT people.value AS user_id, generation, content_version, through_seq, fold,
                COALESCE((SELECT MAX(seq) FROM events WHERE user_id = people.value), 0) AS own_last,
                EXISTS (SELECT 1 FROM family_links
                        WHERE (parent_id = people.value OR child_id = people.value)
                          AND confirmed_at IS NOT NULL) AS linked
         FROM {} LEFT JOIN folds ON folds.user_id = people.value
         ORDER BY people.key",
        db.json_list("$1", "people")
    );
    let people = serde_json::Value::from(users).to_string();
    let listed: Vec<Listed> =
        on!(tx.conn(), c => sqlx::query_as(&sql).bind(&people).fetch_all(c).await)?;
    let mut caught = Vec::with_capacity(listed.len());
    for listed in listed {
        caught.push(match listed.up_to_date(bundle) {
            Some(kept) => kept,
            None => {
                let user_id = listed.user_id.clone();
                fold_after(tx.conn(), bundle, &user_id, listed.into_row()).await?
            }
        });
    }
    tx.commit().await?;
    let mut summaries = Vec::with_capacity(caught.len());
    let mut pooled = db.acquire().await?;
    for (caught, user_id) in caught.into_iter().zip(users) {
        if caught.worth_saving {
            save(pooled.conn(), user_id, bundle, &caught).await?;
        }
        summaries.push(caught.summary);
    }
    Ok(summaries)
}

/// The stored summary, if it is of this content and readable.
fn readable(
    content_version: Option<&str>,
    fold: Option<&[u8]>,
    bundle: &Bundle,
) -> Option<Summary> {
    if content_version != Some(bundle.content_version.as_str()) {
        return None;
    }
    Summary::from_bytes(fold?)
}

/// Saves the fold unless what the log means changed since it was read (the generation moved on),
/// a newer fold was saved meanwhile, or the account is gone.
async fn save(
    conn: Conn<'_>,
    user_id: &str,
    bundle: &Bundle,
    caught: &Caught,
) -> Result<(), sqlx::Error> {
    let bytes = caught.summary.to_bytes();
    on!(conn, c => match caught.generation {
        Some(generation) => sqlx::query(
            "UPDATE folds SET content_version = $1, through_seq = $2, fold = $3
             WHERE user_id = $4 AND generation = $5
               AND (through_seq < $2 OR content_version IS DISTINCT FROM $1
                    OR ($6 AND through_seq <= $2))",
        )
        .bind(&bundle.content_version)
        .bind(caught.through)
        .bind(bytes)
        .bind(user_id)
        .bind(generation)
        // One missing or unreadable (another format) is replaced even with nothing new after it:
        // else every read would fold the whole log again.
        .bind(caught.rebuilt),
        // Not over a row a change made meanwhile: its generation says this fold is stale.
        None => sqlx::query(
            "INSERT INTO folds (content_version, through_seq, fold, user_id)
             SELECT $1, $2, $3, id FROM users WHERE id = $4
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(&bundle.content_version)
        .bind(caught.through)
        .bind(bytes)
        .bind(user_id),
    }
    .execute(c)
    .await
    .map(drop))?;
    Ok(())
}
