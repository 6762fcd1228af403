use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The whole programme as one JSON bundle; its version is the `ETag`, so an app that has it gets 304.
pub async fn bundle(State(state): State<AppState>, request_headers: HeaderMap) -> Response {
    let etag = state.content.etag();
    let etag_value = HeaderValue::from_str(&etag).expect("a hex version is a valid header");
    let headers = [
        (header::ETAG, etag_value),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    if if_none_match(&request_headers, &etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let json = (
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
    let content = &state.content;
    let (encoding, body) = if accepts(&request_headers, "br") {
        (Some("br"), &content.json_brotli)
    } else if accepts(&request_headers, "gzip") {
        (Some("gzip"), &content.json_gzip)
    } else {
        (None, &content.json)
    };
    let mut response = (headers, [json, vary], body.clone()).into_response();
    if let Some(encoding) = encoding {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

/// Whether `Accept-Encoding` lists `encoding` (and does not refuse it with `q=0`).
fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next()?;
            let refused = parts.any(|p| p.replace(' ', "") == "q=0");
            (!refused).then_some(name)
        })
        .any(|name| name.eq_ignore_ascii_case(encoding))
}

fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}
