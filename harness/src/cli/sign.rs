//! `oidc-hybrid sign`: sign a JSON payload as a compact JWS (test tokens).

use std::path::PathBuf;

use clap::Args;
use oidc_hybrid::jose::SigningKey;

/// Signs PAYLOAD (JSON) with a private JWK and prints the compact JWS. The
/// algorithm is the JWK's `alg` (else ES256 / ES384 / RS256 / EdDSA by key
/// type); the header carries the JWK's `kid` (else its RFC 7638 thumbprint).
#[derive(Debug, Args)]
pub struct SignArgs {
    /// A private JWK file, or a JWKS file whose first key is used.
    #[arg(long)]
    pub key: PathBuf,
    /// The `typ` header value.
    #[arg(long, default_value = "JWT")]
    pub typ: String,
    /// The payload, a JSON object.
    pub payload: String,
}

/// Runs the subcommand; returns the exit code.
pub fn run(args: &SignArgs) -> i32 {
    let doc: serde_json::Value = match std::fs::read(&args.key)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.key.display());
            return 2;
        }
    };
    let jwk = doc.get("keys").and_then(|k| k.get(0)).unwrap_or(&doc);
    let key = match SigningKey::from_jwk(&serde_json::to_vec(jwk).unwrap_or_default()) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("{}: {e}", e.code());
            return 1;
        }
    };
    if serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&args.payload).is_err() {
        eprintln!("error: the payload must be a JSON object");
        return 2;
    }
    println!("{}", key.sign_jws(Some(&args.typ), args.payload.as_bytes()));
    0
}
