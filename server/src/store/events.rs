//! The event log. `seq` is assigned here and only grows: it is the sync cursor, whatever the
//! devices' clocks say.

use super::backend::{Backend, Conn, Db, on};
use officina_core::payload::redact_private;
use officina_core::sync::StoredEvent;
use officina_core::{Event, EventLog};
use sqlx::FromRow;
use uuid::Uuid;

/// What storing an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    New,
    /// The same event was already stored.
    Duplicate,
    /// A different event is stored under this id; it is kept, this one is not.
    Conflict,
}

/// Stores the event unless its id is there already. `event.user_id` is always set by then.
pub async fn insert(conn: Conn<'_>, device: Uuid, event: &Event) -> Result<Stored, sqlx::Error> {
    let kind = event.kind.as_str();
    let data = event.data().to_string();
    on!(conn, tx => {
    let inserted = sqlx::query(
        "INSERT INTO events (id, device_id, user_id, kind, activity_id, at, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(event.id.to_string())
    .bind(device.to_string())
    .bind(&event.user_id)
    .bind(kind)
    .bind(&event.activity_id)
    .bind(&event.at)
    .bind(&data)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Stored::New);
    }
    let same: bool = sqlx::query_scalar(
        "SELECT user_id IS NOT DISTINCT FROM $1 AND kind = $2
                AND activity_id IS NOT DISTINCT FROM $3 AND at = $4 AND data = $5
         FROM events WHERE id = $6",
    )
    .bind(&event.user_id)
    .bind(kind)
    .bind(&event.activity_id)
    .bind(&event.at)
    .bind(&data)
    .bind(event.id.to_string())
    .fetch_one(&mut *tx)
    .await?;
    Ok(if same {
        Stored::Duplicate
    } else {
        Stored::Conflict
    })
    })
}

/// The highest `seq` of a stored event.
pub async fn last_seq(conn: Conn<'_>) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COALESCE(MAX(seq), 0) FROM events";
    on!(conn, c => sqlx::query_scalar(sql).fetch_one(c).await)
}

/// Moves the event at `seq` to the end of the log: a new `seq` past every one ever given (even to
/// an event erased since: a device's cursor may be there). Under the write lock.
pub async fn move_to_end(mut conn: Conn<'_>, seq: i64) -> Result<(), sqlx::Error> {
    let next: i64 = match conn.reborrow() {
        Backend::Sqlite(c) => {
            sqlx::query_scalar(
                "SELECT 1 + max(COALESCE(MAX(seq), 0),
                    COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0))
                 FROM events",
            )
            .fetch_one(c)
            .await?
        }
        Backend::Postgres(c) => {
            sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('events', 'seq'))")
                .fetch_one(c)
                .await?
        }
    };
    let sql = "UPDATE events SET seq = $1 WHERE seq = $2";
    on!(conn.reborrow(), c => sqlx::query(sql).bind(next).bind(seq).execute(c).await.map(drop))?;
    if let Backend::Sqlite(c) = conn {
        // AUTOINCREMENT's high-water mark moves on INSERT only: were the moved event erased
        // before the next push, that push would be given its seq again, under a cursor devices
        // already hold.
        let sql = "UPDATE sqlite_sequence SET seq = $1 WHERE name = 'events' AND seq < $1";
        sqlx::query(sql).bind(next).execute(c).await?;
    }
    Ok(())
}

/// Up to `limit` events with `seq > since`, in `seq` order, that `reader` may read: all their own,
/// and the family-task confirmations of the relatives an educator-confirmed link joins them to
/// (without the private reflection). One statement, so one snapshot: a link confirmed meanwhile
/// moves the relatives' confirmations past this page (see `consent::confirm`) or is seen whole,
/// never half.
pub async fn readable_after(
    conn: Conn<'_>,
    reader: &str,
    since: i64,
    limit: u32,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let sql = "SELECT seq, id, user_id, kind, activity_id, at, data, received_at FROM events
         WHERE seq > $1 AND (user_id = $2
               OR (kind = 'family_task_confirmed' AND user_id IN (
                   SELECT child_id FROM family_links
                   WHERE parent_id = $2 AND confirmed_at IS NOT NULL
                   UNION SELECT parent_id FROM family_links
                   WHERE child_id = $2 AND confirmed_at IS NOT NULL)))
         ORDER BY seq LIMIT $3";
    let rows: Vec<EventRow> = on!(conn, c => sqlx::query_as(sql)
        .bind(since)
        .bind(reader)
        .bind(i64::from(limit))
        .fetch_all(c)
        .await)?;
    rows.into_iter()
        .map(|row| {
            let mine = row.user_id == reader;
            let mut event = row.into_stored()?;
            if !mine {
                redact_private(&mut event.data);
            }
            Ok(event)
        })
        .collect()
}

/// The stored events with these ids, whoever wrote them (the ones not there are left out).
pub async fn by_ids(db: &Db, ids: &[Uuid]) -> Result<Vec<Event>, sqlx::Error> {
    let ids = serde_json::Value::from(ids.iter().map(Uuid::to_string).collect::<Vec<_>>());
    let sql = format!(
        "SELECT seq, id, user_id, kind, activity_id, at, data, received_at FROM events
         WHERE id IN (SELECT ids.value FROM {})",
        db.json_list("$1", "ids")
    );
    let rows: Vec<EventRow> =
        on!(db, c => sqlx::query_as(&sql).bind(ids.to_string()).fetch_all(c).await)?;
    rows.into_iter()
        .map(|row| Ok(Event::from(row.into_stored()?)))
        .collect()
}

/// Everything stored for one person, with their relatives' family confirmations, as a log core's rules can read.
pub async fn log_of(conn: Conn<'_>, user_id: &str) -> Result<EventLog, sqlx::Error> {
    // Linked relatives' confirmations count: a family task is done when both sides confirmed.
    let stored = readable_after(conn, user_id, 0, u32::MAX).await?;
    let mut log = EventLog::default();
    log.merge(stored.into_iter().map(Event::from));
    Ok(log)
}

/// An event as a row of `events`.
#[derive(FromRow)]
pub(crate) struct EventRow {
    pub seq: i64,
    pub id: String,
    pub user_id: String,
    pub kind: String,
    pub activity_id: Option<String>,
    pub at: String,
    pub data: String,
    pub received_at: String,
}

impl EventRow {
    pub(crate) fn into_stored(self) -> Result<StoredEvent, sqlx::Error> {
        let decode = |err: Box<dyn std::error::Error + Send + Sync>| sqlx::Error::Decode(err);
        Ok(StoredEvent {
            id: Uuid::parse_str(&self.id).map_err(|e| decode(e.into()))?,
            user_id: self.user_id,
            kind: serde_json::from_value(serde_json::Value::String(self.kind))
                .map_err(|e| decode(e.into()))?,
            activity_id: self.activity_id,
            at: self.at,
            data: serde_json::from_str(&self.data).map_err(|e| decode(e.into()))?,
            seq: self.seq,
            received_at: self.received_at,
        })
    }
}
