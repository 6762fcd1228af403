//! The limits on guessing, on a real socket, as an attacker on the lab's network would try them
//! and as a class behind one address (or a proxy) lives with them.

mod common;

use common::{Account, SECRET, STAFF_PASSWORD, TestServer, Workspace};
use officina_core::account::Role;
use officina_server::auth::rate_limit::{MAX_ACCOUNTS_PER_ADDRESS, MAX_FAILURES};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::net::IpAddr;
use std::process::Command;

/// A client whose requests come from another loopback address (all of 127/8 is local on Linux).
fn client_from(last_octet: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::from([127, 0, 0, last_octet]))
        .build()
        .unwrap()
}

/// `POST /api/login` from `client`, saying it forwards for `forwarded_for` if given.
async fn login(
    server: &TestServer,
    client: &reqwest::Client,
    forwarded_for: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut request = client.post(server.url("/api/login")).json(body);
    if let Some(forwarded_for) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded_for);
    }
    request.send().await.unwrap()
}

fn learner(code: &str, nickname: &str, secret: &str) -> Value {
    json!({"code": code, "nickname": nickname, "secret": secret})
}

/// Wrong secrets for `MAX_ACCOUNTS_PER_ADDRESS` distinct nicknames, each answered 401, all from
/// `client` (with the `X-Forwarded-For` that `forwarded_for` gives for each, if any).
async fn spray(
    server: &TestServer,
    client: &reqwest::Client,
    code: &str,
    forwarded_for: impl Fn(usize) -> Option<String>,
) {
    for n in 0..MAX_ACCOUNTS_PER_ADDRESS {
        let guess = learner(code, &format!("Ospite{n}"), "000000");
        let response = login(server, client, forwarded_for(n).as_deref(), &guess).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "guess {n}");
    }
}

/// The status and error code of a response.
async fn outcome(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let code = body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (status, code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_logins_at_once_for_one_account_evaluate_at_most_five_wrong_secrets() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    server.join(&code, "Astro").await;
    let attacker = client_from(2);
    let tries: Vec<_> = (0..40)
        .map(|n| {
            let secret = if n == 20 {
                SECRET.to_owned()
            } else {
                format!("sbagliato{n}")
            };
            let request = attacker
                .post(server.url("/api/login"))
                .json(&learner(&code, "Astro", &secret));
            tokio::spawn(async move { request.send().await.unwrap().status() })
        })
        .collect();
    let (mut wrong, mut right, mut refused) = (0, 0, 0);
    for attempt in tries {
        match attempt.await.unwrap() {
            StatusCode::UNAUTHORIZED => wrong += 1,
            StatusCode::OK => right += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    // Every try is counted before its secret is checked. The right one, once checked, is no
    // failure and gives its place back, so it can add one to the five wrong ones.
    assert!(wrong <= MAX_FAILURES, "{wrong} wrong secrets were checked");
    assert!(right <= 1);
    assert!(wrong + right <= MAX_FAILURES + 1);
    assert_eq!(wrong + right + refused, 40);
    assert!(refused >= 40 - MAX_FAILURES - 1, "{refused} refused");
    server.stop().await;
}

#[tokio::test]
async fn thirty_learners_behind_one_address_each_mistyping_once_all_sign_in() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    let nicknames: Vec<String> = (1..=30).map(|n| format!("Allievo{n}")).collect();
    for nickname in &nicknames {
        server.join(&code, nickname).await;
    }
    let lab = client_from(3);
    // Ten at a time, as a class sits down: each types a wrong PIN, then the right one.
    for group in nicknames.chunks(10) {
        let signing_in: Vec<_> = group
            .iter()
            .map(|nickname| {
                let typo = lab
                    .post(server.url("/api/login"))
                    .json(&learner(&code, nickname, "999999"));
                let right = lab
                    .post(server.url("/api/login"))
                    .json(&learner(&code, nickname, SECRET));
                tokio::spawn(async move {
                    let typo = typo.send().await.unwrap().status();
                    (typo, right.send().await.unwrap().status())
                })
            })
            .collect();
        for learner in signing_in {
            assert_eq!(
                learner.await.unwrap(),
                (StatusCode::UNAUTHORIZED, StatusCode::OK)
            );
        }
    }
    server.staff(Role::Educator, "Maria").await;
    let body = json!({"name": "Maria", "password": STAFF_PASSWORD});
    let response = lab
        .post(server.url("/api/staff/login"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the educator too");
    server.stop().await;
}

#[tokio::test]
async fn an_address_failing_for_twenty_accounts_is_locked_and_no_other() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    server.join(&code, "Astro").await;
    server.staff(Role::Educator, "Maria").await;
    let attacker = client_from(4);
    spray(&server, &attacker, &code, |_| None).await;

    let right = learner(&code, "Astro", SECRET);
    let response = login(&server, &attacker, None, &right).await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((890..=900).contains(&retry_after), "{retry_after}");
    assert_eq!(
        outcome(response).await,
        (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts".into()),
        "even a right secret"
    );
    let staff = json!({"name": "Maria", "password": STAFF_PASSWORD});
    let response = attacker
        .post(server.url("/api/staff/login"))
        .json(&staff)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let join = json!({"code": code, "nickname": "Nuovo", "secret": SECRET});
    let (status, _) = server.post_from(&attacker, "/api/join", &join).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);

    let response = login(&server, &client_from(5), None, &right).await;
    assert_eq!(response.status(), StatusCode::OK, "another address is not");
    server.stop().await;
}

#[tokio::test]
async fn the_forwarded_address_is_believed_from_a_trusted_proxy_only() {
    let workspace = Workspace::new();
    let mut args = workspace.args();
    args.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    let server = TestServer::start(&args).await;
    let code = server.new_cohort().await;
    server.join(&code, "Astro").await;
    let proxy = client_from(1);
    spray(&server, &proxy, &code, |_| Some("203.0.113.5".into())).await;
    let right = learner(&code, "Astro", SECRET);

    let response = login(&server, &proxy, Some("203.0.113.5"), &right).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let spoofed = Some("203.0.113.6, 203.0.113.5");
    let response = login(&server, &proxy, spoofed, &right).await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the proxy's own entry is the one believed, not what the client wrote before it"
    );
    let response = login(&server, &proxy, Some("203.0.113.6"), &right).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "another client behind the same proxy"
    );

    // A peer that is not a trusted proxy cannot pick its address.
    let direct = client_from(6);
    let response = login(&server, &direct, Some("203.0.113.7"), &right).await;
    assert_eq!(response.status(), StatusCode::OK);
    spray(&server, &direct, &code, |n| Some(format!("198.51.100.{n}"))).await;
    let response = login(&server, &direct, Some("198.51.100.99"), &right).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    server.stop().await;
}

#[tokio::test]
async fn without_trusted_proxies_the_forwarded_address_is_ignored() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    server.join(&code, "Astro").await;
    let client = client_from(1);
    spray(&server, &client, &code, |n| Some(format!("198.51.100.{n}"))).await;
    let right = learner(&code, "Astro", SECRET);
    let response = login(&server, &client, Some("198.51.100.99"), &right).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    server.stop().await;
}

