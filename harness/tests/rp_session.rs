//! The token response, the refresh (OIDC Core §12.2) and UserInfo
//! (§5.3.2) rules of the relying party.

mod rp_common;

use oidc_hybrid::UnixTime;
use oidc_hybrid::rp::{Method, ResponseMode, ResponseType, Session};
use rp_common::{Flow, TestOp, code_of, hash};
use serde_json::json;

fn session(op: &TestOp, t: ResponseType) -> (Flow, Session) {
    let flow = Flow::new(op, t, t.default_mode());
    let s = flow.session(op).expect("a session");
    (flow, s)
}

fn refresh(op: &TestOp, flow: &Flow, s: &Session) -> Result<Session, oidc_hybrid::Error> {
    s.refresh_response(
        &op.ctx(),
        200,
        "application/json",
        &flow.refresh_body(op),
        UnixTime(flow.now),
    )
}

fn userinfo(
    s: &Session,
    body: serde_json::Value,
) -> Result<oidc_hybrid::rp::UserInfo, oidc_hybrid::Error> {
    s.userinfo_response(200, "application/json", &serde_json::to_vec(&body).unwrap())
}

// ---- the token response ----

#[test]
fn token_response_id_token_rules() {
    let op = TestOp::new();
    for t in ResponseType::ALL {
        let base = Flow::new(&op, t, t.default_mode());
        // OIDC Core §3.3.3.3: the ID token is required.
        let mut f = base.clone();
        f.token_claims = None;
        assert_eq!(code_of(&f.session(&op)), "missing_parameter", "{t}");
        // §3.3.3.8: at_hash optional at the token endpoint, checked when present.
        let mut f = base.clone();
        f.token_claims
            .as_mut()
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove("at_hash");
        assert_eq!(code_of(&f.session(&op)), "ok", "{t}");
        f.token_claims.as_mut().unwrap()["at_hash"] = hash("another-token").into();
        assert_eq!(code_of(&f.session(&op)), "at_hash_mismatch", "{t}");
        // The nonce sent is required here too (§3.1.3.7 step 11).
        let mut f = base.clone();
        f.token_claims
            .as_mut()
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove("nonce");
        assert_eq!(code_of(&f.session(&op)), "nonce_missing", "{t}");
        // §3.3.3.6: same sub as the front channel (only hybrid types have one).
        let mut f = base.clone();
        f.token_claims.as_mut().unwrap()["sub"] = "mallory".into();
        let want = if t.returns_id_token() {
            "sub_mismatch"
        } else {
            "ok"
        };
        assert_eq!(code_of(&f.session(&op)), want, "{t}");
    }
}

#[test]
fn token_response_shape_rules() {
    let op = TestOp::new();
    let base = Flow::new(&op, ResponseType::CodeIdToken, ResponseMode::FormPost);
    let mut f = base.clone();
    f.token_json["token_type"] = "bearer".into();
    assert_eq!(code_of(&f.session(&op)), "ok");
    f.token_json["token_type"] = "MAC".into();
    assert_eq!(code_of(&f.session(&op)), "token_type_invalid");
    f.token_json.as_object_mut().unwrap().remove("token_type");
    assert_eq!(code_of(&f.session(&op)), "token_type_missing");

    let mut f = base.clone();
    f.token_status = 400;
    f.token_claims = None;
    f.token_json = json!({"error": "invalid_grant", "error_description": "code used"});
    let e = f.session(&op).unwrap_err();
    assert_eq!(e.code(), "provider_error");
    assert_eq!(e.provider_error().unwrap().error, "invalid_grant");

    let mut f = base.clone();
    f.token_content_type = "text/html".into();
    assert_eq!(code_of(&f.session(&op)), "unexpected_response");

    let mut f = base.clone();
    f.token_json.as_object_mut().unwrap().remove("expires_in");
    let s = f.session(&op).unwrap();
    assert_eq!(s.expires_at(), None);
    assert!(!s.access_token_expired(UnixTime(u64::MAX)));
    let (flow, s) = session(&op, ResponseType::Code);
    assert_eq!(s.expires_at(), Some(UnixTime(flow.now + 3600)));
    assert!(s.access_token_expired(UnixTime(flow.now + 3600)));
    assert!(!s.access_token_expired(UnixTime(flow.now + 3599)));
}

// ---- refresh: OIDC Core §12.2 ----

