//! What to copy, read from the two schemas rather than listed by hand (a new table or column
//! needs no code here): the tables in foreign-key order, each column with PostgreSQL's type.

use super::{Refusal, quoted};
use sqlx::{PgConnection, SqliteConnection};
use std::collections::{BTreeMap, BTreeSet};

/// The tables neither side copies: each database keeps its own migration history.
const MIGRATIONS: &str = "_sqlx_migrations";

/// How a column's values cross over, by its PostgreSQL type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    /// BOOLEAN, an INTEGER 0 or 1 in SQLite.
    Boolean,
    Real,
    /// BYTEA, a BLOB in SQLite.
    Bytes,
}

impl Kind {
    fn of(data_type: &str) -> Option<Self> {
        match data_type {
            "text" => Some(Self::Text),
            "bigint" => Some(Self::Integer),
            "boolean" => Some(Self::Boolean),
            "double precision" => Some(Self::Real),
            "bytea" => Some(Self::Bytes),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

#[derive(Debug)]
pub struct Table {
    pub name: String,
    /// In PostgreSQL's order.
    pub columns: Vec<Column>,
    /// The column PostgreSQL numbers itself (`GENERATED … AS IDENTITY`): `events.seq`.
    pub identity: Option<String>,
}

impl Table {
    /// The columns, quoted and apart by commas, for `SELECT` and `COPY`.
    pub fn column_list(&self) -> String {
        let names: Vec<String> = self.columns.iter().map(|c| quoted(&c.name)).collect();
        names.join(", ")
    }
}

/// The tables to copy, every table before those whose foreign keys name it. Both databases must
/// have the same tables with the same columns.
pub async fn plan(
    sqlite: &mut SqliteConnection,
    postgres: &mut PgConnection,
) -> anyhow::Result<Vec<Table>> {
    let parents = sqlite_parents(sqlite).await?;
    let postgres_tables = postgres_tables(postgres).await?;
    let sqlite_tables: BTreeSet<String> = parents.keys().cloned().collect();
    if sqlite_tables != postgres_tables {
        return Err(Refusal::Tables {
            sqlite: listed(sqlite_tables.difference(&postgres_tables)),
            postgres: listed(postgres_tables.difference(&sqlite_tables)),
        }
        .into());
    }
    let mut tables = Vec::new();
    for name in foreign_key_order(&parents)? {
        tables.push(table(sqlite, postgres, name).await?);
    }
    Ok(tables)
}

/// SQLite's tables, each with the tables its foreign keys name.
async fn sqlite_parents(
    sqlite: &mut SqliteConnection,
) -> sqlx::Result<BTreeMap<String, BTreeSet<String>>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> $1",
    )
    .bind(MIGRATIONS)
    .fetch_all(&mut *sqlite)
    .await?;
    let mut parents = BTreeMap::new();
    for name in names {
        let named: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)")
                .bind(&name)
                .fetch_all(&mut *sqlite)
                .await?;
        parents.insert(name, named.into_iter().collect());
    }
    Ok(parents)
}

async fn postgres_tables(postgres: &mut PgConnection) -> sqlx::Result<BTreeSet<String>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> $1",
    )
    .bind(MIGRATIONS)
    .fetch_all(&mut *postgres)
    .await?;
    Ok(names.into_iter().collect())
}

/// The tables ordered so that each comes after those its foreign keys name, alphabetically
/// where the keys leave it free. A table naming itself (`users.paper_consent_by`) is no
/// constraint: one `COPY` holds the whole table, and PostgreSQL checks its foreign keys at the
/// end of the statement, so a row may name one that comes after it.
pub fn foreign_key_order(
    parents: &BTreeMap<String, BTreeSet<String>>,
) -> Result<Vec<String>, Refusal> {
    let mut order: Vec<String> = Vec::new();
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    while order.len() < parents.len() {
        let ready: Vec<&str> = parents
            .iter()
            .filter(|(table, named)| {
                !placed.contains(table.as_str())
                    && named.iter().all(|parent| {
                        parent == *table
                            || placed.contains(parent.as_str())
                            || !parents.contains_key(parent)
                    })
            })
            .map(|(table, _)| table.as_str())
            .collect();
        if ready.is_empty() {
            let left = parents.keys().filter(|t| !placed.contains(t.as_str()));
            return Err(Refusal::Cycle(listed(left)));
        }
        for table in ready {
            placed.insert(table);
            order.push(table.to_owned());
        }
    }
    Ok(order)
}

/// The table `name` with PostgreSQL's columns, which must be SQLite's.
async fn table(
    sqlite: &mut SqliteConnection,
    postgres: &mut PgConnection,
    name: String,
) -> anyhow::Result<Table> {
    let described: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text, is_identity = 'YES'
         FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(&name)
    .fetch_all(&mut *postgres)
    .await?;
    let in_sqlite: BTreeSet<String> =
        sqlx::query_scalar::<_, String>("SELECT name FROM pragma_table_info($1)")
            .bind(&name)
            .fetch_all(&mut *sqlite)
            .await?
            .into_iter()
            .collect();
    let in_postgres: BTreeSet<String> = described.iter().map(|(c, _, _)| c.clone()).collect();
    if in_sqlite != in_postgres {
        return Err(Refusal::Columns {
            table: name,
            sqlite: listed(in_sqlite.difference(&in_postgres)),
            postgres: listed(in_postgres.difference(&in_sqlite)),
        }
        .into());
    }
    let identity = described.iter().find(|(_, _, id)| *id).map(|c| c.0.clone());
    let mut columns = Vec::new();
    for (column, data_type, _) in described {
        let Some(kind) = Kind::of(&data_type) else {
            return Err(Refusal::Type {
                table: name,
                column,
                data_type,
            }
            .into());
        };
        columns.push(Column { name: column, kind });
    }
    Ok(Table {
        name,
        columns,
        identity,
    })
}

/// Names apart by commas, or "nessuna".
fn listed<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() {
        "nessuna".into()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &[&str])]) -> BTreeMap<String, BTreeSet<String>> {
        edges
            .iter()
            .map(|(table, parents)| {
                let parents = parents.iter().map(|p| (*p).to_owned()).collect();
                ((*table).to_owned(), parents)
            })
            .collect()
    }

    #[test]
    fn parents_come_first_and_a_table_may_name_itself() {
        let parents = graph(&[
            ("cohort_educators", &["cohorts", "users"]),
            ("cohorts", &[]),
            ("events", &[]),
            ("photos", &["photo_uploads", "users"]),
            ("photo_uploads", &["users"]),
            ("users", &["cohorts", "users"]),
        ]);
        assert_eq!(
            foreign_key_order(&parents).unwrap(),
            [
                "cohorts",
                "events",
                "users",
                "cohort_educators",
                "photo_uploads",
                "photos"
            ]
        );
    }

    #[test]
    fn a_cycle_between_tables_is_refused_by_name() {
        let parents = graph(&[("a", &["b"]), ("b", &["a"]), ("c", &[])]);
        let refusal = foreign_key_order(&parents).unwrap_err();
        assert!(
            matches!(&refusal, Refusal::Cycle(tables) if tables == "a, b"),
            "{refusal}"
        );
    }
}
