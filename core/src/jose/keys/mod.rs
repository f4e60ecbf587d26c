//! Key material: public keys for verification, private keys for signing.
//!
//! ES256 (`p256`) is always built. RS*, PS*, ES384, EdDSA and HS* come with
//! the features `rs256` (default), `ps256`, `es384`, `eddsa` and `hs256`. Every
//! implementation here is RustCrypto, `no_std` + `alloc`; with the feature
//! `fast`, [`Backend::Fast`](crate::jose::Backend) verifies with `ring`
//! instead, and signing stays here (RFC 6979, no RNG).

mod ec;
#[cfg(feature = "hs256")]
mod oct;
#[cfg(feature = "eddsa")]
mod okp;
#[cfg(any(feature = "rs256", feature = "ps256"))]
mod rsa_key;

#[cfg(any(feature = "rs256", feature = "ps256"))]
pub use rsa_key::{MAX_RSA_BITS, MIN_RSA_BITS};

#[cfg(any(feature = "rs256", feature = "ps256", feature = "eddsa"))]
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::jose::jwk::{RawJwk, thumbprint_of};
use crate::jose::{Alg, Jwk};

/// A public (or, for HMAC, shared) key this build can verify with.
#[non_exhaustive]
#[derive(Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// An EC P-256 key (ES256).
    P256(p256::ecdsa::VerifyingKey),
    /// An EC P-384 key (ES384).
    #[cfg(feature = "es384")]
    P384(p384::ecdsa::VerifyingKey),
    /// An RSA key (RS256/384/512, PS256/384/512), at least 2048 bits.
    #[cfg(any(feature = "rs256", feature = "ps256"))]
    Rsa(Box<rsa::PublicKey>),
    /// An Ed25519 key (EdDSA).
    #[cfg(feature = "eddsa")]
    Ed25519(ed25519_dalek::VerifyingKey),
    /// A shared secret (HS256/384/512), e.g. the client secret.
    #[cfg(feature = "hs256")]
    Oct(SharedSecret),
}

/// A shared HMAC secret; `Debug` never shows it.
#[cfg(feature = "hs256")]
#[derive(Clone, PartialEq, Eq)]
pub struct SharedSecret(Vec<u8>);

#[cfg(feature = "hs256")]
impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedSecret(redacted)")
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({} {})", self.key_type(), self.thumbprint())
    }
}

#[cfg(feature = "hs256")]
#[derive(Serialize)]
struct CanonicalOct<'a> {
    k: &'a str,
    kty: &'a str,
}

impl PublicKey {
    pub(crate) fn from_raw(raw: &RawJwk<'_>) -> Result<Option<Self>> {
        match (raw.kty.as_ref(), raw.crv.as_deref()) {
            ("EC", Some("P-256")) => Ok(Some(Self::P256(ec::p256_public(raw)?))),
            #[cfg(feature = "es384")]
            ("EC", Some("P-384")) => Ok(Some(Self::P384(ec::p384_public(raw)?))),
            #[cfg(any(feature = "rs256", feature = "ps256"))]
            ("RSA", _) => Ok(Some(Self::Rsa(rsa_key::public(raw)?))),
            #[cfg(feature = "eddsa")]
            ("OKP", Some("Ed25519")) => Ok(Some(Self::Ed25519(okp::public(raw)?))),
            // Key types and curves this build does not support (and `oct`
            // keys, which never belong in a published JWKS) are skipped.
            _ => Ok(None),
        }
    }

    /// An HMAC key from the client secret (OIDC Core §10.1: the octets of
    /// the UTF-8 representation of the client_secret).
    #[cfg(feature = "hs256")]
    pub fn from_client_secret(secret: &str) -> Self {
        Self::Oct(SharedSecret(secret.as_bytes().to_vec()))
    }

