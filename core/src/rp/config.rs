//! The relying party's configuration: the registered client, and the
//! [`Context`] (client, provider metadata, provider keys) every step reads.

use alloc::string::String;
use alloc::vec::Vec;

use crate::discovery::ProviderMetadata;
use crate::error::{Error, ErrorKind, Result};
use crate::jose::{Alg, Jwks, SigningKey};
use crate::rp::secret::ClientSecret;

/// The default clock leeway, seconds, applied to `exp`, `iat`, `nbf` and
/// `max_age`. One minute absorbs ordinary NTP drift between the provider
/// and the relying party without keeping expired tokens alive for long.
pub const DEFAULT_LEEWAY: u64 = 60;

/// How the client authenticates at the token endpoint (OIDC Core §9).
#[derive(Clone, Debug)]
pub enum ClientAuth {
    /// `client_secret_basic`: HTTP Basic with the form-encoded id and secret
    /// (RFC 6749 §2.3.1).
    ClientSecretBasic(ClientSecret),
    /// `client_secret_post`: `client_id` and `client_secret` in the body
    /// (RFC 6749 §2.3.1).
    ClientSecretPost(ClientSecret),
    /// `private_key_jwt`: a JWT assertion signed with the client's key
    /// (RFC 7523 §2.2, OIDC Core §9).
    PrivateKeyJwt(SigningKey),
}

impl ClientAuth {
    /// The registered method name (`token_endpoint_auth_method`).
    pub const fn method(&self) -> &'static str {
        match self {
            Self::ClientSecretBasic(_) => "client_secret_basic",
            Self::ClientSecretPost(_) => "client_secret_post",
            Self::PrivateKeyJwt(_) => "private_key_jwt",
        }
    }
}

/// The client as registered at the provider.
#[derive(Clone, Debug)]
pub struct Client {
    client_id: String,
    auth: ClientAuth,
    redirect_uri: String,
    id_token_signed_response_alg: Alg,
    leeway: u64,
    trusted_audiences: Vec<String>,
}

impl Client {
    /// A client with its id, authentication, redirect URI and registered
    /// `id_token_signed_response_alg` (the only algorithm its ID tokens may
    /// use; OIDC Core §3.1.3.7 step 7). Leeway: [`DEFAULT_LEEWAY`].
    ///
    /// `invalid_config` when the id is empty or the redirect URI is not an
    /// absolute URI without fragment (RFC 6749 §3.1.2).
    pub fn new(
        client_id: &str,
        auth: ClientAuth,
        redirect_uri: &str,
        id_token_signed_response_alg: Alg,
    ) -> Result<Self> {
        if client_id.is_empty() || client_id.chars().any(char::is_control) {
            return Err(Error::new(ErrorKind::InvalidConfig, "client_id")
                .expected("a non-empty identifier without control characters"));
        }
        // RFC 6749 §3.1.2: an absolute URI, MUST NOT include a fragment.
        if !crate::discovery::is_absolute_uri(redirect_uri) || redirect_uri.contains('#') {
            return Err(Error::new(ErrorKind::InvalidConfig, "redirect_uri")
                .expected("an absolute URI without fragment")
                .got(redirect_uri));
        }
        Ok(Self {
            client_id: client_id.into(),
            auth,
            redirect_uri: redirect_uri.into(),
            id_token_signed_response_alg,
            leeway: DEFAULT_LEEWAY,
            trusted_audiences: Vec::new(),
        })
    }

    /// Sets the clock leeway, seconds.
    #[must_use]
    pub fn with_leeway(mut self, secs: u64) -> Self {
        self.leeway = secs;
        self
    }

    /// Audiences besides this client that its ID tokens may name
    /// (OIDC Core §3.1.3.7 step 3: others are rejected).
    #[must_use]
    pub fn with_trusted_audiences(mut self, audiences: &[&str]) -> Self {
        self.trusted_audiences = audiences.iter().map(|a| String::from(*a)).collect();
        self
    }

    /// `client_id`.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The token endpoint authentication.
    pub fn auth(&self) -> &ClientAuth {
        &self.auth
    }

    /// `redirect_uri`.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The registered `id_token_signed_response_alg`.
    pub fn id_token_alg(&self) -> Alg {
        self.id_token_signed_response_alg
    }

    /// The clock leeway, seconds.
    pub fn leeway(&self) -> u64 {
        self.leeway
    }

    /// The trusted extra audiences.
    pub fn trusted_audiences(&self) -> &[String] {
        &self.trusted_audiences
    }
}

/// What every step after `begin` reads: the client, the provider's metadata
/// and its current JWKS. Cheap to build; build a new one after refetching
/// the JWKS.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The registered client.
    pub client: &'a Client,
    /// The provider's metadata.
    pub metadata: &'a ProviderMetadata,
    /// The provider's keys.
    pub jwks: &'a Jwks,
}

impl<'a> Context<'a> {
    /// Bundles the three.
    pub const fn new(client: &'a Client, metadata: &'a ProviderMetadata, jwks: &'a Jwks) -> Self {
        Self {
            client,
            metadata,
            jwks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> ClientAuth {
        ClientAuth::ClientSecretBasic(ClientSecret::new("s"))
    }

    #[test]
    fn validates_id_and_redirect_uri() {
        assert!(Client::new("c", secret(), "https://rp.example/cb", Alg::ES256).is_ok());
        assert!(Client::new("c", secret(), "com.example.app:/cb", Alg::ES256).is_ok());
        for bad in ["", "/cb", "https://rp.example/cb#x", "1http://x", "https:"] {
            assert_eq!(
                Client::new("c", secret(), bad, Alg::ES256)
                    .unwrap_err()
                    .code(),
                "invalid_config",
                "{bad}"
            );
        }
        assert_eq!(
            Client::new("", secret(), "https://rp.example/cb", Alg::ES256)
                .unwrap_err()
                .code(),
            "invalid_config"
        );
    }

    #[test]
    fn debug_does_not_leak_the_secret() {
        let c = Client::new(
            "c",
            ClientAuth::ClientSecretPost(ClientSecret::new("hunter2")),
            "https://rp.example/cb",
            Alg::ES256,
        )
        .unwrap();
        assert!(!alloc::format!("{c:?}").contains("hunter2"));
        assert_eq!(c.leeway(), DEFAULT_LEEWAY);
        assert_eq!(c.with_leeway(5).leeway(), 5);
    }
}
