//! Account recovery on a real socket: an educator (or a confirmed parent) issues a one-time code,
//! the member signs in with it and a new PIN, keeping everything; guessing is limited like a login.

mod common;

use common::{Account, SECRET, TestServer, Workspace, completed, error_code};
use officina_core::account::Role;
use officina_server::on;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

const NEW_PIN: &str = "nuovo-pin-77";

async fn issue(server: &TestServer, path: &str, by: &Account) -> (StatusCode, String) {
    let (status, body) = server.call(Method::POST, path, by, None).await;
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

fn for_member(cohort: &str, user: &str) -> String {
    format!("/api/cohorts/{cohort}/members/{user}/recovery")
}

async fn recover(
    server: &TestServer,
    code: &str,
    nickname: &str,
    recovery: &str,
) -> (StatusCode, Value) {
    let body =
        json!({"code": code, "nickname": nickname, "recovery_code": recovery, "secret": NEW_PIN});
    server.post_anonymous("/api/recover", &body).await
}

#[tokio::test]
async fn a_learner_who_forgot_the_pin_is_back_in_with_an_educators_code_and_keeps_everything() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let cohort = server.cohort("3A", "demo", &["Maria"]).await;
    let astro = server.join(&cohort.join_code, "Astro").await;
    let other_phone = Account::from_answer(&server.login(&cohort.join_code, "Astro").await.1);
    server
        .push(
            &astro.token,
            json!([completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;

    let (status, code) = issue(&server, &for_member(&cohort.id, &astro.id), &maria).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(code.len(), 8);
    // Typed in lower case with a space, as read off a piece of paper.
    let typed = format!("{} {}", &code[..4], &code[4..]).to_lowercase();
    let (status, session) = recover(&server, &cohort.join_code, "astro", &typed).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    let back = Account::from_answer(&session);
    assert_eq!(back.id, astro.id, "the same account");
    let (_, pulled) = server.pull(&back.token, "since=0").await;
    assert_eq!(
        pulled["events"].as_array().unwrap().len(),
        1,
        "history intact"
    );
    for old in [&astro, &other_phone] {
        assert_eq!(
            server.get_with("/api/me", &old.token).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (status, _) = server.login(&cohort.join_code, "Astro").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the old PIN is gone");
    let login = json!({"code": cohort.join_code, "nickname": "Astro", "secret": NEW_PIN});
    assert_eq!(
        server.post_anonymous("/api/login", &login).await.0,
        StatusCode::OK
    );

    let (status, body) = recover(&server, &cohort.join_code, "Astro", &code).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::UNAUTHORIZED, "bad_recovery_code"),
        "used once"
    );
    server.stop().await;
}

#[tokio::test]
async fn only_the_cohorts_educators_admins_and_a_confirmed_parent_issue_codes() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let paolo = server.staff(Role::Educator, "Paolo").await;
    let admin = server.staff(Role::Admin, "Capo").await;
    let cohort = server.cohort("Famiglie", "famiglia", &[]).await;
    server.cohort("Altro", "demo", &["Paolo"]).await;
    let luna = server
        .join_aged(&cohort.join_code, "Luna", "under_14")
        .await;
    let sole = server.join(&cohort.join_code, "Sole").await;
    let mum = server.parent(&cohort.join_code, "Mamma di Luna").await;
    let code = server.family_code(&luna).await;
    assert_eq!(server.family_link(&mum, &code).await.0, StatusCode::CREATED);

    let path = for_member(&cohort.id, &luna.id);
    for (who, account) in [
        ("another cohort's educator", &paolo),
        ("a classmate", &sole),
        ("the learner", &luna),
        ("a pending parent", &mum),
    ] {
        assert_eq!(
            issue(&server, &path, account).await.0,
            StatusCode::NOT_FOUND,
            "{who}"
        );
    }
    let for_child = format!("/api/family/{}/recovery", luna.id);
    assert_eq!(
        issue(&server, &for_child, &mum).await.0,
        StatusCode::NOT_FOUND,
        "pending"
    );
    assert_eq!(
        issue(&server, &for_child, &sole).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        issue(&server, &for_member(&cohort.id, "nobody"), &admin)
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    assert_eq!(server.confirm_links_of(&luna).await, 1);
    let (status, first) = issue(&server, &for_child, &mum).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, second) = issue(&server, &path, &admin).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = recover(&server, &cohort.join_code, "Luna", &first).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a new code replaces the earlier one"
    );
    let (status, _) = recover(&server, &cohort.join_code, "Luna", &second).await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn guesses_sent_at_once_are_limited_and_a_right_code_sent_at_once_works_once() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let admin = server.staff(Role::Admin, "Capo").await;
    let cohort = server.cohort("3A", "demo", &[]).await;
    let astro = server.join(&cohort.join_code, "Astro").await;
    let vega = server.join(&cohort.join_code, "Vega").await;
    issue(&server, &for_member(&cohort.id, &astro.id), &admin).await;

    let statuses = concurrently(&server, 40, |i| {
        json!({"code": cohort.join_code, "nickname": "Astro", "recovery_code": format!("ZZZZ{i:04}"), "secret": NEW_PIN})
    })
    .await;
    let evaluated = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        evaluated <= 5,
        "at most 5 guesses evaluated, {evaluated} were"
    );
    assert_eq!(evaluated + limited, 40, "{statuses:?}");
    assert_eq!(
        server.login(&cohort.join_code, "Astro").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );

    let (_, code) = issue(&server, &for_member(&cohort.id, &vega.id), &admin).await;
    let statuses = concurrently(&server, 8, |_| {
        json!({"code": cohort.join_code, "nickname": "Vega", "recovery_code": code, "secret": NEW_PIN})
    })
    .await;
    let signed_in = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(signed_in, 1, "one use: {statuses:?}");
    server.stop().await;
}

