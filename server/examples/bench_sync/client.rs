//! Pushes as a browser sends them (`Accept-Encoding: br, gzip`), from several clients at once.

use crate::events::Body;
use crate::stats::Latencies;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

#[derive(Default)]
pub struct Run {
    pub times: Vec<Duration>,
    pub elapsed: Duration,
    pub accepted: usize,
    pub duplicate: usize,
    pub rejected: usize,
    /// Every id the server acknowledged (accepted or duplicate): the device may forget it.
    pub acked: Vec<Uuid>,
    pub failed_pushes: usize,
}

impl Run {
    pub fn latencies(&self) -> Latencies {
        Latencies::new(self.times.clone())
    }
}

/// One push; the statuses by id, or why it failed.
pub async fn push(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    body: &Body,
) -> Result<Vec<(Uuid, String)>, String> {
    let response = client
        .post(format!("{base}/api/sync/push"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("accept-encoding", "br, gzip")
        .body(body.json.clone())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let encoding = response
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    let text = decode(encoding.as_deref(), &bytes)?;
    if !status.is_success() {
        return Err(format!("{status}: {text}"));
    }
    let answer: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    Ok(answer["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let id = r["id"].as_str().and_then(|i| Uuid::parse_str(i).ok());
            (
                id.unwrap_or_default(),
                r["status"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect())
}

fn decode(encoding: Option<&str>, bytes: &[u8]) -> Result<String, String> {
    let mut text = String::new();
    let read = match encoding {
        Some("br") => brotli::Decompressor::new(bytes, 4096).read_to_string(&mut text),
        Some("gzip") => flate2::read::GzDecoder::new(bytes).read_to_string(&mut text),
        _ => return Ok(String::from_utf8_lossy(bytes).into_owned()),
    };
    read.map_err(|e| e.to_string())?;
    Ok(text)
}

/// Pushes every body with `clients` concurrent clients; a client stops at its first failure
/// (the server gone). `answered` counts the pushes answered, for whoever watches.
pub async fn push_all(
    base: &str,
    tokens: Arc<Vec<String>>,
    bodies: Arc<Vec<Body>>,
    clients: usize,
    answered: Arc<AtomicUsize>,
) -> Run {
    let client = reqwest::Client::new();
    let next = Arc::new(AtomicUsize::new(0));
    let run = Arc::new(Mutex::new(Run::default()));
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (client, base, next, run) =
            (client.clone(), base.to_owned(), next.clone(), run.clone());
        let (tokens, bodies, answered) = (tokens.clone(), bodies.clone(), answered.clone());
        tasks.spawn(async move {
            while let Some(body) = bodies.get(next.fetch_add(1, Ordering::Relaxed)) {
                let begun = Instant::now();
                let results = push(&client, &base, &tokens[body.learner], body).await;
                let took = begun.elapsed();
                let Ok(results) = results else {
                    run.lock().unwrap().failed_pushes += 1;
                    return;
                };
                answered.fetch_add(1, Ordering::Relaxed);
                run.lock().unwrap().count(took, results);
            }
        });
    }
    tasks.join_all().await;
    let mut run = std::mem::take(&mut *run.lock().unwrap());
    run.elapsed = start.elapsed();
    run
}

impl Run {
    fn count(&mut self, took: Duration, results: Vec<(Uuid, String)>) {
        self.times.push(took);
        for (id, status) in results {
            match status.as_str() {
                "accepted" => self.accepted += 1,
                "duplicate" => self.duplicate += 1,
                _ => self.rejected += 1,
            }
            if status != "rejected" {
                self.acked.push(id);
            }
        }
    }
}
