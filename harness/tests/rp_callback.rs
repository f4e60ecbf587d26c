//! The relying party's callback step: every type × mode accepted, error
//! responses in each mode, JWKS refetch signalling, and the rules whose
//! outcome depends on the response type.

mod rp_common;

use oidc_hybrid::UnixTime;
use oidc_hybrid::jose::{Jwks, SigningKey};
use oidc_hybrid::rp::{CallbackOutcome, PendingAuth, ResponseMode, ResponseType};
use rp_common::{Flow, ISSUER, TestOp, code_of, type_modes};
use serde_json::json;

#[test]
fn every_type_and_mode_is_accepted_end_to_end() {
    let op = TestOp::new();
    for (t, m) in type_modes() {
        let flow = Flow::new(&op, t, m);
        let session = flow.run(&op).unwrap_or_else(|e| panic!("{t} {m}: {e}"));
        assert_eq!(session.sub(), "alice");
        assert_eq!(
            session.access_token().secret(),
            "refreshed-at-tGzv3JOkF0XG5Qx2TlKWIA"
        );
        // The refresh response had no refresh token: the old one stays.
        assert_eq!(
            session.refresh_token().map(|r| r.secret()),
            Some("rt-tGzv3JOkF0XG5Qx2TlKWIA")
        );
        assert_eq!(session.expires_at(), Some(UnixTime(flow.now + 3600)));
    }
}

#[test]
fn front_channel_values_are_exposed() {
    let op = TestOp::new();
    let flow = Flow::new(&op, ResponseType::CodeIdTokenToken, ResponseMode::FormPost);
    let cb = flow.callback(&op).unwrap();
    assert_eq!(cb.code().secret(), "SplxlOBeZQQYbYS6WxSbIA");
    assert_eq!(cb.id_token().unwrap().sub, "alice");
    let front = cb.front_channel_token().unwrap();
    assert_eq!(
        front.access_token.secret(),
        "front-at-2YotnFZFEjr1zCsicMWpAA"
    );
    assert_eq!(front.expires_at, Some(UnixTime(flow.now + 3600)));
    // Debug never shows the code or the tokens.
    let debug = format!("{cb:?}");
    assert!(!debug.contains("SplxlOBeZQQYbYS6WxSbIA"), "{debug}");
    assert!(
        !debug.contains("front-at-2YotnFZFEjr1zCsicMWpAA"),
        "{debug}"
    );
    // The state is storable between requests.
    let stored = serde_json::to_string(&cb).unwrap();
    let back: oidc_hybrid::rp::Callback = serde_json::from_str(&stored).unwrap();
    assert_eq!(back, cb);
}

#[test]
fn error_responses_are_typed_in_every_mode() {
    let op = TestOp::new();
    for (t, m) in [
        (ResponseType::Code, ResponseMode::Query),
        (ResponseType::CodeIdToken, ResponseMode::Fragment),
        (ResponseType::CodeIdTokenToken, ResponseMode::FormPost),
    ] {
        let mut flow = Flow::new(&op, t, m);
        let state = flow.state();
        flow.front_claims = None;
        flow.params = vec![
            ("error".into(), "access_denied".into()),
            (
                "error_description".into(),
                "the user said \"no\" & left".into(),
            ),
            ("error_uri".into(), "https://op.example/errors?id=1".into()),
            ("state".into(), state),
            ("iss".into(), ISSUER.into()),
        ];
        let e = flow.callback(&op).unwrap_err();
        assert_eq!(e.code(), "provider_error", "{m}");
        let body = e.provider_error().expect("the provider's error");
        assert_eq!(body.error, "access_denied");
        assert_eq!(
            body.description.as_deref(),
            Some("the user said \"no\" & left")
        );
        assert_eq!(body.uri.as_deref(), Some("https://op.example/errors?id=1"));
    }
}

