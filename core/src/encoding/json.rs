//! Strict JSON object parsing on top of `serde_json`.

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};

/// Parses `bytes` as one JSON object into `T`. A derived struct would also
/// accept a JSON array; protocol documents (JWT claims, JOSE headers, JWKs,
/// metadata, token responses) are objects only (RFC 7519 §7.2, RFC 7515
/// §4, RFC 8414 §3.2, RFC 6749 §5.1). Trailing data is refused by
/// `serde_json`; a repeated known member is an error.
pub fn object<'a, T: Deserialize<'a>>(bytes: &'a [u8], what: &'static str) -> Result<T> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(Error::new(ErrorKind::Malformed, what).expected("a JSON object"));
    }
    serde_json::from_slice(bytes)
        .map_err(|_| Error::new(ErrorKind::Malformed, what).expected("a well-typed JSON object"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct T {
        a: u8,
    }

    #[test]
    fn objects_only() {
        assert!(object::<T>(br#" {"a":1}"#, "t").is_ok());
        for bad in [
            &b"[1]"[..],
            b"1",
            b"",
            br#"{"a":1,"a":2}"#,
            br#"{"a":1} x"#,
            br#"{"a":"1"}"#,
        ] {
            assert_eq!(object::<T>(bad, "t").unwrap_err().code(), "malformed");
        }
    }
}
