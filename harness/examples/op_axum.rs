//! An OpenID Provider in one file: the oidc-hybrid provider core behind
//! axum routes, with an in-memory store that honours the core's store
//! contract (see `oidc_hybrid::op::records`).
//!
//! ```sh
//! cargo run -p oidc-hybrid-harness --example op_axum            # 127.0.0.1:4010
//! cargo run -p oidc-hybrid-harness -- demo --issuer http://127.0.0.1:4010 \
//!   --client-id hybrid-client --client-secret hybrid-client-secret-not-secret-0123456789abcdef \
//!   --redirect-uri http://127.0.0.1:9999/cb                     # log in to it, 9 ways
//! ```
//!
//! The core makes every protocol decision. This file does what the core
//! never does: HTTP, the clock, randomness, logging the user in (here:
//! `alice`, without a page — put your login and consent UI there) and
//! storage. The complete version, with a login page, CSRF protection and
//! expiry, is `harness/src/server`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use axum::routing::get;
use axum::{Router, serve};
use oidc_hybrid::UnixTime;
use oidc_hybrid::jose::SigningKey;
use oidc_hybrid::op::{
    AccessGrant, Action, Authorize, Client, ClientRegistry, CodeGrant, Entropy, GrantId,
    HttpResponse, KeySet, Lookup, ProviderConfig, RefreshGrant, StoreKey, StoreRecord, Subject,
    TokenRequest, UserInfoRequest, authorize, complete, discovery_response, jwks_response,
};

/// The client (OIDC Dynamic Client Registration metadata).
const CLIENT: &str = r#"{
  "client_id": "hybrid-client",
  "client_secret": "hybrid-client-secret-not-secret-0123456789abcdef",
  "redirect_uris": ["http://127.0.0.1:9999/cb"],
  "response_types": ["code", "code id_token", "code token", "code id_token token"],
  "grant_types": ["authorization_code", "implicit", "refresh_token"],
  "id_token_signed_response_alg": "ES256",
  "token_endpoint_auth_method": "client_secret_basic"
}"#;

// ---- The caller's side of the sans-IO contract: clock and randomness. ----

