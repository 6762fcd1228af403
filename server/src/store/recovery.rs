//! Recovery codes: one live code per account, as a hash, for 24 hours, used once.

use super::accounts::end_sessions;
use super::backend::{Db, on};
use super::clock;
use crate::auth::tokens::TokenHash;

/// How long a recovery code can be used.
const CODE_LIFETIME: time::Duration = time::Duration::hours(24);

/// Stores `code` as `user_id`'s recovery code, replacing any earlier one; returns when it expires.
pub async fn issue(
    db: &Db,
    user_id: &str,
    code: &TokenHash,
    issued_by: &str,
) -> Result<String, sqlx::Error> {
    let sql = "INSERT INTO recovery_codes (user_id, code_hash, expires_at, issued_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash,
             expires_at = excluded.expires_at, issued_by = excluded.issued_by
         RETURNING expires_at";
    on!(db, c => sqlx::query_scalar(sql)
        .bind(user_id)
        .bind(&code.0[..])
        .bind(clock::at_seconds(CODE_LIFETIME))
        .bind(issued_by)
        .fetch_one(c)
        .await)
}

/// Whether `code` is `user_id`'s live recovery code: a cheap check before the new secret is
/// hashed, so wrong guesses cost no hashing.
pub async fn is_live(db: &Db, user_id: &str, code: &TokenHash) -> Result<bool, sqlx::Error> {
    let sql = format!("SELECT EXISTS (SELECT 1 FROM recovery_codes WHERE {LIVE})");
    on!(db, c => sqlx::query_scalar(&sql)
        .bind(user_id)
        .bind(&code.0[..])
        .bind(clock::now_seconds())
        .fetch_one(c)
        .await)
}

/// The row for the account and code bound first and second, not expired at the time bound third, whose issuer may still
/// issue it: a parent still linked by a confirmed link, an educator still active and running the
/// account's cohort, an admin still active. An unlinked parent or an educator taken off the cohort
/// holds a dead code.
const LIVE: &str = "user_id = $1 AND code_hash = $2
    AND expires_at > $3
    AND (EXISTS (SELECT 1 FROM family_links AS l
                 WHERE l.parent_id = issued_by AND l.child_id = recovery_codes.user_id
                   AND l.confirmed_at IS NOT NULL)
      OR EXISTS (SELECT 1 FROM users AS staff
                 WHERE staff.id = issued_by AND staff.disabled_at IS NULL
                   AND (staff.role = 'admin'
                        OR EXISTS (SELECT 1 FROM cohort_educators AS ce
                                   JOIN users AS member ON member.cohort_id = ce.cohort_id
                                   WHERE ce.user_id = staff.id
                                     AND member.id = recovery_codes.user_id))))";

/// Uses up the code and gives the account `secret_hash`, ending every session of theirs, in one
/// transaction; false if the code was not live any more (another request used it meanwhile).
pub async fn recover(
    db: &Db,
    user_id: &str,
    code: &TokenHash,
    secret_hash: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = format!("DELETE FROM recovery_codes WHERE {LIVE}");
    let used = on!(tx.conn(), c => sqlx::query(&sql)
        .bind(user_id)
        .bind(&code.0[..])
        .bind(clock::now_seconds())
        .execute(c)
        .await
        .map(|done| done.rows_affected()))?
        == 1;
    if used {
        let sql = "UPDATE users SET secret_hash = $1 WHERE id = $2";
        on!(tx.conn(), c => sqlx::query(sql)
            .bind(secret_hash)
            .bind(user_id)
            .execute(c)
            .await
            .map(drop))?;
        end_sessions(tx.conn(), user_id).await?;
    }
    tx.commit().await?;
    Ok(used)
}
