//! Progress is an append-only log of events with ids made on the device. The log is a grow-only
//! set keyed by id, so merging two devices' logs is a set union and can never conflict.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

pub(crate) mod read;

/// What happened; what each kind says is in [`crate::payload`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    ActivityCompleted,
    QuizSubmitted,
    ChallengeSubmitted,
    FamilyTaskConfirmed,
    /// An educator's review of a learner's challenge.
    ChallengeReviewed,
    BadgeAwarded,
    /// A self-assessment of digital skills at the start or end of a path: no `activity_id`.
    SelfAssessed,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        Self::ActivityCompleted,
        Self::QuizSubmitted,
        Self::ChallengeSubmitted,
        Self::FamilyTaskConfirmed,
        Self::ChallengeReviewed,
        Self::BadgeAwarded,
        Self::SelfAssessed,
    ];

    /// The name on the wire and in the server's database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ActivityCompleted => "activity_completed",
            Self::QuizSubmitted => "quiz_submitted",
            Self::ChallengeSubmitted => "challenge_submitted",
            Self::FamilyTaskConfirmed => "family_task_confirmed",
            Self::ChallengeReviewed => "challenge_reviewed",
            Self::BadgeAwarded => "badge_awarded",
            Self::SelfAssessed => "self_assessed",
        }
    }
}

/// One thing a person did, as recorded on their device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: Uuid,
    /// The account the event belongs to; absent while the device has no account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<String>,
    /// RFC 3339 time on the device's clock: shown to people, never used to order sync.
    pub at: String,
    /// What the event says: read and written only through [`crate::payload::Payload`].
    #[serde(default = "empty_object")]
    data: serde_json::Value,
    /// When the server stored it, once the device has pulled it back. A device never sends it
    /// (the server's reader refuses the field): the server alone says when it received an event.
    #[serde(skip_deserializing, default, skip_serializing_if = "Option::is_none")]
    pub received: Option<Received>,
}

/// The server's receipt of an event: its place in the server's log and the server's time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Received {
    pub seq: i64,
    /// RFC 3339, the server's clock.
    pub at: String,
}

fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(Default::default())
}

impl Event {
    /// An event with `data` as it came (from storage or the wire), to be judged by `rules`.
    pub fn with_data(
        id: Uuid,
        kind: EventKind,
        activity_id: Option<&str>,
        at: String,
        data: serde_json::Value,
    ) -> Self {
        Self {
            id,
            user_id: None,
            kind,
            activity_id: activity_id.map(str::to_owned),
            at,
            data,
            received: None,
        }
    }

    /// The `data` as it is stored and sent.
    pub fn data(&self) -> &serde_json::Value {
        &self.data
    }

    /// Whether `other` is this event, perhaps without (or with) the server's receipt.
    fn same(&self, other: &Event) -> bool {
        (
            &self.id,
            &self.user_id,
            self.kind,
            &self.activity_id,
            &self.at,
            &self.data,
        ) == (
            &other.id,
            &other.user_id,
            other.kind,
            &other.activity_id,
            &other.at,
            &other.data,
        )
    }
}

/// What inserting an event into a log did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Insert {
    /// The event is new.
    Added,
    /// The same event was already there.
    Duplicate,
    /// The same event was there without the server's receipt, which it now has.
    Received,
    /// Another event with the same id is there: the log keeps the first one.
    Conflict,
}

/// A grow-only set of events keyed by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct EventLog {
    events: BTreeMap<Uuid, Event>,
}

/// Only the apps read logs (their journal): through `read`, for a smaller wasm.
impl<'de> Deserialize<'de> for EventLog {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::content::read::via_value(deserializer, read::event_log)
    }
}

impl EventLog {
    pub fn insert(&mut self, event: Event) -> Insert {
        match self.events.get_mut(&event.id) {
            Some(stored) if stored.same(&event) => {
                if stored.received.is_some() || event.received.is_none() {
                    return Insert::Duplicate;
                }
                stored.received = event.received;
                Insert::Received
            }
            Some(_) => Insert::Conflict,
            None => {
                self.events.insert(event.id, event);
                Insert::Added
            }
        }
    }

