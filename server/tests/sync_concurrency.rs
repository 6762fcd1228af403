//! Pushes at once, as a class syncs when the lab's Wi-Fi comes back: the writer commits several
//! in one transaction, and each push must still get its own verdicts and every id be stored once.

mod common;

use common::{Account, TestServer, Workspace, completed, passed_quiz, statuses};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use uuid::Uuid;

/// A batch of `n` new events the fixture's rules accept.
fn batch(n: usize) -> (Vec<Uuid>, Value) {
    let ids: Vec<Uuid> = (0..n).map(|_| Uuid::new_v4()).collect();
    let events = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            if i % 2 == 0 {
                completed(*id, "demo-lezione")
            } else {
                passed_quiz(*id)
            }
        })
        .collect();
    (ids, Value::Array(events))
}

/// Every event id `who` pulls back, in order, however many pages.
async fn pulled(server: &TestServer, who: &Account) -> Vec<String> {
    let (status, page) = server.pull(&who.token, "since=0&limit=1000").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["more"], false);
    page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

fn sorted(ids: &[Uuid]) -> Vec<String> {
    let set: BTreeSet<String> = ids.iter().map(Uuid::to_string).collect();
    set.into_iter().collect()
}

#[tokio::test]
async fn many_pushes_at_once_each_get_their_verdicts_and_store_each_event_once() {
    let workspace = Workspace::new();
    let server = Arc::new(TestServer::start(&workspace.args()).await);
    let code = server.new_cohort().await;
    let mut learners = Vec::new();
    for n in 0..6 {
        learners.push(server.join(&code, &format!("Astro{n}")).await);
    }
    let mut pushes = tokio::task::JoinSet::new();
    let mut sent: BTreeMap<String, Vec<Uuid>> = BTreeMap::new();
    for round in 0..4 {
        for learner in &learners {
            let (ids, events) = batch(10 + round);
            sent.entry(learner.id.clone()).or_default().extend(&ids);
            let (server, token) = (server.clone(), learner.token.clone());
            pushes.spawn(async move { (ids, server.push(&token, events).await) });
        }
    }
    let mut cursors = Vec::new();
    for (ids, (status, answer)) in pushes.join_all().await {
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert!(
            statuses(&answer).iter().all(|s| *s == "accepted"),
            "{answer}"
        );
        let answered: Vec<&str> = answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        assert_eq!(
            answered, ids,
            "each push answers for its own events, in order"
        );
        cursors.push(answer["cursor"].as_i64().unwrap());
    }
    let total: usize = sent.values().map(Vec::len).sum();
    assert_eq!(*cursors.iter().max().unwrap(), total as i64);
    for learner in &learners {
        let mut mine = pulled(&server, learner).await;
        let count = mine.len();
        mine.sort();
        mine.dedup();
        assert_eq!(mine.len(), count, "no event is stored twice");
        assert_eq!(mine, sorted(&sent[&learner.id]));
    }
    stop(server).await;
}

async fn stop(server: Arc<TestServer>) {
    Arc::into_inner(server).expect("no push left").stop().await;
}

#[tokio::test]
async fn the_same_events_from_two_devices_at_once_are_stored_once() {
    let workspace = Workspace::new();
    let server = Arc::new(TestServer::start(&workspace.args()).await);
    let me = server.learner().await;
    let mut all = Vec::new();
    for _ in 0..5 {
        let (ids, events) = batch(30);
        all.extend(&ids);
        let devices = [Uuid::new_v4(), Uuid::new_v4()].map(|device| {
            let (server, token, events) = (server.clone(), me.token.clone(), events.clone());
            tokio::spawn(async move { server.push_from(&token, device, events).await })
        });
        let mut verdicts: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for device in devices {
            let (status, answer) = device.await.unwrap();
            assert_eq!(status, StatusCode::OK, "{answer}");
            for result in answer["results"].as_array().unwrap() {
                let id = result["id"].as_str().unwrap().to_owned();
                let status = result["status"].as_str().unwrap().to_owned();
                verdicts.entry(id).or_default().push(status);
            }
        }
        assert_eq!(verdicts.len(), ids.len());
        for (id, mut statuses) in verdicts {
            statuses.sort();
            assert_eq!(statuses, ["accepted", "duplicate"], "{id}");
        }
    }
    let mut stored = pulled(&server, &me).await;
    assert_eq!(stored.len(), all.len(), "each event stored once");
    stored.sort();
    assert_eq!(stored, sorted(&all));
    let (_, again) = server
        .push(&me.token, json!([completed(all[0], "demo-lezione")]))
        .await;
    assert_eq!(statuses(&again), ["duplicate"]);
    stop(server).await;
}
