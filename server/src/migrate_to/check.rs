//! The target's side: it must be empty and stay so until the copy commits, its triggers must not
//! touch copied rows, and each table must read back as it was copied.

use super::Refusal;
use super::quoted;
use super::tables::Table;
use super::values::{self, Tally};
use futures_util::TryStreamExt;
use sqlx::PgConnection;

/// Keeps every other session from writing to the tables until the copy commits or rolls back, so
/// the target found empty stays empty but for the copy.
pub async fn lock(db: &mut PgConnection, tables: &[Table]) -> sqlx::Result<()> {
    let names: Vec<String> = tables.iter().map(|t| quoted(&t.name)).collect();
    let statement = format!("LOCK TABLE {} IN EXCLUSIVE MODE", names.join(", "));
    sqlx::query(&statement).execute(db).await?;
    Ok(())
}

/// Refuses a target any of whose tables holds a row (its migration history aside).
pub async fn refuse_rows(db: &mut PgConnection, tables: &[Table]) -> anyhow::Result<()> {
    let mut occupied = Vec::new();
    for table in tables {
        let statement = format!("SELECT EXISTS (SELECT 1 FROM {})", quoted(&table.name));
        let holds: bool = sqlx::query_scalar(&statement).fetch_one(&mut *db).await?;
        if holds {
            occupied.push(table.name.as_str());
        }
    }
    if occupied.is_empty() {
        return Ok(());
    }
    Err(Refusal::NotEmpty(occupied.join(", ")).into())
}

/// Refuses a schema with a trigger that runs on INSERT: the copy takes every row as it is, the
/// `folds` too. Today's triggers (folds_*) run after an UPDATE or DELETE only.
pub async fn refuse_insert_triggers(db: &mut PgConnection) -> anyhow::Result<()> {
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT trigger_name::text, event_object_table::text FROM information_schema.triggers
         WHERE trigger_schema = current_schema() AND event_manipulation = 'INSERT'
         ORDER BY trigger_name LIMIT 1",
    )
    .fetch_optional(db)
    .await?;
    match found {
        None => Ok(()),
        Some((trigger, table)) => Err(Refusal::InsertTrigger { trigger, table }.into()),
    }
}

/// Sets `table.column`'s identity so that the next row gets `high + 1`: never a value given
/// before. That next value. (A rollback does not undo `setval`: a copy that fails after it leaves
/// the sequence moved on, which only skips numbers.)
pub async fn move_identity(
    db: &mut PgConnection,
    table: &str,
    column: &str,
    high: i64,
) -> sqlx::Result<i64> {
    // setval takes no 0: an empty log starts at 1, as it would have.
    sqlx::query("SELECT setval(pg_get_serial_sequence($1, $2), greatest($3, 1), $3 > 0)")
        .bind(quoted(table))
        .bind(column)
        .bind(high)
        .execute(db)
        .await?;
    Ok(high + 1)
}

/// `table` in PostgreSQL holds as many rows as SQLite's (`sqlite_rows`), and the same ones as
/// were copied (`copied`, tallied from SQLite): the rows are read back, converted as SQLite's
/// were, and tallied again.
pub async fn same_rows(
    db: &mut PgConnection,
    table: &Table,
    copied: &Tally,
    sqlite_rows: i64,
) -> anyhow::Result<()> {
    let name = quoted(&table.name);
    let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {name}"))
        .fetch_one(&mut *db)
        .await?;
    if count != sqlite_rows {
        return Err(Refusal::Count {
            table: table.name.clone(),
            sqlite: sqlite_rows,
            postgres: count,
        }
        .into());
    }
    let select = format!("SELECT {} FROM {name}", table.column_list());
    let mut rows = sqlx::query(&select).fetch(db);
    let mut read_back = Tally::default();
    while let Some(row) = rows.try_next().await? {
        read_back.add(&values::from_postgres(&row, &table.columns)?);
    }
    if read_back != *copied {
        return Err(Refusal::Digest(table.name.clone()).into());
    }
    Ok(())
}
