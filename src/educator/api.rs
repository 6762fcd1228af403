//! The educator workspace's calls to the API (see docs/api.md), each with the staff member's token.

use crate::api::{ApiError, blob, expect, succeeded};
use crate::fetch::Call;
use officina_core::account::{AgeBand, OneTimeCode, Role, Session, StaffLoginRequest};
use officina_core::consent::{FamilyLinks, PaperConsent};
use officina_core::dashboard::Dashboard;
use officina_core::impact::Impact;
use officina_core::payload::Payload;
use officina_core::staff::{
    CohortDetail, CohortRequest, CohortSettings, CohortSummary, EducatorNames, NewEducator,
    NewPassword, RoleRequest, RosterMember, StaffAccount, Submission,
};
use officina_core::{Event, Lang};

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

pub async fn create_cohort(token: &str, cohort: &CohortRequest) -> Result<CohortDetail, ApiError> {
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
        .json(&CohortSettings { xp_and_streaks: on })?;
    succeeded(call.send().await?)
}

pub async fn set_educators(token: &str, id: &str, names: &[String]) -> Result<(), ApiError> {
    let path = format!("/api/cohorts/{id}/educators");
    let names = EducatorNames {
        names: names.to_vec(),
    };
    let call = Call::put(&path).token(token).json(&names)?;
    succeeded(call.send().await?)
}

/// Corrects the role a member joined with (see `RoleRequest`); the server answers with the member.
pub async fn set_role(
    token: &str,
    cohort: &str,
    user: &str,
    role: Role,
    age_band: Option<AgeBand>,
) -> Result<RosterMember, ApiError> {
    let path = format!("/api/cohorts/{cohort}/members/{user}/role");
    let call = Call::put(&path)
        .token(token)
        .json(&RoleRequest { role, age_band })?;
    expect(call.send().await?, 200)
}

/// Removes a member from a cohort: their sessions end and they can no longer sign in.
pub async fn remove_member(token: &str, cohort: &str, user: &str) -> Result<(), ApiError> {
    let path = format!("/api/cohorts/{cohort}/members/{user}");
    succeeded(Call::delete(&path).token(token).send().await?)
}

/// The family links whose child is a member of the cohort, pending ones first.
pub async fn family_links(token: &str, cohort: &str) -> Result<FamilyLinks, ApiError> {
    let path = format!("/api/cohorts/{cohort}/family-links");
    expect(Call::get(&path).token(token).send().await?, 200)
}

/// The educator met the parent: the link takes effect (for an under-14, it is consent).
pub async fn confirm_link(token: &str, cohort: &str, link: &str) -> Result<(), ApiError> {
    let path = format!("/api/cohorts/{cohort}/family-links/{link}/confirm");
    succeeded(Call::post(&path).token(token).send().await?)
}

/// A link the educator will not stand behind: it is removed.
pub async fn remove_link(token: &str, cohort: &str, link: &str) -> Result<(), ApiError> {
    let path = format!("/api/cohorts/{cohort}/family-links/{link}");
    succeeded(Call::delete(&path).token(token).send().await?)
}

/// Consent on paper received for a learner, or taken back.
pub async fn set_paper_consent(
    token: &str,
    cohort: &str,
    user: &str,
    paper: bool,
) -> Result<(), ApiError> {
    let path = format!("/api/cohorts/{cohort}/members/{user}/consent");
    let call = Call::put(&path)
        .token(token)
        .json(&PaperConsent { paper })?;
    succeeded(call.send().await?)
}

/// A one-time recovery code for a member who forgot their PIN.
pub async fn recovery_code(token: &str, cohort: &str, user: &str) -> Result<OneTimeCode, ApiError> {
    let path = format!("/api/cohorts/{cohort}/members/{user}/recovery");
    expect(Call::post(&path).token(token).send().await?, 201)
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
    activity_id: Option<&str>,
    payload: &Payload,
) -> Result<(), ApiError> {
    let at = js_sys::Date::new_0().to_iso_string().into();
    let mut event = Event::new(uuid::Uuid::new_v4(), activity_id, at, payload);
    event.user_id = Some(learner.to_owned());
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

pub async fn staff(token: &str) -> Result<Vec<StaffAccount>, ApiError> {
    expect(Call::get("/api/educators").token(token).send().await?, 200)
}

pub async fn create_educator(token: &str, name: &str, password: &str) -> Result<(), ApiError> {
    let call = Call::post("/api/educators")
        .token(token)
        .json(&NewEducator {
            name: name.to_owned(),
            password: password.to_owned(),
        })?;
    succeeded(call.send().await?)
}

pub async fn reset_password(token: &str, id: &str, password: &str) -> Result<(), ApiError> {
    let path = format!("/api/educators/{id}/password");
    let password = NewPassword {
        password: password.to_owned(),
    };
    let call = Call::put(&path).token(token).json(&password)?;
    succeeded(call.send().await?)
}

pub async fn disable_educator(token: &str, id: &str) -> Result<(), ApiError> {
    let path = format!("/api/educators/{id}");
    succeeded(Call::delete(&path).token(token).send().await?)
}
