//! Photo uploads and finished photos: whose they are and how far each upload got. The files
//! themselves are in the photos folder (`crate::photos::files`).

use super::backend::{Db, on};
use crate::photos::MAX_PHOTOS_PER_ACCOUNT;
use sqlx::FromRow;
use std::collections::HashSet;

/// An upload as the device sees it, with its owner.
#[derive(Debug, Clone, FromRow)]
pub struct Upload {
    pub user_id: String,
    pub total: i64,
    pub received: i64,
    /// The photo is checked and stored.
    pub done: bool,
}

pub async fn upload(db: &Db, id: &str) -> Result<Option<Upload>, sqlx::Error> {
    let sql = "SELECT photo_uploads.user_id, total, received, photos.id IS NOT NULL AS done
         FROM photo_uploads LEFT JOIN photos ON photos.id = photo_uploads.id
         WHERE photo_uploads.id = $1";
    on!(db, c => sqlx::query_as(sql).bind(id).fetch_optional(c).await)
}

/// Starts upload `id` for `user_id`, unless they already have [`MAX_PHOTOS_PER_ACCOUNT`] photos
/// (stored or on their way): then `false`. Under the write lock, so parallel uploads cannot pass
/// the cap.
pub async fn start(db: &Db, id: &str, user_id: &str, total: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let sql = "INSERT INTO photo_uploads (id, user_id, total)
         SELECT $1, $2, $3 WHERE (SELECT COUNT(*) FROM photo_uploads WHERE user_id = $2) < $4";
    let inserted = on!(tx.conn(), c => sqlx::query(sql)
        .bind(id)
        .bind(user_id)
        .bind(total)
        .bind(MAX_PHOTOS_PER_ACCOUNT)
        .execute(c)
        .await
        .map(|done| done.rows_affected()))?;
    tx.commit().await?;
    Ok(inserted == 1)
}

pub async fn set_received(db: &Db, id: &str, received: i64) -> Result<(), sqlx::Error> {
    let sql = "UPDATE photo_uploads SET received = $1, updated_at = $3 WHERE id = $2";
    on!(db, c => sqlx::query(sql)
        .bind(received)
        .bind(id)
        .bind(super::clock::now())
        .execute(c)
        .await
        .map(drop))?;
    Ok(())
}

/// Forgets the unfinished uploads nobody added to for `days` days, and says which: the phone
/// that started one asks again and starts over from byte 0, and the account's cap is freed.
pub async fn forget_abandoned(db: &Db, days: u32) -> Result<Vec<String>, sqlx::Error> {
    let sql = "DELETE FROM photo_uploads
         WHERE id NOT IN (SELECT id FROM photos) AND updated_at < $1
         RETURNING id";
    on!(db, c => sqlx::query_scalar(sql)
        .bind(super::clock::at(-time::Duration::days(days.into())))
        .fetch_all(c)
        .await)
}

/// Forgets a refused upload, so nothing of it stays.
pub async fn forget(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM photo_uploads WHERE id = $1";
    on!(db, c => sqlx::query(sql).bind(id).execute(c).await.map(drop))?;
    Ok(())
}

/// A finished photo's file and size.
#[derive(Debug, Clone)]
pub struct StoredPhoto {
    pub sha256: String,
    pub bytes: i64,
    pub width: u32,
    pub height: u32,
}

/// Records upload `id` as finished; recording it again changes nothing.
pub async fn record(
    db: &Db,
    id: &str,
    user_id: &str,
    photo: &StoredPhoto,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO photos (id, user_id, sha256, bytes, width, height)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING";
    on!(db, c => sqlx::query(sql)
        .bind(id)
        .bind(user_id)
        .bind(&photo.sha256)
        .bind(photo.bytes)
        .bind(i64::from(photo.width))
        .bind(i64::from(photo.height))
        .execute(c)
        .await
        .map(drop))?;
    Ok(())
}

/// A finished photo with what decides who may see it.
#[derive(Debug, Clone, FromRow)]
pub struct Found {
    pub sha256: String,
    pub user_id: String,
    /// The owner's cohort (staff have none).
    pub cohort_id: Option<String>,
}

pub async fn find(db: &Db, id: &str) -> Result<Option<Found>, sqlx::Error> {
    let sql = "SELECT photos.sha256, photos.user_id, users.cohort_id
         FROM photos JOIN users ON users.id = photos.user_id WHERE photos.id = $1";
    on!(db, c => sqlx::query_as(sql).bind(id).fetch_optional(c).await)
}

/// The ids of the finished photos of a cohort's members: the review queue tells which arrived.
pub async fn finished_in_cohort(db: &Db, cohort_id: &str) -> Result<HashSet<String>, sqlx::Error> {
    let sql = "SELECT photos.id FROM photos JOIN users ON users.id = photos.user_id
         WHERE users.cohort_id = $1";
    let ids: Vec<String> =
        on!(db, c => sqlx::query_scalar(sql).bind(cohort_id).fetch_all(c).await)?;
    Ok(ids.into_iter().collect())
}

/// Whether a photo, of anyone but `except`, is stored in the file named `sha256` (the same picture
/// sent twice is one file).
pub async fn file_in_use(db: &Db, sha256: &str, except: Option<&str>) -> Result<bool, sqlx::Error> {
    let sql =
        "SELECT EXISTS (SELECT 1 FROM photos WHERE sha256 = $1 AND user_id IS DISTINCT FROM $2)";
    on!(db, c => sqlx::query_scalar(sql).bind(sha256).bind(except).fetch_one(c).await)
}
