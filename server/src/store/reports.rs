//! What the educators' reports read: cohorts with their report settings, their members, and the
//! challenge submissions and reviews of a cohort.

use super::backend::{Db, on};
use super::decode_name;
use super::events::EventRow;
use officina_core::Event;
use officina_core::cohort::Member;
use sqlx::FromRow;

/// A cohort as the reports need it.
#[derive(Debug, Clone, FromRow)]
pub struct ReportCohort {
    pub id: String,
    pub path_id: String,
    pub xp_and_streaks: bool,
    /// BIGINT on PostgreSQL, which has no unsigned types.
    pub startups: Option<i64>,
}

const COHORT_COLUMNS: &str = "id, path_id, xp_and_streaks, startups";

pub async fn cohort(db: &Db, id: &str) -> Result<Option<ReportCohort>, sqlx::Error> {
    let sql = format!("SELECT {COHORT_COLUMNS} FROM cohorts WHERE id = $1");
    on!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)
}

pub async fn all_cohorts(db: &Db) -> Result<Vec<ReportCohort>, sqlx::Error> {
    let sql = format!("SELECT {COHORT_COLUMNS} FROM cohorts ORDER BY created_at, id");
    on!(db, c => sqlx::query_as(&sql).fetch_all(c).await)
}

/// The learners and parents of a cohort.
pub async fn members(db: &Db, cohort_id: &str) -> Result<Vec<Member>, sqlx::Error> {
    let sql = "SELECT id, nickname, role, created_at, last_synced_at FROM users
         WHERE cohort_id = $1 AND role IN ('learner', 'parent') ORDER BY created_at, id";
    let rows: Vec<MemberRow> =
        on!(db, c => sqlx::query_as(sql).bind(cohort_id).fetch_all(c).await)?;
    rows.into_iter().map(MemberRow::into_member).collect()
}

/// A member as the reports count them, from the columns of `users` of the same names.
#[derive(FromRow)]
pub(super) struct MemberRow {
    id: String,
    nickname: String,
    role: String,
    created_at: String,
    last_synced_at: Option<String>,
}

impl MemberRow {
    pub(super) fn into_member(self) -> Result<Member, sqlx::Error> {
        Ok(Member {
            id: self.id,
            nickname: self.nickname,
            role: decode_name(self.role)?,
            joined_at: self.created_at,
            last_synced_at: self.last_synced_at,
        })
    }
}

/// A challenge submission or review by or about one of a cohort's learners.
#[derive(Debug, Clone, FromRow)]
pub struct ChallengeEvent {
    pub seq: i64,
    pub id: String,
    pub learner_id: String,
    pub nickname: String,
    pub kind: String,
    pub activity_id: String,
    pub at: String,
    pub data: String,
    pub received_at: String,
}

impl ChallengeEvent {
    /// The event as core's rules read it; `None` if the row is damaged.
    pub fn into_event(self) -> Option<Event> {
        let row = EventRow {
            seq: self.seq,
            id: self.id,
            user_id: self.learner_id,
            kind: self.kind,
            activity_id: Some(self.activity_id),
            at: self.at,
            data: self.data,
            received_at: self.received_at,
        };
        row.into_stored().ok().map(Event::from)
    }
}

/// Every challenge submission and review of the cohort's learners, in the server's order.
pub async fn challenge_events(
    db: &Db,
    cohort_id: &str,
) -> Result<Vec<ChallengeEvent>, sqlx::Error> {
    let sql =
        "SELECT events.seq, events.id, events.user_id AS learner_id, users.nickname, events.kind,
                events.activity_id, events.at, events.data, events.received_at
         FROM events JOIN users ON users.id = events.user_id
         WHERE users.cohort_id = $1 AND users.role = 'learner' AND events.activity_id IS NOT NULL
           AND events.kind IN ('challenge_submitted', 'challenge_reviewed')
         ORDER BY events.seq";
    on!(db, c => sqlx::query_as(sql).bind(cohort_id).fetch_all(c).await)
}
