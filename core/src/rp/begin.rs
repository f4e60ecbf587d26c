//! `begin`: the authorization request (OIDC Core §3.3.2.1 / §3.1.2.1) and
//! the [`PendingAuth`] to keep until the response arrives.
//!
//! `state`, `nonce` and the PKCE verifier come from entropy the caller
//! supplies (at least [`MIN_ENTROPY`] bytes; the core has no RNG), each
//! derived under its own label: `BASE64URL(SHA-256("oidc-hybrid <label>" ||
//! 0x00 || entropy))`, 43 characters, so learning one reveals nothing about
//! the others.

use alloc::string::String;

use base64ct::{Base64UrlUnpadded, Encoding};
use sha2::{Digest, Sha256};

use crate::discovery::ProviderMetadata;
use crate::encoding::form;
use crate::error::{Error, ErrorKind, Result};
use crate::rp::config::Client;
use crate::rp::pending::{PendingAuth, s256_challenge};
use crate::rp::response_type::{ResponseMode, ResponseType};
use crate::rp::secret::{CodeVerifier, Nonce, State};

/// The least entropy `begin` accepts, bytes (256 bits: RFC 7636 §7.1 asks
/// the verifier for that much).
pub const MIN_ENTROPY: usize = 32;

/// Parameters `begin` sets itself; `extra` may not repeat them.
const RESERVED: [&str; 14] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "response_mode",
    "prompt",
    "max_age",
    "login_hint",
    "acr_values",
    "claims",
];

/// What to ask for. Build with [`AuthOptions::new`] and set the fields you
/// need.
#[derive(Clone, Copy, Debug)]
pub struct AuthOptions<'a> {
    /// `response_type`.
    pub response_type: ResponseType,
    /// `response_mode`; `None` sends the type's default (`query` for
    /// `code`, `fragment` for the hybrid types).
    pub response_mode: Option<ResponseMode>,
    /// `scope`; must contain `openid` (OIDC Core §3.1.2.1).
    pub scope: &'a str,
    /// `prompt` (`none`, `login`, `consent`, `select_account`).
    pub prompt: Option<&'a str>,
    /// `max_age`, seconds: the ID token must then carry a recent `auth_time`.
    pub max_age: Option<u64>,
    /// `login_hint`.
    pub login_hint: Option<&'a str>,
    /// `acr_values`.
    pub acr_values: Option<&'a str>,
    /// `claims`: a JSON object (OIDC Core §5.5).
    pub claims: Option<&'a str>,
    /// Further parameters (e.g. `ui_locales`), sent form-encoded. They may
    /// not repeat a parameter set above.
    pub extra: &'a [(&'a str, &'a str)],
}

impl<'a> AuthOptions<'a> {
    /// `response_type` with scope `openid` and nothing else.
    pub const fn new(response_type: ResponseType) -> Self {
        Self {
            response_type,
            response_mode: None,
            scope: "openid",
            prompt: None,
            max_age: None,
            login_hint: None,
            acr_values: None,
            claims: None,
            extra: &[],
        }
    }
}

/// The authorization request: send the user agent to `url`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationRequest {
    /// The authorization endpoint with every parameter in its query.
    pub url: String,
}

/// `BASE64URL(SHA-256("oidc-hybrid " || label || 0x00 || entropy))`.
fn derive(label: &str, entropy: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"oidc-hybrid ");
    h.update(label.as_bytes());
    h.update([0u8]);
    h.update(entropy);
    Base64UrlUnpadded::encode_string(&h.finalize())
}

fn supports(list: &[String], want: impl Fn(&str) -> bool) -> bool {
    list.is_empty() || list.iter().any(|v| want(v))
}

