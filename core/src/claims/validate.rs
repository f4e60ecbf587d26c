//! The ID token claim rules, as the spec numbers them.

use subtle::ConstantTimeEq;

use super::{IdTokenClaims, UnixTime};
use crate::error::{Error, ErrorKind, Result};
use crate::hash::{self, HashClaim};
use crate::jose::Alg;

/// What the relying party expects of an ID token's claims.
#[derive(Clone, Copy, Debug)]
pub struct Expectations<'e> {
    /// The issuer identifier, exactly (OIDC Core §3.1.3.7 step 2).
    pub issuer: &'e str,
    /// This client's `client_id`.
    pub client_id: &'e str,
    /// Further audiences this client trusts besides itself (usually none).
    pub trusted_audiences: &'e [&'e str],
    /// The nonce sent in the request; when `Some`, the claim is required.
    pub nonce: Option<&'e str>,
    /// The caller's clock.
    pub now: UnixTime,
    /// Allowed clock skew, seconds, applied to `exp`, `iat`, `nbf` and `max_age`.
    pub leeway: u64,
    /// `max_age` sent in the request, if any.
    pub max_age: Option<u64>,
    /// Whether `auth_time` is required (it was requested as essential, or
    /// `max_age` was sent).
    pub require_auth_time: bool,
}

/// Constant-time string equality (length is not hidden).
pub(crate) fn ct_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Applies OIDC Core §3.1.3.7 steps 2–5 and 9–13 (and §3.2.2.11 for the
/// nonce) to `claims`. Signature and `alg` (steps 6–8) are the JOSE layer's.
/// Allocates nothing when the claims are valid.
pub fn validate(claims: &IdTokenClaims<'_>, exp: &Expectations<'_>) -> Result<()> {
    // 2. iss MUST exactly match the issuer identifier (OIDC Core §3.1.3.7).
    let iss = claims.iss.as_deref().unwrap_or_default();
    if iss != exp.issuer {
        return Err(Error::new(ErrorKind::InvalidIssuer, "id_token.iss")
            .expected(exp.issuer)
            .got(if claims.iss.is_some() {
                iss
            } else {
                "(absent)"
            }));
    }
    // sub is REQUIRED (OIDC Core §2).
    claims.subject()?;
    // 3. aud MUST contain client_id (OIDC Core §3.1.3.7).
    let Some(aud) = &claims.aud else {
        return Err(Error::new(ErrorKind::InvalidAudience, "id_token.aud")
            .expected(exp.client_id)
            .got("(absent)"));
    };
    if !aud.iter().any(|a| a == exp.client_id) {
        return Err(Error::new(ErrorKind::InvalidAudience, "id_token.aud")
            .expected(&alloc::format!("to contain {}", exp.client_id))
            .got(aud.iter().next().unwrap_or("(empty)")));
    }
    // 4. Several audiences: azp SHOULD be present (OIDC Core §3.1.3.7); we require it.
    //    Checked before the rest of step 3 so that a multi-audience token
    //    without azp reports azp_missing rather than its extra audience.
    if aud.len() > 1 && claims.azp.is_none() {
        return Err(Error::new(ErrorKind::AzpMissing, "id_token.azp"));
    }
    // 5. azp present: it MUST be this client (OIDC Core §3.1.3.7).
    if let Some(azp) = claims.azp.as_deref()
        && azp != exp.client_id
    {
        return Err(Error::new(ErrorKind::AzpMismatch, "id_token.azp")
            .expected(exp.client_id)
            .got(azp));
    }
    // 3 (end). Additional audiences not trusted by the client: reject
    //    (OIDC Core §3.1.3.7).
    if let Some(other) = aud
        .iter()
        .find(|a| *a != exp.client_id && !exp.trusted_audiences.contains(a))
    {
        return Err(Error::new(ErrorKind::InvalidAudience, "id_token.aud")
            .expected("no audiences besides this client and trusted ones")
            .got(other));
    }
    // 9. The current time MUST be before exp (OIDC Core §3.1.3.7; RFC 7519 §4.1.4).
    let Some(expires) = claims.exp else {
        return Err(Error::new(ErrorKind::Malformed, "id_token.exp").expected("an expiry"));
    };
    if exp.now >= expires.plus(exp.leeway) {
        return Err(Error::new(ErrorKind::Expired, "id_token.exp")
            .expected(&alloc::format!(
                "after now ({}) less {} s leeway",
                exp.now,
                exp.leeway
            ))
            .got(&alloc::format!("{expires}")));
    }
    // 10. iat is REQUIRED; reject one in the future beyond the leeway (OIDC Core §3.1.3.7).
    let Some(issued) = claims.iat else {
        return Err(Error::new(ErrorKind::Malformed, "id_token.iat").expected("an issue time"));
    };
    if issued > exp.now.plus(exp.leeway) {
        return Err(Error::new(ErrorKind::IatInFuture, "id_token.iat")
            .expected(&alloc::format!(
                "at most now ({}) + {} s",
                exp.now,
                exp.leeway
            ))
            .got(&alloc::format!("{issued}")));
    }
    // nbf: not before (RFC 7519 §4.1.5).
    if let Some(nbf) = claims.nbf
        && nbf > exp.now.plus(exp.leeway)
    {
        return Err(Error::new(ErrorKind::NotYetValid, "id_token.nbf")
            .expected(&alloc::format!(
                "at most now ({}) + {} s",
                exp.now,
                exp.leeway
            ))
            .got(&alloc::format!("{nbf}")));
    }
    // 11. A nonce was sent: the claim MUST be present and equal (OIDC Core §3.1.3.7, §3.2.2.11).
    if let Some(sent) = exp.nonce {
        match claims.nonce.as_deref() {
            None => return Err(Error::new(ErrorKind::NonceMissing, "id_token.nonce")),
            Some(got) if !ct_eq(got, sent) => {
                return Err(Error::new(ErrorKind::NonceMismatch, "id_token.nonce"));
            }
            Some(_) => {}
        }
    }
    // 13. auth_time with max_age (OIDC Core §3.1.3.7, §3.1.2.1 max_age).
    if exp.require_auth_time || exp.max_age.is_some() {
        let Some(auth_time) = claims.auth_time else {
            return Err(Error::new(ErrorKind::AuthTimeMissing, "id_token.auth_time"));
        };
        if let Some(max_age) = exp.max_age
            && exp.now > auth_time.plus(max_age).plus(exp.leeway)
        {
            return Err(Error::new(ErrorKind::MaxAgeExceeded, "id_token.auth_time")
                .expected(&alloc::format!("within {max_age} s of now ({})", exp.now))
                .got(&alloc::format!("{auth_time}")));
        }
    }
    Ok(())
}

/// The values an ID token's hash claims cover, and which are required.
#[derive(Clone, Copy, Debug)]
pub struct HashInputs<'v> {
    /// The algorithm the ID token was verified with (picks the hash).
    pub alg: Alg,
    /// The authorization code returned with the token.
    pub code: Option<&'v str>,
    /// The access token returned with the token.
    pub access_token: Option<&'v str>,
    /// The state returned with the token.
    pub state: Option<&'v str>,
    /// `c_hash` must be present (front channel with a code, OIDC Core §3.3.2.11).
    pub require_c_hash: bool,
    /// `at_hash` must be present (front channel with an access token, OIDC Core §3.3.2.11).
    pub require_at_hash: bool,
}

