//! Shared pieces of the provider tests: a registry, config and keys, request
//! builders, response readers, and checks with the core's own RP-side
//! validation (`claims::verify_id_token`).
#![allow(dead_code)]

use core::cell::Cell;

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use oidc_hybrid::UnixTime;
use oidc_hybrid::claims::{Expectations, HashInputs, IdToken, IdTokenCheck, verify_id_token};
use oidc_hybrid::encoding::{Params, form};
use oidc_hybrid::jose::{Alg, Jwks, SigningKey};
use oidc_hybrid::op::{
    AuthMethod, AuthorizationResponse, Authorize, AuthzRequest, Client, ClientRegistry,
    ClientSecretHash, Completed, Entropy, GrantType, KeySet, ProviderConfig, ResponseMode,
    ResponseType, StoreRecord, Subject, authorize, complete, jwks_json,
};
use oidc_hybrid_harness::fixtures::fixture_signing_key;
use oidc_hybrid_harness::server::{default_client, demo_subject};
use sha2::{Digest, Sha256};

pub const ISSUER: &str = "https://op.example";
pub const CLIENT_ID: &str = "hybrid-client";
pub const SECRET: &str = "hybrid-client-secret-not-secret-0123456789abcdef";
pub const REDIRECT: &str = "http://127.0.0.1:9999/cb";
pub const OTHER_ID: &str = "other-client";
pub const OTHER_SECRET: &str = "other-secret-0123456789";
pub const POST_ID: &str = "post-client";
pub const JWT_ID: &str = "jwt-client";
pub const NOW: UnixTime = UnixTime(1_800_000_000);
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// The client's private key for private_key_jwt tests.
pub fn jwt_client_key() -> SigningKey {
    SigningKey::es256_from_bytes(&[0x42; 32]).expect("key")
}

pub fn registry() -> ClientRegistry {
    let mut r = ClientRegistry::new();
    r.insert(default_client()).expect("default client");
    let mut other = default_client();
    other.client_id = OTHER_ID.into();
    other.secret = Some(ClientSecretHash::of(OTHER_SECRET));
    other.response_types = vec![ResponseType::Code];
    other.grant_types = vec![GrantType::AuthorizationCode];
    r.insert(other).expect("other client");
    let mut post = default_client();
    post.client_id = POST_ID.into();
    post.auth_method = AuthMethod::ClientSecretPost;
    r.insert(post).expect("post client");
    let jwks = format!(
        r#"{{"keys":[{}]}}"#,
        jwt_client_key().public_key().to_jwk_json("c1", Alg::ES256)
    );
    let jwt = Client {
        client_id: JWT_ID.into(),
        secret: None,
        redirect_uris: vec![REDIRECT.into()],
        response_types: ResponseType::ALL.to_vec(),
        grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
        auth_method: AuthMethod::PrivateKeyJwt,
        id_token_alg: Alg::ES256,
        jwks: Some(Jwks::parse(jwks.as_bytes()).expect("client jwks")),
    };
    r.insert(jwt).expect("jwt client");
    r
}

pub fn config() -> ProviderConfig {
    ProviderConfig::new(ISSUER).expect("config")
}

pub fn keys() -> KeySet {
    KeySet::new(fixture_signing_key())
}

pub fn provider_jwks(keys: &KeySet) -> Jwks {
    Jwks::parse(jwks_json(keys).as_bytes()).expect("jwks")
}

thread_local! {
    static COUNTER: Cell<u8> = const { Cell::new(0) };
}

/// Distinct 32-byte entropy per call.
pub fn entropy_bytes() -> [u8; 32] {
    COUNTER.with(|c| {
        let n = c.get().wrapping_add(1);
        c.set(n);
        let mut b = [0u8; 32];
        b[0] = n;
        b[1] = 0xA5;
        b
    })
}

pub fn challenge(verifier: &str) -> String {
    Base64UrlUnpadded::encode_string(&Sha256::digest(verifier.as_bytes()))
}

/// An authorization request's parameters.
#[derive(Clone, Debug)]
pub struct Req {
    pub client_id: String,
    pub redirect_uri: String,
    pub response_type: String,
    pub response_mode: Option<String>,
    pub scope: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub challenge: Option<String>,
    pub method: Option<String>,
    pub extra: Vec<(String, String)>,
}

impl Req {
    pub fn new(response_type: ResponseType) -> Self {
        Self {
            client_id: CLIENT_ID.into(),
            redirect_uri: REDIRECT.into(),
            response_type: response_type.as_str().into(),
            response_mode: None,
            scope: "openid profile email".into(),
            state: Some("st-123".into()),
            nonce: Some("n-456".into()),
            challenge: Some(challenge(VERIFIER)),
            method: Some("S256".into()),
            extra: vec![],
        }
    }

