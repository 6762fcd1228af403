//! Cohorts for the staff who run them: creation and its rules, who sees what, the roster, join
//! codes (rotate, close, reopen, QR) and settings.

mod common;

use common::{Account, TestServer, Workspace, completed, error_code};
use officina_core::account::Role;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

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
    let cohort = server.cohort("Lab", "demo", &["Maria"]).await;
    let learner = server.join(&cohort.join_code, "Astro").await;

    let mine = server.get_json("/api/cohort", &learner).await;
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
        server.get_json("/api/cohort", &learner).await["xp_and_streaks"],
        false
    );

    // One week with an activity would earn the one-week streak badge; not in this cohort now.
    server
        .push(
            &learner.token,
            json!([completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;
    let badges = server.get_json("/api/badges", &learner).await;
    let ids: Vec<&str> = badges["assertions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["badge_id"].as_str())
        .collect();
    assert!(!ids.contains(&"demo-costanza"), "{ids:?}");
    let report = server.get_json("/api/progress", &learner).await;
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
    let badges = server.get_json("/api/badges", &other_learner).await;
    assert_eq!(badges["assertions"][0]["badge_id"], "demo-costanza");
    server.stop().await;
}

/// A valid `POST /api/cohorts` body on the fixture's `demo` path.
fn new_cohort(name: &str) -> Value {
    json!({"name": name, "path_id": "demo", "audience": "2ª B, scuola media Galateo",
           "starts_on": "2026-03-02", "ends_on": "2026-05-29"})
}

/// Creates a cohort through the API as `who`; its detail.
async fn create(server: &TestServer, who: &Account, body: Value) -> Value {
    let (status, detail) = server
        .call(Method::POST, "/api/cohorts", who, Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{detail}");
    detail
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect()
}

/// Every endpoint for the staff who run cohort `id`, with a body each would accept.
fn staff_endpoints(id: &str) -> Vec<(Method, String, Option<Value>)> {
    let cohort = format!("/api/cohorts/{id}");
    vec![
        (Method::GET, cohort.clone(), None),
        (
            Method::PUT,
            format!("{cohort}/settings"),
            Some(json!({"xp_and_streaks": false})),
        ),
        (Method::POST, format!("{cohort}/code"), None),
        (Method::DELETE, format!("{cohort}/code"), None),
        (Method::PUT, format!("{cohort}/code"), None),
        (Method::GET, format!("{cohort}/qr.svg"), None),
    ]
}

#[tokio::test]
async fn educators_create_cohorts_and_see_only_those_they_run() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let luca = server.staff(Role::Educator, "Luca").await;
    let admin = server.staff(Role::Admin, "Capo").await;

    let mut body = new_cohort("  Space Camp 2026  ");
    body["startups"] = Value::Null;
    let mine = create(&server, &maria, body).await;
    assert_eq!(mine["name"], "Space Camp 2026", "trimmed");
    assert_eq!(mine["path_id"], "demo");
    assert_eq!(mine["audience"], "2ª B, scuola media Galateo");
    assert_eq!(
        (&mine["starts_on"], &mine["ends_on"]),
        (&json!("2026-03-02"), &json!("2026-05-29"))
    );
    assert_eq!(mine["join_open"], true);
    assert_eq!(mine["startups"], Value::Null);
    assert_eq!(mine["xp_and_streaks"], true);
    assert_eq!(mine["educators"], json!(["Maria"]), "the creator runs it");
    assert_eq!(
        (&mine["learners"], &mine["parents"], &mine["roster"]),
        (&json!(0), &json!(0), &json!([]))
    );
    let code = mine["join_code"].as_str().unwrap();
    assert_eq!(code.len(), 8, "{code}");
    let theirs = create(&server, &luca, new_cohort("Laboratorio di Luca")).await;
    let (mine_id, theirs_id) = (mine["id"].as_str().unwrap(), theirs["id"].as_str().unwrap());

    let (status, list) = server.get_as("/api/cohorts", &maria).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&list), [mine_id]);
    assert_eq!(list[0]["join_open"], true);
    assert!(list[0].get("roster").is_none(), "a summary: {list}");
    let (_, all) = server.get_as("/api/cohorts", &admin).await;
    assert_eq!(ids(&all), [theirs_id, mine_id], "newest first");
    let by_admin = create(&server, &admin, new_cohort("Del capo")).await;
    assert_eq!(
        by_admin["educators"],
        json!([]),
        "admins run every cohort unlisted"
    );
    let (_, list) = server.get_as("/api/cohorts", &maria).await;
    assert_eq!(ids(&list), [mine_id], "not Maria's");

    // The roster: who joined, as what, and when they last synced.
    let astro = server.join(code, "Astro").await;
    let (status, detail) = server
        .get_as(&format!("/api/cohorts/{mine_id}"), &maria)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["learners"], 1);
    let member = &detail["roster"][0];
    assert_eq!(member["id"], astro.id.as_str());
    assert_eq!(
        (&member["nickname"], &member["role"], &member["age_band"]),
        (&json!("Astro"), &json!("learner"), &json!("14_plus"))
    );
    let joined = member["joined_at"].as_str().unwrap();
    assert!(OffsetDateTime::parse(joined, &Rfc3339).is_ok(), "{joined}");
    assert_eq!(member["last_synced_at"], Value::Null);

    // Nothing about Luca's cohort reaches Maria, and nothing she tries changes it.
    for (method, path, body) in staff_endpoints(theirs_id) {
        let (status, answer) = server.call(method.clone(), &path, &maria, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {answer}");
    }
    let (_, unchanged) = server
        .get_as(&format!("/api/cohorts/{theirs_id}"), &luca)
        .await;
    assert_eq!(
        (
            &unchanged["join_code"],
            &unchanged["join_open"],
            &unchanged["xp_and_streaks"]
        ),
        (&theirs["join_code"], &json!(true), &json!(true))
    );
    // An admin runs every cohort.
    let (status, _) = server
        .get_as(&format!("/api/cohorts/{theirs_id}"), &admin)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server.get_as("/api/cohorts/no-such-cohort", &admin).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn learners_parents_and_strangers_are_refused_every_staff_endpoint() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let family = server.cohort("Famiglie", "famiglia", &["Maria"]).await;
    let learner = server.join(&family.join_code, "Astro").await;
    let parent = server.parent(&family.join_code, "Mamma").await;
    let stranger = Account {
        id: String::new(),
        token: "not-a-token".into(),
    };

    let mut endpoints = staff_endpoints(&family.id);
    endpoints.push((Method::GET, "/api/cohorts".into(), None));
    endpoints.push((
        Method::POST,
        "/api/cohorts".into(),
        Some(new_cohort("Nuovo")),
    ));
    for (method, path, body) in endpoints {
        for (who, expected) in [
            (&learner, StatusCode::NOT_FOUND),
            (&parent, StatusCode::NOT_FOUND),
            (&stranger, StatusCode::UNAUTHORIZED),
        ] {
            let (status, answer) = server.call(method.clone(), &path, who, body.clone()).await;
            assert_eq!(status, expected, "{method} {path}: {answer}");
        }
    }
    let (_, detail) = server
        .get_as(&format!("/api/cohorts/{}", family.id), &maria)
        .await;
    assert_eq!(detail["join_code"], family.join_code.as_str());
    assert_eq!(
        (&detail["join_open"], &detail["xp_and_streaks"]),
        (&json!(true), &json!(true))
    );
    let (_, list) = server.get_as("/api/cohorts", &maria).await;
    assert_eq!(ids(&list), [family.id.as_str()], "nobody else created one");
    server.stop().await;
}

#[tokio::test]
async fn invalid_cohorts_are_refused_with_a_precise_message_and_nothing_is_stored() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let with = |field: &str, value: Value| {
        let mut body = new_cohort("Laboratorio");
        body[field] = value;
        body
    };
    let cases = [
        (
            with("name", json!(" L ")),
            "Il nome del gruppo deve avere da 2 a 80 caratteri",
        ),
        (
            with("name", json!("x".repeat(81))),
            "Il nome del gruppo deve avere da 2 a 80 caratteri",
        ),
        (
            with("audience", json!("")),
            "La descrizione dei partecipanti deve avere da 2 a 120",
        ),
        (
            with("audience", json!("a".repeat(121))),
            "La descrizione dei partecipanti deve avere da 2 a 120",
        ),
        (
            with("starts_on", json!("2026-02-30")),
            "La data «2026-02-30» non è valida: scrivila come AAAA-MM-GG",
        ),
        (
            with("ends_on", json!("29/05/2026")),
            "La data «29/05/2026» non è valida",
        ),
        (
            with("ends_on", json!("2026-03-01")),
            "La data di fine viene prima della data di inizio.",
        ),
        (
            with("path_id", json!("nessuno")),
            "Il percorso «nessuno» non esiste nei contenuti.",
        ),
        (
            with("startups", json!(3)),
            "Il numero di start-up si indica solo per un percorso dedicato alle start-up.",
        ),
    ];
    for (body, message) in cases {
        let (status, answer) = server
            .call(Method::POST, "/api/cohorts", &maria, Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert_eq!(error_code(&answer), "invalid_cohort", "{answer}");
        let said = answer["error"]["message"].as_str().unwrap();
        assert!(said.starts_with(message), "{body}: {said}");
    }
    let mut missing = new_cohort("Laboratorio");
    missing.as_object_mut().unwrap().remove("audience");
    let (status, answer) = server
        .call(Method::POST, "/api/cohorts", &maria, Some(missing))
        .await;
    assert_eq!(
        (status, error_code(&answer)),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    let (_, list) = server.get_as("/api/cohorts", &maria).await;
    assert_eq!(list, json!([]));

    // Ends on the day it starts: a one-day event.
    let one_day = with("ends_on", json!("2026-03-02"));
    create(&server, &maria, one_day).await;
    server.stop().await;
}

#[tokio::test]
async fn startups_are_counted_only_on_startup_paths() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let on_startups = |startups: Value| {
        let mut body = new_cohort("IN-Community");
        body["path_id"] = json!("impresa");
        body["startups"] = startups;
        body
    };
    for bad in [json!(-1), json!(51)] {
        let (status, answer) = server
            .call(Method::POST, "/api/cohorts", &maria, Some(on_startups(bad)))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            answer["error"]["message"],
            "Il numero di start-up va da 0 a 50."
        );
    }
    let three = create(&server, &maria, on_startups(json!(3))).await;
    assert_eq!(three["startups"], 3);
    let unsaid = create(&server, &maria, on_startups(Value::Null)).await;
    assert_eq!(unsaid["startups"], Value::Null);
    server.stop().await;
}

