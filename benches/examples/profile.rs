//! A loop to profile one benchmark row under callgrind (perf counters are not
//! available everywhere; instruction counts are exact and noise-free):
//!
//! ```sh
//! cargo build --release -p oidc-hybrid-benches --example profile
//! valgrind --tool=callgrind --callgrind-out-file=cg.out \
//!     target/release/examples/profile oidc_hybrid_fast 200
//! callgrind_annotate cg.out | head -40
//! ```
//!
//! Rows: `oidc_hybrid_p256`, `oidc_hybrid_fast`, `p256_bare_verify`,
//! `fast_bare_verify`, `c_hash_verify`, `sha256_bare`.
//!
//! `profile interleaved ROUNDS` times the rows of every target natively,
//! alternating them round by round, and prints each row's fastest and median
//! round and the target ratios: on a machine shared with other work that
//! gives steadier ratios than rows measured one after the other.

use std::hint::black_box;
use std::time::{Duration, Instant};

use oidc_hybrid::claims::verify_id_token;
use oidc_hybrid::hash::{self, HashClaim, half_hash};
use oidc_hybrid::jose::{Alg, Backend};
use oidc_hybrid_benches as fx;
use sha2::{Digest, Sha256};

fn main() {
    let mut args = std::env::args().skip(1);
    let row = args.next().unwrap_or_else(|| "oidc_hybrid_fast".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let token = fx::id_token();
    if row == "interleaved" {
        interleaved(&token, n);
        return;
    }
    match row.as_str() {
        "oidc_hybrid_p256" | "oidc_hybrid_fast" => {
            let backend = if row.ends_with("fast") {
                Backend::FASTEST
            } else {
                Backend::PureRust
            };
            let jwks = fx::jwks(backend);
            let check = fx::check(&jwks);
            for _ in 0..n {
                verify_id_token(black_box(&token), black_box(&check)).expect("verifies");
            }
        }
        "p256_bare_verify" => {
            use p256::ecdsa::signature::Verifier as _;
            let (input, sig) = fx::signing_input_and_signature(&token);
            let sec1 = fx::public_sec1(&fx::jwks_json());
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).expect("key");
            let sig = p256::ecdsa::Signature::from_slice(&sig).expect("sig");
            for _ in 0..n {
                black_box(&key)
                    .verify(black_box(input.as_bytes()), black_box(&sig))
                    .expect("verifies");
            }
        }
        "fast_bare_verify" => {
            let (input, sig) = fx::signing_input_and_signature(&token);
            let sec1 = fx::public_sec1(&fx::jwks_json());
            let key = ring::signature::UnparsedPublicKey::new(
                &ring::signature::ECDSA_P256_SHA256_FIXED,
                &sec1,
            );
            for _ in 0..n {
                black_box(&key)
                    .verify(black_box(input.as_bytes()), black_box(&sig))
                    .expect("verifies");
            }
        }
        "c_hash_verify" | "sha256_bare" => {
            let claimed = half_hash(Alg::ES256, fx::CODE.as_bytes());
            for _ in 0..n {
                if row == "sha256_bare" {
                    black_box(Sha256::digest(black_box(fx::CODE.as_bytes())));
                } else {
                    hash::verify(
                        HashClaim::CHash,
                        Alg::ES256,
                        black_box(fx::CODE.as_bytes()),
                        black_box(&claimed),
                    )
                    .expect("matches");
                }
            }
        }
        other => panic!("unknown row {other}"),
    }
}

