//! Accounts and sessions, and the staff admins manage.

use super::{clock, cohorts, decode_name};
use crate::auth::tokens::TokenHash;
use crate::nicknames;
use officina_core::account::{AgeBand, Role, User};
use officina_core::staff::StaffAccount;
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{FromRow, Row, Sqlite, SqliteConnection, SqlitePool};
use time::Duration;
use uuid::Uuid;

type SqliteQuery<'q> = Query<'q, Sqlite, SqliteArguments<'q>>;

#[derive(Debug, Clone, FromRow)]
pub struct Cohort {
    pub id: String,
    pub path_id: String,
    /// A closed code admits nobody new; its members still log in with it.
    pub join_open: bool,
}

/// An account with its stored secret hash, for logging in.
pub struct Credentials {
    pub user: User,
    pub secret_hash: String,
    /// Disabled by an admin: the secret is still checked, then the login refused.
    pub disabled: bool,
    /// Removed from their cohort by an educator: refused the same way.
    pub removed: bool,
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
    disabled: bool,
    removed: bool,
}

impl UserRow {
    fn into_credentials(self) -> Result<Credentials, sqlx::Error> {
        let user = User {
            id: self.id,
            nickname: self.nickname,
            role: decode_name(self.role)?,
            cohort_id: self.cohort_id,
        };
        Ok(Credentials {
            user,
            secret_hash: self.secret_hash,
            disabled: self.disabled,
            removed: self.removed,
        })
    }
}

const USER_COLUMNS: &str =
    "users.id, users.nickname, users.role, users.cohort_id, users.secret_hash,
    users.disabled_at IS NOT NULL AS disabled, users.removed_at IS NOT NULL AS removed";

/// How long a token may go unused before it stops working: a learner's or parent's phone may
/// stay away from the lab for a summer; a staff token, often on a shared lab computer, should not
/// outlive the working day.
const MEMBER_IDLE: Duration = Duration::days(90);
const STAFF_IDLE: Duration = Duration::hours(12);
/// A token's last use is written again only when older than this, so a request is not a write.
const RENEW_AFTER: Duration = Duration::minutes(1);
/// When a token was last used: its last renewal, or its issue.
const USED: &str = "COALESCE(sessions.last_used_at, sessions.created_at)";
/// A token last used before this has expired, for the account in `users`, with `$2` and `$3` bound
/// by [`bind_expiry`].
const EXPIRY: &str = "CASE WHEN users.cohort_id IS NULL THEN $2 ELSE $3 END";

/// Binds `$2` and `$3` of [`EXPIRY`]: the times before which staff and member tokens expired.
fn bind_expiry<'q>(query: SqliteQuery<'q>) -> SqliteQuery<'q> {
    query
        .bind(clock::at(-STAFF_IDLE))
        .bind(clock::at(-MEMBER_IDLE))
}

pub async fn cohort_by_code(
    db: &SqlitePool,
    join_code: &str,
) -> Result<Option<Cohort>, sqlx::Error> {
    sqlx::query_as("SELECT id, path_id, join_open FROM cohorts WHERE join_code = $1")
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
    sqlx::query("INSERT INTO users (id, role, cohort_id, nickname, nickname_skeleton, secret_hash, age_band) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&id)
        .bind(role.as_str())
        .bind(cohort_id)
        .bind(nickname)
        .bind(nicknames::skeleton(nickname))
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

/// Whether `user_id` is a learner under 14 (one who never said is taken as under 14).
pub async fn is_under_14(db: &SqlitePool, user_id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'learner'
                        AND COALESCE(age_band, 'under_14') = 'under_14')",
    )
    .bind(user_id)
    .fetch_one(db)
    .await
}

/// Whether `user_id` is a learner or parent of `cohort_id`, not removed.
pub async fn is_member(
    db: &SqlitePool,
    cohort_id: &str,
    user_id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND cohort_id = $2
                        AND role IN ('learner', 'parent') AND removed_at IS NULL)",
    )
    .bind(user_id)
    .bind(cohort_id)
    .fetch_one(db)
    .await
}

