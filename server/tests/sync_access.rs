//! Who may push and pull what, and the pull protocol itself, on a real socket.

mod common;

use common::{TestServer, Workspace, completed, statuses, submitted};
use officina_core::account::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

fn ids(pull: &Value) -> Vec<&str> {
    pull["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect()
}

fn award(learner: &str, badge: &str) -> Value {
    json!({"id": Uuid::new_v4(), "user_id": learner, "kind": "badge_awarded", "at": "2026-11-25T10:00:00Z", "data": {"badge_id": badge}})
}

#[tokio::test]
async fn sync_needs_a_valid_token() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let body =
        json!({"device_id": Uuid::new_v4(), "events": [completed(Uuid::new_v4(), "demo-lezione")]});
    let anonymous = server
        .client
        .post(server.url("/api/sync/push"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let answer: Value = anonymous.json().await.unwrap();
    assert_eq!(answer["error"]["code"], "unauthorized");
    let anonymous_pull = server
        .client
        .get(server.url("/api/sync/pull"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous_pull.status(), StatusCode::UNAUTHORIZED);
    for token in ["sbagliato", &learner.token[1..]] {
        let (status, answer) = server
            .push(token, json!([completed(Uuid::new_v4(), "demo-lezione")]))
            .await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("unauthorized"))
        );
        assert_eq!(
            server.pull(token, "since=0").await.0,
            StatusCode::UNAUTHORIZED
        );
    }

    let logout = server
        .client
        .post(server.url("/api/logout"))
        .bearer_auth(&learner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        server.push(&learner.token, json!([])).await.0,
        StatusCode::UNAUTHORIZED,
        "revoked"
    );
    assert_eq!(
        server.pull(&learner.token, "").await.0,
        StatusCode::UNAUTHORIZED,
        "revoked"
    );
    server.stop().await;
}

#[tokio::test]
async fn events_without_an_owner_become_the_callers() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let before_joining = completed(Uuid::new_v4(), "demo-lezione");
    let (_, answer) = server
        .push(&learner.token, json!([before_joining.clone()]))
        .await;
    assert_eq!(statuses(&answer), ["accepted"]);
    let (status, pulled) = server.pull(&learner.token, "since=0").await;
    assert_eq!(status, StatusCode::OK);
    let stored = &pulled["events"][0];
    assert_eq!(stored["user_id"], learner.id.as_str());
    assert_eq!(stored["id"], before_joining["id"]);
    assert!(stored["seq"].as_i64().is_some() && stored["received_at"].as_str().is_some());
    // The same event, now with its owner written out, is the same event.
    let mut owned = before_joining;
    owned["user_id"] = json!(learner.id);
    let (_, again) = server.push(&learner.token, json!([owned])).await;
    assert_eq!(statuses(&again), ["duplicate"]);
    server.stop().await;
}

