//! The SQLite database: one file, WAL mode, full fsync on commit because an acknowledged push
//! lets a phone drop the events from its outbox.

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
    sqlx::migrate!("./migrations").run(&pool).await?;
    fill_skeletons(&pool).await.map_err(DbError::Skeletons)?;
    Ok(pool)
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
        sqlx::query("UPDATE OR IGNORE users SET nickname_skeleton = ? WHERE id = ?")
            .bind(crate::nicknames::skeleton(&nickname))
            .bind(id)
            .execute(pool)
            .await?;
    }
    Ok(())
}
