//! Cohorts, accounts and sessions.

use crate::auth::tokens::TokenHash;
use officina_core::account::{AgeBand, Role, User};
use sqlx::{FromRow, SqliteConnection, SqlitePool};
use uuid::Uuid;

#[derive(Debug, Clone, FromRow)]
pub struct Cohort {
    pub id: String,
    pub path_id: String,
}

/// An account with its stored secret hash, for logging in.
pub struct Credentials {
    pub user: User,
    pub secret_hash: String,
}

#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    #[error("the name is taken")]
    Taken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

#[derive(FromRow)]
struct UserRow {
    id: String,
    nickname: String,
    role: String,
    cohort_id: Option<String>,
    secret_hash: String,
}

impl UserRow {
    fn into_credentials(self) -> Result<Credentials, sqlx::Error> {
        let role = serde_json::from_value(serde_json::Value::String(self.role))
            .map_err(|err| sqlx::Error::Decode(err.into()))?;
        let user = User {
            id: self.id,
            nickname: self.nickname,
            role,
            cohort_id: self.cohort_id,
        };
        Ok(Credentials {
            user,
            secret_hash: self.secret_hash,
        })
    }
}

const USER_COLUMNS: &str =
    "users.id, users.nickname, users.role, users.cohort_id, users.secret_hash";

pub async fn create_cohort(
    db: &SqlitePool,
    name: &str,
    path_id: &str,
    join_code: &str,
) -> Result<String, InsertError> {
    let id = Uuid::new_v4().to_string();
    sqlx::query("INSERT INTO cohorts (id, name, path_id, join_code) VALUES (?, ?, ?, ?)")
        .bind(&id)
        .bind(name)
        .bind(path_id)
        .bind(join_code)
        .execute(db)
        .await
        .map_err(taken_on_conflict)?;
    Ok(id)
}

pub async fn add_cohort_educator(
    db: &SqlitePool,
    cohort_id: &str,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT OR IGNORE INTO cohort_educators (cohort_id, user_id) VALUES (?, ?)")
        .bind(cohort_id)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn cohort_by_code(
    db: &SqlitePool,
    join_code: &str,
) -> Result<Option<Cohort>, sqlx::Error> {
    sqlx::query_as("SELECT id, path_id FROM cohorts WHERE join_code = ?")
        .bind(join_code)
        .fetch_optional(db)
        .await
}

/// A new account; `cohort_id` is for learners and parents, `None` for staff.
pub async fn create_user(
    db: &SqlitePool,
    role: Role,
    cohort_id: Option<&str>,
    nickname: &str,
    secret_hash: &str,
    age_band: Option<AgeBand>,
) -> Result<User, InsertError> {
    let id = Uuid::new_v4().to_string();
    sqlx::query("INSERT INTO users (id, role, cohort_id, nickname, secret_hash, age_band) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(&id)
        .bind(role.as_str())
        .bind(cohort_id)
        .bind(nickname)
        .bind(secret_hash)
        .bind(age_band.map(AgeBand::as_str))
        .execute(db)
        .await
        .map_err(taken_on_conflict)?;
    Ok(User {
        id,
        nickname: nickname.to_owned(),
        role,
        cohort_id: cohort_id.map(str::to_owned),
    })
}

pub async fn member(
    db: &SqlitePool,
    cohort_id: &str,
    nickname: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE cohort_id = ? AND nickname = ? COLLATE NOCASE"
    );
    let row: Option<UserRow> = sqlx::query_as(&sql)
        .bind(cohort_id)
        .bind(nickname)
        .fetch_optional(db)
        .await?;
    row.map(UserRow::into_credentials).transpose()
}

pub async fn staff(db: &SqlitePool, name: &str) -> Result<Option<Credentials>, sqlx::Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE cohort_id IS NULL AND nickname = ? COLLATE NOCASE"
    );
    let row: Option<UserRow> = sqlx::query_as(&sql).bind(name).fetch_optional(db).await?;
    row.map(UserRow::into_credentials).transpose()
}

pub async fn create_session(
    db: &SqlitePool,
    user_id: &str,
    token: &TokenHash,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id) VALUES (?, ?)")
        .bind(&token.0[..])
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn user_for_token(
    db: &SqlitePool,
    token: &TokenHash,
) -> Result<Option<User>, sqlx::Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM sessions JOIN users ON users.id = sessions.user_id WHERE token_hash = ?"
    );
    let row: Option<UserRow> = sqlx::query_as(&sql)
        .bind(&token.0[..])
        .fetch_optional(db)
        .await?;
    Ok(row
        .map(UserRow::into_credentials)
        .transpose()?
        .map(|c| c.user))
}

pub async fn delete_session(db: &SqlitePool, token: &TokenHash) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(&token.0[..])
        .execute(db)
        .await?;
    Ok(())
}

/// Whether `awarder` may award badges to `learner_id`: an admin to any learner, an educator to
/// the learners of the cohorts they run.
pub async fn may_award(
    db: &mut SqliteConnection,
    awarder: &User,
    learner_id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users AS learner WHERE learner.id = ? AND learner.role = 'learner' AND
             (? = 'admin' OR EXISTS (SELECT 1 FROM cohort_educators AS ce
                                     WHERE ce.cohort_id = learner.cohort_id AND ce.user_id = ?)))",
    )
    .bind(learner_id)
    .bind(awarder.role.as_str())
    .bind(&awarder.id)
    .fetch_one(db)
    .await
}

fn taken_on_conflict(err: sqlx::Error) -> InsertError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => InsertError::Taken,
        _ => InsertError::Db(err),
    }
}

/// Whether `user_id` is a learner under 14 with no parent linked yet: then their badges stay in
/// Officina (no public profile, no assertions to export) until a parent's link gives consent.
pub async fn needs_parent_consent(db: &SqlitePool, user_id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT role = 'learner' AND age_band = 'under_14'
                AND NOT EXISTS (SELECT 1 FROM family_links WHERE child_id = users.id)
         FROM users WHERE id = ?",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await
    .map(|needs| needs.unwrap_or(false))
}
