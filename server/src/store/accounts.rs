//! Accounts and sessions, and the staff admins manage.

use super::backend::{Conn, Db, Tx, on};
use super::{clock, cohorts, decode_name};
use crate::auth::tokens::TokenHash;
use crate::nicknames;
use officina_core::account::{AgeBand, Role, User};
use officina_core::staff::StaffAccount;
use sqlx::FromRow;
use time::Duration;
use uuid::Uuid;

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
/// to [`expiries`].
const EXPIRY: &str = "CASE WHEN users.cohort_id IS NULL THEN $2 ELSE $3 END";

/// `$2` and `$3` of [`EXPIRY`]: the times before which staff and member tokens expired.
fn expiries() -> (String, String) {
    (clock::at(-STAFF_IDLE), clock::at(-MEMBER_IDLE))
}

pub async fn cohort_by_code(db: &Db, join_code: &str) -> Result<Option<Cohort>, sqlx::Error> {
    let sql = "SELECT id, path_id, join_open FROM cohorts WHERE join_code = $1";
    on!(db, c => sqlx::query_as(sql).bind(join_code).fetch_optional(c).await)
}

/// A new account; `cohort_id` is for learners and parents, `None` for staff.
pub async fn create_user(
    db: &Db,
    role: Role,
    cohort_id: Option<&str>,
    nickname: &str,
    secret_hash: &str,
    age_band: Option<AgeBand>,
) -> Result<User, InsertError> {
    let id = Uuid::new_v4().to_string();
    let sql = "INSERT INTO users (id, role, cohort_id, nickname, nickname_skeleton, secret_hash, age_band)
         VALUES ($1, $2, $3, $4, $5, $6, $7)";
    on!(db, c => sqlx::query(sql)
        .bind(&id)
        .bind(role.as_str())
        .bind(cohort_id)
        .bind(nickname)
        .bind(nicknames::skeleton(nickname))
        .bind(secret_hash)
        .bind(age_band.map(AgeBand::as_str))
        .execute(c)
        .await
        .map(drop))
    .map_err(taken_on_conflict)?;
    Ok(User {
        id,
        nickname: nickname.to_owned(),
        role,
        cohort_id: cohort_id.map(str::to_owned),
    })
}

/// Whether `user_id` is a learner under 14 (one who never said is taken as under 14).
pub async fn is_under_14(db: &Db, user_id: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'learner'
                        AND COALESCE(age_band, 'under_14') = 'under_14')";
    on!(db, c => sqlx::query_scalar(sql).bind(user_id).fetch_one(c).await)
}

/// Whether `user_id` is a learner or parent of `cohort_id`, not removed.
pub async fn is_member(db: &Db, cohort_id: &str, user_id: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND cohort_id = $2
                        AND role IN ('learner', 'parent') AND removed_at IS NULL)";
    on!(db, c => sqlx::query_scalar(sql).bind(user_id).bind(cohort_id).fetch_one(c).await)
}

pub async fn member(
    db: &Db,
    cohort_id: &str,
    nickname: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    // As typed, or in NFKC as stored since nicknames are normalised (older ones may be neither).
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE cohort_id = $1
             AND (lower(nickname) = lower($2) OR lower(nickname) = lower($3))
         ORDER BY lower(nickname) = lower($2) DESC LIMIT 1"
    );
    let row: Option<UserRow> = on!(db, c => sqlx::query_as(&sql)
        .bind(cohort_id)
        .bind(nickname)
        .bind(nicknames::nfkc(nickname))
        .fetch_optional(c)
        .await)?;
    row.map(UserRow::into_credentials).transpose()
}

pub async fn staff(db: &Db, name: &str) -> Result<Option<Credentials>, sqlx::Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE cohort_id IS NULL AND lower(nickname) = lower($1)"
    );
    let row: Option<UserRow> =
        on!(db, c => sqlx::query_as(&sql).bind(name).fetch_optional(c).await)?;
    row.map(UserRow::into_credentials).transpose()
}

/// A new session for `user_id`; the account's expired ones go, so the table does not grow with
/// every login of a phone that lost its token.
pub async fn create_session(db: &Db, user_id: &str, token: &TokenHash) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let expired = format!(
        "DELETE FROM sessions WHERE token_hash IN (
             SELECT token_hash FROM sessions JOIN users ON users.id = sessions.user_id
             WHERE sessions.user_id = $1 AND {USED} < {EXPIRY})"
    );
    let (staff, member) = expiries();
    on!(tx.conn(), c => sqlx::query(&expired)
        .bind(user_id)
        .bind(staff)
        .bind(member)
        .execute(c)
        .await
        .map(drop))?;
    let sql = "INSERT INTO sessions (token_hash, user_id) VALUES ($1, $2)";
    on!(tx.conn(), c => sqlx::query(sql)
        .bind(&token.0[..])
        .bind(user_id)
        .execute(c)
        .await
        .map(drop))?;
    tx.commit().await
}

