//! JWS compact serialization (RFC 7515 §7.1): bounded parsing, the protected
//! header, and signing input.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::jose::Alg;

/// Longest compact JWS accepted, bytes. An ID token with a few dozen claims
/// signed with RSA-4096 is under 3 KiB; 16 KiB leaves room for large claim
/// sets without letting a peer make us decode megabytes.
pub const MAX_JWS_LEN: usize = 16 * 1024;
/// Longest encoded protected header accepted, bytes.
pub const MAX_HEADER_LEN: usize = 1024;
/// Longest decoded signature accepted, bytes (RSA-8192 is 1024).
pub const MAX_SIGNATURE_LEN: usize = 1024;

/// The protected header fields this core reads (RFC 7515 §4.1).
#[derive(Clone, Debug, Deserialize)]
pub struct Header<'a> {
    /// `alg`, as sent. Checked against the caller's allowlist, never trusted.
    #[serde(borrow)]
    pub alg: Cow<'a, str>,
    /// `kid`, if sent.
    #[serde(
        borrow,
        default,
        deserialize_with = "crate::encoding::json::option_cow_str"
    )]
    pub kid: Option<Cow<'a, str>>,
    /// `typ`, if sent.
    #[serde(
        borrow,
        default,
        deserialize_with = "crate::encoding::json::option_cow_str"
    )]
    pub typ: Option<Cow<'a, str>>,
    /// `crit`: any value is refused, since this core understands no
    /// extension (RFC 7515 §4.1.11).
    #[serde(default)]
    pub crit: Option<serde::de::IgnoredAny>,
}

/// A compact JWS, recognised fully: three base64url segments, a JSON header
/// naming an `alg`, a decoded payload and signature.
#[derive(Clone, Debug)]
pub struct Jws<'a> {
    signing_input: &'a str,
    // The decoded header JSON, payload and signature, one after the other
    // in one allocation.
    decoded: Vec<u8>,
    header_end: usize,
    payload_end: usize,
    // Read from the header when it is recognised, so verification does not
    // parse it again: `alg` when it is a registered name, and `kid`.
    alg: Option<Alg>,
    kid: Kid,
}

/// Where the header's `kid` is.
#[derive(Clone, Debug)]
enum Kid {
    Absent,
    /// Bytes of `decoded` (the usual case: no escapes, so no copy).
    At(core::ops::Range<usize>),
    /// Unescaped copy.
    Owned(String),
}

/// Decodes `segment` into `buf[*at..]` and moves `at` past it: the size
/// bound first (`too_large`), then strict base64url (`malformed`).
fn decode_segment(
    segment: &str,
    max: usize,
    what: &'static str,
    buf: &mut [u8],
    at: &mut usize,
) -> Result<()> {
    // Decoded length is 3/4 of the encoded one; check before decoding.
    if segment.len() / 4 * 3 > max {
        return Err(Error::new(ErrorKind::TooLarge, what));
    }
    // The segments are public: the fast, strict, variable-time decoder.
    let n = buf
        .get_mut(*at..)
        .and_then(|out| crate::encoding::base64url::decode_into(segment, out).ok())
        .map(<[u8]>::len)
        .ok_or_else(|| {
            Error::new(ErrorKind::Malformed, what).expected("base64url without padding")
        })?;
    *at = at.saturating_add(n);
    Ok(())
}

