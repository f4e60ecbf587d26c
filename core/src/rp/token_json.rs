//! The token endpoint's JSON answer (RFC 6749 §5.1, §5.2; OIDC Core
//! §3.3.3.3), shared by the code exchange and the refresh.

use alloc::borrow::Cow;
use alloc::collections::BTreeSet;
use alloc::string::String;
use core::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::error::{Error, ErrorKind, ProviderErrorBody, Result};
use crate::rp::http::{expect_json, is_object};

/// Longest token endpoint response accepted, bytes (an ID token is at most
/// [`crate::jose::jws::MAX_JWS_LEN`]; the rest is a few short strings).
pub const MAX_TOKEN_RESPONSE_LEN: usize = 64 * 1024;

/// `token_type` must be present (`token_type_missing`) and `Bearer`,
/// compared case-insensitively (`token_type_invalid`; RFC 6749 §5.1, §7.1;
/// RFC 6750 §4).
pub(crate) fn check_token_type(value: Option<&str>, what: &'static str) -> Result<()> {
    match value {
        None => Err(Error::new(ErrorKind::TokenTypeMissing, what)),
        Some(t) if t.eq_ignore_ascii_case("bearer") => Ok(()),
        Some(t) => Err(Error::new(ErrorKind::TokenTypeInvalid, what)
            .expected("Bearer")
            .got(t)),
    }
}

/// `expires_in` as decimal seconds (RFC 6749 §4.2.2, §5.1); anything else
/// is `malformed`.
pub(crate) fn parse_expires_in(value: &str, what: &'static str) -> Result<u64> {
    if value.is_empty() || value.len() > 19 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::new(ErrorKind::Malformed, what)
            .expected("a non-negative number of seconds")
            .got(value));
    }
    value
        .parse()
        .map_err(|_| Error::new(ErrorKind::Malformed, what))
}

/// The members read from a token response. Deserialized by hand so that a
/// member sent twice is reported as such (RFC 6749 §3.2: response
/// parameters MUST NOT be included more than once) rather than silently
/// resolved.
#[derive(Default)]
struct Raw<'a> {
    access_token: Option<Cow<'a, str>>,
    token_type: Option<Cow<'a, str>>,
    expires_in: Option<serde_json::Value>,
    refresh_token: Option<Cow<'a, str>>,
    id_token: Option<Cow<'a, str>>,
    scope: Option<Cow<'a, str>>,
    error: Option<Cow<'a, str>>,
    error_description: Option<Cow<'a, str>>,
    error_uri: Option<Cow<'a, str>>,
    /// The first member name seen twice, if any.
    duplicate: Option<String>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Raw<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a token response object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> core::result::Result<Raw<'de>, A::Error> {
                let mut raw = Raw::default();
                let mut seen: BTreeSet<Cow<'de, str>> = BTreeSet::new();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if seen.contains(&key) {
                        raw.duplicate
                            .get_or_insert_with(|| key.clone().into_owned());
                    }
                    let slot = match key.as_ref() {
                        "access_token" => &mut raw.access_token,
                        "token_type" => &mut raw.token_type,
                        "refresh_token" => &mut raw.refresh_token,
                        "id_token" => &mut raw.id_token,
                        "scope" => &mut raw.scope,
                        "error" => &mut raw.error,
                        "error_description" => &mut raw.error_description,
                        "error_uri" => &mut raw.error_uri,
                        "expires_in" => {
                            raw.expires_in = map.next_value()?;
                            seen.insert(key);
                            continue;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            seen.insert(key);
                            continue;
                        }
                    };
                    *slot = map.next_value()?;
                    seen.insert(key);
                }
                Ok(raw)
            }
        }
        d.deserialize_map(V)
    }
}

/// A successful token response, recognised.
pub(crate) struct TokenFields<'a> {
    pub access_token: Cow<'a, str>,
    pub expires_in: Option<u64>,
    pub refresh_token: Option<Cow<'a, str>>,
    pub id_token: Option<Cow<'a, str>>,
    pub scope: Option<Cow<'a, str>>,
}

