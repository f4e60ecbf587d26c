//! `id_token_verify`: one ES256 front-channel ID token with `c_hash` and
//! `at_hash`, one key, six ways.
//!
//! - `oidc_hybrid_p256` / `oidc_hybrid_fast`: `claims::verify_id_token` with
//!   the default and the `ring` backend: alg allowlist, key by `kid`,
//!   signature, iss, aud, exp, iat, nonce, c_hash, at_hash, and the owned
//!   result.
//! - `p256_bare_verify` / `fast_bare_verify`: the signature alone, key and
//!   signature already decoded: the floor of each backend.
//! - `openidconnect`: what its user writes for the same checks: parse,
//!   `claims()` with a verifier (signature, iss, aud, exp, iat, nonce), then
//!   its `AuthorizationCodeHash` / `AccessTokenHash` helpers compared to the
//!   claims (its `claims()` checks neither).
//! - `jsonwebtoken`: `decode` with a `Validation` (signature, iss, aud, exp),
//!   then nonce, c_hash and at_hash by hand.

use std::hint::black_box;
use std::str::FromStr;

use criterion::{Criterion, criterion_group, criterion_main};
use oidc_hybrid::claims::verify_id_token;
use oidc_hybrid::jose::Backend;
use oidc_hybrid_benches as fx;

fn oidc_hybrid(c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    let token = fx::id_token();
    for (id, backend) in [
        ("oidc_hybrid_p256", Backend::PureRust),
        ("oidc_hybrid_fast", Backend::Fast),
    ] {
        let jwks = fx::jwks(backend);
        let check = fx::check(&jwks);
        verify_id_token(&token, &check).expect("the token verifies");
        c.bench_function(id, |b| {
            b.iter(|| verify_id_token(black_box(&token), black_box(&check)))
        });
    }
}

fn bare(c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    use p256::ecdsa::signature::Verifier as _;
    let token = fx::id_token();
    let (input, sig) = fx::signing_input_and_signature(&token);
    let sec1 = fx::public_sec1(&fx::jwks_json());

    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).expect("P-256 key");
    let signature = p256::ecdsa::Signature::from_slice(&sig).expect("R||S");
    key.verify(input.as_bytes(), &signature)
        .expect("the signature verifies");
    c.bench_function("p256_bare_verify", |b| {
        b.iter(|| black_box(&key).verify(black_box(input.as_bytes()), black_box(&signature)))
    });

    let ring_key =
        ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, &sec1);
    ring_key
        .verify(input.as_bytes(), &sig)
        .expect("the signature verifies");
    c.bench_function("fast_bare_verify", |b| {
        b.iter(|| black_box(&ring_key).verify(black_box(input.as_bytes()), black_box(&sig)))
    });
}

fn openidconnect(c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    use openidconnect::core::{
        CoreIdToken, CoreIdTokenVerifier, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    };
    use openidconnect::{
        AccessToken, AccessTokenHash, AuthorizationCode, AuthorizationCodeHash, ClientId,
        IssuerUrl, Nonce,
    };

    let token = fx::id_token();
    let jwks: CoreJsonWebKeySet = serde_json::from_str(&fx::jwks_json()).expect("JWKS");
    let now = chrono::DateTime::from_timestamp(i64::try_from(fx::IAT).expect("time"), 0)
        .expect("a timestamp");
    let verifier = CoreIdTokenVerifier::new_public_client(
        ClientId::new(fx::CLIENT_ID.into()),
        IssuerUrl::new(fx::ISSUER.into()).expect("issuer URL"),
        jwks,
    )
    .set_allowed_algs([CoreJwsSigningAlgorithm::EcdsaP256Sha256])
    .set_time_fn(move || now);
    let nonce = Nonce::new(fx::NONCE.into());
    let code = AuthorizationCode::new(fx::CODE.into());
    let access_token = AccessToken::new(fx::ACCESS_TOKEN.into());

    let run = |token: &str| -> Result<(), String> {
        let id_token = CoreIdToken::from_str(token).map_err(|e| e.to_string())?;
        let claims = id_token
            .claims(&verifier, &nonce)
            .map_err(|e| e.to_string())?;
        let alg = id_token.signing_alg().map_err(|e| e.to_string())?;
        let key = id_token.signing_key(&verifier).map_err(|e| e.to_string())?;
        let c_hash =
            AuthorizationCodeHash::from_code(&code, alg, key).map_err(|e| e.to_string())?;
        if claims.code_hash() != Some(&c_hash) {
            return Err("c_hash mismatch".into());
        }
        let at_hash =
            AccessTokenHash::from_token(&access_token, alg, key).map_err(|e| e.to_string())?;
        if claims.access_token_hash() != Some(&at_hash) {
            return Err("at_hash mismatch".into());
        }
        black_box(claims);
        Ok(())
    };
    run(&token).expect("openidconnect accepts the token");
    c.bench_function("openidconnect", |b| b.iter(|| run(black_box(&token))));
}

fn jsonwebtoken(c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    use base64ct::{Base64UrlUnpadded, Encoding};
    use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)] // read by the validation, not by the bench
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

    fn half_hash_matches(value: &str, claimed: &str) -> bool {
        let digest = Sha256::digest(value.as_bytes());
        let mut buf = [0u8; 24];
        let Ok(computed) = Base64UrlUnpadded::encode(&digest[..16], &mut buf) else {
            return false;
        };
        computed.len() == claimed.len() && bool::from(computed.as_bytes().ct_eq(claimed.as_bytes()))
    }

    let token = fx::id_token();
    let jwks: serde_json::Value = serde_json::from_str(&fx::jwks_json()).expect("JWKS");
    let key = DecodingKey::from_ec_components(
        jwks["keys"][0]["x"].as_str().expect("x"),
        jwks["keys"][0]["y"].as_str().expect("y"),
    )
    .expect("EC key");
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_issuer(&[fx::ISSUER]);
    validation.set_audience(&[fx::CLIENT_ID]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);

    let run = |token: &str| -> Result<(), String> {
        let data = decode::<Claims>(token, &key, &validation).map_err(|e| e.to_string())?;
        let claims = data.claims;
        if !bool::from(claims.nonce.as_bytes().ct_eq(fx::NONCE.as_bytes())) {
            return Err("nonce mismatch".into());
        }
        if !half_hash_matches(fx::CODE, &claims.c_hash) {
            return Err("c_hash mismatch".into());
        }
        if !half_hash_matches(fx::ACCESS_TOKEN, &claims.at_hash) {
            return Err("at_hash mismatch".into());
        }
        black_box(claims);
        Ok(())
    };
    run(&token).expect("jsonwebtoken accepts the token");
    c.bench_function("jsonwebtoken", |b| b.iter(|| run(black_box(&token))));
}

fn id_token_verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("id_token_verify");
    oidc_hybrid(&mut group);
    bare(&mut group);
    openidconnect(&mut group);
    jsonwebtoken(&mut group);
    group.finish();
}

criterion_group!(benches, id_token_verify);
criterion_main!(benches);
