//! Negative exchanges: each recorded exchange of the certified provider with
//! exactly one defect, re-signed with the fixture key so that the named
//! defect is the only one. They live in `tests/fixtures/negative/` as
//! `<code>.<what>.json` with `"expect": "reject"` and `"expect_code"`.
//!
//! - `negative_files_are_in_sync` regenerates them in memory and compares
//!   with the files (run with `OIDC_HYBRID_REGENERATE=1` to rewrite them);
//! - `every_negative_is_rejected_with_its_code` runs each through `check`;
//! - `every_code_the_rp_produces_has_a_negative` keeps the set complete.

extern crate alloc;

use alloc::collections::BTreeSet;
use std::path::PathBuf;

use oidc_hybrid::encoding::{Params, form, html};
use oidc_hybrid::hash::half_hash;
use oidc_hybrid::jose::{Alg, SigningKey};
use oidc_hybrid_harness::cli::check::{CheckOptions, check_transcript};
use oidc_hybrid_harness::fixtures::{
    Transcript, decode_jws, fixture_signing_key, fixtures_dir, resign, sign_raw, transcript_paths,
};
use serde_json::{Value, json};

const OTHER_ISSUER: &str = "http://127.0.0.1:4011";
const OTHER_CLIENT: &str = "other-client";

fn negative_dir() -> PathBuf {
    fixtures_dir().join("negative")
}

/// Another P-256 key (not in the provider's JWKS).
fn stranger_key(kid: &str) -> SigningKey {
    SigningKey::es256_from_bytes(&[0x42; 32])
        .expect("a valid scalar")
        .with_kid(kid)
}

fn base(case: &str) -> Transcript {
    let path = transcript_paths()
        .into_iter()
        .find(|p| p.file_stem().and_then(|s| s.to_str()) == Some(case))
        .unwrap_or_else(|| panic!("no fixture {case}"));
    Transcript::load(&path).expect("fixture loads")
}

// ---- the authorization response's parameters ----

fn pairs(t: &Transcript) -> Vec<(String, String)> {
    t.raw_callback()
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|seg| {
            let p = Params::parse(seg).expect("one parameter");
            let (n, v) = p.iter().next().expect("a pair");
            (n.to_owned(), v.to_owned())
        })
        .collect()
}

fn set_pairs(t: &mut Transcript, pairs: &[(String, String)]) {
    let raw = form::write(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let ar = t.authorization_response.as_object_mut().expect("an object");
    if let Some(loc) = ar.get("location").and_then(Value::as_str) {
        let cut = loc.find(['?', '#']).unwrap_or(loc.len());
        let sep = if ar.get("mode").and_then(Value::as_str) == Some("query") {
            '?'
        } else {
            '#'
        };
        let location = format!("{}{sep}{raw}", &loc[..cut]);
        ar.insert("location".into(), location.into());
    }
    if ar.contains_key("form_body") {
        ar.insert("form_body".into(), raw.clone().into());
    }
    if ar.contains_key("html") {
        let redirect = t.client["redirect_uri"].as_str().unwrap_or_default();
        let mut page = format!(
            "<!DOCTYPE html>\n<html>\n<head><title>Submitting Callback</title></head>\n\
             <body onload=\"document.forms[0].submit()\">\n  <form method=\"post\" action=\"{}\">\n",
            html::escape(redirect)
        );
        for (n, v) in pairs {
            page.push_str(&format!(
                "    <input type=\"hidden\" name=\"{}\" value=\"{}\"/>\n",
                html::escape(n),
                html::escape(v)
            ));
        }
        page.push_str("  </form>\n</body>\n</html>\n");
        ar.insert("html".into(), page.into());
    }
    let map: serde_json::Map<String, Value> = pairs
        .iter()
        .map(|(n, v)| (n.clone(), Value::from(v.as_str())))
        .collect();
    ar.insert("params".into(), Value::Object(map));
    ar.insert("raw".into(), raw.into());
}

fn param(t: &Transcript, name: &str) -> String {
    pairs(t)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("{} has no {name}", t.case))
}

fn set_param(t: &mut Transcript, name: &str, value: &str) {
    let mut p = pairs(t);
    match p.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => slot.1 = value.into(),
        None => p.push((name.into(), value.into())),
    }
    set_pairs(t, &p);
}

fn append_param(t: &mut Transcript, name: &str, value: &str) {
    let mut p = pairs(t);
    p.push((name.into(), value.into()));
    set_pairs(t, &p);
}

fn remove_param(t: &mut Transcript, name: &str) {
    let mut p = pairs(t);
    let before = p.len();
    p.retain(|(n, _)| n != name);
    assert_ne!(before, p.len(), "{} has no {name} to remove", t.case);
    set_pairs(t, &p);
}

fn error_response(t: &mut Transcript, fields: &[(&str, &str)]) {
    let p: Vec<(String, String)> = fields
        .iter()
        .map(|(n, v)| ((*n).into(), (*v).into()))
        .collect();
    set_pairs(t, &p);
}

fn state(t: &Transcript) -> String {
    t.request["state"].as_str().expect("state").into()
}

// ---- ID tokens ----

fn claims_edit(token: &str, edit: impl FnOnce(&mut Value)) -> String {
    resign(token, &fixture_signing_key(), edit)
}

/// Re-signs the front-channel ID token after `edit`.
fn front_claims(t: &mut Transcript, edit: impl FnOnce(&mut Value)) {
    let token = param(t, "id_token");
    set_param(t, "id_token", &claims_edit(&token, edit));
}

/// Replaces the front-channel ID token by `make(old)`.
fn front_token(t: &mut Transcript, make: impl FnOnce(&str) -> String) {
    let token = param(t, "id_token");
    set_param(t, "id_token", &make(&token));
}

fn endpoint_json(t: &mut Transcript, which: &str, edit: impl FnOnce(&mut Value)) {
    let resp = match which {
        "token_response" => t.token_response.as_mut(),
        "refresh_response" => t.refresh_response.as_mut(),
        "userinfo_response" => t.userinfo_response.as_mut(),
        _ => None,
    }
    .unwrap_or_else(|| panic!("no {which}"));
    let mut body: Value =
        serde_json::from_str(resp["body"].as_str().expect("a body")).expect("JSON body");
    edit(&mut body);
    let text = serde_json::to_string(&body).expect("serializes");
    resp["body"] = text.into();
    if resp.get("json").is_some() {
        resp["json"] = body;
    }
}

