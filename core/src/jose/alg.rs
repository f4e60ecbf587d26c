//! JWS algorithm names (RFC 7518 §3.1, RFC 8037 §3.1).

use core::fmt;

use crate::error::{Error, ErrorKind, Result};

/// A JWS `alg` value. `none` is not representable: it is always refused.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alg {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA P-256 with SHA-256.
    ES256,
    /// ECDSA P-384 with SHA-384.
    ES384,
    /// ECDSA P-521 with SHA-512.
    ES512,
    /// EdDSA (Ed25519 here, RFC 8037).
    EdDSA,
}

impl Alg {
    /// Every algorithm, in a stable order.
    pub const ALL: [Alg; 13] = [
        Self::HS256,
        Self::HS384,
        Self::HS512,
        Self::RS256,
        Self::RS384,
        Self::RS512,
        Self::PS256,
        Self::PS384,
        Self::PS512,
        Self::ES256,
        Self::ES384,
        Self::ES512,
        Self::EdDSA,
    ];

    /// The registered name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::HS256 => "HS256",
            Self::HS384 => "HS384",
            Self::HS512 => "HS512",
            Self::RS256 => "RS256",
            Self::RS384 => "RS384",
            Self::RS512 => "RS512",
            Self::PS256 => "PS256",
            Self::PS384 => "PS384",
            Self::PS512 => "PS512",
            Self::ES256 => "ES256",
            Self::ES384 => "ES384",
            Self::ES512 => "ES512",
            Self::EdDSA => "EdDSA",
        }
    }

    /// Parses a registered name. `none` and unknown names are
    /// `alg_not_allowed` (RFC 8725 §3.1: never trust `alg` from the token).
    pub fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == name)
            .ok_or_else(|| {
                Error::new(ErrorKind::AlgNotAllowed, "alg")
                    .expected("a registered JWS algorithm other than none")
                    .got(name)
            })
    }

    /// Whether this build verifies `self` (ES256 always; the others with the
    /// features `rs256`, `ps256`, `es384`, `eddsa`, `hs256`; ES512 never).
    pub const fn is_supported(self) -> bool {
        match self {
            Self::ES256 => true,
            Self::RS256 | Self::RS384 | Self::RS512 => cfg!(feature = "rs256"),
            Self::PS256 | Self::PS384 | Self::PS512 => cfg!(feature = "ps256"),
            Self::ES384 => cfg!(feature = "es384"),
            Self::EdDSA => cfg!(feature = "eddsa"),
            Self::HS256 | Self::HS384 | Self::HS512 => cfg!(feature = "hs256"),
            Self::ES512 => false,
        }
    }

    /// The `kty` of keys for this algorithm (RFC 7518 §6.1).
    pub const fn key_type(self) -> &'static str {
        match self {
            Self::HS256 | Self::HS384 | Self::HS512 => "oct",
            Self::RS256 | Self::RS384 | Self::RS512 | Self::PS256 | Self::PS384 | Self::PS512 => {
                "RSA"
            }
            Self::ES256 | Self::ES384 | Self::ES512 => "EC",
            Self::EdDSA => "OKP",
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Alg {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Alg {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
        Alg::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_and_unknown_refused() {
        for bad in ["none", "None", "es256", "", "HS1"] {
            assert_eq!(
                Alg::parse(bad).unwrap_err().kind(),
                ErrorKind::AlgNotAllowed
            );
        }
        for a in Alg::ALL {
            assert_eq!(Alg::parse(a.as_str()).unwrap(), a);
        }
    }
}
