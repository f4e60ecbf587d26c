//! JSON Web Keys (RFC 7517), key sets, key selection and RFC 7638
//! thumbprints.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Result};
use crate::jose::keys::PublicKey;
use crate::jose::{Alg, Backend};

/// Longest JWKS document accepted, bytes.
pub const MAX_JWKS_LEN: usize = 64 * 1024;
/// Most keys kept from one JWKS.
pub const MAX_KEYS: usize = 32;

/// One public key with the metadata used to select it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jwk {
    /// `kid`, if any.
    pub kid: Option<String>,
    /// `use`, if any (`sig` or `enc`).
    pub key_use: Option<String>,
    /// `alg`, if any and known.
    pub alg: Option<Alg>,
    /// Whether `key_ops` (if present) allows `verify`.
    pub ops_allow_verify: bool,
    /// The key material.
    pub key: PublicKey,
}

/// The members of a JWK this core reads; unknown members are ignored.
#[derive(Deserialize)]
#[allow(dead_code)] // Some members are read only with some features.
pub(crate) struct RawJwk<'a> {
    #[serde(borrow)]
    pub kty: Cow<'a, str>,
    #[serde(borrow, default)]
    pub crv: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub x: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub y: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub n: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub e: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub d: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub p: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub q: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub kid: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "use")]
    pub key_use: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub alg: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub key_ops: Option<Vec<Cow<'a, str>>>,
}

#[derive(Deserialize)]
struct RawJwks {
    // Kept as values so each key can be required to be an object.
    keys: Vec<serde_json::Value>,
}

pub(crate) fn b64_field(v: Option<&Cow<'_, str>>, what: &'static str) -> Result<Vec<u8>> {
    let s = v.ok_or_else(|| Error::new(ErrorKind::InvalidKey, what).expected("present"))?;
    Base64UrlUnpadded::decode_vec(s)
        .map_err(|_| Error::new(ErrorKind::InvalidKey, what).expected("base64url without padding"))
}

impl Jwk {
    /// Parses one public JWK. `Ok(None)` for key types or curves this build
    /// does not support (they are skipped in a set, not fatal).
    pub fn parse(json: &[u8]) -> Result<Option<Self>> {
        let raw: RawJwk<'_> = crate::encoding::json::object(json, "jwk")?;
        Self::from_raw(&raw)
    }

    pub(crate) fn from_raw(raw: &RawJwk<'_>) -> Result<Option<Self>> {
        let Some(key) = PublicKey::from_raw(raw)? else {
            return Ok(None);
        };
        Ok(Some(Self {
            kid: raw.kid.as_deref().map(String::from),
            key_use: raw.key_use.as_deref().map(String::from),
            // An alg this core does not know (e.g. an encryption alg) makes the
            // key unusable for signatures, but is not an error.
            alg: raw.alg.as_deref().and_then(|a| Alg::parse(a).ok()),
            ops_allow_verify: raw
                .key_ops
                .as_ref()
                .is_none_or(|ops| ops.iter().any(|o| o == "verify")),
            key,
        }))
    }

    /// Whether this key may verify a signature made with `alg`
    /// (RFC 7517 §4.2 `use`, §4.3 `key_ops`, §4.4 `alg`).
    pub fn usable_for(&self, alg: Alg) -> bool {
        self.key.supports(alg)
            && self.key_use.as_deref().is_none_or(|u| u == "sig")
            && self.ops_allow_verify
            && self.alg.is_none_or(|a| a == alg)
    }

    /// The RFC 7638 thumbprint (SHA-256, base64url).
    pub fn thumbprint(&self) -> String {
        self.key.thumbprint()
    }
}

/// A JWK Set: the usable public keys of a provider, and the [`Backend`]
/// that verifies signatures with them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Jwks {
    keys: Vec<Jwk>,
    backend: Backend,
}

impl Jwks {
    /// Parses a JWKS document. Keys of unsupported types or curves are
    /// skipped; a malformed key of a supported type is an error.
    pub fn parse(json: &[u8]) -> Result<Self> {
        if json.len() > MAX_JWKS_LEN {
            return Err(Error::new(ErrorKind::TooLarge, "jwks")
                .expected(&alloc::format!("at most {MAX_JWKS_LEN} bytes")));
        }
        // RFC 7517 §5: a JSON object with a "keys" array of JWK objects.
        let raw: RawJwks = crate::encoding::json::object(json, "jwks")?;
        if raw.keys.len() > MAX_KEYS {
            return Err(Error::new(ErrorKind::TooLarge, "jwks.keys")
                .expected(&alloc::format!("at most {MAX_KEYS} keys")));
        }
        let mut keys = Vec::with_capacity(raw.keys.len());
        for k in &raw.keys {
            if !k.is_object() {
                return Err(Error::new(ErrorKind::Malformed, "jwks.keys").expected("JWK objects"));
            }
            let k = RawJwk::deserialize(k).map_err(|_| {
                Error::new(ErrorKind::Malformed, "jwks.keys").expected("well-typed JWK members")
            })?;
            if let Some(jwk) = Jwk::from_raw(&k)? {
                keys.push(jwk);
            }
        }
        Ok(Self::from_keys(keys))
    }

    /// A set of the given keys, verified with the default backend.
    pub fn from_keys(keys: Vec<Jwk>) -> Self {
        Self {
            keys,
            backend: Backend::default(),
        }
    }

    /// The same keys, verified with `backend` (e.g. `Backend::Fast` with
    /// the feature `fast`). Results are identical; only speed differs.
    #[must_use]
    pub fn with_backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The backend that verifies signatures with these keys.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The keys.
    pub fn keys(&self) -> &[Jwk] {
        &self.keys
    }

    /// Selects the key to verify a token signed with `alg` and carrying
    /// `kid` (OIDC Core §10.1: with several keys the `kid` must identify one).
    ///
    /// - `kid` present: the usable key with that `kid`, else `unknown_kid`
    ///   (the caller should refetch the JWKS once: the provider may have
    ///   rotated its keys); several usable keys with that `kid` is
    ///   `ambiguous_key`.
    /// - `kid` absent: the one usable key; none is `unknown_kid`; several is
    ///   `ambiguous_key`.
    pub fn select(&self, alg: Alg, kid: Option<&str>) -> Result<&Jwk> {
        let mut usable = self.keys.iter().filter(|k| k.usable_for(alg));
        match kid {
            Some(kid) => {
                let mut named = usable.filter(|k| k.kid.as_deref() == Some(kid));
                let first = named
                    .next()
                    .ok_or_else(|| Error::new(ErrorKind::UnknownKid, "jws.header.kid").got(kid))?;
                // A kid shared by several usable keys identifies none of them.
                if named.next().is_some() {
                    return Err(Error::new(ErrorKind::AmbiguousKey, "jws.header.kid")
                        .expected("a kid naming one key")
                        .got(kid));
                }
                Ok(first)
            }
            None => {
                let first = usable.next().ok_or_else(|| {
                    Error::new(ErrorKind::UnknownKid, "jwks")
                        .expected(&alloc::format!("a key usable for {alg}"))
                })?;
                if usable.next().is_some() {
                    return Err(Error::new(ErrorKind::AmbiguousKey, "jws.header.kid")
                        .expected("a kid, since the JWKS holds several usable keys"));
                }
                Ok(first)
            }
        }
    }
}

/// SHA-256 of the canonical JSON, base64url (RFC 7638 §3).
pub(crate) fn thumbprint_of(canonical: &str) -> String {
    Base64UrlUnpadded::encode_string(&Sha256::digest(canonical.as_bytes()))
}