#[tokio::test]
async fn learners_neither_write_nor_read_each_others_events() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    let astro = server.join(&code, "Astro").await;
    let luna = server.join(&code, "Luna").await;
    let stranger = server.learner().await;

    let mut forged = completed(Uuid::new_v4(), "demo-lezione");
    forged["user_id"] = json!(luna.id);
    let mut self_award = award(&astro.id, "demo-badge");
    self_award["user_id"] = json!(astro.id);
    let (_, answer) = server
        .push(
            &astro.token,
            json!([forged, self_award, award(&luna.id, "demo-badge")]),
        )
        .await;
    assert_eq!(statuses(&answer), ["rejected", "rejected", "rejected"]);
    assert!(
        answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["error"] == "not_allowed")
    );

    let (_, mine) = server
        .push(
            &astro.token,
            json!([completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;
    assert_eq!(statuses(&mine), ["accepted"]);
    let (_, lunas) = server
        .push(&luna.token, json!([submitted(Uuid::new_v4())]))
        .await;
    let lunas_id = lunas["results"][0]["id"].as_str().unwrap();

    let (_, astro_sees) = server.pull(&astro.token, "since=0").await;
    assert_eq!(
        ids(&astro_sees),
        [mine["results"][0]["id"].as_str().unwrap()]
    );
    let (_, luna_sees) = server.pull(&luna.token, "since=0").await;
    assert_eq!(ids(&luna_sees), [lunas_id]);
    let (_, stranger_sees) = server.pull(&stranger.token, "since=0").await;
    assert_eq!(
        stranger_sees,
        json!({"events": [], "cursor": 0, "more": false}),
        "another cohort sees nothing"
    );
    server.stop().await;
}

#[tokio::test]
async fn educators_award_badges_in_their_cohorts_only() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let other_educator = server.staff(Role::Educator, "Paolo").await;
    let administrator = server.staff(Role::Admin, "Direzione").await;
    let cohort = server.cohort("3A", "demo", &["Maria"]).await;
    let learner = server.join(&cohort.join_code, "Astro").await;

    let by_maria = award(&learner.id, "demo-badge");
    let (_, answer) = server
        .push(
            &maria.token,
            json!([
                by_maria.clone(),
                award(&learner.id, "nessun-badge"),
                award(&maria.id, "demo-badge")
            ]),
        )
        .await;
    assert_eq!(statuses(&answer), ["accepted", "rejected", "rejected"]);
    assert_eq!(answer["results"][1]["error"], "unknown_badge");
    assert_eq!(
        answer["results"][2]["error"], "not_allowed",
        "only learners get badges"
    );
    let (_, answer) = server
        .push(
            &other_educator.token,
            json!([award(&learner.id, "demo-badge")]),
        )
        .await;
    assert_eq!(
        answer["results"][0]["error"], "not_allowed",
        "not Paolo's cohort"
    );
    let (_, answer) = server
        .push(
            &administrator.token,
            json!([award(&learner.id, "demo-badge")]),
        )
        .await;
    assert_eq!(statuses(&answer), ["accepted"], "admins run every cohort");

    let (_, pulled) = server.pull(&learner.token, "since=0").await;
    assert_eq!(
        pulled["events"].as_array().unwrap().len(),
        2,
        "awards are the learner's events"
    );
    assert_eq!(pulled["events"][0]["id"], by_maria["id"]);
    server.stop().await;
}

fn review(learner: &str, activity: &str, data: Value) -> Value {
    json!({"id": Uuid::new_v4(), "user_id": learner, "kind": "challenge_reviewed", "activity_id": activity,
        "at": "2026-11-25T10:00:00Z", "data": data})
}

#[tokio::test]
async fn educators_review_challenges_in_their_cohorts_only_and_well_formed() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let cohort = server.cohort("3A", "demo", &["Maria"]).await;
    let learner = server.join(&cohort.join_code, "Astro").await;
    let stranger = server.learner().await;

    let approved = json!({"status": "approved", "comment": "Bel lavoro!"});
    let (_, answer) = server
        .push(
            &learner.token,
            json!([review(&learner.id, "demo-sfida", approved.clone())]),
        )
        .await;
    assert_eq!(
        answer["results"][0]["error"], "not_allowed",
        "learners do not approve their own work"
    );
    let mut earlier = review(
        &learner.id,
        "demo-sfida",
        json!({"status": "changes_requested"}),
    );
    earlier["at"] = json!("2026-11-25T09:00:00Z");
    let pushed = json!([
        review(&learner.id, "demo-sfida", approved.clone()),
        earlier,
        review(&learner.id, "demo-sfida", json!({"status": "ok"})),
        review(
            &learner.id,
            "demo-sfida",
            json!({"status": "approved", "comment": 5})
        ),
        review(
            &learner.id,
            "demo-sfida",
            json!({"status": "approved", "voto": 10})
        ),
        review(
            &learner.id,
            "demo-sfida",
            json!({"status": "approved", "comment": "x".repeat(2001)})
        ),
        review(&learner.id, "demo-lezione", approved.clone()),
        review(&learner.id, "non-esiste", approved.clone()),
        review(&stranger.id, "demo-sfida", approved),
    ]);
    let (_, answer) = server.push(&maria.token, pushed).await;
    let errors: Vec<&str> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        errors,
        [
            "",
            "",
            "invalid_data",
            "invalid_data",
            "invalid_data",
            "invalid_data",
            "wrong_kind",
            "unknown_activity",
            "not_allowed"
        ]
    );

    let progress: Value = server
        .client
        .get(server.url("/api/progress"))
        .bearer_auth(&learner.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        progress["activities"]["demo-sfida"], "in_progress",
        "the review the server received last decides, whatever the educator's clock said"
    );
    server.stop().await;
}

