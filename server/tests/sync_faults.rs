//! Sync under faults, on a real socket: answers lost after the commit, a restart between pushes,
//! two devices of one learner syncing at once, clocks days apart. Each device is the app's own
//! journal (`officina_core::outbox::Journal`); after quiescence the server and every device must
//! hold the same events, each exactly once.

mod common;

use common::{Account, TestServer, Workspace};
use officina_core::outbox::Journal;
use officina_core::sync::{PullResponse, PushResponse};
use officina_core::{Event, EventKind, Insert};
use std::collections::BTreeSet;
use std::sync::Arc;
use uuid::Uuid;

/// The fixture's lessons: the only activities an `activity_completed` finishes.
const ACTIVITIES: [&str; 2] = ["demo-lezione", "impresa-lezione"];

struct Device {
    id: Uuid,
    account: Account,
    journal: Journal,
    cursor: i64,
    /// How far this device's clock is from the true day.
    clock_skew_days: i64,
    recorded: u32,
}

impl Device {
    fn new(account: &Account, clock_skew_days: i64) -> Self {
        Self {
            id: Uuid::new_v4(),
            account: account.clone(),
            journal: Journal::default(),
            cursor: 0,
            clock_skew_days,
            recorded: 0,
        }
    }

    fn record(&mut self) {
        self.recorded += 1;
        let minute = self.recorded % 60;
        let at = format!(
            "2026-11-{:02}T10:{minute:02}:00Z",
            25 + self.clock_skew_days
        );
        let mut event =
            Event::activity_completed(Uuid::new_v4(), ACTIVITIES[self.recorded as usize % 2], at);
        event.user_id = Some(self.account.id.clone());
        self.journal.record(event);
    }

    /// Pushes the outbox; the answer is applied only if it "arrives".
    async fn push(&mut self, server: &TestServer, answer_arrives: bool) {
        let pending = serde_json::to_value(self.journal.pending(500)).unwrap();
        let (status, answer) = server
            .push_from(&self.account.token, self.id, pending)
            .await;
        assert_eq!(status, reqwest::StatusCode::OK, "{answer}");
        let answer: PushResponse = serde_json::from_value(answer).unwrap();
        assert!(
            answer.results.iter().all(|r| r.status.is_acknowledged()),
            "{:?}",
            answer.results
        );
        if answer_arrives {
            self.journal.apply(&answer.results);
        }
    }

    /// Pulls every page since the device's cursor, three events at a time.
    async fn pull(&mut self, server: &TestServer) {
        loop {
            let (status, page) = server
                .pull(
                    &self.account.token,
                    &format!("since={}&limit=3", self.cursor),
                )
                .await;
            assert_eq!(status, reqwest::StatusCode::OK);
            let page: PullResponse = serde_json::from_value(page).unwrap();
            for stored in page.events {
                assert!(stored.seq > self.cursor, "ascending by seq");
                assert_ne!(self.journal.log.insert(stored.into()), Insert::Conflict);
            }
            self.cursor = page.cursor;
            if !page.more {
                return;
            }
        }
    }

    async fn sync(&mut self, server: &TestServer) {
        self.push(server, true).await;
        self.pull(server).await;
    }

    fn ids(&self) -> BTreeSet<Uuid> {
        self.journal.log.iter().map(|e| e.id).collect()
    }
}

/// Every event the server holds for `account`, checked to be there once each, in `seq` order.
async fn server_ids(server: &TestServer, account: &Account) -> BTreeSet<Uuid> {
    let (_, all) = server.pull(&account.token, "since=0&limit=1000").await;
    let all: PullResponse = serde_json::from_value(all).unwrap();
    assert!(!all.more);
    assert!(all.events.windows(2).all(|w| w[0].seq < w[1].seq));
    assert!(
        all.events
            .iter()
            .all(|e| e.kind == EventKind::ActivityCompleted && e.user_id == account.id)
    );
    let ids: BTreeSet<Uuid> = all.events.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), all.events.len(), "each event exactly once");
    ids
}

async fn assert_converged(server: &TestServer, devices: &[&Device], expected: usize) {
    let on_server = server_ids(server, &devices[0].account).await;
    assert_eq!(on_server.len(), expected);
    for device in devices {
        assert!(device.journal.outbox.is_empty(), "everything acknowledged");
        assert_eq!(device.ids(), on_server);
    }
}

#[tokio::test]
async fn an_answer_lost_after_the_commit_is_retried_and_nothing_is_doubled() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let mut phone = Device::new(&server.learner().await, 0);
    for _ in 0..5 {
        phone.record();
    }
    phone.push(&server, false).await;
    phone.push(&server, false).await;
    assert_eq!(
        phone.journal.outbox.len(),
        5,
        "no answer arrived: all still waiting"
    );
    phone.sync(&server).await;
    assert_converged(&server, &[&phone], 5).await;
    server.stop().await;
}

#[tokio::test]
async fn a_restart_between_pushes_loses_and_doubles_nothing() {
    let workspace = Workspace::new();
    let args = workspace.args();
    let server = TestServer::start(&args).await;
    let mut phone = Device::new(&server.learner().await, 0);
    for _ in 0..3 {
        phone.record();
    }
    phone.sync(&server).await;
    phone.record();
    phone.record();
    phone.push(&server, false).await;
    server.stop().await;

    let server = TestServer::start(&args).await;
    phone.record();
    phone.sync(&server).await;
    assert_converged(&server, &[&phone], 6).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_of_one_learner_sync_concurrently() {
    let workspace = Workspace::new();
    let server = Arc::new(TestServer::start(&workspace.args()).await);
    let learner = server.learner().await;
    let tasks: Vec<_> = (0..2)
        .map(|_| {
            let server = Arc::clone(&server);
            let mut device = Device::new(&learner, 0);
            tokio::spawn(async move {
                for round in 0..10 {
                    for _ in 0..3 {
                        device.record();
                    }
                    // Every third answer is lost on the way back.
                    device.push(&server, round % 3 != 0).await;
                    device.pull(&server).await;
                }
                device
            })
        })
        .collect();
    let mut devices = Vec::new();
    for task in tasks {
        devices.push(task.await.unwrap());
    }
    for device in &mut devices {
        device.sync(&server).await;
    }
    for device in &mut devices {
        device.pull(&server).await;
    }
    assert_converged(&server, &[&devices[0], &devices[1]], 60).await;
    let Ok(server) = Arc::try_unwrap(server) else {
        panic!("the tasks are done")
    };
    server.stop().await;
}

#[tokio::test]
async fn clocks_days_apart_do_not_reorder_sync() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let mut ahead = Device::new(&learner, 3);
    let mut behind = Device::new(&learner, -3);
    ahead.record();
    ahead.sync(&server).await;
    behind.pull(&server).await;
    let seen = behind.cursor;
    // Recorded "six days earlier", pushed later: it still comes after the cursor.
    behind.record();
    behind.sync(&server).await;
    ahead.pull(&server).await;
    let (_, since_seen) = server.pull(&learner.token, &format!("since={seen}")).await;
    let since_seen: PullResponse = serde_json::from_value(since_seen).unwrap();
    assert_eq!(since_seen.events.len(), 1);
    assert!(
        since_seen.events[0].at.starts_with("2026-11-22"),
        "{}",
        since_seen.events[0].at
    );
    assert_converged(&server, &[&ahead, &behind], 2).await;
    server.stop().await;
}
