//! Hosted Open Badges 2.0: a badge earned in a synced log becomes a public assertion, which the
//! learner lists, downloads baked and revokes; and the 1EdTech validator accepts it.

mod common;

use common::{Account, TestServer, Workspace, completed, submitted};
use officina_server::cli::ServeArgs;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::Path;
use uuid::Uuid;

/// Serve args whose public URL is the server's own address, so the validator can follow the ids:
/// the default, made from the address the server is bound to.
fn args_at_public_url(workspace: &Workspace) -> ServeArgs {
    let mut args = workspace.args();
    args.public_url = None;
    args
}

/// Pushes what completes the fixture's module `demo-base`, which earns `demo-badge`.
async fn earn_the_demo_badge(server: &TestServer, learner: &Account) {
    let quiz = json!({"id": Uuid::new_v4(), "kind": "quiz_submitted", "activity_id": "demo-quiz",
        "at": "2026-11-25T10:05:00+01:00", "data": {"answers": [[0], 410], "score": 100, "passed": true}});
    let events = json!([
        completed(Uuid::new_v4(), "demo-lezione"),
        submitted(Uuid::new_v4()),
        quiz
    ]);
    let (status, _) = server.push(&learner.token, events).await;
    assert_eq!(status, StatusCode::OK);
}

async fn my_badges(server: &TestServer, token: &str) -> Value {
    let response = server
        .client
        .get(server.url("/api/badges"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn get(server: &TestServer, url: &str, token: Option<&str>) -> reqwest::Response {
    let request = server.client.get(url);
    let request = match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    };
    request.send().await.unwrap()
}

#[tokio::test]
async fn an_earned_badge_is_a_hosted_assertion_its_owner_lists_downloads_and_revokes() {
    let workspace = Workspace::new();
    let server = TestServer::start(&args_at_public_url(&workspace)).await;
    let learner = server.learner().await;
    let other = server.learner().await;
    assert_eq!(
        my_badges(&server, &learner.token).await["assertions"],
        json!([])
    );
    earn_the_demo_badge(&server, &learner).await;
    // Pushing the same events again, or more, issues nothing new.
    earn_the_demo_badge(&server, &learner).await;

    let mine = my_badges(&server, &learner.token).await;
    // (The fixture's one-week streak badge is earned along the way too.)
    let assertions: Vec<&Value> = mine["assertions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["badge_id"] == "demo-badge")
        .collect();
    assert_eq!(assertions.len(), 1, "issued once");
    let assertion = assertions[0];
    assert_eq!(assertion["badge_id"], "demo-badge");
    assert_eq!(
        assertion["earned_on"], "2026-11-25T10:00:00.000Z",
        "the latest of the first completions"
    );
    assert_eq!(assertion["events"].as_array().unwrap().len(), 3);
    assert_eq!(assertion["revoked"], false);
    let url = assertion["url"].as_str().unwrap();
    assert_eq!(
        url,
        server.url(&format!(
            "/ob/assertions/{}",
            assertion["id"].as_str().unwrap()
        ))
    );

    let hosted = get(&server, url, None).await;
    assert_eq!(hosted.status(), StatusCode::OK);
    assert_eq!(hosted.headers()["content-type"], "application/ld+json");
    let document: Value = hosted.json().await.unwrap();
    assert_eq!(document["@context"], "https://w3id.org/openbadges/v2");
    assert_eq!(document["verification"]["type"], "hosted");
    assert_eq!(document["recipient"]["type"], "url");
    assert_eq!(document["recipient"]["hashed"], true);
    assert!(
        !document.to_string().contains("Astro"),
        "no nickname without the learner's consent"
    );
    let profile: Value = get(&server, mine["profile_url"].as_str().unwrap(), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(profile.get("name"), None);

    let consent = server
        .client
        .put(server.url("/api/badges/profile"))
        .bearer_auth(&learner.token);
    let consent = consent
        .json(&json!({"show_nickname": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(consent.status(), StatusCode::NO_CONTENT);
    let profile: Value = get(&server, mine["profile_url"].as_str().unwrap(), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(profile["name"], "Astro");

    let baked_url = server.url(assertion["baked_svg"].as_str().unwrap());
    let baked = get(&server, &baked_url, Some(&learner.token)).await;
    assert_eq!(baked.status(), StatusCode::OK);
    assert_eq!(baked.headers()["content-type"], "image/svg+xml");
    assert!(
        baked
            .text()
            .await
            .unwrap()
            .contains(&format!("<openbadges:assertion verify=\"{url}\">"))
    );

    let png_url = server.url(assertion["baked_png"].as_str().unwrap());
    let png = get(&server, &png_url, Some(&learner.token)).await;
    assert_eq!(png.status(), StatusCode::OK);
    assert_eq!(png.headers()["content-type"], "image/png");
    assert!(png.bytes().await.unwrap().starts_with(b"\x89PNG"));

    // Someone else's assertion is not there for them.
    assert_eq!(
        get(&server, &baked_url, Some(&other.token)).await.status(),
        StatusCode::NOT_FOUND
    );
    let revoke_url = server.url(&format!(
        "/api/badges/{}/revoke",
        assertion["id"].as_str().unwrap()
    ));
    let revoke = server
        .client
        .post(&revoke_url)
        .bearer_auth(&other.token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        server
            .client
            .post(&revoke_url)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let revoke = server
        .client
        .post(&revoke_url)
        .bearer_auth(&learner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::NO_CONTENT);
    let hosted = get(&server, url, None).await;
    assert_eq!(hosted.status(), StatusCode::GONE);
    let document: Value = hosted.json().await.unwrap();
    assert_eq!(document["revoked"], true);
    assert_eq!(
        get(&server, &baked_url, Some(&learner.token))
            .await
            .status(),
        StatusCode::GONE
    );
    assert_eq!(
        get(&server, &png_url, Some(&learner.token)).await.status(),
        StatusCode::GONE
    );
    // Still earned, but revoked stays revoked.
    earn_the_demo_badge(&server, &learner).await;
    let mine = my_badges(&server, &learner.token).await;
    let demo: Vec<&Value> = mine["assertions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["badge_id"] == "demo-badge")
        .collect();
    assert_eq!(demo.len(), 1);
    assert_eq!(demo[0]["revoked"], true);

    assert_eq!(
        get(&server, &server.url("/ob/assertions/nessuna"), None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&server, &server.url("/ob/badges/nessuno"), None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    server.stop().await;
}

#[tokio::test]
async fn the_1edtech_validator_accepts_the_assertion_and_the_baked_image() {
    let venv_python =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../.cache/openbadges-venv/bin/python");
    assert!(
        venv_python.exists(),
        "the Open Badges validator is not installed at {}: run scripts/setup-openbadges.sh (scripts/setup.sh --browser does)",
        venv_python.display()
    );
    let workspace = Workspace::new();
    let server = TestServer::start(&args_at_public_url(&workspace)).await;
    let learner = server.learner().await;
    earn_the_demo_badge(&server, &learner).await;
    let mine = my_badges(&server, &learner.token).await;
    let assertion = &mine["assertions"][0];
    let url = assertion["url"].as_str().unwrap().to_owned();
    let baked = get(
        &server,
        &server.url(assertion["baked_svg"].as_str().unwrap()),
        Some(&learner.token),
    )
    .await;
    let baked_svg = workspace.dir.path().join("baked.svg");
    std::fs::write(&baked_svg, baked.bytes().await.unwrap()).unwrap();
    let baked = get(
        &server,
        &server.url(assertion["baked_png"].as_str().unwrap()),
        Some(&learner.token),
    )
    .await;
    let baked_png = workspace.dir.path().join("baked.png");
    std::fs::write(&baked_png, baked.bytes().await.unwrap()).unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/openbadges/validate.py");
    // The validator calls back into this server: run it off the runtime's thread.
    let output = tokio::task::spawn_blocking(move || {
        let mut validate = std::process::Command::new(venv_python);
        validate
            .arg(script)
            .arg(url)
            .arg(baked_svg)
            .arg(baked_png)
            .output()
            .expect("python runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "validator failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["hosted_valid"], true);
    assert_eq!(summary["hosted_messages"], json!([]), "not even a warning");
    assert_eq!(
        summary["checked"],
        json!(["Assertion", "BadgeClass", "Issuer"])
    );
    assert_eq!(
        summary["baked"],
        json!([{"format": "svg", "matches": true}, {"format": "png", "matches": true}])
    );
    server.stop().await;
}
