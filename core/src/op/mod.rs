//! The provider (OP) state machine: authorization, token, refresh,
//! UserInfo, discovery and JWKS, as values in and values out.
//!
//! The caller owns HTTP, the clock, randomness, the user's login and the
//! store; the core owns every protocol decision. It never stores anything:
//! it returns [`StoreRecord`]s to save and [`Action`]s to carry out, and
//! takes back what the caller looked up ([`Lookup`]). See [`records`] for
//! the store contract (atomic take, tombstones, revocation).
//!
//! ```text
//! GET|POST /authorize  authorize(raw, &registry, &config, now)
//!                        -> Validated(AuthzRequest) | ErrorPage (never a redirect) | RedirectError
//!                      request.check_session(session, now) -> Proceed | Login | Deny(login_required)
//!                      complete(request, subject, Entropy, &keys, &config, now)
//!                        -> Completed { response: Redirect | FormPost, records }
//! POST /token          TokenRequest::parse(body, authorization, &registry, &config, now)   client authenticated
//!                        -> AuthorizationCode(r) | RefreshToken(r);  lookup = store.take(r.key())
//!                      r.redeem(lookup, Entropy, &keys, &config, now)
//!                        -> TokenGranted { json, records } | TokenError { 400/401, action: Revoke? }
//! GET|POST /userinfo   UserInfoRequest::parse(authorization, form_body) -> r;  grant = store.get(r.key())
//!                      r.respond(grant, now) -> 200 JSON | UserInfoError (WWW-Authenticate: Bearer)
//! GET discovery, jwks  discovery_response(&config, &keys), jwks_response(&keys)
//! ```
//!
//! Choices: PKCE S256 is required of every client (RFC 9700 §2.1.1; `plain`
//! is refused); refresh tokens go to every client allowed the refresh grant
//! and rotate on use with reuse detection; ID tokens carry `auth_time` when
//! `max_age` was requested; secrets are 256-bit values derived from the
//! caller's entropy and stored only as SHA-256 keys.

pub mod authorize;
pub mod client_auth;
pub mod complete;
pub mod config;
pub mod discovery;
pub mod front_error;
pub mod http;
mod id_token;
pub mod jwks;
pub mod keys;
pub mod oauth_error;
pub mod records;
pub mod refresh;
pub mod registry;
pub mod response;
pub mod response_type;
pub mod scope;
pub mod secret;
pub mod subject;
pub mod token;
pub mod token_error;
pub mod userinfo;

pub use authorize::{Authorize, AuthzRequest, Prompt, SessionDecision, authorize};
pub use client_auth::AssertionUse;
pub use complete::{Completed, complete};
pub use config::{Lifetimes, MAX_CODE_TTL, ProviderConfig};
pub use discovery::{discovery_json, discovery_response};
pub use front_error::{ErrorPage, RedirectError};
pub use http::HttpResponse;
pub use jwks::{jwks_json, jwks_response};
pub use keys::KeySet;
pub use oauth_error::OAuthError;
pub use records::{AccessGrant, Action, CodeGrant, Lookup, RefreshGrant, StoreRecord, Tombstone};
pub use refresh::RefreshRedemption;
pub use registry::{AuthMethod, Client, ClientRegistry, GrantType};
pub use response::AuthorizationResponse;
pub use response_type::{ResponseMode, ResponseType};
pub use secret::{ClientSecretHash, Entropy, GrantId, MIN_ENTROPY, Secret, StoreKey};
pub use subject::Subject;
pub use token::{CodeRedemption, TokenGranted, TokenRequest};
pub use token_error::TokenError;
pub use userinfo::{UserInfoError, UserInfoRequest};