fn present(v: Option<Cow<'_, str>>) -> Option<Cow<'_, str>> {
    v.filter(|s| !s.is_empty())
}

/// Steps 1–6 of a token endpoint response:
///
/// 1. at most [`MAX_TOKEN_RESPONSE_LEN`] bytes (`too_large`);
/// 2. HTTP 200, else an RFC 6749 §5.2 error object is `provider_error`,
///    anything else `unexpected_response`;
/// 3. `application/json` (`unexpected_response`; §5.1);
/// 4. a JSON object with well-typed members (`malformed`), each at most
///    once (`duplicate_parameter`; §3.2); unknown members ignored (§5.1);
/// 5. an `error` member is `provider_error` (§5.2);
/// 6. `access_token` present (`missing_parameter`), `token_type` Bearer
///    (`token_type_missing` / `token_type_invalid`), `expires_in` a
///    non-negative integer if present (`malformed`).
pub(crate) fn parse<'a>(
    status: u16,
    content_type: &str,
    body: &'a [u8],
) -> Result<TokenFields<'a>> {
    // 1–3.
    expect_json(
        status,
        content_type,
        body,
        MAX_TOKEN_RESPONSE_LEN,
        "token_response",
    )?;
    // 4. Recognise fully.
    let malformed = || {
        Error::new(ErrorKind::Malformed, "token_response")
            .expected("a JSON object with well-typed members, each once")
    };
    if !is_object(body) {
        return Err(malformed());
    }
    let raw: Raw<'_> = serde_json::from_slice(body).map_err(|_| malformed())?;
    // RFC 6749 §3.2: response parameters MUST NOT be included more than once.
    if let Some(name) = &raw.duplicate {
        return Err(Error::new(ErrorKind::DuplicateParameter, "token_response").got(name));
    }
    // 5. RFC 6749 §5.2, even under a 200.
    if let Some(error) = present(raw.error) {
        return Err(Error::provider(ProviderErrorBody {
            error: error.into_owned(),
            description: raw.error_description.map(Cow::into_owned),
            uri: raw.error_uri.map(Cow::into_owned),
        }));
    }
    // 6. RFC 6749 §5.1: access_token and token_type REQUIRED.
    let access_token = present(raw.access_token)
        .ok_or_else(|| Error::new(ErrorKind::MissingParameter, "token_response.access_token"))?;
    check_token_type(
        present(raw.token_type).as_deref(),
        "token_response.token_type",
    )?;
    let expires_in = match raw.expires_in {
        None => None,
        Some(serde_json::Value::Number(n)) => Some(n.as_u64().ok_or_else(|| {
            Error::new(ErrorKind::Malformed, "token_response.expires_in")
                .expected("a non-negative integer")
        })?),
        Some(serde_json::Value::String(s)) => {
            Some(parse_expires_in(&s, "token_response.expires_in")?)
        }
        Some(_) => {
            return Err(
                Error::new(ErrorKind::Malformed, "token_response.expires_in")
                    .expected("a non-negative integer"),
            );
        }
    };
    Ok(TokenFields {
        access_token,
        expires_in,
        refresh_token: present(raw.refresh_token),
        id_token: present(raw.id_token),
        scope: present(raw.scope),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CT: &str = "application/json";

    fn code(body: &str) -> &'static str {
        match parse(200, CT, body.as_bytes()) {
            Ok(_) => "ok",
            Err(e) => e.code(),
        }
    }

    #[test]
    fn token_type_rules() {
        assert_eq!(code(r#"{"access_token":"a","token_type":"Bearer"}"#), "ok");
        assert_eq!(code(r#"{"access_token":"a","token_type":"bEaReR"}"#), "ok");
        assert_eq!(code(r#"{"access_token":"a"}"#), "token_type_missing");
        assert_eq!(
            code(r#"{"access_token":"a","token_type":"DPoP"}"#),
            "token_type_invalid"
        );
        // An empty value counts as absent, as in the front channel.
        assert_eq!(
            code(r#"{"access_token":"a","token_type":""}"#),
            "token_type_missing"
        );
    }

    #[test]
    fn shape_rules() {
        assert_eq!(code(r#"{"token_type":"Bearer"}"#), "missing_parameter");
        assert_eq!(
            code(r#"{"access_token":"","token_type":"Bearer"}"#),
            "missing_parameter"
        );
        assert_eq!(code("not json"), "malformed");
        assert_eq!(code("[1]"), "malformed");
        assert_eq!(code(r#"["a","Bearer"]"#), "malformed");
        assert_eq!(
            code(r#"{"access_token":5,"token_type":"Bearer"}"#),
            "malformed"
        );
        assert_eq!(
            code(r#"{"access_token":"a","access_token":"b","token_type":"Bearer"}"#),
            "duplicate_parameter"
        );
        assert_eq!(
            code(r#"{"access_token":"a","token_type":"Bearer","x":1,"x":2}"#),
            "duplicate_parameter"
        );
        for bad in ["-1", "1.5", "\"soon\"", "true", "\"-3\""] {
            let body = alloc::format!(
                r#"{{"access_token":"a","token_type":"Bearer","expires_in":{bad}}}"#
            );
            assert_eq!(code(&body), "malformed", "{bad}");
        }
        let ok = parse(
            200,
            CT,
            br#"{"access_token":"a","token_type":"Bearer","expires_in":"60","x":{"y":1}}"#,
        )
        .unwrap();
        assert_eq!(ok.expires_in, Some(60));
        assert_eq!(
            code(r#"{"error":"invalid_grant","access_token":"a"}"#),
            "provider_error"
        );
    }
}
