//! ECDSA keys: P-256 (ES256) and, with the `es384` feature, P-384 (ES384).
//! Signatures are `R || S` (RFC 7518 §3.4); signing is deterministic
//! (RFC 6979), so it needs no randomness.

use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64UrlUnpadded, Encoding};
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::jose::jwk::{RawJwk, b64_field};

// Members in lexicographic order, as RFC 7638 §3.3 requires.
#[derive(Serialize)]
struct CanonicalEc<'a> {
    crv: &'a str,
    kty: &'a str,
    x: &'a str,
    y: &'a str,
}

fn canonical(crv: &str, x: &[u8], y: &[u8]) -> String {
    let x = Base64UrlUnpadded::encode_string(x);
    let y = Base64UrlUnpadded::encode_string(y);
    serde_json::to_string(&CanonicalEc {
        crv,
        kty: "EC",
        x: &x,
        y: &y,
    })
    .unwrap_or_default()
}

/// `0x04 || x || y`, each coordinate exactly `n` bytes (RFC 7518 §6.2.1.2).
fn sec1_uncompressed(raw: &RawJwk<'_>, n: usize) -> Result<Vec<u8>> {
    let x = b64_field(raw.x.as_ref(), "jwk.x")?;
    let y = b64_field(raw.y.as_ref(), "jwk.y")?;
    if x.len() != n || y.len() != n {
        return Err(Error::new(ErrorKind::InvalidKey, "jwk.x/y")
            .expected(&alloc::format!("{n}-byte coordinates")));
    }
    let mut sec1 = Vec::with_capacity(1 + 2 * n);
    sec1.push(4);
    sec1.extend_from_slice(&x);
    sec1.extend_from_slice(&y);
    Ok(sec1)
}

fn not_on_curve(crv: &str) -> Error {
    Error::new(ErrorKind::InvalidKey, "jwk").expected(&alloc::format!("a point on {crv}"))
}

fn bad_sig(len: usize) -> Error {
    Error::new(ErrorKind::BadSignature, "jws.signature")
        .expected(&alloc::format!("{len} bytes R||S"))
}

pub(super) fn p256_public(raw: &RawJwk<'_>) -> Result<p256::ecdsa::VerifyingKey> {
    p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(raw, 32)?)
        .map_err(|_| not_on_curve("P-256"))
}

pub(super) fn p256_verify(key: &p256::ecdsa::VerifyingKey, msg: &[u8], sig: &[u8]) -> Result<()> {
    let sig = p256::ecdsa::Signature::from_slice(sig).map_err(|_| bad_sig(64))?;
    key.verify(msg, &sig)
        .map_err(|_| Error::new(ErrorKind::BadSignature, "jws.signature"))
}

pub(super) fn p256_canonical(key: &p256::ecdsa::VerifyingKey) -> String {
    let point = key.to_sec1_point(false);
    canonical(
        "P-256",
        point.x().map(|v| v.as_slice()).unwrap_or_default(),
        point.y().map(|v| v.as_slice()).unwrap_or_default(),
    )
}

pub(super) fn p256_private(d: &[u8]) -> Result<p256::ecdsa::SigningKey> {
    p256::ecdsa::SigningKey::from_slice(d)
        .map_err(|_| Error::new(ErrorKind::InvalidKey, "jwk.d").expected("a P-256 scalar"))
}

pub(super) fn p256_sign(key: &p256::ecdsa::SigningKey, msg: &[u8]) -> Vec<u8> {
    let sig: p256::ecdsa::Signature = key.sign(msg);
    sig.to_bytes().to_vec()
}

#[cfg(feature = "es384")]
pub(super) fn p384_public(raw: &RawJwk<'_>) -> Result<p384::ecdsa::VerifyingKey> {
    p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(raw, 48)?)
        .map_err(|_| not_on_curve("P-384"))
}

#[cfg(feature = "es384")]
pub(super) fn p384_verify(key: &p384::ecdsa::VerifyingKey, msg: &[u8], sig: &[u8]) -> Result<()> {
    let sig = p384::ecdsa::Signature::from_slice(sig).map_err(|_| bad_sig(96))?;
    key.verify(msg, &sig)
        .map_err(|_| Error::new(ErrorKind::BadSignature, "jws.signature"))
}

#[cfg(feature = "es384")]
pub(super) fn p384_canonical(key: &p384::ecdsa::VerifyingKey) -> String {
    let point = key.to_sec1_point(false);
    canonical(
        "P-384",
        point.x().map(|v| v.as_slice()).unwrap_or_default(),
        point.y().map(|v| v.as_slice()).unwrap_or_default(),
    )
}

#[cfg(feature = "es384")]
pub(super) fn p384_private(d: &[u8]) -> Result<p384::ecdsa::SigningKey> {
    p384::ecdsa::SigningKey::from_slice(d)
        .map_err(|_| Error::new(ErrorKind::InvalidKey, "jwk.d").expected("a P-384 scalar"))
}

#[cfg(feature = "es384")]
pub(super) fn p384_sign(key: &p384::ecdsa::SigningKey, msg: &[u8]) -> Vec<u8> {
    let sig: p384::ecdsa::Signature = key.sign(msg);
    sig.to_bytes().to_vec()
}