#[tokio::test]
async fn pull_pages_through_by_seq() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let events: Vec<Value> = (0..5)
        .map(|_| completed(Uuid::new_v4(), "demo-lezione"))
        .collect();
    server
        .push(&learner.token, Value::Array(events.clone()))
        .await;

    let (status, first) = server.pull(&learner.token, "since=0&limit=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["more"], true);
    assert_eq!(first["events"].as_array().unwrap().len(), 2);
    let cursor = first["cursor"].as_i64().unwrap();
    assert_eq!(cursor, first["events"][1]["seq"].as_i64().unwrap());
    let (_, rest) = server
        .pull(&learner.token, &format!("since={cursor}"))
        .await;
    assert_eq!(rest["more"], false);
    let seqs: Vec<i64> = first["events"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["events"].as_array().unwrap())
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert_eq!(seqs.len(), 5);
    let (_, nothing_new) = server
        .pull(&learner.token, &format!("since={}", rest["cursor"]))
        .await;
    assert_eq!(nothing_new["events"], json!([]));
    assert_eq!(
        nothing_new["cursor"], rest["cursor"],
        "the cursor stays put"
    );

    for bad in [
        "since=-1",
        "since=abc",
        "limit=0",
        "limit=1001",
        "limit=-5",
        "since=1.5",
        "cursor=3",
    ] {
        let (status, body) = server.pull(&learner.token, bad).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("bad_request")),
            "{bad}"
        );
    }
    assert_eq!(
        server.pull(&learner.token, "limit=1000").await.0,
        StatusCode::OK
    );
    server.stop().await;
}

#[tokio::test]
async fn hostile_pushes_get_a_clear_4xx_or_a_rejection_and_the_store_stays_intact() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let (_, kept) = server
        .push(
            &learner.token,
            json!([completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;

    let ten_thousand: Vec<Value> = (0..10_000)
        .map(|_| completed(Uuid::new_v4(), "demo-lezione"))
        .collect();
    let (status, body) = server
        .push(&learner.token, Value::Array(ten_thousand))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large"))
    );

    let (status, _) = server.push(&learner.token, json!([{"id": "non-un-uuid", "kind": "activity_completed", "at": "2026-11-25T10:00:00Z"}])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let bad_device = json!({"device_id": "'; DROP TABLE events; --", "events": []});
    let response = server
        .client
        .post(server.url("/api/sync/push"))
        .bearer_auth(&learner.token)
        .json(&bad_device)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // SQL and HTML inside an event's data are just data: stored and given back byte for byte.
    let mut quiz = submitted(Uuid::new_v4());
    quiz["at"] = json!("2026-11-25T10:00:00+02:00");
    quiz["data"] = json!({"text": "'); DROP TABLE events; -- <script>alert(1)</script>"});
    let mut hostile_user = completed(Uuid::new_v4(), "demo-lezione");
    hostile_user["user_id"] = json!("' OR '1'='1");
    let mut hostile_kind = completed(Uuid::new_v4(), "demo-lezione");
    hostile_kind["kind"] = json!("<b>x</b>");
    let (status, answer) = server
        .push(
            &learner.token,
            json!([
                quiz.clone(),
                hostile_user,
                hostile_kind,
                completed(Uuid::new_v4(), "<img src=x>")
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        statuses(&answer),
        ["accepted", "rejected", "rejected", "rejected"]
    );

    let (_, pulled) = server.pull(&learner.token, "since=0").await;
    assert_eq!(
        ids(&pulled),
        [
            kept["results"][0]["id"].as_str().unwrap(),
            quiz["id"].as_str().unwrap()
        ]
    );
    assert_eq!(pulled["events"][1]["data"], quiz["data"]);
    assert_eq!(
        pulled["events"][1]["at"], "2026-11-25T10:00:00+02:00",
        "the device's time, untouched"
    );
    server.stop().await;
}