    /// Set union: every event of `other` not yet here is added.
    pub fn merge(&mut self, other: impl IntoIterator<Item = Event>) {
        for event in other {
            self.insert(event);
        }
    }

    /// Gives the events recorded before the person had an account to `user_id`. Only events no
    /// server has seen have no owner (pushing needs an account), so this rewrites nothing shared.
    pub fn assign_owner(&mut self, user_id: &str) {
        for event in self.events.values_mut().filter(|e| e.user_id.is_none()) {
            event.user_id = Some(user_id.to_owned());
        }
    }

    /// Takes back an event this device has just recorded and could not keep: no one else can
    /// have seen it (see [`crate::outbox::Journal::forget`]).
    pub fn remove(&mut self, id: &Uuid) {
        self.events.remove(id);
    }

    pub fn get(&self, id: &Uuid) -> Option<&Event> {
        self.events.get(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Event> {
        self.events.values()
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Event `n` of `kind` about `activity`, with no owner (the device's user).
    pub fn activity_event(
        n: u128,
        kind: EventKind,
        activity: &str,
        at: &str,
        data: serde_json::Value,
    ) -> Event {
        Event::with_data(Uuid::from_u128(n), kind, Some(activity), at.into(), data)
    }

    fn event(n: u128, activity: &str) -> Event {
        Event::activity_completed(Uuid::from_u128(n), activity, "2026-11-25T10:00:00Z".into())
    }

    #[test]
    fn insert_tells_new_duplicate_and_conflict_apart() {
        let mut log = EventLog::default();
        assert_eq!(log.insert(event(1, "a")), Insert::Added);
        assert_eq!(log.insert(event(1, "a")), Insert::Duplicate);
        assert_eq!(log.insert(event(1, "b")), Insert::Conflict);
        let mut back = event(1, "a");
        back.received = Some(Received {
            seq: 7,
            at: "2026-11-25T10:00:01Z".into(),
        });
        assert_eq!(log.insert(back.clone()), Insert::Received);
        assert_eq!(
            log.insert(back),
            Insert::Duplicate,
            "a receipt arrives once"
        );
        assert_eq!(log.insert(event(1, "a")), Insert::Duplicate);
        assert_eq!(log.len(), 1);
        assert_eq!(
            log.get(&Uuid::from_u128(1)).unwrap().activity_id.as_deref(),
            Some("a")
        );
    }

    #[test]
    fn merge_is_a_union_whatever_the_order() {
        let phone = [event(1, "a"), event(2, "b")];
        let tablet = [event(2, "b"), event(3, "c")];
        let mut one = EventLog::default();
        one.merge(phone.clone());
        one.merge(tablet.clone());
        let mut other = EventLog::default();
        other.merge(tablet);
        other.merge(phone);
        assert_eq!(one, other);
        assert_eq!(one.len(), 3);
    }

    #[test]
    fn events_without_an_owner_are_given_one() {
        let mut log = EventLog::default();
        log.insert(event(1, "a"));
        let mut theirs = event(2, "b");
        theirs.user_id = Some("u-other".into());
        log.insert(theirs);
        log.assign_owner("u-me");
        assert_eq!(
            log.get(&Uuid::from_u128(1)).unwrap().user_id.as_deref(),
            Some("u-me")
        );
        assert_eq!(
            log.get(&Uuid::from_u128(2)).unwrap().user_id.as_deref(),
            Some("u-other")
        );
    }

    #[test]
    fn wire_shape_is_stable() {
        let json = serde_json::to_value(event(1, "a")).unwrap();
        assert_eq!(json["kind"], "activity_completed");
        for kind in [
            EventKind::QuizSubmitted,
            EventKind::FamilyTaskConfirmed,
            EventKind::ChallengeReviewed,
            EventKind::BadgeAwarded,
            EventKind::SelfAssessed,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        assert_eq!(json["activity_id"], "a");
        assert!(json.get("user_id").is_none());
        let unknown_field = r#"{"id":"00000000-0000-0000-0000-000000000001","kind":"activity_completed","at":"x","evil":1}"#;
        assert!(serde_json::from_str::<Event>(unknown_field).is_err());
    }
}
