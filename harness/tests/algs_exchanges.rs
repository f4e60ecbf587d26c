//! The provider's exchanges signed with RS256, PS256, EdDSA and ES384:
//! `check` accepts all eight, and each one re-signed with its own algorithm's
//! key after a single defect is rejected with that defect's code.

use base64ct::{Base64UrlUnpadded, Encoding};
use oidc_hybrid::encoding::{Params, form};
use oidc_hybrid::hash::half_hash;
use oidc_hybrid::jose::{Alg, SigningKey, jws};
use oidc_hybrid_harness::cli::check::{CheckOptions, check_transcript};
use oidc_hybrid_harness::fixtures::{Transcript, alg_transcript_paths, decode_jws, fixtures_dir};
use rsa::signature::SignatureEncoding as _;
use serde_json::{Value, json};

/// The provider's private keys for the other algorithms (test material).
fn alg_keys() -> Vec<Value> {
    let text = std::fs::read_to_string(fixtures_dir().join("keys").join("keys-algs.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["keys"].as_array().unwrap().clone()
}

fn key_for(alg: Alg) -> Value {
    let kty = match alg {
        Alg::RS256 | Alg::PS256 => "RSA",
        Alg::ES384 => "EC",
        Alg::EdDSA => "OKP",
        other => panic!("no key for {other}"),
    };
    alg_keys()
        .into_iter()
        .find(|k| k["kty"] == kty)
        .expect("key of that type")
}

fn b64(v: &Value, m: &str) -> rsa::BoxedUint {
    let bytes = Base64UrlUnpadded::decode_vec(v[m].as_str().unwrap()).unwrap();
    rsa::BoxedUint::from_be_slice_vartime(&bytes)
}

/// Signs `header.payload` with `alg` using the provider's key.
fn sign(alg: Alg, header: &Value, payload: &Value) -> String {
    let input = jws::signing_input(
        &serde_json::to_vec(header).unwrap(),
        &serde_json::to_vec(payload).unwrap(),
    );
    let k = key_for(alg);
    let sig = if alg == Alg::PS256 {
        let private = rsa::PrivateKey::from_components(
            b64(&k, "n"),
            b64(&k, "e"),
            b64(&k, "d"),
            vec![b64(&k, "p"), b64(&k, "q")],
        )
        .unwrap();
        let signer = rsa::pss::SigningKey::<sha2::Sha256>::new(private);
        rsa::signature::Signer::sign(&signer, input.as_bytes()).to_vec()
    } else {
        let mut jwk = k.clone();
        jwk["alg"] = json!(alg.as_str());
        SigningKey::from_jwk(&serde_json::to_vec(&jwk).unwrap())
            .unwrap()
            .sign(input.as_bytes())
    };
    format!("{input}.{}", Base64UrlUnpadded::encode_string(&sig))
}

fn alg_of(t: &Transcript) -> Alg {
    Alg::parse(t.client["id_token_signed_response_alg"].as_str().unwrap()).unwrap()
}

/// Replaces the front-channel ID token after `edit`, re-signed with `alg`.
fn with_front_token(
    t: &Transcript,
    alg: Alg,
    edit: impl FnOnce(&mut Value, &mut Value),
) -> Transcript {
    let raw = t.raw_callback().to_owned();
    let params = Params::parse(&raw).unwrap();
    let (mut header, mut payload) = decode_jws(params.get("id_token").unwrap());
    edit(&mut header, &mut payload);
    let token = sign(alg, &header, &payload);
    let pairs: Vec<(String, String)> = params
        .iter()
        .map(|(n, v)| {
            (
                n.to_owned(),
                if n == "id_token" {
                    token.clone()
                } else {
                    v.to_owned()
                },
            )
        })
        .collect();
    let mut out = t.clone();
    out.authorization_response["raw"] =
        form::write(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))).into();
    out
}

fn code_of(t: &Transcript) -> Result<(), String> {
    check_transcript(t, &CheckOptions::default())
        .map(|_| ())
        .map_err(|r| r.code().to_owned())
}

#[test]
fn check_accepts_all_eight_alg_exchanges() {
    let paths = alg_transcript_paths();
    assert_eq!(paths.len(), 8);
    for p in paths {
        let t = Transcript::load(&p).unwrap();
        assert_eq!(code_of(&t), Ok(()), "{}", t.case);
    }
}

