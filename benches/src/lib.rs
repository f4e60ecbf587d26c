//! Shared inputs of the oidc-hybrid benchmarks (the bench targets are in
//! `benches/`): the fixture provider's ES256 key, one realistic front-channel
//! ID token with `c_hash` and `at_hash`, and what the relying party expects
//! of it. Every row of `id_token_verify` checks this same token with this
//! same key.

pub mod rivals;

use base64ct::{Base64UrlUnpadded, Encoding};
use oidc_hybrid::UnixTime;
use oidc_hybrid::claims::{Expectations, HashInputs, IdTokenCheck};
use oidc_hybrid::hash::half_hash;
use oidc_hybrid::jose::{Alg, Backend, Jwks, SigningKey};
use serde_json::{Value, json};

pub mod flow;

/// The issuer (`iss`).
pub const ISSUER: &str = "https://op.example.com";
/// This client's `client_id` (`aud`).
pub const CLIENT_ID: &str = "hybrid-client";
/// The nonce sent in the request.
pub const NONCE: &str = "3QQypddd9BUaIgdq47-aNQ";
/// The authorization code returned beside the token (43 characters, as
/// common providers issue).
pub const CODE: &str = "Jcqq6AUG-RdBDzMbl-EJozgV1Zn1LGCHKBGTTuV55sp";
/// The access token returned beside the token.
pub const ACCESS_TOKEN: &str = "eU-SmJl1BVvlyfk3RQQ6_dyp_epssUV_4BBclQcwOdr";
/// `iat`, and the relying party's clock in the benchmarks.
pub const IAT: u64 = 1_795_391_313;
/// `exp`. Far ahead because `jsonwebtoken` reads the wall clock and cannot
/// be given one; the others get [`IAT`] as `now`.
pub const EXP: u64 = 4_102_444_800;

/// The fixture provider's private key (`harness/tests/fixtures/keys`,
/// test material only).
pub const FIXTURE_KEYS: &str = include_str!("../../harness/tests/fixtures/keys/keys.json");

/// The fixture key's private scalar `d` (32 bytes, big-endian).
pub fn private_scalar() -> Vec<u8> {
    let keys: Value = serde_json::from_str(FIXTURE_KEYS).expect("keys.json is JSON");
    Base64UrlUnpadded::decode_vec(keys["keys"][0]["d"].as_str().expect("d")).expect("base64url d")
}

/// The fixture provider's ES256 signing key.
pub fn signing_key() -> SigningKey {
    let keys: Value = serde_json::from_str(FIXTURE_KEYS).expect("keys.json is JSON");
    let jwk = serde_json::to_vec(&keys["keys"][0]).expect("a key");
    SigningKey::from_jwk(&jwk).expect("the fixture key parses")
}

/// The provider's published JWKS document (the public half of
/// [`signing_key`]).
pub fn jwks_json() -> String {
    let key = signing_key();
    let jwk = key.public_key().to_jwk_json(key.kid(), key.alg());
    json!({ "keys": [jwk] }).to_string()
}

/// The key set as the relying party holds it, verified with `backend`.
pub fn jwks(backend: Backend) -> Jwks {
    Jwks::parse(jwks_json().as_bytes())
        .expect("the JWKS parses")
        .with_backend(backend)
}

/// A realistic claims set (OIDC Core §2, §5.1) of a `code id_token token`
/// front-channel ID token.
pub fn claims() -> Value {
    json!({
        "iss": ISSUER,
        "sub": "248289761001",
        "aud": CLIENT_ID,
        "exp": EXP,
        "iat": IAT,
        "auth_time": IAT - 30,
        "nonce": NONCE,
        "acr": "urn:mace:incommon:iap:silver",
        "amr": ["pwd", "otp"],
        "sid": "08a5019c-17e1-4977-8f42-65a12843ea02",
        "c_hash": half_hash(Alg::ES256, CODE.as_bytes()).as_str(),
        "at_hash": half_hash(Alg::ES256, ACCESS_TOKEN.as_bytes()).as_str(),
        "name": "Jane Doe",
        "email": "janedoe@example.com",
        "email_verified": true
    })
}

/// The ES256 ID token every `id_token_verify` row checks.
pub fn id_token() -> String {
    let payload = serde_json::to_vec(&claims()).expect("claims serialize");
    signing_key().sign_jws(Some("JWT"), &payload)
}

/// The token split for the bare rows: signing input and decoded signature.
pub fn signing_input_and_signature(token: &str) -> (&str, Vec<u8>) {
    let (input, sig) = token.rsplit_once('.').expect("a compact JWS");
    let sig = Base64UrlUnpadded::decode_vec(sig).expect("base64url signature");
    (input, sig)
}

/// The fixture key's public point, uncompressed SEC1 (`0x04 || x || y`).
pub fn public_sec1(jwks_json: &str) -> Vec<u8> {
    let v: Value = serde_json::from_str(jwks_json).expect("JWKS JSON");
    let coord = |c: &str| {
        Base64UrlUnpadded::decode_vec(v["keys"][0][c].as_str().expect("coordinate"))
            .expect("base64url coordinate")
    };
    let mut sec1 = vec![4u8];
    sec1.extend(coord("x"));
    sec1.extend(coord("y"));
    sec1
}

/// Everything the relying party checks the token against (OIDC Core
/// §3.3.2.12): ES256 only, the issuer, the audience, the nonce, `now` =
/// [`IAT`], and `c_hash`/`at_hash` required.
pub fn check(jwks: &Jwks) -> IdTokenCheck<'_> {
    IdTokenCheck {
        algs: &[Alg::ES256],
        jwks,
        claims: Expectations {
            issuer: ISSUER,
            client_id: CLIENT_ID,
            trusted_audiences: &[],
            nonce: Some(NONCE),
            now: UnixTime(IAT),
            leeway: 60,
            max_age: None,
            require_auth_time: false,
        },
        hashes: HashInputs {
            alg: Alg::ES256,
            code: Some(CODE),
            access_token: Some(ACCESS_TOKEN),
            state: None,
            require_c_hash: true,
            require_at_hash: true,
        },
    }
}
