//! One login through the relying party core, step by step:
//! `begin` → the browser → `callback` → token exchange → UserInfo → refresh.
//! Each step's outcome is recorded; the first failure ends the login.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use oidc_hybrid::UnixTime;
use oidc_hybrid::encoding::Params;
use oidc_hybrid::jose::Jwks;
use oidc_hybrid::rp::{self, AuthOptions, CallbackOutcome, Context, Session};

use super::browser::Browser;
use super::http::Backend;
use super::report::{LoginResult, Step, millis};
use super::{Case, Provider};

/// Where a login is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The browser follows the provider to the redirect URI.
    Browser,
    /// The core validates the authorization response.
    Callback,
    /// The code is exchanged at the token endpoint.
    TokenExchange,
    /// UserInfo.
    UserInfo,
    /// The refresh grant.
    Refresh,
}

impl Phase {
    /// A short label for progress lines.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Browser => "browser",
            Self::Callback => "callback",
            Self::TokenExchange => "token exchange",
            Self::UserInfo => "userinfo",
            Self::Refresh => "refresh",
        }
    }
}

/// The caller's clock, for the core.
pub fn now() -> UnixTime {
    UnixTime(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

/// 32 fresh random bytes for `begin` (the core has no RNG).
fn entropy() -> Result<[u8; 32], String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| format!("the OS random source failed: {e}"))?;
    Ok(b)
}

/// What the front channel showed the relying party verify, from the
/// response and what the core accepted.
fn front_checks(raw: &str, callback: &rp::Callback) -> Vec<&'static str> {
    let mut checks = vec!["state"];
    // The core checked the RFC 9207 parameter when it was there.
    if Params::parse(raw).is_ok_and(|p| p.contains("iss")) {
        checks.push("iss");
    }
    if let Some(id_token) = callback.id_token() {
        checks.push("id_token");
        // Required with a code (OIDC Core §3.3.2.11).
        checks.push("c_hash");
        if callback.front_channel_token().is_some() {
            checks.push("at_hash");
        }
        if id_token.claims.get("s_hash").is_some() {
            checks.push("s_hash");
        }
    }
    if callback.front_channel_token().is_some() {
        checks.push("Bearer");
    }
    checks
}

async fn refetch(backend: &Backend, provider: &mut Provider) -> Result<(), Step> {
    let bytes = backend
        .get_ok(provider.metadata.jwks_uri())
        .await
        .map_err(|e| Step::transport("http", e))?;
    provider.jwks = Jwks::parse(&bytes).map_err(|e| Step::core_error(&e))?;
    Ok(())
}

/// Runs `case`; `phase` is told when each step starts.
pub async fn run(
    backend: &Backend,
    provider: &mut Provider,
    scope: &str,
    case: Case,
    mut phase: impl FnMut(Phase),
) -> LoginResult {
    let started = Instant::now();
    let mut result = LoginResult::new(case);
    let outcome = steps(backend, provider, scope, case, &mut result, &mut phase).await;
    if let Err((which, step)) = outcome {
        let slot = match which {
            Phase::Browser | Phase::Callback => &mut result.front_channel,
            Phase::TokenExchange => &mut result.token_exchange,
            Phase::UserInfo => &mut result.userinfo,
            Phase::Refresh => &mut result.refresh,
        };
        *slot = step;
    }
    result.ms = millis(started.elapsed());
    result
}

type Failed = (Phase, Step);

