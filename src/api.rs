//! The server's JSON API, as the app calls it.

use crate::answers;
use crate::fetch::{Answer, Call, NetworkError};
use officina_core::account::{AgeBand, JoinRequest, LoginRequest, RecoverRequest, Role, Session};
use officina_core::sync::{PullResponse, PushRequest, PushResponse};
use officina_core::{Bundle, Lang};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("rete non raggiungibile: {0}")]
    Network(#[from] NetworkError),
    /// The server's own error, with its Italian message for the person using the app.
    #[error("{message}")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
    /// Too many failed attempts (429): `Retry-After`, in seconds, when the server said it.
    #[error("Troppi tentativi: riprova più tardi.")]
    Limited { retry_after: Option<u64> },
}

impl ApiError {
    /// The token was refused: the person must sign in again.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Server { status: 401, .. })
    }

    /// The server's error code (`bad_credentials`, …), the app's own words' key.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Server { code, .. } => Some(code),
            Self::Limited { .. } => Some("too_many_attempts"),
            Self::Network(_) => None,
        }
    }
}

fn server_error(answer: &Answer) -> ApiError {
    let status = answer.status;
    if status == 429 {
        return ApiError::Limited {
            retry_after: answer.retry_after,
        };
    }
    match answer.read(answers::error) {
        Ok((code, message)) => ApiError::Server {
            status,
            code,
            message,
        },
        Err(_) => ApiError::Server {
            status,
            code: "unexpected".into(),
            message: format!("Il server ha risposto {status}."),
        },
    }
}

/// The answer's JSON when its status is `expected`, the server's error otherwise.
pub(crate) fn expect<T: serde::de::DeserializeOwned>(
    answer: Answer,
    expected: u16,
) -> Result<T, ApiError> {
    if answer.status == expected {
        Ok(answer.json()?)
    } else {
        Err(server_error(&answer))
    }
}

/// The answer read by hand with `read` when its status is `expected`, the server's error otherwise.
fn expect_read<T>(
    answer: Answer,
    expected: u16,
    read: fn(&serde_json::Value) -> Option<T>,
) -> Result<T, ApiError> {
    if answer.status == expected {
        Ok(answer.read(read)?)
    } else {
        Err(server_error(&answer))
    }
}

/// `Ok` for a success without a body to read (`204 No Content` and the like), the server's error otherwise.
pub(crate) fn succeeded(answer: Answer) -> Result<(), ApiError> {
    if (200..300).contains(&answer.status) {
        Ok(())
    } else {
        Err(server_error(&answer))
    }
}

/// The answer's body as a file when the status is 200.
pub(crate) async fn blob(call: Call<'_>) -> Result<web_sys::Blob, ApiError> {
    let (status, blob) = call.send_for_blob().await?;
    if status == 200 {
        Ok(blob)
    } else {
        Err(ApiError::Server {
            status,
            code: "unexpected".into(),
            message: format!("Il server ha risposto {status}."),
        })
    }
}

/// The programme and its JSON as sent (stored as it is, so the app never re-serialises it),
/// unless the server says the version we hold is still current (`None`).
pub async fn fetch_content(
    known_version: Option<&str>,
) -> Result<Option<(Bundle, String)>, ApiError> {
    let mut call = Call::get("/api/content");
    if let Some(version) = known_version {
        call = call.if_none_match(format!("\"{version}\""));
    }
    let answer = call.send().await?;
    match answer.status {
        304 => Ok(None),
        200 => {
            // The programme's text arrived in this task; it is read in the next.
            crate::fetch::next_task().await;
            Ok(Some((answer.json()?, answer.body)))
        }
        _ => Err(server_error(&answer)),
    }
}

/// How a new account joins: as whom, and (a learner only) in which age band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Joining {
    pub role: Role,
    pub age_band: Option<AgeBand>,
}

/// How a person signs in: joining a cohort as a new account, with their PIN, or with a recovery
/// code from an educator and a new PIN.
pub enum SignIn {
    Join(Joining),
    Login,
    Recover(String),
}

pub async fn sign_in(
    how: SignIn,
    code: &str,
    nickname: &str,
    secret: &str,
) -> Result<Session, ApiError> {
    let (code, nickname, secret) = (code.to_owned(), nickname.to_owned(), secret.to_owned());
    let (call, status) = match how {
        SignIn::Join(Joining { role, age_band }) => {
            let request = JoinRequest {
                code,
                nickname,
                secret,
                role: Some(role),
                age_band,
            };
            (Call::post("/api/join").json(&request)?, 201)
        }
        SignIn::Login => {
            let request = LoginRequest {
                code,
                nickname,
                secret,
            };
            (Call::post("/api/login").json(&request)?, 200)
        }
        SignIn::Recover(recovery_code) => {
            let request = RecoverRequest {
                code,
                nickname,
                recovery_code,
                secret,
            };
            (Call::post("/api/recover").json(&request)?, 200)
        }
    };
    expect(call.send().await?, status)
}

/// Who may join with this code: learners, and in a family cohort parents too.
pub async fn join_roles(code: &str) -> Result<Vec<Role>, ApiError> {
    let answer = Call::post("/api/join/roles")
        .json(&CodeBody { code })?
        .send()
        .await?;
    expect_read(answer, 200, answers::roles)
}

/// Ends this session, or with `everywhere` every session of the account.
pub async fn logout(token: &str, everywhere: bool) -> Result<(), ApiError> {
    let path = if everywhere {
        "/api/logout/all"
    } else {
        "/api/logout"
    };
    let answer = Call::post(path).token(token).send().await?;
    match answer.status {
        204 | 401 => Ok(()),
        _ => Err(server_error(&answer)),
    }
}

