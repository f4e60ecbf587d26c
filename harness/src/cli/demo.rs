//! `oidc-hybrid demo`: the main job. The relying party core logs in to a
//! provider over real HTTP through every response type and mode, playing
//! the browser, then exchanges the code, calls UserInfo and refreshes; a
//! table and a verdict; exit 0 only if every login passed.
//!
//! Without `--issuer` the provider is `serve-op`, started in-process on a
//! free 127.0.0.1 port. With `--issuer` it is any provider that logs the
//! user in without a page (auto-approve), e.g. the interop kit's
//! `node op/run.js 4010 --auto-approve`.

use std::io::{IsTerminal, Write};

use clap::Args;
use oidc_hybrid::jose::Alg;
use oidc_hybrid::rp::{ClientAuth, ClientSecret, ResponseMode, ResponseType};

use crate::demo::{self, Case, DEFAULT_SCOPE, Progress, Target, http::Backend};
use crate::server::{self, ServerConfig};

/// Logs in to a provider through every response type and mode over real
/// HTTP (the relying party core; the browser played by the program), with
/// token exchange, UserInfo and refresh; prints a table and a verdict.
/// Exits 0 only if every login passed.
///
/// Without --issuer, the provider is serve-op, run in-process on a free
/// 127.0.0.1 port with its built-in client. With --issuer, any provider that
/// logs the user in without a page (auto-approve).
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Print the report as JSON on stdout (the progress line stays on stderr).
    #[arg(long)]
    pub json: bool,
    /// No progress line.
    #[arg(long, short)]
    pub quiet: bool,
    /// An external provider's issuer URL (https, or http on a loopback host).
    #[arg(long, requires_all = ["client_id", "client_secret", "redirect_uri"])]
    pub issuer: Option<String>,
    /// The client registered at --issuer.
    #[arg(long, requires = "issuer")]
    pub client_id: Option<String>,
    /// Its secret.
    #[arg(long, requires = "issuer")]
    pub client_secret: Option<String>,
    /// Its registered redirect URI (nothing needs to listen there).
    #[arg(long, requires = "issuer")]
    pub redirect_uri: Option<String>,
    /// Token endpoint authentication: client_secret_basic or client_secret_post.
    #[arg(long, default_value = "client_secret_basic", value_parser = ["client_secret_basic", "client_secret_post"])]
    pub client_auth: String,
    /// The client's registered id_token_signed_response_alg.
    #[arg(long, default_value = "ES256", value_parser = parse_alg)]
    pub id_token_alg: Alg,
    /// The scope to ask for.
    #[arg(long, default_value = DEFAULT_SCOPE)]
    pub scope: String,
    /// Response types, comma-separated (default: all): code, code_id_token,
    /// code_token, code_id_token_token (or as registered: "code id_token").
    #[arg(long, value_delimiter = ',', value_parser = parse_type)]
    pub types: Vec<ResponseType>,
    /// Response modes, comma-separated (default: all): query, fragment,
    /// form_post. `query` is never used for a type that returns tokens.
    #[arg(long, value_delimiter = ',', value_parser = parse_mode)]
    pub modes: Vec<ResponseMode>,
}

/// A response type as registered (`code id_token`), with `_` or `+` for
/// the spaces (`code_id_token`, `code+id_token`).
pub fn parse_type(s: &str) -> Result<ResponseType, String> {
    ResponseType::ALL
        .into_iter()
        .find(|t| {
            let v = t.as_str();
            s == v || s == v.replace(' ', "_") || s == v.replace(' ', "+")
        })
        .ok_or_else(|| {
            format!(
                "unknown response type {s:?}: code, code_id_token, code_token, code_id_token_token"
            )
        })
}

fn parse_mode(s: &str) -> Result<ResponseMode, String> {
    ResponseMode::parse(s).map_err(|e| e.to_string())
}

fn parse_alg(s: &str) -> Result<Alg, String> {
    Alg::parse(s).map_err(|e| e.to_string())
}