/// Builds the authorization request and the pending state.
///
/// 1. `entropy` of at least [`MIN_ENTROPY`] bytes (`insufficient_entropy`).
/// 2. The mode may carry the type's response (`invalid_parameter` for
///    `query` with tokens; Multiple Response Types §5).
/// 3. The provider lists the type and mode, when it publishes the lists
///    (`invalid_config`; Discovery §3).
/// 4. `scope` contains `openid` (OIDC Core §3.1.2.1), `claims` is a JSON
///    object (§5.5), `extra` repeats no parameter (`invalid_parameter`).
/// 5. `state`, `nonce`, PKCE S256 always (RFC 7636; RFC 9700 §2.1.1).
pub fn begin(
    client: &Client,
    metadata: &ProviderMetadata,
    entropy: &[u8],
    options: AuthOptions<'_>,
) -> Result<(AuthorizationRequest, PendingAuth)> {
    // 1. Caller-supplied randomness, enough of it.
    if entropy.len() < MIN_ENTROPY {
        return Err(Error::new(ErrorKind::InsufficientEntropy, "entropy")
            .expected(&alloc::format!("at least {MIN_ENTROPY} bytes"))
            .got(&alloc::format!("{} bytes", entropy.len())));
    }
    // 2. Multiple Response Types §5: no tokens in the query.
    let response_type = options.response_type;
    let mode = options
        .response_mode
        .unwrap_or(response_type.default_mode());
    response_type.check_mode(mode)?;
    // 3. What the provider says it supports (only when it says).
    if !supports(metadata.response_types_supported(), |t| {
        ResponseType::parse(t).is_ok_and(|t| t == response_type)
    }) {
        return Err(Error::new(ErrorKind::InvalidConfig, "response_type")
            .expected("a type in the provider's response_types_supported")
            .got(response_type.as_str()));
    }
    if let Some(modes) = metadata.response_modes_supported()
        && !supports(modes, |m| m == mode.as_str())
    {
        return Err(Error::new(ErrorKind::InvalidConfig, "response_mode")
            .expected("a mode in the provider's response_modes_supported")
            .got(mode.as_str()));
    }
    // 4. The caller's parameters.
    if !options.scope.split(' ').any(|s| s == "openid") {
        return Err(Error::new(ErrorKind::InvalidParameter, "scope")
            .expected("a scope containing openid")
            .got(options.scope));
    }
    if let Some(claims) = options.claims
        && !serde_json::from_str::<serde_json::Value>(claims).is_ok_and(|v| v.is_object())
    {
        return Err(Error::new(ErrorKind::InvalidParameter, "claims").expected("a JSON object"));
    }
    for (i, (name, _)) in options.extra.iter().enumerate() {
        if name.is_empty() || RESERVED.contains(name) {
            return Err(Error::new(ErrorKind::InvalidParameter, "extra")
                .expected("a parameter begin does not set itself")
                .got(name));
        }
        if options
            .extra
            .get(..i)
            .unwrap_or_default()
            .iter()
            .any(|(n, _)| n == name)
        {
            return Err(Error::new(ErrorKind::DuplicateParameter, "extra").got(name));
        }
    }
    // 5. Secrets from the caller's entropy, domain-separated.
    let state = derive("state", entropy);
    let nonce = derive("nonce", entropy);
    let verifier = derive("pkce code_verifier", entropy);
    let challenge = s256_challenge(&verifier);
    let max_age = options.max_age.map(|m| alloc::format!("{m}"));

    let endpoint = metadata.authorization_endpoint();
    let mut url = String::with_capacity(endpoint.len().saturating_add(512));
    url.push_str(endpoint);
    // RFC 6749 §3.1: keep the endpoint's own query component.
    if !url.contains('?') {
        url.push('?');
    }
    form::append(
        &mut url,
        [
            ("response_type", response_type.as_str()),
            ("client_id", client.client_id()),
            ("redirect_uri", client.redirect_uri()),
            ("scope", options.scope),
            ("state", state.as_str()),
            ("nonce", nonce.as_str()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("response_mode", mode.as_str()),
        ],
    );
    let optional = [
        ("prompt", options.prompt),
        ("max_age", max_age.as_deref()),
        ("login_hint", options.login_hint),
        ("acr_values", options.acr_values),
        ("claims", options.claims),
    ];
    form::append(
        &mut url,
        optional
            .iter()
            .filter_map(|(n, v)| v.map(|v| (*n, v)))
            .chain(options.extra.iter().copied()),
    );

    let pending = PendingAuth {
        state: State::new(state),
        nonce: Nonce::new(nonce),
        code_verifier: CodeVerifier::new(verifier),
        response_type,
        response_mode: mode,
        max_age: options.max_age,
        jwks_refetched: false,
    };
    Ok((AuthorizationRequest { url }, pending))
}