pub async fn push(token: &str, batch: &PushRequest) -> Result<PushResponse, ApiError> {
    expect(
        Call::post("/api/sync/push")
            .token(token)
            .json(batch)?
            .send()
            .await?,
        200,
    )
}

pub async fn pull(token: &str, since: i64) -> Result<PullResponse, ApiError> {
    let path = format!("/api/sync/pull?since={since}&limit=500");
    expect(Call::get(&path).token(token).send().await?, 200)
}

/// Someone linked in a family, as the other side sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Relative {
    pub id: String,
    pub nickname: String,
    /// An educator of the child's cohort confirmed the link; until then it gives nothing.
    pub confirmed: bool,
}

impl Relative {
    /// The nickname, and whether the link still waits for an educator.
    pub fn label(&self, lang: Lang) -> String {
        match (self.confirmed, lang) {
            (true, _) => self.nickname.clone(),
            (false, Lang::It) => format!("{} (in attesa di conferma)", self.nickname),
            (false, Lang::En) => format!("{} (waiting for confirmation)", self.nickname),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    pub parents: Vec<Relative>,
    pub children: Vec<Relative>,
}

/// A body of just a code: a family code to link with, a join code to ask about.
#[derive(Serialize)]
struct CodeBody<'a> {
    code: &'a str,
}

pub async fn family(token: &str) -> Result<Family, ApiError> {
    let answer = Call::get("/api/family").token(token).send().await?;
    expect_read(answer, 200, answers::family)
}

/// A new one-time code for the caller to pass on, made at `path`: a family code for the other
/// person to type (`/api/family/code`), a child's recovery code (`/api/family/{id}/recovery`).
pub async fn new_code(token: &str, path: &str) -> Result<String, ApiError> {
    let answer = Call::post(path).token(token).send().await?;
    expect_read(answer, 201, answers::code)
}

pub async fn family_link(token: &str, code: &str) -> Result<Family, ApiError> {
    let answer = Call::post("/api/family/link")
        .token(token)
        .json(&CodeBody { code })?
        .send()
        .await?;
    expect_read(answer, 201, answers::family)
}

/// An Open Badges assertion of the caller's, as the badges screen needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Assertion {
    pub id: String,
    pub badge_id: String,
    /// The public URL anyone can verify it at.
    pub url: String,
    pub revoked: bool,
}

/// The caller's badges to keep, or that a parent's consent is needed first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MyBadges {
    pub consent_needed: bool,
    /// Whether the public profile the badges point to shows the nickname (off unless chosen).
    pub show_nickname: bool,
    pub assertions: Vec<Assertion>,
}

/// The caller's assertions (the server issues any the synced log has earned first).
pub async fn my_badges(token: &str) -> Result<MyBadges, ApiError> {
    let answer = Call::get("/api/badges").token(token).send().await?;
    expect_read(answer, 200, answers::badges)
}

/// A linked child's badges, for a parent to keep them (under 14 a child cannot alone).
pub async fn child_badges(token: &str, child_id: &str) -> Result<MyBadges, ApiError> {
    let path = format!("/api/family/{child_id}/badges");
    let answer = Call::get(&path).token(token).send().await?;
    expect_read(answer, 200, answers::badges)
}

/// The badge's image with the assertion baked in (`svg` or `png`), as a file.
pub async fn baked_badge(
    token: &str,
    assertion: &str,
    format: &str,
) -> Result<web_sys::Blob, ApiError> {
    let path = format!("/api/badges/{assertion}/baked.{format}");
    blob(Call::get(&path).token(token)).await
}

pub async fn revoke_badge(token: &str, assertion: &str) -> Result<(), ApiError> {
    let answer = Call::post(&format!("/api/badges/{assertion}/revoke"))
        .token(token)
        .send()
        .await?;
    succeeded(answer)
}

/// The caller's cohort as the app follows it: its path and its settings.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortSettings {
    pub path_id: String,
    pub xp_and_streaks: bool,
}

pub async fn my_cohort(token: &str) -> Result<CohortSettings, ApiError> {
    let answer = Call::get("/api/cohort").token(token).send().await?;
    expect_read(answer, 200, answers::cohort)
}

#[derive(Serialize)]
struct ProfileSettings {
    show_nickname: bool,
}

pub async fn show_nickname(token: &str, show: bool) -> Result<(), ApiError> {
    let answer = Call::put("/api/badges/profile")
        .token(token)
        .json(&ProfileSettings {
            show_nickname: show,
        })?
        .send()
        .await?;
    succeeded(answer)
}

/// All of an account's data as a ZIP: the caller's (`/api/me/export`) or a child's.
pub async fn export(token: &str, path: &str) -> Result<web_sys::Blob, ApiError> {
    blob(Call::get(path).token(token)).await
}

/// A body of just the caller's secret, to confirm something that cannot be undone.
#[derive(Serialize)]
struct SecretBody<'a> {
    secret: &'a str,
}

/// Erases an account for good: the caller's (`/api/me`) or a child's, confirmed with the caller's PIN.
pub async fn erase(token: &str, path: &str, secret: &str) -> Result<(), ApiError> {
    let call = Call::delete(path)
        .token(token)
        .json(&SecretBody { secret })?;
    succeeded(call.send().await?)
}

/// Ends the family link with `other` (either side may).
pub async fn family_unlink(token: &str, other: &str) -> Result<(), ApiError> {
    let answer = Call::delete(&format!("/api/family/links/{other}"))
        .token(token)
        .send()
        .await?;
    succeeded(answer)
}
