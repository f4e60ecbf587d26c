//! Allocation counts of the hot paths, measured with a counting global
//! allocator.
//!
//! - `hash::verify` (`c_hash`, `at_hash`, `s_hash`; SHA-256, -384, -512)
//!   allocates nothing when the hash matches.
//! - `claims::validate` and `claims::validate_hashes` allocate nothing on
//!   valid claims; `IdTokenClaims::parse` borrows every string claim from
//!   an escape-free payload, so it allocates nothing for one audience.
//! - `jose::verify_compact` allocates once: one buffer for the decoded
//!   header, payload and signature (with either backend).
//!
//! The counter is process-wide and other tests run on other threads, which
//! can only add allocations; each count is the fewest over several runs.

use std::alloc::System;
use std::hint::black_box;

use oidc_hybrid::UnixTime;
use oidc_hybrid::claims::{Expectations, HashInputs, IdTokenClaims, validate, validate_hashes};
use oidc_hybrid::hash::{self, HashClaim, half_hash};
use oidc_hybrid::jose::{Alg, Backend, Jwks, Jws, verify_compact};
use oidc_hybrid_harness::fixtures::fixture_signing_key;
use serde_json::json;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The counter is process-wide: each test holds this lock for its whole
/// body, so no other test of this file allocates while one measures.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Allocations and reallocations made while `f` runs (fewest of 16 runs).
fn allocations(mut f: impl FnMut()) -> usize {
    (0..16)
        .map(|_| {
            let region = Region::new(GLOBAL);
            f();
            let change = region.change();
            change.allocations + change.reallocations
        })
        .min()
        .unwrap_or(usize::MAX)
}

#[test]
fn the_counter_counts() {
    let _serial = serial();
    // Without this, a broken counter would pass every test below.
    assert_eq!(allocations(|| drop(black_box(vec![1u8; 32]))), 1);
    assert_eq!(allocations(|| drop(black_box([1u8; 32].to_vec()))), 1);
    assert_eq!(
        allocations(|| {
            black_box(black_box([1u8; 32]).iter().sum::<u8>());
        }),
        0
    );
}

#[test]
fn hash_verification_allocates_nothing() {
    let _serial = serial();
    let value = b"Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk";
    // SHA-256, SHA-384 and SHA-512 (EdDSA) left halves.
    for alg in [Alg::ES256, Alg::ES384, Alg::EdDSA] {
        let claimed = half_hash(alg, value);
        for claim in [HashClaim::CHash, HashClaim::AtHash, HashClaim::SHash] {
            let n = allocations(|| {
                hash::verify(claim, alg, black_box(value), black_box(&claimed))
                    .expect("the hash matches");
            });
            assert_eq!(n, 0, "{} with {alg}", claim.name());
        }
    }
    // A mismatch builds an error (which allocates): the counter sees it.
    let n = allocations(|| {
        let _ = black_box(hash::verify(
            HashClaim::CHash,
            Alg::ES256,
            value,
            "AAAAAAAAAAAAAAAAAAAAAA",
        ));
    });
    assert!(n > 0);
}

#[test]
fn claim_rules_allocate_nothing_on_valid_claims() {
    let _serial = serial();
    let code = "Jcqq6AUG-RdBDzMbl-EJozgV1Zn1LGCHKBGTTuV55sp";
    let access_token = "eU-SmJl1BVvlyfk3RQQ6_dyp_epssUV_4BBclQcwOdr";
    let state = "l7bTs96t_-7ETaKgd7C6aw";
    let payload = json!({
        "iss": "https://op.example.com",
        "sub": "248289761001",
        "aud": ["hybrid-client", "https://api.example.com"],
        "azp": "hybrid-client",
        "exp": 1_795_394_913u64,
        "iat": 1_795_391_313u64,
        "nbf": 1_795_391_313u64,
        "auth_time": 1_795_391_300u64,
        "nonce": "3QQypddd9BUaIgdq47-aNQ",
        "acr": "urn:mace:incommon:iap:silver",
        "c_hash": half_hash(Alg::ES256, code.as_bytes()).as_str(),
        "at_hash": half_hash(Alg::ES256, access_token.as_bytes()).as_str(),
        "s_hash": half_hash(Alg::ES256, state.as_bytes()).as_str(),
    })
    .to_string();
    let claims = IdTokenClaims::parse(payload.as_bytes()).expect("claims");
    let expectations = Expectations {
        issuer: "https://op.example.com",
        client_id: "hybrid-client",
        trusted_audiences: &["https://api.example.com"],
        nonce: Some("3QQypddd9BUaIgdq47-aNQ"),
        now: UnixTime(1_795_391_320),
        leeway: 60,
        max_age: Some(600),
        require_auth_time: true,
    };
    let inputs = HashInputs {
        alg: Alg::ES256,
        code: Some(code),
        access_token: Some(access_token),
        state: Some(state),
        require_c_hash: true,
        require_at_hash: true,
    };
    let n = allocations(|| {
        validate(black_box(&claims), black_box(&expectations)).expect("valid claims");
    });
    assert_eq!(n, 0, "validate");
    let n = allocations(|| {
        validate_hashes(black_box(&claims), black_box(&inputs)).expect("matching hashes");
    });
    assert_eq!(n, 0, "validate_hashes");
}

