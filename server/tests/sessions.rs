//! Sessions: tokens unused for a while stop working, "sign out of every device", and an educator
//! removing a member who should not be in the cohort.

mod common;

use common::{Account, TestServer, Workspace, completed, error_code};
use officina_core::account::Role;
use officina_server::on;
use officina_server::store::backend::Db;
use officina_server::store::clock;
use reqwest::{Method, StatusCode};
use serde_json::json;
use time::Duration;
use uuid::Uuid;

async fn me(server: &TestServer, token: &str) -> StatusCode {
    server.get_with("/api/me", token).await.0
}

/// Says that `account`'s token was last used at `offset` from now (negative: in the past).
async fn last_used(db: &Db, account: &Account, offset: Duration) {
    let at = clock::at(offset);
    let hash = officina_server::auth::tokens::hash(&account.token).0;
    on!(db, c => sqlx::query("UPDATE sessions SET last_used_at = $1 WHERE token_hash = $2")
        .bind(&at)
        .bind(&hash[..])
        .execute(c)
        .await
        .map(drop))
    .unwrap();
}

async fn last_used_at(db: &Db, account: &Account) -> Option<String> {
    let hash = officina_server::auth::tokens::hash(&account.token).0;
    on!(db, c => sqlx::query_scalar("SELECT last_used_at FROM sessions WHERE token_hash = $1")
        .bind(&hash[..])
        .fetch_one(c)
        .await)
    .unwrap()
}

#[tokio::test]
async fn tokens_unused_too_long_stop_working_and_each_use_renews_them() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let db = server.store().await;
    let learner = server.learner().await;
    let educator = server.staff(Role::Educator, "Maria Rossi").await;
    for (who, kept, lost) in [
        (&learner, -Duration::days(89), -Duration::days(91)),
        (&educator, -Duration::hours(11), -Duration::hours(13)),
    ] {
        last_used(&db, who, kept).await;
        assert_eq!(me(&server, &who.token).await, StatusCode::OK, "{kept}");
        // The use renewed it: the same token works again for the whole idle time.
        last_used(&db, who, -Duration::minutes(2)).await;
        let before = last_used_at(&db, who).await;
        assert_eq!(me(&server, &who.token).await, StatusCode::OK);
        assert!(last_used_at(&db, who).await > before, "renewed");
        last_used(&db, who, lost).await;
        assert_eq!(
            me(&server, &who.token).await,
            StatusCode::UNAUTHORIZED,
            "{lost}"
        );
    }
    // A token never used since its login counts from the login.
    let fresh = server.learner().await;
    let (long_ago, hash) = (
        clock::at(-Duration::days(91)),
        officina_server::auth::tokens::hash(&fresh.token).0,
    );
    on!(&db, c => sqlx::query(
        "UPDATE sessions SET last_used_at = NULL, created_at = $1 WHERE token_hash = $2",
    )
    .bind(&long_ago)
    .bind(&hash[..])
    .execute(c)
    .await
    .map(drop))
    .unwrap();
    assert_eq!(me(&server, &fresh.token).await, StatusCode::UNAUTHORIZED);

    // Logging in again gives a working token, and the expired ones are forgotten.
    let (status, again) = server
        .staff_login("Maria Rossi", common::STAFF_PASSWORD)
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    let kept: Vec<Vec<u8>> = on!(&db, c =>
        sqlx::query_scalar("SELECT token_hash FROM sessions WHERE user_id = $1")
            .bind(&educator.id)
            .fetch_all(c)
            .await)
    .unwrap();
    let again = Account::from_answer(&again);
    assert_eq!(
        kept,
        [officina_server::auth::tokens::hash(&again.token).0.to_vec()]
    );
    assert_eq!(me(&server, &again.token).await, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn a_use_writes_the_token_at_most_once_a_minute() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let db = server.store().await;
    let learner = server.learner().await;
    last_used(&db, &learner, -Duration::seconds(30)).await;
    let before = last_used_at(&db, &learner).await;
    for _ in 0..3 {
        assert_eq!(me(&server, &learner.token).await, StatusCode::OK);
    }
    assert_eq!(last_used_at(&db, &learner).await, before, "not written");
    server.stop().await;
}

