//! Family codes and the links between parents and children.

use super::backend::{Conn, Db, on};
use super::{clock, decode_name};
use crate::auth::tokens::TokenHash;
use officina_core::consent::LinkState;
use serde::Serialize;
use uuid::Uuid;

/// How long a family code can be used.
const CODE_LIFETIME: time::Duration = time::Duration::hours(24);

/// One side of a family link, as the other side sees it: no more than a nickname, and whether an
/// educator has confirmed the link yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relative {
    pub id: String,
    pub nickname: String,
    pub state: LinkState,
}

/// What a typed family code turned out to be.
pub enum CodeLookup {
    Unknown,
    Used,
    Expired,
    /// Valid: whose code it is and their role.
    Valid {
        user_id: String,
        role: String,
    },
}

/// Stores a new code for `user_id`; returns when it expires.
pub async fn create_code(db: &Db, user_id: &str, code: &TokenHash) -> Result<String, sqlx::Error> {
    let sql = "INSERT INTO family_codes (code_hash, user_id, expires_at)
         VALUES ($1, $2, $3) RETURNING expires_at";
    on!(db, c => sqlx::query_scalar(sql)
        .bind(&code.0[..])
        .bind(user_id)
        .bind(clock::at_seconds(CODE_LIFETIME))
        .fetch_one(c)
        .await)
}

pub async fn lookup_code(db: &Db, code: &TokenHash) -> Result<CodeLookup, sqlx::Error> {
    let sql = "SELECT users.id, users.role, family_codes.used_at IS NOT NULL,
                family_codes.expires_at <= $2
         FROM family_codes JOIN users ON users.id = family_codes.user_id
         WHERE code_hash = $1 AND users.removed_at IS NULL";
    let row: Option<(String, String, bool, bool)> = on!(db, c => sqlx::query_as(sql)
        .bind(&code.0[..])
        .bind(clock::now_seconds())
        .fetch_optional(c)
        .await)?;
    Ok(match row {
        None => CodeLookup::Unknown,
        Some((_, _, true, _)) => CodeLookup::Used,
        Some((_, _, _, true)) => CodeLookup::Expired,
        Some((user_id, role, false, false)) => CodeLookup::Valid { user_id, role },
    })
}

/// Why a link was not made.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("already linked")]
    AlreadyLinked,
    #[error("the child has two parents already")]
    TooManyParents,
    #[error("the code was used meanwhile")]
    CodeUsed,
    #[error("the parent is not a parent, or the child not a learner, any more")]
    WrongRole,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A child has at most two parents.
const MAX_PARENTS: i64 = 2;

/// Links `parent_id` and `child_id`, pending until an educator confirms it (see `consent`), and uses
/// up the code, in one transaction. Their roles are
/// checked again in it: an educator may have changed one since the request began (a parent made a
/// learner could otherwise link to herself with her own new code), and a role change is refused
/// once a link exists, so the two cannot cross.
pub async fn link(
    db: &Db,
    code: &TokenHash,
    parent_id: &str,
    child_id: &str,
) -> Result<(), LinkError> {
    let mut tx = db.begin_write().await?;
    let sql = "UPDATE family_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL";
    let used = on!(tx.conn(), c => sqlx::query(sql)
        .bind(&code.0[..])
        .bind(clock::now())
        .execute(c)
        .await
        .map(|done| done.rows_affected()))?;
    if used != 1 {
        return Err(LinkError::CodeUsed);
    }
    // Under the write lock: no role change can come between this check and the link.
    // A member removed meanwhile is no side of a link either.
    let sql = "SELECT $1 <> $2
            AND EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'parent' AND removed_at IS NULL)
            AND EXISTS (SELECT 1 FROM users WHERE id = $2 AND role = 'learner' AND removed_at IS NULL)";
    let roles_hold: bool = on!(tx.conn(), c => sqlx::query_scalar(sql)
        .bind(parent_id)
        .bind(child_id)
        .fetch_one(c)
        .await)?;
    if !roles_hold {
        return Err(LinkError::WrongRole);
    }
    let sql = "SELECT COUNT(*) FROM family_links WHERE child_id = $1";
    let parents: i64 =
        on!(tx.conn(), c => sqlx::query_scalar(sql).bind(child_id).fetch_one(c).await)?;
    if parents >= MAX_PARENTS {
        return Err(LinkError::TooManyParents);
    }
    let sql = "INSERT INTO family_links (id, parent_id, child_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING";
    let inserted = on!(tx.conn(), c => sqlx::query(sql)
        .bind(Uuid::new_v4().to_string())
        .bind(parent_id)
        .bind(child_id)
        .execute(c)
        .await
        .map(|done| done.rows_affected()))?;
    if inserted != 1 {
        return Err(LinkError::AlreadyLinked);
    }
    tx.commit().await?;
    Ok(())
}

