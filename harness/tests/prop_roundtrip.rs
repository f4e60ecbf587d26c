//! Property tests of the two cores together (`oidc_hybrid_harness::sim::pair`):
//!
//! - what the provider writes, the relying party accepts: every response
//!   type × mode × client authentication method (`client_secret_basic`,
//!   `client_secret_post`, `private_key_jwt`) × signing algorithm the
//!   provider signs with (ES256, ES384, RS256, RS384, RS512, EdDSA), the
//!   whole exchange (authorization, callback, code exchange, refresh,
//!   UserInfo), with every state the relying party parks (`PendingAuth`,
//!   `Callback`, `Session`) and the provider parks (`AuthzRequest`)
//!   round-tripped through JSON on the way;
//! - what the provider writes into an authorization response, a browser
//!   reads back unchanged (query, fragment, form_post: encoding and HTML
//!   escaping), whatever the `state`;
//! - one changed character anywhere in an artefact the provider signed —
//!   the front-channel ID token, the token endpoint's, the refreshed one,
//!   for every algorithm — is refused by the relying party with the code
//!   an independent reading of the damaged token predicts; one changed
//!   character in the relying party's client assertion is refused by the
//!   provider (`invalid_client`);
//! - the provider's discovery and JWKS documents, read by the relying
//!   party, say what the provider is configured with;
//! - the two sides agree on what is acceptable configuration (issuers,
//!   redirect URIs, client ids, response types), any client id and secret
//!   authenticate, and every error the provider redirects reaches the
//!   relying party as sent. (`rp_proptest.rs` covers claim-level
//!   mutations re-signed with ES256; this covers the bytes the real
//!   provider signs, with the other algorithms.)

use base64ct::{Base64UrlUnpadded, Encoding};
use oidc_hybrid::UnixTime;
use oidc_hybrid::discovery::ProviderMetadata;
use oidc_hybrid::encoding::{Params, form};
use oidc_hybrid::jose::{Alg, Jwks};
use oidc_hybrid::op::{self, AuthzRequest, Subject};
use oidc_hybrid::rp::{AuthOptions, Callback, PendingAuth, ResponseMode, ResponseType, Session};
use oidc_hybrid_harness::sim::browser::Delivery;
use oidc_hybrid_harness::sim::ops::AuthKind;
use oidc_hybrid_harness::sim::pair::{Pair, SIGNING_ALGS, code_of, content_type, signing_key};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::Value;

const AUTHS: [AuthKind; 3] = [AuthKind::Basic, AuthKind::Post, AuthKind::PrivateKeyJwt];

/// Every type with every mode that may carry it (Multiple Response Types §5).
fn type_modes() -> Vec<(ResponseType, ResponseMode)> {
    ResponseType::ALL
        .into_iter()
        .flat_map(|t| ResponseMode::ALL.into_iter().map(move |m| (t, m)))
        .filter(|(t, m)| t.check_mode(*m).is_ok())
        .collect()
}

/// `value` through JSON and back, unchanged.
fn parked<T>(value: T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + core::fmt::Debug,
{
    let json = serde_json::to_string(&value).expect("serializes");
    let back: T = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, value, "changed by a JSON round trip");
    back
}

#[derive(Clone, Debug)]
struct Case {
    response_type: ResponseType,
    mode: ResponseMode,
    auth: AuthKind,
    alg: Alg,
    sub: String,
    name: String,
    max_age: Option<u64>,
}

fn case_with(algs: Vec<Alg>) -> impl Strategy<Value = Case> {
    (
        prop::sample::select(type_modes()),
        prop::sample::select(AUTHS.to_vec()),
        prop::sample::select(algs),
        "[a-zA-Z0-9._@|-]{1,40}",
        "\\PC{0,30}",
        prop::option::of(0u64..100_000),
    )
        .prop_map(
            |((response_type, mode), auth, alg, sub, name, max_age)| Case {
                response_type,
                mode,
                auth,
                alg,
                sub,
                name,
                max_age,
            },
        )
}

