//! Photos of challenge evidence: uploaded in chunks from a phone, checked and re-encoded so no
//! metadata (GPS, camera, time) survives, and kept as files named by their SHA-256.

pub mod files;
pub mod reencode;

use files::PhotoDir;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

/// The largest photo a device may send, before re-encoding.
pub const MAX_PHOTO_BYTES: u64 = 2 * 1024 * 1024;
/// The largest chunk of one `PUT`: small enough to get through a poor mobile connection.
pub const MAX_CHUNK_BYTES: usize = 256 * 1024;
/// Photos (stored or on their way) one account may have: bounds the disk one account can fill.
pub const MAX_PHOTOS_PER_ACCOUNT: i64 = 200;

/// Days after which an upload nobody added to is forgotten, with its partial file.
pub const ABANDONED_AFTER_DAYS: u32 = 30;

/// Forgets the uploads abandoned for [`ABANDONED_AFTER_DAYS`] and deletes their partial files:
/// a phone lost or reset mid-upload must not hold disk space or its owner's cap for ever.
pub async fn forget_abandoned(
    db: &crate::store::backend::Db,
    dir: &PhotoDir,
) -> anyhow::Result<usize> {
    let ids = crate::store::photos::forget_abandoned(db, ABANDONED_AFTER_DAYS).await?;
    for id in &ids {
        dir.remove_partial(id)?;
    }
    Ok(ids.len())
}

/// The photos folder and the uploads being worked on right now.
pub struct Photos {
    pub dir: PhotoDir,
    busy: Mutex<HashSet<String>>,
}

impl Photos {
    pub fn open(root: &Path) -> std::io::Result<Self> {
        Ok(Self {
            dir: PhotoDir::open(root)?,
            busy: Mutex::default(),
        })
    }

    /// Exclusive use of upload `id` until the claim is dropped; `None` while another request has it,
    /// so two requests never write the same partial file at once.
    pub fn claim(&self, id: &str) -> Option<Claim<'_>> {
        let fresh = self.busy_ids().insert(id.to_owned());
        fresh.then(|| Claim {
            photos: self,
            id: id.to_owned(),
        })
    }

    fn busy_ids(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        // The set stays consistent even if a holder panicked: each claim only adds or removes its id.
        self.busy
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub struct Claim<'a> {
    photos: &'a Photos,
    id: String,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.photos.busy_ids().remove(&self.id);
    }
}
