//! The server's JSON API, as the app calls it.

use gloo_net::http::{Request, RequestBuilder, Response};
use officina_core::Bundle;
use officina_core::account::{JoinRequest, LoginRequest, Session};
use officina_core::sync::{PullResponse, PushRequest, PushResponse};
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("rete non raggiungibile: {0}")]
    Network(#[from] gloo_net::Error),
    /// The server's own error, with its Italian message for the person using the app.
    #[error("{message}")]
    Server { status: u16, code: String, message: String },
}

impl ApiError {
    /// The token was refused: the person must sign in again.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Server { status: 401, .. })
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
}

async fn server_error(response: Response) -> ApiError {
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => ApiError::Server { status, code: body.error.code, message: body.error.message },
        Err(_) => ApiError::Server { status, code: "unexpected".into(), message: format!("Il server ha risposto {status}.") },
    }
}

fn authorized(request: RequestBuilder, token: &str) -> RequestBuilder {
    request.header("Authorization", &format!("Bearer {token}"))
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
        _ => Err(server_error(response).await),
    }
}

/// Joins a cohort (`new_account`) or signs in to an existing account with the same details.
pub async fn sign_in(new_account: bool, code: &str, nickname: &str, secret: &str) -> Result<Session, ApiError> {
    let (code, nickname, secret) = (code.to_owned(), nickname.to_owned(), secret.to_owned());
    let request = if new_account {
        Request::post("/api/join").json(&JoinRequest { code, nickname, secret, role: None })?
    } else {
        Request::post("/api/login").json(&LoginRequest { code, nickname, secret })?
    };
    let response = request.send().await?;
    match response.status() {
        200 | 201 => Ok(response.json().await?),
        _ => Err(server_error(response).await),
    }
}

pub async fn logout(token: &str) -> Result<(), ApiError> {
    let response = authorized(Request::post("/api/logout"), token).send().await?;
    match response.status() {
        204 | 401 => Ok(()),
        _ => Err(server_error(response).await),
    }
}

pub async fn push(token: &str, batch: &PushRequest) -> Result<PushResponse, ApiError> {
    let response = authorized(Request::post("/api/sync/push"), token).json(batch)?.send().await?;
    match response.status() {
        200 => Ok(response.json().await?),
        _ => Err(server_error(response).await),
    }
}

pub async fn pull(token: &str, since: i64) -> Result<PullResponse, ApiError> {
    let response = authorized(Request::get(&format!("/api/sync/pull?since={since}&limit=500")), token).send().await?;
    match response.status() {
        200 => Ok(response.json().await?),
        _ => Err(server_error(response).await),
    }
}

/// Someone linked in a family, as the other side sees them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Relative {
    pub id: String,
    pub nickname: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Family {
    pub parents: Vec<Relative>,
    pub children: Vec<Relative>,
}

#[derive(Deserialize)]
struct FamilyCode {
    code: String,
}

#[derive(Serialize)]
struct LinkRequest<'a> {
    code: &'a str,
}

pub async fn family(token: &str) -> Result<Family, ApiError> {
    let response = authorized(Request::get("/api/family"), token).send().await?;
    match response.status() {
        200 => Ok(response.json().await?),
        _ => Err(server_error(response).await),
    }
}

/// A new one-time family code for the other person to type.
pub async fn family_code(token: &str) -> Result<String, ApiError> {
    let response = authorized(Request::post("/api/family/code"), token).send().await?;
    match response.status() {
        201 => Ok(response.json::<FamilyCode>().await?.code),
        _ => Err(server_error(response).await),
    }
}

pub async fn family_link(token: &str, code: &str) -> Result<Family, ApiError> {
    let response = authorized(Request::post("/api/family/link"), token).json(&LinkRequest { code })?.send().await?;
    match response.status() {
        201 => Ok(response.json().await?),
        _ => Err(server_error(response).await),
    }
}
