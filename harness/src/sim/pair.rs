//! A provider and one relying party client, for any client authentication
//! method and ID token algorithm, stepped by hand: the property tests use
//! it to run whole exchanges and to damage one artefact on the way.

use oidc_hybrid::UnixTime;
use oidc_hybrid::discovery::ProviderMetadata;
use oidc_hybrid::jose::{Alg, Jwks, SigningKey};
use oidc_hybrid::op::{
    self, AuthMethod, Authorize, AuthzRequest, ClientRegistry, ClientSecretHash, Entropy,
    GrantType, HttpResponse, KeySet, ProviderConfig, Subject, TokenError, TokenRequest,
    UserInfoRequest,
};
use oidc_hybrid::rp::{
    self, AssertionInput, AuthOptions, Callback, CallbackOutcome, ClientAuth, ClientSecret,
    Context, HttpRequest, PendingAuth, Session,
};
use oidc_hybrid::{Error, ErrorKind};

use super::browser::Delivery;
use super::ops::AuthKind;
use super::store::Store;
use super::world::{client_key, op_type};
use crate::fixtures::fixtures_dir;

/// The issuer.
pub const ISSUER: &str = "https://op.example";
/// The client.
pub const CLIENT_ID: &str = "pair-client";
/// Its secret (secret-based methods).
pub const SECRET: &str = "pair-client-secret-0123456789";
/// Its redirect URI.
pub const REDIRECT_URI: &str = "https://rp.example/cb";
/// The algorithms the provider signs ID tokens with.
pub const SIGNING_ALGS: [Alg; 6] = [
    Alg::ES256,
    Alg::ES384,
    Alg::RS256,
    Alg::RS384,
    Alg::RS512,
    Alg::EdDSA,
];

/// The provider's key for `alg`: fixed test keys (the RSA, P-384 and
/// Ed25519 ones from the fixtures' `keys-algs.json`).
pub fn signing_key(alg: Alg) -> SigningKey {
    if alg == Alg::ES256 {
        return SigningKey::es256_from_bytes(&[0x5E; 32]).unwrap_or_else(|e| panic!("{e}"));
    }
    let path = fixtures_dir().join("keys").join("keys-algs.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let set: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let kty = match alg {
        Alg::ES384 => "EC",
        Alg::EdDSA => "OKP",
        _ => "RSA",
    };
    let mut jwk = set["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kty"] == kty))
        .cloned()
        .unwrap_or_else(|| panic!("no {kty} key in {path:?}"));
    jwk["alg"] = alg.as_str().into();
    let bytes = serde_json::to_vec(&jwk).unwrap_or_default();
    SigningKey::from_jwk(&bytes).unwrap_or_else(|e| panic!("{alg}: {e}"))
}

/// The provider and the relying party.
pub struct Pair {
    /// The clock.
    pub now: UnixTime,
    /// The provider's configuration.
    pub config: ProviderConfig,
    /// Its one client.
    pub registry: ClientRegistry,
    /// Its keys.
    pub keys: KeySet,
    /// Its store.
    pub store: Store,
    /// The relying party's view of the provider.
    pub metadata: ProviderMetadata,
    /// The relying party's copy of the provider's keys.
    pub jwks: Jwks,
    /// The relying party's client.
    pub client: rp::Client,
    entropy: u64,
    jti: u64,
}

fn entropy(counter: u64) -> [u8; 32] {
    let mut b = [0x33; 32];
    b[..8].copy_from_slice(&counter.to_le_bytes());
    b
}

