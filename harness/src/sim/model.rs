//! The reference model: what a correct provider and relying party must do,
//! written from the specifications, without the cores' code. It tracks the
//! life of every flow, code, token and key as plain data and predicts the
//! [`Outcome`] of each [`Op`], with the error code the relying party (or
//! the provider, as the relying party surfaces it) must give.
//!
//! The rules it encodes, in the order the relying party applies them:
//!
//! - Authorization response (OIDC Core §3.3.2.5–§3.3.2.12; RFC 6749
//!   §4.1.2, §10.12; RFC 9207): no parameter twice; `state` present and
//!   the pending one's; an `error` answers the request; the mode asked
//!   for; `iss` required without an ID token (the provider advertises
//!   RFC 9207); the ID token's key known (the relying party refetches the
//!   JWKS once when it is not), its signature, `exp` (plus leeway),
//!   `max_age` (plus leeway), then `c_hash`.
//! - Code injection (RFC 9700 §4.5): another user's response carried
//!   into a session with that session's `state` passes the state check;
//!   an ID token stops it (`alg`, key, audience, `exp`, then the nonce),
//!   otherwise PKCE does at the token endpoint.
//! - Token endpoint (RFC 6749 §4.1.2, §4.1.3, §10.5; RFC 7636 §4.6): the
//!   code is taken whatever happens next; a code not there is
//!   `invalid_grant`; a spent code is `invalid_grant` and revokes every
//!   token of its authorization; a code of another client, or expired, is
//!   `invalid_grant`. The ID token of the response passes `max_age` again.
//! - Refresh (RFC 6749 §6, RFC 9700 §4.14.2): rotation with the same
//!   absolute expiry; a rotated token used again revokes the grant.
//! - UserInfo (OIDC Core §5.3, RFC 6750 §3.1): a token deleted (revoked,
//!   purged) or expired is `invalid_token`.
//! - Keys: the provider signs with the active key of the client's
//!   algorithm; a key stays verifiable while it is published.

use std::collections::BTreeSet;

use oidc_hybrid::op::Lifetimes;
use oidc_hybrid::rp::{DEFAULT_LEEWAY, ResponseMode, ResponseType};

use super::ops::{CLIENTS, Op, Outcome, Tamper, Which, resolve};

/// A provider signing key: the n-th ES256 key, or the EdDSA key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyRef {
    /// The n-th ES256 key (0 is the first).
    Es256(usize),
    /// The one EdDSA key.
    EdDsa,
}

/// Where a code or refresh token is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Life {
    /// Stored, usable once.
    Live,
    /// Taken: its tombstone is stored.
    Spent,
    /// Deleted (revoked or purged).
    Gone,
}

/// A login the relying party began.
#[derive(Clone, Debug)]
pub struct FlowM {
    /// Client index.
    pub client: usize,
    /// Response type.
    pub response_type: ResponseType,
    /// Response mode.
    pub mode: ResponseMode,
    /// `max_age`.
    pub max_age: Option<u64>,
}

/// A request the provider validated.
#[derive(Clone, Debug)]
pub struct AuthzM {
    /// Flow index.
    pub flow: usize,
    /// Completed (the parked request is consumed).
    pub completed: bool,
}

/// An authorization response the provider sent.
#[derive(Clone, Debug)]
pub enum ResponseM {
    /// An error redirect.
    Error {
        /// Flow index.
        flow: usize,
        /// The OAuth error.
        error: &'static str,
    },
    /// A successful response for grant `grant`.
    Success {
        /// Flow index.
        flow: usize,
        /// Grant index.
        grant: usize,
    },
}

/// The ID token of an authorization response.
#[derive(Clone, Copy, Debug)]
pub struct IdTokenM {
    /// The key that signed it.
    pub kid: KeyRef,
    /// `iat`.
    pub iat: u64,
}