#[tokio::test]
async fn a_closed_code_admits_nobody_new_and_a_rotated_one_replaces_the_old() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let cohort = create(&server, &maria, new_cohort("Laboratorio")).await;
    let id = cohort["id"].as_str().unwrap();
    let code_path = format!("/api/cohorts/{id}/code");
    let old = cohort["join_code"].as_str().unwrap().to_owned();
    server.join(&old, "Astro").await;

    let (status, _) = server.call(Method::DELETE, &code_path, &maria, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, answer) = server.try_join(&old, "Luna").await;
    assert_eq!(
        (status, error_code(&answer)),
        (StatusCode::FORBIDDEN, "join_closed")
    );
    assert_eq!(
        answer["error"]["message"],
        "Questo gruppo non accetta nuove iscrizioni: chiedi all'educatore un codice nuovo."
    );
    let (status, _) = server.login(&old, "Astro").await;
    assert_eq!(status, StatusCode::OK, "members still log in");
    let (_, detail) = server.get_as(&format!("/api/cohorts/{id}"), &maria).await;
    assert_eq!(
        (&detail["join_open"], detail["learners"].as_u64()),
        (&json!(false), Some(1))
    );

    let (status, _) = server.call(Method::PUT, &code_path, &maria, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = server.try_join(&old, "Luna").await;
    assert_eq!(status, StatusCode::CREATED, "reopened");

    server.call(Method::DELETE, &code_path, &maria, None).await;
    let (status, rotated) = server.call(Method::POST, &code_path, &maria, None).await;
    assert_eq!(status, StatusCode::OK);
    let new = rotated["join_code"].as_str().unwrap();
    assert_ne!(new, old);
    let (_, detail) = server.get_as(&format!("/api/cohorts/{id}"), &maria).await;
    assert_eq!(
        (&detail["join_code"], &detail["join_open"]),
        (&json!(new), &json!(true)),
        "a new code is open"
    );
    let (status, answer) = server.try_join(&old, "Sole").await;
    assert_eq!(
        (status, error_code(&answer)),
        (StatusCode::NOT_FOUND, "unknown_code")
    );
    let (status, _) = server.login(&old, "Astro").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the old code is gone for logins too"
    );
    let (status, _) = server.login(new, "Astro").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server.try_join(new, "Sole").await;
    assert_eq!(status, StatusCode::CREATED);
    server.stop().await;
}

