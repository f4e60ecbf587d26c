//! `hash`: `c_hash` verification (OIDC Core §3.3.2.11) against the SHA-256
//! it is built on, over authorization codes of 16, 43, 128 and 512 bytes.
//!
//! `c_hash_verify` is `hash::verify`: SHA-256, the left half encoded
//! base64url (constant time), compared in constant time, no allocation.
//! `sha256_bare` is `Sha256::digest` of the same bytes: the floor.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use oidc_hybrid::hash::{self, HashClaim, half_hash};
use oidc_hybrid::jose::Alg;
use sha2::{Digest, Sha256};

/// An authorization code of `len` base64url characters.
fn code(len: usize) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..len)
        .map(|i| char::from(alphabet[(i * 7 + 3) % 64]))
        .collect()
}

fn hash_group(c: &mut Criterion) {
    let mut group = c.benchmark_group("hash");
    for len in [16usize, 43, 128, 512] {
        let code = code(len);
        let claimed = half_hash(Alg::ES256, code.as_bytes());
        hash::verify(HashClaim::CHash, Alg::ES256, code.as_bytes(), &claimed)
            .expect("the c_hash matches");
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_with_input(BenchmarkId::new("c_hash_verify", len), &code, |b, code| {
            b.iter(|| {
                hash::verify(
                    HashClaim::CHash,
                    Alg::ES256,
                    black_box(code.as_bytes()),
                    black_box(&claimed),
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("sha256_bare", len), &code, |b, code| {
            b.iter(|| Sha256::digest(black_box(code.as_bytes())))
        });
    }
    group.finish();
}

criterion_group!(benches, hash_group);
criterion_main!(benches);
