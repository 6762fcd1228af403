//! The built app's files, served from memory: encodings, revalidation, HEAD, cache rules, the SPA
//! fallback, and that what is sent is what `app-size` counts.

mod common;

use common::{TestServer, Workspace};
use officina_server::precompress::precompress;
use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG, VARY,
};
use reqwest::{Response, StatusCode};

const WASM: &str = "/app-0123456789abcdef_bg.wasm";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A workspace whose app also has a service worker, a stylesheet, an icon and the workspace page.
fn workspace() -> Workspace {
    let workspace = Workspace::new();
    let dist = workspace.dir.path().join("dist");
    std::fs::write(
        dist.join("sw.js"),
        "self.addEventListener('fetch', () => {});\n".repeat(20),
    )
    .unwrap();
    std::fs::write(
        dist.join("main-0123456789abcdef.css"),
        "body { margin: 0; }\n".repeat(50),
    )
    .unwrap();
    std::fs::create_dir(dist.join("icons")).unwrap();
    std::fs::write(dist.join("icons/icon-192.png"), [0x89u8; 300]).unwrap();
    std::fs::create_dir(dist.join("educator")).unwrap();
    std::fs::write(
        dist.join("educator/index.html"),
        "<title>Officina · Educatori</title>",
    )
    .unwrap();
    workspace
}

