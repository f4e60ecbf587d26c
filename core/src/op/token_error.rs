//! Token endpoint errors (RFC 6749 §5.2).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::string::ToString;

use super::http::HttpResponse;
use super::oauth_error::OAuthError;
use super::records::Action;

/// The realm named in `WWW-Authenticate: Basic` challenges.
pub const BASIC_REALM: &str = "token_endpoint";

/// A token endpoint error: `400` (or `401` for failed HTTP Basic client
/// authentication, with `WWW-Authenticate`), JSON body, `no-store`; plus an
/// [`Action`] the caller must carry out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenError {
    /// The error code.
    pub error: OAuthError,
    /// `error_description`.
    pub description: Cow<'static, str>,
    /// The HTTP status.
    pub status: u16,
    /// The `WWW-Authenticate` challenge, if any.
    pub www_authenticate: Option<String>,
    /// What the caller must do (e.g. revoke the grant of a reused code).
    pub action: Option<Action>,
}

impl TokenError {
    pub(crate) fn bad(error: OAuthError, description: &'static str) -> Self {
        Self {
            error,
            description: Cow::Borrowed(description),
            status: 400,
            www_authenticate: None,
            action: None,
        }
    }

    /// `invalid_client` after HTTP Basic (or no) authentication: 401 with a
    /// Basic challenge (RFC 6749 §5.2).
    pub(crate) fn unauthorized(description: &'static str) -> Self {
        Self {
            status: 401,
            www_authenticate: Some(alloc::format!("Basic realm=\"{BASIC_REALM}\"")),
            ..Self::bad(OAuthError::InvalidClient, description)
        }
    }

    pub(crate) fn invalid_grant(description: &'static str) -> Self {
        Self::bad(OAuthError::InvalidGrant, description)
    }

    /// An `invalid_request` (e.g. the transport saw a wrong content type).
    pub fn invalid_request(description: &'static str) -> Self {
        Self::bad(OAuthError::InvalidRequest, description)
    }

    /// The error for a client assertion whose `jti` the caller has seen
    /// before (OIDC Core §9: a JWT is used once).
    pub fn replayed_assertion() -> Self {
        Self::bad(
            OAuthError::InvalidClient,
            "the client assertion was used before",
        )
    }

    /// A `server_error` (e.g. the store failed).
    pub fn server_error(description: &'static str) -> Self {
        Self {
            status: 500,
            ..Self::bad(OAuthError::ServerError, description)
        }
    }

    /// The HTTP response (RFC 6749 §5.2: JSON; `no-store`).
    pub fn to_http(&self) -> HttpResponse {
        let body = serde_json::json!({
            "error": self.error.as_str(),
            "error_description": self.description.as_ref(),
        })
        .to_string();
        let mut r = HttpResponse::json(self.status, body).no_store();
        if let Some(c) = &self.www_authenticate {
            r = r.header("WWW-Authenticate", c);
        }
        r
    }
}
