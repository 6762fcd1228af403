//! `POST /api/sync/push`: idempotent per event id; a rejected event never blocks the others.

use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{FromRequest, State};
use officina_core::sync::{MAX_PUSH_EVENTS, PushResponse, PushResult, PushStatus};
use officina_core::{Bundle, Event, EventKind};
use serde::Deserialize;
use sqlx::SqliteConnection;
use uuid::Uuid;

/// The body as it arrives: events are checked one by one, so one bad event rejects only itself.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPush {
    device_id: Uuid,
    events: Vec<serde_json::Value>,
}

/// `Json`, with rejections turned into the API's error shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Body<T>(T);

pub async fn push(State(state): State<AppState>, Body(push): Body<RawPush>) -> Result<Json<PushResponse>, ApiError> {
    if push.events.len() > MAX_PUSH_EVENTS {
        return Err(ApiError::TooLarge(format!("al massimo {MAX_PUSH_EVENTS} eventi per invio.")));
    }
    let ids = event_ids(&push.events)?;
    let mut tx = state.db.begin().await?;
    let mut results = Vec::with_capacity(ids.len());
    for (id, raw) in ids.into_iter().zip(push.events) {
        let outcome = match check(raw, &state.content.bundle) {
            Ok(event) => store(&mut tx, push.device_id, &event).await?,
            Err(reason) => Err(reason),
        };
        results.push(match outcome {
            Ok(status) => PushResult { id, status, error: None },
            Err(reason) => PushResult { id, status: PushStatus::Rejected, error: Some(reason.into()) },
        });
    }
    let cursor: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events").fetch_one(&mut *tx).await?;
    tx.commit().await?;
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
                .ok_or_else(|| ApiError::BadRequest(format!("l'evento n. {index} non ha un `id` UUID valido.")))
        })
        .collect()
}

/// Why an event is rejected, as a stable code.
type Reason = &'static str;

fn check(raw: serde_json::Value, bundle: &Bundle) -> Result<Event, Reason> {
    let event: Event = serde_json::from_value(raw).map_err(|_| "invalid_event")?;
    if time::OffsetDateTime::parse(&event.at, &time::format_description::well_known::Rfc3339).is_err() {
        return Err("invalid_time");
    }
    if event.user_id.is_some() || event.kind == EventKind::BadgeAwarded {
        return Err("not_allowed");
    }
    match event.activity_id.as_deref() {
        Some(activity) if bundle.activity(activity).is_some() => Ok(event),
        _ => Err("unknown_activity"),
    }
}

/// Stores the event unless its id is there already: then it is a duplicate, or a conflict.
async fn store(tx: &mut SqliteConnection, device: Uuid, event: &Event) -> Result<Result<PushStatus, Reason>, ApiError> {
    let kind = serde_json::to_value(event.kind).expect("kinds serialise");
    let data = event.data.to_string();
    let inserted = sqlx::query(
        "INSERT INTO events (id, device_id, user_id, kind, activity_id, at, data)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(event.id.to_string())
    .bind(device.to_string())
    .bind(&event.user_id)
    .bind(kind.as_str())
    .bind(&event.activity_id)
    .bind(&event.at)
    .bind(&data)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Ok(PushStatus::Accepted));
    }
    let same: bool = sqlx::query_scalar(
        "SELECT user_id IS ? AND kind = ? AND activity_id IS ? AND at = ? AND data = ? FROM events WHERE id = ?",
    )
    .bind(&event.user_id)
    .bind(kind.as_str())
    .bind(&event.activity_id)
    .bind(&event.at)
    .bind(&data)
    .bind(event.id.to_string())
    .fetch_one(&mut *tx)
    .await?;
    Ok(if same { Ok(PushStatus::Duplicate) } else { Err("id_conflict") })
}
