//! The `ring` backend (feature `fast`). Every check that is not arithmetic
//! is left to the pure path, which fails on it before doing any arithmetic,
//! so handing those cases over costs nothing and keeps errors identical.

use ring::signature::{self as ring_sig, UnparsedPublicKey, VerificationAlgorithm};

use crate::error::{Error, ErrorKind, Result};
use crate::jose::{Alg, PublicKey};

/// The error of a signature that does not verify, as the pure path words it.
fn bad_signature() -> Error {
    Error::new(ErrorKind::BadSignature, "jws.signature")
}

fn ring_verify(
    alg: &'static dyn VerificationAlgorithm,
    public_key: &[u8],
    msg: &[u8],
    sig: &[u8],
) -> Result<()> {
    UnparsedPublicKey::new(alg, public_key)
        .verify(msg, sig)
        .map_err(|_| bad_signature())
}

pub(super) fn accelerates(key: &PublicKey, alg: Alg) -> bool {
    if !key.supports(alg) {
        return false;
    }
    match key {
        PublicKey::P256(_) => true,
        #[cfg(feature = "es384")]
        PublicKey::P384(_) => true,
        #[cfg(any(feature = "rs256", feature = "ps256"))]
        PublicKey::Rsa(k) => rsa::params(alg).is_some() && rsa::exponent(k).is_some(),
        #[cfg(feature = "eddsa")]
        PublicKey::Ed25519(_) => true,
        #[allow(unreachable_patterns)] // HS* with `hs256`
        _ => false,
    }
}

pub(super) fn verify(key: &PublicKey, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
    if !accelerates(key, alg) {
        return key.verify(alg, msg, sig);
    }
    match key {
        PublicKey::P256(k) => {
            let point = k.to_sec1_point(false);
            let ring_alg = &ring_sig::ECDSA_P256_SHA256_FIXED;
            ring_verify(ring_alg, point.as_bytes(), msg, sig).or_else(|err| {
                // 64 bytes with R and S in [1, n) (RFC 7518 §3.4), else the
                // pure path's decoding error.
                match p256::ecdsa::Signature::from_slice(sig) {
                    Ok(_) => Err(err),
                    Err(_) => key.verify(alg, msg, sig),
                }
            })
        }
        #[cfg(feature = "es384")]
        PublicKey::P384(k) => {
            let point = k.to_sec1_point(false);
            let ring_alg = &ring_sig::ECDSA_P384_SHA384_FIXED;
            ring_verify(ring_alg, point.as_bytes(), msg, sig).or_else(|err| {
                match p384::ecdsa::Signature::from_slice(sig) {
                    Ok(_) => Err(err),
                    Err(_) => key.verify(alg, msg, sig),
                }
            })
        }
        #[cfg(any(feature = "rs256", feature = "ps256"))]
        PublicKey::Rsa(k) => rsa::verify(key, k, alg, msg, sig),
        #[cfg(feature = "eddsa")]
        PublicKey::Ed25519(k) => ed25519::verify(key, k, alg, msg, sig),
        #[allow(unreachable_patterns)]
        _ => key.verify(alg, msg, sig),
    }
}

#[cfg(any(feature = "rs256", feature = "ps256"))]
mod rsa {
    use ::rsa::traits::PublicKeyParts;
    use ring::signature::{self as ring_sig, RsaParameters, RsaPublicKeyComponents};

    use super::{PublicKey, bad_signature};
    use crate::error::Result;
    use crate::jose::Alg;
    use crate::jose::keys::MAX_RSA_BITS;

    /// Big-endian modulus buffer: `MAX_RSA_BITS` plus one spare limb.
    const N_BUF: usize = MAX_RSA_BITS / 8 + 8;

