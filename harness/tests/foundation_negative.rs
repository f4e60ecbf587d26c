//! One negative test per error code of the foundation layers: a recorded ID
//! token edited so that the named defect is its only one, re-signed with the
//! fixture provider key, must be rejected with exactly that code.

use oidc_hybrid::claims::{Expectations, HashInputs, IdTokenCheck, UnixTime, verify_id_token};
use oidc_hybrid::encoding::Params;
use oidc_hybrid::jose::{Alg, Jwks, SigningKey};
use oidc_hybrid::{Error, hash};
use oidc_hybrid_harness::fixtures::{
    Transcript, decode_jws, fixture_signing_key, fixtures_dir, resign, sign_raw,
};
use serde_json::{Value, json};

struct Case {
    t: Transcript,
    token: String,
    code: String,
    access_token: String,
    state: String,
    jwks: Jwks,
}

fn case() -> Case {
    let t = Transcript::load(
        &fixtures_dir()
            .join("transcripts")
            .join("code_id_token_token.fragment.json"),
    )
    .expect("fixture");
    let raw = t.raw_callback().to_owned();
    let p = Params::parse(&raw).expect("callback");
    let jwks = Jwks::parse(&t.jwks_bytes()).expect("jwks");
    Case {
        token: p.get("id_token").expect("id_token").into(),
        code: p.get("code").expect("code").into(),
        access_token: p.get("access_token").expect("access_token").into(),
        state: p.get("state").expect("state").into(),
        jwks,
        t,
    }
}

struct Opts {
    max_age: Option<u64>,
    nonce: Option<String>,
    algs: Vec<Alg>,
}

impl Case {
    fn check(&self, token: &str) -> Result<(), Error> {
        self.check_with(
            token,
            &self.jwks,
            &Opts {
                max_age: None,
                nonce: self.nonce(),
                algs: vec![Alg::ES256],
            },
        )
    }

    fn nonce(&self) -> Option<String> {
        self.t.request_str("nonce").map(String::from)
    }

    fn check_with(&self, token: &str, jwks: &Jwks, o: &Opts) -> Result<(), Error> {
        let check = IdTokenCheck {
            algs: &o.algs,
            jwks,
            claims: Expectations {
                issuer: &self.t.issuer,
                client_id: "hybrid-client",
                trusted_audiences: &[],
                nonce: o.nonce.as_deref(),
                now: UnixTime(self.t.time),
                leeway: 30,
                max_age: o.max_age,
                require_auth_time: false,
            },
            hashes: HashInputs {
                alg: Alg::ES256,
                code: Some(&self.code),
                access_token: Some(&self.access_token),
                state: Some(&self.state),
                require_c_hash: true,
                require_at_hash: true,
            },
        };
        verify_id_token(token, &check).map(|_| ())
    }

    fn edited(&self, edit: impl FnOnce(&mut Value)) -> String {
        resign(&self.token, &fixture_signing_key(), edit)
    }
}

fn assert_code(r: Result<(), Error>, code: &str) {
    match r {
        Ok(()) => panic!("accepted; expected {code}"),
        Err(e) => assert_eq!(e.code(), code, "{e}"),
    }
}

#[test]
fn baseline_resigned_token_is_accepted() {
    let c = case();
    c.check(&c.token).expect("recorded token");
    c.check(&c.edited(|_| {}))
        .expect("re-signed unchanged token");
}

#[test]
fn bad_signature() {
    let c = case();
    // Same claims, same kid, signed by another key.
    let other = SigningKey::es256_from_bytes(&[9u8; 32])
        .unwrap()
        .with_kid(fixture_signing_key().kid());
    assert_code(c.check(&resign(&c.token, &other, |_| {})), "bad_signature");
    // A signature of the wrong length.
    let (head, _) = c.token.rsplit_once('.').unwrap();
    assert_code(c.check(&format!("{head}.AAAA")), "bad_signature");
}

#[test]
fn alg_not_allowed() {
    let c = case();
    let (header, claims) = decode_jws(&c.token);
    let key = fixture_signing_key();
    for alg in ["none", "HS256", "RS256", "ES384", "es256"] {
        let mut h = header.clone();
        h["alg"] = json!(alg);
        assert_code(c.check(&sign_raw(&h, &claims, &key)), "alg_not_allowed");
    }
    // Registered alg RS256: a genuine ES256 token is refused.
    let o = Opts {
        max_age: None,
        nonce: c.nonce(),
        algs: vec![Alg::RS256],
    };
    assert_code(c.check_with(&c.token, &c.jwks, &o), "alg_not_allowed");
}

