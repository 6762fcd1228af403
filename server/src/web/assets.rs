//! The built app held in memory: every file of `dist/` with its brotli and gzip copies, its type,
//! ETags and cache rule worked out once at start-up, so that a request is one map lookup (looking
//! for the copies on disk at every request made the app's files the slowest path, BENCHMARKS.md).
//! Bodies are sent whole: no Range requests (nothing of ours asks for part of a file).

use super::negotiate::{self, Encoding};
use super::{EDUCATOR_DIR, is_hashed};
use crate::content::short_hex;
use crate::precompress::{
    brotli_bytes, files_under, gzip_bytes, is_compressible, is_stale, sibling,
};
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::Arc;

/// `dist/`'s files by URL path; each folder's `index.html` also under the folder's path (`/`).
pub struct Assets {
    files: HashMap<String, Arc<Asset>>,
}

/// One file as it can be sent.
struct Asset {
    content_type: HeaderValue,
    cache_control: HeaderValue,
    identity: Representation,
    /// Brotli and gzip; none for files that do not compress (images).
    copies: Option<[Representation; 2]>,
}

/// One encoding of a file: its bytes and the strong ETag that names them.
struct Representation {
    bytes: Bytes,
    etag: HeaderValue,
}

impl Assets {
    /// Reads every file below `dist`, with the copies `precompress` wrote beside the compressible
    /// ones (so `app-size` reports what is sent). A copy missing or older than its file (`dist`
    /// not writable) is made here, in memory.
    pub fn load(dist: &Path) -> io::Result<Self> {
        let mut files = HashMap::new();
        for file in files_under(dist)? {
            if is_copy(&file) {
                continue;
            }
            let relative = file.strip_prefix(dist).unwrap_or(&file);
            let url: String = relative
                .components()
                .map(|part| format!("/{}", part.as_os_str().to_string_lossy()))
                .collect();
            let asset = Arc::new(Asset::read(&file, &url)?);
            if let Some(folder) = url.strip_suffix("/index.html") {
                files.insert(format!("{folder}/"), Arc::clone(&asset));
            }
            files.insert(url, asset);
        }
        Ok(Self { files })
    }

    /// The response to `GET` or `HEAD` of `path`.
    pub fn respond(&self, method: &Method, path: &str, request: &HeaderMap) -> Response {
        if method != Method::GET && method != Method::HEAD {
            let allow = [(header::ALLOW, HeaderValue::from_static("GET, HEAD"))];
            return (StatusCode::METHOD_NOT_ALLOWED, allow).into_response();
        }
        match self.find(path) {
            Some(asset) => asset.respond(request, method == Method::HEAD),
            None => StatusCode::NOT_FOUND.into_response(),
        }
    }

    /// The file at `path`; for any other path its page, so deep links work: the educator
    /// workspace's under `/educator`, the learner's app elsewhere.
    fn find(&self, path: &str) -> Option<&Asset> {
        if let Some(asset) = self.files.get(path) {
            return Some(asset);
        }
        let in_workspace = path
            .strip_prefix('/')
            .and_then(|rest| rest.strip_prefix(EDUCATOR_DIR))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        let page = if in_workspace {
            format!("/{EDUCATOR_DIR}/")
        } else {
            "/".to_owned()
        };
        self.files.get(&page).map(Arc::as_ref)
    }
}

/// Whether `file` is a `.br` or `.gz` copy `precompress` made of the file beside it.
fn is_copy(file: &Path) -> bool {
    let original = file.with_extension("");
    matches!(file.extension().and_then(|e| e.to_str()), Some("br" | "gz"))
        && is_compressible(&original)
        && original.is_file()
}