/// One completed authorization at the provider: its code and what came
/// with it.
#[derive(Clone, Debug)]
pub struct GrantM {
    /// Flow index.
    pub flow: usize,
    /// The client it was issued to.
    pub client: usize,
    /// The code.
    pub code: Life,
    /// When the code expires.
    pub code_expires: u64,
    /// The front-channel access token (access token index).
    pub front_access: Option<usize>,
    /// The front-channel ID token.
    pub id_token: Option<IdTokenM>,
    /// When the user authenticated.
    pub auth_time: u64,
    /// Revoked after a reuse.
    pub revoked: bool,
}

/// An access token.
#[derive(Clone, Debug)]
pub struct AccessM {
    /// Grant index.
    pub grant: usize,
    /// Expiry.
    pub expires: u64,
    /// Deleted.
    pub gone: bool,
}

/// A refresh token.
#[derive(Clone, Debug)]
pub struct RefreshM {
    /// Grant index.
    pub grant: usize,
    /// The client it was issued to.
    pub client: usize,
    /// Expiry (absolute, kept through rotation).
    pub expires: u64,
    /// Its life.
    pub life: Life,
}

/// A callback the relying party validated.
#[derive(Clone, Debug)]
pub struct CallbackM {
    /// Flow index.
    pub flow: usize,
    /// The grant of its code; `None` when the code was tampered with.
    pub grant: Option<usize>,
    /// Its code was issued to another flow (injected): the PKCE verifier
    /// is not the one the code is bound to.
    pub injected: bool,
}

/// A session the relying party holds.
#[derive(Clone, Debug)]
pub struct SessionM {
    /// Flow index.
    pub flow: usize,
    /// Grant index.
    pub grant: usize,
    /// Current access token.
    pub access: usize,
    /// Current refresh token.
    pub refresh: Option<usize>,
    /// Access and refresh token before the last refresh.
    pub prev: Option<(usize, Option<usize>)>,
}

/// What the store must hold, by the model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExpectedCounts {
    /// Live codes.
    pub codes: usize,
    /// Code tombstones.
    pub code_tombstones: usize,
    /// Access tokens.
    pub access_tokens: usize,
    /// Live refresh tokens.
    pub refresh_tokens: usize,
    /// Refresh token tombstones.
    pub refresh_tombstones: usize,
}

/// The model's state.
#[derive(Clone, Debug)]
pub struct Model {
    /// Virtual time.
    pub now: u64,
    /// Flows, in the order begun.
    pub flows: Vec<FlowM>,
    /// Validated requests.
    pub authzs: Vec<AuthzM>,
    /// Authorization responses.
    pub responses: Vec<ResponseM>,
    /// Completed authorizations.
    pub grants: Vec<GrantM>,
    /// Validated callbacks.
    pub callbacks: Vec<CallbackM>,
    /// Sessions.
    pub sessions: Vec<SessionM>,
    /// Access tokens.
    pub access: Vec<AccessM>,
    /// Refresh tokens.
    pub refresh: Vec<RefreshM>,
    /// How many ES256 keys the provider has made.
    pub es256_keys: usize,
    /// The active ES256 key.
    pub es256_active: usize,
    /// The keys the provider publishes.
    pub published: BTreeSet<KeyRef>,
    /// The keys in the relying party's copy of the JWKS.
    pub rp_cache: BTreeSet<KeyRef>,
    /// The predicted outcome of the last op.
    pub last: Outcome,
}

/// The time the run starts at.
pub const START: u64 = 1_800_000_000;

fn lifetimes() -> Lifetimes {
    Lifetimes::default()
}

impl Default for Model {
    fn default() -> Self {
        Self::new()
    }
}

impl Model {
    /// The initial state: one ES256 key and the EdDSA key, both published
    /// and known to the relying party; nothing else.
    pub fn new() -> Self {
        let keys: BTreeSet<KeyRef> = [KeyRef::Es256(0), KeyRef::EdDsa].into();
        Self {
            now: START,
            flows: Vec::new(),
            authzs: Vec::new(),
            responses: Vec::new(),
            grants: Vec::new(),
            callbacks: Vec::new(),
            sessions: Vec::new(),
            access: Vec::new(),
            refresh: Vec::new(),
            es256_keys: 1,
            es256_active: 0,
            published: keys.clone(),
            rp_cache: keys,
            last: Outcome::Skipped,
        }
    }

