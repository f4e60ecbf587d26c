//! A test provider for the relying party's tests: it signs ID tokens with
//! the fixture key and builds complete, valid exchanges that a test can
//! then damage one field at a time.

#![allow(dead_code)]

use oidc_hybrid::UnixTime;
use oidc_hybrid::discovery::ProviderMetadata;
use oidc_hybrid::encoding::form;
use oidc_hybrid::hash::half_hash;
use oidc_hybrid::jose::{Alg, Jwks, SigningKey};
use oidc_hybrid::rp::{
    self, AuthOptions, CallbackOutcome, Client, ClientAuth, ClientSecret, Context, PendingAuth,
    ResponseMode, ResponseType, Session,
};
use oidc_hybrid_harness::fixtures::{fixture_signing_key, sign_raw};
use serde_json::{Value, json};

pub const ISSUER: &str = "https://op.example";
pub const CLIENT_ID: &str = "client-1";
pub const SECRET: &str = "s3cret";
pub const REDIRECT_URI: &str = "https://rp.example/cb";
pub const NOW: u64 = 1_800_000_000;

/// The provider: metadata, keys, and the registered client.
pub struct TestOp {
    pub key: SigningKey,
    pub metadata: ProviderMetadata,
    pub jwks: Jwks,
    pub client: Client,
}

impl TestOp {
    pub fn new() -> Self {
        Self::with_client(
            Client::new(
                CLIENT_ID,
                ClientAuth::ClientSecretBasic(ClientSecret::new(SECRET)),
                REDIRECT_URI,
                Alg::ES256,
            )
            .expect("client")
            .with_leeway(0),
        )
    }

    pub fn with_client(client: Client) -> Self {
        let key = fixture_signing_key();
        let metadata = ProviderMetadata::new(
            ISSUER,
            "https://op.example/authorize",
            "https://op.example/token",
            "https://op.example/jwks",
        )
        .expect("metadata")
        .with_userinfo_endpoint("https://op.example/userinfo")
        .expect("userinfo")
        .with_iss_parameter_supported(true);
        let jwks = Jwks::from_keys(vec![key.public_jwk()]);
        Self {
            key,
            metadata,
            jwks,
            client,
        }
    }

    pub fn ctx(&self) -> Context<'_> {
        Context::new(&self.client, &self.metadata, &self.jwks)
    }

    pub fn header(&self) -> Value {
        json!({"alg": "ES256", "typ": "JWT", "kid": self.key.kid()})
    }
}

pub fn hash(v: &str) -> String {
    half_hash(Alg::ES256, v.as_bytes()).as_str().to_owned()
}

/// One complete exchange, held as editable values; `raw()` and the
/// `*_body()` methods sign and encode them.
#[derive(Clone, Debug)]
pub struct Flow {
    pub response_type: ResponseType,
    pub mode: ResponseMode,
    /// The mode the response arrives in.
    pub arrived: ResponseMode,
    pub pending: PendingAuth,
    pub url: String,
    pub now: u64,
    /// Front-channel parameters, without `id_token`.
    pub params: Vec<(String, String)>,
    pub front_header: Value,
    pub front_claims: Option<Value>,
    /// Replaces the signed front ID token when set.
    pub front_token_override: Option<String>,
    pub token_status: u16,
    pub token_content_type: String,
    /// The token response without `id_token`.
    pub token_json: Value,
    pub token_header: Value,
    pub token_claims: Option<Value>,
    pub refresh_json: Value,
    pub refresh_claims: Option<Value>,
    pub userinfo_json: Value,
}

pub struct Values<'a> {
    pub sub: &'a str,
    pub code: &'a str,
    pub front_access_token: &'a str,
    pub access_token: &'a str,
    pub refresh_access_token: &'a str,
    pub refresh_token: &'a str,
}

impl Default for Values<'_> {
    fn default() -> Self {
        Self {
            sub: "alice",
            code: "SplxlOBeZQQYbYS6WxSbIA",
            front_access_token: "front-at-2YotnFZFEjr1zCsicMWpAA",
            access_token: "token-at-8xLOxBtZp8",
            refresh_access_token: "refreshed-at-tGzv3JOkF0XG5Qx2TlKWIA",
            refresh_token: "rt-tGzv3JOkF0XG5Qx2TlKWIA",
        }
    }
}

impl Flow {
    pub fn new(op: &TestOp, response_type: ResponseType, mode: ResponseMode) -> Self {
        Self::with(op, response_type, mode, &[7u8; 32], &Values::default())
    }

