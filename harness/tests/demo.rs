//! The demo: the relying party core against `serve-op` in-process over real
//! HTTP (every case passes, with the checks the table claims), the failures
//! it must report (wrong algorithm, wrong secret, unregistered redirect
//! URI), the browser against a stub provider (cookies, redirects, the
//! form_post page), and the `demo` command as a user runs it.

use std::process::Command;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oidc_hybrid::jose::Alg;
use oidc_hybrid::rp::{ClientAuth, ClientSecret, ResponseMode, ResponseType};
use oidc_hybrid_harness::demo::browser::Browser;
use oidc_hybrid_harness::demo::http::Backend;
use oidc_hybrid_harness::demo::{self, Case, Report, Step, Target};
use oidc_hybrid_harness::server::{self, ServerConfig, Shutdown};

async fn serve_op() -> (String, Shutdown) {
    let (_, issuer, shutdown) = server::spawn(ServerConfig::default())
        .await
        .expect("serve-op starts");
    (issuer, shutdown)
}

async fn run(target: &Target, cases: &[Case]) -> Report {
    let backend = Backend::new().expect("client");
    demo::run(&backend, target, cases, |_| {})
        .await
        .expect("discovery")
}

fn checks(step: &Step) -> Vec<&str> {
    match step {
        Step::Passed { checks } => checks.iter().map(String::as_str).collect(),
        other => panic!("expected a pass, got {other:?}"),
    }
}

