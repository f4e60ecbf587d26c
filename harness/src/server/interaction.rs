//! The minimal login and consent page (without `--auto-approve`), with
//! CSRF protection: the parked request's random token must come back both
//! in the form and in a `SameSite=Strict`, `HttpOnly` cookie.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use oidc_hybrid::encoding::{Params, html};
use oidc_hybrid::op::{AuthzRequest, OAuthError, Subject};
use subtle::ConstantTimeEq;

use super::authorize::{SESSION_COOKIE, finish};
use super::respond::{cookie, is_form, plain, send};
use super::store::Interaction;
use super::{AppRef, AppState, demo_subject, now, random_id};

const CSRF_COOKIE: &str = "op_csrf";
/// How long a login page stays usable, seconds.
const INTERACTION_TTL: u64 = 600;

/// Parks `request` and shows the page: login fields when there is no
/// session, then approve / deny.
pub(crate) fn show(
    app: &AppState,
    request: AuthzRequest,
    session: Option<Subject>,
    error: Option<&str>,
) -> Response {
    let id = random_id();
    let csrf = random_id();
    let page = page(&id, &csrf, &request, session.as_ref(), error);
    app.store.park(
        &id,
        Interaction {
            request,
            csrf: csrf.clone(),
            expires_at: now().plus(INTERACTION_TTL),
        },
    );
    let set_cookie = format!(
        "{CSRF_COOKIE}={csrf}; Path=/interaction; HttpOnly; SameSite=Strict; Max-Age={INTERACTION_TTL}"
    );
    let mut res = axum::response::Response::builder()
        .status(if error.is_some() { 400 } else { 200 })
        .header("Content-Type", "text/html;charset=utf-8")
        .header("Cache-Control", "no-store")
        .header(
            "Content-Security-Policy",
            "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        .header("Set-Cookie", set_cookie);
    // The page embeds no secret beyond the CSRF token; still never cache it.
    res = res.header("Pragma", "no-cache");
    res.body(axum::body::Body::from(page))
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "page"))
}

fn page(
    id: &str,
    csrf: &str,
    request: &AuthzRequest,
    session: Option<&Subject>,
    error: Option<&str>,
) -> String {
    let e = html::escape;
    let mut out = String::from(
        "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>Sign in</title></head>\n<body>\n",
    );
    if let Some(err) = error {
        out.push_str(&format!("<p role=\"alert\">{}</p>\n", e(err)));
    }
    out.push_str(&format!(
        "<p><b>{}</b> asks for: <code>{}</code></p>\n",
        e(request.client_id()),
        e(request.scope())
    ));
    out.push_str(&format!(
        "<form method=\"post\" action=\"/interaction/{}\">\n<input type=\"hidden\" name=\"csrf\" value=\"{}\">\n<input type=\"hidden\" name=\"decision\" value=\"approve\">\n",
        e(id),
        e(csrf)
    ));
    match session {
        Some(s) => out.push_str(&format!("<p>Signed in as {}.</p>\n", e(&s.sub))),
        None => out.push_str(
            "<label>Login <input type=\"text\" name=\"login\" autofocus></label>\n<label>Password <input type=\"password\" name=\"password\"></label>\n",
        ),
    }
    out.push_str("<button type=\"submit\">Sign in and allow</button>\n</form>\n");
    out.push_str(&format!(
        "<form method=\"post\" action=\"/interaction/{}\">\n<input type=\"hidden\" name=\"csrf\" value=\"{}\">\n<input type=\"hidden\" name=\"decision\" value=\"deny\">\n<button type=\"submit\">Deny</button>\n</form>\n</body>\n</html>\n",
        e(id),
        e(csrf)
    ));
    out
}

/// `POST /interaction/{id}`: the page's form.
pub(crate) async fn submit(
    app: AppRef,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !is_form(&headers) {
        return plain(StatusCode::UNSUPPORTED_MEDIA_TYPE, "form body expected");
    }
    let Ok(raw) = core::str::from_utf8(&body) else {
        return plain(StatusCode::BAD_REQUEST, "the body is not UTF-8");
    };
    let Ok(form) = Params::parse(raw) else {
        return plain(StatusCode::BAD_REQUEST, "malformed form");
    };
    let now = now();
    // 1. The parked request, once (a replayed form finds nothing).
    let Some(parked) = app.store.unpark(&id, now) else {
        return plain(StatusCode::BAD_REQUEST, "this sign-in page has expired");
    };
    // 2. CSRF: the form's token and the cookie's both equal the parked one.
    let form_csrf = form.get("csrf").unwrap_or_default();
    let cookie_csrf = cookie(&headers, CSRF_COOKIE).unwrap_or_default();
    let same = |a: &str| {
        a.len() == parked.csrf.len() && bool::from(a.as_bytes().ct_eq(parked.csrf.as_bytes()))
    };
    if !(same(form_csrf) && same(&cookie_csrf)) {
        return plain(StatusCode::FORBIDDEN, "CSRF check failed");
    }
    let request = parked.request;
    // 3. Deny: access_denied to the client (RFC 6749 §4.1.2.1).
    if form.get("decision") != Some("approve") {
        return send(
            request
                .deny(OAuthError::AccessDenied, "the end-user denied the request")
                .to_http(),
        );
    }
    // 4. The session, or a login: the demo user `alice`, any non-empty password.
    let session = cookie(&headers, SESSION_COOKIE).and_then(|sid| app.store.session(&sid));
    let usable = session.filter(|_| !request.prompt().login);
    let (subject, set_cookie) = match usable {
        Some(s) if request.max_age().is_none_or(|m| now <= s.auth_time.plus(m)) => (s, Vec::new()),
        _ => {
            let login = form.get("login").unwrap_or_default();
            let password = form.get("password").unwrap_or_default();
            if login != "alice" || password.is_empty() {
                return show(
                    &app,
                    request,
                    None,
                    Some("Unknown user or empty password (try alice)."),
                );
            }
            let sid = random_id();
            let subject = demo_subject(now);
            app.store.start_session(&sid, subject.clone());
            (
                subject,
                vec![(
                    "Set-Cookie",
                    format!("{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax"),
                )],
            )
        }
    };
    finish(&app, request, subject, &set_cookie)
}
