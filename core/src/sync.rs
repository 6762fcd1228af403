//! The sync protocol's wire types, shared by the app's sync client and the server.

use crate::events::Event;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most events one push may carry.
pub const MAX_PUSH_EVENTS: usize = 500;
/// The largest push body, in bytes.
pub const MAX_PUSH_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device_id: Uuid,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResult {
    pub id: Uuid,
    pub status: PushStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
    /// The highest sequence number the server has assigned.
    pub cursor: i64,
}
