//! What every request handler can reach.

use crate::auth::rate_limit::RateLimiter;
use crate::content::LoadedContent;
use sqlx::SqlitePool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub content: Arc<LoadedContent>,
    pub limiter: Arc<RateLimiter>,
}
