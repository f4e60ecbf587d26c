//! The provider served over loopback HTTP (in-process, `server::start`):
//! every response type x mode end to end over real sockets, with token,
//! refresh and UserInfo; revocation after code reuse; HTTP-level errors; the
//! login page's CSRF protection.

mod op_common;

use core::net::SocketAddr;
use std::io::{Read, Write};
use std::net::TcpStream;

use oidc_hybrid::UnixTime;
use oidc_hybrid::encoding::{Params, form};
use oidc_hybrid::jose::Jwks;
use oidc_hybrid::op::ResponseType;
use oidc_hybrid_harness::server::{self, RunningServer, ServerConfig};
use op_common::*;
use serde_json::Value;

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }
}

/// A minimal HTTP/1.1 client (one request per connection).
fn http(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect");
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).expect("write");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8(raw).expect("UTF-8 response");
    let (head, rest) = text.split_once("\r\n\r\n").expect("head");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

fn start(auto_approve: bool) -> RunningServer {
    server::start(ServerConfig {
        auto_approve,
        ..ServerConfig::default()
    })
    .expect("server starts")
}

fn path_of(url: &str) -> &str {
    let after = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    &after[after.find('/').unwrap_or(after.len())..]
}

fn now() -> UnixTime {
    UnixTime(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
}

/// The authorization response parameters from an HTTP reply.
fn callback(reply: &Reply) -> Vec<(String, String)> {
    if reply.status == 303 {
        let loc = reply.header("location").expect("Location");
        assert!(loc.starts_with(REDIRECT), "{loc}");
        let raw = loc
            .split_once('#')
            .or_else(|| loc.split_once('?'))
            .map(|(_, r)| r)
            .unwrap_or("");
        Params::parse(raw)
            .unwrap()
            .iter()
            .map(|(n, v)| (n.into(), v.into()))
            .collect()
    } else {
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        form_inputs(&reply.body)
    }
}

#[allow(clippy::too_many_arguments)]
fn verify(
    jwks: &Jwks,
    issuer: &str,
    token: &str,
    nonce: Option<&str>,
    code: Option<&str>,
    at: Option<&str>,
    state: Option<&str>,
    front: bool,
) -> oidc_hybrid::claims::IdToken {
    oidc_hybrid::claims::verify_id_token(
        token,
        &oidc_hybrid::claims::IdTokenCheck {
            algs: &[oidc_hybrid::jose::Alg::ES256],
            jwks,
            claims: oidc_hybrid::claims::Expectations {
                issuer,
                client_id: CLIENT_ID,
                trusted_audiences: &[],
                nonce,
                now: now(),
                leeway: 5,
                max_age: None,
                require_auth_time: false,
            },
            hashes: oidc_hybrid::claims::HashInputs {
                alg: oidc_hybrid::jose::Alg::ES256,
                code,
                access_token: at,
                state,
                require_c_hash: front,
                require_at_hash: front && at.is_some(),
            },
        },
    )
    .expect("ID token verifies")
}

#[test]
fn every_type_and_mode_over_http_with_token_refresh_and_userinfo() {
    let srv = start(true);
    let addr = srv.addr;
    let disco = http(addr, "GET", "/.well-known/openid-configuration", &[], "").json();
    assert_eq!(disco["issuer"], srv.issuer.as_str());
    let jwks_doc = http(
        addr,
        "GET",
        path_of(disco["jwks_uri"].as_str().unwrap()),
        &[],
        "",
    );
    let jwks = Jwks::parse(jwks_doc.body.as_bytes()).unwrap();
    let auth_path = path_of(disco["authorization_endpoint"].as_str().unwrap()).to_owned();
    let token_path = path_of(disco["token_endpoint"].as_str().unwrap()).to_owned();
    let userinfo_path = path_of(disco["userinfo_endpoint"].as_str().unwrap()).to_owned();
    let check =
        |token: &str,
         nonce: Option<&str>,
         code: Option<&str>,
         at: Option<&str>,
         state: Option<&str>,
         front: bool| { verify(&jwks, &srv.issuer, token, nonce, code, at, state, front) };
    let mut cases = 0;
    for rt in ResponseType::ALL {
        let modes: &[&str] = if rt == ResponseType::Code {
            &["query", "fragment", "form_post"]
        } else {
            &["fragment", "form_post"]
        };
        for (i, mode) in modes.iter().enumerate() {
            let mut req = Req::new(rt);
            req.state = Some(format!("state-{rt}-{mode}"));
            let req = req.mode(oidc_hybrid::op::ResponseMode::parse(mode).unwrap());
            // Half the cases GET, half POST the authorization request.
            let reply = if i % 2 == 0 {
                http(addr, "GET", &format!("{auth_path}?{}", req.raw()), &[], "")
            } else {
                http(addr, "POST", &auth_path, &[FORM], &req.raw())
            };
            let p = callback(&reply);
            assert_eq!(get(&p, "iss"), Some(srv.issuer.as_str()), "{rt} {mode}");
            assert_eq!(get(&p, "state"), req.state.as_deref());
            let code = get(&p, "code").unwrap();
            let front_at = get(&p, "access_token");
            let front = get(&p, "id_token").map(|t| {
                check(
                    t,
                    Some("n-456"),
                    Some(code),
                    front_at,
                    req.state.as_deref(),
                    true,
                )
            });
            if let Some(at) = front_at {
                let ui = http(
                    addr,
                    "GET",
                    &userinfo_path,
                    &[("Authorization", &format!("Bearer {at}"))],
                    "",
                );
                assert_eq!(ui.json()["sub"], "alice");
            }
            // Token.
            let tok = http(
                addr,
                "POST",
                &token_path,
                &[FORM, ("Authorization", &basic(CLIENT_ID, SECRET))],
                &code_body(code, REDIRECT, VERIFIER),
            );
            assert_eq!(tok.status, 200, "{}", tok.body);
            assert_eq!(tok.header("cache-control"), Some("no-store"));
            assert_eq!(tok.header("pragma"), Some("no-cache"));
            let t = tok.json();
            let at = t["access_token"].as_str().unwrap();
            let back = check(
                t["id_token"].as_str().unwrap(),
                Some("n-456"),
                None,
                Some(at),
                None,
                false,
            );
            if let Some(f) = front {
                assert_eq!((f.iss, f.sub), (back.iss.clone(), back.sub.clone()));
            }
            // UserInfo, header and form body.
            let ui = http(
                addr,
                "GET",
                &userinfo_path,
                &[("Authorization", &format!("Bearer {at}"))],
                "",
            );
            assert_eq!(ui.status, 200);
            assert_eq!(ui.json()["sub"], back.sub.as_str());
            assert_eq!(ui.json()["email"], "alice@example.org");
            let ui = http(
                addr,
                "POST",
                &userinfo_path,
                &[FORM],
                &form::write([("access_token", at)]),
            );
            assert_eq!(ui.json()["sub"], "alice");
            // Refresh.
            let rt_tok = t["refresh_token"].as_str().unwrap();
            let r = http(
                addr,
                "POST",
                &token_path,
                &[FORM, ("Authorization", &basic(CLIENT_ID, SECRET))],
                &form::write([("grant_type", "refresh_token"), ("refresh_token", rt_tok)]),
            );
            assert_eq!(r.status, 200, "{}", r.body);
            let r = r.json();
            let refreshed = check(
                r["id_token"].as_str().unwrap(),
                Some("n-456"),
                None,
                r["access_token"].as_str(),
                None,
                false,
            );
            assert_eq!(refreshed.sub, back.sub);
            cases += 1;
        }
    }
    assert_eq!(cases, 9);
}

#[test]
fn code_reuse_over_http_revokes_the_tokens() {
    let srv = start(true);
    let addr = srv.addr;
    let req = Req::new(ResponseType::CodeToken);
    let p = callback(&http(
        addr,
        "GET",
        &format!("/authorize?{}", req.raw()),
        &[],
        "",
    ));
    let code = get(&p, "code").unwrap().to_owned();
    let front_at = get(&p, "access_token").unwrap().to_owned();
    let auth = basic(CLIENT_ID, SECRET);
    let body = code_body(&code, REDIRECT, VERIFIER);
    let first = http(
        addr,
        "POST",
        "/token",
        &[FORM, ("Authorization", &auth)],
        &body,
    );
    assert_eq!(first.status, 200);
    let at = first.json()["access_token"].as_str().unwrap().to_owned();
    let bearer = |t: &str| format!("Bearer {t}");
    assert_eq!(
        http(
            addr,
            "GET",
            "/userinfo",
            &[("Authorization", &bearer(&at))],
            ""
        )
        .status,
        200
    );

    let again = http(
        addr,
        "POST",
        "/token",
        &[FORM, ("Authorization", &auth)],
        &body,
    );
    assert_eq!(again.status, 400);
    assert_eq!(again.json()["error"], "invalid_grant");
    // Every token of the grant is refused now, front channel's included.
    for t in [&at, &front_at] {
        let ui = http(
            addr,
            "GET",
            "/userinfo",
            &[("Authorization", &bearer(t))],
            "",
        );
        assert_eq!(ui.status, 401);
        assert!(
            ui.header("www-authenticate")
                .unwrap()
                .contains("error=\"invalid_token\"")
        );
    }
}

#[test]
fn http_level_errors() {
    let srv = start(true);
    let addr = srv.addr;
    // Wrong client secret: 401 with a Basic challenge.
    let r = http(
        addr,
        "POST",
        "/token",
        &[FORM, ("Authorization", &basic(CLIENT_ID, "wrong"))],
        &code_body("c", REDIRECT, VERIFIER),
    );
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().starts_with("Basic"));
    assert_eq!(r.json()["error"], "invalid_client");
    // The token endpoint needs a form body.
    let r = http(
        addr,
        "POST",
        "/token",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &basic(CLIENT_ID, SECRET)),
        ],
        "{}",
    );
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (400, Some("invalid_request"))
    );
    // Unregistered redirect_uri: a page, no Location.
    let mut req = Req::new(ResponseType::Code);
    req.redirect_uri = "https://attacker.example/cb".into();
    let r = http(addr, "GET", &format!("/authorize?{}", req.raw()), &[], "");
    assert_eq!(r.status, 400);
    assert!(r.header("location").is_none());
    // A hostile state, form_post: escaped in the page served.
    let mut req = Req::new(ResponseType::CodeIdToken).mode(oidc_hybrid::op::ResponseMode::FormPost);
    req.state = Some("\"><script>alert(1)</script>".into());
    let r = http(addr, "GET", &format!("/authorize?{}", req.raw()), &[], "");
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("<script>alert(1)"));
    assert!(
        r.header("content-security-policy")
            .unwrap()
            .contains("default-src 'none'")
    );
    assert_eq!(get(&form_inputs(&r.body), "state"), req.state.as_deref());
    // UserInfo without a token: 401, bare Bearer challenge.
    let r = http(addr, "GET", "/userinfo", &[], "");
    assert_eq!(
        (r.status, r.header("www-authenticate")),
        (401, Some("Bearer"))
    );
}