    pub(super) fn params(alg: Alg) -> Option<&'static RsaParameters> {
        match alg {
            // RFC 7518 §3.3 (RSASSA-PKCS1-v1_5) and §3.5 (RSASSA-PSS, MGF1
            // with the same hash, salt as long as the hash: ring's rule too).
            Alg::RS256 => Some(&ring_sig::RSA_PKCS1_2048_8192_SHA256),
            Alg::RS384 => Some(&ring_sig::RSA_PKCS1_2048_8192_SHA384),
            Alg::RS512 => Some(&ring_sig::RSA_PKCS1_2048_8192_SHA512),
            Alg::PS256 => Some(&ring_sig::RSA_PSS_2048_8192_SHA256),
            Alg::PS384 => Some(&ring_sig::RSA_PSS_2048_8192_SHA384),
            Alg::PS512 => Some(&ring_sig::RSA_PSS_2048_8192_SHA512),
            _ => None,
        }
    }

    /// The public exponent, when `ring` takes it: odd, 3 to 2^33 - 1. The
    /// pure path admits no other when it parses a key; this keeps the
    /// hand-over explicit should that change.
    pub(super) fn exponent(key: &::rsa::PublicKey) -> Option<u64> {
        let words = key.e().as_words();
        let (low, high) = words.split_first()?;
        if high.iter().any(|w| *w != 0) {
            return None;
        }
        // A limb is u64 here and u32 on 32-bit targets (where an e above
        // 2^32 has two limbs and is handed to the pure path).
        #[allow(clippy::useless_conversion)]
        let e = u64::from(*low);
        (e >= 3 && e % 2 == 1).then_some(e)
    }

    /// Writes `n` big-endian without leading zero octets into `buf`, with
    /// no allocation.
    fn modulus<'b>(key: &::rsa::PublicKey, buf: &'b mut [u8; N_BUF]) -> Option<&'b [u8]> {
        let words = key.n().as_words();
        let mut end = buf.len();
        for w in words {
            let bytes = w.to_be_bytes();
            let start = end.checked_sub(bytes.len())?;
            buf.get_mut(start..end)?.copy_from_slice(&bytes);
            end = start;
        }
        let used = buf.get(end..)?;
        let first = used.iter().position(|b| *b != 0)?;
        used.get(first..)
    }

    pub(super) fn verify(
        key: &PublicKey,
        k: &::rsa::PublicKey,
        alg: Alg,
        msg: &[u8],
        sig: &[u8],
    ) -> Result<()> {
        let (Some(params), Some(e)) = (params(alg), exponent(k)) else {
            return key.verify(alg, msg, sig);
        };
        // RFC 8017 §8.2.2 step 1: exactly k octets (the pure path's check
        // and error).
        if sig.len() != k.size() {
            return key.verify(alg, msg, sig);
        }
        let mut n_buf = [0u8; N_BUF];
        let Some(n) = modulus(k, &mut n_buf) else {
            return key.verify(alg, msg, sig);
        };
        let e_bytes = e.to_be_bytes();
        let first = e_bytes.iter().position(|b| *b != 0).unwrap_or(0);
        let e = e_bytes.get(first..).unwrap_or_default();
        RsaPublicKeyComponents { n, e }
            .verify(params, msg, sig)
            .map_err(|_| bad_signature())
    }
}

#[cfg(feature = "eddsa")]
mod ed25519 {
    use ring::signature as ring_sig;

    use super::{PublicKey, bad_signature, ring_verify};
    use crate::error::Result;
    use crate::jose::Alg;

    /// The canonical encodings of the eight points of small order (the
    /// torsion subgroup) of edwards25519. Only canonical encodings matter:
    /// both backends accept an `R` only when it equals the canonical
    /// encoding of the point they recompute.
    pub(super) const SMALL_ORDER: [[u8; 32]; 8] = [
        // Order 1: (0, 1).
        [
            0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ],
        // Order 2: (0, -1).
        [
            0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xff, 0x7f,
        ],
        // Order 4: (±sqrt(-1), 0).
        [0x00; 32],
        [
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x80,
        ],
        // Order 8.
        [
            0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef,
            0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88,
            0x6d, 0x53, 0xfc, 0x05,
        ],
        [
            0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef,
            0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88,
            0x6d, 0x53, 0xfc, 0x85,
        ],
        [
            0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10,
            0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77,
            0x92, 0xac, 0x03, 0x7a,
        ],
        [
            0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10,
            0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77,
            0x92, 0xac, 0x03, 0xfa,
        ],
    ];

    pub(super) fn verify(
        key: &PublicKey,
        k: &ed25519_dalek::VerifyingKey,
        alg: Alg,
        msg: &[u8],
        sig: &[u8],
    ) -> Result<()> {
        let Ok(parsed) = ed25519_dalek::Signature::from_slice(sig) else {
            return key.verify(alg, msg, sig);
        };
        // ed25519-dalek's verify_strict (the pure path) refuses a
        // small-order public key or R (RFC 8032 §5.1.7 permits the
        // cofactorless check; strictness closes key-substitution and
        // repudiation tricks). ring does not, so refuse them here first.
        if k.is_weak() || SMALL_ORDER.contains(parsed.r_bytes()) {
            return Err(bad_signature());
        }
        ring_verify(&ring_sig::ED25519, k.as_bytes(), msg, sig)
    }

    #[cfg(test)]
    mod tests {
        use super::SMALL_ORDER;

        #[test]
        fn the_eight_small_order_points() {
            // Each decodes to a point ed25519-dalek calls weak (small order),
            // and re-encodes to itself (canonical); eight distinct encodings
            // are the whole torsion subgroup.
            for (i, enc) in SMALL_ORDER.iter().enumerate() {
                let key = ed25519_dalek::VerifyingKey::from_bytes(enc).unwrap();
                assert!(key.is_weak(), "{i}");
                assert_eq!(&key.to_edwards().compress().to_bytes(), enc, "{i}");
                assert!(!SMALL_ORDER[..i].contains(enc), "{i} repeated");
            }
        }
    }
}
