//! The provider's token endpoint: client authentication, code redemption
//! rules, the refresh grant, and what the token-endpoint ID token carries.

mod op_common;

use oidc_hybrid::UnixTime;
use oidc_hybrid::encoding::form;
use oidc_hybrid::jose::Alg;
use oidc_hybrid::op::{
    Action, CodeGrant, Completed, Entropy, KeySet, Lookup, OAuthError, RefreshGrant, ResponseType,
    StoreRecord, TokenError, TokenGranted, TokenRequest, client_auth::JWT_BEARER,
};
use oidc_hybrid_harness::server::store::MemoryStore;
use op_common::*;
use serde_json::Value;

/// The provider's side of the test: keys, the in-memory store.
struct Op {
    keys: KeySet,
    store: MemoryStore,
}

impl Op {
    fn new() -> Self {
        Self {
            keys: keys(),
            store: MemoryStore::default(),
        }
    }

    /// Runs an authorization and stores its records; returns the code.
    fn authorize(&self, req: &Req) -> (String, Completed) {
        let done = complete_req(req, &self.keys);
        let (_, p) = response_params(&done.response);
        self.store.save(done.records.clone(), NOW);
        (get(&p, "code").unwrap().to_owned(), done)
    }

    /// The token endpoint as the harness runs it.
    fn token(
        &self,
        body: &str,
        auth: Option<&str>,
        now: UnixTime,
    ) -> Result<TokenGranted, TokenError> {
        let req = TokenRequest::parse(body, auth, &registry(), &config(), now)?;
        if let Some(a) = req.assertion()
            && !self.store.first_use_of_assertion(a)
        {
            return Err(TokenError::replayed_assertion());
        }
        let bytes = entropy_bytes();
        let e = Entropy::new(&bytes).unwrap();
        let res = match req {
            TokenRequest::AuthorizationCode(r) => {
                let l = self.store.take_code(r.key());
                r.redeem(l, e, &self.keys, &config(), now)
            }
            TokenRequest::RefreshToken(r) => {
                let l = self.store.take_refresh(r.key());
                r.redeem(l, e, &self.keys, &config(), now)
            }
        };
        match res {
            Ok(g) => {
                self.store.save(g.records.clone(), now);
                Ok(g)
            }
            Err(e) => {
                if let Some(Action::Revoke(id)) = &e.action {
                    self.store.revoke(id);
                }
                Err(e)
            }
        }
    }
}

fn json(g: &TokenGranted) -> Value {
    serde_json::from_str(&g.json).unwrap()
}

fn basic_ok() -> String {
    basic(CLIENT_ID, SECRET)
}

#[test]
fn code_redemption_for_every_response_type() {
    let op = Op::new();
    let jwks = provider_jwks(&op.keys);
    for rt in ResponseType::ALL {
        let (code, done) = op.authorize(&Req::new(rt));
        let g = op
            .token(
                &code_body(&code, REDIRECT, VERIFIER),
                Some(&basic_ok()),
                NOW,
            )
            .expect("redeemed");
        let http = g.to_http();
        assert_eq!(http.status, 200);
        assert_eq!(http.header_value("cache-control"), Some("no-store"));
        assert_eq!(http.header_value("pragma"), Some("no-cache"));
        let j = json(&g);
        assert_eq!(j["token_type"], "Bearer");
        assert_eq!(j["expires_in"], 3600);
        assert!(j["refresh_token"].is_string(), "the client may refresh");
        let at = j["access_token"].as_str().unwrap();
        // The back-channel ID token: same iss/sub as the front channel's,
        // at_hash of the new access token, the nonce (OIDC Core §3.3.3.6).
        let back = check_id_token(
            j["id_token"].as_str().unwrap(),
            &jwks,
            Some("n-456"),
            None,
            Some(at),
            None,
            false,
            NOW,
        );
        assert_eq!(
            back.claims["at_hash"],
            oidc_hybrid::hash::half_hash(Alg::ES256, at.as_bytes()).as_str()
        );
        let (_, p) = response_params(&done.response);
        if let Some(front) = get(&p, "id_token") {
            let front = check_id_token(
                front,
                &jwks,
                Some("n-456"),
                Some(&code),
                get(&p, "access_token"),
                Some("st-123"),
                true,
                NOW,
            );
            assert_eq!((front.iss, front.sub), (back.iss.clone(), back.sub.clone()));
            // A new access token, not the front channel's.
            assert_ne!(Some(at), get(&p, "access_token"));
        }
    }
}

