//! `GET /api/progress`: the caller's progress and badges, from core's rules over their synced log.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{events, family};
use axum::Json;
use axum::extract::State;
use officina_core::report::{ProgressReport, report};
use officina_core::{Event, EventLog};

pub async fn progress(State(state): State<AppState>, caller: Caller) -> Result<Json<ProgressReport>, ApiError> {
    // Linked relatives' confirmations count: a family task is done when both sides confirmed.
    let relatives = family::relatives(&state.db, &caller.user.id).await?;
    let stored = events::readable_after(&state.db, &caller.user.id, &relatives, 0, u32::MAX).await?;
    let mut log = EventLog::default();
    log.merge(stored.into_iter().map(Event::from));
    Ok(Json(report(&state.content.bundle, &log)))
}