#[test]
fn unknown_kid() {
    let c = case();
    let (mut header, claims) = decode_jws(&c.token);
    header["kid"] = json!("rotated-away");
    assert_code(
        c.check(&sign_raw(&header, &claims, &fixture_signing_key())),
        "unknown_kid",
    );
}

#[test]
fn ambiguous_key_without_kid() {
    let c = case();
    let (mut header, claims) = decode_jws(&c.token);
    header.as_object_mut().unwrap().remove("kid");
    let token = sign_raw(&header, &claims, &fixture_signing_key());
    // One usable key: chosen.
    c.check(&token).expect("a single key needs no kid");
    // Two usable keys: refusing to guess.
    let other = SigningKey::es256_from_bytes(&[5u8; 32]).unwrap();
    let two = Jwks::from_keys(vec![c.jwks.keys()[0].clone(), other.public_jwk()]);
    let o = Opts {
        max_age: None,
        nonce: c.nonce(),
        algs: vec![Alg::ES256],
    };
    assert_code(c.check_with(&token, &two, &o), "ambiguous_key");
}

#[test]
fn invalid_key_in_jwks() {
    // x, y not on P-256.
    let doc = br#"{"keys":[{"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB"}]}"#;
    assert_eq!(Jwks::parse(doc).unwrap_err().code(), "invalid_key");
    // Unknown key types and curves are skipped, not fatal.
    let mixed = br#"{"keys":[{"kty":"RSA-X","n":"AQAB"},{"kty":"EC","crv":"P-999","x":"AA","y":"AA"},{"kty":"oct","k":"AA"}]}"#;
    assert_eq!(Jwks::parse(mixed).unwrap().keys().len(), 0);
}

#[test]
fn invalid_issuer() {
    let c = case();
    assert_code(
        c.check(&c.edited(|p| p["iss"] = json!("http://127.0.0.1:4011"))),
        "invalid_issuer",
    );
    assert_code(
        c.check(&c.edited(|p| p["iss"] = json!("http://127.0.0.1:4010/"))),
        "invalid_issuer",
    );
    assert_code(
        c.check(&c.edited(|p| {
            p.as_object_mut().unwrap().remove("iss");
        })),
        "invalid_issuer",
    );
}

#[test]
fn invalid_audience() {
    let c = case();
    assert_code(
        c.check(&c.edited(|p| p["aud"] = json!("other-client"))),
        "invalid_audience",
    );
    // An untrusted extra audience, even with azp = this client.
    assert_code(
        c.check(&c.edited(|p| {
            p["aud"] = json!(["hybrid-client", "evil-client"]);
            p["azp"] = json!("hybrid-client");
        })),
        "invalid_audience",
    );
    assert_code(
        c.check(&c.edited(|p| {
            p.as_object_mut().unwrap().remove("aud");
        })),
        "invalid_audience",
    );
}

#[test]
fn azp_missing_and_mismatch() {
    let c = case();
    let t = c.edited(|p| p["aud"] = json!(["hybrid-client", "trusted-api"]));
    let check = |token: &str| {
        let check = IdTokenCheck {
            algs: &[Alg::ES256],
            jwks: &c.jwks,
            claims: Expectations {
                issuer: &c.t.issuer,
                client_id: "hybrid-client",
                trusted_audiences: &["trusted-api"],
                nonce: c.t.request_str("nonce"),
                now: UnixTime(c.t.time),
                leeway: 30,
                max_age: None,
                require_auth_time: false,
            },
            hashes: HashInputs {
                alg: Alg::ES256,
                code: Some(&c.code),
                access_token: Some(&c.access_token),
                state: Some(&c.state),
                require_c_hash: true,
                require_at_hash: true,
            },
        };
        verify_id_token(token, &check).map(|_| ())
    };
    assert_code(check(&t), "azp_missing");
    let ok = c.edited(|p| {
        p["aud"] = json!(["hybrid-client", "trusted-api"]);
        p["azp"] = json!("hybrid-client");
    });
    check(&ok).expect("trusted second audience with azp");
    assert_code(
        c.check(&c.edited(|p| p["azp"] = json!("other-client"))),
        "azp_mismatch",
    );
}