#[test]
fn resigned_unchanged_tokens_are_accepted() {
    // The re-signing itself introduces no defect (for PS256 the salt is
    // random, so the signature differs and must still verify).
    for p in alg_transcript_paths() {
        let t = Transcript::load(&p).unwrap();
        let same = with_front_token(&t, alg_of(&t), |_, _| {});
        assert_eq!(code_of(&same), Ok(()), "{}", t.case);
    }
}

#[test]
fn single_defects_are_rejected_with_their_codes() {
    let mut checked = 0;
    for p in alg_transcript_paths() {
        let t = Transcript::load(&p).unwrap();
        let alg = alg_of(&t);
        let cases: Vec<(&str, Transcript)> = vec![
            (
                "nonce_mismatch",
                with_front_token(&t, alg, |_, c| c["nonce"] = json!("other")),
            ),
            (
                "invalid_issuer",
                with_front_token(&t, alg, |_, c| c["iss"] = json!("https://evil.example")),
            ),
            (
                "invalid_audience",
                with_front_token(&t, alg, |_, c| c["aud"] = json!("other-client")),
            ),
            (
                "expired",
                with_front_token(&t, alg, |_, c| c["exp"] = json!(t.time - 1)),
            ),
            (
                "c_hash_mismatch",
                with_front_token(&t, alg, |_, c| {
                    c["c_hash"] = json!(half_hash(alg, b"x").as_str())
                }),
            ),
            (
                "c_hash_missing",
                with_front_token(&t, alg, |_, c| {
                    c.as_object_mut().unwrap().remove("c_hash");
                }),
            ),
            (
                "s_hash_mismatch",
                with_front_token(&t, alg, |_, c| {
                    c["s_hash"] = json!(half_hash(alg, b"x").as_str())
                }),
            ),
            (
                "unknown_kid",
                with_front_token(&t, alg, |h, _| h["kid"] = json!("rotated")),
            ),
            // The hash of the wrong family (SHA-256 where the alg names another).
            (
                if alg == Alg::RS256 || alg == Alg::PS256 {
                    "skip"
                } else {
                    "c_hash_mismatch"
                },
                with_front_token(&t, alg, |_, c| {
                    let code = Params::parse(t.raw_callback())
                        .unwrap()
                        .get("code")
                        .unwrap()
                        .to_owned();
                    c["c_hash"] = json!(half_hash(Alg::ES256, code.as_bytes()).as_str());
                }),
            ),
        ];
        for (code, bad) in cases {
            if code == "skip" {
                continue;
            }
            assert_eq!(code_of(&bad), Err(code.to_owned()), "{} {code}", t.case);
            checked += 1;
        }
        // A valid signature made by the right key under another algorithm's name.
        let other = if alg == Alg::RS256 {
            Alg::PS256
        } else if alg == Alg::PS256 {
            Alg::RS256
        } else {
            alg
        };
        if other != alg {
            let bad = with_front_token(&t, other, |h, _| h["alg"] = json!(other.as_str()));
            assert_eq!(code_of(&bad), Err("alg_not_allowed".into()), "{}", t.case);
            checked += 1;
        }
        // Bytes of a valid signature over other claims.
        let raw = t.raw_callback().to_owned();
        let params = Params::parse(&raw).unwrap();
        let token = params.get("id_token").unwrap();
        let (h, mut c) = decode_jws(token);
        c["sub"] = json!("mallory");
        let forged = sign(alg, &h, &c);
        let spliced = format!(
            "{}.{}",
            token.rsplit_once('.').unwrap().0,
            forged.rsplit_once('.').unwrap().1
        );
        let pairs: Vec<(String, String)> = params
            .iter()
            .map(|(n, v)| {
                (
                    n.to_owned(),
                    if n == "id_token" {
                        spliced.clone()
                    } else {
                        v.to_owned()
                    },
                )
            })
            .collect();
        let mut bad = t.clone();
        bad.authorization_response["raw"] =
            form::write(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))).into();
        assert_eq!(code_of(&bad), Err("bad_signature".into()), "{}", t.case);
        checked += 1;
    }
    assert!(checked >= 8 * 10, "{checked}");
}
