//! Registered clients (OIDC Dynamic Client Registration §2 metadata) and the
//! registry the provider looks them up in.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;

use super::response_type::ResponseType;
use super::secret::ClientSecretHash;
use crate::error::{Error, ErrorKind, Result};
use crate::jose::{Alg, Jwks};

/// Longest registration document accepted, bytes.
pub const MAX_REGISTRATION_LEN: usize = 64 * 1024;

/// How a client authenticates at the token endpoint (OIDC Core §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthMethod {
    /// HTTP Basic with the form-encoded id and secret (RFC 6749 §2.3.1).
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body (RFC 6749 §2.3.1).
    ClientSecretPost,
    /// A JWT signed with the client's registered key (RFC 7523 §2.2, ES256).
    PrivateKeyJwt,
}

impl AuthMethod {
    /// Every supported method.
    pub const ALL: [AuthMethod; 3] = [
        Self::ClientSecretBasic,
        Self::ClientSecretPost,
        Self::PrivateKeyJwt,
    ];

    /// The registered name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ClientSecretBasic => "client_secret_basic",
            Self::ClientSecretPost => "client_secret_post",
            Self::PrivateKeyJwt => "private_key_jwt",
        }
    }

    /// Parses a registered name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// A grant type a client may use (RFC 7591 §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GrantType {
    /// `authorization_code`.
    AuthorizationCode,
    /// `implicit`: tokens from the authorization endpoint (the hybrid types
    /// that return them; OIDC Registration §2 pairs it with those).
    Implicit,
    /// `refresh_token`.
    RefreshToken,
}

impl GrantType {
    /// Every supported grant type.
    pub const ALL: [GrantType; 3] = [Self::AuthorizationCode, Self::Implicit, Self::RefreshToken];

    /// The registered name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::Implicit => "implicit",
            Self::RefreshToken => "refresh_token",
        }
    }

    /// Parses a registered name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// One registered client.
#[derive(Clone, Debug)]
pub struct Client {
    /// `client_id`.
    pub client_id: String,
    /// The hash of the client secret (secret-based methods).
    pub secret: Option<ClientSecretHash>,
    /// Registered redirect URIs, matched exactly (OIDC Core §3.1.2.1).
    pub redirect_uris: Vec<String>,
    /// Response types the client may use.
    pub response_types: Vec<ResponseType>,
    /// Grant types the client may use.
    pub grant_types: Vec<GrantType>,
    /// Token endpoint authentication method.
    pub auth_method: AuthMethod,
    /// The ID token signing algorithm (`id_token_signed_response_alg`).
    pub id_token_alg: Alg,
    /// The client's public keys, for `private_key_jwt`.
    pub jwks: Option<Jwks>,
}

#[derive(Deserialize)]
struct Registration {
    client_id: String,
    #[serde(default)]
    client_secret: Option<String>,
    redirect_uris: Vec<String>,
    #[serde(default)]
    response_types: Option<Vec<String>>,
    #[serde(default)]
    grant_types: Option<Vec<String>>,
    #[serde(default)]
    id_token_signed_response_alg: Option<String>,
    #[serde(default)]
    token_endpoint_auth_method: Option<String>,
    #[serde(default)]
    jwks: Option<serde_json::Value>,
}

fn invalid(what: &'static str) -> Error {
    Error::new(ErrorKind::InvalidConfig, what)
}

impl Client {
    /// Parses a registration document (OIDC Registration §2 names:
    /// `client_id`, `client_secret`, `redirect_uris`, `response_types`,
    /// `grant_types`, `id_token_signed_response_alg`,
    /// `token_endpoint_auth_method`, `jwks`). Defaults follow RFC 7591 §2:
    /// `code`, `authorization_code`, `client_secret_basic`; the ID token
    /// algorithm defaults to ES256 (the one this build signs with).
    pub fn from_registration_json(json: &[u8]) -> Result<Self> {
        if json.len() > MAX_REGISTRATION_LEN {
            return Err(Error::new(ErrorKind::TooLarge, "registration"));
        }
        let r: Registration = serde_json::from_slice(json).map_err(|_| {
            Error::new(ErrorKind::Malformed, "registration")
                .expected("a JSON object with client_id and redirect_uris")
        })?;
        let response_types = match r.response_types {
            None => alloc::vec![ResponseType::Code],
            Some(v) => v
                .iter()
                .map(|s| {
                    ResponseType::parse(s)
                        .ok_or_else(|| invalid("registration.response_types").got(s))
                })
                .collect::<Result<_>>()?,
        };
        let grant_types = match r.grant_types {
            None => alloc::vec![GrantType::AuthorizationCode],
            Some(v) => v
                .iter()
                .map(|s| {
                    GrantType::parse(s).ok_or_else(|| invalid("registration.grant_types").got(s))
                })
                .collect::<Result<_>>()?,
        };
        let auth_method = match r.token_endpoint_auth_method.as_deref() {
            None => AuthMethod::ClientSecretBasic,
            Some(s) => AuthMethod::parse(s)
                .ok_or_else(|| invalid("registration.token_endpoint_auth_method").got(s))?,
        };
        let id_token_alg = match r.id_token_signed_response_alg.as_deref() {
            None => Alg::ES256,
            Some(s) => Alg::parse(s)?,
        };
        let jwks = match r.jwks {
            None => None,
            Some(v) => {
                let bytes = serde_json::to_vec(&v).map_err(|_| invalid("registration.jwks"))?;
                Some(Jwks::parse(&bytes)?)
            }
        };
        let client = Self {
            client_id: r.client_id,
            secret: r.client_secret.as_deref().map(ClientSecretHash::of),
            redirect_uris: r.redirect_uris,
            response_types,
            grant_types,
            auth_method,
            id_token_alg,
            jwks,
        };
        client.check()?;
        Ok(client)
    }

