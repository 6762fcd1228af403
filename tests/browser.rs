//! The app's browser storage, tested in headless Chromium.
#![cfg(target_arch = "wasm32")]

use gloo_storage::{LocalStorage, Storage};
use officina::state::NotRecorded;
use officina::{store, stored_journal};
use officina_core::Event;
use officina_core::sync::{PushResult, PushStatus};
use uuid::Uuid;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn done(activity: &str) -> Event {
    Event::activity_completed(Uuid::new_v4(), activity, "2026-11-25T10:00:00.000Z".into())
}

fn save(journal: &officina_core::outbox::Journal) -> Result<bool, String> {
    let ids: Vec<Uuid> = journal.log.iter().map(|event| event.id).collect();
    stored_journal::open("v1 u1", &mut Default::default());
    stored_journal::save(&mut journal.clone(), &ids, &Default::default(), "v1 u1")
}

#[wasm_bindgen_test]
fn the_journal_survives_a_reload_with_its_outbox() {
    LocalStorage::clear();
    let mut journal = store::load_journal();
    assert!(journal.log.is_empty());
    let event = done("che-cos-e-un-orbita");
    journal.record(event.clone());
    save(&journal).expect("storage works");

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
    save(&journal).unwrap();

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
    save(&journal).unwrap();

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
    use officina_core::fold::Fold;
    use officina_core::report::{ProgressReport, report};
    use officina_core::rules::Judged;
    use officina_core::{Bundle, EventLog};
    let bundle: Bundle =
        serde_json::from_str(include_str!("../core/tests/fixtures/parity-bundle.json")).unwrap();
    let events: Vec<Event> =
        serde_json::from_str(include_str!("../core/tests/fixtures/parity-log.json")).unwrap();
    let mut log = EventLog::default();
    log.merge(events);
    let expected: ProgressReport =
        serde_json::from_str(include_str!("../core/tests/fixtures/parity-report.json")).unwrap();
    let fold = Fold::of(&Judged::of(&log, &bundle));
    assert_eq!(report(&bundle, &fold), expected);
}

/// The app checks an event by core's rules before it records it: what the server would refuse
/// never reaches the outbox, so the phone never shows credit the server will not give.
#[wasm_bindgen_test]
fn a_forged_event_recorded_through_the_app_is_refused_before_the_outbox() {
    use leptos::prelude::WithUntracked;
    use officina::state::AppState;
    use officina_core::payload::{Attempt, Payload};
    use officina_core::rules::Rejection;
    LocalStorage::clear();
    store::save_content(include_str!("../core/tests/fixtures/parity-bundle.json")).unwrap();
    let state = AppState::from_storage();
    assert_eq!(
        state.record("demo-quiz", &Payload::Completed),
        Err(NotRecorded::Refused(Rejection::WrongKind)),
        "a quiz is done only by its answers"
    );
    assert_eq!(
        state.record("demo-sfida", &Payload::Completed),
        Err(NotRecorded::Refused(Rejection::WrongKind)),
        "a challenge only by its submission"
    );
    let forged = Payload::Quiz(Attempt {
        answers: vec![],
        score: 100,
        passed: true,
    });
    assert_eq!(
        state.record("demo-quiz", &forged),
        Err(NotRecorded::Refused(Rejection::ScoreMismatch))
    );
    assert!(
        state
            .journal
            .with_untracked(|j| j.log.is_empty() && j.outbox.is_empty())
    );
    assert!(
        store::load_journal().outbox.is_empty(),
        "nothing stored either"
    );
}

