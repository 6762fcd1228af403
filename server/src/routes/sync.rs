//! Sync: `push` is idempotent per event id and a rejected event never blocks the others; `pull`
//! pages through the events the caller may read, in the server's `seq` order.

use super::Body;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::openbadges::assertions;
use crate::state::AppState;
use crate::store::backend::{Conn, execute};
use crate::store::events::{self, Stored};
use crate::store::{accounts, family};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use officina_core::account::User;
use officina_core::payload::Payload;
use officina_core::rules::{self, Rejection};
use officina_core::sync::{
    DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, MAX_PUSH_EVENTS, PullResponse, PushResponse, PushResult,
    PushStatus,
};
use officina_core::{Bundle, Event, EventKind};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeSet;
use uuid::Uuid;

/// The body as it arrives: events are checked one by one, so one bad event rejects only itself.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPush {
    device_id: Uuid,
    /// As sent, so that each event's length is its length on the wire.
    events: Vec<Box<RawValue>>,
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
    // The batch's time of receipt, which device times are judged against.
    let received = now();
    // Read and checked against the programme here, on the request's task, so that the writer
    // only authorises and stores.
    let bundle = &state.content.bundle;
    let events = push
        .events
        .iter()
        .enumerate()
        .map(|(index, raw)| read(index, raw, &caller.user, bundle, &received))
        .collect::<Result<Vec<_>, _>>()?;
    let (device, user, content) = (push.device_id, caller.user, state.content.clone());
    state
        .writer
        .run(move |conn| {
            Box::pin(async move {
                let mut conn = conn;
                let stored = store(conn.reborrow(), user, device, events).await?;
                issue_badges(conn, &content.bundle, &stored.grown).await;
                Ok(Json(PushResponse {
                    results: stored.results,
                    cursor: stored.cursor,
                }))
            })
        })
        .await
}

/// Issues the badges the people whose logs grew have earned, in the push's own commit: from
/// their kept folds, so the cost does not grow with their history.
async fn issue_badges(mut conn: Conn<'_>, bundle: &Bundle, grown: &BTreeSet<String>) {
    for user in grown {
        // The events are stored whatever happens here, so the push still succeeds; `GET
        // /api/badges` issues whatever is missing.
        if let Err(err) = issue_in_savepoint(conn.reborrow(), bundle, user).await {
            tracing::error!(error = %err, "cannot issue Open Badges assertions");
        }
    }
}

/// `user`'s badges in a savepoint of their own, so that a failure undoes just them: PostgreSQL
/// refuses every later statement of a transaction in which one failed.
async fn issue_in_savepoint(
    mut conn: Conn<'_>,
    bundle: &Bundle,
    user: &str,
) -> Result<(), sqlx::Error> {
    execute(conn.reborrow(), "SAVEPOINT badges").await?;
    let issued = assertions::issue(conn.reborrow(), bundle, user).await;
    if issued.is_err() {
        execute(conn.reborrow(), "ROLLBACK TO badges").await?;
    }
    execute(conn, "RELEASE badges").await?;
    issued.map(drop)
}

/// One event as read: what the programme says of it, or why it cannot be stored.
struct Incoming {
    id: Uuid,
    event: Result<(Event, Result<Payload, Rejection>), Reason>,
}

/// Reads event `index` once as an `Event`; only when that fails, as any JSON, for its `id`. An
/// event recorded before the device joined carries no owner: it is the caller's.
fn read(
    index: usize,
    raw: &RawValue,
    caller: &User,
    bundle: &Bundle,
    received: &str,
) -> Result<Incoming, ApiError> {
    let Ok(mut event) = serde_json::from_str::<Event>(raw.get()) else {
        return Ok(Incoming {
            id: id_of(index, raw)?,
            event: Err("invalid_event"),
        });
    };
    event.user_id.get_or_insert_with(|| caller.id.clone());
    let checked = rules::check(&event, raw.get().len(), bundle, received);
    Ok(Incoming {
        id: event.id,
        event: Ok((event, checked)),
    })
}