/// Checks `c_hash`, `at_hash` and `s_hash`. A hash claim that is present is
/// always checked; `c_hash`/`at_hash` are required as `inputs` says. Allocates
/// nothing when they match.
pub fn validate_hashes(claims: &IdTokenClaims<'_>, inputs: &HashInputs<'_>) -> Result<()> {
    // OIDC Core §3.3.2.11: c_hash REQUIRED with `code id_token[ token]`; checked per §3.3.2.10.
    check_one(
        HashClaim::CHash,
        claims.c_hash.as_deref(),
        inputs.code,
        inputs.require_c_hash,
        inputs.alg,
    )?;
    // OIDC Core §3.3.2.11: at_hash REQUIRED with `code id_token token`; §3.3.2.9.
    // §3.3.3.8: at the token endpoint, checked when present.
    check_one(
        HashClaim::AtHash,
        claims.at_hash.as_deref(),
        inputs.access_token,
        inputs.require_at_hash,
        inputs.alg,
    )?;
    // FAPI 1.0 Part 2 §5.2.2.1: s_hash, when present, MUST match the state.
    check_one(
        HashClaim::SHash,
        claims.s_hash.as_deref(),
        inputs.state,
        false,
        inputs.alg,
    )
}

fn check_one(
    claim: HashClaim,
    claimed: Option<&str>,
    value: Option<&str>,
    required: bool,
    alg: Alg,
) -> Result<()> {
    match (claimed, value) {
        (Some(h), Some(v)) => hash::verify(claim, alg, v.as_bytes(), h),
        (None, Some(_)) if required => Err(Error::new(claim.missing(), claim.name())),
        // A hash of a value that was not returned here cannot be checked
        // (and is harmless): nothing to compare.
        _ => Ok(()),
    }
}
