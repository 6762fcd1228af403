//! `POST /api/sync/push` on a real socket, as a learner: idempotent, per-event verdicts, durable.

mod common;

use common::{TestServer, Workspace, completed, statuses, submitted};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

#[tokio::test]
async fn the_same_batch_twice_is_stored_once() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let batch = json!([
        completed(Uuid::new_v4(), "demo-lezione"),
        submitted(Uuid::new_v4())
    ]);
    let (status, first) = server.push(&me.token, batch.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(statuses(&first), ["accepted", "accepted"]);
    assert_eq!(first["results"][0]["id"], batch[0]["id"]);
    let (_, second) = server.push(&me.token, batch).await;
    assert_eq!(statuses(&second), ["duplicate", "duplicate"]);
    assert_eq!(second["cursor"], first["cursor"], "nothing new was stored");
    server.stop().await;
}

#[tokio::test]
async fn a_different_event_under_a_known_id_is_a_conflict_and_changes_nothing() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let id = Uuid::new_v4();
    server
        .push(&me.token, json!([completed(id, "demo-lezione")]))
        .await;
    let (_, answer) = server.push(&me.token, json!([submitted(id)])).await;
    assert_eq!(
        answer["results"][0],
        json!({"id": id, "status": "rejected", "error": "id_conflict"})
    );
    let (_, original) = server
        .push(&me.token, json!([completed(id, "demo-lezione")]))
        .await;
    assert_eq!(
        statuses(&original),
        ["duplicate"],
        "the first version is the one kept"
    );
    server.stop().await;
}

#[tokio::test]
async fn bad_events_are_rejected_one_by_one_and_the_rest_is_stored() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let good = completed(Uuid::new_v4(), "demo-lezione");
    let mut unknown_kind = completed(Uuid::new_v4(), "demo-lezione");
    unknown_kind["kind"] = json!("teleported");
    let mut bad_time = completed(Uuid::new_v4(), "demo-lezione");
    bad_time["at"] = json!("ieri sera");
    let mut for_someone_else = completed(Uuid::new_v4(), "demo-lezione");
    for_someone_else["user_id"] = json!("u-42");
    let mut award = completed(Uuid::new_v4(), "demo-lezione");
    award["kind"] = json!("badge_awarded");
    let hostile = completed(Uuid::new_v4(), "'); DROP TABLE events; --<script>");
    let batch = json!([
        good,
        unknown_kind,
        bad_time,
        for_someone_else,
        award,
        hostile,
        submitted(Uuid::new_v4())
    ]);

    let (status, answer) = server.push(&me.token, batch).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        statuses(&answer),
        [
            "accepted", "rejected", "rejected", "rejected", "rejected", "rejected", "accepted"
        ]
    );
    let errors: Vec<&str> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["error"].as_str())
        .collect();
    assert_eq!(
        errors,
        [
            "invalid_event",
            "invalid_time",
            "not_allowed",
            "not_allowed",
            "unknown_activity"
        ]
    );
    assert_eq!(
        answer["cursor"], 2,
        "exactly the two good events were stored"
    );
    server.stop().await;
}

#[tokio::test]
async fn malformed_requests_get_a_clear_400() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let url = server.url("/api/sync/push");
    let not_json = server
        .client
        .post(&url)
        .bearer_auth(&me.token)
        .header("content-type", "application/json")
        .body("{\"device_id\":")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    let body: Value = not_json.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");

    let bad_id = json!([{"id": "non-un-uuid", "kind": "activity_completed", "activity_id": "demo-lezione", "at": "2026-11-25T10:00:00Z"}]);
    let (status, body) = server.push(&me.token, bad_id).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"].as_str().unwrap().contains("n. 0"),
        "{body}"
    );

    let wrong_types = server
        .client
        .post(&url)
        .bearer_auth(&me.token)
        .json(&json!({"device_id": 7, "events": "tutti"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_types.status(), StatusCode::BAD_REQUEST);
    let body: Value = wrong_types.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    server.stop().await;
}

#[tokio::test]
async fn more_than_500_events_in_one_push_is_too_large() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let events: Vec<Value> = (0..501)
        .map(|_| completed(Uuid::new_v4(), "demo-lezione"))
        .collect();
    let (status, body) = server.push(&me.token, Value::Array(events)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "too_large");
    let (_, after) = server
        .push(
            &me.token,
            json!([completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;
    assert_eq!(after["cursor"], 1, "nothing of the refused push was stored");
    server.stop().await;
}

#[tokio::test]
async fn acknowledged_events_survive_a_restart() {
    let workspace = Workspace::new();
    let args = workspace.args();
    let event = completed(Uuid::new_v4(), "demo-lezione");
    let server = TestServer::start(&args).await;
    let me = server.learner().await;
    let (_, first) = server.push(&me.token, json!([event.clone()])).await;
    assert_eq!(statuses(&first), ["accepted"]);
    server.stop().await;

    let restarted = TestServer::start(&args).await;
    let (_, again) = restarted.push(&me.token, json!([event])).await;
    assert_eq!(statuses(&again), ["duplicate"]);
    assert_eq!(again["cursor"], first["cursor"]);
    restarted.stop().await;
}
