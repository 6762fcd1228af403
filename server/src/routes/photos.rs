//! Photos of challenge evidence: a resumable, idempotent upload in chunks, and the stored photo for
//! those who may see it (the owner, their parents, their cohort's educators, an admin).

use crate::auth::Caller;
use crate::error::ApiError;
use crate::photos::files::PhotoDir;
use crate::photos::reencode::{header_too_large, reencode};
use crate::photos::{MAX_PHOTO_BYTES, Photos};
use crate::state::AppState;
use crate::store::backend::Db;
use crate::store::photos::{self as store, StoredPhoto, Upload};
use crate::store::{cohorts, family};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use officina_core::account::{Role, User};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How far an upload got; `{0, false}` for an id the caller has not started.
#[derive(Debug, Default, Serialize)]
pub struct UploadStatus {
    received: u64,
    done: bool,
}

impl From<&Upload> for UploadStatus {
    fn from(upload: &Upload) -> Self {
        Self {
            received: upload.received.unsigned_abs(),
            done: upload.done,
        }
    }
}

/// A photo id as stored: the canonical form of the UUID in the path.
fn photo_id(raw: &str) -> Option<String> {
    Uuid::parse_str(raw).ok().map(|id| id.to_string())
}

/// `GET /api/photos/{id}/upload`. Someone else's id looks unknown, so it tells nothing about them.
pub async fn upload_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<UploadStatus>, ApiError> {
    let id = photo_id(&id).ok_or(ApiError::NotFound)?;
    let upload = store::upload(&state.db, &id).await?;
    Ok(Json(match upload {
        Some(upload) if upload.user_id == caller.user.id => UploadStatus::from(&upload),
        _ => UploadStatus::default(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChunkQuery {
    offset: u64,
    total: u64,
}

/// `PUT /api/photos/{id}/upload?offset=N&total=T`: the next chunk, raw. The last one has the
/// photo checked, re-encoded and stored; after that any chunk answers "done".
pub async fn upload_chunk(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<ChunkQuery>, QueryRejection>,
    chunk: Result<Bytes, BytesRejection>,
) -> Result<Json<UploadStatus>, ApiError> {
    let id = photo_id(&id).ok_or(ApiError::NotFound)?;
    let Query(ChunkQuery { offset, total }) = query?;
    check_total(total)?;
    let chunk = chunk?;
    let end = offset.saturating_add(chunk.len() as u64);
    if end > total {
        return Err(ApiError::BadRequest(format!(
            "il pezzo finisce al byte {end}, oltre `total` ({total})."
        )));
    }
    let _claim = state.photos.claim(&id).ok_or(ApiError::UploadBusy)?;
    let upload = current_upload(&state.db, &id, &caller.user, offset, total).await?;
    if upload.done {
        return Ok(Json(UploadStatus::from(&upload)));
    }
    if upload.total.unsigned_abs() != total {
        return Err(ApiError::BadRequest(format!(
            "`total` non può cambiare durante un caricamento: era {}.",
            upload.total
        )));
    }
    let received = resume_point(&state, &id, &upload).await?;
    if offset != received {
        return Err(ApiError::WrongOffset { received });
    }
    if offset == 0 && header_too_large(&chunk) {
        // Refused before the rest is sent, and never decoded.
        return refuse(&state.db, &state.photos, &id, ApiError::ImageTooLarge).await;
    }
    let dir = state.photos.dir.clone();
    let owned_id = id.clone();
    tokio::task::spawn_blocking(move || dir.append(&owned_id, offset, &chunk)).await??;
    store::set_received(&state.db, &id, end as i64).await?;
    if end < total {
        return Ok(Json(UploadStatus {
            received: end,
            done: false,
        }));
    }
    finish(&state, &id, &caller.user.id).await?;
    Ok(Json(UploadStatus {
        received: total,
        done: true,
    }))
}

fn check_total(total: u64) -> Result<(), ApiError> {
    if total == 0 {
        return Err(ApiError::BadRequest("`total` deve essere almeno 1.".into()));
    }
    if total > MAX_PHOTO_BYTES {
        return Err(ApiError::TooLarge(format!(
            "una foto pesa al massimo {} MiB.",
            MAX_PHOTO_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

/// The caller's upload `id`, started now if it is new (from offset 0 only).
async fn current_upload(
    db: &Db,
    id: &str,
    caller: &User,
    offset: u64,
    total: u64,
) -> Result<Upload, ApiError> {
    match store::upload(db, id).await? {
        Some(upload) if upload.user_id == caller.id => Ok(upload),
        Some(_) => Err(ApiError::PhotoIdTaken),
        None if offset != 0 => Err(ApiError::WrongOffset { received: 0 }),
        None => {
            let total = total as i64;
            if !store::start(db, id, &caller.id, total).await? {
                return Err(ApiError::TooManyPhotos);
            }
            Ok(Upload {
                user_id: caller.id.clone(),
                total,
                received: 0,
                done: false,
            })
        }
    }
}

/// Where the upload goes on: what the database counted, unless the partial file lost bytes (a
/// disk restored from a backup, a hand-cleaned folder): then from the start, never over a gap.
async fn resume_point(state: &AppState, id: &str, upload: &Upload) -> Result<u64, ApiError> {
    let counted = upload.received.unsigned_abs();
    if state.photos.dir.partial_len(id)? >= counted {
        return Ok(counted);
    }
    state.photos.dir.remove_partial(id)?;
    store::set_received(&state.db, id, 0).await?;
    Ok(0)
}

/// Checks and stores the complete upload `id`, at its turn to decode; a refused file leaves
/// nothing behind.
async fn finish(state: &AppState, id: &str, owner: &str) -> Result<(), ApiError> {
    let (db, photos) = (&state.db, &state.photos);
    let dir = photos.dir.clone();
    let owned_id = id.to_owned();
    let turn = state.decoding.enter().await?;
    let outcome = turn.run(move || check_and_store(&dir, &owned_id)).await?;
    // The partial goes first: after a crash before the record, the upload starts again (the
    // file is kept once), rather than the record leaving a partial nobody removes.
    match outcome {
        Ok(photo) => {
            photos.dir.remove_partial(id)?;
            if let Err(err) = store::record(db, id, owner, &photo).await {
                // The account was erased meanwhile (or the upload forgotten): its file must not
                // outlive it.
                if !store::file_in_use(db, &photo.sha256, None).await? {
                    photos.dir.remove_stored(&photo.sha256)?;
                }
                return Err(err.into());
            }
            Ok(())
        }
        Err(refused @ (ApiError::NotAnImage | ApiError::ImageTooLarge)) => {
            refuse(db, photos, id, refused).await
        }
        Err(err) => Err(err),
    }
}

/// Forgets upload `id` and its partial file, and answers `refusal`.
async fn refuse<T>(db: &Db, photos: &Photos, id: &str, refusal: ApiError) -> Result<T, ApiError> {
    photos.dir.remove_partial(id)?;
    store::forget(db, id).await?;
    Err(refusal)
}

/// Decodes the partial file and stores it re-encoded. CPU-bound, with blocking file calls.
fn check_and_store(dir: &PhotoDir, id: &str) -> Result<StoredPhoto, ApiError> {
    let photo = reencode(&dir.read_partial(id)?)?;
    Ok(StoredPhoto {
        sha256: dir.store(id, &photo.jpeg)?,
        bytes: photo.jpeg.len() as i64,
        width: photo.width,
        height: photo.height,
    })
}

/// `GET /api/photos/{id}`: the stored JPEG, for those who may see it; 404 for everyone else.
pub async fn photo(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let id = photo_id(&id).ok_or(ApiError::NotFound)?;
    let found = store::find(&state.db, &id).await?;
    let Some(found) = found else {
        return Err(ApiError::NotFound);
    };
    if !may_see(&state.db, &caller.user, &found).await? {
        return Err(ApiError::NotFound);
    }
    let jpeg = tokio::fs::read(state.photos.dir.stored(&found.sha256)).await?;
    // A photo id never names other bytes, so the browser may keep it; `private`: not proxies.
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, max-age=31536000, immutable"),
        ),
    ];
    Ok((headers, jpeg))
}

/// The owner, a parent by a confirmed link, an educator running their cohort, an admin.
async fn may_see(db: &Db, viewer: &User, photo: &store::Found) -> Result<bool, ApiError> {
    if viewer.id == photo.user_id {
        return Ok(true);
    }
    if viewer.role.is_staff() {
        return Ok(match &photo.cohort_id {
            Some(cohort) => cohorts::runs(db, viewer, cohort).await?,
            None => viewer.role == Role::Admin,
        });
    }
    Ok(family::is_confirmed_parent(db, &viewer.id, &photo.user_id).await?)
}
