//! Secrets the provider mints (codes, tokens), the caller's entropy they
//! come from, and the hashed keys under which their records are stored.
//!
//! Every secret is `SHA-256(domain || label || 0x00 || entropy)` encoded
//! base64url (43 characters, 256 bits): the caller passes at least
//! [`MIN_ENTROPY`] fresh random bytes per call, and each secret of that call
//! gets its own label, so knowing one reveals nothing about another.
//! Records are stored under [`StoreKey`]s, the SHA-256 of the secret, so a
//! leaked store does not leak usable codes or tokens.

use alloc::string::String;
use core::fmt;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Result};

/// The fewest random bytes a minting call accepts (256 bits).
pub const MIN_ENTROPY: usize = 32;

const DOMAIN: &[u8] = b"oidc-hybrid/op/v1\0";

/// Fresh random bytes from the caller, at least [`MIN_ENTROPY`] of them.
/// Use new bytes for every call: the secrets of one call are derived from
/// them.
#[derive(Clone, Copy)]
pub struct Entropy<'a>(&'a [u8]);

impl fmt::Debug for Entropy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Entropy({} bytes, redacted)", self.0.len())
    }
}

impl<'a> Entropy<'a> {
    /// Wraps `bytes`; fewer than [`MIN_ENTROPY`] is `insufficient_entropy`.
    pub fn new(bytes: &'a [u8]) -> Result<Self> {
        if bytes.len() < MIN_ENTROPY {
            return Err(Error::new(ErrorKind::InsufficientEntropy, "entropy")
                .expected(&alloc::format!("at least {MIN_ENTROPY} bytes"))
                .got(&alloc::format!("{} bytes", bytes.len())));
        }
        Ok(Self(bytes))
    }

    /// The secret for `label`: 256 bits, base64url (43 characters).
    pub(crate) fn derive(&self, label: &str) -> Secret {
        let digest = Sha256::new()
            .chain_update(DOMAIN)
            .chain_update(label.as_bytes())
            .chain_update([0u8])
            .chain_update(self.0)
            .finalize();
        Secret(Base64UrlUnpadded::encode_string(&digest))
    }
}

/// A minted code or token. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

impl Secret {
    /// The value, to put in a response.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The key its record is stored under.
    pub fn key(&self) -> StoreKey {
        StoreKey::of(&self.0)
    }
}

/// The key of a stored record: SHA-256 of the code or token, base64url.
/// Store records under it rather than under the raw secret.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StoreKey(String);

impl StoreKey {
    /// The key for a code or token as presented by a client.
    pub fn of(secret: &str) -> Self {
        Self(Base64UrlUnpadded::encode_string(&Sha256::digest(
            secret.as_bytes(),
        )))
    }

    /// The key as text (safe to log: it is a hash).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreKey({})", self.0)
    }
}

/// Identifies one authorization: the code and every token issued from it
/// carry it, so they can be revoked together (RFC 6749 §4.1.2).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GrantId(String);

impl GrantId {
    pub(crate) fn mint(entropy: &Entropy<'_>) -> Self {
        let s = entropy.derive("grant_id");
        Self(s.0)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The SHA-256 of a client secret. Registries keep this rather than the
/// secret; presented secrets are hashed and compared in constant time, which
/// also hides the secret's length.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecretHash([u8; 32]);

impl fmt::Debug for ClientSecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecretHash(redacted)")
    }
}

impl ClientSecretHash {
    /// Hashes a client secret for registration.
    pub fn of(secret: &str) -> Self {
        Self(Sha256::digest(secret.as_bytes()).into())
    }

    /// Whether `presented` is the secret, in constant time (RFC 6749 §2.3.1,
    /// RFC 6819 §5.1.4.2.2: constant-time comparison).
    pub fn matches(&self, presented: &str) -> bool {
        use subtle::ConstantTimeEq;
        let got: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        bool::from(self.0.ct_eq(&got))
    }
}

/// Constant-time string equality (the length is not hidden).
pub(crate) fn ct_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_bound_and_labels() {
        assert_eq!(
            Entropy::new(&[0u8; 31]).unwrap_err().kind(),
            ErrorKind::InsufficientEntropy
        );
        let e = Entropy::new(&[7u8; 32]).unwrap();
        let a = e.derive("code");
        let b = e.derive("access_token");
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 43);
        let e2 = Entropy::new(&[8u8; 32]).unwrap();
        assert_ne!(e2.derive("code"), a);
        assert_eq!(alloc::format!("{a:?}"), "Secret(redacted)");
    }

    #[test]
    fn store_key_is_a_hash_of_the_secret() {
        let e = Entropy::new(&[1u8; 40]).unwrap();
        let s = e.derive("code");
        assert_eq!(s.key(), StoreKey::of(s.expose()));
        assert_ne!(s.key().as_str(), s.expose());
    }

    #[test]
    fn secret_hash_matches_only_the_secret() {
        let h = ClientSecretHash::of("s3cret");
        assert!(h.matches("s3cret"));
        assert!(!h.matches("s3cret "));
        assert!(!h.matches(""));
    }
}
