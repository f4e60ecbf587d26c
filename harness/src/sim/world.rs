//! The two-party world: the provider core and the relying party core, wired
//! together in process on virtual time, with the provider's store
//! ([`Store`]) and a browser ([`Delivery`]) in between. Each [`Op`] is
//! carried out as an integrator would, with one deliberate lapse: the
//! relying party never deletes a `PendingAuth`, so a duplicated or replayed
//! response reaches it again and the front channel (stateless by design)
//! accepts it again — what must stop the replay is the code's single use.
//! It keeps its callbacks and sessions, refetches the JWKS when a key is
//! unknown and validates the same answer again (OIDC Core §10.1.1). The
//! provider takes codes and refresh tokens atomically, carries out
//! revocations, and refuses replayed client assertions.
//!
//! Besides the outcome of each op, the world records what the invariants
//! are about: how often each code was redeemed, how many sessions each
//! code gave, which grants were revoked.

use std::collections::{BTreeMap, BTreeSet};

use oidc_hybrid::UnixTime;
use oidc_hybrid::discovery::ProviderMetadata;
use oidc_hybrid::jose::{Alg, Jwks, SigningKey};
use oidc_hybrid::op::{
    self, Action, AuthMethod, Authorize, AuthzRequest, ClientRegistry, ClientSecretHash, Entropy,
    GrantId, GrantType, HttpResponse, KeySet, ProviderConfig, Subject, TokenError, TokenRequest,
    UserInfoRequest,
};
use oidc_hybrid::rp::{
    self, AccessToken, AssertionInput, AuthOptions, Callback, CallbackOutcome, ClientAuth,
    ClientSecret, Context, HttpRequest, PendingAuth, Session,
};

use super::browser::Delivery;
use super::model::{KeyRef, START};
use super::ops::{AuthKind, CLIENTS, Op, Outcome, Tamper, Which, resolve};
use super::store::Store;

/// The provider's issuer.
pub const ISSUER: &str = "https://op.example";

/// A client secret (the same scheme for every secret client).
pub fn client_secret(client_id: &str) -> String {
    format!("{client_id}-secret-0123456789")
}

/// The private key of the `private_key_jwt` client.
pub fn client_key() -> SigningKey {
    SigningKey::es256_from_bytes(&[0x42; 32]).unwrap_or_else(|e| panic!("client key: {e}"))
}

/// The n-th ES256 key of the provider.
pub fn es256_key(n: usize) -> SigningKey {
    let seed = u8::try_from(n % 250 + 1).unwrap_or(1);
    SigningKey::es256_from_bytes(&[seed; 32]).unwrap_or_else(|e| panic!("key {n}: {e}"))
}

/// The provider's EdDSA key.
pub fn eddsa_key() -> SigningKey {
    SigningKey::ed25519_from_seed(&[0xED; 32])
}

struct FlowW {
    client: usize,
    pending: PendingAuth,
    url: String,
}

struct ResponseW {
    flow: usize,
    delivery: Delivery,
}

struct CallbackW {
    flow: usize,
    callback: Callback,
}

struct SessionW {
    flow: usize,
    code: String,
    session: Session,
    prev: Option<Session>,
    front: Option<AccessToken>,
}

/// The provider's half.
struct Provider {
    config: ProviderConfig,
    registry: ClientRegistry,
    keys: KeySet,
    /// kid of the n-th ES256 key.
    es256_kids: Vec<String>,
    eddsa_kid: String,
    store: Store,
    entropy: u64,
}

/// The world.
pub struct World {
    now: UnixTime,
    op: Provider,
    metadata: ProviderMetadata,
    clients: Vec<rp::Client>,
    /// The relying party's copy of the provider's JWKS.
    jwks: Jwks,
    rp_entropy: u64,
    jti: u64,
    flows: Vec<FlowW>,
    /// Validated requests, with their flow; taken by `Complete`.
    authzs: Vec<Option<(usize, AuthzRequest)>>,
    responses: Vec<ResponseW>,
    callbacks: Vec<CallbackW>,
    sessions: Vec<SessionW>,
    /// Successful redemptions per code.
    redemptions: BTreeMap<String, usize>,
    /// Sessions established per code.
    sessions_per_code: BTreeMap<String, usize>,
    /// Grants the provider asked to revoke.
    revoked: BTreeSet<GrantId>,
}