#[test]
fn refresh_request_carries_the_refresh_token() {
    let op = TestOp::new();
    let (_, s) = session(&op, ResponseType::CodeIdToken);
    let req = s.refresh_request(&op.ctx(), None).unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, "https://op.example/token");
    assert_eq!(
        req.body,
        "grant_type=refresh_token&refresh_token=rt-tGzv3JOkF0XG5Qx2TlKWIA"
    );
    assert!(req.header("authorization").unwrap().starts_with("Basic "));
    // No refresh token, no refresh.
    let mut f = Flow::new(&op, ResponseType::Code, ResponseMode::Query);
    f.token_json
        .as_object_mut()
        .unwrap()
        .remove("refresh_token");
    let s = f.session(&op).unwrap();
    assert_eq!(
        code_of(&s.refresh_request(&op.ctx(), None)),
        "missing_parameter"
    );
}

#[test]
fn refreshed_id_token_rules() {
    let op = TestOp::new();
    let (flow, s) = session(&op, ResponseType::CodeIdTokenToken);
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut flow = flow.clone();
        f(flow.refresh_claims.as_mut().unwrap());
        code_of(&refresh(&op, &flow, &s))
    };
    assert_eq!(edit(&|_| {}), "ok");
    assert_eq!(edit(&|c| c["sub"] = "mallory".into()), "sub_mismatch");
    assert_eq!(
        edit(&|c| c["iss"] = "https://op.example/".into()),
        "invalid_issuer"
    );
    // A nonce is optional; when present it is the original one.
    assert_eq!(
        edit(&|c| c["nonce"] = s.id_token().nonce.clone().unwrap().into()),
        "ok"
    );
    assert_eq!(edit(&|c| c["nonce"] = "another".into()), "nonce_mismatch");
    // azp absent originally: must stay absent.
    assert_eq!(edit(&|c| c["azp"] = "client-1".into()), "azp_mismatch");
    // at_hash optional, checked when present.
    assert_eq!(
        edit(&|c| {
            c.as_object_mut().unwrap().remove("at_hash");
        }),
        "ok"
    );
    assert_eq!(
        edit(&|c| c["at_hash"] = hash("x").into()),
        "at_hash_mismatch"
    );
    // The usual rules apply.
    assert_eq!(edit(&|c| c["exp"] = (flow.now - 1).into()), "expired");
    // auth_time: the original had none, so a new one cannot be compared.
    assert_eq!(edit(&|c| c["auth_time"] = (flow.now - 5).into()), "ok");
}

#[test]
fn refreshed_id_token_keeps_aud_and_auth_time() {
    // An original with two audiences (one trusted) and an auth_time.
    let op = TestOp::with_client(TestOp::new().client.with_trusted_audiences(&["api-1"]));
    let mut flow = Flow::new(&op, ResponseType::Code, ResponseMode::Query);
    {
        let c = flow.token_claims.as_mut().unwrap();
        c["aud"] = json!(["client-1", "api-1"]);
        c["azp"] = "client-1".into();
        c["auth_time"] = (flow.now - 100).into();
    }
    let s = flow.session(&op).unwrap();
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut fl = flow.clone();
        {
            let c = fl.refresh_claims.as_mut().unwrap();
            c["aud"] = json!(["api-1", "client-1"]);
            c["azp"] = "client-1".into();
            c["auth_time"] = (flow.now - 100).into();
            f(c);
        }
        code_of(&refresh(&op, &fl, &s))
    };
    assert_eq!(edit(&|_| {}), "ok", "same audiences in another order");
    assert_eq!(edit(&|c| c["aud"] = "client-1".into()), "invalid_audience");
    assert_eq!(
        edit(&|c| {
            c.as_object_mut().unwrap().remove("azp");
        }),
        "azp_missing"
    );
    assert_eq!(
        edit(&|c| c["auth_time"] = (flow.now - 10).into()),
        "auth_time_mismatch"
    );
    assert_eq!(
        edit(&|c| {
            c.as_object_mut().unwrap().remove("auth_time");
        }),
        "ok"
    );
}

#[test]
fn refresh_without_id_token_or_refresh_token_keeps_them() {
    let op = TestOp::new();
    let (mut flow, s) = session(&op, ResponseType::CodeToken);
    flow.refresh_claims = None;
    flow.refresh_json["refresh_token"] = "rotated-rt".into();
    let r = refresh(&op, &flow, &s).unwrap();
    assert_eq!(r.id_token(), s.id_token());
    assert_eq!(r.refresh_token().unwrap().secret(), "rotated-rt");
    assert_eq!(r.scope(), Some("openid email"));
    // A failed refresh leaves the session as it was.
    let e = s
        .refresh_response(
            &op.ctx(),
            400,
            "application/json",
            br#"{"error":"invalid_grant"}"#,
            UnixTime(flow.now),
        )
        .unwrap_err();
    assert_eq!(e.code(), "provider_error");
    assert_eq!(s.access_token().secret(), "token-at-8xLOxBtZp8");
}

