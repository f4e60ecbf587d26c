//! Every ID token in the recorded exchanges verifies against that exchange's
//! JWKS, and its hash claims match the exchange's code, access token and state.

use oidc_hybrid::claims::{Expectations, HashInputs, IdTokenCheck, UnixTime, verify_id_token};
use oidc_hybrid::encoding::Params;
use oidc_hybrid::jose::{Alg, Jwks};
use oidc_hybrid_harness::fixtures::{Transcript, decode_jws, transcript_paths};

struct Found {
    where_: &'static str,
    token: String,
    code: Option<String>,
    access_token: Option<String>,
    state: Option<String>,
}

fn id_tokens(t: &Transcript) -> Vec<Found> {
    let mut out = Vec::new();
    let params = Params::parse(t.raw_callback()).expect("recorded callback parses");
    let code = params.get("code").map(String::from);
    if let Some(tok) = params.get("id_token") {
        out.push(Found {
            where_: "authorization_response",
            token: tok.into(),
            code: code.clone(),
            access_token: params.get("access_token").map(String::from),
            state: params.get("state").map(String::from),
        });
    }
    for (field, where_) in [
        ("token_response", "token_response"),
        ("refresh_response", "refresh_response"),
    ] {
        let Some(resp) = t.extra_or(field) else {
            continue;
        };
        let body: serde_json::Value =
            serde_json::from_str(resp["body"].as_str().expect("body")).expect("json body");
        if let Some(tok) = body["id_token"].as_str() {
            out.push(Found {
                where_,
                token: tok.into(),
                code: None,
                access_token: body["access_token"].as_str().map(String::from),
                state: None,
            });
        }
    }
    out
}

trait ExtraOr {
    fn extra_or(&self, field: &str) -> Option<serde_json::Value>;
}

impl ExtraOr for Transcript {
    fn extra_or(&self, field: &str) -> Option<serde_json::Value> {
        match field {
            "token_response" => self.token_response.clone(),
            "refresh_response" => self.refresh_response.clone(),
            _ => None,
        }
    }
}

#[test]
fn every_recorded_id_token_verifies_with_matching_hashes() {
    let paths = transcript_paths();
    assert_eq!(paths.len(), 9, "the nine recorded exchanges are fixtures");
    let mut checked = 0;
    let mut hashes_checked = 0;
    for path in paths {
        let t = Transcript::load(&path).expect("fixture loads");
        let jwks = Jwks::parse(&t.jwks_bytes()).expect("recorded JWKS parses");
        let client_id = t.client["client_id"].as_str().expect("client_id");
        let nonce = t.request_str("nonce");
        for f in id_tokens(&t) {
            let (_, claims) = decode_jws(&f.token);
            let check = IdTokenCheck {
                algs: &[Alg::ES256],
                jwks: &jwks,
                claims: Expectations {
                    issuer: &t.issuer,
                    client_id,
                    trusted_audiences: &[],
                    nonce,
                    now: UnixTime(t.time),
                    leeway: 0,
                    max_age: None,
                    require_auth_time: false,
                },
                hashes: HashInputs {
                    alg: Alg::ES256,
                    code: f.code.as_deref(),
                    access_token: f.access_token.as_deref(),
                    state: f.state.as_deref(),
                    require_c_hash: f.code.is_some() && f.where_ == "authorization_response",
                    require_at_hash: f.access_token.is_some()
                        && f.where_ == "authorization_response",
                },
            };
            let verified = verify_id_token(&f.token, &check)
                .unwrap_or_else(|e| panic!("{} {}: {e}", t.case, f.where_));
            assert_eq!(verified.sub, "alice");
            // The hash claims the token carries were each compared with a value.
            for (claim, value) in [
                ("c_hash", &f.code),
                ("at_hash", &f.access_token),
                ("s_hash", &f.state),
            ] {
                if claims.get(claim).is_some() {
                    assert!(
                        value.is_some(),
                        "{} {}: {claim} without its value",
                        t.case,
                        f.where_
                    );
                    hashes_checked += 1;
                }
            }
            checked += 1;
        }
    }
    // 4 front-channel ID tokens (code id_token, code id_token token; two
    // modes each) + 9 from the token endpoint + 9 from refresh.
    assert_eq!(checked, 22);
    // Front: c_hash and s_hash on 4, at_hash on 2; back: at_hash on 18.
    assert_eq!(hashes_checked, 4 + 4 + 2 + 18);
}
