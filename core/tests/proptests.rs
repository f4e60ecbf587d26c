//! Property tests of the foundation layers against independent computations.

use base64ct::{Base64UrlUnpadded, Encoding};
use oidc_hybrid::claims::IdTokenClaims;
use oidc_hybrid::encoding::{Params, form};
use oidc_hybrid::hash::{HashClaim, half_hash, verify};
use oidc_hybrid::jose::{Alg, Jwk, Jwks, Jws, SigningKey, verify_compact};
use proptest::prelude::*;
use sha2::{Digest, Sha256, Sha384, Sha512};

fn params_strategy() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::btree_map("[a-zA-Z_][a-zA-Z0-9_.%+& =-]{0,12}", "\\PC{1,40}", 0..12)
        .prop_map(|m| m.into_iter().collect())
}

fn key() -> SigningKey {
    SigningKey::es256_from_bytes(&[0x42; 32]).expect("fixed scalar is valid")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// parse ∘ write is the identity on parameter lists with unique names.
    #[test]
    fn form_write_then_parse_is_identity(params in params_strategy()) {
        let written = form::write(params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let parsed = Params::parse(&written).expect("written parameters parse");
        let back: Vec<(String, String)> = parsed.iter().map(|(n, v)| (n.into(), v.into())).collect();
        prop_assert_eq!(back, params);
    }

    /// Hashes equal a computation done here with sha2 and base64ct directly.
    #[test]
    fn half_hash_matches_independent_computation(value in proptest::collection::vec(any::<u8>(), 0..600)) {
        let d256 = Sha256::digest(&value);
        let d384 = Sha384::digest(&value);
        let d512 = Sha512::digest(&value);
        let expect = [
            (Alg::ES256, Base64UrlUnpadded::encode_string(&d256[..16])),
            (Alg::RS384, Base64UrlUnpadded::encode_string(&d384[..24])),
            (Alg::EdDSA, Base64UrlUnpadded::encode_string(&d512[..32])),
            (Alg::PS512, Base64UrlUnpadded::encode_string(&d512[..32])),
        ];
        for (alg, want) in expect {
            let got = half_hash(alg, &value);
            prop_assert_eq!(got.as_str(), want.as_str());
            prop_assert!(verify(HashClaim::CHash, alg, &value, &want).is_ok());
        }
    }

    /// Any single-byte change anywhere in a signed token is rejected.
    #[test]
    fn any_single_byte_change_is_rejected(
        sub in "[a-z]{1,20}",
        pos in any::<prop::sample::Index>(),
        byte in 0x21u8..0x7f,
    ) {
        let k = key();
        let payload = format!(r#"{{"iss":"https://op.example","sub":"{sub}","aud":"c","exp":2000000000,"iat":1700000000}}"#);
        let token = k.sign_jws(Some("JWT"), payload.as_bytes());
        let jwks = Jwks::from_keys(vec![k.public_jwk()]);
        prop_assert!(verify_compact(&token, &[Alg::ES256], &jwks).is_ok());
        let mut bytes = token.clone().into_bytes();
        let i = pos.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        let mutated = String::from_utf8(bytes).expect("ascii");
        prop_assert!(verify_compact(&mutated, &[Alg::ES256], &jwks).is_err(), "accepted {}", mutated);
    }

    /// No input panics a parser.
    #[test]
    fn parsers_never_panic_on_text(s in "\\PC{0,4096}") {
        let _ = Params::parse(&s);
        let _ = Jws::parse(&s).map(|j| j.expect_alg(&[Alg::ES256]));
        let _ = Jwks::parse(s.as_bytes());
        let _ = Jwk::parse(s.as_bytes());
        let _ = IdTokenClaims::parse(s.as_bytes());
        let _ = SigningKey::from_jwk(s.as_bytes());
    }

    #[test]
    fn parsers_never_panic_on_bytes(b in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = Jwks::parse(&b);
        let _ = IdTokenClaims::parse(&b);
        if let Ok(s) = std::str::from_utf8(&b) {
            let _ = Params::parse(s);
            let _ = Jws::parse(s);
        }
    }

    /// Structured near-miss inputs: form syntax and JWS shapes.
    #[test]
    fn parsers_never_panic_on_structured(s in "([a-z%=&+]|%[0-9A-Fa-f]{0,2}|[.]|[A-Za-z0-9_-]{0,8}){0,300}") {
        let _ = Params::parse(&s);
        let _ = Jws::parse(&s);
    }
}

/// Base64url segments must be canonical: a final character that differs only
/// in the unused low bits decodes to the same bytes in a lenient decoder, and
/// would make a mutated token verify. It must be refused.
#[test]
fn non_canonical_base64_trailing_bits_are_refused() {
    let k = key();
    let token = k.sign_jws(Some("JWT"), br#"{"sub":"a"}"#);
    let jwks = Jwks::from_keys(vec![k.public_jwk()]);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let last = *token.as_bytes().last().expect("non-empty");
    let idx = alphabet
        .iter()
        .position(|&c| c == last)
        .expect("base64url char");
    // 64-byte signature = 86 chars, 4 unused bits: flip the lowest.
    let flipped = alphabet[idx ^ 1];
    let mut mutated = token[..token.len() - 1].to_string();
    mutated.push(char::from(flipped));
    assert!(verify_compact(&mutated, &[Alg::ES256], &jwks).is_err());
}
