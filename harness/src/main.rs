//! The `oidc-hybrid` command-line program.

use clap::{Parser, Subcommand};
use oidc_hybrid_harness::cli;

/// oidc-hybrid: tools around the OpenID Connect Hybrid Flow core.
#[derive(Debug, Parser)]
#[command(name = "oidc-hybrid", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The main job: log in to a provider through every response type and mode over real HTTP.
    Demo(cli::demo::DemoArgs),
    /// Run recorded exchanges through the relying party: ACCEPT or REJECT with the error code.
    Check(cli::check::CheckArgs),
    /// Print the c_hash / at_hash / s_hash of a value.
    Hash(cli::hash::HashArgs),
    /// Verify a JWS (e.g. an ID token) against a JWKS and print its header and claims.
    Verify(cli::verify::VerifyArgs),
    /// Sign a JSON payload with a private JWK (for test tokens).
    Sign(cli::sign::SignArgs),
    /// Serve the provider on 127.0.0.1 for real OIDC clients.
    ServeOp(cli::serve_op::ServeOpArgs),
}

fn main() {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Demo(a) => cli::demo::run(a),
        Command::Check(a) => cli::check::run(a),
        Command::Hash(a) => cli::hash::run(a),
        Command::Verify(a) => cli::verify::run(a),
        Command::Sign(a) => cli::sign::run(a),
        Command::ServeOp(a) => cli::serve_op::run(a),
    };
    std::process::exit(code);
}
