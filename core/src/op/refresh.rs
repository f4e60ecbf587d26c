//! The refresh grant (RFC 6749 §6, OIDC Core §12).
//!
//! Refresh tokens rotate: every use takes the record (leaving a tombstone)
//! and issues a new refresh token with the same grant and the same absolute
//! expiry, so a session cannot be stretched forever. A rotated token used
//! again is answered `invalid_grant` with [`Action::Revoke`] of the whole
//! grant: one of the two users is an attacker (RFC 9700 §4.14.2).
//! The take happens before the checks, so a refused redemption (another
//! client's token, a widened scope) also spends the token, as a refused
//! code redemption spends the code.

use alloc::string::String;

use super::client_auth::AssertionUse;
use super::config::ProviderConfig;
use super::keys::KeySet;
use super::oauth_error::OAuthError;
use super::records::{Action, Lookup, RefreshGrant};
use super::registry::Client;
use super::scope;
use super::secret::{Entropy, StoreKey};
use super::token::{Issue, TokenGranted, issue};
use super::token_error::TokenError;
use crate::claims::UnixTime;

/// A refresh token to redeem.
#[derive(Clone, Debug)]
pub struct RefreshRedemption {
    client: Client,
    key: StoreKey,
    scope: Option<String>,
    assertion: Option<AssertionUse>,
}

impl RefreshRedemption {
    pub(crate) fn new(
        client: Client,
        key: StoreKey,
        scope: Option<String>,
        assertion: Option<AssertionUse>,
    ) -> Self {
        Self {
            client,
            key,
            scope,
            assertion,
        }
    }

    /// The key of the refresh token to take (atomically) from the store.
    pub fn key(&self) -> &StoreKey {
        &self.key
    }

    pub(crate) fn client_id(&self) -> &str {
        &self.client.client_id
    }

    pub(crate) fn assertion(&self) -> Option<&AssertionUse> {
        self.assertion.as_ref()
    }

    /// Redeems the refresh token the caller took: a new access token, a new
    /// refresh token, and an ID token per OIDC Core §12.2.
    pub fn redeem(
        self,
        lookup: Lookup<RefreshGrant>,
        entropy: Entropy<'_>,
        keys: &KeySet,
        config: &ProviderConfig,
        now: UnixTime,
    ) -> Result<TokenGranted, TokenError> {
        // 1. The token exists and was not rotated away; a rotated token used
        //    again revokes the grant (RFC 9700 §4.14.2).
        let grant = match lookup {
            Lookup::Found(g) => g,
            Lookup::Missing => {
                return Err(TokenError::invalid_grant("the refresh token is invalid"));
            }
            Lookup::Spent(grant_id) => {
                return Err(TokenError {
                    action: Some(Action::Revoke(grant_id)),
                    ..TokenError::invalid_grant("the refresh token was already used")
                });
            }
        };
        // 2. Issued to this client (RFC 6749 §6).
        if grant.client_id != self.client.client_id {
            return Err(TokenError::invalid_grant(
                "the refresh token was issued to another client",
            ));
        }
        // 3. Not expired.
        if now >= grant.expires_at {
            return Err(TokenError::invalid_grant("the refresh token has expired"));
        }
        // 4. A requested scope may narrow the grant, never widen it (RFC 6749 §6).
        let access_scope = match &self.scope {
            None => grant.scope.clone(),
            Some(s) if scope::is_subset(s, &grant.scope) => s.clone(),
            Some(_) => {
                return Err(TokenError::bad(
                    OAuthError::InvalidScope,
                    "scope exceeds the original grant",
                ));
            }
        };
        // 5. New tokens. The ID token (OIDC Core §12.2): same iss, sub, aud;
        //    iat now; auth_time of the original authentication.
        let next = RefreshGrant {
            // RFC 6749 §6: the new refresh token's scope is the old one's.
            scope: grant.scope.clone(),
            ..grant.clone()
        };
        issue(
            Issue {
                grant_id: &grant.grant_id,
                client_id: &grant.client_id,
                subject: &grant.subject,
                scope: &access_scope,
                nonce: grant.nonce.as_deref(),
                auth_time_required: grant.auth_time_required,
                id_token_alg: grant.id_token_alg,
                refresh: Some(next),
            },
            entropy,
            keys,
            config,
            now,
        )
    }
}
