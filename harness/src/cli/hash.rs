//! `oidc-hybrid hash`: the c_hash / at_hash / s_hash of a value.

use clap::Args;
use oidc_hybrid::hash::half_hash;
use oidc_hybrid::jose::Alg;

/// Prints the left-half hash of VALUE for the JWS algorithm ALG: the value of
/// `c_hash` for a code, `at_hash` for an access token, `s_hash` for a state.
#[derive(Debug, Args)]
pub struct HashArgs {
    /// The ID token's JWS algorithm (ES256, RS256, PS384, EdDSA, …); it picks the hash.
    #[arg(long, default_value = "ES256")]
    pub alg: String,
    /// The code, access token or state to hash.
    pub value: String,
}

/// Runs the subcommand; returns the exit code.
pub fn run(args: &HashArgs) -> i32 {
    match Alg::parse(&args.alg) {
        Ok(alg) => {
            println!("{}", half_hash(alg, args.value.as_bytes()));
            0
        }
        Err(e) => {
            eprintln!("error: {} ({})", e, e.code());
            2
        }
    }
}
