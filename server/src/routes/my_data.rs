//! Data rights for learners and parents: taking one's data (a ZIP) and erasing one's account, and
//! for a parent by a confirmed link, their child's; an under-14's account is erased by a parent.

use super::Body;
use super::account::counted_check;
use crate::auth::Caller;
use crate::auth::client_address::ClientAddress;
use crate::auth::rate_limit::{Address, Target};
use crate::error::ApiError;
use crate::gate::Busy;
use crate::state::AppState;
use crate::store::{accounts, clock, family};
use crate::{erasure, export};
use axum::body::Body as ResponseBody;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use officina_core::account::{Role, User};
use serde::Deserialize;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::OwnedSemaphorePermit;
use tokio_util::io::ReaderStream;

/// The body that confirms an erasure: the caller's own PIN, so a phone left unlocked is not enough.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    secret: String,
}

/// `GET /api/me/export`: the caller's data.
pub async fn export_mine(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    zip_of(&state, &caller.user.id, None).await
}

/// `GET /api/family/{child_id}/export`: a child's data, for a parent by a confirmed link, while the
/// child is under 14 (from 14 it is the child's to ask for).
pub async fn export_child(
    State(state): State<AppState>,
    caller: Caller,
    Path(child_id): Path<String>,
) -> Result<Response, ApiError> {
    parent_of_under_14(&state, &caller.user.id, &child_id).await?;
    zip_of(&state, &child_id, Some(&caller.user.id)).await
}

/// `DELETE /api/me`: a learner of 14 or more, or a parent, erases their own account.
pub async fn erase_mine(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Body(request): Body<Confirmation>,
) -> Result<StatusCode, ApiError> {
    if accounts::is_under_14(&state.db, &caller.user.id).await? {
        return Err(ApiError::AskAParent);
    }
    confirm_secret(&state, address, &caller.user, request.secret).await?;
    erase(&state, &caller.user.id).await
}

/// `DELETE /api/family/{child_id}`: a parent by a confirmed link erases their child under 14.
pub async fn erase_child(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(child_id): Path<String>,
    Body(request): Body<Confirmation>,
) -> Result<StatusCode, ApiError> {
    parent_of_under_14(&state, &caller.user.id, &child_id).await?;
    confirm_secret(&state, address, &caller.user, request.secret).await?;
    erase(&state, &child_id).await
}

/// What a parent may do for a child (their data, their account, a recovery code): only by a
/// confirmed link (else 404), and only while the child is under 14 (else 403 `own_decision`).
pub(super) async fn parent_of_under_14(
    state: &AppState,
    parent: &str,
    child: &str,
) -> Result<(), ApiError> {
    if !family::is_confirmed_parent(&state.db, parent, child).await? {
        return Err(ApiError::NotFound);
    }
    if !accounts::is_under_14(&state.db, child).await? {
        return Err(ApiError::OwnDecision);
    }
    Ok(())
}

async fn erase(state: &AppState, user_id: &str) -> Result<StatusCode, ApiError> {
    let bundle = &state.content.bundle;
    match erasure::erase(&state.db, bundle, &state.photos.dir, user_id).await? {
        Some(_) => Ok(StatusCode::NO_CONTENT),
        None => Err(ApiError::NotFound),
    }
}

/// Checks the caller's own secret, counted as a login attempt would be.
async fn confirm_secret(
    state: &AppState,
    address: Address,
    user: &User,
    secret: String,
) -> Result<(), ApiError> {
    if !matches!(user.role, Role::Learner | Role::Parent) {
        return Err(ApiError::NotFound);
    }
    let cohort = user.cohort_id.as_deref().unwrap_or_default();
    let stored = accounts::member(&state.db, cohort, &user.nickname)
        .await?
        .map(|found| found.secret_hash);
    let turn = state.hashing.enter().await?;
    let attempt = state
        .limiter
        .attempt(Target::user(&user.id), address)
        .await?;
    if !counted_check(state, attempt, turn, secret, stored).await? {
        return Err(ApiError::BadCredentials);
    }
    Ok(())
}

/// The ZIP of `user_id`'s data (as `parent` may see it, for a child), read and written during a
/// turn at exporting into an anonymous temporary file, then streamed from it: the server's memory
/// does not hold it, however slowly the client reads.
async fn zip_of(
    state: &AppState,
    user_id: &str,
    parent: Option<&str>,
) -> Result<Response, ApiError> {
    let slot = state
        .sending_exports
        .clone()
        .try_acquire_owned()
        .map_err(|_| Busy)?;
    let turn = state.exporting.enter().await?;
    let now = clock::now_seconds();
    let gathered = export::gather(&state.db, &state.issuer, user_id, parent, now)
        .await?
        .ok_or(ApiError::NotFound)?;
    let photos = state.photos.clone();
    let name = gathered.file_name();
    let (file, length) = turn.run(move || gathered.zip_file(&photos.dir)).await??;
    let file = Sending {
        file: tokio::fs::File::from_std(file),
        _slot: slot,
    };
    let body = ResponseBody::from_stream(ReaderStream::new(file));
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (header::CONTENT_LENGTH, length.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// An export's file as it is sent: it holds one of the slots for exports being sent until the
/// answer is done or its client gone.
struct Sending {
    file: tokio::fs::File,
    _slot: OwnedSemaphorePermit,
}

impl AsyncRead for Sending {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.file).poll_read(cx, buf)
    }
}
