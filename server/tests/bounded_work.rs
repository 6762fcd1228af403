//! Bounded expensive work (issue 14): Argon2 two hashes at a time, the others waiting a while and
//! then hearing 503 `busy` (which is no failed attempt); images whose header is too large refused
//! before decoding; connections that send no headers closed. Memory is measured from outside the
//! code under test, as this process's peak RSS (`VmHWM`, reset through `/proc/self/clear_refs`);
//! the tests that measure it run one at a time so that no other test moves it.

mod common;

use common::photos::put_chunk;
use common::{SECRET, TestServer, Workspace, error_code};
use officina_server::gate::Bounds;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::Write;
use std::net::IpAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Mutex;
use uuid::Uuid;

static MEASURING: Mutex<()> = Mutex::const_new(());

/// One Argon2 hash's memory (the crate's default parameters).
const HASH_MIB: u64 = 19;

/// This process's resident memory now and at its peak since the last reset, in MiB.
fn memory_mib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    let kib: u64 = line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kib / 1024
}

/// Starts a new peak: from now on `VmHWM` is the highest `VmRSS` reached.
fn reset_peak() -> u64 {
    std::fs::write("/proc/self/clear_refs", "5").expect("peak RSS can be reset");
    memory_mib("VmRSS:")
}

/// A client whose requests come from another loopback address (all of 127/8 is local on Linux),
/// so the per-address rate limit never gets in the way of a test about hashing.
fn client_from(n: u16) -> reqwest::Client {
    let [high, low] = n.to_be_bytes();
    reqwest::Client::builder()
        .local_address(IpAddr::from([127, 0, high.max(1), low]))
        .build()
        .unwrap()
}

type Answer = (StatusCode, String, Option<String>);

/// `POST /api/login` (at `url`) from client `n`: status, error code and `Retry-After`.
async fn login_from(url: String, n: u16, body: Value) -> Answer {
    let response = client_from(n).post(url).json(&body).send().await.unwrap();
    let status = response.status();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|value| value.to_str().unwrap().to_owned());
    let body: Value = response.json().await.unwrap_or(Value::Null);
    (status, error_code(&body).to_owned(), retry)
}

/// The logins `bodies` sent all at once, each from its own address (from `first` on), answers
/// in order.
async fn logins_at_once(server: &TestServer, first: u16, bodies: Vec<Value>) -> Vec<Answer> {
    let mut calls = tokio::task::JoinSet::new();
    for (n, body) in (first..).zip(bodies) {
        let url = server.url("/api/login");
        calls.spawn(async move { (n, login_from(url, n, body).await) });
    }
    let mut answers: Vec<(u16, Answer)> = calls.join_all().await;
    answers.sort_by_key(|(n, _)| *n);
    answers.into_iter().map(|(_, answer)| answer).collect()
}

fn count(answers: &[Answer], status: StatusCode) -> usize {
    answers.iter().filter(|(s, _, _)| *s == status).count()
}

