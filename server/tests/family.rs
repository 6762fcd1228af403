//! STEAMcamp Family on a real socket: linking with one-time codes, limits, unlinking, and what
//! a parent and a child see of each other's events.

mod common;

use common::{Account, TestServer, Workspace};
use officina_server::on;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

async fn new_code(server: &TestServer, account: &Account) -> String {
    let (status, body) = server
        .call(reqwest::Method::POST, "/api/family/code", account, None)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let code = body["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    assert!(body["expires_at"].as_str().unwrap().ends_with('Z'));
    code
}

async fn link(server: &TestServer, account: &Account, code: &str) -> (StatusCode, Value) {
    server.family_link(account, code).await
}

#[tokio::test]
async fn a_child_shows_a_code_and_a_parent_links_with_it_once() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.cohort("Famiglie", "famiglia", &[]).await.join_code;
    let child = server.join(&code, "Luna").await;
    let mum = server.parent(&code, "Mamma di Luna").await;

    let family_code = new_code(&server, &child).await;
    let (status, family) = link(&server, &mum, &family_code.to_lowercase()).await;
    assert_eq!(status, StatusCode::CREATED, "{family}");
    assert_eq!(
        family["children"],
        json!([{"id": child.id, "nickname": "Luna", "state": "pending"}])
    );
    let (_, seen_by_child) = server
        .call(reqwest::Method::GET, "/api/family", &child, None)
        .await;
    assert_eq!(
        seen_by_child["parents"],
        json!([{"id": mum.id, "nickname": "Mamma di Luna", "state": "pending"}]),
        "both sides see that an educator has yet to confirm it"
    );

    let dad = server.parent(&code, "Papà di Luna").await;
    let (status, body) = link(&server, &dad, &family_code).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("code_used"))
    );
    let (status, body) = link(&server, &dad, "ZZZZZZ").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("unknown_code"))
    );
    server.stop().await;
}

#[tokio::test]
async fn expired_codes_wrong_sides_and_a_third_parent_are_refused() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.cohort("Famiglie", "famiglia", &[]).await.join_code;
    let child = server.join(&code, "Sole").await;
    let other_child = server.join(&code, "Mare").await;
    let parents = [
        server.parent(&code, "Uno").await,
        server.parent(&code, "Due").await,
        server.parent(&code, "Tre").await,
    ];

    let same_side = new_code(&server, &child).await;
    let (status, body) = link(&server, &other_child, &same_side).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("wrong_role"))
    );

    let stale = new_code(&server, &child).await;
    let db = server.store().await;
    on!(&db, c => sqlx::query("UPDATE family_codes SET expires_at = '2000-01-01T00:00:00Z'")
        .execute(c)
        .await
        .map(drop))
    .unwrap();
    let (status, body) = link(&server, &parents[0], &stale).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::GONE, Some("code_expired"))
    );

    for parent in &parents[..2] {
        let code = new_code(&server, &child).await;
        assert_eq!(link(&server, parent, &code).await.0, StatusCode::CREATED);
    }
    let code = new_code(&server, &child).await;
    let (status, body) = link(&server, &parents[2], &code).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("too_many_parents"))
    );

    // Either side can unlink; then the third parent fits.
    let (status, _) = server
        .call(
            reqwest::Method::DELETE,
            &format!("/api/family/links/{}", parents[0].id),
            &child,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, family) = server
        .call(reqwest::Method::GET, "/api/family", &parents[0], None)
        .await;
    assert_eq!(family["children"], json!([]));
    let code = new_code(&server, &parents[2]).await;
    assert_eq!(link(&server, &child, &code).await.0, StatusCode::CREATED);
    server.stop().await;
}