#[test]
fn a_trusted_proxy_that_is_no_network_stops_the_server_from_starting() {
    let output = Command::new(env!("CARGO_BIN_EXE_officina-server"))
        .arg("serve")
        .env("OFFICINA_TRUSTED_PROXIES", "10.0.0.0/8, caddy")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("«caddy»"), "{stderr}");
}

#[tokio::test]
async fn a_long_nickname_is_counted_whole_in_a_key_of_fixed_size() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    let long = "a".repeat(200_000);
    let client = client_from(7);
    for _ in 0..MAX_FAILURES {
        let response = login(&server, &client, None, &learner(&code, &long, "000000")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = login(&server, &client, None, &learner(&code, &long, "000000")).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let longer = format!("{long}b");
    let response = login(&server, &client, None, &learner(&code, &longer, "000000")).await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "not cut to a prefix: another nickname"
    );
    server.stop().await;
}

async fn link(server: &TestServer, who: &Account, code: &str) -> StatusCode {
    server.family_link(who, code).await.0
}

#[tokio::test]
async fn family_codes_guessed_by_one_account_lock_it_and_not_its_family() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.cohort("Famiglie", "famiglia", &[]).await.join_code;
    let guesser = server.parent(&code, "Curioso").await;
    let mum = server.parent(&code, "Mamma di Luna").await;
    let child = server.join(&code, "Luna").await;
    for n in 0..MAX_FAILURES {
        let guess = format!("ZZZZZ{}", 2 + n);
        assert_eq!(link(&server, &guesser, &guess).await, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        link(&server, &guesser, "ZZZZZZ").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The same address, another account: Luna's mother mistypes, then links.
    assert_eq!(link(&server, &mum, "ZZZZZZ").await, StatusCode::NOT_FOUND);
    let family_code = server.family_code(&child).await;
    assert_eq!(link(&server, &mum, &family_code).await, StatusCode::CREATED);
    server.stop().await;
}
