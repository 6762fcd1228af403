//! Correcting the role a member joined with: `PUT /api/cohorts/{id}/members/{user_id}/role`, for
//! the staff who run the cohort, refused once something depends on the role.

mod common;

use common::{Account, TestServer, Workspace, error_code};
use officina_core::account::Role;
use officina_server::on;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn role_path(cohort: &str, member: &Account) -> String {
    format!("/api/cohorts/{cohort}/members/{}/role", member.id)
}

async fn set_role(
    server: &TestServer,
    who: &Account,
    cohort: &str,
    member: &Account,
    body: Value,
) -> (StatusCode, Value) {
    let path = role_path(cohort, member);
    server.call(Method::PUT, &path, who, Some(body)).await
}

/// The member's line of the cohort's roster, as its educator sees it.
async fn roster_line(
    server: &TestServer,
    educator: &Account,
    cohort: &str,
    member: &Account,
) -> Value {
    let detail = server
        .get_json(&format!("/api/cohorts/{cohort}"), educator)
        .await;
    let roster = detail["roster"].as_array().unwrap();
    roster
        .iter()
        .find(|m| m["id"] == member.id.as_str())
        .unwrap()
        .clone()
}

#[tokio::test]
async fn an_educator_makes_a_mistaken_learner_a_parent_and_her_session_follows() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let family = server.cohort("Famiglie", "famiglia", &["Maria"]).await;
    let mum = server.join(&family.join_code, "Mamma").await;

    let (status, member) =
        set_role(&server, &maria, &family.id, &mum, json!({"role": "parent"})).await;
    assert_eq!(status, StatusCode::OK, "{member}");
    assert_eq!(
        (&member["role"], &member["age_band"]),
        (&json!("parent"), &Value::Null)
    );
    assert_eq!(roster_line(&server, &maria, &family.id, &mum).await, member);
    let cohorts = server.get_json("/api/cohorts", &maria).await;
    assert_eq!(
        (&cohorts[0]["learners"], &cohorts[0]["parents"]),
        (&json!(0), &json!(1))
    );
    // The same session, now a parent's: she can ask for a parent's family code.
    let me = server.get_json("/api/me", &mum).await;
    assert_eq!(me["role"], "parent", "{me}");
    let (status, _) = server
        .call(Method::POST, "/api/family/code", &mum, None)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // Her code waits for a child: the role now matters, and stays.
    let (status, body) = set_role(
        &server,
        &maria,
        &family.id,
        &mum,
        json!({"role": "learner"}),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::CONFLICT, "role_in_use")
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Questo ruolo non si può più cambiare")
    );
    // Asking for the role she has is no change at all.
    let (status, _) = set_role(&server, &maria, &family.id, &mum, json!({"role": "parent"})).await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn a_learners_age_band_is_corrected_and_kept_when_not_said() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let lab = server.cohort("Lab", "demo", &["Maria"]).await;
    let astro = server.join_aged(&lab.join_code, "Astro", "under_14").await;
    let band = json!({"role": "learner", "age_band": "14_plus"});
    let (status, member) = set_role(&server, &maria, &lab.id, &astro, band).await;
    assert_eq!(
        (status, &member["age_band"]),
        (StatusCode::OK, &json!("14_plus"))
    );
    let (_, member) = set_role(&server, &maria, &lab.id, &astro, json!({"role": "learner"})).await;
    assert_eq!(member["age_band"], "14_plus", "kept when not said");

    for (body, status, code) in [
        (
            json!({"role": "parent"}),
            StatusCode::FORBIDDEN,
            "role_not_allowed",
        ),
        (
            json!({"role": "educator"}),
            StatusCode::FORBIDDEN,
            "role_not_allowed",
        ),
        (
            json!({"role": "admin"}),
            StatusCode::FORBIDDEN,
            "role_not_allowed",
        ),
        (
            json!({"role": "capo"}),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            json!({"role": "learner", "age_band": "12"}),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            json!({"role": "learner", "nickname": "X"}),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ] {
        let (got, answer) = set_role(&server, &maria, &lab.id, &astro, body.clone()).await;
        assert_eq!((got, error_code(&answer)), (status, code), "{body}");
    }
    let family = server.cohort("Famiglie", "famiglia", &["Maria"]).await;
    let luna = server.join(&family.join_code, "Luna").await;
    let (status, body) = set_role(
        &server,
        &maria,
        &family.id,
        &luna,
        json!({"role": "parent", "age_band": "14_plus"}),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "bad_request"),
        "a parent has no age band"
    );
    assert_eq!(
        roster_line(&server, &maria, &lab.id, &astro).await["role"],
        "learner"
    );
    server.stop().await;
}

