//! The educators' reports at the programme's scale (issue 16, goal 3): 334 classes of 30 learners
//! with 200 events each (10 020 learners, 2 004 000 events) seeded into a fresh database, then
//! `GET /api/impact` (the whole programme) and one class's dashboard through the release server:
//! the first request (every kept fold built from the whole logs) and then the request as it is
//! asked again. Run by scripts/bench-reports.sh:
//! `bench_reports <officina-server binary> <content dir> <empty work dir>`. Loopback only.

// Shared with bench_sync, which uses all of them.
#[allow(dead_code)]
#[path = "../bench_sync/events.rs"]
mod events;
mod seed;
#[allow(dead_code)]
#[path = "../bench_sync/server.rs"]
mod server;
#[path = "../bench_sync/stats.rs"]
mod stats;

use server::Server;
use stats::Latencies;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const CLASSES: usize = 334;
const CLASS_SIZE: usize = 30;
const EVENTS_EACH: usize = 200;
/// Timed requests after the first.
const IMPACT_AGAIN: usize = 5;
const DASHBOARD_AGAIN: usize = 50;

#[tokio::main]
async fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [bin, content, work] = &args[..] else {
        panic!("usage: bench_reports <officina-server> <content dir> <work dir>");
    };
    let port = std::env::var("BENCH_REPORTS_PORT").map_or(8096, |p| p.parse().expect("port"));
    let loaded = officina_server::content::load(content).expect("content");
    // The class's own path, as its learners would do it.
    let path = loaded.bundle.path("space-camp").expect("space-camp");
    let mut payloads = events::payloads(&loaded.bundle);
    payloads.retain(|(id, _)| {
        path.modules
            .iter()
            .any(|m| m.activities.iter().any(|a| &a.id == id))
    });
    let server = Server::start(bin, work, content, port).await;
    let template = seed::Template::make(&server).await;
    drop(server);
    let began = Instant::now();
    let shape = seed::Shape {
        classes: CLASSES,
        class_size: CLASS_SIZE,
        events_each: EVENTS_EACH,
    };
    let first_class = seed::seed(&work.join("officina.db"), &template, &shape, &payloads);
    println!(
        "seeded {} learners × {EVENTS_EACH} events in {:.1} s (untimed below)",
        CLASSES * CLASS_SIZE,
        began.elapsed().as_secs_f64()
    );
    let server = Server::start(bin, work, content, port).await;
    let client = Client::login(&server.base).await;
    let impact = "/api/impact";
    let dashboard = format!("/api/cohorts/{first_class}/dashboard");
    let began = Instant::now();
    seed::wait_for_folds(&server.db, CLASSES * CLASS_SIZE).await;
    println!(
        "every fold built again at start-up, in the background: {:.1} s",
        began.elapsed().as_secs_f64()
    );
    let first = client.time(impact).await;
    println!(
        "impact, first request:                {:>9.1} ms",
        ms(first)
    );
    let again = client.times(impact, IMPACT_AGAIN).await;
    println!(
        "impact over {} learners, again:       {} (goal < 1 000 ms)",
        CLASSES * CLASS_SIZE,
        again.summary()
    );
    let again = client.times(&dashboard, DASHBOARD_AGAIN).await;
    println!(
        "dashboard of a class of {CLASS_SIZE}, again:         {} (goal < 5 ms)",
        again.summary()
    );
}

fn ms(took: Duration) -> f64 {
    took.as_secs_f64() * 1000.0
}

/// The educator, signed in.
struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    async fn login(base: &str) -> Self {
        let http = reqwest::Client::new();
        let body = serde_json::json!({"name": seed::EDUCATOR, "password": seed::PASSWORD});
        let answer: serde_json::Value = http
            .post(format!("{base}/api/staff/login"))
            .json(&body)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("login")
            .json()
            .await
            .expect("login answer");
        let token = answer["token"].as_str().expect("token").to_owned();
        Self {
            http,
            base: base.to_owned(),
            token,
        }
    }

    /// One request's time to its whole body; it must succeed.
    async fn time(&self, path: &str) -> Duration {
        let began = Instant::now();
        let answer = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .unwrap_or_else(|err| panic!("{path}: {err}"));
        let body = answer.bytes().await.expect("body");
        assert!(!body.is_empty());
        began.elapsed()
    }

    async fn times(&self, path: &str, count: usize) -> Latencies {
        let mut times = Vec::with_capacity(count);
        for _ in 0..count {
            times.push(self.time(path).await);
        }
        Latencies::new(times)
    }
}