#[test]
fn time_rules() {
    let c = case();
    let now = c.t.time;
    assert_code(
        c.check(&c.edited(|p| p["exp"] = json!(now - 31))),
        "expired",
    );
    // Inside the leeway is fine.
    c.check(&c.edited(|p| p["exp"] = json!(now - 29)))
        .expect("exp within leeway");
    assert_code(
        c.check(&c.edited(|p| p["iat"] = json!(now + 31))),
        "iat_in_future",
    );
    c.check(&c.edited(|p| p["iat"] = json!(now + 29)))
        .expect("iat within leeway");
    assert_code(
        c.check(&c.edited(|p| p["nbf"] = json!(now + 31))),
        "not_yet_valid",
    );
    c.check(&c.edited(|p| p["nbf"] = json!(now)))
        .expect("nbf now");
}

#[test]
fn nonce_rules() {
    let c = case();
    assert_code(
        c.check(&c.edited(|p| p["nonce"] = json!("another-nonce"))),
        "nonce_mismatch",
    );
    assert_code(
        c.check(&c.edited(|p| {
            p.as_object_mut().unwrap().remove("nonce");
        })),
        "nonce_missing",
    );
}

#[test]
fn max_age_rules() {
    let c = case();
    let o = Opts {
        max_age: Some(300),
        nonce: c.nonce(),
        algs: vec![Alg::ES256],
    };
    let t = c.edited(|p| {
        p.as_object_mut().unwrap().remove("auth_time");
    });
    assert_code(c.check_with(&t, &c.jwks, &o), "auth_time_missing");
    let old = c.edited(|p| p["auth_time"] = json!(c.t.time - 1000));
    assert_code(c.check_with(&old, &c.jwks, &o), "max_age_exceeded");
    let fresh = c.edited(|p| p["auth_time"] = json!(c.t.time - 100));
    c.check_with(&fresh, &c.jwks, &o)
        .expect("recent authentication");
}

#[test]
fn hash_rules() {
    let c = case();
    let wrong = hash::half_hash(Alg::ES256, b"something else").to_string();
    assert_code(
        c.check(&c.edited(|p| p["c_hash"] = json!(wrong))),
        "c_hash_mismatch",
    );
    assert_code(
        c.check(&c.edited(|p| {
            p.as_object_mut().unwrap().remove("c_hash");
        })),
        "c_hash_missing",
    );
    assert_code(
        c.check(&c.edited(|p| p["at_hash"] = json!(wrong))),
        "at_hash_mismatch",
    );
    assert_code(
        c.check(&c.edited(|p| {
            p.as_object_mut().unwrap().remove("at_hash");
        })),
        "at_hash_missing",
    );
    assert_code(
        c.check(&c.edited(|p| p["s_hash"] = json!(wrong))),
        "s_hash_mismatch",
    );
    // s_hash is optional.
    c.check(&c.edited(|p| {
        p.as_object_mut().unwrap().remove("s_hash");
    }))
    .expect("s_hash optional");
    // A hash computed with SHA-384 (the wrong family for ES256).
    let c384 = hash::half_hash(Alg::ES384, c.code.as_bytes()).to_string();
    assert_code(
        c.check(&c.edited(|p| p["c_hash"] = json!(c384))),
        "c_hash_mismatch",
    );
}

#[test]
fn unsupported_hash_alg() {
    assert_eq!(
        hash::HashAlg::for_alg_name("none").unwrap_err().code(),
        "unsupported_hash_alg"
    );
    assert_eq!(
        hash::HashAlg::for_alg_name("ES256K").unwrap_err().code(),
        "unsupported_hash_alg"
    );
}

#[test]
fn malformed_tokens_and_claims() {
    let c = case();
    assert_code(
        c.check(&c.edited(|p| p["exp"] = json!("tomorrow"))),
        "malformed",
    );
    assert_code(
        c.check(&c.edited(|p| {
            p.as_object_mut().unwrap().remove("sub");
        })),
        "malformed",
    );
    assert_code(
        c.check(&c.edited(|p| {
            p.as_object_mut().unwrap().remove("exp");
        })),
        "malformed",
    );
    assert_code(
        c.check(&c.edited(|p| {
            p.as_object_mut().unwrap().remove("iat");
        })),
        "malformed",
    );
    assert_code(
        c.check(&c.edited(|p| *p = json!(["not", "an", "object"]))),
        "malformed",
    );
    assert_code(c.check("not-a-jwt"), "malformed");
    assert_code(c.check(&format!("{}.x", c.token)), "malformed");
}

#[test]
fn too_large_and_duplicate_parameter() {
    let c = case();
    let huge = c.edited(|p| p["pad"] = json!("x".repeat(20_000)));
    assert_code(c.check(&huge), "too_large");
    let dup = format!("{}&state={}", c.t.raw_callback(), c.state);
    assert_eq!(
        Params::parse(&dup).unwrap_err().code(),
        "duplicate_parameter"
    );
}