impl Asset {
    fn read(file: &Path, url: &str) -> io::Result<Self> {
        let raw = std::fs::read(file)?;
        let version = short_hex(&Sha256::digest(&raw));
        let representation = |bytes: Vec<u8>, suffix: &str| Representation {
            bytes: Bytes::from(bytes),
            etag: HeaderValue::from_str(&format!("\"{version}{suffix}\""))
                .expect("hex is a valid header"),
        };
        let copies = if is_compressible(file) {
            let br = copy(file, &raw, "br", brotli_bytes)?;
            let gz = copy(file, &raw, "gz", gzip_bytes)?;
            Some([representation(br, "-br"), representation(gz, "-gz")])
        } else {
            None
        };
        let content_type = mime_guess::from_path(file).first_or_octet_stream();
        Ok(Self {
            content_type: HeaderValue::from_str(content_type.as_ref())
                .expect("a MIME type is a valid header"),
            cache_control: HeaderValue::from_static(if is_hashed(url) {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            }),
            identity: representation(raw, ""),
            copies,
        })
    }

    fn respond(&self, request: &HeaderMap, head: bool) -> Response {
        let (encoding, body) = self.representation(negotiate::preferred(request));
        let mut headers = HeaderMap::with_capacity(6);
        headers.insert(header::ETAG, body.etag.clone());
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        if self.copies.is_some() {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        let etag = body.etag.to_str().expect("built from hex");
        if negotiate::if_none_match(request, etag) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.bytes.len()));
        if let Some(name) = encoding.header() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
        }
        let bytes = if head {
            Bytes::new()
        } else {
            body.bytes.clone()
        };
        let mut response = Response::new(Body::from(bytes));
        *response.headers_mut() = headers;
        response
    }

    /// The copy in `encoding`, or the bytes as they are when there is none.
    fn representation(&self, encoding: Encoding) -> (Encoding, &Representation) {
        match (&self.copies, encoding) {
            (Some([br, _]), Encoding::Brotli) => (encoding, br),
            (Some([_, gz]), Encoding::Gzip) => (encoding, gz),
            _ => (Encoding::Identity, &self.identity),
        }
    }
}

/// The copy `precompress` wrote (`file.<extension>`), or a new one when it is missing or stale.
fn copy(
    file: &Path,
    raw: &[u8],
    extension: &str,
    compress: fn(&[u8]) -> io::Result<Vec<u8>>,
) -> io::Result<Vec<u8>> {
    let path = sibling(file, extension);
    if is_stale(file, &path)? {
        let file = file.display();
        tracing::warn!(%file, "no up-to-date .{extension} copy: compressed in memory");
        return compress(raw);
    }
    std::fs::read(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn body(assets: &Assets, path: &str, accept: &'static str) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(accept));
        assets.respond(&Method::GET, path, &headers)
    }

    async fn bytes(response: Response) -> Vec<u8> {
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec()
    }

    #[tokio::test]
    async fn copies_missing_on_disk_are_made_in_memory() {
        let dist = tempfile::tempdir().unwrap();
        let text = "console.log('officina');\n".repeat(100);
        std::fs::write(dist.path().join("pwa.js"), &text).unwrap();
        let assets = Assets::load(dist.path()).unwrap();
        assert!(!dist.path().join("pwa.js.br").exists(), "nothing written");

        let mut from_brotli = String::new();
        let br = bytes(body(&assets, "/pwa.js", "br")).await;
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut from_brotli)
            .unwrap();
        assert_eq!(from_brotli, text);
        let mut from_gzip = String::new();
        let gz = bytes(body(&assets, "/pwa.js", "gzip")).await;
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut from_gzip)
            .unwrap();
        assert_eq!(from_gzip, text);
    }

    #[tokio::test]
    async fn copies_are_not_files_of_their_own_but_a_lone_archive_is() {
        let dist = tempfile::tempdir().unwrap();
        std::fs::write(dist.path().join("index.html"), "<title>Officina</title>").unwrap();
        crate::precompress::precompress(dist.path()).unwrap();
        std::fs::write(dist.path().join("dati.gz"), b"\x1f\x8b archive").unwrap();
        let assets = Assets::load(dist.path()).unwrap();

        let copy = bytes(body(&assets, "/index.html.br", "")).await;
        assert_eq!(copy, b"<title>Officina</title>", "the page, not the copy");
        let archive = body(&assets, "/dati.gz", "gzip");
        assert_eq!(archive.headers()[header::CONTENT_TYPE], "application/gzip");
        assert!(!archive.headers().contains_key(header::CONTENT_ENCODING));
        assert_eq!(bytes(archive).await, b"\x1f\x8b archive");
    }
}
