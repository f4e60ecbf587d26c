//! Provider metadata from a discovery document (OpenID Connect Discovery 1.0
//! §3), issuer equality (§4.3) and the https-or-loopback rule for issuers and
//! endpoints.
//!
//! The parser is lenient where the spec asks it to be and strict where safety
//! needs it: unknown members are ignored (§3: "MUST ignore" unknown
//! metadata), unknown algorithm names in `id_token_signing_alg_values_supported`
//! are dropped, never fatal; the members the relying party uses must be
//! present and well-typed, the document is bounded in size, and the issuer
//! must be exactly the one the caller expected.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::jose::Alg;

/// Longest discovery document accepted, bytes.
pub const MAX_DISCOVERY_LEN: usize = 64 * 1024;

/// The provider metadata the relying party uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderMetadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    userinfo_endpoint: Option<String>,
    response_types_supported: Vec<String>,
    response_modes_supported: Option<Vec<String>>,
    id_token_signing_alg_values_supported: Vec<Alg>,
    token_endpoint_auth_methods_supported: Option<Vec<String>>,
    code_challenge_methods_supported: Option<Vec<String>>,
    authorization_response_iss_parameter_supported: bool,
}

/// The members read from the document; every other member is ignored.
#[derive(Deserialize)]
struct RawMetadata<'a> {
    #[serde(borrow)]
    issuer: Cow<'a, str>,
    #[serde(borrow)]
    authorization_endpoint: Cow<'a, str>,
    #[serde(borrow)]
    token_endpoint: Cow<'a, str>,
    #[serde(borrow)]
    jwks_uri: Cow<'a, str>,
    #[serde(borrow, default)]
    userinfo_endpoint: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    response_types_supported: Vec<Cow<'a, str>>,
    #[serde(borrow, default)]
    response_modes_supported: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, default)]
    id_token_signing_alg_values_supported: Vec<Cow<'a, str>>,
    #[serde(borrow, default)]
    token_endpoint_auth_methods_supported: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, default)]
    code_challenge_methods_supported: Option<Vec<Cow<'a, str>>>,
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
}

fn owned(v: Vec<Cow<'_, str>>) -> Vec<String> {
    v.into_iter().map(Cow::into_owned).collect()
}

impl ProviderMetadata {
    /// Parses a discovery document fetched from `expected_issuer` +
    /// `/.well-known/openid-configuration`.
    ///
    /// 1. Size bound (`too_large`), JSON with the required members
    ///    `issuer`, `authorization_endpoint`, `token_endpoint`, `jwks_uri`
    ///    (`malformed`; Discovery §3).
    /// 2. `issuer` identical to `expected_issuer` (`invalid_issuer`;
    ///    Discovery §4.3).
    /// 3. The issuer and every endpoint https, loopback hosts aside
    ///    (`insecure_url`; Discovery §3, RFC 8252 §8.3).
    pub fn parse(json: &[u8], expected_issuer: &str) -> Result<Self> {
        // 1. Bounded, then recognised fully.
        if json.len() > MAX_DISCOVERY_LEN {
            return Err(Error::new(ErrorKind::TooLarge, "discovery")
                .expected(&alloc::format!("at most {MAX_DISCOVERY_LEN} bytes"))
                .got(&alloc::format!("{} bytes", json.len())));
        }
        let malformed = || {
            Error::new(ErrorKind::Malformed, "discovery").expected(
                "a JSON object with issuer, authorization_endpoint, token_endpoint and jwks_uri",
            )
        };
        // An object, not an array of positional members.
        if json.trim_ascii_start().first() != Some(&b'{') {
            return Err(malformed());
        }
        let raw: RawMetadata<'_> = serde_json::from_slice(json).map_err(|_| malformed())?;
        // 2. Discovery §4.3: the issuer returned MUST be identical to the
        //    issuer URL used to fetch the document.
        if raw.issuer != expected_issuer {
            return Err(Error::new(ErrorKind::InvalidIssuer, "discovery.issuer")
                .expected(expected_issuer)
                .got(&raw.issuer));
        }
        let mut meta = Self::new(
            &raw.issuer,
            &raw.authorization_endpoint,
            &raw.token_endpoint,
            &raw.jwks_uri,
        )?;
        if let Some(u) = raw.userinfo_endpoint {
            meta = meta.with_userinfo_endpoint(&u)?;
        }
        meta.response_types_supported = owned(raw.response_types_supported);
        meta.response_modes_supported = raw.response_modes_supported.map(owned);
        // Unknown algorithm names (and `none`) are dropped, never fatal.
        meta.id_token_signing_alg_values_supported = raw
            .id_token_signing_alg_values_supported
            .iter()
            .filter_map(|a| Alg::parse(a).ok())
            .collect();
        meta.token_endpoint_auth_methods_supported =
            raw.token_endpoint_auth_methods_supported.map(owned);
        meta.code_challenge_methods_supported = raw.code_challenge_methods_supported.map(owned);
        meta.authorization_response_iss_parameter_supported =
            raw.authorization_response_iss_parameter_supported;
        Ok(meta)
    }