fn now() -> UnixTime {
    UnixTime(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

fn random() -> [u8; 32] {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the OS random source");
    b
}

// ---- The store. ----

/// A code or refresh token: live, or spent (its tombstone: the grant id).
enum Slot<T> {
    Live(T),
    Spent(GrantId),
}

#[derive(Default)]
struct Maps {
    codes: HashMap<StoreKey, Slot<CodeGrant>>,
    refresh: HashMap<StoreKey, Slot<RefreshGrant>>,
    access: HashMap<StoreKey, AccessGrant>,
    assertions: HashSet<StoreKey>,
}

/// One lock makes every operation atomic. With Redis or SQL, `take` is
/// `GETDEL` + `SET tombstone` or `UPDATE … WHERE NOT spent RETURNING …`,
/// so a code cannot be redeemed twice even across server instances. A real
/// store also drops each record at its `expires_at`.
#[derive(Default)]
struct Store(Mutex<Maps>);

/// Take, atomically: hand back what was there and leave a tombstone.
fn take<T>(
    map: &mut HashMap<StoreKey, Slot<T>>,
    key: &StoreKey,
    id: fn(&T) -> GrantId,
) -> Lookup<T> {
    match map.remove(key) {
        None => Lookup::Missing,
        Some(Slot::Spent(grant_id)) => {
            map.insert(key.clone(), Slot::Spent(grant_id.clone()));
            Lookup::Spent(grant_id)
        }
        Some(Slot::Live(record)) => {
            map.insert(key.clone(), Slot::Spent(id(&record)));
            Lookup::Found(record)
        }
    }
}

impl Store {
    fn save(&self, records: Vec<StoreRecord>) {
        let mut m = self.0.lock().unwrap();
        for record in records {
            match record {
                StoreRecord::Code { key, grant } => drop(m.codes.insert(key, Slot::Live(grant))),
                StoreRecord::Refresh { key, grant } => {
                    drop(m.refresh.insert(key, Slot::Live(grant)))
                }
                StoreRecord::Access { key, grant } => drop(m.access.insert(key, grant)),
            }
        }
    }

    /// `Action::Revoke`: every token of the grant goes.
    fn revoke(&self, grant_id: &GrantId) {
        let mut m = self.0.lock().unwrap();
        m.access.retain(|_, g| &g.grant_id != grant_id);
        m.refresh
            .retain(|_, s| !matches!(s, Slot::Live(g) if &g.grant_id == grant_id));
    }
}

// ---- The provider. ----

struct Op {
    config: ProviderConfig,
    registry: ClientRegistry,
    keys: KeySet,
    store: Store,
}

type App = State<Arc<Op>>;

/// The core's response, onto the wire.
fn send(r: HttpResponse) -> Response {
    let mut b = Response::builder().status(r.status);
    for (name, value) in &r.headers {
        b = b.header(*name, value.as_str());
    }
    b.body(Body::from(r.body)).unwrap()
}

fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

/// `GET /authorize`: validate, log the user in, complete, store, answer.
async fn authorize_get(State(op): App, RawQuery(query): RawQuery) -> Response {
    let now = now();
    let request = match authorize(
        query.as_deref().unwrap_or(""),
        &op.registry,
        &op.config,
        now,
    ) {
        Authorize::Validated(request) => request,
        // An untrusted client or redirect_uri: show the page, never redirect.
        Authorize::ErrorPage(page) => return send(page.to_http()),
        Authorize::RedirectError(error) => return send(error.to_http()),
    };
    // Your login and consent UI goes here. This example logs in `alice`.
    let mut alice = Subject::new("alice", now);
    alice.claims.insert("name".into(), "Alice Example".into());
    alice
        .claims
        .insert("email".into(), "alice@example.org".into());
    let bytes = random();
    let entropy = Entropy::new(&bytes).unwrap();
    match complete(request, alice, entropy, &op.keys, &op.config, now) {
        Ok(done) => {
            op.store.save(done.records);
            // 303 to the redirect URI, or the auto-submitting form_post page.
            send(done.response.to_http())
        }
        Err(e) => Response::builder()
            .status(500)
            .body(Body::from(e.to_string()))
            .unwrap(),
    }
}

/// `POST /token`: authenticate the client, take the code or refresh token,
/// redeem it, store what it minted.
async fn token(State(op): App, headers: HeaderMap, body: Bytes) -> Response {
    let now = now();
    let body = String::from_utf8_lossy(&body);
    let request = match TokenRequest::parse(
        &body,
        authorization(&headers),
        &op.registry,
        &op.config,
        now,
    ) {
        Ok(r) => r,
        Err(e) => return send(e.to_http()),
    };
    // private_key_jwt: each client assertion is accepted once (RFC 7523 §3).
    if let Some(a) = request.assertion()
        && !op.store.0.lock().unwrap().assertions.insert(a.key.clone())
    {
        return send(oidc_hybrid::op::TokenError::replayed_assertion().to_http());
    }
    let bytes = random();
    let entropy = Entropy::new(&bytes).unwrap();
    let result = match request {
        TokenRequest::AuthorizationCode(r) => {
            let lookup = take(&mut op.store.0.lock().unwrap().codes, r.key(), |g| {
                g.grant_id.clone()
            });
            r.redeem(lookup, entropy, &op.keys, &op.config, now)
        }
        TokenRequest::RefreshToken(r) => {
            let lookup = take(&mut op.store.0.lock().unwrap().refresh, r.key(), |g| {
                g.grant_id.clone()
            });
            r.redeem(lookup, entropy, &op.keys, &op.config, now)
        }
    };
    match result {
        Ok(granted) => {
            let http = granted.to_http();
            op.store.save(granted.records);
            send(http)
        }
        Err(e) => {
            // A code or refresh token used twice: revoke what it granted.
            if let Some(Action::Revoke(grant_id)) = &e.action {
                op.store.revoke(grant_id);
            }
            send(e.to_http())
        }
    }
}

/// `GET /userinfo` with `Authorization: Bearer …`.
async fn userinfo(State(op): App, headers: HeaderMap) -> Response {
    let answer = UserInfoRequest::parse(authorization(&headers), None).and_then(|r| {
        let grant = op.store.0.lock().unwrap().access.get(r.key()).cloned();
        r.respond(grant, now())
    });
    match answer {
        Ok(http) => send(http),
        Err(e) => send(e.to_http()),
    }
}

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .map_or(4010, |p| p.parse().expect("PORT"));
    let mut registry = ClientRegistry::new();
    registry
        .insert(Client::from_registration_json(CLIENT.as_bytes()).unwrap())
        .unwrap();
    let key = SigningKey::es256_from_bytes(&random()).expect("a P-256 key");
    let op = Arc::new(Op {
        config: ProviderConfig::new(&format!("http://127.0.0.1:{port}")).unwrap(),
        registry,
        keys: KeySet::new(key),
        store: Store::default(),
    });

    let app = Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(|State(op): App| async move { send(discovery_response(&op.config, &op.keys)) }),
        )
        .route(
            "/jwks",
            get(|State(op): App| async move { send(jwks_response(&op.keys)) }),
        )
        .route("/authorize", get(authorize_get))
        .route("/token", axum::routing::post(token))
        .route("/userinfo", get(userinfo))
        .with_state(op);

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    println!("provider at http://127.0.0.1:{port}");
    serve(listener, app).await.unwrap();
}
