//! The SQLite database being copied: opened read-only, never migrated, and refused unless its
//! schema is exactly the one this binary's SQLite migrations make (PostgreSQL's twin).

use super::{Refusal, quoted};
use crate::db::SQLITE_MIGRATIONS;
use anyhow::Context;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};
use std::collections::BTreeMap;
use std::path::Path;

/// Opens the database at `path` read-only and checks its migrations.
pub async fn open(path: &Path) -> anyhow::Result<SqliteConnection> {
    if !path.is_file() {
        return Err(Refusal::NoSource(path.to_path_buf()).into());
    }
    let mut db = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        // Reading a whole table is slow by nature, not worth a warning.
        .disable_statement_logging()
        .connect()
        .await
        .with_context(|| format!("non posso aprire {}", path.display()))?;
    check_migrations(&mut db, path).await?;
    Ok(db)
}

/// The applied migrations must be this binary's, all of them and no other: an older database is
/// brought up to date by the server, and a newer one has a schema PostgreSQL's does not match.
async fn check_migrations(db: &mut SqliteConnection, path: &Path) -> anyhow::Result<()> {
    let has_table: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(&mut *db)
    .await?;
    if !has_table {
        return Err(Refusal::NotOfficina(path.to_path_buf()).into());
    }
    let applied: Vec<(i64, Vec<u8>, bool)> =
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations")
            .fetch_all(&mut *db)
            .await?;
    let applied: BTreeMap<i64, (Vec<u8>, bool)> = applied
        .into_iter()
        .map(|(version, checksum, success)| (version, (checksum, success)))
        .collect();
    compare(&applied, path).map_err(Into::into)
}

fn compare(applied: &BTreeMap<i64, (Vec<u8>, bool)>, path: &Path) -> Result<(), Refusal> {
    let path = path.to_path_buf();
    let known: BTreeMap<i64, &[u8]> = SQLITE_MIGRATIONS
        .iter()
        .map(|m| (m.version, m.checksum.as_ref()))
        .collect();
    let unknown: Vec<String> = applied
        .keys()
        .filter(|v| !known.contains_key(v))
        .map(i64::to_string)
        .collect();
    if !unknown.is_empty() {
        let unknown = unknown.join(", ");
        return Err(Refusal::Ahead { path, unknown });
    }
    let missing: Vec<String> = known
        .keys()
        .filter(|v| !applied.contains_key(v))
        .map(i64::to_string)
        .collect();
    if !missing.is_empty() {
        let missing = missing.join(", ");
        return Err(Refusal::Behind { path, missing });
    }
    for (&version, (checksum, success)) in applied {
        if !success || checksum.as_slice() != known[&version] {
            return Err(Refusal::Altered { path, version });
        }
    }
    Ok(())
}

/// The highest value `column` of `table` was ever given: its largest, or AUTOINCREMENT's mark in
/// `sqlite_sequence` when the rows that held higher ones are gone (an erased account's events),
/// since a device may hold one of those as its cursor.
pub async fn high_water(db: &mut SqliteConnection, table: &str, column: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!(
        "SELECT max(COALESCE((SELECT max({}) FROM {}), 0),
                    COALESCE((SELECT seq FROM sqlite_sequence WHERE name = $1), 0))",
        quoted(column),
        quoted(table)
    ))
    .bind(table)
    .fetch_one(&mut *db)
    .await
}