#[tokio::test]
async fn parent_and_child_see_each_others_confirmations_and_nothing_else() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.cohort("Famiglie", "famiglia", &[]).await.join_code;
    let child = server.join(&code, "Stella").await;
    let dad = server.parent(&code, "Papà").await;
    let stranger = server.parent(&code, "Estraneo").await;
    let family_code = new_code(&server, &dad).await;
    assert_eq!(
        link(&server, &child, &family_code).await.0,
        StatusCode::CREATED
    );
    assert_eq!(server.confirm_links_of(&child).await, 1);

    let confirm = |role: &str, reflection: &str| {
        json!({"id": Uuid::new_v4(), "kind": "family_task_confirmed", "activity_id": "famiglia-esperimento",
               "at": "2026-11-25T18:00:00Z", "data": {"role": role, "reflection": reflection}})
    };
    let quiz = json!({"id": Uuid::new_v4(), "kind": "quiz_submitted", "activity_id": "demo-quiz",
                      "at": "2026-11-25T18:00:00Z", "data": {"passed": false, "answers": [[0]]}});
    server
        .push(
            &child.token,
            json!([confirm("child", "segreto del figlio"), quiz]),
        )
        .await;
    let (_, before) = server
        .call(reqwest::Method::GET, "/api/progress", &child, None)
        .await;
    assert_eq!(
        before["activities"]["famiglia-esperimento"], "in_progress",
        "waiting for the parent"
    );
    server
        .push(&dad.token, json!([confirm("parent", "segreto del papà")]))
        .await;

    let (_, after) = server
        .call(reqwest::Method::GET, "/api/progress", &child, None)
        .await;
    assert_eq!(
        after["activities"]["famiglia-esperimento"], "done",
        "{after}"
    );

    let (_, dads_view) = server.pull(&dad.token, "since=0").await;
    let kinds: Vec<(&str, &str)> = dads_view["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["user_id"].as_str().unwrap(), e["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            (child.id.as_str(), "family_task_confirmed"),
            (dad.id.as_str(), "family_task_confirmed")
        ],
        "no quiz answers"
    );
    assert_eq!(
        dads_view["events"][0]["data"],
        json!({"role": "child"}),
        "the child's reflection stays private"
    );
    assert_eq!(
        dads_view["events"][1]["data"]["reflection"], "segreto del papà",
        "one's own reflection comes back"
    );

    // Each confirms in their own role only.
    let (_, answer) = server
        .push(&child.token, json!([confirm("parent", "")]))
        .await;
    assert_eq!(answer["results"][0]["error"], "wrong_role");
    let (_, answer) = server.push(&dad.token, json!([confirm("child", "")])).await;
    assert_eq!(answer["results"][0]["error"], "wrong_role");

    let (_, strangers_view) = server.pull(&stranger.token, "since=0").await;
    assert_eq!(strangers_view["events"], json!([]));
    server.stop().await;
}

#[tokio::test]
async fn an_under_14_learners_badges_stay_in_officina_until_a_parents_link_is_confirmed() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.cohort("Famiglie", "famiglia", &[]).await.join_code;
    let child = server.join_aged(&code, "Piccola", "under_14").await;
    let module = [
        common::completed(Uuid::new_v4(), "demo-lezione"),
        common::submitted(Uuid::new_v4()),
        common::passed_quiz(Uuid::new_v4()),
    ];
    server.push(&child.token, json!(module)).await;

    let (_, before) = server
        .call(reqwest::Method::GET, "/api/badges", &child, None)
        .await;
    assert_eq!(before["consent_needed"], true);
    assert_eq!(
        before["assertions"],
        json!([]),
        "nothing leaves Officina yet"
    );
    let profile = before["profile_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let hidden = server
        .client
        .get(server.url(&format!("/ob/learners/{profile}")))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);

    let mum = server.parent(&code, "Mamma").await;
    let family_code = new_code(&server, &child).await;
    assert_eq!(
        link(&server, &mum, &family_code).await.0,
        StatusCode::CREATED
    );
    let (_, pending) = server
        .call(reqwest::Method::GET, "/api/badges", &child, None)
        .await;
    assert_eq!(
        (&pending["consent_needed"], &pending["assertions"]),
        (&json!(true), &json!([])),
        "a pending link is no consent"
    );
    assert_eq!(server.confirm_links_of(&child).await, 1);

    let (_, after) = server
        .call(reqwest::Method::GET, "/api/badges", &child, None)
        .await;
    assert_eq!(after["consent_needed"], false);
    let assertion = after["assertions"][0]["id"]
        .as_str()
        .expect("issued once a parent's link is confirmed")
        .to_owned();
    let shown = server
        .client
        .get(server.url(&format!("/ob/learners/{profile}")))
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), StatusCode::OK);
    // The linked parent sees the child's badges and may keep (download) them too; a stranger may not.
    let (status, for_parent) = server
        .call(
            reqwest::Method::GET,
            &format!("/api/family/{}/badges", child.id),
            &mum,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(for_parent["assertions"][0]["id"], assertion.as_str());
    let by_parent = server
        .get_response(&format!("/api/badges/{assertion}/baked.svg"), &mum.token)
        .await;
    assert_eq!(by_parent.status(), StatusCode::OK);
    let stranger = server.parent(&code, "Estranea").await;
    let by_stranger = server
        .get_response(
            &format!("/api/badges/{assertion}/baked.svg"),
            &stranger.token,
        )
        .await;
    assert_eq!(by_stranger.status(), StatusCode::NOT_FOUND);
    let (status, _) = server
        .call(
            reqwest::Method::GET,
            &format!("/api/family/{}/badges", child.id),
            &stranger,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}