#[test]
fn code_reuse_is_invalid_grant_and_revokes_the_grant() {
    let op = Op::new();
    let (code, _) = op.authorize(&Req::new(ResponseType::CodeToken));
    let first = op
        .token(
            &code_body(&code, REDIRECT, VERIFIER),
            Some(&basic_ok()),
            NOW,
        )
        .unwrap();
    let j = json(&first);
    let at = j["access_token"].as_str().unwrap().to_owned();
    let rt = j["refresh_token"].as_str().unwrap().to_owned();
    assert!(
        op.store
            .access(&oidc_hybrid::op::StoreKey::of(&at))
            .is_some()
    );

    let again = op
        .token(
            &code_body(&code, REDIRECT, VERIFIER),
            Some(&basic_ok()),
            NOW,
        )
        .unwrap_err();
    assert_eq!(again.error, OAuthError::InvalidGrant);
    assert_eq!(again.status, 400);
    let Some(Action::Revoke(grant_id)) = &again.action else {
        panic!("a Revoke action is required: {again:?}");
    };
    assert_eq!(
        serde_json::from_str::<Value>(&again.to_http().body).unwrap()["error"],
        "invalid_grant"
    );
    // Tokens issued from that grant are now refused.
    assert!(
        op.store
            .access(&oidc_hybrid::op::StoreKey::of(&at))
            .is_none()
    );
    let refresh = form::write([("grant_type", "refresh_token"), ("refresh_token", &rt)]);
    assert_eq!(
        op.token(&refresh, Some(&basic_ok()), NOW)
            .unwrap_err()
            .error,
        OAuthError::InvalidGrant
    );
    assert!(!grant_id.as_str().is_empty());
}

#[test]
fn code_replayed_after_the_code_expired_still_revokes() {
    // RFC 6749 §4.1.2: the tombstone outlives the code (60 s) for as long as
    // the tokens it yielded, so a late replay is still detected.
    let op = Op::new();
    let (code, _) = op.authorize(&Req::new(ResponseType::Code));
    op.token(
        &code_body(&code, REDIRECT, VERIFIER),
        Some(&basic_ok()),
        NOW,
    )
    .unwrap();
    // The store purges what has expired by then (codes live 60 s).
    op.store.save(Vec::new(), NOW.plus(300));
    let late = op
        .token(
            &code_body(&code, REDIRECT, VERIFIER),
            Some(&basic_ok()),
            NOW.plus(300),
        )
        .unwrap_err();
    assert_eq!(late.error, OAuthError::InvalidGrant);
    assert!(matches!(late.action, Some(Action::Revoke(_))), "{late:?}");
}

#[test]
fn redeem_checks_each_binding() {
    let keys = keys();
    let (code, done) = {
        let op = Op::new();
        op.authorize(&Req::new(ResponseType::CodeIdToken))
    };
    let StoreRecord::Code { grant, .. } = code_record(&done) else {
        unreachable!()
    };
    let redeem = |body: &str, auth: &str, lookup: Lookup<CodeGrant>, now: UnixTime| {
        let req = TokenRequest::parse(body, Some(auth), &registry(), &config(), now)?;
        let TokenRequest::AuthorizationCode(r) = req else {
            panic!("code request")
        };
        let bytes = entropy_bytes();
        r.redeem(lookup, Entropy::new(&bytes).unwrap(), &keys, &config(), now)
    };
    let good = code_body(&code, REDIRECT, VERIFIER);
    // The unchanged request succeeds: each case below changes one thing.
    assert!(redeem(&good, &basic_ok(), Lookup::Found(grant.clone()), NOW).is_ok());

    // Expired code (RFC 6749 §4.1.2), at and after its expiry.
    let e = redeem(
        &good,
        &basic_ok(),
        Lookup::Found(grant.clone()),
        grant.expires_at,
    )
    .unwrap_err();
    assert_eq!(
        (e.error, e.description.as_ref()),
        (OAuthError::InvalidGrant, "the code has expired")
    );
    assert!(grant.expires_at.0 - NOW.0 <= 600);

    // Code of another client (RFC 6749 §4.1.3).
    let e = redeem(
        &good,
        &basic(OTHER_ID, OTHER_SECRET),
        Lookup::Found(grant.clone()),
        NOW,
    )
    .unwrap_err();
    assert_eq!(e.error, OAuthError::InvalidGrant);
    assert!(e.description.contains("another client"));

    // redirect_uri changed at the token endpoint.
    let moved = code_body(&code, "http://127.0.0.1:9999/other", VERIFIER);
    let e = redeem(&moved, &basic_ok(), Lookup::Found(grant.clone()), NOW).unwrap_err();
    assert_eq!(e.error, OAuthError::InvalidGrant);
    assert!(e.description.contains("redirect_uri"));

    // PKCE mismatch (RFC 7636 §4.6).
    let wrong = code_body(
        &code,
        REDIRECT,
        "wrong-verifier-wrong-verifier-wrong-verifier-0",
    );
    let e = redeem(&wrong, &basic_ok(), Lookup::Found(grant.clone()), NOW).unwrap_err();
    assert_eq!(e.error, OAuthError::InvalidGrant);
    assert!(e.description.contains("code_verifier"));

    // An unknown code, and a missing verifier.
    let e = redeem(&good, &basic_ok(), Lookup::Missing, NOW).unwrap_err();
    assert_eq!((e.error, e.action), (OAuthError::InvalidGrant, None));
    let no_verifier = form::write([
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", REDIRECT),
    ]);
    assert_eq!(
        redeem(&no_verifier, &basic_ok(), Lookup::Found(grant), NOW)
            .unwrap_err()
            .error,
        OAuthError::InvalidRequest
    );
}