fn set_raw_body(t: &mut Transcript, which: &str, status: u64, content_type: &str, body: &str) {
    let resp = match which {
        "token_response" => t.token_response.as_mut(),
        "refresh_response" => t.refresh_response.as_mut(),
        "userinfo_response" => t.userinfo_response.as_mut(),
        _ => None,
    }
    .unwrap_or_else(|| panic!("no {which}"));
    resp["status"] = status.into();
    resp["content_type"] = content_type.into();
    resp["body"] = body.into();
    if let Some(obj) = resp.as_object_mut() {
        match serde_json::from_str::<Value>(body) {
            Ok(v) if obj.contains_key("json") => {
                obj.insert("json".into(), v);
            }
            _ => {
                obj.remove("json");
            }
        }
    }
}

/// Re-signs the ID token of the token (or refresh) response after `edit`.
fn endpoint_claims(t: &mut Transcript, which: &str, edit: impl FnOnce(&mut Value)) {
    endpoint_token(t, which, |token| claims_edit(token, edit));
}

fn endpoint_token(t: &mut Transcript, which: &str, make: impl FnOnce(&str) -> String) {
    endpoint_json(t, which, |body| {
        let token = body["id_token"].as_str().expect("an id_token").to_owned();
        body["id_token"] = make(&token).into();
    });
}

fn with_header(token: &str, header: Value, key: &SigningKey) -> String {
    let (_, payload) = decode_jws(token);
    sign_raw(&header, &payload, key)
}

fn kid() -> String {
    fixture_signing_key().kid().to_owned()
}

/// Changes the payload without re-signing: the signature no longer covers it.
fn unsigned_edit(token: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut parts = token.split('.');
    let (h, _, s) = (
        parts.next().expect("header"),
        parts.next(),
        parts.next().expect("signature"),
    );
    let (_, mut payload) = decode_jws(token);
    edit(&mut payload);
    let p = base64ct_encode(&serde_json::to_vec(&payload).expect("payload"));
    format!("{h}.{p}.{s}")
}

fn base64ct_encode(bytes: &[u8]) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::encode_string(bytes)
}

/// Flips bits in the middle of the signature.
fn altered_signature(token: &str) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    let (rest, sig) = token.rsplit_once('.').expect("three parts");
    let mut bytes = Base64UrlUnpadded::decode_vec(sig).expect("signature b64");
    bytes[20] ^= 0x5a;
    format!("{rest}.{}", Base64UrlUnpadded::encode_string(&bytes))
}

fn set_max_age(t: &mut Transcript, max_age: u64) {
    t.request["max_age"] = max_age.into();
    let url = t.request["url"].as_str().unwrap_or_default().to_owned();
    t.request["url"] = format!("{url}&max_age={max_age}").into();
}

// ---- the catalogue ----

struct Negative {
    code: &'static str,
    what: &'static str,
    base: &'static str,
    description: &'static str,
    edit: fn(&mut Transcript),
}

macro_rules! neg {
    ($code:literal, $what:literal, $base:literal, $desc:literal, $edit:expr) => {
        Negative {
            code: $code,
            what: $what,
            base: $base,
            description: $desc,
            edit: $edit,
        }
    };
}