fn outcome_of(e: &oidc_hybrid::Error) -> Outcome {
    match e.provider_error() {
        Some(body) => Outcome::Provider(body.error.clone()),
        None => Outcome::Rp(e.code()),
    }
}

fn registry() -> ClientRegistry {
    let mut registry = ClientRegistry::new();
    for spec in CLIENTS {
        let (auth_method, secret, jwks) = match spec.auth {
            AuthKind::Basic => (AuthMethod::ClientSecretBasic, true, None),
            AuthKind::Post => (AuthMethod::ClientSecretPost, true, None),
            AuthKind::PrivateKeyJwt => (
                AuthMethod::PrivateKeyJwt,
                false,
                Some(Jwks::from_keys(vec![client_key().public_jwk()])),
            ),
        };
        let client = op::Client {
            client_id: spec.client_id.into(),
            secret: secret.then(|| ClientSecretHash::of(&client_secret(spec.client_id))),
            redirect_uris: vec![spec.redirect_uri()],
            response_types: spec.response_types.iter().map(|t| op_type(*t)).collect(),
            grant_types: GrantType::ALL.to_vec(),
            auth_method,
            id_token_alg: if spec.eddsa { Alg::EdDSA } else { Alg::ES256 },
            jwks,
        };
        registry
            .insert(client)
            .unwrap_or_else(|e| panic!("{}: {e}", spec.client_id));
    }
    registry
}

/// The provider's name for a relying party response type.
pub fn op_type(t: rp::ResponseType) -> op::ResponseType {
    match t {
        rp::ResponseType::Code => op::ResponseType::Code,
        rp::ResponseType::CodeIdToken => op::ResponseType::CodeIdToken,
        rp::ResponseType::CodeToken => op::ResponseType::CodeToken,
        rp::ResponseType::CodeIdTokenToken => op::ResponseType::CodeIdTokenToken,
    }
}

fn rp_client(spec: &super::ops::ClientSpec) -> rp::Client {
    let secret = || ClientSecret::new(client_secret(spec.client_id));
    let auth = match spec.auth {
        AuthKind::Basic => ClientAuth::ClientSecretBasic(secret()),
        AuthKind::Post => ClientAuth::ClientSecretPost(secret()),
        AuthKind::PrivateKeyJwt => ClientAuth::PrivateKeyJwt(client_key()),
    };
    let alg = if spec.eddsa { Alg::EdDSA } else { Alg::ES256 };
    rp::Client::new(spec.client_id, auth, &spec.redirect_uri(), alg)
        .unwrap_or_else(|e| panic!("{}: {e}", spec.client_id))
}

fn entropy_bytes(domain: u8, counter: u64) -> [u8; 32] {
    let mut b = [domain; 32];
    b[..8].copy_from_slice(&counter.to_le_bytes());
    b
}

