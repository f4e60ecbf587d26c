//! Recorded exchanges (the interop transcript format) and a test signer.
//!
//! A transcript is one complete hybrid-flow exchange recorded from a
//! certified provider; see `harness/tests/fixtures/README.md` for the fields.

use std::path::{Path, PathBuf};

use base64ct::{Base64UrlUnpadded, Encoding};
use oidc_hybrid::jose::SigningKey;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The folder of the fixtures inside the repository.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

/// Paths of the nine recorded ES256 exchanges, sorted.
pub fn transcript_paths() -> Vec<PathBuf> {
    json_files(&fixtures_dir().join("transcripts"))
}

/// Paths of the recorded exchanges signed with other algorithms, sorted.
pub fn alg_transcript_paths() -> Vec<PathBuf> {
    json_files(&fixtures_dir().join("transcripts-algs"))
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// One recorded exchange. Unknown fields are kept in `extra` so a file can
/// be rewritten without loss.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Transcript {
    /// Case name, e.g. `code_id_token.fragment`.
    pub case: String,
    /// `accept` or `reject`.
    #[serde(default)]
    pub expect: Option<String>,
    /// For negative cases: the error code the RP must produce.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_code: Option<String>,
    /// The RP clock, unix seconds.
    pub time: u64,
    /// The issuer.
    pub issuer: String,
    /// The discovery document as served.
    pub discovery: Value,
    /// The JWKS as served.
    pub jwks: Value,
    /// The client registration used.
    pub client: Value,
    /// The stored request (state, nonce, code_verifier, …).
    pub request: Value,
    /// The authorization response (`raw` is authoritative).
    pub authorization_response: Value,
    /// The token endpoint's answer.
    #[serde(default)]
    pub token_response: Option<Value>,
    /// The refresh answer.
    #[serde(default)]
    pub refresh_response: Option<Value>,
    /// The UserInfo answer.
    #[serde(default)]
    pub userinfo_response: Option<Value>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

impl Transcript {
    /// Reads a transcript file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The raw authorization response parameters.
    pub fn raw_callback(&self) -> &str {
        self.authorization_response["raw"]
            .as_str()
            .unwrap_or_default()
    }

    /// A request field as a string.
    pub fn request_str(&self, name: &str) -> Option<&str> {
        self.request.get(name).and_then(Value::as_str)
    }

    /// The JWKS document as bytes.
    pub fn jwks_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.jwks).unwrap_or_default()
    }
}

/// The fixture provider's signing key (`keys/keys.json`, test material only).
pub fn fixture_signing_key() -> SigningKey {
    let text = std::fs::read_to_string(fixtures_dir().join("keys").join("keys.json"))
        .expect("fixture keys.json");
    let v: Value = serde_json::from_str(&text).expect("keys.json is JSON");
    let key = serde_json::to_vec(&v["keys"][0]).expect("a key");
    SigningKey::from_jwk(&key).expect("the fixture key parses")
}

/// Splits a compact JWS into its decoded header and payload JSON.
pub fn decode_jws(token: &str) -> (Value, Value) {
    let mut parts = token.split('.');
    let h = Base64UrlUnpadded::decode_vec(parts.next().unwrap_or_default()).expect("header b64");
    let p = Base64UrlUnpadded::decode_vec(parts.next().unwrap_or_default()).expect("payload b64");
    (
        serde_json::from_slice(&h).expect("header json"),
        serde_json::from_slice(&p).expect("payload json"),
    )
}

/// Re-signs a token after `edit` changed its claims, with `key`, keeping the
/// header's `typ`. The header `kid` is the key's.
pub fn resign(token: &str, key: &SigningKey, edit: impl FnOnce(&mut Value)) -> String {
    let (header, mut payload) = decode_jws(token);
    edit(&mut payload);
    let typ = header.get("typ").and_then(Value::as_str);
    key.sign_jws(
        typ,
        &serde_json::to_vec(&payload).expect("payload serializes"),
    )
}

/// Signs an arbitrary header and payload with `key` (the header is used as
/// given, so a test can set any `alg` or `kid`).
pub fn sign_raw(header: &Value, payload: &Value, key: &SigningKey) -> String {
    let input = oidc_hybrid::jose::jws::signing_input(
        &serde_json::to_vec(header).expect("header"),
        &serde_json::to_vec(payload).expect("payload"),
    );
    let sig = key.sign(input.as_bytes());
    format!("{input}.{}", Base64UrlUnpadded::encode_string(&sig))
}