#[rustfmt::skip]
fn catalogue() -> Vec<Negative> {
    vec![
        // -- 1. recognising the authorization response --
        neg!("too_large", "callback_oversized", "code.query",
            "RFC 6749 §3.1 / bounded input: a 17 KB parameter makes the response exceed 16 KiB.",
            |t| append_param(t, "padding", &"a".repeat(17_000))),
        neg!("too_large", "callback_too_many_parameters", "code.fragment",
            "Bounded input: 40 extra parameters exceed the 32-parameter bound.",
            |t| { for i in 0..40 { append_param(t, &format!("p{i}"), "1"); } }),
        neg!("malformed", "callback_bad_percent_escape", "code.fragment",
            "Form encoding: a parameter holds an invalid percent escape.",
            |t| { let raw = format!("{}&junk=%zz", t.raw_callback()); t.authorization_response["raw"] = raw.into(); }),
        neg!("duplicate_parameter", "state_twice", "code_id_token.fragment",
            "RFC 6749 §3.1: state is sent twice (same value).",
            |t| { let s = state(t); append_param(t, "state", &s); }),
        neg!("duplicate_parameter", "code_twice", "code.form_post",
            "RFC 6749 §3.1: a second code parameter.",
            |t| append_param(t, "code", "injected-code-0123456789abcdefghijklmnopq")),
        neg!("duplicate_parameter", "iss_twice", "code.query",
            "RFC 6749 §3.1: iss is sent twice (same value).",
            |t| { let i = t.issuer.clone(); append_param(t, "iss", &i); }),
        // -- 2. state --
        neg!("missing_parameter", "state_absent", "code_id_token.form_post",
            "RFC 6749 §4.1.2: the response carries no state.",
            |t| remove_param(t, "state")),
        neg!("state_mismatch", "state_altered", "code_id_token_token.fragment",
            "RFC 6749 §10.12: the state differs from the one sent.",
            |t| set_param(t, "state", "l7bTs96t_-7ETaKgd7C6aX")),
        neg!("state_mismatch", "state_of_another_request", "code.query",
            "RFC 6749 §10.12: the state of another login (code.fragment's) arrives here.",
            |t| { let other = state(&base("code.fragment")); set_param(t, "state", &other); }),
        // -- 3. error responses --
        neg!("provider_error", "access_denied_query", "code.query",
            "RFC 6749 §4.1.2.1: an error response (access_denied) in the query, state and iss correct.",
            |t| { let (s, i) = (state(t), t.issuer.clone()); error_response(t, &[("error", "access_denied"), ("error_description", "End-User aborted interaction"), ("state", &s), ("iss", &i)]); }),
        neg!("provider_error", "login_required_fragment", "code_id_token.fragment",
            "OIDC Core §3.3.2.6: an error response (login_required) in the fragment.",
            |t| { let (s, i) = (state(t), t.issuer.clone()); error_response(t, &[("error", "login_required"), ("state", &s), ("iss", &i)]); }),
        neg!("provider_error", "consent_required_form_post", "code_id_token_token.form_post",
            "OIDC Core §3.3.2.6: an error response with description and uri, by form_post.",
            |t| { let (s, i) = (state(t), t.issuer.clone()); error_response(t, &[("error", "consent_required"), ("error_description", "consent was not given"), ("error_uri", "http://127.0.0.1:4010/help"), ("state", &s), ("iss", &i)]); }),
        neg!("state_mismatch", "error_response_wrong_state", "code.query",
            "An error response whose state is not ours: the state check comes first.",
            |t| { let i = t.issuer.clone(); error_response(t, &[("error", "access_denied"), ("state", "not-the-state-we-sent"), ("iss", &i)]); }),
        neg!("missing_parameter", "error_response_without_state", "code_token.fragment",
            "RFC 6749 §4.1.2.1: an error response without the state.",
            |t| { let i = t.issuer.clone(); error_response(t, &[("error", "access_denied"), ("iss", &i)]); }),
        // -- 4. response mode --
        neg!("unexpected_response", "hybrid_response_in_query", "code_id_token.fragment",
            "Multiple Response Types §5: a response with tokens arrives in the query.",
            |t| t.authorization_response["mode"] = "query".into()),
        neg!("unexpected_response", "fragment_instead_of_form_post", "code_token.form_post",
            "Multiple Response Types §2.1: the response arrives in the fragment though form_post was requested.",
            |t| t.authorization_response["mode"] = "fragment".into()),
        // -- 5. RFC 9207 iss --
        neg!("iss_param_mismatch", "code_query", "code.query",
            "RFC 9207 §2.4: the iss parameter names another issuer.",
            |t| set_param(t, "iss", OTHER_ISSUER)),
        neg!("iss_param_mismatch", "code_token_form_post", "code_token.form_post",
            "RFC 9207 §2.4: the iss parameter names another issuer.",
            |t| set_param(t, "iss", "https://attacker.example")),
        neg!("iss_param_mismatch", "alongside_id_token", "code_id_token.fragment",
            "RFC 9207 §2.4: an iss parameter, though optional with an ID token, names another issuer.",
            |t| set_param(t, "iss", OTHER_ISSUER)),
        neg!("iss_param_missing", "code_form_post", "code.form_post",
            "RFC 9207 §2.4: metadata says iss is sent, the response (no ID token) has none.",
            |t| remove_param(t, "iss")),
        neg!("iss_param_missing", "code_token_fragment", "code_token.fragment",
            "RFC 9207 §2.4: metadata says iss is sent, the response (no ID token) has none.",
            |t| remove_param(t, "iss")),
        // -- 6. required parameters --
        neg!("missing_parameter", "code_absent", "code_id_token.fragment",
            "OIDC Core §3.3.2.5: no code.",
            |t| remove_param(t, "code")),
        neg!("missing_parameter", "code_absent_query", "code.query",
            "RFC 6749 §4.1.2: no code.",
            |t| remove_param(t, "code")),
        neg!("missing_parameter", "id_token_absent", "code_id_token.form_post",
            "OIDC Core §3.3.2.5: code id_token without the id_token (iss sent, so nothing else is wrong).",
            |t| { remove_param(t, "id_token"); let i = t.issuer.clone(); set_param(t, "iss", &i); }),
        neg!("missing_parameter", "access_token_absent", "code_token.fragment",
            "OIDC Core §3.3.2.5: code token without the access_token.",
            |t| remove_param(t, "access_token")),
        neg!("missing_parameter", "access_token_absent_hybrid", "code_id_token_token.form_post",
            "OIDC Core §3.3.2.5: code id_token token without the access_token.",
            |t| remove_param(t, "access_token")),
        neg!("token_type_missing", "front_channel", "code_token.form_post",
            "RFC 6749 §4.2.2: an access token without token_type.",
            |t| remove_param(t, "token_type")),
        neg!("token_type_invalid", "front_channel", "code_id_token_token.fragment",
            "RFC 6750: token_type is DPoP, not Bearer.",
            |t| set_param(t, "token_type", "DPoP")),
        neg!("malformed", "front_expires_in", "code_token.fragment",
            "RFC 6749 §4.2.2: expires_in is not a number.",
            |t| set_param(t, "expires_in", "soon")),
        // -- 7. the front-channel ID token: alg, key, signature --
        neg!("alg_not_allowed", "front_hs256", "code_id_token.fragment",
            "OIDC Core §3.1.3.7 step 7: the header says HS256, the client registered ES256.",
            |t| front_token(t, |tok| with_header(tok, json!({"alg": "HS256", "typ": "JWT", "kid": kid()}), &fixture_signing_key()))),
        neg!("alg_not_allowed", "front_none", "code_id_token.form_post",
            "RFC 8725 §3.1: an unsigned ID token (alg none).",
            |t| front_token(t, |tok| { let (_, p) = decode_jws(tok); format!("{}.{}.", base64ct_encode(br#"{"alg":"none","typ":"JWT"}"#), base64ct_encode(&serde_json::to_vec(&p).unwrap())) })),
        neg!("alg_not_allowed", "front_es384", "code_id_token_token.form_post",
            "OIDC Core §3.1.3.7 step 7: the header says ES384.",
            |t| front_token(t, |tok| with_header(tok, json!({"alg": "ES384", "typ": "JWT", "kid": kid()}), &fixture_signing_key()))),
        neg!("alg_not_allowed", "client_registered_rs256", "code_id_token.fragment",
            "OIDC Core §3.1.3.7 step 7: the client registered RS256; the provider signs ES256.",
            |t| t.client["id_token_signed_response_alg"] = "RS256".into()),
        neg!("unknown_kid", "front_rotated_key", "code_id_token.fragment",
            "OIDC Core §10.1: the kid names no key of the JWKS (also after a refetch).",
            |t| front_token(t, |tok| with_header(tok, json!({"alg": "ES256", "typ": "JWT", "kid": "rotated-2027"}), &fixture_signing_key()))),
        neg!("unknown_kid", "front_signed_by_unpublished_key", "code_id_token_token.fragment",
            "OIDC Core §10.1: signed by a key the provider never published.",
            |t| front_token(t, |tok| with_header(tok, json!({"alg": "ES256", "typ": "JWT", "kid": "unpublished"}), &stranger_key("unpublished")))),
        neg!("ambiguous_key", "front_no_kid_two_keys", "code_id_token.form_post",
            "OIDC Core §10.1: no kid while the JWKS holds two ES256 keys.",
            |t| {
                front_token(t, |tok| with_header(tok, json!({"alg": "ES256", "typ": "JWT"}), &fixture_signing_key()));
                let second = stranger_key("second").public_key().to_jwk_json("second", Alg::ES256);
                t.jwks["keys"].as_array_mut().unwrap().push(second);
            }),
        neg!("ambiguous_key", "jwks_two_keys_same_kid", "code_id_token_token.fragment",
            "OIDC Core §10.1: the JWKS holds two ES256 keys under the token's kid.",
            |t| {
                let twin = stranger_key("twin").public_key().to_jwk_json(&kid(), Alg::ES256);
                t.jwks["keys"].as_array_mut().unwrap().push(twin);
            }),
        neg!("bad_signature", "front_signature_altered", "code_id_token.fragment",
            "OIDC Core §3.1.3.7 step 6: signature bytes altered.",
            |t| front_token(t, altered_signature)),
        neg!("bad_signature", "front_claims_altered_not_resigned", "code_id_token_token.form_post",
            "OIDC Core §3.1.3.7 step 6: sub changed after signing.",
            |t| front_token(t, |tok| unsigned_edit(tok, |c| c["sub"] = "mallory".into()))),
        neg!("bad_signature", "front_signed_by_other_key_same_kid", "code_id_token.form_post",
            "OIDC Core §3.1.3.7 step 6: signed by another key under the provider's kid.",
            |t| front_token(t, |tok| with_header(tok, json!({"alg": "ES256", "typ": "JWT", "kid": kid()}), &stranger_key("x")))),
        // -- 7. the front-channel ID token: claims --
        neg!("invalid_issuer", "front_iss_altered", "code_id_token.fragment",
            "OIDC Core §3.1.3.7 step 2: iss is another issuer.",
            |t| front_claims(t, |c| c["iss"] = OTHER_ISSUER.into())),
        neg!("invalid_issuer", "front_iss_absent", "code_id_token_token.form_post",
            "OIDC Core §3.1.3.7 step 2: no iss claim.",
            |t| front_claims(t, |c| { c.as_object_mut().unwrap().remove("iss"); })),
        neg!("invalid_issuer", "front_iss_trailing_slash", "code_id_token.form_post",
            "OIDC Core §3.1.3.7 step 2: iss with a trailing slash is not the issuer.",
            |t| front_claims(t, |c| c["iss"] = "http://127.0.0.1:4010/".into())),
        neg!("invalid_audience", "front_aud_other", "code_id_token.fragment",
            "OIDC Core §3.1.3.7 step 3: aud is another client.",
            |t| front_claims(t, |c| c["aud"] = OTHER_CLIENT.into())),
        neg!("invalid_audience", "front_aud_absent", "code_id_token_token.fragment",
            "OIDC Core §3.1.3.7 step 3: no aud claim.",
            |t| front_claims(t, |c| { c.as_object_mut().unwrap().remove("aud"); })),
        neg!("invalid_audience", "front_untrusted_extra_audience", "code_id_token.form_post",
            "OIDC Core §3.1.3.7 step 3: an extra audience the client does not trust (azp is the client).",
            |t| front_claims(t, |c| { c["aud"] = json!(["hybrid-client", OTHER_CLIENT]); c["azp"] = "hybrid-client".into(); })),
        neg!("azp_missing", "front_two_audiences", "code_id_token_token.fragment",
            "OIDC Core §3.1.3.7 step 4: two audiences and no azp.",
            |t| front_claims(t, |c| c["aud"] = json!(["hybrid-client", OTHER_CLIENT]))),
        neg!("azp_mismatch", "front_azp_other", "code_id_token.fragment",
            "OIDC Core §3.1.3.7 step 5: azp is another client.",
            |t| front_claims(t, |c| c["azp"] = OTHER_CLIENT.into())),
        neg!("expired", "front", "code_id_token.fragment",
            "OIDC Core §3.1.3.7 step 9: exp an hour before the clock.",
            |t| { let now = t.time; front_claims(t, |c| { c["exp"] = (now - 3600).into(); c["iat"] = (now - 7200).into(); }); }),
        neg!("expired", "front_one_second_ago", "code_id_token_token.form_post",
            "OIDC Core §3.1.3.7 step 9: exp one second before the clock (the recorded clock has no skew).",
            |t| { let now = t.time; front_claims(t, |c| { c["exp"] = (now - 1).into(); c["iat"] = (now - 3601).into(); }); }),
        neg!("iat_in_future", "front", "code_id_token.form_post",
            "OIDC Core §3.1.3.7 step 10: iat an hour after the clock.",
            |t| { let now = t.time; front_claims(t, |c| { c["iat"] = (now + 3600).into(); c["exp"] = (now + 7200).into(); }); }),
        neg!("not_yet_valid", "front", "code_id_token_token.fragment",
            "RFC 7519 §4.1.5: nbf an hour after the clock.",
            |t| { let now = t.time; front_claims(t, |c| c["nbf"] = (now + 3600).into()); }),
        neg!("nonce_mismatch", "front", "code_id_token.fragment",
            "OIDC Core §3.1.3.7 step 11: the nonce differs from the one sent.",
            |t| front_claims(t, |c| c["nonce"] = "another-nonce-0123456789".into())),
        neg!("nonce_missing", "front", "code_id_token_token.form_post",
            "OIDC Core §3.1.3.7 step 11: no nonce though one was sent.",
            |t| front_claims(t, |c| { c.as_object_mut().unwrap().remove("nonce"); })),
        neg!("malformed", "front_sub_absent", "code_id_token.fragment",
            "OIDC Core §2: the ID token has no sub.",
            |t| front_claims(t, |c| { c.as_object_mut().unwrap().remove("sub"); })),
        neg!("malformed", "front_exp_absent", "code_id_token.form_post",
            "OIDC Core §2: the ID token has no exp.",
            |t| front_claims(t, |c| { c.as_object_mut().unwrap().remove("exp"); })),
        neg!("malformed", "front_iat_absent", "code_id_token_token.fragment",
            "OIDC Core §2: the ID token has no iat.",
            |t| front_claims(t, |c| { c.as_object_mut().unwrap().remove("iat"); })),
        neg!("malformed", "front_exp_not_a_number", "code_id_token_token.form_post",
            "RFC 7519 §2: exp is a string, not a NumericDate.",
            |t| front_claims(t, |c| c["exp"] = "tomorrow".into())),
        neg!("malformed", "front_id_token_not_a_jws", "code_id_token.form_post",
            "RFC 7515 §7.1: the id_token is not a compact JWS.",
            |t| set_param(t, "id_token", "not-a-jwt")),
        neg!("auth_time_missing", "front_max_age_sent", "code_id_token.fragment",
            "OIDC Core §3.1.2.1 max_age: max_age=300 was sent; the ID token has no auth_time.",
            |t| set_max_age(t, 300)),
        neg!("max_age_exceeded", "front", "code_id_token_token.fragment",
            "OIDC Core §3.1.3.7 step 13: max_age=60 sent; auth_time an hour old.",
            |t| { set_max_age(t, 60); let at = t.time - 3600; front_claims(t, |c| c["auth_time"] = at.into()); endpoint_claims(t, "token_response", |c| c["auth_time"] = at.into()); endpoint_claims(t, "refresh_response", |c| c["auth_time"] = at.into()); }),
        // -- 7. the front-channel ID token: hashes --
        neg!("c_hash_missing", "front", "code_id_token.fragment",
            "OIDC Core §3.3.2.11: no c_hash though a code came with the ID token.",
            |t| front_claims(t, |c| { c.as_object_mut().unwrap().remove("c_hash"); })),
        neg!("c_hash_missing", "front_hybrid_token", "code_id_token_token.form_post",
            "OIDC Core §3.3.2.11: no c_hash though a code came with the ID token.",
            |t| front_claims(t, |c| { c.as_object_mut().unwrap().remove("c_hash"); })),
        neg!("c_hash_mismatch", "front", "code_id_token.form_post",
            "OIDC Core §3.3.2.10: c_hash is the hash of another code.",
            |t| front_claims(t, |c| c["c_hash"] = half_hash(Alg::ES256, b"another-code").as_str().into())),
        neg!("c_hash_mismatch", "front_code_swapped", "code_id_token_token.fragment",
            "OIDC Core §3.3.2.10: the code was swapped (code injection); the signed c_hash no longer matches.",
            |t| set_param(t, "code", "swapped-code-0123456789abcdefghijklmnopq")),
        neg!("at_hash_missing", "front", "code_id_token_token.fragment",
            "OIDC Core §3.3.2.11: no at_hash though an access token came with the ID token.",
            |t| front_claims(t, |c| { c.as_object_mut().unwrap().remove("at_hash"); })),
        neg!("at_hash_mismatch", "front", "code_id_token_token.form_post",
            "OIDC Core §3.3.2.9: at_hash is the hash of another token.",
            |t| front_claims(t, |c| c["at_hash"] = half_hash(Alg::ES256, b"another-token").as_str().into())),
        neg!("at_hash_mismatch", "front_token_swapped", "code_id_token_token.fragment",
            "OIDC Core §3.3.2.9: the access token was swapped; the signed at_hash no longer matches.",
            |t| set_param(t, "access_token", "swapped-token-0123456789abcdefghijklmno")),
        neg!("s_hash_mismatch", "front", "code_id_token.fragment",
            "FAPI 1.0 Part 2 §5.2.2.1: s_hash is the hash of another state.",
            |t| front_claims(t, |c| c["s_hash"] = half_hash(Alg::ES256, b"another-state").as_str().into())),
        neg!("s_hash_mismatch", "front_hybrid_token", "code_id_token_token.form_post",
            "FAPI 1.0 Part 2 §5.2.2.1: s_hash is the hash of another state.",
            |t| front_claims(t, |c| c["s_hash"] = "AAAAAAAAAAAAAAAAAAAAAA".into())),
        // -- the token response --
        neg!("provider_error", "token_invalid_grant", "code.query",
            "RFC 6749 §5.2: the token endpoint answers 400 invalid_grant.",
            |t| set_raw_body(t, "token_response", 400, "application/json; charset=utf-8", r#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#)),
        neg!("provider_error", "token_invalid_client_401", "code_id_token.fragment",
            "RFC 6749 §5.2: the token endpoint answers 401 invalid_client.",
            |t| set_raw_body(t, "token_response", 401, "application/json; charset=utf-8", r#"{"error":"invalid_client","error_description":"client authentication failed"}"#)),
        neg!("unexpected_response", "token_http_500_html", "code_token.fragment",
            "RFC 6749 §5.1: HTTP 500 with an HTML page.",
            |t| set_raw_body(t, "token_response", 500, "text/html; charset=utf-8", "<html><body>Internal Server Error</body></html>")),
        neg!("unexpected_response", "token_content_type_html", "code.form_post",
            "RFC 6749 §5.1: a 200 whose content type is text/html.",
            |t| { let body = t.token_response.as_ref().unwrap()["body"].as_str().unwrap().to_owned(); set_raw_body(t, "token_response", 200, "text/html", &body); }),
        neg!("malformed", "token_body_not_json", "code.fragment",
            "RFC 6749 §5.1: application/json that is not JSON.",
            |t| set_raw_body(t, "token_response", 200, "application/json; charset=utf-8", "<html>oops</html>")),
        neg!("malformed", "token_body_array", "code_id_token_token.form_post",
            "RFC 6749 §5.1: a JSON array, not an object.",
            |t| set_raw_body(t, "token_response", 200, "application/json", "[]")),
        neg!("too_large", "token_body", "code_id_token.form_post",
            "Bounded input: a 70 KB token response.",
            |t| endpoint_json(t, "token_response", |b| b["padding"] = "a".repeat(70_000).into())),
        neg!("duplicate_parameter", "token_access_token_twice", "code_token.fragment",
            "RFC 6749 §3.2: the token response holds access_token twice.",
            |t| { let body = t.token_response.as_ref().unwrap()["body"].as_str().unwrap().replacen('{', r#"{"access_token":"injected-token-0123456789abcdefghijklmno","#, 1); set_raw_body(t, "token_response", 200, "application/json; charset=utf-8", &body); }),
        neg!("missing_parameter", "token_access_token_absent", "code.query",
            "RFC 6749 §5.1: no access_token.",
            |t| endpoint_json(t, "token_response", |b| { b.as_object_mut().unwrap().remove("access_token"); })),
        neg!("missing_parameter", "token_id_token_absent", "code_id_token_token.fragment",
            "OIDC Core §3.3.3.3: no id_token in the token response.",
            |t| endpoint_json(t, "token_response", |b| { b.as_object_mut().unwrap().remove("id_token"); })),
        neg!("token_type_missing", "token", "code.fragment",
            "RFC 6749 §5.1: no token_type.",
            |t| endpoint_json(t, "token_response", |b| { b.as_object_mut().unwrap().remove("token_type"); })),
        neg!("token_type_invalid", "token_dpop", "code_id_token.form_post",
            "RFC 6750: token_type DPoP.",
            |t| endpoint_json(t, "token_response", |b| b["token_type"] = "DPoP".into())),
        neg!("token_type_invalid", "token_mac", "code_token.form_post",
            "RFC 6750: token_type mac.",
            |t| endpoint_json(t, "token_response", |b| b["token_type"] = "mac".into())),
        neg!("malformed", "token_expires_in_negative", "code.query",
            "RFC 6749 §5.1: expires_in is negative.",
            |t| endpoint_json(t, "token_response", |b| b["expires_in"] = (-3600).into())),
        neg!("bad_signature", "token_id_token_altered", "code.query",
            "OIDC Core §3.1.3.7 step 6: the token-endpoint ID token changed after signing.",
            |t| endpoint_token(t, "token_response", |tok| unsigned_edit(tok, |c| c["sub"] = "mallory".into()))),
        neg!("alg_not_allowed", "token_id_token_none", "code.fragment",
            "RFC 8725 §3.1: an unsigned token-endpoint ID token.",
            |t| endpoint_token(t, "token_response", |tok| { let (_, p) = decode_jws(tok); format!("{}.{}.", base64ct_encode(br#"{"alg":"none"}"#), base64ct_encode(&serde_json::to_vec(&p).unwrap())) })),
        neg!("unknown_kid", "token_id_token", "code.form_post",
            "OIDC Core §10.1: the token-endpoint ID token's kid is unknown.",
            |t| endpoint_token(t, "token_response", |tok| with_header(tok, json!({"alg": "ES256", "typ": "JWT", "kid": "rotated-2027"}), &fixture_signing_key()))),
        neg!("invalid_issuer", "token_id_token", "code.query",
            "OIDC Core §3.1.3.7 step 2: the token-endpoint ID token's iss is another issuer.",
            |t| endpoint_claims(t, "token_response", |c| c["iss"] = OTHER_ISSUER.into())),
        neg!("invalid_issuer", "token_differs_from_front", "code_id_token.fragment",
            "OIDC Core §3.3.3.6: the token-endpoint ID token's iss differs from the front channel's.",
            |t| endpoint_claims(t, "token_response", |c| c["iss"] = OTHER_ISSUER.into())),
        neg!("invalid_audience", "token_id_token", "code_token.form_post",
            "OIDC Core §3.1.3.7 step 3: the token-endpoint ID token is for another client.",
            |t| endpoint_claims(t, "token_response", |c| c["aud"] = OTHER_CLIENT.into())),
        neg!("azp_mismatch", "token", "code.fragment",
            "OIDC Core §3.1.3.7 step 5: the token-endpoint ID token's azp is another client.",
            |t| endpoint_claims(t, "token_response", |c| c["azp"] = OTHER_CLIENT.into())),
        neg!("expired", "token", "code.form_post",
            "OIDC Core §3.1.3.7 step 9: the token-endpoint ID token expired an hour ago.",
            |t| { let now = t.time; endpoint_claims(t, "token_response", |c| { c["exp"] = (now - 3600).into(); c["iat"] = (now - 7200).into(); }); }),
        neg!("iat_in_future", "token", "code_token.fragment",
            "OIDC Core §3.1.3.7 step 10: the token-endpoint ID token is issued an hour from now.",
            |t| { let now = t.time; endpoint_claims(t, "token_response", |c| { c["iat"] = (now + 3600).into(); c["exp"] = (now + 7200).into(); }); }),
        neg!("not_yet_valid", "token", "code.query",
            "RFC 7519 §4.1.5: the token-endpoint ID token's nbf is an hour from now.",
            |t| { let now = t.time; endpoint_claims(t, "token_response", |c| c["nbf"] = (now + 3600).into()); }),
        neg!("nonce_missing", "token", "code.query",
            "OIDC Core §3.1.3.7 step 11: the token-endpoint ID token has no nonce though one was sent.",
            |t| endpoint_claims(t, "token_response", |c| { c.as_object_mut().unwrap().remove("nonce"); })),
        neg!("nonce_mismatch", "token", "code_id_token.fragment",
            "OIDC Core §3.1.3.7 step 11: the token-endpoint ID token's nonce differs.",
            |t| endpoint_claims(t, "token_response", |c| c["nonce"] = "another-nonce-0123456789".into())),
        neg!("malformed", "token_sub_absent", "code.fragment",
            "OIDC Core §2: the token-endpoint ID token has no sub.",
            |t| endpoint_claims(t, "token_response", |c| { c.as_object_mut().unwrap().remove("sub"); })),
        neg!("auth_time_missing", "token_max_age_sent", "code.query",
            "OIDC Core §3.1.2.1: max_age=300 sent; the token-endpoint ID token has no auth_time.",
            |t| set_max_age(t, 300)),
        neg!("max_age_exceeded", "token", "code_token.fragment",
            "OIDC Core §3.1.3.7 step 13: max_age=60 sent; auth_time an hour old.",
            |t| { set_max_age(t, 60); let at = t.time - 3600; endpoint_claims(t, "token_response", |c| c["auth_time"] = at.into()); endpoint_claims(t, "refresh_response", |c| c["auth_time"] = at.into()); }),
        neg!("sub_mismatch", "token_vs_front", "code_id_token.fragment",
            "OIDC Core §3.3.3.6: the token-endpoint ID token's sub differs from the front channel's.",
            |t| endpoint_claims(t, "token_response", |c| c["sub"] = "mallory".into())),
        neg!("sub_mismatch", "token_vs_front_form_post", "code_id_token_token.form_post",
            "OIDC Core §3.3.3.6: the token-endpoint ID token's sub differs from the front channel's.",
            |t| endpoint_claims(t, "token_response", |c| c["sub"] = "mallory".into())),
        neg!("at_hash_mismatch", "token", "code.query",
            "OIDC Core §3.3.3.8: the token-endpoint ID token's at_hash is of another token.",
            |t| endpoint_claims(t, "token_response", |c| c["at_hash"] = half_hash(Alg::ES256, b"another-token").as_str().into())),
        neg!("at_hash_mismatch", "token_access_token_swapped", "code_id_token_token.fragment",
            "OIDC Core §3.3.3.8: the token response's access token was swapped; the signed at_hash no longer matches.",
            |t| endpoint_json(t, "token_response", |b| b["access_token"] = "swapped-token-0123456789abcdefghijklmno".into())),
        neg!("c_hash_mismatch", "token_present_and_wrong", "code_id_token.form_post",
            "OIDC Core §3.3.2.10: a c_hash in the token-endpoint ID token that does not match the code.",
            |t| endpoint_claims(t, "token_response", |c| c["c_hash"] = half_hash(Alg::ES256, b"another-code").as_str().into())),
        neg!("s_hash_mismatch", "token_present_and_wrong", "code.fragment",
            "FAPI 1.0 Part 2 §5.2.2.1: an s_hash in the token-endpoint ID token that does not match the state.",
            |t| endpoint_claims(t, "token_response", |c| c["s_hash"] = half_hash(Alg::ES256, b"another-state").as_str().into())),
        // -- the refresh response --
        neg!("provider_error", "refresh_invalid_grant", "code.query",
            "RFC 6749 §5.2: the refresh answers 400 invalid_grant.",
            |t| set_raw_body(t, "refresh_response", 400, "application/json; charset=utf-8", r#"{"error":"invalid_grant","error_description":"refresh token is expired"}"#)),
        neg!("unexpected_response", "refresh_http_503", "code_token.form_post",
            "RFC 6749 §5.1: the refresh answers 503 without an error object.",
            |t| set_raw_body(t, "refresh_response", 503, "text/plain", "Service Unavailable")),
        neg!("token_type_invalid", "refresh", "code_id_token.fragment",
            "RFC 6750: the refresh response's token_type is N_A.",
            |t| endpoint_json(t, "refresh_response", |b| b["token_type"] = "N_A".into())),
        neg!("missing_parameter", "refresh_access_token_absent", "code.fragment",
            "RFC 6749 §5.1: the refresh response has no access_token.",
            |t| endpoint_json(t, "refresh_response", |b| { b.as_object_mut().unwrap().remove("access_token"); })),
        neg!("sub_mismatch", "refresh", "code_id_token_token.fragment",
            "OIDC Core §12.2: the refreshed ID token's sub differs.",
            |t| endpoint_claims(t, "refresh_response", |c| c["sub"] = "mallory".into())),
        neg!("invalid_issuer", "refresh", "code.form_post",
            "OIDC Core §12.2: the refreshed ID token's iss differs.",
            |t| endpoint_claims(t, "refresh_response", |c| c["iss"] = OTHER_ISSUER.into())),
        neg!("invalid_audience", "refresh", "code_token.fragment",
            "OIDC Core §12.2: the refreshed ID token's aud differs.",
            |t| endpoint_claims(t, "refresh_response", |c| c["aud"] = OTHER_CLIENT.into())),
        neg!("azp_mismatch", "refresh_azp_added", "code.query",
            "OIDC Core §12.2: the original ID token had no azp; the refreshed one has one.",
            |t| endpoint_claims(t, "refresh_response", |c| c["azp"] = "hybrid-client".into())),
        neg!("auth_time_mismatch", "refresh", "code.query",
            "OIDC Core §12.2: the refreshed ID token's auth_time is not the original authentication's.",
            |t| { let now = t.time; endpoint_claims(t, "token_response", |c| c["auth_time"] = (now - 100).into()); endpoint_claims(t, "refresh_response", |c| c["auth_time"] = (now - 50).into()); }),
        neg!("nonce_mismatch", "refresh", "code_id_token.form_post",
            "OIDC Core §12.2: the refreshed ID token carries a nonce other than the original.",
            |t| endpoint_claims(t, "refresh_response", |c| c["nonce"] = "another-nonce-0123456789".into())),
        neg!("at_hash_mismatch", "refresh", "code_token.form_post",
            "OIDC Core §3.3.3.8: the refreshed ID token's at_hash is of another token.",
            |t| endpoint_claims(t, "refresh_response", |c| c["at_hash"] = half_hash(Alg::ES256, b"another-token").as_str().into())),
        neg!("expired", "refresh", "code_id_token_token.form_post",
            "OIDC Core §3.1.3.7 step 9: the refreshed ID token expired an hour ago.",
            |t| { let now = t.time; endpoint_claims(t, "refresh_response", |c| { c["exp"] = (now - 3600).into(); c["iat"] = (now - 7200).into(); }); }),
        neg!("bad_signature", "refresh", "code_id_token.fragment",
            "OIDC Core §3.1.3.7 step 6: the refreshed ID token's signature is altered.",
            |t| endpoint_token(t, "refresh_response", altered_signature)),
        neg!("unknown_kid", "refresh", "code_token.fragment",
            "OIDC Core §10.1: the refreshed ID token's kid is unknown.",
            |t| endpoint_token(t, "refresh_response", |tok| with_header(tok, json!({"alg": "ES256", "typ": "JWT", "kid": "rotated-2027"}), &fixture_signing_key()))),
        // -- UserInfo --
        neg!("sub_mismatch", "userinfo", "code.query",
            "OIDC Core §5.3.2: UserInfo sub differs from the ID token's.",
            |t| endpoint_json(t, "userinfo_response", |b| b["sub"] = "mallory".into())),
        neg!("sub_mismatch", "userinfo_sub_absent", "code_id_token.fragment",
            "OIDC Core §5.3.2: UserInfo has no sub.",
            |t| endpoint_json(t, "userinfo_response", |b| { b.as_object_mut().unwrap().remove("sub"); })),
        neg!("sub_mismatch", "userinfo_sub_not_a_string", "code_token.form_post",
            "OIDC Core §5.3.2: UserInfo sub is a number, not the ID token's sub.",
            |t| endpoint_json(t, "userinfo_response", |b| b["sub"] = 42.into())),
        neg!("provider_error", "userinfo_invalid_token", "code_token.fragment",
            "RFC 6750 §3.1: UserInfo answers 401 invalid_token.",
            |t| set_raw_body(t, "userinfo_response", 401, "application/json; charset=utf-8", r#"{"error":"invalid_token","error_description":"invalid token provided"}"#)),
        neg!("unexpected_response", "userinfo_jwt", "code.form_post",
            "OIDC Core §5.3.2: a signed (application/jwt) UserInfo response, which this client did not register for.",
            |t| { let tok = param(&base("code_id_token.fragment"), "id_token"); set_raw_body(t, "userinfo_response", 200, "application/jwt; charset=utf-8", &tok); }),
        neg!("unexpected_response", "userinfo_http_500", "code_id_token_token.form_post",
            "OIDC Core §5.3.3: UserInfo answers 500 without an error object.",
            |t| set_raw_body(t, "userinfo_response", 500, "text/html", "<h1>Internal Server Error</h1>")),
        neg!("malformed", "userinfo_not_json", "code_id_token_token.fragment",
            "OIDC Core §5.3.2: application/json that is not JSON.",
            |t| set_raw_body(t, "userinfo_response", 200, "application/json; charset=utf-8", "sub=alice")),
        // -- discovery, JWKS, configuration --
        neg!("invalid_issuer", "discovery_issuer_differs", "code.query",
            "OIDC Discovery §4.3: the document's issuer is not the one it was fetched for.",
            |t| t.discovery["issuer"] = OTHER_ISSUER.into()),
        neg!("invalid_issuer", "discovery_issuer_trailing_slash", "code_id_token.fragment",
            "OIDC Discovery §4.3: issuer with a trailing slash is not identical.",
            |t| t.discovery["issuer"] = "http://127.0.0.1:4010/".into()),
        neg!("insecure_url", "issuer_http_not_loopback", "code_id_token.fragment",
            "OIDC Discovery §3: an http issuer on a non-loopback host (everything re-issued for it).",
            |t| {
                let iss = "http://op.example.com";
                t.issuer = iss.into();
                t.discovery["issuer"] = iss.into();
                front_claims(t, |c| c["iss"] = iss.into());
                endpoint_claims(t, "token_response", |c| c["iss"] = iss.into());
                endpoint_claims(t, "refresh_response", |c| c["iss"] = iss.into());
            }),
        neg!("insecure_url", "token_endpoint_http", "code.query",
            "OIDC Discovery §3: the token endpoint is http on a non-loopback host.",
            |t| t.discovery["token_endpoint"] = "http://op.example.com/token".into()),
        neg!("malformed", "discovery_token_endpoint_absent", "code.form_post",
            "OIDC Discovery §3: no token_endpoint.",
            |t| { t.discovery.as_object_mut().unwrap().remove("token_endpoint"); }),
        neg!("invalid_key", "jwks_point_not_on_curve", "code_id_token.form_post",
            "RFC 7518 §6.2.1: the JWKS key's y coordinate is not on P-256.",
            |t| t.jwks["keys"][0]["y"] = base64ct_encode(&[7u8; 32]).into()),
        neg!("malformed", "jwks_not_a_key_set", "code.fragment",
            "RFC 7517 §5: the JWKS has no keys member.",
            |t| t.jwks = json!({"key": []})),
        neg!("invalid_parameter", "request_query_mode_with_tokens", "code_id_token.fragment",
            "Multiple Response Types §5: the stored request asked for query mode with code id_token.",
            |t| { t.request["response_mode"] = "query".into(); t.authorization_response["mode"] = "query".into(); }),
        neg!("invalid_config", "client_auth_method_unsupported", "code.query",
            "OIDC Core §9: the client's token_endpoint_auth_method is one this client cannot use.",
            |t| t.client["token_endpoint_auth_method"] = "client_secret_jwt".into()),
    ]
}

fn generate() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for n in catalogue() {
        let name = format!("{}.{}", n.code, n.what);
        assert!(seen.insert(name.clone()), "duplicate negative {name}");
        let mut t = base(n.base);
        (n.edit)(&mut t);
        t.case = name.clone();
        t.expect = Some("reject".into());
        t.expect_code = Some(n.code.into());
        t.extra.insert(
            "description".into(),
            format!("{} Derived from {}.", n.description, n.base).into(),
        );
        let text = serde_json::to_string_pretty(&t).expect("serializes") + "\n";
        out.push((format!("{name}.json"), text));
    }
    out
}

#[test]
fn negative_files_are_in_sync() {
    let dir = negative_dir();
    let generated = generate();
    if std::env::var_os("OIDC_HYBRID_REGENERATE").is_some() {
        std::fs::create_dir_all(&dir).expect("create the folder");
        for entry in std::fs::read_dir(&dir).expect("read the folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                std::fs::remove_file(path).expect("remove a stale file");
            }
        }
        for (name, text) in &generated {
            std::fs::write(dir.join(name), text).expect("write");
        }
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/negative exists (OIDC_HYBRID_REGENERATE=1 writes it)")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut names: Vec<String> = generated.iter().map(|(n, _)| n.clone()).collect();
    names.sort();
    assert_eq!(on_disk, names, "rerun with OIDC_HYBRID_REGENERATE=1");
    for (name, text) in &generated {
        let disk = std::fs::read_to_string(dir.join(name)).expect("read");
        assert!(
            disk == *text,
            "{name} differs from its generator; rerun with OIDC_HYBRID_REGENERATE=1"
        );
    }
}

fn negative_files() -> Vec<(PathBuf, Transcript)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(negative_dir())
        .expect("negative folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let t = Transcript::load(&p).expect("loads");
            (p, t)
        })
        .collect()
}

#[test]
fn every_negative_is_rejected_with_its_code() {
    let files = negative_files();
    assert!(files.len() >= 100, "only {} negative files", files.len());
    let mut failures = Vec::new();
    for (path, t) in &files {
        let want = t.expect_code.as_deref().expect("expect_code");
        assert_eq!(t.expect.as_deref(), Some("reject"));
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(name.starts_with(&format!("{want}.")), "{name} vs {want}");
        match check_transcript(t, &CheckOptions::default()) {
            Ok(_) => failures.push(format!("{name}: accepted")),
            Err(r) if r.code() != want => failures.push(format!("{name}: {} ({r})", r.code())),
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every code the relying party can produce from an exchange has at least
/// one negative (codes only reachable from the caller's side —
/// `insufficient_entropy`, `unsupported_hash_alg` — are unit-tested).
#[test]
fn every_code_the_rp_produces_has_a_negative() {
    let covered: BTreeSet<String> = negative_files()
        .iter()
        .filter_map(|(_, t)| t.expect_code.clone())
        .collect();
    let caller_side = ["insufficient_entropy", "unsupported_hash_alg"];
    let missing: Vec<&str> = oidc_hybrid::ErrorKind::ALL
        .iter()
        .map(|k| k.code())
        .filter(|c| !caller_side.contains(c) && !covered.contains(*c))
        .collect();
    assert!(missing.is_empty(), "codes without a negative: {missing:?}");
}
