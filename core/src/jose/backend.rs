//! Signature backends: which implementation does the public-key arithmetic
//! when a JWS is verified.
//!
//! Verifying the signature is about 99% of validating an ID token (decoding,
//! JSON, claims and hashes add a few microseconds), so the arithmetic is the
//! one place where a server gains from native code.
//!
//! | backend | built | verifies with | where it fits |
//! | --- | --- | --- | --- |
//! | [`Backend::PureRust`] (default) | always | RustCrypto `p256`, `p384`, `rsa`, `ed25519-dalek` | everywhere: `no_std` + `alloc`, no C compiler, the same code on every target |
//! | `Backend::Fast` | feature `fast` | `ring` (C and assembly) for ES256, ES384, RS256/384/512, PS256/384/512, EdDSA; the default otherwise | servers: ES256 verification 2.8 × faster (50 µs against 139 µs in the README's Performance table) |
//!
//! The backend belongs to the key set ([`Jwks::with_backend`]), so the
//! callers of [`verify_compact`](crate::jose::verify_compact),
//! [`verify_id_token`](crate::claims::verify_id_token) and the flows above
//! them do not change: a server opts in where it builds its JWKS.
//!
//! ## Why `ring` rather than `aws-lc-rs`
//!
//! Both verify P-256 at about the same speed (`aws-lc-rs` a few per cent
//! faster; both about 2.8 × `p256`). `ring` is itself `#![no_std]` (its `alloc` feature is needed for RSA), so
//! enabling `fast` keeps this crate `no_std` + `alloc`; its C and assembly
//! are compiled by `cc` in seconds with any C compiler. `aws-lc-rs` needs
//! `std` and builds AWS-LC with CMake (and a Go or NASM toolchain on some
//! targets): minutes, more tools, and no `no_std`. Its FIPS mode is the one
//! thing `ring` lacks; a FIPS deployment can add it as a third variant.
//!
//! ## Verification only
//!
//! Signing stays RustCrypto whatever the backend: ECDSA with RFC 6979
//! deterministic nonces, Ed25519 and RSASSA-PKCS1-v1_5 are deterministic, so
//! this sans-IO core needs no randomness to sign. `ring`'s ECDSA and RSA
//! signers draw their nonce or blinding from `ring::rand::SecureRandom`, a
//! sealed trait implemented only by `SystemRandom` (the operating system):
//! the core would have to read the OS RNG, which it never does.
//!
//! ## Identical results
//!
//! `Backend::Fast` returns exactly what `Backend::PureRust` returns, errors
//! included, for every key, algorithm and signature (a property test over
//! random keys, messages and corrupted signatures checks this). What is not
//! arithmetic stays on the pure path: an algorithm the key does not support,
//! a signature of the wrong length or out of range, and HMAC. (RSA keys
//! are admitted alike: both take odd exponents from 3 to 2^33 - 1 and
//! moduli of 2048 to 8192 bits.) Ed25519 keeps `ed25519-dalek`'s strict
//! rules (small-order keys and small-order `R` refused), which `ring` does
//! not apply, by checking them before calling `ring`.
//!
//! [`Jwks::with_backend`]: crate::jose::Jwks::with_backend

#[cfg(feature = "fast")]
mod fast;

use crate::error::Result;
use crate::jose::{Alg, PublicKey};

/// Who does the public-key arithmetic of a verification.
///
/// ```
/// use oidc_hybrid::jose::{Backend, Jwks};
/// let jwks = Jwks::parse(br#"{"keys":[]}"#)?.with_backend(Backend::FASTEST);
/// assert_eq!(jwks.backend(), Backend::FASTEST);
/// assert_eq!(Backend::default(), Backend::PureRust);
/// # Ok::<(), oidc_hybrid::Error>(())
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Backend {
    /// RustCrypto (`p256`, `p384`, `rsa`, `ed25519-dalek`): `no_std`, no C.
    #[default]
    PureRust,
    /// `ring` where it implements the algorithm, else [`Backend::PureRust`]
    /// (feature `fast`).
    #[cfg(feature = "fast")]
    Fast,
}

impl Backend {
    /// The fastest backend compiled into this build: `Fast` with the
    /// feature `fast`, else `PureRust`.
    #[cfg(feature = "fast")]
    pub const FASTEST: Self = Self::Fast;
    /// The fastest backend compiled into this build: `Fast` with the
    /// feature `fast`, else `PureRust`.
    #[cfg(not(feature = "fast"))]
    pub const FASTEST: Self = Self::PureRust;

    /// A short name: `pure-rust` or `ring`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::PureRust => "pure-rust",
            #[cfg(feature = "fast")]
            Self::Fast => "ring",
        }
    }

    /// Whether this backend does the arithmetic itself for `key` and `alg`
    /// (`false`: it hands the verification to [`Backend::PureRust`]).
    #[cfg_attr(not(feature = "fast"), allow(unused_variables))]
    pub fn accelerates(self, key: &PublicKey, alg: Alg) -> bool {
        match self {
            Self::PureRust => false,
            #[cfg(feature = "fast")]
            Self::Fast => fast::accelerates(key, alg),
        }
    }

    /// Verifies `signature` over `message` with `key` and `alg`; the same
    /// answer as [`PublicKey::verify`], computed by this backend.
    pub fn verify(self, key: &PublicKey, alg: Alg, message: &[u8], signature: &[u8]) -> Result<()> {
        match self {
            Self::PureRust => key.verify(alg, message, signature),
            #[cfg(feature = "fast")]
            Self::Fast => fast::verify(key, alg, message, signature),
        }
    }
}
