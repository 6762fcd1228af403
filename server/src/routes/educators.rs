//! The staff, managed by admins: list, create, reset a password, disable.

use super::Body;
use crate::admin;
use crate::auth::Admin;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::accounts;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use officina_core::account::Role;
use officina_core::staff::{NewEducator, NewPassword, StaffAccount};

/// `GET /api/educators`: every educator and admin, by name.
pub async fn list(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> Result<Json<Vec<StaffAccount>>, ApiError> {
    Ok(Json(accounts::staff_accounts(&state.db).await?))
}

/// `POST /api/educators`: a new educator, who logs in at `/api/staff/login`.
pub async fn create(
    State(state): State<AppState>,
    Admin(_): Admin,
    Body(request): Body<NewEducator>,
) -> Result<(StatusCode, Json<StaffAccount>), ApiError> {
    let user = admin::add_staff(
        &state.db,
        &state.hashing,
        Role::Educator,
        &request.name,
        &request.password,
    )
    .await?;
    let account = StaffAccount {
        id: user.id,
        name: user.nickname,
        role: Role::Educator,
        disabled: false,
        cohorts: Vec::new(),
    };
    Ok((StatusCode::CREATED, Json(account)))
}

/// `PUT /api/educators/{id}/password`: a new password; the educator's sessions end.
pub async fn set_password(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
    Body(request): Body<NewPassword>,
) -> Result<StatusCode, ApiError> {
    let hash = admin::staff_password_hash(&state.hashing, &request.password).await?;
    if !accounts::set_staff_secret(&state.db, &id, &hash, false).await? {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/educators/{id}`: disables the educator; their reviews and awards stay in the log.
pub async fn disable(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if !accounts::disable_educator(&state.db, &id).await? {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}
