//! The built app: static files with an SPA fallback, cache rules, and the security headers
//! every response carries.

mod assets;
pub(crate) mod negotiate;

pub use assets::Assets;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Uri, header};
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(
        "manca l'app compilata: {0} non esiste (esegui `trunk build --release` o `scripts/run.sh`)"
    )]
    MissingApp(String),
    #[error("non riesco a leggere {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

/// Where in `dist/` the educator workspace is built (its own page and wasm, at `/educator/`).
pub const EDUCATOR_DIR: &str = "educator";

/// Serves the app's files from memory; any path that is not a file gets `index.html`, so deep
/// links work, and any such path under `/educator/` gets the workspace's `educator/index.html`.
pub fn app_files(assets: Assets) -> Router {
    Router::new().fallback(serve).with_state(Arc::new(assets))
}

async fn serve(
    State(assets): State<Arc<Assets>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    assets.respond(&method, uri.path(), &headers)
}

/// The content's images. Their URLs carry a hash of the file (`?v=…`), so they can be cached for good.
pub fn content_images(dir: &Path) -> Router {
    let immutable = HeaderValue::from_static("public, max-age=31536000, immutable");
    Router::new()
        .fallback_service(ServeDir::new(dir))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            immutable,
        ))
}

/// Hashed files never change, so they are cached for good; everything else must be revalidated so
/// that a new version is seen. Trunk names its outputs `name-<hash>.ext` (or `…_bg.wasm`), the hash
/// a 64-bit number in hex without leading zeros: 16 digits, sometimes fewer (fewer than 8 once in
/// four billion builds).
pub(crate) fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end_matches("_bg");
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The Content-Security-Policy for the app in `dist/`: only its own files, plus the hashes of the
/// inline scripts Trunk writes into each page's `index.html` (the learner's app, and the educator
/// workspace's when it is built) to start the wasm module. Images may also be `blob:` URLs: photos
/// shown from the phone's storage before they are sent, and the QR code and learners' photos the
/// workspace fetched with its token.
pub fn content_security_policy(dist: &Path) -> Result<String, WebError> {
    let learner = read_page(&dist.join("index.html"))?;
    let educator = match read_page(&dist.join(EDUCATOR_DIR).join("index.html")) {
        Ok(html) => html,
        Err(WebError::MissingApp(path)) => {
            tracing::warn!(
                "{path} is missing: /educator/ has no workspace (scripts/build.sh builds it)"
            );
            String::new()
        }
        Err(err) => return Err(err),
    };
    let hashes: String = inline_scripts(&learner)
        .chain(inline_scripts(&educator))
        .map(|script| format!(" 'sha256-{}'", sha256_base64(script)))
        .collect();
    Ok(format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ))
}

fn read_page(index: &Path) -> Result<String, WebError> {
    std::fs::read_to_string(index).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => WebError::MissingApp(index.display().to_string()),
        _ => WebError::Read {
            path: index.display().to_string(),
            source,
        },
    })
}

fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        if attributes.contains("src=") {
            return None;
        }
        after.split_once("</script>").map(|(body, _)| body)
    })
}

fn sha256_base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// The headers every response carries.
pub fn security_headers(csp: &str) -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    let csp = HeaderValue::from_str(csp).expect("the policy is ASCII");
    let pairs = [
        (header::CONTENT_SECURITY_POLICY, csp),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
            ),
        ),
    ];
    pairs
        .into_iter()
        .map(|(name, value)| SetResponseHeaderLayer::if_not_present(name, value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed("/officina-0123456789abcdef_bg.wasm"));
        assert!(is_hashed("/officina-0123456789abcdef.js"));
        assert!(is_hashed("/style-fedcba9876543210.css"));
        assert!(is_hashed("/educator/educator-eb395ebea9389ad_bg.wasm"));
        assert!(!is_hashed("/educator-1234.js"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/percorsi/space-camp"));
        assert!(!is_hashed("/manifest.webmanifest"));
    }

    #[test]
    fn the_policy_allows_the_start_up_scripts_of_both_pages() {
        let dist = tempfile::tempdir().unwrap();
        let page = |script: &str| format!("<html><script type=\"module\">{script}</script></html>");
        std::fs::write(dist.path().join("index.html"), page("learner()")).unwrap();
        let without_workspace = content_security_policy(dist.path()).unwrap();
        assert!(without_workspace.contains(&sha256_base64("learner()")));

        std::fs::create_dir(dist.path().join(EDUCATOR_DIR)).unwrap();
        std::fs::write(
            dist.path().join(EDUCATOR_DIR).join("index.html"),
            page("educator()"),
        )
        .unwrap();
        let csp = content_security_policy(dist.path()).unwrap();
        for script in ["learner()", "educator()"] {
            let allowed = format!("'sha256-{}'", sha256_base64(script));
            assert!(csp.contains(&allowed), "{script} not allowed by {csp}");
        }
        assert!(csp.contains("img-src 'self' data: blob:"));
    }

    #[test]
    fn no_learner_page_is_an_error() {
        let dist = tempfile::tempdir().unwrap();
        assert!(matches!(
            content_security_policy(dist.path()),
            Err(WebError::MissingApp(_))
        ));
    }

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<script type="module">init()</script><script src="/a.js"></script>"#;
        let scripts: Vec<_> = inline_scripts(html).collect();
        assert_eq!(scripts, ["init()"]);
        // echo -n 'init()' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            sha256_base64("init()"),
            "w4ujnOpjBoH2vcasx+reJRUwYivG8Q3afx/XevGJod8="
        );
    }
}
