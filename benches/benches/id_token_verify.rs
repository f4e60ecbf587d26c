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

fn rivals(c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    let token = fx::id_token();
    let oidc = fx::rivals::OpenIdConnect::new();
    oidc.verify(&token)
        .expect("openidconnect accepts the token");
    c.bench_function("openidconnect", |b| {
        b.iter(|| oidc.verify(black_box(&token)))
    });
    let jwt = fx::rivals::JsonWebToken::new();
    jwt.verify(&token).expect("jsonwebtoken accepts the token");
    c.bench_function("jsonwebtoken", |b| b.iter(|| jwt.verify(black_box(&token))));
}

fn id_token_verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("id_token_verify");
    oidc_hybrid(&mut group);
    bare(&mut group);
    rivals(&mut group);
    group.finish();
}

criterion_group!(benches, id_token_verify);
criterion_main!(benches);
