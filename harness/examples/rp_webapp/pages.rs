//! The HTML the app serves: home, the fragment relay page, `/me`, and the
//! error page. Every value is HTML-escaped; every page has a strict
//! Content-Security-Policy (its one stylesheet and, on the relay page, its
//! one script allowed by hash).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64ct::{Base64, Encoding};
use oidc_hybrid::encoding::html::escape;
use oidc_hybrid::{Error, ErrorKind};
use sha2::{Digest, Sha256};

use crate::cookies::CookieError;
use crate::sessions::LoggedIn;

const STYLE: &str = "body{font-family:sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}\
h1{font-size:1.5rem}table{border-collapse:collapse;margin:.5rem 0 1rem}\
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}\
th{background:#f4f4f4}.button{display:inline-block;padding:.5rem 1rem;background:#1a5fb4;color:#fff;\
border-radius:4px;text-decoration:none;border:0;font-size:1rem;cursor:pointer}\
.error{border-left:4px solid #c01c28;padding:.25rem 1rem;background:#fdf0f0}code{font-size:.95em}";

/// The relay page's script: the fragment (`#…`) never reaches a server, so
/// this reads it, takes it out of the address bar and history, and POSTs
/// its parameters as `application/x-www-form-urlencoded` to `/callback`,
/// marked `relayed=fragment` in the query (the body stays exactly the
/// provider's parameters).
const RELAY_SCRIPT: &str = "(function(){var raw=location.hash.slice(1);\
history.replaceState(null,'',location.pathname+location.search);\
var form=document.getElementById('relay');\
if(!raw){document.getElementById('status').textContent='There is no authorization response in this address.';return;}\
new URLSearchParams(raw).forEach(function(value,name){var i=document.createElement('input');\
i.type='hidden';i.name=name;i.value=value;form.appendChild(i);});form.submit();})();";

fn sha256_source(text: &str) -> String {
    format!(
        "'sha256-{}'",
        Base64::encode_string(&Sha256::digest(text.as_bytes()))
    )
}

fn csp(script: Option<&str>) -> String {
    let script = script.map_or_else(|| "'none'".to_owned(), sha256_source);
    format!(
        "default-src 'none'; style-src {}; script-src {script}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        sha256_source(STYLE)
    )
}

fn document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// An HTML response: no caching (the pages show personal data or carry
/// protocol values), no referrer, the CSP.
pub fn html(status: StatusCode, html: String, script: Option<&str>) -> Response {
    let mut res = (status, html).into_response();
    let h = res.headers_mut();
    let pairs = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
        (header::CACHE_CONTROL, "no-store".to_owned()),
        (header::REFERRER_POLICY, "no-referrer".to_owned()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (header::CONTENT_SECURITY_POLICY, csp(script)),
    ];
    for (name, value) in pairs {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
    res
}

/// What the home page says about the app's configuration.
pub struct HomeInfo<'a> {
    /// The provider.
    pub issuer: &'a str,
    /// `response_type`.
    pub response_type: &'a str,
    /// `response_mode`.
    pub response_mode: &'a str,
    /// `scope`.
    pub scope: &'a str,
    /// The signed-in user's `sub`, if any.
    pub signed_in: Option<&'a str>,
}

/// `/`: a login button.
pub fn home(info: &HomeInfo<'_>) -> String {
    let mut body = String::from("<h1>oidc-hybrid example app</h1>\n");
    body.push_str(&format!(
        "<p>A relying party on the <code>oidc-hybrid</code> core. It signs you in at <code>{}</code> with <code>response_type={}</code> and <code>response_mode={}</code>, scope <code>{}</code>.</p>\n",
        escape(info.issuer),
        escape(info.response_type),
        escape(info.response_mode),
        escape(info.scope)
    ));
    match info.signed_in {
        Some(sub) => body.push_str(&format!(
            "<p>You are signed in as <b>{}</b>. <a href=\"/me\">See your claims</a>.</p>\n",
            escape(sub)
        )),
        None => body.push_str(
            "<p><a class=\"button\" id=\"login\" href=\"/login\">Log in with the provider</a></p>\n",
        ),
    }
    document("oidc-hybrid example app", &body)
}

/// `GET /callback` without a query: the fragment relay page.
pub fn relay() -> Response {
    let body = format!(
        "<h1>Signing you in…</h1>\n<p id=\"status\">Passing the provider's answer to the app.</p>\n<form id=\"relay\" method=\"post\" action=\"/callback?relayed=fragment\"></form>\n<noscript><p>This step needs JavaScript: the answer is in the address's fragment, which only a script can read.</p></noscript>\n<script>{RELAY_SCRIPT}</script>\n"
    );
    html(
        StatusCode::OK,
        document("Signing you in", &body),
        Some(RELAY_SCRIPT),
    )
}

fn claim_rows(out: &mut String, claims: &serde_json::Value) {
    if let Some(map) = claims.as_object() {
        for (name, value) in map {
            let shown = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>\n",
                escape(name),
                escape(&shown)
            ));
        }
    }
}

