//! Authorization endpoint errors: a page when the redirect URI cannot be
//! trusted, a redirect to the client once it can.

use alloc::borrow::Cow;
use alloc::string::String;

use super::http::HttpResponse;
use super::oauth_error::OAuthError;
use super::response::AuthorizationResponse;
use super::response_type::ResponseMode;
use crate::encoding::html;

/// An error shown to the user, never sent to a redirect URI: the client or
/// the redirect URI is unknown or invalid (RFC 6749 §4.1.2.1, §10.15; OIDC
/// Core §3.1.2.6: an open redirector must not be built).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorPage {
    /// The error code.
    pub error: OAuthError,
    /// What was wrong.
    pub description: Cow<'static, str>,
}

impl ErrorPage {
    pub(crate) fn new(error: OAuthError, description: &'static str) -> Self {
        Self {
            error,
            description: Cow::Borrowed(description),
        }
    }

    /// A `400` HTML page with the error (HTML-escaped).
    pub fn to_http(&self) -> HttpResponse {
        let mut body = String::from(
            "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>Authorization error</title></head>\n<body>\n<h1>Authorization error</h1>\n<p><code>",
        );
        html::escape_into(&mut body, self.error.as_str());
        body.push_str("</code>: ");
        html::escape_into(&mut body, &self.description);
        body.push_str("</p>\n</body>\n</html>\n");
        HttpResponse::new(400, "text/html;charset=utf-8", body)
            .no_store()
            .header("Content-Security-Policy", "default-src 'none'")
    }
}

/// An error sent to the client's (validated) redirect URI in the request's
/// response mode, with `error`, `error_description`, `state` and the
/// RFC 9207 `iss` (RFC 6749 §4.1.2.1, §4.2.2.1; OIDC Core §3.1.2.6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectError {
    /// The error code.
    pub error: OAuthError,
    /// `error_description`.
    pub description: Cow<'static, str>,
    /// The request's `state`, if any.
    pub state: Option<String>,
    /// The issuer (RFC 9207 `iss`).
    pub iss: String,
    /// The validated redirect URI.
    pub redirect_uri: String,
    /// The response mode the error is delivered in.
    pub mode: ResponseMode,
}

impl RedirectError {
    /// The response to the user agent.
    pub fn response(&self) -> AuthorizationResponse {
        let mut params: heapless::Vec<(&str, &str), 4> = heapless::Vec::new();
        // Four slots for at most four parameters: the pushes cannot fail.
        let _ = params.push(("error", self.error.as_str()));
        let _ = params.push(("error_description", &self.description));
        if let Some(s) = &self.state {
            let _ = params.push(("state", s));
        }
        let _ = params.push(("iss", &self.iss));
        AuthorizationResponse::build(&self.redirect_uri, self.mode, &params)
    }

    /// The HTTP response.
    pub fn to_http(&self) -> HttpResponse {
        self.response().to_http()
    }
}
