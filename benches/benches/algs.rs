//! `verify_alg`: `jose::verify_compact` (alg allowlist, key by kid,
//! signature) for each algorithm, with the default pure-Rust backend and the
//! `fast` (ring) backend. Keys: the fixture provider's RSA (2048-bit),
//! P-384 and Ed25519 keys, a P-256 key, and a 48-byte client secret for HS256.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use oidc_hybrid::jose::{
    Alg, Backend, Jwk, Jwks, PublicKey, SigningKey, sign_hmac_jws, verify_compact,
};

const KEYS_ALGS: &str = include_str!("../../harness/tests/fixtures/keys/keys-algs.json");
const SECRET: &str = "hybrid-client-secret-not-secret-0123456789abcdef";
const PAYLOAD: &[u8] = br#"{"iss":"https://op.example.com","sub":"alice","aud":"hybrid-client","exp":4102444800,"iat":1795391313,"nonce":"n"}"#;

fn key(kty: &str, alg: Alg) -> SigningKey {
    let doc: serde_json::Value = serde_json::from_str(KEYS_ALGS).expect("keys-algs.json");
    let mut jwk = doc["keys"]
        .as_array()
        .and_then(|k| k.iter().find(|k| k["kty"] == kty).cloned())
        .expect("a key of that type");
    jwk["alg"] = alg.as_str().into();
    SigningKey::from_jwk(&serde_json::to_vec(&jwk).expect("jwk")).expect("signing key")
}

fn verify_alg(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify_alg");
    let mut cases: Vec<(Alg, String, Jwks)> = Vec::new();
    for (alg, k) in [
        (
            Alg::ES256,
            SigningKey::es256_from_bytes(&[7; 32]).expect("key"),
        ),
        (Alg::ES384, key("EC", Alg::ES384)),
        (Alg::RS256, key("RSA", Alg::RS256)),
        (Alg::EdDSA, key("OKP", Alg::EdDSA)),
    ] {
        let token = k.sign_jws(Some("JWT"), PAYLOAD);
        cases.push((alg, token, Jwks::from_keys(vec![k.public_jwk()])));
    }
    // PS256 signing needs a random salt, which the core never makes: PS256 is
    // measured on the certified provider's recorded ID token (the same
    // 2048-bit RSA key).
    let ps = include_str!(
        "../../harness/tests/fixtures/transcripts-algs/ps256.code_id_token.form_post.json"
    );
    let t: serde_json::Value = serde_json::from_str(ps).expect("transcript");
    let raw = t["authorization_response"]["raw"].as_str().expect("raw");
    let token = raw
        .split('&')
        .find_map(|p| p.strip_prefix("id_token="))
        .expect("id_token")
        .to_owned();
    let jwks = Jwks::parse(&serde_json::to_vec(&t["jwks"]).expect("jwks")).expect("jwks");
    cases.push((Alg::PS256, token, jwks));
    let hs = sign_hmac_jws(SECRET, Alg::HS256, PAYLOAD).expect("hs256");
    let oct = Jwks::from_keys(vec![Jwk {
        kid: None,
        key_use: None,
        alg: None,
        ops_allow_verify: true,
        key: PublicKey::from_client_secret(SECRET),
    }]);
    cases.push((Alg::HS256, hs, oct));

    for (alg, token, jwks) in &cases {
        for backend in [Backend::PureRust, Backend::Fast] {
            let jwks = jwks.clone().with_backend(backend);
            verify_compact(token, &[*alg], &jwks).expect("verifies");
            group.bench_function(format!("{alg}/{}", backend.name()), |b| {
                b.iter(|| verify_compact(black_box(token), &[*alg], &jwks).expect("valid"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, verify_alg);
criterion_main!(benches);
