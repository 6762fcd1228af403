//! One table from SQLite into PostgreSQL: its rows streamed into one `COPY … FROM STDIN`, a
//! bounded chunk at a time, so a log of millions of events takes no more memory than a few rows.

use super::quoted;
use super::tables::Table;
use super::values::{self, Tally};
use anyhow::bail;
use futures_util::TryStreamExt;
use sqlx::postgres::PgCopyIn;
use sqlx::{PgConnection, SqliteConnection};

/// The `COPY` text gathered before it is sent.
const CHUNK: usize = 1 << 20;

/// Copies `table`'s rows; their tally, as read from SQLite.
pub async fn table(
    sqlite: &mut SqliteConnection,
    postgres: &mut PgConnection,
    table: &Table,
) -> anyhow::Result<Tally> {
    let columns = table.column_list();
    let name = quoted(&table.name);
    let statement = format!("COPY {name} ({columns}) FROM STDIN");
    let mut copy = postgres.copy_in_raw(&statement).await?;
    let select = format!("SELECT {columns} FROM {name}");
    let tally = match send_rows(sqlite, &select, table, &mut copy).await {
        Ok(tally) => tally,
        Err(err) => {
            // Ends the COPY, so that the connection can roll the transaction back; the error
            // PostgreSQL answers with is the one expected.
            let _ = copy
                .abort("migrate-to: la lettura da SQLite è fallita")
                .await;
            return Err(err);
        }
    };
    let copied = copy.finish().await?;
    if copied != tally.rows() {
        bail!(
            "PostgreSQL dice di aver copiato {copied} righe, SQLite ne ha date {}",
            tally.rows()
        );
    }
    Ok(tally)
}

async fn send_rows(
    sqlite: &mut SqliteConnection,
    select: &str,
    table: &Table,
    copy: &mut PgCopyIn<&mut PgConnection>,
) -> anyhow::Result<Tally> {
    let mut rows = sqlx::query(select).fetch(sqlite);
    let mut tally = Tally::default();
    let mut chunk = String::with_capacity(CHUNK);
    while let Some(row) = rows.try_next().await? {
        let values = values::from_sqlite(&row, &table.columns)?;
        tally.add(&values);
        values::write_copy_row(&values, &mut chunk);
        if chunk.len() >= CHUNK {
            copy.send(chunk.as_bytes()).await?;
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        copy.send(chunk.as_bytes()).await?;
    }
    Ok(tally)
}
