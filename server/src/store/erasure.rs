//! The SQL of erasing an account: what it leaves of the impact report's counts, and everything
//! else of theirs deleted, in the caller's transaction.

use super::backend::{Conn, Db, on};
use super::reports::{MemberRow, ReportCohort};
use officina_core::cohort::Member;
use officina_core::impact::{Reach, Scores};
use sqlx::FromRow;

/// A learner or parent with their cohort, as the reports count them.
pub async fn member(
    conn: Conn<'_>,
    user_id: &str,
) -> Result<Option<(Member, ReportCohort)>, sqlx::Error> {
    let sql = "SELECT u.id, u.nickname, u.role, u.created_at, u.last_synced_at,
                c.id AS cohort_id, c.path_id, c.xp_and_streaks, c.startups
         FROM users AS u JOIN cohorts AS c ON c.id = u.cohort_id
         WHERE u.id = $1 AND u.role IN ('learner', 'parent')";
    let row: Option<MemberOfCohort> =
        on!(conn, c => sqlx::query_as(sql).bind(user_id).fetch_optional(c).await)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let cohort = ReportCohort {
        id: row.cohort_id,
        path_id: row.path_id,
        xp_and_streaks: row.xp_and_streaks,
        startups: row.startups,
    };
    Ok(Some((row.member.into_member()?, cohort)))
}

#[derive(FromRow)]
struct MemberOfCohort {
    #[sqlx(flatten)]
    member: MemberRow,
    cohort_id: String,
    path_id: String,
    xp_and_streaks: bool,
    startups: Option<i64>,
}

/// Adds `kept` to what erased accounts left in cohort `cohort_id`.
pub async fn keep_counts(conn: Conn<'_>, cohort_id: &str, kept: &Reach) -> Result<(), sqlx::Error> {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let sql = "INSERT INTO erased_reach (cohort_id, young_people, parents, completed, badges,
             family_tasks, assessed_people, assessed_before, assessed_after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (cohort_id) DO UPDATE SET
             young_people = erased_reach.young_people + excluded.young_people,
             parents = erased_reach.parents + excluded.parents,
             completed = erased_reach.completed + excluded.completed,
             badges = erased_reach.badges + excluded.badges,
             family_tasks = erased_reach.family_tasks + excluded.family_tasks,
             assessed_people = erased_reach.assessed_people + excluded.assessed_people,
             assessed_before = erased_reach.assessed_before + excluded.assessed_before,
             assessed_after = erased_reach.assessed_after + excluded.assessed_after";
    on!(conn, c => sqlx::query(sql)
        .bind(cohort_id)
        .bind(count(kept.young_people))
        .bind(count(kept.parents))
        .bind(count(kept.completed))
        .bind(count(kept.badges))
        .bind(count(kept.family_tasks))
        .bind(count(kept.self_assessed.people))
        .bind(kept.self_assessed.before)
        .bind(kept.self_assessed.after)
        .execute(c)
        .await
        .map(drop))?;
    Ok(())
}

/// What erased accounts left in cohort `cohort_id`'s counts.
pub async fn kept_counts(db: &Db, cohort_id: &str) -> Result<Reach, sqlx::Error> {
    let sql = "SELECT young_people, parents, completed, badges, family_tasks, assessed_people,
                assessed_before, assessed_after
         FROM erased_reach WHERE cohort_id = $1";
    let row: Option<KeptRow> =
        on!(db, c => sqlx::query_as(sql).bind(cohort_id).fetch_optional(c).await)?;
    let Some(row) = row else {
        return Ok(Reach::default());
    };
    let count = |n: i64| usize::try_from(n).unwrap_or(0);
    Ok(Reach {
        young_people: count(row.young_people),
        parents: count(row.parents),
        completed: count(row.completed),
        badges: count(row.badges),
        family_tasks: count(row.family_tasks),
        self_assessed: Scores {
            people: count(row.assessed_people),
            before: row.assessed_before,
            after: row.assessed_after,
        },
        ..Reach::default()
    })
}

