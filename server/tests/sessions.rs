//! Sessions: tokens unused for a while stop working, "sign out of every device", and an educator
//! removing a member who should not be in the cohort.

mod common;

use common::{Account, TestServer, Workspace, completed, error_code};
use officina_core::account::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::SqlitePool;
use uuid::Uuid;

async fn me(server: &TestServer, token: &str) -> StatusCode {
    server.get_with("/api/me", token).await.0
}

/// Says that `account`'s token was last used at `modifier` from now (an SQLite date modifier).
async fn last_used(db: &SqlitePool, account: &Account, modifier: &str) {
    sqlx::query(
        "UPDATE sessions SET last_used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', $1)
         WHERE token_hash = $2",
    )
    .bind(modifier)
    .bind(&officina_server::auth::tokens::hash(&account.token).0[..])
    .execute(db)
    .await
    .unwrap();
}

async fn last_used_at(db: &SqlitePool, account: &Account) -> Option<String> {
    sqlx::query_scalar("SELECT last_used_at FROM sessions WHERE token_hash = $1")
        .bind(&officina_server::auth::tokens::hash(&account.token).0[..])
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn tokens_unused_too_long_stop_working_and_each_use_renews_them() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let db = officina_server::db::open(server.db()).await.unwrap();
    let learner = server.learner().await;
    let educator = server.staff(Role::Educator, "Maria Rossi").await;
    for (who, kept, lost) in [
        (&learner, "-89 days", "-91 days"),
        (&educator, "-11 hours", "-13 hours"),
    ] {
        last_used(&db, who, kept).await;
        assert_eq!(me(&server, &who.token).await, StatusCode::OK, "{kept}");
        // The use renewed it: the same token works again for the whole idle time.
        last_used(&db, who, "-2 minutes").await;
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
    sqlx::query(
        "UPDATE sessions SET last_used_at = NULL,
             created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-91 days')
         WHERE token_hash = $1",
    )
    .bind(&officina_server::auth::tokens::hash(&fresh.token).0[..])
    .execute(&db)
    .await
    .unwrap();
    assert_eq!(me(&server, &fresh.token).await, StatusCode::UNAUTHORIZED);

    // Logging in again gives a working token, and the expired ones are forgotten.
    let (status, again) = server
        .staff_login("Maria Rossi", common::STAFF_PASSWORD)
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    let kept: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT token_hash FROM sessions WHERE user_id = $1")
            .bind(&educator.id)
            .fetch_all(&db)
            .await
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
    let db = officina_server::db::open(server.db()).await.unwrap();
    let learner = server.learner().await;
    last_used(&db, &learner, "-30 seconds").await;
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
    let db = officina_server::db::open(server.db()).await.unwrap();
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE user_id = $1")
        .bind(&intruder.id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(events, 1, "their events stay for the reports");
    server.stop().await;
}
