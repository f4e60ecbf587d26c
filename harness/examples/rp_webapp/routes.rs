//! The routes: `/`, `/login`, `/callback` (GET: the fragment relay page
//! or a query response; POST: form_post or the relayed fragment), `/me`,
//! `/logout`. Each handler is the transport loop around one step of the
//! core; every failure is an [`AppError`] page (400, 401 or 502), never a 500.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64ct::{Base64UrlUnpadded, Encoding};
use oidc_hybrid::UnixTime;
use oidc_hybrid::rp::{
    self, AuthOptions, CallbackOutcome, Client, Context, MIN_ENTROPY, ResponseMode, ResponseType,
};

use crate::cookies::{self, CookieKey, CookiePolicy, PENDING_COOKIE, SESSION_COOKIE};
use crate::pages::{self, AppError, HomeInfo};
use crate::provider::ProviderCache;
use crate::sessions::{LoggedIn, Sessions};

/// Largest request body accepted (a form_post response is a few KiB).
const MAX_BODY: usize = 64 * 1024;

/// What the handlers share.
pub struct App {
    /// The client as registered at the provider.
    pub client: Client,
    /// What `/login` asks for.
    pub response_type: ResponseType,
    /// How the answer should come back.
    pub response_mode: ResponseMode,
    /// `scope`.
    pub scope: String,
    /// Discovery, keys, and the back channel.
    pub provider: ProviderCache,
    /// Signs the state cookie.
    pub key: CookieKey,
    /// Cookie attributes.
    pub cookies: CookiePolicy,
    /// Signed-in users.
    pub sessions: Sessions,
}

/// The app's routes.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login))
        .route("/callback", get(callback_get).post(callback_post))
        .route("/me", get(me))
        .route("/logout", post(logout))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(app)
}