impl<'a> Jws<'a> {
    /// Parses a compact JWS.
    pub fn parse(token: &'a str) -> Result<Self> {
        if token.len() > MAX_JWS_LEN {
            return Err(Error::new(ErrorKind::TooLarge, "jws")
                .expected(&alloc::format!("at most {MAX_JWS_LEN} bytes"))
                .got(&alloc::format!("{} bytes", token.len())));
        }
        // RFC 7515 §7.1: exactly three segments (a JWE has five; refused).
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(
                Error::new(ErrorKind::Malformed, "jws").expected("three dot-separated segments")
            );
        };
        if h.len() > MAX_HEADER_LEN {
            return Err(Error::new(ErrorKind::TooLarge, "jws.header"));
        }
        // Room for all three (at most 3 bytes per 4 characters, and the
        // token is bounded), decoded in order into one buffer.
        let room = |seg: &str| seg.len() / 4 * 3 + 2;
        let mut decoded = alloc::vec![0u8; room(h) + room(p) + room(s)];
        let mut at = 0;
        decode_segment(h, MAX_HEADER_LEN, "jws.header", &mut decoded, &mut at)?;
        let header_end = at;
        decode_segment(p, MAX_JWS_LEN, "jws.payload", &mut decoded, &mut at)?;
        let payload_end = at;
        decode_segment(s, MAX_SIGNATURE_LEN, "jws.signature", &mut decoded, &mut at)?;
        decoded.truncate(at);
        let signing_input = token
            .get(..h.len().saturating_add(1).saturating_add(p.len()))
            .ok_or_else(|| Error::new(ErrorKind::Malformed, "jws"))?;
        // Recognise the header fully now, so a bad header is `malformed`
        // before any key is looked at.
        let header_json = decoded.get(..header_end).unwrap_or_default();
        let header = parse_header(header_json)?;
        let alg = Alg::parse(&header.alg).ok();
        let kid = match header.kid {
            None => Kid::Absent,
            Some(Cow::Borrowed(kid)) => {
                // Borrowed from `header_json`: its position there.
                let start = (kid.as_ptr() as usize).wrapping_sub(header_json.as_ptr() as usize);
                let range = start..start.saturating_add(kid.len());
                match header_json.get(range.clone()) {
                    Some(bytes) if bytes == kid.as_bytes() => Kid::At(range),
                    _ => Kid::Owned(kid.into()),
                }
            }
            Some(Cow::Owned(kid)) => Kid::Owned(kid),
        };
        Ok(Self {
            signing_input,
            decoded,
            header_end,
            payload_end,
            alg,
            kid,
        })
    }

    fn header_json(&self) -> &[u8] {
        self.decoded.get(..self.header_end).unwrap_or_default()
    }

    /// The protected header, borrowing from this value.
    pub fn header(&self) -> Result<Header<'_>> {
        parse_header(self.header_json())
    }

    /// The header's `kid`, if any.
    pub fn kid(&self) -> Option<&str> {
        match &self.kid {
            Kid::Absent => None,
            Kid::At(range) => self
                .header_json()
                .get(range.clone())
                .and_then(|b| core::str::from_utf8(b).ok()),
            Kid::Owned(kid) => Some(kid),
        }
    }

    /// Checks the header's `alg` against the one the caller allows and
    /// returns it. `none` and any other value are `alg_not_allowed`
    /// (RFC 8725 §3.1, OIDC Core §3.1.3.7 step 7).
    pub fn expect_alg(&self, allowed: &[Alg]) -> Result<Alg> {
        match self.alg {
            Some(alg) if allowed.contains(&alg) => Ok(alg),
            // The header is read again only to word the error.
            _ => check_alg(&self.header()?, allowed),
        }
    }

    /// The bytes the signature covers: `BASE64URL(header) || '.' || BASE64URL(payload)`.
    pub fn signing_input(&self) -> &'a str {
        self.signing_input
    }

    /// The decoded payload.
    pub fn payload(&self) -> &[u8] {
        self.decoded
            .get(self.header_end..self.payload_end)
            .unwrap_or_default()
    }

    /// The decoded signature.
    pub fn signature(&self) -> &[u8] {
        self.decoded.get(self.payload_end..).unwrap_or_default()
    }
}

fn parse_header(json: &[u8]) -> Result<Header<'_>> {
    // RFC 7515 §4: the header is a JSON object.
    let header: Header<'_> = crate::encoding::json::object(json, "jws.header")?;
    // RFC 7515 §4.1.11: unknown critical extensions make the JWS invalid.
    if header.crit.is_some() {
        return Err(
            Error::new(ErrorKind::Malformed, "jws.header.crit").expected("no critical extensions")
        );
    }
    Ok(header)
}

