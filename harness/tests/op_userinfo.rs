//! The provider's UserInfo endpoint, discovery document and JWKS.

mod op_common;

use oidc_hybrid::UnixTime;
use oidc_hybrid::jose::{Alg, SigningKey};
use oidc_hybrid::op::{
    AccessGrant, KeySet, OAuthError, UserInfoRequest, discovery_json, discovery_response,
    jwks_response,
};
use op_common::*;
use serde_json::Value;

fn grant(scope: &str) -> AccessGrant {
    let s = subject();
    AccessGrant {
        grant_id: serde_json::from_str("\"g\"").unwrap(),
        client_id: CLIENT_ID.into(),
        sub: s.sub.clone(),
        scope: scope.into(),
        claims: oidc_hybrid::op::scope::released_claims(scope, &s.claims),
        expires_at: UnixTime(NOW.0 + 60),
    }
}

#[test]
fn bearer_header_or_form_body() {
    let h = UserInfoRequest::parse(Some("Bearer abc.DEF-_~+/="), None).unwrap();
    assert_eq!(h.key(), &oidc_hybrid::op::StoreKey::of("abc.DEF-_~+/="));
    let b = UserInfoRequest::parse(None, Some("access_token=abc.DEF-_~%2B%2F%3D")).unwrap();
    assert_eq!(b.key(), h.key());
    // Case-insensitive scheme.
    assert!(UserInfoRequest::parse(Some("bearer abc"), None).is_ok());
}

#[test]
fn rfc6750_errors() {
    // No credentials: 401, a bare challenge, no error code (RFC 6750 §3.1).
    let e = UserInfoRequest::parse(None, None).unwrap_err();
    assert_eq!((e.status, e.error), (401, None));
    assert_eq!(e.to_http().header_value("www-authenticate"), Some("Bearer"));
    // Two methods: invalid_request.
    let e = UserInfoRequest::parse(Some("Bearer a"), Some("access_token=a")).unwrap_err();
    assert_eq!((e.status, e.error), (400, Some(OAuthError::InvalidRequest)));
    // Malformed token.
    let e = UserInfoRequest::parse(Some("Bearer a b"), None).unwrap_err();
    assert_eq!(e.error, Some(OAuthError::InvalidRequest));
    // Unknown (or revoked) and expired tokens: 401 invalid_token.
    let r = || UserInfoRequest::parse(Some("Bearer tok"), None).unwrap();
    let e = r().respond(None, NOW).unwrap_err();
    assert_eq!((e.status, e.error), (401, Some(OAuthError::InvalidToken)));
    let http = e.to_http();
    assert!(
        http.header_value("www-authenticate")
            .unwrap()
            .starts_with("Bearer error=\"invalid_token\"")
    );
    let e = r()
        .respond(Some(grant("openid")), UnixTime(NOW.0 + 60))
        .unwrap_err();
    assert_eq!(e.error, Some(OAuthError::InvalidToken));
    // A token without openid: 403 insufficient_scope.
    let e = r().respond(Some(grant("profile")), NOW).unwrap_err();
    assert_eq!(
        (e.status, e.error),
        (403, Some(OAuthError::InsufficientScope))
    );
}

#[test]
fn claims_follow_the_scope() {
    let r = || UserInfoRequest::parse(Some("Bearer tok"), None).unwrap();
    let body: Value =
        serde_json::from_str(&r().respond(Some(grant("openid email")), NOW).unwrap().body).unwrap();
    assert_eq!(body["sub"], "alice");
    assert_eq!(body["email"], "alice@example.org");
    assert!(body.get("name").is_none());
    let body: Value = serde_json::from_str(
        &r().respond(Some(grant("openid profile")), NOW)
            .unwrap()
            .body,
    )
    .unwrap();
    assert_eq!(body["name"], "Alice Example");
    assert!(body.get("email").is_none());
}

#[test]
fn discovery_document() {
    let keys = keys();
    let d: Value = serde_json::from_str(&discovery_json(&config(), &keys)).unwrap();
    assert_eq!(d["issuer"], ISSUER);
    assert_eq!(d["authorization_response_iss_parameter_supported"], true);
    assert_eq!(
        d["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(
        d["response_types_supported"],
        serde_json::json!(["code", "code id_token", "code token", "code id_token token"])
    );
    assert_eq!(
        d["response_modes_supported"],
        serde_json::json!(["query", "fragment", "form_post"])
    );
    assert_eq!(
        d["id_token_signing_alg_values_supported"],
        serde_json::json!(["ES256"])
    );
    assert_eq!(
        d["token_endpoint_auth_methods_supported"],
        serde_json::json!([
            "client_secret_basic",
            "client_secret_post",
            "private_key_jwt"
        ])
    );
    assert_eq!(d["request_uri_parameter_supported"], false);
    for k in [
        "jwks_uri",
        "userinfo_endpoint",
        "token_endpoint",
        "authorization_endpoint",
    ] {
        assert!(d[k].as_str().unwrap().starts_with(ISSUER), "{k}");
    }
    for k in [
        "grant_types_supported",
        "scopes_supported",
        "claims_supported",
        "subject_types_supported",
    ] {
        assert!(d[k].as_array().is_some_and(|a| !a.is_empty()), "{k}");
    }
    assert_eq!(discovery_response(&config(), &keys).status, 200);
}

#[test]
fn jwks_publishes_every_key_public_only_with_thumbprint_kids() {
    let active = oidc_hybrid_harness::fixtures::fixture_signing_key();
    let next = SigningKey::es256_from_bytes(&[5u8; 32])
        .unwrap()
        .with_kid("my-own-kid");
    let mut ks = KeySet::new(active.clone());
    ks.publish(next.clone());
    let http = jwks_response(&ks);
    assert_eq!(
        http.header_value("content-type"),
        Some("application/jwk-set+json")
    );
    let doc: Value = serde_json::from_str(&http.body).unwrap();
    let list = doc["keys"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    for (jwk, key) in list.iter().zip([&active, &next]) {
        assert!(jwk.get("d").is_none());
        assert_eq!(jwk["kid"], key.public_key().thumbprint().as_str());
        assert_eq!(jwk["use"], "sig");
        assert_eq!(jwk["alg"], "ES256");
    }
    // The fixture kid is the thumbprint the certified provider published.
    assert_eq!(
        list[0]["kid"],
        "duI-97a3IVuG_Xx4WTx1Xce1y5pwN84hfqNjGauqZnY"
    );
    // Rotation: a token signed by the new active key verifies with the set.
    ks.activate(&next.public_key().thumbprint()).unwrap();
    assert_eq!(
        ks.active_for(Alg::ES256).unwrap().public_key(),
        next.public_key()
    );
}