fn failure(step: &Step) -> (&str, &str) {
    match step {
        Step::Failed { code, message } => (code.as_str(), message.as_str()),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn the_nine_cases() {
    let cases = Case::all();
    let names: Vec<String> = cases.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "code / query",
            "code / fragment",
            "code / form_post",
            "code id_token / fragment",
            "code id_token / form_post",
            "code token / fragment",
            "code token / form_post",
            "code id_token token / fragment",
            "code id_token token / form_post",
        ]
    );
    // Multiple Response Types §5: no tokens in the query, whatever is asked.
    assert!(Case::matrix(&[ResponseType::CodeToken], &[ResponseMode::Query]).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_case_passes_against_serve_op_with_the_checks_it_claims() {
    let (issuer, shutdown) = serve_op().await;
    let report = run(&Target::serve_op(&issuer), &Case::all()).await;
    shutdown.stop();
    assert_eq!(
        (report.passed, report.failed),
        (9, 0),
        "{}",
        report.render()
    );
    assert!(report.all_passed());
    assert!(report.render().ends_with("PASS: 9 passed, 0 failed"));
    for l in &report.logins {
        let rt = ResponseType::parse(l.response_type).unwrap();
        let front = checks(&l.front_channel);
        // serve-op sends the RFC 9207 iss on every response.
        assert_eq!(&front[..2], ["state", "iss"], "{}", l.response_type);
        assert_eq!(front.contains(&"id_token"), rt.returns_id_token());
        assert_eq!(front.contains(&"c_hash"), rt.returns_id_token());
        assert_eq!(front.contains(&"s_hash"), rt.returns_id_token());
        assert_eq!(
            front.contains(&"at_hash"),
            rt == ResponseType::CodeIdTokenToken
        );
        assert_eq!(front.contains(&"Bearer"), rt.returns_access_token());
        let token = checks(&l.token_exchange);
        assert_eq!(token.contains(&"sub"), rt.returns_id_token());
        assert_eq!(checks(&l.userinfo)[0], "sub=alice");
        assert_eq!(checks(&l.refresh), ["rotated", "id_token"]);
        let arrived = l.browser.last().unwrap();
        assert_eq!(
            arrived,
            &format!("at redirect_uri ({})", l.response_mode),
            "the response arrived in the mode asked for"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_alg_other_than_the_registered_one_fails_where_the_token_arrives() {
    let (issuer, shutdown) = serve_op().await;
    let target = Target {
        id_token_alg: Alg::RS256,
        ..Target::serve_op(&issuer)
    };
    let cases = [
        Case {
            response_type: ResponseType::Code,
            response_mode: ResponseMode::Query,
        },
        Case {
            response_type: ResponseType::CodeIdToken,
            response_mode: ResponseMode::FormPost,
        },
    ];
    let report = run(&target, &cases).await;
    shutdown.stop();
    assert_eq!((report.passed, report.failed), (0, 2));
    assert_eq!(report.verdict(), "FAIL: 0 passed, 2 failed");
    // code: the first ID token comes from the token endpoint.
    let code = &report.logins[0];
    checks(&code.front_channel);
    assert_eq!(failure(&code.token_exchange).0, "alg_not_allowed");
    assert!(matches!(code.userinfo, Step::Skipped { .. }));
    // code id_token: from the front channel; nothing after it runs.
    let hybrid = &report.logins[1];
    assert_eq!(failure(&hybrid.front_channel).0, "alg_not_allowed");
    assert!(matches!(hybrid.token_exchange, Step::Skipped { .. }));
    assert!(
        report
            .render()
            .contains("code id_token / form_post: front channel: alg_not_allowed")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_client_secret_is_the_providers_error_at_the_token_exchange() {
    let (issuer, shutdown) = serve_op().await;
    let target = Target {
        client_auth: ClientAuth::ClientSecretBasic(ClientSecret::new("not-the-secret")),
        ..Target::serve_op(&issuer)
    };
    let report = run(
        &target,
        &Case::matrix(&[ResponseType::Code], &[ResponseMode::Query]),
    )
    .await;
    shutdown.stop();
    let (code, message) = failure(&report.logins[0].token_exchange);
    assert_eq!(code, "provider_error");
    assert!(message.contains("invalid_client"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unregistered_redirect_uri_stops_at_the_providers_error_page() {
    let (issuer, shutdown) = serve_op().await;
    let target = Target {
        redirect_uri: "http://127.0.0.1:9999/elsewhere".into(),
        ..Target::serve_op(&issuer)
    };
    let report = run(
        &target,
        &Case::matrix(&[ResponseType::Code], &[ResponseMode::Query]),
    )
    .await;
    shutdown.stop();
    let (code, message) = failure(&report.logins[0].front_channel);
    assert_eq!(code, "browser");
    assert!(message.starts_with("HTTP 400 at /authorize"), "{message}");
}

/// A stub provider: `/authorize` sets a cookie and redirects; `/consent`
/// answers the form_post page only with that cookie.
fn stub() -> Router {
    Router::new()
        .route(
            "/authorize",
            get(|| async {
                (
                    StatusCode::FOUND,
                    [
                        (header::SET_COOKIE, "sid=s3; Path=/; HttpOnly"),
                        (header::LOCATION, "/consent"),
                    ],
                )
            }),
        )
        .route(
            "/consent",
            get(|headers: HeaderMap| async move {
                let cookie = headers
                    .get(header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                if cookie != "sid=s3" {
                    return (StatusCode::FORBIDDEN, "no session").into_response();
                }
                let page = r#"<!DOCTYPE html><html><body onload="document.forms[0].submit()">
<form method="post" action="http://127.0.0.1:9999/cb">
<input type="hidden" name="code" value="c&amp;1">
<input type="hidden" name="state" value="&#x73;&lt;t&gt;">
</form></body></html>"#;
                Response::builder()
                    .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
                    .body(axum::body::Body::from(page))
                    .unwrap()
            }),
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_keeps_cookies_follows_redirects_and_reads_the_form_post_page() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, stub()).await });
    let arrival = Browser::new()
        .unwrap()
        .authorize(
            &format!("http://{addr}/authorize?state=x"),
            "http://127.0.0.1:9999/cb",
        )
        .await
        .expect("arrives");
    server.abort();
    assert_eq!(arrival.mode, ResponseMode::FormPost);
    // Entities decoded by the HTML parser, then form-encoded as a browser POSTs.
    assert_eq!(arrival.raw, "code=c%261&state=s%3Ct%3E");
    assert_eq!(
        arrival.steps,
        [
            "GET /authorize -> 302",
            "GET /consent -> 200",
            "at redirect_uri (form_post)"
        ]
    );
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_oidc-hybrid"))
}

#[test]
fn the_command_prints_json_and_exits_0_when_all_passed() {
    let out = bin()
        .args([
            "demo",
            "--json",
            "--types",
            "code_id_token",
            "--modes",
            "form_post,query",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["passed"], 1, "query is never used for code id_token");
    assert_eq!(json["failed"], 0);
    assert_eq!(json["logins"][0]["response_mode"], "form_post");
    // Not a terminal: one progress line per login on stderr.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("[1/1] code id_token / form_post: ok ("),
        "{err}"
    );
}

#[test]
fn the_command_refuses_what_it_cannot_run() {
    let out = bin()
        .args(["demo", "--types", "code token", "--modes", "query"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // --issuer needs the client.
    let out = bin()
        .args(["demo", "--issuer", "http://127.0.0.1:9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Nothing listens there: exit 1, saying where it failed.
    let out = bin()
        .args([
            "demo",
            "--issuer",
            "http://127.0.0.1:9",
            "--client-id",
            "c",
            "--client-secret",
            "s",
            "--redirect-uri",
            "http://127.0.0.1:9999/cb",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("discovery: GET http://127.0.0.1:9/.well-known/openid-configuration"),
        "{err}"
    );
}
