//! `GET` and `POST /userinfo` (OIDC Core §5.3.1).

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::response::Response;
use oidc_hybrid::op::{UserInfoError, UserInfoRequest};

use super::respond::{authorization, is_form, send};
use super::{AppRef, AppState, now};

/// `GET /userinfo` with `Authorization: Bearer`.
pub(crate) async fn get(app: AppRef, headers: HeaderMap) -> Response {
    answer(&app, &headers, None)
}

/// `POST /userinfo`: bearer header, or `access_token` in a form body
/// (RFC 6750 §2.2).
pub(crate) async fn post(app: AppRef, headers: HeaderMap, body: Bytes) -> Response {
    let form = is_form(&headers)
        .then(|| core::str::from_utf8(&body).ok())
        .flatten();
    answer(&app, &headers, form)
}

fn answer(app: &AppState, headers: &HeaderMap, form: Option<&str>) -> Response {
    let request = match authorization(headers) {
        Ok(auth) => UserInfoRequest::parse(auth, form),
        Err(()) => UserInfoRequest::parse(Some("Bearer !"), None),
    };
    let result: Result<_, UserInfoError> = request.and_then(|r| {
        let grant = app.store.access(r.key());
        r.respond(grant, now())
    });
    match result {
        Ok(http) => send(http),
        Err(e) => send(e.to_http()),
    }
}
