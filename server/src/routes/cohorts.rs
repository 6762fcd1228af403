//! The caller's cohort, and its settings for the educators who run it.

use super::Body;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::cohorts::{self, CohortView, Settings};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

/// `GET /api/cohort`: the learner's or parent's own cohort, with its settings.
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CohortView>, ApiError> {
    let id = caller.user.cohort_id.as_deref().ok_or(ApiError::NotFound)?;
    cohorts::by_id(&state.db, id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// `PUT /api/cohorts/{id}/settings`: an educator who runs the cohort, or an admin, changes them.
pub async fn set_settings(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(settings): Body<Settings>,
) -> Result<StatusCode, ApiError> {
    // Anyone else learns nothing, not even that the cohort exists.
    let runs = caller.user.role.is_staff() && cohorts::runs(&state.db, &caller.user, &id).await?;
    if !runs || cohorts::by_id(&state.db, &id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    cohorts::set_settings(&state.db, &id, settings).await?;
    Ok(StatusCode::NO_CONTENT)
}
