//! The authenticated end-user, as the caller hands it to the core.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::claims::UnixTime;

/// Who logged in and how. The caller authenticates the user (that is UI,
/// not protocol) and describes the result here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    /// The subject identifier (`sub`), stable and never reassigned
    /// (OIDC Core §2).
    pub sub: String,
    /// When the user authenticated (`auth_time`).
    pub auth_time: UnixTime,
    /// The authentication context class, if any (`acr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acr: Option<String>,
    /// Authentication methods (`amr`), e.g. `["pwd"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amr: Vec<String>,
    /// The user's claims (`name`, `email`, …), released by scope at the
    /// UserInfo endpoint (OIDC Core §5.4).
    #[serde(default)]
    pub claims: serde_json::Map<String, serde_json::Value>,
}

impl Subject {
    /// A subject with no `acr`, `amr` or claims.
    pub fn new(sub: &str, auth_time: UnixTime) -> Self {
        Self {
            sub: sub.into(),
            auth_time,
            acr: None,
            amr: Vec::new(),
            claims: serde_json::Map::new(),
        }
    }
}
