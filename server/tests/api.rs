//! The HTTP surface on a real socket: health, content, static files, headers, limits.

mod common;

use common::{INLINE_SCRIPT, TestServer, Workspace};
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, ETAG, IF_NONE_MATCH,
};
use serde_json::{Value, json};

#[tokio::test]
async fn health_reports_the_versions() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let health: Value = server
        .client
        .get(server.url("/api/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
    let content_version = health["content_version"].as_str().unwrap();
    assert_eq!(content_version.len(), 16, "a short hash: {content_version}");
    server.stop().await;
}

#[tokio::test]
async fn content_bundle_has_an_etag_and_answers_not_modified() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let response = server
        .client
        .get(server.url("/api/content"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()[ETAG].to_str().unwrap().to_owned();
    let bundle: Value = response.json().await.unwrap();
    assert_eq!(
        etag,
        format!("\"{}\"", bundle["content_version"].as_str().unwrap())
    );
    assert_eq!(bundle["paths"][0]["id"], "demo");
    assert_eq!(
        bundle["paths"][0]["title"],
        json!({"it": "Percorso di prova", "en": "Test path"})
    );
    let activity = &bundle["paths"][0]["modules"][0]["activities"][0];
    assert_eq!(activity["kind"], "lesson");
    let body = activity["body_html"]["it"].as_str().unwrap();
    assert!(
        body.contains("<strong>lezione</strong>") && !body.contains("script"),
        "{body}"
    );

    assert_eq!(bundle["paths"][0]["ages"], "11-14");
    let en_body = activity["body_html"]["en"].as_str().unwrap();
    assert!(en_body.contains("English text"), "{en_body}");
    let quiz = &bundle["paths"][0]["modules"][0]["activities"][2];
    assert_eq!(quiz["kind"], "quiz");
    assert_eq!(quiz["pass_mark"], 50);
    assert_eq!(quiz["prerequisites"], json!(["demo-lezione"]));
    assert_eq!(
        quiz["questions"][0]["options"][0],
        json!({"text": {"it": "4"}, "correct": true, "feedback": {"it": "Giusto."}})
    );
    assert_eq!(quiz["questions"][1]["type"], "number");
    let challenge = &bundle["paths"][0]["modules"][0]["activities"][1];
    assert_eq!(challenge["evidence"], json!(["text"]));
    assert_eq!(
        bundle["badges"][0]["criteria"],
        json!({"type": "module_completed", "module": "demo-base"})
    );

    let again = server
        .client
        .get(server.url("/api/content"))
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
    let stale = server
        .client
        .get(server.url("/api/content"))
        .header(IF_NONE_MATCH, "\"old\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK);

    // Sent from the copies compressed at load time, whichever the client accepts.
    for (accept, encoding) in [
        ("gzip, deflate, br", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
    ] {
        let compressed = server
            .client
            .get(server.url("/api/content"))
            .header(ACCEPT_ENCODING, accept)
            .send()
            .await
            .unwrap();
        assert_eq!(
            compressed.headers()[CONTENT_ENCODING],
            encoding,
            "for {accept}"
        );
        assert_eq!(compressed.headers()["vary"], "accept-encoding");
    }
    server.stop().await;
}

#[tokio::test]
async fn content_images_are_served_at_their_versioned_urls() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let bundle: Value = server
        .client
        .get(server.url("/api/content"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let image = bundle["badges"][0]["image"].as_str().unwrap();
    assert!(
        image.starts_with("/content/images/badges/demo-badge.svg?v="),
        "{image}"
    );
    let response = server.client.get(server.url(image)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert_eq!(
        response.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<title>Badge di prova</title>")
    );
    let cover = bundle["paths"][0]["cover"].as_str().unwrap();
    assert!(
        cover.starts_with("/content/images/copertina.svg?v="),
        "{cover}"
    );
    let missing = server
        .client
        .get(server.url("/content/images/nessuna.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn unknown_api_paths_answer_json_not_found() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let response = server
        .client
        .get(server.url("/api/nessuna/risorsa"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("non trovata")
    );
    server.stop().await;
}

#[tokio::test]
async fn deep_links_get_the_app_with_security_headers() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let response = server
        .client
        .get(server.url("/percorsi/demo"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers[CACHE_CONTROL], "no-cache");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(
        headers["permissions-policy"]
            .to_str()
            .unwrap()
            .contains("camera=(self)")
    );
    let csp = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    use base64::Engine;
    use sha2::Digest;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(INLINE_SCRIPT));
    assert!(
        csp.contains(&format!("'sha256-{hash}'")),
        "the inline start-up script is allowed: {csp}"
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<title>Officina</title>")
    );

    // API responses carry the headers too.
    let api = server
        .client
        .get(server.url("/api/health"))
        .send()
        .await
        .unwrap();
    assert!(api.headers().contains_key(CONTENT_SECURITY_POLICY));
    server.stop().await;
}

#[tokio::test]
async fn paths_under_educator_get_the_workspace_page() {
    let workspace = Workspace::new();
    let educator = workspace.dir.path().join("dist/educator");
    std::fs::create_dir(&educator).unwrap();
    let script = "import init from '/educator/educator-0123456789abcdef.js'; init();";
    std::fs::write(
        educator.join("index.html"),
        format!("<title>Officina · Educatori</title><script type=\"module\">{script}</script>"),
    )
    .unwrap();
    let server = TestServer::start(&workspace.args()).await;
    for path in ["/educator/", "/educator/gruppi/abc/revisioni"] {
        let response = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let csp = response.headers()[CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        use base64::Engine;
        use sha2::Digest;
        for allowed in [script, INLINE_SCRIPT] {
            let hash =
                base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(allowed));
            assert!(csp.contains(&hash), "{allowed} not allowed by {csp}");
        }
        let body = response.text().await.unwrap();
        assert!(body.contains("Officina · Educatori"), "{path}: {body}");
    }
    // The learner's deep links still get the learner's page.
    let learner = server
        .client
        .get(server.url("/badge"))
        .send()
        .await
        .unwrap();
    assert!(
        learner
            .text()
            .await
            .unwrap()
            .contains("<title>Officina</title>")
    );
    server.stop().await;
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_sent_compressed() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let wasm = "/app-0123456789abcdef_bg.wasm";
    let response = server
        .client
        .get(server.url(wasm))
        .header(ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()[CONTENT_ENCODING], "br");
    let sent = response.bytes().await.unwrap();
    let on_disk = std::fs::read(workspace.dir.path().join(format!("dist{wasm}.br"))).unwrap();
    assert_eq!(
        sent.as_ref(),
        on_disk.as_slice(),
        "served from the precompressed copy"
    );
    assert!(sent.len() < 4 * 4096 / 10);

    let gzip = server
        .client
        .get(server.url(wasm))
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzip.headers()[CONTENT_ENCODING], "gzip");
    server.stop().await;
}

#[tokio::test]
async fn oversize_bodies_are_refused_with_413() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let me = server.learner().await;
    let huge = "x".repeat(2 * 1024 * 1024);
    let response = server
        .client
        .post(server.url("/api/sync/push"))
        .bearer_auth(&me.token)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_large");
    server.stop().await;
}

#[tokio::test]
async fn refuses_to_start_without_the_built_app() {
    let workspace = Workspace::new();
    let mut args = workspace.args();
    args.dist = workspace.dir.path().join("missing");
    let err = officina_server::server::Server::prepare(&args)
        .await
        .err()
        .expect("must refuse");
    assert!(err.to_string().contains("manca l'app compilata"), "{err}");
}