pub async fn member(
    db: &SqlitePool,
    cohort_id: &str,
    nickname: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    // As typed, or in NFKC as stored since nicknames are normalised (older ones may be neither).
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE cohort_id = $1
             AND (lower(nickname) = lower($2) OR lower(nickname) = lower($3))
         ORDER BY lower(nickname) = lower($2) DESC LIMIT 1"
    );
    let row: Option<UserRow> = sqlx::query_as(&sql)
        .bind(cohort_id)
        .bind(nickname)
        .bind(nicknames::nfkc(nickname))
        .fetch_optional(db)
        .await?;
    row.map(UserRow::into_credentials).transpose()
}

pub async fn staff(db: &SqlitePool, name: &str) -> Result<Option<Credentials>, sqlx::Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE cohort_id IS NULL AND lower(nickname) = lower($1)"
    );
    let row: Option<UserRow> = sqlx::query_as(&sql).bind(name).fetch_optional(db).await?;
    row.map(UserRow::into_credentials).transpose()
}

/// A new session for `user_id`; the account's expired ones go, so the table does not grow with
/// every login of a phone that lost its token.
pub async fn create_session(
    db: &SqlitePool,
    user_id: &str,
    token: &TokenHash,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let expired = format!(
        "DELETE FROM sessions WHERE token_hash IN (
             SELECT token_hash FROM sessions JOIN users ON users.id = sessions.user_id
             WHERE sessions.user_id = $1 AND {USED} < {EXPIRY})"
    );
    bind_expiry(sqlx::query(&expired).bind(user_id))
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO sessions (token_hash, user_id) VALUES ($1, $2)")
        .bind(&token.0[..])
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// The account whose token this is, while it is in use: unused for longer than its role's idle
/// time, the token stops working. A use renews it.
pub async fn user_for_token(
    db: &SqlitePool,
    token: &TokenHash,
) -> Result<Option<User>, sqlx::Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, {USED} < $4 AS stale
         FROM sessions JOIN users ON users.id = sessions.user_id
         WHERE token_hash = $1 AND users.disabled_at IS NULL AND users.removed_at IS NULL
           AND {USED} >= {EXPIRY}"
    );
    let row: Option<(bool, UserRow)> = bind_expiry(sqlx::query(&sql).bind(&token.0[..]))
        .bind(clock::at(-RENEW_AFTER))
        .try_map(|row: SqliteRow| Ok((row.try_get("stale")?, UserRow::from_row(&row)?)))
        .fetch_optional(db)
        .await?;
    let Some((stale, row)) = row else {
        return Ok(None);
    };
    if stale {
        sqlx::query("UPDATE sessions SET last_used_at = $2 WHERE token_hash = $1")
            .bind(&token.0[..])
            .bind(clock::now())
            .execute(db)
            .await?;
    }
    Ok(Some(row.into_credentials()?.user))
}

/// Ends every session of `user_id`: "sign out of every device".
pub async fn delete_sessions(db: &SqlitePool, user_id: &str) -> Result<(), sqlx::Error> {
    end_sessions(&mut *db.acquire().await?, user_id).await
}

