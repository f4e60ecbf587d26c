//! The `ring` backend (`Backend::Fast`) answers exactly as the pure-Rust one
//! (`Backend::PureRust`), errors included, over random keys and messages,
//! for valid signatures and for corrupted ones: a flipped bit, a changed
//! message, a wrong length, all-zero and all-one signatures, another key, an
//! algorithm the key does not support; and the edge cases where the two
//! libraries' own rules differ (high-S ECDSA, small-order Ed25519 keys and
//! `R`, non-canonical Ed25519 `S`, RSA exponents).

use base64ct::{Base64UrlUnpadded, Encoding};
use oidc_hybrid::Error;
use oidc_hybrid::jose::{Alg, Backend, Jwk, PublicKey, SigningKey};
use oidc_hybrid_harness::fixtures::fixtures_dir;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Value, json};

type Verdict = Result<(), Error>;

/// Both backends' answers, which must be identical; returns the answer.
fn both(key: &PublicKey, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<Verdict, TestCaseError> {
    let pure = Backend::PureRust.verify(key, alg, msg, sig);
    let fast = Backend::Fast.verify(key, alg, msg, sig);
    prop_assert_eq!(&pure, &fast, "{:?} {} sig {} bytes", key, alg, sig.len());
    Ok(pure)
}

/// The corruptions every valid signature goes through. `pick` chooses the
/// byte and bit to flip.
fn corruptions(
    key: &PublicKey,
    other: &PublicKey,
    alg: Alg,
    wrong_alg: Alg,
    msg: &[u8],
    sig: &[u8],
    pick: (usize, u8),
) -> Result<(), TestCaseError> {
    // The valid signature verifies (so agreement is not two rejections).
    prop_assert_eq!(both(key, alg, msg, sig)?, Ok(()));
    // Another message.
    let mut m = msg.to_vec();
    if m.is_empty() {
        m.push(0);
    } else {
        let i = pick.0 % m.len();
        m[i] ^= 1 << (pick.1 % 8);
    }
    prop_assert!(both(key, alg, &m, sig)?.is_err());
    // One bit of the signature.
    let mut s = sig.to_vec();
    let i = pick.0 % s.len();
    s[i] ^= 1 << (pick.1 % 8);
    prop_assert!(both(key, alg, msg, &s)?.is_err());
    // Wrong lengths, all zeros, all ones.
    prop_assert!(both(key, alg, msg, &sig[..sig.len() - 1])?.is_err());
    let mut longer = sig.to_vec();
    longer.push(0);
    prop_assert!(both(key, alg, msg, &longer)?.is_err());
    prop_assert!(both(key, alg, msg, &[])?.is_err());
    prop_assert!(both(key, alg, msg, &vec![0; sig.len()])?.is_err());
    prop_assert!(both(key, alg, msg, &vec![0xff; sig.len()])?.is_err());
    // Another key; an algorithm this key does not do.
    prop_assert!(both(other, alg, msg, sig)?.is_err());
    prop_assert!(both(key, wrong_alg, msg, sig)?.is_err());
    Ok(())
}

fn es384_key(d: &[u8; 48]) -> Option<SigningKey> {
    let jwk = json!({"kty": "EC", "crv": "P-384", "d": Base64UrlUnpadded::encode_string(d)});
    SigningKey::from_jwk(jwk.to_string().as_bytes()).ok()
}

/// `(n - s)`: the other valid ECDSA signature of the same message (RFC 7518
/// does not require low S; both libraries accept either).
fn high_s(sig: &[u8]) -> Vec<u8> {
    let parsed = p256::ecdsa::Signature::from_slice(sig).unwrap();
    let (r, s) = parsed.split_scalars();
    let neg = -*s.as_ref();
    p256::ecdsa::Signature::from_scalars(r.to_bytes(), neg.to_bytes())
        .unwrap()
        .to_bytes()
        .to_vec()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn es256(
        d in any::<[u8; 32]>(),
        d2 in any::<[u8; 32]>(),
        msg in proptest::collection::vec(any::<u8>(), 0..600),
        pick in any::<(usize, u8)>(),
    ) {
        let (Ok(key), Ok(other)) = (SigningKey::es256_from_bytes(&d), SigningKey::es256_from_bytes(&d2)) else {
            return Err(TestCaseError::reject("not a P-256 scalar"));
        };
        prop_assume!(d != d2);
        let (pk, other) = (key.public_key(), other.public_key());
        prop_assert!(Backend::Fast.accelerates(&pk, Alg::ES256));
        let sig = key.sign(&msg);
        corruptions(&pk, &other, Alg::ES256, Alg::ES384, &msg, &sig, pick)?;
        prop_assert_eq!(both(&pk, Alg::ES256, &msg, &high_s(&sig))?, Ok(()));
    }

    #[test]
    fn es384(
        d in any::<[u8; 48]>(),
        d2 in any::<[u8; 48]>(),
        msg in proptest::collection::vec(any::<u8>(), 0..600),
        pick in any::<(usize, u8)>(),
    ) {
        let (Some(key), Some(other)) = (es384_key(&d), es384_key(&d2)) else {
            return Err(TestCaseError::reject("not a P-384 scalar"));
        };
        prop_assume!(d != d2);
        let (pk, other) = (key.public_key(), other.public_key());
        prop_assert!(Backend::Fast.accelerates(&pk, Alg::ES384));
        corruptions(&pk, &other, Alg::ES384, Alg::ES256, &msg, &key.sign(&msg), pick)?;
    }

    #[test]
    fn eddsa(
        seed in any::<[u8; 32]>(),
        seed2 in any::<[u8; 32]>(),
        msg in proptest::collection::vec(any::<u8>(), 0..600),
        pick in any::<(usize, u8)>(),
    ) {
        prop_assume!(seed != seed2);
        let key = SigningKey::ed25519_from_seed(&seed);
        let pk = key.public_key();
        let other = SigningKey::ed25519_from_seed(&seed2).public_key();
        prop_assert!(Backend::Fast.accelerates(&pk, Alg::EdDSA));
        let sig = key.sign(&msg);
        corruptions(&pk, &other, Alg::EdDSA, Alg::ES256, &msg, &sig, pick)?;
        // S + L: the same S, not reduced (RFC 8032 §5.1.7 step 1 refuses it).
        let mut s = sig.clone();
        let mut carry = 0u16;
        for i in 0..32 {
            let v = u16::from(s[32 + i]) + u16::from(L[i]) + carry;
            s[32 + i] = v as u8;
            carry = v >> 8;
        }
        prop_assert!(both(&pk, Alg::EdDSA, &msg, &s)?.is_err());
        // A forged signature with R the identity (small order), which the
        // cofactorless equation accepts: ring alone takes it.
        let forged = forge_identity_r(&seed, &pk, &msg);
        prop_assert!(ring_ed25519(&pk, &msg, &forged));
        prop_assert!(both(&pk, Alg::EdDSA, &msg, &forged)?.is_err());
    }
}

/// The order L of the Ed25519 base point (RFC 8032 §5.1), little-endian.
const L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];

