//! The provider's authorization endpoint: validation rules, error delivery,
//! session decisions, and what `complete` mints for each response type.

mod op_common;

use oidc_hybrid::UnixTime;
use oidc_hybrid::claims::IdTokenClaims;
use oidc_hybrid::hash::half_hash;
use oidc_hybrid::jose::{Alg, Jws};
use oidc_hybrid::op::{
    AuthorizationResponse, Authorize, OAuthError, ResponseMode, ResponseType, SessionDecision,
    StoreRecord,
};
use op_common::*;

fn redirect_error(a: Authorize) -> oidc_hybrid::op::RedirectError {
    match a {
        Authorize::RedirectError(e) => e,
        other => panic!("expected a redirect error, got {other:?}"),
    }
}

fn error_page(a: Authorize) -> oidc_hybrid::op::ErrorPage {
    match a {
        Authorize::ErrorPage(p) => p,
        other => panic!("expected an error page, got {other:?}"),
    }
}

#[test]
fn unregistered_redirect_uri_gets_a_page_not_a_redirect() {
    for uri in [
        "http://127.0.0.1:9999/cb/",
        "http://127.0.0.1:9999/cb?x=1",
        "https://attacker.example/cb",
        "HTTP://127.0.0.1:9999/cb",
    ] {
        let mut r = Req::new(ResponseType::Code);
        r.redirect_uri = uri.into();
        let page = error_page(r.authorize());
        assert_eq!(page.error, OAuthError::InvalidRequest, "{uri}");
        let http = page.to_http();
        assert_eq!(http.status, 400);
        assert_eq!(http.header_value("location"), None);
        assert!(!http.body.contains("attacker.example"));
    }
    let mut r = Req::new(ResponseType::Code);
    r.redirect_uri = String::new();
    assert_eq!(error_page(r.authorize()).error, OAuthError::InvalidRequest);
}

#[test]
fn unknown_client_gets_a_page() {
    let mut r = Req::new(ResponseType::CodeIdToken);
    r.client_id = "nobody".into();
    assert_eq!(error_page(r.authorize()).error, OAuthError::InvalidClient);
    r.client_id = String::new();
    assert_eq!(error_page(r.authorize()).error, OAuthError::InvalidRequest);
}

#[test]
fn duplicated_parameter_is_invalid_request_on_a_page() {
    let raw = format!("{}&state=again", Req::new(ResponseType::Code).raw());
    let a = oidc_hybrid::op::authorize(&raw, &registry(), &config(), NOW);
    assert_eq!(error_page(a).error, OAuthError::InvalidRequest);
}

#[test]
fn missing_openid_scope_is_redirected_with_state_and_iss() {
    let mut r = Req::new(ResponseType::CodeIdToken);
    r.scope = "profile email".into();
    let e = redirect_error(r.authorize());
    assert_eq!(e.error, OAuthError::InvalidScope);
    // The error goes to the client in the type's default mode (fragment).
    let (mode, p) = response_params(&e.response());
    assert_eq!(mode, ResponseMode::Fragment);
    assert_eq!(get(&p, "error"), Some("invalid_scope"));
    assert_eq!(get(&p, "state"), Some("st-123"));
    assert_eq!(get(&p, "iss"), Some(ISSUER));
    assert!(get(&p, "error_description").is_some());
    assert_eq!(e.to_http().status, 303);
}

#[test]
fn nonce_is_required_when_an_id_token_comes_from_the_front_channel() {
    for rt in [ResponseType::CodeIdToken, ResponseType::CodeIdTokenToken] {
        let mut r = Req::new(rt);
        r.nonce = None;
        let e = redirect_error(r.authorize());
        assert_eq!(e.error, OAuthError::InvalidRequest, "{rt}");
        assert!(e.description.contains("nonce"));
    }
    // code token returns no ID token from the authorization endpoint.
    for rt in [ResponseType::CodeToken, ResponseType::Code] {
        let mut r = Req::new(rt);
        r.nonce = None;
        r.validated();
    }
}

#[test]
fn query_mode_is_refused_for_types_that_return_tokens() {
    for rt in [
        ResponseType::CodeIdToken,
        ResponseType::CodeToken,
        ResponseType::CodeIdTokenToken,
    ] {
        let e = redirect_error(Req::new(rt).mode(ResponseMode::Query).authorize());
        assert_eq!(e.error, OAuthError::InvalidRequest, "{rt}");
        // Delivered in the type's default mode, never in the query.
        assert_eq!(e.mode, ResponseMode::Fragment);
    }
    Req::new(ResponseType::Code)
        .mode(ResponseMode::Query)
        .validated();
}

