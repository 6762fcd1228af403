//! The merge converges: whatever order events reach a replica in, however often, and however the
//! devices' logs are interleaved, every replica ends with the same set and the same progress.
//! (Two different events under one id never reach a replica: the server refuses the second as
//! `id_conflict`, so the properties draw distinct ids.)

use officina_core::progress::Progress;
use officina_core::{Bundle, Event, EventKind, EventLog};
use proptest::prelude::*;
use serde_json::json;
use uuid::Uuid;

const ACTIVITIES: [&str; 4] = ["lezione", "quiz", "sfida", "famiglia"];

/// One activity of each kind (the quiz: one question, 2 + 2) and the badge awarded by hand.
fn bundle() -> Bundle {
    let it = |text: &str| json!({"it": text});
    let activity = |id: &str, kind: &str| json!({"id": id, "title": it(id), "body_html": it("<p>x</p>"), "kind": kind});
    let mut quiz = activity("quiz", "quiz");
    quiz["pass_mark"] = json!(100);
    quiz["questions"] = json!([{"type": "number", "prompt": it("2 + 2?"), "answer": 4.0}]);
    let mut challenge = activity("sfida", "challenge");
    challenge["evidence"] = json!(["text"]);
    challenge["steps"] = json!([it("Fallo.")]);
    serde_json::from_value(json!({
        "content_version": "v1",
        "paths": [{"id": "p", "title": it("P"), "summary": it("P"), "audience": "learners",
            "edition": "2026", "modules": [{"id": "m", "title": it("M"), "activities": [
                activity("lezione", "lesson"), quiz, challenge, activity("famiglia", "family_task"),
            ]}]}],
        "badges": [{"id": "b1", "name": it("B"), "description": it("B"), "image": "/b.svg",
            "criteria": {"type": "awarded"}}],
    }))
    .unwrap()
}

/// One event's content, with its id assigned from its position so ids are distinct.
fn event_at(index: usize) -> impl Strategy<Value = Event> {
    (
        0..5usize,
        0..ACTIVITIES.len(),
        0..3000u32,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(kind, activity, minutes, passed, parent)| {
            let (kind, data) = match kind {
                0 => (EventKind::ActivityCompleted, json!({})),
                1 => (
                    EventKind::QuizSubmitted,
                    match passed {
                        true => json!({"answers": [4], "score": 100, "passed": true}),
                        false => json!({"answers": [5], "score": 0, "passed": false}),
                    },
                ),
                2 => (EventKind::ChallengeSubmitted, json!({"text": "fatto"})),
                3 => (
                    EventKind::FamilyTaskConfirmed,
                    json!({"role": if parent { "parent" } else { "child" }}),
                ),
                _ => (EventKind::BadgeAwarded, json!({"badge_id": "b1"})),
            };
            // Clocks skewed by days: `at` spans two days, and several events share a minute.
            let at = format!(
                "2026-11-{:02}T{:02}:{:02}:00Z",
                24 + minutes / 1440,
                minutes % 1440 / 60,
                minutes % 60
            );
            // An award is about no activity.
            let activity = (kind != EventKind::BadgeAwarded).then_some(ACTIVITIES[activity]);
            let id = Uuid::from_u128(index as u128 + 1);
            let mut event = Event::with_data(id, kind, activity, at, data);
            event.user_id = Some("u1".into());
            event
        })
}

fn events() -> impl Strategy<Value = Vec<Event>> {
    (1..40usize).prop_flat_map(|n| (0..n).map(event_at).collect::<Vec<_>>())
}

/// A delivery order: every event at least once, some again, all shuffled.
fn delivery(n: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..n, 0..2 * n).prop_flat_map(move |extra| {
        let mut order: Vec<usize> = (0..n).collect();
        order.extend(extra);
        Just(order).prop_shuffle()
    })
}

fn scenario() -> impl Strategy<Value = (Vec<Event>, Vec<Vec<usize>>, Vec<usize>)> {
    events().prop_flat_map(|events| {
        let n = events.len();
        let replicas = prop::collection::vec(delivery(n), 2..5);
        // Which of three devices recorded each event.
        let owners = prop::collection::vec(0..3usize, n);
        (Just(events), replicas, owners)
    })
}

fn reference(events: &[Event]) -> EventLog {
    let mut log = EventLog::default();
    log.merge(events.iter().cloned());
    log
}

proptest! {
    #[test]
    fn every_delivery_order_converges((events, replicas, _) in scenario()) {
        let bundle = bundle();
        let expected = reference(&events);
        let expected_progress = Progress::from_log(&expected, &bundle);
        for order in replicas {
            let mut replica = EventLog::default();
            replica.merge(order.iter().map(|&i| events[i].clone()));
            prop_assert_eq!(replica.len(), events.len(), "each event exactly once");
            prop_assert_eq!(Progress::from_log(&replica, &bundle), expected_progress.clone());
            prop_assert_eq!(replica, expected.clone());
        }
    }

    #[test]
    fn merging_device_logs_in_any_interleaving_converges((events, replicas, owners) in scenario()) {
        let mut devices = vec![EventLog::default(); 3];
        for (event, &owner) in events.iter().zip(&owners) {
            devices[owner].insert(event.clone());
        }
        let bundle = bundle();
        let expected = reference(&events);
        // Each replica takes whole device logs and single events, in its own order, repeatedly.
        for order in replicas {
            let mut replica = EventLog::default();
            for &i in &order {
                replica.merge(devices[owners[i]].iter().cloned());
                replica.insert(events[i].clone());
                // Devices sync too: each pulls what the replica has.
                devices[i % 3].merge(replica.iter().cloned());
            }
            prop_assert_eq!(&replica, &expected);
            prop_assert_eq!(
                Progress::from_log(&replica, &bundle),
                Progress::from_log(&expected, &bundle)
            );
        }
    }
}