impl DemoArgs {
    fn cases(&self) -> Vec<Case> {
        let types = if self.types.is_empty() {
            ResponseType::ALL.to_vec()
        } else {
            self.types.clone()
        };
        let modes = if self.modes.is_empty() {
            ResponseMode::ALL.to_vec()
        } else {
            self.modes.clone()
        };
        Case::matrix(&types, &modes)
    }

    /// The external target, when --issuer is given.
    fn external(&self) -> Option<Target> {
        let issuer = self.issuer.clone()?;
        let secret = ClientSecret::new(self.client_secret.clone().unwrap_or_default());
        let client_auth = if self.client_auth == "client_secret_post" {
            ClientAuth::ClientSecretPost(secret)
        } else {
            ClientAuth::ClientSecretBasic(secret)
        };
        Some(Target {
            issuer,
            client_id: self.client_id.clone().unwrap_or_default(),
            client_auth,
            redirect_uri: self.redirect_uri.clone().unwrap_or_default(),
            id_token_alg: self.id_token_alg,
            scope: self.scope.clone(),
            label: "an external provider".into(),
        })
    }
}

/// The progress line on stderr: rewritten in place on a terminal, one line
/// per finished login otherwise (CI logs).
struct ProgressLine {
    tty: bool,
    quiet: bool,
}

impl ProgressLine {
    fn show(&self, p: Progress<'_>) {
        if self.quiet {
            return;
        }
        let mut err = std::io::stderr().lock();
        match p {
            Progress::Phase {
                index,
                total,
                case,
                phase,
            } if self.tty => {
                let _ = write!(
                    err,
                    "\r\x1b[2K[{}/{total}] {case}: {}…",
                    index + 1,
                    phase.label()
                );
            }
            Progress::Phase { .. } => {}
            // The next login's phase, or the table, takes the line.
            Progress::Done { .. } if self.tty => {
                let _ = write!(err, "\r\x1b[2K");
            }
            Progress::Done {
                index,
                total,
                result,
            } => {
                let _ = writeln!(
                    err,
                    "[{}/{total}] {} / {}: {} ({:.1} ms)",
                    index + 1,
                    result.response_type,
                    result.response_mode,
                    if result.passed() { "ok" } else { "FAILED" },
                    result.ms
                );
            }
        }
        let _ = err.flush();
    }
}

/// Runs the subcommand; returns the exit code.
pub fn run(args: &DemoArgs) -> i32 {
    let cases = args.cases();
    if cases.is_empty() {
        eprintln!("error: no case: --modes query only applies to --types code");
        return 2;
    }
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
    let progress = ProgressLine {
        tty: std::io::stderr().is_terminal(),
        quiet: args.quiet,
    };
    rt.block_on(async {
        let backend = match Backend::new() {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        };
        let (target, shutdown) = match args.external() {
            Some(t) => (t, None),
            None => match server::spawn(ServerConfig::default()).await {
                Ok((_, issuer, shutdown)) => (Target::serve_op(&issuer), Some(shutdown)),
                Err(e) => {
                    eprintln!("error: serve-op: {e}");
                    return 1;
                }
            },
        };
        let report = demo::run(&backend, &target, &cases, |p| progress.show(p)).await;
        if let Some(s) = shutdown {
            s.stop();
        }
        let report = match report {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {} at {}: {e}", target.label, target.issuer);
                return 1;
            }
        };
        if args.json {
            match serde_json::to_string_pretty(&report) {
                Ok(j) => println!("{j}"),
                Err(e) => {
                    eprintln!("error: JSON: {e}");
                    return 1;
                }
            }
        } else {
            println!("{}", report.render());
        }
        i32::from(!report.all_passed())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_in_every_spelling() {
        for t in ResponseType::ALL {
            assert_eq!(parse_type(t.as_str()), Ok(t));
            assert_eq!(parse_type(&t.as_str().replace(' ', "_")), Ok(t));
            assert_eq!(parse_type(&t.as_str().replace(' ', "+")), Ok(t));
        }
        assert!(parse_type("id_token").is_err());
        assert!(parse_type("code_id").is_err());
    }
}