/// The relying party's error for a refused step.
pub fn code_of<T>(r: &Result<T, Error>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

impl Pair {
    /// A provider signing with `alg` (plus an ES256 key, so the JWKS holds
    /// more than one key), one client registered with every response type,
    /// `auth` and `alg`, and the relying party configured to match.
    pub fn new(auth: AuthKind, alg: Alg) -> Self {
        Self::with_credentials(auth, alg, CLIENT_ID, SECRET)
    }

    /// [`Pair::new`] with the client id and secret given.
    pub fn with_credentials(auth: AuthKind, alg: Alg, client_id: &str, secret: &str) -> Self {
        let config = ProviderConfig::new(ISSUER).unwrap_or_else(|e| panic!("{e}"));
        let mut keys = KeySet::new(signing_key(Alg::ES256));
        if alg != Alg::ES256 {
            let key = signing_key(alg);
            let kid = key.public_key().thumbprint();
            keys.publish(key);
            keys.activate(&kid).unwrap_or_else(|e| panic!("{e}"));
        }
        let (method, has_secret, client_jwks, rp_auth) = match auth {
            AuthKind::Basic => (
                AuthMethod::ClientSecretBasic,
                true,
                None,
                ClientAuth::ClientSecretBasic(ClientSecret::new(secret)),
            ),
            AuthKind::Post => (
                AuthMethod::ClientSecretPost,
                true,
                None,
                ClientAuth::ClientSecretPost(ClientSecret::new(secret)),
            ),
            AuthKind::PrivateKeyJwt => (
                AuthMethod::PrivateKeyJwt,
                false,
                Some(Jwks::from_keys(vec![client_key().public_jwk()])),
                ClientAuth::PrivateKeyJwt(client_key()),
            ),
        };
        let mut registry = ClientRegistry::new();
        registry
            .insert(op::Client {
                client_id: client_id.into(),
                secret: has_secret.then(|| ClientSecretHash::of(secret)),
                redirect_uris: vec![REDIRECT_URI.into()],
                response_types: op::ResponseType::ALL.to_vec(),
                grant_types: GrantType::ALL.to_vec(),
                auth_method: method,
                id_token_alg: alg,
                jwks: client_jwks,
            })
            .unwrap_or_else(|e| panic!("{e}"));
        let metadata =
            ProviderMetadata::parse(op::discovery_json(&config, &keys).as_bytes(), ISSUER)
                .unwrap_or_else(|e| panic!("{e}"));
        let jwks = Jwks::parse(op::jwks_json(&keys).as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let client = rp::Client::new(client_id, rp_auth, REDIRECT_URI, alg)
            .unwrap_or_else(|e| panic!("{e}"));
        Self {
            now: UnixTime(1_800_000_000),
            config,
            registry,
            keys,
            store: Store::default(),
            metadata,
            jwks,
            client,
            entropy: 0,
            jti: 0,
        }
    }

    /// The relying party's context.
    pub fn ctx(&self) -> Context<'_> {
        Context::new(&self.client, &self.metadata, &self.jwks)
    }

    fn next_entropy(&mut self) -> [u8; 32] {
        self.entropy += 1;
        entropy(self.entropy)
    }

    /// `begin` with fresh entropy.
    pub fn begin(&mut self, options: AuthOptions<'_>) -> Result<(String, PendingAuth), Error> {
        let e = self.next_entropy();
        rp::begin(&self.client, &self.metadata, &e, options).map(|(r, p)| (r.url, p))
    }

    /// The provider validates the request at `url`.
    pub fn authorize(&self, url: &str) -> AuthzRequest {
        let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
        match op::authorize(query, &self.registry, &self.config, self.now) {
            Authorize::Validated(r) => r,
            other => panic!("the provider refused its client's request: {other:?}"),
        }
    }

    /// The provider completes `request` for `subject`; what the browser
    /// delivers.
    pub fn complete(&mut self, request: AuthzRequest, subject: Subject) -> Delivery {
        let e = self.next_entropy();
        let entropy = Entropy::new(&e).unwrap_or_else(|e| panic!("{e}"));
        let done = op::complete(
            request,
            subject,
            entropy,
            &self.keys,
            &self.config,
            self.now,
        )
        .unwrap_or_else(|e| panic!("complete: {e}"));
        self.store.save(done.records);
        Delivery::of(&done.response)
    }

    /// The relying party validates `delivery`, refetching the JWKS once if
    /// it asks to.
    pub fn callback(
        &mut self,
        pending: PendingAuth,
        delivery: &Delivery,
    ) -> Result<Callback, Error> {
        let raw = delivery.raw();
        match pending.callback(&raw, delivery.mode, self.now, &self.ctx())? {
            CallbackOutcome::Validated(cb) => Ok(cb),
            CallbackOutcome::RefetchJwks(p) => {
                self.refetch_jwks();
                match p.callback(&raw, delivery.mode, self.now, &self.ctx())? {
                    CallbackOutcome::Validated(cb) => Ok(cb),
                    CallbackOutcome::RefetchJwks(_) => {
                        Err(Error::new(ErrorKind::UnknownKid, "refetch asked twice"))
                    }
                }
            }
        }
    }

    /// Replaces the relying party's JWKS with the provider's.
    pub fn refetch_jwks(&mut self) {
        self.jwks =
            Jwks::parse(op::jwks_json(&self.keys).as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }

    fn assertion(&mut self) -> Option<String> {
        matches!(self.client.auth(), ClientAuth::PrivateKeyJwt(_)).then(|| {
            self.jti += 1;
            format!("jti-{}", self.jti)
        })
    }

    /// The token request for `callback`.
    pub fn token_request(&mut self, callback: &Callback) -> HttpRequest {
        let jti = self.assertion();
        let input = jti
            .as_deref()
            .map(|jti| AssertionInput { jti, now: self.now });
        callback
            .token_request(&self.ctx(), input)
            .unwrap_or_else(|e| panic!("token request: {e}"))
    }

    /// The refresh request for `session`.
    pub fn refresh_request(&mut self, session: &Session) -> HttpRequest {
        let jti = self.assertion();
        let input = jti
            .as_deref()
            .map(|jti| AssertionInput { jti, now: self.now });
        session
            .refresh_request(&self.ctx(), input)
            .unwrap_or_else(|e| panic!("refresh request: {e}"))
    }

    /// The provider's token endpoint.
    pub fn token_endpoint(&mut self, request: &HttpRequest) -> HttpResponse {
        let r = match TokenRequest::parse(
            &request.body,
            request.header("Authorization"),
            &self.registry,
            &self.config,
            self.now,
        ) {
            Ok(r) => r,
            Err(e) => return e.to_http(),
        };
        let e = self.next_entropy();
        let entropy = Entropy::new(&e).unwrap_or_else(|e| panic!("{e}"));
        let result = match r {
            TokenRequest::AuthorizationCode(c) => {
                let lookup = self.store.take_code(c.key());
                c.redeem(lookup, entropy, &self.keys, &self.config, self.now)
            }
            TokenRequest::RefreshToken(rt) => {
                let lookup = self.store.take_refresh(rt.key());
                rt.redeem(lookup, entropy, &self.keys, &self.config, self.now)
            }
        };
        match result {
            Ok(granted) => {
                let http = granted.to_http();
                self.store.save(granted.records);
                http
            }
            Err(e) => {
                let TokenError { action, .. } = &e;
                if let Some(op::Action::Revoke(g)) = action {
                    self.store.revoke(g);
                }
                e.to_http()
            }
        }
    }

    /// The provider's UserInfo endpoint, for `session`'s request.
    pub fn userinfo_endpoint(&self, session: &Session) -> HttpResponse {
        let request = session
            .userinfo_request(&self.ctx())
            .unwrap_or_else(|e| panic!("userinfo request: {e}"));
        match UserInfoRequest::parse(request.header("Authorization"), None) {
            Err(e) => e.to_http(),
            Ok(r) => {
                let grant = self.store.access(r.key());
                match r.respond(grant, self.now) {
                    Ok(http) => http,
                    Err(e) => e.to_http(),
                }
            }
        }
    }
}

/// The `Content-Type` of a provider response.
pub fn content_type(r: &HttpResponse) -> &str {
    r.header_value("Content-Type").unwrap_or_default()
}

/// Maps a relying party response type to the provider's.
pub fn provider_type(t: rp::ResponseType) -> op::ResponseType {
    op_type(t)
}
