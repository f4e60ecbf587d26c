//! `c_hash`, `at_hash` and `s_hash`: the base64url encoding of the left half
//! of the hash of the ASCII value, with the hash named by the ID token's JWS
//! `alg` (OIDC Core §3.3.2.11, §3.3.2.12, FAPI 1.0 Part 2 §5.1 for `s_hash`).
//!
//! Computing and verifying allocate nothing: the digest and its encoding live
//! on the stack, and verification compares in constant time.

use base64ct::{Base64UrlUnpadded, Encoding};
use sha2::{Digest, Sha256, Sha384, Sha512};
use subtle::ConstantTimeEq;

use crate::error::{Error, ErrorKind, Result};
use crate::jose::Alg;

/// The longest left-half hash, encoded: SHA-512's 32 bytes are 43 characters.
pub const MAX_HASH_LEN: usize = 43;

/// A computed left-half hash, base64url without padding.
pub type HalfHash = heapless::String<MAX_HASH_LEN>;

/// The hash function behind a JWS algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlg {
    /// SHA-256 (…256 algorithms).
    Sha256,
    /// SHA-384 (…384 algorithms).
    Sha384,
    /// SHA-512 (…512 algorithms and Ed25519).
    Sha512,
}

impl HashAlg {
    /// The hash for `alg`. For EdDSA with Ed25519 it is SHA-512 (OpenID
    /// Connect Core errata set 2 §3.3.2.11 clarification; as deployed).
    pub const fn for_alg(alg: Alg) -> Self {
        match alg {
            Alg::HS256 | Alg::RS256 | Alg::PS256 | Alg::ES256 => Self::Sha256,
            Alg::HS384 | Alg::RS384 | Alg::PS384 | Alg::ES384 => Self::Sha384,
            Alg::HS512 | Alg::RS512 | Alg::PS512 | Alg::ES512 | Alg::EdDSA => Self::Sha512,
        }
    }

    /// For an `alg` name: an algorithm without a defined hash is an error,
    /// never a pass.
    pub fn for_alg_name(name: &str) -> Result<Self> {
        Alg::parse(name)
            .map(Self::for_alg)
            .map_err(|_| Error::new(ErrorKind::UnsupportedHashAlg, "alg").got(name))
    }
}

/// The left half of the hash of `value` for `alg`, in `buf`.
fn left_half<'b>(alg: Alg, value: &[u8], buf: &'b mut [u8; 64]) -> &'b [u8] {
    fn copy_half(digest: &[u8], buf: &mut [u8; 64]) -> usize {
        let n = digest.len() / 2;
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), digest.get(..n)) {
            dst.copy_from_slice(src);
        }
        n
    }
    let n = match HashAlg::for_alg(alg) {
        HashAlg::Sha256 => copy_half(&Sha256::digest(value), buf),
        HashAlg::Sha384 => copy_half(&Sha384::digest(value), buf),
        HashAlg::Sha512 => copy_half(&Sha512::digest(value), buf),
    };
    buf.get(..n).unwrap_or_default()
}

/// Computes the left-half hash of `value` for `alg`.
pub fn half_hash(alg: Alg, value: &[u8]) -> HalfHash {
    let mut digest = [0u8; 64];
    let half = left_half(alg, value, &mut digest);
    let mut enc = [0u8; MAX_HASH_LEN];
    let mut out = HalfHash::new();
    if let Ok(s) = Base64UrlUnpadded::encode(half, &mut enc) {
        // A half hash encodes to at most MAX_HASH_LEN characters.
        let _ = out.push_str(s);
    }
    out
}

/// Which of the three hashes; it picks the error codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashClaim {
    /// `c_hash` of the authorization code.
    CHash,
    /// `at_hash` of the access token.
    AtHash,
    /// `s_hash` of the state.
    SHash,
}

impl HashClaim {
    /// The claim name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::CHash => "c_hash",
            Self::AtHash => "at_hash",
            Self::SHash => "s_hash",
        }
    }

    const fn mismatch(self) -> ErrorKind {
        match self {
            Self::CHash => ErrorKind::CHashMismatch,
            Self::AtHash => ErrorKind::AtHashMismatch,
            Self::SHash => ErrorKind::SHashMismatch,
        }
    }

    /// The code for an absent, required claim.
    pub const fn missing(self) -> ErrorKind {
        match self {
            Self::CHash => ErrorKind::CHashMissing,
            Self::AtHash => ErrorKind::AtHashMissing,
            // s_hash is never required here; absent is checked by the caller.
            Self::SHash => ErrorKind::SHashMismatch,
        }
    }
}

/// Verifies `claimed` (the claim's value) against `value` in constant time.
/// Allocates nothing on success.
pub fn verify(claim: HashClaim, alg: Alg, value: &[u8], claimed: &str) -> Result<()> {
    let mut digest = [0u8; 64];
    let computed = left_half(alg, value, &mut digest);
    // The claim is public (it is in the token): decode it (strict, so it has
    // one encoding; a non-canonical or wrong-length one cannot match) and
    // compare the digest halves in constant time. Length is public (it
    // follows from alg).
    let mut decoded = [0u8; 48];
    let matches = crate::encoding::base64url::decode_into(claimed, &mut decoded)
        .is_ok_and(|d| d.len() == computed.len() && bool::from(d.ct_eq(computed)));
    if matches {
        Ok(())
    } else {
        Err(Error::new(claim.mismatch(), claim.name())
            .expected(&alloc::format!("the {} {} of the value", alg, claim.name()))
            .got(claimed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oidc_core_example_c_hash() {
        // OIDC Core 1.0 Appendix A.4 (code id_token example).
        let h = half_hash(
            Alg::ES256,
            b"Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk",
        );
        assert_eq!(h.as_str(), "LDktKdoQak3Pk0cnXxCltA");
        assert!(
            verify(
                HashClaim::CHash,
                Alg::RS256,
                b"Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk",
                "LDktKdoQak3Pk0cnXxCltA"
            )
            .is_ok()
        );
    }

    #[test]
    fn lengths_follow_the_hash() {
        assert_eq!(half_hash(Alg::ES256, b"x").len(), 22);
        assert_eq!(half_hash(Alg::ES384, b"x").len(), 32);
        assert_eq!(half_hash(Alg::EdDSA, b"x").len(), 43);
    }

    #[test]
    fn mismatch_codes() {
        let e = verify(
            HashClaim::AtHash,
            Alg::ES256,
            b"token",
            "AAAAAAAAAAAAAAAAAAAAAA",
        )
        .unwrap_err();
        assert_eq!(e.code(), "at_hash_mismatch");
        let e = verify(HashClaim::SHash, Alg::ES256, b"state", "short").unwrap_err();
        assert_eq!(e.code(), "s_hash_mismatch");
        let ok = half_hash(Alg::ES256, b"code");
        let e = verify(HashClaim::CHash, Alg::ES384, b"code", &ok).unwrap_err();
        assert_eq!(e.code(), "c_hash_mismatch");
    }

    #[test]
    fn unknown_alg_is_error() {
        assert_eq!(
            HashAlg::for_alg_name("none").unwrap_err().code(),
            "unsupported_hash_alg"
        );
        assert_eq!(
            HashAlg::for_alg_name("ES999").unwrap_err().code(),
            "unsupported_hash_alg"
        );
        assert_eq!(HashAlg::for_alg_name("EdDSA").unwrap(), HashAlg::Sha512);
    }
}