    /// Metadata configured by hand (no discovery). The issuer must have no
    /// query or fragment; the issuer and endpoints must be https, loopback
    /// hosts aside.
    pub fn new(
        issuer: &str,
        authorization_endpoint: &str,
        token_endpoint: &str,
        jwks_uri: &str,
    ) -> Result<Self> {
        // Discovery §3 / OIDC Core §2: the issuer is an https URL with no
        // query or fragment component.
        if issuer.contains(['?', '#']) {
            return Err(Error::new(ErrorKind::Malformed, "issuer")
                .expected("a URL without query or fragment")
                .got(issuer));
        }
        require_secure_url(issuer, "issuer")?;
        require_secure_url(authorization_endpoint, "authorization_endpoint")?;
        require_secure_url(token_endpoint, "token_endpoint")?;
        require_secure_url(jwks_uri, "jwks_uri")?;
        // RFC 6749 §3.1: the authorization endpoint MUST NOT include a fragment.
        if authorization_endpoint.contains('#') {
            return Err(Error::new(ErrorKind::Malformed, "authorization_endpoint")
                .expected("a URL without fragment"));
        }
        Ok(Self {
            issuer: issuer.into(),
            authorization_endpoint: authorization_endpoint.into(),
            token_endpoint: token_endpoint.into(),
            jwks_uri: jwks_uri.into(),
            userinfo_endpoint: None,
            response_types_supported: Vec::new(),
            response_modes_supported: None,
            id_token_signing_alg_values_supported: Vec::new(),
            token_endpoint_auth_methods_supported: None,
            code_challenge_methods_supported: None,
            authorization_response_iss_parameter_supported: false,
        })
    }

    /// Sets the UserInfo endpoint (https, loopback hosts aside).
    pub fn with_userinfo_endpoint(mut self, url: &str) -> Result<Self> {
        require_secure_url(url, "userinfo_endpoint")?;
        self.userinfo_endpoint = Some(url.into());
        Ok(self)
    }

    /// Sets `authorization_response_iss_parameter_supported` (RFC 9207 §3).
    #[must_use]
    pub fn with_iss_parameter_supported(mut self, supported: bool) -> Self {
        self.authorization_response_iss_parameter_supported = supported;
        self
    }

    /// Sets `response_types_supported`.
    #[must_use]
    pub fn with_response_types_supported(mut self, types: &[&str]) -> Self {
        self.response_types_supported = types.iter().map(|t| String::from(*t)).collect();
        self
    }

    /// `issuer`.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// `authorization_endpoint`.
    pub fn authorization_endpoint(&self) -> &str {
        &self.authorization_endpoint
    }

    /// `token_endpoint`.
    pub fn token_endpoint(&self) -> &str {
        &self.token_endpoint
    }

    /// `jwks_uri`.
    pub fn jwks_uri(&self) -> &str {
        &self.jwks_uri
    }

