//! The baseline: the same batches straight into SQLite with the same durability (WAL,
//! `synchronous=FULL`), one `BEGIN IMMEDIATE … COMMIT` per batch, 8 threads with a connection
//! each, into the `events` table and index of migrations/sqlite/0001_init.sql.

use crate::events::{Body, rows};
use crate::stats::Latencies;
use rusqlite::{Connection, params};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const DDL: &str = "CREATE TABLE events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    device_id    TEXT NOT NULL,
    user_id      TEXT,
    kind         TEXT NOT NULL,
    activity_id  TEXT,
    at           TEXT NOT NULL,
    data         TEXT NOT NULL,
    received_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX events_user ON events (user_id, seq);";

fn open(path: &Path) -> Connection {
    let db = Connection::open(path).expect("raw database");
    db.pragma_update(None, "journal_mode", "wal").expect("WAL");
    db.pragma_update(None, "synchronous", "full").expect("FULL");
    db.busy_timeout(Duration::from_secs(5))
        .expect("busy timeout");
    db
}

/// Stores every body's rows with `clients` threads; gives the time per batch and the whole time.
pub fn run(path: &Path, bodies: &[Body], clients: usize) -> (Latencies, Duration) {
    open(path).execute_batch(DDL).expect("schema");
    let batches: Vec<_> = bodies.iter().map(|b| (b.learner, rows(b))).collect();
    let queue = Mutex::new(batches.iter());
    let times = Mutex::new(Vec::new());
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..clients {
            scope.spawn(|| {
                let mut db = open(path);
                loop {
                    let Some((learner, rows)) = queue.lock().unwrap().next() else {
                        return;
                    };
                    let begun = Instant::now();
                    store(&mut db, *learner, rows);
                    times.lock().unwrap().push(begun.elapsed());
                }
            });
        }
    });
    (Latencies::new(times.into_inner().unwrap()), start.elapsed())
}

fn store(db: &mut Connection, learner: usize, rows: &[[String; 6]]) {
    let tx = db
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .expect("BEGIN IMMEDIATE");
    {
        let mut insert = tx
            .prepare_cached(
                "INSERT INTO events (id, device_id, user_id, kind, activity_id, at, data)
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            )
            .expect("statement");
        let user = format!("learner-{learner}");
        for [id, device, kind, activity, at, data] in rows {
            insert
                .execute(params![id, device, user, kind, activity, at, data])
                .expect("insert");
        }
    }
    tx.commit().expect("COMMIT");
}

/// How many of `ids` the database at `path` holds (read after the server stopped or beside it).
pub fn stored(path: &Path, ids: &[uuid::Uuid]) -> usize {
    let db = open(path);
    let list = serde_json::Value::from(ids.iter().map(|i| i.to_string()).collect::<Vec<_>>());
    db.query_row(
        "SELECT count(*) FROM events WHERE id IN (SELECT value FROM json_each(?))",
        [list.to_string()],
        |row| row.get::<_, i64>(0),
    )
    .expect("count") as usize
}
