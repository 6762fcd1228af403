//! Cohorts: as their members and educators see them, their settings, join codes and educators.

use super::backend::{Conn, Db, on};
use super::decode_name;
use crate::auth::join_codes;
use officina_core::account::{AgeBand, Role, User};
use officina_core::consent::Consent;
use officina_core::staff::{CohortDetail, CohortSettings, CohortSummary, RosterMember};
use serde::Serialize;
use sqlx::FromRow;
use std::collections::BTreeMap;
use uuid::Uuid;

/// `GET /api/cohort`: the cohort as its learners and parents see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CohortView {
    pub id: String,
    pub name: String,
    pub path_id: String,
    #[serde(flatten)]
    pub settings: CohortSettings,
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<CohortView>, sqlx::Error> {
    let sql = "SELECT id, name, path_id, xp_and_streaks FROM cohorts WHERE id = $1";
    let row: Option<(String, String, String, bool)> =
        on!(db, c => sqlx::query_as(sql).bind(id).fetch_optional(c).await)?;
    Ok(row.map(|(id, name, path_id, xp_and_streaks)| CohortView {
        id,
        name,
        path_id,
        settings: CohortSettings { xp_and_streaks },
    }))
}

/// The settings of `user_id`'s cohort; the defaults for staff, who have none.
pub async fn settings_of(conn: Conn<'_>, user_id: &str) -> Result<CohortSettings, sqlx::Error> {
    let sql =
        "SELECT cohorts.xp_and_streaks FROM users JOIN cohorts ON cohorts.id = users.cohort_id
         WHERE users.id = $1";
    let found: Option<bool> =
        on!(conn, c => sqlx::query_scalar(sql).bind(user_id).fetch_optional(c).await)?;
    Ok(CohortSettings {
        xp_and_streaks: found.unwrap_or(true),
    })
}

/// Whether `staff` runs cohort `id`: an admin runs them all, an educator those linked to them.
pub async fn runs(db: &Db, staff: &User, id: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT $1 = 'admin'
                OR EXISTS (SELECT 1 FROM cohort_educators WHERE cohort_id = $2 AND user_id = $3)";
    on!(db, c => sqlx::query_scalar(sql)
        .bind(staff.role.as_str())
        .bind(id)
        .bind(&staff.id)
        .fetch_one(c)
        .await)
}

pub async fn set_settings(db: &Db, id: &str, settings: CohortSettings) -> Result<(), sqlx::Error> {
    let sql = "UPDATE cohorts SET xp_and_streaks = $1 WHERE id = $2";
    on!(db, c => sqlx::query(sql)
        .bind(settings.xp_and_streaks)
        .bind(id)
        .execute(c)
        .await
        .map(drop))?;
    Ok(())
}

/// What a new cohort is created with, already checked (see `cohort_details`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub name: String,
    pub path_id: String,
    /// Who the cohort is for, in the educator's words; empty when made by the command line.
    pub audience: String,
    /// `YYYY-MM-DD`.
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub startups: Option<i64>,
}

