//! Accounts: join a cohort with its code, log in and out, who am I.

use super::Body;
use crate::auth::client_address::ClientAddress;
use crate::auth::limiter::Counted;
use crate::auth::rate_limit::{Address, Target};
use crate::auth::{Caller, join_codes, passwords, tokens};
use crate::error::ApiError;
use crate::gate::Turn;
use crate::nicknames;
use crate::state::AppState;
use crate::store::accounts::{self, Credentials, InsertError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use officina_core::Audience;
use officina_core::account::{
    AgeBand, JoinRequest, LoginRequest, Role, Session, StaffLoginRequest, User, secret_length_ok,
};
use serde::Deserialize;
use serde_json::{Value, json};

/// `POST /api/join`: a learner (or, in a family cohort, a parent) account, logged in.
pub async fn join(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Body(request): Body<JoinRequest>,
) -> Result<(StatusCode, Json<Session>), ApiError> {
    let nickname = nicknames::normalize(&request.nickname)?;
    if !secret_length_ok(&request.secret) {
        return Err(ApiError::InvalidSecret);
    }
    // The turn at hashing comes first: a 503 `busy` is then no attempt for the rate limit.
    let turn = state.hashing.enter().await?;
    let cohort = open_cohort(&state, address, &request.code).await?;
    let role = request.role.unwrap_or(Role::Learner);
    if !may_join_as(role, audience(&state, &cohort)) {
        return Err(ApiError::RoleNotAllowed);
    }
    let secret_hash = passwords::hash(turn, request.secret).await?;
    // A learner who does not say is treated as under 14: the careful default.
    let age_band = (role == Role::Learner).then(|| request.age_band.unwrap_or(AgeBand::Under14));
    let user = accounts::create_user(
        &state.db,
        role,
        Some(&cohort.id),
        &nickname,
        &secret_hash,
        age_band,
    )
    .await
    .map_err(|err| match err {
        InsertError::Taken => ApiError::NicknameTaken,
        InsertError::Db(err) => ApiError::Database(err),
    })?;
    Ok((
        StatusCode::CREATED,
        Json(start_session(&state, user).await?),
    ))
}

/// `POST /api/join/roles` body: the join code to ask about.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolesRequest {
    code: String,
}

/// `POST /api/join/roles`: who may join with this code, so the join form asks only what applies.
/// It says nothing else about the cohort, and answers for open codes only.
pub async fn join_roles(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Body(request): Body<RolesRequest>,
) -> Result<Json<Value>, ApiError> {
    let cohort = open_cohort(&state, address, &request.code).await?;
    let audience = audience(&state, &cohort);
    let roles: Vec<&str> = [Role::Learner, Role::Parent]
        .into_iter()
        .filter(|role| may_join_as(*role, audience))
        .map(Role::as_str)
        .collect();
    Ok(Json(json!({ "roles": roles })))
}

/// The cohort open to new members with this join code. Unknown codes count against the address,
/// each distinct code once, so codes cannot be enumerated while a class retyping one typo can.
async fn open_cohort(
    state: &AppState,
    address: Address,
    code: &str,
) -> Result<accounts::Cohort, ApiError> {
    let code = join_codes::normalize(code);
    // Counted before the lookup and taken back once the code is right, so that guesses sent all
    // at once are all counted.
    let attempt = state
        .limiter
        .attempt(Target::join_code(&code), address)
        .await?;
    let cohort = accounts::cohort_by_code(&state.db, &code).await;
    let Some(cohort) = state.limiter.unless_failed(&attempt, cohort).await? else {
        return Err(ApiError::UnknownCode);
    };
    state.limiter.succeed(attempt).await;
    if !cohort.join_open {
        return Err(ApiError::JoinClosed);
    }
    Ok(cohort)
}

/// The audience of the cohort's path (`None` once the path has left the content).
fn audience(state: &AppState, cohort: &accounts::Cohort) -> Option<Audience> {
    state
        .content
        .bundle
        .path(&cohort.path_id)
        .map(|path| path.audience)
}

/// Anyone joins as a learner; parents only a cohort whose path is for families. (A cohort whose
/// path has left the content takes learners still, so its members can keep syncing.)
pub(super) fn may_join_as(role: Role, audience: Option<Audience>) -> bool {
    match role {
        Role::Learner => true,
        Role::Parent => audience == Some(Audience::Family),
        Role::Educator | Role::Admin => false,
    }
}

