//! One fixed, deterministic exchange between the provider core and the
//! relying party core, per response type: the authorization request, the
//! provider's response, the validated callback, the token request and the
//! token response. Fixed keys, fixed entropy, fixed clock: every run builds
//! the same bytes.
//!
//! The fuzz targets include this file by path (it names only `oidc_hybrid`
//! and `std`) to get a `PendingAuth`, a `Callback` and a code grant that
//! their inputs are checked against; the harness checks that the checked-in
//! seed corpora are exactly what it builds.

use oidc_hybrid::UnixTime;
use oidc_hybrid::discovery::ProviderMetadata;
use oidc_hybrid::jose::{Alg, Jwks, SigningKey};
use oidc_hybrid::op::{
    self, AuthMethod, AuthorizationResponse, Authorize, ClientRegistry, ClientSecretHash,
    CodeGrant, Entropy, GrantType, KeySet, Lookup, ProviderConfig, StoreRecord, Subject,
    TokenRequest,
};
use oidc_hybrid::rp::{
    self, AuthOptions, Callback, CallbackOutcome, ClientAuth, ClientSecret, Context, PendingAuth,
    ResponseMode, ResponseType,
};

/// The provider's issuer.
pub const ISSUER: &str = "https://op.example";
/// The relying party's client id (`client_secret_basic`).
pub const CLIENT_ID: &str = "fixed-client";
/// Its secret.
pub const SECRET: &str = "fixed-client-secret-0123456789";
/// Its redirect URI.
pub const REDIRECT_URI: &str = "https://rp.example/cb";
/// A second client (`client_secret_post`, `code` only), so that requests can
/// name a client that exists but may not do everything.
pub const POST_CLIENT_ID: &str = "fixed-post-client";
/// Its secret.
pub const POST_SECRET: &str = "fixed-post-secret-9876543210";
/// Its redirect URI.
pub const POST_REDIRECT_URI: &str = "https://post.example/cb";
/// The clock of the whole exchange.
pub const NOW: UnixTime = UnixTime(1_800_000_000);
/// The end-user.
pub const SUB: &str = "alice";

/// The provider's side: configuration, clients, keys.
pub struct Provider {
    /// Configuration.
    pub config: ProviderConfig,
    /// Registered clients.
    pub registry: ClientRegistry,
    /// Signing keys (one ES256 key).
    pub keys: KeySet,
}

/// One exchange of one response type.
pub struct Exchange {
    /// The response type.
    pub response_type: ResponseType,
    /// The mode the response travels in (the type's default).
    pub mode: ResponseMode,
    /// What the relying party keeps after `begin`.
    pub pending: PendingAuth,
    /// The authorization request's query (what the provider parses).
    pub authorization_query: String,
    /// The provider's response parameters, as the callback receives them.
    pub response: String,
    /// The validated callback.
    pub callback: Callback,
    /// The code's grant, as the provider stored it.
    pub grant: CodeGrant,
    /// The token request's form body.
    pub token_request_body: String,
    /// The token request's `Authorization` header.
    pub token_request_authorization: String,
    /// The provider's token response JSON.
    pub token_response: String,
}

/// The provider, the relying party's view of it, and one exchange per type.
pub struct Fixed {
    /// The provider.
    pub provider: Provider,
    /// The provider's metadata, parsed from its discovery document.
    pub metadata: ProviderMetadata,
    /// The discovery document.
    pub discovery: String,
    /// The provider's JWKS, parsed from its JWKS document.
    pub jwks: Jwks,
    /// The JWKS document.
    pub jwks_json: String,
    /// The relying party's client.
    pub client: rp::Client,
    /// One exchange per response type, in [`ResponseType::ALL`] order.
    pub exchanges: Vec<Exchange>,
}

fn provider() -> Provider {
    let config = ProviderConfig::new(ISSUER).unwrap_or_else(|e| panic!("config: {e}"));
    let mut registry = ClientRegistry::new();
    let client =
        |id: &str, secret: &str, uri: &str, method, types: Vec<op::ResponseType>| op::Client {
            client_id: id.into(),
            secret: Some(ClientSecretHash::of(secret)),
            redirect_uris: vec![uri.into()],
            response_types: types,
            grant_types: GrantType::ALL.to_vec(),
            auth_method: method,
            id_token_alg: Alg::ES256,
            jwks: None,
        };
    let clients = [
        client(
            CLIENT_ID,
            SECRET,
            REDIRECT_URI,
            AuthMethod::ClientSecretBasic,
            op::ResponseType::ALL.to_vec(),
        ),
        client(
            POST_CLIENT_ID,
            POST_SECRET,
            POST_REDIRECT_URI,
            AuthMethod::ClientSecretPost,
            vec![op::ResponseType::Code],
        ),
    ];
    for c in clients {
        registry.insert(c).unwrap_or_else(|e| panic!("client: {e}"));
    }
    let key = SigningKey::es256_from_bytes(&[0x2A; 32]).unwrap_or_else(|e| panic!("key: {e}"));
    Provider {
        config,
        registry,
        keys: KeySet::new(key),
    }
}