/// A new cohort and the code its members join with.
#[derive(Debug, Clone)]
pub struct NewCohort {
    pub id: String,
    pub join_code: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    #[error("no random join code: {0}")]
    Random(#[from] getrandom::Error),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

const SUMMARY_COLUMNS: &str =
    "c.id, c.name, c.path_id, c.audience, c.starts_on, c.ends_on, c.join_open, c.startups,
    (SELECT COUNT(*) FROM users WHERE cohort_id = c.id AND role = 'learner' AND removed_at IS NULL) AS learners,
    (SELECT COUNT(*) FROM users WHERE cohort_id = c.id AND role = 'parent' AND removed_at IS NULL) AS parents";

/// Creates a cohort with a fresh join code, run by `educator_ids`, all at once.
pub async fn create(
    db: &Db,
    details: &Details,
    educator_ids: &[String],
) -> Result<NewCohort, CodeError> {
    let id = Uuid::new_v4().to_string();
    let mut tx = db.begin().await?;
    // A code another cohort holds inserts nothing: draw again. (Catching the unique violation
    // instead would abort the whole transaction on PostgreSQL.)
    let join_code = loop {
        let code = join_codes::generate()?;
        let sql = "INSERT INTO cohorts (id, name, path_id, join_code, audience, starts_on, ends_on, startups)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (join_code) DO NOTHING";
        let inserted = on!(tx.conn(), c => sqlx::query(sql)
            .bind(&id)
            .bind(&details.name)
            .bind(&details.path_id)
            .bind(&code)
            .bind(&details.audience)
            .bind(&details.starts_on)
            .bind(&details.ends_on)
            .bind(details.startups)
            .execute(c)
            .await
            .map(|done| done.rows_affected()))?;
        if inserted == 1 {
            break code;
        }
    };
    for educator in educator_ids {
        link_educator(tx.conn(), &id, educator).await?;
    }
    tx.commit().await?;
    Ok(NewCohort { id, join_code })
}

/// The cohorts `staff` runs, newest first.
pub async fn run_by(db: &Db, staff: &User) -> Result<Vec<CohortSummary>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM cohorts AS c
         WHERE $1 = 'admin'
            OR EXISTS (SELECT 1 FROM cohort_educators WHERE cohort_id = c.id AND user_id = $2)
         ORDER BY c.created_at DESC, c.id DESC"
    );
    let rows: Vec<SummaryRow> = on!(db, c => sqlx::query_as(&sql)
        .bind(staff.role.as_str())
        .bind(&staff.id)
        .fetch_all(c)
        .await)?;
    rows.into_iter().map(SummaryRow::into_summary).collect()
}

pub async fn detail(db: &Db, id: &str) -> Result<Option<CohortDetail>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, c.xp_and_streaks, c.join_code FROM cohorts AS c WHERE c.id = $1"
    );
    let head: Option<DetailRow> =
        on!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?;
    let Some(head) = head else {
        return Ok(None);
    };
    let sql = "SELECT users.nickname FROM cohort_educators
         JOIN users ON users.id = cohort_educators.user_id
         WHERE cohort_educators.cohort_id = $1 AND users.disabled_at IS NULL
         ORDER BY lower(users.nickname), users.id";
    let educators = on!(db, c => sqlx::query_scalar(sql).bind(id).fetch_all(c).await)?;
    let sql = format!(
        "SELECT {ROSTER_COLUMNS} FROM users
         WHERE cohort_id = $1 AND removed_at IS NULL ORDER BY lower(nickname), id"
    );
    let roster: Vec<RosterRow> = on!(db, c => sqlx::query_as(&sql).bind(id).fetch_all(c).await)?;
    Ok(Some(CohortDetail {
        summary: head.summary.into_summary()?,
        settings: CohortSettings {
            xp_and_streaks: head.xp_and_streaks,
        },
        join_code: head.join_code,
        educators,
        roster: roster
            .into_iter()
            .map(RosterRow::into_member)
            .collect::<Result<_, _>>()?,
    }))
}

/// A new join code for cohort `id`, open: the old one stops working for joining and logging in.
pub async fn rotate_code(db: &Db, id: &str) -> Result<String, CodeError> {
    loop {
        let code = join_codes::generate()?;
        let sql = "UPDATE cohorts SET join_code = $1, join_open = TRUE WHERE id = $2";
        let updated = on!(db, c => sqlx::query(sql)
            .bind(&code)
            .bind(id)
            .execute(c)
            .await
            .map(drop));
        if !code_taken(updated)? {
            return Ok(code);
        }
    }
}

/// Whether cohort `id`'s code admits newcomers; its members log in with it either way.
pub async fn set_join_open(db: &Db, id: &str, open: bool) -> Result<(), sqlx::Error> {
    let sql = "UPDATE cohorts SET join_open = $1 WHERE id = $2";
    on!(db, c => sqlx::query(sql).bind(open).bind(id).execute(c).await.map(drop))?;
    Ok(())
}

/// Makes `educator_ids` exactly the educators who run cohort `id`.
pub async fn set_educators(db: &Db, id: &str, educator_ids: &[String]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = "DELETE FROM cohort_educators WHERE cohort_id = $1";
    on!(tx.conn(), c => sqlx::query(sql).bind(id).execute(c).await.map(drop))?;
    for educator in educator_ids {
        link_educator(tx.conn(), id, educator).await?;
    }
    tx.commit().await
}

