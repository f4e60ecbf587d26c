//! `response_type` (OAuth 2.0 Multiple Response Type Encoding Practices §3,
//! OIDC Core §3.3) and `response_mode` (Multiple Response Types §2.1, OAuth
//! 2.0 Form Post Response Mode §2).

use core::fmt;

use crate::error::{Error, ErrorKind, Result};

/// The response types of the authorization code and hybrid flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResponseType {
    /// `code` (OIDC Core §3.1).
    Code,
    /// `code id_token` (OIDC Core §3.3).
    CodeIdToken,
    /// `code token` (OIDC Core §3.3).
    CodeToken,
    /// `code id_token token` (OIDC Core §3.3).
    CodeIdTokenToken,
}

impl ResponseType {
    /// Every response type, in a stable order.
    pub const ALL: [ResponseType; 4] = [
        Self::Code,
        Self::CodeIdToken,
        Self::CodeToken,
        Self::CodeIdTokenToken,
    ];

    /// The registered value, in the canonical order.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::CodeIdToken => "code id_token",
            Self::CodeToken => "code token",
            Self::CodeIdTokenToken => "code id_token token",
        }
    }

    /// Parses a space-delimited value. Order does not matter (Multiple
    /// Response Types §3); a repeated or unknown member, or a type without
    /// `code`, is `invalid_parameter`.
    pub fn parse(value: &str) -> Result<Self> {
        let bad = || {
            Error::new(ErrorKind::InvalidParameter, "response_type")
                .expected("code, code id_token, code token or code id_token token")
                .got(value)
        };
        let (mut code, mut id_token, mut token) = (false, false, false);
        for member in value.split(' ') {
            let seen = match member {
                "code" => &mut code,
                "id_token" => &mut id_token,
                "token" => &mut token,
                _ => return Err(bad()),
            };
            if *seen {
                return Err(bad());
            }
            *seen = true;
        }
        match (code, id_token, token) {
            (true, false, false) => Ok(Self::Code),
            (true, true, false) => Ok(Self::CodeIdToken),
            (true, false, true) => Ok(Self::CodeToken),
            (true, true, true) => Ok(Self::CodeIdTokenToken),
            _ => Err(bad()),
        }
    }

    /// Whether the authorization endpoint returns an ID token.
    pub const fn returns_id_token(self) -> bool {
        matches!(self, Self::CodeIdToken | Self::CodeIdTokenToken)
    }

    /// Whether the authorization endpoint returns an access token.
    pub const fn returns_access_token(self) -> bool {
        matches!(self, Self::CodeToken | Self::CodeIdTokenToken)
    }

    /// Whether the authorization endpoint returns any token, which rules out
    /// the `query` mode (Multiple Response Types §5).
    pub const fn returns_tokens(self) -> bool {
        self.returns_id_token() || self.returns_access_token()
    }

    /// The default mode: `query` for `code`, `fragment` for the hybrid types
    /// (Multiple Response Types §2.1, §3; OIDC Core §3.3.2.5).
    pub const fn default_mode(self) -> ResponseMode {
        if self.returns_tokens() {
            ResponseMode::Fragment
        } else {
            ResponseMode::Query
        }
    }

    /// Checks that `mode` may carry this type's response: `query` never
    /// carries tokens (Multiple Response Types §5: "MUST NOT use the query
    /// encoding"), so it is `invalid_parameter` for the hybrid types.
    pub fn check_mode(self, mode: ResponseMode) -> Result<()> {
        if mode == ResponseMode::Query && self.returns_tokens() {
            return Err(Error::new(ErrorKind::InvalidParameter, "response_mode")
                .expected("fragment or form_post for a type that returns tokens")
                .got(self.as_str()));
        }
        Ok(())
    }
}

impl fmt::Display for ResponseType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the authorization response reaches the redirect URI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResponseMode {
    /// In the query string (`?…`).
    Query,
    /// In the fragment (`#…`), read by the user agent.
    Fragment,
    /// As an auto-submitted `application/x-www-form-urlencoded` POST.
    FormPost,
}

impl ResponseMode {
    /// Every mode, in a stable order.
    pub const ALL: [ResponseMode; 3] = [Self::Query, Self::Fragment, Self::FormPost];

    /// The registered value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Fragment => "fragment",
            Self::FormPost => "form_post",
        }
    }

    /// Parses a registered value; anything else is `invalid_parameter`.
    pub fn parse(value: &str) -> Result<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|m| m.as_str() == value)
            .ok_or_else(|| {
                Error::new(ErrorKind::InvalidParameter, "response_mode")
                    .expected("query, fragment or form_post")
                    .got(value)
            })
    }
}

impl fmt::Display for ResponseMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! serde_as_str {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> core::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> core::result::Result<Self, D::Error> {
                let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
                <$ty>::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

serde_as_str!(ResponseType);
serde_as_str!(ResponseMode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_in_any_order() {
        assert_eq!(
            ResponseType::parse("token id_token code").unwrap(),
            ResponseType::CodeIdTokenToken
        );
        assert_eq!(
            ResponseType::parse("id_token code").unwrap(),
            ResponseType::CodeIdToken
        );
        for t in ResponseType::ALL {
            assert_eq!(ResponseType::parse(t.as_str()).unwrap(), t);
        }
        for bad in [
            "",
            "id_token",
            "id_token token",
            "code code",
            "code  token",
            "Code",
            "none",
        ] {
            assert_eq!(
                ResponseType::parse(bad).unwrap_err().code(),
                "invalid_parameter",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn query_never_carries_tokens() {
        for t in ResponseType::ALL {
            assert_eq!(
                t.check_mode(ResponseMode::Query).is_ok(),
                t == ResponseType::Code
            );
            assert!(t.check_mode(ResponseMode::Fragment).is_ok());
            assert!(t.check_mode(ResponseMode::FormPost).is_ok());
            assert!(t.check_mode(t.default_mode()).is_ok());
        }
        assert_eq!(ResponseType::Code.default_mode(), ResponseMode::Query);
        assert_eq!(
            ResponseType::CodeToken.default_mode(),
            ResponseMode::Fragment
        );
    }

    #[test]
    fn serde_uses_the_registered_names() {
        let j = serde_json::to_string(&ResponseType::CodeIdToken).unwrap();
        assert_eq!(j, "\"code id_token\"");
        let m: ResponseMode = serde_json::from_str("\"form_post\"").unwrap();
        assert_eq!(m, ResponseMode::FormPost);
        assert!(serde_json::from_str::<ResponseMode>("\"web_message\"").is_err());
    }
}