/// What the server should send: the `qrcode` crate's own SVG of the join link.
fn expected_qr(code: &str) -> String {
    let link = format!("http://127.0.0.1:8080/?codice={code}");
    QrCode::with_error_correction_level(link, EcLevel::M)
        .unwrap()
        .render::<svg::Color>()
        .min_dimensions(256, 256)
        .build()
}

#[tokio::test]
async fn the_qr_code_is_the_join_link_and_follows_the_code() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let cohort = create(&server, &maria, new_cohort("Laboratorio")).await;
    let id = cohort["id"].as_str().unwrap();
    let fetch = async || {
        let response = server
            .client
            .get(server.url(&format!("/api/cohorts/{id}/qr.svg")))
            .bearer_auth(&maria.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "image/svg+xml");
        assert_eq!(headers["cache-control"], "no-store");
        response.text().await.unwrap()
    };
    let first = fetch().await;
    assert!(
        first.starts_with("<?xml") && first.contains("<svg"),
        "{first}"
    );
    assert_eq!(first, expected_qr(cohort["join_code"].as_str().unwrap()));

    let (_, rotated) = server
        .call(
            Method::POST,
            &format!("/api/cohorts/{id}/code"),
            &maria,
            None,
        )
        .await;
    let second = fetch().await;
    assert_ne!(second, first);
    assert_eq!(second, expected_qr(rotated["join_code"].as_str().unwrap()));
    server.stop().await;
}

