//! `GET /api/cohorts/{id}/dashboard` and its tables as CSV: a row per member, a row per activity.

use super::reports::{LangQuery, csv, loaded};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use officina_core::Lang;
use officina_core::dashboard::{Dashboard, dashboard};
use serde::Deserialize;

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<LangQuery>, QueryRejection>,
) -> Result<Json<Dashboard>, ApiError> {
    let Query(query) = query?;
    let (board, _) = build(&state, &caller, &id, query.lang).await?;
    Ok(Json(board))
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Which {
    Learners,
    Activities,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvQuery {
    table: Which,
    #[serde(default)]
    lang: Lang,
}

pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<CsvQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let (board, now) = build(&state, &caller, &id, query.lang).await?;
    let (name, table) = match query.table {
        Which::Learners => ("partecipanti", board.learners),
        Which::Activities => ("attivita", board.activities),
    };
    Ok(csv(&format!("gruppo-{name}"), &now, table.to_csv()))
}

/// The dashboard and the time it was made at.
async fn build(
    state: &AppState,
    caller: &Caller,
    id: &str,
    lang: Lang,
) -> Result<(Dashboard, String), ApiError> {
    let (cohort, now) = loaded(state, caller, id).await?;
    let board = dashboard(&state.content.bundle, &cohort, &now, lang);
    Ok((board, now))
}