/// Everything an exchange produced, for the tests that damage one part.
struct Run {
    pair: Pair,
    pending: PendingAuth,
    delivery: Delivery,
}

fn start(c: &Case) -> Run {
    let mut pair = Pair::new(c.auth, c.alg);
    let options = AuthOptions {
        response_mode: Some(c.mode),
        scope: "openid profile email",
        max_age: c.max_age,
        ..AuthOptions::new(c.response_type)
    };
    let (url, pending) = pair.begin(options).expect("begin");
    let pending = parked(pending);
    let request: AuthzRequest = parked(pair.authorize(&url));
    let mut subject = Subject::new(&c.sub, UnixTime(pair.now.0 - 5));
    subject.claims.insert("name".into(), c.name.clone().into());
    let delivery = pair.complete(request, subject);
    Run {
        pair,
        pending,
        delivery,
    }
}

/// The whole exchange; the session's UserInfo `name`.
fn full_exchange(c: &Case) -> Result<(Session, String), oidc_hybrid::Error> {
    let Run {
        mut pair,
        pending,
        delivery,
    } = start(c);
    let callback: Callback = parked(pair.callback(pending, &delivery)?);
    let request = pair.token_request(&callback);
    let http = pair.token_endpoint(&request);
    let session = parked(callback.token_response(
        &pair.ctx(),
        http.status,
        content_type(&http),
        http.body.as_bytes(),
        pair.now,
    )?);
    pair.now = pair.now.plus(30);
    let request = pair.refresh_request(&session);
    let http = pair.token_endpoint(&request);
    let session = parked(session.refresh_response(
        &pair.ctx(),
        http.status,
        content_type(&http),
        http.body.as_bytes(),
        pair.now,
    )?);
    let http = pair.userinfo_endpoint(&session);
    let info = session.userinfo_response(http.status, content_type(&http), http.body.as_bytes())?;
    let name = info.claims["name"].as_str().unwrap_or_default().to_owned();
    Ok((session, name))
}

fn check_accepted(c: &Case) {
    let (session, name) = full_exchange(c).unwrap_or_else(|e| panic!("{c:?}: {e}"));
    assert_eq!(session.sub(), c.sub);
    assert_eq!(session.id_token().alg, c.alg);
    assert_eq!(name, c.name);
}

/// The product of type × mode × auth method (ES256), and of type × alg
/// (each type's default mode, `client_secret_basic`): every combination
/// once, not left to chance.
#[test]
fn every_type_mode_auth_and_alg_is_accepted() {
    let base = Case {
        response_type: ResponseType::Code,
        mode: ResponseMode::Query,
        auth: AuthKind::Basic,
        alg: Alg::ES256,
        sub: "alice".into(),
        name: "Alice <\"&'> Example".into(),
        max_age: Some(600),
    };
    for (response_type, mode) in type_modes() {
        for auth in AUTHS {
            check_accepted(&Case {
                response_type,
                mode,
                auth,
                ..base.clone()
            });
        }
    }
    for response_type in ResponseType::ALL {
        for alg in SIGNING_ALGS {
            check_accepted(&Case {
                response_type,
                mode: response_type.default_mode(),
                alg,
                ..base.clone()
            });
        }
    }
}

