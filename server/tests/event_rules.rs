//! Issue #13 on a real socket: every event a device pushes is checked against the programme by
//! core's rules, with one reason code per refused event; what is refused never counts.

mod common;

use common::{Account, TestServer, Workspace, completed};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

const AT: &str = "2026-11-25T10:00:00.000Z";

fn event(kind: &str, activity: &str, data: Value) -> Value {
    json!({"id": Uuid::new_v4(), "kind": kind, "activity_id": activity, "at": AT, "data": data})
}

fn at(mut event: Value, at: &str) -> Value {
    event["at"] = json!(at);
    event
}

/// The right answers to the fixture's `demo-quiz` (2 + 2, the ISS's height) and their result.
fn passing_quiz() -> Value {
    event(
        "quiz_submitted",
        "demo-quiz",
        json!({"answers": [[0], 410.0], "score": 100, "passed": true}),
    )
}

/// The server's clock moved by `hours`, as RFC 3339.
fn hours_from_now(hours: i64) -> String {
    let when = time::OffsetDateTime::now_utc() + time::Duration::hours(hours);
    when.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// `(status, error)` of each result of a push.
fn outcomes(answer: &Value) -> Vec<(String, String)> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let text = |field: &str| r[field].as_str().unwrap_or_default().to_owned();
            (text("status"), text("error"))
        })
        .collect()
}

/// A child and her mother in a new family cohort, not linked yet.
async fn family(server: &TestServer) -> (Account, Account) {
    let code = server.cohort("Famiglie", "famiglia", &[]).await.join_code;
    let child = server.join(&code, "Luna").await;
    let mum = server.parent(&code, "Mamma di Luna").await;
    (child, mum)
}

async fn progress(server: &TestServer, who: &Account) -> Value {
    server.get_json("/api/progress", who).await
}

/// Each forgery with the reason it must be refused for.
fn forgeries() -> Vec<(&'static str, Value)> {
    let long = |n: usize| "x".repeat(n);
    let mut stray = completed(Uuid::new_v4(), "demo-lezione");
    stray["data"] = json!({"passed": true});
    let mut huge = event("challenge_submitted", "demo-sfida", json!({"text": "ok"}));
    huge["data"]["padding"] = json!(long(40_000));
    vec![
        ("wrong_kind", completed(Uuid::new_v4(), "demo-quiz")),
        ("wrong_kind", completed(Uuid::new_v4(), "demo-sfida")),
        (
            "wrong_kind",
            completed(Uuid::new_v4(), "famiglia-esperimento"),
        ),
        (
            "wrong_kind",
            event(
                "quiz_submitted",
                "demo-lezione",
                json!({"answers": [], "score": 0, "passed": false}),
            ),
        ),
        (
            "wrong_kind",
            event("challenge_submitted", "demo-quiz", json!({"text": "fatto"})),
        ),
        (
            "score_mismatch",
            event(
                "quiz_submitted",
                "demo-quiz",
                json!({"answers": [[1], 9.0], "score": 100, "passed": true}),
            ),
        ),
        (
            "score_mismatch",
            event(
                "quiz_submitted",
                "demo-quiz",
                json!({"answers": [[0], 410.0], "score": 99, "passed": true}),
            ),
        ),
        (
            "invalid_data",
            event("quiz_submitted", "demo-quiz", json!({"passed": true})),
        ),
        (
            "invalid_data",
            event(
                "quiz_submitted",
                "demo-quiz",
                json!({"answers": [[0], 410, [0]], "score": 100, "passed": true}),
            ),
        ),
        ("invalid_data", stray),
        (
            "invalid_data",
            event(
                "challenge_submitted",
                "demo-sfida",
                json!({"text": long(4001)}),
            ),
        ),
        (
            "invalid_data",
            event(
                "family_task_confirmed",
                "famiglia-esperimento",
                json!({"role": "child", "reflection": long(2001)}),
            ),
        ),
        ("too_large", huge),
        (
            "invalid_time",
            at(completed(Uuid::new_v4(), "demo-lezione"), "ieri"),
        ),
        (
            "invalid_time",
            at(
                completed(Uuid::new_v4(), "demo-lezione"),
                "2026-11-25T10:00:00",
            ),
        ),
        (
            "future_time",
            at(
                completed(Uuid::new_v4(), "demo-lezione"),
                "9999-12-31T23:59:59Z",
            ),
        ),
        (
            "future_time",
            at(
                completed(Uuid::new_v4(), "demo-lezione"),
                &hours_from_now(25),
            ),
        ),
        ("unknown_activity", completed(Uuid::new_v4(), "marte")),
        (
            "wrong_role",
            event(
                "family_task_confirmed",
                "famiglia-esperimento",
                json!({"role": "parent"}),
            ),
        ),
        (
            "not_allowed",
            event(
                "challenge_reviewed",
                "demo-sfida",
                json!({"status": "approved"}),
            ),
        ),
    ]
}

