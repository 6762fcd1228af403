//! The SQLite database: one file, WAL mode, full fsync on commit because an acknowledged push
//! lets a phone drop the events from its outbox.

use crate::store::backend::{Backend, Db};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot fill the nicknames' skeletons: {0}")]
    Skeletons(sqlx::Error),
}

/// Opens (creating it when missing) the database at `path` and brings its schema up to date.
pub async fn open(path: &Path) -> Result<SqlitePool, DbError> {
    let shown = path.display().to_string();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| DbError::Folder {
            path: shown.clone(),
            source,
        })?;
    }
    let options = options(path).create_if_missing(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .map_err(|source| DbError::Open {
            path: shown,
            source,
        })?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    fill_skeletons(&pool).await.map_err(DbError::Skeletons)?;
    Ok(pool)
}

/// [`open`], as the store takes it.
pub async fn open_db(path: &Path) -> Result<Db, DbError> {
    Ok(Backend::Sqlite(open(path).await?))
}

/// [`open_existing`], as the store takes it.
pub async fn open_existing_db(path: &Path) -> Result<Db, DbError> {
    Ok(Backend::Sqlite(open_existing(path).await?))
}

/// How every connection to the database at `path` is opened: WAL, fsync at every commit.
pub fn options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
}

/// An existing database, for the commands that work beside a running server: opening it never
/// creates it (a mistyped path is an error, not a new empty database) nor migrates it (the server
/// does that).
pub async fn open_existing(path: &Path) -> Result<SqlitePool, DbError> {
    let options = options(path).create_if_missing(false);
    SqlitePoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .map_err(|source| DbError::Open {
            path: path.display().to_string(),
            source,
        })
}

/// Gives the members who joined before nicknames had skeletons theirs. A member whose look-alike
/// already holds the skeleton keeps none (and is looked at again at the next start, cheaply).
async fn fill_skeletons(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let members: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, nickname FROM users
         WHERE cohort_id IS NOT NULL AND nickname_skeleton IS NULL ORDER BY created_at, id",
    )
    .fetch_all(pool)
    .await?;
    for (id, nickname) in members {
        // Not over a look-alike's: the skeleton is unique per cohort (migration 0017).
        sqlx::query(
            "UPDATE users SET nickname_skeleton = $1 WHERE id = $2
               AND NOT EXISTS (SELECT 1 FROM users AS holder
                               WHERE holder.cohort_id = users.cohort_id
                                 AND holder.nickname_skeleton = $1 AND holder.id <> users.id)",
        )
        .bind(crate::nicknames::skeleton(&nickname))
        .bind(id)
        .execute(pool)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    use std::str::FromStr;

    /// The spellings the store uses so that one SQL text can serve PostgreSQL too (issue 17) run on
    /// the bundled SQLite: `$N` placeholders (bound by number, reused, in any order),
    /// `IS [NOT] DISTINCT FROM` (SQLite 3.39+) and `ON CONFLICT DO NOTHING` without a target.
    #[tokio::test]
    async fn portable_spellings_run_on_the_bundled_sqlite() {
        let mut db = SqliteConnectOptions::from_str("sqlite::memory:")
            .unwrap()
            .connect()
            .await
            .unwrap();
        let text: String = sqlx::query_scalar("SELECT sqlite_version()")
            .fetch_one(&mut db)
            .await
            .unwrap();
        let parts: Vec<u32> = text.split('.').map(|p| p.parse().unwrap()).collect();
        let version = (parts[0], parts[1]);
        assert!(version >= (3, 39), "SQLite {text}");

        let joined: String = sqlx::query_scalar("SELECT $2 || $1 || $2 || $3")
            .bind("a")
            .bind("b")
            .bind("c")
            .fetch_one(&mut db)
            .await
            .unwrap();
        assert_eq!(joined, "babc");

        let same: (bool, bool, bool, bool) = sqlx::query_as(
            "SELECT $1 IS NOT DISTINCT FROM $2, $1 IS DISTINCT FROM $3,
                    $3 IS NOT DISTINCT FROM $3, $2 IS DISTINCT FROM $3",
        )
        .bind(None::<&str>)
        .bind(None::<&str>)
        .bind("x")
        .fetch_one(&mut db)
        .await
        .unwrap();
        assert_eq!(same, (true, true, true, true));

        sqlx::query("CREATE TABLE t (k TEXT PRIMARY KEY NOT NULL, v TEXT NOT NULL)")
            .execute(&mut db)
            .await
            .unwrap();
        let mut inserted = Vec::new();
        for v in ["first", "second"] {
            let done = sqlx::query("INSERT INTO t (k, v) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind("k")
                .bind(v)
                .execute(&mut db)
                .await
                .unwrap();
            inserted.push(done.rows_affected());
        }
        assert_eq!(inserted, [1, 0]);
        let kept: String = sqlx::query_scalar("SELECT v FROM t WHERE k = $1")
            .bind("k")
            .fetch_one(&mut db)
            .await
            .unwrap();
        assert_eq!(kept, "first");
        db.close().await.unwrap();
    }
}