/// A server with a short wait for a turn, and a cohort with the learner `Astro`; its join code.
async fn server_with_astro(wait: Duration) -> (Workspace, TestServer, String) {
    let workspace = Workspace::new();
    let server = TestServer::start_with(
        &workspace.args(),
        Bounds {
            wait,
            ..Bounds::default()
        },
    )
    .await;
    let code = server.new_cohort().await;
    server.join(&code, "Astro").await;
    (workspace, server, code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn argon2_hashes_two_at_a_time_and_the_others_hear_busy() {
    let _alone = MEASURING.lock().await;
    let (_workspace, server, code) = server_with_astro(Duration::from_millis(300)).await;
    // Astro with the right PIN, then nicknames nobody has in the cohort and a code no cohort has
    // (hashed all the same): 40 accounts, each tried once.
    let bodies = (0..40)
        .map(|n| match n % 2 {
            _ if n == 0 => json!({"code": code, "nickname": "Astro", "secret": SECRET}),
            0 => json!({"code": code, "nickname": format!("Ospite{n}"), "secret": SECRET}),
            _ => json!({"code": "ZZZZZZZZ", "nickname": format!("Nessuno{n}"), "secret": SECRET}),
        })
        .collect();
    let before = reset_peak();
    let answers = logins_at_once(&server, 100, bodies).await;
    let growth = memory_mib("VmHWM:").saturating_sub(before);
    for (status, code, retry) in &answers {
        match *status {
            StatusCode::OK | StatusCode::UNAUTHORIZED => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!((code.as_str(), retry.as_deref()), ("busy", Some("5")));
            }
            other => panic!("unexpected {other} {code}"),
        }
    }
    let busy = count(&answers, StatusCode::SERVICE_UNAVAILABLE);
    eprintln!("40 logins at once, {busy} busy: peak RSS +{growth} MiB");
    // Unbounded, the 40 hashes would take 40 × 19 MiB at once.
    assert!(
        growth < 4 * HASH_MIB,
        "peak RSS grew by {growth} MiB for {} hashes",
        40 - busy
    );
    assert!(
        busy > 0,
        "40 hashes cannot all start within 300 ms two at a time"
    );
    let astro = answers[0].0;
    assert!(astro == StatusCode::OK || astro == StatusCode::SERVICE_UNAVAILABLE);
    assert!(count(&answers, StatusCode::UNAUTHORIZED) > 0, "{answers:?}");
    server.stop().await;
}

#[tokio::test]
async fn a_class_logging_in_at_once_waits_its_turn() {
    let _alone = MEASURING.lock().await;
    let (_workspace, server, code) = server_with_astro(officina_server::gate::WAIT).await;
    let bodies = (0..12)
        .map(|_| json!({"code": code, "nickname": "Astro", "secret": SECRET}))
        .collect();
    let before = reset_peak();
    let answers = logins_at_once(&server, 200, bodies).await;
    let growth = memory_mib("VmHWM:").saturating_sub(before);
    assert_eq!(count(&answers, StatusCode::OK), 12, "{answers:?}");
    assert!(growth < 4 * HASH_MIB, "peak RSS grew by {growth} MiB");
    server.stop().await;
}

#[tokio::test]
async fn a_login_refused_busy_is_no_failed_attempt() {
    let _alone = MEASURING.lock().await;
    // No wait at all: whoever finds both turns taken hears "busy" at once.
    let (_workspace, server, code) = server_with_astro(Duration::ZERO).await;
    let wrong = json!({"code": code, "nickname": "Astro", "secret": "000000"});
    let answers = logins_at_once(&server, 300, vec![wrong; 8]).await;
    let failed = count(&answers, StatusCode::UNAUTHORIZED);
    let busy = count(&answers, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(failed + busy, 8, "{answers:?}");
    assert!(busy >= 4, "8 at once, 2 turns: {answers:?}");
    // Fewer than 5 real failures: Astro is not locked out, whatever the 503s.
    let right = json!({"code": code, "nickname": "Astro", "secret": SECRET});
    let (status, code, _) = login_from(server.url("/api/login"), 400, right).await;
    assert_eq!((status, code.as_str()), (StatusCode::OK, ""));
    server.stop().await;
}

/// A PNG whose header says `width` × `height` RGBA pixels of 16 bits, the most memory a PNG can
/// ask for, followed by one row of its data: what a decoder would allocate for is all there.
fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        png.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[16, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    let mut row = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    row.write_all(&vec![0; 1 + width as usize * 8]).unwrap();
    chunk(&mut png, b"IDAT", &row.finish().unwrap());
    chunk(&mut png, b"IEND", &[]);
    png
}

#[tokio::test]
async fn a_photo_whose_header_is_too_large_is_refused_before_decoding() {
    let _alone = MEASURING.lock().await;
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let before = reset_peak();
    // 64 megapixels (8000 × 8000 × 8 bytes: 488 MiB decoded), and one side past 8000.
    for (width, height) in [(8000, 8000), (9000, 100), (7000, 6000)] {
        let bomb = png_bomb(width, height);
        let id = Uuid::new_v4();
        let (status, body) = put_chunk(&server, &learner.token, id, 0, bomb.len(), &bomb).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{width}×{height}: {body}"
        );
        assert_eq!(error_code(&body), "image_too_large");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("40 megapixel")
        );
        // Nothing of it is kept: the same id starts again from zero.
        let (_, status) = common::photos::upload_status(&server, &learner.token, id).await;
        assert_eq!(status, json!({"received": 0, "done": false}));
    }
    let growth = memory_mib("VmHWM:").saturating_sub(before);
    assert!(growth < 20, "peak RSS grew by {growth} MiB");
    server.stop().await;
}