    /// The key the provider signs the client's ID tokens with now.
    fn signing_key(&self, client: usize) -> KeyRef {
        if CLIENTS[client].eddsa {
            KeyRef::EdDsa
        } else {
            KeyRef::Es256(self.es256_active)
        }
    }

    /// The relying party meets an ID token signed by `kid`: it refetches
    /// the JWKS when it does not know the key (OIDC Core §10.1.1). Whether
    /// the key is known afterwards.
    fn rp_knows(&mut self, kid: KeyRef) -> bool {
        if !self.rp_cache.contains(&kid) {
            self.rp_cache = self.published.clone();
        }
        self.rp_cache.contains(&kid)
    }

    /// `now` is past `max_age` (plus leeway) after `auth_time`
    /// (OIDC Core §3.1.2.1, §3.1.3.7 step 13).
    fn max_age_exceeded(&self, flow: usize, auth_time: u64) -> bool {
        self.flows[flow]
            .max_age
            .is_some_and(|m| self.now > auth_time + m + DEFAULT_LEEWAY)
    }

    /// RFC 6749 §4.1.2, RFC 9700 §4.14.2: delete every token of the grant.
    fn revoke(&mut self, grant: usize) {
        self.grants[grant].revoked = true;
        for a in self.access.iter_mut().filter(|a| a.grant == grant) {
            a.gone = true;
        }
        for r in self.refresh.iter_mut().filter(|r| r.grant == grant) {
            if r.life == Life::Live {
                r.life = Life::Gone;
            }
        }
    }

    /// The token endpoint issues tokens for `grant`: an access token, a
    /// refresh token (every client here may refresh) with `refresh_expires`,
    /// and an ID token the relying party must be able to verify.
    fn issue(&mut self, grant: usize, client: usize, refresh_expires: u64) -> (usize, usize) {
        let lt = lifetimes();
        self.access.push(AccessM {
            grant,
            expires: self.now + lt.access_token,
            gone: false,
        });
        self.refresh.push(RefreshM {
            grant,
            client,
            expires: refresh_expires,
            life: Life::Live,
        });
        let kid = self.signing_key(self.grants[grant].client);
        // The active key is published: after a refetch it is known.
        self.rp_knows(kid);
        (self.access.len() - 1, self.refresh.len() - 1)
    }

    /// Applies `op` and records the predicted outcome in `last`.
    pub fn apply(mut self, op: &Op) -> Self {
        self.last = self.step(op);
        self
    }

