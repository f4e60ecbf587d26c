//! The token endpoint (RFC 6749 §3.2, §4.1.3; OIDC Core §3.3.3): two
//! phases. [`TokenRequest::parse`] authenticates the client and says which
//! code or refresh token to take; the caller takes it atomically from its
//! store and hands the [`Lookup`] to `redeem`.
//!
//! ```text
//! let req = TokenRequest::parse(body, authorization, &registry, &config, now)?;
//! match req {
//!     TokenRequest::AuthorizationCode(r) => { let l = store.take_code(r.key()); r.redeem(l, entropy, &keys, &config, now) }
//!     TokenRequest::RefreshToken(r)      => { let l = store.take_refresh(r.key()); r.redeem(l, entropy, &keys, &config, now) }
//! }
//! ```

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use base64ct::{Base64UrlUnpadded, Encoding};
use sha2::{Digest, Sha256};

use super::client_auth::{AssertionUse, authenticate};
use super::config::ProviderConfig;
use super::http::HttpResponse;
use super::id_token::{IdTokenParams, mint};
use super::keys::KeySet;
use super::oauth_error::OAuthError;
use super::records::{AccessGrant, Action, CodeGrant, Lookup, RefreshGrant, StoreRecord};
use super::refresh::RefreshRedemption;
use super::registry::{Client, ClientRegistry, GrantType};
use super::scope;
use super::secret::{Entropy, GrantId, StoreKey, ct_eq};
use super::subject::Subject;
use super::token_error::TokenError;
use crate::claims::UnixTime;
use crate::encoding::Params;
use crate::error::ErrorKind;
use crate::jose::Alg;

/// A token request whose client is authenticated.
#[derive(Clone, Debug)]
pub enum TokenRequest {
    /// `grant_type=authorization_code`.
    AuthorizationCode(CodeRedemption),
    /// `grant_type=refresh_token`.
    RefreshToken(RefreshRedemption),
}

/// An authorization code to redeem (RFC 6749 §4.1.3). `Debug` never shows
/// the PKCE verifier.
#[derive(Clone)]
pub struct CodeRedemption {
    client: Client,
    key: StoreKey,
    redirect_uri: String,
    code_verifier: String,
    assertion: Option<AssertionUse>,
}