#[test]
fn login_page_with_csrf_protection() {
    let srv = start(false);
    let addr = srv.addr;
    let req = Req::new(ResponseType::CodeIdToken);
    let page = http(addr, "GET", &format!("/authorize?{}", req.raw()), &[], "");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"password\""));
    let cookie = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let action_at = page.body.find("action=\"").unwrap() + 8;
    let action = &page.body[action_at..action_at + page.body[action_at..].find('"').unwrap()];
    // The CSRF cookie belongs to this page's form only, so that two login
    // pages open in one browser do not overwrite each other's.
    assert!(
        page.header("set-cookie")
            .unwrap()
            .contains(&format!("Path={action};")),
        "{:?}",
        page.header("set-cookie")
    );
    let inputs = form_inputs(&page.body);
    let csrf = get(&inputs, "csrf").unwrap();
    let fields = |csrf: &str| {
        form::write([
            ("csrf", csrf),
            ("decision", "login"),
            ("login", "alice"),
            ("password", "pw"),
        ])
    };
    // Without the cookie, or with a wrong token: refused (and the parked
    // request is gone: a forged submission burns it).
    let r = http(addr, "POST", action, &[FORM], &fields(csrf));
    assert_eq!(r.status, 403);
    let page = http(addr, "GET", &format!("/authorize?{}", req.raw()), &[], "");
    let cookie2 = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let action_at = page.body.find("action=\"").unwrap() + 8;
    let action2 =
        page.body[action_at..action_at + page.body[action_at..].find('"').unwrap()].to_owned();
    let csrf2 = get(&form_inputs(&page.body), "csrf").unwrap().to_owned();
    let r = http(
        addr,
        "POST",
        &action2,
        &[FORM, ("Cookie", &cookie2)],
        &fields("forged"),
    );
    assert_eq!(r.status, 403);
    let _ = cookie;
    // The real thing: a fresh page, cookie and token agree.
    let page = http(addr, "GET", &format!("/authorize?{}", req.raw()), &[], "");
    let cookie3 = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let action_at = page.body.find("action=\"").unwrap() + 8;
    let action3 =
        page.body[action_at..action_at + page.body[action_at..].find('"').unwrap()].to_owned();
    let csrf3 = get(&form_inputs(&page.body), "csrf").unwrap().to_owned();
    assert_ne!(csrf2, csrf3);
    let r = http(
        addr,
        "POST",
        &action3,
        &[FORM, ("Cookie", &cookie3)],
        &fields(&csrf3),
    );
    // The login starts a session and shows the consent page, which lists
    // every requested scope; allowing it answers the client.
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.starts_with("op_session="))
    );
    for scope in ["openid", "profile", "email"] {
        assert!(
            r.body.contains(&format!("<li data-scope=\"{scope}\">")),
            "{scope} listed: {}",
            r.body
        );
    }
    assert!(!r.body.contains("name=\"password\""));
    let session_cookie = r
        .headers
        .iter()
        .find(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.starts_with("op_session="))
        .map(|(_, v)| v.split(';').next().unwrap().to_owned())
        .unwrap();
    let consent_cookie = r
        .headers
        .iter()
        .find(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.starts_with("op_csrf="))
        .map(|(_, v)| v.split(';').next().unwrap().to_owned())
        .unwrap();
    let action_at = r.body.find("action=\"").unwrap() + 8;
    let consent_action =
        r.body[action_at..action_at + r.body[action_at..].find('"').unwrap()].to_owned();
    let consent_csrf = get(&form_inputs(&r.body), "csrf").unwrap().to_owned();
    assert_ne!(consent_csrf, csrf3);
    // The login page's token does not approve the consent page.
    let r = http(
        addr,
        "POST",
        &consent_action,
        &[FORM, ("Cookie", &consent_cookie)],
        &form::write([("csrf", csrf3.as_str()), ("decision", "approve")]),
    );
    assert_eq!(r.status, 403);
    // prompt=none with a session but no consent for this client yet:
    // consent_required, no page (OIDC Core §3.1.2.6).
    let none_req = format!("/authorize?{}", req.clone().with("prompt", "none").raw());
    let r = http(addr, "GET", &none_req, &[("Cookie", &session_cookie)], "");
    assert_eq!(get(&callback(&r), "error"), Some("consent_required"));
    // A fresh consent page (the session skips the login page): allow.
    let page = http(
        addr,
        "GET",
        &format!("/authorize?{}", req.raw()),
        &[("Cookie", &session_cookie)],
        "",
    );
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("name=\"password\""));
    let consent_cookie = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let action_at = page.body.find("action=\"").unwrap() + 8;
    let consent_action =
        page.body[action_at..action_at + page.body[action_at..].find('"').unwrap()].to_owned();
    let consent_csrf = get(&form_inputs(&page.body), "csrf").unwrap().to_owned();
    let r = http(
        addr,
        "POST",
        &consent_action,
        &[
            FORM,
            ("Cookie", &format!("{consent_cookie}; {session_cookie}")),
        ],
        &form::write([("csrf", consent_csrf.as_str()), ("decision", "approve")]),
    );
    let p = callback(&r);
    assert!(get(&p, "code").is_some() && get(&p, "id_token").is_some());
    // Now the session has consented: prompt=none completes without a page.
    let r = http(addr, "GET", &none_req, &[("Cookie", &session_cookie)], "");
    let p = callback(&r);
    assert!(get(&p, "code").is_some(), "{p:?}");
    // Denying sends access_denied to the client.
    let page = http(addr, "GET", &format!("/authorize?{}", req.raw()), &[], "");
    let cookie4 = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let deny_at = page.body.rfind("action=\"").unwrap() + 8;
    let deny_action =
        page.body[deny_at..deny_at + page.body[deny_at..].find('"').unwrap()].to_owned();
    let csrf4 = get(&form_inputs(&page.body), "csrf").unwrap().to_owned();
    let r = http(
        addr,
        "POST",
        &deny_action,
        &[FORM, ("Cookie", &cookie4)],
        &form::write([("csrf", csrf4.as_str()), ("decision", "deny")]),
    );
    assert_eq!(get(&callback(&r), "error"), Some("access_denied"));
    // prompt=none without a session: login_required, no page.
    let r = http(
        addr,
        "GET",
        &format!("/authorize?{}", req.clone().with("prompt", "none").raw()),
        &[],
        "",
    );
    assert_eq!(get(&callback(&r), "error"), Some("login_required"));
}

#[test]
fn port_zero_picks_a_port_and_stop_is_clean() {
    let srv = start(true);
    assert_ne!(srv.addr.port(), 0);
    assert_eq!(srv.issuer, format!("http://127.0.0.1:{}", srv.addr.port()));
    let addr = srv.addr;
    srv.stop();
    std::thread::sleep(core::time::Duration::from_millis(100));
    assert!(
        TcpStream::connect(addr).is_err(),
        "the listener is closed after stop"
    );
}
