//! Ed25519 keys for EdDSA (feature `eddsa`; RFC 8037). Verification is
//! strict (RFC 8032 §5.1.7 with canonical `S` and no small-order keys).

use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::jose::jwk::{RawJwk, b64_field};

fn bytes32(raw: &[u8], what: &'static str) -> Result<[u8; 32]> {
    raw.try_into()
        .map_err(|_| Error::new(ErrorKind::InvalidKey, what).expected("32 bytes"))
}

pub(super) fn public(raw: &RawJwk<'_>) -> Result<ed25519_dalek::VerifyingKey> {
    let x = bytes32(&b64_field(raw.x.as_ref(), "jwk.x")?, "jwk.x")?;
    ed25519_dalek::VerifyingKey::from_bytes(&x)
        .map_err(|_| Error::new(ErrorKind::InvalidKey, "jwk.x").expected("an Ed25519 public key"))
}

pub(super) fn verify(key: &ed25519_dalek::VerifyingKey, msg: &[u8], sig: &[u8]) -> Result<()> {
    let sig = ed25519_dalek::Signature::from_slice(sig)
        .map_err(|_| Error::new(ErrorKind::BadSignature, "jws.signature").expected("64 bytes"))?;
    key.verify_strict(msg, &sig)
        .map_err(|_| Error::new(ErrorKind::BadSignature, "jws.signature"))
}

#[derive(Serialize)]
struct CanonicalOkp<'a> {
    crv: &'a str,
    kty: &'a str,
    x: &'a str,
}

pub(super) fn canonical(key: &ed25519_dalek::VerifyingKey) -> String {
    let x = Base64UrlUnpadded::encode_string(key.as_bytes());
    serde_json::to_string(&CanonicalOkp {
        crv: "Ed25519",
        kty: "OKP",
        x: &x,
    })
    .unwrap_or_default()
}

pub(super) fn private(raw: &RawJwk<'_>) -> Result<ed25519_dalek::SigningKey> {
    let d = bytes32(&b64_field(raw.d.as_ref(), "jwk.d")?, "jwk.d")?;
    Ok(ed25519_dalek::SigningKey::from_bytes(&d))
}

pub(super) fn sign(key: &ed25519_dalek::SigningKey, msg: &[u8]) -> Vec<u8> {
    use ed25519_dalek::Signer as _;
    key.sign(msg).to_bytes().to_vec()
}
