//! Provider token request + `Authorization` header: the first line of the
//! input is the header (none if empty), the rest the form body. Parsed
//! requests are redeemed against the fixed code's grant: tokens come out
//! only for the client the code was issued to, its redirect URI and the
//! right PKCE verifier. Errors are 400, or 401 with a challenge.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_hybrid::encoding::Params;
use oidc_hybrid::op::{Entropy, Lookup, TokenRequest};
use oidc_hybrid::rp::ResponseType;
use oidc_hybrid_fuzz::{FIXED, fixed};

fuzz_target!(|data: &str| {
    let p = &FIXED.provider;
    let (header, body) = data.split_once('\n').unwrap_or(("", data));
    let authorization = (!header.is_empty()).then_some(header);
    let parsed = TokenRequest::parse(body, authorization, &p.registry, &p.config, fixed::NOW);
    let request = match parsed {
        Err(e) => {
            assert!(e.status == 400 || e.status == 401, "{}", e.status);
            assert_eq!(e.status == 401, e.www_authenticate.is_some());
            return;
        }
        Ok(r) => r,
    };
    assert!(p.registry.get(request.client_id()).is_some());
    let TokenRequest::AuthorizationCode(redemption) = request else {
        return;
    };
    let ex = FIXED.exchange(ResponseType::CodeIdToken);
    let granted = redemption.redeem(
        Lookup::Found(ex.grant.clone()),
        Entropy::new(&[9; 32]).expect("entropy"),
        &p.keys,
        &p.config,
        fixed::NOW,
    );
    if granted.is_ok() {
        let params = Params::parse(body).expect("parsed once");
        let verifier = ex.pending.code_verifier().secret();
        assert_eq!(params.get("code_verifier"), Some(verifier));
        assert_eq!(
            params.get("redirect_uri"),
            Some(ex.grant.redirect_uri.as_str())
        );
        // The code's client authenticates with HTTP Basic: the header
        // carries its registered id and secret.
        assert_eq!(
            authorization.and_then(basic_credentials),
            Some((fixed::CLIENT_ID.to_owned(), fixed::SECRET.to_owned()))
        );
    }
});

/// RFC 6749 §2.3.1 read independently of the provider: `Basic`, base64
/// of the form-encoded id and secret joined by `:`.
fn basic_credentials(header: &str) -> Option<(String, String)> {
    use base64ct::{Base64, Encoding};
    let (scheme, rest) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = Base64::decode_vec(rest.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((form_decode(id)?, form_decode(secret)?))
}

fn form_decode(s: &str) -> Option<String> {
    let mut out = Vec::new();
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        out.push(match b {
            b'+' => b' ',
            b'%' => {
                let hex = [bytes.next()?, bytes.next()?];
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                u8::from_str_radix(core::str::from_utf8(&hex).ok()?, 16).ok()?
            }
            b => b,
        });
    }
    String::from_utf8(out).ok()
}