/// `POST /api/login` for learners and parents.
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Body(request): Body<LoginRequest>,
) -> Result<Json<Session>, ApiError> {
    let code = join_codes::normalize(&request.code);
    let nickname = request.nickname.trim();
    let credentials = member(&state, &code, nickname).await?;
    let target = account_target(credentials.as_ref(), || Target::member(&code, nickname));
    // The turn at hashing comes before the attempt is counted: a 503 `busy` is no failure.
    let turn = state.hashing.enter().await?;
    let attempt = state.limiter.attempt(target, address).await?;
    authenticate(&state, attempt, credentials, turn, request.secret)
        .await
        .map(Json)
}

/// `POST /api/staff/login` for educators and admins, with the name and password of `user create`.
pub async fn staff_login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Body(request): Body<StaffLoginRequest>,
) -> Result<Json<Session>, ApiError> {
    let name = request.name.trim();
    let credentials = accounts::staff(&state.db, name).await?;
    let target = account_target(credentials.as_ref(), || Target::staff(name));
    // As in `login`: the turn first, so a 503 `busy` is no failure.
    let turn = state.hashing.enter().await?;
    let attempt = state.limiter.attempt(target, address).await?;
    authenticate(&state, attempt, credentials, turn, request.password)
        .await
        .map(Json)
}

/// What failures count against: the account found, whichever way its name was typed, or else
/// what was typed (so unknown names are limited the same).
pub(super) fn account_target(
    credentials: Option<&Credentials>,
    typed: impl FnOnce() -> Target,
) -> Target {
    credentials.map_or_else(typed, |found| Target::user(&found.user.id))
}

/// The member with this nickname in the cohort with this code, if both exist.
pub(super) async fn member(
    state: &AppState,
    code: &str,
    nickname: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    match accounts::cohort_by_code(&state.db, code).await? {
        Some(cohort) => accounts::member(&state.db, &cohort.id, nickname).await,
        None => Ok(None),
    }
}

/// `POST /api/logout`: this token stops working.
pub async fn logout(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, ApiError> {
    accounts::delete_session(&state.db, &caller.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/logout/all`: every token of the caller stops working, this one too.
pub async fn logout_all(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    accounts::delete_sessions(&state.db, &caller.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/me`.
pub async fn me(caller: Caller) -> Json<User> {
    Json(caller.user)
}

/// Checks the secret against the account (if any), during the caller's turn at hashing. The
/// attempt was counted as a failure before, so that attempts sent at once are all counted; a right
/// secret takes it back, and so does a check that could not be made (the server failing), which is
/// no failure either. A disabled or removed account is told so only once its secret is right, so
/// the answer reveals nothing to someone guessing.
async fn authenticate(
    state: &AppState,
    attempt: Counted,
    credentials: Option<Credentials>,
    turn: Turn,
    secret: String,
) -> Result<Session, ApiError> {
    let (user, stored, disabled, removed) = match credentials {
        Some(Credentials {
            user,
            secret_hash,
            disabled,
            removed,
        }) => (Some(user), Some(secret_hash), disabled, removed),
        None => (None, None, false, false),
    };
    let matches = counted_check(state, attempt, turn, secret, stored).await?;
    match user.filter(|_| matches) {
        Some(user) => {
            if disabled {
                return Err(ApiError::Disabled);
            }
            if removed {
                return Err(ApiError::Removed);
            }
            start_session(state, user).await
        }
        None => Err(ApiError::BadCredentials),
    }
}

/// Whether `secret` is the one `stored` hashes, checked during `turn` and counted as `attempt`: a
/// right secret takes the attempt back, and so does a check that could not be made (the server
/// failing). An over-long secret is wrong for sure; it is not worth hashing.
pub(super) async fn counted_check(
    state: &AppState,
    attempt: Counted,
    turn: Turn,
    secret: String,
    stored: Option<String>,
) -> Result<bool, ApiError> {
    let right = secret_length_ok(&secret) && {
        let verified = passwords::verify(turn, secret, stored).await;
        state.limiter.unless_failed(&attempt, verified).await?
    };
    if right {
        state.limiter.succeed(attempt).await;
    }
    Ok(right)
}

pub(super) async fn start_session(state: &AppState, user: User) -> Result<Session, ApiError> {
    let issued = tokens::issue()?;
    accounts::create_session(&state.db, &user.id, &issued.hash).await?;
    Ok(Session {
        user,
        token: issued.token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_join_family_cohorts_only_and_staff_never_join() {
        assert!(may_join_as(Role::Learner, Some(Audience::Learners)));
        assert!(may_join_as(Role::Learner, None));
        assert!(may_join_as(Role::Parent, Some(Audience::Family)));
        assert!(!may_join_as(Role::Parent, Some(Audience::Learners)));
        assert!(!may_join_as(Role::Educator, Some(Audience::Family)));
        assert!(!may_join_as(Role::Admin, Some(Audience::Family)));
    }
}
