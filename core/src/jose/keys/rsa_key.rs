//! RSA keys (features `rs256`, `ps256`): RSASSA-PKCS1-v1_5 (RS256/384/512)
//! and RSASSA-PSS (PS256/384/512) verification (RFC 7518 §3.3, §3.5), and
//! RS256/384/512 signing. Moduli below 2048 bits are refused (RFC 7518 §3.3:
//! "A key of size 2048 bits or larger MUST be used").

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64UrlUnpadded, Encoding};
use rsa::BoxedUint;
use rsa::traits::PublicKeyParts;
use serde::Serialize;
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::error::{Error, ErrorKind, Result};
use crate::jose::Alg;
use crate::jose::jwk::{RawJwk, b64_field};

/// The smallest modulus accepted, bits.
pub const MIN_RSA_BITS: usize = 2048;
/// The largest modulus accepted, bits (bounds verification cost).
pub const MAX_RSA_BITS: usize = 8192;

fn uint(bytes: &[u8], what: &'static str) -> Result<BoxedUint> {
    // Leading zero octets are not allowed in n/e (RFC 7518 §6.3.1.1), but
    // tolerating them costs nothing; the precision is the byte length.
    let bits = u32::try_from(bytes.len().saturating_mul(8))
        .map_err(|_| Error::new(ErrorKind::InvalidKey, what))?;
    BoxedUint::from_be_slice(bytes, bits.max(64))
        .map_err(|_| Error::new(ErrorKind::InvalidKey, what))
}

pub(super) fn public(raw: &RawJwk<'_>) -> Result<Box<rsa::PublicKey>> {
    let n = b64_field(raw.n.as_ref(), "jwk.n")?;
    let e = b64_field(raw.e.as_ref(), "jwk.e")?;
    if n.len() > MAX_RSA_BITS / 8 + 1 {
        return Err(Error::new(ErrorKind::InvalidKey, "jwk.n").expected("at most 8192 bits"));
    }
    let key = rsa::PublicKey::new_with_size_limits(
        uint(&n, "jwk.n")?,
        uint(&e, "jwk.e")?,
        MIN_RSA_BITS..=MAX_RSA_BITS,
    )
    .map_err(|err| {
        Error::new(ErrorKind::InvalidKey, "jwk.n")
            .expected("an RSA modulus of 2048 to 8192 bits and a valid exponent")
            .got(&alloc::format!("{err}"))
    })?;
    Ok(Box::new(key))
}

pub(super) fn supports(alg: Alg) -> bool {
    alg.is_supported() && alg.key_type() == "RSA"
}

pub(super) fn verify(key: &rsa::PublicKey, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
    // RFC 8017 §8.2.2 step 1: the signature is exactly k octets.
    if sig.len() != key.size() {
        return Err(Error::new(ErrorKind::BadSignature, "jws.signature")
            .expected(&alloc::format!("{} bytes", key.size())));
    }
    let ok = match alg {
        #[cfg(feature = "rs256")]
        Alg::RS256 => key.verify(
            rsa::Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(msg),
            sig,
        ),
        #[cfg(feature = "rs256")]
        Alg::RS384 => key.verify(
            rsa::Pkcs1v15Sign::new::<Sha384>(),
            &Sha384::digest(msg),
            sig,
        ),
        #[cfg(feature = "rs256")]
        Alg::RS512 => key.verify(
            rsa::Pkcs1v15Sign::new::<Sha512>(),
            &Sha512::digest(msg),
            sig,
        ),
        // RFC 7518 §3.5: MGF1 with the same hash; the salt length is checked
        // by the scheme as the hash length.
        #[cfg(feature = "ps256")]
        Alg::PS256 => key.verify(rsa::pss::Pss::<Sha256>::new(), &Sha256::digest(msg), sig),
        #[cfg(feature = "ps256")]
        Alg::PS384 => key.verify(rsa::pss::Pss::<Sha384>::new(), &Sha384::digest(msg), sig),
        #[cfg(feature = "ps256")]
        Alg::PS512 => key.verify(rsa::pss::Pss::<Sha512>::new(), &Sha512::digest(msg), sig),
        _ => return Err(Error::new(ErrorKind::AlgNotAllowed, "jws.header.alg").got(alg.as_str())),
    };
    ok.map_err(|_| Error::new(ErrorKind::BadSignature, "jws.signature"))
}

#[derive(Serialize)]
struct CanonicalRsa<'a> {
    e: &'a str,
    kty: &'a str,
    n: &'a str,
}

pub(super) fn canonical(key: &rsa::PublicKey) -> String {
    let n = Base64UrlUnpadded::encode_string(&trim(&key.n().to_be_bytes()));
    let e = Base64UrlUnpadded::encode_string(&trim(&key.e().to_be_bytes()));
    serde_json::to_string(&CanonicalRsa {
        e: &e,
        kty: "RSA",
        n: &n,
    })
    .unwrap_or_default()
}

/// Minimal big-endian octets (RFC 7518 §6.3.1.1: no leading zeros).
fn trim(bytes: &[u8]) -> Vec<u8> {
    let start = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    bytes.get(start..).unwrap_or_default().to_vec()
}

#[cfg(feature = "rs256")]
pub(super) fn private(raw: &RawJwk<'_>) -> Result<Box<rsa::PrivateKey>> {
    let n = b64_field(raw.n.as_ref(), "jwk.n")?;
    let e = b64_field(raw.e.as_ref(), "jwk.e")?;
    let d = b64_field(raw.d.as_ref(), "jwk.d")?;
    let p = b64_field(raw.p.as_ref(), "jwk.p")?;
    let q = b64_field(raw.q.as_ref(), "jwk.q")?;
    let key = rsa::PrivateKey::from_components(
        uint(&n, "jwk.n")?,
        uint(&e, "jwk.e")?,
        uint(&d, "jwk.d")?,
        alloc::vec![uint(&p, "jwk.p")?, uint(&q, "jwk.q")?],
    )
    .map_err(|_| {
        Error::new(ErrorKind::InvalidKey, "jwk").expected("consistent RSA private components")
    })?;
    if (key.n().bit_width() as usize) < MIN_RSA_BITS {
        return Err(Error::new(ErrorKind::InvalidKey, "jwk.n").expected("at least 2048 bits"));
    }
    Ok(Box::new(key))
}

#[cfg(feature = "rs256")]
pub(super) fn public_of(key: &rsa::PrivateKey) -> Box<rsa::PublicKey> {
    Box::new(key.to_public_key())
}

#[cfg(feature = "rs256")]
/// RSASSA-PKCS1-v1_5 signing (deterministic; RS256/384/512).
pub(super) fn sign(key: &rsa::PrivateKey, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
    let (hashed, scheme) = match alg {
        Alg::RS256 => (
            Sha256::digest(msg).to_vec(),
            rsa::Pkcs1v15Sign::new::<Sha256>(),
        ),
        Alg::RS384 => (
            Sha384::digest(msg).to_vec(),
            rsa::Pkcs1v15Sign::new::<Sha384>(),
        ),
        Alg::RS512 => (
            Sha512::digest(msg).to_vec(),
            rsa::Pkcs1v15Sign::new::<Sha512>(),
        ),
        _ => {
            return Err(Error::new(ErrorKind::InvalidConfig, "alg")
                .expected("RS256, RS384 or RS512 for an RSA signing key"));
        }
    };
    key.sign(scheme, &hashed)
        .map_err(|_| Error::new(ErrorKind::InvalidKey, "jwk").expected("a usable RSA private key"))
}
