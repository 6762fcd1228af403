//! `GET /api/progress`: the caller's progress and badges, from core's rules over their synced log
//! (kept folded).

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{cohorts, folds};
use axum::Json;
use axum::extract::State;
use officina_core::cohort::counts;
use officina_core::report::{ProgressReport, report};

pub async fn progress(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ProgressReport>, ApiError> {
    let bundle = &state.content.bundle;
    let fold = folds::current(&state.db, bundle, &caller.user.id)
        .await?
        .fold;
    let mut report = report(bundle, &fold);
    if !cohorts::settings_of(state.db.acquire().await?.conn(), &caller.user.id)
        .await?
        .xp_and_streaks
    {
        // The cohort plays without score: no points, no badge for streaks.
        report.xp = 0;
        report.badges.retain(|id| {
            bundle
                .badges
                .iter()
                .any(|b| &b.id == id && counts(b, false))
        });
    }
    Ok(Json(report))
}
