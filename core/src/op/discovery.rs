//! The provider metadata document served at
//! `/.well-known/openid-configuration` (OIDC Discovery §3, §4.2;
//! RFC 9207 §3; RFC 7636 §6.2; RFC 8414 §2).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Value, json};

use super::config::ProviderConfig;
use super::http::HttpResponse;
use super::keys::KeySet;
use super::registry::{AuthMethod, GrantType};
use super::response_type::{ResponseMode, ResponseType};

/// The discovery JSON for `config`, with the signing algorithms of the
/// active keys.
pub fn discovery_json(config: &ProviderConfig, keys: &KeySet) -> String {
    let algs: Vec<&str> = keys.algs().iter().map(|a| a.as_str()).collect();
    let doc: Value = json!({
        // OIDC Discovery §4.3: issuer identical to the URL it is served under.
        "issuer": config.issuer,
        "authorization_endpoint": config.authorization_endpoint,
        "token_endpoint": config.token_endpoint,
        "userinfo_endpoint": config.userinfo_endpoint,
        "jwks_uri": config.jwks_uri,
        "scopes_supported": config.scopes_supported,
        "claims_supported": config.claims_supported,
        "response_types_supported": ResponseType::ALL.map(ResponseType::as_str),
        "response_modes_supported": ResponseMode::ALL.map(ResponseMode::as_str),
        "grant_types_supported": GrantType::ALL.map(GrantType::as_str),
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": algs,
        "token_endpoint_auth_methods_supported": AuthMethod::ALL.map(AuthMethod::as_str),
        "token_endpoint_auth_signing_alg_values_supported": ["ES256"],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": true,
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        // Its default is true (OIDC Discovery §3): say no explicitly.
        "request_uri_parameter_supported": false,
    });
    doc.to_string()
}

/// The discovery document as an HTTP response.
pub fn discovery_response(config: &ProviderConfig, keys: &KeySet) -> HttpResponse {
    HttpResponse::json(200, discovery_json(config, keys))
        .header("Cache-Control", "public, max-age=300")
}
