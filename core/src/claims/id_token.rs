//! A whole ID token check: JWS, key, signature, claims, hashes — and the
//! owned, storable result.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{Expectations, HashInputs, IdTokenClaims, UnixTime, validate, validate_hashes};
use crate::error::Result;
use crate::jose::{self, Alg, Jwks};

/// A validated ID token, owned, serializable for a session store. `Debug`
/// shows the subject and times, not the raw token or its claims (personal
/// data).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdToken {
    /// The compact JWS as received.
    pub raw: String,
    /// The algorithm it was verified with.
    pub alg: Alg,
    /// `iss`.
    pub iss: String,
    /// `sub`.
    pub sub: String,
    /// `aud`, as a list.
    pub aud: Vec<String>,
    /// `exp`.
    pub exp: UnixTime,
    /// `iat`.
    pub iat: UnixTime,
    /// `auth_time`, if sent.
    pub auth_time: Option<UnixTime>,
    /// `nonce`, if sent.
    pub nonce: Option<String>,
    /// `acr`, if sent.
    pub acr: Option<String>,
    /// The whole claims set (for `name`, `email`, … ).
    pub claims: serde_json::Value,
}

impl core::fmt::Debug for IdToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("IdToken")
            .field("alg", &self.alg)
            .field("iss", &self.iss)
            .field("sub", &self.sub)
            .field("aud", &self.aud)
            .field("exp", &self.exp)
            .field("iat", &self.iat)
            .finish_non_exhaustive()
    }
}

/// Everything an ID token is checked against.
#[derive(Clone, Copy, Debug)]
pub struct IdTokenCheck<'e> {
    /// Allowed algorithms (the client's registered one; never from the token).
    pub algs: &'e [Alg],
    /// The provider's keys.
    pub jwks: &'e Jwks,
    /// Claim expectations.
    pub claims: Expectations<'e>,
    /// Values covered by `c_hash`/`at_hash`/`s_hash`; `alg` is overwritten with
    /// the verified algorithm.
    pub hashes: HashInputs<'e>,
}

/// Verifies `token`: `alg` in the allowlist (OIDC Core §3.1.3.7 step 7, RFC
/// 8725 §3.1), key by `kid` (§10.1), signature (step 6), claim rules (steps
/// 2–5, 9–13), then hash claims (§3.3.2.12). Returns the owned [`IdToken`].
pub fn verify_id_token(token: &str, check: &IdTokenCheck<'_>) -> Result<IdToken> {
    let (jws, alg) = jose::verify_compact(token, check.algs, check.jwks)?;
    // RFC 7519 §7.2 step 10: the claims set is a JSON object; claim names
    // unique (§4). One parse: the owned claims set the result keeps, and the
    // claims the rules read borrowed from it.
    let full = crate::encoding::json::unique_object(jws.payload(), "id_token.claims")?;
    let claims = IdTokenClaims::from_value(&full)?;
    validate(&claims, &check.claims)?;
    let mut hashes = check.hashes;
    hashes.alg = alg;
    validate_hashes(&claims, &hashes)?;
    Ok(IdToken {
        raw: token.into(),
        alg,
        iss: claims.iss.as_deref().unwrap_or_default().into(),
        sub: claims.subject()?.into(),
        aud: claims
            .aud
            .as_ref()
            .map(|a| a.iter().map(String::from).collect())
            .unwrap_or_default(),
        exp: claims.exp.unwrap_or_default(),
        iat: claims.iat.unwrap_or_default(),
        auth_time: claims.auth_time,
        nonce: claims.nonce.as_deref().map(String::from),
        acr: claims.acr.as_deref().map(String::from),
        claims: full,
    })
}
