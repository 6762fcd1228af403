//! Admins manage the staff: create educators, reset their passwords, disable them, and say who
//! runs each cohort. Nobody else may.

mod common;

use common::{Account, STAFF_PASSWORD, TestServer, Workspace, error_code};
use officina_core::account::Role;
use officina_server::auth::tokens;
use officina_server::store::accounts;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

const NEW_PASSWORD: &str = "un'altra password lunga";

/// Every admin endpoint, about educator `educator` and cohort `cohort`, with a body each would accept.
fn admin_endpoints(educator: &str, cohort: &str) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (Method::GET, "/api/educators".into(), None),
        (
            Method::POST,
            "/api/educators".into(),
            Some(json!({"name": "Intrusa", "password": NEW_PASSWORD})),
        ),
        (
            Method::PUT,
            format!("/api/educators/{educator}/password"),
            Some(json!({"password": NEW_PASSWORD})),
        ),
        (Method::DELETE, format!("/api/educators/{educator}"), None),
        (
            Method::PUT,
            format!("/api/cohorts/{cohort}/educators"),
            Some(json!({"names": []})),
        ),
    ]
}

async fn create_educator(server: &TestServer, admin: &Account, name: &str) -> Value {
    let body = json!({"name": name, "password": STAFF_PASSWORD});
    let (status, answer) = server
        .call(Method::POST, "/api/educators", admin, Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    answer
}

async fn logged_in(server: &TestServer, name: &str, password: &str) -> Account {
    let (status, session) = server.staff_login(name, password).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    Account::from_answer(&session)
}

#[tokio::test]
async fn an_admin_creates_educators_and_says_who_runs_each_cohort() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let capo = server.staff(Role::Admin, "Capo").await;
    let cohort = server.cohort("Lab", "demo", &[]).await;

    let maria = create_educator(&server, &capo, "  Maria ").await;
    assert_eq!(maria["name"], "Maria");
    assert_eq!(
        (&maria["role"], &maria["disabled"], &maria["cohorts"]),
        (&json!("educator"), &json!(false), &json!([]))
    );
    let maria_session = logged_in(&server, "Maria", STAFF_PASSWORD).await;
    assert_eq!(maria_session.id, maria["id"].as_str().unwrap());
    create_educator(&server, &capo, "Luca").await;

    let refusals = [
        (
            json!({"name": "maria", "password": STAFF_PASSWORD}),
            StatusCode::CONFLICT,
            "name_taken",
            "Esiste già un account di nome «maria».",
        ),
        (
            json!({"name": "Capo", "password": STAFF_PASSWORD}),
            StatusCode::CONFLICT,
            "name_taken",
            "Esiste già un account di nome «Capo».",
        ),
        (
            json!({"name": "M", "password": STAFF_PASSWORD}),
            StatusCode::BAD_REQUEST,
            "invalid_name",
            "Nome non valido: deve avere da 2 a 24 caratteri.",
        ),
        (
            json!({"name": "Sole", "password": "corta"}),
            StatusCode::BAD_REQUEST,
            "invalid_password",
            "La password deve avere da 10 a 128 caratteri.",
        ),
    ];
    for (body, status, code, message) in refusals {
        let (got, answer) = server
            .call(Method::POST, "/api/educators", &capo, Some(body))
            .await;
        assert_eq!((got, error_code(&answer)), (status, code), "{answer}");
        assert_eq!(answer["error"]["message"], message);
    }

    let set = |names: Value| {
        let path = format!("/api/cohorts/{}/educators", cohort.id);
        let server = &server;
        let capo = &capo;
        async move {
            server
                .call(Method::PUT, &path, capo, Some(json!({"names": names})))
                .await
        }
    };
    assert_eq!(
        set(json!(["maria", "Luca"])).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, list) = server.get_as("/api/educators", &capo).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Capo", "Luca", "Maria"],
        "every staff account, by name"
    );
    assert_eq!(list[0]["role"], "admin");
    assert_eq!(list[2]["cohorts"], json!([cohort.id]));
    let (status, detail) = server
        .get_as(&format!("/api/cohorts/{}", cohort.id), &maria_session)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["educators"], json!(["Luca", "Maria"]));

    // The list replaces the old one; an unknown name changes nothing.
    assert_eq!(set(json!(["Luca"])).await.0, StatusCode::NO_CONTENT);
    let (status, _) = server
        .get_as(&format!("/api/cohorts/{}", cohort.id), &maria_session)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "Maria no longer runs it");
    for unknown in ["Nessuno", "Capo"] {
        let (status, answer) = set(json!(["Maria", unknown])).await;
        assert_eq!(
            (status, error_code(&answer)),
            (StatusCode::BAD_REQUEST, "unknown_educator")
        );
        assert_eq!(
            answer["error"]["message"],
            format!("Nessun educatore attivo di nome «{unknown}».")
        );
    }
    let (_, detail) = server
        .get_as(&format!("/api/cohorts/{}", cohort.id), &capo)
        .await;
    assert_eq!(detail["educators"], json!(["Luca"]));
    let (status, _) = server
        .call(
            Method::PUT,
            "/api/cohorts/nessuna/educators",
            &capo,
            Some(json!({"names": []})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn only_admins_reach_the_admin_endpoints() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let luca = server.staff(Role::Educator, "Luca").await;
    let family = server.cohort("Famiglie", "famiglia", &["Luca"]).await;
    let learner = server.join(&family.join_code, "Astro").await;
    let parent = server.parent(&family.join_code, "Papà").await;

    for who in [&maria, &learner, &parent] {
        for (method, path, body) in admin_endpoints(&luca.id, &family.id) {
            let (status, answer) = server.call(method.clone(), &path, who, body).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {answer}");
        }
    }
    // Luca is untouched: same password, still running the cohort, still logged in.
    logged_in(&server, "Luca", STAFF_PASSWORD).await;
    let (status, detail) = server
        .get_as(&format!("/api/cohorts/{}", family.id), &luca)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["educators"], json!(["Luca"]));
    let (status, _) = server.staff_login("Intrusa", NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no account was created");
    server.stop().await;
}

#[tokio::test]
async fn a_new_password_ends_the_educators_sessions() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let capo = server.staff(Role::Admin, "Capo").await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let path = format!("/api/educators/{}/password", maria.id);

    let (status, answer) = server
        .call(
            Method::PUT,
            &path,
            &capo,
            Some(json!({"password": "corta"})),
        )
        .await;
    assert_eq!(
        (status, error_code(&answer)),
        (StatusCode::BAD_REQUEST, "invalid_password")
    );
    assert_eq!(
        server.get_as("/api/me", &maria).await.0,
        StatusCode::OK,
        "nothing changed"
    );

    let (status, _) = server
        .call(
            Method::PUT,
            &path,
            &capo,
            Some(json!({"password": NEW_PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        server.get_as("/api/me", &maria).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server.staff_login("Maria", STAFF_PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );
    logged_in(&server, "Maria", NEW_PASSWORD).await;

    // Only educators are managed here: not admins, not learners, not unknown ids.
    let learner = server.learner().await;
    for id in [capo.id.as_str(), learner.id.as_str(), "nessuno"] {
        let (status, _) = server
            .call(
                Method::PUT,
                &format!("/api/educators/{id}/password"),
                &capo,
                Some(json!({"password": NEW_PASSWORD})),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{id}");
    }
    assert_eq!(server.get_as("/api/me", &capo).await.0, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn a_disabled_educator_cannot_log_in_and_their_reviews_stay() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let capo = server.staff(Role::Admin, "Capo").await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let cohort = server.cohort("Lab", "demo", &["Maria"]).await;
    let astro = server.join(&cohort.join_code, "Astro").await;
    let review = json!({"id": Uuid::new_v4(), "user_id": astro.id, "kind": "challenge_reviewed",
        "activity_id": "demo-sfida", "at": "2026-11-25T10:00:00Z", "data": {"status": "approved"}});
    let (_, pushed) = server.push(&maria.token, json!([review])).await;
    assert_eq!(common::statuses(&pushed), ["accepted"]);

    let (status, _) = server
        .call(
            Method::DELETE,
            &format!("/api/educators/{}", maria.id),
            &capo,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (status, answer) = server.get_as("/api/me", &maria).await;
    assert_eq!(
        (status, error_code(&answer)),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    let (status, answer) = server.staff_login("Maria", STAFF_PASSWORD).await;
    assert_eq!(
        (status, error_code(&answer)),
        (StatusCode::FORBIDDEN, "account_disabled")
    );
    assert_eq!(
        answer["error"]["message"],
        "Questo account è disattivato: per rientrare rivolgiti a chi amministra Officina."
    );
    // A login racing the disabling could leave a session behind: it does not work either.
    let db = server.store().await;
    let raced = tokens::issue().unwrap();
    accounts::create_session(&db, &maria.id, &raced.hash)
        .await
        .unwrap();
    let raced = Account {
        id: maria.id.clone(),
        token: raced.token,
    };
    assert_eq!(
        server.get_as("/api/me", &raced).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, answer) = server.staff_login("Maria", NEW_PASSWORD).await;
    assert_eq!(
        (status, error_code(&answer)),
        (StatusCode::UNAUTHORIZED, "bad_credentials"),
        "a wrong password learns nothing about the account"
    );

    let (_, pulled) = server.pull(&astro.token, "since=0").await;
    let kinds: Vec<&str> = pulled["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["challenge_reviewed"],
        "her review stays in the learner's log"
    );

    let (_, list) = server.get_as("/api/educators", &capo).await;
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Maria")
        .unwrap();
    assert_eq!(
        (&listed["disabled"], &listed["cohorts"]),
        (&json!(true), &json!([cohort.id]))
    );
    let (_, detail) = server
        .get_as(&format!("/api/cohorts/{}", cohort.id), &capo)
        .await;
    assert_eq!(detail["educators"], json!([]), "she runs it no more");
    let (status, _) = server
        .call(
            Method::PUT,
            &format!("/api/cohorts/{}/educators", cohort.id),
            &capo,
            Some(json!({"names": ["Maria"]})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a disabled educator cannot be given a cohort"
    );

    let (status, _) = server
        .call(
            Method::DELETE,
            &format!("/api/educators/{}", maria.id),
            &capo,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "disabling twice is harmless"
    );
    for id in [capo.id.as_str(), astro.id.as_str(), "nessuno"] {
        let (status, _) = server
            .call(Method::DELETE, &format!("/api/educators/{id}"), &capo, None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{id}");
    }
    assert_eq!(server.get_as("/api/me", &capo).await.0, StatusCode::OK);
    assert_eq!(server.get_as("/api/me", &astro).await.0, StatusCode::OK);
    server.stop().await;
}
