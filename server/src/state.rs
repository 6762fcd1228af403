//! What every request handler can reach.

use crate::auth::client_address::TrustedProxies;
use crate::auth::limiter::Limiter;
use crate::content::LoadedContent;
use crate::gate::Gate;
use crate::openbadges::Issuer;
use crate::photos::Photos;
use crate::store::backend::Db;
use crate::store::writer::Writer;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Where pushes are written, several to a commit.
    pub writer: Writer,
    pub content: Arc<LoadedContent>,
    pub limiter: Arc<Limiter>,
    /// Whose `X-Forwarded-For` says where a request comes from.
    pub proxies: Arc<TrustedProxies>,
    pub issuer: Arc<Issuer>,
    /// The content's images, where badges are baked from.
    pub images: Arc<PathBuf>,
    pub photos: Arc<Photos>,
    /// Turns at Argon2 hashing.
    pub hashing: Gate,
    /// Turns at decoding photos.
    pub decoding: Gate,
    /// Turns at writing a data export.
    pub exporting: Gate,
    /// Slots for the data exports being sent (see `gate::EXPORTS_SENT_AT_ONCE`).
    pub sending_exports: Arc<tokio::sync::Semaphore>,
}
