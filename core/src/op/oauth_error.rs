//! The OAuth 2.0 / OpenID Connect error codes the provider answers with
//! (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1; OIDC Core §3.1.2.6).

use core::fmt;

use serde::{Deserialize, Serialize};

/// An `error` value of an OAuth / OIDC error response.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OAuthError {
    /// The request is missing a parameter, repeats one, or is malformed.
    InvalidRequest,
    /// The client is not allowed this response type or grant type.
    UnauthorizedClient,
    /// The end-user or the provider denied the request.
    AccessDenied,
    /// The response type is not supported.
    UnsupportedResponseType,
    /// The scope is invalid (here: it lacks `openid`, or widens a grant).
    InvalidScope,
    /// The provider failed; not the client's fault.
    ServerError,
    /// `prompt=none` and the end-user must interact (OIDC Core §3.1.2.6).
    InteractionRequired,
    /// `prompt=none` and the end-user must log in (OIDC Core §3.1.2.6).
    LoginRequired,
    /// `prompt=none` and the end-user must consent (OIDC Core §3.1.2.6).
    ConsentRequired,
    /// The `request` parameter is not supported (OIDC Core §6.1).
    RequestNotSupported,
    /// The `request_uri` parameter is not supported (OIDC Core §6.2).
    RequestUriNotSupported,
    /// The `registration` parameter is not supported (OIDC Core §7.2.1).
    RegistrationNotSupported,
    /// Client authentication failed (RFC 6749 §5.2).
    InvalidClient,
    /// The code or refresh token is invalid, expired, spent, or not this
    /// client's, or the redirect_uri or PKCE verifier does not match.
    InvalidGrant,
    /// The grant type is not supported.
    UnsupportedGrantType,
    /// The access token is invalid or expired (RFC 6750 §3.1).
    InvalidToken,
    /// The access token lacks the scope the resource needs (RFC 6750 §3.1).
    InsufficientScope,
}

impl OAuthError {
    /// The wire value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::AccessDenied => "access_denied",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
            Self::ServerError => "server_error",
            Self::InteractionRequired => "interaction_required",
            Self::LoginRequired => "login_required",
            Self::ConsentRequired => "consent_required",
            Self::RequestNotSupported => "request_not_supported",
            Self::RequestUriNotSupported => "request_uri_not_supported",
            Self::RegistrationNotSupported => "registration_not_supported",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidToken => "invalid_token",
            Self::InsufficientScope => "insufficient_scope",
        }
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
