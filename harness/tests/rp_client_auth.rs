//! The token request with each client authentication method (OIDC Core §9).

mod rp_common;

use base64ct::{Base64, Encoding};
use oidc_hybrid::UnixTime;
use oidc_hybrid::encoding::Params;
use oidc_hybrid::jose::{Alg, Jwks, SigningKey, verify_compact};
use oidc_hybrid::rp::{
    AssertionInput, CLIENT_ASSERTION_TYPE, Callback, Client, ClientAuth, ClientSecret, Method,
    ResponseMode, ResponseType,
};
use rp_common::{Flow, REDIRECT_URI, TestOp, code_of};

const ODD_ID: &str = "client:1 é";
const ODD_SECRET: &str = "p@ss w/rd:%&+=é";

fn op_with(auth: ClientAuth, id: &str) -> TestOp {
    TestOp::with_client(
        Client::new(id, auth, REDIRECT_URI, Alg::ES256)
            .unwrap()
            .with_leeway(0),
    )
}

fn callback(op: &TestOp) -> (Flow, Callback) {
    let flow = Flow::new(op, ResponseType::CodeIdToken, ResponseMode::FormPost);
    let mut flow = flow;
    flow.front_claims.as_mut().unwrap()["aud"] = op.client.client_id().into();
    flow.token_claims.as_mut().unwrap()["aud"] = op.client.client_id().into();
    let cb = flow.callback(op).expect("callback");
    (flow, cb)
}

fn body(req: &oidc_hybrid::rp::HttpRequest) -> Params<'_> {
    Params::parse(&req.body).expect("a strict form body")
}

fn common(req: &oidc_hybrid::rp::HttpRequest, flow: &Flow) {
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, "https://op.example/token");
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let b = body(req);
    assert_eq!(b.get("grant_type"), Some("authorization_code"));
    assert_eq!(b.get("code"), Some("SplxlOBeZQQYbYS6WxSbIA"));
    assert_eq!(b.get("redirect_uri"), Some(REDIRECT_URI));
    assert_eq!(
        b.get("code_verifier"),
        Some(flow.pending.code_verifier().secret())
    );
}

#[test]
fn client_secret_basic_form_encodes_before_base64() {
    let op = op_with(
        ClientAuth::ClientSecretBasic(ClientSecret::new(ODD_SECRET)),
        ODD_ID,
    );
    let (flow, cb) = callback(&op);
    let req = cb.token_request(&op.ctx(), None).unwrap();
    common(&req, &flow);
    let header = req.header("Authorization").unwrap();
    let decoded = Base64::decode_vec(header.strip_prefix("Basic ").unwrap()).unwrap();
    let decoded = String::from_utf8(decoded).unwrap();
    // RFC 6749 §2.3.1: each part form-encoded, so the ':' inside the id and
    // the secret cannot be taken for the separator.
    assert_eq!(
        decoded,
        "client%3A1+%C3%A9:p%40ss+w%2Frd%3A%25%26%2B%3D%C3%A9"
    );
    let (id, secret) = decoded.split_once(':').unwrap();
    let undo = |s: &str| {
        Params::parse(&format!("v={s}"))
            .unwrap()
            .get("v")
            .unwrap()
            .to_owned()
    };
    assert_eq!(undo(id), ODD_ID);
    assert_eq!(undo(secret), ODD_SECRET);
    let b = body(&req);
    assert!(!b.contains("client_id") && !b.contains("client_secret"));
    assert_eq!(b.len(), 4);
}

#[test]
fn client_secret_post_puts_the_credentials_in_the_body() {
    let op = op_with(
        ClientAuth::ClientSecretPost(ClientSecret::new(ODD_SECRET)),
        ODD_ID,
    );
    let (flow, cb) = callback(&op);
    let req = cb.token_request(&op.ctx(), None).unwrap();
    common(&req, &flow);
    assert_eq!(req.header("Authorization"), None);
    let b = body(&req);
    assert_eq!(b.get("client_id"), Some(ODD_ID));
    assert_eq!(b.get("client_secret"), Some(ODD_SECRET));
}