#[test]
fn wrong_client_secret_is_401_with_basic_challenge() {
    let op = Op::new();
    let (code, _) = op.authorize(&Req::new(ResponseType::Code));
    let body = code_body(&code, REDIRECT, VERIFIER);
    for auth in [
        Some(basic(CLIENT_ID, "not-the-secret")),
        Some(basic(CLIENT_ID, &SECRET[..SECRET.len() - 1])),
        Some(basic("nobody", SECRET)),
        Some("Basic %%%".to_owned()),
        None,
    ] {
        let e = op.token(&body, auth.as_deref(), NOW).unwrap_err();
        assert_eq!(e.error, OAuthError::InvalidClient, "{auth:?}");
        let http = e.to_http();
        assert_eq!(http.status, 401);
        assert!(
            http.header_value("www-authenticate")
                .unwrap()
                .starts_with("Basic realm=")
        );
        assert_eq!(http.header_value("cache-control"), Some("no-store"));
    }
    // The code was not taken by the failed attempts: it still redeems.
    assert!(op.token(&body, Some(&basic_ok()), NOW).is_ok());
}

#[test]
fn basic_credentials_are_form_decoded() {
    let mut reg = registry();
    let mut c = oidc_hybrid_harness::server::default_client();
    c.client_id = "id with:colon".into();
    c.secret = Some(oidc_hybrid::op::ClientSecretHash::of("s+cr%t&=é"));
    reg.insert(c).unwrap();
    let body = code_body("x", REDIRECT, VERIFIER);
    let ok = TokenRequest::parse(
        &body,
        Some(&basic("id with:colon", "s+cr%t&=é")),
        &reg,
        &config(),
        NOW,
    );
    assert_eq!(ok.unwrap().client_id(), "id with:colon");
    // The same secret base64-encoded without form-encoding does not match.
    let raw = format!(
        "Basic {}",
        <base64ct::Base64 as base64ct::Encoding>::encode_string(b"id with:colon:s+cr%t&=\xc3\xa9")
    );
    assert!(TokenRequest::parse(&body, Some(&raw), &reg, &config(), NOW).is_err());
}

#[test]
fn client_secret_post_and_one_method_only() {
    let op = Op::new();
    let mut req = Req::new(ResponseType::Code);
    req.client_id = POST_ID.into();
    let (code, _) = op.authorize(&req);
    let body = format!(
        "{}&client_id={POST_ID}&client_secret={}",
        code_body(&code, REDIRECT, VERIFIER),
        SECRET
    );
    // Two methods at once is invalid_request (RFC 6749 §2.3).
    let e = op
        .token(&body, Some(&basic(POST_ID, SECRET)), NOW)
        .unwrap_err();
    assert_eq!(e.error, OAuthError::InvalidRequest);
    // Basic for a client registered for post is refused.
    let plain = code_body(&code, REDIRECT, VERIFIER);
    assert_eq!(
        op.token(&plain, Some(&basic(POST_ID, SECRET)), NOW)
            .unwrap_err()
            .status,
        401
    );
    let bad = format!("{plain}&client_id={POST_ID}&client_secret=nope");
    assert_eq!(
        op.token(&bad, None, NOW).unwrap_err().error,
        OAuthError::InvalidClient
    );
    assert!(op.token(&body, None, NOW).is_ok());
}