/// Every row of the issue's targets, `rounds` times in turn; prints each
/// row's fastest per-call time and the ratios the targets are stated in.
fn interleaved(token: &str, rounds: usize) {
    use p256::ecdsa::signature::{Signer as _, Verifier as _};
    let (input, sig) = fx::signing_input_and_signature(token);
    let sec1 = fx::public_sec1(&fx::jwks_json());
    let p256_key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).expect("key");
    let p256_sig = p256::ecdsa::Signature::from_slice(&sig).expect("sig");
    let ring_key =
        ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, &sec1);
    let pure = fx::jwks(Backend::PureRust);
    let fast = fx::jwks(Backend::FASTEST);
    let (pure_check, fast_check) = (fx::check(&pure), fx::check(&fast));
    let oidc = fx::rivals::OpenIdConnect::new();
    let jwt = fx::rivals::JsonWebToken::new();
    let claimed = half_hash(Alg::ES256, fx::CODE.as_bytes());
    let signing_key = fx::signing_key();
    let p256_signing_key = p256::ecdsa::SigningKey::from_slice(&fx::private_scalar()).expect("d");
    let payload = serde_json::to_vec(&fx::claims()).expect("claims");
    // (row, calls per round, one call)
    let rows: [(&str, u32, &dyn Fn()); 10] = [
        ("id_token_verify/oidc_hybrid_p256", 4, &|| {
            verify_id_token(black_box(token), black_box(&pure_check)).expect("verifies");
        }),
        ("id_token_verify/p256_bare_verify", 4, &|| {
            black_box(&p256_key)
                .verify(black_box(input.as_bytes()), black_box(&p256_sig))
                .expect("verifies");
        }),
        ("id_token_verify/oidc_hybrid_fast", 10, &|| {
            verify_id_token(black_box(token), black_box(&fast_check)).expect("verifies");
        }),
        ("id_token_verify/fast_bare_verify", 10, &|| {
            black_box(&ring_key)
                .verify(black_box(input.as_bytes()), black_box(&sig))
                .expect("verifies");
        }),
        ("id_token_verify/openidconnect", 4, &|| {
            oidc.verify(black_box(token)).expect("verifies");
        }),
        ("id_token_verify/jsonwebtoken", 4, &|| {
            jwt.verify(black_box(token)).expect("verifies");
        }),
        ("hash/c_hash_verify/43", 2000, &|| {
            hash::verify(
                HashClaim::CHash,
                Alg::ES256,
                black_box(fx::CODE.as_bytes()),
                black_box(&claimed),
            )
            .expect("matches");
        }),
        ("hash/sha256_bare/43", 2000, &|| {
            black_box(Sha256::digest(black_box(fx::CODE.as_bytes())));
        }),
        ("op_complete/sign_jws", 10, &|| {
            black_box(black_box(&signing_key).sign_jws(Some("JWT"), black_box(&payload)));
        }),
        ("op_complete/p256_bare_sign", 10, &|| {
            let sig: p256::ecdsa::Signature =
                black_box(&p256_signing_key).sign(black_box(input.as_bytes()));
            black_box(sig);
        }),
    ];
    let mut times: [Vec<Duration>; 10] = Default::default();
    for _ in 0..rounds {
        for (i, (_, calls, f)) in rows.iter().enumerate() {
            let start = Instant::now();
            for _ in 0..*calls {
                f();
            }
            times[i].push(start.elapsed() / *calls);
        }
    }
    let mut best = [Duration::MAX; 10];
    println!("{:<36} {:>12} {:>12}", "row", "fastest µs", "median µs");
    for (i, ((name, _, _), t)) in rows.iter().zip(times.iter_mut()).enumerate() {
        t.sort();
        best[i] = t.first().copied().unwrap_or(Duration::MAX);
        let median = t.get(t.len() / 2).copied().unwrap_or(Duration::MAX);
        println!(
            "{name:<36} {:>12.3} {:>12.3}",
            best[i].as_secs_f64() * 1e6,
            median.as_secs_f64() * 1e6
        );
    }
    println!("ratios of the fastest rounds:");
    let ratio = |a: usize, b: usize| best[a].as_secs_f64() / best[b].as_secs_f64();
    println!(
        "oidc_hybrid_p256 / p256_bare_verify   = {:.3}  (target <= 1.03)",
        ratio(0, 1)
    );
    println!(
        "oidc_hybrid_fast / fast_bare_verify   = {:.3}  (target <= 1.05)",
        ratio(2, 3)
    );
    println!(
        "openidconnect / oidc_hybrid_fast      = {:.2}   (target >= 2.8)",
        ratio(4, 2)
    );
    println!("openidconnect / oidc_hybrid_p256      = {:.2}", ratio(4, 0));
    println!("jsonwebtoken / oidc_hybrid_fast       = {:.2}", ratio(5, 2));
    println!(
        "c_hash_verify / sha256_bare (43 B)    = {:.2}   (target <= 2.5)",
        ratio(6, 7)
    );
    println!("sign_jws / p256_bare_sign             = {:.3}", ratio(8, 9));
}