async fn steps(
    backend: &Backend,
    provider: &mut Provider,
    scope: &str,
    case: Case,
    result: &mut LoginResult,
    phase: &mut impl FnMut(Phase),
) -> Result<(), Failed> {
    let core = |p: Phase| move |e: oidc_hybrid::Error| (p, Step::core_error(&e));
    let http = |p: Phase| move |e: String| (p, Step::transport("http", e));

    // 1. The authorization request: state, nonce, PKCE from our entropy.
    let bytes = entropy().map_err(|e| (Phase::Browser, Step::transport("entropy", e)))?;
    let options = AuthOptions {
        response_mode: Some(case.response_mode),
        scope,
        ..AuthOptions::new(case.response_type)
    };
    let (request, mut pending) = rp::begin(&provider.client, &provider.metadata, &bytes, options)
        .map_err(core(Phase::Browser))?;

    // 2. The browser, to the redirect URI.
    phase(Phase::Browser);
    let browser = Browser::new().map_err(|e| (Phase::Browser, Step::transport("browser", e)))?;
    let arrival = match browser
        .authorize(&request.url, provider.client.redirect_uri())
        .await
    {
        Ok(a) => a,
        Err(e) => {
            result.browser = e.steps;
            return Err((Phase::Browser, Step::transport("browser", e.message)));
        }
    };
    result.browser = arrival.steps.clone();

    // 3. The front channel, validated (a rotated key: refetch the JWKS once).
    phase(Phase::Callback);
    let callback = loop {
        let ctx = Context::new(&provider.client, &provider.metadata, &provider.jwks);
        match pending
            .callback(&arrival.raw, arrival.mode, now(), &ctx)
            .map_err(core(Phase::Callback))?
        {
            CallbackOutcome::Validated(cb) => break cb,
            CallbackOutcome::RefetchJwks(p) => {
                refetch(backend, provider)
                    .await
                    .map_err(|s| (Phase::Callback, s))?;
                pending = p;
            }
        }
    };
    result.front_channel = Step::passed(front_checks(&arrival.raw, &callback));

    // 4. The code exchange.
    phase(Phase::TokenExchange);
    let ctx = Context::new(&provider.client, &provider.metadata, &provider.jwks);
    let front_id_token = callback.id_token().is_some();
    let token_request = callback
        .token_request(&ctx, None)
        .map_err(core(Phase::TokenExchange))?;
    let reply = backend
        .send(&token_request)
        .await
        .map_err(http(Phase::TokenExchange))?;
    let session = callback
        .token_response(&ctx, reply.status, &reply.content_type, &reply.body, now())
        .map_err(core(Phase::TokenExchange))?;
    let mut checks = vec!["id_token"];
    if session.id_token().claims.get("at_hash").is_some() {
        checks.push("at_hash");
    }
    if front_id_token {
        checks.push("sub");
    }
    result.token_exchange = Step::passed(checks);

    // 5. UserInfo, when the provider has the endpoint.
    phase(Phase::UserInfo);
    result.userinfo = userinfo(backend, &ctx, &session)
        .await
        .map_err(|s| (Phase::UserInfo, s))?;

    // 6. Refresh, when the provider issued a refresh token.
    phase(Phase::Refresh);
    result.refresh = refresh(backend, &ctx, &session)
        .await
        .map_err(|s| (Phase::Refresh, s))?;
    Ok(())
}

async fn userinfo(backend: &Backend, ctx: &Context<'_>, session: &Session) -> Result<Step, Step> {
    if ctx.metadata.userinfo_endpoint().is_none() {
        return Ok(Step::skipped("no userinfo_endpoint"));
    }
    let request = session
        .userinfo_request(ctx)
        .map_err(|e| Step::core_error(&e))?;
    let reply = backend
        .send(&request)
        .await
        .map_err(|e| Step::transport("http", e))?;
    let info = session
        .userinfo_response(reply.status, &reply.content_type, &reply.body)
        .map_err(|e| Step::core_error(&e))?;
    let others = info
        .claims
        .as_object()
        .map_or(0, |o| o.keys().filter(|k| *k != "sub").count());
    Ok(Step::passed([
        format!("sub={}", info.sub),
        format!("+{others} claims"),
    ]))
}

async fn refresh(backend: &Backend, ctx: &Context<'_>, session: &Session) -> Result<Step, Step> {
    let Some(old) = session.refresh_token() else {
        return Ok(Step::skipped("no refresh token issued"));
    };
    let request = session
        .refresh_request(ctx, None)
        .map_err(|e| Step::core_error(&e))?;
    let reply = backend
        .send(&request)
        .await
        .map_err(|e| Step::transport("http", e))?;
    let refreshed = session
        .refresh_response(ctx, reply.status, &reply.content_type, &reply.body, now())
        .map_err(|e| Step::core_error(&e))?;
    let mut checks = Vec::new();
    if refreshed
        .refresh_token()
        .is_some_and(|new| new.secret() != old.secret())
    {
        checks.push("rotated");
    }
    if refreshed.id_token().raw != session.id_token().raw {
        checks.push("id_token");
    }
    Ok(Step::passed(checks))
}
