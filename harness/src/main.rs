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
    /// Run recorded exchanges through the relying party: ACCEPT or REJECT with the error code.
    Check(cli::check::CheckArgs),
    /// Print the c_hash / at_hash / s_hash of a value.
    Hash(cli::hash::HashArgs),
}

fn main() {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Check(a) => cli::check::run(a),
        Command::Hash(a) => cli::hash::run(a),
    };
    std::process::exit(code);
}