/// The subject the provider authenticated.
pub fn subject() -> Subject {
    let mut s = Subject::new(SUB, UnixTime(NOW.0 - 30));
    s.claims.insert("email".into(), "alice@example.org".into());
    s
}

/// Where the parameters of an authorization response are: the part after
/// `#` or `?` of a redirect.
fn response_params(response: &AuthorizationResponse) -> String {
    match response {
        AuthorizationResponse::Redirect { location } => location
            .split_once(['#', '?'])
            .map(|(_, p)| p.to_owned())
            .unwrap_or_default(),
        AuthorizationResponse::FormPost { .. } => panic!("the fixed exchanges use redirects"),
    }
}

fn exchange(p: &Provider, ctx: &Context<'_>, response_type: ResponseType, seed: u8) -> Exchange {
    let fail = |what: &str, e: &dyn core::fmt::Display| -> ! { panic!("{what}: {e}") };
    let options = AuthOptions {
        scope: "openid email",
        ..AuthOptions::new(response_type)
    };
    let (request, pending) = rp::begin(ctx.client, ctx.metadata, &[seed; 32], options)
        .unwrap_or_else(|e| fail("begin", &e));
    let query = request
        .url
        .split_once('?')
        .map(|(_, q)| q.to_owned())
        .unwrap_or_default();
    let authz = match op::authorize(&query, &p.registry, &p.config, NOW) {
        Authorize::Validated(r) => r,
        other => panic!("authorize: {other:?}"),
    };
    let entropy = [seed.wrapping_add(0x80); 32];
    let done = op::complete(
        authz,
        subject(),
        Entropy::new(&entropy).unwrap_or_else(|e| fail("entropy", &e)),
        &p.keys,
        &p.config,
        NOW,
    )
    .unwrap_or_else(|e| fail("complete", &e));
    let grant = done
        .records
        .iter()
        .find_map(|r| match r {
            StoreRecord::Code { grant, .. } => Some(grant.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("complete returned no code"));
    let response = response_params(&done.response);
    let mode = response_type.default_mode();
    let callback = match pending.clone().callback(&response, mode, NOW, ctx) {
        Ok(CallbackOutcome::Validated(cb)) => cb,
        other => panic!("callback: {other:?}"),
    };
    let token_request = callback
        .token_request(ctx, None)
        .unwrap_or_else(|e| fail("token request", &e));
    let authorization = token_request
        .header("Authorization")
        .unwrap_or_default()
        .to_owned();
    let redemption = match TokenRequest::parse(
        &token_request.body,
        Some(&authorization),
        &p.registry,
        &p.config,
        NOW,
    ) {
        Ok(TokenRequest::AuthorizationCode(r)) => r,
        other => panic!("token request parse: {other:?}"),
    };
    let token_entropy = [seed.wrapping_add(0xC0); 32];
    let granted = redemption
        .redeem(
            Lookup::Found(grant.clone()),
            Entropy::new(&token_entropy).unwrap_or_else(|e| fail("entropy", &e)),
            &p.keys,
            &p.config,
            NOW,
        )
        .unwrap_or_else(|e| panic!("redeem: {e:?}"));
    Exchange {
        response_type,
        mode,
        pending,
        authorization_query: query,
        response,
        callback,
        grant,
        token_request_body: token_request.body,
        token_request_authorization: authorization,
        token_response: granted.json,
    }
}

impl Fixed {
    /// Builds the provider, the relying party and the four exchanges.
    /// Panics only if the cores refuse their own valid exchange.
    pub fn new() -> Self {
        let provider = provider();
        let discovery = op::discovery_json(&provider.config, &provider.keys);
        let metadata = ProviderMetadata::parse(discovery.as_bytes(), ISSUER)
            .unwrap_or_else(|e| panic!("metadata: {e}"));
        let jwks_json = op::jwks_json(&provider.keys);
        let jwks = Jwks::parse(jwks_json.as_bytes()).unwrap_or_else(|e| panic!("jwks: {e}"));
        let client = rp::Client::new(
            CLIENT_ID,
            ClientAuth::ClientSecretBasic(ClientSecret::new(SECRET)),
            REDIRECT_URI,
            Alg::ES256,
        )
        .unwrap_or_else(|e| panic!("client: {e}"));
        let exchanges = {
            let ctx = Context::new(&client, &metadata, &jwks);
            ResponseType::ALL
                .iter()
                .zip(1u8..)
                .map(|(t, seed)| exchange(&provider, &ctx, *t, seed))
                .collect()
        };
        Self {
            provider,
            metadata,
            discovery,
            jwks,
            jwks_json,
            client,
            exchanges,
        }
    }

    /// The relying party's context.
    pub fn ctx(&self) -> Context<'_> {
        Context::new(&self.client, &self.metadata, &self.jwks)
    }

    /// The exchange of `response_type`.
    pub fn exchange(&self, response_type: ResponseType) -> &Exchange {
        let i = ResponseType::ALL
            .iter()
            .position(|t| *t == response_type)
            .unwrap_or(0);
        &self.exchanges[i]
    }
}

impl Default for Fixed {
    fn default() -> Self {
        Self::new()
    }
}
