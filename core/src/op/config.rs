//! The provider's configuration: issuer, endpoints, lifetimes and the values
//! it supports.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, ErrorKind, Result};

/// The longest an authorization code may live, seconds (RFC 6749 §4.1.2:
/// "a maximum authorization code lifetime of 10 minutes is RECOMMENDED").
pub const MAX_CODE_TTL: u64 = 600;

/// How long what the provider issues stays valid, seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetimes {
    /// Authorization codes (at most [`MAX_CODE_TTL`]).
    pub code: u64,
    /// Access tokens (`expires_in`).
    pub access_token: u64,
    /// ID tokens (`exp - iat`).
    pub id_token: u64,
    /// Refresh tokens.
    pub refresh_token: u64,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Self {
            code: 60,
            access_token: 3600,
            id_token: 3600,
            refresh_token: 14 * 24 * 3600,
        }
    }
}

/// The provider's configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderConfig {
    /// The issuer identifier (OIDC Discovery §3): https (or http on a
    /// loopback host), no query, no fragment.
    pub issuer: String,
    /// Authorization endpoint URL.
    pub authorization_endpoint: String,
    /// Token endpoint URL (also an accepted `aud` of client assertions).
    pub token_endpoint: String,
    /// UserInfo endpoint URL.
    pub userinfo_endpoint: String,
    /// JWKS URL.
    pub jwks_uri: String,
    /// Lifetimes.
    pub lifetimes: Lifetimes,
    /// Scopes the provider grants; others are dropped (RFC 6749 §3.3).
    pub scopes_supported: Vec<String>,
    /// Claims the provider can release (for discovery).
    pub claims_supported: Vec<String>,
}

impl ProviderConfig {
    /// A configuration for `issuer` with endpoints `/authorize`, `/token`,
    /// `/userinfo`, `/jwks` under it, default [`Lifetimes`], scopes
    /// `openid profile email offline_access`.
    pub fn new(issuer: &str) -> Result<Self> {
        check_issuer(issuer)?;
        let base = issuer.trim_end_matches('/');
        let cfg = Self {
            issuer: issuer.into(),
            authorization_endpoint: alloc::format!("{base}/authorize"),
            token_endpoint: alloc::format!("{base}/token"),
            userinfo_endpoint: alloc::format!("{base}/userinfo"),
            jwks_uri: alloc::format!("{base}/jwks"),
            lifetimes: Lifetimes::default(),
            scopes_supported: ["openid", "profile", "email", "offline_access"]
                .map(String::from)
                .into(),
            claims_supported: [
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "auth_time",
                "nonce",
                "acr",
                "amr",
                "c_hash",
                "at_hash",
                "s_hash",
                "name",
                "email",
                "email_verified",
            ]
            .map(String::from)
            .into(),
        };
        Ok(cfg)
    }

    /// Replaces the lifetimes; a code lifetime of 0 or above
    /// [`MAX_CODE_TTL`] is `invalid_config`.
    pub fn with_lifetimes(mut self, lifetimes: Lifetimes) -> Result<Self> {
        if lifetimes.code == 0 || lifetimes.code > MAX_CODE_TTL {
            return Err(Error::new(ErrorKind::InvalidConfig, "lifetimes.code")
                .expected(&alloc::format!("1 to {MAX_CODE_TTL} seconds"))
                .got(&alloc::format!("{}", lifetimes.code)));
        }
        if lifetimes.access_token == 0 || lifetimes.id_token == 0 {
            return Err(Error::new(ErrorKind::InvalidConfig, "lifetimes")
                .expected("non-zero token lifetimes"));
        }
        self.lifetimes = lifetimes;
        Ok(self)
    }
}

/// OIDC Discovery §3: the issuer is an https URL with no query or fragment;
/// http is allowed for loopback hosts only (development; RFC 8252 §8.3).
/// The rule is the relying party's (`discovery::require_secure_url`), so a
/// provider cannot be configured with an issuer its relying parties refuse.
fn check_issuer(issuer: &str) -> Result<()> {
    // 1. No query or fragment (OIDC Discovery §3).
    if issuer.contains(['?', '#']) {
        return Err(Error::new(ErrorKind::InvalidConfig, "issuer")
            .expected("a URL with a host and no query or fragment")
            .got(issuer));
    }
    // 2. https, or http on a loopback address (127.0.0.0/8, [::1],
    //    localhost); a host; no user information.
    crate::discovery::require_secure_url(issuer, "issuer")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_rules() {
        assert!(ProviderConfig::new("https://op.example").is_ok());
        assert!(ProviderConfig::new("http://127.0.0.1:4010").is_ok());
        assert!(ProviderConfig::new("http://localhost:8080/tenant").is_ok());
        assert_eq!(
            ProviderConfig::new("http://op.example").unwrap_err().kind(),
            ErrorKind::InsecureUrl
        );
        assert!(ProviderConfig::new("https://op.example?x=1").is_err());
        assert!(ProviderConfig::new("https://op.example#f").is_err());
        assert!(ProviderConfig::new("ftp://op").is_err());
        assert!(ProviderConfig::new("HTTPS://op.example").is_ok());
        // Hosts that only look like loopback ones.
        for bad in [
            "http://127.0.0.1.evil.example",
            "http://127.evil.example",
            "http://localhost:1@evil.example",
            "http://[::1].evil.example",
            "http://[::1]evil.example",
        ] {
            assert!(ProviderConfig::new(bad).is_err(), "{bad}");
        }
        assert!(ProviderConfig::new("https://u@op.example").is_err());
    }

    #[test]
    fn loopback_means_a_loopback_address() {
        // Names that only start like a loopback address, and user
        // information that makes a remote host look like one.
        for bad in [
            "http://127.evil.example",
            "http://127.0.0.1.nip.io",
            "http://127.0.0.1@evil.example",
            "https://127.0.0.1@op.example",
            "http://localhost.evil.example",
            "https://",
        ] {
            assert!(ProviderConfig::new(bad).is_err(), "{bad}");
        }
        assert_eq!(
            ProviderConfig::new("http://127.evil.example")
                .unwrap_err()
                .kind(),
            ErrorKind::InsecureUrl
        );
        for ok in [
            "http://127.1.2.3:80",
            "http://[::1]:4010/op",
            "http://localhost",
        ] {
            assert!(ProviderConfig::new(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn endpoints_and_code_ttl_bound() {
        let c = ProviderConfig::new("http://127.0.0.1:4010").unwrap();
        assert_eq!(c.token_endpoint, "http://127.0.0.1:4010/token");
        let long = Lifetimes {
            code: 601,
            ..Lifetimes::default()
        };
        assert_eq!(
            c.clone().with_lifetimes(long).unwrap_err().kind(),
            ErrorKind::InvalidConfig
        );
        let ok = Lifetimes {
            code: 600,
            ..Lifetimes::default()
        };
        assert_eq!(c.with_lifetimes(ok).unwrap().lifetimes.code, 600);
    }
}
