//! The UserInfo endpoint (OIDC Core §5.3) with bearer tokens from the
//! `Authorization` header or the form body (RFC 6750 §2.1, §2.2).

use alloc::borrow::Cow;
use alloc::string::ToString;

use super::http::HttpResponse;
use super::oauth_error::OAuthError;
use super::records::AccessGrant;
use super::scope;
use super::secret::StoreKey;
use crate::claims::UnixTime;
use crate::encoding::Params;

/// Longest access token accepted, bytes.
pub const MAX_TOKEN_LEN: usize = 1024;

/// A UserInfo request with its bearer token's store key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserInfoRequest {
    key: StoreKey,
}

/// A UserInfo error (RFC 6750 §3): status, and a `WWW-Authenticate: Bearer`
/// challenge with the error code when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserInfoError {
    /// The HTTP status: 400, 401 or 403.
    pub status: u16,
    /// The error code; `None` when the request had no credentials at all
    /// (RFC 6750 §3.1: then no error code is sent).
    pub error: Option<OAuthError>,
    /// `error_description`.
    pub description: Cow<'static, str>,
}

impl UserInfoError {
    fn new(status: u16, error: Option<OAuthError>, description: &'static str) -> Self {
        Self {
            status,
            error,
            description: Cow::Borrowed(description),
        }
    }

    /// The HTTP response with its `WWW-Authenticate: Bearer …` challenge
    /// (RFC 6750 §3).
    pub fn to_http(&self) -> HttpResponse {
        let (challenge, body) = match self.error {
            None => (
                alloc::string::String::from("Bearer"),
                alloc::string::String::new(),
            ),
            Some(e) => (
                alloc::format!(
                    "Bearer error=\"{}\", error_description=\"{}\"",
                    e.as_str(),
                    self.description
                ),
                serde_json::json!({
                    "error": e.as_str(),
                    "error_description": self.description.as_ref(),
                })
                .to_string(),
            ),
        };
        let content_type = if body.is_empty() {
            ""
        } else {
            "application/json;charset=UTF-8"
        };
        HttpResponse::new(self.status, content_type, body)
            .header("WWW-Authenticate", &challenge)
            .no_store()
    }
}

/// RFC 6750 §2.1 `b64token`.
fn is_b64token(t: &str) -> bool {
    let body = t.trim_end_matches('=');
    !body.is_empty()
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        })
}

impl UserInfoRequest {
    /// Finds the bearer token: `Authorization: Bearer …` (RFC 6750 §2.1) or
    /// `access_token` in a form body (§2.2; pass the body only for a POST
    /// with `Content-Type: application/x-www-form-urlencoded`).
    pub fn parse(
        authorization: Option<&str>,
        form_body: Option<&str>,
    ) -> Result<Self, UserInfoError> {
        let invalid = |d| UserInfoError::new(400, Some(OAuthError::InvalidRequest), d);
        let header_token = match authorization {
            None => None,
            Some(h) => {
                let (scheme, token) = h.split_once(' ').unwrap_or((h, ""));
                if !scheme.eq_ignore_ascii_case("Bearer") {
                    // Another scheme: no bearer credentials (RFC 6750 §3.1).
                    return Err(UserInfoError::new(401, None, "bearer token required"));
                }
                if token.len() > MAX_TOKEN_LEN || !is_b64token(token) {
                    return Err(invalid("the bearer token is malformed"));
                }
                Some(token)
            }
        };
        let body_params = match form_body {
            None => None,
            Some(b) => Some(Params::parse(b).map_err(|_| invalid("the form body is malformed"))?),
        };
        let body_token = body_params.as_ref().and_then(|p| p.get("access_token"));
        let token = match (header_token, body_token) {
            // RFC 6750 §2: clients MUST NOT use more than one method.
            (Some(_), Some(_)) => return Err(invalid("the token was sent more than one way")),
            (Some(t), None) => t,
            (None, Some(t)) if t.len() <= MAX_TOKEN_LEN => t,
            (None, Some(_)) => return Err(invalid("the access token is too long")),
            // RFC 6750 §3.1: no credentials, no error code.
            (None, None) => return Err(UserInfoError::new(401, None, "bearer token required")),
        };
        Ok(Self {
            key: StoreKey::of(token),
        })
    }

    /// The key of the access token to read from the store.
    pub fn key(&self) -> &StoreKey {
        &self.key
    }

    /// Answers with the grant the caller read (`None` if absent): the
    /// claims released by its scope, with `sub` (OIDC Core §5.3.2).
    pub fn respond(
        self,
        grant: Option<AccessGrant>,
        now: UnixTime,
    ) -> Result<HttpResponse, UserInfoError> {
        let unauthorized = |d| UserInfoError::new(401, Some(OAuthError::InvalidToken), d);
        // 1. The token exists (not revoked) and is not expired (RFC 6750 §3.1).
        let grant = grant.ok_or_else(|| unauthorized("the access token is invalid"))?;
        if now >= grant.expires_at {
            return Err(unauthorized("the access token has expired"));
        }
        // 2. UserInfo needs the openid scope (OIDC Core §5.3; RFC 6750 §3.1).
        if !scope::has(&grant.scope, "openid") {
            return Err(UserInfoError::new(
                403,
                Some(OAuthError::InsufficientScope),
                "the access token lacks the openid scope",
            ));
        }
        // 3. sub always (OIDC Core §5.3.2), then the released claims.
        let mut body = serde_json::Map::new();
        body.insert("sub".into(), grant.sub.into());
        for (k, v) in grant.claims {
            if k != "sub" {
                body.insert(k, v);
            }
        }
        Ok(HttpResponse::json(200, serde_json::Value::Object(body).to_string()).no_store())
    }
}