#[test]
fn claims_borrow_from_the_payload() {
    let _serial = serial();
    let payload = br#"{"iss":"https://op.example.com","sub":"248289761001","aud":"hybrid-client","exp":1795394913,"iat":1795391313,"nonce":"n-0S6_WzA2Mj","acr":"1","c_hash":"LDktKdoQak3Pk0cnXxCltA","at_hash":"77QmUPtjPfzWtF2AnpK9RQ","s_hash":"ZE1IR2mdredrqsdgheO0zQ","sid":"08a5019c","azp":"hybrid-client"}"#;
    let n = allocations(|| {
        black_box(IdTokenClaims::parse(black_box(payload)).expect("claims"));
    });
    assert_eq!(n, 0);
}

#[test]
fn verify_compact_allocates_once() {
    let _serial = serial();
    let key = fixture_signing_key();
    let token = key.sign_jws(Some("JWT"), br#"{"iss":"https://op.example.com"}"#);
    assert!(Jws::parse(&token).unwrap().kid().is_some());
    for backend in [Backend::PureRust, Backend::Fast] {
        let jwks = Jwks::from_keys(vec![key.public_jwk()]).with_backend(backend);
        let n = allocations(|| {
            verify_compact(black_box(&token), &[Alg::ES256], black_box(&jwks)).expect("verifies");
        });
        assert_eq!(n, 1, "{backend:?}");
    }
}

/// The whole RP callback step on the recorded `code id_token` fragment
/// response: parameters parsed (borrowed), state, iss, the ID token
/// verified and its claims kept in the owned, storable `IdToken`, and the
/// `Callback` built. The count is fixed so a regression shows; each
/// allocation is a value the caller keeps or a decoded buffer.
#[test]
fn the_callback_step_allocates_a_small_fixed_number() {
    let _serial = serial();
    use oidc_hybrid::discovery::ProviderMetadata;
    use oidc_hybrid::rp::{CallbackOutcome, Context, ResponseMode};
    use oidc_hybrid_harness::cli::check::{client_from, pending_from};
    use oidc_hybrid_harness::fixtures::{Transcript, fixtures_dir};

    let t = Transcript::load(
        &fixtures_dir()
            .join("transcripts")
            .join("code_id_token.fragment.json"),
    )
    .unwrap();
    let metadata =
        ProviderMetadata::parse(&serde_json::to_vec(&t.discovery).unwrap(), &t.issuer).unwrap();
    let jwks = Jwks::parse(&t.jwks_bytes()).unwrap();
    let client = client_from(&t.client, 0).unwrap();
    let pending = pending_from(&t.request).unwrap();
    let ctx = Context::new(&client, &metadata, &jwks);
    let raw = t.raw_callback().to_owned();
    let run = || {
        let out = pending.clone().callback(
            black_box(&raw),
            ResponseMode::Fragment,
            UnixTime(t.time),
            &ctx,
        );
        assert!(matches!(out, Ok(CallbackOutcome::Validated(_))));
        drop(black_box(out));
    };
    let clone_only = allocations(|| drop(black_box(pending.clone())));
    let total = allocations(run);
    let callback = total - clone_only;
    println!("callback step: {callback} allocations (plus {clone_only} to clone the PendingAuth)");
    assert_eq!(
        callback, CALLBACK_ALLOCATIONS,
        "the callback step's allocation count changed"
    );
}

/// See `the_callback_step_allocates_a_small_fixed_number`: 23 on the
/// recorded response. One buffer for the decoded JWS; the owned `IdToken`
/// (raw token, iss, sub, aud, nonce) and the code; and, for most of them,
/// the full claims set kept as a `serde_json::Value` (one allocation per
/// claim name and string value, plus the map) for the caller's `name`,
/// `email`, ….
const CALLBACK_ALLOCATIONS: usize = 23;