fn assertion(claims: Value) -> String {
    jwt_client_key()
        .with_kid("c1")
        .sign_jws(Some("JWT"), &serde_json::to_vec(&claims).unwrap())
}

#[test]
fn private_key_jwt() {
    let op = Op::new();
    let mut req = Req::new(ResponseType::CodeIdToken);
    req.client_id = JWT_ID.into();
    let (code, _) = op.authorize(&req);
    let claims = |jti: &str| {
        serde_json::json!({
            "iss": JWT_ID, "sub": JWT_ID, "aud": format!("{ISSUER}/token"),
            "exp": NOW.0 + 60, "iat": NOW.0, "jti": jti,
        })
    };
    let body = |jwt: &str| {
        format!(
            "{}&{}",
            code_body(&code, REDIRECT, VERIFIER),
            form::write([
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", jwt)
            ])
        )
    };
    // Wrong key, wrong aud, expired, wrong iss: invalid_client.
    let other_key = oidc_hybrid::jose::SigningKey::es256_from_bytes(&[9; 32])
        .unwrap()
        .with_kid("c1");
    let forged = other_key.sign_jws(Some("JWT"), &serde_json::to_vec(&claims("j0")).unwrap());
    let mut bad_aud = claims("j1");
    bad_aud["aud"] = "https://elsewhere.example/token".into();
    let mut expired = claims("j2");
    expired["exp"] = (NOW.0 - 3600).into();
    let mut bad_iss = claims("j3");
    bad_iss["iss"] = "someone".into();
    // RFC 7523 §3 item 4: an exp a year ahead is refused.
    let mut forever = claims("j4");
    forever["exp"] = (NOW.0 + 365 * 24 * 3600).into();
    for jwt in [
        forged,
        assertion(bad_aud),
        assertion(expired),
        assertion(bad_iss),
        assertion(forever),
    ] {
        assert_eq!(
            op.token(&body(&jwt), None, NOW).unwrap_err().error,
            OAuthError::InvalidClient
        );
    }
    // A good assertion works once; the same jti again is refused.
    let good = assertion(claims("j-ok"));
    let g = op.token(&body(&good), None, NOW).expect("private_key_jwt");
    assert!(json(&g)["id_token"].is_string());
    let e = op.token(&body(&good), None, NOW).unwrap_err();
    assert_eq!(e.error, OAuthError::InvalidClient);
}

#[test]
fn grant_type_rules() {
    let op = Op::new();
    let e = op.token("code=x", Some(&basic_ok()), NOW).unwrap_err();
    assert_eq!(e.error, OAuthError::InvalidRequest);
    let e = op
        .token(
            "grant_type=password&username=a&password=b",
            Some(&basic_ok()),
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.error, OAuthError::UnsupportedGrantType);
    let e = op
        .token(
            "grant_type=refresh_token&refresh_token=x",
            Some(&basic(OTHER_ID, OTHER_SECRET)),
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.error, OAuthError::UnauthorizedClient);
    let e = op
        .token(
            "grant_type=authorization_code&grant_type=refresh_token",
            Some(&basic_ok()),
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.error, OAuthError::InvalidRequest);
}

