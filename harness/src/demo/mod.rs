//! The demo: the relying party core logs in to a provider over real HTTP,
//! once per response type × response mode, playing the browser itself, then
//! exchanges the code, calls UserInfo and refreshes.
//!
//! ```text
//! discovery + JWKS ─► for each case:  rp::begin ─► browser (redirects, cookies) ─► redirect_uri
//!                                                                                    │ query / fragment / form_post
//!                     Session ◄─ token_response ◄─ token_request ◄─ callback ◄───────┘
//!                       ├─ userinfo_request / userinfo_response
//!                       └─ refresh_request / refresh_response
//! ```
//!
//! Nothing listens at the redirect URI: the [`browser`] stops when the
//! provider sends it there and hands over what a real page would receive
//! (the query, the fragment, or the `form_post` body). Every protocol
//! decision is the core's; this module only moves bytes and keeps time.

pub mod browser;
pub mod form_post;
pub mod http;
pub mod login;
pub mod report;

use std::time::Instant;

use oidc_hybrid::discovery::ProviderMetadata;
use oidc_hybrid::jose::{Alg, Jwks};
use oidc_hybrid::rp::{Client, ClientAuth, ClientSecret, ResponseMode, ResponseType};

pub use self::login::Phase;
pub use self::report::{LoginResult, Report, Step};

/// One login to run: a response type in a response mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Case {
    /// `response_type`.
    pub response_type: ResponseType,
    /// `response_mode`.
    pub response_mode: ResponseMode,
}

impl Case {
    /// Every type in every mode it may use, in a stable order: `code` in
    /// `query`, `fragment`, `form_post`; each hybrid type in `fragment` and
    /// `form_post` (never `query`: Multiple Response Types §5 forbids tokens
    /// in the query). Nine cases.
    pub fn all() -> Vec<Case> {
        Self::matrix(&ResponseType::ALL, &ResponseMode::ALL)
    }

    /// The cases of `types` × `modes`, without the `query` mode for the
    /// types that return tokens.
    pub fn matrix(types: &[ResponseType], modes: &[ResponseMode]) -> Vec<Case> {
        let mut out = Vec::new();
        for &response_type in types {
            for &response_mode in modes {
                let case = Case {
                    response_type,
                    response_mode,
                };
                if response_type.check_mode(response_mode).is_ok() && !out.contains(&case) {
                    out.push(case);
                }
            }
        }
        out
    }
}

impl core::fmt::Display for Case {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} / {}", self.response_type, self.response_mode)
    }
}

/// The provider to log in to and the client registered there.
#[derive(Clone, Debug)]
pub struct Target {
    /// The issuer (discovery is fetched from
    /// `ISSUER/.well-known/openid-configuration`).
    pub issuer: String,
    /// `client_id`.
    pub client_id: String,
    /// How the client authenticates at the token endpoint.
    pub client_auth: ClientAuth,
    /// The registered redirect URI. Nothing needs to listen there.
    pub redirect_uri: String,
    /// The registered `id_token_signed_response_alg`.
    pub id_token_alg: Alg,
    /// The scope to ask for (must contain `openid`).
    pub scope: String,
    /// What to call the provider in the output.
    pub label: String,
}

impl Target {
    /// The built-in client of `serve-op` (the interop kit's
    /// `hybrid-client`) at `issuer`.
    pub fn serve_op(issuer: &str) -> Self {
        Self {
            issuer: issuer.into(),
            client_id: "hybrid-client".into(),
            client_auth: ClientAuth::ClientSecretBasic(ClientSecret::new(
                "hybrid-client-secret-not-secret-0123456789abcdef",
            )),
            redirect_uri: "http://127.0.0.1:9999/cb".into(),
            id_token_alg: Alg::ES256,
            scope: DEFAULT_SCOPE.into(),
            label: "serve-op (in-process)".into(),
        }
    }
}

/// The scope the demo asks for: an ID token, and claims for UserInfo.
pub const DEFAULT_SCOPE: &str = "openid profile email";

/// What the relying party learned about the provider before the first
/// login: its metadata (Discovery §4, issuer checked) and its keys.
pub struct Provider {
    /// The registered client.
    pub client: Client,
    /// The provider's metadata.
    pub metadata: ProviderMetadata,
    /// The provider's current keys (refetched when a login asks).
    pub jwks: Jwks,
}

/// Why the demo could not start: the provider or the client configuration.
#[derive(Debug)]
pub struct SetupError {
    /// The step (`discovery`, `jwks`, `client`).
    pub step: &'static str,
    /// What went wrong.
    pub message: String,
}

impl core::fmt::Display for SetupError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.step, self.message)
    }
}

/// Discovery (OIDC Discovery §4: `ISSUER/.well-known/openid-configuration`,
/// issuer identical), the JWKS, and the client.
pub async fn discover(backend: &http::Backend, target: &Target) -> Result<Provider, SetupError> {
    let err = |step: &'static str| move |message: String| SetupError { step, message };
    let client = Client::new(
        &target.client_id,
        target.client_auth.clone(),
        &target.redirect_uri,
        target.id_token_alg,
    )
    .map_err(|e| err("client")(e.to_string()))?;
    let url = format!(
        "{}/.well-known/openid-configuration",
        target.issuer.trim_end_matches('/')
    );
    let doc = backend.get_ok(&url).await.map_err(err("discovery"))?;
    let metadata = ProviderMetadata::parse(&doc, &target.issuer)
        .map_err(|e| err("discovery")(format!("{} ({})", e, e.code())))?;
    let keys = backend
        .get_ok(metadata.jwks_uri())
        .await
        .map_err(err("jwks"))?;
    let jwks = Jwks::parse(&keys).map_err(|e| err("jwks")(format!("{} ({})", e, e.code())))?;
    Ok(Provider {
        client,
        metadata,
        jwks,
    })
}

/// What the demo reports while it runs.
#[derive(Clone, Copy, Debug)]
pub enum Progress<'a> {
    /// Login `index` (0-based) of `total` entered `phase`.
    Phase {
        /// Which login.
        index: usize,
        /// How many in all.
        total: usize,
        /// The case.
        case: Case,
        /// The step it is in.
        phase: Phase,
    },
    /// Login `index` finished.
    Done {
        /// Which login.
        index: usize,
        /// How many in all.
        total: usize,
        /// Its result.
        result: &'a LoginResult,
    },
}

/// Runs every case against the provider, one after the other, and reports.
pub async fn run(
    backend: &http::Backend,
    target: &Target,
    cases: &[Case],
    mut progress: impl FnMut(Progress<'_>),
) -> Result<Report, SetupError> {
    let started = Instant::now();
    let mut provider = discover(backend, target).await?;
    let total = cases.len();
    let mut logins = Vec::with_capacity(total);
    for (index, &case) in cases.iter().enumerate() {
        let result = login::run(backend, &mut provider, &target.scope, case, |phase| {
            progress(Progress::Phase {
                index,
                total,
                case,
                phase,
            })
        })
        .await;
        progress(Progress::Done {
            index,
            total,
            result: &result,
        });
        logins.push(result);
    }
    Ok(Report::new(target, logins, started.elapsed()))
}
