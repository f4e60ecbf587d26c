//! The ID token check shared by the callback, the token response and the
//! refresh response: the client's expectations filled in around
//! [`crate::claims::verify_id_token`].

use alloc::vec::Vec;

use crate::claims::{Expectations, HashInputs, IdToken, IdTokenCheck, UnixTime, verify_id_token};
use crate::error::Result;
use crate::rp::config::Context;

/// What differs between the three places an ID token arrives.
pub(crate) struct Checks<'v> {
    /// The nonce sent; `Some` makes the claim required (OIDC Core §3.1.3.7 step 11).
    pub nonce: Option<&'v str>,
    /// The `max_age` sent; makes `auth_time` required (step 13).
    pub max_age: Option<u64>,
    /// The values the hash claims cover, and which are required.
    pub code: Option<&'v str>,
    pub access_token: Option<&'v str>,
    pub state: Option<&'v str>,
    pub require_c_hash: bool,
    pub require_at_hash: bool,
}

/// Verifies `token` against the context: `alg` = the client's registered
/// one, key by `kid` from the context's JWKS, signature, claims (issuer =
/// the metadata's, audience = the client, leeway = the client's), hashes.
pub(crate) fn id_token(
    ctx: &Context<'_>,
    token: &str,
    now: UnixTime,
    checks: &Checks<'_>,
) -> Result<IdToken> {
    let client = ctx.client;
    let algs = [client.id_token_alg()];
    let trusted: Vec<&str> = client
        .trusted_audiences()
        .iter()
        .map(alloc::string::String::as_str)
        .collect();
    let check = IdTokenCheck {
        algs: &algs,
        jwks: ctx.jwks,
        claims: Expectations {
            issuer: ctx.metadata.issuer(),
            client_id: client.client_id(),
            trusted_audiences: &trusted,
            nonce: checks.nonce,
            now,
            leeway: client.leeway(),
            max_age: checks.max_age,
            require_auth_time: checks.max_age.is_some(),
        },
        hashes: HashInputs {
            alg: client.id_token_alg(),
            code: checks.code,
            access_token: checks.access_token,
            state: checks.state,
            require_c_hash: checks.require_c_hash,
            require_at_hash: checks.require_at_hash,
        },
    };
    verify_id_token(token, &check)
}
