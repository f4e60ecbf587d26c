//! A real two-party exchange built in process (provider core and relying
//! party core, no HTTP), for the benchmarks of whole protocol steps.

use oidc_hybrid::UnixTime;
use oidc_hybrid::discovery::ProviderMetadata;
use oidc_hybrid::jose::{Alg, Jwks};
use oidc_hybrid::op::{
    self, AuthorizationResponse, Authorize, AuthzRequest, ClientRegistry, CodeGrant, Entropy,
    KeySet, ProviderConfig, StoreRecord, Subject, TokenRequest,
};
use oidc_hybrid::rp::{
    self, AuthOptions, Callback, CallbackOutcome, Client, ClientAuth, ClientSecret, PendingAuth,
    ResponseMode, ResponseType,
};

/// The clock of the exchange.
pub const NOW: UnixTime = UnixTime(1_795_391_313);
const SECRET: &str = "hybrid-client-secret-not-secret-0123456789abcdef";
const REDIRECT: &str = "https://rp.example.com/cb";

/// Both sides of one exchange, ready at each step.
pub struct Flow {
    /// The provider's configuration.
    pub config: ProviderConfig,
    /// Its registered clients.
    pub registry: ClientRegistry,
    /// Its keys.
    pub keys: KeySet,
    /// The relying party's client.
    pub client: Client,
    /// The provider's metadata as the relying party read it.
    pub metadata: ProviderMetadata,
    /// The provider's JWKS as the relying party read it.
    pub jwks: Jwks,
    /// The request the provider validated (to complete again).
    pub request: AuthzRequest,
    /// The authenticated user.
    pub subject: Subject,
    /// The relying party's pending state.
    pub pending: PendingAuth,
    /// The raw authorization response (fragment or form body).
    pub raw_response: String,
    /// How it arrived.
    pub mode: ResponseMode,
    /// The validated callback.
    pub callback: Callback,
    /// The token request body and Authorization header.
    pub token_body: String,
    /// The token request's Authorization header.
    pub token_auth: String,
    /// The code grant the provider stored.
    pub code_grant: CodeGrant,
    /// The token endpoint's JSON answer.
    pub token_json: String,
}

/// Fixed entropy (the benchmark measures the protocol, not randomness).
pub const ENTROPY: [u8; 32] = [7; 32];

impl Flow {
    /// Runs begin → authorize → complete → callback → token request →
    /// redeem for `response_type` in `mode`.
    pub fn new(response_type: ResponseType, mode: ResponseMode) -> Self {
        let config = ProviderConfig::new("https://op.example.com").expect("issuer");
        let mut registry = ClientRegistry::new();
        let registration = serde_json::json!({
            "client_id": "hybrid-client",
            "client_secret": SECRET,
            "redirect_uris": [REDIRECT],
            "response_types": ["code", "code id_token", "code token", "code id_token token"],
            "grant_types": ["authorization_code", "implicit", "refresh_token"],
            "id_token_signed_response_alg": "ES256",
            "token_endpoint_auth_method": "client_secret_basic",
        });
        registry
            .insert(
                op::Client::from_registration_json(registration.to_string().as_bytes())
                    .expect("client"),
            )
            .expect("registered");
        let keys = KeySet::new(crate::signing_key());
        let metadata = ProviderMetadata::parse(
            op::discovery_json(&config, &keys).as_bytes(),
            "https://op.example.com",
        )
        .expect("metadata");
        let jwks = Jwks::parse(op::jwks_json(&keys).as_bytes()).expect("jwks");
        let client = Client::new(
            "hybrid-client",
            ClientAuth::ClientSecretBasic(ClientSecret::new(SECRET)),
            REDIRECT,
            Alg::ES256,
        )
        .expect("client");
        let mut options = AuthOptions::new(response_type);
        options.response_mode = Some(mode);
        options.scope = "openid profile email";
        let (request, pending) = rp::begin(&client, &metadata, &ENTROPY, options).expect("begin");
        let query = request.url.split_once('?').map(|(_, q)| q).expect("query");
        let Authorize::Validated(authz) = op::authorize(query, &registry, &config, NOW) else {
            panic!("the provider refused the request");
        };
        let subject = Subject {
            sub: "alice".into(),
            auth_time: NOW,
            acr: None,
            amr: vec!["pwd".into()],
            claims: serde_json::json!({"name": "Alice Example", "email": "alice@example.org"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        };
        let done = op::complete(
            authz.clone(),
            subject.clone(),
            Entropy::new(&ENTROPY).expect("entropy"),
            &keys,
            &config,
            NOW,
        )
        .expect("complete");
        let raw_response = match &done.response {
            AuthorizationResponse::Redirect { location } => location
                .split_once(['#', '?'])
                .map(|(_, p)| p.to_owned())
                .expect("parameters"),
            AuthorizationResponse::FormPost { html } => form_body(html),
        };
        let code_grant = done
            .records
            .iter()
            .find_map(|r| match r {
                StoreRecord::Code { grant, .. } => Some(grant.clone()),
                _ => None,
            })
            .expect("a code grant");
        let ctx = rp::Context::new(&client, &metadata, &jwks);
        let callback = match pending
            .clone()
            .callback(&raw_response, mode, NOW, &ctx)
            .expect("callback")
        {
            CallbackOutcome::Validated(cb) => cb,
            CallbackOutcome::RefetchJwks(_) => panic!("unknown kid"),
        };
        let http = callback.token_request(&ctx, None).expect("token request");
        let token_auth = http
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v.clone())
            .expect("basic auth");
        let token_body = http.body.clone();
        let token_json = redeem(
            &token_body,
            &token_auth,
            &registry,
            &config,
            &keys,
            &code_grant,
        )
        .json;
        Self {
            config,
            registry,
            keys,
            client,
            metadata,
            jwks,
            request: authz,
            subject,
            pending,
            raw_response,
            mode,
            callback,
            token_body,
            token_auth,
            code_grant,
            token_json,
        }
    }

    /// The relying party's context.
    pub fn ctx(&self) -> rp::Context<'_> {
        rp::Context::new(&self.client, &self.metadata, &self.jwks)
    }
}

/// The token endpoint: parse + authenticate, then redeem the stored grant.
pub fn redeem(
    body: &str,
    auth: &str,
    registry: &ClientRegistry,
    config: &ProviderConfig,
    keys: &KeySet,
    grant: &CodeGrant,
) -> op::TokenGranted {
    let TokenRequest::AuthorizationCode(r) =
        TokenRequest::parse(body, Some(auth), registry, config, NOW).expect("token request")
    else {
        panic!("not a code redemption");
    };
    r.redeem(
        op::Lookup::Found(grant.clone()),
        Entropy::new(&ENTROPY).expect("entropy"),
        keys,
        config,
        NOW,
    )
    .expect("redeem")
}

/// The urlencoded body a browser posts from the provider's form_post page.
fn form_body(html: &str) -> String {
    let mut pairs = Vec::new();
    for input in html.split("<input").skip(1) {
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            input
                .split_once(&key)
                .and_then(|(_, r)| r.split_once('"'))
                .map(|(v, _)| unescape(v))
        };
        if let (Some(n), Some(v)) = (attr("name"), attr("value")) {
            pairs.push((n, v));
        }
    }
    oidc_hybrid::encoding::form::write(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
