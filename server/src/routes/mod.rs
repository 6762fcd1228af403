//! The JSON API under `/api`.

mod content;
mod health;
mod sync;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
        .route("/content", get(content::bundle))
        .route("/sync/push", post(sync::push))
        .fallback(|| async { ApiError::NotFound })
}