    /// `userinfo_endpoint`, if published.
    pub fn userinfo_endpoint(&self) -> Option<&str> {
        self.userinfo_endpoint.as_deref()
    }

    /// `response_types_supported` (empty when the document has none).
    pub fn response_types_supported(&self) -> &[String] {
        &self.response_types_supported
    }

    /// `response_modes_supported`, if published (Discovery §3 default:
    /// `query` and `fragment`).
    pub fn response_modes_supported(&self) -> Option<&[String]> {
        self.response_modes_supported.as_deref()
    }

    /// The known algorithms of `id_token_signing_alg_values_supported`.
    pub fn id_token_signing_alg_values_supported(&self) -> &[Alg] {
        &self.id_token_signing_alg_values_supported
    }

    /// `token_endpoint_auth_methods_supported`, if published.
    pub fn token_endpoint_auth_methods_supported(&self) -> Option<&[String]> {
        self.token_endpoint_auth_methods_supported.as_deref()
    }

    /// `code_challenge_methods_supported`, if published.
    pub fn code_challenge_methods_supported(&self) -> Option<&[String]> {
        self.code_challenge_methods_supported.as_deref()
    }

    /// `authorization_response_iss_parameter_supported` (RFC 9207 §3;
    /// absent means `false`).
    pub fn iss_parameter_supported(&self) -> bool {
        self.authorization_response_iss_parameter_supported
    }
}

/// Requires `url` to be `https://host…`, or `http://` with a loopback host
/// (`127.0.0.0/8`, `[::1]`, `localhost`; RFC 8252 §8.3). Anything else is
/// `insecure_url`; a URL without a host or with user information is
/// `malformed`.
pub fn require_secure_url(url: &str, what: &'static str) -> Result<()> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(Error::new(ErrorKind::Malformed, what)
            .expected("an absolute URL")
            .got(url));
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..end).unwrap_or_default();
    if authority.contains('@') {
        return Err(Error::new(ErrorKind::Malformed, what)
            .expected("a URL without user information")
            .got(url));
    }
    let host = host_of(authority).ok_or_else(|| {
        Error::new(ErrorKind::Malformed, what)
            .expected("a URL with a host")
            .got(url)
    })?;
    if scheme.eq_ignore_ascii_case("https")
        || (scheme.eq_ignore_ascii_case("http") && is_loopback_host(host))
    {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::InsecureUrl, what)
            .expected("https, or http on a loopback host")
            .got(url))
    }
}

/// Whether `uri` is an absolute URI: a scheme (`ALPHA *( ALPHA / DIGIT /
/// "+" / "-" / "." )`), `:`, and something after it (RFC 3986 §4.3). Redirect
/// URIs must be (RFC 6749 §3.1.2).
pub(crate) fn is_absolute_uri(uri: &str) -> bool {
    uri.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// The host of an authority (`host[:port]` or `[v6]:port`); `None` when
/// empty or when the port is not numeric.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let close = v6.find(']')?;
        let host = authority.get(..close.checked_add(2)?)?;
        let after = v6.get(close.checked_add(1)?..)?;
        // Nothing but a port may follow the bracketed address.
        if !(after.is_empty() || after.starts_with(':')) {
            return None;
        }
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if let Some(p) = port
        && !p.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    (!host.is_empty()).then_some(host)
}

