//! `op_complete`: the provider minting an ID token. `p256_bare_sign` is
//! ECDSA P-256 (RFC 6979) over the signing input of the benchmark ID token:
//! the floor of every ES256 mint, with either backend (signing is RustCrypto
//! in both; see `oidc_hybrid::jose::backend`). `sign_jws` is the core's
//! `SigningKey::sign_jws`: header JSON, base64url, signature, assembly.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use oidc_hybrid_benches as fx;

fn op_complete(c: &mut Criterion) {
    use p256::ecdsa::signature::Signer as _;

    let mut group = c.benchmark_group("op_complete");
    let token = fx::id_token();
    let (input, _) = fx::signing_input_and_signature(&token);
    let key = p256::ecdsa::SigningKey::from_slice(&fx::private_scalar()).expect("P-256 scalar");
    group.bench_function("p256_bare_sign", |b| {
        b.iter(|| -> p256::ecdsa::Signature { black_box(&key).sign(black_box(input.as_bytes())) })
    });

    let signing_key = fx::signing_key();
    let payload = serde_json::to_vec(&fx::claims()).expect("claims");
    group.bench_function("sign_jws", |b| {
        b.iter(|| black_box(&signing_key).sign_jws(Some("JWT"), black_box(&payload)))
    });
    group.finish();
}

criterion_group!(benches, op_complete);
criterion_main!(benches);