#[tokio::test]
async fn every_forgery_is_refused_with_its_reason_and_counts_for_nothing() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let (reasons, events): (Vec<&str>, Vec<Value>) = forgeries().into_iter().unzip();
    let (status, answer) = server.push(&me.token, json!(events)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let refused: Vec<(String, String)> = reasons
        .iter()
        .map(|r| ("rejected".to_owned(), (*r).to_owned()))
        .collect();
    assert_eq!(outcomes(&answer), refused);
    assert_eq!(answer["cursor"], 0, "nothing was stored");
    let report = progress(&server, &me).await;
    assert_eq!(report["activities"], json!({}), "{report}");
    assert_eq!(report["badges"], json!([]));
    server.stop().await;
}

#[tokio::test]
async fn legitimate_work_is_accepted_up_to_the_limits() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let batch = json!([
        completed(Uuid::new_v4(), "demo-lezione"),
        passing_quiz(),
        event(
            "challenge_submitted",
            "demo-sfida",
            json!({"text": "x".repeat(4000)})
        ),
        event(
            "family_task_confirmed",
            "famiglia-esperimento",
            json!({"role": "child", "reflection": "r".repeat(2000)})
        ),
        // A device clock a day ahead (a time zone set wrong) is still believed.
        at(
            completed(Uuid::new_v4(), "demo-lezione"),
            &hours_from_now(23)
        ),
    ]);
    let (status, answer) = server.push(&me.token, batch).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        outcomes(&answer).iter().all(|(s, _)| s == "accepted"),
        "{answer}"
    );
    let report = progress(&server, &me).await;
    assert_eq!(report["activities"]["demo-quiz"], "done", "{report}");
    assert_eq!(report["activities"]["demo-sfida"], "done");
    assert_eq!(
        report["activities"]["famiglia-esperimento"], "in_progress",
        "a family task needs a parent's confirmation too"
    );
    server.stop().await;
}

#[tokio::test]
async fn forgeries_sent_at_once_from_many_devices_are_all_refused() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let client = reqwest::Client::new();
    let pushes: Vec<_> = (0..8)
        .map(|_| {
            let body = json!({"device_id": Uuid::new_v4(), "events": [
                completed(Uuid::new_v4(), "demo-quiz"),
                completed(Uuid::new_v4(), "demo-sfida"),
                completed(Uuid::new_v4(), "demo-lezione"),
            ]});
            let request = client
                .post(server.url("/api/sync/push"))
                .bearer_auth(&me.token)
                .json(&body);
            tokio::spawn(async move {
                let response = request.send().await.unwrap();
                (response.status(), response.json::<Value>().await.unwrap())
            })
        })
        .collect();
    for push in pushes {
        let (status, answer) = push.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        let statuses: Vec<String> = outcomes(&answer).into_iter().map(|(s, _)| s).collect();
        assert_eq!(statuses, ["rejected", "rejected", "accepted"]);
    }
    let report = progress(&server, &me).await;
    assert_eq!(
        report["paths"]["demo"], 33,
        "only the lesson of three: {report}"
    );
    assert_eq!(
        report["badges"],
        json!(["demo-costanza"]),
        "a week with a lesson, never the module's badge"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_whole_push_over_the_body_limit_is_413() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    // Each event under 32 KiB, together over 1 MiB.
    let events: Vec<Value> = (0..40)
        .map(|_| {
            event(
                "challenge_submitted",
                "demo-sfida",
                json!({"text": "é".repeat(4000), "pad": "x".repeat(20_000)}),
            )
        })
        .collect();
    let (status, _) = server.push(&me.token, json!(events)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    server.stop().await;
}

#[tokio::test]
async fn back_dated_events_count_for_progress_but_not_for_a_streak() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let from_2020: Vec<Value> = ["2020-01-06", "2020-01-13", "2020-01-20", "2020-01-27"]
        .iter()
        .map(|day| {
            at(
                completed(Uuid::new_v4(), "demo-lezione"),
                &format!("{day}T10:00:00Z"),
            )
        })
        .collect();
    let (_, answer) = server.push(&me.token, json!(from_2020)).await;
    assert!(outcomes(&answer).iter().all(|(s, _)| s == "accepted"));
    let report = progress(&server, &me).await;
    assert_eq!(
        report["activities"]["demo-lezione"], "done",
        "progress counts"
    );
    assert_eq!(
        report["badges"],
        json!([]),
        "no week of 2020 counts for the one-week streak badge"
    );
    // Three weeks offline are still a streak: this week's work counts.
    let recent = at(
        completed(Uuid::new_v4(), "demo-lezione"),
        &hours_from_now(-21 * 24),
    );
    server.push(&me.token, json!([recent])).await;
    let report = progress(&server, &me).await;
    assert_eq!(report["badges"], json!(["demo-costanza"]), "{report}");
    server.stop().await;
}

