//! `GET /api/progress`: the caller's progress and badges, from core's rules over their synced log.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::events;
use axum::Json;
use axum::extract::State;
use officina_core::report::{ProgressReport, report};

pub async fn progress(State(state): State<AppState>, caller: Caller) -> Result<Json<ProgressReport>, ApiError> {
    let log = events::log_of(&state.db, &caller.user.id).await?;
    Ok(Json(report(&state.content.bundle, &log)))
}
