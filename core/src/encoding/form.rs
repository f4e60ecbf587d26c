//! Strict `application/x-www-form-urlencoded` parsing and writing, used for
//! query strings, fragments and form bodies alike.
//!
//! The parser recognises the whole input before anything is used: the total
//! length, the parameter count and each value's length are bounded, every
//! percent escape must be valid, decoded bytes must be UTF-8, and a name that
//! occurs twice is an error (RFC 6749 §3.1, §3.2: "parameters MUST NOT be
//! included more than once"). Values borrow from the input unless they
//! contain escapes.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, ErrorKind, Result};

/// The most parameters a parsed input may hold ([`Limits::max_params`]).
pub const MAX_PARAMS: usize = 32;
/// The default bound on the whole input, in bytes. An authorization response
/// with two JWTs signed by a 4096-bit RSA key stays well below it.
pub const DEFAULT_MAX_INPUT: usize = 16 * 1024;
/// The default bound on one decoded value, in bytes.
pub const DEFAULT_MAX_VALUE: usize = 8 * 1024;
/// The default bound on one parameter name, in bytes.
pub const DEFAULT_MAX_NAME: usize = 64;

/// Bounds applied by [`Params::parse_with`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest accepted input, bytes.
    pub max_input: usize,
    /// Most parameters accepted (at most [`MAX_PARAMS`]).
    pub max_params: usize,
    /// Longest accepted decoded value, bytes.
    pub max_value: usize,
    /// Longest accepted decoded name, bytes.
    pub max_name: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_input: DEFAULT_MAX_INPUT,
            max_params: MAX_PARAMS,
            max_value: DEFAULT_MAX_VALUE,
            max_name: DEFAULT_MAX_NAME,
        }
    }
}

/// A parsed parameter table. Names are unique; order is kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params<'a> {
    items: heapless::Vec<(Cow<'a, str>, Cow<'a, str>), MAX_PARAMS>,
}

impl<'a> Params<'a> {
    /// Parses `input` with the default [`Limits`].
    pub fn parse(input: &'a str) -> Result<Self> {
        Self::parse_with(input, &Limits::default())
    }

    /// Parses `input` (no leading `?` or `#`) with explicit bounds.
    ///
    /// Empty segments (`a=1&&b=2`, a trailing `&`) are skipped, as the
    /// WHATWG URL standard does; a segment without `=` is a name with an
    /// empty value.
    pub fn parse_with(input: &'a str, limits: &Limits) -> Result<Self> {
        if input.len() > limits.max_input {
            return Err(Error::new(ErrorKind::TooLarge, "parameters")
                .expected(&alloc::format!("at most {} bytes", limits.max_input))
                .got(&alloc::format!("{} bytes", input.len())));
        }
        let max_params = limits.max_params.min(MAX_PARAMS);
        let mut out = Params::default();
        for segment in input.split('&') {
            if segment.is_empty() {
                continue;
            }
            let (raw_name, raw_value) = segment.split_once('=').unwrap_or((segment, ""));
            let name = decode(raw_name, limits.max_name, "parameter name")?;
            let value = decode(raw_value, limits.max_value, "parameter value")?;
            // RFC 6749 §3.1, §3.2: a parameter MUST NOT be included more than once.
            if out.items.iter().any(|(n, _)| *n == name) {
                return Err(Error::new(ErrorKind::DuplicateParameter, "parameters").got(&name));
            }
            if out.items.len() >= max_params {
                return Err(Error::new(ErrorKind::TooLarge, "parameters")
                    .expected(&alloc::format!("at most {max_params} parameters")));
            }
            out.items
                .push((name, value))
                .map_err(|_| Error::new(ErrorKind::TooLarge, "parameters"))?;
        }
        Ok(out)
    }

    /// The value of `name`. An empty value counts as absent (RFC 6749 §3.1:
    /// "parameters sent without a value MUST be treated as if they were
    /// omitted").
    pub fn get(&self, name: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
            .filter(|v| !v.is_empty())
    }

    /// The value of `name`, or a `missing_parameter` error naming `field`.
    pub fn require(&self, name: &str, field: &'static str) -> Result<&str> {
        self.get(name)
            .ok_or_else(|| Error::new(ErrorKind::MissingParameter, field))
    }

