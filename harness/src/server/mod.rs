//! The provider core served over HTTP on 127.0.0.1 with axum and tokio;
//! storage in memory ([`store`]). Used by `oidc-hybrid serve-op`, by tests,
//! and by anything that wants a live provider in-process ([`spawn`],
//! [`start`]).

extern crate alloc;

mod authorize;
mod interaction;
mod respond;
pub mod store;
mod token;
mod userinfo;

use core::net::SocketAddr;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use alloc::sync::Arc;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use oidc_hybrid::UnixTime;
use oidc_hybrid::jose::SigningKey;
use oidc_hybrid::op::{Client, ClientRegistry, KeySet, ProviderConfig, Subject};
use tokio::sync::oneshot;

use self::store::MemoryStore;

/// The built-in client: the registration of the interop kit's
/// `op/client.json` (so the repository runs without `../shared`).
pub const DEFAULT_CLIENT_JSON: &str = r#"{
  "client_id": "hybrid-client",
  "client_secret": "hybrid-client-secret-not-secret-0123456789abcdef",
  "redirect_uris": ["http://127.0.0.1:9999/cb"],
  "response_types": ["code", "code id_token", "code token", "code id_token token"],
  "grant_types": ["authorization_code", "implicit", "refresh_token"],
  "id_token_signed_response_alg": "ES256",
  "token_endpoint_auth_method": "client_secret_basic"
}"#;

/// Largest request body accepted, bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// The built-in client.
pub fn default_client() -> Client {
    // The constant is a valid registration (tested).
    Client::from_registration_json(DEFAULT_CLIENT_JSON.as_bytes())
        .unwrap_or_else(|e| panic!("built-in client registration: {e}"))
}

/// The demo end-user (sub `alice`) as of `auth_time`.
pub fn demo_subject(auth_time: UnixTime) -> Subject {
    let mut s = Subject::new("alice", auth_time);
    s.amr = vec!["pwd".into()];
    s.claims.insert("name".into(), "Alice Example".into());
    s.claims.insert("email".into(), "alice@example.org".into());
    s.claims.insert("email_verified".into(), true.into());
    s
}

/// How to run a provider.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Port on 127.0.0.1 (0: any free port).
    pub port: u16,
    /// Issuer; default `http://127.0.0.1:PORT` with the bound port.
    pub issuer: Option<String>,
    /// Log in `alice` and grant every request without a page.
    pub auto_approve: bool,
    /// Registered clients (at least one).
    pub clients: Vec<Client>,
    /// The signing key; `None`: a fresh ES256 key.
    pub signing_key: Option<SigningKey>,
    /// Print one line per request on stdout.
    pub log_requests: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            port: 0,
            issuer: None,
            auto_approve: true,
            clients: vec![default_client()],
            signing_key: None,
            log_requests: false,
        }
    }
}

/// What the handlers share.
pub(crate) struct AppState {
    pub config: ProviderConfig,
    pub registry: ClientRegistry,
    pub keys: KeySet,
    pub store: MemoryStore,
    pub auto_approve: bool,
}

/// The caller's clock for the core.
pub(crate) fn now() -> UnixTime {
    UnixTime(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
    )
}

/// Fresh random bytes for the core (32 bytes: 256 bits per call).
pub(crate) fn entropy() -> [u8; 32] {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).unwrap_or_else(|e| panic!("the OS random source failed: {e}"));
    b
}

/// A random id for cookies and parked requests (base64url, 256 bits).
pub(crate) fn random_id() -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::encode_string(&entropy())
}

/// A fresh ES256 signing key.
pub fn fresh_signing_key() -> SigningKey {
    loop {
        // A random 32-byte string is a valid P-256 scalar but for a
        // negligible fraction of values; draw again then.
        if let Ok(k) = SigningKey::es256_from_bytes(&entropy()) {
            return k;
        }
    }
}

/// Stops a running provider.
pub struct Shutdown(Option<oneshot::Sender<()>>);

impl Shutdown {
    /// Asks the server to stop (it finishes in-flight requests).
    pub fn stop(mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }
}

