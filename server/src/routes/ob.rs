//! The hosted Open Badges documents under `/ob`: public, no token, JSON-LD, readable from any
//! origin (backpacks and verifiers fetch them from their own pages).

use crate::error::ApiError;
use crate::openbadges::documents;
use crate::state::AppState;
use crate::store::{assertions, consent, erasure};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/issuer", get(issuer))
        .route("/badges/{id}", get(badge_class))
        .route("/assertions/{id}", get(assertion))
        .route("/learners/{id}", get(profile))
        .fallback(|| async { ApiError::NotFound })
}

fn json_ld(status: StatusCode, document: Value) -> Response {
    let headers = [
        (header::CONTENT_TYPE, "application/ld+json"),
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
    ];
    (status, headers, document.to_string()).into_response()
}

async fn issuer(State(state): State<AppState>) -> Response {
    json_ld(StatusCode::OK, documents::issuer(&state.issuer))
}

async fn badge_class(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let bundle = &state.content.bundle;
    let badge = bundle
        .badges
        .iter()
        .find(|b| b.id == id)
        .ok_or(ApiError::NotFound)?;
    Ok(json_ld(
        StatusCode::OK,
        documents::badge_class(&state.issuer, bundle, badge),
    ))
}

/// A revoked assertion answers 410 Gone with `revoked: true`, as Open Badges 2.0 asks. One issued
/// to a learner under 14 whose consent was withdrawn since (a parent's link ended, paper consent
/// taken back) answers 404 until consent is given again.
async fn assertion(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let Some(assertion) = assertions::by_id(&state.db, &id).await? else {
        return withdrawn(&state, &id).await;
    };
    if consent::needed(state.db.acquire().await?.conn(), &assertion.user_id).await? {
        return Err(ApiError::NotFound);
    }
    if assertion.revoked_on.is_some() {
        return Ok(json_ld(
            StatusCode::GONE,
            documents::revoked(
                &state.issuer,
                &assertion.id,
                assertion.revocation_reason.as_deref(),
            ),
        ));
    }
    let recipient = assertions::recipient(&state.db, &assertion.user_id).await?;
    let document = documents::assertion(
        &state.issuer,
        &assertion,
        &documents::profile_path(&recipient.public_id),
    );
    Ok(json_ld(StatusCode::OK, document))
}

/// An assertion of an account since erased answers 410, revoked, for good; any other id 404.
async fn withdrawn(state: &AppState, id: &str) -> Result<Response, ApiError> {
    if !erasure::withdrawn(&state.db, id).await? {
        return Err(ApiError::NotFound);
    }
    let reason = Some("Ritirato: l'account è stato cancellato.");
    Ok(json_ld(
        StatusCode::GONE,
        documents::revoked(&state.issuer, id, reason),
    ))
}

async fn profile(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let profile = assertions::profile(&state.db, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    // Under 14 without consent: the profile stays off, as if it did not exist.
    if consent::needed(state.db.acquire().await?.conn(), &profile.user_id).await? {
        return Err(ApiError::NotFound);
    }
    Ok(json_ld(
        StatusCode::OK,
        documents::profile(&state.issuer, &id, profile.nickname.as_deref()),
    ))
}