/// The fold the app keeps follows its journal through actions, acks and pulls as the fold of
/// the whole log would; a pull that brings nothing is not even stored.
#[wasm_bindgen_test]
fn the_kept_fold_is_the_fold_of_the_whole_journal() {
    use leptos::prelude::{GetUntracked, Update, WithUntracked};
    use officina::state::AppState;
    use officina_core::Bundle;
    use officina_core::fold::Fold;
    use officina_core::payload::{Payload, Review, Submission, Verdict};
    use officina_core::rules::Judged;
    LocalStorage::clear();
    let json = include_str!("../core/tests/fixtures/parity-bundle.json");
    store::save_content(json).unwrap();
    let bundle: Bundle = serde_json::from_str(json).unwrap();
    let state = AppState::from_storage();
    let same_as_whole = |step: &str| {
        let whole = state
            .journal
            .with_untracked(|j| Fold::of(&Judged::of(&j.log, &bundle)));
        assert_eq!(state.fold.get_untracked(), whole, "after {step}");
    };
    state.record("demo-lezione", &Payload::Completed).unwrap();
    let submission = Payload::Submission(Submission {
        text: "Fatto".into(),
        photos: vec![],
    });
    state.record("demo-sfida", &submission).unwrap();
    same_as_whole("two actions");
    // As when the person joins: their work becomes theirs, as the server will send it back.
    state.journal.update(|j| j.log.assign_owner("u1"));
    state.refold();
    same_as_whole("joining");
    let recorded: Vec<Event> = state
        .journal
        .with_untracked(|j| j.log.iter().cloned().collect());
    let acks = recorded.iter().map(|e| PushResult {
        id: e.id,
        status: PushStatus::Accepted,
        error: None,
    });
    let acks: Vec<_> = acks.collect();
    state.change_journal(|j| j.apply(&acks));
    same_as_whole("the acks");
    let review = Payload::Review(Review {
        verdict: Verdict::Approved,
        comment: Some("Bravo".into()),
    });
    let review = Event::new(
        Uuid::new_v4(),
        Some("demo-sfida"),
        "2030-01-02T10:00:00Z".into(),
        &review,
    );
    // Both came back, the submission before the educator approved it: approved, not waiting.
    let mut page: Vec<_> = recorded
        .iter()
        .zip(1..)
        .map(|(e, seq)| stored(e, seq, &e.at))
        .collect();
    page.push(stored(&review, 3, "2030-01-02T10:00:01Z"));
    state.change_journal(|j| j.apply_pulled(page, 3));
    same_as_whole("a pull");
    let approved = state
        .fold
        .with_untracked(|fold| fold.challenge_of("demo-sfida").map(|latest| latest.state()));
    assert_eq!(approved, Some(officina_core::challenge::State::Approved));

    LocalStorage::raw()
        .set_item("officina.journal", "untouched")
        .unwrap();
    let nothing = state.change_journal(|j| j.apply_pulled(vec![], 3));
    assert!(nothing.is_empty());
    assert_eq!(
        LocalStorage::raw()
            .get_item("officina.journal")
            .unwrap()
            .as_deref(),
        Some("untouched"),
        "a pull that brought nothing is not written"
    );
}

/// `event` as the server hands it back to its author: its `seq`-th, received at `received_at`.
fn stored(event: &Event, seq: i64, received_at: &str) -> officina_core::sync::StoredEvent {
    officina_core::sync::StoredEvent {
        id: event.id,
        user_id: "u1".into(),
        kind: event.kind,
        activity_id: event.activity_id.clone(),
        at: event.at.clone(),
        data: event.data().clone(),
        seq,
        received_at: received_at.into(),
    }
}

/// Waits for the tasks queued before this one (a timer's).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().unwrap();
        window.set_timeout_with_callback(&resolve).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// With a long history, an action rewrites only the journal's head; the next visit folds the