/// The raw Ed25519 public key bytes of `pk`.
fn ed25519_bytes(pk: &PublicKey) -> [u8; 32] {
    let jwk = pk.to_jwk_json("k", Alg::EdDSA);
    Base64UrlUnpadded::decode_vec(jwk["x"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap()
}

fn ring_ed25519(pk: &PublicKey, msg: &[u8], sig: &[u8]) -> bool {
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, ed25519_bytes(pk))
        .verify(msg, sig)
        .is_ok()
}

/// `R = identity`, `S = k·a` with `k = H(R || A || M)`: then
/// `[S]B - [k]A` is the identity, so `R' = R` (RFC 8032 §5.1.7 step 3
/// without the small-order checks). Only the key holder can make it.
fn forge_identity_r(seed: &[u8; 32], pk: &PublicKey, msg: &[u8]) -> Vec<u8> {
    use curve25519_dalek::Scalar;
    use sha2::{Digest, Sha512};
    let h = Sha512::digest(seed);
    let a = Scalar::from_bytes_mod_order(curve25519_dalek::scalar::clamp_integer(
        h[..32].try_into().unwrap(),
    ));
    let mut r = [0u8; 32];
    r[0] = 1; // the identity, (0, 1)
    let k: [u8; 64] = Sha512::new()
        .chain_update(r)
        .chain_update(ed25519_bytes(pk))
        .chain_update(msg)
        .finalize()
        .into();
    let s = Scalar::from_bytes_mod_order_wide(&k) * a;
    [r, s.to_bytes()].concat()
}

#[test]
fn small_order_ed25519_key_is_refused_by_both() {
    // A = the identity: then [S]B = R + [k]A is [S]B = R, whatever the
    // message, so R = B, S = 1 verifies under the cofactorless equation.
    // ring accepts it; the strict rules (and so both backends) do not.
    let mut x = [0u8; 32];
    x[0] = 1;
    let jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": Base64UrlUnpadded::encode_string(&x)});
    let pk = Jwk::parse(jwk.to_string().as_bytes()).unwrap().unwrap().key;
    let mut sig = [0u8; 64];
    sig[0] = 0x58; // B = (x, 4/5), RFC 8032 §5.1
    sig[1..32].fill(0x66);
    sig[32] = 1;
    for msg in [&b""[..], b"any message", b"another"] {
        assert!(ring_ed25519(&pk, msg, &sig), "ring alone accepts it");
        let pure = Backend::PureRust.verify(&pk, Alg::EdDSA, msg, &sig);
        assert_eq!(pure, Backend::Fast.verify(&pk, Alg::EdDSA, msg, &sig));
        assert_eq!(pure.unwrap_err().code(), "bad_signature");
    }
}

/// The fixture RSA key (2048 bits) as a ring signer and a public key.
fn rsa_fixture() -> (ring::signature::RsaKeyPair, PublicKey, Value) {
    let text = std::fs::read_to_string(fixtures_dir().join("keys").join("keys-algs.json")).unwrap();
    let keys: Value = serde_json::from_str(&text).unwrap();
    let jwk = keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kty"] == "RSA")
        .unwrap()
        .clone();
    let b = |name: &str| Base64UrlUnpadded::decode_vec(jwk[name].as_str().unwrap()).unwrap();
    let pair = ring::rsa::KeyPair::from_components(&ring::rsa::KeyPairComponents {
        public_key: ring::rsa::PublicKeyComponents {
            n: b("n"),
            e: b("e"),
        },
        d: b("d"),
        p: b("p"),
        q: b("q"),
        dP: b("dp"),
        dQ: b("dq"),
        qInv: b("qi"),
    })
    .unwrap();
    let public = json!({"kty": "RSA", "n": jwk["n"], "e": jwk["e"]});
    let pk = Jwk::parse(public.to_string().as_bytes())
        .unwrap()
        .unwrap()
        .key;
    (pair, pk, jwk)
}

const RSA_ALGS: [(Alg, &dyn ring::signature::RsaEncoding); 6] = [
    (Alg::RS256, &ring::signature::RSA_PKCS1_SHA256),
    (Alg::RS384, &ring::signature::RSA_PKCS1_SHA384),
    (Alg::RS512, &ring::signature::RSA_PKCS1_SHA512),
    (Alg::PS256, &ring::signature::RSA_PSS_SHA256),
    (Alg::PS384, &ring::signature::RSA_PSS_SHA384),
    (Alg::PS512, &ring::signature::RSA_PSS_SHA512),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn rsa(
        msg in proptest::collection::vec(any::<u8>(), 0..600),
        pick in any::<(usize, u8)>(),
    ) {
        let (pair, pk, _) = rsa_fixture();
        let other = SigningKey::es256_from_bytes(&[7; 32]).unwrap().public_key();
        let rng = ring::rand::SystemRandom::new();
        for (alg, encoding) in RSA_ALGS {
            prop_assert!(Backend::Fast.accelerates(&pk, alg));
            let mut sig = vec![0; pair.public().modulus_len()];
            pair.sign(encoding, &rng, &msg, &mut sig).unwrap();
            corruptions(&pk, &other, alg, Alg::ES256, &msg, &sig, pick)?;
        }
    }
}

#[test]
fn rsa_exponents_are_admitted_alike() {
    // Both take odd exponents from 3 to 2^33 - 1: the pure path refuses
    // the others when the key is parsed, so Fast never meets them.
    let (pair, _, jwk) = rsa_fixture();
    let mut sig = vec![0; pair.public().modulus_len()];
    pair.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        b"m",
        &mut sig,
    )
    .unwrap();
    let key = |e: &str| {
        let public = json!({"kty": "RSA", "n": jwk["n"], "e": e});
        Jwk::parse(public.to_string().as_bytes()).map(|k| k.unwrap().key)
    };
    // 2, 65536, 2^33 + 1: refused at parse time.
    for e in ["Ag", "AQAA", "AgAAAAE"] {
        assert_eq!(key(e).unwrap_err().code(), "invalid_key", "e = {e}");
    }
    // 3, 2^33 - 1: accelerated, and the same verdict.
    for e in ["Aw", "Af____8"] {
        let pk = key(e).unwrap();
        assert!(Backend::Fast.accelerates(&pk, Alg::RS256), "e = {e}");
        let pure = Backend::PureRust.verify(&pk, Alg::RS256, b"m", &sig);
        assert_eq!(pure, Backend::Fast.verify(&pk, Alg::RS256, b"m", &sig));
        assert_eq!(pure.unwrap_err().code(), "bad_signature");
    }
}