#[tokio::test]
async fn once_linked_each_side_receives_the_others_earlier_confirmations_once() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let (child, mum) = family(&server).await;
    let confirm = |role: &str| {
        event(
            "family_task_confirmed",
            "famiglia-esperimento",
            json!({"role": role, "reflection": format!("pensiero di {role}")}),
        )
    };
    server.push(&child.token, json!([confirm("child")])).await;
    server.push(&mum.token, json!([confirm("parent")])).await;
    // Each device has synced past the other's confirmation, which it could not read then.
    let cursor = |answer: &Value| answer["cursor"].as_i64().unwrap();
    let (_, mums) = server.pull(&mum.token, "since=0").await;
    let (_, childs) = server.pull(&child.token, "since=0").await;
    assert_eq!(mums["events"].as_array().unwrap().len(), 1);

    let code = server.family_code(&child).await;
    assert_eq!(server.family_link(&mum, &code).await.0, StatusCode::CREATED);
    let (_, pending) = server
        .pull(&mum.token, &format!("since={}", cursor(&mums)))
        .await;
    assert_eq!(
        pending["events"],
        json!([]),
        "nothing crosses a pending link"
    );
    assert_eq!(server.confirm_links_of(&child).await, 1);

    for (who, before, other) in [
        (&mum, cursor(&mums), &child),
        (&child, cursor(&childs), &mum),
    ] {
        let (_, page) = server.pull(&who.token, &format!("since={before}")).await;
        let theirs: Vec<&Value> = page["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["user_id"] == other.id.as_str())
            .collect();
        assert_eq!(
            theirs.len(),
            1,
            "the other side's confirmation arrives: {page}"
        );
        assert!(
            theirs[0]["data"].get("reflection").is_none(),
            "never the reflection"
        );
        let (_, again) = server
            .pull(&who.token, &format!("since={}", cursor(&page)))
            .await;
        assert_eq!(again["events"], json!([]), "exactly once");
    }
    let report = progress(&server, &child).await;
    assert_eq!(report["activities"]["famiglia-esperimento"], "done");
    server.stop().await;
}