/// Every event must carry a UUID `id`, or the device could not match the results to its outbox.
fn id_of(index: usize, raw: &RawValue) -> Result<Uuid, ApiError> {
    serde_json::from_str::<serde_json::Value>(raw.get())
        .ok()
        .and_then(|value| Uuid::parse_str(value.get("id")?.as_str()?).ok())
        .ok_or_else(|| {
            ApiError::BadRequest(format!("l'evento n. {index} non ha un `id` UUID valido."))
        })
}

/// What the writer did with a push.
struct StoredPush {
    results: Vec<PushResult>,
    cursor: i64,
    /// Whose logs grew: they may have earned badges.
    grown: BTreeSet<String>,
}

/// Stores a push's events, in the writer's transaction.
async fn store(
    mut conn: Conn<'_>,
    caller: User,
    device: Uuid,
    events: Vec<Incoming>,
) -> Result<StoredPush, ApiError> {
    accounts::record_push(conn.reborrow(), &caller.id).await?;
    // The caller's role as it is now, under the write lock: an educator may have changed it
    // since the request began, and a role change is refused once a confirmation exists, so a
    // confirmation is always in the role its author has.
    let caller = User {
        // Erased while the request was on its way: the token is no longer anyone's.
        role: accounts::role_of(conn.reborrow(), &caller.id)
            .await?
            .ok_or(ApiError::Unauthorized)?,
        ..caller
    };
    let mut results = Vec::with_capacity(events.len());
    let mut grown = BTreeSet::new();
    for Incoming { id, event } in events {
        let outcome = match event {
            Ok((event, checked)) => {
                let outcome = accept(conn.reborrow(), &caller, device, &event, checked).await?;
                if outcome == Ok(PushStatus::Accepted) {
                    let owner = event.user_id.unwrap_or_default();
                    // A confirmation counts in the linked relatives' logs too.
                    if event.kind == EventKind::FamilyTaskConfirmed {
                        grown.extend(family::confirmed_relatives(conn.reborrow(), &owner).await?);
                    }
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
    let cursor = events::last_seq(conn).await?;
    Ok(StoredPush {
        results,
        cursor,
        grown,
    })
}

/// Authorises and stores one event, already checked against the programme (core's rules, the
/// same the app runs before it records) as `checked`.
async fn accept(
    mut tx: Conn<'_>,
    caller: &User,
    device: Uuid,
    event: &Event,
    checked: Result<Payload, Rejection>,
) -> Result<Result<PushStatus, Reason>, ApiError> {
    let owner = event.user_id.as_deref().unwrap_or_default();
    let allowed = match event.kind {
        // Judgements on a learner's work: only their educators (or an admin) write them.
        EventKind::BadgeAwarded | EventKind::ChallengeReviewed => {
            caller.role.is_staff() && accounts::may_award(tx.reborrow(), caller, owner).await?
        }
        _ => owner == caller.id,
    };
    if !allowed {
        return Ok(Err("not_allowed"));
    }
    if let Err(rejection) = checked.and_then(|payload| rules::fits_role(caller.role, &payload)) {
        return Ok(Err(rejection.code()));
    }
    Ok(match events::insert(tx, device, event).await? {
        Stored::New => Ok(PushStatus::Accepted),
        Stored::Duplicate => Ok(PushStatus::Duplicate),
        Stored::Conflict => Err("id_conflict"),
    })
}

/// The server's clock as RFC 3339, the "now" device times are judged against.
fn now() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
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
    let mut pooled = state.db.acquire().await?;
    accounts::record_pull(pooled.conn(), &caller.user.id).await?;
    // One more than asked tells whether another page follows.
    let mut page =
        events::readable_after(pooled.conn(), &caller.user.id, query.since, limit + 1).await?;
    let more = page.len() > limit as usize;
    page.truncate(limit as usize);
    let cursor = page.last().map_or(query.since, |event| event.seq);
    Ok(Json(PullResponse {
        events: page,
        cursor,
        more,
    }))
}