/// Whether the server closes `stream` within 15 s; how long it took.
async fn closed_within_15_s(stream: &mut tokio::net::TcpStream) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0; 4096];
    while started.elapsed() < Duration::from_secs(15) {
        let left = Duration::from_secs(15).saturating_sub(started.elapsed());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Ok(Ok(0) | Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {} // an answer (a 408 or the page): read on until the close
            Err(_) => return None,
        }
    }
    None
}

#[tokio::test]
async fn connections_without_headers_or_idle_are_closed() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let address = server.base.trim_start_matches("http://").to_owned();
    let slow = async {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
        closed_within_15_s(&mut stream).await
    };
    let idle = async {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        let request = b"GET / HTTP/1.1\r\nHost: officina\r\n\r\n";
        stream.write_all(request).await.unwrap();
        closed_within_15_s(&mut stream).await
    };
    let (slow, idle) = tokio::join!(slow, idle);
    let slow = slow.expect("a connection without complete headers is closed within 15 s");
    assert!(
        slow >= Duration::from_secs(9),
        "closed after {slow:?}, not at once"
    );
    idle.expect("an idle keep-alive connection is closed");
    server.stop().await;
}

/// A real PNG of `width` × `height` grey 8-bit RGB pixels (it compresses a thousandfold).
fn flat_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::High);
        let mut writer = encoder.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![90; width as usize * 3];
        for _ in 0..height {
            stream.write_all(&row).unwrap();
        }
        stream.finish().unwrap();
        writer.finish().unwrap();
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_are_decoded_one_at_a_time_within_memory() {
    let _alone = MEASURING.lock().await;
    let workspace = Workspace::new();
    // A wait long enough for the three decodes: this test is about memory, not "busy".
    let bounds = Bounds {
        wait: Duration::from_secs(60),
        ..Bounds::default()
    };
    let server = TestServer::start_with(&workspace.args(), bounds).await;
    // 40 megapixels: 114 MiB of pixels once decoded.
    let photo = flat_png(6400, 6250);
    assert!(photo.len() < 256 * 1024, "one chunk: {}", photo.len());
    let mut learners = Vec::new();
    for _ in 0..3 {
        learners.push(server.learner().await);
    }
    let before = reset_peak();
    let mut uploads = tokio::task::JoinSet::new();
    for learner in learners {
        let (url, photo) = (server.url(""), photo.clone());
        uploads.spawn(async move {
            let id = Uuid::new_v4();
            let url = format!(
                "{url}/api/photos/{id}/upload?offset=0&total={}",
                photo.len()
            );
            let client = reqwest::Client::new();
            let response = client.put(url).bearer_auth(learner.token).body(photo);
            let response = response.send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        });
    }
    for (status, body) in uploads.join_all().await {
        assert_eq!(
            (status, body),
            (
                StatusCode::OK,
                json!({"received": photo.len(), "done": true})
            )
        );
    }
    let peak = memory_mib("VmHWM:");
    let growth = peak.saturating_sub(before);
    eprintln!("three 40-megapixel photos at once: peak RSS {peak} MiB (+{growth} MiB)");
    // One decode's pixels at a time (three at once would be over 340 MiB), and the whole process
    // (test client included) under 300 MiB.
    assert!(growth < 200, "peak RSS grew by {growth} MiB");
    assert!(peak < 300, "peak RSS {peak} MiB");
    server.stop().await;
}
