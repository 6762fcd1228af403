use crate::state::AppState;
use crate::web::negotiate::{self, Encoding};
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
    if negotiate::if_none_match(&request_headers, &etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let json = (
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
    let content = &state.content;
    let encoding = negotiate::preferred(&request_headers);
    let body = match encoding {
        Encoding::Brotli => &content.json_brotli,
        Encoding::Gzip => &content.json_gzip,
        Encoding::Identity => &content.json,
    };
    let mut response = (headers, [json, vary], body.clone()).into_response();
    if let Some(encoding) = encoding.header() {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}
