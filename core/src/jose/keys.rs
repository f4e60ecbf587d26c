//! Key material: public keys for verification, private keys for signing.
//!
//! ES256 uses `p256` (RFC 6979 deterministic signatures, so signing needs no
//! randomness from the caller).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64ct::{Base64UrlUnpadded, Encoding};
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::jose::jwk::{RawJwk, b64_field, thumbprint_of};
use crate::jose::{Alg, Jwk};

/// A public key this build can verify with.
#[non_exhaustive]
#[derive(Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// An EC P-256 key (ES256).
    P256(p256::ecdsa::VerifyingKey),
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.thumbprint())
    }
}

fn p256_from_xy(x: &[u8], y: &[u8]) -> Result<p256::ecdsa::VerifyingKey> {
    if x.len() != 32 || y.len() != 32 {
        return Err(
            Error::new(ErrorKind::InvalidKey, "jwk.x/y").expected("32-byte P-256 coordinates")
        );
    }
    let mut sec1 = [0u8; 65];
    sec1[0] = 4;
    let (_, rest) = sec1.split_at_mut(1);
    let (xs, ys) = rest.split_at_mut(32);
    xs.copy_from_slice(x);
    ys.copy_from_slice(y);
    p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
        .map_err(|_| Error::new(ErrorKind::InvalidKey, "jwk").expected("a point on P-256"))
}

impl PublicKey {
    pub(crate) fn from_raw(raw: &RawJwk<'_>) -> Result<Option<Self>> {
        match (raw.kty.as_ref(), raw.crv.as_deref()) {
            ("EC", Some("P-256")) => {
                let x = b64_field(raw.x.as_ref(), "jwk.x")?;
                let y = b64_field(raw.y.as_ref(), "jwk.y")?;
                Ok(Some(Self::P256(p256_from_xy(&x, &y)?)))
            }
            // Key types and curves this build does not support are skipped.
            _ => Ok(None),
        }
    }

    /// Whether this key can check signatures made with `alg`.
    pub fn supports(&self, alg: Alg) -> bool {
        matches!((self, alg), (Self::P256(_), Alg::ES256))
    }

    /// Verifies `signature` over `message` with `alg`.
    pub fn verify(&self, alg: Alg, message: &[u8], signature: &[u8]) -> Result<()> {
        match (self, alg) {
            (Self::P256(key), Alg::ES256) => {
                // RFC 7518 §3.4: R || S, 32 bytes each.
                let sig = p256::ecdsa::Signature::from_slice(signature).map_err(|_| {
                    Error::new(ErrorKind::BadSignature, "jws.signature").expected("64 bytes R||S")
                })?;
                key.verify(message, &sig)
                    .map_err(|_| Error::new(ErrorKind::BadSignature, "jws.signature"))
            }
            #[allow(unreachable_patterns)]
            _ => Err(Error::new(ErrorKind::AlgNotAllowed, "jws.header.alg")
                .expected("an algorithm matching the key type")
                .got(alg.as_str())),
        }
    }

    /// The canonical JWK members (RFC 7638 §3.2), which are also the public
    /// JWK's key members.
    fn canonical(&self) -> String {
        match self {
            Self::P256(key) => {
                let point = key.to_sec1_point(false);
                let x = Base64UrlUnpadded::encode_string(
                    point.x().map(|v| v.as_slice()).unwrap_or_default(),
                );
                let y = Base64UrlUnpadded::encode_string(
                    point.y().map(|v| v.as_slice()).unwrap_or_default(),
                );
                let c = CanonicalEc {
                    crv: "P-256",
                    kty: "EC",
                    x: &x,
                    y: &y,
                };
                serde_json::to_string(&c).unwrap_or_default()
            }
        }
    }

    /// The RFC 7638 thumbprint.
    pub fn thumbprint(&self) -> String {
        thumbprint_of(&self.canonical())
    }

    /// The public JWK as a JSON value, with `kid`, `use` and `alg`.
    pub fn to_jwk_json(&self, kid: &str, alg: Alg) -> serde_json::Value {
        let mut v: serde_json::Value =
            serde_json::from_str(&self.canonical()).unwrap_or(serde_json::Value::Null);
        if let Some(obj) = v.as_object_mut() {
            obj.insert("kid".into(), kid.into());
            obj.insert("use".into(), "sig".into());
            obj.insert("alg".into(), alg.as_str().into());
        }
        v
    }
}