    fn step(&mut self, op: &Op) -> Outcome {
        match *op {
            Op::Begin {
                client,
                response_type,
                mode,
                max_age,
            } => {
                // Multiple Response Types §5: tokens never in the query.
                if mode == ResponseMode::Query && response_type != ResponseType::Code {
                    return Outcome::Rp("invalid_parameter");
                }
                self.flows.push(FlowM {
                    client,
                    response_type,
                    mode,
                    max_age,
                });
                Outcome::Ok
            }
            Op::Authorize { flow } => {
                let Some(flow) = resolve(flow, self.flows.len()) else {
                    return Outcome::Skipped;
                };
                let f = &self.flows[flow];
                // RFC 6749 §4.1.2.1: a type the client may not use is
                // unauthorized_client, redirected (the redirect URI is valid).
                if !CLIENTS[f.client].response_types.contains(&f.response_type) {
                    self.responses.push(ResponseM::Error {
                        flow,
                        error: "unauthorized_client",
                    });
                    return Outcome::provider("unauthorized_client");
                }
                self.authzs.push(AuthzM {
                    flow,
                    completed: false,
                });
                Outcome::Ok
            }
            Op::Complete { authz } => {
                let authz = resolve(authz, self.authzs.len());
                let Some(a) = authz
                    .and_then(|i| self.authzs.get_mut(i))
                    .filter(|a| !a.completed)
                else {
                    return Outcome::Skipped;
                };
                a.completed = true;
                let flow = a.flow;
                let f = self.flows[flow].clone();
                let lt = lifetimes();
                let grant = self.grants.len();
                let front_access = f.response_type.returns_access_token().then(|| {
                    self.access.push(AccessM {
                        grant,
                        expires: self.now + lt.access_token,
                        gone: false,
                    });
                    self.access.len() - 1
                });
                let id_token = f.response_type.returns_id_token().then(|| IdTokenM {
                    kid: self.signing_key(f.client),
                    iat: self.now,
                });
                self.grants.push(GrantM {
                    flow,
                    client: f.client,
                    code: Life::Live,
                    code_expires: self.now + lt.code,
                    front_access,
                    id_token,
                    auth_time: self.now,
                    revoked: false,
                });
                self.responses.push(ResponseM::Success { flow, grant });
                Outcome::Ok
            }
            Op::Deliver {
                response,
                to,
                tamper,
            } => self.deliver(response, to, tamper),
            Op::Inject { response, into } => self.inject(response, into),
            Op::Exchange { callback, creds } => self.exchange(callback, creds),
            Op::Refresh {
                session,
                stale,
                creds,
            } => self.refresh(session, stale, creds),
            Op::UserInfo { session, token } => {
                let Some(s) = resolve(session, self.sessions.len()).map(|i| &self.sessions[i])
                else {
                    return Outcome::Skipped;
                };
                let access = match token {
                    Which::Current => Some(s.access),
                    Which::Previous => s.prev.map(|p| p.0),
                    Which::FrontChannel => self.grants[s.grant].front_access,
                };
                let Some(a) = access.map(|a| &self.access[a]) else {
                    return Outcome::Skipped;
                };
                // RFC 6750 §3.1: deleted or expired is invalid_token.
                if a.gone || self.now >= a.expires {
                    return Outcome::provider("invalid_token");
                }
                Outcome::Ok
            }
            Op::Wait { secs } => {
                self.now += secs;
                Outcome::Ok
            }
            Op::RotateKey => {
                self.es256_active = self.es256_keys;
                self.es256_keys += 1;
                self.published.insert(KeyRef::Es256(self.es256_active));
                Outcome::Ok
            }
            Op::RetireKeys => {
                let active = KeyRef::Es256(self.es256_active);
                self.published
                    .retain(|k| *k == active || *k == KeyRef::EdDsa);
                Outcome::Ok
            }
            Op::Purge => {
                let now = self.now;
                // A live code goes when it expires; a spent one's tombstone
                // stays as long as the tokens the code could yield
                // (RFC 6749 §4.1.2: a late replay still revokes them).
                let lt = lifetimes();
                let tokens = lt.access_token.max(lt.refresh_token);
                for g in &mut self.grants {
                    let gone_at = match g.code {
                        Life::Live => g.code_expires,
                        Life::Spent => g.code_expires + tokens,
                        Life::Gone => continue,
                    };
                    if now >= gone_at {
                        g.code = Life::Gone;
                    }
                }
                for a in &mut self.access {
                    if now >= a.expires {
                        a.gone = true;
                    }
                }
                for r in &mut self.refresh {
                    if r.life != Life::Gone && now >= r.expires {
                        r.life = Life::Gone;
                    }
                }
                Outcome::Ok
            }
        }
    }

