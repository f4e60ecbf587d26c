//! JOSE: JWS compact parsing and verification, JWK / JWKS, key selection,
//! signing, RFC 7638 thumbprints.
//!
//! The algorithm is always decided by the caller (the client's registered
//! `id_token_signed_response_alg`), never by the token; `none` is refused.

pub mod alg;
pub mod backend;
pub mod jwk;
pub mod jws;
pub mod keys;

pub use alg::Alg;
pub use backend::Backend;
pub use jwk::{Jwk, Jwks};
pub use jws::{Header, Jws};
#[cfg(feature = "hs256")]
pub use keys::sign_hmac_jws;
pub use keys::{PublicKey, SigningKey};

use crate::error::Result;

/// Parses `token`, checks its `alg` is in `allowed`, selects the key from
/// `jwks` by `kid` and verifies the signature with the key set's
/// [`Backend`]. Returns the parsed JWS and the algorithm it was verified with.
pub fn verify_compact<'t>(token: &'t str, allowed: &[Alg], jwks: &Jwks) -> Result<(Jws<'t>, Alg)> {
    let jws = Jws::parse(token)?;
    let alg = jws.expect_alg(allowed)?;
    // An allowed algorithm this build cannot verify is refused up front,
    // rather than reported as a missing key.
    if !alg.is_supported() {
        return Err(
            crate::Error::new(crate::ErrorKind::AlgNotAllowed, "jws.header.alg")
                .expected("an algorithm compiled into this build (see the crate features)")
                .got(alg.as_str()),
        );
    }
    let key = jwks.select(alg, jws.kid())?;
    jwks.backend().verify(
        &key.key,
        alg,
        jws.signing_input().as_bytes(),
        jws.signature(),
    )?;
    Ok((jws, alg))
}