fn config(cases: u32, file: &'static str) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(48, "proptest-regressions/prop_roundtrip.txt"))]

    /// Random exchanges across the whole product, random users and claims.
    #[test]
    fn op_output_is_accepted_by_the_rp(c in case_with(SIGNING_ALGS.to_vec())) {
        check_accepted(&c);
    }

    /// Whatever the state (any characters, HTML and form specials), the
    /// provider's response carries it back to the redirect URI exactly, in
    /// every mode.
    #[test]
    fn the_response_carries_any_state_back(
        state in "\\PC{1,60}",
        (response_type, mode) in prop::sample::select(type_modes()),
    ) {
        let pair = Pair::new(AuthKind::Basic, Alg::ES256);
        let query = form::write([
            ("response_type", response_type.as_str()),
            ("client_id", oidc_hybrid_harness::sim::pair::CLIENT_ID),
            ("redirect_uri", oidc_hybrid_harness::sim::pair::REDIRECT_URI),
            ("scope", "openid"),
            ("state", state.as_str()),
            ("nonce", "n"),
            ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
            ("code_challenge_method", "S256"),
            ("response_mode", mode.as_str()),
        ]);
        let url = format!("https://op.example/authorize?{query}");
        let request = pair.authorize(&url);
        prop_assert_eq!(request.state(), Some(state.as_str()));
        let mut pair = pair;
        let d = pair.complete(request, Subject::new("alice", pair.now));
        prop_assert_eq!(d.mode, mode);
        prop_assert_eq!(d.get("state"), Some(state.as_str()));
        // And back through the relying party's parser.
        let raw = d.raw();
        let params = Params::parse(&raw).expect("parses");
        prop_assert_eq!(params.get("state"), Some(state.as_str()));
    }
}

/// What an independent reading of `token` says the relying party must
/// answer, given that it expects `alg` and holds `jwks` (RFC 7515 §5.2,
/// §7.1; OIDC Core §3.1.3.7 steps 6–7, §10.1): three base64url segments
/// and a JSON object header naming an `alg`, else `malformed`; the
/// registered `alg`, else `alg_not_allowed`; a `kid` the JWKS holds, else
/// `unknown_kid`; then, since the signed bytes changed, `bad_signature`.
fn expected_code(token: &str, alg: Alg, jwks: &Jwks) -> &'static str {
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts[..] else {
        return "malformed";
    };
    let decoded: Vec<Option<Vec<u8>>> = [h, p, s]
        .iter()
        .map(|seg| Base64UrlUnpadded::decode_vec(seg).ok())
        .collect();
    let [Some(header), Some(_), Some(_)] = &decoded[..] else {
        return "malformed";
    };
    let Ok(Value::Object(header)) = serde_json::from_slice::<Value>(header) else {
        return "malformed";
    };
    if !header.get("crit").is_none_or(Value::is_null) {
        return "malformed";
    }
    let optional_string = |k: &str| header.get(k).is_none_or(|v| v.is_null() || v.is_string());
    let Some(Value::String(named)) = header.get("alg") else {
        return "malformed";
    };
    if !optional_string("kid") || !optional_string("typ") {
        return "malformed";
    }
    if named != alg.as_str() {
        return "alg_not_allowed";
    }
    if let Some(Value::String(kid)) = header.get("kid")
        && !jwks.keys().iter().any(|k| k.kid.as_deref() == Some(kid))
    {
        return "unknown_kid";
    }
    "bad_signature"
}

/// `token` with the character at `pos` replaced by `c` (`None` if it was
/// already `c`).
fn mutate(token: &str, pos: prop::sample::Index, c: char) -> Option<String> {
    let mut chars: Vec<char> = token.chars().collect();
    let i = pos.index(chars.len());
    (chars[i] != c).then(|| {
        chars[i] = c;
        chars.into_iter().collect()
    })
}

/// A character to put in: mostly base64url (so the token stays
/// well-formed and the signature check is reached), sometimes anything.
fn replacement() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                .chars()
                .collect::<Vec<_>>()
        ),
        1 => prop::char::range('!', '~'),
    ]
}

/// Which signed artefact to damage.
#[derive(Clone, Copy, Debug)]
enum Artefact {
    FrontIdToken,
    TokenIdToken,
    RefreshIdToken,
    ClientAssertion,
}

fn replace_id_token(body: &str, edit: impl FnOnce(&str) -> Option<String>) -> Option<String> {
    let mut json: Value = serde_json::from_str(body).expect("JSON");
    let damaged = edit(json["id_token"].as_str()?)?;
    json["id_token"] = damaged.into();
    Some(json.to_string())
}

