//! One type for the two databases: SQLite (one file, the default) and PostgreSQL (several copies
//! of the server). A store function writes its SQL once, with `$N` placeholders and spellings both
//! understand, and runs it on either through [`on!`]: the macro writes the body out once per
//! database, so each runs with its own native types (see the README for why not sqlx's `Any`).

use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

/// Something of each database: a pool, a connection, a transaction.
#[derive(Debug, Clone)]
pub enum Backend<S, P> {
    Sqlite(S),
    Postgres(P),
}

/// The database's pool: cheap to clone.
pub type Db = Backend<SqlitePool, PgPool>;
/// A connection to run statements on, borrowed from a transaction, a pool or the writer.
pub type Conn<'c> = Backend<&'c mut SqliteConnection, &'c mut PgConnection>;
/// A transaction: [`Tx::conn`] to run statements in it, then [`Tx::commit`].
pub type Tx = Backend<Transaction<'static, Sqlite>, Transaction<'static, Postgres>>;
/// A connection taken from the pool for a few statements.
pub type Pooled = Backend<PoolConnection<Sqlite>, PoolConnection<Postgres>>;

/// Runs `$body` with `$c` bound to the native pool (from a `&Db`) or connection (from a
/// [`Conn`], taken by value) of whichever database `$on` holds.
#[macro_export]
macro_rules! on {
    ($on:expr, $c:ident => $body:expr) => {
        match $on {
            $crate::store::backend::Backend::Sqlite($c) => $body,
            $crate::store::backend::Backend::Postgres($c) => $body,
        }
    };
}
pub use on;

/// What an advisory lock on PostgreSQL serialises, across every copy of the server (SQLite's
/// one write lock serialises every writing transaction anyway).
#[derive(Debug, Clone, Copy)]
pub enum Lock {
    /// Whatever gives or moves `seq`s, or checks then writes: see [`Db::begin_write`].
    Writes = 0x0ff1_c1a0,
    /// The shared login rate limiter's counts (`auth::limiter`).
    LoginFailures = 0x0ff1_c1a1,
}

impl Db {
    /// A transaction for writes that must see every other one in `seq` order: pushes (which give
    /// `seq`s), moving `seq`s, checks followed by writes. SQLite serialises writing transactions
    /// by itself, from their first write; on PostgreSQL, where `seq`s would otherwise become
    /// visible out of order (a device pulling past one still being committed would skip it), an
    /// advisory lock held until the commit does it, across every copy of the server.
    pub async fn begin_write(&self) -> sqlx::Result<Tx> {
        self.begin_locked(Lock::Writes).await
    }

    /// A transaction holding `which` (on PostgreSQL) until it ends.
    pub async fn begin_locked(&self, which: Lock) -> sqlx::Result<Tx> {
        let mut tx = self.begin().await?;
        lock(tx.conn(), which).await?;
        Ok(tx)
    }

    /// A read-only transaction whose statements all see one snapshot, as SQLite's do; PostgreSQL's
    /// would otherwise each see the latest commits.
    pub async fn begin_snapshot(&self) -> sqlx::Result<Tx> {
        let mut tx = self.begin().await?;
        if let Backend::Postgres(c) = tx.conn() {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(c)
                .await?;
        }
        Ok(tx)
    }

    pub async fn begin(&self) -> sqlx::Result<Tx> {
        Ok(match self {
            Self::Sqlite(pool) => Backend::Sqlite(pool.begin().await?),
            Self::Postgres(pool) => Backend::Postgres(pool.begin().await?),
        })
    }

    pub async fn acquire(&self) -> sqlx::Result<Pooled> {
        Ok(match self {
            Self::Sqlite(pool) => Backend::Sqlite(pool.acquire().await?),
            Self::Postgres(pool) => Backend::Postgres(pool.acquire().await?),
        })
    }

    pub async fn close(&self) {
        on!(self, pool => pool.close().await)
    }
}

/// Takes `which` until the end of the transaction `conn` is in (the writer's own connection begins
/// its transactions by hand).
pub async fn lock(conn: Conn<'_>, which: Lock) -> sqlx::Result<()> {
    if let Backend::Postgres(c) = conn {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(which as i64)
            .execute(c)
            .await?;
    }
    Ok(())
}

impl Tx {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Self::Sqlite(tx) => Backend::Sqlite(&mut **tx),
            Self::Postgres(tx) => Backend::Postgres(&mut **tx),
        }
    }

    pub async fn commit(self) -> sqlx::Result<()> {
        on!(self, tx => tx.commit().await)
    }
}

impl Pooled {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Self::Sqlite(conn) => Backend::Sqlite(&mut **conn),
            Self::Postgres(conn) => Backend::Postgres(&mut **conn),
        }
    }
}

impl Backend<sqlx::SqliteConnection, sqlx::PgConnection> {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Self::Sqlite(conn) => Backend::Sqlite(conn),
            Self::Postgres(conn) => Backend::Postgres(conn),
        }
    }
}

/// Runs `sql`, a statement without parameters or rows (`COMMIT`, `SAVEPOINT job`, …).
pub async fn execute(conn: Conn<'_>, sql: &str) -> sqlx::Result<()> {
    on!(conn, c => sqlx::query(sql).execute(c).await.map(drop))
}

impl Conn<'_> {
    /// The same connection for one more call, keeping this one for later calls.
    pub fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Self::Sqlite(conn) => Backend::Sqlite(&mut **conn),
            Self::Postgres(conn) => Backend::Postgres(&mut **conn),
        }
    }
}

impl<S, P> Backend<S, P> {
    /// A table of the texts in the JSON array bound at `param`, as `alias.value`, in order of
    /// `alias.key`.
    pub fn json_list(&self, param: &str, alias: &str) -> String {
        match self {
            Self::Sqlite(_) => format!("json_each({param}) AS {alias}"),
            Self::Postgres(_) => format!(
                "json_array_elements_text({param}::json) WITH ORDINALITY AS {alias}(value, key)"
            ),
        }
    }
}
