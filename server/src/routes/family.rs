//! STEAMcamp Family: a parent and a child link their accounts with a one-time family code that one
//! of them shows and the other types, and either can unlink.

use super::Body;
use crate::auth::client_address::ClientAddress;
use crate::auth::rate_limit::Target;
use crate::auth::{Caller, join_codes, tokens};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::family::{self, CodeLookup, LinkError, Relative};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use officina_core::account::{OneTimeCode, Role};
use serde::{Deserialize, Serialize};

/// Six characters from the join-code alphabet: easy to read aloud, valid for a day, used once.
const FAMILY_CODE_LENGTH: usize = 6;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    code: String,
}

#[derive(Serialize)]
pub struct Family {
    parents: Vec<Relative>,
    children: Vec<Relative>,
}

/// `POST /api/family/code`: a new code for the caller, a learner or a parent.
pub async fn create_code(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<(StatusCode, Json<OneTimeCode>), ApiError> {
    family_side(caller.user.role)?;
    let code = join_codes::generate_of_length(FAMILY_CODE_LENGTH)?;
    let expires_at = family::create_code(&state.db, &caller.user.id, &tokens::hash(&code)).await?;
    Ok((StatusCode::CREATED, Json(OneTimeCode { code, expires_at })))
}

/// `POST /api/family/link`: links the caller with the owner of the code, the other role.
pub async fn link(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Body(request): Body<LinkRequest>,
) -> Result<(StatusCode, Json<Family>), ApiError> {
    let caller_role = family_side(caller.user.role)?;
    // Unknown codes count against the caller's account and its address, as wrong secrets do, so
    // six characters cannot be guessed in a day. Counted before the lookup, and taken back unless
    // the code is unknown, so that guesses sent all at once are all counted.
    let attempt = state
        .limiter
        .attempt(Target::user(&caller.user.id), address)
        .await?;
    let code = tokens::hash(&join_codes::normalize(&request.code));
    let lookup = family::lookup_code(&state.db, &code).await;
    let lookup = state.limiter.unless_failed(&attempt, lookup).await?;
    if !matches!(lookup, CodeLookup::Unknown) {
        state.limiter.succeed(attempt).await;
    }
    let owner = match lookup {
        CodeLookup::Valid { user_id, role } => (user_id, role),
        CodeLookup::Unknown => return Err(ApiError::UnknownFamilyCode),
        CodeLookup::Used => return Err(ApiError::FamilyCodeUsed),
        CodeLookup::Expired => return Err(ApiError::FamilyCodeExpired),
    };
    let (parent, child) = match (caller_role, owner.1.as_str()) {
        (Role::Parent, "learner") => (caller.user.id.as_str(), owner.0.as_str()),
        (Role::Learner, "parent") => (owner.0.as_str(), caller.user.id.as_str()),
        _ => return Err(ApiError::WrongFamilyRole),
    };
    family::link(&state.db, &code, parent, child)
        .await
        .map_err(|err| match err {
            LinkError::AlreadyLinked => ApiError::AlreadyLinked,
            LinkError::TooManyParents => ApiError::TooManyParents,
            LinkError::CodeUsed => ApiError::FamilyCodeUsed,
            LinkError::WrongRole => ApiError::WrongFamilyRole,
            LinkError::Db(err) => ApiError::Database(err),
        })?;
    Ok((
        StatusCode::CREATED,
        Json(family_of(&state, &caller.user.id).await?),
    ))
}

/// `GET /api/family`: the caller's linked parents and children.
pub async fn show(State(state): State<AppState>, caller: Caller) -> Result<Json<Family>, ApiError> {
    Ok(Json(family_of(&state, &caller.user.id).await?))
}

/// `DELETE /api/family/links/{user_id}`: either side ends the link.
pub async fn unlink(
    State(state): State<AppState>,
    caller: Caller,
    Path(other): Path<String>,
) -> Result<StatusCode, ApiError> {
    if family::unlink(&state.db, &caller.user.id, &other).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

async fn family_of(state: &AppState, user_id: &str) -> Result<Family, sqlx::Error> {
    Ok(Family {
        parents: family::parents(&state.db, user_id).await?,
        children: family::children(&state.db, user_id).await?,
    })
}

/// Only learners and parents have families.
fn family_side(role: Role) -> Result<Role, ApiError> {
    match role {
        Role::Learner | Role::Parent => Ok(role),
        Role::Educator | Role::Admin => Err(ApiError::WrongFamilyRole),
    }
}