#[tokio::test]
async fn only_the_staff_who_run_the_cohort_change_roles() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let luca = server.staff(Role::Educator, "Luca").await;
    let admin = server.staff(Role::Admin, "Capo").await;
    let family = server.cohort("Famiglie", "famiglia", &["Maria"]).await;
    server.cohort("Altro", "famiglia", &["Luca"]).await;
    let luna = server.join(&family.join_code, "Luna").await;
    let mum = server.parent(&family.join_code, "Mamma").await;
    let to_parent = json!({"role": "parent"});

    for who in [&luca, &luna, &mum] {
        let (status, body) = set_role(&server, who, &family.id, &luna, to_parent.clone()).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::NOT_FOUND, "not_found")
        );
    }
    let anonymous = server
        .client
        .put(server.url(&role_path(&family.id, &luna)))
        .json(&to_parent)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        roster_line(&server, &maria, &family.id, &luna).await["role"],
        "learner"
    );

    // A member of another cohort, staff, and nobody are not this cohort's members.
    let other = server.cohort("Lab", "demo", &["Maria"]).await;
    let astro = server.join(&other.join_code, "Astro").await;
    let nobody = Account {
        id: "nessuno".into(),
        token: String::new(),
    };
    for member in [&astro, &maria, &nobody] {
        let (status, _) = set_role(
            &server,
            &maria,
            &family.id,
            member,
            json!({"role": "learner"}),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = set_role(&server, &admin, &family.id, &luna, to_parent).await;
    assert_eq!(status, StatusCode::OK, "an admin runs every cohort");
    server.stop().await;
}

#[tokio::test]
async fn a_role_others_depend_on_stays() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let family = server.cohort("Famiglie", "famiglia", &["Maria"]).await;
    let code = family.join_code.as_str();
    let refused = |who: Account, role: &'static str| {
        let (server, maria, id) = (&server, &maria, family.id.clone());
        async move {
            let (status, body) = set_role(server, maria, &id, &who, json!({"role": role})).await;
            (status, error_code(&body).to_owned())
        }
    };
    let in_use = (StatusCode::CONFLICT, "role_in_use".to_owned());

    // A family link: both sides.
    let luna = server.join(code, "Luna").await;
    let mum = server.parent(code, "Mamma").await;
    let (_, made) = server
        .call(Method::POST, "/api/family/code", &luna, None)
        .await;
    let link = json!({"code": made["code"]});
    let (status, _) = server
        .call(Method::POST, "/api/family/link", &mum, Some(link))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(refused(luna.clone(), "parent").await, in_use);
    assert_eq!(refused(mum.clone(), "learner").await, in_use);

    // A family task confirmed, a badge assertion issued: even with no link left.
    let db = server.store().await;
    let sol = server.join(code, "Sole").await;
    let stella = server.join(code, "Stella").await;
    on!(&db, c => sqlx::query(
        "INSERT INTO events (id, device_id, user_id, kind, activity_id, at, data)
         VALUES ('e1', 'd', $1, 'family_task_confirmed', 'famiglia-esperimento', '2026-11-25T10:00:00Z', '{\"role\":\"child\"}')",
    )
    .bind(&sol.id)
    .execute(c)
    .await
    .map(drop))
    .unwrap();
    on!(&db, c => sqlx::query(
        "INSERT INTO assertions (id, user_id, badge_id, earned_on, events, salt)
         VALUES ('a1', $1, 'demo-badge', '2026-11-25T10:00:00Z', '[]', 's')",
    )
    .bind(&stella.id)
    .execute(c)
    .await
    .map(drop))
    .unwrap();
    assert_eq!(refused(sol, "parent").await, in_use);
    assert_eq!(refused(stella, "parent").await, in_use);

    // A learner's family code still usable; once expired it holds nothing.
    let nube = server.join(code, "Nube").await;
    server
        .call(Method::POST, "/api/family/code", &nube, None)
        .await;
    assert_eq!(refused(nube.clone(), "parent").await, in_use);
    on!(&db, c => sqlx::query(
        "UPDATE family_codes SET expires_at = '2020-01-01T00:00:00Z' WHERE user_id = $1",
    )
    .bind(&nube.id)
    .execute(c)
    .await
    .map(drop))
    .unwrap();
    let (status, _) = refused(nube, "parent").await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_role_changes_end_in_one_consistent_state() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let family = server.cohort("Famiglie", "famiglia", &["Maria"]).await;
    let luna = server.join(&family.join_code, "Luna").await;
    let choices = [
        json!({"role": "parent"}),
        json!({"role": "learner", "age_band": "under_14"}),
        json!({"role": "learner", "age_band": "14_plus"}),
    ];
    let url = server.url(&role_path(&family.id, &luna));
    let changes: Vec<_> = (0..24)
        .map(|n| {
            let request = server
                .client
                .put(&url)
                .bearer_auth(&maria.token)
                .json(&choices[n % choices.len()]);
            tokio::spawn(async move {
                let response = request.send().await.unwrap();
                (response.status(), response.json::<Value>().await.unwrap())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for change in changes {
        answers.push(change.await.unwrap());
    }
    assert!(
        answers.iter().all(|(status, _)| *status == StatusCode::OK),
        "{answers:?}"
    );

    let line = roster_line(&server, &maria, &family.id, &luna).await;
    let state = (line["role"].clone(), line["age_band"].clone());
    let possible = [
        (json!("parent"), Value::Null),
        (json!("learner"), json!("under_14")),
        (json!("learner"), json!("14_plus")),
    ];
    assert!(possible.contains(&state), "{state:?}");
    assert!(
        answers
            .iter()
            .any(|(_, member)| (member["role"].clone(), member["age_band"].clone()) == state),
        "the state is one of the answers"
    );
    let cohorts = server.get_json("/api/cohorts", &maria).await;
    let counted =
        cohorts[0]["learners"].as_u64().unwrap() + cohorts[0]["parents"].as_u64().unwrap();
    assert_eq!(counted, 1, "one member, counted once");
    let me = server.get_json("/api/me", &luna).await;
    assert_eq!(
        me["role"], state.0,
        "her session has the role the roster shows"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_changed_while_a_link_is_under_way_links_nobody_to_themselves() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let family = server.cohort("Famiglie", "famiglia", &["Maria"]).await;
    let luna = server.parent(&family.join_code, "Luna").await;

    // Luna, a parent, starts linking: the headers now, the body (a family code) later.
    let body_length = json!({"code": "ABCDEF"}).to_string().len();
    let socket = held_request(&server, "/api/family/link", &luna, body_length).await;

    // Meanwhile her educator makes her a learner under 14 (nothing depends on her role yet), and
    // she makes a family code as a learner.
    let (status, _) = set_role(
        &server,
        &maria,
        &family.id,
        &luna,
        json!({"role": "learner", "age_band": "under_14"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, made) = server
        .call(Method::POST, "/api/family/code", &luna, None)
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // The link then goes on with her own code.
    let body = json!({"code": made["code"]}).to_string();
    assert_eq!(body.len(), body_length);
    let answer = finish(socket, &body).await;
    assert!(!answer.starts_with("HTTP/1.1 201"), "{answer}");

    let db = server.store().await;
    let links: i64 = on!(&db, c => sqlx::query_scalar("SELECT COUNT(*) FROM family_links")
        .fetch_one(c)
        .await)
    .unwrap();
    assert_eq!(links, 0, "an under-14 learner is not her own parent");
    let badges = server.get_json("/api/badges", &luna).await;
    assert_eq!(badges["consent_needed"], true, "{badges}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_changed_while_a_push_is_under_way_keeps_confirmations_in_the_new_role() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let family = server.cohort("Famiglie", "famiglia", &["Maria"]).await;
    let luna = server.parent(&family.join_code, "Luna").await;

    // Luna, a parent, starts pushing a parent's confirmation: the headers now, the body later.
    let body = json!({"device_id": uuid::Uuid::new_v4(), "events": [
        {"id": uuid::Uuid::new_v4(), "kind": "family_task_confirmed",
         "activity_id": "famiglia-esperimento", "at": "2026-11-25T18:00:00Z",
         "data": {"role": "parent"}}]})
    .to_string();
    let socket = held_request(&server, "/api/sync/push", &luna, body.len()).await;

    // Meanwhile her educator makes her a learner: nothing depends on her role yet.
    let (status, _) = set_role(
        &server,
        &maria,
        &family.id,
        &luna,
        json!({"role": "learner", "age_band": "under_14"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let answer = finish(socket, &body).await;
    assert!(answer.contains("wrong_role"), "{answer}");
    let db = server.store().await;
    let confirmations: i64 = on!(&db, c =>
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE user_id = $1")
            .bind(&luna.id)
            .fetch_one(c)
            .await)
    .unwrap();
    assert_eq!(
        confirmations, 0,
        "a learner holds no parent's confirmation of her own"
    );
    server.stop().await;
}

/// Starts a POST with `who`'s token and sends its headers, holding the body of `length` bytes
/// back, as a slow or deliberate client can; the server has read the headers when this returns.
async fn held_request(
    server: &TestServer,
    path: &str,
    who: &Account,
    length: usize,
) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let address = server.base.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n",
        who.token
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    socket
}

/// Sends the held body and returns the whole answer, status line first.
async fn finish(mut socket: tokio::net::TcpStream, body: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    socket.write_all(body.as_bytes()).await.unwrap();
    let mut answer = String::new();
    socket.read_to_string(&mut answer).await.unwrap();
    answer
}
