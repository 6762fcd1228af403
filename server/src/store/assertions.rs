//! Open Badges assertions and the recipients' public ids.

use super::backend::{Conn, Db, on};
use officina_core::badges::Earned;
use sqlx::FromRow;
use uuid::Uuid;

/// A stored assertion.
#[derive(Debug, Clone, FromRow)]
pub struct Assertion {
    pub id: String,
    pub user_id: String,
    pub badge_id: String,
    pub earned_on: String,
    /// JSON array of event ids.
    pub events: String,
    pub salt: String,
    pub issued_on: String,
    pub revoked_on: Option<String>,
    pub revocation_reason: Option<String>,
}

/// Where a person's badges point: their public profile.
#[derive(Debug, Clone, FromRow)]
pub struct Recipient {
    pub public_id: String,
    pub show_nickname: bool,
}

const COLUMNS: &str =
    "id, user_id, badge_id, earned_on, events, salt, issued_on, revoked_on, revocation_reason";

/// The badges `user_id` holds an assertion of, revoked or not.
pub async fn badge_ids_of(conn: Conn<'_>, user_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT badge_id FROM assertions WHERE user_id = $1";
    on!(conn, c => sqlx::query_scalar(sql).bind(user_id).fetch_all(c).await)
}

/// Stores an assertion of `badge_id` for `user_id` unless there is one (revoked or not). Ids and
/// salts are random v4 UUIDs: 122 random bits, enough for both.
pub async fn insert_if_new(
    conn: Conn<'_>,
    user_id: &str,
    badge_id: &str,
    earned: &Earned,
) -> Result<bool, sqlx::Error> {
    let events = serde_json::Value::from(
        earned
            .events
            .iter()
            .map(Uuid::to_string)
            .collect::<Vec<_>>(),
    )
    .to_string();
    let sql = "INSERT INTO assertions (id, user_id, badge_id, earned_on, events, salt)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, badge_id) DO NOTHING";
    let inserted = on!(conn, c => sqlx::query(sql)
        .bind(Uuid::new_v4().to_string())
        .bind(user_id)
        .bind(badge_id)
        .bind(&earned.on)
        .bind(events)
        .bind(Uuid::new_v4().simple().to_string())
        .execute(c)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(inserted == 1)
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<Assertion>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM assertions WHERE id = $1");
    on!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)
}

/// A person's assertions, oldest first.
pub async fn of_user(db: &Db, user_id: &str) -> Result<Vec<Assertion>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM assertions WHERE user_id = $1 ORDER BY issued_on, id");
    on!(db, c => sqlx::query_as(&sql).bind(user_id).fetch_all(c).await)
}

/// Revokes an assertion, saying why when it is not its owner who does (the first revocation's
/// time and reason are kept).
pub async fn revoke(db: &Db, id: &str, reason: Option<&str>) -> Result<(), sqlx::Error> {
    let sql = "UPDATE assertions SET revoked_on = $3, revocation_reason = $1
         WHERE id = $2 AND revoked_on IS NULL";
    on!(db, c => sqlx::query(sql)
        .bind(reason)
        .bind(id)
        .bind(super::clock::now())
        .execute(c)
        .await
        .map(drop))?;
    Ok(())
}

/// Everyone with at least one assertion.
pub async fn holders(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT DISTINCT user_id FROM assertions ORDER BY user_id";
    on!(db, c => sqlx::query_scalar(sql).fetch_all(c).await)
}

/// The person's public recipient id, made on first use.
pub async fn recipient(db: &Db, user_id: &str) -> Result<Recipient, sqlx::Error> {
    let sql = "INSERT INTO badge_recipients (user_id, public_id) VALUES ($1, $2)
         ON CONFLICT (user_id) DO NOTHING";
    on!(db, c => sqlx::query(sql)
        .bind(user_id)
        .bind(Uuid::new_v4().simple().to_string())
        .execute(c)
        .await
        .map(drop))?;
    let sql = "SELECT public_id, show_nickname FROM badge_recipients WHERE user_id = $1";
    on!(db, c => sqlx::query_as(sql).bind(user_id).fetch_one(c).await)
}

/// The nickname behind a public id, if the person shows it; `None` for an unknown id.
pub async fn profile(db: &Db, public_id: &str) -> Result<Option<Profile>, sqlx::Error> {
    let sql = "SELECT users.id, show_nickname, users.nickname
         FROM badge_recipients JOIN users ON users.id = badge_recipients.user_id
         WHERE public_id = $1";
    let row: Option<(String, bool, String)> =
        on!(db, c => sqlx::query_as(sql).bind(public_id).fetch_optional(c).await)?;
    Ok(row.map(|(user_id, show, nickname)| Profile {
        user_id,
        nickname: show.then_some(nickname),
    }))
}

/// A public profile's owner, and the nickname when they chose to show it.
pub struct Profile {
    pub user_id: String,
    pub nickname: Option<String>,
}

pub async fn set_show_nickname(db: &Db, user_id: &str, show: bool) -> Result<(), sqlx::Error> {
    let sql = "UPDATE badge_recipients SET show_nickname = $1 WHERE user_id = $2";
    on!(db, c => sqlx::query(sql).bind(show).bind(user_id).execute(c).await.map(drop))?;
    Ok(())
}
