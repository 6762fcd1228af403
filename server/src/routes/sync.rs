//! Sync: `push` is idempotent per event id and a rejected event never blocks the others; `pull`
//! pages through the events the caller may read, in the server's `seq` order.

use super::Body;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::openbadges::assertions;
use crate::state::AppState;
use crate::store::events::{self, Stored};
use crate::store::{accounts, family};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use officina_core::account::{Role, User};
use officina_core::progress::{FamilyRole, family_role};
use officina_core::self_assessment::{Answers, Rejection};
use officina_core::sync::{
    DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, MAX_PUSH_EVENTS, PullResponse, PushResponse, PushResult,
    PushStatus,
};
use officina_core::{ActivityKind, Bundle, Event, EventKind};
use serde::Deserialize;
use sqlx::SqliteConnection;
use std::collections::BTreeSet;
use uuid::Uuid;

/// The body as it arrives: events are checked one by one, so one bad event rejects only itself.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPush {
    device_id: Uuid,
    events: Vec<serde_json::Value>,
}

/// Why an event is rejected, as a stable code.
type Reason = &'static str;

pub async fn push(
    State(state): State<AppState>,
    caller: Caller,
    Body(push): Body<RawPush>,
) -> Result<Json<PushResponse>, ApiError> {
    if push.events.len() > MAX_PUSH_EVENTS {
        return Err(ApiError::TooLarge(format!(
            "al massimo {MAX_PUSH_EVENTS} eventi per invio."
        )));
    }
    let ids = event_ids(&push.events)?;
    let mut tx = state.db.begin().await?;
    accounts::record_sync(&mut *tx, &caller.user.id).await?;
    // The caller's role as it is now, under the write lock `record_sync` took: an educator may
    // have changed it since the request began, and a role change is refused once a confirmation
    // exists, so a confirmation is always in the role its author has.
    let caller = User {
        role: accounts::role_of(&mut *tx, &caller.user.id).await?,
        ..caller.user
    };
    let mut results = Vec::with_capacity(ids.len());
    // Whose logs grew: they may have earned badges.
    let mut grown = BTreeSet::new();
    for (id, raw) in ids.into_iter().zip(push.events) {
        let outcome = match parse(raw) {
            Ok(event) => {
                let owner = event.user_id.clone().unwrap_or_else(|| caller.id.clone());
                let outcome = accept(
                    &mut tx,
                    &caller,
                    &state.content.bundle,
                    push.device_id,
                    event,
                )
                .await?;
                if outcome == Ok(PushStatus::Accepted) {
                    grown.insert(owner);
                }
                outcome
            }
            Err(reason) => Err(reason),
        };
        results.push(match outcome {
            Ok(status) => PushResult {
                id,
                status,
                error: None,
            },
            Err(reason) => PushResult {
                id,
                status: PushStatus::Rejected,
                error: Some(reason.into()),
            },
        });
    }
    let cursor = events::last_seq(&mut tx).await?;
    // synchronous=FULL: once this returns, the batch survives a power cut.
    tx.commit().await?;
    for user in grown {
        // The events are stored whatever happens here, so the push still succeeds; `GET
        // /api/badges` issues whatever is missing.
        if let Err(err) = assertions::issue(&state.db, &state.content.bundle, &user).await {
            tracing::error!(error = %err, "cannot issue Open Badges assertions");
        }
    }
    Ok(Json(PushResponse { results, cursor }))
}

/// Every event must carry a UUID `id`, or the device could not match the results to its outbox.
fn event_ids(events: &[serde_json::Value]) -> Result<Vec<Uuid>, ApiError> {
    events
        .iter()
        .enumerate()
        .map(|(index, raw)| {
            raw.get("id")
                .and_then(|id| id.as_str())
                .and_then(|id| Uuid::parse_str(id).ok())
                .ok_or_else(|| {
                    ApiError::BadRequest(format!("l'evento n. {index} non ha un `id` UUID valido."))
                })
        })
        .collect()
}

fn parse(raw: serde_json::Value) -> Result<Event, Reason> {
    let event: Event = serde_json::from_value(raw).map_err(|_| "invalid_event")?;
    if time::OffsetDateTime::parse(&event.at, &time::format_description::well_known::Rfc3339)
        .is_err()
    {
        return Err("invalid_time");
    }
    Ok(event)
}

/// Authorises, checks against the content, and stores one event.
async fn accept(
    tx: &mut SqliteConnection,
    caller: &User,
    bundle: &Bundle,
    device: Uuid,
    mut event: Event,
) -> Result<Result<PushStatus, Reason>, ApiError> {
    // Events recorded before the device joined carry no owner: they are the caller's.
    let owner = event
        .user_id
        .get_or_insert_with(|| caller.id.clone())
        .clone();
    let allowed = match event.kind {
        // Judgements on a learner's work: only their educators (or an admin) write them.
        EventKind::BadgeAwarded | EventKind::ChallengeReviewed => {
            caller.role.is_staff() && accounts::may_award(tx, caller, &owner).await?
        }
        _ => owner == caller.id,
    };
    if !allowed {
        return Ok(Err("not_allowed"));
    }
    if event.kind == EventKind::FamilyTaskConfirmed && !confirms_in_own_role(caller.role, &event) {
        return Ok(Err("wrong_role"));
    }
    if let Err(reason) = check_content(&event, bundle) {
        return Ok(Err(reason));
    }
    Ok(match events::insert(tx, device, &event).await? {
        Stored::New => Ok(PushStatus::Accepted),
        Stored::Duplicate => Ok(PushStatus::Duplicate),
        Stored::Conflict => Err("id_conflict"),
    })
}

