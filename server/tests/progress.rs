//! `GET /api/progress`: the same report core computes, over the caller's synced events only.

mod common;

use common::{TestServer, Workspace, completed, submitted};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

#[tokio::test]
async fn progress_comes_from_the_callers_synced_events() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let other = server.learner().await;
    let quiz = json!({"id": Uuid::new_v4(), "kind": "quiz_submitted", "activity_id": "demo-quiz",
        "at": "2026-11-25T10:00:00Z", "data": {"answers": [[0], 400], "passed": true, "score": 100}});
    server
        .push(
            &learner.token,
            json!([completed(Uuid::new_v4(), "demo-lezione"), quiz]),
        )
        .await;
    server
        .push(&other.token, json!([submitted(Uuid::new_v4())]))
        .await;

    let response = server
        .client
        .get(server.url("/api/progress"))
        .bearer_auth(&learner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let report: Value = response.json().await.unwrap();
    assert_eq!(
        report["activities"],
        json!({"demo-lezione": "done", "demo-quiz": "done"}),
        "not the other learner's challenge"
    );
    assert_eq!(report["paths"]["demo"], 66);
    assert_eq!(
        report["badges"],
        json!(["demo-costanza"]),
        "a week with an activity; the module still needs its challenge"
    );

    let anonymous = server
        .client
        .get(server.url("/api/progress"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    server.stop().await;
}