#[test]
fn hmac_stays_on_the_pure_path() {
    let secret = "a client secret of at least thirty-two bytes";
    let pk = PublicKey::from_client_secret(secret);
    assert!(!Backend::Fast.accelerates(&pk, Alg::HS256));
    let token = oidc_hybrid::jose::sign_hmac_jws(secret, Alg::HS256, b"{}").unwrap();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = Base64UrlUnpadded::decode_vec(sig).unwrap();
    for msg in [input.as_bytes(), b"other"] {
        assert_eq!(
            Backend::PureRust.verify(&pk, Alg::HS256, msg, &sig),
            Backend::Fast.verify(&pk, Alg::HS256, msg, &sig)
        );
    }
    assert!(
        Backend::Fast
            .verify(&pk, Alg::HS256, input.as_bytes(), &sig)
            .is_ok()
    );
}

#[test]
fn recorded_tokens_verify_alike() {
    // The provider's RS256, PS256, ES384 and EdDSA recorded exchanges, through
    // verify_compact with a key set on each backend.
    use oidc_hybrid::encoding::Params;
    use oidc_hybrid::jose::{Jwks, verify_compact};
    use oidc_hybrid_harness::fixtures::{Transcript, alg_transcript_paths};
    let mut seen = 0;
    for path in alg_transcript_paths() {
        let t = Transcript::load(&path).unwrap();
        let params = Params::parse(t.raw_callback()).unwrap();
        let Some(token) = params.get("id_token") else {
            continue;
        };
        let alg = Alg::parse(t.client["id_token_signed_response_alg"].as_str().unwrap()).unwrap();
        let pure = Jwks::parse(&t.jwks_bytes()).unwrap();
        let fast = pure.clone().with_backend(Backend::Fast);
        assert_eq!(fast.backend(), Backend::Fast);
        let a = verify_compact(token, &[alg], &pure).map(|(_, a)| a);
        let b = verify_compact(token, &[alg], &fast).map(|(_, a)| a);
        assert_eq!(a, b, "{}", t.case);
        assert_eq!(a, Ok(alg), "{}", t.case);
        seen += 1;
    }
    assert!(seen >= 8, "{seen} recorded tokens");
}
