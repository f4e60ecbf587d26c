//! What the provider asks the caller to store, how the caller hands it back,
//! and the actions it asks for.
//!
//! # The store contract
//!
//! The core stores nothing. Every minting call returns [`StoreRecord`]s; the
//! caller saves each under its [`StoreKey`] (the SHA-256 of the code or token,
//! so the store never holds a usable secret) until its `expires_at`.
//!
//! - **Codes and refresh tokens are taken, not read.** The token endpoint
//!   tells the caller which key to take; the take must atomically replace
//!   the record with its [`Tombstone`] and return what was there — Redis
//!   `SET key tombstone GET` (or `GETDEL` then `SET`), SQL
//!   `UPDATE … SET spent = true WHERE key = ? AND NOT spent RETURNING …` (or
//!   `DELETE … RETURNING` plus an insert). Then a code cannot be redeemed
//!   twice even with several server instances on one store. Hand the result
//!   back as a [`Lookup`]: `Found(record)`, `Spent(grant_id)` when a
//!   tombstone was there, `Missing` otherwise.
//! - **Keep tombstones** at least until the record's `expires_at`: a second
//!   use is then detected and answered with `invalid_grant` plus
//!   [`Action::Revoke`] (RFC 6749 §4.1.2, RFC 9700 §4.14.2).
//! - **On `Revoke(grant_id)`** delete every access and refresh token record
//!   carrying that `grant_id`; UserInfo and refresh then refuse them.
//! - **Access tokens are read** (UserInfo); a plain get is enough.
//! - A refused redemption has still taken the code or token (the take comes
//!   first): it is spent, and a retry revokes the grant.

use alloc::string::String;

use serde::{Deserialize, Serialize};

use super::response_type::ResponseType;
use super::secret::{GrantId, StoreKey};
use super::subject::Subject;
use crate::claims::UnixTime;
use crate::jose::Alg;

/// An authorization code's grant: everything the token endpoint needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeGrant {
    /// The authorization this code belongs to.
    pub grant_id: GrantId,
    /// The client the code was issued to (RFC 6749 §4.1.3 binding).
    pub client_id: String,
    /// The redirect URI of the request (RFC 6749 §4.1.3 binding).
    pub redirect_uri: String,
    /// The response type of the request.
    pub response_type: ResponseType,
    /// The granted scope.
    pub scope: String,
    /// The request's nonce, repeated in the token-endpoint ID token.
    pub nonce: Option<String>,
    /// The PKCE S256 challenge (RFC 7636 §4.6).
    pub code_challenge: String,
    /// Whether ID tokens must carry `auth_time` (`max_age` was sent).
    pub auth_time_required: bool,
    /// The ID token algorithm (the client's registered one).
    pub id_token_alg: Alg,
    /// Whether a refresh token is issued with the access token.
    pub issue_refresh: bool,
    /// Who authorized.
    pub subject: Subject,
    /// When the code stops being redeemable (at most 10 minutes after issue).
    pub expires_at: UnixTime,
    /// Until when tokens issued from this code may live; the tombstone is
    /// kept that long, so a replay even after the code expired still
    /// revokes them (RFC 6749 §4.1.2, RFC 9700 §4.2.1).
    #[serde(default)]
    pub revocable_until: UnixTime,
}

/// An access token's grant, read by the UserInfo endpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccessGrant {
    /// The authorization the token came from.
    pub grant_id: GrantId,
    /// The client it was issued to.
    pub client_id: String,
    /// The subject.
    pub sub: String,
    /// The granted scope.
    pub scope: String,
    /// The claims released to this token (by scope, OIDC Core §5.4).
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// Expiry.
    pub expires_at: UnixTime,
}

/// A refresh token's grant (OIDC Core §12). Refresh tokens rotate: each use
/// takes this record and issues a new one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefreshGrant {
    /// The authorization the token came from.
    pub grant_id: GrantId,
    /// The client it was issued to (RFC 6749 §6 binding).
    pub client_id: String,
    /// The granted scope (a refresh may narrow it, never widen it).
    pub scope: String,
    /// The original request's nonce (repeated in refreshed ID tokens, as
    /// deployed providers do).
    pub nonce: Option<String>,
    /// Whether ID tokens must carry `auth_time`.
    pub auth_time_required: bool,
    /// The ID token algorithm.
    pub id_token_alg: Alg,
    /// Who authorized (the original authentication, OIDC Core §12.2).
    pub subject: Subject,
    /// Expiry.
    pub expires_at: UnixTime,
}

/// What a taken code or refresh token leaves behind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    /// The authorization to revoke if the secret comes again.
    pub grant_id: GrantId,
    /// Keep it at least until then.
    pub expires_at: UnixTime,
}

impl CodeGrant {
    /// The tombstone that replaces this record when it is taken. It lives as
    /// long as any token the code can yield, not just as long as the code.
    pub fn tombstone(&self) -> Tombstone {
        Tombstone {
            grant_id: self.grant_id.clone(),
            expires_at: self.expires_at.max(self.revocable_until),
        }
    }
}

impl RefreshGrant {
    /// The tombstone that replaces this record when it is taken.
    pub fn tombstone(&self) -> Tombstone {
        Tombstone {
            grant_id: self.grant_id.clone(),
            expires_at: self.expires_at,
        }
    }
}

/// A record to store under its key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StoreRecord {
    /// An authorization code (taken by the token endpoint).
    Code {
        /// SHA-256 of the code.
        key: StoreKey,
        /// The grant.
        grant: CodeGrant,
    },
    /// An access token (read by UserInfo).
    Access {
        /// SHA-256 of the token.
        key: StoreKey,
        /// The grant.
        grant: AccessGrant,
    },
    /// A refresh token (taken by the refresh grant).
    Refresh {
        /// SHA-256 of the token.
        key: StoreKey,
        /// The grant.
        grant: RefreshGrant,
    },
}

impl StoreRecord {
    /// The key to store it under.
    pub fn key(&self) -> &StoreKey {
        match self {
            Self::Code { key, .. } | Self::Access { key, .. } | Self::Refresh { key, .. } => key,
        }
    }

    /// When it may be deleted.
    pub fn expires_at(&self) -> UnixTime {
        match self {
            Self::Code { grant, .. } => grant.expires_at,
            Self::Access { grant, .. } => grant.expires_at,
            Self::Refresh { grant, .. } => grant.expires_at,
        }
    }

    /// The authorization it belongs to.
    pub fn grant_id(&self) -> &GrantId {
        match self {
            Self::Code { grant, .. } => &grant.grant_id,
            Self::Access { grant, .. } => &grant.grant_id,
            Self::Refresh { grant, .. } => &grant.grant_id,
        }
    }
}

/// The result of the caller's atomic take of a code or refresh token.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup<T> {
    /// The record was there (and is now replaced by its tombstone).
    Found(T),
    /// A tombstone was there: the secret was used before.
    Spent(GrantId),
    /// Nothing was there (never issued, expired and purged, or revoked).
    Missing,
}

/// Something the caller must do besides answering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Delete every token of this authorization (RFC 6749 §4.1.2: a code
    /// used twice; RFC 9700 §4.14.2: a rotated refresh token used twice).
    Revoke(GrantId),
}
