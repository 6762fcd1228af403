//! Accounts on a real socket: join, login, the rate limit, logout, `/api/me`, and hostile input.

mod common;

use common::{SECRET, STAFF_PASSWORD, TestServer, Workspace};
use officina_core::account::Role;
use officina_server::auth::rate_limit::{MAX_ACCOUNTS_PER_ADDRESS, MAX_FAILURES};
use officina_server::on;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::net::IpAddr;

async fn me(server: &TestServer, token: &str) -> (StatusCode, Value) {
    let response = server
        .client
        .get(server.url("/api/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// A client whose requests come from another loopback address (all of 127/8 is local on Linux).
fn client_from(last_octet: u8) -> reqwest::Client {
    let address = IpAddr::from([127, 0, 0, last_octet]);
    reqwest::Client::builder()
        .local_address(address)
        .build()
        .unwrap()
}

fn code_of(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn join_creates_a_learner_and_logs_in() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    // Codes are accepted in any case, with the dashes people add.
    let typed = format!("{}-{}", code[..4].to_lowercase(), &code[4..]);
    let (status, session) = server
        .post_from(
            &server.client,
            "/api/join",
            &json!({"code": typed, "nickname": " Astro ", "secret": SECRET}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let user = &session["user"];
    assert_eq!(user["nickname"], "Astro", "trimmed");
    assert_eq!(user["role"], "learner");
    assert!(user["id"].as_str().is_some_and(|id| !id.is_empty()));
    assert!(user["cohort_id"].as_str().is_some());
    assert_eq!(
        user.as_object().unwrap().len(),
        4,
        "nothing but id, nickname, role, cohort: {user}"
    );
    let token = session["token"].as_str().unwrap();
    assert!(token.len() >= 22, "at least 128 bits");

    let (status, me) = me(&server, token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&me, user);
    server.stop().await;
}

#[tokio::test]
async fn nicknames_are_unique_within_a_cohort_only() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    server.join(&code, "Astro").await;
    for taken in ["Astro", "astro", "  ASTRO"] {
        let (status, body) = server
            .post_from(
                &server.client,
                "/api/join",
                &json!({"code": code, "nickname": taken, "secret": SECRET}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(code_of(&body), "nickname_taken");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("già usato")
        );
    }
    let other = server.new_cohort().await;
    server.join(&other, "Astro").await;
    server.stop().await;
}

#[tokio::test]
async fn unknown_codes_and_roles_the_cohort_does_not_take_are_refused() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let (status, body) = server
        .post_from(
            &server.client,
            "/api/join",
            &json!({"code": "ZZZZ9999", "nickname": "Astro", "secret": SECRET}),
        )
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::NOT_FOUND, "unknown_code")
    );

    let code = server.new_cohort().await;
    for role in ["parent", "educator", "admin"] {
        let body = json!({"code": code, "nickname": "Mamma", "secret": SECRET, "role": role});
        let (status, answer) = server.post_anonymous("/api/join", &body).await;
        assert_eq!(
            (status, code_of(&answer)),
            (StatusCode::FORBIDDEN, "role_not_allowed"),
            "{role}: the demo path is for learners"
        );
    }
    server.stop().await;
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[tokio::test]
async fn a_family_cohort_takes_parents_too() {
    let workspace = Workspace::new();
    let mut args = workspace.args();
    args.content = workspace.dir.path().join("family-content");
    copy_dir(&common::fixture_content(), &args.content);
    let path_toml = args.content.join("demo/path.toml");
    let family = std::fs::read_to_string(&path_toml)
        .unwrap()
        .replace(r#"audience = "learners""#, r#"audience = "family""#);
    std::fs::write(&path_toml, family).unwrap();
    let server = TestServer::start(&args).await;
    let code = server.new_cohort().await;
    let (status, session) = server
        .post_from(
            &server.client,
            "/api/join",
            &json!({"code": code, "nickname": "Mamma Ada", "secret": SECRET, "role": "parent"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    assert_eq!(session["user"]["role"], "parent");
    let (_, child) = server
        .post_from(
            &server.client,
            "/api/join",
            &json!({"code": code, "nickname": "Ada", "secret": SECRET}),
        )
        .await;
    assert_eq!(child["user"]["role"], "learner");
    server.stop().await;
}

#[tokio::test]
async fn bad_nicknames_and_secrets_are_400() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    let cases = [
        ("A", SECRET, "invalid_nickname"),
        ("   ", SECRET, "invalid_nickname"),
        (&"x".repeat(25), SECRET, "invalid_nickname"),
        (&"x".repeat(100_000), SECRET, "invalid_nickname"),
        ("Astro\u{7}", SECRET, "invalid_nickname"),
        ("As\ntro", SECRET, "invalid_nickname"),
        ("As\u{200B}tro", SECRET, "invalid_nickname"),
        ("Astro", "12345", "invalid_secret"),
        ("Astro", "", "invalid_secret"),
        ("Astro", &"x".repeat(129), "invalid_secret"),
    ];
    for (nickname, secret, expected) in cases {
        let (status, body) = server
            .post_from(
                &server.client,
                "/api/join",
                &json!({"code": code, "nickname": nickname, "secret": secret}),
            )
            .await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::BAD_REQUEST, expected),
            "{:?}",
            nickname.get(..30)
        );
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
    let (status, _) = server
        .post_from(
            &server.client,
            "/api/join",
            &json!({"code": code, "nickname": "È24".repeat(8), "secret": "123456"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "24 characters, whatever their bytes"
    );
    server.stop().await;
}

#[tokio::test]
async fn login_with_the_right_secret_only() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    let learner = server.join(&code, "Astro").await;

    let (status, session) = server
        .post_from(
            &server.client,
            "/api/login",
            &json!({"code": code, "nickname": "astro", "secret": SECRET}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(session["user"]["id"], learner.id.as_str());
    assert_ne!(
        session["token"],
        learner.token.as_str(),
        "a new token for each login"
    );

    for wrong in [
        json!({"code": code, "nickname": "Astro", "secret": "000000"}),
        json!({"code": code, "nickname": "Nessuno", "secret": SECRET}),
        json!({"code": "ZZZZ9999", "nickname": "Astro", "secret": SECRET}),
    ] {
        let response = server
            .client
            .post(server.url("/api/login"))
            .json(&wrong)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            code_of(&body),
            "bad_credentials",
            "the same answer whatever was wrong"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn five_failures_for_one_nickname_lock_it_from_every_address() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    server.join(&code, "Astro").await;
    server.join(&code, "Luna").await;
    let wrong = json!({"code": code, "nickname": "Astro", "secret": "000000"});
    for octet in 2..7 {
        let (status, _) = server
            .post_from(&client_from(octet), "/api/login", &wrong)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let right = json!({"code": code, "nickname": "Astro", "secret": SECRET});
    let response = client_from(7)
        .post(server.url("/api/login"))
        .json(&right)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even with the right secret"
    );
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((890..=900).contains(&retry_after), "{retry_after}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(code_of(&body), "too_many_attempts");

    let other = json!({"code": code, "nickname": "Luna", "secret": SECRET});
    let (status, _) = server
        .post_from(&client_from(7), "/api/login", &other)
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "another nickname from a fresh address is not locked"
    );
    server.stop().await;
}

#[tokio::test]
async fn logout_revokes_only_that_token() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    let phone = server.join(&code, "Astro").await;
    let (_, tablet) = server
        .post_from(
            &server.client,
            "/api/login",
            &json!({"code": code, "nickname": "Astro", "secret": SECRET}),
        )
        .await;
    let tablet = tablet["token"].as_str().unwrap();

    let response = server
        .client
        .post(server.url("/api/logout"))
        .bearer_auth(&phone.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (status, body) = me(&server, &phone.token).await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    let again = server
        .client
        .post(server.url("/api/logout"))
        .bearer_auth(&phone.token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        me(&server, tablet).await.0,
        StatusCode::OK,
        "the other device stays logged in"
    );
    server.stop().await;
}

#[tokio::test]
async fn me_needs_a_valid_bearer_token() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let missing = server
        .client
        .get(server.url("/api/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(missing.headers()["www-authenticate"], "Bearer");
    let basic = server
        .client
        .get(server.url("/api/me"))
        .header("authorization", format!("Basic {}", learner.token))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
    let mut forged = learner.token.clone();
    forged.replace_range(..1, if forged.starts_with('A') { "B" } else { "A" });
    for token in [forged.as_str(), "x", "' OR 1=1 --"] {
        let (status, body) = me(&server, token).await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::UNAUTHORIZED, "unauthorized")
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn staff_log_in_with_name_and_password() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let educator = server.staff(Role::Educator, "Maria Rossi").await;
    let (status, me) = me(&server, &educator.token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        me,
        json!({"id": educator.id, "nickname": "Maria Rossi", "role": "educator", "cohort_id": null})
    );
    let (status, body) = server
        .post_from(
            &server.client,
            "/api/staff/login",
            &json!({"name": "maria rossi", "password": "sbagliata!!"}),
        )
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "bad_credentials")
    );
    let (status, _) = server
        .post_from(
            &server.client,
            "/api/staff/login",
            &json!({"name": "maria rossi", "password": STAFF_PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // A learner's login does not reach staff accounts.
    let code = server.new_cohort().await;
    let (status, _) = server
        .post_from(
            &server.client,
            "/api/login",
            &json!({"code": code, "nickname": "Maria Rossi", "secret": STAFF_PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    server.stop().await;
}

#[tokio::test]
async fn hostile_input_gets_a_clear_4xx_and_leaves_the_database_intact() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    for path in ["/api/join", "/api/login", "/api/staff/login"] {
        let url = server.url(path);
        let not_json = server
            .client
            .post(&url)
            .header("content-type", "application/json")
            .body("{\"code\":")
            .send()
            .await
            .unwrap();
        assert_eq!(not_json.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: Value = not_json.json().await.unwrap();
        assert_eq!(code_of(&body), "bad_request");
        for wrong in [
            json!({"code": 1, "nickname": [], "secret": {}}),
            json!([]),
            json!({"code": code}),
            json!("x"),
        ] {
            let (status, body) = server.post_anonymous(path, &wrong).await;
            assert_eq!(
                (status, code_of(&body)),
                (StatusCode::BAD_REQUEST, "bad_request"),
                "{path} {wrong}"
            );
        }
        let (status, _) = server
            .post_from(
                &server.client,
                path,
                &json!({"code": code, "nickname": "Astro", "secret": SECRET, "admin": true}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{path}: unknown fields are refused"
        );
    }
    let hostile = [
        "'); DROP TABLE users;--",
        "<img src=x onerror=1>",
        "Robert\"); --",
        "\u{202E}evil",
    ];
    let mut stored = Vec::new();
    for nickname in hostile {
        let (status, body) = server.post_anonymous("/api/join",
            &json!({"code": code, "nickname": nickname, "secret": "'; DELETE FROM sessions; --"}),
        )
        .await;
        if status == StatusCode::CREATED {
            assert_eq!(
                body["user"]["nickname"], nickname,
                "stored verbatim, as data"
            );
            stored.push(nickname);
        } else {
            assert_eq!(
                (status, code_of(&body)),
                (StatusCode::BAD_REQUEST, "invalid_nickname"),
                "{nickname}"
            );
        }
    }
    assert_eq!(stored.len(), 3, "only the bidi override is refused");
    let (status, body) = server
        .post_from(
            &server.client,
            "/api/join",
            &json!({"code": "' OR '1'='1", "nickname": "Astro", "secret": SECRET}),
        )
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::NOT_FOUND, "unknown_code")
    );
    for nickname in stored {
        let body =
            json!({"code": code, "nickname": nickname, "secret": "'; DELETE FROM sessions; --"});
        assert_eq!(
            server
                .post_from(&server.client, "/api/login", &body)
                .await
                .0,
            StatusCode::OK,
            "{nickname}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn join_roles_says_who_may_join_and_nothing_else() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learners = server.new_cohort().await;
    let families = server.cohort("Famiglie", "famiglia", &[]).await.join_code;
    for (code, roles) in [
        (learners.to_lowercase(), json!(["learner"])),
        (families, json!(["learner", "parent"])),
    ] {
        let (status, body) = server
            .post_anonymous("/api/join/roles", &json!({ "code": code }))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({ "roles": roles }), "nothing about the cohort");
    }

    let db = server.store().await;
    on!(&db, c => sqlx::query("UPDATE cohorts SET join_open = FALSE")
        .execute(c)
        .await
        .map(drop))
    .unwrap();
    let (status, body) = server
        .post_anonymous("/api/join/roles", &json!({ "code": learners }))
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::FORBIDDEN, "join_closed"),
        "the same answer as join"
    );
    server.stop().await;
}

#[tokio::test]
async fn asking_about_wrong_codes_is_limited_like_joining() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    let guesser = client_from(11);
    // The same typo again and again is one unknown code, not a guess each time.
    for _ in 0..2 * MAX_FAILURES {
        let (status, body) = server
            .post_from(&guesser, "/api/join/roles", &json!({ "code": "AAAA2222" }))
            .await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::NOT_FOUND, "unknown_code")
        );
    }
    for n in 1..MAX_ACCOUNTS_PER_ADDRESS - 1 {
        let guess = json!({ "code": format!("BBBB{:04}", 2000 + n) });
        let (status, _) = server.post_from(&guesser, "/api/join/roles", &guess).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "guess {n}");
    }
    // A wrong code at join counts against the same address: the twentieth distinct one.
    let (status, _) = server
        .post_from(
            &guesser,
            "/api/join",
            &json!({"code": "EEEE6666", "nickname": "Nuovo", "secret": SECRET}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = guesser
        .post(server.url("/api/join/roles"))
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right code"
    );
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((890..=900).contains(&retry_after), "{retry_after}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(code_of(&body), "too_many_attempts");
    let (status, body) = server
        .post_from(
            &guesser,
            "/api/join",
            &json!({"code": code, "nickname": "Nuovo", "secret": SECRET}),
        )
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
        "joining from the address is locked too"
    );

    let (status, _) = server
        .post_from(
            &client_from(12),
            "/api/join/roles",
            &json!({ "code": code }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "another address is not locked");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_codes_guessed_together_are_all_counted() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    // A script sends many guesses at once: each must be counted, not only those that arrive
    // after the first failures were recorded.
    let guesser = client_from(13);
    let guesses: Vec<_> = (0..2 * MAX_ACCOUNTS_PER_ADDRESS)
        .map(|n| {
            let body = json!({ "code": format!("AAAA{:04}", 2000 + n) });
            let request = guesser.post(server.url("/api/join/roles")).json(&body);
            tokio::spawn(async move { request.send().await.unwrap().status() })
        })
        .collect();
    let mut answered = 0;
    for guess in guesses {
        if guess.await.unwrap() != StatusCode::TOO_MANY_REQUESTS {
            answered += 1;
        }
    }
    assert_eq!(
        answered, MAX_ACCOUNTS_PER_ADDRESS,
        "{answered} guesses were answered, not {MAX_ACCOUNTS_PER_ADDRESS}"
    );
    server.stop().await;
}