    /// The JWK `kty`.
    pub fn key_type(&self) -> &'static str {
        match self {
            Self::P256(_) => "EC",
            #[cfg(feature = "es384")]
            Self::P384(_) => "EC",
            #[cfg(any(feature = "rs256", feature = "ps256"))]
            Self::Rsa(_) => "RSA",
            #[cfg(feature = "eddsa")]
            Self::Ed25519(_) => "OKP",
            #[cfg(feature = "hs256")]
            Self::Oct(_) => "oct",
        }
    }

    /// Whether this key can check signatures made with `alg`: the key type
    /// and curve must be the algorithm's (RFC 7518 §3.1; this is what
    /// refuses an HS256 token checked against an RSA public key).
    pub fn supports(&self, alg: Alg) -> bool {
        match self {
            Self::P256(_) => alg == Alg::ES256,
            #[cfg(feature = "es384")]
            Self::P384(_) => alg == Alg::ES384,
            #[cfg(any(feature = "rs256", feature = "ps256"))]
            Self::Rsa(_) => rsa_key::supports(alg),
            #[cfg(feature = "eddsa")]
            Self::Ed25519(_) => alg == Alg::EdDSA,
            #[cfg(feature = "hs256")]
            Self::Oct(_) => matches!(alg, Alg::HS256 | Alg::HS384 | Alg::HS512),
        }
    }

    /// Verifies `signature` over `message` with `alg`, in pure Rust
    /// ([`Backend::PureRust`](crate::jose::Backend::PureRust); a key set
    /// picks its backend with [`Jwks::with_backend`](crate::jose::Jwks::with_backend)).
    pub fn verify(&self, alg: Alg, message: &[u8], signature: &[u8]) -> Result<()> {
        if !self.supports(alg) {
            return Err(Error::new(ErrorKind::AlgNotAllowed, "jws.header.alg")
                .expected(&alloc::format!(
                    "an algorithm for this {} key",
                    self.key_type()
                ))
                .got(alg.as_str()));
        }
        match self {
            Self::P256(key) => ec::p256_verify(key, message, signature),
            #[cfg(feature = "es384")]
            Self::P384(key) => ec::p384_verify(key, message, signature),
            #[cfg(any(feature = "rs256", feature = "ps256"))]
            Self::Rsa(key) => rsa_key::verify(key, alg, message, signature),
            #[cfg(feature = "eddsa")]
            Self::Ed25519(key) => okp::verify(key, message, signature),
            #[cfg(feature = "hs256")]
            Self::Oct(SharedSecret(key)) => oct::verify(key, alg, message, signature),
        }
    }

    /// The canonical JWK members (RFC 7638 §3.2), which are also the public
    /// JWK's key members.
    fn canonical(&self) -> String {
        match self {
            Self::P256(key) => ec::p256_canonical(key),
            #[cfg(feature = "es384")]
            Self::P384(key) => ec::p384_canonical(key),
            #[cfg(any(feature = "rs256", feature = "ps256"))]
            Self::Rsa(key) => rsa_key::canonical(key),
            #[cfg(feature = "eddsa")]
            Self::Ed25519(key) => okp::canonical(key),
            #[cfg(feature = "hs256")]
            Self::Oct(SharedSecret(key)) => {
                let k = Base64UrlUnpadded::encode_string(key);
                serde_json::to_string(&CanonicalOct { k: &k, kty: "oct" }).unwrap_or_default()
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
    #[cfg(feature = "es384")]
    P384(p384::ecdsa::SigningKey),
    #[cfg(feature = "rs256")]
    Rsa(Box<rsa::PrivateKey>),
    #[cfg(feature = "eddsa")]
    Ed25519(Box<ed25519_dalek::SigningKey>),
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
    fn new(alg: Alg, inner: SecretKey) -> Self {
        let mut key = Self {
            kid: String::new(),
            alg,
            inner,
        };
        key.kid = key.public_key().thumbprint();
        key
    }

    /// An ES256 key from the 32-byte big-endian scalar `d`. The `kid` is the
    /// RFC 7638 thumbprint.
    pub fn es256_from_bytes(d: &[u8]) -> Result<Self> {
        Ok(Self::new(Alg::ES256, SecretKey::P256(ec::p256_private(d)?)))
    }

    /// An Ed25519 key from its 32-byte seed. The `kid` is the thumbprint.
    #[cfg(feature = "eddsa")]
    pub fn ed25519_from_seed(seed: &[u8; 32]) -> Self {
        Self::new(
            Alg::EdDSA,
            SecretKey::Ed25519(Box::new(ed25519_dalek::SigningKey::from_bytes(seed))),
        )
    }

    /// A private key from a JWK with its private members (e.g. an element of
    /// a provider's `keys.json`). The algorithm is the JWK's `alg`, else the
    /// key type's usual one (ES256, ES384, RS256, EdDSA). Its `kid` is kept
    /// when present, else the thumbprint is used. The public members, when
    /// given, must belong to the private key.
    pub fn from_jwk(json: &[u8]) -> Result<Self> {
        let raw: RawJwk<'_> = crate::encoding::json::object(json, "jwk")?;
        let named = raw.alg.as_deref().map(Alg::parse).transpose()?;
        let mut key = match (raw.kty.as_ref(), raw.crv.as_deref()) {
            ("EC", Some("P-256")) => {
                let d = crate::jose::jwk::b64_field(raw.d.as_ref(), "jwk.d")?;
                Self::new(
                    named.unwrap_or(Alg::ES256),
                    SecretKey::P256(ec::p256_private(&d)?),
                )
            }
            #[cfg(feature = "es384")]
            ("EC", Some("P-384")) => {
                let d = crate::jose::jwk::b64_field(raw.d.as_ref(), "jwk.d")?;
                Self::new(
                    named.unwrap_or(Alg::ES384),
                    SecretKey::P384(ec::p384_private(&d)?),
                )
            }
            #[cfg(feature = "rs256")]
            ("RSA", _) => Self::new(
                named.unwrap_or(Alg::RS256),
                SecretKey::Rsa(rsa_key::private(&raw)?),
            ),
            #[cfg(feature = "eddsa")]
            ("OKP", Some("Ed25519")) => Self::new(
                named.unwrap_or(Alg::EdDSA),
                SecretKey::Ed25519(Box::new(okp::private(&raw)?)),
            ),
            (kty, crv) => {
                return Err(Error::new(ErrorKind::InvalidKey, "jwk.kty")
                    .expected("a private key type this build signs with")
                    .got(&alloc::format!("{kty} {}", crv.unwrap_or(""))));
            }
        };
        if !key.public_key().supports(key.alg) || !key.can_sign(key.alg) {
            return Err(Error::new(ErrorKind::InvalidKey, "jwk.alg")
                .expected("an algorithm this key type signs with")
                .got(key.alg.as_str()));
        }
        if let Ok(Some(given)) = Jwk::from_raw(&raw)
            && given.key != key.public_key()
        {
            return Err(Error::new(ErrorKind::InvalidKey, "jwk")
                .expected("public members matching the private key"));
        }
        if let Some(kid) = raw.kid.as_deref() {
            key.kid = kid.into();
        }
        Ok(key)
    }

    fn can_sign(&self, alg: Alg) -> bool {
        match &self.inner {
            SecretKey::P256(_) => alg == Alg::ES256,
            #[cfg(feature = "es384")]
            SecretKey::P384(_) => alg == Alg::ES384,
            #[cfg(feature = "rs256")]
            SecretKey::Rsa(_) => matches!(alg, Alg::RS256 | Alg::RS384 | Alg::RS512),
            #[cfg(feature = "eddsa")]
            SecretKey::Ed25519(_) => alg == Alg::EdDSA,
        }
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
            #[cfg(feature = "es384")]
            SecretKey::P384(k) => PublicKey::P384(*k.verifying_key()),
            #[cfg(feature = "rs256")]
            SecretKey::Rsa(k) => PublicKey::Rsa(rsa_key::public_of(k)),
            #[cfg(feature = "eddsa")]
            SecretKey::Ed25519(k) => PublicKey::Ed25519(k.verifying_key()),
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

    /// Signs `message` with this key's algorithm (deterministic for ES256,
    /// ES384 (RFC 6979), RS256 and EdDSA).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        match &self.inner {
            SecretKey::P256(k) => ec::p256_sign(k, message),
            #[cfg(feature = "es384")]
            SecretKey::P384(k) => ec::p384_sign(k, message),
            // from_jwk only admits RS256/384/512 for RSA keys, so this cannot fail
            // for a key it built; an empty signature would never verify.
            #[cfg(feature = "rs256")]
            SecretKey::Rsa(k) => rsa_key::sign(k, self.alg, message).unwrap_or_default(),
            #[cfg(feature = "eddsa")]
            SecretKey::Ed25519(k) => okp::sign(k, message),
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

/// Signs an HS256/384/512 JWS keyed with `secret` (OIDC Core §10.1).
#[cfg(feature = "hs256")]
pub fn sign_hmac_jws(secret: &str, alg: Alg, payload_json: &[u8]) -> Result<String> {
    #[derive(Serialize)]
    struct H<'a> {
        alg: &'a str,
        typ: &'a str,
    }
    let header = serde_json::to_vec(&H {
        alg: alg.as_str(),
        typ: "JWT",
    })
    .unwrap_or_default();
    let mut out = crate::jose::jws::signing_input(&header, payload_json);
    let sig = oct::sign(secret.as_bytes(), alg, out.as_bytes())?;
    out.push('.');
    out.push_str(&Base64UrlUnpadded::encode_string(&sig));
    Ok(out)
}
