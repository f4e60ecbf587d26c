//! Delivering authorization responses and errors to the client's
//! redirect URI in its response mode: a `Location` for `query` and
//! `fragment`, an auto-submitting HTML form for `form_post`.

use alloc::string::String;

use base64ct::{Base64, Encoding};
use sha2::{Digest, Sha256};

use super::http::HttpResponse;
use super::response_type::ResponseMode;
use crate::encoding::{form, html};

/// The authorization response (or error) to send to the user agent.
/// `Debug` never shows the parameters (code, tokens).
#[derive(Clone, PartialEq, Eq)]
pub enum AuthorizationResponse {
    /// Redirect the user agent (`303 See Other`) to `location`: the
    /// redirect URI with the parameters in its query or fragment.
    Redirect {
        /// The `Location` header value.
        location: String,
    },
    /// Answer `200` with this auto-submitting form (OAuth 2.0 Form Post
    /// Response Mode §2). Every value is HTML-escaped.
    FormPost {
        /// The page.
        html: String,
    },
}

/// The inline script of the form_post page; its hash is in the CSP.
const SUBMIT_SCRIPT: &str =
    "document.addEventListener('DOMContentLoaded',function(){document.forms[0].submit()});";

impl AuthorizationResponse {
    /// Builds the response carrying `params` to `redirect_uri` in `mode`.
    pub(crate) fn build(redirect_uri: &str, mode: ResponseMode, params: &[(&str, &str)]) -> Self {
        match mode {
            ResponseMode::Query | ResponseMode::Fragment => {
                let mut location = String::from(redirect_uri);
                if mode == ResponseMode::Fragment {
                    location.push('#');
                } else if redirect_uri.contains('?') {
                    // RFC 6749 §3.1.2: keep the registered query component.
                    if !location.ends_with('?') && !location.ends_with('&') {
                        location.push('&');
                    }
                } else {
                    location.push('?');
                }
                form::append(&mut location, params.iter().copied());
                Self::Redirect { location }
            }
            ResponseMode::FormPost => Self::FormPost {
                html: form_post_page(redirect_uri, params),
            },
        }
    }

    /// The HTTP response: `303` + `Location`, or `200` + the page; both
    /// `Cache-Control: no-store` (they carry codes or tokens).
    pub fn to_http(&self) -> HttpResponse {
        match self {
            Self::Redirect { location } => HttpResponse::new(303, "", String::new())
                .header("Location", location)
                .no_store(),
            Self::FormPost { html } => {
                HttpResponse::new(200, "text/html;charset=utf-8", html.clone())
                    .no_store()
                    .header("Content-Security-Policy", &form_post_csp())
                    .header("Referrer-Policy", "no-referrer")
                    .header("X-Content-Type-Options", "nosniff")
            }
        }
    }
}

/// `default-src 'none'` and only the page's own script (by hash): nothing
/// an escaped value could smuggle in would run.
fn form_post_csp() -> String {
    let hash = Base64::encode_string(&Sha256::digest(SUBMIT_SCRIPT.as_bytes()));
    alloc::format!("default-src 'none'; script-src 'sha256-{hash}'; frame-ancestors 'none'")
}

/// OAuth 2.0 Form Post Response Mode §2: an HTML form that POSTs `params`
/// to `redirect_uri`, submitted by script on load (a button without script).
fn form_post_page(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(1024);
    out.push_str("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<title>Submitting the authorization response</title>\n<script>");
    out.push_str(SUBMIT_SCRIPT);
    out.push_str("</script>\n</head>\n<body>\n<form method=\"post\" action=\"");
    html::escape_into(&mut out, redirect_uri);
    out.push_str("\">\n");
    for (name, value) in params {
        out.push_str("<input type=\"hidden\" name=\"");
        html::escape_into(&mut out, name);
        out.push_str("\" value=\"");
        html::escape_into(&mut out, value);
        out.push_str("\">\n");
    }
    out.push_str("<noscript><button type=\"submit\">Continue</button></noscript>\n");
    out.push_str("</form>\n</body>\n</html>\n");
    out
}

impl core::fmt::Debug for AuthorizationResponse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Redirect { location } => {
                let end = location.find(['?', '#']).unwrap_or(location.len());
                let base = location.get(..end).unwrap_or_default();
                write!(f, "Redirect({base} + <parameters redacted>)")
            }
            Self::FormPost { html } => write!(f, "FormPost(<{} bytes redacted>)", html.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_fragment_and_existing_query() {
        let r =
            AuthorizationResponse::build("https://c/cb", ResponseMode::Query, &[("code", "a b")]);
        assert_eq!(
            r,
            AuthorizationResponse::Redirect {
                location: "https://c/cb?code=a+b".into()
            }
        );
        let r =
            AuthorizationResponse::build("https://c/cb?x=1", ResponseMode::Query, &[("code", "c")]);
        assert_eq!(
            r,
            AuthorizationResponse::Redirect {
                location: "https://c/cb?x=1&code=c".into()
            }
        );
        let r = AuthorizationResponse::build(
            "https://c/cb",
            ResponseMode::Fragment,
            &[("code", "c"), ("state", "s")],
        );
        assert_eq!(
            r,
            AuthorizationResponse::Redirect {
                location: "https://c/cb#code=c&state=s".into()
            }
        );
    }

    #[test]
    fn form_post_escapes_and_forbids_other_scripts() {
        let r = AuthorizationResponse::build(
            "https://c/cb",
            ResponseMode::FormPost,
            &[("state", "\"><script>alert(1)</script>")],
        );
        let http = r.to_http();
        assert!(!http.body.contains("<script>alert"), "{}", http.body);
        assert!(
            http.body
                .contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"")
        );
        assert_eq!(http.header_value("cache-control"), Some("no-store"));
        assert!(
            http.header_value("content-security-policy")
                .unwrap()
                .contains("script-src 'sha256-")
        );
    }
}
