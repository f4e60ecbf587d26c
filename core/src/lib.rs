//! # oidc-hybrid
//!
//! A `no_std`, sans-IO protocol core for the OpenID Connect Hybrid Flow
//! (OIDC Core 1.0 §3.3), for both the relying party ([`rp`]) and the
//! provider ([`op`]).
//!
//! In the hybrid flow the authorization endpoint returns the code *and* a
//! token in the front channel: `code id_token` brings an ID token that the
//! relying party verifies at once and that binds the code (`c_hash`) and
//! the state (`s_hash`), so a swapped or injected code is caught before it
//! is redeemed. `code token` and `code id_token token` also put an access
//! token in the browser (URL fragment, history, page scripts), so
//! **`code id_token` with `response_mode=form_post`** is the one to pick;
//! plain `code` (OIDC Core §3.1) is supported too.
//!
//! ## The sans-IO contract
//!
//! The core never does I/O, never reads a clock and never makes randomness.
//! The caller passes `now` ([`UnixTime`]), fresh random bytes and the raw
//! inputs it received (a query, a form body, a status and a body), and gets
//! back values: requests to send ([`rp::HttpRequest`]), responses to return
//! ([`op::HttpResponse`]), validated tokens, states to keep between
//! requests (serde-serializable, one type per step, consumed by the next),
//! records to store, and typed [`Error`]s with stable codes
//! ([`ErrorKind::code`]). Your web framework, HTTP client, clock, RNG and
//! database stay yours.
//!
//! | module | owns |
//! | --- | --- |
//! | [`encoding`] | strict form / query / fragment parsing and writing; HTML escaping |
//! | [`jose`] | JWS compact, `alg` allowlist, JWK / JWKS, key selection, signatures, thumbprints |
//! | [`hash`] | `c_hash`, `at_hash`, `s_hash`: compute and constant-time verify, zero allocation |
//! | [`claims`] | ID token claims and their rules (OIDC Core §3.1.3.7, §3.3.2.12) |
//! | [`rp`] | the relying party: `begin` → `PendingAuth` → `Callback` → `Session` (OIDC Core §3.3, §12, §5.3) |
//! | [`discovery`] | provider metadata (OIDC Discovery §3, §4.3 issuer equality), https-or-loopback |
//! | [`op`] | the provider: authorization, token, refresh, UserInfo, discovery, JWKS; records, no storage |
//!
//! ## Relying party: log a user in
//!
//! Three requests: the login redirect, the callback, the code exchange (the
//! helpers `http_get`, `http_send`, `random_32`, `now`, `posted_body` stand
//! for your HTTP client, RNG, clock and web framework). A complete axum
//! application is `harness/examples/rp_webapp.rs` in the repository.
//!
//! ```no_run
//! use oidc_hybrid::discovery::ProviderMetadata;
//! use oidc_hybrid::jose::{Alg, Jwks};
//! use oidc_hybrid::rp::{
//!     self, AuthOptions, CallbackOutcome, Client, ClientAuth, ClientSecret, Context, ResponseMode,
//!     ResponseType,
//! };
//! # use oidc_hybrid::UnixTime;
//! # fn http_get(_url: &str) -> Vec<u8> { unimplemented!() }
//! # fn http_send(_r: &rp::HttpRequest) -> (u16, String, Vec<u8>) { unimplemented!() }
//! # fn random_32() -> [u8; 32] { unimplemented!() }
//! # fn now() -> UnixTime { unimplemented!() }
//! # fn posted_body() -> String { unimplemented!() }
//! # fn main() -> Result<(), oidc_hybrid::Error> {
//! // Once: the provider's metadata (issuer checked) and keys; the client as registered.
//! let issuer = "https://op.example";
//! let discovery = http_get("https://op.example/.well-known/openid-configuration");
//! let metadata = ProviderMetadata::parse(&discovery, issuer)?;
//! let mut jwks = Jwks::parse(&http_get(metadata.jwks_uri()))?;
//! let secret = ClientAuth::ClientSecretBasic(ClientSecret::new("s3cret"));
//! let client = Client::new("my-client", secret, "https://rp.example/cb", Alg::ES256)?;
//!
//! // GET /login: state, nonce and PKCE come from your 32 random bytes.
//! let options = AuthOptions {
//!     response_mode: Some(ResponseMode::FormPost),
//!     ..AuthOptions::new(ResponseType::CodeIdToken)
//! };
//! let (request, mut pending) = rp::begin(&client, &metadata, &random_32(), options)?;
//! // Redirect the browser to `request.url`; keep `pending` (serde) in the session.
//! # let _ = request;
//!
//! // POST /cb: state, ID token (alg, signature, iss, aud, exp, nonce), c_hash, s_hash.
//! let callback = loop {
//!     let ctx = Context::new(&client, &metadata, &jwks);
//!     match pending.callback(&posted_body(), ResponseMode::FormPost, now(), &ctx)? {
//!         CallbackOutcome::Validated(callback) => break callback,
//!         // An unknown key id: the provider rotated its keys. Refetch once.
//!         CallbackOutcome::RefetchJwks(p) => {
//!             jwks = Jwks::parse(&http_get(metadata.jwks_uri()))?;
//!             pending = p;
//!         }
//!     }
//! };
//!
//! // The back channel: the code, the PKCE verifier, client authentication.
//! let ctx = Context::new(&client, &metadata, &jwks);
//! let (status, content_type, body) = http_send(&callback.token_request(&ctx, None)?);
//! let session = callback.token_response(&ctx, status, &content_type, &body, now())?;
//! println!("logged in as {}", session.sub());
//! # Ok(()) }
//! ```
//!
//! Then [`rp::Session`] offers `userinfo_request` / `userinfo_response` and
//! `refresh_request` / `refresh_response`.
//!
//! ## Provider: answer the authorization and token endpoints
//!
//! The core validates, mints and signs; you authenticate the user and keep
//! the records it returns. The store contract (atomic take of codes and
//! refresh tokens, tombstones, revocation) is in [`op::records`]; a
//! complete axum provider is `harness/examples/op_axum.rs`.
//!
//! ```no_run
//! use oidc_hybrid::jose::SigningKey;
//! use oidc_hybrid::op::{
//!     self, Action, Authorize, ClientRegistry, Entropy, KeySet, ProviderConfig, Subject,
//!     TokenRequest,
//! };
//! # use oidc_hybrid::UnixTime;
//! # use oidc_hybrid::op::{CodeGrant, GrantId, HttpResponse, Lookup, RefreshGrant, StoreKey, StoreRecord};
//! # fn random_32() -> [u8; 32] { unimplemented!() }
//! # fn now() -> UnixTime { unimplemented!() }
//! # fn send(_r: HttpResponse) {}
//! # fn save(_r: Vec<StoreRecord>) {}
//! # fn take_code(_k: &StoreKey) -> Lookup<CodeGrant> { unimplemented!() }
//! # fn take_refresh(_k: &StoreKey) -> Lookup<RefreshGrant> { unimplemented!() }
//! # fn revoke(_g: &GrantId) {}
//! # fn main() -> Result<(), oidc_hybrid::Error> {
//! # let (query, form_body, authorization) = ("", "", None);
//! let config = ProviderConfig::new("https://op.example")?;
//! let mut registry = ClientRegistry::new();
//! registry.insert(op::Client::from_registration_json(br#"{
//!     "client_id": "my-client", "client_secret": "s3cret-s3cret-s3cret-s3cret-s3cret",
//!     "redirect_uris": ["https://rp.example/cb"], "response_types": ["code id_token"],
//!     "grant_types": ["authorization_code", "implicit", "refresh_token"]
//! }"#)?)?;
//! let keys = KeySet::new(SigningKey::es256_from_bytes(&random_32())?);
//!
//! // GET /authorize?…
//! match op::authorize(query, &registry, &config, now()) {
//!     Authorize::Validated(request) => {
//!         // Authenticate the user (your login and consent pages), then:
//!         let subject = Subject::new("alice", now());
//!         let random = random_32();
//!         let done = op::complete(request, subject, Entropy::new(&random)?, &keys, &config, now())?;
//!         save(done.records); // the code's grant (and the access token's)
//!         send(done.response.to_http()); // 303 to the redirect URI, or the form_post page
//!     }
//!     // An unknown client or redirect URI: show the page, never redirect.
//!     Authorize::ErrorPage(page) => send(page.to_http()),
//!     Authorize::RedirectError(error) => send(error.to_http()),
//! }
//!
//! // POST /token: client authentication, then an atomic take of the code.
//! let random = random_32();
//! let entropy = Entropy::new(&random)?;
//! let result = TokenRequest::parse(form_body, authorization, &registry, &config, now())
//!     .and_then(|request| match request {
//!         TokenRequest::AuthorizationCode(r) => {
//!             let lookup = take_code(r.key());
//!             r.redeem(lookup, entropy, &keys, &config, now())
//!         }
//!         TokenRequest::RefreshToken(r) => {
//!             let lookup = take_refresh(r.key());
//!             r.redeem(lookup, entropy, &keys, &config, now())
//!         }
//!     });
//! match result {
//!     Ok(granted) => {
//!         let http = granted.to_http();
//!         save(granted.records);
//!         send(http);
//!     }
//!     Err(e) => {
//!         // A code used twice: revoke every token it granted (RFC 6749 §4.1.2).
//!         if let Some(Action::Revoke(grant_id)) = &e.action {
//!             revoke(grant_id);
//!         }
//!         send(e.to_http());
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! ## Errors
//!
//! Every failure is an [`Error`] with a stable machine code
//! ([`ErrorKind::code`], e.g. `c_hash_mismatch`, `state_mismatch`,
//! `iss_param_mismatch`) and a message that says what was expected and what
//! came, without echoing secrets. Match on [`ErrorKind`], log the message.
//!
//! ## Cargo features
//!
//! ES256 is always there. `rs256` (default: RS256/384/512), `ps256`,
//! `es384`, `eddsa` (Ed25519), `hs256` (HS256/384/512 keyed with the client
//! secret), `all-algs`. Every feature stays `no_std`.
//!
//! ```
//! use oidc_hybrid::{hash, jose::Alg};
//! // OIDC Core 1.0 Appendix A.4: the c_hash of the example code.
//! let c_hash = hash::half_hash(Alg::ES256, b"Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk");
//! assert_eq!(c_hash.as_str(), "LDktKdoQak3Pk0cnXxCltA");
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::std_instead_of_core, clippy::std_instead_of_alloc)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::todo,
        clippy::unimplemented
    )
)]

extern crate alloc;

pub mod claims;
pub mod discovery;
pub mod encoding;
pub mod error;
pub mod hash;
pub mod jose;
pub mod op;
pub mod rp;

pub use claims::UnixTime;
pub use error::{Error, ErrorKind, Result};
