//! Client authentication at the token endpoint (OIDC Core §9): HTTP Basic
//! (RFC 6749 §2.3.1), form body (`client_secret_post`), and
//! `private_key_jwt` (RFC 7523 §2.2, §3; ES256 with the registered key).

use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};

use super::config::ProviderConfig;
use super::oauth_error::OAuthError;
use super::registry::{AuthMethod, Client, ClientRegistry};
use super::secret::StoreKey;
use super::token_error::TokenError;
use crate::claims::UnixTime;
use crate::encoding::Params;
use crate::jose::{self, Alg};

/// The `client_assertion_type` of RFC 7523 §2.2.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// The furthest in the future a client assertion's `exp` may be, seconds.
pub const MAX_ASSERTION_LIFETIME: u64 = 600;
/// Leeway for a client assertion's `exp` and `nbf`, seconds.
pub const ASSERTION_LEEWAY: u64 = 60;
/// Longest `Authorization` header accepted, bytes.
pub const MAX_AUTHORIZATION_LEN: usize = 2048;

/// A used client assertion: record `key` until `expires_at` and refuse the
/// same assertion again ([`TokenError::replayed_assertion`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssertionUse {
    /// SHA-256 of `client_id` and `jti`.
    pub key: StoreKey,
    /// The assertion's `exp`.
    pub expires_at: UnixTime,
}

/// An authenticated client.
#[derive(Clone, Debug)]
pub(crate) struct Authenticated {
    pub client: Client,
    pub assertion: Option<AssertionUse>,
}

/// Decodes one form-encoded component (`+` is a space, `%XX` a byte).
fn form_decode(raw: &str) -> Option<String> {
    let mut out: Vec<u8> = Vec::with_capacity(raw.len());
    let mut bytes = raw.bytes();
    while let Some(b) = bytes.next() {
        out.push(match b {
            b'+' => b' ',
            b'%' => {
                let hi = char::from(bytes.next()?).to_digit(16)?;
                let lo = char::from(bytes.next()?).to_digit(16)?;
                u8::try_from(hi * 16 + lo).ok()?
            }
            other => other,
        });
    }
    String::from_utf8(out).ok()
}