#[test]
fn error_responses_are_checked_for_mix_up() {
    // RFC 9207 §2.4: an error response from another issuer is refused as
    // such, not surfaced as if our provider had sent it.
    let op = TestOp::new();
    let mut flow = Flow::new(&op, ResponseType::CodeIdToken, ResponseMode::FormPost);
    let state = flow.state();
    flow.front_claims = None;
    flow.params = vec![
        ("error".into(), "access_denied".into()),
        ("state".into(), state.clone()),
        ("iss".into(), "https://evil.example".into()),
    ];
    assert_eq!(code_of(&flow.callback(&op)), "iss_param_mismatch");
    // Our provider's error, delivered in another mode than requested (a
    // provider that cannot honour the mode answers in the default one): the
    // provider's error is what the user needs to see.
    flow.params = vec![
        ("error".into(), "invalid_request".into()),
        ("state".into(), state.clone()),
        ("iss".into(), ISSUER.into()),
    ];
    flow.arrived = ResponseMode::Query;
    assert_eq!(code_of(&flow.callback(&op)), "provider_error");
    // Without iss (the metadata says it is sent): the login fails as the
    // provider's error; the error is what the user needs to see.
    flow.arrived = ResponseMode::FormPost;
    flow.params = vec![
        ("error".into(), "access_denied".into()),
        ("state".into(), state),
    ];
    assert_eq!(code_of(&flow.callback(&op)), "provider_error");
}

#[test]
fn error_responses_come_after_the_state_check() {
    let op = TestOp::new();
    let mut flow = Flow::new(&op, ResponseType::Code, ResponseMode::Query);
    flow.params = vec![
        ("error".into(), "access_denied".into()),
        ("state".into(), "someone-elses-state".into()),
    ];
    assert_eq!(code_of(&flow.callback(&op)), "state_mismatch");
    flow.params = vec![("error".into(), "access_denied".into())];
    assert_eq!(code_of(&flow.callback(&op)), "missing_parameter");
}

#[test]
fn unknown_kid_asks_for_one_refetch() {
    let op = TestOp::new();
    let rotated = SigningKey::es256_from_bytes(&[9u8; 32])
        .unwrap()
        .with_kid("rotated");
    let mut flow = Flow::new(&op, ResponseType::CodeIdToken, ResponseMode::Fragment);
    let claims = flow.front_claims.clone().unwrap();
    flow.front_token_override = Some(oidc_hybrid_harness::fixtures::sign_raw(
        &json!({"alg": "ES256", "kid": "rotated"}),
        &claims,
        &rotated,
    ));
    let raw = flow.raw(&op);
    let now = UnixTime(flow.now);

    // 1. The old JWKS: not an error, a request to refetch.
    let outcome = flow
        .pending
        .clone()
        .callback(&raw, flow.mode, now, &op.ctx())
        .unwrap();
    let CallbackOutcome::RefetchJwks(pending) = outcome else {
        panic!("expected RefetchJwks, got {outcome:?}");
    };
    assert!(pending.jwks_refetched());
    // The marked state survives storage.
    let pending: PendingAuth =
        serde_json::from_str(&serde_json::to_string(&pending).unwrap()).unwrap();

    // 2a. The refetched JWKS has the new key: validated.
    let new_jwks = Jwks::from_keys(vec![op.key.public_jwk(), rotated.public_jwk()]);
    let ctx = oidc_hybrid::rp::Context::new(&op.client, &op.metadata, &new_jwks);
    assert!(matches!(
        pending
            .clone()
            .callback(&raw, flow.mode, now, &ctx)
            .unwrap(),
        CallbackOutcome::Validated(_)
    ));
    // 2b. Still unknown after the refetch: now an error.
    let e = pending
        .callback(&raw, flow.mode, now, &op.ctx())
        .unwrap_err();
    assert_eq!(e.code(), "unknown_kid");
}

