//! `oidc-hybrid verify`: check a JWS against a JWKS and show what it says.

use std::path::PathBuf;

use clap::Args;
use oidc_hybrid::jose::{Alg, Jwk, Jwks, Jws, PublicKey, verify_compact};

/// Verifies TOKEN's signature with the keys in a JWKS file and prints its
/// header and claims. Only the signature is checked (no claim rules).
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The JWKS file (`{"keys":[...]}`), e.g. saved from a provider's jwks_uri.
    #[arg(long)]
    pub jwks: PathBuf,
    /// The algorithm to accept (RS256, ES256, PS256, ES384, EdDSA, …). Without
    /// it, the token header's alg is used, which a relying party must never do.
    #[arg(long)]
    pub alg: Option<String>,
    /// A client secret to verify HS256/HS384/HS512 tokens with (OIDC Core §10.1).
    #[arg(long)]
    pub secret: Option<String>,
    /// The compact JWS (e.g. an ID token).
    pub token: String,
}

fn pretty(bytes: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
}

/// Runs the subcommand; returns the exit code (0 only for a valid signature).
pub fn run(args: &VerifyArgs) -> i32 {
    let doc = match std::fs::read(&args.jwks) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.jwks.display());
            return 2;
        }
    };
    let fail = |e: oidc_hybrid::Error| {
        println!("{}: {e}", e.code());
        1
    };
    let mut jwks = match Jwks::parse(&doc) {
        Ok(j) => j,
        Err(e) => return fail(e),
    };
    if let Some(secret) = &args.secret {
        let mut keys = jwks.keys().to_vec();
        keys.push(Jwk {
            kid: None,
            key_use: None,
            alg: None,
            ops_allow_verify: true,
            key: PublicKey::from_client_secret(secret),
        });
        jwks = Jwks::from_keys(keys);
    }
    let token = args.token.trim();
    let jws = match Jws::parse(token) {
        Ok(j) => j,
        Err(e) => return fail(e),
    };
    let header_alg = jws.header().map(|h| h.alg.into_owned()).unwrap_or_default();
    let alg = match Alg::parse(args.alg.as_deref().unwrap_or(&header_alg)) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let header_json = token.split('.').next().and_then(|h| {
        use base64ct::Encoding as _;
        base64ct::Base64UrlUnpadded::decode_vec(h).ok()
    });
    println!("header:\n{}", pretty(&header_json.unwrap_or_default()));
    println!("claims:\n{}", pretty(jws.payload()));
    if args.alg.is_none() {
        println!("note: alg {alg} taken from the token header; pass --alg to pin it");
    }
    match verify_compact(token, &[alg], &jwks) {
        Ok(_) => {
            println!("signature: valid");
            0
        }
        Err(e) => fail(e),
    }
}