    pub fn with(
        op: &TestOp,
        response_type: ResponseType,
        mode: ResponseMode,
        entropy: &[u8],
        v: &Values<'_>,
    ) -> Self {
        let options = AuthOptions {
            response_mode: Some(mode),
            scope: "openid email",
            ..AuthOptions::new(response_type)
        };
        let (request, pending) =
            rp::begin(&op.client, &op.metadata, entropy, options).expect("begin");
        let state = pending.state().secret().to_owned();
        let nonce = pending.nonce().secret().to_owned();
        let now = NOW;
        let mut params = vec![("code".to_owned(), v.code.to_owned())];
        if response_type.returns_access_token() {
            params.push(("access_token".into(), v.front_access_token.into()));
            params.push(("token_type".into(), "Bearer".into()));
            params.push(("expires_in".into(), "3600".into()));
        }
        params.push(("state".into(), state.clone()));
        if !response_type.returns_id_token() {
            params.push(("iss".into(), ISSUER.into()));
        }
        let front_claims = response_type.returns_id_token().then(|| {
            let mut c = json!({
                "iss": ISSUER, "sub": v.sub, "aud": CLIENT_ID, "exp": now + 3600, "iat": now,
                "nonce": nonce, "c_hash": hash(v.code), "s_hash": hash(&state),
            });
            if response_type.returns_access_token() {
                c["at_hash"] = hash(v.front_access_token).into();
            }
            c
        });
        let token_claims = json!({
            "iss": ISSUER, "sub": v.sub, "aud": CLIENT_ID, "exp": now + 3600, "iat": now,
            "nonce": nonce, "at_hash": hash(v.access_token),
        });
        let refresh_claims = json!({
            "iss": ISSUER, "sub": v.sub, "aud": CLIENT_ID, "exp": now + 3600, "iat": now,
            "at_hash": hash(v.refresh_access_token),
        });
        Self {
            response_type,
            mode,
            arrived: mode,
            pending,
            url: request.url,
            now,
            params,
            front_header: op.header(),
            front_claims,
            front_token_override: None,
            token_status: 200,
            token_content_type: "application/json; charset=utf-8".into(),
            token_json: json!({
                "access_token": v.access_token, "token_type": "Bearer", "expires_in": 3600,
                "refresh_token": v.refresh_token, "scope": "openid email",
            }),
            token_header: op.header(),
            token_claims: Some(token_claims),
            refresh_json: json!({
                "access_token": v.refresh_access_token, "token_type": "Bearer", "expires_in": 3600,
            }),
            refresh_claims: Some(refresh_claims),
            userinfo_json: json!({"sub": v.sub, "email": "alice@example.org"}),
        }
    }

    pub fn state(&self) -> String {
        self.pending.state().secret().to_owned()
    }

    pub fn set_param(&mut self, name: &str, value: &str) {
        match self.params.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.into(),
            None => self.params.push((name.into(), value.into())),
        }
    }

    pub fn remove_param(&mut self, name: &str) {
        self.params.retain(|(n, _)| n != name);
    }

    pub fn front_token(&self, op: &TestOp) -> Option<String> {
        if let Some(t) = &self.front_token_override {
            return Some(t.clone());
        }
        self.front_claims
            .as_ref()
            .map(|c| sign_raw(&self.front_header, c, &op.key))
    }

    /// The authorization response as received.
    pub fn raw(&self, op: &TestOp) -> String {
        let mut p = self.params.clone();
        if let Some(t) = self.front_token(op) {
            p.push(("id_token".into(), t));
        }
        form::write(p.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    }

    fn body(json: &Value, header: &Value, claims: Option<&Value>, op: &TestOp) -> Vec<u8> {
        let mut j = json.clone();
        if let Some(c) = claims {
            j["id_token"] = sign_raw(header, c, &op.key).into();
        }
        serde_json::to_vec(&j).expect("JSON")
    }

    pub fn token_body(&self, op: &TestOp) -> Vec<u8> {
        Self::body(
            &self.token_json,
            &self.token_header,
            self.token_claims.as_ref(),
            op,
        )
    }

    pub fn refresh_body(&self, op: &TestOp) -> Vec<u8> {
        Self::body(
            &self.refresh_json,
            &op.header(),
            self.refresh_claims.as_ref(),
            op,
        )
    }

    /// Runs the callback (retrying once on a JWKS refetch, with the same keys).
    pub fn callback(&self, op: &TestOp) -> Result<rp::Callback, oidc_hybrid::Error> {
        let now = UnixTime(self.now);
        let raw = self.raw(op);
        match self
            .pending
            .clone()
            .callback(&raw, self.arrived, now, &op.ctx())?
        {
            CallbackOutcome::Validated(cb) => Ok(cb),
            CallbackOutcome::RefetchJwks(p) => {
                match p.callback(&raw, self.arrived, now, &op.ctx())? {
                    CallbackOutcome::Validated(cb) => Ok(cb),
                    CallbackOutcome::RefetchJwks(_) => panic!("a second refetch was asked for"),
                }
            }
        }
    }

    /// Callback and token exchange.
    pub fn session(&self, op: &TestOp) -> Result<Session, oidc_hybrid::Error> {
        let cb = self.callback(op)?;
        cb.token_response(
            &op.ctx(),
            self.token_status,
            &self.token_content_type,
            &self.token_body(op),
            UnixTime(self.now),
        )
    }

    /// The whole exchange: callback, token, refresh, userinfo.
    pub fn run(&self, op: &TestOp) -> Result<Session, oidc_hybrid::Error> {
        let session = self.session(op)?;
        let refreshed = session.refresh_response(
            &op.ctx(),
            200,
            "application/json",
            &self.refresh_body(op),
            UnixTime(self.now),
        )?;
        refreshed.userinfo_response(
            200,
            "application/json",
            &serde_json::to_vec(&self.userinfo_json).expect("JSON"),
        )?;
        Ok(refreshed)
    }
}

/// The code of `r`'s error, or `"ok"`.
pub fn code_of<T>(r: &Result<T, oidc_hybrid::Error>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

/// Every response type with every mode it may use.
pub fn type_modes() -> Vec<(ResponseType, ResponseMode)> {
    let mut v = Vec::new();
    for t in ResponseType::ALL {
        for m in ResponseMode::ALL {
            if t.check_mode(m).is_ok() {
                v.push((t, m));
            }
        }
    }
    v
}
