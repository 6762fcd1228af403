//! Account recovery: an educator of the member's cohort, or a parent by a confirmed link, issues a
//! one-time code; the member signs in with it and a new PIN, keeping their account and history.

use super::Body;
use super::account::{account_target, member, start_session};
use super::my_data::parent_of_under_14;
use crate::auth::client_address::ClientAddress;
use crate::auth::rate_limit::Target;
use crate::auth::{Caller, Staff, join_codes, passwords, tokens};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{accounts, cohorts, recovery};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use officina_core::account::{OneTimeCode, RecoverRequest, Session, secret_length_ok};

/// Eight characters from the join-code alphabet: read aloud or on paper, typed once.
const RECOVERY_CODE_LENGTH: usize = 8;

/// `POST /api/cohorts/{id}/members/{user_id}/recovery`: for staff who run the member's cohort.
pub async fn for_member(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<(StatusCode, Json<OneTimeCode>), ApiError> {
    if !cohorts::runs(&state.db, &staff, &id).await?
        || !accounts::is_member(&state.db, &id, &user_id).await?
    {
        return Err(ApiError::NotFound);
    }
    issue(&state, &user_id, &staff.id).await
}

/// `POST /api/family/{child_id}/recovery`: for a parent of the child by a confirmed link, while
/// the child is under 14 (from 14 a recovery code comes from the educator).
pub async fn for_child(
    State(state): State<AppState>,
    caller: Caller,
    Path(child_id): Path<String>,
) -> Result<(StatusCode, Json<OneTimeCode>), ApiError> {
    parent_of_under_14(&state, &caller.user.id, &child_id).await?;
    issue(&state, &child_id, &caller.user.id).await
}

async fn issue(
    state: &AppState,
    user_id: &str,
    issued_by: &str,
) -> Result<(StatusCode, Json<OneTimeCode>), ApiError> {
    let code = join_codes::generate_of_length(RECOVERY_CODE_LENGTH)?;
    let expires_at = recovery::issue(&state.db, user_id, &tokens::hash(&code), issued_by).await?;
    Ok((StatusCode::CREATED, Json(OneTimeCode { code, expires_at })))
}

/// `POST /api/recover`: signs in with a recovery code and a new secret. Wrong codes count against
/// the account and its address as wrong PINs do; the code is checked before the new secret is
/// hashed, so guesses cost no hashing. Every other session of the account ends.
pub async fn recover(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Body(request): Body<RecoverRequest>,
) -> Result<Json<Session>, ApiError> {
    if !secret_length_ok(&request.secret) {
        return Err(ApiError::InvalidSecret);
    }
    let code = join_codes::normalize(&request.code);
    let nickname = request.nickname.trim();
    let credentials = member(&state, &code, nickname).await?;
    let target = account_target(credentials.as_ref(), || Target::member(&code, nickname));
    let attempt = state.limiter.attempt(target, address).await?;
    let recovery_code = tokens::hash(&join_codes::normalize(&request.recovery_code));
    let live = match &credentials {
        Some(found) => {
            let live = recovery::is_live(&state.db, &found.user.id, &recovery_code).await;
            state.limiter.unless_failed(&attempt, live).await?
        }
        None => false,
    };
    let Some(found) = credentials.filter(|_| live) else {
        return Err(ApiError::BadRecoveryCode);
    };
    state.limiter.succeed(attempt).await;
    if found.removed {
        return Err(ApiError::Removed);
    }
    // A 503 `busy` here leaves the code unused, for a retry.
    let turn = state.hashing.enter().await?;
    let secret_hash = passwords::hash(turn, request.secret).await?;
    if !recovery::recover(&state.db, &found.user.id, &recovery_code, &secret_hash).await? {
        return Err(ApiError::BadRecoveryCode);
    }
    start_session(&state, found.user).await.map(Json)
}
