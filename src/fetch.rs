//! A minimal `fetch` for the JSON API, straight on web-sys: a general HTTP client costs several KB
//! of wasm that the first load cannot spare (see BENCHMARKS.md).

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// Why a request got no answer at all (offline, blocked, or an unreadable body).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NetworkError(String);

impl From<JsValue> for NetworkError {
    fn from(value: JsValue) -> Self {
        Self(value.as_string().unwrap_or_else(|| format!("{value:?}")))
    }
}

impl From<serde_json::Error> for NetworkError {
    fn from(err: serde_json::Error) -> Self {
        Self(err.to_string())
    }
}

/// An answer: its status and its body, read as text.
pub struct Answer {
    pub status: u16,
    pub body: String,
    /// `Retry-After` in seconds, on a 429: how long until the person may try again.
    pub retry_after: Option<u64>,
}

impl Answer {
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, NetworkError> {
        Ok(serde_json::from_str(&self.body)?)
    }

    /// The body's JSON read by hand with `read` (see `crate::answers`).
    pub fn read<T>(&self, read: fn(&serde_json::Value) -> Option<T>) -> Result<T, NetworkError> {
        let value: serde_json::Value = serde_json::from_str(&self.body)?;
        read(&value).ok_or_else(|| NetworkError(format!("unexpected answer: {}", self.body)))
    }
}

/// Lets the browser paint and answer taps before going on: long work split into tasks this way
/// never blocks a slow phone for long.
pub async fn next_task() {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        let queued = web_sys::window().map(|window| window.set_timeout_with_callback(&resolve));
        if !matches!(queued, Some(Ok(_))) {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = JsFuture::from(wait).await;
}

/// A request to the API: method, path, and optionally a bearer token, a JSON body, extra headers.
pub struct Call<'a> {
    method: &'static str,
    path: &'a str,
    token: Option<&'a str>,
    body: Option<JsValue>,
    if_none_match: Option<String>,
}

impl<'a> Call<'a> {
    pub fn get(path: &'a str) -> Self {
        Self {
            method: "GET",
            path,
            token: None,
            body: None,
            if_none_match: None,
        }
    }

    pub fn post(path: &'a str) -> Self {
        Self {
            method: "POST",
            ..Self::get(path)
        }
    }

    pub fn delete(path: &'a str) -> Self {
        Self {
            method: "DELETE",
            ..Self::get(path)
        }
    }

    pub fn put(path: &'a str) -> Self {
        Self {
            method: "PUT",
            ..Self::get(path)
        }
    }

    pub fn token(mut self, token: &'a str) -> Self {
        self.token = Some(token);
        self
    }

    pub fn json(mut self, body: &impl Serialize) -> Result<Self, NetworkError> {
        let json = serde_json::to_string(body)?;
        self.body = Some(JsValue::from_str(&json));
        Ok(self)
    }

    pub fn if_none_match(mut self, etag: String) -> Self {
        self.if_none_match = Some(etag);
        self
    }

    pub async fn send(self) -> Result<Answer, NetworkError> {
        let response = self.respond().await?;
        let retry_after = match response.status() {
            429 => response
                .headers()
                .get("Retry-After")?
                .and_then(|s| s.trim().parse().ok()),
            _ => None,
        };
        let body = JsFuture::from(response.text()?)
            .await?
            .as_string()
            .unwrap_or_default();
        Ok(Answer {
            status: response.status(),
            body,
            retry_after,
        })
    }

    /// The answer's body as a blob (a file to save), with its status.
    pub async fn send_for_blob(self) -> Result<(u16, web_sys::Blob), NetworkError> {
        let response = self.respond().await?;
        let blob = JsFuture::from(response.blob()?).await?.dyn_into()?;
        Ok((response.status(), blob))
    }

    async fn respond(self) -> Result<Response, NetworkError> {
        let init = RequestInit::new();
        init.set_method(self.method);
        if let Some(body) = &self.body {
            init.set_body(body);
        }
        let request = Request::new_with_str_and_init(self.path, &init)?;
        let headers = request.headers();
        if self.body.is_some() {
            headers.set("Content-Type", "application/json")?;
        }
        if let Some(token) = self.token {
            headers.set("Authorization", &format!("Bearer {token}"))?;
        }
        if let Some(etag) = &self.if_none_match {
            headers.set("If-None-Match", etag)?;
        }
        let window = web_sys::window().ok_or_else(|| NetworkError("no window".into()))?;
        Ok(JsFuture::from(window.fetch_with_request(&request))
            .await?
            .dyn_into()?)
    }
}
