//! Algorithms beyond ES256: the RFC test vectors, signing round trips,
//! alg confusion, RSA key size, kid collisions, and the provider's
//! RS256/PS256/EdDSA/ES384 recorded exchanges.

use base64ct::Encoding as _;
use oidc_hybrid::claims::{Expectations, HashInputs, IdTokenCheck, UnixTime, verify_id_token};
use oidc_hybrid::encoding::Params;
use oidc_hybrid::jose::{Alg, Jwk, Jwks, PublicKey, SigningKey, sign_hmac_jws, verify_compact};
use oidc_hybrid_harness::fixtures::{Transcript, alg_transcript_paths, decode_jws, fixtures_dir};
use serde_json::{Value, json};

fn vector(name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures_dir().join("rfc").join(name)).expect("vector file");
    serde_json::from_str(&text).expect("vector json")
}

fn jwks_of(v: &Value) -> Jwks {
    Jwks::parse(&serde_json::to_vec(&v["jwks"]).unwrap()).expect("vector jwks")
}

/// Flips one bit in the middle of segment `seg` (0 header, 1 payload, 2 signature),
/// keeping the base64url canonical.
fn alter(token: &str, seg: usize) -> String {
    let mut parts: Vec<String> = token.split('.').map(String::from).collect();
    let s = &mut parts[seg];
    let mid = s.len() / 2;
    let c = s.as_bytes()[mid];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let i = alphabet.iter().position(|&a| a == c).unwrap();
    let repl = alphabet[(i + 1) % 64] as char;
    s.replace_range(mid..=mid, &repl.to_string());
    parts.join(".")
}

fn check_vector(file: &str, alg: Alg) {
    let v = vector(file);
    let jwks = jwks_of(&v);
    let token = v["token"].as_str().unwrap();
    verify_compact(token, &[alg], &jwks).unwrap_or_else(|e| panic!("{file}: {e}"));
    for seg in 0..3 {
        let bad = alter(token, seg);
        let e = verify_compact(&bad, &[alg], &jwks).expect_err("altered token accepted");
        assert!(
            matches!(e.code(), "bad_signature" | "malformed" | "alg_not_allowed"),
            "{file} seg {seg}: {e}"
        );
    }
}

#[test]
fn rfc7515_a2_rs256_verifies() {
    check_vector("rfc7515_a2_rs256.json", Alg::RS256);
}

#[test]
fn rfc7515_a3_es256_verifies() {
    check_vector("rfc7515_a3_es256.json", Alg::ES256);
}

#[test]
fn rfc8037_a4_eddsa_verifies() {
    check_vector("rfc8037_a4_eddsa.json", Alg::EdDSA);
}

#[test]
fn deterministic_signers_reproduce_the_rfc_signatures() {
    // RSASSA-PKCS1-v1_5 and Ed25519 are deterministic: signing the RFC's
    // input with the RFC's key must give the RFC's signature.
    for file in ["rfc7515_a2_rs256.json", "rfc8037_a4_eddsa.json"] {
        let v = vector(file);
        let key = SigningKey::from_jwk(&serde_json::to_vec(&v["private_jwk"]).unwrap())
            .expect("private jwk");
        let token = v["token"].as_str().unwrap();
        let (input, sig) = token.rsplit_once('.').unwrap();
        let mine = base64ct::Base64UrlUnpadded::encode_string(&key.sign(input.as_bytes()));
        assert_eq!(mine, sig, "{file}");
    }
}

#[test]
fn rfc8037_thumbprint() {
    let v = vector("rfc8037_a4_eddsa.json");
    let jwks = jwks_of(&v);
    assert_eq!(
        jwks.keys()[0].thumbprint(),
        v["thumbprint"].as_str().unwrap()
    );
}