// Members in lexicographic order, as RFC 7638 §3.3 requires.
#[derive(Serialize)]
struct CanonicalEc<'a> {
    crv: &'a str,
    kty: &'a str,
    x: &'a str,
    y: &'a str,
}

/// A private signing key with its `kid` and algorithm.
#[derive(Clone)]
pub struct SigningKey {
    kid: String,
    alg: Alg,
    inner: SecretKey,
}

#[derive(Clone)]
enum SecretKey {
    P256(p256::ecdsa::SigningKey),
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// An ES256 key from the 32-byte big-endian scalar `d`. The `kid` is the
    /// RFC 7638 thumbprint.
    pub fn es256_from_bytes(d: &[u8]) -> Result<Self> {
        let key = p256::ecdsa::SigningKey::from_slice(d)
            .map_err(|_| Error::new(ErrorKind::InvalidKey, "d").expected("a P-256 scalar"))?;
        let public = PublicKey::P256(*key.verifying_key());
        Ok(Self {
            kid: public.thumbprint(),
            alg: Alg::ES256,
            inner: SecretKey::P256(key),
        })
    }

    /// A private key from a JWK with `d` (e.g. an element of `keys.json`).
    /// Its `kid` is kept when present, else the thumbprint is used.
    pub fn from_jwk(json: &[u8]) -> Result<Self> {
        let raw: RawJwk<'_> = crate::encoding::json::object(json, "jwk")?;
        let mut key = match (raw.kty.as_ref(), raw.crv.as_deref()) {
            ("EC", Some("P-256")) => {
                let d = b64_field(raw.d.as_ref(), "jwk.d")?;
                let key = Self::es256_from_bytes(&d)?;
                // The public members, when given, must belong to `d`.
                if let Ok(Some(given)) = Jwk::from_raw(&raw)
                    && given.key != key.public_key()
                {
                    return Err(Error::new(ErrorKind::InvalidKey, "jwk").expected("x/y matching d"));
                }
                key
            }
            (kty, crv) => {
                return Err(Error::new(ErrorKind::InvalidKey, "jwk.kty")
                    .expected("EC P-256")
                    .got(&alloc::format!("{kty} {}", crv.unwrap_or(""))));
            }
        };
        if let Some(kid) = raw.kid.as_deref() {
            key.kid = kid.into();
        }
        Ok(key)
    }

    /// Replaces the `kid`.
    #[must_use]
    pub fn with_kid(mut self, kid: &str) -> Self {
        self.kid = kid.into();
        self
    }

    /// The `kid`.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The algorithm this key signs with.
    pub fn alg(&self) -> Alg {
        self.alg
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        match &self.inner {
            SecretKey::P256(k) => PublicKey::P256(*k.verifying_key()),
        }
    }

    /// The public JWK (with `kid`, `use`, `alg`).
    pub fn public_jwk(&self) -> Jwk {
        Jwk {
            kid: Some(self.kid.clone()),
            key_use: Some("sig".into()),
            alg: Some(self.alg),
            ops_allow_verify: true,
            key: self.public_key(),
        }
    }

    /// Signs `message` (deterministically for ES256, RFC 6979).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        match &self.inner {
            SecretKey::P256(k) => {
                let sig: p256::ecdsa::Signature = k.sign(message);
                sig.to_bytes().to_vec()
            }
        }
    }

    /// Signs a JWS with `{"alg":…,"typ":typ,"kid":…}` over `payload_json`
    /// and returns the compact serialization.
    pub fn sign_jws(&self, typ: Option<&str>, payload_json: &[u8]) -> String {
        #[derive(Serialize)]
        struct H<'a> {
            alg: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            typ: Option<&'a str>,
            kid: &'a str,
        }
        let header = serde_json::to_vec(&H {
            alg: self.alg.as_str(),
            typ,
            kid: &self.kid,
        })
        .unwrap_or_default();
        let mut out = crate::jose::jws::signing_input(&header, payload_json);
        let sig = self.sign(out.as_bytes());
        out.push('.');
        out.push_str(&Base64UrlUnpadded::encode_string(&sig));
        out
    }
}
