//! Client authentication at the token endpoint (OIDC Core §9):
//! `client_secret_basic`, `client_secret_post` and `private_key_jwt`.

use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};
use serde::Serialize;

use crate::claims::UnixTime;
use crate::encoding::form;
use crate::error::{Error, ErrorKind, Result};
use crate::rp::config::{ClientAuth, Context};
use crate::rp::http::{HttpRequest, Method};

/// `client_assertion_type` for a JWT assertion (RFC 7523 §2.2).
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Lifetime of a `private_key_jwt` assertion, seconds: `exp = now + 60`.
pub const ASSERTION_LIFETIME: u64 = 60;

/// What a `private_key_jwt` assertion needs from the caller: a unique `jti`
/// (from the caller's randomness; OIDC Core §9 requires it, RFC 7523 §3
/// uses it against replay) and the clock.
#[derive(Clone, Copy, Debug)]
pub struct AssertionInput<'a> {
    /// The assertion's unique identifier.
    pub jti: &'a str,
    /// The caller's clock: `iat`, and `exp` = `iat` + [`ASSERTION_LIFETIME`].
    pub now: UnixTime,
}

/// The `Authorization` header value of `client_secret_basic`: the client id
/// and secret each `application/x-www-form-urlencoded` first, then joined
/// by `:` and base64-encoded (RFC 6749 §2.3.1, RFC 7617 §2).
pub fn basic_authorization(client_id: &str, secret: &str) -> String {
    let mut pair = String::with_capacity(
        client_id
            .len()
            .saturating_add(secret.len())
            .saturating_add(1),
    );
    form::encode_into(&mut pair, client_id);
    pair.push(':');
    form::encode_into(&mut pair, secret);
    let mut out = String::from("Basic ");
    out.push_str(&Base64::encode_string(pair.as_bytes()));
    out
}

#[derive(Serialize)]
struct AssertionClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    jti: &'a str,
    iat: u64,
    exp: u64,
}

/// Builds a POST to the token endpoint with `params`, authenticated as the
/// context's client.
pub(crate) fn token_endpoint_post(
    ctx: &Context<'_>,
    params: &[(&str, &str)],
    assertion: Option<AssertionInput<'_>>,
) -> Result<HttpRequest> {
    let client = ctx.client;
    let token_endpoint = ctx.metadata.token_endpoint();
    let mut body = form::write(params.iter().copied());
    let mut headers: Vec<(String, String)> = alloc::vec![
        (
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into()
        ),
        ("Accept".into(), "application/json".into()),
    ];
    match client.auth() {
        // RFC 6749 §2.3.1: HTTP Basic, id and secret form-encoded first.
        ClientAuth::ClientSecretBasic(secret) => headers.push((
            "Authorization".into(),
            basic_authorization(client.client_id(), secret.secret()),
        )),
        // RFC 6749 §2.3.1: in the body.
        ClientAuth::ClientSecretPost(secret) => form::append(
            &mut body,
            [
                ("client_id", client.client_id()),
                ("client_secret", secret.secret()),
            ],
        ),
        // RFC 7523 §2.2, §3; OIDC Core §9: iss = sub = client_id, aud = the
        // token endpoint, jti, iat, exp.
        ClientAuth::PrivateKeyJwt(key) => {
            let input = assertion.ok_or_else(|| {
                Error::new(ErrorKind::InvalidConfig, "client_assertion")
                    .expected("a jti and the time for private_key_jwt")
            })?;
            if input.jti.is_empty() {
                return Err(
                    Error::new(ErrorKind::InvalidParameter, "client_assertion.jti")
                        .expected("a unique, non-empty jti"),
                );
            }
            let claims = AssertionClaims {
                iss: client.client_id(),
                sub: client.client_id(),
                aud: token_endpoint,
                jti: input.jti,
                iat: input.now.secs(),
                exp: input.now.plus(ASSERTION_LIFETIME).secs(),
            };
            let payload = serde_json::to_vec(&claims)
                .map_err(|_| Error::new(ErrorKind::Malformed, "client_assertion"))?;
            let jwt = key.sign_jws(Some("JWT"), &payload);
            form::append(
                &mut body,
                [
                    ("client_assertion_type", CLIENT_ASSERTION_TYPE),
                    ("client_assertion", jwt.as_str()),
                ],
            );
        }
    }
    Ok(HttpRequest {
        method: Method::Post,
        url: token_endpoint.into(),
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_form_encodes_before_base64() {
        // RFC 6749 §2.3.1: "a:b" and "p@ss w/rd%" are form-encoded, so the
        // colon in the id cannot be confused with the separator.
        let h = basic_authorization("a:b", "p@ss w/rd%");
        let decoded = Base64::decode_vec(h.strip_prefix("Basic ").unwrap()).unwrap();
        assert_eq!(
            core::str::from_utf8(&decoded).unwrap(),
            "a%3Ab:p%40ss+w%2Frd%25"
        );
        // The recorded exchange's header (plain characters only).
        assert_eq!(
            basic_authorization(
                "hybrid-client",
                "hybrid-client-secret-not-secret-0123456789abcdef"
            ),
            "Basic aHlicmlkLWNsaWVudDpoeWJyaWQtY2xpZW50LXNlY3JldC1ub3Qtc2VjcmV0LTAxMjM0NTY3ODlhYmNkZWY="
        );
    }
}
