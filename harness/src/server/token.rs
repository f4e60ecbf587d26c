//! `POST /token`.

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::response::Response;
use oidc_hybrid::op::{Action, Entropy, TokenError, TokenRequest};

use super::respond::{authorization, is_form, send};
use super::{AppRef, entropy, now};

/// The token endpoint: form body (RFC 6749 §3.2), client authentication,
/// atomic take of the code or refresh token, redemption; a revocation when
/// the core asks for one.
pub(crate) async fn post(app: AppRef, headers: HeaderMap, body: Bytes) -> Response {
    if !is_form(&headers) {
        return send(
            TokenError::invalid_request("the body must be application/x-www-form-urlencoded")
                .to_http(),
        );
    }
    let Ok(body) = core::str::from_utf8(&body) else {
        return send(TokenError::invalid_request("the body is not UTF-8").to_http());
    };
    let Ok(auth) = authorization(&headers) else {
        return send(
            TokenError::invalid_request("the Authorization header is not ASCII").to_http(),
        );
    };
    let now = now();
    let request = match TokenRequest::parse(body, auth, &app.registry, &app.config, now) {
        Ok(r) => r,
        Err(e) => return send(e.to_http()),
    };
    if let Some(a) = request.assertion()
        && !app.store.first_use_of_assertion(a)
    {
        return send(TokenError::replayed_assertion().to_http());
    }
    let bytes = entropy();
    let Ok(entropy) = Entropy::new(&bytes) else {
        return send(TokenError::server_error("entropy").to_http());
    };
    let result = match request {
        TokenRequest::AuthorizationCode(r) => {
            let lookup = app.store.take_code(r.key());
            r.redeem(lookup, entropy, &app.keys, &app.config, now)
        }
        TokenRequest::RefreshToken(r) => {
            let lookup = app.store.take_refresh(r.key());
            r.redeem(lookup, entropy, &app.keys, &app.config, now)
        }
    };
    match result {
        Ok(granted) => {
            let http = granted.to_http();
            app.store.save(granted.records, now);
            send(http)
        }
        Err(e) => {
            if let Some(Action::Revoke(grant_id)) = &e.action {
                app.store.revoke(grant_id);
            }
            send(e.to_http())
        }
    }
}
