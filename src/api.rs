//! The server's JSON API, as the app calls it.

use gloo_net::http::Request;
use officina_core::Bundle;
use officina_core::sync::{PushRequest, PushResponse};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("rete non raggiungibile: {0}")]
    Network(#[from] gloo_net::Error),
    #[error("il server ha risposto {0}")]
    Status(u16),
}

/// The programme, unless the server says the version we hold is still current (`None`).
pub async fn fetch_content(known_version: Option<&str>) -> Result<Option<Bundle>, ApiError> {
    let mut request = Request::get("/api/content");
    if let Some(version) = known_version {
        request = request.header("If-None-Match", &format!("\"{version}\""));
    }
    let response = request.send().await?;
    match response.status() {
        304 => Ok(None),
        200 => Ok(Some(response.json().await?)),
        status => Err(ApiError::Status(status)),
    }
}

pub async fn push(batch: &PushRequest) -> Result<PushResponse, ApiError> {
    let response = Request::post("/api/sync/push").json(batch)?.send().await?;
    match response.status() {
        200 => Ok(response.json().await?),
        status => Err(ApiError::Status(status)),
    }
}
