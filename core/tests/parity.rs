//! The progress report of a fixed log, against the expected report committed beside it. The app's
//! wasm tests (tests/browser.rs) check the same files in Chromium: both passing proves the phone
//! and the server compute the same progress and badges.

use officina_core::fold::Fold;
use officina_core::report::{ProgressReport, report};
use officina_core::rules::{Judged, judge};
use officina_core::{Bundle, Event, EventLog};

#[test]
fn the_fixture_log_gives_the_expected_report() {
    let bundle: Bundle = serde_json::from_str(include_str!("fixtures/parity-bundle.json")).unwrap();
    let events: Vec<Event> =
        serde_json::from_str(include_str!("fixtures/parity-log.json")).unwrap();
    for event in &events {
        // Every event is one a device may record: the report is not made of refused ones.
        assert_eq!(judge(event, &bundle).err(), None, "{event:?}");
    }
    let mut log = EventLog::default();
    log.merge(events);
    let expected: ProgressReport =
        serde_json::from_str(include_str!("fixtures/parity-report.json")).unwrap();
    let fold = Fold::of(&Judged::of(&log, &bundle));
    assert_eq!(report(&bundle, &fold), expected);
}
