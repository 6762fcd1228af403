//! The device's side of sync: its event log, the outbox of events the server has not yet
//! acknowledged, and the events the server rejected (kept and shown, never silently dropped).
//! One value, so that the app stores an action and its outbox entry in one write.

use crate::events::{Event, EventLog, Insert};
use crate::sync::{PushResult, PushStatus, StoredEvent};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Journal {
    pub log: EventLog,
    /// Ids of events not yet acknowledged by the server.
    pub outbox: BTreeSet<Uuid>,
    /// Ids of events the server refused, with its reason (absent from older journals).
    pub rejected: BTreeMap<Uuid, String>,
    /// The server's `seq` of the last event pulled and applied: the next pull starts after it.
    /// Absent from older journals.
    pub cursor: i64,
}

/// Read through `events::read`, for a smaller wasm (only the apps read journals).
impl<'de> Deserialize<'de> for Journal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::content::read::via_value(deserializer, crate::events::read::journal)
    }
}

/// What a change did to a journal, for what is kept of its log (see
/// [`crate::fold::Fold::follow`]) and to know whether it needs storing at all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changed {
    /// Events new to the log.
    pub added: Vec<Uuid>,
    /// Events of the log whose server receipt arrived.
    pub received: Vec<Uuid>,
    /// Events that left the outbox: the server holds them, or refused them (see `rejected`).
    pub sent: Vec<Uuid>,
    /// Whether the pull cursor moved.
    pub cursor: bool,
}

impl Changed {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.received.is_empty() && self.sent.is_empty() && !self.cursor
    }
}

impl Journal {
    /// Records an action of this device: into the log and the outbox.
    pub fn record(&mut self, event: Event) -> Changed {
        let mut changed = Changed::default();
        let id = event.id;
        if self.log.insert(event) == Insert::Added {
            self.outbox.insert(id);
            changed.added.push(id);
        }
        changed
    }

    /// Takes back the action `id` just recorded, when it could not be stored: as if it had never
    /// happened, so that nothing shows what the device did not keep.
    pub fn forget(&mut self, id: &Uuid) {
        if self.outbox.remove(id) {
            self.log.remove(id);
        }
    }

    /// Up to `limit` events waiting for the server, oldest id first, as they were recorded (a
    /// receipt learnt meanwhile is the server's to give, never the device's to send).
    pub fn pending(&self, limit: usize) -> Vec<Event> {
        self.outbox
            .iter()
            .filter_map(|id| self.log.get(id))
            .take(limit)
            .map(|event| {
                let mut recorded = event.clone();
                recorded.received = None;
                recorded
            })
            .collect()
    }

    /// Adds the events pulled from the server and moves the cursor past them, in one step so that
    /// the cursor is stored only together with the events it covers.
    /// An event of the outbox that comes back the same is stored on the server, whose answer to
    /// its push was lost: it leaves the outbox (sending it again would send its receipt too).
    pub fn apply_pulled(&mut self, events: Vec<StoredEvent>, cursor: i64) -> Changed {
        let mut changed = Changed::default();
        for event in events.into_iter().map(Event::from) {
            let id = event.id;
            match self.log.insert(event) {
                Insert::Added => changed.added.push(id),
                Insert::Received => changed.received.push(id),
                Insert::Duplicate => {}
                Insert::Conflict => continue,
            }
            if self.outbox.remove(&id) {
                changed.sent.push(id);
            }
        }
        changed.cursor = cursor > self.cursor;
        self.cursor = self.cursor.max(cursor);
        changed
    }