#[test]
fn unsupported_and_unregistered_response_types() {
    for bad in ["token", "id_token", "id_token token", "code foo", "none"] {
        let mut r = Req::new(ResponseType::Code);
        r.response_type = bad.into();
        let e = redirect_error(r.authorize());
        assert_eq!(e.error, OAuthError::UnsupportedResponseType, "{bad}");
    }
    let mut r = Req::new(ResponseType::CodeIdToken);
    r.client_id = OTHER_ID.into();
    assert_eq!(
        redirect_error(r.authorize()).error,
        OAuthError::UnauthorizedClient
    );
    // Order of the values does not matter.
    let mut r = Req::new(ResponseType::Code);
    r.response_type = "id_token code".into();
    assert_eq!(r.validated().response_type(), ResponseType::CodeIdToken);
}

#[test]
fn pkce_s256_is_required() {
    let mut r = Req::new(ResponseType::Code);
    r.challenge = None;
    assert_eq!(
        redirect_error(r.authorize()).error,
        OAuthError::InvalidRequest
    );
    let mut r = Req::new(ResponseType::Code);
    r.method = None; // absent means plain
    assert_eq!(
        redirect_error(r.authorize()).error,
        OAuthError::InvalidRequest
    );
    let mut r = Req::new(ResponseType::Code);
    r.method = Some("plain".into());
    r.challenge = Some(VERIFIER.into());
    assert_eq!(
        redirect_error(r.authorize()).error,
        OAuthError::InvalidRequest
    );
}

#[test]
fn request_objects_and_bad_prompt_or_max_age() {
    let e = redirect_error(
        Req::new(ResponseType::Code)
            .with("request", "x.y.z")
            .authorize(),
    );
    assert_eq!(e.error, OAuthError::RequestNotSupported);
    let e = redirect_error(
        Req::new(ResponseType::Code)
            .with("request_uri", "https://x")
            .authorize(),
    );
    assert_eq!(e.error, OAuthError::RequestUriNotSupported);
    let e = redirect_error(
        Req::new(ResponseType::Code)
            .with("prompt", "none login")
            .authorize(),
    );
    assert_eq!(e.error, OAuthError::InvalidRequest);
    let e = redirect_error(
        Req::new(ResponseType::Code)
            .with("max_age", "-1")
            .authorize(),
    );
    assert_eq!(e.error, OAuthError::InvalidRequest);
    let e = redirect_error(
        Req::new(ResponseType::Code)
            .mode(ResponseMode::FormPost)
            .with("response_mode_x", "1")
            .with("prompt", "bogus")
            .authorize(),
    );
    assert_eq!(e.mode, ResponseMode::FormPost);
}

