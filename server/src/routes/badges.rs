//! A person's own badges as Open Badges: list them with their public URLs, download one baked
//! into its image (SVG or PNG), revoke one, and choose whether the public profile shows the nickname.

use super::Body;
use crate::auth::Caller;
use crate::content::IMAGES_URL;
use crate::error::ApiError;
use crate::openbadges::baking::{bake_png, bake_svg};
use crate::openbadges::{assertions as issuing, documents};
use crate::state::AppState;
use crate::store::assertions::{self, Assertion};
use crate::store::{consent, family};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use officina_core::account::User;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize)]
pub struct MyBadges {
    /// The public profile the assertions' hashed recipient points to.
    pub profile_url: String,
    pub show_nickname: bool,
    /// A learner under 14 without a linked parent: no badge leaves Officina until one links.
    pub consent_needed: bool,
    pub assertions: Vec<MyAssertion>,
}

#[derive(Debug, Serialize)]
pub struct MyAssertion {
    pub id: String,
    pub badge_id: String,
    /// The hosted assertion, public.
    pub url: String,
    pub earned_on: String,
    /// The ids of the events that earned the badge.
    pub events: Vec<String>,
    pub issued_on: String,
    pub revoked: bool,
    /// Where to download it baked into the badge's image (this API, token required).
    pub baked_svg: String,
    pub baked_png: String,
}

/// `GET /api/badges`: the caller's assertions, issuing first any the stored log has earned.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<MyBadges>, ApiError> {
    badges_of(&state, &caller.user.id).await.map(Json)
}

/// `GET /api/family/{child_id}/badges`: a parent's view, by a confirmed link, of a child's badges, to keep them
/// for the child (a learner under 14 cannot export them alone). Anyone else gets 404.
pub async fn of_child(
    State(state): State<AppState>,
    caller: Caller,
    Path(child_id): Path<String>,
) -> Result<Json<MyBadges>, ApiError> {
    if !family::is_confirmed_parent(&state.db, &caller.user.id, &child_id).await? {
        return Err(ApiError::NotFound);
    }
    badges_of(&state, &child_id).await.map(Json)
}

async fn badges_of(state: &AppState, user_id: &str) -> Result<MyBadges, ApiError> {
    // Asked on the pool first: the writer, which every push waits on, only sees the rare request
    // that has something to issue, however many arrive at once.
    if issuing::any_to_issue(&state.db, &state.content.bundle, user_id).await? {
        let (content, user) = (state.content.clone(), user_id.to_owned());
        state
            .writer
            .run(move |conn| {
                Box::pin(async move {
                    Ok::<_, ApiError>(issuing::issue(conn, &content.bundle, &user).await?)
                })
            })
            .await?;
    }
    let recipient = assertions::recipient(&state.db, user_id).await?;
    let mine = assertions::of_user(&state.db, user_id).await?;
    Ok(MyBadges {
        profile_url: state
            .issuer
            .url(&documents::profile_path(&recipient.public_id)),
        show_nickname: recipient.show_nickname,
        consent_needed: consent::needed(state.db.acquire().await?.conn(), user_id).await?,
        assertions: mine
            .into_iter()
            .map(|a| MyAssertion {
                url: state.issuer.url(&documents::assertion_path(&a.id)),
                baked_svg: format!("/api/badges/{}/baked.svg", a.id),
                baked_png: format!("/api/badges/{}/baked.png", a.id),
                events: serde_json::from_str(&a.events).unwrap_or_default(),
                revoked: a.revoked_on.is_some(),
                id: a.id,
                badge_id: a.badge_id,
                earned_on: a.earned_on,
                issued_on: a.issued_on,
            })
            .collect(),
    })
}

/// `GET /api/badges/{id}/baked.svg`: the badge's SVG image with the assertion baked in.
pub async fn baked_svg(
    state: State<AppState>,
    caller: Caller,
    id: Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    baked(state, caller, id, Format::Svg).await
}

/// `GET /api/badges/{id}/baked.png`: the badge rendered as a PNG with the assertion baked in.
pub async fn baked_png(
    state: State<AppState>,
    caller: Caller,
    id: Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    baked(state, caller, id, Format::Png).await
}

#[derive(Clone, Copy)]
enum Format {
    Svg,
    Png,
}

async fn baked(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    format: Format,
) -> Result<impl IntoResponse, ApiError> {
    let assertion = manageable(&state, &caller.user, &id).await?;
    if assertion.revoked_on.is_some() {
        return Err(ApiError::Revoked);
    }
    // Consent withdrawn since it was issued: its public URL answers 404, so no file to share.
    if consent::needed(state.db.acquire().await?.conn(), &assertion.user_id).await? {
        return Err(ApiError::ConsentNeeded);
    }
    let badge = state
        .content
        .bundle
        .badges
        .iter()
        .find(|b| b.id == assertion.badge_id)
        .ok_or(ApiError::NotFound)?;
    // Content image URLs are `/content/images/FILE?v=HASH`, and the files are checked at start-up.
    let file = badge
        .image
        .strip_prefix(IMAGES_URL)
        .and_then(|f| f.split('?').next())
        .ok_or(ApiError::NotFound)?;
    let svg = tokio::fs::read_to_string(state.images.join(file))
        .await
        .map_err(|_| ApiError::NotSvg)?;
    let recipient = assertions::recipient(&state.db, &assertion.user_id).await?;
    let json = documents::assertion(
        &state.issuer,
        &assertion,
        &documents::profile_path(&recipient.public_id),
    );
    let url = state.issuer.url(&documents::assertion_path(&assertion.id));
    // A badge image is small: rendering it takes milliseconds, not worth a blocking thread.
    let (baked, mime, extension) = match format {
        Format::Svg => (
            bake_svg(&svg, &url, &json.to_string())?.into_bytes(),
            "image/svg+xml",
            "svg",
        ),
        Format::Png => (bake_png(&svg, &json.to_string())?, "image/png", "png"),
    };
    let disposition = format!("attachment; filename=\"{}.{extension}\"", badge.id);
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        baked,
    ))
}

/// `POST /api/badges/{id}/revoke`: from now on the public URL answers that it is revoked.
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    manageable(&state, &caller.user, &id).await?;
    assertions::revoke(&state.db, &id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSettings {
    show_nickname: bool,
}

/// `PUT /api/badges/profile`: whether the public profile shows the nickname (off by default).
pub async fn set_profile(
    State(state): State<AppState>,
    caller: Caller,
    Body(settings): Body<ProfileSettings>,
) -> Result<StatusCode, ApiError> {
    assertions::recipient(&state.db, &caller.user.id).await?;
    assertions::set_show_nickname(&state.db, &caller.user.id, settings.show_nickname).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The assertion `id`, if the caller may manage it; otherwise 404, so ids cannot be probed.
async fn manageable(state: &AppState, caller: &User, id: &str) -> Result<Assertion, ApiError> {
    let Some(assertion) = assertions::by_id(&state.db, id).await? else {
        return Err(ApiError::NotFound);
    };
    if may_manage(state, caller, &assertion.user_id).await? {
        Ok(assertion)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Who may download and revoke an assertion: the person it was issued to, and their parents by a
/// confirmed link.
async fn may_manage(state: &AppState, caller: &User, owner_id: &str) -> Result<bool, sqlx::Error> {
    Ok(caller.id == owner_id
        || family::is_confirmed_parent(&state.db, &caller.id, owner_id).await?)
}