    fn deliver(&mut self, response: usize, to: Option<usize>, tamper: Tamper) -> Outcome {
        let Some(r) = resolve(response, self.responses.len()).map(|i| self.responses[i].clone())
        else {
            return Outcome::Skipped;
        };
        let (source, body) = match r {
            ResponseM::Error { flow, error } => (flow, Err(error)),
            ResponseM::Success { flow, grant } => (flow, Ok(grant)),
        };
        let target = match to {
            None => source,
            Some(back) => match resolve(back, self.flows.len()) {
                None => return Outcome::Skipped,
                Some(t) => t,
            },
        };
        // 1. RFC 6749 §3.1: no parameter twice.
        if tamper == Tamper::DuplicateState {
            return Outcome::Rp("duplicate_parameter");
        }
        // 2. state present and the one the target flow sent (RFC 6749 §10.12).
        if tamper == Tamper::DropState {
            return Outcome::Rp("missing_parameter");
        }
        if tamper == Tamper::ChangeState || target != source {
            return Outcome::Rp("state_mismatch");
        }
        // 3. RFC 9207 §2.4: iss, when present, is the issuer (error
        //    responses included).
        if tamper == Tamper::WrongIss {
            return Outcome::Rp("iss_param_mismatch");
        }
        // 4. An error answers the request (RFC 6749 §4.1.2.1), whatever the
        //    mode it came in.
        let grant = match body {
            Err(error) => return Outcome::provider(error),
            Ok(g) => g,
        };
        let f = self.flows[target].clone();
        // 5. The mode asked for (Multiple Response Types §5); iss required
        //    when no ID token says who issued (RFC 9207 §2.4).
        if tamper == Tamper::WrongMode {
            return Outcome::Rp("unexpected_response");
        }
        if tamper == Tamper::DropIss && !f.response_type.returns_id_token() {
            return Outcome::Rp("iss_param_missing");
        }
        // 7. The ID token (OIDC Core §3.3.2.12 → §3.1.3.7).
        let g = self.grants[grant].clone();
        if let Some(t) = g.id_token {
            if !self.rp_knows(t.kid) {
                return Outcome::Rp("unknown_kid");
            }
            if tamper == Tamper::FlipIdTokenSignature {
                return Outcome::Rp("bad_signature");
            }
            if self.now >= t.iat + lifetimes().id_token + DEFAULT_LEEWAY {
                return Outcome::Rp("expired");
            }
            if self.max_age_exceeded(target, g.auth_time) {
                return Outcome::Rp("max_age_exceeded");
            }
            // OIDC Core §3.3.2.11: c_hash binds the code.
            if tamper == Tamper::ChangeCode {
                return Outcome::Rp("c_hash_mismatch");
            }
        }
        self.callbacks.push(CallbackM {
            flow: target,
            grant: (tamper != Tamper::ChangeCode).then_some(grant),
            injected: false,
        });
        Outcome::Ok
    }

    fn inject(&mut self, response: usize, into: usize) -> Outcome {
        let Some(r) = resolve(response, self.responses.len()).map(|i| self.responses[i].clone())
        else {
            return Outcome::Skipped;
        };
        let Some(target) = resolve(into, self.flows.len()) else {
            return Outcome::Skipped;
        };
        // 2. The state is the target's own: it passes.
        let (source, grant) = match r {
            // 3. An error answers "the request".
            ResponseM::Error { error, .. } => return Outcome::provider(error),
            ResponseM::Success { flow, grant } => (flow, grant),
        };
        let (from, to) = (self.flows[source].clone(), self.flows[target].clone());
        let injected = source != target;
        // 4. The mode the target asked for.
        if from.mode != to.mode {
            return Outcome::Rp("unexpected_response");
        }
        // 6. What the target's type requires (OIDC Core §3.3.2.5).
        if to.response_type.returns_id_token() && !from.response_type.returns_id_token() {
            return Outcome::Rp("missing_parameter");
        }
        if to.response_type.returns_access_token() && !from.response_type.returns_access_token() {
            return Outcome::Rp("missing_parameter");
        }
        // 7. The ID token, if the target expects one: it was minted for the
        //    source's client and nonce (OIDC Core §3.1.3.7 steps 3, 9, 11, 13).
        let g = self.grants[grant].clone();
        if to.response_type.returns_id_token()
            && let Some(t) = g.id_token
        {
            // Step 7: the target client's registered alg, before any key.
            if CLIENTS[from.client].eddsa != CLIENTS[to.client].eddsa {
                return Outcome::Rp("alg_not_allowed");
            }
            if !self.rp_knows(t.kid) {
                return Outcome::Rp("unknown_kid");
            }
            if from.client != to.client {
                return Outcome::Rp("invalid_audience");
            }
            if self.now >= t.iat + lifetimes().id_token + DEFAULT_LEEWAY {
                return Outcome::Rp("expired");
            }
            if injected {
                return Outcome::Rp("nonce_mismatch");
            }
            if self.max_age_exceeded(target, g.auth_time) {
                return Outcome::Rp("max_age_exceeded");
            }
        }
        self.callbacks.push(CallbackM {
            flow: target,
            grant: Some(grant),
            injected,
        });
        Outcome::Ok
    }

