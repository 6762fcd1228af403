//! Cohorts: as their members and educators see them, their settings, join codes and educators.

use super::decode_name;
use crate::auth::join_codes;
use officina_core::account::{AgeBand, Role, User};
use officina_core::consent::Consent;
use officina_core::staff::{CohortDetail, CohortSettings, CohortSummary, RosterMember};
use serde::Serialize;
use sqlx::sqlite::{SqliteQueryResult, SqliteRow};
use sqlx::{Row, SqliteConnection, SqliteExecutor, SqlitePool};
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

pub async fn by_id(db: &SqlitePool, id: &str) -> Result<Option<CohortView>, sqlx::Error> {
    sqlx::query("SELECT id, name, path_id, xp_and_streaks FROM cohorts WHERE id = $1")
        .bind(id)
        .try_map(|row: SqliteRow| {
            Ok(CohortView {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                path_id: row.try_get("path_id")?,
                settings: settings(&row)?,
            })
        })
        .fetch_optional(db)
        .await
}

/// The settings of `user_id`'s cohort; the defaults for staff, who have none.
pub async fn settings_of(
    db: impl SqliteExecutor<'_>,
    user_id: &str,
) -> Result<CohortSettings, sqlx::Error> {
    let found: Option<bool> = sqlx::query_scalar(
        "SELECT cohorts.xp_and_streaks FROM users JOIN cohorts ON cohorts.id = users.cohort_id WHERE users.id = $1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(CohortSettings {
        xp_and_streaks: found.unwrap_or(true),
    })
}

/// Whether `staff` runs cohort `id`: an admin runs them all, an educator those linked to them.
pub async fn runs(db: &SqlitePool, staff: &User, id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT $1 = 'admin' OR EXISTS (SELECT 1 FROM cohort_educators WHERE cohort_id = $2 AND user_id = $3)",
    )
    .bind(staff.role.as_str())
    .bind(id)
    .bind(&staff.id)
    .fetch_one(db)
    .await
}

pub async fn set_settings(
    db: &SqlitePool,
    id: &str,
    settings: CohortSettings,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cohorts SET xp_and_streaks = $1 WHERE id = $2")
        .bind(settings.xp_and_streaks)
        .bind(id)
        .execute(db)
        .await?;
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
    db: &SqlitePool,
    details: &Details,
    educator_ids: &[String],
) -> Result<NewCohort, CodeError> {
    let id = Uuid::new_v4().to_string();
    let mut tx = db.begin().await?;
    // A code another cohort holds inserts nothing: draw again. (Catching the unique violation
    // instead would abort the whole transaction on PostgreSQL.)
    let join_code = loop {
        let code = join_codes::generate()?;
        let inserted = sqlx::query(
            "INSERT INTO cohorts (id, name, path_id, join_code, audience, starts_on, ends_on, startups)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (join_code) DO NOTHING",
        )
        .bind(&id)
        .bind(&details.name)
        .bind(&details.path_id)
        .bind(&code)
        .bind(&details.audience)
        .bind(&details.starts_on)
        .bind(&details.ends_on)
        .bind(details.startups)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 1 {
            break code;
        }
    };
    for educator in educator_ids {
        link_educator(&mut tx, &id, educator).await?;
    }
    tx.commit().await?;
    Ok(NewCohort { id, join_code })
}

/// The cohorts `staff` runs, newest first.
pub async fn run_by(db: &SqlitePool, staff: &User) -> Result<Vec<CohortSummary>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM cohorts AS c
         WHERE $1 = 'admin' OR EXISTS (SELECT 1 FROM cohort_educators WHERE cohort_id = c.id AND user_id = $2)
         ORDER BY c.created_at DESC, c.id DESC"
    );
    sqlx::query(&sql)
        .bind(staff.role.as_str())
        .bind(&staff.id)
        .try_map(|row: SqliteRow| summary(&row))
        .fetch_all(db)
        .await
}

pub async fn detail(db: &SqlitePool, id: &str) -> Result<Option<CohortDetail>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, c.xp_and_streaks, c.join_code FROM cohorts AS c WHERE c.id = $1"
    );
    let Some(head) = sqlx::query(&sql).bind(id).fetch_optional(db).await? else {
        return Ok(None);
    };
    let educators = sqlx::query_scalar(
        "SELECT users.nickname FROM cohort_educators JOIN users ON users.id = cohort_educators.user_id
         WHERE cohort_educators.cohort_id = $1 AND users.disabled_at IS NULL
         ORDER BY lower(users.nickname), users.id",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let sql = format!(
        "SELECT {ROSTER_COLUMNS} FROM users
         WHERE cohort_id = $1 AND removed_at IS NULL ORDER BY lower(nickname), id"
    );
    let roster = sqlx::query(&sql)
        .bind(id)
        .try_map(roster_member)
        .fetch_all(db)
        .await?;
    Ok(Some(CohortDetail {
        summary: summary(&head)?,
        settings: settings(&head)?,
        join_code: head.try_get("join_code")?,
        educators,
        roster,
    }))
}

