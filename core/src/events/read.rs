//! Reading what only the apps read: the journal stored on the device and the sync answers. As
//! with the bundle (see `content::read`), through a `serde_json::Value` and plain functions, for a
//! smaller wasm. The server reads pushed events with `Event`'s derived, strict reader.

use super::{Event, EventKind, EventLog, Received};
use crate::content::read::{Fields, Read, boolean, integer, object, string, uuid};
use crate::outbox::Journal;
use crate::sync::{PullResponse, PushResponse, PushResult, PushStatus, StoredEvent};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) fn journal(value: Value) -> Read<Journal> {
    let mut f = Fields::of(value);
    // Inserted one by one: collecting into a set or map would compile in a sort.
    let mut outbox = BTreeSet::new();
    for id in f.list("outbox", uuid) {
        outbox.insert(id);
    }
    let mut rejected = BTreeMap::new();
    for (id, reason) in f.optional("rejected", object).unwrap_or_default() {
        match (uuid(Value::String(id)), string(reason)) {
            (Ok(id), Ok(reason)) => {
                rejected.insert(id, reason);
            }
            (Err(err), _) | (_, Err(err)) => return Err(err),
        }
    }
    let journal = Journal {
        log: f.required("log", event_log).unwrap_or_default(),
        outbox,
        rejected,
        cursor: f.optional("cursor", integer).unwrap_or(0),
    };
    f.done(journal)
}

/// Events by id, as stored: the map's keys are the ids.
pub(super) fn event_log(value: Value) -> Read<EventLog> {
    let mut events = BTreeMap::new();
    for (id, event) in object(value)? {
        events.insert(uuid(Value::String(id))?, self::event(event)?);
    }
    Ok(EventLog { events })
}

fn event(value: Value) -> Read<Event> {
    let mut f = Fields::of(value);
    let event = Event {
        id: f.required("id", uuid).unwrap_or_default(),
        user_id: f.optional("user_id", string),
        kind: kind(&mut f),
        activity_id: f.optional("activity_id", string),
        at: f.string("at"),
        data: f.optional("data", Ok).unwrap_or_else(super::empty_object),
        received: f.optional("received", received),
    };
    // Like `Event`'s `deny_unknown_fields`.
    f.deny_unknown();
    f.done(event)
}

fn received(value: Value) -> Read<Received> {
    let mut f = Fields::of(value);
    let received = Received {
        seq: f.required("seq", integer).unwrap_or_default(),
        at: f.string("at"),
    };
    f.done(received)
}

fn kind(f: &mut Fields) -> EventKind {
    let name = f.name("kind");
    match EventKind::ALL
        .into_iter()
        .find(|kind| kind.as_str() == name)
    {
        Some(kind) => kind,
        None => {
            f.unknown(&name);
            EventKind::ActivityCompleted
        }
    }
}

pub(crate) fn pull_response(value: Value) -> Read<PullResponse> {
    let mut f = Fields::of(value);
    let answer = PullResponse {
        events: f.list("events", stored_event),
        cursor: f.required("cursor", integer).unwrap_or_default(),
        more: f.required("more", boolean).unwrap_or_default(),
    };
    f.done(answer)
}

fn stored_event(value: Value) -> Read<StoredEvent> {
    let mut f = Fields::of(value);
    let event = StoredEvent {
        id: f.required("id", uuid).unwrap_or_default(),
        user_id: f.string("user_id"),
        kind: kind(&mut f),
        activity_id: f.optional("activity_id", string),
        at: f.string("at"),
        data: f.required("data", Ok).unwrap_or_default(),
        seq: f.required("seq", integer).unwrap_or_default(),
        received_at: f.string("received_at"),
    };
    f.done(event)
}

pub(crate) fn push_response(value: Value) -> Read<PushResponse> {
    let mut f = Fields::of(value);
    let answer = PushResponse {
        results: f.list("results", push_result),
        cursor: f.required("cursor", integer).unwrap_or_default(),
    };
    f.done(answer)
}