/// A family task is confirmed once by the young person and once by a parent, each from their own
/// account: a learner cannot confirm in the parent's place.
fn confirms_in_own_role(role: Role, event: &Event) -> bool {
    matches!(
        (role, family_role(event)),
        (Role::Learner, Some(FamilyRole::Child)) | (Role::Parent, Some(FamilyRole::Parent))
    )
}

/// An award names a badge of the programme, a self-assessment a path and fits the questionnaire;
/// every other event names an activity, and a review a challenge with a well-formed verdict.
fn check_content(event: &Event, bundle: &Bundle) -> Result<(), Reason> {
    if event.kind == EventKind::SelfAssessed {
        return Answers::of(event, bundle)
            .map(drop)
            .map_err(Rejection::code);
    }
    if event.kind == EventKind::BadgeAwarded {
        let badge = event.data.get("badge_id").and_then(|b| b.as_str());
        return match badge {
            Some(badge) if bundle.badges.iter().any(|b| b.id == badge) => Ok(()),
            _ => Err("unknown_badge"),
        };
    }
    let activity = event
        .activity_id
        .as_deref()
        .and_then(|a| bundle.activity(a))
        .ok_or("unknown_activity")?;
    if event.kind == EventKind::ChallengeReviewed {
        if activity.activity.kind() != ActivityKind::Challenge {
            return Err("not_a_challenge");
        }
        return valid_review(&event.data)
            .then_some(())
            .ok_or("invalid_review");
    }
    if event.kind == EventKind::ChallengeSubmitted {
        return valid_submission(&event.data)
            .then_some(())
            .ok_or("invalid_submission");
    }
    Ok(())
}

/// The longest account of a challenge, and the most photos with it.
const MAX_SUBMISSION_TEXT: usize = 4000;
const MAX_SUBMISSION_PHOTOS: usize = 3;

/// `{"text": "…", "photos"?: [photo id, …]}` and nothing else: at most 3 distinct ids, each a UUID
/// in its canonical form (lowercase, hyphenated), the form `/api/photos/{id}` stores.
fn valid_submission(data: &serde_json::Value) -> bool {
    let Some(fields) = data.as_object() else {
        return false;
    };
    let text_ok = fields.get("text").is_some_and(|t| {
        t.as_str()
            .is_some_and(|t| t.chars().count() <= MAX_SUBMISSION_TEXT)
    });
    let photos_ok = fields.get("photos").is_none_or(|photos| {
        photos.as_array().is_some_and(|photos| {
            let ids: BTreeSet<_> = photos.iter().filter_map(canonical_uuid).collect();
            photos.len() <= MAX_SUBMISSION_PHOTOS && ids.len() == photos.len()
        })
    });
    text_ok && photos_ok && fields.keys().all(|k| k == "text" || k == "photos")
}

fn canonical_uuid(value: &serde_json::Value) -> Option<&str> {
    let id = value.as_str()?;
    Uuid::parse_str(id)
        .is_ok_and(|uuid| uuid.to_string() == id)
        .then_some(id)
}

/// The longest comment an educator may leave on a review.
const MAX_REVIEW_COMMENT: usize = 2000;

/// `{"status": "approved" | "changes_requested", "comment"?: "…"}` and nothing else.
fn valid_review(data: &serde_json::Value) -> bool {
    let Some(fields) = data.as_object() else {
        return false;
    };
    let status_ok = matches!(
        fields.get("status").and_then(|s| s.as_str()),
        Some("approved" | "changes_requested")
    );
    let comment_ok = fields.get("comment").is_none_or(|c| {
        c.as_str()
            .is_some_and(|c| c.chars().count() <= MAX_REVIEW_COMMENT)
    });
    status_ok && comment_ok && fields.keys().all(|k| k == "status" || k == "comment")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    #[serde(default)]
    since: i64,
    limit: Option<u32>,
}

pub async fn pull(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    let Query(query) = query?;
    if query.since < 0 {
        return Err(ApiError::BadRequest(
            "`since` è un cursore, non può essere negativo.".into(),
        ));
    }
    let limit = query.limit.unwrap_or(DEFAULT_PULL_LIMIT);
    if !(1..=MAX_PULL_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "`limit` va da 1 a {MAX_PULL_LIMIT}."
        )));
    }
    accounts::record_sync(&state.db, &caller.user.id).await?;
    // One more than asked tells whether another page follows.
    let relatives = family::relatives(&state.db, &caller.user.id).await?;
    let mut page = events::readable_after(
        &state.db,
        &caller.user.id,
        &relatives,
        query.since,
        limit + 1,
    )
    .await?;
    let more = page.len() > limit as usize;
    page.truncate(limit as usize);
    let cursor = page.last().map_or(query.since, |event| event.seq);
    Ok(Json(PullResponse {
        events: page,
        cursor,
        more,
    }))
}