#[test]
fn private_key_jwt_signs_an_rfc7523_assertion() {
    let client_key = SigningKey::es256_from_bytes(&[5u8; 32]).unwrap();
    let op = op_with(ClientAuth::PrivateKeyJwt(client_key.clone()), "client-1");
    let (flow, cb) = callback(&op);
    let now = UnixTime(1_800_000_123);
    let req = cb
        .token_request(
            &op.ctx(),
            Some(AssertionInput {
                jti: "jti-0001",
                now,
            }),
        )
        .unwrap();
    common(&req, &flow);
    assert_eq!(req.header("Authorization"), None);
    let b = body(&req);
    assert_eq!(b.get("client_assertion_type"), Some(CLIENT_ASSERTION_TYPE));
    assert!(!b.contains("client_secret"));
    let jwt = b.get("client_assertion").unwrap();
    // Verifies with the client's public key, ES256.
    let keys = Jwks::from_keys(vec![client_key.public_jwk()]);
    let (jws, alg) = verify_compact(jwt, &[Alg::ES256], &keys).unwrap();
    assert_eq!(alg, Alg::ES256);
    let claims: serde_json::Value = serde_json::from_slice(jws.payload()).unwrap();
    assert_eq!(claims["iss"], "client-1");
    assert_eq!(claims["sub"], "client-1");
    assert_eq!(claims["aud"], "https://op.example/token");
    assert_eq!(claims["jti"], "jti-0001");
    assert_eq!(claims["iat"], now.secs());
    assert_eq!(claims["exp"], now.secs() + 60);

    // The caller must supply the jti and clock.
    assert_eq!(
        code_of(&cb.token_request(&op.ctx(), None)),
        "invalid_config"
    );
    let empty = AssertionInput { jti: "", now };
    assert_eq!(
        code_of(&cb.token_request(&op.ctx(), Some(empty))),
        "invalid_parameter"
    );
}

#[test]
fn the_recorded_token_requests_are_reproduced() {
    use oidc_hybrid_harness::cli::check::{client_from, pending_from};
    use oidc_hybrid_harness::fixtures::{Transcript, transcript_paths};
    for path in transcript_paths() {
        let t = Transcript::load(&path).unwrap();
        let metadata = oidc_hybrid::discovery::ProviderMetadata::parse(
            &serde_json::to_vec(&t.discovery).unwrap(),
            &t.issuer,
        )
        .unwrap();
        let jwks = Jwks::parse(&t.jwks_bytes()).unwrap();
        let client = client_from(&t.client, 0).unwrap();
        let ctx = oidc_hybrid::rp::Context::new(&client, &metadata, &jwks);
        let pending = pending_from(&t.request).unwrap();
        let mode = pending.response_mode();
        let cb = match pending
            .callback(t.raw_callback(), mode, UnixTime(t.time), &ctx)
            .unwrap()
        {
            oidc_hybrid::rp::CallbackOutcome::Validated(cb) => cb,
            other => panic!("{other:?}"),
        };
        let req = cb.token_request(&ctx, None).unwrap();
        let recorded = t.extra["token_request"].clone();
        assert_eq!(req.url, recorded["url"], "{}", t.case);
        assert_eq!(req.body, recorded["body"], "{}", t.case);
        assert_eq!(
            req.header("Authorization"),
            recorded["authorization"].as_str(),
            "{}",
            t.case
        );
        let session = cb
            .token_response(
                &ctx,
                200,
                "application/json",
                t.token_response.as_ref().unwrap()["body"]
                    .as_str()
                    .unwrap()
                    .as_bytes(),
                UnixTime(t.time),
            )
            .unwrap();
        let refresh = session.refresh_request(&ctx, None).unwrap();
        let recorded = &t.extra["refresh_request"];
        assert_eq!(refresh.body, recorded["body"], "{}", t.case);
        assert_eq!(
            refresh.header("Authorization"),
            recorded["authorization"].as_str()
        );
    }
}
