//! # oidc-hybrid
//!
//! A `no_std`, sans-IO protocol core for the OpenID Connect Hybrid Flow
//! (OIDC Core 1.0 §3.3), for both the relying party and the provider.
//!
//! The core never does I/O, never reads a clock and never makes randomness:
//! the caller passes `now` ([`UnixTime`]), random bytes and the raw inputs it
//! received, and gets back values — requests to send, responses to return,
//! validated tokens, typed [`Error`]s with stable codes, and records to store.
//!
//! Layers, bottom to top:
//!
//! | module | owns |
//! | --- | --- |
//! | [`encoding`] | strict form / query / fragment parsing and writing; HTML escaping |
//! | [`jose`] | JWS compact, `alg` allowlist, JWK / JWKS, key selection, ES256, thumbprints |
//! | [`hash`] | `c_hash`, `at_hash`, `s_hash`: compute and constant-time verify, zero allocation |
//! | [`claims`] | ID token claims and their rules (OIDC Core §3.1.3.7, §3.3.2.12) |
//! | [`rp`] | the relying party: `begin` → `PendingAuth` → `Callback` → `Session` (OIDC Core §3.3, §12, §5.3) |
//! | [`discovery`] | provider metadata (OIDC Discovery §3, §4.3 issuer equality), https-or-loopback |
//! | [`op`] | the provider: authorization, token, refresh, UserInfo, discovery, JWKS; records, no storage |
//!
//! ```
//! use oidc_hybrid::{hash, jose::Alg};
//! // OIDC Core 1.0 Appendix A.4: the c_hash of the example code.
//! let c_hash = hash::half_hash(Alg::ES256, b"Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk");
//! assert_eq!(c_hash.as_str(), "LDktKdoQak3Pk0cnXxCltA");
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::std_instead_of_core, clippy::std_instead_of_alloc)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::todo,
        clippy::unimplemented
    )
)]

extern crate alloc;

pub mod claims;
pub mod discovery;
pub mod encoding;
pub mod error;
pub mod hash;
pub mod jose;
pub mod op;
pub mod rp;

pub use claims::UnixTime;
pub use error::{Error, ErrorKind, Result};