impl core::fmt::Debug for CodeRedemption {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CodeRedemption")
            .field("client", &self.client.client_id)
            .field("key", &self.key)
            .field("redirect_uri", &self.redirect_uri)
            .field("code_verifier", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// A successful token response and the records to store. `Debug` never
/// shows the body, which carries the tokens.
#[derive(Clone, PartialEq)]
pub struct TokenGranted {
    /// The JSON body (RFC 6749 §5.1).
    pub json: String,
    /// The new access token's (and refresh token's) records.
    pub records: Vec<StoreRecord>,
}

impl core::fmt::Debug for TokenGranted {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TokenGranted")
            .field(
                "json",
                &alloc::format!("<{} bytes redacted>", self.json.len()),
            )
            .field("records", &self.records)
            .finish()
    }
}

impl TokenGranted {
    /// `200`, JSON, `Cache-Control: no-store`, `Pragma: no-cache`
    /// (RFC 6749 §5.1).
    pub fn to_http(&self) -> HttpResponse {
        HttpResponse::json(200, self.json.clone()).no_store()
    }
}

impl TokenRequest {
    /// Parses the form `body` and the `Authorization` header, authenticates
    /// the client (RFC 6749 §2.3, §3.2.1) and checks the grant type.
    pub fn parse(
        body: &str,
        authorization: Option<&str>,
        registry: &ClientRegistry,
        config: &ProviderConfig,
        now: UnixTime,
    ) -> Result<Self, TokenError> {
        // 1. Recognise fully; a repeated parameter is invalid_request (RFC 6749 §3.2).
        let params = Params::parse(body).map_err(|e| {
            TokenError::bad(
                OAuthError::InvalidRequest,
                if e.kind() == ErrorKind::DuplicateParameter {
                    "a parameter is repeated"
                } else {
                    "the request body is not a valid form"
                },
            )
        })?;
        // 2. Authenticate the client (RFC 6749 §3.2.1, OIDC Core §9).
        let auth = authenticate(&params, authorization, registry, config, now)?;
        // 3. The grant type: supported and allowed for this client (RFC 6749 §5.2).
        let grant = match params.get("grant_type") {
            None => {
                return Err(TokenError::bad(
                    OAuthError::InvalidRequest,
                    "grant_type is missing",
                ));
            }
            Some("authorization_code") => GrantType::AuthorizationCode,
            Some("refresh_token") => GrantType::RefreshToken,
            Some(_) => {
                return Err(TokenError::bad(
                    OAuthError::UnsupportedGrantType,
                    "grant_type is not supported",
                ));
            }
        };
        if !auth.client.may_use(grant) {
            return Err(TokenError::bad(
                OAuthError::UnauthorizedClient,
                "the client may not use this grant_type",
            ));
        }
        let missing = |d| TokenError::bad(OAuthError::InvalidRequest, d);
        match grant {
            GrantType::RefreshToken => {
                let token = params
                    .get("refresh_token")
                    .ok_or_else(|| missing("refresh_token is missing"))?;
                Ok(Self::RefreshToken(RefreshRedemption::new(
                    auth.client,
                    StoreKey::of(token),
                    params.get("scope").map(String::from),
                    auth.assertion,
                )))
            }
            _ => {
                // 4. code, redirect_uri (it was in the request: RFC 6749
                //    §4.1.3) and code_verifier (PKCE required, RFC 7636 §4.5).
                let code = params
                    .get("code")
                    .ok_or_else(|| missing("code is missing"))?;
                let redirect_uri = params
                    .get("redirect_uri")
                    .ok_or_else(|| missing("redirect_uri is missing"))?;
                let verifier = params
                    .get("code_verifier")
                    .ok_or_else(|| missing("code_verifier is missing"))?;
                // RFC 7636 §4.1: 43 to 128 unreserved characters.
                if !(43..=128).contains(&verifier.len())
                    || !verifier.bytes().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
                    })
                {
                    return Err(missing("code_verifier is not 43-128 unreserved characters"));
                }
                Ok(Self::AuthorizationCode(CodeRedemption {
                    client: auth.client,
                    key: StoreKey::of(code),
                    redirect_uri: redirect_uri.into(),
                    code_verifier: verifier.into(),
                    assertion: auth.assertion,
                }))
            }
        }
    }

    /// The authenticated client's id.
    pub fn client_id(&self) -> &str {
        match self {
            Self::AuthorizationCode(r) => &r.client.client_id,
            Self::RefreshToken(r) => r.client_id(),
        }
    }

    /// The client assertion to record against replay (`private_key_jwt`).
    pub fn assertion(&self) -> Option<&AssertionUse> {
        match self {
            Self::AuthorizationCode(r) => r.assertion.as_ref(),
            Self::RefreshToken(r) => r.assertion(),
        }
    }
}

impl CodeRedemption {
    /// The key of the code to take (atomically) from the store.
    pub fn key(&self) -> &StoreKey {
        &self.key
    }