async fn get(server: &TestServer, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = server.client.get(server.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn header(response: &Response, name: impl reqwest::header::AsHeaderName) -> &str {
    response
        .headers()
        .get(name)
        .map_or("", |value| value.to_str().unwrap())
}

#[tokio::test]
async fn a_client_with_the_current_copy_gets_304_for_that_encoding() {
    let workspace = workspace();
    let server = TestServer::start(&workspace.args()).await;
    let first = get(&server, "/", &[("accept-encoding", "br")]).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(header(&first, VARY), "accept-encoding");
    let etag = header(&first, ETAG).to_owned();
    assert!(
        etag.starts_with('"') && etag.ends_with("-br\""),
        "strong: {etag}"
    );

    let again = get(
        &server,
        "/",
        &[("accept-encoding", "br"), ("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, ETAG), etag);
    assert_eq!(header(&again, CACHE_CONTROL), "no-cache");
    assert_eq!(header(&again, VARY), "accept-encoding");
    assert!(again.bytes().await.unwrap().is_empty());

    // Each encoding is its own representation with its own tag: a gzip copy is not current here.
    let gzip = get(&server, "/", &[("accept-encoding", "gzip")]).await;
    let gzip_etag = header(&gzip, ETAG).to_owned();
    let plain = get(&server, "/", &[]).await;
    let plain_etag = header(&plain, ETAG).to_owned();
    assert!(etag != gzip_etag && gzip_etag != plain_etag && etag != plain_etag);
    let other = get(
        &server,
        "/",
        &[("accept-encoding", "br"), ("if-none-match", &gzip_etag)],
    )
    .await;
    assert_eq!(other.status(), StatusCode::OK);
    server.stop().await;
    // A new build is a new tag.
    let index = workspace.dir.path().join("dist/index.html");
    let changed = std::fs::read_to_string(&index).unwrap() + "<!-- v2 -->";
    std::fs::write(&index, changed).unwrap();
    let rebuilt = TestServer::start(&workspace.args()).await;
    let after = get(&rebuilt, "/", &[("if-none-match", &plain_etag)]).await;
    assert_eq!(after.status(), StatusCode::OK);
    assert!(after.text().await.unwrap().ends_with("<!-- v2 -->"));
    rebuilt.stop().await;
}

#[tokio::test]
async fn refused_encodings_are_never_sent() {
    let workspace = workspace();
    let server = TestServer::start(&workspace.args()).await;
    let dist = workspace.dir.path().join("dist");
    let raw = std::fs::read(dist.join(WASM.trim_start_matches('/'))).unwrap();
    for (accept, encoding, on_disk) in [
        ("br;q=0, gzip", "gzip", format!("{WASM}.gz")),
        ("br;q=0.5, gzip;q=0.9", "gzip", format!("{WASM}.gz")),
        ("gzip;q=0.5, br", "br", format!("{WASM}.br")),
        ("br;q=0, gzip;q=0", "", WASM.to_owned()),
        ("identity", "", WASM.to_owned()),
    ] {
        let response = get(&server, WASM, &[("accept-encoding", accept)]).await;
        assert_eq!(
            header(&response, CONTENT_ENCODING),
            encoding,
            "for {accept}"
        );
        let expected = std::fs::read(dist.join(on_disk.trim_start_matches('/'))).unwrap();
        assert_eq!(
            header(&response, CONTENT_LENGTH),
            expected.len().to_string(),
            "for {accept}"
        );
        let sent = response.bytes().await.unwrap();
        assert_eq!(sent.as_ref(), expected.as_slice(), "for {accept}");
        if encoding.is_empty() {
            assert_eq!(sent.as_ref(), raw.as_slice(), "not compressed on the fly");
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn head_answers_the_headers_of_get_without_the_body() {
    let workspace = workspace();
    let server = TestServer::start(&workspace.args()).await;
    let brotli = std::fs::read(workspace.dir.path().join(format!("dist{WASM}.br"))).unwrap();
    let response = server
        .client
        .head(server.url(WASM))
        .header(ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, CONTENT_ENCODING), "br");
    assert_eq!(header(&response, CONTENT_TYPE), "application/wasm");
    assert_eq!(header(&response, CONTENT_LENGTH), brotli.len().to_string());
    assert_eq!(header(&response, CACHE_CONTROL), IMMUTABLE);
    assert!(response.bytes().await.unwrap().is_empty());
    server.stop().await;
}

#[tokio::test]
async fn only_hashed_names_are_cached_for_good() {
    let workspace = workspace();
    let server = TestServer::start(&workspace.args()).await;
    for (path, cache, content_type) in [
        ("/", "no-cache", "text/html"),
        ("/index.html", "no-cache", "text/html"),
        ("/sw.js", "no-cache", "text/javascript"),
        ("/icons/icon-192.png", "no-cache", "image/png"),
        ("/main-0123456789abcdef.css", IMMUTABLE, "text/css"),
        (WASM, IMMUTABLE, "application/wasm"),
        // Deep links, and files that are not there, get the page, which is revalidated: a page
        // under an old hashed name must not be kept for good.
        ("/percorsi/demo", "no-cache", "text/html"),
        ("/foo.wasm", "no-cache", "text/html"),
        ("/app-fedcba9876543210_bg.wasm", "no-cache", "text/html"),
    ] {
        let response = get(&server, path, &[("accept-encoding", "br")]).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, CACHE_CONTROL), cache, "{path}");
        assert!(
            header(&response, CONTENT_TYPE).starts_with(content_type),
            "{path}: {}",
            header(&response, CONTENT_TYPE)
        );
    }
    let png = get(&server, "/icons/icon-192.png", &[("accept-encoding", "br")]).await;
    assert_eq!(
        header(&png, CONTENT_ENCODING),
        "",
        "images are sent as they are"
    );
    assert_eq!(header(&png, VARY), "");
    assert_eq!(png.bytes().await.unwrap().as_ref(), [0x89u8; 300]);
    server.stop().await;
}

#[tokio::test]
async fn paths_that_are_no_file_get_their_page() {
    let workspace = workspace();
    let server = TestServer::start(&workspace.args()).await;
    for (path, title) in [
        ("/foo.wasm", "<title>Officina</title>"),
        ("/icons/", "<title>Officina</title>"),
        ("/educatori", "<title>Officina</title>"),
        ("/educator", "Officina · Educatori"),
        ("/educator/", "Officina · Educatori"),
        ("/educator/x", "Officina · Educatori"),
        ("/educator/x.wasm", "Officina · Educatori"),
    ] {
        let response = get(&server, path, &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body = response.text().await.unwrap();
        assert!(body.contains(title), "{path}: {body}");
    }
    let post = server.client.post(server.url("/")).send().await.unwrap();
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(header(&post, "allow"), "GET, HEAD");
    server.stop().await;

    // Without the workspace built, its paths are not found (and not the learner's page).
    std::fs::remove_dir_all(workspace.dir.path().join("dist/educator")).unwrap();
    let server = TestServer::start(&workspace.args()).await;
    let response = get(&server, "/educator/x", &[]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn what_is_sent_is_what_app_size_counts() {
    let workspace = workspace();
    let server = TestServer::start(&workspace.args()).await;
    let dist = workspace.dir.path().join("dist");
    let sizes = precompress(&dist).unwrap();
    assert_eq!(sizes.len(), 5, "{sizes:?}");
    for size in sizes {
        let path = format!("/{}", size.file.display());
        for (accept, expected) in [("br", size.brotli), ("gzip", size.gzip), ("", size.raw)] {
            let response = get(&server, &path, &[("accept-encoding", accept)]).await;
            assert_eq!(
                header(&response, CONTENT_ENCODING),
                accept,
                "{path} for {accept:?}"
            );
            let sent = response.bytes().await.unwrap();
            assert_eq!(sent.len() as u64, expected, "{path} for {accept:?}");
        }
    }
    server.stop().await;
}
