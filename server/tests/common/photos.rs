//! Photo uploads through the API, and the fixture photo.

use super::{Account, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The largest chunk the server takes.
pub const CHUNK: usize = 256 * 1024;

/// A real camera-like JPEG, 64×48, whose EXIF holds GPS tags and Orientation 6 (see
/// `fixtures/photos/make_gps_jpeg.py`).
pub fn gps_jpeg() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/photos/gps.jpg");
    std::fs::read(path).expect("fixture photo")
}

/// `GET /api/photos/{id}/upload`.
pub async fn upload_status(server: &TestServer, token: &str, id: Uuid) -> (StatusCode, Value) {
    server
        .get_with(&format!("/api/photos/{id}/upload"), token)
        .await
}

/// `PUT /api/photos/{id}/upload?offset=…&total=…` with `chunk`.
pub async fn put_chunk(
    server: &TestServer,
    token: &str,
    id: Uuid,
    offset: usize,
    total: usize,
    chunk: &[u8],
) -> (StatusCode, Value) {
    let url = server.url(&format!(
        "/api/photos/{id}/upload?offset={offset}&total={total}"
    ));
    let response = server
        .client
        .put(url)
        .bearer_auth(token)
        .body(chunk.to_vec())
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

/// Uploads `photo` whole, chunk after chunk; the answer to the last chunk.
pub async fn upload(
    server: &TestServer,
    token: &str,
    id: Uuid,
    photo: &[u8],
) -> (StatusCode, Value) {
    let mut last = None;
    for (index, chunk) in photo.chunks(CHUNK).enumerate() {
        let answer = put_chunk(server, token, id, index * CHUNK, photo.len(), chunk).await;
        if answer.0 != StatusCode::OK {
            return answer;
        }
        last = Some(answer);
    }
    last.expect("a photo has bytes")
}

/// Uploads the fixture photo as `account`; its id.
pub async fn uploaded(server: &TestServer, account: &Account) -> Uuid {
    let id = Uuid::new_v4();
    let (status, body) = upload(server, &account.token, id, &gps_jpeg()).await;
    assert_eq!(
        (status, &body),
        (
            StatusCode::OK,
            &json!({"received": gps_jpeg().len(), "done": true})
        )
    );
    id
}

/// `GET /api/photos/{id}`, with a token or without.
pub async fn get_photo(server: &TestServer, token: Option<&str>, id: Uuid) -> reqwest::Response {
    let mut request = server.client.get(server.url(&format!("/api/photos/{id}")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// The files directly in `dir` whose names end with `suffix`.
pub fn files_in(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}