fn content_type(r: &HttpResponse) -> &str {
    r.header_value("Content-Type").unwrap_or_default()
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    /// The world of [`Model::new`](super::model::Model::new): one ES256 and
    /// one EdDSA key, the three clients of [`CLIENTS`], nothing in flight.
    pub fn new() -> Self {
        let config = ProviderConfig::new(ISSUER).unwrap_or_else(|e| panic!("config: {e}"));
        let first = es256_key(0);
        let mut keys = KeySet::new(first.clone());
        let ed = eddsa_key();
        keys.publish(ed.clone());
        let eddsa_kid = ed.public_key().thumbprint();
        keys.activate(&eddsa_kid)
            .unwrap_or_else(|e| panic!("eddsa: {e}"));
        let metadata =
            ProviderMetadata::parse(op::discovery_json(&config, &keys).as_bytes(), ISSUER)
                .unwrap_or_else(|e| panic!("metadata: {e}"));
        let jwks =
            Jwks::parse(op::jwks_json(&keys).as_bytes()).unwrap_or_else(|e| panic!("jwks: {e}"));
        Self {
            now: UnixTime(START),
            op: Provider {
                config,
                registry: registry(),
                keys,
                es256_kids: vec![first.public_key().thumbprint()],
                eddsa_kid,
                store: Store::default(),
                entropy: 0,
            },
            metadata,
            clients: CLIENTS.iter().map(rp_client).collect(),
            jwks,
            rp_entropy: 0,
            jti: 0,
            flows: Vec::new(),
            authzs: Vec::new(),
            responses: Vec::new(),
            callbacks: Vec::new(),
            sessions: Vec::new(),
            redemptions: BTreeMap::new(),
            sessions_per_code: BTreeMap::new(),
            revoked: BTreeSet::new(),
        }
    }

    fn ctx(&self, client: usize) -> Context<'_> {
        Context::new(&self.clients[client], &self.metadata, &self.jwks)
    }

    fn refetch_jwks(&mut self) {
        self.jwks = Jwks::parse(op::jwks_json(&self.op.keys).as_bytes())
            .unwrap_or_else(|e| panic!("jwks: {e}"));
    }

    fn op_entropy(&mut self) -> [u8; 32] {
        self.op.entropy += 1;
        entropy_bytes(0x0B, self.op.entropy)
    }

    /// Carries out `op` and says what came of it.
    pub fn apply(&mut self, op: &Op) -> Outcome {
        match *op {
            Op::Begin {
                client,
                response_type,
                mode,
                max_age,
            } => {
                self.rp_entropy += 1;
                let entropy = entropy_bytes(0x0A, self.rp_entropy);
                let options = AuthOptions {
                    response_mode: Some(mode),
                    scope: "openid email",
                    max_age,
                    ..AuthOptions::new(response_type)
                };
                match rp::begin(&self.clients[client], &self.metadata, &entropy, options) {
                    Ok((request, pending)) => {
                        self.flows.push(FlowW {
                            client,
                            pending,
                            url: request.url,
                        });
                        Outcome::Ok
                    }
                    Err(e) => outcome_of(&e),
                }
            }
            Op::Authorize { flow } => self.authorize(flow),
            Op::Complete { authz } => self.complete(authz),
            Op::Deliver {
                response,
                to,
                tamper,
            } => self.deliver(response, to, tamper, false),
            Op::Inject { response, into } => self.deliver(response, Some(into), Tamper::None, true),
            Op::Exchange { callback, creds } => self.exchange(callback, creds),
            Op::Refresh {
                session,
                stale,
                creds,
            } => self.refresh(session, stale, creds),
            Op::UserInfo { session, token } => self.userinfo(session, token),
            Op::Wait { secs } => {
                self.now = self.now.plus(secs);
                Outcome::Ok
            }
            Op::RotateKey => {
                let key = es256_key(self.op.es256_kids.len());
                let kid = key.public_key().thumbprint();
                self.op.keys.publish(key);
                self.op
                    .keys
                    .activate(&kid)
                    .unwrap_or_else(|e| panic!("activate: {e}"));
                self.op.es256_kids.push(kid);
                Outcome::Ok
            }
            Op::RetireKeys => {
                let active = self
                    .op
                    .keys
                    .active_for(Alg::ES256)
                    .map(|k| k.kid().to_owned())
                    .unwrap_or_default();
                let published: Vec<String> = self
                    .op
                    .keys
                    .keys()
                    .iter()
                    .map(|k| k.kid().to_owned())
                    .collect();
                for kid in published {
                    if kid != active && kid != self.op.eddsa_kid {
                        self.op
                            .keys
                            .retire(&kid)
                            .unwrap_or_else(|e| panic!("retire: {e}"));
                    }
                }
                Outcome::Ok
            }
            Op::Purge => {
                self.op.store.purge(self.now);
                Outcome::Ok
            }
        }
    }

    fn authorize(&mut self, flow: usize) -> Outcome {
        let Some(flow) = resolve(flow, self.flows.len()) else {
            return Outcome::Skipped;
        };
        let f = &self.flows[flow];
        let query = f.url.split_once('?').map(|(_, q)| q).unwrap_or_default();
        match op::authorize(query, &self.op.registry, &self.op.config, self.now) {
            Authorize::Validated(r) => {
                self.authzs.push(Some((flow, r)));
                Outcome::Ok
            }
            Authorize::RedirectError(e) => {
                self.responses.push(ResponseW {
                    flow,
                    delivery: Delivery::of(&e.response()),
                });
                Outcome::provider(e.error.as_str())
            }
            Authorize::ErrorPage(p) => Outcome::Provider(format!("page: {}", p.error.as_str())),
        }
    }

    fn complete(&mut self, authz: usize) -> Outcome {
        let authz = resolve(authz, self.authzs.len());
        let Some((flow, request)) = authz.and_then(|i| self.authzs[i].take()) else {
            return Outcome::Skipped;
        };
        // The user logs in now.
        let subject = Subject::new(&format!("user-{flow}"), self.now);
        let bytes = self.op_entropy();
        let entropy = Entropy::new(&bytes).unwrap_or_else(|e| panic!("entropy: {e}"));
        match op::complete(
            request,
            subject,
            entropy,
            &self.op.keys,
            &self.op.config,
            self.now,
        ) {
            Ok(done) => {
                self.op.store.save(done.records);
                self.responses.push(ResponseW {
                    flow,
                    delivery: Delivery::of(&done.response),
                });
                Outcome::Ok
            }
            Err(e) => outcome_of(&e),
        }
    }

    /// Delivers a response; `inject`: with the target flow's own `state`.
    fn deliver(
        &mut self,
        response: usize,
        to: Option<usize>,
        tamper: Tamper,
        inject: bool,
    ) -> Outcome {
        let Some(r) = resolve(response, self.responses.len()).map(|i| &self.responses[i]) else {
            return Outcome::Skipped;
        };
        let target = match to {
            None => Some(r.flow),
            Some(back) => resolve(back, self.flows.len()),
        };
        let Some(target) = target else {
            return Outcome::Skipped;
        };
        let f = &self.flows[target];
        let mut d = r.delivery.tampered(tamper);
        if inject {
            let own = f.pending.state().secret().to_owned();
            for (n, v) in &mut d.params {
                if n == "state" {
                    v.clone_from(&own);
                }
            }
        }
        let raw = d.raw();
        let pending = f.pending.clone();
        let client = f.client;
        let first = pending.callback(&raw, d.mode, self.now, &self.ctx(client));
        let validated = match first {
            Ok(CallbackOutcome::RefetchJwks(p)) => {
                self.refetch_jwks();
                match p.callback(&raw, d.mode, self.now, &self.ctx(client)) {
                    Ok(CallbackOutcome::RefetchJwks(_)) => {
                        return Outcome::Rp("refetch_asked_twice");
                    }
                    other => other,
                }
            }
            other => other,
        };
        match validated {
            Ok(CallbackOutcome::Validated(callback)) => {
                self.callbacks.push(CallbackW {
                    flow: target,
                    callback,
                });
                Outcome::Ok
            }
            Ok(CallbackOutcome::RefetchJwks(_)) => Outcome::Rp("refetch_asked_twice"),
            Err(e) => outcome_of(&e),
        }
    }

    /// The provider's token endpoint: authenticate, take, redeem, store,
    /// revoke. Also says whether tokens were granted.
    fn token_endpoint(&mut self, request: &HttpRequest) -> (HttpResponse, bool) {
        let now = self.now;
        let parsed = TokenRequest::parse(
            &request.body,
            request.header("Authorization"),
            &self.op.registry,
            &self.op.config,
            now,
        );
        let r = match parsed {
            Ok(r) => r,
            Err(e) => return (e.to_http(), false),
        };
        // OIDC Core §9: a client assertion is used once.
        if let Some(a) = r.assertion()
            && !self.op.store.first_use_of_assertion(&a.key, a.expires_at)
        {
            return (TokenError::replayed_assertion().to_http(), false);
        }
        let bytes = self.op_entropy();
        let entropy = Entropy::new(&bytes).unwrap_or_else(|e| panic!("entropy: {e}"));
        let (keys, config) = (&self.op.keys, &self.op.config);
        let result = match r {
            TokenRequest::AuthorizationCode(c) => {
                let lookup = self.op.store.take_code(c.key());
                c.redeem(lookup, entropy, keys, config, now)
            }
            TokenRequest::RefreshToken(rt) => {
                let lookup = self.op.store.take_refresh(rt.key());
                rt.redeem(lookup, entropy, keys, config, now)
            }
        };
        match result {
            Ok(granted) => {
                let http = granted.to_http();
                self.op.store.save(granted.records);
                (http, true)
            }
            Err(e) => {
                if let Some(Action::Revoke(grant)) = &e.action {
                    self.op.store.revoke(grant);
                    self.revoked.insert(grant.clone());
                }
                (e.to_http(), false)
            }
        }
    }

    fn assertion(&mut self, client: usize) -> Option<String> {
        (CLIENTS[client].auth == AuthKind::PrivateKeyJwt).then(|| {
            self.jti += 1;
            format!("jti-{}", self.jti)
        })
    }

    fn exchange(&mut self, callback: usize, creds: Option<usize>) -> Outcome {
        let Some(cb) = resolve(callback, self.callbacks.len()).map(|i| &self.callbacks[i]) else {
            return Outcome::Skipped;
        };
        let (flow, callback) = (cb.flow, cb.callback.clone());
        let client = creds.unwrap_or(self.flows[flow].client);
        if client >= CLIENTS.len() {
            return Outcome::Skipped;
        }
        let jti = self.assertion(client);
        let assertion = jti
            .as_deref()
            .map(|jti| AssertionInput { jti, now: self.now });
        let request = match callback.token_request(&self.ctx(client), assertion) {
            Ok(r) => r,
            Err(e) => return outcome_of(&e),
        };
        let (http, granted) = self.token_endpoint(&request);
        let code = callback.code().secret().to_owned();
        if granted {
            *self.redemptions.entry(code.clone()).or_default() += 1;
        }
        let front = callback
            .front_channel_token()
            .map(|t| t.access_token.clone());
        // OIDC Core §10.1.1: an unknown key may be a rotation; refetch and
        // validate the same answer again.
        let validate = |w: &Self| {
            callback.token_response(
                &w.ctx(client),
                http.status,
                content_type(&http),
                http.body.as_bytes(),
                w.now,
            )
        };
        let result = match validate(self) {
            Err(e) if e.code() == "unknown_kid" => {
                self.refetch_jwks();
                validate(self)
            }
            other => other,
        };
        match result {
            Ok(session) => {
                *self.sessions_per_code.entry(code.clone()).or_default() += 1;
                self.sessions.push(SessionW {
                    flow,
                    code,
                    session,
                    prev: None,
                    front,
                });
                Outcome::Ok
            }
            Err(e) => outcome_of(&e),
        }
    }

    fn refresh(&mut self, session: usize, stale: bool, creds: Option<usize>) -> Outcome {
        let Some(session) = resolve(session, self.sessions.len()) else {
            return Outcome::Skipped;
        };
        let s = &self.sessions[session];
        let base = if stale {
            match &s.prev {
                None => return Outcome::Skipped,
                Some(p) => p.clone(),
            }
        } else {
            s.session.clone()
        };
        let client = creds.unwrap_or(self.flows[s.flow].client);
        if client >= CLIENTS.len() {
            return Outcome::Skipped;
        }
        let jti = self.assertion(client);
        let assertion = jti
            .as_deref()
            .map(|jti| AssertionInput { jti, now: self.now });
        let request = match base.refresh_request(&self.ctx(client), assertion) {
            Ok(r) => r,
            Err(e) => return outcome_of(&e),
        };
        let (http, _) = self.token_endpoint(&request);
        let validate = |w: &Self| {
            base.refresh_response(
                &w.ctx(client),
                http.status,
                content_type(&http),
                http.body.as_bytes(),
                w.now,
            )
        };
        let result = match validate(self) {
            Err(e) if e.code() == "unknown_kid" => {
                self.refetch_jwks();
                validate(self)
            }
            other => other,
        };
        match result {
            Ok(next) => {
                let s = &mut self.sessions[session];
                s.prev = Some(core::mem::replace(&mut s.session, next));
                Outcome::Ok
            }
            Err(e) => outcome_of(&e),
        }
    }

    fn userinfo(&mut self, session: usize, token: Which) -> Outcome {
        let Some(s) = resolve(session, self.sessions.len()).map(|i| &self.sessions[i]) else {
            return Outcome::Skipped;
        };
        let flow_client = self.flows[s.flow].client;
        let header = match token {
            Which::Current | Which::Previous => {
                let which = if token == Which::Current {
                    Some(&s.session)
                } else {
                    s.prev.as_ref()
                };
                let Some(session) = which else {
                    return Outcome::Skipped;
                };
                match session.userinfo_request(&self.ctx(flow_client)) {
                    Ok(r) => r.header("Authorization").unwrap_or_default().to_owned(),
                    Err(e) => return outcome_of(&e),
                }
            }
            Which::FrontChannel => match &s.front {
                None => return Outcome::Skipped,
                Some(t) => format!("Bearer {}", t.secret()),
            },
        };
        let http = match UserInfoRequest::parse(Some(&header), None) {
            Err(e) => e.to_http(),
            Ok(r) => {
                let grant = self.op.store.access(r.key());
                match r.respond(grant, self.now) {
                    Ok(http) => http,
                    Err(e) => e.to_http(),
                }
            }
        };
        match s
            .session
            .userinfo_response(http.status, content_type(&http), http.body.as_bytes())
        {
            Ok(_) => Outcome::Ok,
            Err(e) => outcome_of(&e),
        }
    }

    /// The provider's store.
    pub fn store(&self) -> &Store {
        &self.op.store
    }

    /// Entity counts: flows, validated requests, responses, callbacks,
    /// sessions (compared with the model's).
    pub fn entity_counts(&self) -> [usize; 5] {
        [
            self.flows.len(),
            self.authzs.len(),
            self.responses.len(),
            self.callbacks.len(),
            self.sessions.len(),
        ]
    }

    /// The codes redeemed more than once (must stay empty).
    pub fn codes_redeemed_twice(&self) -> Vec<&str> {
        self.redemptions
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(c, _)| c.as_str())
            .collect()
    }

    /// The codes that gave more than one session (must stay empty).
    pub fn codes_with_two_sessions(&self) -> Vec<&str> {
        let mut per: BTreeMap<&str, usize> = BTreeMap::new();
        for s in &self.sessions {
            *per.entry(s.code.as_str()).or_default() += 1;
        }
        debug_assert_eq!(per.len(), self.sessions_per_code.len());
        per.into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(c, _)| c)
            .collect()
    }

    /// The grants the provider asked to revoke.
    pub fn revoked(&self) -> &BTreeSet<GrantId> {
        &self.revoked
    }

    fn key_ref(&self, kid: &str) -> KeyRef {
        if kid == self.op.eddsa_kid {
            return KeyRef::EdDsa;
        }
        let n = self.op.es256_kids.iter().position(|k| k == kid);
        KeyRef::Es256(n.unwrap_or(usize::MAX))
    }

    fn key_refs(&self, jwks: &Jwks) -> BTreeSet<KeyRef> {
        jwks.keys()
            .iter()
            .map(|k| self.key_ref(k.kid.as_deref().unwrap_or_default()))
            .collect()
    }

    /// The keys in the relying party's copy of the JWKS, named as the model
    /// names them.
    pub fn rp_keys(&self) -> BTreeSet<KeyRef> {
        self.key_refs(&self.jwks)
    }

    /// The keys the provider publishes, named as the model names them.
    pub fn published_keys(&self) -> BTreeSet<KeyRef> {
        let published = Jwks::parse(op::jwks_json(&self.op.keys).as_bytes())
            .unwrap_or_else(|e| panic!("jwks: {e}"));
        self.key_refs(&published)
    }

    /// The virtual clock.
    pub fn now(&self) -> UnixTime {
        self.now
    }
}
