//! `oidc-hybrid serve-op`: the provider over loopback HTTP, for real clients.

use std::path::PathBuf;

use clap::Args;
use oidc_hybrid::op::Client;

use crate::server::{self, ServerConfig};

/// Serves the provider on 127.0.0.1: discovery, JWKS, authorization, token,
/// UserInfo. Storage is in memory; the signing key is fresh on each start.
#[derive(Debug, Args)]
pub struct ServeOpArgs {
    /// Port on 127.0.0.1 (0 picks a free one and prints it).
    #[arg(long, default_value_t = 4010)]
    pub port: u16,
    /// Log in the demo user `alice` and grant every request, without a page.
    #[arg(long)]
    pub auto_approve: bool,
    /// A client registration JSON file (OIDC Registration metadata); default:
    /// the built-in `hybrid-client`.
    #[arg(long)]
    pub client: Option<PathBuf>,
    /// The issuer URL (default `http://127.0.0.1:PORT`).
    #[arg(long)]
    pub issuer: Option<String>,
}

fn load_client(path: &PathBuf) -> Result<Client, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Client::from_registration_json(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Runs the subcommand until SIGINT or SIGTERM; returns the exit code.
pub fn run(args: &ServeOpArgs) -> i32 {
    let client = match &args.client {
        None => server::default_client(),
        Some(p) => match load_client(p) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        },
    };
    let cfg = ServerConfig {
        port: args.port,
        issuer: args.issuer.clone(),
        auto_approve: args.auto_approve,
        clients: vec![client],
        signing_key: None,
        log_requests: true,
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: tokio runtime: {e}");
            return 1;
        }
    };
    rt.block_on(async move {
        let client_id = cfg
            .clients
            .first()
            .map(|c| c.client_id.clone())
            .unwrap_or_default();
        let auto = cfg.auto_approve;
        let (addr, issuer, shutdown) = match server::spawn(cfg).await {
            Ok(v) => v,
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        };
        println!("serve-op listening on {addr} (port {})", addr.port());
        println!("issuer {issuer}");
        println!(
            "client {client_id}; {}",
            if auto {
                "auto-approve: the demo user alice is logged in without a page"
            } else {
                "login page: user alice, any non-empty password"
            }
        );
        wait_for_signal().await;
        println!("serve-op stopping");
        shutdown.stop();
        // Give in-flight requests a moment to finish.
        tokio::time::sleep(core::time::Duration::from_millis(100)).await;
        0
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