#[test]
fn prompt_none_without_a_session_is_login_required() {
    let req = Req::new(ResponseType::CodeIdToken)
        .with("prompt", "none")
        .validated();
    match req.clone().check_session(None, NOW) {
        SessionDecision::Deny(e) => {
            assert_eq!(e.error, OAuthError::LoginRequired);
            let (mode, p) = response_params(&e.response());
            assert_eq!(mode, ResponseMode::Fragment);
            assert_eq!(get(&p, "error"), Some("login_required"));
            assert_eq!(get(&p, "state"), Some("st-123"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        req.check_session(Some(&subject()), NOW),
        SessionDecision::Proceed(_)
    ));
    // Without prompt=none, no session means the login page.
    let req = Req::new(ResponseType::Code).validated();
    assert!(matches!(
        req.check_session(None, NOW),
        SessionDecision::Login(_)
    ));
}

#[test]
fn max_age_forces_reauthentication_and_auth_time() {
    let old = oidc_hybrid_harness::server::demo_subject(UnixTime(NOW.0 - 100));
    let req = Req::new(ResponseType::CodeIdToken)
        .with("max_age", "60")
        .validated();
    assert!(matches!(
        req.clone().check_session(Some(&old), NOW),
        SessionDecision::Login(_)
    ));
    let req = Req::new(ResponseType::CodeIdToken)
        .with("max_age", "60")
        .with("prompt", "none")
        .validated();
    assert!(matches!(
        req.check_session(Some(&old), NOW),
        SessionDecision::Deny(_)
    ));

    // auth_time is in the ID token when max_age was sent, and only then.
    let keys = keys();
    let with = complete_req(
        &Req::new(ResponseType::CodeIdToken).with("max_age", "600"),
        &keys,
    );
    let (_, p) = response_params(&with.response);
    let jws = Jws::parse(get(&p, "id_token").unwrap()).unwrap();
    let claims = IdTokenClaims::parse(jws.payload()).unwrap();
    assert_eq!(claims.auth_time, Some(subject().auth_time));
    let without = complete_req(&Req::new(ResponseType::CodeIdToken), &keys);
    let (_, p) = response_params(&without.response);
    let jws = Jws::parse(get(&p, "id_token").unwrap()).unwrap();
    assert_eq!(IdTokenClaims::parse(jws.payload()).unwrap().auth_time, None);
}

#[test]
fn every_type_and_mode_carries_what_it_must() {
    let keys = keys();
    let jwks = provider_jwks(&keys);
    for rt in ResponseType::ALL {
        let modes: &[ResponseMode] = if rt == ResponseType::Code {
            &ResponseMode::ALL
        } else {
            &[ResponseMode::Fragment, ResponseMode::FormPost]
        };
        for &mode in modes {
            let done = complete_req(&Req::new(rt).mode(mode), &keys);
            let (got_mode, p) = response_params(&done.response);
            assert_eq!(got_mode, mode, "{rt} {mode}");
            let code = get(&p, "code").expect("code");
            // RFC 9207: iss in every response; the state comes back.
            assert_eq!(get(&p, "iss"), Some(ISSUER));
            assert_eq!(get(&p, "state"), Some("st-123"));
            // >= 128 bits: 43 base64url characters (256 bits).
            assert!(code.len() >= 22);
            let at = get(&p, "access_token");
            assert_eq!(at.is_some(), rt.returns_access_token(), "{rt}");
            if let Some(at) = at {
                assert_eq!(get(&p, "token_type"), Some("Bearer"));
                assert_eq!(get(&p, "expires_in"), Some("3600"));
                assert_ne!(at, code);
            }
            match get(&p, "id_token") {
                None => assert!(!rt.returns_id_token()),
                Some(t) => {
                    assert!(rt.returns_id_token());
                    let id = check_id_token(
                        t,
                        &jwks,
                        Some("n-456"),
                        Some(code),
                        at,
                        Some("st-123"),
                        true,
                        NOW,
                    );
                    assert_eq!(id.sub, "alice");
                    assert_eq!(id.iss, ISSUER);
                    // c_hash always, at_hash with a token, s_hash with the state.
                    let c = &id.claims;
                    assert_eq!(c["c_hash"], half_hash(Alg::ES256, code.as_bytes()).as_str());
                    assert_eq!(c["s_hash"], half_hash(Alg::ES256, b"st-123").as_str());
                    assert_eq!(c.get("at_hash").is_some(), at.is_some());
                }
            }
            // The records: a code grant (and an access grant with a token),
            // keyed by the hash of the secret, never the secret.
            let rec = code_record(&done);
            assert_eq!(rec.key(), &oidc_hybrid::op::StoreKey::of(code));
            assert!(!serde_json::to_string(&done.records).unwrap().contains(code));
            assert_eq!(
                done.records
                    .iter()
                    .filter(|r| matches!(r, StoreRecord::Access { .. }))
                    .count(),
                usize::from(rt.returns_access_token())
            );
        }
    }
}

#[test]
fn hostile_state_is_escaped_in_form_post() {
    let mut r = Req::new(ResponseType::CodeIdToken).mode(ResponseMode::FormPost);
    r.state = Some("\"><script>alert(document.cookie)</script>".into());
    let done = complete_req(&r, &keys());
    let AuthorizationResponse::FormPost { html } = &done.response else {
        panic!("form_post expected");
    };
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&quot;&gt;&lt;script&gt;alert(document.cookie)&lt;/script&gt;"));
    // The client still receives the exact state once the page is parsed.
    let (_, p) = response_params(&done.response);
    assert_eq!(get(&p, "state"), r.state.as_deref());
    let http = done.response.to_http();
    assert_eq!(http.header_value("cache-control"), Some("no-store"));
    assert_eq!(http.header_value("pragma"), Some("no-cache"));
    // An error redirect in form_post is escaped too.
    let mut bad = r.clone();
    bad.scope = "email".into();
    let e = redirect_error(bad.authorize());
    let page = e.to_http().body;
    assert!(!page.contains("<script>alert"));
}

#[test]
fn offline_access_needs_prompt_consent_in_the_scope() {
    let mut r = Req::new(ResponseType::Code);
    r.scope = "openid offline_access unknown".into();
    assert_eq!(r.validated().scope(), "openid");
    let r = r.with("prompt", "consent");
    assert_eq!(r.validated().scope(), "openid offline_access");
}

#[test]
fn authorization_request_parks_as_json() {
    let req = Req::new(ResponseType::CodeIdTokenToken).validated();
    let json = serde_json::to_string(&req).unwrap();
    let back: oidc_hybrid::op::AuthzRequest = serde_json::from_str(&json).unwrap();
    assert_eq!(back, req);
}

#[test]
fn entropy_must_be_long_enough() {
    let e = oidc_hybrid::op::Entropy::new(&[1u8; 16]).unwrap_err();
    assert_eq!(e.code(), "insufficient_entropy");
}
