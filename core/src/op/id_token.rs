//! Minting ID tokens (OIDC Core §2, §3.3.2.11, §3.3.3.6, §12.2).

use alloc::string::String;

use super::subject::Subject;
use crate::claims::UnixTime;
use crate::hash::half_hash;
use crate::jose::SigningKey;

/// What goes into one ID token.
pub(crate) struct IdTokenParams<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub subject: &'a Subject,
    pub nonce: Option<&'a str>,
    pub with_auth_time: bool,
    pub now: UnixTime,
    pub ttl: u64,
    /// The code returned alongside: `c_hash`.
    pub code: Option<&'a str>,
    /// The access token returned alongside: `at_hash`.
    pub access_token: Option<&'a str>,
    /// The state returned alongside: `s_hash`.
    pub state: Option<&'a str>,
}

/// Signs an ID token with `key` (its alg picks the hash of `c_hash`,
/// `at_hash`, `s_hash`: OIDC Core §3.3.2.11).
pub(crate) fn mint(key: &SigningKey, p: &IdTokenParams<'_>) -> String {
    use serde_json::Value;
    let mut c = serde_json::Map::new();
    // OIDC Core §2: iss, sub, aud (this client), exp, iat.
    c.insert("iss".into(), p.issuer.into());
    c.insert("sub".into(), p.subject.sub.as_str().into());
    c.insert("aud".into(), p.client_id.into());
    c.insert("exp".into(), p.now.plus(p.ttl).secs().into());
    c.insert("iat".into(), p.now.secs().into());
    // OIDC Core §2: auth_time REQUIRED when max_age was requested.
    if p.with_auth_time {
        c.insert("auth_time".into(), p.subject.auth_time.secs().into());
    }
    // OIDC Core §3.1.2.1, §3.3.2.11: the request's nonce, unmodified.
    if let Some(n) = p.nonce {
        c.insert("nonce".into(), n.into());
    }
    if let Some(acr) = &p.subject.acr {
        c.insert("acr".into(), acr.as_str().into());
    }
    if !p.subject.amr.is_empty() {
        c.insert(
            "amr".into(),
            Value::Array(p.subject.amr.iter().map(|s| s.as_str().into()).collect()),
        );
    }
    let alg = key.alg();
    // OIDC Core §3.3.2.11: c_hash with a code, at_hash with an access token.
    if let Some(code) = p.code {
        c.insert(
            "c_hash".into(),
            half_hash(alg, code.as_bytes()).as_str().into(),
        );
    }
    if let Some(at) = p.access_token {
        c.insert(
            "at_hash".into(),
            half_hash(alg, at.as_bytes()).as_str().into(),
        );
    }
    // FAPI 1.0 Part 2 §5.2.2.1: s_hash binds the state.
    if let Some(s) = p.state {
        c.insert(
            "s_hash".into(),
            half_hash(alg, s.as_bytes()).as_str().into(),
        );
    }
    let payload = serde_json::to_vec(&Value::Object(c)).unwrap_or_default();
    key.sign_jws(Some("JWT"), &payload)
}