    pub fn mode(mut self, mode: ResponseMode) -> Self {
        self.response_mode = Some(mode.as_str().into());
        self
    }

    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.extra.push((name.into(), value.into()));
        self
    }

    pub fn raw(&self) -> String {
        let mut p: Vec<(&str, &str)> = vec![
            ("client_id", &self.client_id),
            ("redirect_uri", &self.redirect_uri),
            ("response_type", &self.response_type),
            ("scope", &self.scope),
        ];
        if let Some(m) = &self.response_mode {
            p.push(("response_mode", m));
        }
        if let Some(s) = &self.state {
            p.push(("state", s));
        }
        if let Some(n) = &self.nonce {
            p.push(("nonce", n));
        }
        if let Some(c) = &self.challenge {
            p.push(("code_challenge", c));
        }
        if let Some(m) = &self.method {
            p.push(("code_challenge_method", m));
        }
        for (n, v) in &self.extra {
            p.push((n, v));
        }
        form::write(p)
    }

    pub fn authorize(&self) -> Authorize {
        authorize(&self.raw(), &registry(), &config(), NOW)
    }

    pub fn validated(&self) -> AuthzRequest {
        match self.authorize() {
            Authorize::Validated(r) => r,
            other => panic!("expected a valid request, got {other:?}"),
        }
    }
}

pub fn subject() -> Subject {
    demo_subject(UnixTime(NOW.0 - 30))
}

/// Completes a valid request with fresh entropy.
pub fn complete_req(req: &Req, keys: &KeySet) -> Completed {
    let bytes = entropy_bytes();
    complete(
        req.validated(),
        subject(),
        Entropy::new(&bytes).expect("entropy"),
        keys,
        &config(),
        NOW,
    )
    .expect("complete")
}

/// The mode and parameters of an authorization response, as the client
/// would receive them.
pub fn response_params(r: &AuthorizationResponse) -> (ResponseMode, Vec<(String, String)>) {
    match r {
        AuthorizationResponse::Redirect { location } => {
            let (mode, raw) = if let Some((_, f)) = location.split_once('#') {
                (ResponseMode::Fragment, f)
            } else {
                (
                    ResponseMode::Query,
                    location.split_once('?').map(|(_, q)| q).unwrap_or(""),
                )
            };
            let p = Params::parse(raw).expect("response params");
            (mode, p.iter().map(|(n, v)| (n.into(), v.into())).collect())
        }
        AuthorizationResponse::FormPost { html } => (ResponseMode::FormPost, form_inputs(html)),
    }
}

/// The hidden inputs of a form_post page, HTML-unescaped.
pub fn form_inputs(html: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    for chunk in html.split("<input ").skip(1) {
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            let start = chunk.find(&key)? + key.len();
            let end = chunk[start..].find('"')? + start;
            Some(unescape(&chunk[start..end]))
        };
        if let (Some(n), Some(v)) = (attr("name"), attr("value")) {
            out.push((n, v));
        }
    }
    out
}

pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

pub fn get<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

pub fn basic(id: &str, secret: &str) -> String {
    // RFC 6749 §2.3.1: form-encode id and secret, then base64.
    let mut enc = String::new();
    form::encode_into(&mut enc, id);
    enc.push(':');
    form::encode_into(&mut enc, secret);
    format!("Basic {}", Base64::encode_string(enc.as_bytes()))
}

pub fn code_body(code: &str, redirect_uri: &str, verifier: &str) -> String {
    form::write([
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    ])
}

/// Verifies an ID token with the core's RP-side rules.
#[allow(clippy::too_many_arguments)]
pub fn check_id_token(
    token: &str,
    jwks: &Jwks,
    nonce: Option<&str>,
    code: Option<&str>,
    access_token: Option<&str>,
    state: Option<&str>,
    front: bool,
    now: UnixTime,
) -> IdToken {
    verify_id_token(
        token,
        &IdTokenCheck {
            algs: &[Alg::ES256],
            jwks,
            claims: Expectations {
                issuer: ISSUER,
                client_id: CLIENT_ID,
                trusted_audiences: &[],
                nonce,
                now,
                leeway: 0,
                max_age: None,
                require_auth_time: false,
            },
            hashes: HashInputs {
                alg: Alg::ES256,
                code,
                access_token,
                state,
                require_c_hash: front && code.is_some(),
                require_at_hash: front && access_token.is_some(),
            },
        },
    )
    .expect("the ID token verifies")
}

/// The code record of a completion.
pub fn code_record(c: &Completed) -> StoreRecord {
    c.records
        .iter()
        .find(|r| matches!(r, StoreRecord::Code { .. }))
        .cloned()
        .expect("a code record")
}
