//! Consent an educator stands behind, for the staff who run the child's cohort: the family links
//! to confirm ("I met this parent") or end, and consent given on paper. Anyone else gets 404.

use super::Body;
use crate::auth::Staff;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{cohorts, consent};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use officina_core::account::User;
use officina_core::consent::{FamilyLinks, PaperConsent};

/// `GET /api/cohorts/{id}/family-links`: every link whose child is a member of the cohort.
pub async fn links(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(id): Path<String>,
) -> Result<Json<FamilyLinks>, ApiError> {
    runs(&state, &staff, &id).await?;
    let links = consent::links_of_cohort(&state.db, &id).await?;
    Ok(Json(FamilyLinks { links }))
}

/// `POST /api/cohorts/{id}/family-links/{link_id}/confirm`: the educator met the parent.
pub async fn confirm(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path((id, link_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    runs(&state, &staff, &id).await?;
    done(consent::confirm(&state.db, &id, &link_id, &staff.id).await?)
}

/// `DELETE /api/cohorts/{id}/family-links/{link_id}`: a link the educator will not stand behind.
pub async fn remove(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path((id, link_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    runs(&state, &staff, &id).await?;
    done(consent::remove_link(&state.db, &id, &link_id).await?)
}

/// `PUT /api/cohorts/{id}/members/{user_id}/consent`: consent on paper for a learner, or not.
pub async fn set_paper(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path((id, user_id)): Path<(String, String)>,
    Body(request): Body<PaperConsent>,
) -> Result<StatusCode, ApiError> {
    runs(&state, &staff, &id).await?;
    done(consent::set_paper(&state.db, &id, &user_id, &staff.id, request.paper).await?)
}

async fn runs(state: &AppState, staff: &User, cohort: &str) -> Result<(), ApiError> {
    if cohorts::runs(&state.db, staff, cohort).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// 204 when the link or learner was there, else 404.
fn done(found: bool) -> Result<StatusCode, ApiError> {
    found
        .then_some(StatusCode::NO_CONTENT)
        .ok_or(ApiError::NotFound)
}