#[test]
fn iss_parameter_rules_follow_the_response_type() {
    let op = TestOp::new();
    // Without an ID token the iss parameter is required (the metadata says it is sent).
    for t in [ResponseType::Code, ResponseType::CodeToken] {
        let mut flow = Flow::new(&op, t, ResponseMode::FormPost);
        flow.remove_param("iss");
        assert_eq!(code_of(&flow.callback(&op)), "iss_param_missing", "{t}");
        // ...unless the provider does not say it sends it.
        let mut op2 = TestOp::new();
        op2.metadata = op2.metadata.clone().with_iss_parameter_supported(false);
        let mut flow = Flow::new(&op2, t, ResponseMode::FormPost);
        flow.remove_param("iss");
        assert_eq!(code_of(&flow.callback(&op2)), "ok", "{t}");
    }
    // With an ID token it is optional, but checked when present.
    for t in [ResponseType::CodeIdToken, ResponseType::CodeIdTokenToken] {
        let mut flow = Flow::new(&op, t, ResponseMode::Fragment);
        assert_eq!(code_of(&flow.callback(&op)), "ok", "{t}");
        flow.set_param("iss", ISSUER);
        assert_eq!(code_of(&flow.callback(&op)), "ok", "{t}");
        flow.set_param("iss", "https://op.example/");
        assert_eq!(code_of(&flow.callback(&op)), "iss_param_mismatch", "{t}");
    }
}

#[test]
fn required_parameters_per_type() {
    let op = TestOp::new();
    for (t, m) in type_modes() {
        let mut flow = Flow::new(&op, t, m);
        flow.remove_param("code");
        assert_eq!(
            code_of(&flow.callback(&op)),
            "missing_parameter",
            "{t} code"
        );
        if t.returns_id_token() {
            let mut flow = Flow::new(&op, t, m);
            flow.front_claims = None;
            flow.set_param("iss", ISSUER);
            assert_eq!(
                code_of(&flow.callback(&op)),
                "missing_parameter",
                "{t} id_token"
            );
        }
        if t.returns_access_token() {
            let mut flow = Flow::new(&op, t, m);
            flow.remove_param("access_token");
            assert_eq!(code_of(&flow.callback(&op)), "missing_parameter", "{t} at");
            let mut flow = Flow::new(&op, t, m);
            flow.remove_param("token_type");
            assert_eq!(code_of(&flow.callback(&op)), "token_type_missing", "{t}");
            flow.set_param("token_type", "bEARER");
            assert_eq!(code_of(&flow.callback(&op)), "ok", "{t} case-insensitive");
            flow.set_param("token_type", "DPoP");
            assert_eq!(code_of(&flow.callback(&op)), "token_type_invalid", "{t}");
        }
    }
}

#[test]
fn hashes_are_required_as_the_type_says() {
    let op = TestOp::new();
    // c_hash: required whenever the front channel has an ID token (a code always comes).
    for t in [ResponseType::CodeIdToken, ResponseType::CodeIdTokenToken] {
        let mut flow = Flow::new(&op, t, ResponseMode::Fragment);
        flow.front_claims
            .as_mut()
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove("c_hash");
        assert_eq!(code_of(&flow.callback(&op)), "c_hash_missing", "{t}");
        // s_hash is optional...
        let mut flow = Flow::new(&op, t, ResponseMode::Fragment);
        flow.front_claims
            .as_mut()
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove("s_hash");
        assert_eq!(code_of(&flow.callback(&op)), "ok", "{t}");
    }
    // at_hash: required with a front-channel access token, ignored without one.
    let mut flow = Flow::new(&op, ResponseType::CodeIdTokenToken, ResponseMode::Fragment);
    flow.front_claims
        .as_mut()
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove("at_hash");
    assert_eq!(code_of(&flow.callback(&op)), "at_hash_missing");
    let mut flow = Flow::new(&op, ResponseType::CodeIdToken, ResponseMode::Fragment);
    flow.front_claims.as_mut().unwrap()["at_hash"] = "AAAAAAAAAAAAAAAAAAAAAA".into();
    assert_eq!(
        code_of(&flow.callback(&op)),
        "ok",
        "nothing to compare it with"
    );
}