    /// Redeems the code the caller took (RFC 6749 §4.1.3, RFC 7636 §4.6,
    /// OIDC Core §3.3.3).
    pub fn redeem(
        self,
        lookup: Lookup<CodeGrant>,
        entropy: Entropy<'_>,
        keys: &KeySet,
        config: &ProviderConfig,
        now: UnixTime,
    ) -> Result<TokenGranted, TokenError> {
        // 1. The code exists and was not used before; a second use revokes
        //    the grant (RFC 6749 §4.1.2, §10.5).
        let grant = match lookup {
            Lookup::Found(g) => g,
            Lookup::Missing => return Err(TokenError::invalid_grant("the code is invalid")),
            Lookup::Spent(grant_id) => {
                return Err(TokenError {
                    action: Some(Action::Revoke(grant_id)),
                    ..TokenError::invalid_grant("the code was already used")
                });
            }
        };
        // 2. Issued to this client (RFC 6749 §4.1.3).
        if grant.client_id != self.client.client_id {
            return Err(TokenError::invalid_grant(
                "the code was issued to another client",
            ));
        }
        // 3. Not expired (RFC 6749 §4.1.2: short-lived, at most 10 minutes).
        if now >= grant.expires_at {
            return Err(TokenError::invalid_grant("the code has expired"));
        }
        // 4. redirect_uri identical to the authorization request's (RFC 6749 §4.1.3).
        if self.redirect_uri != grant.redirect_uri {
            return Err(TokenError::invalid_grant(
                "redirect_uri differs from the authorization request's",
            ));
        }
        // 5. PKCE: BASE64URL(SHA256(code_verifier)) == code_challenge, in
        //    constant time (RFC 7636 §4.6).
        let computed =
            Base64UrlUnpadded::encode_string(&Sha256::digest(self.code_verifier.as_bytes()));
        if !ct_eq(&computed, &grant.code_challenge) {
            return Err(TokenError::invalid_grant(
                "code_verifier does not match the challenge",
            ));
        }
        // 6. Tokens: access token, refresh token when allowed, and an ID token
        //    with the front channel's iss/sub and at_hash (OIDC Core §3.3.3.6, §3.3.3.8).
        let refresh =
            (grant.issue_refresh && self.client.may_use(GrantType::RefreshToken)).then(|| {
                RefreshGrant {
                    grant_id: grant.grant_id.clone(),
                    client_id: grant.client_id.clone(),
                    scope: grant.scope.clone(),
                    nonce: grant.nonce.clone(),
                    auth_time_required: grant.auth_time_required,
                    id_token_alg: grant.id_token_alg,
                    subject: grant.subject.clone(),
                    expires_at: now.plus(config.lifetimes.refresh_token),
                }
            });
        issue(
            Issue {
                grant_id: &grant.grant_id,
                client_id: &grant.client_id,
                subject: &grant.subject,
                scope: &grant.scope,
                nonce: grant.nonce.as_deref(),
                auth_time_required: grant.auth_time_required,
                id_token_alg: grant.id_token_alg,
                refresh,
            },
            entropy,
            keys,
            config,
            now,
        )
    }
}

/// What a token response is minted from.
pub(crate) struct Issue<'a> {
    pub grant_id: &'a GrantId,
    pub client_id: &'a str,
    pub subject: &'a Subject,
    pub scope: &'a str,
    pub nonce: Option<&'a str>,
    pub auth_time_required: bool,
    pub id_token_alg: Alg,
    /// The refresh grant to issue a new refresh token for, if any.
    pub refresh: Option<RefreshGrant>,
}

/// Mints the access token, the refresh token (if any) and the ID token
/// (when the scope has `openid`), and writes the RFC 6749 §5.1 JSON.
pub(crate) fn issue(
    what: Issue<'_>,
    entropy: Entropy<'_>,
    keys: &KeySet,
    config: &ProviderConfig,
    now: UnixTime,
) -> Result<TokenGranted, TokenError> {
    let key = keys
        .active_for(what.id_token_alg)
        .map_err(|_| TokenError::server_error("no signing key for the client's algorithm"))?;
    let access = entropy.derive("access_token");
    let mut records = Vec::with_capacity(2);
    records.push(StoreRecord::Access {
        key: access.key(),
        grant: AccessGrant {
            grant_id: what.grant_id.clone(),
            client_id: what.client_id.into(),
            sub: what.subject.sub.clone(),
            scope: what.scope.into(),
            claims: scope::released_claims(what.scope, &what.subject.claims),
            expires_at: now.plus(config.lifetimes.access_token),
        },
    });
    let mut body = serde_json::Map::new();
    body.insert("access_token".into(), access.expose().into());
    body.insert("token_type".into(), "Bearer".into());
    body.insert("expires_in".into(), config.lifetimes.access_token.into());
    body.insert("scope".into(), what.scope.into());
    if let Some(grant) = what.refresh {
        let refresh = entropy.derive("refresh_token");
        body.insert("refresh_token".into(), refresh.expose().into());
        records.push(StoreRecord::Refresh {
            key: refresh.key(),
            grant,
        });
    }
    if scope::has(what.scope, "openid") {
        let id_token = mint(
            key,
            &IdTokenParams {
                issuer: &config.issuer,
                client_id: what.client_id,
                subject: what.subject,
                nonce: what.nonce,
                with_auth_time: what.auth_time_required,
                now,
                ttl: config.lifetimes.id_token,
                code: None,
                access_token: Some(access.expose()),
                state: None,
            },
        );
        body.insert("id_token".into(), id_token.into());
    }
    Ok(TokenGranted {
        json: serde_json::Value::Object(body).to_string(),
        records,
    })
}