/// A row of `erased_reach`.
#[derive(FromRow)]
struct KeptRow {
    young_people: i64,
    parents: i64,
    completed: i64,
    badges: i64,
    family_tasks: i64,
    assessed_people: i64,
    assessed_before: f64,
    assessed_after: f64,
}

/// What deleting an account left to do outside the database, and what it deleted.
#[derive(Debug, Default)]
pub struct Deleted {
    /// The SHA-256 names of their stored photos: each file goes once no one else's photo has it.
    pub photo_files: Vec<String>,
    /// Their uploads under way, whose partial files go.
    pub uploads: Vec<String>,
    pub events: u64,
    pub assertions: u64,
}

/// The account's photo files and uploads under way, as they are now.
pub async fn photo_files(mut conn: Conn<'_>, user_id: &str) -> Result<Deleted, sqlx::Error> {
    let sql = "SELECT sha256 FROM photos WHERE user_id = $1";
    let photo_files =
        on!(conn.reborrow(), c => sqlx::query_scalar(sql).bind(user_id).fetch_all(c).await)?;
    let sql = "SELECT id FROM photo_uploads WHERE user_id = $1";
    let uploads = on!(conn, c => sqlx::query_scalar(sql).bind(user_id).fetch_all(c).await)?;
    Ok(Deleted {
        photo_files,
        uploads,
        ..Deleted::default()
    })
}

/// Deletes the account and everything of theirs: sessions, codes, family links, events, photos
/// (rows), badges (their ids kept as withdrawn, so the public URLs answer 410), the account.
pub async fn delete_account(mut conn: Conn<'_>, user_id: &str) -> Result<Deleted, sqlx::Error> {
    let mut deleted = photo_files(conn.reborrow(), user_id).await?;
    let sql = "INSERT INTO withdrawn_assertions (id) SELECT id FROM assertions WHERE user_id = $1
         ON CONFLICT DO NOTHING";
    on!(conn.reborrow(), c => sqlx::query(sql).bind(user_id).execute(c).await.map(drop))?;
    for (table, column) in [
        ("sessions", "user_id"),
        ("recovery_codes", "user_id"),
        ("recovery_codes", "issued_by"),
        ("family_codes", "user_id"),
        ("family_links", "parent_id"),
        ("family_links", "child_id"),
        ("events", "user_id"),
        ("photos", "user_id"),
        ("photo_uploads", "user_id"),
        ("assertions", "user_id"),
        ("badge_recipients", "user_id"),
        ("users", "id"),
    ] {
        // Table and column names from this list only, never from input.
        let sql = format!("DELETE FROM {table} WHERE {column} = $1");
        let done = on!(conn.reborrow(), c => sqlx::query(&sql)
            .bind(user_id)
            .execute(c)
            .await
            .map(|done| done.rows_affected()))?;
        match table {
            "events" => deleted.events = done,
            "assertions" => deleted.assertions = done,
            _ => {}
        }
    }
    Ok(deleted)
}

/// Whether `id` is the assertion of an account since erased.
pub async fn withdrawn(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT EXISTS (SELECT 1 FROM withdrawn_assertions WHERE id = $1)";
    on!(db, c => sqlx::query_scalar(sql).bind(id).fetch_one(c).await)
}

/// A learner or parent of a cohort that ended more than `days` days ago.
#[derive(Debug, sqlx::FromRow)]
pub struct Expired {
    pub id: String,
    pub nickname: String,
    pub cohort: String,
    pub ended_on: String,
}

/// The accounts of cohorts whose end date is more than `days` days before today (cohorts made
/// from the command line have none, and are never expired).
pub async fn ended_before(db: &Db, days: u32) -> Result<Vec<Expired>, sqlx::Error> {
    let sql = "SELECT u.id, u.nickname, c.name AS cohort, c.ends_on AS ended_on
         FROM users AS u JOIN cohorts AS c ON c.id = u.cohort_id
         WHERE u.role IN ('learner', 'parent') AND c.ends_on IS NOT NULL
           AND c.ends_on < $1
         ORDER BY c.ends_on, c.name, u.created_at, u.id";
    on!(db, c => sqlx::query_as(sql)
        .bind(super::clock::date_days_ago(days))
        .fetch_all(c)
        .await)
}
