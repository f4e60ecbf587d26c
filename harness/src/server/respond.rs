//! Between axum and the core: responses, content types, cookies.

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oidc_hybrid::op::HttpResponse;

/// The core's response as an axum response.
pub(crate) fn send(r: HttpResponse) -> Response {
    send_with(r, &[])
}

/// The core's response plus extra headers (e.g. `Set-Cookie`).
pub(crate) fn send_with(r: HttpResponse, extra: &[(&'static str, String)]) -> Response {
    let mut b = Response::builder().status(r.status);
    for (n, v) in r.headers.iter().chain(extra.iter()) {
        b = b.header(*n, v.as_str());
    }
    b.body(Body::from(r.body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Whether the request body is `application/x-www-form-urlencoded`.
pub(crate) fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// The `Authorization` header, if present and visible ASCII.
pub(crate) fn authorization(headers: &HeaderMap) -> Result<Option<&str>, ()> {
    match headers.get(header::AUTHORIZATION) {
        None => Ok(None),
        Some(v) => v.to_str().map(Some).map_err(|_| ()),
    }
}

/// The value of cookie `name`.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

/// A plain-text error (for failures outside the protocol, e.g. bad UTF-8).
pub(crate) fn plain(status: StatusCode, text: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        text.to_owned(),
    )
        .into_response()
}
