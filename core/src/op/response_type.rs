//! Response types of the code and hybrid flows and the response modes that
//! carry them (OAuth 2.0 Multiple Response Type Encoding Practices §2, §3, §5;
//! OAuth 2.0 Form Post Response Mode §2).

use core::fmt;

use serde::{Deserialize, Serialize};

/// A response type this provider serves: the code flow and the three hybrid
/// flows (OIDC Core §3.1, §3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResponseType {
    /// `code` (OIDC Core §3.1).
    #[serde(rename = "code")]
    Code,
    /// `code id_token` (OIDC Core §3.3).
    #[serde(rename = "code id_token")]
    CodeIdToken,
    /// `code token` (OIDC Core §3.3).
    #[serde(rename = "code token")]
    CodeToken,
    /// `code id_token token` (OIDC Core §3.3).
    #[serde(rename = "code id_token token")]
    CodeIdTokenToken,
}

impl ResponseType {
    /// Every supported response type.
    pub const ALL: [ResponseType; 4] = [
        Self::Code,
        Self::CodeIdToken,
        Self::CodeToken,
        Self::CodeIdTokenToken,
    ];

    /// The canonical value (space-separated, in this order).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::CodeIdToken => "code id_token",
            Self::CodeToken => "code token",
            Self::CodeIdTokenToken => "code id_token token",
        }
    }

    /// Parses a `response_type` value. The order of the space-separated
    /// values does not matter (Multiple Response Types §3); a repeated or
    /// unknown value, or a combination this provider does not serve, is
    /// `None`.
    pub fn parse(value: &str) -> Option<Self> {
        let (mut code, mut id_token, mut token) = (false, false, false);
        for part in value.split(' ') {
            let seen = match part {
                "code" => &mut code,
                "id_token" => &mut id_token,
                "token" => &mut token,
                _ => return None,
            };
            if *seen {
                return None;
            }
            *seen = true;
        }
        match (code, id_token, token) {
            (true, false, false) => Some(Self::Code),
            (true, true, false) => Some(Self::CodeIdToken),
            (true, false, true) => Some(Self::CodeToken),
            (true, true, true) => Some(Self::CodeIdTokenToken),
            _ => None,
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

    /// The default response mode: `query` for `code`, `fragment` for types
    /// that return tokens (Multiple Response Types §2.1, §3).
    pub const fn default_mode(self) -> ResponseMode {
        match self {
            Self::Code => ResponseMode::Query,
            _ => ResponseMode::Fragment,
        }
    }
}

impl fmt::Display for ResponseType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the authorization response reaches the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    /// Parameters in the redirect URI's query.
    Query,
    /// Parameters in the redirect URI's fragment.
    Fragment,
    /// An auto-submitting HTML form that POSTs the parameters.
    FormPost,
}

impl ResponseMode {
    /// Every response mode.
    pub const ALL: [ResponseMode; 3] = [Self::Query, Self::Fragment, Self::FormPost];

    /// The wire value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Fragment => "fragment",
            Self::FormPost => "form_post",
        }
    }

    /// Parses a `response_mode` value.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == value)
    }
}

impl fmt::Display for ResponseMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_free_and_strict() {
        assert_eq!(
            ResponseType::parse("token id_token code"),
            Some(ResponseType::CodeIdTokenToken)
        );
        assert_eq!(
            ResponseType::parse("id_token code"),
            Some(ResponseType::CodeIdToken)
        );
        for bad in [
            "",
            "token",
            "id_token",
            "id_token token",
            "code code",
            "code  token",
            "Code",
        ] {
            assert_eq!(ResponseType::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn default_modes() {
        assert_eq!(ResponseType::Code.default_mode(), ResponseMode::Query);
        assert_eq!(
            ResponseType::CodeToken.default_mode(),
            ResponseMode::Fragment
        );
    }
}