#[tokio::test]
async fn expired_codes_short_pins_and_removed_members_are_refused() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let cohort = server.cohort("3A", "demo", &["Maria"]).await;
    let astro = server.join(&cohort.join_code, "Astro").await;
    let (_, code) = issue(&server, &for_member(&cohort.id, &astro.id), &maria).await;
    let short = json!({"code": cohort.join_code, "nickname": "Astro", "recovery_code": code, "secret": "123"});
    let (status, body) = server.post_anonymous("/api/recover", &short).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "invalid_secret")
    );
    let extra = json!({"code": cohort.join_code, "nickname": "Astro", "recovery_code": code, "secret": NEW_PIN, "role": "admin"});
    assert_eq!(
        server.post_anonymous("/api/recover", &extra).await.0,
        StatusCode::BAD_REQUEST
    );

    let db = server.store().await;
    on!(&db, c => sqlx::query("UPDATE recovery_codes SET expires_at = '2000-01-01T00:00:00Z'")
        .execute(c)
        .await
        .map(drop))
    .unwrap();
    assert_eq!(
        recover(&server, &cohort.join_code, "Astro", &code).await.0,
        StatusCode::UNAUTHORIZED
    );

    let (_, code) = issue(&server, &for_member(&cohort.id, &astro.id), &maria).await;
    let removal = format!("/api/cohorts/{}/members/{}", cohort.id, astro.id);
    assert_eq!(
        server.call(Method::DELETE, &removal, &maria, None).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, body) = recover(&server, &cohort.join_code, "Astro", &code).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::UNAUTHORIZED, "bad_recovery_code"),
        "a removed member's code ends with them"
    );
    assert_eq!(
        issue(&server, &for_member(&cohort.id, &astro.id), &maria)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let login = json!({"code": cohort.join_code, "nickname": "Astro", "secret": SECRET});
    assert_eq!(
        server.post_anonymous("/api/login", &login).await.0,
        StatusCode::FORBIDDEN,
        "PIN unchanged"
    );
    server.stop().await;
}

/// `n` recovery requests sent at once, with bodies made by `body`; their statuses.
async fn concurrently(
    server: &TestServer,
    n: usize,
    body: impl Fn(usize) -> Value,
) -> Vec<StatusCode> {
    let mut requests = tokio::task::JoinSet::new();
    for i in 0..n {
        let request = server
            .client
            .post(server.url("/api/recover"))
            .json(&body(i));
        requests.spawn(async move { request.send().await.unwrap().status() });
    }
    requests.join_all().await
}

#[tokio::test]
async fn a_code_dies_with_its_issuers_right_to_give_it() {
    let (_workspace, server, maria, cohort) = common::family_cohort_run_by_maria().await;
    let luna = server
        .join_aged(&cohort.join_code, "Luna", "under_14")
        .await;
    let sole = server.join(&cohort.join_code, "Sole").await;
    let mum = server.parent(&cohort.join_code, "Mamma").await;
    server.confirmed_link(&mum, &luna).await;
    server.confirmed_link(&mum, &sole).await;
    let (status, _) = issue(&server, &format!("/api/family/{}/recovery", sole.id), &mum).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "from 14 a code comes from the educator"
    );
    let (_, from_mum) = issue(&server, &format!("/api/family/{}/recovery", luna.id), &mum).await;
    let (_, from_maria) = issue(&server, &for_member(&cohort.id, &luna.id), &maria).await;
    // Luna unlinks her mother: the code her mother holds is dead.
    let unlink = format!("/api/family/links/{}", mum.id);
    assert_eq!(
        server.call(Method::DELETE, &unlink, &luna, None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        recover(&server, &cohort.join_code, "Luna", &from_mum)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // Maria no longer runs the cohort: hers is dead too.
    let admin = server.admin().await;
    let educators = format!("/api/cohorts/{}/educators", cohort.id);
    let (status, _) = server
        .call(Method::PUT, &educators, admin, Some(json!({"names": []})))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        recover(&server, &cohort.join_code, "Luna", &from_maria)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // An admin's code lives as long as the admin is active.
    let (_, from_admin) = issue(&server, &for_member(&cohort.id, &luna.id), admin).await;
    assert_eq!(
        recover(&server, &cohort.join_code, "Luna", &from_admin)
            .await
            .0,
        StatusCode::OK
    );
    server.stop().await;
}
