//! What the educators' report endpoints share: who may read a cohort's reports, the `lang`
//! parameter, a cohort's members and logs as core reads them, and CSV downloads.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::reports::{self, ReportCohort};
use crate::store::{clock, cohorts, erasure, folds};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use officina_core::Lang;
use officina_core::cohort::{Cohort, MemberLog};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangQuery {
    #[serde(default)]
    pub lang: Lang,
}

/// The cohort, if the caller runs it; 404 for anyone else, who learns nothing, not even that it exists.
pub async fn run_by(state: &AppState, caller: &Caller, id: &str) -> Result<ReportCohort, ApiError> {
    let runs = caller.user.role.is_staff() && cohorts::runs(&state.db, &caller.user, id).await?;
    if !runs {
        return Err(ApiError::NotFound);
    }
    reports::cohort(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Staff only: learners and parents get 404, as for a cohort they do not run.
pub fn staff_only(caller: &Caller) -> Result<(), ApiError> {
    if caller.user.role.is_staff() {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// The cohort with its members' summaries; `None` when its path is no longer in the content.
pub async fn load<'s>(
    state: &'s AppState,
    row: &ReportCohort,
) -> Result<Option<Cohort<'s>>, ApiError> {
    let Some(path) = state.content.bundle.path(&row.path_id) else {
        return Ok(None);
    };
    let bundle = &state.content.bundle;
    let people = reports::members(&state.db, &row.id).await?;
    let ids: Vec<&str> = people.iter().map(|member| member.id.as_str()).collect();
    let summaries = folds::current_of(&state.db, bundle, &ids).await?;
    let members = people
        .into_iter()
        .zip(summaries)
        .map(|(member, summary)| MemberLog::new(member, summary, bundle))
        .collect();
    Ok(Some(Cohort {
        path,
        xp_and_streaks: row.xp_and_streaks,
        startups: row.startups.and_then(|n| u32::try_from(n).ok()),
        members,
        erased: erasure::kept_counts(&state.db, &row.id).await?,
    }))
}

/// Cohort `id` with its members' logs, if the caller runs it, and the server's time to report
/// at. A cohort whose path left the content has nothing to report against: 404.
pub async fn loaded<'s>(
    state: &'s AppState,
    caller: &Caller,
    id: &str,
) -> Result<(Cohort<'s>, String), ApiError> {
    let row = run_by(state, caller, id).await?;
    let cohort = load(state, &row).await?.ok_or(ApiError::NotFound)?;
    Ok((cohort, clock::now_seconds()))
}

/// A CSV download named `officina-{name}-{date}.csv`. The byte-order mark lets spreadsheets
/// (Excel above all) read the accented Italian as UTF-8.
pub fn csv(name: &str, now: &str, body: String) -> Response {
    let date = now.get(..10).unwrap_or(now);
    let disposition = format!("attachment; filename=\"officina-{name}-{date}.csv\"");
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        format!("\u{feff}{body}"),
    )
        .into_response()
}
