//! The programme's scale, seeded straight into the database: one class made through the server
//! (an educator, a cohort, a learner who joined) is the template every other class and learner is
//! copied from, column by column, so the rows are what the server itself writes; then each
//! learner's events, ones the rules accept, spread over ten weeks.

use crate::events::Payload;
use crate::server::Server;
use officina_core::Event;
use rusqlite::{Connection, ToSql, Transaction, params, params_from_iter};
use std::path::Path;
use uuid::Uuid;

/// As `Server::learners` makes them.
pub const EDUCATOR: &str = "Edu";
pub const PASSWORD: &str = "bench-password-1";

pub struct Shape {
    pub classes: usize,
    pub class_size: usize,
    pub events_each: usize,
}

/// The ids of the class made through the server.
pub struct Template {
    cohort: String,
    learner: String,
}

impl Template {
    /// An educator, a cohort on Space Camp and a learner who joined it, made by the server.
    pub async fn make(server: &Server) -> Self {
        server.learners(1).await;
        let db = Connection::open(&server.db).expect("database");
        let only = |sql: &str| db.query_row(sql, [], |row| row.get(0)).expect(sql);
        Self {
            cohort: only("SELECT id FROM cohorts"),
            learner: only("SELECT id FROM users WHERE role = 'learner'"),
        }
    }
}

/// Seeds `shape` from `template` with events made of `payloads`; the first class's id.
pub fn seed(
    db: &Path,
    template: &Template,
    shape: &Shape,
    payloads: &[(String, Payload)],
) -> String {
    let mut db = Connection::open(db).expect("database");
    let tx = db.transaction().expect("transaction");
    let educator: String = tx
        .query_row(
            "SELECT id FROM users WHERE nickname = ?",
            [EDUCATOR],
            |row| row.get(0),
        )
        .expect("the educator");
    let device = Uuid::new_v4().to_string();
    let mut next = 0;
    for class in 0..shape.classes {
        let cohort = if class == 0 {
            template.cohort.clone()
        } else {
            let id = Uuid::new_v4().to_string();
            let (name, code) = (
                format!("Classe {class}"),
                Uuid::new_v4().simple().to_string(),
            );
            copy(
                &tx,
                "cohorts",
                &template.cohort,
                &[("id", &id), ("name", &name), ("join_code", &code)],
            );
            tx.execute(
                "INSERT INTO cohort_educators (cohort_id, user_id) VALUES (?, ?)",
                params![id, educator],
            )
            .expect("educator");
            id
        };
        for member in 0..shape.class_size {
            let learner = if class == 0 && member == 0 {
                template.learner.clone()
            } else {
                let id = Uuid::new_v4().to_string();
                let nickname = format!("Allievo{class}-{member}");
                let overrides: [(&str, &dyn ToSql); 4] = [
                    ("id", &id),
                    ("nickname", &nickname),
                    ("nickname_skeleton", &nickname.to_lowercase()),
                    ("cohort_id", &cohort),
                ];
                copy(&tx, "users", &template.learner, &overrides);
                id
            };
            for n in 0..shape.events_each {
                let (activity, payload) = &payloads[next % payloads.len()];
                next += 1;
                insert(
                    &tx,
                    &device,
                    &learner,
                    activity,
                    payload,
                    n * 70 / shape.events_each,
                );
            }
        }
    }
    tx.commit().expect("commit");
    template.cohort.clone()
}

/// Copies row `id` of `table` with the `overrides` columns changed.
fn copy(tx: &Transaction, table: &str, id: &str, overrides: &[(&str, &dyn ToSql)]) {
    let columns: Vec<String> = tx
        .prepare_cached(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .and_then(|mut query| query.query_map([], |row| row.get(0))?.collect())
        .expect("columns");
    let values: Vec<String> = columns
        .iter()
        .map(
            |column| match overrides.iter().position(|(name, _)| name == column) {
                Some(at) => format!("?{}", at + 2),
                None => column.clone(),
            },
        )
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({}) SELECT {} FROM {table} WHERE id = ?1",
        columns.join(", "),
        values.join(", ")
    );
    let args = std::iter::once(&id as &dyn ToSql).chain(overrides.iter().map(|(_, value)| *value));
    tx.prepare_cached(&sql)
        .and_then(|mut insert| insert.execute(params_from_iter(args)))
        .expect("copied row");
}

/// One event of `learner`'s, done on day `day` of the ten weeks from 14 September 2026.
fn insert(
    tx: &Transaction,
    device: &str,
    learner: &str,
    activity: &str,
    payload: &Payload,
    day: usize,
) {
    let date = time::macros::date!(2026 - 09 - 14) + time::Duration::days(day as i64);
    let at = format!("{date}T10:00:00Z");
    let event = Event::new(Uuid::new_v4(), Some(activity), at.clone(), payload);
    tx.prepare_cached(
        "INSERT INTO events (id, device_id, user_id, kind, activity_id, at, data, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .and_then(|mut insert| {
        insert.execute(params![
            event.id.to_string(),
            device,
            learner,
            event.kind.as_str(),
            activity,
            at,
            event.data().to_string(),
            format!("{date}T20:00:00.000Z"),
        ])
    })
    .expect("event row");
}

/// Waits until `people` kept folds are stored (the server builds them at start-up).
pub async fn wait_for_folds(db: &Path, people: usize) {
    let db = Connection::open(db).expect("database");
    loop {
        let kept: usize = db
            .query_row(
                "SELECT count(*) FROM folds WHERE fold IS NOT NULL",
                [],
                |row| row.get(0),
            )
            .expect("folds");
        if kept >= people {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
