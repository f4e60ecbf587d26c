//! The authorization endpoint: recognise and validate the request
//! (OIDC Core §3.1.2.1, §3.1.2.2, §3.3.2.2), then decide what the session
//! allows (`prompt`, `max_age`).

use alloc::borrow::Cow;
use alloc::string::String;

use serde::{Deserialize, Serialize};

use super::config::ProviderConfig;
use super::front_error::{ErrorPage, RedirectError};
use super::oauth_error::OAuthError;
use super::registry::{ClientRegistry, GrantType};
use super::response_type::{ResponseMode, ResponseType};
use super::scope;
use super::subject::Subject;
use crate::claims::UnixTime;
use crate::encoding::Params;
use crate::error::ErrorKind;
use crate::jose::Alg;

/// Longest `state` accepted, bytes.
pub const MAX_STATE_LEN: usize = 2048;
/// Longest `nonce` accepted, bytes.
pub const MAX_NONCE_LEN: usize = 512;
/// Longest `scope` accepted, bytes.
pub const MAX_SCOPE_LEN: usize = 1024;

/// The `prompt` values of the request (OIDC Core §3.1.2.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt {
    /// `none`: no page may be shown.
    pub none: bool,
    /// `login`: re-authenticate even with a session.
    pub login: bool,
    /// `consent`: ask for consent even if given before.
    pub consent: bool,
    /// `select_account`: let the user pick an account.
    pub select_account: bool,
}

/// A validated authorization request, to complete once the user is
/// authenticated. Serializable, so the caller can park it while it shows
/// its login and consent pages.
///
/// [`complete`](crate::op::complete()) trusts it: its `client_id` and
/// `redirect_uri` were validated by [`authorize`]. Park it server-side (as
/// the harness does) or integrity-protected (a MAC or AEAD cookie), never
/// where the user can edit it — an edited `redirect_uri` would send the
/// code elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthzRequest {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) response_type: ResponseType,
    pub(crate) response_mode: ResponseMode,
    pub(crate) scope: String,
    pub(crate) state: Option<String>,
    pub(crate) nonce: Option<String>,
    pub(crate) code_challenge: String,
    pub(crate) max_age: Option<u64>,
    pub(crate) prompt: Prompt,
    pub(crate) id_token_alg: Alg,
    pub(crate) issue_refresh: bool,
    pub(crate) issuer: String,
    pub(crate) requested_at: UnixTime,
}

/// What [`authorize`] decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Authorize {
    /// Valid: authenticate the user (see [`AuthzRequest::check_session`]),
    /// then [`complete`](super::complete::complete).
    Validated(AuthzRequest),
    /// The client or redirect URI cannot be trusted: show this page, never
    /// redirect.
    ErrorPage(ErrorPage),
    /// Invalid, but the redirect URI is the client's: redirect the error.
    RedirectError(RedirectError),
}

/// What the session allows, from [`AuthzRequest::check_session`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionDecision {
    /// The session may be used: complete with its subject.
    Proceed(AuthzRequest),
    /// The user must (re-)authenticate: show the login page.
    Login(AuthzRequest),
    /// `prompt=none` and interaction would be needed: send this error.
    Deny(RedirectError),
}

fn page(description: &'static str) -> Authorize {
    Authorize::ErrorPage(ErrorPage::new(OAuthError::InvalidRequest, description))
}

