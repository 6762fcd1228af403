//! Sync ingest under a class: 20 000 events from 16 learners in pushes of 100 by 8 concurrent
//! clients into the release server, beside raw SQLite with the same durability and batches in
//! the same run; then whether a push's cost depends on the learner's history, and whether every
//! acknowledged event is stored (also across a SIGKILL). Run by scripts/bench-sync.sh:
//! `bench_sync <officina-server binary> <content dir> <empty work dir>`. Loopback only.

mod client;
mod events;
mod raw;
mod server;
mod stats;

use client::push_all;
use events::{Body, bodies};
use server::Server;
use stats::Latencies;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const LEARNERS: usize = 16;
const PUSHES: usize = 200;
const SIZE: usize = 100;
const CLIENTS: usize = 8;
/// Timed pushes into each of the two histories.
const HISTORY_PUSHES: usize = 50;

#[tokio::main]
async fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [bin, content, work] = &args[..] else {
        panic!("usage: bench_sync <officina-server> <content dir> <work dir>");
    };
    let port = std::env::var("BENCH_SYNC_PORT").map_or(8095, |p| p.parse().expect("port"));
    let loaded = officina_server::content::load(content).expect("content");
    let payloads = events::payloads(&loaded.bundle);
    let server = Server::start(bin, &work.join("main"), content, port).await;
    // 16 for the class, then A (100 events) and B (20 000) for the history test.
    let tokens = Arc::new(server.learners(LEARNERS + 2).await);
    let at = device_time();
    let class: Vec<usize> = (0..LEARNERS).collect();
    let bodies = Arc::new(bodies(&payloads, &class, PUSHES, SIZE, &at));

    let run = push_all(
        &server.base,
        tokens.clone(),
        bodies.clone(),
        CLIENTS,
        counter(),
    )
    .await;
    let officina = events_per_s(run.accepted, run.elapsed);
    println!(
        "officina:                {officina:>7.0} events/s, {} per push; accepted {}, duplicate {}, rejected {}, failed pushes {}",
        run.latencies().summary(),
        run.accepted,
        run.duplicate,
        run.rejected,
        run.failed_pushes
    );
    // Two baselines: 8 threads meeting in SQLite's busy handler, and one thread alone (the
    // disk's rate for one commit per batch). The goal is measured against the faster.
    let raw = [CLIENTS, 1].map(|clients| {
        let (times, elapsed) = raw::run(&work.join(format!("raw-{clients}.db")), &bodies, clients);
        let rate = events_per_s(PUSHES * SIZE, elapsed);
        println!(
            "raw sqlite, {clients} thread(s): {rate:>7.0} rows/s, {} per batch",
            times.summary()
        );
        rate
    });
    println!("ratio: {:.2} (goal ≥ 0.80)", officina / raw[0].max(raw[1]));
    let stored = raw::stored(&server.db, &run.acked);
    println!("acknowledged {}, stored {stored}", run.acked.len());

    history(&server, &tokens, &payloads).await;
    drop(server);
    killed_mid_run(bin, content, work, port, &payloads).await;
}

/// Pushes into a learner with 100 events and into one with 20 000, alternating, one at a time.
async fn history(
    server: &Server,
    tokens: &Arc<Vec<String>>,
    payloads: &[(String, events::Payload)],
) {
    let (a, b) = (LEARNERS, LEARNERS + 1);
    let at = device_time();
    let mut seed = bodies(payloads, &[a], 1, SIZE, &at);
    seed.extend(bodies(payloads, &[b], PUSHES, SIZE, &at));
    let seed = Arc::new(seed);
    let seeded = push_all(&server.base, tokens.clone(), seed, CLIENTS, counter()).await;
    assert_eq!(seeded.accepted, (PUSHES + 1) * SIZE, "history seeded");
    let timed = bodies(payloads, &[a, b], 2 * HISTORY_PUSHES, SIZE, &at);
    let client = reqwest::Client::new();
    let mut times = [Vec::new(), Vec::new()];
    for (n, body) in timed.iter().enumerate() {
        let begun = Instant::now();
        client::push(&client, &server.base, &tokens[body.learner], body)
            .await
            .expect("history push");
        times[n % 2].push(begun.elapsed());
    }
    let [small, large] = times.map(|t| Latencies::new(t).ms(50.0));
    println!(
        "history: push into 100: p50 {small:.1} ms · into 20 000: p50 {large:.1} ms · ratio {:.2} (goal ≤ 1.1)",
        large / small
    );
}

/// Kills the server with SIGKILL once 30 pushes were answered, then counts the acknowledged
/// events in the database it left (opening it recovers the WAL as a restart would).
async fn killed_mid_run(
    bin: &std::path::Path,
    content: &std::path::Path,
    work: &std::path::Path,
    port: u16,
    payloads: &[(String, events::Payload)],
) {
    let server = Arc::new(Server::start(bin, &work.join("killed"), content, port).await);
    let tokens = Arc::new(server.learners(LEARNERS).await);
    let class: Vec<usize> = (0..LEARNERS).collect();
    let bodies: Arc<Vec<Body>> = Arc::new(bodies(payloads, &class, PUSHES, SIZE, &device_time()));
    let answered = counter();
    let killer = {
        let (server, answered) = (server.clone(), answered.clone());
        tokio::spawn(async move {
            while answered.load(Ordering::Relaxed) < 30 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            server.kill();
        })
    };
    let run = push_all(&server.base, tokens, bodies, CLIENTS, answered).await;
    killer.await.expect("killer");
    let stored = raw::stored(&server.db, &run.acked);
    println!(
        "SIGKILL after 30 pushes: acknowledged {}, stored {stored}, pushes cut {}",
        run.acked.len(),
        run.failed_pushes
    );
}

fn counter() -> Arc<AtomicUsize> {
    Arc::new(AtomicUsize::new(0))
}

fn events_per_s(events: usize, elapsed: Duration) -> f64 {
    events as f64 / elapsed.as_secs_f64()
}

/// A minute ago on the device's clock, well within the time the rules accept.
fn device_time() -> String {
    let at = time::OffsetDateTime::now_utc() - time::Duration::minutes(1);
    at.format(&time::format_description::well_known::Rfc3339)
        .expect("RFC 3339")
}