    fn exchange(&mut self, callback: usize, creds: Option<usize>) -> Outcome {
        let Some(c) = resolve(callback, self.callbacks.len()).map(|i| self.callbacks[i].clone())
        else {
            return Outcome::Skipped;
        };
        let client = creds.unwrap_or(self.flows[c.flow].client);
        if client >= CLIENTS.len() {
            return Outcome::Skipped;
        }
        // RFC 6749 §4.1.2: the code is taken, whatever comes next.
        let Some(grant) = c.grant else {
            return Outcome::provider("invalid_grant");
        };
        match self.grants[grant].code {
            Life::Gone => return Outcome::provider("invalid_grant"),
            // RFC 6749 §4.1.2, §10.5: a second use revokes the grant.
            Life::Spent => {
                self.revoke(grant);
                return Outcome::provider("invalid_grant");
            }
            Life::Live => self.grants[grant].code = Life::Spent,
        }
        let g = self.grants[grant].clone();
        // RFC 6749 §4.1.3: issued to this client, not expired; RFC 7636
        // §4.6: the verifier of the request the code was issued for.
        if g.client != client || self.now >= g.code_expires || c.injected {
            return Outcome::provider("invalid_grant");
        }
        let refresh_expires = self.now + lifetimes().refresh_token;
        let (access, refresh) = self.issue(grant, client, refresh_expires);
        // The token-endpoint ID token passes max_age again (OIDC Core §3.3.3.7).
        if self.max_age_exceeded(c.flow, g.auth_time) {
            return Outcome::Rp("max_age_exceeded");
        }
        self.sessions.push(SessionM {
            flow: c.flow,
            grant,
            access,
            refresh: Some(refresh),
            prev: None,
        });
        Outcome::Ok
    }

    fn refresh(&mut self, session: usize, stale: bool, creds: Option<usize>) -> Outcome {
        let Some(session) = resolve(session, self.sessions.len()) else {
            return Outcome::Skipped;
        };
        let s = self.sessions[session].clone();
        let refresh = if stale {
            match s.prev {
                None => return Outcome::Skipped,
                Some((_, r)) => r,
            }
        } else {
            s.refresh
        };
        let Some(refresh) = refresh else {
            return Outcome::Rp("missing_parameter");
        };
        let client = creds.unwrap_or(self.flows[s.flow].client);
        if client >= CLIENTS.len() {
            return Outcome::Skipped;
        }
        let r = self.refresh[refresh].clone();
        match r.life {
            Life::Gone => return Outcome::provider("invalid_grant"),
            // RFC 9700 §4.14.2: a rotated token used again revokes the grant.
            Life::Spent => {
                self.revoke(r.grant);
                return Outcome::provider("invalid_grant");
            }
            Life::Live => self.refresh[refresh].life = Life::Spent,
        }
        // RFC 6749 §6: issued to this client; not expired.
        if r.client != client || self.now >= r.expires {
            return Outcome::provider("invalid_grant");
        }
        // Rotation keeps the absolute expiry.
        let (access, new_refresh) = self.issue(r.grant, r.client, r.expires);
        let s = &mut self.sessions[session];
        s.prev = Some((s.access, s.refresh));
        s.access = access;
        s.refresh = Some(new_refresh);
        Outcome::Ok
    }

    /// What the provider's store must hold.
    pub fn expected_counts(&self) -> ExpectedCounts {
        let count = |life: Life| self.grants.iter().filter(|g| g.code == life).count();
        let refresh = |life: Life| self.refresh.iter().filter(|r| r.life == life).count();
        ExpectedCounts {
            codes: count(Life::Live),
            code_tombstones: count(Life::Spent),
            access_tokens: self.access.iter().filter(|a| !a.gone).count(),
            refresh_tokens: refresh(Life::Live),
            refresh_tombstones: refresh(Life::Spent),
        }
    }

    /// How many grants were revoked.
    pub fn revoked(&self) -> usize {
        self.grants.iter().filter(|g| g.revoked).count()
    }
}
