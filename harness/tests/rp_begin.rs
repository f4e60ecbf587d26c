//! The authorization request builder: every type × mode, the extra
//! parameters and their encoding, entropy, and what is refused.

mod rp_common;

use oidc_hybrid::encoding::Params;
use oidc_hybrid::rp::{self, AuthOptions, ResponseMode, ResponseType, s256_challenge};
use rp_common::{CLIENT_ID, REDIRECT_URI, TestOp, code_of, type_modes};

fn query(url: &str) -> (&str, Params<'_>) {
    let (base, q) = url.split_once('?').expect("a query");
    (
        base,
        Params::parse(q).expect("a strict, duplicate-free query"),
    )
}

#[test]
fn every_type_and_mode() {
    let op = TestOp::new();
    for (t, m) in type_modes() {
        let options = AuthOptions {
            response_mode: Some(m),
            ..AuthOptions::new(t)
        };
        let (req, pending) = rp::begin(&op.client, &op.metadata, &[1u8; 32], options).unwrap();
        let (base, q) = query(&req.url);
        assert_eq!(base, "https://op.example/authorize");
        assert_eq!(q.get("response_type"), Some(t.as_str()));
        assert_eq!(q.get("response_mode"), Some(m.as_str()));
        assert_eq!(q.get("client_id"), Some(CLIENT_ID));
        assert_eq!(q.get("redirect_uri"), Some(REDIRECT_URI));
        assert_eq!(q.get("scope"), Some("openid"));
        // Always a nonce and PKCE S256 (RFC 7636 §4.3), matching what is kept.
        assert_eq!(q.get("state"), Some(pending.state().secret()));
        assert_eq!(q.get("nonce"), Some(pending.nonce().secret()));
        assert_eq!(q.get("code_challenge_method"), Some("S256"));
        assert_eq!(
            q.get("code_challenge").unwrap(),
            s256_challenge(pending.code_verifier().secret())
        );
        assert_eq!(pending.response_type(), t);
        assert_eq!(pending.response_mode(), m);
        assert_eq!(q.len(), 9, "nothing else is sent by default");
    }
}

#[test]
fn default_modes() {
    let op = TestOp::new();
    for (t, want) in [
        (ResponseType::Code, "query"),
        (ResponseType::CodeIdToken, "fragment"),
        (ResponseType::CodeToken, "fragment"),
        (ResponseType::CodeIdTokenToken, "fragment"),
    ] {
        let (req, p) =
            rp::begin(&op.client, &op.metadata, &[1u8; 32], AuthOptions::new(t)).unwrap();
        assert_eq!(query(&req.url).1.get("response_mode"), Some(want));
        assert_eq!(p.response_mode().as_str(), want);
    }
}

#[test]
fn query_mode_is_refused_for_types_that_return_tokens() {
    let op = TestOp::new();
    for t in [
        ResponseType::CodeIdToken,
        ResponseType::CodeToken,
        ResponseType::CodeIdTokenToken,
    ] {
        let options = AuthOptions {
            response_mode: Some(ResponseMode::Query),
            ..AuthOptions::new(t)
        };
        let r = rp::begin(&op.client, &op.metadata, &[1u8; 32], options);
        assert_eq!(code_of(&r), "invalid_parameter", "{t}");
    }
}

