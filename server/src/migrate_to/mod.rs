//! `officina-server migrate-to`: a programme moves from its SQLite file to an empty PostgreSQL
//! database without losing an event. Everything is read from one SQLite snapshot and written in
//! one PostgreSQL transaction, which commits only once every table's rows read back equal to what
//! was copied; the event log keeps its seqs, and the next seq comes after every one ever given.

mod check;
mod copy;
mod source;
mod tables;
mod values;

use anyhow::Context;
use sqlx::{ConnectOptions, Connection, PgConnection, SqliteConnection};
use std::path::{Path, PathBuf};
use tables::Table;
use values::Tally;

/// Why nothing was copied (the target may have been given the schema, but holds no row).
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("database SQLite non trovato: {0}")]
    NoSource(PathBuf),
    #[error("{0} non è un database di Officina: manca la tabella _sqlx_migrations")]
    NotOfficina(PathBuf),
    #[error(
        "{path} non ha le migrazioni {missing} di questo officina-server: avvia una volta \
         `officina-server serve --db {path}`, che le applica, fermalo e ripeti migrate-to"
    )]
    Behind { path: PathBuf, missing: String },
    #[error(
        "{path} ha migrazioni che questo officina-server non conosce ({unknown}): usa la \
         versione di officina-server che le ha applicate"
    )]
    Ahead { path: PathBuf, unknown: String },
    #[error(
        "la migrazione {version} di {path} non è riuscita o non è quella di questo \
         officina-server (checksum diverso)"
    )]
    Altered { path: PathBuf, version: i64 },
    #[error(
        "il database PostgreSQL non è vuoto (righe in: {0}): migrate-to copia solo in un \
         database vuoto"
    )]
    NotEmpty(String),
    #[error(
        "gli schemi non coincidono: tabelle solo in SQLite: {sqlite}; solo in PostgreSQL: {postgres}"
    )]
    Tables { sqlite: String, postgres: String },
    #[error(
        "tabella {table}: gli schemi non coincidono: colonne solo in SQLite: {sqlite}; solo in \
         PostgreSQL: {postgres}"
    )]
    Columns {
        table: String,
        sqlite: String,
        postgres: String,
    },
    #[error("colonna {table}.{column}: migrate-to non sa copiare il tipo PostgreSQL «{data_type}»")]
    Type {
        table: String,
        column: String,
        data_type: String,
    },
    #[error(
        "le chiavi esterne formano un ciclo tra le tabelle {0}: nessun ordine di copia le rispetta"
    )]
    Cycle(String),
    #[error(
        "il trigger {trigger} scatta a ogni INSERT in {table} e potrebbe cambiare le righe \
         copiate: migrate-to va rivisto per lui (server/src/migrate_to)"
    )]
    InsertTrigger { trigger: String, table: String },
    #[error("tabella {table}: {sqlite} righe in SQLite, {postgres} in PostgreSQL")]
    Count {
        table: String,
        sqlite: i64,
        postgres: i64,
    },
    #[error(
        "tabella {0}: le righe rilette da PostgreSQL non sono quelle copiate da SQLite \
         (impronta diversa)"
    )]
    Digest(String),
}

/// Copies the SQLite database `from` into the empty PostgreSQL database at `url` (made or brought
/// up to date with its schema first), telling `say` what was copied. The server must be stopped:
/// an event pushed to SQLite after the snapshot would not be copied.
pub async fn run(from: &Path, url: &str, say: &mut dyn FnMut(String)) -> anyhow::Result<()> {
    let mut sqlite = source::open(from).await?;
    let mut target = target(url).await?;
    let mut snapshot = sqlite.begin().await?;
    let mut tx = target.begin().await?;
    let tables = prepare(&mut snapshot, &mut tx).await?;
    let copied = match copy_all(&mut snapshot, &mut tx, tables).await {
        Ok(copied) => copied,
        Err(err) => {
            // Dropping the transaction would roll back too, but only once the connection is next
            // used; the error that brought us here is the one worth telling.
            let _ = tx.rollback().await;
            return Err(err.context("migrazione annullata: nessuna riga scritta in PostgreSQL"));
        }
    };
    tx.commit().await.context("COMMIT su PostgreSQL")?;
    snapshot.rollback().await?;
    target.close().await?;
    say(format!(
        "copiato {} in PostgreSQL; righe per tabella:",
        from.display()
    ));
    tell(&copied, say);
    Ok(())
}

/// The PostgreSQL database at `url`, with its schema, as one connection of its own: its
/// statements read and write whole tables, slow by nature, not worth a warning each.
async fn target(url: &str) -> anyhow::Result<PgConnection> {
    let pool = crate::db::open_postgres(url).await?;
    let options = pool.connect_options().as_ref().clone();
    pool.close().await;
    let connection = options.disable_statement_logging().connect().await;
    connection.context("non posso connettermi di nuovo a PostgreSQL")
}

/// The tables to copy, once the target is locked and found empty; nothing is written yet.
async fn prepare(
    snapshot: &mut SqliteConnection,
    tx: &mut PgConnection,
) -> anyhow::Result<Vec<Table>> {
    let tables = tables::plan(snapshot, tx).await?;
    check::lock(tx, &tables).await?;
    check::refuse_rows(tx, &tables).await?;
    check::refuse_insert_triggers(tx).await?;
    Ok(tables)
}

/// What was copied: each table with its rows, and the next value of each identity (the log's
/// next seq).
struct Copied {
    tables: Vec<(Table, Tally)>,
    next: Vec<(String, i64)>,
}

/// Every table from the SQLite `snapshot` into the PostgreSQL transaction `tx`, checked.
async fn copy_all(
    snapshot: &mut SqliteConnection,
    tx: &mut PgConnection,
    tables: Vec<Table>,
) -> anyhow::Result<Copied> {
    let counts = crate::backup::manifest::counts(snapshot).await?;
    let mut copied = Copied {
        tables: Vec::new(),
        next: Vec::new(),
    };
    for table in tables {
        let tally = copy::table(snapshot, tx, &table)
            .await
            .with_context(|| format!("tabella {}", table.name))?;
        // The counts are of the same snapshot's tables, so each table has one.
        check::same_rows(tx, &table, &tally, counts[&table.name]).await?;
        copied.tables.push((table, tally));
    }
    for (table, _) in &copied.tables {
        if let Some(column) = &table.identity {
            let high = source::high_water(snapshot, &table.name, column).await?;
            let next = check::move_identity(tx, &table.name, column, high).await?;
            copied.next.push((format!("{}.{column}", table.name), next));
        }
    }
    Ok(copied)
}

fn tell(copied: &Copied, say: &mut dyn FnMut(String)) {
    for (table, tally) in &copied.tables {
        say(format!("  {:<24} {:>12}", table.name, tally.rows()));
    }
    for (column, next) in &copied.next {
        say(format!("{column} riprende da {next}"));
    }
    let rows: u64 = copied.tables.iter().map(|(_, t)| t.rows()).sum();
    say(format!(
        "copia completa: {rows} righe in {} tabelle, rilette da PostgreSQL e uguali a quelle di SQLite",
        copied.tables.len()
    ));
}

/// `name` as an SQL identifier, for SQLite and PostgreSQL alike.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