#[test]
fn sign_verify_round_trip_every_signing_alg() {
    let es384 = r#"{"kty":"EC","crv":"P-384","d":"ZXRi4s3oKxwVl2YAa1KPYAeuO6n03X_Q3Mj4GzJFh6rCsmc0wG3GQyJQzYOIk_Om"}"#;
    let rsa = serde_json::to_vec(&vector("rfc7515_a2_rs256.json")["private_jwk"]).unwrap();
    let keys = [
        SigningKey::es256_from_bytes(&[3u8; 32]).unwrap(),
        SigningKey::from_jwk(es384.as_bytes()).unwrap(),
        SigningKey::from_jwk(&rsa).unwrap(),
        SigningKey::ed25519_from_seed(&[4u8; 32]),
    ];
    let expect = [Alg::ES256, Alg::ES384, Alg::RS256, Alg::EdDSA];
    for (key, alg) in keys.iter().zip(expect) {
        assert_eq!(key.alg(), alg);
        let token = key.sign_jws(Some("JWT"), br#"{"sub":"alice"}"#);
        let jwks = Jwks::from_keys(vec![key.public_jwk()]);
        verify_compact(&token, &[alg], &jwks).unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(decode_jws(&token).0["kid"], json!(key.kid()));
        assert!(verify_compact(&alter(&token, 1), &[alg], &jwks).is_err());
    }
}

#[test]
fn hmac_keyed_with_the_client_secret() {
    let secret = "hybrid-client-secret-not-secret-0123456789abcdef";
    let jwks = Jwks::from_keys(vec![Jwk {
        kid: None,
        key_use: None,
        alg: None,
        ops_allow_verify: true,
        key: PublicKey::from_client_secret(secret),
    }]);
    for alg in [Alg::HS256, Alg::HS384] {
        let token = sign_hmac_jws(secret, alg, br#"{"sub":"alice"}"#).unwrap();
        verify_compact(&token, &[alg], &jwks).unwrap_or_else(|e| panic!("{alg}: {e}"));
        let other = sign_hmac_jws(
            "another-secret-another-secret-another-secret-0000",
            alg,
            b"{}",
        )
        .unwrap();
        assert_eq!(
            verify_compact(&other, &[alg], &jwks).unwrap_err().code(),
            "bad_signature"
        );
    }
    // RFC 7518 §3.2: a 48-byte secret is too short for HS512.
    assert_eq!(
        sign_hmac_jws(secret, Alg::HS512, b"{}").unwrap_err().code(),
        "invalid_key"
    );
}

#[test]
fn alg_confusion_hs256_with_the_rsa_public_key_is_refused() {
    let v = vector("rfc7515_a2_rs256.json");
    let jwks = jwks_of(&v);
    // The attacker's token: HS256 keyed with the provider's public key text.
    let public_text = serde_json::to_string(&v["jwks"]["keys"][0]).unwrap();
    let forged = sign_hmac_jws(&public_text, Alg::HS256, br#"{"sub":"admin"}"#).unwrap();
    // The client registered RS256: HS256 is not allowed at all.
    assert_eq!(
        verify_compact(&forged, &[Alg::RS256], &jwks)
            .unwrap_err()
            .code(),
        "alg_not_allowed"
    );
    // Even a client that allowed both would find no HMAC key in a JWKS: an
    // RSA key is never used as an HMAC secret.
    assert_eq!(
        verify_compact(&forged, &[Alg::RS256, Alg::HS256], &jwks)
            .unwrap_err()
            .code(),
        "unknown_kid"
    );
    let rsa_key = &jwks.keys()[0].key;
    assert_eq!(
        rsa_key.verify(Alg::HS256, b"x", b"y").unwrap_err().code(),
        "alg_not_allowed"
    );
}

#[test]
fn rsa_keys_under_2048_bits_are_refused() {
    let v = vector("rfc7515_a2_rs256.json");
    let n = v["jwks"]["keys"][0]["n"].as_str().unwrap();
    // The first 1024 bits of the example modulus (odd, so only the size is wrong).
    let mut bytes = base64ct::Base64UrlUnpadded::decode_vec(n).unwrap();
    bytes.truncate(128);
    bytes[127] |= 1;
    let short = base64ct::Base64UrlUnpadded::encode_string(&bytes);
    let doc = json!({"keys": [{"kty": "RSA", "n": short, "e": "AQAB"}]});
    let e = Jwks::parse(&serde_json::to_vec(&doc).unwrap()).unwrap_err();
    assert_eq!(e.code(), "invalid_key", "{e}");
}

#[test]
fn kid_collision_across_key_types_picks_by_alg() {
    let ec = SigningKey::es256_from_bytes(&[8u8; 32])
        .unwrap()
        .with_kid("k1");
    let rsa_jwk = serde_json::to_vec(&vector("rfc7515_a2_rs256.json")["private_jwk"]).unwrap();
    let rsa = SigningKey::from_jwk(&rsa_jwk).unwrap().with_kid("k1");
    let jwks = Jwks::from_keys(vec![ec.public_jwk(), rsa.public_jwk()]);
    let t_ec = ec.sign_jws(None, b"{}");
    let t_rsa = rsa.sign_jws(None, b"{}");
    verify_compact(&t_ec, &[Alg::ES256], &jwks).expect("EC key chosen for ES256");
    verify_compact(&t_rsa, &[Alg::RS256], &jwks).expect("RSA key chosen for RS256");
    // Same kid, other alg: the EC token claiming RS256 finds the RSA key and fails.
    assert!(verify_compact(&t_ec, &[Alg::RS256], &jwks).is_err());
}

#[test]
fn mixed_jwks_with_certificates_and_unknown_members() {
    let v = vector("rfc7515_a2_rs256.json");
    let mut rsa = v["jwks"]["keys"][0].clone();
    rsa["x5c"] = json!(["MIIC+DCCAeCgAwIBAgIJBIGjYW6hFpn2MA0GCSqGSIb3DQEBBQUAMCMxITAfBgNV"]);
    rsa["x5t"] = json!("NjVBRjY5MDlCMUIwNzU4RTA2QzZFMDQ4QzQ2MDAyQjVDNjk1RTM2Qg");
    rsa["kid"] = json!("rsa1");
    let doc = json!({"keys": [
        rsa,
        {"kty": "EC", "crv": "P-521", "x": "AA", "y": "AA", "kid": "p521"},
        {"kty": "OKP", "crv": "X25519", "x": "AA", "kid": "x25519"},
        {"kty": "RSA", "use": "enc", "alg": "RSA-OAEP", "n": v["jwks"]["keys"][0]["n"], "e": "AQAB", "kid": "enc"},
    ]});
    let jwks = Jwks::parse(&serde_json::to_vec(&doc).unwrap()).expect("mixed jwks");
    assert_eq!(
        jwks.keys().len(),
        2,
        "P-521 and X25519 skipped; RSA sig and enc kept"
    );
    // The encryption key is never selected for a signature.
    assert_eq!(
        jwks.select(Alg::RS256, Some("enc")).unwrap_err().code(),
        "unknown_kid"
    );
    assert!(jwks.select(Alg::RS256, Some("rsa1")).is_ok());
    assert!(
        jwks.select(Alg::RS256, None).is_ok(),
        "one usable RS256 key"
    );
}

#[test]
fn recorded_exchanges_signed_with_other_algs_verify() {
    let paths = alg_transcript_paths();
    assert_eq!(paths.len(), 8);
    let mut seen = std::collections::BTreeSet::new();
    for path in paths {
        let t = Transcript::load(&path).unwrap();
        let alg = Alg::parse(t.client["id_token_signed_response_alg"].as_str().unwrap()).unwrap();
        seen.insert(alg.as_str());
        let jwks = Jwks::parse(&t.jwks_bytes()).unwrap();
        let raw = t.raw_callback().to_owned();
        let p = Params::parse(&raw).unwrap();
        let token = p.get("id_token").expect("front-channel id_token");
        let check = IdTokenCheck {
            algs: &[alg],
            jwks: &jwks,
            claims: Expectations {
                issuer: &t.issuer,
                client_id: t.client["client_id"].as_str().unwrap(),
                trusted_audiences: &[],
                nonce: t.request_str("nonce"),
                now: UnixTime(t.time),
                leeway: 0,
                max_age: None,
                require_auth_time: false,
            },
            hashes: HashInputs {
                alg,
                code: p.get("code"),
                access_token: p.get("access_token"),
                state: p.get("state"),
                require_c_hash: true,
                require_at_hash: p.get("access_token").is_some(),
            },
        };
        let id = verify_id_token(token, &check).unwrap_or_else(|e| panic!("{}: {e}", t.case));
        assert_eq!(id.alg, alg);
        // The same token claimed under ES256 (the kit's default) is refused.
        let mut wrong = check;
        wrong.algs = &[Alg::ES256];
        assert_eq!(
            verify_id_token(token, &wrong).unwrap_err().code(),
            "alg_not_allowed"
        );
    }
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        vec!["ES384", "EdDSA", "PS256", "RS256"]
    );
}