/// head alone as the whole log, then merges the sealed keys after the first paint.
#[wasm_bindgen_test]
async fn a_long_journal_is_sealed_away_and_the_next_visit_starts_from_its_head() {
    use leptos::prelude::{GetUntracked, WithUntracked};
    use officina::state::AppState;
    use officina_core::Bundle;
    use officina_core::fold::Fold;
    use officina_core::payload::Payload;
    use officina_core::rules::Judged;
    use officina_core::sync::StoredEvent;
    LocalStorage::clear();
    let json = include_str!("../core/tests/fixtures/parity-bundle.json");
    store::save_content(json).unwrap();
    let bundle: Bundle = serde_json::from_str(json).unwrap();
    let first = AppState::from_storage();
    // 1 200 lessons done on other devices, a minute apart over three weeks, then one here.
    let pulled: Vec<StoredEvent> = (0..1200_i64)
        .map(|n| {
            let at = format!(
                "2026-11-{:02}T{:02}:{:02}:00Z",
                2 + n / 60,
                8 + n % 60 / 10,
                n % 10
            );
            let event = Event::activity_completed(Uuid::new_v4(), "demo-lezione", at.clone());
            stored(&event, n + 1, &at)
        })
        .collect();
    first.change_journal(|j| j.apply_pulled(pulled, 1200));
    first.record("demo-lezione", &Payload::Completed).unwrap();
    let whole = first.journal.get_untracked();
    let action = whole.outbox.first().unwrap().to_string();
    let stored = |key: &str| {
        LocalStorage::raw()
            .get_item(key)
            .unwrap()
            .unwrap_or_default()
    };
    assert!(
        !stored("officina.journal").contains(&action),
        "a tap does not rewrite the head"
    );
    assert!(stored("officina.journal.recent").contains(&action));
    let sealed = LocalStorage::raw()
        .get_item("officina.journal.sealed")
        .unwrap();
    assert_eq!(
        sealed.as_deref(),
        Some("8"),
        "1 200 received events: 8 keys of 128 sealed"
    );

    let next = AppState::from_storage();
    let head = next.journal.with_untracked(|j| j.log.len());
    assert!(
        head < 300,
        "the next visit reads {head} of {} events",
        whole.log.len()
    );
    let fold_of =
        |journal: &officina_core::outbox::Journal| Fold::of(&Judged::of(&journal.log, &bundle));
    assert_eq!(
        next.fold.get_untracked(),
        fold_of(&whole),
        "the head folds as the whole log"
    );
    assert_eq!(next.pending_count_untracked(), 1);

    next.merge_sealed();
    while !stored_journal::complete() {
        next_task().await;
    }
    assert_eq!(
        next.journal.get_untracked(),
        whole,
        "merged, the journal is whole again"
    );
    assert_eq!(next.fold.get_untracked(), fold_of(&whole));
    // A new programme: folded again over the whole log, and stored for it at once, so the next
    // visit can start from the head again.
    let mut changed = bundle.clone();
    changed.content_version = "v2".into();
    next.set_content(changed);
    assert!(
        !stored_journal::open("another programme", &mut store::load_journal()),
        "another basis reads every key first"
    );
    assert!(
        stored_journal::open("v2 ", &mut store::load_journal()),
        "the head is stored for the new programme"
    );
    assert!(
        !stored_journal::open("v2 ", &mut Default::default()),
        "a head that could not be read is not folded alone"
    );
}

/// A device that does not sync (not joined, or offline) keeps its actions in the head once the
/// `recent` key holds 32 of them, so a tap never rewrites an ever longer key; none is lost.
#[wasm_bindgen_test]
fn actions_on_a_device_that_does_not_sync_move_to_the_head_and_none_is_lost() {
    use leptos::prelude::GetUntracked;
    use officina::state::AppState;
    use officina_core::payload::Payload;
    LocalStorage::clear();
    let json = include_str!("../core/tests/fixtures/parity-bundle.json");
    store::save_content(json).unwrap();
    let state = AppState::from_storage();
    for _ in 0..40 {
        state.record("demo-lezione", &Payload::Completed).unwrap();
    }
    let recent: officina_core::outbox::Journal =
        LocalStorage::get("officina.journal.recent").unwrap();
    assert!(
        recent.outbox.len() < 32,
        "{} actions in the recent key",
        recent.outbox.len()
    );
    let again = AppState::from_storage();
    assert_eq!(again.pending_count_untracked(), 40);
    assert_eq!(again.journal.get_untracked(), state.journal.get_untracked());
}

/// A first visit writes no journal before there is something in it (its start is the one a slow
/// phone feels most); the first action is stored, and the next visit has it.
#[wasm_bindgen_test]
fn a_first_visit_stores_no_journal_until_the_first_action() {
    use officina::state::AppState;
    use officina_core::payload::Payload;
    LocalStorage::clear();
    store::save_content(include_str!("../core/tests/fixtures/parity-bundle.json")).unwrap();
    let state = AppState::from_storage();
    for key in [
        "officina.journal",
        "officina.journal.basis",
        "officina.journal.recent",
    ] {
        assert!(
            store::stored_text(key).is_none(),
            "{key} written on a first visit"
        );
    }
    state.record("demo-lezione", &Payload::Completed).unwrap();
    assert_eq!(AppState::from_storage().pending_count_untracked(), 1);
}

