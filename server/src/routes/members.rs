//! A cohort's members, for the staff who run it: correcting the role someone joined with,
//! removing someone who should not be there.

use super::Body;
use super::account::may_join_as;
use crate::auth::Staff;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{accounts, cohorts, members};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use officina_core::account::Role;
use officina_core::staff::{RoleRequest, RosterMember};

/// `PUT /api/cohorts/{id}/members/{user_id}/role`: a learner who should be a parent (in a family
/// cohort) or the other way round, while nothing they did depends on the role.
pub async fn set_role(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path((id, user_id)): Path<(String, String)>,
    Body(request): Body<RoleRequest>,
) -> Result<Json<RosterMember>, ApiError> {
    if !cohorts::runs(&state.db, &staff, &id).await? {
        return Err(ApiError::NotFound);
    }
    let Some(cohort) = cohorts::by_id(&state.db, &id).await? else {
        return Err(ApiError::NotFound);
    };
    let audience = state
        .content
        .bundle
        .path(&cohort.path_id)
        .map(|path| path.audience);
    if !may_join_as(request.role, audience) {
        return Err(ApiError::RoleNotAllowed);
    }
    if request.role == Role::Parent && request.age_band.is_some() {
        return Err(ApiError::BadRequest(
            "un genitore non ha una fascia d'età.".into(),
        ));
    }
    let change =
        members::change_role(&state.db, &id, &user_id, request.role, request.age_band).await?;
    match change {
        members::RoleChange::Changed(member) => Ok(Json(member)),
        members::RoleChange::NotFound => Err(ApiError::NotFound),
        members::RoleChange::InUse => Err(ApiError::RoleInUse),
    }
}

/// `DELETE /api/cohorts/{id}/members/{user_id}`: someone who should not be in the cohort (who joined
/// with a leaked code) is out: their tokens stop working and their login is refused; what they did
/// stays in the reports.
pub async fn remove(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    if !cohorts::runs(&state.db, &staff, &id).await?
        || !accounts::remove_member(&state.db, &id, &user_id).await?
    {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}