#[tokio::test]
async fn every_push_and_pull_records_when_the_member_last_synced_pulls_to_the_minute() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let cohort = create(&server, &maria, new_cohort("Laboratorio")).await;
    let id = cohort["id"].as_str().unwrap();
    let astro = server
        .join(cohort["join_code"].as_str().unwrap(), "Astro")
        .await;
    let last_synced = async || {
        let (_, detail) = server.get_as(&format!("/api/cohorts/{id}"), &maria).await;
        let at = detail["roster"][0]["last_synced_at"].clone();
        at.as_str()
            .map(|at| OffsetDateTime::parse(at, &Rfc3339).expect("RFC 3339"))
    };
    assert_eq!(last_synced().await, None);

    let before = OffsetDateTime::now_utc() - time::Duration::seconds(1);
    let (status, _) = server.pull(&astro.token, "since=0").await;
    assert_eq!(status, StatusCode::OK);
    let pulled = last_synced().await.expect("set by the pull");
    assert!(
        pulled >= before && pulled <= OffsetDateTime::now_utc(),
        "{pulled}"
    );
    assert_eq!(pulled.offset(), time::UtcOffset::UTC);

    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let (status, _) = server
        .push(
            &astro.token,
            json!([completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let pushed = last_synced().await.expect("set by the push");
    assert!(pushed > pulled, "{pushed} after {pulled}");
    // Pulls are noted to the minute: one right after writes nothing.
    let (status, _) = server.pull(&astro.token, "since=0").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(last_synced().await, Some(pushed));
    server.stop().await;
}