fn check_alg(header: &Header<'_>, allowed: &[Alg]) -> Result<Alg> {
    match Alg::parse(&header.alg) {
        Ok(alg) if allowed.contains(&alg) => Ok(alg),
        _ => Err(Error::new(ErrorKind::AlgNotAllowed, "jws.header.alg")
            .expected(&join_algs(allowed))
            .got(&header.alg)),
    }
}

fn join_algs(algs: &[Alg]) -> String {
    let mut s = String::new();
    for (i, a) in algs.iter().enumerate() {
        if i > 0 {
            s.push_str(" or ");
        }
        s.push_str(a.as_str());
    }
    if s.is_empty() {
        s.push_str("(no algorithm allowed)");
    }
    s
}

/// Builds `BASE64URL(header).BASE64URL(payload)` for signing.
pub fn signing_input(header_json: &[u8], payload_json: &[u8]) -> String {
    let mut s = Base64UrlUnpadded::encode_string(header_json);
    s.push('.');
    s.push_str(&Base64UrlUnpadded::encode_string(payload_json));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        Base64UrlUnpadded::encode_string(s.as_bytes())
    }

    #[test]
    fn parses_three_segments() {
        let t = alloc::format!(
            "{}.{}.{}",
            b64(r#"{"alg":"ES256","kid":"k1"}"#),
            b64("{}"),
            b64("sig")
        );
        let j = Jws::parse(&t).unwrap();
        assert_eq!(j.header().unwrap().kid.as_deref(), Some("k1"));
        assert_eq!(j.expect_alg(&[Alg::ES256]).unwrap(), Alg::ES256);
        assert_eq!(
            j.expect_alg(&[Alg::RS256]).unwrap_err().kind(),
            ErrorKind::AlgNotAllowed
        );
        assert_eq!(j.payload(), b"{}");
        assert!(j.signing_input().ends_with(&b64("{}")));
    }

    #[test]
    fn kid_borrowed_escaped_or_absent() {
        for (header, kid) in [
            (r#"{"alg":"ES256","kid":"k-1"}"#, Some("k-1")),
            (r#"{"kid":"a\/b\u00e9","alg":"ES256"}"#, Some("a/bé")),
            (r#"{"alg":"ES256"}"#, None),
        ] {
            let t = alloc::format!("{}.{}.{}", b64(header), b64("{}"), b64("sig"));
            let j = Jws::parse(&t).unwrap();
            assert_eq!(j.kid(), kid, "{header}");
            assert_eq!(j.header().unwrap().kid.as_deref(), kid);
            assert_eq!(j.payload(), b"{}");
            assert_eq!(j.signature(), b"sig");
        }
    }

    #[test]
    fn refuses_none_crit_bad_shapes() {
        let none = alloc::format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64("{}"));
        let j = Jws::parse(&none).unwrap();
        assert_eq!(
            j.expect_alg(&[Alg::ES256]).unwrap_err().kind(),
            ErrorKind::AlgNotAllowed
        );
        let crit = alloc::format!(
            "{}.{}.{}",
            b64(r#"{"alg":"ES256","crit":["b64"]}"#),
            b64("{}"),
            b64("s")
        );
        assert_eq!(Jws::parse(&crit).unwrap_err().kind(), ErrorKind::Malformed);
        for bad in [
            "",
            "a.b",
            "a.b.c.d",
            "a.b.c.d.e",
            "!!.e30.e30",
            "e30.e30.e30=",
            "bm90IGpzb24.e30.e30",
        ] {
            assert_eq!(
                Jws::parse(bad).unwrap_err().kind(),
                ErrorKind::Malformed,
                "{bad}"
            );
        }
        let dup = alloc::format!(
            "{}.{}.{}",
            b64(r#"{"alg":"ES256","alg":"none"}"#),
            b64("{}"),
            b64("s")
        );
        assert_eq!(Jws::parse(&dup).unwrap_err().kind(), ErrorKind::Malformed);
        let big = "a".repeat(MAX_JWS_LEN + 1);
        assert_eq!(Jws::parse(&big).unwrap_err().kind(), ErrorKind::TooLarge);
    }
}
