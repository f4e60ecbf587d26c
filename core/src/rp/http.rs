//! HTTP as values: the requests the relying party asks the caller to send,
//! and the first checks on the responses the caller hands back.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::Deserialize;

use crate::error::{Error, ErrorKind, ProviderErrorBody, Result};

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    /// The method name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// A request for the caller to send. `Debug` shows the method, URL and
/// header names only: the body and the `Authorization` value carry secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body (`application/x-www-form-urlencoded` for POST; empty for GET).
    pub body: String,
}

impl HttpRequest {
    /// The value of header `name` (case-insensitive), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field(
                "body",
                &alloc::format!("<{} bytes redacted>", self.body.len()),
            )
            .finish()
    }
}

/// Whether `content_type` is `application/json` (parameters such as
/// `charset` ignored, case-insensitive; RFC 9110 §8.3.1).
pub(crate) fn is_media_type(content_type: &str, want: &str) -> bool {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .eq_ignore_ascii_case(want)
}

/// Whether `json` starts, after whitespace, with `{`. Checked before
/// deserializing into a struct, which would otherwise also accept an array
/// of positional members.
pub(crate) fn is_object(json: &[u8]) -> bool {
    json.iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .is_some_and(|b| *b == b'{')
}

#[derive(Deserialize)]
struct RawError<'a> {
    #[serde(borrow, default)]
    error: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    error_description: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    error_uri: Option<Cow<'a, str>>,
}

/// An OAuth error object (RFC 6749 §5.2) in `body`, if it is one.
pub(crate) fn error_object(body: &[u8]) -> Option<ProviderErrorBody> {
    if !is_object(body) {
        return None;
    }
    let raw: RawError<'_> = serde_json::from_slice(body).ok()?;
    let error = raw.error.filter(|e| !e.is_empty())?;
    Some(ProviderErrorBody {
        error: error.into_owned(),
        description: raw.error_description.map(Cow::into_owned),
        uri: raw.error_uri.map(Cow::into_owned),
    })
}

/// The first checks on a JSON response from a provider endpoint:
///
/// 1. the body is at most `max` bytes (`too_large`);
/// 2. the status is 200, else an OAuth error object is `provider_error`
///    (RFC 6749 §5.2, RFC 6750 §3.1) and anything else `unexpected_response`;
/// 3. the content type is `application/json` (`unexpected_response`;
///    RFC 6749 §5.1, OIDC Core §5.3.2).
pub(crate) fn expect_json(
    status: u16,
    content_type: &str,
    body: &[u8],
    max: usize,
    what: &'static str,
) -> Result<()> {
    // 1. Bounded before anything is parsed.
    if body.len() > max {
        return Err(Error::new(ErrorKind::TooLarge, what)
            .expected(&alloc::format!("at most {max} bytes"))
            .got(&alloc::format!("{} bytes", body.len())));
    }
    // 2. Success is 200 (RFC 6749 §5.1); errors are typed when they are OAuth errors.
    if status != 200 {
        if let Some(err) = error_object(body) {
            return Err(Error::provider(err));
        }
        return Err(Error::new(ErrorKind::UnexpectedResponse, what)
            .expected("HTTP 200, or an OAuth error object")
            .got(&alloc::format!("HTTP {status}")));
    }
    // 3. JSON, as the endpoint's spec requires.
    if !is_media_type(content_type, "application/json") {
        return Err(Error::new(ErrorKind::UnexpectedResponse, what)
            .expected("content type application/json")
            .got(if content_type.is_empty() {
                "(none)"
            } else {
                content_type
            }));
    }
    Ok(())
}

/// Longest `WWW-Authenticate` value read, bytes.
pub const MAX_CHALLENGE_LEN: usize = 2048;