// A camera-sized picture, as a JPEG with an APP1 Exif segment carrying a GPS note, and what the
// browser decodes a JPEG to. Test helpers only: the app's own code is in public/photos.js.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export async function cameraJpeg(width, height, noisy) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  const gradient = g.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, '#0b5394');
  gradient.addColorStop(1, '#f1c232');
  g.fillStyle = gradient;
  g.fillRect(0, 0, width, height);
  if (noisy) {
    const pixels = g.getImageData(0, 0, width, height);
    for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = Math.random() * 256;
    g.putImageData(pixels, 0, 0);
  }
  const jpeg = new Uint8Array(await (await new Promise((done) => canvas.toBlob(done, 'image/jpeg', 0.95))).arrayBuffer());
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, ...new TextEncoder().encode('GPS 40.35N 18.17E')];
  const body = [...new TextEncoder().encode('Exif'), 0, 0, ...tiff];
  const app1 = [0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  return new Blob([jpeg.slice(0, 2), new Uint8Array(app1), jpeg.slice(2)], { type: 'image/jpeg' });
}
export function runScript(text) {
  const script = document.createElement('script');
  script.textContent = text;
  document.head.append(script);
}
export async function decodedSize(blob) {
  const bitmap = await createImageBitmap(blob);
  return [bitmap.width, bitmap.height];
}
export async function bytesOf(blob) {
  return new Uint8Array(await blob.arrayBuffer());
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = cameraJpeg)]
    async fn camera_jpeg(width: u32, height: u32, noisy: bool) -> wasm_bindgen::JsValue;
    #[wasm_bindgen(js_name = runScript)]
    fn run_script(text: &str);
    #[wasm_bindgen(js_name = decodedSize)]
    async fn decoded_size(blob: &web_sys::Blob) -> wasm_bindgen::JsValue;
    #[wasm_bindgen(js_name = bytesOf)]
    async fn bytes_of(blob: &web_sys::Blob) -> wasm_bindgen::JsValue;
}

async fn blob_bytes(blob: &web_sys::Blob) -> Vec<u8> {
    js_sys::Uint8Array::from(bytes_of(blob).await).to_vec()
}

/// The JPEG segments before the image data: an APP1 (0xE1) segment is where EXIF lives.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], [0xff, 0xd8], "a JPEG starts with SOI");
    let (mut at, mut markers) = (2, Vec::new());
    while at + 4 <= bytes.len() && bytes[at] == 0xff && bytes[at + 1] != 0xda {
        markers.push(bytes[at + 1]);
        at += 2 + usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
    }
    markers
}

async fn shrunk(width: u32, height: u32, noisy: bool) -> (Vec<u8>, Vec<u32>) {
    use wasm_bindgen::JsCast;
    // The page loads it with a script tag; the test page has none.
    run_script(include_str!("../public/photos.js"));
    let original: web_sys::Blob = camera_jpeg(width, height, noisy).await.unchecked_into();
    let original_bytes = blob_bytes(&original).await;
    assert!(
        jpeg_markers(&original_bytes).contains(&0xe1),
        "the test picture carries EXIF"
    );
    let small = officina::photos::shrink(&original)
        .await
        .expect("a JPEG can be shrunk");
    assert_eq!(small.type_(), "image/jpeg");
    let size: js_sys::Array = decoded_size(&small).await.unchecked_into();
    let size = size.iter().map(|n| n.as_f64().unwrap() as u32).collect();
    (blob_bytes(&small).await, size)
}

#[wasm_bindgen_test]
async fn a_camera_photo_is_shrunk_to_1280_px_under_300_kb_without_its_exif() {
    let (bytes, size) = shrunk(4000, 3000, false).await;
    assert_eq!(
        size,
        [1280, 960],
        "the longest side becomes 1280 px, proportions kept"
    );
    assert!(bytes.len() < 300 * 1024, "{} bytes", bytes.len());
    assert!(
        !jpeg_markers(&bytes).contains(&0xe1),
        "no APP1 segment left"
    );
    let gps = b"GPS 40.35N";
    assert!(!bytes.windows(gps.len()).any(|w| w == gps));
    assert!(!bytes.windows(4).any(|w| w == b"Exif"));
}

#[wasm_bindgen_test]
async fn a_photo_too_detailed_for_300_kb_at_1280_px_is_made_smaller_still() {
    let (bytes, size) = shrunk(1280, 960, true).await;
    assert!(bytes.len() < 300 * 1024, "{} bytes", bytes.len());
    assert!(size[0] < 1280, "{size:?}");
    assert!(
        (size[0] * 3).abs_diff(size[1] * 4) <= 4,
        "proportions kept: {size:?}"
    );
    assert!(!jpeg_markers(&bytes).contains(&0xe1));
}