    /// Checks the registration is usable: an id without control characters,
    /// at least one redirect URI, each absolute and without a fragment
    /// (RFC 6749 §3.1.2), a secret for secret-based methods, keys for
    /// `private_key_jwt`.
    pub fn check(&self) -> Result<()> {
        // RFC 6749 §2.2, Appendix A.1: a client_id is printable characters;
        // control characters (line breaks in logs and headers) are refused,
        // as the relying party refuses them.
        if self.client_id.is_empty() || self.client_id.chars().any(char::is_control) {
            return Err(invalid("client.client_id")
                .expected("a non-empty identifier without control characters"));
        }
        if self.redirect_uris.is_empty() {
            return Err(invalid("client.redirect_uris").expected("at least one"));
        }
        // RFC 6749 §3.1.2: "MUST be an absolute URI", "MUST NOT include a
        // fragment component" (a relative one would send the code to the
        // provider's own origin).
        if let Some(bad) = self
            .redirect_uris
            .iter()
            .find(|u| u.contains('#') || !crate::discovery::is_absolute_uri(u))
        {
            return Err(invalid("client.redirect_uris")
                .expected("absolute URIs without fragment")
                .got(bad));
        }
        match self.auth_method {
            AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost
                if self.secret.is_none() =>
            {
                Err(invalid("client.client_secret").expected("a secret for this auth method"))
            }
            AuthMethod::PrivateKeyJwt if self.jwks.is_none() => {
                Err(invalid("client.jwks").expected("public keys for private_key_jwt"))
            }
            _ => Ok(()),
        }
    }

    /// Whether `uri` is registered, compared exactly (OIDC Core §3.1.2.1:
    /// simple string comparison, RFC 3986 §6.2.1).
    pub fn has_redirect_uri(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|u| u == uri)
    }

    /// Whether the client may use `grant`.
    pub fn may_use(&self, grant: GrantType) -> bool {
        self.grant_types.contains(&grant)
    }
}

/// The registered clients.
#[derive(Clone, Debug, Default)]
pub struct ClientRegistry {
    clients: Vec<Client>,
}

impl ClientRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `client` (replacing one with the same id) after
    /// [`Client::check`].
    pub fn insert(&mut self, client: Client) -> Result<()> {
        client.check()?;
        self.clients.retain(|c| c.client_id != client.client_id);
        self.clients.push(client);
        Ok(())
    }

    /// The client with `client_id`.
    pub fn get(&self, client_id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }

    /// All clients.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIT: &str = r#"{
      "client_id": "hybrid-client",
      "client_secret": "hybrid-client-secret-not-secret-0123456789abcdef",
      "redirect_uris": ["http://127.0.0.1:9999/cb"],
      "response_types": ["code", "code id_token", "code token", "code id_token token"],
      "grant_types": ["authorization_code", "implicit", "refresh_token"],
      "id_token_signed_response_alg": "ES256",
      "token_endpoint_auth_method": "client_secret_basic"
    }"#;

    #[test]
    fn parses_the_kit_registration() {
        let c = Client::from_registration_json(KIT.as_bytes()).unwrap();
        assert_eq!(c.response_types.len(), 4);
        assert!(c.may_use(GrantType::RefreshToken));
        assert!(
            c.secret
                .as_ref()
                .unwrap()
                .matches("hybrid-client-secret-not-secret-0123456789abcdef")
        );
        assert!(c.has_redirect_uri("http://127.0.0.1:9999/cb"));
        assert!(!c.has_redirect_uri("http://127.0.0.1:9999/cb/"));
    }

    #[test]
    fn refuses_unusable_registrations() {
        let no_secret = r#"{"client_id":"a","redirect_uris":["https://a/cb"]}"#;
        assert_eq!(
            Client::from_registration_json(no_secret.as_bytes())
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidConfig
        );
        let frag = r#"{"client_id":"a","client_secret":"s","redirect_uris":["https://a/cb#x"]}"#;
        assert!(Client::from_registration_json(frag.as_bytes()).is_err());
        for bad_id in ["", "a\nb", "a\u{7f}"] {
            let doc = serde_json::json!({
                "client_id": bad_id, "client_secret": "s", "redirect_uris": ["https://a/cb"]
            });
            let bytes = serde_json::to_vec(&doc).unwrap();
            assert!(
                Client::from_registration_json(&bytes).is_err(),
                "{bad_id:?}"
            );
        }
        // RFC 6749 §3.1.2: absolute URIs only.
        for relative in ["/cb", "a.example/cb", "1http://a/cb", ":cb"] {
            let doc = alloc::format!(
                r#"{{"client_id":"a","client_secret":"s","redirect_uris":["{relative}"]}}"#
            );
            assert_eq!(
                Client::from_registration_json(doc.as_bytes())
                    .unwrap_err()
                    .kind(),
                ErrorKind::InvalidConfig,
                "{relative}"
            );
        }
        let bad_type = r#"{"client_id":"a","client_secret":"s","redirect_uris":["https://a/cb"],"response_types":["token"]}"#;
        assert!(Client::from_registration_json(bad_type.as_bytes()).is_err());
    }
}
