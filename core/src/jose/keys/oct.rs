//! HMAC keys (feature `hs256`): HS256/384/512 keyed with the client secret
//! (OIDC Core §10.1, RFC 7518 §3.2). Verification is constant-time.

use alloc::vec::Vec;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};

use crate::error::{Error, ErrorKind, Result};
use crate::jose::Alg;

fn bad() -> Error {
    Error::new(ErrorKind::BadSignature, "jws.signature")
}

/// RFC 7518 §3.2: the key must be at least as long as the hash output.
pub(super) fn check_len(alg: Alg, key: &[u8]) -> Result<()> {
    let min = match alg {
        Alg::HS256 => 32,
        Alg::HS384 => 48,
        Alg::HS512 => 64,
        _ => return Err(Error::new(ErrorKind::AlgNotAllowed, "jws.header.alg").got(alg.as_str())),
    };
    if key.len() < min {
        return Err(
            Error::new(ErrorKind::InvalidKey, "client_secret").expected(&alloc::format!(
                "at least {min} bytes for {alg} (RFC 7518 §3.2)"
            )),
        );
    }
    Ok(())
}

pub(super) fn verify(key: &[u8], alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
    check_len(alg, key)?;
    match alg {
        Alg::HS256 => {
            let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).map_err(|_| bad())?;
            m.update(msg);
            m.verify_slice(sig).map_err(|_| bad())
        }
        Alg::HS384 => {
            let mut m = <Hmac<Sha384> as KeyInit>::new_from_slice(key).map_err(|_| bad())?;
            m.update(msg);
            m.verify_slice(sig).map_err(|_| bad())
        }
        Alg::HS512 => {
            let mut m = <Hmac<Sha512> as KeyInit>::new_from_slice(key).map_err(|_| bad())?;
            m.update(msg);
            m.verify_slice(sig).map_err(|_| bad())
        }
        _ => Err(Error::new(ErrorKind::AlgNotAllowed, "jws.header.alg").got(alg.as_str())),
    }
}

pub(super) fn sign(key: &[u8], alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
    check_len(alg, key)?;
    Ok(match alg {
        Alg::HS256 => {
            let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).map_err(|_| bad())?;
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }
        Alg::HS384 => {
            let mut m = <Hmac<Sha384> as KeyInit>::new_from_slice(key).map_err(|_| bad())?;
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }
        _ => {
            let mut m = <Hmac<Sha512> as KeyInit>::new_from_slice(key).map_err(|_| bad())?;
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }
    })
}