/// Validates an authorization request: the query of a GET or the form body
/// of a POST (OIDC Core §3.1.2.1: both are supported), without the `?`.
///
/// Nothing is redirected before `client_id` and `redirect_uri` are
/// validated; after that, errors go to the redirect URI in the request's
/// response mode (or the type's default mode when the mode itself is the
/// problem).
pub fn authorize(
    raw: &str,
    registry: &ClientRegistry,
    config: &ProviderConfig,
    now: UnixTime,
) -> Authorize {
    // 1. Recognise fully: bounded, valid encoding, no parameter twice
    //    (RFC 6749 §3.1: parameters MUST NOT be included more than once).
    let params = match Params::parse(raw) {
        Ok(p) => p,
        Err(e) if e.kind() == ErrorKind::DuplicateParameter => {
            return page("a parameter is repeated");
        }
        Err(e) if e.kind() == ErrorKind::TooLarge => return page("the request is too large"),
        Err(_) => return page("the request is not well-formed"),
    };
    // 2. client_id is REQUIRED and must be registered (OIDC Core §3.1.2.1).
    let Some(client_id) = params.get("client_id") else {
        return page("client_id is missing");
    };
    let Some(client) = registry.get(client_id) else {
        return Authorize::ErrorPage(ErrorPage::new(
            OAuthError::InvalidClient,
            "client_id is not registered",
        ));
    };
    // 3. redirect_uri is REQUIRED and MUST exactly match a registered one
    //    (OIDC Core §3.1.2.1, simple string comparison; RFC 6749 §10.15).
    let Some(redirect_uri) = params.get("redirect_uri") else {
        return page("redirect_uri is missing");
    };
    if !client.has_redirect_uri(redirect_uri) {
        return page("redirect_uri is not registered for this client");
    }

    // From here the redirect URI is the client's: errors are redirected.
    let state = params.get("state");
    let requested_type = params.get("response_type").and_then(ResponseType::parse);
    let requested_mode = params.get("response_mode").and_then(ResponseMode::parse);
    let error_mode = match (requested_type, requested_mode) {
        (Some(t), Some(ResponseMode::Query))
            if t.returns_access_token() || t.returns_id_token() =>
        {
            t.default_mode()
        }
        (_, Some(m)) => m,
        (Some(t), None) => t.default_mode(),
        (None, None) => ResponseMode::Query,
    };
    let fail = |error: OAuthError, description: &'static str| {
        Authorize::RedirectError(RedirectError {
            error,
            description: Cow::Borrowed(description),
            // A state too long to accept is not echoed.
            state: state.filter(|s| s.len() <= MAX_STATE_LEN).map(String::from),
            iss: config.issuer.clone(),
            redirect_uri: redirect_uri.into(),
            mode: error_mode,
        })
    };

    // 4. Request objects and registration are not supported
    //    (OIDC Core §6.1, §6.2, §7.2.1).
    if params.contains("request") {
        return fail(
            OAuthError::RequestNotSupported,
            "request objects are not supported",
        );
    }
    if params.contains("request_uri") {
        return fail(
            OAuthError::RequestUriNotSupported,
            "request_uri is not supported",
        );
    }
    if params.contains("registration") {
        return fail(
            OAuthError::RegistrationNotSupported,
            "registration is not supported",
        );
    }
    // 5. response_type is REQUIRED, supported, and registered for the client
    //    (OIDC Core §3.1.2.1; RFC 6749 §4.1.2.1).
    let Some(raw_type) = params.get("response_type") else {
        return fail(OAuthError::InvalidRequest, "response_type is missing");
    };
    let Some(response_type) = ResponseType::parse(raw_type) else {
        return fail(
            OAuthError::UnsupportedResponseType,
            "response_type is not supported",
        );
    };
    if !client.response_types.contains(&response_type) {
        return fail(
            OAuthError::UnauthorizedClient,
            "response_type is not registered for this client",
        );
    }
    // 6. response_mode: known, and never query for a type that returns
    //    tokens (Multiple Response Types §2.1, OIDC Core §3.3.2.5).
    let response_mode = match params.get("response_mode") {
        None => response_type.default_mode(),
        Some(m) => match ResponseMode::parse(m) {
            None => return fail(OAuthError::InvalidRequest, "response_mode is not supported"),
            Some(ResponseMode::Query) if response_type != ResponseType::Code => {
                return fail(
                    OAuthError::InvalidRequest,
                    "response_mode query is not allowed for a response_type that returns tokens",
                );
            }
            Some(mode) => mode,
        },
    };
    // 7. scope MUST contain openid (OIDC Core §3.1.2.1).
    let requested_scope = params.get("scope").unwrap_or_default();
    if requested_scope.len() > MAX_SCOPE_LEN {
        return fail(OAuthError::InvalidScope, "scope is too long");
    }
    if !scope::has(requested_scope, "openid") {
        return fail(OAuthError::InvalidScope, "scope must contain openid");
    }
    // 8. nonce is REQUIRED when an ID token comes from the authorization
    //    endpoint (OIDC Core §3.3.2.11); bounded.
    let nonce = params.get("nonce");
    if response_type.returns_id_token() && nonce.is_none() {
        return fail(
            OAuthError::InvalidRequest,
            "nonce is required for a response_type that returns an id_token",
        );
    }
    if nonce.is_some_and(|n| n.len() > MAX_NONCE_LEN) {
        return fail(OAuthError::InvalidRequest, "nonce is too long");
    }
    if state.is_some_and(|s| s.len() > MAX_STATE_LEN) {
        return fail(OAuthError::InvalidRequest, "state is too long");
    }
    // 9. PKCE is required of every client, S256 only (RFC 7636 §4.3, §4.4.1;
    //    RFC 9700 §2.1.1). An absent method means plain: refused.
    let Some(code_challenge) = params.get("code_challenge") else {
        return fail(
            OAuthError::InvalidRequest,
            "code_challenge is required (PKCE)",
        );
    };
    if params.get("code_challenge_method") != Some("S256") {
        return fail(
            OAuthError::InvalidRequest,
            "code_challenge_method must be S256",
        );
    }
    // RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters.
    if code_challenge.len() != 43
        || !code_challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return fail(
            OAuthError::InvalidRequest,
            "code_challenge is not an S256 challenge",
        );
    }
    // 10. prompt: known values; none alone (OIDC Core §3.1.2.1).
    let mut prompt = Prompt::default();
    if let Some(p) = params.get("prompt") {
        for v in p.split(' ') {
            match v {
                "none" => prompt.none = true,
                "login" => prompt.login = true,
                "consent" => prompt.consent = true,
                "select_account" => prompt.select_account = true,
                _ => return fail(OAuthError::InvalidRequest, "prompt has an unknown value"),
            }
        }
        if prompt.none && (prompt.login || prompt.consent || prompt.select_account) {
            return fail(
                OAuthError::InvalidRequest,
                "prompt=none cannot be combined with other values",
            );
        }
    }
    // 11. max_age: a non-negative integer (OIDC Core §3.1.2.1).
    let max_age = match params.get("max_age") {
        None => None,
        Some(v) => match v.parse::<u64>() {
            Ok(n) if v.bytes().all(|b| b.is_ascii_digit()) => Some(n),
            _ => {
                return fail(
                    OAuthError::InvalidRequest,
                    "max_age is not a non-negative integer",
                );
            }
        },
    };
    // 12. Grant the supported scopes; offline_access only with
    //     prompt=consent (OIDC Core §11), else it is ignored.
    let mut granted = scope::grant(requested_scope, &config.scopes_supported);
    if !prompt.consent && scope::has(&granted, "offline_access") {
        granted = granted
            .split(' ')
            .filter(|s| *s != "offline_access")
            .collect::<alloc::vec::Vec<_>>()
            .join(" ");
    }
    Authorize::Validated(AuthzRequest {
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.into(),
        response_type,
        response_mode,
        scope: granted,
        state: state.map(String::from),
        nonce: nonce.map(String::from),
        code_challenge: code_challenge.into(),
        max_age,
        prompt,
        id_token_alg: client.id_token_alg,
        // Refresh tokens go to every client allowed the refresh grant.
        issue_refresh: client.may_use(GrantType::RefreshToken),
        issuer: config.issuer.clone(),
        requested_at: now,
    })
}

