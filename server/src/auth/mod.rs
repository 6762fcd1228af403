//! Who is calling: bearer tokens, hashed secrets, the login rate limit and cohort join codes.

pub mod client_address;
pub mod join_codes;
pub mod limiter;
pub mod passwords;
pub mod rate_limit;
pub mod tokens;

use crate::error::ApiError;
use crate::state::AppState;
use crate::store;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use officina_core::account::{Role, User};
use tokens::TokenHash;

/// The account behind the request's `Authorization: Bearer` token; 401 `unauthorized` without one.
pub struct Caller {
    pub user: User,
    pub token: TokenHash,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(bearer)
            .ok_or(ApiError::Unauthorized)?;
        let token = tokens::hash(token);
        let user = store::accounts::user_for_token(&state.db, &token)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        Ok(Self { user, token })
    }
}

/// A caller who is an educator or an admin. Anyone else gets 404, as if the endpoint were not
/// there: staff-only things are not advertised to learners and parents.
pub struct Staff(pub User);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.user.role.is_staff() {
            Ok(Self(caller.user))
        } else {
            Err(ApiError::NotFound)
        }
    }
}

/// A caller who is an admin; anyone else gets 404.
pub struct Admin(pub User);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.user.role == Role::Admin {
            Ok(Self(caller.user))
        } else {
            Err(ApiError::NotFound)
        }
    }
}

/// The token of a `Bearer` credential (the scheme is case-insensitive).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::bearer;

    #[test]
    fn reads_bearer_credentials_only() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("abc"), None);
    }
}