#[test]
fn the_response_must_arrive_in_the_requested_mode() {
    let op = TestOp::new();
    let mut flow = Flow::new(&op, ResponseType::CodeIdToken, ResponseMode::FormPost);
    flow.arrived = ResponseMode::Query;
    assert_eq!(code_of(&flow.callback(&op)), "unexpected_response");
    flow.arrived = ResponseMode::Fragment;
    assert_eq!(code_of(&flow.callback(&op)), "unexpected_response");
}

#[test]
fn a_leading_question_mark_or_hash_is_tolerated() {
    let op = TestOp::new();
    let flow = Flow::new(&op, ResponseType::CodeIdToken, ResponseMode::Fragment);
    let raw = format!("#{}", flow.raw(&op));
    let out = flow
        .pending
        .clone()
        .callback(&raw, flow.mode, UnixTime(flow.now), &op.ctx())
        .unwrap();
    assert!(matches!(out, CallbackOutcome::Validated(_)));
}

#[test]
fn the_clock_and_leeway_are_the_callers() {
    let lenient = TestOp::with_client(TestOp::new().client.with_leeway(60));
    let strict = TestOp::new();
    let mut flow = Flow::new(&strict, ResponseType::CodeIdToken, ResponseMode::Fragment);
    // Expired 30 s ago: outside a zero leeway, inside a 60 s one.
    flow.now += 3600 + 30;
    assert_eq!(code_of(&flow.callback(&strict)), "expired");
    assert_eq!(code_of(&flow.callback(&lenient)), "ok");
    // Issued 30 s in the future.
    let mut flow = Flow::new(&strict, ResponseType::CodeIdToken, ResponseMode::Fragment);
    flow.now -= 30;
    assert_eq!(code_of(&flow.callback(&strict)), "iat_in_future");
    assert_eq!(code_of(&flow.callback(&lenient)), "ok");
}

#[test]
fn max_age_requires_a_recent_auth_time() {
    let op = TestOp::new();
    let flow = Flow::new(&op, ResponseType::CodeIdToken, ResponseMode::Fragment);
    let state = flow.state();
    let nonce = flow.pending.nonce().secret().to_owned();
    let verifier = flow.pending.code_verifier().secret().to_owned();
    let with_max_age = |flow: &Flow| {
        let mut f = flow.clone();
        f.pending = PendingAuth::from_parts(
            &state,
            &nonce,
            &verifier,
            ResponseType::CodeIdToken,
            Some(ResponseMode::Fragment),
            Some(300),
        )
        .unwrap();
        f
    };
    assert_eq!(
        code_of(&with_max_age(&flow).callback(&op)),
        "auth_time_missing"
    );
    let mut recent = flow.clone();
    recent.front_claims.as_mut().unwrap()["auth_time"] = (flow.now - 200).into();
    assert_eq!(code_of(&with_max_age(&recent).callback(&op)), "ok");
    let mut old = flow.clone();
    old.front_claims.as_mut().unwrap()["auth_time"] = (flow.now - 400).into();
    assert_eq!(
        code_of(&with_max_age(&old).callback(&op)),
        "max_age_exceeded"
    );
}

#[test]
fn trusted_audiences_and_azp() {
    let trusting = TestOp::with_client(TestOp::new().client.with_trusted_audiences(&["api-1"]));
    let op = TestOp::new();
    let mut flow = Flow::new(&op, ResponseType::CodeIdToken, ResponseMode::Fragment);
    flow.front_claims.as_mut().unwrap()["aud"] = json!(["client-1", "api-1"]);
    assert_eq!(code_of(&flow.callback(&trusting)), "azp_missing");
    flow.front_claims.as_mut().unwrap()["azp"] = "client-1".into();
    assert_eq!(code_of(&flow.callback(&trusting)), "ok");
    assert_eq!(
        code_of(&flow.callback(&op)),
        "invalid_audience",
        "api-1 is not trusted here"
    );
    flow.front_claims.as_mut().unwrap()["azp"] = "api-1".into();
    assert_eq!(code_of(&flow.callback(&trusting)), "azp_mismatch");
}