#[tokio::test]
async fn the_audit_finds_and_withdraws_badges_issued_from_forged_events() {
    use officina_core::badges::Earned;
    use officina_server::on;
    use officina_server::store::assertions;
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    server
        .push(
            &me.token,
            json!([completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;
    // What an older server stored and issued: the quiz and the challenge "completed".
    let db = server.store().await;
    let mut forged = Vec::new();
    for activity in ["demo-quiz", "demo-sfida"] {
        let id = Uuid::new_v4();
        on!(&db, c => sqlx::query("INSERT INTO events (id, device_id, user_id, kind, activity_id, at, data) VALUES ($1, 'd', $2, 'activity_completed', $3, $4, '{}')")
            .bind(id.to_string())
            .bind(&me.id)
            .bind(activity)
            .bind(AT)
            .execute(c)
            .await
            .map(drop))
        .unwrap();
        forged.push(id);
    }
    let earned = Earned {
        on: AT.into(),
        events: forged.clone(),
    };
    let mut conn = db.acquire().await.unwrap();
    assert!(
        assertions::insert_if_new(conn.conn(), &me.id, "demo-badge", &earned)
            .await
            .unwrap()
    );
    drop(conn);
    let issued = assertions::of_user(&db, &me.id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.badge_id == "demo-badge")
        .unwrap();

    let audit = |revoke: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_officina-server"));
        command
            .args(["audit", "badges", "--db"])
            .arg(server.db_arg());
        command.arg("--content").arg(common::fixture_content());
        if revoke {
            command.arg("--revoke");
        }
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let report = audit(false);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 2, "{report}");
    let fields: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(
        fields[..3],
        [issued.id.as_str(), me.id.as_str(), "demo-badge"]
    );
    for id in &forged {
        assert!(fields[3].contains(&format!("{id}: wrong_kind")), "{report}");
    }
    assert!(lines[1].ends_with(": 1"), "{report}");
    let public = server.url(&format!("/ob/assertions/{}", issued.id));
    assert_eq!(
        reqwest::get(&public).await.unwrap().status(),
        StatusCode::OK
    );

    assert!(audit(true).lines().last().unwrap().ends_with(": 1"));
    let response = reqwest::get(&public).await.unwrap();
    assert_eq!(response.status(), StatusCode::GONE);
    let document: Value = response.json().await.unwrap();
    assert!(
        document["revocationReason"]
            .as_str()
            .unwrap()
            .contains("regole")
    );
    assert_eq!(
        audit(false).lines().collect::<Vec<_>>(),
        ["asserzioni da revocare: 0"]
    );
    server.stop().await;
}

#[tokio::test]
async fn linking_again_and_again_grows_the_cursor_only_by_what_it_redelivers() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let (child, mum) = family(&server).await;
    let confirmation = event(
        "family_task_confirmed",
        "famiglia-esperimento",
        json!({"role": "child"}),
    );
    server.push(&child.token, json!([confirmation])).await;
    for _ in 0..70 {
        let code = server.family_code(&child).await;
        let (status, _) = server.family_link(&mum, &code).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(server.confirm_links_of(&child).await, 1);
        let unlink = format!("/api/family/links/{}", child.id);
        let (status, _) = server
            .call(reqwest::Method::DELETE, &unlink, &mum, None)
            .await;
        assert!(status.is_success(), "{status}");
    }
    let (status, answer) = server
        .push(
            &child.token,
            json!([completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["cursor"], 72,
        "one confirmation moved once per confirmed link, then the lesson"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_challenge_sent_back_for_changes_is_not_done_until_a_new_version_comes() {
    use officina_core::account::Role;
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let lab = server.cohort("Lab", "demo", &["Maria"]).await;
    let me = server.join(&lab.join_code, "Astro").await;
    let sloppy = event("challenge_submitted", "demo-sfida", json!({"text": "."}));
    let batch = json!([
        completed(Uuid::new_v4(), "demo-lezione"),
        passing_quiz(),
        sloppy
    ]);
    server.push(&me.token, batch).await;
    assert_eq!(progress(&server, &me).await["paths"]["demo"], 100);

    let mut sent_back = event(
        "challenge_reviewed",
        "demo-sfida",
        json!({"status": "changes_requested", "comment": "Racconta che cosa hai fatto."}),
    );
    sent_back["user_id"] = json!(me.id);
    let (_, answer) = server.push(&maria.token, json!([sent_back])).await;
    assert_eq!(outcomes(&answer)[0].0, "accepted", "{answer}");
    let report = progress(&server, &me).await;
    assert_eq!(
        report["activities"]["demo-sfida"], "in_progress",
        "{report}"
    );
    assert_eq!(report["paths"]["demo"], 66);

    let better = event(
        "challenge_submitted",
        "demo-sfida",
        json!({"text": "Il razzo è salito di 12 m."}),
    );
    server.push(&me.token, json!([better])).await;
    assert_eq!(
        progress(&server, &me).await["activities"]["demo-sfida"],
        "done"
    );
    server.stop().await;
}

#[tokio::test]
async fn an_event_is_measured_as_sent() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let lesson = completed(Uuid::new_v4(), "demo-lezione").to_string();
    // The same event, padded with 33 000 spaces inside its JSON: longer than 32 KiB as sent.
    let padded = lesson.replacen('{', &format!("{{{}", " ".repeat(33_000)), 1);
    let body = format!(
        r#"{{"device_id": "{}", "events": [{padded}]}}"#,
        Uuid::new_v4()
    );
    let response = server
        .client
        .post(server.url("/api/sync/push"))
        .bearer_auth(&me.token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(outcomes(&answer), [("rejected".into(), "too_large".into())]);
    let (_, answer) = server
        .push(
            &me.token,
            json!([serde_json::from_str::<Value>(&lesson).unwrap()]),
        )
        .await;
    assert_eq!(
        outcomes(&answer)[0].0,
        "accepted",
        "the same event, sent compactly"
    );
    server.stop().await;
}
