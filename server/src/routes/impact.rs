//! The impact report: `GET /api/impact` (the whole programme, any staff) and
//! `GET /api/cohorts/{id}/impact` (a cohort its educators run), as JSON or CSV.

use super::reports::{LangQuery, csv, load, loaded, staff_only};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{clock, reports};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use officina_core::Lang;
use officina_core::impact::{self, Impact};

pub async fn programme(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<LangQuery>, QueryRejection>,
) -> Result<Json<Impact>, ApiError> {
    let Query(query) = query?;
    Ok(Json(of_programme(&state, &caller, query.lang).await?.0))
}

pub async fn programme_csv(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<LangQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let (report, now) = of_programme(&state, &caller, query.lang).await?;
    Ok(csv("impatto", &now, report.to_csv()))
}

pub async fn cohort(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<LangQuery>, QueryRejection>,
) -> Result<Json<Impact>, ApiError> {
    let Query(query) = query?;
    Ok(Json(of_cohort(&state, &caller, &id, query.lang).await?.0))
}

pub async fn cohort_csv(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<LangQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let (report, now) = of_cohort(&state, &caller, &id, query.lang).await?;
    Ok(csv("gruppo-impatto", &now, report.to_csv()))
}

/// Every cohort whose path is still in the content.
async fn of_programme(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
) -> Result<(Impact, String), ApiError> {
    staff_only(caller)?;
    let mut cohorts = Vec::new();
    for row in reports::all_cohorts(&state.db).await? {
        cohorts.extend(load(state, &row).await?);
    }
    let now = clock::now_seconds();
    let report = impact::programme(&state.content.bundle, &cohorts, &now, lang);
    Ok((report, now))
}

async fn of_cohort(
    state: &AppState,
    caller: &Caller,
    id: &str,
    lang: Lang,
) -> Result<(Impact, String), ApiError> {
    let (cohort, now) = loaded(state, caller, id).await?;
    let report = impact::cohort(&state.content.bundle, &cohort, &now, lang);
    Ok((report, now))
}
