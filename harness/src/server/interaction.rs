//! The minimal login and consent pages (without `--auto-approve`), with
//! CSRF protection: the parked request's random token must come back both
//! in the form and in a `SameSite=Strict`, `HttpOnly` cookie.
//!
//! Two steps, each a plain HTML form: the login page (user `alice`, any
//! non-empty password) when there is no usable session, then the consent
//! page listing the scopes the client asked for, with Allow and Deny. A
//! usable session skips the login page. Each page parks the request under a
//! fresh id and CSRF token; a submission takes it (once).

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
/// How long a login or consent page stays usable, seconds.
const INTERACTION_TTL: u64 = 600;

/// What each standard scope lets the client do, in words for the consent
/// page (OIDC Core §5.4, §11); other scopes are listed by name.
const SCOPE_WORDS: [(&str, &str); 6] = [
    ("openid", "Sign you in with your account identifier"),
    ("profile", "See your name and profile details"),
    ("email", "See your email address"),
    ("address", "See your postal address"),
    ("phone", "See your phone number"),
    (
        "offline_access",
        "Keep access while you are away (a refresh token)",
    ),
];

/// Parks `request` and shows a page: the login page when `subject` is
/// `None`, else the consent page for `subject`. `extra` headers are added
/// (the session cookie right after a login).
pub(crate) fn show(
    app: &AppState,
    request: AuthzRequest,
    subject: Option<Subject>,
    error: Option<&str>,
    extra: &[(&'static str, String)],
) -> Response {
    let id = random_id();
    let csrf = random_id();
    let page = match &subject {
        None => login_page(&id, &csrf, &request, error),
        Some(s) => consent_page(&id, &csrf, &request, s),
    };
    let csp = csp(request.redirect_uri());
    app.store.park(
        &id,
        Interaction {
            request,
            csrf: csrf.clone(),
            subject,
            expires_at: now().plus(INTERACTION_TTL),
        },
    );
    // Scoped to this page's form (Path=/interaction/{id}): a second login
    // page open in another tab sets its own cookie instead of replacing
    // this one (cookies are keyed by name and path).
    let set_cookie = format!(
        "{CSRF_COOKIE}={csrf}; Path=/interaction/{id}; HttpOnly; SameSite=Strict; Max-Age={INTERACTION_TTL}"
    );
    let mut res = axum::response::Response::builder()
        .status(if error.is_some() { 400 } else { 200 })
        .header("Content-Type", "text/html;charset=utf-8")
        // The page embeds no secret beyond the CSRF token; still never cache it.
        .header("Cache-Control", "no-store")
        .header("Pragma", "no-cache")
        .header("Content-Security-Policy", csp)
        .header("Set-Cookie", set_cookie);
    for (name, value) in extra {
        res = res.header(*name, value.as_str());
    }
    res.body(axum::body::Body::from(page))
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "page"))
}

/// The pages' policy. The forms post to this provider (`'self'`), and the
/// answer to the consent form may be a 303 to the client's redirect URI
/// (query and fragment modes): browsers hold redirects after a form
/// submission to `form-action` too (CSP Level 3 §6.4.1), so the redirect
/// URI's origin is allowed as well.
fn csp(redirect_uri: &str) -> String {
    let mut form_action = String::from("'self'");
    if let Some(origin) = csp_origin(redirect_uri) {
        form_action.push(' ');
        form_action.push_str(origin);
    }
    format!("default-src 'none'; form-action {form_action}; frame-ancestors 'none'")
}

/// `scheme://authority` of `uri` (or `scheme:` without an authority), if it
/// is safe to place in a CSP source list (CSP Level 3 §2.3.1: no
/// whitespace, `;`, `,`, quotes).
fn csp_origin(uri: &str) -> Option<&str> {
    let (scheme, rest) = uri.split_once(':')?;
    let end = match rest.strip_prefix("//") {
        Some(after) => {
            let authority = after.find(['/', '?', '#']).unwrap_or(after.len());
            scheme.len() + 3 + authority
        }
        None => scheme.len() + 1,
    };
    let origin = uri.get(..end)?;
    let safe = origin.bytes().all(|b| {
        b.is_ascii_alphanumeric() || matches!(b, b':' | b'/' | b'.' | b'-' | b'+' | b'[' | b']')
    });
    safe.then_some(origin)
}

fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n",
        html::escape(title)
    )
}

/// A form posting `decision` to the parked request, with the CSRF token.
fn form_start(id: &str, csrf: &str, decision: &str) -> String {
    let e = html::escape;
    format!(
        "<form method=\"post\" action=\"/interaction/{}\">\n<input type=\"hidden\" name=\"csrf\" value=\"{}\">\n<input type=\"hidden\" name=\"decision\" value=\"{}\">\n",
        e(id),
        e(csrf),
        e(decision)
    )
}

