//! Failed guesses at secrets, counted together by every copy of the server on one database (see
//! `auth::limiter`): the same rules as `auth::rate_limit`'s memory, in a table.

use super::backend::{Db, Lock, on};
use uuid::Uuid;

/// What locks, and for how long (all in milliseconds since the Unix epoch).
pub struct Rules {
    pub window_ms: i64,
    /// Failures of one account that lock it.
    pub per_account: usize,
    /// Distinct targets failed from one address that lock it.
    pub per_address: usize,
}

/// Counts a failure of `target` from `address` at `now_ms`, unless the target (when `account`)
/// or the address is locked: the failure's id, or else how many milliseconds until unlocked. Under
/// a lock of its own, so that guesses sent at once through every copy all count.
pub async fn attempt(
    db: &Db,
    rules: &Rules,
    (target, account): (&[u8], bool),
    address: &str,
    now_ms: i64,
) -> Result<Result<String, i64>, sqlx::Error> {
    let mut tx = db.begin_locked(Lock::LoginFailures).await?;
    let since = now_ms - rules.window_ms;
    let sql = "DELETE FROM login_failures WHERE at_ms <= $1";
    on!(tx.conn(), c => sqlx::query(sql).bind(since).execute(c).await.map(drop))?;
    let mut times: Vec<i64> = Vec::new();
    if account {
        let sql = "SELECT at_ms FROM login_failures WHERE target = $1";
        times = on!(tx.conn(), c => sqlx::query_scalar(sql).bind(target).fetch_all(c).await)?;
    }
    let sql = "SELECT MAX(at_ms) FROM login_failures WHERE address = $1 AND for_address
         GROUP BY target";
    let lasts: Vec<i64> =
        on!(tx.conn(), c => sqlx::query_scalar(sql).bind(address).fetch_all(c).await)?;
    let locked = [
        wait(times, rules.per_account, rules.window_ms, now_ms),
        wait(lasts, rules.per_address, rules.window_ms, now_ms),
    ]
    .into_iter()
    .flatten()
    .max();
    if let Some(wait) = locked {
        tx.commit().await?;
        return Ok(Err(wait));
    }
    let id = Uuid::new_v4().to_string();
    let sql = "INSERT INTO login_failures (id, target, address, at_ms) VALUES ($1, $2, $3, $4)";
    on!(tx.conn(), c => sqlx::query(sql)
        .bind(&id)
        .bind(target)
        .bind(address)
        .bind(now_ms)
        .execute(c)
        .await
        .map(drop))?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// How long until fewer than `limit` of `times` are within the window, if `limit` are now.
fn wait(mut times: Vec<i64>, limit: usize, window_ms: i64, now_ms: i64) -> Option<i64> {
    if times.len() < limit {
        return None;
    }
    times.sort_unstable();
    let expiring = times[times.len() - limit];
    Some((window_ms - (now_ms - expiring)).max(0))
}

/// The secret was right: failure `id` is none, and the address's earlier failures for `target`
/// were typos (the account's own failures still count).
pub async fn succeed(db: &Db, id: &str, target: &[u8], address: &str) -> Result<(), sqlx::Error> {
    forgive(db, id).await?;
    let sql = "UPDATE login_failures SET for_address = FALSE WHERE address = $1 AND target = $2";
    on!(db, c => sqlx::query(sql).bind(address).bind(target).execute(c).await.map(drop))
}

/// Failure `id` was no failure: refused before its secret was judged.
pub async fn forgive(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM login_failures WHERE id = $1";
    on!(db, c => sqlx::query(sql).bind(id).execute(c).await.map(drop))
}