/// RFC 7617 §2 with RFC 6749 §2.3.1: `Basic base64(formenc(id) ":" formenc(secret))`.
fn parse_basic(header: &str) -> Option<(String, String)> {
    let (scheme, rest) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("Basic") {
        return None;
    }
    let decoded = Base64::decode_vec(rest.trim()).ok()?;
    let text = core::str::from_utf8(&decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((form_decode(id)?, form_decode(secret)?))
}

/// Authenticates the client of a token request.
pub(crate) fn authenticate(
    params: &Params<'_>,
    authorization: Option<&str>,
    registry: &ClientRegistry,
    config: &ProviderConfig,
    now: UnixTime,
) -> Result<Authenticated, TokenError> {
    let basic = match authorization {
        None => None,
        Some(h) if h.len() > MAX_AUTHORIZATION_LEN => {
            return Err(TokenError::unauthorized(
                "the Authorization header is too long",
            ));
        }
        Some(h) => Some(parse_basic(h).ok_or_else(|| {
            TokenError::unauthorized("the Authorization header is not HTTP Basic credentials")
        })?),
    };
    let body_secret = params.get("client_secret");
    let assertion = params.get("client_assertion");
    // 1. One method only (RFC 6749 §2.3: MUST NOT use more than one).
    let methods = usize::from(basic.is_some())
        + usize::from(body_secret.is_some())
        + usize::from(assertion.is_some());
    if methods > 1 {
        return Err(TokenError::bad(
            OAuthError::InvalidRequest,
            "more than one client authentication method",
        ));
    }
    let body_client_id = params.get("client_id");
    if let Some((id, secret)) = basic {
        // 2. Basic: a registered basic client, its secret, compared in
        //    constant time (RFC 6749 §2.3.1, §5.2: 401 + WWW-Authenticate).
        let client = registry
            .get(&id)
            .filter(|c| c.auth_method == AuthMethod::ClientSecretBasic)
            .filter(|c| c.secret.as_ref().is_some_and(|h| h.matches(&secret)))
            .ok_or_else(|| TokenError::unauthorized("client authentication failed"))?;
        if body_client_id.is_some_and(|b| b != id) {
            return Err(TokenError::bad(
                OAuthError::InvalidRequest,
                "client_id differs from the authenticated client",
            ));
        }
        return Ok(Authenticated {
            client: client.clone(),
            assertion: None,
        });
    }
    if let Some(secret) = body_secret {
        // 3. client_secret_post (RFC 6749 §2.3.1), constant-time comparison.
        let client = body_client_id
            .and_then(|id| registry.get(id))
            .filter(|c| c.auth_method == AuthMethod::ClientSecretPost)
            .filter(|c| c.secret.as_ref().is_some_and(|h| h.matches(secret)))
            .ok_or_else(|| {
                TokenError::bad(OAuthError::InvalidClient, "client authentication failed")
            })?;
        return Ok(Authenticated {
            client: client.clone(),
            assertion: None,
        });
    }
    if let Some(jwt) = assertion {
        return private_key_jwt(params, jwt, body_client_id, registry, config, now);
    }
    // 4. No credentials: every registered client here is confidential.
    Err(TokenError::unauthorized(
        "client authentication is required",
    ))
}

fn jwt_fail(description: &'static str) -> TokenError {
    TokenError::bad(OAuthError::InvalidClient, description)
}

/// RFC 7523 §3 and OIDC Core §9 `private_key_jwt`.
fn private_key_jwt(
    params: &Params<'_>,
    jwt: &str,
    body_client_id: Option<&str>,
    registry: &ClientRegistry,
    config: &ProviderConfig,
    now: UnixTime,
) -> Result<Authenticated, TokenError> {
    // 1. The assertion type (RFC 7523 §2.2).
    if params.get("client_assertion_type") != Some(JWT_BEARER) {
        return Err(TokenError::bad(
            OAuthError::InvalidRequest,
            "client_assertion_type must be jwt-bearer",
        ));
    }
    // 2. Read the (unverified) sub to find the client; it is checked below.
    let unverified =
        jose::Jws::parse(jwt).map_err(|_| jwt_fail("client_assertion is malformed"))?;
    let claims: serde_json::Value = serde_json::from_slice(unverified.payload())
        .map_err(|_| jwt_fail("client_assertion claims are malformed"))?;
    let text = |name: &str| claims.get(name).and_then(serde_json::Value::as_str);
    let sub = text("sub").ok_or_else(|| jwt_fail("client_assertion has no sub"))?;
    let client = registry
        .get(sub)
        .filter(|c| c.auth_method == AuthMethod::PrivateKeyJwt)
        .ok_or_else(|| jwt_fail("client authentication failed"))?;
    if body_client_id.is_some_and(|b| b != sub) {
        return Err(jwt_fail("client_id differs from the assertion's sub"));
    }
    // 3. Signature by the client's registered key, ES256 only (RFC 7523 §3
    //    item 9; RFC 8725 §3.1: the alg is ours, not the token's).
    let jwks = client
        .jwks
        .as_ref()
        .ok_or_else(|| jwt_fail("the client has no registered keys"))?;
    jose::verify_compact(jwt, &[Alg::ES256], jwks)
        .map_err(|_| jwt_fail("client_assertion signature does not verify"))?;
    // 4. iss and sub are the client_id (RFC 7523 §3 items 1, 2).
    if text("iss") != Some(client.client_id.as_str()) {
        return Err(jwt_fail("client_assertion iss is not the client"));
    }
    // 5. aud names this provider: the token endpoint or the issuer
    //    (RFC 7523 §3 item 3; OIDC Core §9).
    let aud_ok = |a: &str| a == config.token_endpoint || a == config.issuer;
    let aud_matches = match claims.get("aud") {
        Some(serde_json::Value::String(a)) => aud_ok(a),
        Some(serde_json::Value::Array(v)) => v.iter().filter_map(|a| a.as_str()).any(aud_ok),
        _ => false,
    };
    if !aud_matches {
        return Err(jwt_fail("client_assertion aud is not this provider"));
    }
    // 6. exp is required and not passed; nbf, if present, has come
    //    (RFC 7523 §3 items 4, 5).
    let exp = claims
        .get("exp")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| jwt_fail("client_assertion has no exp"))?;
    if now >= UnixTime(exp).plus(ASSERTION_LEEWAY) {
        return Err(jwt_fail("client_assertion has expired"));
    }
    // RFC 7523 §3 item 4: an exp unreasonably far in the future may be
    // refused; it would make the assertion (and its replay record) live for ever.
    if UnixTime(exp) > now.plus(MAX_ASSERTION_LIFETIME) {
        return Err(jwt_fail("client_assertion exp is too far in the future"));
    }
    if let Some(nbf) = claims.get("nbf").and_then(serde_json::Value::as_u64)
        && UnixTime(nbf) > now.plus(ASSERTION_LEEWAY)
    {
        return Err(jwt_fail("client_assertion is not yet valid"));
    }
    // 7. jti is required so the caller can refuse a replay (OIDC Core §9,
    //    RFC 7523 §3 item 7).
    let jti = text("jti").ok_or_else(|| jwt_fail("client_assertion has no jti"))?;
    let mut id = String::from(client.client_id.as_str());
    id.push('\0');
    id.push_str(jti);
    Ok(Authenticated {
        client: client.clone(),
        assertion: Some(AssertionUse {
            key: StoreKey::of(&id),
            expires_at: UnixTime(exp).plus(ASSERTION_LEEWAY),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_is_form_decoded() {
        // id "a:b" and secret "p&q" form-encoded, then base64.
        let raw = Base64::encode_string(b"a%3Ab:p%26q+r");
        let (id, secret) = parse_basic(&alloc::format!("basic {raw}")).unwrap();
        assert_eq!(id, "a:b");
        assert_eq!(secret, "p&q r");
        assert!(parse_basic("Bearer abc").is_none());
        assert!(parse_basic("Basic !!!").is_none());
    }

    #[test]
    fn form_decode_rejects_bad_escapes() {
        assert_eq!(form_decode("%4"), None);
        assert_eq!(form_decode("%zz"), None);
        assert_eq!(form_decode("a%20b").as_deref(), Some("a b"));
    }
}
