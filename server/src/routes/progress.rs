//! `GET /api/progress`: the caller's progress and badges, from core's rules over their synced log.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{cohorts, events};
use axum::Json;
use axum::extract::State;
use officina_core::cohort::counts;
use officina_core::report::{ProgressReport, report};

pub async fn progress(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ProgressReport>, ApiError> {
    let log = events::log_of(&state.db, &caller.user.id).await?;
    let mut report = report(&state.content.bundle, &log, Some(&caller.user.id));
    if !cohorts::settings_of(&state.db, &caller.user.id)
        .await?
        .xp_and_streaks
    {
        // The cohort plays without score: no points, no badge for streaks.
        report.xp = 0;
        let bundle = &state.content.bundle;
        report.badges.retain(|id| {
            bundle
                .badges
                .iter()
                .any(|b| &b.id == id && counts(b, false))
        });
    }
    Ok(Json(report))
}