/// Removes member `user_id` from cohort `cohort_id` (once: the first date stays) and ends their
/// sessions, family links, codes and paper consent, in one transaction; their events stay. False if the cohort has no
/// such member.
pub async fn remove_member(
    db: &SqlitePool,
    cohort_id: &str,
    user_id: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    // Consent on paper goes with them: nobody could take it back once they are out of the roster.
    let removed = sqlx::query(
        "UPDATE users SET removed_at = COALESCE(removed_at, $3),
                          paper_consent_at = NULL, paper_consent_by = NULL
         WHERE id = $1 AND cohort_id = $2 AND role IN ('learner', 'parent')",
    )
    .bind(user_id)
    .bind(cohort_id)
    .bind(clock::now())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if removed {
        end_sessions(&mut tx, user_id).await?;
        // Whoever should not have been there gives no consent and sees no child, now or later:
        // their links and their codes (family, recovery) go.
        for table in [
            "family_links WHERE parent_id = $1 OR child_id = $1",
            "family_codes WHERE user_id = $1",
            "recovery_codes WHERE user_id = $1",
        ] {
            sqlx::query(&format!("DELETE FROM {table}"))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(removed)
}

pub async fn delete_session(db: &SqlitePool, token: &TokenHash) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(&token.0[..])
        .execute(db)
        .await?;
    Ok(())
}

/// Every educator and admin, by name.
pub async fn staff_accounts(db: &SqlitePool) -> Result<Vec<StaffAccount>, sqlx::Error> {
    let mut links = cohorts::cohorts_by_educator(db).await?;
    sqlx::query(
        "SELECT id, nickname, role, disabled_at IS NOT NULL AS disabled FROM users
         WHERE cohort_id IS NULL ORDER BY lower(nickname), id",
    )
    .try_map(|row: SqliteRow| {
        let id: String = row.try_get("id")?;
        Ok(StaffAccount {
            cohorts: links.remove(&id).unwrap_or_default(),
            name: row.try_get("nickname")?,
            role: decode_name(row.try_get("role")?)?,
            disabled: row.try_get("disabled")?,
            id,
        })
    })
    .fetch_all(db)
    .await
}

/// Gives staff member `id` a new password hash and ends their sessions; false if no such account.
/// `admins_too`: the command line resets anyone on the staff (the last admin too); through the
/// API an admin resets educators only.
pub async fn set_staff_secret(
    db: &SqlitePool,
    id: &str,
    secret_hash: &str,
    admins_too: bool,
) -> Result<bool, sqlx::Error> {
    let update = sqlx::query(
        "UPDATE users SET secret_hash = $1 WHERE id = $2 AND (role = 'educator' OR ($3 AND role = 'admin'))",
    )
    .bind(secret_hash)
    .bind(id)
    .bind(admins_too);
    update_ending_sessions(db, id, update).await
}

/// Disables educator `id` (once: the first date stays) and ends their sessions; their events stay.
/// False if no such educator.
pub async fn disable_educator(db: &SqlitePool, id: &str) -> Result<bool, sqlx::Error> {
    let update = sqlx::query(
        "UPDATE users SET disabled_at = COALESCE(disabled_at, $2) WHERE id = $1 AND role = 'educator'",
    )
    .bind(id)
    .bind(clock::now());
    update_ending_sessions(db, id, update).await
}

/// Runs `update`, which changes the account `user_id` at most, and if it did, ends that account's
/// sessions, in one transaction; whether the account was changed.
async fn update_ending_sessions<'q>(
    db: &SqlitePool,
    user_id: &str,
    update: SqliteQuery<'q>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let changed = update.execute(&mut *tx).await?.rows_affected() == 1;
    if changed {
        end_sessions(&mut tx, user_id).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

pub(super) async fn end_sessions(
    db: &mut SqliteConnection,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// The role `user_id` has now; `None` once the account is erased.
pub async fn role_of(
    db: impl sqlx::SqliteExecutor<'_>,
    user_id: &str,
) -> Result<Option<Role>, sqlx::Error> {
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await?;
    role.map(decode_name).transpose()
}

/// Notes that `user_id` has just pushed (UTC, RFC 3339), in the push's own commit.
pub async fn record_push(
    db: impl sqlx::SqliteExecutor<'_>,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    record_sync(db, user_id, None).await
}

/// Notes that `user_id` has just pulled, to the minute: a phone pulls every minute and whenever
/// the app comes back to the front, and an update that changes nothing writes nothing, so most
/// pulls cost no fsync.
pub async fn record_pull(
    db: impl sqlx::SqliteExecutor<'_>,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    record_sync(db, user_id, Some(Duration::minutes(1))).await
}

/// Sets the time of the last sync to now; with `older_than`, only when the stored time is at
/// least that old.
async fn record_sync(
    db: impl sqlx::SqliteExecutor<'_>,
    user_id: &str,
    older_than: Option<Duration>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET last_synced_at = $3
         WHERE id = $1 AND ($2 IS NULL OR last_synced_at IS NULL OR last_synced_at < $2)",
    )
    .bind(user_id)
    .bind(older_than.map(|age| clock::at(-age)))
    .bind(clock::now())
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
        "SELECT EXISTS (SELECT 1 FROM users AS learner WHERE learner.id = $1 AND learner.role = 'learner' AND
             ($2 = 'admin' OR EXISTS (SELECT 1 FROM cohort_educators AS ce
                                     WHERE ce.cohort_id = learner.cohort_id AND ce.user_id = $3)))",
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