// A stand-in for the server's photo upload endpoints, in place of `fetch`: it holds what it was
// sent of each photo, answers a wrong offset with 409 and where it is, refuses other tokens (401)
// and the photos listed in `refused`, and from its `offlineAfter`-th request on fails like a lost
// connection.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function fakeUploads(token, offlineAfter) {
  const server = { held: new Map(), requests: [], refused: [], offlineAfter };
  const answer = (status, body) => new Response(JSON.stringify(body), { status });
  self.fetch = async (path, init = {}) => {
    const method = init.method ?? 'GET';
    server.requests.push(`${method} ${path}`);
    if (server.requests.length > server.offlineAfter) throw new TypeError('Failed to fetch');
    if (init.headers?.Authorization !== `Bearer ${token}`) return answer(401, { error: { code: 'unauthorized', message: 'Accedi di nuovo.' } });
    const id = path.split('/')[3];
    if (server.refused.includes(id)) return answer(422, { error: { code: 'not_a_photo', message: 'Non è una foto.' } });
    const held = server.held.get(id) ?? { received: 0, done: false };
    if (method === 'GET') return answer(200, held);
    const query = new URL(path, location.href).searchParams;
    const [offset, total] = [Number(query.get('offset')), Number(query.get('total'))];
    if (offset !== held.received) return answer(409, { error: { code: 'wrong_offset', message: '' }, ...held });
    const received = offset + init.body.size;
    server.held.set(id, { received, done: received === total });
    return answer(200, server.held.get(id));
  };
  return server;
}
export function requests(server) { return server.requests.splice(0); }
export function goOnline(server) { server.offlineAfter = Infinity; }
export function refuse(server, id) { server.refused.push(id); }
"#)]
extern "C" {
    type FakeServer;
    #[wasm_bindgen(js_name = fakeUploads)]
    fn fake_uploads(token: &str, offline_after: f64) -> FakeServer;
    fn requests(server: &FakeServer) -> Vec<String>;
    #[wasm_bindgen(js_name = goOnline)]
    fn go_online(server: &FakeServer);
    fn refuse(server: &FakeServer, id: &str);
}

/// A photo picked and kept on the device, as the challenge form does it: its id.
async fn kept_photo(width: u32, height: u32, noisy: bool) -> String {
    use wasm_bindgen::JsCast;
    run_script(include_str!("../public/photos.js"));
    let original: web_sys::Blob = camera_jpeg(width, height, noisy).await.unchecked_into();
    let url = officina::photos::pick(&original)
        .await
        .expect("a JPEG can be picked");
    let id = Uuid::new_v4().to_string();
    officina::photos::keep(&id, &url)
        .await
        .expect("IndexedDB works");
    id
}

/// Uploads `ids` with `token`: the outcome, and each progress report.
async fn upload_round(
    token: &str,
    ids: &[&String],
) -> (
    Result<(), officina::api::ApiError>,
    Vec<(String, officina::photos::Upload)>,
) {
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let log = seen.clone();
    let ids = ids.iter().map(|id| id.to_string()).collect();
    let outcome = officina::photos::upload(token, ids, move |id, upload| {
        log.borrow_mut().push((id.to_owned(), upload));
    })
    .await;
    let seen = seen.borrow().clone();
    (outcome, seen)
}