/// For each staff account linked to a cohort, the ids of its cohorts.
pub async fn cohorts_by_educator(db: &Db) -> Result<BTreeMap<String, Vec<String>>, sqlx::Error> {
    let sql = "SELECT user_id, cohort_id FROM cohort_educators ORDER BY user_id, cohort_id";
    let links: Vec<(String, String)> = on!(db, c => sqlx::query_as(sql).fetch_all(c).await)?;
    let mut by_educator = BTreeMap::<String, Vec<String>>::new();
    for (user, cohort) in links {
        by_educator.entry(user).or_default().push(cohort);
    }
    Ok(by_educator)
}

async fn link_educator(conn: Conn<'_>, cohort_id: &str, user_id: &str) -> Result<(), sqlx::Error> {
    let sql =
        "INSERT INTO cohort_educators (cohort_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    on!(conn, c => sqlx::query(sql).bind(cohort_id).bind(user_id).execute(c).await.map(drop))?;
    Ok(())
}

/// A row with `SUMMARY_COLUMNS`.
#[derive(FromRow)]
struct SummaryRow {
    id: String,
    name: String,
    path_id: String,
    audience: String,
    starts_on: Option<String>,
    ends_on: Option<String>,
    join_open: bool,
    startups: Option<i64>,
    learners: i64,
    parents: i64,
}

impl SummaryRow {
    fn into_summary(self) -> Result<CohortSummary, sqlx::Error> {
        Ok(CohortSummary {
            id: self.id,
            name: self.name,
            path_id: self.path_id,
            audience: self.audience,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            join_open: self.join_open,
            startups: self.startups.map(count).transpose()?,
            learners: count(self.learners)?,
            parents: count(self.parents)?,
        })
    }
}

/// A count, as core's types hold it.
fn count(n: i64) -> Result<u32, sqlx::Error> {
    u32::try_from(n).map_err(|err| sqlx::Error::Decode(err.into()))
}

/// A row of [`detail`]'s head.
#[derive(FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    xp_and_streaks: bool,
    join_code: String,
}

/// A member of `users` as [`RosterRow`] reads them, consent included.
pub(super) const ROSTER_COLUMNS: &str = "id, nickname, role, age_band,
    created_at AS joined_at, last_synced_at, paper_consent_at IS NOT NULL AS paper_consent,
    EXISTS (SELECT 1 FROM family_links
            WHERE child_id = users.id AND confirmed_at IS NOT NULL) AS family_consent";

/// A row with [`ROSTER_COLUMNS`].
#[derive(FromRow)]
pub(super) struct RosterRow {
    id: String,
    nickname: String,
    role: String,
    age_band: Option<String>,
    joined_at: String,
    last_synced_at: Option<String>,
    paper_consent: bool,
    family_consent: bool,
}

impl RosterRow {
    pub(super) fn into_member(self) -> Result<RosterMember, sqlx::Error> {
        let role: Role = decode_name(self.role)?;
        let age_band: Option<AgeBand> = self.age_band.map(decode_name).transpose()?;
        let consent = Consent {
            paper: self.paper_consent,
            family: self.family_consent,
        };
        Ok(RosterMember {
            id: self.id,
            nickname: self.nickname,
            role,
            age_band,
            joined_at: self.joined_at,
            last_synced_at: self.last_synced_at,
            // No band said is taken as under 14, as `consent::needed` does.
            consent: (role == Role::Learner && age_band != Some(AgeBand::From14))
                .then_some(consent),
        })
    }
}

/// Whether writing a fresh join code failed only because another cohort has it: then the caller
/// draws again (a collision happens about once in 10^11).
fn code_taken(written: Result<(), sqlx::Error>) -> Result<bool, sqlx::Error> {
    match written {
        Ok(_) => Ok(false),
        Err(sqlx::Error::Database(err)) if err.is_unique_violation() => Ok(true),
        Err(err) => Err(err),
    }
}
