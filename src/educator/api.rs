//! The educator workspace's calls to the API (see docs/api.md), each with the staff member's token.

use crate::api::{ApiError, blob, expect, succeeded};
use crate::fetch::Call;
use officina_core::account::{AgeBand, Role, Session, StaffLoginRequest};
use officina_core::{Event, EventKind, Lang};
use serde::{Deserialize, Serialize};

/// A cohort as the list of cohorts shows it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CohortSummary {
    pub id: String,
    pub name: String,
    pub path_id: String,
    #[serde(default)]
    pub audience: String,
    /// Absent for cohorts made before the workspace asked for dates.
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub join_open: bool,
    pub startups: Option<u32>,
    pub learners: u32,
    pub parents: u32,
}

/// A cohort's page: its summary, code, settings, educators and members.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CohortDetail {
    #[serde(flatten)]
    pub summary: CohortSummary,
    pub xp_and_streaks: bool,
    pub join_code: String,
    pub educators: Vec<String>,
    pub roster: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Member {
    pub id: String,
    pub nickname: String,
    pub role: Role,
    pub age_band: Option<AgeBand>,
    pub joined_at: String,
    pub last_synced_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewCohort {
    pub name: String,
    pub path_id: String,
    pub audience: String,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startups: Option<u32>,
}

/// A learner's latest submission of a challenge, and its review if there is one.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Submission {
    pub event_id: String,
    pub learner_id: String,
    pub nickname: String,
    pub activity_id: String,
    pub at: String,
    pub text: String,
    pub photos: Vec<PhotoRef>,
    pub review: Option<Verdict>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PhotoRef {
    pub id: String,
    /// Whether the learner's device has finished sending it.
    pub uploaded: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Verdict {
    pub status: String,
    pub comment: Option<String>,
    pub at: String,
}

/// A table as the server lays it out, every cell already in the reader's language.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Dashboard {
    pub learners: Table,
    pub activities: Table,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Impact {
    pub tables: Vec<TitledTable>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TitledTable {
    pub title: String,
    pub table: Table,
}

/// A staff account, as an admin manages it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub cohorts: Vec<String>,
}

#[derive(Serialize)]
struct Password<'a> {
    password: &'a str,
}

#[derive(Serialize)]
struct NewStaff<'a> {
    name: &'a str,
    password: &'a str,
}

#[derive(Serialize)]
struct Educators<'a> {
    names: &'a [String],
}

#[derive(Serialize)]
struct Settings {
    xp_and_streaks: bool,
}

pub async fn login(name: &str, password: &str) -> Result<Session, ApiError> {
    let request = StaffLoginRequest {
        name: name.to_owned(),
        password: password.to_owned(),
    };
    expect(
        Call::post("/api/staff/login")
            .json(&request)?
            .send()
            .await?,
        200,
    )
}

pub async fn cohorts(token: &str) -> Result<Vec<CohortSummary>, ApiError> {
    expect(Call::get("/api/cohorts").token(token).send().await?, 200)
}

pub async fn create_cohort(token: &str, cohort: &NewCohort) -> Result<CohortDetail, ApiError> {
    let call = Call::post("/api/cohorts").token(token).json(cohort)?;
    expect(call.send().await?, 201)
}

pub async fn cohort(token: &str, id: &str) -> Result<CohortDetail, ApiError> {
    let path = format!("/api/cohorts/{id}");
    expect(Call::get(&path).token(token).send().await?, 200)
}

/// What can be done to a cohort's join code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeChange {
    /// A new code, open to newcomers; the old one stops working.
    Rotate,
    /// Nobody new may join; members still sign in.
    Close,
    Reopen,
}

pub async fn change_code(token: &str, id: &str, change: CodeChange) -> Result<(), ApiError> {
    let path = format!("/api/cohorts/{id}/code");
    let call = match change {
        CodeChange::Rotate => Call::post(&path),
        CodeChange::Close => Call::delete(&path),
        CodeChange::Reopen => Call::put(&path),
    };
    succeeded(call.token(token).send().await?)
}