/// The account whose token this is, while it is in use: unused for longer than its role's idle
/// time, the token stops working. A use renews it.
pub async fn user_for_token(db: &Db, token: &TokenHash) -> Result<Option<User>, sqlx::Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, {USED} < $4 AS stale
         FROM sessions JOIN users ON users.id = sessions.user_id
         WHERE token_hash = $1 AND users.disabled_at IS NULL AND users.removed_at IS NULL
           AND {USED} >= {EXPIRY}"
    );
    let (staff, member) = expiries();
    let row: Option<TokenRow> = on!(db, c => sqlx::query_as(&sql)
        .bind(&token.0[..])
        .bind(staff)
        .bind(member)
        .bind(clock::at(-RENEW_AFTER))
        .fetch_optional(c)
        .await)?;
    let Some(TokenRow { stale, user }) = row else {
        return Ok(None);
    };
    if stale {
        let sql = "UPDATE sessions SET last_used_at = $2 WHERE token_hash = $1";
        on!(db, c => sqlx::query(sql)
            .bind(&token.0[..])
            .bind(clock::now())
            .execute(c)
            .await
            .map(drop))?;
    }
    Ok(Some(user.into_credentials()?.user))
}

/// A token's account, and whether its last use is old enough to be written again.
#[derive(FromRow)]
struct TokenRow {
    stale: bool,
    #[sqlx(flatten)]
    user: UserRow,
}

/// Ends every session of `user_id`: "sign out of every device".
pub async fn delete_sessions(db: &Db, user_id: &str) -> Result<(), sqlx::Error> {
    end_sessions(db.acquire().await?.conn(), user_id).await
}

/// Removes member `user_id` from cohort `cohort_id` (once: the first date stays) and ends their
/// sessions, family links, codes and paper consent, in one transaction; their events stay. False if the cohort has no
/// such member.
pub async fn remove_member(db: &Db, cohort_id: &str, user_id: &str) -> Result<bool, sqlx::Error> {
    // Under the write lock: a link being made sees them removed, or is removed with them.
    let mut tx = db.begin_write().await?;
    // Consent on paper goes with them: nobody could take it back once they are out of the roster.
    let sql = "UPDATE users SET removed_at = COALESCE(removed_at, $3),
                          paper_consent_at = NULL, paper_consent_by = NULL
         WHERE id = $1 AND cohort_id = $2 AND role IN ('learner', 'parent')";
    let removed = on!(tx.conn(), c => sqlx::query(sql)
        .bind(user_id)
        .bind(cohort_id)
        .bind(clock::now())
        .execute(c)
        .await
        .map(|done| done.rows_affected()))?
        == 1;
    if removed {
        end_sessions(tx.conn(), user_id).await?;
        // Whoever should not have been there gives no consent and sees no child, now or later:
        // their links and their codes (family, recovery) go.
        for table in [
            "family_links WHERE parent_id = $1 OR child_id = $1",
            "family_codes WHERE user_id = $1",
            "recovery_codes WHERE user_id = $1",
        ] {
            let sql = format!("DELETE FROM {table}");
            on!(tx.conn(), c => sqlx::query(&sql).bind(user_id).execute(c).await.map(drop))?;
        }
    }
    tx.commit().await?;
    Ok(removed)
}

pub async fn delete_session(db: &Db, token: &TokenHash) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM sessions WHERE token_hash = $1";
    on!(db, c => sqlx::query(sql).bind(&token.0[..]).execute(c).await.map(drop))?;
    Ok(())
}

/// Every educator and admin, by name.
pub async fn staff_accounts(db: &Db) -> Result<Vec<StaffAccount>, sqlx::Error> {
    let mut links = cohorts::cohorts_by_educator(db).await?;
    let sql = "SELECT id, nickname, role, disabled_at IS NOT NULL AS disabled FROM users
         WHERE cohort_id IS NULL ORDER BY lower(nickname), id";
    let rows: Vec<(String, String, String, bool)> =
        on!(db, c => sqlx::query_as(sql).fetch_all(c).await)?;
    rows.into_iter()
        .map(|(id, name, role, disabled)| {
            Ok(StaffAccount {
                cohorts: links.remove(&id).unwrap_or_default(),
                name,
                role: decode_name(role)?,
                disabled,
                id,
            })
        })
        .collect()
}