// ---- UserInfo: OIDC Core §5.3 ----

#[test]
fn userinfo_request_is_a_bearer_get() {
    let op = TestOp::new();
    let (_, s) = session(&op, ResponseType::Code);
    let req = s.userinfo_request(&op.ctx()).unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.url, "https://op.example/userinfo");
    assert_eq!(
        req.header("Authorization"),
        Some("Bearer token-at-8xLOxBtZp8")
    );
    assert!(req.body.is_empty());
    let no_userinfo = TestOp {
        metadata: oidc_hybrid::discovery::ProviderMetadata::new(
            "https://op.example",
            "https://op.example/a",
            "https://op.example/t",
            "https://op.example/j",
        )
        .unwrap(),
        ..TestOp::new()
    };
    assert_eq!(
        code_of(&s.userinfo_request(&no_userinfo.ctx())),
        "invalid_config"
    );
}

#[test]
fn userinfo_sub_must_match() {
    let op = TestOp::new();
    let (_, s) = session(&op, ResponseType::CodeIdToken);
    let ok = userinfo(&s, json!({"sub": "alice", "email": "alice@example.org"})).unwrap();
    assert_eq!(ok.sub, "alice");
    assert_eq!(ok.claims["email"], "alice@example.org");
    assert_eq!(
        code_of(&userinfo(&s, json!({"sub": "mallory"}))),
        "sub_mismatch"
    );
    assert_eq!(
        code_of(&userinfo(&s, json!({"sub": "Alice"}))),
        "sub_mismatch"
    );
    assert_eq!(
        code_of(&userinfo(&s, json!({"email": "x"}))),
        "sub_mismatch"
    );
    assert_eq!(code_of(&userinfo(&s, json!({"sub": 1}))), "sub_mismatch");
    assert_eq!(code_of(&userinfo(&s, json!(["alice"]))), "malformed");
}

#[test]
fn userinfo_errors_in_the_bearer_challenge() {
    // RFC 6750 §3: a 401 with the error in WWW-Authenticate and no body.
    let op = TestOp::new();
    let (_, s) = session(&op, ResponseType::Code);
    let e = s
        .userinfo_response_with_challenge(
            401,
            "",
            Some(r#"Bearer realm="op", error="invalid_token", error_description="expired""#),
            b"",
        )
        .unwrap_err();
    assert_eq!(e.code(), "provider_error");
    assert_eq!(e.provider_error().unwrap().error, "invalid_token");
    // Without the header the same answer is just unexpected.
    assert_eq!(
        code_of(&s.userinfo_response(401, "", b"")),
        "unexpected_response"
    );
    // A 200 is judged by its body whatever the header says.
    assert_eq!(
        code_of(&s.userinfo_response_with_challenge(
            200,
            "application/json",
            Some("Bearer error=x"),
            br#"{"sub":"alice"}"#
        )),
        "ok"
    );
}

#[test]
fn userinfo_response_shape() {
    let op = TestOp::new();
    let (_, s) = session(&op, ResponseType::Code);
    let code = |status, ct, body: &[u8]| code_of(&s.userinfo_response(status, ct, body));
    assert_eq!(
        code(
            200,
            "application/json; charset=utf-8",
            br#"{"sub":"alice"}"#
        ),
        "ok"
    );
    assert_eq!(
        code(200, "application/jwt", b"eyJ.eyJ.sig"),
        "unexpected_response"
    );
    assert_eq!(
        code(200, "text/plain", br#"{"sub":"alice"}"#),
        "unexpected_response"
    );
    assert_eq!(code(200, "application/json", b"sub=alice"), "malformed");
    assert_eq!(
        code(
            200,
            "application/json",
            br#"{"sub":"alice","sub":"mallory"}"#
        ),
        "malformed"
    );
    assert_eq!(
        code(401, "application/json", br#"{"error":"invalid_token"}"#),
        "provider_error"
    );
    assert_eq!(
        code(500, "text/html", b"<h1>oops</h1>"),
        "unexpected_response"
    );
    let big = vec![b' '; oidc_hybrid::rp::MAX_USERINFO_LEN + 1];
    assert_eq!(code(200, "application/json", &big), "too_large");
}

#[test]
fn session_is_storable_and_redacted() {
    let op = TestOp::new();
    let (_, s) = session(&op, ResponseType::CodeIdTokenToken);
    let debug = format!("{s:?}");
    assert!(!debug.contains("token-at-8xLOxBtZp8"), "{debug}");
    assert!(!debug.contains("rt-tGzv3JOkF0XG5Qx2TlKWIA"), "{debug}");
    let back: Session = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
}