/// A new join code for cohort `id`, open: the old one stops working for joining and logging in.
pub async fn rotate_code(db: &SqlitePool, id: &str) -> Result<String, CodeError> {
    loop {
        let code = join_codes::generate()?;
        let updated =
            sqlx::query("UPDATE cohorts SET join_code = $1, join_open = TRUE WHERE id = $2")
                .bind(&code)
                .bind(id)
                .execute(db)
                .await;
        if !code_taken(updated)? {
            return Ok(code);
        }
    }
}

/// Whether cohort `id`'s code admits newcomers; its members log in with it either way.
pub async fn set_join_open(db: &SqlitePool, id: &str, open: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cohorts SET join_open = $1 WHERE id = $2")
        .bind(open)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Makes `educator_ids` exactly the educators who run cohort `id`.
pub async fn set_educators(
    db: &SqlitePool,
    id: &str,
    educator_ids: &[String],
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM cohort_educators WHERE cohort_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for educator in educator_ids {
        link_educator(&mut tx, id, educator).await?;
    }
    tx.commit().await
}

/// For each staff account linked to a cohort, the ids of its cohorts.
pub async fn cohorts_by_educator(
    db: &SqlitePool,
) -> Result<BTreeMap<String, Vec<String>>, sqlx::Error> {
    let links: Vec<(String, String)> = sqlx::query_as(
        "SELECT user_id, cohort_id FROM cohort_educators ORDER BY user_id, cohort_id",
    )
    .fetch_all(db)
    .await?;
    let mut by_educator = BTreeMap::<String, Vec<String>>::new();
    for (user, cohort) in links {
        by_educator.entry(user).or_default().push(cohort);
    }
    Ok(by_educator)
}

async fn link_educator(
    db: &mut SqliteConnection,
    cohort_id: &str,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO cohort_educators (cohort_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(cohort_id)
    .bind(user_id)
    .execute(db)
    .await?;
    Ok(())
}

// Core's wire types, read from rows by hand: sqlx's `FromRow` derive cannot reach them.

/// A row with `SUMMARY_COLUMNS`.
fn summary(row: &SqliteRow) -> Result<CohortSummary, sqlx::Error> {
    Ok(CohortSummary {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        path_id: row.try_get("path_id")?,
        audience: row.try_get("audience")?,
        starts_on: row.try_get("starts_on")?,
        ends_on: row.try_get("ends_on")?,
        join_open: row.try_get("join_open")?,
        startups: row.try_get("startups")?,
        learners: row.try_get("learners")?,
        parents: row.try_get("parents")?,
    })
}

fn settings(row: &SqliteRow) -> Result<CohortSettings, sqlx::Error> {
    Ok(CohortSettings {
        xp_and_streaks: row.try_get("xp_and_streaks")?,
    })
}

/// A member of `users` as [`roster_member`] reads them, consent included.
pub(super) const ROSTER_COLUMNS: &str = "id, nickname, role, age_band,
    created_at AS joined_at, last_synced_at, paper_consent_at IS NOT NULL AS paper_consent,
    EXISTS (SELECT 1 FROM family_links
            WHERE child_id = users.id AND confirmed_at IS NOT NULL) AS family_consent";

pub(super) fn roster_member(row: SqliteRow) -> Result<RosterMember, sqlx::Error> {
    let role: Role = decode_name(row.try_get("role")?)?;
    let age_band: Option<AgeBand> = row
        .try_get::<Option<String>, _>("age_band")?
        .map(decode_name)
        .transpose()?;
    let consent = Consent {
        paper: row.try_get("paper_consent")?,
        family: row.try_get("family_consent")?,
    };
    Ok(RosterMember {
        id: row.try_get("id")?,
        nickname: row.try_get("nickname")?,
        role,
        age_band,
        joined_at: row.try_get("joined_at")?,
        last_synced_at: row.try_get("last_synced_at")?,
        consent: (role == Role::Learner && age_band == Some(AgeBand::Under14)).then_some(consent),
    })
}

/// Whether writing a fresh join code failed only because another cohort has it: then the caller
/// draws again (a collision happens about once in 10^11).
fn code_taken(written: Result<SqliteQueryResult, sqlx::Error>) -> Result<bool, sqlx::Error> {
    match written {
        Ok(_) => Ok(false),
        Err(sqlx::Error::Database(err)) if err.is_unique_violation() => Ok(true),
        Err(err) => Err(err),
    }
}