fn push_result(value: Value) -> Read<PushResult> {
    let mut f = Fields::of(value);
    let status = f.name("status");
    let result = PushResult {
        id: f.required("id", uuid).unwrap_or_default(),
        status: match status.as_str() {
            "accepted" => PushStatus::Accepted,
            "duplicate" => PushStatus::Duplicate,
            other => {
                if other != "rejected" {
                    f.unknown(other);
                }
                PushStatus::Rejected
            }
        },
        error: f.optional("error", string),
    };
    f.done(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::tests::activity_event;
    use serde_json::json;
    use uuid::Uuid;

    fn journal_with_every_kind() -> Journal {
        let mut journal = Journal::default();
        for (n, kind) in EventKind::ALL.into_iter().enumerate() {
            let data = json!({"n": n, "list": [1, "due"], "nested": {"ok": true}});
            let mut event = activity_event(n as u128, kind, "a", "2026-11-25T10:00:00Z", data);
            if n % 2 == 0 {
                event.user_id = Some("u1".into());
                event.activity_id = None;
            }
            journal.record(event);
        }
        journal.rejected.insert(Uuid::from_u128(3), "no".into());
        journal.outbox.remove(&Uuid::from_u128(3));
        journal.cursor = 42;
        journal
    }

    #[test]
    fn a_journal_reads_back_as_it_was_stored() {
        let journal = journal_with_every_kind();
        let json = serde_json::to_string(&journal).unwrap();
        assert_eq!(serde_json::from_str::<Journal>(&json).unwrap(), journal);
        assert_eq!(
            serde_json::from_str::<EventLog>(&serde_json::to_string(&journal.log).unwrap())
                .unwrap(),
            journal.log
        );
    }

    #[test]
    fn an_older_journal_still_reads() {
        // Before rejected events and the cursor were kept, and with events without `data`.
        let old = json!({"log": {"00000000-0000-0000-0000-000000000001": {
            "id": "00000000-0000-0000-0000-000000000001", "kind": "activity_completed",
            "activity_id": "a", "at": "2026-11-25T10:00:00Z"}},
            "outbox": ["00000000-0000-0000-0000-000000000001"]});
        let journal: Journal = serde_json::from_value(old).unwrap();
        let event = journal.log.get(&Uuid::from_u128(1)).unwrap();
        assert_eq!(event.data, json!({}));
        assert_eq!(journal.pending(10).len(), 1);
        assert_eq!((journal.rejected.len(), journal.cursor), (0, 0));
    }

    #[test]
    fn unknown_event_fields_and_kinds_are_errors() {
        let mut json = serde_json::to_value(journal_with_every_kind()).unwrap();
        let first = "00000000-0000-0000-0000-000000000000";
        json["log"][first]["evil"] = json!(1);
        let message = serde_json::from_value::<Journal>(json.clone())
            .unwrap_err()
            .to_string();
        assert_eq!(message, "unknown field `evil`");
        json["log"][first].as_object_mut().unwrap().remove("evil");
        json["log"][first]["kind"] = json!("vinto");
        assert!(serde_json::from_value::<Journal>(json).is_err());
    }

    #[test]
    fn push_answers_read_with_every_status() {
        let json = json!({"results": [
            {"id": "00000000-0000-0000-0000-000000000001", "status": "accepted"},
            {"id": "00000000-0000-0000-0000-000000000002", "status": "duplicate"},
            {"id": "00000000-0000-0000-0000-000000000003", "status": "rejected", "error": "no"}],
            "cursor": 9});
        let answer: PushResponse = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(answer.results[2].status, PushStatus::Rejected);
        assert_eq!(answer.results[2].error.as_deref(), Some("no"));
        assert_eq!(serde_json::to_value(&answer).unwrap(), json);
    }
}
