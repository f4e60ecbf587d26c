//! The fixed exchange the fuzz targets are built around
//! (`oidc_hybrid_harness::sim::fixed`, included by path in `fuzz/`), and
//! the seed corpora made from it: every exchange validates end to end, and
//! the checked-in seeds are exactly what it builds today (so a change to
//! either core cannot silently leave the fuzzers seeded with inputs that
//! no longer reach the interesting code). `WRITE_FUZZ_SEEDS=1` rewrites
//! them.

use std::path::PathBuf;

use oidc_hybrid::rp::{CallbackOutcome, ResponseType};
use oidc_hybrid_harness::sim::fixed::{self, Fixed};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("fuzz")
        .join("corpus")
}

fn slug(t: ResponseType) -> String {
    t.as_str().replace(' ', "_")
}

/// Every seed: (target, file name, bytes).
fn seeds(f: &Fixed) -> Vec<(&'static str, String, Vec<u8>)> {
    let mut out = vec![
        (
            "discovery",
            "seed-provider".to_owned(),
            f.discovery.clone().into_bytes(),
        ),
        (
            "discovery",
            "seed-minimal".to_owned(),
            format!(
                r#"{{"issuer":"{i}","authorization_endpoint":"{i}/a","token_endpoint":"{i}/t","jwks_uri":"{i}/j"}}"#,
                i = fixed::ISSUER
            )
            .into_bytes(),
        ),
        (
            "token_response",
            "seed-code_id_token".to_owned(),
            f.exchange(ResponseType::CodeIdToken)
                .token_response
                .clone()
                .into_bytes(),
        ),
    ];
    let code = f.exchange(ResponseType::CodeIdToken);
    out.push((
        "op_token_request",
        "seed-authorization_code".to_owned(),
        format!(
            "{}\n{}",
            code.token_request_authorization, code.token_request_body
        )
        .into_bytes(),
    ));
    out.push((
        "op_token_request",
        "seed-refresh_post".to_owned(),
        format!(
            "\ngrant_type=refresh_token&refresh_token=rt&client_id={}&client_secret={}",
            fixed::POST_CLIENT_ID,
            fixed::POST_SECRET
        )
        .into_bytes(),
    ));
    for (i, ex) in f.exchanges.iter().enumerate() {
        let t = slug(ex.response_type);
        out.push((
            "op_authorize",
            format!("seed-{t}"),
            ex.authorization_query.clone().into_bytes(),
        ));
        let mut cb = vec![u8::try_from(i).unwrap()];
        cb.extend_from_slice(ex.response.as_bytes());
        out.push(("rp_callback", format!("seed-{t}"), cb));
    }
    out
}

#[test]
fn every_fixed_exchange_validates_end_to_end() {
    let f = Fixed::new();
    let ctx = f.ctx();
    assert_eq!(f.exchanges.len(), ResponseType::ALL.len());
    for ex in &f.exchanges {
        let again = ex
            .pending
            .clone()
            .callback(&ex.response, ex.mode, fixed::NOW, &ctx)
            .unwrap();
        assert_eq!(again, CallbackOutcome::Validated(ex.callback.clone()));
        let session = ex
            .callback
            .token_response(
                &ctx,
                200,
                "application/json",
                ex.token_response.as_bytes(),
                fixed::NOW,
            )
            .unwrap_or_else(|e| panic!("{}: {e}", ex.response_type));
        assert_eq!(session.sub(), fixed::SUB);
    }
}

#[test]
fn the_fixed_exchange_is_deterministic() {
    let (a, b) = (Fixed::new(), Fixed::new());
    assert_eq!(seeds(&a), seeds(&b));
}

#[test]
fn the_checked_in_seeds_are_the_fixed_exchange() {
    let f = Fixed::new();
    let write = std::env::var_os("WRITE_FUZZ_SEEDS").is_some();
    for (target, name, bytes) in seeds(&f) {
        let path = corpus().join(target).join(&name);
        if write {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let on_disk = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (WRITE_FUZZ_SEEDS=1 writes it)", path.display()));
        assert!(
            on_disk == bytes,
            "{} differs from the fixed exchange (WRITE_FUZZ_SEEDS=1 rewrites it)",
            path.display()
        );
    }
}