/// Removes the link between `user_id` and `other`, whichever side each is on: a confirmed link's
/// consent is withdrawn with it.
pub async fn unlink(db: &Db, user_id: &str, other: &str) -> Result<bool, sqlx::Error> {
    let sql = "DELETE FROM family_links
         WHERE (parent_id = $1 AND child_id = $2) OR (parent_id = $2 AND child_id = $1)";
    let removed = on!(db, c => sqlx::query(sql)
        .bind(user_id)
        .bind(other)
        .execute(c)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(removed > 0)
}

pub async fn children(db: &Db, parent_id: &str) -> Result<Vec<Relative>, sqlx::Error> {
    linked(db, Side::Child, parent_id).await
}

pub async fn parents(db: &Db, child_id: &str) -> Result<Vec<Relative>, sqlx::Error> {
    linked(db, Side::Parent, child_id).await
}

#[derive(Clone, Copy)]
enum Side {
    Parent,
    Child,
}

/// The people on `side` of `user_id`'s links, by nickname.
async fn linked(db: &Db, side: Side, user_id: &str) -> Result<Vec<Relative>, sqlx::Error> {
    // Column names from this enum only, never from input.
    let (wanted, known) = match side {
        Side::Parent => ("parent_id", "child_id"),
        Side::Child => ("child_id", "parent_id"),
    };
    let sql = format!(
        "SELECT users.id, users.nickname,
                CASE WHEN confirmed_at IS NULL THEN 'pending' ELSE 'confirmed' END AS state
         FROM family_links JOIN users ON users.id = {wanted}
         WHERE {known} = $1 ORDER BY users.nickname, users.id"
    );
    let rows: Vec<(String, String, String)> =
        on!(db, c => sqlx::query_as(&sql).bind(user_id).fetch_all(c).await)?;
    rows.into_iter()
        .map(|(id, nickname, state)| {
            Ok(Relative {
                id,
                nickname,
                state: decode_name(state)?,
            })
        })
        .collect()
}

/// Everyone linked to `user_id` by a confirmed link, either way: who reads their family
/// confirmations, and whose counts their events take part in.
pub async fn confirmed_relatives(
    conn: Conn<'_>,
    user_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT child_id FROM family_links WHERE parent_id = $1 AND confirmed_at IS NOT NULL
         UNION SELECT parent_id FROM family_links WHERE child_id = $1 AND confirmed_at IS NOT NULL";
    on!(conn, c => sqlx::query_scalar(sql).bind(user_id).fetch_all(c).await)
}

/// Whether `parent_id` is a parent of `child_id` by a confirmed link: what a parent may see and do
/// for a child (photos, badges) needs it. A pending link gives nothing.
pub async fn is_confirmed_parent(
    db: &Db,
    parent_id: &str,
    child_id: &str,
) -> Result<bool, sqlx::Error> {
    let sql = "SELECT EXISTS (SELECT 1 FROM family_links
                        WHERE parent_id = $1 AND child_id = $2 AND confirmed_at IS NOT NULL)";
    on!(db, c => sqlx::query_scalar(sql)
        .bind(parent_id)
        .bind(child_id)
        .fetch_one(c)
        .await)
}
