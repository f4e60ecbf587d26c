//! ID token claims (OIDC Core §2) and the validation rules of §3.1.3.7,
//! §3.2.2.11, §3.3.2.12 and §3.3.3.7.
//!
//! Claims borrow from the decoded payload where the JSON has no escapes. No
//! rule reads a clock: `now` and the leeway are parameters.

mod id_token;
mod validate;

use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use crate::error::{Error, ErrorKind, Result};

pub use id_token::{IdToken, IdTokenCheck, verify_id_token};
pub(crate) use validate::ct_eq;
pub use validate::{Expectations, HashInputs, validate, validate_hashes};

/// Seconds since the Unix epoch, as the caller's clock says.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct UnixTime(pub u64);

impl UnixTime {
    /// The seconds value.
    pub const fn secs(self) -> u64 {
        self.0
    }

    /// `self + secs`, saturating.
    #[must_use]
    pub const fn plus(self, secs: u64) -> Self {
        Self(self.0.saturating_add(secs))
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The `aud` claim: one string or an array of strings (OIDC Core §2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience<'a> {
    /// A single audience.
    One(Cow<'a, str>),
    /// Several audiences.
    Many(Vec<Cow<'a, str>>),
}

impl Audience<'_> {
    /// All audiences.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let (one, many): (Option<&str>, &[Cow<'_, str>]) = match self {
            Self::One(a) => (Some(a.as_ref()), &[]),
            Self::Many(v) => (None, v.as_slice()),
        };
        one.into_iter().chain(many.iter().map(AsRef::as_ref))
    }

    /// How many audiences.
    pub fn len(&self) -> usize {
        match self {
            Self::One(_) => 1,
            Self::Many(v) => v.len(),
        }
    }

    /// Whether there is none (an empty array).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The longest `sub` (OIDC Core §2: "MUST NOT exceed 255 ASCII characters").
pub const MAX_SUB_LEN: usize = 255;

/// Most audiences accepted in one `aud` array.
pub const MAX_AUDIENCES: usize = 16;

impl<'de: 'a, 'a> Deserialize<'de> for Audience<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Audience<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                v: &'de str,
            ) -> core::result::Result<Self::Value, E> {
                Ok(Audience::One(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> core::result::Result<Self::Value, E> {
                Ok(Audience::One(Cow::Owned(v.into())))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> core::result::Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<Cow<'de, str>>()? {
                    if out.len() >= MAX_AUDIENCES {
                        return Err(de::Error::custom("too many audiences"));
                    }
                    out.push(s);
                }
                Ok(Audience::Many(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A NumericDate (RFC 7519 §2): integer seconds; a fractional value is
/// truncated, a negative one refused.
fn numeric_date<'de, D: Deserializer<'de>>(
    d: D,
) -> core::result::Result<Option<UnixTime>, D::Error> {
    let v = Option::<serde_json::Number>::deserialize(d)?;
    match v {
        None => Ok(None),
        Some(n) => {
            if let Some(u) = n.as_u64() {
                Ok(Some(UnixTime(u)))
            } else if let Some(f) = n
                .as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0 && *f < 1.0e15)
            {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                Ok(Some(UnixTime(f as u64)))
            } else {
                Err(de::Error::custom(
                    "NumericDate must be a non-negative number",
                ))
            }
        }
    }
}

/// The claims of an ID token that the rules read. Other claims stay in the
/// payload (see [`IdTokenClaims::parse`]'s input) for the caller.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct IdTokenClaims<'a> {
    /// `iss`.
    #[serde(
        borrow,
        default,
        deserialize_with = "crate::encoding::json::option_cow_str"
    )]
    pub iss: Option<Cow<'a, str>>,
    /// `sub`.
    #[serde(
        borrow,
        default,
        deserialize_with = "crate::encoding::json::option_cow_str"
    )]
    pub sub: Option<Cow<'a, str>>,
    /// `aud`.
    #[serde(borrow, default)]
    pub aud: Option<Audience<'a>>,
    /// `azp`.
    #[serde(
        borrow,
        default,
        deserialize_with = "crate::encoding::json::option_cow_str"
    )]
    pub azp: Option<Cow<'a, str>>,
    /// `exp`.
    #[serde(default, deserialize_with = "numeric_date")]
    pub exp: Option<UnixTime>,
    /// `iat`.
    #[serde(default, deserialize_with = "numeric_date")]
    pub iat: Option<UnixTime>,
    /// `nbf`.
    #[serde(default, deserialize_with = "numeric_date")]
    pub nbf: Option<UnixTime>,
    /// `auth_time`.
    #[serde(default, deserialize_with = "numeric_date")]
    pub auth_time: Option<UnixTime>,
    /// `nonce`.
    #[serde(
        borrow,
        default,
        deserialize_with = "crate::encoding::json::option_cow_str"
    )]
    pub nonce: Option<Cow<'a, str>>,
    /// `acr`.
    #[serde(
        borrow,
        default,
        deserialize_with = "crate::encoding::json::option_cow_str"
    )]
    pub acr: Option<Cow<'a, str>>,
    /// `c_hash`.
    #[serde(
        borrow,
        default,
        deserialize_with = "crate::encoding::json::option_cow_str"
    )]
    pub c_hash: Option<Cow<'a, str>>,
    /// `at_hash`.
    #[serde(
        borrow,
        default,
        deserialize_with = "crate::encoding::json::option_cow_str"
    )]
    pub at_hash: Option<Cow<'a, str>>,
    /// `s_hash`.
    #[serde(
        borrow,
        default,
        deserialize_with = "crate::encoding::json::option_cow_str"
    )]
    pub s_hash: Option<Cow<'a, str>>,
    /// `sid`.
    #[serde(
        borrow,
        default,
        deserialize_with = "crate::encoding::json::option_cow_str"
    )]
    pub sid: Option<Cow<'a, str>>,
}

impl<'a> IdTokenClaims<'a> {
    /// Parses a JWT claims set. A claim of the wrong type or a repeated
    /// known claim is `malformed`.
    pub fn parse(payload: &'a [u8]) -> Result<Self> {
        // RFC 7519 §7.2 step 10: the claims set is a JSON object.
        crate::encoding::json::object(payload, "id_token.claims")
    }

    /// The claims read from an already parsed claims set, borrowing from
    /// it. A claim of the wrong type is `malformed`.
    pub fn from_value(claims: &'a serde_json::Value) -> Result<Self> {
        Self::deserialize(claims).map_err(|_| {
            Error::new(ErrorKind::Malformed, "id_token.claims").expected("well-typed claims")
        })
    }

    /// `sub`, required, at most 255 ASCII characters (OIDC Core §2).
    pub fn subject(&self) -> Result<&str> {
        self.sub
            .as_deref()
            .filter(|s| !s.is_empty() && s.len() <= MAX_SUB_LEN && s.is_ascii())
            .ok_or_else(|| {
                Error::new(ErrorKind::Malformed, "id_token.sub")
                    .expected("a subject of 1 to 255 ASCII characters")
            })
    }
}
