//! Cohorts: the caller's own; and for the staff who run them, their details, settings, join codes
//! and educators.

use super::Body;
use crate::admin;
use crate::auth::{Admin, Caller, Staff};
use crate::cohort_details;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::cohorts::{self, CohortView};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use officina_core::account::{Role, User};
use officina_core::staff::{
    CohortDetail, CohortRequest, CohortSettings, CohortSummary, EducatorNames,
};
use qrcode::render::svg;
use qrcode::types::QrError;
use qrcode::{EcLevel, QrCode};
use serde::Serialize;

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

/// `GET /api/cohorts`: the cohorts the caller runs, newest first.
pub async fn list(
    State(state): State<AppState>,
    Staff(staff): Staff,
) -> Result<Json<Vec<CohortSummary>>, ApiError> {
    Ok(Json(cohorts::run_by(&state.db, &staff).await?))
}

/// `POST /api/cohorts`: a new cohort, run by the educator who creates it (an admin runs them all).
pub async fn create(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Body(request): Body<CohortRequest>,
) -> Result<(StatusCode, Json<CohortDetail>), ApiError> {
    let details = cohort_details::check(request, &state.content.bundle)?;
    let educators = match staff.role {
        Role::Educator => vec![staff.id],
        _ => Vec::new(),
    };
    let created = cohorts::create(&state.db, &details, &educators).await?;
    let detail = cohorts::detail(&state.db, &created.id).await?;
    Ok((StatusCode::CREATED, Json(detail.ok_or(ApiError::NotFound)?)))
}

/// `GET /api/cohorts/{id}`: details and roster.
pub async fn show(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(id): Path<String>,
) -> Result<Json<CohortDetail>, ApiError> {
    let detail = detail_for(&state, &staff, &id).await?;
    Ok(Json(detail))
}

/// `PUT /api/cohorts/{id}/settings`: an educator who runs the cohort, or an admin, changes them.
pub async fn set_settings(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(id): Path<String>,
    Body(settings): Body<CohortSettings>,
) -> Result<StatusCode, ApiError> {
    detail_for(&state, &staff, &id).await?;
    cohorts::set_settings(&state.db, &id, settings).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
pub struct JoinCode {
    join_code: String,
}

/// `POST /api/cohorts/{id}/code`: a new code, open; the old one stops working.
pub async fn rotate_code(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(id): Path<String>,
) -> Result<Json<JoinCode>, ApiError> {
    detail_for(&state, &staff, &id).await?;
    let join_code = cohorts::rotate_code(&state.db, &id).await?;
    Ok(Json(JoinCode { join_code }))
}

/// `DELETE /api/cohorts/{id}/code`: nobody new joins with the code; members still log in.
pub async fn close_code(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    set_join_open(&state, &staff, &id, false).await
}

/// `PUT /api/cohorts/{id}/code`: the code admits newcomers again.
pub async fn reopen_code(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    set_join_open(&state, &staff, &id, true).await
}

async fn set_join_open(
    state: &AppState,
    staff: &User,
    id: &str,
    open: bool,
) -> Result<StatusCode, ApiError> {
    detail_for(state, staff, id).await?;
    cohorts::set_join_open(&state.db, id, open).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/cohorts/{id}/qr.svg`: the join link as a QR code, to project or print.
pub async fn qr_svg(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let detail = detail_for(&state, &staff, &id).await?;
    let link = format!("{}/?codice={}", state.issuer.public_url, detail.join_code);
    let headers = [
        (header::CONTENT_TYPE, "image/svg+xml"),
        // The code can be rotated or closed at any moment.
        (header::CACHE_CONTROL, "no-store"),
    ];
    Ok((headers, join_qr_svg(&link)?))
}

/// `link` as a QR code in SVG: error correction M (a projected or printed code survives some
/// glare), the standard quiet zone, at least 256 px.
fn join_qr_svg(link: &str) -> Result<String, QrError> {
    let code = QrCode::with_error_correction_level(link, EcLevel::M)?;
    Ok(code.render::<svg::Color>().min_dimensions(256, 256).build())
}

/// `PUT /api/cohorts/{id}/educators`: an admin sets who runs the cohort.
pub async fn set_educators(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
    Body(request): Body<EducatorNames>,
) -> Result<StatusCode, ApiError> {
    if cohorts::by_id(&state.db, &id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let educators = admin::educator_ids(&state.db, &request.names).await?;
    cohorts::set_educators(&state.db, &id, &educators).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cohort `id` if `staff` runs it; 404 otherwise, so others learn nothing, not even that it exists.
async fn detail_for(state: &AppState, staff: &User, id: &str) -> Result<CohortDetail, ApiError> {
    if !cohorts::runs(&state.db, staff, id).await? {
        return Err(ApiError::NotFound);
    }
    cohorts::detail(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)
}