/// Runs `c` with `artefact` damaged by `edit`; `None` when the edit did
/// not change it. Returns the code the relying party gave and the one
/// expected.
fn damaged(
    c: &Case,
    artefact: Artefact,
    edit: impl FnOnce(&str) -> Option<String>,
) -> Option<(&'static str, &'static str)> {
    let Run {
        mut pair,
        pending,
        mut delivery,
    } = start(c);
    let jwks = pair.jwks.clone();
    if let Artefact::FrontIdToken = artefact {
        let token = delivery.get("id_token")?.to_owned();
        let bad = edit(&token)?;
        let want = expected_code(&bad, c.alg, &jwks);
        for p in &mut delivery.params {
            if p.0 == "id_token" {
                p.1 = bad.clone();
            }
        }
        return Some((code_of(&pair.callback(pending, &delivery)), want));
    }
    let callback = pair.callback(pending, &delivery).expect("callback");
    let mut request = pair.token_request(&callback);
    if let Artefact::ClientAssertion = artefact {
        let (bad, rest) = {
            let params = Params::parse(&request.body).expect("form");
            let jwt = params.get("client_assertion")?.to_owned();
            let bad = edit(&jwt)?;
            let rest: Vec<(String, String)> = params
                .iter()
                .map(|(n, v)| {
                    let v = if n == "client_assertion" { &bad } else { v };
                    (n.to_owned(), v.to_owned())
                })
                .collect();
            (bad, rest)
        };
        let _ = bad;
        request.body = form::write(rest.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let http = pair.token_endpoint(&request);
        let json: Value = serde_json::from_str(&http.body).expect("JSON");
        let got = if http.status == 400 && json["error"] == "invalid_client" {
            "invalid_client"
        } else {
            "other"
        };
        return Some((got, "invalid_client"));
    }
    let http = pair.token_endpoint(&request);
    let ctx_check = |pair: &Pair, body: &str| {
        callback.token_response(
            &pair.ctx(),
            http.status,
            content_type(&http),
            body.as_bytes(),
            pair.now,
        )
    };
    if let Artefact::TokenIdToken = artefact {
        let mut want = "";
        let body = replace_id_token(&http.body, |t| {
            let bad = edit(t)?;
            want = expected_code(&bad, c.alg, &jwks);
            Some(bad)
        })?;
        return Some((code_of(&ctx_check(&pair, &body)), want));
    }
    let session = ctx_check(&pair, &http.body).expect("token response");
    let request = pair.refresh_request(&session);
    let http = pair.token_endpoint(&request);
    let mut want = "";
    let body = replace_id_token(&http.body, |t| {
        let bad = edit(t)?;
        want = expected_code(&bad, c.alg, &jwks);
        Some(bad)
    })?;
    let got = session.refresh_response(
        &pair.ctx(),
        http.status,
        content_type(&http),
        body.as_bytes(),
        pair.now,
    );
    Some((code_of(&got), want))
}

proptest! {
    #![proptest_config(config(96, "proptest-regressions/prop_roundtrip_mutations.txt"))]

    /// One changed character in a signed artefact is refused, with the
    /// code the damage calls for.
    #[test]
    fn one_changed_character_in_a_signed_artefact_is_refused(
        c in case_with(SIGNING_ALGS.to_vec()),
        artefact in prop::sample::select(vec![
            Artefact::FrontIdToken,
            Artefact::TokenIdToken,
            Artefact::RefreshIdToken,
            Artefact::ClientAssertion,
        ]),
        pos in any::<prop::sample::Index>(),
        ch in replacement(),
    ) {
        let c = Case {
            // Damage what the case has: a front ID token needs a type that
            // returns one, an assertion needs private_key_jwt.
            response_type: match artefact {
                Artefact::FrontIdToken if !c.response_type.returns_id_token() => ResponseType::CodeIdToken,
                _ => c.response_type,
            },
            mode: match artefact {
                Artefact::FrontIdToken if c.mode == ResponseMode::Query => ResponseMode::Fragment,
                _ => c.mode,
            },
            auth: match artefact {
                Artefact::ClientAssertion => AuthKind::PrivateKeyJwt,
                _ => c.auth,
            },
            max_age: None,
            ..c
        };
        let outcome = damaged(&c, artefact, |t| mutate(t, pos, ch));
        prop_assume!(outcome.is_some());
        let (got, want) = outcome.unwrap();
        prop_assert_eq!(got, want, "{:?} of {:?}", artefact, c);
    }
}

/// The mutation oracle itself, on hand-made damage (so a wrong oracle
/// cannot make the property above pass vacuously).
#[test]
fn the_oracle_names_each_kind_of_damage() {
    let pair = Pair::new(AuthKind::Basic, Alg::RS256);
    let jwks = pair.jwks.clone();
    let key = signing_key(Alg::RS256);
    let token = key.sign_jws(Some("JWT"), br#"{"sub":"a"}"#);
    let enc = |v: &str| Base64UrlUnpadded::encode_string(v.as_bytes());
    let (_, rest) = token.split_once('.').unwrap();
    let with_header = |h: &str| format!("{}.{rest}", enc(h));
    let kid = key.kid();
    assert_eq!(expected_code("a.b", Alg::RS256, &jwks), "malformed");
    assert_eq!(
        expected_code(&with_header("[1]"), Alg::RS256, &jwks),
        "malformed"
    );
    assert_eq!(
        expected_code(&with_header(r#"{"alg":"RS512"}"#), Alg::RS256, &jwks),
        "alg_not_allowed"
    );
    assert_eq!(
        expected_code(
            &with_header(r#"{"alg":"RS256","kid":"other"}"#),
            Alg::RS256,
            &jwks
        ),
        "unknown_kid"
    );
    let typ = with_header(&format!(r#"{{"alg":"RS256","kid":"{kid}","typ":"JWS"}}"#));
    assert_eq!(expected_code(&typ, Alg::RS256, &jwks), "bad_signature");
    // And the relying party agrees on these (via the ID token check).
    let check = |t: &str| {
        oidc_hybrid::jose::verify_compact(t, &[Alg::RS256], &jwks)
            .map(|_| ())
            .map_err(|e| e.code())
    };
    assert_eq!(check(&token), Ok(()));
    assert_eq!(check(&typ), Err("bad_signature"));
    assert_eq!(
        check(&with_header(r#"{"alg":"RS256","kid":"other"}"#)),
        Err("unknown_kid")
    );
}

/// The provider's keys: ES256 always, and any of ES384, one RSA
/// algorithm, EdDSA (one RSA key cannot be published for two algorithms:
/// its `kid` is its thumbprint).
fn key_set() -> impl Strategy<Value = Vec<Alg>> {
    (
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![
            Alg::RS256,
            Alg::RS384,
            Alg::RS512,
        ])),
        any::<bool>(),
    )
        .prop_map(|(es384, rsa, eddsa)| {
            let mut algs = vec![Alg::ES256];
            algs.extend(es384.then_some(Alg::ES384));
            algs.extend(rsa);
            algs.extend(eddsa.then_some(Alg::EdDSA));
            algs
        })
}

proptest! {
    #![proptest_config(config(64, "proptest-regressions/prop_roundtrip_documents.txt"))]

    /// The provider's discovery document, read by the relying party, says
    /// what the provider is configured with; its JWKS, read by the relying
    /// party, gives back every published key under its `kid` (the RFC 7638
    /// thumbprint).
    #[test]
    fn discovery_and_jwks_documents_round_trip(
        host in "[a-z]{1,12}(\\.[a-z]{2,6}){0,2}",
        port in prop::option::of(1u16..),
        path in "(/[a-zA-Z0-9_-]{1,8}){0,2}",
        algs in key_set(),
    ) {
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let issuer = format!("https://{host}{port}{path}");
        let config = op::ProviderConfig::new(&issuer).expect("config");
        let mut keys = op::KeySet::new(signing_key(Alg::ES256));
        for alg in &algs[1..] {
            let key = signing_key(*alg);
            let kid = key.public_key().thumbprint();
            keys.publish(key);
            keys.activate(&kid).expect("activate");
        }
        let m = ProviderMetadata::parse(op::discovery_json(&config, &keys).as_bytes(), &issuer)
            .expect("the relying party reads the provider's document");
        prop_assert_eq!(m.issuer(), issuer.as_str());
        prop_assert_eq!(m.authorization_endpoint(), config.authorization_endpoint.as_str());
        prop_assert_eq!(m.token_endpoint(), config.token_endpoint.as_str());
        prop_assert_eq!(m.jwks_uri(), config.jwks_uri.as_str());
        prop_assert_eq!(m.userinfo_endpoint(), Some(config.userinfo_endpoint.as_str()));
        prop_assert!(m.iss_parameter_supported());
        let mut want = algs.clone();
        want.sort_by_key(|a| a.as_str());
        let mut got = m.id_token_signing_alg_values_supported().to_vec();
        got.sort_by_key(|a| a.as_str());
        prop_assert_eq!(got, want);
        for t in ResponseType::ALL {
            prop_assert!(m.response_types_supported().iter().any(|s| s == t.as_str()));
        }
        let modes = m.response_modes_supported().expect("modes");
        for mode in ResponseMode::ALL {
            prop_assert!(modes.iter().any(|s| s == mode.as_str()));
        }
        for method in ["client_secret_basic", "client_secret_post", "private_key_jwt"] {
            prop_assert!(m.token_endpoint_auth_methods_supported().expect("methods").iter().any(|s| s == method));
        }
        prop_assert_eq!(m.code_challenge_methods_supported().expect("pkce"), &["S256".to_owned()][..]);

        let jwks = Jwks::parse(op::jwks_json(&keys).as_bytes()).expect("the relying party reads the JWKS");
        prop_assert_eq!(jwks.keys().len(), algs.len());
        for k in keys.keys() {
            prop_assert_eq!(k.kid(), k.public_key().thumbprint());
            let found = jwks.select(k.alg(), Some(k.kid())).expect("selectable by kid");
            prop_assert_eq!(&found.key, &k.public_key());
            // And a token it signs verifies against the published copy.
            let token = k.sign_jws(Some("JWT"), br#"{"sub":"a"}"#);
            prop_assert!(oidc_hybrid::jose::verify_compact(&token, &[k.alg()], &jwks).is_ok());
        }
    }
}

/// Issuer URLs made of the parts the https-or-loopback rule is about.
fn issuer_url() -> impl Strategy<Value = String> {
    let pick = |v: &[&'static str]| prop::sample::select(v.to_vec());
    (
        pick(&["https", "http", "HTTP", "ftp"]),
        pick(&["", "", "", "127.0.0.1@", "user@"]),
        pick(&[
            "127.0.0.1",
            "127.1.2.3",
            "127.evil.example",
            "127.0.0.1.nip.io",
            "localhost",
            "LOCALHOST",
            "localhost.evil.example",
            "[::1]",
            "op.example",
            "10.0.0.1",
            "1270.0.0.1",
        ]),
        pick(&["", "", ":4010", ":abc"]),
        pick(&["", "/", "/tenant"]),
        pick(&["", "", "", "?x=1", "#f"]),
    )
        .prop_map(|(scheme, user, host, port, path, tail)| {
            format!("{scheme}://{user}{host}{port}{path}{tail}")
        })
}

proptest! {
    #![proptest_config(config(256, "proptest-regressions/prop_roundtrip_issuer.txt"))]

    /// The provider accepts an issuer exactly when the relying party does
    /// (OIDC Discovery §3: https, no query or fragment; RFC 8252 §8.3:
    /// plain http only on a loopback host): a provider cannot be configured
    /// with an issuer its own relying parties must refuse, and a URL that
    /// merely starts like a loopback address is not one.
    #[test]
    fn provider_and_relying_party_agree_on_issuers(issuer in issuer_url()) {
        let op = op::ProviderConfig::new(&issuer);
        let base = issuer.trim_end_matches('/');
        let rp = ProviderMetadata::new(
            &issuer,
            &format!("{base}/authorize"),
            &format!("{base}/token"),
            &format!("{base}/jwks"),
        );
        prop_assert_eq!(op.is_ok(), rp.is_ok(), "{}: provider {:?}, relying party {:?}", issuer, op.err(), rp.err());
    }
}

/// Redirect URIs made of the parts RFC 6749 §3.1.2 is about.
fn redirect_uri() -> impl Strategy<Value = String> {
    let pick = |v: &[&'static str]| prop::sample::select(v.to_vec());
    (
        pick(&[
            "https://",
            "http://",
            "com.example.app:/",
            "",
            "/",
            "1http://",
            ":",
        ]),
        pick(&["rp.example", "127.0.0.1:9999", ""]),
        pick(&["/cb", "", "/cb?x=1"]),
        pick(&["", "", "#frag"]),
    )
        .prop_map(|(a, b, c, d)| format!("{a}{b}{c}{d}"))
        .prop_filter("non-empty", |s| !s.is_empty())
}

proptest! {
    #![proptest_config(config(128, "proptest-regressions/prop_roundtrip_clients.txt"))]

    /// A redirect URI the provider registers is one the relying party can
    /// be configured with, and the other way round (RFC 6749 §3.1.2: an
    /// absolute URI without fragment).
    #[test]
    fn provider_and_relying_party_agree_on_redirect_uris(uri in redirect_uri()) {
        let op = op::Client {
            client_id: "c".into(),
            secret: Some(op::ClientSecretHash::of("s")),
            redirect_uris: vec![uri.clone()],
            response_types: vec![op::ResponseType::Code],
            grant_types: vec![op::GrantType::AuthorizationCode],
            auth_method: op::AuthMethod::ClientSecretBasic,
            id_token_alg: Alg::ES256,
            jwks: None,
        }
        .check();
        let rp = oidc_hybrid::rp::Client::new(
            "c",
            oidc_hybrid::rp::ClientAuth::ClientSecretBasic(oidc_hybrid::rp::ClientSecret::new("s")),
            &uri,
            Alg::ES256,
        );
        prop_assert_eq!(op.is_ok(), rp.is_ok(), "{}: provider {:?}, relying party {:?}", uri, op.err(), rp.err());
    }

    /// A client id the provider registers is one the relying party can be
    /// configured with, and the other way round (RFC 6749 §2.2, Appendix
    /// A.1: no control characters).
    #[test]
    fn provider_and_relying_party_agree_on_client_ids(id in "\\PC{0,4}(\\p{Cc})?\\PC{0,4}") {
        let op = op::Client {
            client_id: id.clone(),
            secret: Some(op::ClientSecretHash::of("s")),
            redirect_uris: vec!["https://rp.example/cb".into()],
            response_types: vec![op::ResponseType::Code],
            grant_types: vec![op::GrantType::AuthorizationCode],
            auth_method: op::AuthMethod::ClientSecretBasic,
            id_token_alg: Alg::ES256,
            jwks: None,
        }
        .check();
        let rp = oidc_hybrid::rp::Client::new(
            &id,
            oidc_hybrid::rp::ClientAuth::ClientSecretBasic(oidc_hybrid::rp::ClientSecret::new("s")),
            "https://rp.example/cb",
            Alg::ES256,
        );
        prop_assert_eq!(op.is_ok(), rp.is_ok(), "{:?}: provider {:?}, relying party {:?}", id, op.err(), rp.err());
    }

    /// The two `response_type` parsers agree, in any order of the values.
    #[test]
    fn provider_and_relying_party_agree_on_response_types(
        parts in prop::collection::vec(prop::sample::select(vec!["code", "id_token", "token", "none", "", "Code"]), 0..4),
    ) {
        let value = parts.join(" ");
        let op = op::ResponseType::parse(&value).map(op::ResponseType::as_str);
        let rp = ResponseType::parse(&value).ok().map(ResponseType::as_str);
        prop_assert_eq!(op, rp, "{:?}", value);
    }

    /// Whatever the client id and secret (any characters a registration can
    /// hold, `:` `+` `%` spaces and non-ASCII included), the relying party's
    /// `client_secret_basic` and `client_secret_post` authenticate it at the
    /// provider (RFC 6749 §2.3.1: form-encoded, then base64 for Basic).
    #[test]
    fn any_client_id_and_secret_authenticate(
        id in "[^\\p{Cc}]{1,24}",
        secret in "\\PC{1,40}",
        post in any::<bool>(),
    ) {
        let auth = if post { AuthKind::Post } else { AuthKind::Basic };
        let mut pair = Pair::with_credentials(auth, Alg::ES256, &id, &secret);
        let (url, pending) = pair.begin(AuthOptions::new(ResponseType::Code)).expect("begin");
        let request = pair.authorize(&url);
        prop_assert_eq!(request.client_id(), id.as_str());
        let delivery = pair.complete(request, Subject::new("alice", pair.now));
        let callback = pair.callback(pending, &delivery).expect("callback");
        let request = pair.token_request(&callback);
        let http = pair.token_endpoint(&request);
        prop_assert_eq!(http.status, 200, "{}", http.body);
    }
}

/// One way to spoil a valid authorization request without touching
/// `client_id`, `redirect_uri` or `state`.
fn spoil() -> impl Strategy<Value = (&'static str, Option<&'static str>)> {
    prop::sample::select(vec![
        ("response_type", None),
        ("response_type", Some("token")),
        ("response_type", Some("code code")),
        ("response_mode", Some("web_message")),
        ("scope", None),
        ("scope", Some("profile")),
        ("nonce", None),
        ("code_challenge", None),
        ("code_challenge", Some("short")),
        ("code_challenge_method", None),
        ("code_challenge_method", Some("plain")),
        ("prompt", Some("none login")),
        ("prompt", Some("sometimes")),
        ("max_age", Some("-1")),
        ("request", Some("eyJ.e30.")),
        ("request_uri", Some("https://rp.example/r")),
        ("registration", Some("{}")),
    ])
}

proptest! {
    #![proptest_config(config(96, "proptest-regressions/prop_roundtrip_errors.txt"))]

    /// Every error the provider redirects reaches the relying party as that
    /// error: `provider_error` with the same `error` and `error_description`
    /// (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6), in whatever mode it came.
    #[test]
    fn provider_errors_reach_the_relying_party_as_sent(
        (response_type, mode) in prop::sample::select(type_modes()),
        (name, value) in spoil(),
    ) {
        let mut pair = Pair::new(AuthKind::Basic, Alg::ES256);
        let options = AuthOptions {
            response_mode: Some(mode),
            ..AuthOptions::new(response_type)
        };
        let (url, pending) = pair.begin(options).expect("begin");
        let (_, query) = url.split_once('?').expect("query");
        let params = Params::parse(query).expect("params");
        let mut spoilt: Vec<(String, String)> = params
            .iter()
            .filter(|(n, _)| *n != name)
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        if let Some(v) = value {
            spoilt.push((name.to_owned(), v.to_owned()));
        }
        let raw = form::write(spoilt.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let answer = op::authorize(&raw, &pair.registry, &pair.config, pair.now);
        // `nonce` is optional for `code`: only refusals are of interest.
        prop_assume!(matches!(answer, op::Authorize::RedirectError(_)));
        let op::Authorize::RedirectError(e) = answer else {
            unreachable!()
        };
        let delivery = Delivery::of(&e.response());
        let got = pair.callback(pending, &delivery).expect_err("an error response");
        prop_assert_eq!(got.code(), "provider_error");
        let body = got.provider_error().expect("the provider's error");
        prop_assert_eq!(body.error.as_str(), e.error.as_str());
        prop_assert_eq!(body.description.as_deref(), Some(e.description.as_ref()));
    }
}