impl AuthzRequest {
    /// `client_id`.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The validated redirect URI.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The response type.
    pub fn response_type(&self) -> ResponseType {
        self.response_type
    }

    /// The response mode the answer is delivered in.
    pub fn response_mode(&self) -> ResponseMode {
        self.response_mode
    }

    /// The scope that will be granted (supported scopes of the request).
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// `state`, if sent.
    pub fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }

    /// `nonce`, if sent.
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }

    /// `max_age`, if sent.
    pub fn max_age(&self) -> Option<u64> {
        self.max_age
    }

    /// The `prompt` values.
    pub fn prompt(&self) -> Prompt {
        self.prompt
    }

    /// When the request was validated.
    pub fn requested_at(&self) -> UnixTime {
        self.requested_at
    }

    /// Decides what the user's current session (if any) allows
    /// (OIDC Core §3.1.2.1 `prompt` and `max_age`, §3.1.2.3, §3.1.2.6).
    pub fn check_session(self, session: Option<&Subject>, now: UnixTime) -> SessionDecision {
        // 1. A session is usable unless prompt=login, or it is older than
        //    max_age (OIDC Core §3.1.2.1: then the user MUST re-authenticate).
        let usable = session.is_some_and(|s| {
            !self.prompt.login && self.max_age.is_none_or(|m| now <= s.auth_time.plus(m))
        });
        match (usable, self.prompt.none) {
            (true, _) => SessionDecision::Proceed(self),
            // 2. prompt=none and no usable session: login_required
            //    (OIDC Core §3.1.2.6).
            (false, true) => SessionDecision::Deny(
                self.deny(OAuthError::LoginRequired, "the end-user is not logged in"),
            ),
            (false, false) => SessionDecision::Login(self),
        }
    }

    /// An error for this request, to the client (e.g. `access_denied` when
    /// the user declines, `consent_required` under `prompt=none`).
    pub fn deny(self, error: OAuthError, description: &'static str) -> RedirectError {
        RedirectError {
            error,
            description: Cow::Borrowed(description),
            state: self.state,
            iss: self.issuer,
            redirect_uri: self.redirect_uri,
            mode: self.response_mode,
        }
    }
}
