//! An example relying-party web application: axum around the
//! `oidc_hybrid::rp` core, the way an integrator would wire it.
//!
//! - `/` a page with a login button;
//! - `/login` begins (OS entropy in, authorization URL out), keeps the
//!   `PendingAuth` in a signed, `HttpOnly` cookie and redirects;
//! - `/callback` takes the answer: `POST` for form_post, `GET` for the
//!   fragment relay page (its script POSTs the fragment back) or a query;
//!   then discovery/JWKS (cached; refetched once on an unknown key), the
//!   code exchange, UserInfo, and a server-side session;
//! - `/me` shows the validated claims.
//!
//! Run it next to the provider (see the README, "A real browser"):
//!
//! ```sh
//! cargo run -p oidc-hybrid-harness -- serve-op --port 4010 --client client.json
//! cargo run -p oidc-hybrid-harness --example rp_webapp -- --port 4020 \
//!     --issuer http://127.0.0.1:4010 --client-id hybrid-client --client-secret …
//! ```
//!
//! then open <http://127.0.0.1:4020/>. `client.json` must list this app's
//! redirect URI (default `http://127.0.0.1:PORT/callback`).

mod cookies;
mod pages;
mod provider;
mod routes;
mod sessions;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use oidc_hybrid::jose::Alg;
use oidc_hybrid::rp::{Client, ClientAuth, ClientSecret, ResponseMode, ResponseType};

use crate::cookies::{CookieKey, CookiePolicy};
use crate::provider::ProviderCache;
use crate::routes::App;
use crate::sessions::Sessions;

/// An example relying party on the oidc-hybrid core: log in at an OpenID
/// provider with the hybrid flow, see your claims at /me.
#[derive(Debug, Parser)]
#[command(name = "rp_webapp")]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one and prints it).
    #[arg(long, default_value_t = 4020)]
    port: u16,
    /// The provider's issuer URL (https, or http on a loopback host).
    #[arg(long, default_value = "http://127.0.0.1:4010")]
    issuer: String,
    /// The registered client_id.
    #[arg(long, default_value = "hybrid-client")]
    client_id: String,
    /// The client secret (client_secret_basic). Visible in the process
    /// list: fine for a demo, not for production.
    #[arg(
        long,
        default_value = "hybrid-client-secret-not-secret-0123456789abcdef"
    )]
    client_secret: String,
    /// The registered redirect URI (default http://127.0.0.1:PORT/callback).
    #[arg(long)]
    redirect_uri: Option<String>,
    /// code, "code id_token", "code token" or "code id_token token".
    #[arg(long, default_value = "code id_token")]
    response_type: String,
    /// query, fragment or form_post.
    #[arg(long, default_value = "form_post")]
    response_mode: String,
    /// The scopes to ask for (must contain openid).
    #[arg(long, default_value = "openid profile email")]
    scope: String,
}

fn build(args: &Args, port: u16) -> Result<App, String> {
    let response_type = ResponseType::parse(&args.response_type).map_err(|e| e.to_string())?;
    let response_mode = ResponseMode::parse(&args.response_mode).map_err(|e| e.to_string())?;
    response_type
        .check_mode(response_mode)
        .map_err(|e| e.to_string())?;
    let redirect_uri = args
        .redirect_uri
        .clone()
        .unwrap_or_else(|| format!("http://127.0.0.1:{port}/callback"));
    let client = Client::new(
        &args.client_id,
        ClientAuth::ClientSecretBasic(ClientSecret::new(args.client_secret.as_str())),
        &redirect_uri,
        Alg::ES256,
    )
    .map_err(|e| e.to_string())?;
    Ok(App {
        cookies: CookiePolicy::new(&redirect_uri, response_mode == ResponseMode::FormPost),
        client,
        response_type,
        response_mode,
        scope: args.scope.clone(),
        provider: ProviderCache::new(&args.issuer)?,
        key: CookieKey::random().map_err(|e| format!("random key: {e}"))?,
        sessions: Sessions::default(),
    })
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let args = Args::parse();
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: bind 127.0.0.1:{}: {e}", args.port);
            return ExitCode::FAILURE;
        }
    };
    let port = listener.local_addr().map_or(args.port, |a| a.port());
    let app = match build(&args, port) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    println!("rp_webapp listening on http://127.0.0.1:{port}/ (port {port})");
    println!(
        "issuer {}; client {}; redirect_uri {}; {} + {}",
        app.provider.issuer(),
        app.client.client_id(),
        app.client.redirect_uri(),
        app.response_type,
        app.response_mode
    );
    let router = routes::router(Arc::new(app));
    let serve = axum::serve(listener, router).with_graceful_shutdown(async {
        wait_for_signal().await;
        println!("rp_webapp stopping");
    });
    match serve.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