    /// Whether `name` is present (even with an empty value).
    pub fn contains(&self, name: &str) -> bool {
        self.items.iter().any(|(n, _)| n == name)
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The parameters in input order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.items.iter().map(|(n, v)| (n.as_ref(), v.as_ref()))
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes one name or value: `+` is a space, `%XX` a byte; the result must be
/// UTF-8 and at most `max` bytes. Borrows when nothing needs decoding.
fn decode<'a>(raw: &'a str, max: usize, what: &'static str) -> Result<Cow<'a, str>> {
    if !raw.bytes().any(|b| b == b'%' || b == b'+') {
        if raw.len() > max {
            return Err(Error::new(ErrorKind::TooLarge, what)
                .expected(&alloc::format!("at most {max} bytes")));
        }
        return Ok(Cow::Borrowed(raw));
    }
    let mut out: Vec<u8> = Vec::with_capacity(raw.len().min(max));
    let mut bytes = raw.bytes();
    while let Some(b) = bytes.next() {
        let byte = match b {
            b'+' => b' ',
            b'%' => {
                let hi = bytes.next().and_then(hex);
                let lo = bytes.next().and_then(hex);
                match (hi, lo) {
                    (Some(h), Some(l)) => (h << 4) | l,
                    _ => {
                        return Err(Error::new(ErrorKind::Malformed, what)
                            .expected("a valid percent escape (%XX)"));
                    }
                }
            }
            other => other,
        };
        if out.len() >= max {
            return Err(Error::new(ErrorKind::TooLarge, what)
                .expected(&alloc::format!("at most {max} bytes")));
        }
        out.push(byte);
    }
    String::from_utf8(out).map(Cow::Owned).map_err(|_| {
        Error::new(ErrorKind::Malformed, what).expected("UTF-8 after percent-decoding")
    })
}

/// Whether `b` is written as itself by the form serializer (WHATWG URL
/// `application/x-www-form-urlencoded` percent-encode set).
const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_')
}

fn hex_upper(nibble: u8) -> char {
    char::from_digit(u32::from(nibble), 16)
        .unwrap_or('0')
        .to_ascii_uppercase()
}

/// Appends `value` form-encoded to `out` (space as `+`).
pub fn encode_into(out: &mut String, value: &str) {
    for b in value.bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(hex_upper(b >> 4));
            out.push(hex_upper(b & 0x0f));
        }
    }
}

/// Writes parameters as `a=1&b=2`, form-encoded.
pub fn write<'p, I>(params: I) -> String
where
    I: IntoIterator<Item = (&'p str, &'p str)>,
{
    let mut out = String::new();
    append(&mut out, params);
    out
}

/// Appends parameters to `out`, with `&` between (and before, if `out` does
/// not end in `?`, `#` or is empty).
pub fn append<'p, I>(out: &mut String, params: I)
where
    I: IntoIterator<Item = (&'p str, &'p str)>,
{
    for (name, value) in params {
        if !(out.is_empty() || out.ends_with('?') || out.ends_with('#') || out.ends_with('&')) {
            out.push('&');
        }
        encode_into(out, name);
        out.push('=');
        encode_into(out, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_borrows() {
        let p = Params::parse("code=abc&state=xyz").unwrap();
        assert_eq!(p.get("code"), Some("abc"));
        assert_eq!(p.get("state"), Some("xyz"));
        assert!(matches!(p.items[0].1, Cow::Borrowed(_)));
    }

    #[test]
    fn decodes_plus_and_percent() {
        let p = Params::parse("scope=openid+email&r=http%3A%2F%2Fa%2Fb%C3%A9").unwrap();
        assert_eq!(p.get("scope"), Some("openid email"));
        assert_eq!(p.get("r"), Some("http://a/bé"));
    }

    #[test]
    fn rejects_duplicates() {
        let e = Params::parse("state=a&code=1&state=a").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::DuplicateParameter);
        // A duplicate spelled differently is still a duplicate.
        let e = Params::parse("state=a&st%61te=b").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::DuplicateParameter);
    }

    #[test]
    fn rejects_bad_escapes_and_non_utf8() {
        for bad in ["a=%", "a=%4", "a=%zz", "a=%C3%28", "a%=1"] {
            assert_eq!(
                Params::parse(bad).unwrap_err().kind(),
                ErrorKind::Malformed,
                "{bad}"
            );
        }
    }

    #[test]
    fn enforces_bounds() {
        let l = Limits {
            max_input: 20,
            max_params: 2,
            max_value: 4,
            max_name: 3,
        };
        assert_eq!(
            Params::parse_with(&"a".repeat(21), &l).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
        assert_eq!(
            Params::parse_with("a=1&b=2&c=3", &l).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
        assert_eq!(
            Params::parse_with("a=12345", &l).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
        assert_eq!(
            Params::parse_with("a=%31%32%33%34%35", &l)
                .unwrap_err()
                .kind(),
            ErrorKind::TooLarge
        );
        assert_eq!(
            Params::parse_with("abcd=1", &l).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
        assert!(Params::parse_with("abc=1234&b=2", &l).is_ok());
        let many: String = (0..40).map(|i| alloc::format!("p{i}=1&")).collect();
        assert_eq!(
            Params::parse(&many).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
    }

    #[test]
    fn empty_value_is_absent() {
        let p = Params::parse("state=&code=1&&").unwrap();
        assert_eq!(p.get("state"), None);
        assert!(p.contains("state"));
        assert_eq!(
            p.require("state", "state").unwrap_err().kind(),
            ErrorKind::MissingParameter
        );
    }

    #[test]
    fn writes_form_encoding() {
        let s = write([
            ("redirect_uri", "http://127.0.0.1:9999/cb"),
            ("scope", "openid email"),
            ("x", "\"><&"),
        ]);
        assert_eq!(
            s,
            "redirect_uri=http%3A%2F%2F127.0.0.1%3A9999%2Fcb&scope=openid+email&x=%22%3E%3C%26"
        );
    }
}