#[tokio::test]
async fn signing_out_of_every_device_ends_all_of_ones_tokens_only() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    let phone = server.join(&code, "Astro").await;
    let mut devices = vec![phone];
    for _ in 0..2 {
        let (status, session) = server.login(&code, "Astro").await;
        assert_eq!(status, StatusCode::OK);
        devices.push(Account::from_answer(&session));
    }
    let classmate = server.join(&code, "Luna").await;

    let (status, _) = server
        .call(Method::POST, "/api/logout/all", &devices[1], None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for device in &devices {
        assert_eq!(me(&server, &device.token).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(me(&server, &classmate.token).await, StatusCode::OK);
    let (status, _) = server.login(&code, "Astro").await;
    assert_eq!(status, StatusCode::OK, "signing in again works");
    let (status, body) = server.post_anonymous("/api/logout/all", &json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    server.stop().await;
}

#[tokio::test]
async fn an_educator_removes_a_member_whose_tokens_and_login_stop_and_events_stay() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let luca = server.staff(Role::Educator, "Luca").await;
    let lab = server.cohort("Laboratorio", "demo", &["Maria"]).await;
    let elsewhere = server.cohort("Altro", "demo", &["Luca"]).await;
    let intruder = server.join(&lab.join_code, "Intruso").await;
    let classmate = server.join(&lab.join_code, "Luna").await;
    let stranger = server.join(&elsewhere.join_code, "Sole").await;
    let (status, _) = server
        .push(
            &intruder.token,
            json!([completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let remove =
        |cohort: &str, member: &Account| format!("/api/cohorts/{cohort}/members/{}", member.id);

    // Another cohort's educator, a member, and a member of another cohort: 404.
    for (who, path) in [
        (&luca, remove(&lab.id, &intruder)),
        (&classmate, remove(&lab.id, &intruder)),
        (&maria, remove(&lab.id, &stranger)),
        (&maria, remove(&elsewhere.id, &stranger)),
        (&maria, remove(&lab.id, &maria)),
    ] {
        let (status, body) = server.call(Method::DELETE, &path, who, None).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::NOT_FOUND, "not_found"),
            "{path}"
        );
    }
    assert_eq!(me(&server, &intruder.token).await, StatusCode::OK);

    let path = remove(&lab.id, &intruder);
    for _ in 0..2 {
        let (status, _) = server.call(Method::DELETE, &path, &maria, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "and again");
    }
    assert_eq!(me(&server, &intruder.token).await, StatusCode::UNAUTHORIZED);
    let (status, _) = server
        .push(
            &intruder.token,
            json!([completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = server.login(&lab.join_code, "Intruso").await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "removed"),
        "{body}"
    );
    let wrong = json!({"code": lab.join_code, "nickname": "Intruso", "secret": "000000"});
    let (status, _) = server.post_anonymous("/api/login", &wrong).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "nothing said without the secret"
    );
    assert_eq!(me(&server, &classmate.token).await, StatusCode::OK);
    assert_eq!(me(&server, &stranger.token).await, StatusCode::OK);

    let detail = server
        .get_json(&format!("/api/cohorts/{}", lab.id), &maria)
        .await;
    let roster: Vec<&str> = detail["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["nickname"].as_str().unwrap())
        .collect();
    assert_eq!(roster, ["Luna"], "the roster leaves the removed member out");
    let db = server.store().await;
    let events: i64 = on!(&db, c =>
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE user_id = $1")
            .bind(&intruder.id)
            .fetch_one(c)
            .await)
    .unwrap();
    assert_eq!(events, 1, "their events stay for the reports");
    server.stop().await;
}
