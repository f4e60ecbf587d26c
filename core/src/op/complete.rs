//! Completing an authorization: the user is authenticated and consented;
//! mint the code (and tokens), build the response, return the records.

use alloc::vec::Vec;

use super::authorize::AuthzRequest;
use super::config::ProviderConfig;
use super::id_token::{IdTokenParams, mint};
use super::keys::KeySet;
use super::records::{AccessGrant, CodeGrant, StoreRecord};
use super::response::AuthorizationResponse;
use super::scope;
use super::secret::{Entropy, GrantId};
use super::subject::Subject;
use crate::claims::UnixTime;
use crate::error::Result;

/// The outcome of [`complete`].
#[derive(Clone, Debug, PartialEq)]
pub struct Completed {
    /// What to send to the user agent.
    pub response: AuthorizationResponse,
    /// What to store: the code's grant, and the access token's when the
    /// response type returns one.
    pub records: Vec<StoreRecord>,
}

/// Completes `request` for `subject` (OIDC Core §3.3.2.5): mints the code,
/// the access token (`code token`, `code id_token token`) and the ID token
/// (`code id_token`, `code id_token token`) from `entropy`, signs with the
/// active key of the client's registered algorithm, and builds the response
/// with `state` and the RFC 9207 `iss`.
///
/// Fails only when no key is active for the client's algorithm
/// (`invalid_config`).
pub fn complete(
    request: AuthzRequest,
    subject: Subject,
    entropy: Entropy<'_>,
    keys: &KeySet,
    config: &ProviderConfig,
    now: UnixTime,
) -> Result<Completed> {
    // 1. The signing key: the active key for the client's registered alg.
    let key = keys.active_for(request.id_token_alg)?;
    let rt = request.response_type;
    let grant_id = GrantId::mint(&entropy);
    let mut records = Vec::with_capacity(2);

    // 2. The code: 256 bits from the caller's entropy; bound to client,
    //    redirect_uri and PKCE challenge; short-lived (RFC 6749 §4.1.2).
    let code = entropy.derive("code");
    // 3. The front-channel access token, for types that return one.
    let access_token = rt
        .returns_access_token()
        .then(|| entropy.derive("front_access_token"));
    let auth_time_required = request.max_age.is_some();

    // 4. The ID token, for types that return one: c_hash always, at_hash
    //    with an access token (OIDC Core §3.3.2.11), s_hash with a state.
    let id_token = rt.returns_id_token().then(|| {
        mint(
            key,
            &IdTokenParams {
                issuer: &config.issuer,
                client_id: &request.client_id,
                subject: &subject,
                nonce: request.nonce.as_deref(),
                with_auth_time: auth_time_required,
                now,
                ttl: config.lifetimes.id_token,
                code: Some(code.expose()),
                access_token: access_token.as_ref().map(|t| t.expose()),
                state: request.state.as_deref(),
            },
        )
    });

    if let Some(at) = &access_token {
        records.push(StoreRecord::Access {
            key: at.key(),
            grant: AccessGrant {
                grant_id: grant_id.clone(),
                client_id: request.client_id.clone(),
                sub: subject.sub.clone(),
                scope: request.scope.clone(),
                claims: scope::released_claims(&request.scope, &subject.claims),
                expires_at: now.plus(config.lifetimes.access_token),
            },
        });
    }

    // 5. The parameters, in the response mode, with state and iss
    //    (RFC 9207 §2: iss in every authorization response).
    let expires_in = alloc::format!("{}", config.lifetimes.access_token);
    let mut params: Vec<(&str, &str)> = Vec::with_capacity(8);
    params.push(("code", code.expose()));
    if let Some(t) = &id_token {
        params.push(("id_token", t));
    }
    if let Some(at) = &access_token {
        params.push(("access_token", at.expose()));
        params.push(("token_type", "Bearer"));
        params.push(("expires_in", &expires_in));
        // RFC 6749 §4.2.2: scope, since it may differ from the request's.
        params.push(("scope", &request.scope));
    }
    if let Some(s) = &request.state {
        params.push(("state", s));
    }
    params.push(("iss", &config.issuer));
    let response =
        AuthorizationResponse::build(&request.redirect_uri, request.response_mode, &params);

    records.push(StoreRecord::Code {
        key: code.key(),
        grant: CodeGrant {
            grant_id,
            client_id: request.client_id,
            redirect_uri: request.redirect_uri,
            response_type: rt,
            scope: request.scope,
            nonce: request.nonce,
            code_challenge: request.code_challenge,
            auth_time_required,
            id_token_alg: request.id_token_alg,
            issue_refresh: request.issue_refresh,
            subject,
            // RFC 6749 §4.1.2: codes are short-lived; 10 minutes at most, even
            // if the public lifetime field was set past it.
            expires_at: now.plus(config.lifetimes.code.clamp(1, super::config::MAX_CODE_TTL)),
            revocable_until: now
                .plus(config.lifetimes.code.clamp(1, super::config::MAX_CODE_TTL))
                .plus(
                    config
                        .lifetimes
                        .access_token
                        .max(config.lifetimes.refresh_token),
                ),
        },
    });
    Ok(Completed { response, records })
}
