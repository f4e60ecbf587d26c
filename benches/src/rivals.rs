//! The same ID token check written as a user of the crates one would pick
//! instead writes it, so that `id_token_verify` compares like with like.

use std::hint::black_box;
use std::str::FromStr;

use base64ct::{Base64UrlUnpadded, Encoding};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// `openidconnect` 4: parse, `claims()` with a verifier (signature, alg,
/// iss, aud, exp, iat, nonce), then its `AuthorizationCodeHash` /
/// `AccessTokenHash` helpers compared with the claims (its `claims()` checks
/// neither `c_hash` nor `at_hash`).
pub struct OpenIdConnect {
    verifier: openidconnect::core::CoreIdTokenVerifier<'static>,
    nonce: openidconnect::Nonce,
    code: openidconnect::AuthorizationCode,
    access_token: openidconnect::AccessToken,
}

impl OpenIdConnect {
    /// The verifier for the benchmark token, key and clock.
    pub fn new() -> Self {
        use openidconnect::core::{
            CoreIdTokenVerifier, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
        };
        use openidconnect::{AccessToken, AuthorizationCode, ClientId, IssuerUrl, Nonce};
        let jwks: CoreJsonWebKeySet = serde_json::from_str(&crate::jwks_json()).expect("JWKS");
        let now = chrono::DateTime::from_timestamp(i64::try_from(crate::IAT).expect("time"), 0)
            .expect("a timestamp");
        let verifier = CoreIdTokenVerifier::new_public_client(
            ClientId::new(crate::CLIENT_ID.into()),
            IssuerUrl::new(crate::ISSUER.into()).expect("issuer URL"),
            jwks,
        )
        .set_allowed_algs([CoreJwsSigningAlgorithm::EcdsaP256Sha256])
        .set_time_fn(move || now);
        Self {
            verifier,
            nonce: Nonce::new(crate::NONCE.into()),
            code: AuthorizationCode::new(crate::CODE.into()),
            access_token: AccessToken::new(crate::ACCESS_TOKEN.into()),
        }
    }

    /// The whole check of `token`.
    pub fn verify(&self, token: &str) -> Result<(), String> {
        use openidconnect::core::CoreIdToken;
        use openidconnect::{AccessTokenHash, AuthorizationCodeHash};
        let id_token = CoreIdToken::from_str(token).map_err(|e| e.to_string())?;
        let claims = id_token
            .claims(&self.verifier, &self.nonce)
            .map_err(|e| e.to_string())?;
        let alg = id_token.signing_alg().map_err(|e| e.to_string())?;
        let key = id_token
            .signing_key(&self.verifier)
            .map_err(|e| e.to_string())?;
        let c_hash =
            AuthorizationCodeHash::from_code(&self.code, alg, key).map_err(|e| e.to_string())?;
        if claims.code_hash() != Some(&c_hash) {
            return Err("c_hash mismatch".into());
        }
        let at_hash =
            AccessTokenHash::from_token(&self.access_token, alg, key).map_err(|e| e.to_string())?;
        if claims.access_token_hash() != Some(&at_hash) {
            return Err("at_hash mismatch".into());
        }
        black_box(claims);
        Ok(())
    }
}

impl Default for OpenIdConnect {
    fn default() -> Self {
        Self::new()
    }
}

/// The claims `jsonwebtoken` decodes for the check.
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read by the validation, not by the benchmark
struct Claims {
    iss: String,
    sub: String,
    aud: String,
    exp: u64,
    iat: u64,
    nonce: String,
    c_hash: String,
    at_hash: String,
}

/// `jsonwebtoken` 11 (`rust_crypto`): `decode` with a `Validation`
/// (signature, alg, iss, aud, exp; it reads the wall clock), then nonce,
/// `c_hash` and `at_hash` by hand with `sha2`, `base64ct` and `subtle`.
pub struct JsonWebToken {
    key: jsonwebtoken::DecodingKey,
    validation: jsonwebtoken::Validation,
}

fn half_hash_matches(value: &str, claimed: &str) -> bool {
    let digest = Sha256::digest(value.as_bytes());
    let mut buf = [0u8; 24];
    let Ok(computed) = Base64UrlUnpadded::encode(&digest[..16], &mut buf) else {
        return false;
    };
    computed.len() == claimed.len() && bool::from(computed.as_bytes().ct_eq(claimed.as_bytes()))
}

impl JsonWebToken {
    /// The key and validation for the benchmark token.
    pub fn new() -> Self {
        use jsonwebtoken::{Algorithm, DecodingKey, Validation};
        let jwks: serde_json::Value = serde_json::from_str(&crate::jwks_json()).expect("JWKS");
        let key = DecodingKey::from_ec_components(
            jwks["keys"][0]["x"].as_str().expect("x"),
            jwks["keys"][0]["y"].as_str().expect("y"),
        )
        .expect("EC key");
        let mut validation = Validation::new(Algorithm::ES256);
        validation.set_issuer(&[crate::ISSUER]);
        validation.set_audience(&[crate::CLIENT_ID]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        Self { key, validation }
    }

    /// The whole check of `token`.
    pub fn verify(&self, token: &str) -> Result<(), String> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation)
            .map_err(|e| e.to_string())?;
        let claims = data.claims;
        if !bool::from(claims.nonce.as_bytes().ct_eq(crate::NONCE.as_bytes())) {
            return Err("nonce mismatch".into());
        }
        if !half_hash_matches(crate::CODE, &claims.c_hash) {
            return Err("c_hash mismatch".into());
        }
        if !half_hash_matches(crate::ACCESS_TOKEN, &claims.at_hash) {
            return Err("at_hash mismatch".into());
        }
        black_box(claims);
        Ok(())
    }
}

impl Default for JsonWebToken {
    fn default() -> Self {
        Self::new()
    }
}
