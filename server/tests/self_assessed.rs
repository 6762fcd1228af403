//! `self_assessed` events through `POST /api/sync/push`: accepted only when they fit the
//! programme's questionnaire, and only from their owner.

mod common;

use common::{TestServer, Workspace, statuses};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

/// A self-assessment of the fixture's `demo` path, whose questionnaire has three statements.
fn assessed(data: Value) -> Value {
    json!({"id": Uuid::new_v4(), "kind": "self_assessed", "at": "2026-11-25T10:00:00.000Z", "data": data})
}

fn before(answers: Value) -> Value {
    assessed(json!({"path_id": "demo", "moment": "before", "answers": answers}))
}

#[tokio::test]
async fn a_valid_self_assessment_is_stored_and_pulled_back() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let after = assessed(json!({"path_id": "demo", "moment": "after", "answers": [4, 3, 4]}));
    let batch = json!([before(json!([1, 2, 4])), after]);
    let (status, answer) = server.push(&me.token, batch.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(statuses(&answer), ["accepted", "accepted"], "{answer}");
    let (_, pulled) = server.pull(&me.token, "since=0").await;
    let events = pulled["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    for (sent, stored) in batch.as_array().unwrap().iter().zip(events) {
        assert_eq!(stored["id"], sent["id"]);
        assert_eq!(stored["kind"], "self_assessed");
        assert_eq!(stored["user_id"], me.id.as_str());
        assert_eq!(stored["data"], sent["data"]);
        assert!(stored.get("activity_id").is_none_or(Value::is_null));
    }
    server.stop().await;
}

#[tokio::test]
async fn every_other_shape_is_rejected_and_nothing_is_stored() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let mut with_activity = before(json!([1, 2, 3]));
    with_activity["activity_id"] = json!("demo-lezione");
    let batch = json!([
        before(json!([1, 2])),
        before(json!([1, 2, 3, 4])),
        before(json!([0, 2, 3])),
        before(json!([1, 2, 5])),
        before(json!([1, 2, 3.5])),
        before(json!("1,2,3")),
        assessed(json!({"path_id": "demo", "moment": "durante", "answers": [1, 2, 3]})),
        assessed(json!({"path_id": "demo", "answers": [1, 2, 3]})),
        assessed(
            json!({"path_id": "demo", "moment": "before", "answers": [1, 2, 3], "nome": "Ada"})
        ),
        assessed(json!({})),
        with_activity,
        assessed(json!({"path_id": "marte", "moment": "before", "answers": [1, 2, 3]})),
    ]);
    let (status, answer) = server.push(&me.token, batch).await;
    assert_eq!(status, StatusCode::OK);
    let errors: Vec<&str> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"].as_str().unwrap_or("accepted"))
        .collect();
    // Answers that do not fit the questionnaire, then shapes no self-assessment has.
    let mut expected = vec!["invalid_self_assessment"; 4];
    expected.extend(["invalid_data"; 7]);
    expected.push("unknown_path");
    assert_eq!(errors, expected, "{answer}");
    let (_, pulled) = server.pull(&me.token, "since=0").await;
    assert_eq!(pulled["events"], json!([]));
    server.stop().await;
}

#[tokio::test]
async fn only_the_owner_pushes_their_self_assessment() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    let ada = server.join(&code, "Ada").await;
    let bruno = server.join(&code, "Bruno").await;
    let mut for_ada = before(json!([2, 2, 2]));
    for_ada["user_id"] = json!(ada.id);
    let (_, answer) = server.push(&bruno.token, json!([for_ada.clone()])).await;
    assert_eq!(answer["results"][0]["error"], "not_allowed", "{answer}");
    let (_, answer) = server.push(&ada.token, json!([for_ada])).await;
    assert_eq!(statuses(&answer), ["accepted"], "{answer}");
    server.stop().await;
}
