//! Reading what only the apps read: the journal stored on the device and the sync answers. As
//! with the bundle (see `content::read`), through a `serde_json::Value` and plain functions, for a
//! smaller wasm. The server reads pushed events with `Event`'s derived, strict reader.

use super::{Event, EventKind, EventLog};
use crate::content::read::{
    Object, Read, field, integer, list, name, object, optional, string, unknown, uuid,
};
use crate::outbox::Journal;
use crate::sync::{PullResponse, PushResponse, PushResult, PushStatus, StoredEvent};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) fn journal(value: Value) -> Read<Journal> {
    let mut o = object(value)?;
    // Inserted one by one: collecting into a set or map would compile in a sort.
    let mut outbox = BTreeSet::new();
    for id in list(field(&mut o, "outbox")?, uuid)? {
        outbox.insert(id);
    }
    let mut rejected = BTreeMap::new();
    for (id, reason) in optional(&mut o, "rejected", object)?.unwrap_or_default() {
        rejected.insert(uuid(Value::String(id))?, string(reason)?);
    }
    Ok(Journal {
        log: event_log(field(&mut o, "log")?)?,
        outbox,
        rejected,
        cursor: optional(&mut o, "cursor", integer)?.unwrap_or(0),
    })
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
    let mut o = object(value)?;
    let event = Event {
        id: uuid(field(&mut o, "id")?)?,
        user_id: optional(&mut o, "user_id", string)?,
        kind: kind(field(&mut o, "kind")?)?,
        activity_id: optional(&mut o, "activity_id", string)?,
        at: string(field(&mut o, "at")?)?,
        data: o.remove("data").unwrap_or_else(super::empty_object),
    };
    only_known(&o)?;
    Ok(event)
}

/// Like `Event`'s `deny_unknown_fields`.
fn only_known(o: &Object) -> Read<()> {
    match o.keys().next() {
        Some(key) => Err(format!("unknown field `{key}`")),
        None => Ok(()),
    }
}

fn kind(value: Value) -> Read<EventKind> {
    let name = name(value)?;
    EventKind::ALL
        .into_iter()
        .find(|kind| kind.as_str() == name)
        .ok_or_else(|| unknown(&name))
}

pub(crate) fn pull_response(value: Value) -> Read<PullResponse> {
    let mut o = object(value)?;
    Ok(PullResponse {
        events: list(field(&mut o, "events")?, stored_event)?,
        cursor: integer(field(&mut o, "cursor")?)?,
        more: field(&mut o, "more")?
            .as_bool()
            .ok_or("`more` is not a boolean")?,
    })
}

fn stored_event(value: Value) -> Read<StoredEvent> {
    let mut o = object(value)?;
    Ok(StoredEvent {
        id: uuid(field(&mut o, "id")?)?,
        user_id: string(field(&mut o, "user_id")?)?,
        kind: kind(field(&mut o, "kind")?)?,
        activity_id: optional(&mut o, "activity_id", string)?,
        at: string(field(&mut o, "at")?)?,
        data: field(&mut o, "data")?,
        seq: integer(field(&mut o, "seq")?)?,
        received_at: string(field(&mut o, "received_at")?)?,
    })
}

pub(crate) fn push_response(value: Value) -> Read<PushResponse> {
    let mut o = object(value)?;
    Ok(PushResponse {
        results: list(field(&mut o, "results")?, push_result)?,
        cursor: integer(field(&mut o, "cursor")?)?,
    })
}

fn push_result(value: Value) -> Read<PushResult> {
    let mut o = object(value)?;
    Ok(PushResult {
        id: uuid(field(&mut o, "id")?)?,
        status: match name(field(&mut o, "status")?)?.as_str() {
            "accepted" => PushStatus::Accepted,
            "duplicate" => PushStatus::Duplicate,
            "rejected" => PushStatus::Rejected,
            other => return Err(unknown(other)),
        },
        error: optional(&mut o, "error", string)?,
    })
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
