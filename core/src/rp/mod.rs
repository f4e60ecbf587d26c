//! The relying party: the hybrid flow (OIDC Core §3.3) and the code flow
//! (§3.1) as a state machine of values.
//!
//! ```text
//! Client + ProviderMetadata (+ Jwks in a Context)
//!    │ begin(client, metadata, entropy, options)   -> (AuthorizationRequest { url }, PendingAuth)
//!    ▼
//! PendingAuth                                          store it (serde) until the response arrives
//!    │ callback(raw, mode, now, ctx)                -> CallbackOutcome::Validated(Callback)
//!    │                                                 | CallbackOutcome::RefetchJwks(PendingAuth)  (unknown kid, once)
//!    ▼
//! Callback { code, front-channel ID token?, front-channel access token? }
//!    │ token_request(ctx, assertion?)               -> HttpRequest
//!    │ token_response(ctx, status, ct, body, now)   -> Session   (again after a JWKS refetch on unknown_kid)
//!    ▼
//! Session { id_token, access_token, refresh_token?, expires_at? }
//!    │ refresh_request / refresh_response           (OIDC Core §12)
//!    │ userinfo_request / userinfo_response         (OIDC Core §5.3)
//! ```
//!
//! Each step consumes the state it came from (the code exchange borrows the
//! `Callback`, so that it can be validated again after a JWKS refetch), so
//! a token request before a validated callback cannot be written. Every state is serde-serializable
//! (it holds secrets: keep it server-side or encrypted); `Debug` redacts
//! the secrets. Nothing here does I/O, reads a clock or draws randomness:
//! the caller sends the [`HttpRequest`]s, passes `now`, and supplies entropy.
//!
//! ```no_run
//! use oidc_hybrid::discovery::ProviderMetadata;
//! use oidc_hybrid::jose::{Alg, Jwks};
//! use oidc_hybrid::rp::{self, AuthOptions, CallbackOutcome, Client, ClientAuth, ClientSecret, Context, ResponseMode, ResponseType};
//! use oidc_hybrid::{ErrorKind, UnixTime};
//! # fn fetch(_url: &str) -> Vec<u8> { unimplemented!() }
//! # fn send(_r: &rp::HttpRequest) -> (u16, String, Vec<u8>) { unimplemented!() }
//! # fn random_bytes() -> [u8; 32] { unimplemented!() }
//! # fn now() -> UnixTime { unimplemented!() }
//! # fn run() -> Result<(), oidc_hybrid::Error> {
//! let issuer = "https://op.example";
//! let metadata = ProviderMetadata::parse(&fetch("https://op.example/.well-known/openid-configuration"), issuer)?;
//! let mut jwks = Jwks::parse(&fetch(metadata.jwks_uri()))?;
//! let client = Client::new("my-client", ClientAuth::ClientSecretBasic(ClientSecret::new("s3cret")),
//!                          "https://rp.example/cb", Alg::ES256)?;
//!
//! // 1. Login: redirect the browser to `request.url`, keep `pending`.
//! let options = AuthOptions { response_mode: Some(ResponseMode::FormPost), ..AuthOptions::new(ResponseType::CodeIdToken) };
//! let (request, mut pending) = rp::begin(&client, &metadata, &random_bytes(), options)?;
//!
//! // 2. The form_post body arrives at the redirect URI.
//! let body = "code=…&id_token=…&state=…";
//! let callback = loop {
//!     match pending.callback(body, ResponseMode::FormPost, now(), &Context::new(&client, &metadata, &jwks))? {
//!         CallbackOutcome::Validated(cb) => break cb,
//!         CallbackOutcome::RefetchJwks(p) => { jwks = Jwks::parse(&fetch(metadata.jwks_uri()))?; pending = p; }
//!     }
//! };
//!
//! // 3. Exchange the code; refetch the JWKS once if the provider rotated its keys.
//! let ctx = Context::new(&client, &metadata, &jwks);
//! let (status, content_type, body) = send(&callback.token_request(&ctx, None)?);
//! let session = match callback.token_response(&ctx, status, &content_type, &body, now()) {
//!     Err(e) if e.kind() == ErrorKind::UnknownKid => {
//!         jwks = Jwks::parse(&fetch(metadata.jwks_uri()))?;
//!         let ctx = Context::new(&client, &metadata, &jwks);
//!         callback.token_response(&ctx, status, &content_type, &body, now())?
//!     }
//!     other => other?,
//! };
//! println!("logged in: {}", session.sub());
//! # Ok(()) }
//! ```

mod begin;
mod callback;
mod client_auth;
mod config;
mod http;
mod pending;
mod refresh;
mod response_type;
mod secret;
mod session;
mod token;
mod token_json;
mod userinfo;
mod verify;

pub use begin::{AuthOptions, AuthorizationRequest, MIN_ENTROPY, begin};
pub use callback::{Callback, CallbackOutcome, FrontChannelToken};
pub use client_auth::{
    ASSERTION_LIFETIME, AssertionInput, CLIENT_ASSERTION_TYPE, basic_authorization,
};
pub use config::{Client, ClientAuth, Context, DEFAULT_LEEWAY};
pub use http::{HttpRequest, Method};
pub use pending::{MAX_STATE_LEN, PendingAuth, s256_challenge};
pub use response_type::{ResponseMode, ResponseType};
pub use secret::{AccessToken, AuthCode, ClientSecret, CodeVerifier, Nonce, RefreshToken, State};
pub use session::Session;
pub use token_json::MAX_TOKEN_RESPONSE_LEN;
pub use userinfo::{MAX_USERINFO_LEN, UserInfo};