#[test]
fn secrets_come_from_the_entropy_and_are_domain_separated() {
    let op = TestOp::new();
    let opts = AuthOptions::new(ResponseType::CodeIdToken);
    let (_, a) = rp::begin(&op.client, &op.metadata, &[1u8; 32], opts).unwrap();
    let (_, a2) = rp::begin(&op.client, &op.metadata, &[1u8; 32], opts).unwrap();
    let (_, b) = rp::begin(&op.client, &op.metadata, &[2u8; 32], opts).unwrap();
    // Deterministic in the entropy (the core has no RNG), different per input.
    assert_eq!(a, a2);
    assert_ne!(a.state(), b.state());
    // Three different values, each 43 base64url characters (RFC 7636 §4.1).
    let (s, n, v) = (
        a.state().secret(),
        a.nonce().secret(),
        a.code_verifier().secret(),
    );
    assert!(s != n && n != v && s != v);
    for x in [s, n, v] {
        assert_eq!(x.len(), 43);
        assert!(
            x.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }
    // Too little entropy is refused.
    let r = rp::begin(&op.client, &op.metadata, &[1u8; 31], opts);
    assert_eq!(code_of(&r), "insufficient_entropy");
    assert!(rp::begin(&op.client, &op.metadata, &[1u8; 64], opts).is_ok());
}

#[test]
fn extra_parameters_are_encoded_and_hostile_values_stay_values() {
    let op = TestOp::new();
    let hostile = "x&state=evil#frag \"<script>'% é+";
    let claims = r#"{"id_token":{"auth_time":{"essential":true},"acr":{"values":["a b"]}}}"#;
    let options = AuthOptions {
        scope: "openid profile email",
        prompt: Some("login consent"),
        max_age: Some(600),
        login_hint: Some(hostile),
        acr_values: Some("urn:mace:incommon:iap:silver level&2"),
        claims: Some(claims),
        extra: &[("ui_locales", "fr-CA fr en"), ("x-custom", hostile)],
        ..AuthOptions::new(ResponseType::CodeIdToken)
    };
    let (req, pending) = rp::begin(&op.client, &op.metadata, &[3u8; 32], options).unwrap();
    assert!(!req.url.contains('#'), "{}", req.url);
    assert!(!req.url.contains(' '), "{}", req.url);
    let (_, q) = query(&req.url);
    assert_eq!(q.get("scope"), Some("openid profile email"));
    assert_eq!(q.get("prompt"), Some("login consent"));
    assert_eq!(q.get("max_age"), Some("600"));
    assert_eq!(q.get("login_hint"), Some(hostile));
    assert_eq!(
        q.get("acr_values"),
        Some("urn:mace:incommon:iap:silver level&2")
    );
    assert_eq!(q.get("claims"), Some(claims));
    assert_eq!(q.get("ui_locales"), Some("fr-CA fr en"));
    assert_eq!(q.get("x-custom"), Some(hostile));
    // The hostile value did not smuggle a second state in.
    assert_eq!(q.get("state"), Some(pending.state().secret()));
    assert_eq!(pending.max_age(), Some(600));
}

#[test]
fn an_endpoint_query_is_kept() {
    let mut op = TestOp::new();
    op.metadata = oidc_hybrid::discovery::ProviderMetadata::new(
        "https://op.example",
        "https://op.example/authorize?tenant=acme",
        "https://op.example/token",
        "https://op.example/jwks",
    )
    .unwrap();
    let (req, _) = rp::begin(
        &op.client,
        &op.metadata,
        &[1u8; 32],
        AuthOptions::new(ResponseType::Code),
    )
    .unwrap();
    let (base, q) = query(&req.url);
    assert_eq!(base, "https://op.example/authorize");
    assert_eq!(q.get("tenant"), Some("acme"));
    assert_eq!(q.get("response_type"), Some("code"));
}

#[test]
fn refused_options() {
    let op = TestOp::new();
    let t = ResponseType::CodeIdToken;
    let begin = |o: AuthOptions<'_>| code_of(&rp::begin(&op.client, &op.metadata, &[1u8; 32], o));
    assert_eq!(
        begin(AuthOptions {
            scope: "profile email",
            ..AuthOptions::new(t)
        }),
        "invalid_parameter"
    );
    assert_eq!(
        begin(AuthOptions {
            claims: Some("[1,2]"),
            ..AuthOptions::new(t)
        }),
        "invalid_parameter"
    );
    assert_eq!(
        begin(AuthOptions {
            extra: &[("state", "x")],
            ..AuthOptions::new(t)
        }),
        "invalid_parameter"
    );
    assert_eq!(
        begin(AuthOptions {
            extra: &[("nonce", "x")],
            ..AuthOptions::new(t)
        }),
        "invalid_parameter"
    );
    assert_eq!(
        begin(AuthOptions {
            extra: &[("a", "1"), ("a", "2")],
            ..AuthOptions::new(t)
        }),
        "duplicate_parameter"
    );
    // The provider's lists, when published, are respected.
    let mut limited = TestOp::new();
    limited.metadata = limited
        .metadata
        .clone()
        .with_response_types_supported(&["code", "id_token code"]);
    let r = |t| {
        code_of(&rp::begin(
            &limited.client,
            &limited.metadata,
            &[1u8; 32],
            AuthOptions::new(t),
        ))
    };
    assert_eq!(r(ResponseType::Code), "ok");
    assert_eq!(r(ResponseType::CodeIdToken), "ok", "order does not matter");
    assert_eq!(r(ResponseType::CodeToken), "invalid_config");
}

#[test]
fn published_response_modes_are_respected() {
    let doc = br#"{"issuer":"https://op.example","authorization_endpoint":"https://op.example/a",
        "token_endpoint":"https://op.example/t","jwks_uri":"https://op.example/j",
        "response_modes_supported":["query","fragment"]}"#;
    let metadata =
        oidc_hybrid::discovery::ProviderMetadata::parse(doc, "https://op.example").unwrap();
    let op = TestOp::new();
    let begin = |m| {
        code_of(&rp::begin(
            &op.client,
            &metadata,
            &[1u8; 32],
            AuthOptions {
                response_mode: Some(m),
                ..AuthOptions::new(ResponseType::CodeIdToken)
            },
        ))
    };
    assert_eq!(begin(ResponseMode::Fragment), "ok");
    assert_eq!(begin(ResponseMode::FormPost), "invalid_config");
}
