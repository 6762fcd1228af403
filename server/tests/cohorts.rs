//! A cohort's settings: its educators switch points and streaks off, and streak badges stop.

mod common;

use common::{Account, TestServer, Workspace, completed, fixture_content};
use officina_core::account::Role;
use officina_server::admin;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

async fn get(server: &TestServer, path: &str, who: &Account) -> Value {
    server
        .client
        .get(server.url(path))
        .bearer_auth(&who.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn put_settings(server: &TestServer, cohort: &str, who: &Account, body: Value) -> StatusCode {
    let url = server.url(&format!("/api/cohorts/{cohort}/settings"));
    server
        .client
        .put(url)
        .bearer_auth(&who.token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn the_cohorts_educator_switches_points_and_streaks_off_and_streak_badges_stop() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let other = server.staff(Role::Educator, "Luca").await;
    let cohort = admin::create_cohort(
        server.db(),
        &fixture_content(),
        "Lab",
        "demo",
        &["Maria".into()],
    )
    .await
    .unwrap();
    let learner = server.join(&cohort.join_code, "Astro").await;

    let mine = get(&server, "/api/cohort", &learner).await;
    assert_eq!(
        (mine["path_id"].as_str(), mine["xp_and_streaks"].as_bool()),
        (Some("demo"), Some(true))
    );
    let cohort_id = mine["id"].as_str().unwrap().to_owned();

    assert_eq!(
        put_settings(
            &server,
            &cohort_id,
            &other,
            json!({"xp_and_streaks": false})
        )
        .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        put_settings(
            &server,
            &cohort_id,
            &learner,
            json!({"xp_and_streaks": false})
        )
        .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        put_settings(&server, &cohort_id, &maria, json!({"xp_and_streaks": "no"})).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        put_settings(
            &server,
            &cohort_id,
            &maria,
            json!({"xp_and_streaks": false})
        )
        .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        get(&server, "/api/cohort", &learner).await["xp_and_streaks"],
        false
    );

    // One week with an activity would earn the one-week streak badge; not in this cohort now.
    server
        .push(
            &learner.token,
            json!([completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;
    let badges = get(&server, "/api/badges", &learner).await;
    let ids: Vec<&str> = badges["assertions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["badge_id"].as_str())
        .collect();
    assert!(!ids.contains(&"demo-costanza"), "{ids:?}");
    let report = get(&server, "/api/progress", &learner).await;
    assert_eq!(
        (report["xp"].as_u64(), report["badges"].clone()),
        (Some(0), json!([]))
    );

    // In a cohort with streaks on, the same week earns it.
    let other_learner = server.learner().await;
    server
        .push(
            &other_learner.token,
            json!([completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;
    let badges = get(&server, "/api/badges", &other_learner).await;
    assert_eq!(badges["assertions"][0]["badge_id"], "demo-costanza");
    server.stop().await;
}