#[wasm_bindgen_test]
async fn a_photo_is_uploaded_in_chunks_and_resumes_where_the_connection_was_lost() {
    use officina::photos::{Upload, saved};
    let id = kept_photo(1280, 960, true).await;
    let total = saved(&id).await.unwrap().blob.size() as u64;
    assert!(
        total > 2 * 64 * 1024,
        "three chunks at least: {total} bytes"
    );
    let put = |offset: u64| format!("PUT /api/photos/{id}/upload?offset={offset}&total={total}");
    let get = format!("GET /api/photos/{id}/upload");
    let server = fake_uploads("t0k3n", 2.0);

    let (outcome, seen) = upload_round("t0k3n", &[&id]).await;
    assert!(matches!(outcome, Err(officina::api::ApiError::Network(_))));
    assert_eq!(requests(&server), [get.clone(), put(0), put(65536)]);
    let halfway = Upload::of(65536, total, false);
    assert_eq!(seen, [(id.clone(), Upload::Saved), (id.clone(), halfway)]);
    let stored = saved(&id).await.unwrap();
    assert_eq!((stored.received, stored.done), (65536, false));

    go_online(&server);
    let (outcome, seen) = upload_round("t0k3n", &[&id]).await;
    assert!(outcome.is_ok());
    let sent = requests(&server);
    assert_eq!(sent[..2], [get, put(65536)], "resumed, not restarted");
    assert!(sent[1..].iter().all(|r| r.starts_with("PUT")));
    assert_eq!(seen[0], (id.clone(), halfway));
    assert_eq!(seen.last(), Some(&(id.clone(), Upload::Sent)));
    let stored = saved(&id).await.unwrap();
    assert_eq!((stored.received, stored.done), (total, true));

    let (outcome, seen) = upload_round("t0k3n", &[&id]).await;
    assert!(outcome.is_ok());
    assert!(
        requests(&server).is_empty(),
        "a photo done is never sent again"
    );
    assert_eq!(seen, [(id, Upload::Sent)]);
}

#[wasm_bindgen_test]
async fn a_refused_photo_is_skipped_but_a_refused_token_stops_the_round() {
    use officina::photos::{Upload, saved};
    let (refused, accepted) = (
        kept_photo(400, 300, false).await,
        kept_photo(400, 300, false).await,
    );
    let server = fake_uploads("t0k3n", f64::INFINITY);
    refuse(&server, &refused);

    let (outcome, seen) = upload_round("another", &[&refused, &accepted]).await;
    assert!(outcome.is_err_and(|err| err.is_unauthorized()));
    assert_eq!(
        requests(&server).len(),
        1,
        "the round stops at the first 401"
    );
    assert!(seen.is_empty());

    let (outcome, seen) = upload_round("t0k3n", &[&refused, &accepted]).await;
    assert!(outcome.is_ok());
    assert_eq!(seen.last(), Some(&(accepted.clone(), Upload::Sent)));
    assert!(!saved(&refused).await.unwrap().done);
    assert!(saved(&accepted).await.unwrap().done);
}

#[wasm_bindgen_test]
fn numbers_are_read_as_typed_on_an_italian_keyboard_by_the_browser() {
    use officina::i18n::typed_number;
    assert_eq!(typed_number(" 7,9 "), Some(7.9));
    assert_eq!(typed_number("28 000"), Some(28000.0));
    assert_eq!(typed_number("-1,5e3"), Some(-1500.0));
    for not_a_number in ["tanti", "1.2.3", "-", ".", "", "0x10", "Infinity", "1e999"] {
        assert_eq!(typed_number(not_a_number), None, "{not_a_number}");
    }
}

/// The sync that failed because the phone was offline runs once more if the network came back
/// meanwhile; two requests during a run make one more run, and a refused token stops for good.
#[wasm_bindgen_test]
async fn work_asked_for_during_a_failing_run_runs_once_more_after_it() {
    use officina::one_at_a_time::OneAtATime;
    use std::cell::Cell;
    use std::ops::ControlFlow;
    use std::pin::Pin;
    use std::rc::Rc;
    thread_local! {
        static WORK: OneAtATime = const { OneAtATime::new() };
    }

    let runs = Rc::new(Cell::new(0));
    let job = |stop: bool| {
        let runs = runs.clone();
        move || {
            let runs = runs.clone();
            Box::pin(async move {
                runs.set(runs.get() + 1);
                next_task().await;
                if stop {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            }) as Pin<Box<dyn Future<Output = _>>>
        }
    };
    let (go, stop) = (job(false), job(true));
    let first = OneAtATime::run(&WORK, &go);
    let asked = async {
        OneAtATime::run(&WORK, &go).await;
        OneAtATime::run(&WORK, &go).await;
    };
    futures::future::join(first, asked).await;
    assert_eq!(runs.get(), 2, "the run, then one more for both requests");

    let stopped = OneAtATime::run(&WORK, &stop);
    futures::future::join(stopped, OneAtATime::run(&WORK, &go)).await;
    assert_eq!(
        runs.get(),
        3,
        "a stop is not followed by the run asked for meanwhile"
    );
    OneAtATime::run(&WORK, &go).await;
    assert_eq!(runs.get(), 4, "after a stop, the next request runs");
}
