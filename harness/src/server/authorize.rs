//! Discovery, JWKS and the authorization endpoint.

use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use oidc_hybrid::op::{
    Authorize, AuthzRequest, Entropy, OAuthError, SessionDecision, Subject, authorize, complete,
    discovery_response, jwks_response,
};

use super::respond::{cookie, is_form, plain, send, send_with};
use super::{AppRef, AppState, demo_subject, entropy, interaction, now};

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "op_session";

/// `GET /.well-known/openid-configuration`.
pub(crate) async fn discovery(app: AppRef) -> Response {
    send(discovery_response(&app.config, &app.keys))
}

/// `GET /jwks`.
pub(crate) async fn jwks(app: AppRef) -> Response {
    send(jwks_response(&app.keys))
}

/// `GET /authorize?…`.
pub(crate) async fn get(app: AppRef, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    handle(&app, query.as_deref().unwrap_or_default(), &headers)
}

/// `POST /authorize` with a form body (OIDC Core §3.1.2.1).
pub(crate) async fn post(app: AppRef, headers: HeaderMap, body: Bytes) -> Response {
    if !is_form(&headers) {
        return plain(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "POST /authorize needs application/x-www-form-urlencoded",
        );
    }
    match core::str::from_utf8(&body) {
        Ok(raw) => handle(&app, raw, &headers),
        Err(_) => plain(StatusCode::BAD_REQUEST, "the body is not UTF-8"),
    }
}

fn handle(app: &AppState, raw: &str, headers: &HeaderMap) -> Response {
    let now = now();
    let request = match authorize(raw, &app.registry, &app.config, now) {
        Authorize::Validated(r) => r,
        Authorize::ErrorPage(p) => return send(p.to_http()),
        Authorize::RedirectError(e) => return send(e.to_http()),
    };
    if app.auto_approve {
        // The demo user logs in now and grants everything, without a page.
        return finish(app, request, demo_subject(now), &[]);
    }
    let sid = cookie(headers, SESSION_COOKIE);
    let session = sid.as_deref().and_then(|id| app.store.session(id));
    match request.check_session(session.as_ref(), now) {
        SessionDecision::Deny(e) => send(e.to_http()),
        SessionDecision::Login(r) => interaction::show(app, r, None, None, &[]),
        // prompt=none: no page may be shown (OIDC Core §3.1.2.1). Complete
        // only if this session consented to this client before; otherwise
        // consent_required (or login_required without a session).
        SessionDecision::Proceed(r) if r.prompt().none => match (session, sid) {
            (Some(s), Some(id)) if app.store.has_consent(&id, r.client_id()) => {
                finish(app, r, s, &[])
            }
            (Some(_), _) => send(
                r.deny(
                    OAuthError::ConsentRequired,
                    "consent is required for this client",
                )
                .to_http(),
            ),
            (None, _) => send(
                r.deny(OAuthError::LoginRequired, "the end-user is not signed in")
                    .to_http(),
            ),
        },
        SessionDecision::Proceed(r) => interaction::show(app, r, session, None, &[]),
    }
}

/// Completes `request` for `subject`, stores the records, answers.
pub(crate) fn finish(
    app: &AppState,
    request: AuthzRequest,
    subject: Subject,
    extra: &[(&'static str, String)],
) -> Response {
    let now = now();
    let bytes = entropy();
    let Ok(entropy) = Entropy::new(&bytes) else {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "entropy");
    };
    match complete(request, subject, entropy, &app.keys, &app.config, now) {
        Ok(done) => {
            app.store.save(done.records, now);
            send_with(done.response.to_http(), extra)
        }
        Err(e) => plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("cannot complete: {e}"),
        ),
    }
}