fn login_page(id: &str, csrf: &str, request: &AuthzRequest, error: Option<&str>) -> String {
    let e = html::escape;
    let mut out = head("Sign in");
    out.push_str("<h1>Sign in</h1>\n");
    if let Some(err) = error {
        out.push_str(&format!("<p role=\"alert\">{}</p>\n", e(err)));
    }
    out.push_str(&format!(
        "<p>to continue to <b>{}</b>. Demo user: <code>alice</code>, any non-empty password.</p>\n",
        e(request.client_id())
    ));
    out.push_str(&form_start(id, csrf, "login"));
    out.push_str(
        "<p><label>Login <input type=\"text\" name=\"login\" autocomplete=\"username\" autofocus></label></p>\n<p><label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\"></label></p>\n<button type=\"submit\">Sign in</button>\n</form>\n",
    );
    out.push_str(&form_start(id, csrf, "deny"));
    out.push_str("<button type=\"submit\">Cancel</button>\n</form>\n</body>\n</html>\n");
    out
}

fn consent_page(id: &str, csrf: &str, request: &AuthzRequest, subject: &Subject) -> String {
    let e = html::escape;
    let mut out = head("Allow access");
    out.push_str("<h1>Allow access?</h1>\n");
    out.push_str(&format!(
        "<p>Signed in as <b>{}</b>.</p>\n<p><b>{}</b> asks to:</p>\n<ul id=\"scopes\">\n",
        e(&subject.sub),
        e(request.client_id())
    ));
    for scope in request.scope().split(' ').filter(|s| !s.is_empty()) {
        let words = SCOPE_WORDS
            .iter()
            .find(|(name, _)| *name == scope)
            .map_or("A permission the client asked for", |(_, w)| *w);
        out.push_str(&format!(
            "<li data-scope=\"{}\"><code>{}</code>: {}</li>\n",
            e(scope),
            e(scope),
            e(words)
        ));
    }
    out.push_str("</ul>\n");
    out.push_str(&form_start(id, csrf, "approve"));
    out.push_str("<button type=\"submit\">Allow</button>\n</form>\n");
    out.push_str(&form_start(id, csrf, "deny"));
    out.push_str("<button type=\"submit\">Deny</button>\n</form>\n</body>\n</html>\n");
    out
}

/// `POST /interaction/{id}`: the login or consent page's form.
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
    let decision = form.get("decision").unwrap_or_default();
    // 3. Cancel or deny: access_denied to the client (RFC 6749 §4.1.2.1).
    if decision == "deny" {
        return send(
            request
                .deny(OAuthError::AccessDenied, "the end-user denied the request")
                .to_http(),
        );
    }
    match (parked.subject, decision) {
        // 4. The consent page, approved: remember the consent for this
        //    session (prompt=none may rely on it later, OIDC Core §3.1.2.1),
        //    and complete for the authenticated user.
        (Some(subject), "approve") => {
            if let Some(sid) = cookie(&headers, SESSION_COOKIE) {
                app.store.record_consent(&sid, request.client_id());
            }
            finish(&app, request, subject, &[])
        }
        // 5. The login page: the demo user `alice`, any non-empty password;
        //    then a session, and the consent page.
        (None, "login") => {
            let login = form.get("login").unwrap_or_default();
            let password = form.get("password").unwrap_or_default();
            if login != "alice" || password.is_empty() {
                return show(
                    &app,
                    request,
                    None,
                    Some("Unknown user or empty password (try alice)."),
                    &[],
                );
            }
            let sid = random_id();
            let subject = demo_subject(now);
            app.store.start_session(&sid, subject.clone());
            let session_cookie = format!("{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax");
            show(
                &app,
                request,
                Some(subject),
                None,
                &[("Set-Cookie", session_cookie)],
            )
        }
        _ => plain(
            StatusCode::BAD_REQUEST,
            "this form does not belong to this page",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_allows_the_redirect_uris_origin_only_when_safe() {
        assert_eq!(
            csp_origin("http://127.0.0.1:9999/cb?x=1"),
            Some("http://127.0.0.1:9999")
        );
        assert_eq!(csp_origin("https://rp.example"), Some("https://rp.example"));
        assert_eq!(csp_origin("com.example.app:/cb"), Some("com.example.app:"));
        assert_eq!(csp_origin("https://a;script-src */cb"), None);
        assert_eq!(csp_origin("https://a'b/cb"), None);
        assert_eq!(
            csp("http://127.0.0.1:9999/cb"),
            "default-src 'none'; form-action 'self' http://127.0.0.1:9999; frame-ancestors 'none'"
        );
    }
}
