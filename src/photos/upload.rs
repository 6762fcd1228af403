//! Uploads the photos of the challenges the server has acknowledged, in chunks, resuming from
//! what the server already holds: after an interruption, a reload or on another day, nothing is
//! sent twice, and a photo marked done on the device is never sent again.

use super::Upload;
use crate::api::{self, ApiError, PhotoReceived};
use crate::fetch::NetworkError;
use crate::state::AppState;
use leptos::prelude::*;
use officina_core::EventKind;

/// Well under the server's 256 KiB, so one chunk gets through a slow connection in a few seconds.
const CHUNK: u64 = 64 * 1024;

/// Uploads every photo this device still holds unsent. Only a lost connection or a refused
/// token stop the round; a photo the server refuses is reported and the others still go.
pub async fn upload_all(state: AppState, token: &str) -> Result<(), ApiError> {
    for id in acknowledged_photos(state) {
        match upload(state, token, &id).await {
            Err(err) if matches!(err, ApiError::Network(_)) || err.is_unauthorized() => {
                return Err(err);
            }
            Err(err) => leptos::logging::warn!("photo {id} not uploaded: {err}"),
            Ok(()) => {}
        }
    }
    Ok(())
}

/// The photos of submissions the server accepted: before that it would not know whose they are.
fn acknowledged_photos(state: AppState) -> Vec<String> {
    state.journal.with_untracked(|journal| {
        journal
            .log
            .iter()
            .filter(|e| e.kind == EventKind::ChallengeSubmitted)
            .filter(|e| !journal.outbox.contains(&e.id) && !journal.rejected.contains_key(&e.id))
            .flat_map(super::photo_ids)
            .collect()
    })
}

async fn upload(state: AppState, token: &str, id: &str) -> Result<(), ApiError> {
    // Photos of submissions made on another device are not here: that device sends them.
    let Some(photo) = super::saved(id).await else {
        return Ok(());
    };
    if !photo.done {
        let total = photo.blob.size() as u64;
        let mut at = api::photo_received(token, id).await?;
        while !at.done {
            show(state, id, Upload::of(at.received, total, false));
            let next = send_chunk(token, id, &photo.blob, at.received, total).await?;
            if !next.done && next.received <= at.received {
                return Err(stalled(at.received));
            }
            at = next;
            super::mark(id, at.received, at.done).await;
        }
        super::mark(id, total, true).await;
    }
    show(state, id, Upload::Sent);
    Ok(())
}

async fn send_chunk(
    token: &str,
    id: &str,
    blob: &web_sys::Blob,
    offset: u64,
    total: u64,
) -> Result<PhotoReceived, ApiError> {
    let end = (offset + CHUNK).min(total);
    let chunk = blob
        .slice_with_f64_and_f64(offset as f64, end as f64)
        .map_err(NetworkError::from)?;
    api::photo_chunk(token, id, offset, total, &chunk).await
}

fn show(state: AppState, id: &str, upload: Upload) {
    state.uploads.update(|uploads| {
        uploads.retain(|(other, _)| other != id);
        uploads.push((id.to_owned(), upload));
    });
}

/// The server keeps answering the same offset: stop instead of sending the same bytes forever.
fn stalled(received: u64) -> ApiError {
    ApiError::Server {
        status: 409,
        code: "upload_stalled".into(),
        message: format!("L'invio della foto non avanza (fermo a {received} byte)."),
    }
}