#[test]
fn refresh_rotates_narrows_and_detects_reuse() {
    let op = Op::new();
    let jwks = provider_jwks(&op.keys);
    let (code, _) = op.authorize(&Req::new(ResponseType::CodeIdToken).with("max_age", "600"));
    let first = json(
        &op.token(
            &code_body(&code, REDIRECT, VERIFIER),
            Some(&basic_ok()),
            NOW,
        )
        .unwrap(),
    );
    let rt1 = first["refresh_token"].as_str().unwrap().to_owned();
    let front = check_id_token(
        first["id_token"].as_str().unwrap(),
        &jwks,
        Some("n-456"),
        None,
        None,
        None,
        false,
        NOW,
    );

    let later = UnixTime(NOW.0 + 100);
    let body = |rt: &str, scope: Option<&str>| {
        let mut p = vec![("grant_type", "refresh_token"), ("refresh_token", rt)];
        if let Some(s) = scope {
            p.push(("scope", s));
        }
        form::write(p)
    };
    // Widening the scope is invalid_scope (RFC 6749 §6); the token survives.
    let e = op
        .token(&body(&rt1, Some("openid phone")), Some(&basic_ok()), later)
        .unwrap_err();
    assert_eq!(e.error, OAuthError::InvalidScope);
    // That attempt took the token: rotation is strict, it is now spent.
    let e = op
        .token(&body(&rt1, None), Some(&basic_ok()), later)
        .unwrap_err();
    assert_eq!(e.error, OAuthError::InvalidGrant);
    assert!(matches!(e.action, Some(Action::Revoke(_))));

    // A fresh grant: refresh, narrowed scope, rotation, §12.2 ID token.
    let (code, _) = op.authorize(&Req::new(ResponseType::CodeIdToken).with("max_age", "600"));
    let first = json(
        &op.token(
            &code_body(&code, REDIRECT, VERIFIER),
            Some(&basic_ok()),
            NOW,
        )
        .unwrap(),
    );
    let rt1 = first["refresh_token"].as_str().unwrap().to_owned();
    let g = op
        .token(&body(&rt1, Some("openid")), Some(&basic_ok()), later)
        .unwrap();
    let j = json(&g);
    assert_eq!(j["scope"], "openid");
    let rt2 = j["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(rt1, rt2, "refresh tokens rotate");
    let at = j["access_token"].as_str().unwrap();
    let refreshed = check_id_token(
        j["id_token"].as_str().unwrap(),
        &jwks,
        Some("n-456"),
        None,
        Some(at),
        None,
        false,
        later,
    );
    assert_eq!(
        (refreshed.iss.as_str(), refreshed.sub.as_str()),
        (front.iss.as_str(), front.sub.as_str())
    );
    assert_eq!(refreshed.iat, later);
    assert_eq!(
        refreshed.auth_time, front.auth_time,
        "auth_time of the original login"
    );
    assert!(refreshed.auth_time.is_some());
    // The new refresh token keeps the original scope.
    let g3 = op
        .token(&body(&rt2, None), Some(&basic_ok()), later)
        .unwrap();
    assert_eq!(json(&g3)["scope"], "openid profile email");
    // The rotated-away token used again revokes the whole grant.
    let e = op
        .token(&body(&rt1, None), Some(&basic_ok()), later)
        .unwrap_err();
    assert!(matches!(e.action, Some(Action::Revoke(_))));
    let rt3 = json(&g3)["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(
        op.token(&body(&rt3, None), Some(&basic_ok()), later)
            .unwrap_err()
            .error,
        OAuthError::InvalidGrant
    );
}

#[test]
fn refresh_of_another_client_or_expired() {
    let keys = keys();
    let grant = RefreshGrant {
        grant_id: serde_json::from_str("\"g1\"").unwrap(),
        client_id: OTHER_ID.into(),
        scope: "openid".into(),
        nonce: None,
        auth_time_required: false,
        id_token_alg: Alg::ES256,
        subject: subject(),
        expires_at: UnixTime(NOW.0 + 10),
    };
    let redeem = |g: RefreshGrant, now| {
        let req = TokenRequest::parse(
            "grant_type=refresh_token&refresh_token=r",
            Some(&basic_ok()),
            &registry(),
            &config(),
            now,
        )
        .unwrap();
        let TokenRequest::RefreshToken(r) = req else {
            panic!()
        };
        let bytes = entropy_bytes();
        r.redeem(
            Lookup::Found(g),
            Entropy::new(&bytes).unwrap(),
            &keys,
            &config(),
            now,
        )
    };
    assert_eq!(
        redeem(grant.clone(), NOW).unwrap_err().error,
        OAuthError::InvalidGrant
    );
    let mine = RefreshGrant {
        client_id: CLIENT_ID.into(),
        ..grant
    };
    assert!(redeem(mine.clone(), NOW).is_ok());
    let e = redeem(mine, UnixTime(NOW.0 + 10)).unwrap_err();
    assert_eq!(e.description, "the refresh token has expired");
}