    /// Applies the server's answer: acknowledged events leave the outbox, rejected ones are set aside.
    pub fn apply(&mut self, results: &[PushResult]) -> Changed {
        let mut changed = Changed::default();
        for result in results {
            if !self.outbox.remove(&result.id) {
                continue;
            }
            changed.sent.push(result.id);
            if result.status == PushStatus::Rejected {
                let reason = result.error.clone().unwrap_or_else(|| "rejected".into());
                self.rejected.insert(result.id, reason);
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(n: u128) -> Event {
        Event::activity_completed(Uuid::from_u128(n), "a", "2026-11-25T10:00:00Z".into())
    }

    fn result(n: u128, status: PushStatus) -> PushResult {
        PushResult {
            id: Uuid::from_u128(n),
            status,
            error: None,
        }
    }

    #[test]
    fn an_action_not_stored_is_forgotten_but_not_one_the_server_sent() {
        let mut journal = Journal::default();
        journal.record(done(1));
        journal.forget(&Uuid::from_u128(1));
        assert_eq!(journal, Journal::default());
        let pulled = crate::sync::StoredEvent {
            id: Uuid::from_u128(2),
            user_id: "u1".into(),
            kind: crate::EventKind::ActivityCompleted,
            activity_id: Some("a".into()),
            at: "2026-11-25T10:00:00Z".into(),
            data: serde_json::json!({}),
            seq: 1,
            received_at: "2026-11-25T10:00:01Z".into(),
        };
        journal.apply_pulled(vec![pulled], 1);
        journal.forget(&Uuid::from_u128(2));
        assert_eq!(
            journal.log.len(),
            1,
            "only an action of this device, still in its outbox"
        );
    }

    #[test]
    fn an_action_goes_to_log_and_outbox_once() {
        let mut journal = Journal::default();
        journal.record(done(1));
        journal.record(done(1));
        assert_eq!(journal.log.len(), 1);
        assert_eq!(journal.pending(10), vec![done(1)]);
    }

    #[test]
    fn only_acknowledged_events_leave_the_outbox() {
        let mut journal = Journal::default();
        for n in 1..=4 {
            journal.record(done(n));
        }
        journal.apply(&[
            result(1, PushStatus::Accepted),
            result(2, PushStatus::Duplicate),
            result(3, PushStatus::Rejected),
        ]);
        assert_eq!(journal.pending(10), vec![done(4)]);
        assert_eq!(
            journal
                .rejected
                .get(&Uuid::from_u128(3))
                .map(String::as_str),
            Some("rejected")
        );
        assert_eq!(journal.log.len(), 4, "nothing leaves the log");
    }

    #[test]
    fn pulled_events_join_the_log_and_move_the_cursor() {
        let mut journal = Journal::default();
        let mut mine = done(1);
        mine.user_id = Some("u1".into());
        journal.record(mine.clone());
        let pulled = |n: u128, seq| StoredEvent {
            id: Uuid::from_u128(n),
            user_id: "u1".into(),
            kind: mine.kind,
            activity_id: mine.activity_id.clone(),
            at: mine.at.clone(),
            data: mine.data().clone(),
            seq,
            received_at: "2026-11-25T10:00:01Z".into(),
        };
        let waiting = done(3);
        journal.record(waiting.clone());
        journal.apply_pulled(vec![pulled(1, 4), pulled(2, 5)], 5);
        assert_eq!(journal.log.len(), 3, "our own event came back once");
        assert_eq!(journal.cursor, 5);
        assert_eq!(
            journal.pending(10),
            vec![waiting],
            "what came back is on the server (its push's answer was lost); the rest still waits"
        );
        let kept = journal.log.get(&Uuid::from_u128(1)).unwrap();
        assert_eq!(
            kept.received.as_ref().map(|r| r.seq),
            Some(4),
            "the receipt is kept"
        );
        // A receipt learnt while the event still waits is never sent: the server refuses it.
        journal.outbox.insert(Uuid::from_u128(1));
        let sent = serde_json::to_value(&journal.pending(10)[0]).unwrap();
        assert!(sent.get("received").is_none(), "{sent}");
        assert!(
            serde_json::from_value::<Event>(sent).is_ok(),
            "the server reads it"
        );
        journal.apply_pulled(vec![], 3);
        assert_eq!(journal.cursor, 5, "the cursor never goes back");
    }

    #[test]
    fn pending_respects_the_batch_limit() {
        let mut journal = Journal::default();
        for n in 1..=5 {
            journal.record(done(n));
        }
        assert_eq!(journal.pending(2).len(), 2);
    }
}
