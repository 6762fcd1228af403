//! A cohort as its members and educators see it, and its settings.

use officina_core::account::User;
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqlitePool};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct CohortView {
    pub id: String,
    pub name: String,
    pub path_id: String,
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub settings: Settings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Points and weekly streaks (and the badges that count streaks) are shown and awarded.
    pub xp_and_streaks: bool,
}

pub async fn by_id(db: &SqlitePool, id: &str) -> Result<Option<CohortView>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, path_id, xp_and_streaks FROM cohorts WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The settings of `user_id`'s cohort; the defaults for staff, who have none.
pub async fn settings_of(db: &SqlitePool, user_id: &str) -> Result<Settings, sqlx::Error> {
    let found: Option<bool> = sqlx::query_scalar(
        "SELECT cohorts.xp_and_streaks FROM users JOIN cohorts ON cohorts.id = users.cohort_id WHERE users.id = ?",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(Settings {
        xp_and_streaks: found.unwrap_or(true),
    })
}

/// Whether `staff` runs cohort `id`: an admin runs them all, an educator those linked to them.
pub async fn runs(db: &SqlitePool, staff: &User, id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT ? = 'admin' OR EXISTS (SELECT 1 FROM cohort_educators WHERE cohort_id = ? AND user_id = ?)",
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
    settings: Settings,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cohorts SET xp_and_streaks = ? WHERE id = ?")
        .bind(settings.xp_and_streaks)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