/// The caller's clock, for the core.
fn now() -> UnixTime {
    UnixTime(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

/// Fresh bytes from the operating system (the core has no RNG).
fn os_entropy() -> Result<[u8; MIN_ENTROPY], AppError> {
    let mut b = [0u8; MIN_ENTROPY];
    getrandom::fill(&mut b).map_err(|e| AppError::unavailable(&e.to_string()))?;
    Ok(b)
}

/// A 303 to `location`, uncached, setting `cookies`.
fn see_other(location: &str, cookies: &[String]) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Ok(v) = HeaderValue::from_str(location) {
        h.insert(header::LOCATION, v);
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    res
}

fn signed_in(app: &App, headers: &HeaderMap) -> Option<(String, LoggedIn)> {
    let id = cookies::read(headers, SESSION_COOKIE).ok()?;
    let who = app.sessions.get(&id, now())?;
    Some((id, who))
}

/// `GET /`.
async fn home(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let who = signed_in(&app, &headers);
    let info = HomeInfo {
        issuer: app.provider.issuer(),
        response_type: app.response_type.as_str(),
        response_mode: app.response_mode.as_str(),
        scope: &app.scope,
        signed_in: who.as_ref().map(|(_, w)| w.session.sub()),
    };
    pages::html(StatusCode::OK, pages::home(&info), None)
}

/// `GET /login`: the authorization request. The core derives `state`,
/// `nonce` and the PKCE verifier from fresh OS entropy; `PendingAuth` goes
/// into the signed state cookie and the browser to the provider.
async fn login(State(app): State<Arc<App>>) -> Result<Response, AppError> {
    let provider = app.provider.get().await?;
    let entropy = os_entropy()?;
    let options = AuthOptions {
        response_mode: Some(app.response_mode),
        scope: &app.scope,
        ..AuthOptions::new(app.response_type)
    };
    let (request, pending) = rp::begin(&app.client, &provider.metadata, &entropy, options)
        .map_err(|e| AppError::from_provider_setup(&e))?;
    let sealed = app.key.seal_pending(pending, now());
    Ok(see_other(&request.url, &[app.cookies.set_pending(&sealed)]))
}

/// `GET /callback`: with a query, a `query`-mode response; without, the
/// relay page, whose script POSTs the fragment back here.
async fn callback_get(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    match query.as_deref() {
        None | Some("") => pages::relay(),
        Some(q) => complete(&app, &headers, q, ResponseMode::Query).await,
    }
}

/// `POST /callback`: a form_post response (OAuth 2.0 Form Post Response
/// Mode §2), or the relay page's POST of the fragment
/// (`?relayed=fragment`).
async fn callback_post(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mode = match query.as_deref() {
        None | Some("") => ResponseMode::FormPost,
        Some("relayed=fragment") => ResponseMode::Fragment,
        Some(_) => {
            return AppError::bad_request("malformed", "/callback takes no such query")
                .into_response();
        }
    };
    if !is_form(&headers) {
        return AppError::bad_request(
            "unsupported_content_type",
            "The callback takes an application/x-www-form-urlencoded body.",
        )
        .into_response();
    }
    let Ok(raw) = core::str::from_utf8(&body) else {
        return AppError::bad_request("malformed", "The callback body is not UTF-8.")
            .into_response();
    };
    complete(&app, &headers, raw, mode).await
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// Finishes a login and answers: a 303 to `/me` with the session cookie,
/// or the error page. The state cookie is single-use: cleared either way.
async fn complete(app: &App, headers: &HeaderMap, raw: &str, mode: ResponseMode) -> Response {
    let clear = app.cookies.clear_pending();
    match finish_login(app, headers, raw, mode).await {
        Ok(session_id) => {
            println!("login complete ({} + {})", app.response_type, mode);
            see_other("/me", &[clear, app.cookies.set_session(&session_id)])
        }
        Err(e) => {
            // The code only: messages may quote what the peer sent.
            println!("callback refused: {}", e.code());
            let mut res = e.into_response();
            if let Ok(v) = HeaderValue::from_str(&clear) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
    }
}

/// The steps after the provider answered; returns the new session's id.
async fn finish_login(
    app: &App,
    headers: &HeaderMap,
    raw: &str,
    mode: ResponseMode,
) -> Result<String, AppError> {
    // 1. The login this browser started: the state cookie, signed by us
    //    and not lapsed.
    let sealed = cookies::read(headers, PENDING_COOKIE).map_err(AppError::state_cookie)?;
    let mut pending = app
        .key
        .open_pending(&sealed, now())
        .map_err(AppError::state_cookie)?;
    let (response_type, response_mode) = (pending.response_type(), pending.response_mode());

    // 2. The front channel, judged by the core (state, iss, the ID token
    //    and its c_hash/at_hash, …). An unknown `kid` may mean the
    //    provider rotated its keys: refetch the JWKS once and try again.
    let mut provider = app.provider.get().await?;
    let callback = loop {
        let ctx = Context::new(&app.client, &provider.metadata, &provider.jwks);
        match pending
            .callback(raw, mode, now(), &ctx)
            .map_err(|e| AppError::from_core(&e, "Login refused"))?
        {
            CallbackOutcome::Validated(cb) => break cb,
            CallbackOutcome::RefetchJwks(p) => {
                pending = p;
                provider = app.provider.refetch_jwks(&provider).await?;
            }
        }
    };
    let front_channel_token = callback.front_channel_token().is_some();

    // 3. The code exchange over the back channel (client_secret_basic,
    //    PKCE); the core checks the token response and its ID token
    //    against the front channel's.
    let ctx = Context::new(&app.client, &provider.metadata, &provider.jwks);
    let refused = |e: oidc_hybrid::Error| AppError::from_core(&e, "Token exchange refused");
    let request = callback.token_request(&ctx, None).map_err(refused)?;
    let reply = app.provider.send(&request).await?;
    let session = callback
        .token_response(&ctx, reply.status, &reply.content_type, &reply.body, now())
        .map_err(refused)?;

    // 4. UserInfo, when the provider has the endpoint (its `sub` must be
    //    the ID token's: OIDC Core §5.3.2).
    let userinfo = match provider.metadata.userinfo_endpoint() {
        None => None,
        Some(_) => {
            let refused = |e: oidc_hybrid::Error| AppError::from_core(&e, "UserInfo refused");
            let request = session.userinfo_request(&ctx).map_err(refused)?;
            let reply = app.provider.send(&request).await?;
            Some(
                session
                    .userinfo_response(reply.status, &reply.content_type, &reply.body)
                    .map_err(refused)?,
            )
        }
    };

    // 5. A server-side session under a fresh random id.
    let id = Base64UrlUnpadded::encode_string(&os_entropy()?);
    let now = now();
    app.sessions.insert(
        id.clone(),
        LoggedIn {
            session,
            userinfo,
            response_type,
            response_mode,
            front_channel_token,
            created_at: now,
        },
        now,
    );
    Ok(id)
}

/// `GET /me`: the validated claims.
async fn me(State(app): State<Arc<App>>, headers: HeaderMap) -> Result<Response, AppError> {
    let (_, who) = signed_in(&app, &headers).ok_or_else(AppError::not_logged_in)?;
    Ok(pages::html(StatusCode::OK, pages::me(&who), None))
}

/// `POST /logout`: ends the session here (not at the provider).
async fn logout(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some((id, _)) = signed_in(&app, &headers) {
        app.sessions.remove(&id);
    }
    see_other("/", &[app.cookies.clear_session()])
}
