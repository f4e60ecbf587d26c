//! [`Session`]: the result of a login — the validated ID token and the
//! tokens to call APIs with.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::claims::{IdToken, UnixTime};
use crate::rp::secret::{AccessToken, Nonce, RefreshToken};

/// What OIDC Core §12.2 compares a refreshed ID token with: the claims of
/// the ID token issued when the user authenticated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Original {
    pub sub: String,
    pub aud: Vec<String>,
    pub azp: Option<String>,
    pub auth_time: Option<UnixTime>,
    pub nonce: Nonce,
}

impl Original {
    pub(crate) fn of(id_token: &IdToken, nonce: Nonce) -> Self {
        Self {
            sub: id_token.sub.clone(),
            aud: id_token.aud.clone(),
            azp: id_token
                .claims
                .get("azp")
                .and_then(serde_json::Value::as_str)
                .map(String::from),
            auth_time: id_token.auth_time,
            nonce,
        }
    }
}

/// A logged-in session. Serde-serializable; `Debug` redacts the tokens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub(crate) id_token: IdToken,
    pub(crate) access_token: AccessToken,
    pub(crate) refresh_token: Option<RefreshToken>,
    pub(crate) expires_at: Option<UnixTime>,
    pub(crate) scope: Option<String>,
    pub(crate) original: Original,
}

impl Session {
    /// The current ID token (the token endpoint's, or the latest refresh's).
    pub fn id_token(&self) -> &IdToken {
        &self.id_token
    }

    /// The subject: the end-user at the provider.
    pub fn sub(&self) -> &str {
        &self.original.sub
    }

    /// The access token.
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// The refresh token, if the provider issued one.
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    /// When the access token expires (`now + expires_in`), if the provider
    /// said.
    pub fn expires_at(&self) -> Option<UnixTime> {
        self.expires_at
    }

    /// Whether the access token has expired at `now` (never, if the
    /// provider gave no `expires_in`).
    pub fn access_token_expired(&self, now: UnixTime) -> bool {
        self.expires_at.is_some_and(|t| now >= t)
    }

    /// The granted scope, if the provider said.
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }
}
