//! The app's browser storage, tested in headless Chromium.
#![cfg(target_arch = "wasm32")]

use gloo_storage::{LocalStorage, Storage};
use officina::store;
use officina_core::Event;
use officina_core::sync::{PushResult, PushStatus};
use uuid::Uuid;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn done(activity: &str) -> Event {
    Event::activity_completed(Uuid::new_v4(), activity, "2026-11-25T10:00:00.000Z".into())
}

#[wasm_bindgen_test]
fn the_journal_survives_a_reload_with_its_outbox() {
    LocalStorage::clear();
    let mut journal = store::load_journal();
    assert!(journal.log.is_empty());
    let event = done("che-cos-e-un-orbita");
    journal.record(event.clone());
    store::save_journal(&journal).expect("storage works");

    let reloaded = store::load_journal();
    assert_eq!(reloaded, journal);
    assert_eq!(reloaded.pending(10), vec![event]);
}

#[wasm_bindgen_test]
fn acknowledged_events_leave_the_stored_outbox_rejected_ones_are_kept_aside() {
    LocalStorage::clear();
    let (accepted, rejected, waiting) = (done("a"), done("b"), done("c"));
    let mut journal = store::load_journal();
    for event in [&accepted, &rejected, &waiting] {
        journal.record(event.clone());
    }
    store::save_journal(&journal).unwrap();

    let mut journal = store::load_journal();
    journal.apply(&[
        PushResult {
            id: accepted.id,
            status: PushStatus::Accepted,
            error: None,
        },
        PushResult {
            id: rejected.id,
            status: PushStatus::Rejected,
            error: Some("unknown_activity".into()),
        },
    ]);
    store::save_journal(&journal).unwrap();

    let reloaded = store::load_journal();
    assert_eq!(reloaded.pending(10), vec![waiting]);
    assert_eq!(
        reloaded.rejected.get(&rejected.id).map(String::as_str),
        Some("unknown_activity")
    );
    assert_eq!(reloaded.log.len(), 3, "the log keeps every event");
}

#[wasm_bindgen_test]
fn an_unreadable_journal_is_set_aside_not_overwritten() {
    LocalStorage::clear();
    let raw = LocalStorage::raw();
    raw.set_item("officina.journal", "{non è json").unwrap();
    let journal = store::load_journal();
    assert!(journal.log.is_empty());
    assert_eq!(
        raw.get_item("officina.journal.unreadable")
            .unwrap()
            .as_deref(),
        Some("{non è json")
    );
}

#[wasm_bindgen_test]
fn the_device_id_is_made_once() {
    LocalStorage::clear();
    let first = store::device_id();
    assert_eq!(store::device_id(), first);
    LocalStorage::clear();
    assert_ne!(store::device_id(), first);
}

#[wasm_bindgen_test]
fn sizes_read_the_italian_way() {
    assert_eq!(officina::pwa::human_size(0.0), "0,0 KB");
    assert_eq!(officina::pwa::human_size(1_234_567.0), "1,2 MB");
    assert_eq!(officina::pwa::human_size(999_949.0), "999,9 KB");
    assert_eq!(officina::pwa::human_size(300_000_000_000.0), "300,0 GB");
}

/// Same files as core/tests/parity.rs: the phone computes the report the server computes.
#[wasm_bindgen_test]
fn progress_and_badges_match_the_native_report() {
    use officina_core::report::{ProgressReport, report};
    use officina_core::{Bundle, EventLog};
    let bundle: Bundle =
        serde_json::from_str(include_str!("../core/tests/fixtures/parity-bundle.json")).unwrap();
    let events: Vec<Event> =
        serde_json::from_str(include_str!("../core/tests/fixtures/parity-log.json")).unwrap();
    let mut log = EventLog::default();
    log.merge(events);
    let expected: ProgressReport =
        serde_json::from_str(include_str!("../core/tests/fixtures/parity-report.json")).unwrap();
    assert_eq!(report(&bundle, &log), expected);
}