/// A provider running on its own thread and runtime ([`start`]).
pub struct RunningServer {
    /// The bound address.
    pub addr: SocketAddr,
    /// The issuer it serves.
    pub issuer: String,
    shutdown: Option<Shutdown>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningServer {
    /// Stops the server and waits for it.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        if let Some(s) = self.shutdown.take() {
            s.stop();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.halt();
    }
}

fn build_state(cfg: &ServerConfig, addr: SocketAddr) -> Result<AppState, String> {
    let issuer = cfg
        .issuer
        .clone()
        .unwrap_or_else(|| format!("http://127.0.0.1:{}", addr.port()));
    let config = ProviderConfig::new(&issuer).map_err(|e| format!("issuer: {e}"))?;
    let mut registry = ClientRegistry::new();
    for c in &cfg.clients {
        registry
            .insert(c.clone())
            .map_err(|e| format!("client {}: {e}", c.client_id))?;
    }
    let key = cfg.signing_key.clone().unwrap_or_else(fresh_signing_key);
    Ok(AppState {
        config,
        registry,
        keys: KeySet::new(key),
        store: MemoryStore::default(),
        auto_approve: cfg.auto_approve,
    })
}

/// The routes: discovery, JWKS, authorization (GET, POST), the login and
/// consent page's POST, token, UserInfo (GET, POST).
fn router(state: Arc<AppState>, log: bool) -> Router {
    let mut app = Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(authorize::discovery),
        )
        .route("/jwks", get(authorize::jwks))
        .route("/authorize", get(authorize::get).post(authorize::post))
        .route(
            "/interaction/{id}",
            axum::routing::post(interaction::submit),
        )
        .route("/token", axum::routing::post(token::post))
        .route("/userinfo", get(userinfo::get).post(userinfo::post))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state);
    if log {
        app = app.layer(middleware::from_fn(log_request));
    }
    app
}

/// One line per request: method, path (never the query: it holds state,
/// nonce, codes), status, milliseconds.
async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let started = Instant::now();
    let res = next.run(req).await;
    println!(
        "{} {} {} -> {} ({} ms)",
        now(),
        method,
        path,
        res.status().as_u16(),
        started.elapsed().as_millis()
    );
    res
}

/// Binds 127.0.0.1:`port` and serves in the current tokio runtime until
/// the returned [`Shutdown`] is used. Returns the bound address and issuer.
pub async fn spawn(cfg: ServerConfig) -> Result<(SocketAddr, String, Shutdown), String> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", cfg.port))
        .await
        .map_err(|e| format!("bind 127.0.0.1:{}: {e}", cfg.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let state = Arc::new(build_state(&cfg, addr)?);
    let issuer = state.config.issuer.clone();
    let app = router(state, cfg.log_requests);
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = rx.await;
        });
        if let Err(e) = serve.await {
            eprintln!("serve-op: {e}");
        }
    });
    Ok((addr, issuer, Shutdown(Some(tx))))
}

/// Starts a provider on its own thread with its own runtime (for tests and
/// synchronous callers). Dropping the handle stops it.
pub fn start(cfg: ServerConfig) -> Result<RunningServer, String> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                let _ = ready_tx.send(Err(e.to_string()));
                return;
            }
        };
        rt.block_on(async move {
            match spawn(cfg).await {
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
                Ok((addr, issuer, shutdown)) => {
                    let (stop_tx, stop_rx) = oneshot::channel::<()>();
                    let _ = ready_tx.send(Ok((addr, issuer, Shutdown(Some(stop_tx)))));
                    let _ = stop_rx.await;
                    shutdown.stop();
                    // Let in-flight requests finish.
                    tokio::time::sleep(core::time::Duration::from_millis(50)).await;
                }
            }
        });
    });
    match ready_rx.recv() {
        Ok(Ok((addr, issuer, shutdown))) => Ok(RunningServer {
            addr,
            issuer,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => Err("the server thread ended before it was ready".into()),
    }
}

/// `State` of the handlers.
pub(crate) type AppRef = State<Arc<AppState>>;