pub async fn set_points(token: &str, id: &str, on: bool) -> Result<(), ApiError> {
    let path = format!("/api/cohorts/{id}/settings");
    let call = Call::put(&path)
        .token(token)
        .json(&Settings { xp_and_streaks: on })?;
    succeeded(call.send().await?)
}

pub async fn set_educators(token: &str, id: &str, names: &[String]) -> Result<(), ApiError> {
    let path = format!("/api/cohorts/{id}/educators");
    let call = Call::put(&path).token(token).json(&Educators { names })?;
    succeeded(call.send().await?)
}

/// A file the API serves only with the token: the cohort's QR code, a photo, a CSV.
pub async fn file(token: &str, path: &str) -> Result<web_sys::Blob, ApiError> {
    blob(Call::get(path).token(token)).await
}

pub async fn reviews(token: &str, id: &str) -> Result<Vec<Submission>, ApiError> {
    let path = format!("/api/cohorts/{id}/reviews");
    expect(Call::get(&path).token(token).send().await?, 200)
}

/// Sends one judgement on a learner's work (a review or an award) as an event of theirs.
pub async fn record(
    token: &str,
    learner: &str,
    kind: EventKind,
    activity_id: Option<String>,
    data: serde_json::Value,
) -> Result<(), ApiError> {
    let event = Event {
        id: uuid::Uuid::new_v4(),
        user_id: Some(learner.to_owned()),
        kind,
        activity_id,
        at: js_sys::Date::new_0().to_iso_string().into(),
        data,
    };
    let batch = officina_core::sync::PushRequest {
        device_id: crate::store::device_id(),
        events: vec![event],
    };
    let response = crate::api::push(token, &batch).await?;
    match response.results.first() {
        Some(result) if result.status.is_acknowledged() => Ok(()),
        refused => {
            let reason = refused
                .and_then(|r| r.error.clone())
                .unwrap_or_else(|| "rejected".into());
            Err(ApiError::Server {
                status: 422,
                message: format!("Il server non ha accettato questa decisione ({reason})."),
                code: reason,
            })
        }
    }
}

pub async fn dashboard(token: &str, id: &str, lang: Lang) -> Result<Dashboard, ApiError> {
    let path = format!(
        "/api/cohorts/{id}/dashboard?lang={}",
        crate::i18n::code(lang)
    );
    expect(Call::get(&path).token(token).send().await?, 200)
}

/// The path of the impact report: the programme's, or one cohort's.
pub fn impact_path(cohort: Option<&str>) -> String {
    match cohort {
        Some(id) => format!("/api/cohorts/{id}/impact"),
        None => "/api/impact".into(),
    }
}

pub async fn impact(token: &str, cohort: Option<&str>, lang: Lang) -> Result<Impact, ApiError> {
    let path = format!("{}?lang={}", impact_path(cohort), crate::i18n::code(lang));
    expect(Call::get(&path).token(token).send().await?, 200)
}

pub async fn staff(token: &str) -> Result<Vec<StaffMember>, ApiError> {
    expect(Call::get("/api/educators").token(token).send().await?, 200)
}

pub async fn create_educator(token: &str, name: &str, password: &str) -> Result<(), ApiError> {
    let call = Call::post("/api/educators")
        .token(token)
        .json(&NewStaff { name, password })?;
    succeeded(call.send().await?)
}

pub async fn reset_password(token: &str, id: &str, password: &str) -> Result<(), ApiError> {
    let path = format!("/api/educators/{id}/password");
    let call = Call::put(&path).token(token).json(&Password { password })?;
    succeeded(call.send().await?)
}

pub async fn disable_educator(token: &str, id: &str) -> Result<(), ApiError> {
    let path = format!("/api/educators/{id}");
    succeeded(Call::delete(&path).token(token).send().await?)
}
