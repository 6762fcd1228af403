//! The SQLite database: one file, WAL mode, full fsync on commit because an acknowledged push
//! lets a phone drop the events from its outbox. And the PostgreSQL database that replaces it for
//! several copies of the server (issue 17).

use crate::store::backend::{Backend, Db, on};
use crate::store::writer::OwnConnection;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool, SqlitePool};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// SQLite's migrations, which this binary applies (and `migrate-to` expects a source to have).
pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");

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
    /// Not `source`: sqlx's errors repeat their cause in their own message.
    #[error("cannot open the PostgreSQL database {url}: {why}")]
    Postgres { url: String, why: sqlx::Error },
    #[error("not a PostgreSQL URL (postgres://USER@HOST:PORT/NAME): {0}")]
    Url(String),
    #[error(
        "the PostgreSQL database {database} has collation «{collate}» and ctype «{ctype}», not C: \
         Officina needs C for both, so that text compares byte by byte as in SQLite and lower() \
         folds ASCII letters alone as NOCASE does. Create the database with \
         CREATE DATABASE … TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C' \
         (or in a cluster made with initdb --locale=C)"
    )]
    Collation {
        database: String,
        collate: String,
        ctype: String,
    },
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
    SQLITE_MIGRATIONS.run(&pool).await?;
    let db = Backend::Sqlite(pool.clone());
    fill_skeletons(&db).await.map_err(DbError::Skeletons)?;
    Ok(pool)
}

/// Where the data is: an SQLite file (the default: one server) or a PostgreSQL database
/// (`postgres://…`: several copies of the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

impl FromStr for Target {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(
            if text.starts_with("postgres://") || text.starts_with("postgresql://") {
                Self::Postgres(text.to_owned())
            } else {
                Self::Sqlite(PathBuf::from(text))
            },
        )
    }
}

impl Target {
    /// The SQLite file, for what works on the file itself; `what` says what, for the error.
    pub fn sqlite_file(&self, what: &str) -> anyhow::Result<&Path> {
        match self {
            Self::Sqlite(path) => Ok(path),
            Self::Postgres(_) => {
                anyhow::bail!("{what} works on an SQLite database file; this one is on PostgreSQL")
            }
        }
    }
}

/// Opens the database, creating an SQLite file when missing, and brings its schema up to date.
pub async fn open_db(target: &Target) -> Result<Db, DbError> {
    Ok(match target {
        Target::Sqlite(path) => Backend::Sqlite(open(path).await?),
        Target::Postgres(url) => {
            let db = Backend::Postgres(open_postgres(url).await?);
            // A copy from SQLite may hold a member whose look-alike kept the skeleton there.
            fill_skeletons(&db).await.map_err(DbError::Skeletons)?;
            db
        }
    })
}

/// An existing database, for the commands that work beside a running server (see
/// [`open_existing`]).
pub async fn open_existing_db(target: &Target) -> Result<Db, DbError> {
    Ok(match target {
        Target::Sqlite(path) => Backend::Sqlite(open_existing(path).await?),
        Target::Postgres(url) => Backend::Postgres(open_postgres(url).await?),
    })
}

/// The writer's own connection (see `store::writer`).
pub async fn own_connection(target: &Target) -> Result<OwnConnection, DbError> {
    Ok(match target {
        Target::Sqlite(path) => {
            let conn = options(path)
                .connect()
                .await
                .map_err(|source| DbError::Open {
                    path: path.display().to_string(),
                    source,
                })?;
            Backend::Sqlite(conn)
        }
        Target::Postgres(url) => {
            let options = postgres_options(url)?;
            let shown = shown(&options);
            let conn = PgConnection::connect_with(&options)
                .await
                .map_err(|why| DbError::Postgres { url: shown, why })?;
            Backend::Postgres(conn)
        }
    })
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

/// Opens the PostgreSQL database at `url`, whose text must compare as SQLite's does, and brings its
/// schema up to date. A password is best left out of the URL (other users see it in `ps`):
/// `PGPASSWORD` or `~/.pgpass` supply it.
pub async fn open_postgres(url: &str) -> Result<PgPool, DbError> {
    let options = postgres_options(url)?;
    let shown = shown(&options);
    let open = |why| DbError::Postgres {
        url: shown.clone(),
        why,
    };
    // One connection first: a pool would retry a refused connection until it timed out, and say
    // only that it timed out.
    let mut first = options.connect().await.map_err(open)?;
    check_collation(&mut first, &shown).await?;
    sqlx::migrate!("./migrations/postgres")
        .run(&mut first)
        .await?;
    first.close().await.map_err(open)?;
    PgPoolOptions::new()
        .connect_with(options)
        .await
        .map_err(open)
}

fn postgres_options(url: &str) -> Result<PgConnectOptions, DbError> {
    // Not echoed: the URL may hold a password.
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(DbError::Url(
            "it must start with postgres:// or postgresql://".into(),
        ));
    }
    PgConnectOptions::from_str(url).map_err(|err| DbError::Url(err.to_string()))
}

/// The database's URL without its password, for messages.
fn shown(options: &PgConnectOptions) -> String {
    let user = options.get_username();
    let database = options.get_database().unwrap_or(user);
    let (host, port) = (options.get_host(), options.get_port());
    format!("postgres://{user}@{host}:{port}/{database}")
}

/// Refuses a database whose collation or ctype is not C: the store compares, sorts and
/// lower()s text as SQLite does, byte by byte (`migrations/postgres/0024_baseline.sql`).
async fn check_collation(db: &mut PgConnection, shown: &str) -> Result<(), DbError> {
    let (collate, ctype): (String, String) = sqlx::query_as(
        "SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()",
    )
    .fetch_one(&mut *db)
    .await
    .map_err(|why| DbError::Postgres {
        url: shown.to_owned(),
        why,
    })?;
    let is_c = |locale: &str| matches!(locale, "C" | "POSIX");
    if is_c(&collate) && is_c(&ctype) {
        return Ok(());
    }
    Err(DbError::Collation {
        database: shown.to_owned(),
        collate,
        ctype,
    })
}

/// Gives the members who joined before nicknames had skeletons theirs. A member whose look-alike
/// already holds the skeleton keeps none (and is looked at again at the next start, cheaply).
async fn fill_skeletons(db: &Db) -> Result<(), sqlx::Error> {
    let sql = "SELECT id, nickname FROM users
         WHERE cohort_id IS NOT NULL AND nickname_skeleton IS NULL ORDER BY created_at, id";
    let members: Vec<(String, String)> = on!(db, c => sqlx::query_as(sql).fetch_all(c).await)?;
    for (id, nickname) in members {
        // Not over a look-alike's: the skeleton is unique per cohort (migration 0017).
        let sql = "UPDATE users SET nickname_skeleton = $1 WHERE id = $2
               AND NOT EXISTS (SELECT 1 FROM users AS holder
                               WHERE holder.cohort_id = users.cohort_id
                                 AND holder.nickname_skeleton = $1 AND holder.id <> users.id)";
        on!(db, c => sqlx::query(sql)
            .bind(crate::nicknames::skeleton(&nickname))
            .bind(&id)
            .execute(c)
            .await
            .map(drop))?;
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
