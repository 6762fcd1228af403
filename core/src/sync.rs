//! The sync protocol's wire types, shared by the app's sync client and the server.

use crate::events::{Event, EventKind, Received};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

/// The most events one push may carry.
pub const MAX_PUSH_EVENTS: usize = 500;
/// The largest push body, in bytes.
pub const MAX_PUSH_BYTES: usize = 1024 * 1024;
/// The most events one pull may return, and how many when the device does not say.
pub const MAX_PULL_LIMIT: u32 = 1000;
pub const DEFAULT_PULL_LIMIT: u32 = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device_id: Uuid,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    Accepted,
    Duplicate,
    Rejected,
}

impl PushStatus {
    /// Whether the server now holds the event, so the device may drop it from its outbox.
    pub fn is_acknowledged(self) -> bool {
        matches!(self, Self::Accepted | Self::Duplicate)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PushResult {
    pub id: Uuid,
    pub status: PushStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
    /// The highest sequence number the server has assigned.
    pub cursor: i64,
}

/// An event as the server stores it: always with its owner, plus the server's sequence number
/// (the sync cursor) and the server's time of receipt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredEvent {
    pub id: Uuid,
    pub user_id: String,
    pub kind: EventKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<String>,
    pub at: String,
    pub data: serde_json::Value,
    pub seq: i64,
    pub received_at: String,
}

impl From<StoredEvent> for Event {
    fn from(stored: StoredEvent) -> Self {
        let mut event = Event::with_data(
            stored.id,
            stored.kind,
            stored.activity_id.as_deref(),
            stored.at,
            stored.data,
        );
        event.user_id = Some(stored.user_id);
        event.received = Some(Received {
            seq: stored.seq,
            at: stored.received_at,
        });
        event
    }
}

/// `GET /api/sync/pull?since=CURSOR&limit=N`: the readable events with `seq > since`, ascending.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PullResponse {
    pub events: Vec<StoredEvent>,
    /// The `seq` of the last event returned (or `since` when none): the next pull's `since`.
    pub cursor: i64,
    /// Whether more events wait after this page.
    pub more: bool,
}

// Only the apps read the answers (the server writes them): through `events::read`, which costs
// the wasm less than derived readers.
impl<'de> Deserialize<'de> for PushResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::content::read::via_value(deserializer, crate::events::read::push_response)
    }
}

impl<'de> Deserialize<'de> for PullResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::content::read::via_value(deserializer, crate::events::read::pull_response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pulled_events_have_the_documented_shape_and_become_log_events() {
        let json = serde_json::json!({
            "events": [{
                "id": "00000000-0000-0000-0000-000000000001", "user_id": "u1", "kind": "activity_completed",
                "activity_id": "a", "at": "2026-11-25T10:00:00Z", "data": {}, "seq": 7,
                "received_at": "2026-11-25T10:00:01.000Z"
            }],
            "cursor": 7,
            "more": false
        });
        let pull: PullResponse = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&pull).unwrap(), json);
        let event: Event = pull.events[0].clone().into();
        assert_eq!(event.user_id.as_deref(), Some("u1"));
        assert_eq!(event.activity_id.as_deref(), Some("a"));
    }
}