/// The `error`, `error_description` and `error_uri` of a `Bearer` challenge
/// (RFC 6750 §3: `Bearer realm="x", error="invalid_token", ...`; auth-params
/// per RFC 9110 §11.2, values a token or a quoted-string). `None` when the
/// header is not a Bearer challenge with an `error`, or is malformed.
pub(crate) fn bearer_challenge_error(header: &str) -> Option<ProviderErrorBody> {
    if header.len() > MAX_CHALLENGE_LEN {
        return None;
    }
    let rest = header.trim_start();
    let scheme = rest.get(..6)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut rest = rest.get(6..)?;
    let (mut error, mut description, mut uri) = (None, None, None);
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            break;
        }
        let eq = rest.find('=')?;
        let name = rest.get(..eq)?.trim();
        rest = rest.get(eq + 1..)?.trim_start();
        let value: String;
        if let Some(q) = rest.strip_prefix('"') {
            // quoted-string: backslash escapes one character.
            let mut out = String::new();
            let mut chars = q.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => out.push(chars.next()?.1),
                    '"' => {
                        end = Some(i);
                        break;
                    }
                    c => out.push(c),
                }
            }
            rest = q.get(end? + 1..)?;
            value = out;
        } else {
            let end = rest.find([',', ' ', '\t']).unwrap_or(rest.len());
            value = rest.get(..end)?.into();
            rest = rest.get(end..)?;
        }
        match name {
            "error" => error = Some(value),
            "error_description" => description = Some(value),
            "error_uri" => uri = Some(value),
            _ => {}
        }
    }
    Some(ProviderErrorBody {
        error: error?,
        description,
        uri,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_challenges() {
        let e = bearer_challenge_error(
            r#"Bearer realm="example", error="invalid_token", error_description="The access token \"expired\"""#,
        )
        .unwrap();
        assert_eq!(e.error, "invalid_token");
        assert_eq!(
            e.description.as_deref(),
            Some("The access token \"expired\"")
        );
        assert_eq!(
            bearer_challenge_error("bearer error=insufficient_scope")
                .unwrap()
                .error,
            "insufficient_scope"
        );
        for none in [
            "Bearer",
            "Bearer realm=\"x\"",
            "Basic error=\"x\"",
            "Bearer error=\"open",
            "Bearer =x",
            "",
        ] {
            assert!(bearer_challenge_error(none).is_none(), "{none}");
        }
    }

    #[test]
    fn classifies_responses() {
        let ok = expect_json(200, "application/json; charset=utf-8", b"{}", 100, "t");
        assert!(ok.is_ok());
        assert!(expect_json(200, "Application/JSON", b"{}", 100, "t").is_ok());
        let e = expect_json(
            400,
            "application/json",
            br#"{"error":"invalid_grant","error_description":"used"}"#,
            100,
            "t",
        )
        .unwrap_err();
        assert_eq!(e.code(), "provider_error");
        assert_eq!(e.provider_error().unwrap().error, "invalid_grant");
        assert_eq!(
            e.provider_error().unwrap().description.as_deref(),
            Some("used")
        );
        for (status, ct, body) in [
            (500, "text/html", &b"<h1>oops</h1>"[..]),
            (400, "application/json", b"{}"),
            (200, "text/html", b"{}"),
            (200, "", b"{}"),
            (201, "application/json", b"{}"),
        ] {
            assert_eq!(
                expect_json(status, ct, body, 100, "t").unwrap_err().code(),
                "unexpected_response",
                "{status} {ct}"
            );
        }
        assert_eq!(
            expect_json(200, "application/json", &[b' '; 101], 100, "t")
                .unwrap_err()
                .code(),
            "too_large"
        );
    }

    #[test]
    fn debug_hides_body_and_authorization() {
        let r = HttpRequest {
            method: Method::Post,
            url: "https://op.example/token".into(),
            headers: alloc::vec![("Authorization".into(), "Basic c2VjcmV0".into())],
            body: "code=secret-code".into(),
        };
        let d = alloc::format!("{r:?}");
        assert!(!d.contains("c2VjcmV0") && !d.contains("secret-code"), "{d}");
        assert_eq!(r.header("authorization"), Some("Basic c2VjcmV0"));
    }
}
