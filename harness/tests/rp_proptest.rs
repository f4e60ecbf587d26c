//! Property tests of the relying party: random valid exchanges signed by a
//! test provider are accepted, for every type × mode; any one mutated field
//! or parameter is rejected with the code of the rule it breaks.

mod rp_common;

use oidc_hybrid::rp::ResponseType;
use oidc_hybrid_harness::fixtures::sign_raw;
use proptest::prelude::*;
use rp_common::{Flow, TestOp, Values, code_of, hash, type_modes};
use serde_json::{Value, json};

fn token_chars(min: usize, max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Za-z0-9_~.-]{{{min},{max}}}")).unwrap()
}

#[derive(Debug, Clone)]
struct Exchange {
    flow: Flow,
}

fn exchange() -> impl Strategy<Value = Exchange> {
    (
        0..type_modes().len(),
        any::<[u8; 32]>(),
        token_chars(1, 24),
        token_chars(8, 64),
        token_chars(8, 64),
        token_chars(8, 64),
        1_600_000_000u64..2_000_000_000,
    )
        .prop_map(|(tm, entropy, sub, code, front_at, at, now)| {
            let op = TestOp::new();
            let (t, m) = type_modes()[tm];
            let v = Values {
                sub: &sub,
                code: &code,
                front_access_token: &front_at,
                access_token: &at,
                ..Values::default()
            };
            let mut flow = Flow::with(&op, t, m, &entropy, &v);
            // Move the whole exchange to `now`.
            let shift = |c: &mut Value| {
                for k in ["exp", "iat"] {
                    let old = c[k].as_u64().unwrap();
                    c[k] = (old - flow.now + now).into();
                }
            };
            if let Some(c) = flow.front_claims.as_mut() {
                shift(c);
            }
            shift(flow.token_claims.as_mut().unwrap());
            shift(flow.refresh_claims.as_mut().unwrap());
            flow.now = now;
            Exchange { flow }
        })
}

type Apply = fn(&mut Flow, &str);

/// One mutation: where it applies, what it does (with a random suffix), the
/// code it must produce.
struct Mutation {
    name: &'static str,
    applies: fn(ResponseType) -> bool,
    apply: Apply,
    code: &'static str,
}

fn front(f: &mut Flow) -> &mut Value {
    f.front_claims.as_mut().unwrap()
}
fn token(f: &mut Flow) -> &mut Value {
    f.token_claims.as_mut().unwrap()
}
fn remove(c: &mut Value, k: &str) {
    c.as_object_mut().unwrap().remove(k);
}
fn any_type(_: ResponseType) -> bool {
    true
}
fn id_type(t: ResponseType) -> bool {
    t.returns_id_token()
}
fn no_id_type(t: ResponseType) -> bool {
    !t.returns_id_token()
}
fn at_type(t: ResponseType) -> bool {
    t.returns_access_token()
}
fn id_at_type(t: ResponseType) -> bool {
    t.returns_id_token() && t.returns_access_token()
}

fn param(f: &Flow, name: &str) -> String {
    f.params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .unwrap()
}

