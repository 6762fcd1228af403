//! Two copies of the server on one database, as behind a load balancer: one commits slowly, the
//! other fast, while a device pulls through both. A `seq` given to the slow commit must never
//! become visible after a higher one a device has already pulled past (the cursor trap): every
//! event reaches the device exactly once. The device is a parent's, reading the family-task
//! confirmations of two children who push through different copies: one person's pushes wait for
//! each other anyway (they update the same account row). On SQLite the file's write lock keeps commits in `seq`
//! order; on PostgreSQL the writers' advisory lock does (`store::backend::Db::begin_write`).

mod common;

use common::{Account, TestServer, Workspace};
use officina_core::account::Role;
use officina_server::auth::rate_limit::MAX_FAILURES;
use officina_server::db::Target;
use officina_server::gate::Bounds;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use uuid::Uuid;

/// How long the slow copy keeps each commit open: long enough for many fast commits meanwhile.
const SLOW_COMMIT: Duration = Duration::from_millis(150);

/// A child's confirmation of the fixture's family task.
fn confirmation() -> Value {
    json!({"id": Uuid::new_v4(), "kind": "family_task_confirmed",
           "activity_id": "famiglia-esperimento", "at": "2026-11-25T18:00:00Z",
           "data": {"role": "child"}})
}

/// Pushes `batches` batches of two confirmations from a device of `who` through `server`, `pause`
/// apart; the ids.
async fn push_batches(
    server: &TestServer,
    who: &Account,
    batches: usize,
    pause: Duration,
) -> Vec<String> {
    let device = Uuid::new_v4();
    let mut ids = Vec::new();
    for _ in 0..batches {
        let events = json!([confirmation(), confirmation()]);
        ids.extend(
            events
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_owned()),
        );
        let (status, answer) = server.push_from(&who.token, device, events).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{answer}");
        tokio::time::sleep(pause).await;
    }
    ids
}

/// Pulls everything after `cursor` through `server`, page by page; the ids in order, the cursor.
async fn pull_all(server: &TestServer, who: &Account, mut cursor: i64) -> (Vec<String>, i64) {
    let mut ids = Vec::new();
    loop {
        let (status, page) = server
            .pull(&who.token, &format!("since={cursor}&limit=50"))
            .await;
        assert_eq!(status, reqwest::StatusCode::OK, "{page}");
        ids.extend(
            page["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e: &Value| e["id"].as_str().unwrap().to_owned()),
        );
        cursor = page["cursor"].as_i64().unwrap();
        if !page["more"].as_bool().unwrap() {
            return (ids, cursor);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_device_pulling_through_two_copies_gets_every_event_once_while_one_commits_slowly() {
    let workspace = Workspace::new();
    let fast = TestServer::start(&workspace.args()).await;
    let slow = TestServer::start_with(
        &workspace.args(),
        Bounds {
            commit_delay: SLOW_COMMIT,
            ..Bounds::default()
        },
    )
    .await;
    fast.staff(Role::Educator, "Maria").await;
    let cohort = fast.cohort("Famiglie", "famiglia", &["Maria"]).await;
    let papa = fast.parent(&cohort.join_code, "Papà").await;
    let [luna, sole] = ["Luna", "Sole"].map(|name| fast.join(&cohort.join_code, name));
    let (luna, sole) = (luna.await, sole.await);
    for child in [&luna, &sole] {
        fast.confirmed_link(&papa, child).await;
    }

    // Fast commits all through the slow ones.
    let done = AtomicBool::new(false);
    let pushing = async {
        let (a, b) = tokio::join!(
            push_batches(&slow, &luna, 20, Duration::ZERO),
            push_batches(&fast, &sole, 150, Duration::from_millis(15))
        );
        done.store(true, Ordering::Release);
        a.into_iter().chain(b).collect::<Vec<_>>()
    };
    // The parent's device pulls all along, alternately through each copy, as a balancer sends it.
    let pulling = async {
        let (mut pulled, mut cursor) = (Vec::new(), 0);
        for round in 0.. {
            if done.load(Ordering::Acquire) {
                break;
            }
            let copy = if round % 2 == 0 { &fast } else { &slow };
            let (ids, next) = pull_all(copy, &papa, cursor).await;
            pulled.extend(ids);
            cursor = next;
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        (pulled, cursor)
    };
    let (pushed, (mut pulled, cursor)) = tokio::join!(pushing, pulling);
    // Once everything is committed, the rest.
    pulled.extend(pull_all(&fast, &papa, cursor).await.0);

    let unique: BTreeSet<&String> = pulled.iter().collect();
    assert_eq!(unique.len(), pulled.len(), "an event pulled twice");
    let pushed: BTreeSet<&String> = pushed.iter().collect();
    let missing: Vec<_> = pushed.difference(&unique).collect();
    assert!(missing.is_empty(), "skipped for good: {missing:?}");
    assert_eq!(unique, pushed);
    slow.stop().await;
    fast.stop().await;
}

/// Wrong PINs sent through both copies, at once, count together: the account locks on every copy
/// after `MAX_FAILURES`, right PIN or not. (On SQLite there is one server, whose limiter counts in
/// its memory: this is PostgreSQL's.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_pins_through_two_copies_count_together() {
    let workspace = Workspace::new();
    if !matches!(workspace.target, Target::Postgres(_)) {
        println!("one server on SQLite: its limiter is in memory, as abuse_limits.rs tests");
        return;
    }
    let copies = [
        TestServer::start(&workspace.args()).await,
        TestServer::start(&workspace.args()).await,
    ];
    let code = copies[0].new_cohort().await;
    copies[0].join(&code, "Astro").await;
    let wrong = json!({"code": code, "nickname": "Astro", "secret": "000000"});
    let guesses = (0..2 * MAX_FAILURES).map(|n| copies[n % 2].post_anonymous("/api/login", &wrong));
    let statuses: Vec<StatusCode> = futures_util::future::join_all(guesses)
        .await
        .into_iter()
        .map(|(status, _)| status)
        .collect();
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(checked, MAX_FAILURES, "{statuses:?}");
    for copy in &copies {
        let (status, answer) = copy.login(&code, "Astro").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{answer}");
    }
    for copy in copies {
        copy.stop().await;
    }
}