/// `/me`: the validated claims of the session.
pub fn me(who: &LoggedIn) -> String {
    let session = &who.session;
    let id_token = session.id_token();
    let pick = |name: &str| {
        who.userinfo
            .as_ref()
            .and_then(|u| u.claims.get(name))
            .or_else(|| id_token.claims.get(name))
            .and_then(serde_json::Value::as_str)
            .unwrap_or("(not released)")
            .to_owned()
    };
    let mut body = String::from("<h1>You are signed in</h1>\n<table id=\"who\">\n");
    for (label, id, value) in [
        ("Subject (sub)", "sub", session.sub().to_owned()),
        ("Name", "name", pick("name")),
        ("Email", "email", pick("email")),
    ] {
        body.push_str(&format!(
            "<tr><th>{label}</th><td id=\"{id}\">{}</td></tr>\n",
            escape(&value)
        ));
    }
    body.push_str("</table>\n");
    body.push_str(&format!(
        "<p>Flow: <code>response_type={}</code>, <code>response_mode={}</code>; front-channel access token: {}; refresh token: {}.</p>\n",
        escape(who.response_type.as_str()),
        escape(who.response_mode.as_str()),
        if who.front_channel_token { "yes" } else { "no" },
        if session.refresh_token().is_some() { "yes" } else { "no" },
    ));
    body.push_str(&format!(
        "<h2>ID token (validated, {})</h2>\n<table id=\"id-token\">\n",
        escape(id_token.alg.as_str())
    ));
    claim_rows(&mut body, &id_token.claims);
    body.push_str("</table>\n");
    if let Some(info) = &who.userinfo {
        body.push_str("<h2>UserInfo (sub checked)</h2>\n<table id=\"userinfo\">\n");
        claim_rows(&mut body, &info.claims);
        body.push_str("</table>\n");
    }
    body.push_str("<form method=\"post\" action=\"/logout\"><button class=\"button\" type=\"submit\">Log out</button></form>\n");
    document("Signed in", &body)
}

/// A failure shown to the user: an HTTP status (never 500), a stable code,
/// and what happened.
#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    code: String,
    title: &'static str,
    message: String,
}

impl AppError {
    fn new(status: StatusCode, code: &str, title: &'static str, message: &str) -> Self {
        Self {
            status,
            code: code.to_owned(),
            title,
            message: message.to_owned(),
        }
    }

    /// The core refused the authorization response, the token response or
    /// the UserInfo response. 401 when the provider itself said no
    /// (`provider_error`, e.g. `access_denied`), else 400.
    pub fn from_core(e: &Error, step: &'static str) -> Self {
        let status = if e.kind() == ErrorKind::ProviderError {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        Self::new(status, e.code(), step, &e.to_string())
    }

    /// The provider's discovery document or keys are unusable (502: the
    /// fault is upstream).
    pub fn from_provider_setup(e: &Error) -> Self {
        Self::new(
            StatusCode::BAD_GATEWAY,
            e.code(),
            "The provider's configuration was refused",
            &e.to_string(),
        )
    }

    /// The provider did not answer (502).
    pub fn provider_unreachable(detail: &str) -> Self {
        Self::new(
            StatusCode::BAD_GATEWAY,
            "provider_unreachable",
            "The provider could not be reached",
            detail,
        )
    }

    /// The state cookie is missing or was not signed by this app (400).
    pub fn state_cookie(e: CookieError) -> Self {
        match e {
            CookieError::Missing => Self::new(
                StatusCode::BAD_REQUEST,
                "missing_state_cookie",
                "No login in progress",
                "This browser has no login in progress with this app (the state cookie is absent or expired). Start again from the home page.",
            ),
            CookieError::Invalid => Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_state_cookie",
                "Login refused",
                "The state cookie was altered, has expired, or was not issued by this app, so this answer cannot be matched to a login started here.",
            ),
        }
    }

    /// The request itself is wrong (400).
    pub fn bad_request(code: &str, message: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, "Bad request", message)
    }

    /// The operating system's random source failed (503; try again).
    pub fn unavailable(detail: &str) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "entropy_unavailable",
            "Try again",
            detail,
        )
    }

    /// `/me` without a session (401).
    pub fn not_logged_in() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "not_logged_in",
            "Not signed in",
            "Log in first.",
        )
    }

    /// The stable code.
    pub fn code(&self) -> &str {
        &self.code
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = format!(
            "<h1>{}</h1>\n<div class=\"error\" role=\"alert\">\n<p>Error code: <code id=\"error-code\">{}</code> (HTTP {})</p>\n<p id=\"error-message\">{}</p>\n</div>\n<p><a class=\"button\" href=\"/\">Back to the start</a></p>\n",
            escape(self.title),
            escape(&self.code),
            self.status.as_u16(),
            escape(&self.message)
        );
        html(self.status, document(self.title, &body), None)
    }
}