fn mutations() -> Vec<Mutation> {
    macro_rules! m {
        ($name:literal, $applies:expr, $code:literal, $apply:expr) => {
            Mutation {
                name: $name,
                applies: $applies,
                apply: $apply,
                code: $code,
            }
        };
    }
    vec![
        // The front channel's parameters.
        m!("state changed", any_type, "state_mismatch", |f, x| {
            let s = format!("{}{x}", f.state());
            f.set_param("state", &s);
        }),
        m!("state removed", any_type, "missing_parameter", |f, _| f
            .remove_param("state")),
        m!("state twice", any_type, "duplicate_parameter", |f, _| {
            let s = f.state();
            f.params.push(("state".into(), s));
        }),
        m!("code twice", any_type, "duplicate_parameter", |f, x| f
            .params
            .push(("code".into(), x.into()))),
        m!("code removed", any_type, "missing_parameter", |f, _| f
            .remove_param("code")),
        m!(
            "iss parameter wrong",
            any_type,
            "iss_param_mismatch",
            |f, x| f.set_param("iss", &format!("https://op.example/{x}"))
        ),
        m!(
            "iss parameter removed",
            no_id_type,
            "iss_param_missing",
            |f, _| f.remove_param("iss")
        ),
        m!("error response", any_type, "provider_error", |f, x| {
            let s = f.state();
            f.front_claims = None;
            f.params = vec![
                ("error".into(), "access_denied".into()),
                ("error_description".into(), x.into()),
                ("state".into(), s),
            ];
        }),
        m!(
            "access_token removed",
            at_type,
            "missing_parameter",
            |f, _| f.remove_param("access_token")
        ),
        m!(
            "token_type removed",
            at_type,
            "token_type_missing",
            |f, _| f.remove_param("token_type")
        ),
        m!(
            "token_type not Bearer",
            at_type,
            "token_type_invalid",
            |f, x| f.set_param("token_type", &format!("DPoP{x}"))
        ),
        m!(
            "access_token swapped",
            id_at_type,
            "at_hash_mismatch",
            |f, x| {
                let at = format!("{}{x}", param(f, "access_token"));
                f.set_param("access_token", &at);
            }
        ),
        m!("code swapped", id_type, "c_hash_mismatch", |f, x| {
            let c = format!("{}{x}", param(f, "code"));
            f.set_param("code", &c);
        }),
        // The front-channel ID token.
        m!("id_token removed", id_type, "missing_parameter", |f, _| {
            f.front_claims = None;
            f.set_param("iss", rp_common::ISSUER);
        }),
        m!("alg HS256", id_type, "alg_not_allowed", |f, _| f
            .front_header["alg"] =
            "HS256".into()),
        m!("kid unknown", id_type, "unknown_kid", |f, x| f
            .front_header["kid"] =
            format!("rotated-{x}").into()),
        m!("signature altered", id_type, "bad_signature", |f, _| {
            let op = TestOp::new();
            let tok = f.front_token(&op).unwrap();
            let (rest, sig) = tok.rsplit_once('.').unwrap();
            let flipped = if sig.starts_with('A') { 'B' } else { 'A' };
            f.front_token_override = Some(format!("{rest}.{flipped}{}", &sig[1..]));
        }),
        m!("payload altered", id_type, "bad_signature", |f, x| {
            let op = TestOp::new();
            let tok = f.front_token(&op).unwrap();
            let mut claims = f.front_claims.clone().unwrap();
            claims["sub"] = format!("{x}-other").into();
            let forged = sign_raw(&f.front_header, &claims, &op.key);
            let (h, _) = tok.split_once('.').unwrap();
            let (_, rest) = forged.split_once('.').unwrap();
            let (payload, _) = rest.split_once('.').unwrap();
            let (_, sig) = tok.rsplit_once('.').unwrap();
            f.front_token_override = Some(format!("{h}.{payload}.{sig}"));
        }),
        m!(
            "iss claim",
            id_type,
            "invalid_issuer",
            |f, x| front(f)["iss"] = format!("https://{x}.example").into()
        ),
        m!("aud claim", id_type, "invalid_audience", |f, x| front(f)
            ["aud"] =
            format!("{x}-client").into()),
        m!("second audience", id_type, "azp_missing", |f, x| front(f)
            ["aud"] =
            json!([rp_common::CLIENT_ID, format!("{x}-api")])),
        m!(
            "azp claim",
            id_type,
            "azp_mismatch",
            |f, x| front(f)["azp"] = format!("{x}-client").into()
        ),
        m!("exp past", id_type, "expired", |f, _| {
            let now = f.now;
            front(f)["exp"] = (now - 1).into();
        }),
        m!("iat future", id_type, "iat_in_future", |f, _| {
            let now = f.now;
            front(f)["iat"] = (now + 1).into();
        }),
        m!("nbf future", id_type, "not_yet_valid", |f, _| {
            let now = f.now;
            front(f)["nbf"] = (now + 1).into();
        }),
        m!("nonce changed", id_type, "nonce_mismatch", |f, x| {
            let n = format!("{}{x}", f.pending.nonce().secret());
            front(f)["nonce"] = n.into();
        }),
        m!("nonce removed", id_type, "nonce_missing", |f, _| remove(
            front(f),
            "nonce"
        )),
        m!("sub removed", id_type, "malformed", |f, _| remove(
            front(f),
            "sub"
        )),
        m!("c_hash wrong", id_type, "c_hash_mismatch", |f, x| front(
            f
        )["c_hash"] =
            hash(&format!("{x}!")).into()),
        m!("c_hash removed", id_type, "c_hash_missing", |f, _| remove(
            front(f),
            "c_hash"
        )),
        m!("at_hash wrong", id_at_type, "at_hash_mismatch", |f, x| {
            front(f)["at_hash"] = hash(&format!("{x}!")).into()
        }),
        m!("at_hash removed", id_at_type, "at_hash_missing", |f, _| {
            remove(front(f), "at_hash")
        }),
        m!("s_hash wrong", id_type, "s_hash_mismatch", |f, x| front(
            f
        )["s_hash"] =
            hash(&format!("{x}!")).into()),
        // The token response.
        m!("token error", any_type, "provider_error", |f, x| {
            f.token_status = 400;
            f.token_claims = None;
            f.token_json = json!({"error": "invalid_grant", "error_description": x});
        }),
        m!(
            "token token_type",
            any_type,
            "token_type_invalid",
            |f, x| f.token_json["token_type"] = format!("N_A{x}").into()
        ),
        m!(
            "token id_token removed",
            any_type,
            "missing_parameter",
            |f, _| f.token_claims = None
        ),
        m!(
            "token iss",
            any_type,
            "invalid_issuer",
            |f, x| token(f)["iss"] = format!("https://{x}.example").into()
        ),
        m!(
            "token sub",
            id_type,
            "sub_mismatch",
            |f, x| token(f)["sub"] = format!("{x}-other").into()
        ),
        m!("token nonce", any_type, "nonce_mismatch", |f, x| token(f)
            ["nonce"] =
            x.into()),
        m!("token at_hash", any_type, "at_hash_mismatch", |f, x| {
            token(f)["at_hash"] = hash(&format!("{x}!")).into()
        }),
        m!("token exp", any_type, "expired", |f, _| {
            let now = f.now;
            token(f)["exp"] = now.into();
        }),
        m!("token kid", any_type, "unknown_kid", |f, x| f
            .token_header["kid"] =
            format!("rotated-{x}").into()),
        // Refresh and UserInfo.
        m!("refresh sub", any_type, "sub_mismatch", |f, x| f
            .refresh_claims
            .as_mut()
            .unwrap()["sub"] =
            format!("{x}-other").into()),
        m!("userinfo sub", any_type, "sub_mismatch", |f, x| f
            .userinfo_json["sub"] =
            format!("{x}-other").into()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn valid_exchanges_are_accepted(ex in exchange()) {
        let op = TestOp::new();
        let f = &ex.flow;
        let session = f.run(&op);
        prop_assert!(session.is_ok(), "{} {}: {:?}", f.response_type, f.mode, session.as_ref().err());
        let session = session.unwrap();
        prop_assert_eq!(session.sub(), f.userinfo_json["sub"].as_str().unwrap());
    }

    #[test]
    fn one_mutation_is_rejected_with_its_code(
        ex in exchange(),
        pick in any::<prop::sample::Index>(),
        junk in token_chars(1, 12),
    ) {
        let op = TestOp::new();
        let mut f = ex.flow;
        let all = mutations();
        let applicable: Vec<&Mutation> =
            all.iter().filter(|m| (m.applies)(f.response_type)).collect();
        let m = applicable[pick.index(applicable.len())];
        (m.apply)(&mut f, &junk);
        let got = code_of(&f.run(&op));
        prop_assert_eq!(got, m.code, "{} on {} {}", m.name, f.response_type, f.mode);
    }
}

/// Every mutation is exercised on every type it applies to (not left to chance).
#[test]
fn every_mutation_on_every_applicable_type() {
    let op = TestOp::new();
    for (t, mode) in type_modes() {
        for m in mutations().iter().filter(|m| (m.applies)(t)) {
            let mut f = Flow::new(&op, t, mode);
            (m.apply)(&mut f, "zz");
            assert_eq!(code_of(&f.run(&op)), m.code, "{} on {t} {mode}", m.name);
        }
    }
}