/// Whether `host` is a loopback host: an IPv4 address in `127.0.0.0/8`,
/// `[::1]`, or `localhost` (RFC 6761 §6.3).
pub fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "[::1]" {
        return true;
    }
    let mut octets = 0usize;
    let mut first = None;
    for part in host.split('.') {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        match part.parse::<u8>() {
            Ok(v) => {
                first.get_or_insert(v);
            }
            Err(_) => return false,
        }
        octets = octets.saturating_add(1);
    }
    octets == 4 && first == Some(127)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
        "issuer": "https://op.example",
        "authorization_endpoint": "https://op.example/auth",
        "token_endpoint": "https://op.example/token",
        "jwks_uri": "https://op.example/jwks",
        "userinfo_endpoint": "https://op.example/me",
        "response_types_supported": ["code", "code id_token"],
        "id_token_signing_alg_values_supported": ["ES256", "XX999", "none", "RS256"],
        "authorization_response_iss_parameter_supported": true,
        "some_future_member": {"nested": [1, 2, 3]},
        "claims_supported": 42
    }"#;

    #[test]
    fn parses_and_ignores_unknown_members_and_algs() {
        let m = ProviderMetadata::parse(DOC.as_bytes(), "https://op.example").unwrap();
        assert_eq!(m.issuer(), "https://op.example");
        assert_eq!(m.token_endpoint(), "https://op.example/token");
        assert_eq!(m.userinfo_endpoint(), Some("https://op.example/me"));
        assert_eq!(
            m.id_token_signing_alg_values_supported(),
            &[Alg::ES256, Alg::RS256]
        );
        assert!(m.iss_parameter_supported());
        assert_eq!(m.response_types_supported().len(), 2);
    }

    #[test]
    fn issuer_must_be_identical() {
        // Discovery §4.3: even a trailing slash is a different issuer.
        for other in [
            "https://op.example/",
            "https://OP.example",
            "https://op.example2",
        ] {
            let e = ProviderMetadata::parse(DOC.as_bytes(), other).unwrap_err();
            assert_eq!(e.code(), "invalid_issuer", "{other}");
        }
    }

    #[test]
    fn required_members_and_types() {
        let no_token = DOC.replace(r#""token_endpoint": "https://op.example/token","#, "");
        assert_eq!(
            ProviderMetadata::parse(no_token.as_bytes(), "https://op.example")
                .unwrap_err()
                .code(),
            "malformed"
        );
        let bad_type = DOC.replace(
            r#""authorization_response_iss_parameter_supported": true"#,
            r#""authorization_response_iss_parameter_supported": "yes""#,
        );
        assert_eq!(
            ProviderMetadata::parse(bad_type.as_bytes(), "https://op.example")
                .unwrap_err()
                .code(),
            "malformed"
        );
        let big = alloc::format!("{{\"pad\":\"{}\"}}", "a".repeat(MAX_DISCOVERY_LEN));
        assert_eq!(
            ProviderMetadata::parse(big.as_bytes(), "https://op.example")
                .unwrap_err()
                .code(),
            "too_large"
        );
    }

    #[test]
    fn https_or_loopback() {
        for ok in [
            "https://op.example",
            "HTTPS://op.example:8443/path",
            "http://127.0.0.1:4010",
            "http://127.255.0.9/x",
            "http://localhost:8080",
            "http://[::1]:4010/",
        ] {
            assert!(require_secure_url(ok, "issuer").is_ok(), "{ok}");
        }
        for insecure in [
            "http://op.example",
            "http://127.0.0.1.evil.example",
            "http://128.0.0.1",
            "http://localhost.evil.example",
            "http://[::2]:4010",
            "ftp://127.0.0.1",
        ] {
            assert_eq!(
                require_secure_url(insecure, "issuer").unwrap_err().code(),
                "insecure_url",
                "{insecure}"
            );
        }
        for malformed in [
            "op.example",
            "https://",
            "http://127.0.0.1@evil.example",
            "http://127.0.0.1:80x",
            "http://[::1]evil.example",
            "http://[::1].evil.example/",
        ] {
            assert_eq!(
                require_secure_url(malformed, "issuer").unwrap_err().code(),
                "malformed",
                "{malformed}"
            );
        }
        let doc = DOC.replace("https://op.example/token", "http://op.example/token");
        assert_eq!(
            ProviderMetadata::parse(doc.as_bytes(), "https://op.example")
                .unwrap_err()
                .code(),
            "insecure_url"
        );
        assert_eq!(
            ProviderMetadata::new(
                "https://op.example?x=1",
                "https://a",
                "https://a",
                "https://a"
            )
            .unwrap_err()
            .code(),
            "malformed"
        );
    }
}
