//! What an export reads: an account, its own events and its photos.

use super::backend::{Db, on};
use serde::Serialize;
use serde_json::Value;
use sqlx::FromRow;

/// The account as the export shows it: everything Officina keeps about it but its secret's hash.
#[derive(Debug, Serialize, FromRow)]
pub struct Account {
    pub id: String,
    pub nickname: String,
    pub role: String,
    pub age_band: Option<String>,
    pub cohort_id: Option<String>,
    pub cohort_name: Option<String>,
    pub created_at: String,
    pub last_synced_at: Option<String>,
    pub paper_consent_at: Option<String>,
}

pub async fn account(db: &Db, user_id: &str) -> Result<Option<Account>, sqlx::Error> {
    let sql = "SELECT u.id, u.nickname, u.role, u.age_band, u.cohort_id, c.name AS cohort_name,
                u.created_at, u.last_synced_at, u.paper_consent_at
         FROM users AS u LEFT JOIN cohorts AS c ON c.id = u.cohort_id
         WHERE u.id = $1 AND u.role IN ('learner', 'parent')";
    on!(db, c => sqlx::query_as(sql).bind(user_id).fetch_optional(c).await)
}

/// One of the account's own events as stored (with reviews and awards about them), never a
/// relative's.
#[derive(Debug, Serialize, FromRow)]
pub struct OwnEvent {
    pub id: String,
    pub kind: String,
    pub activity_id: Option<String>,
    pub at: String,
    pub received_at: String,
    #[sqlx(try_from = "String")]
    pub data: StoredJson,
}

/// An event's `data` as stored, written into the export as JSON.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct StoredJson(pub Value);

impl TryFrom<String> for StoredJson {
    type Error = serde_json::Error;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        serde_json::from_str(&text).map(Self)
    }
}

pub async fn own_events(db: &Db, user_id: &str) -> Result<Vec<OwnEvent>, sqlx::Error> {
    let sql = "SELECT id, kind, activity_id, at, received_at, data FROM events
         WHERE user_id = $1 ORDER BY seq";
    on!(db, c => sqlx::query_as(sql).bind(user_id).fetch_all(c).await)
}

#[derive(Debug, Serialize, FromRow)]
pub struct Photo {
    pub id: String,
    #[serde(skip)]
    pub sha256: String,
    pub width: i64,
    pub height: i64,
    pub created_at: String,
}

pub async fn photos(db: &Db, user_id: &str) -> Result<Vec<Photo>, sqlx::Error> {
    let sql = "SELECT id, sha256, width, height, created_at FROM photos WHERE user_id = $1
         ORDER BY created_at, id";
    on!(db, c => sqlx::query_as(sql).bind(user_id).fetch_all(c).await)
}