/// Gives staff member `id` a new password hash and ends their sessions; false if no such account.
/// `admins_too`: the command line resets anyone on the staff (the last admin too); through the
/// API an admin resets educators only.
pub async fn set_staff_secret(
    db: &Db,
    id: &str,
    secret_hash: &str,
    admins_too: bool,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = "UPDATE users SET secret_hash = $1
         WHERE id = $2 AND (role = 'educator' OR ($3 AND role = 'admin'))";
    let changed = on!(tx.conn(), c => sqlx::query(sql)
        .bind(secret_hash)
        .bind(id)
        .bind(admins_too)
        .execute(c)
        .await
        .map(|done| done.rows_affected() == 1))?;
    end_sessions_if_changed(tx, id, changed).await
}

/// Disables educator `id` (once: the first date stays) and ends their sessions; their events stay.
/// False if no such educator.
pub async fn disable_educator(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = "UPDATE users SET disabled_at = COALESCE(disabled_at, $2) WHERE id = $1 AND role = 'educator'";
    let changed = on!(tx.conn(), c => sqlx::query(sql)
        .bind(id)
        .bind(clock::now())
        .execute(c)
        .await
        .map(|done| done.rows_affected() == 1))?;
    end_sessions_if_changed(tx, id, changed).await
}

/// Ends the sessions of account `user_id` if `tx` `changed` it, and commits; whether it did.
async fn end_sessions_if_changed(
    mut tx: Tx,
    user_id: &str,
    changed: bool,
) -> Result<bool, sqlx::Error> {
    if changed {
        end_sessions(tx.conn(), user_id).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

pub(super) async fn end_sessions(conn: Conn<'_>, user_id: &str) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM sessions WHERE user_id = $1";
    on!(conn, c => sqlx::query(sql).bind(user_id).execute(c).await.map(drop))?;
    Ok(())
}

/// The role `user_id` has now; `None` once the account is erased.
pub async fn role_of(conn: Conn<'_>, user_id: &str) -> Result<Option<Role>, sqlx::Error> {
    let sql = "SELECT role FROM users WHERE id = $1";
    let role: Option<String> =
        on!(conn, c => sqlx::query_scalar(sql).bind(user_id).fetch_optional(c).await)?;
    role.map(decode_name).transpose()
}

/// Notes that `user_id` has just pushed (UTC, RFC 3339), in the push's own commit.
pub async fn record_push(conn: Conn<'_>, user_id: &str) -> Result<(), sqlx::Error> {
    record_sync(conn, user_id, None).await
}

/// Notes that `user_id` has just pulled, to the minute: a phone pulls every minute and whenever
/// the app comes back to the front, and an update that changes nothing writes nothing, so most
/// pulls cost no fsync.
pub async fn record_pull(conn: Conn<'_>, user_id: &str) -> Result<(), sqlx::Error> {
    record_sync(conn, user_id, Some(Duration::minutes(1))).await
}

/// Sets the time of the last sync to now; with `older_than`, only when the stored time is at
/// least that old.
async fn record_sync(
    conn: Conn<'_>,
    user_id: &str,
    older_than: Option<Duration>,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET last_synced_at = $3
         WHERE id = $1 AND ($2 IS NULL OR last_synced_at IS NULL OR last_synced_at < $2)";
    on!(conn, c => sqlx::query(sql)
        .bind(user_id)
        .bind(older_than.map(|age| clock::at(-age)))
        .bind(clock::now())
        .execute(c)
        .await
        .map(drop))?;
    Ok(())
}

/// Whether `awarder` may award badges to `learner_id`: an admin to any learner, an educator to
/// the learners of the cohorts they run.
pub async fn may_award(
    conn: Conn<'_>,
    awarder: &User,
    learner_id: &str,
) -> Result<bool, sqlx::Error> {
    let sql = "SELECT EXISTS (SELECT 1 FROM users AS learner
                        WHERE learner.id = $1 AND learner.role = 'learner' AND
             ($2 = 'admin' OR EXISTS (SELECT 1 FROM cohort_educators AS ce
                                     WHERE ce.cohort_id = learner.cohort_id AND ce.user_id = $3)))";
    on!(conn, c => sqlx::query_scalar(sql)
        .bind(learner_id)
        .bind(awarder.role.as_str())
        .bind(&awarder.id)
        .fetch_one(c)
        .await)
}

fn taken_on_conflict(err: sqlx::Error) -> InsertError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => InsertError::Taken,
        _ => InsertError::Db(err),
    }
}
