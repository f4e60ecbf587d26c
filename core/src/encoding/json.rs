//! Strict JSON object parsing on top of `serde_json`.

use alloc::borrow::Cow;

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

/// For `#[serde(borrow, default, deserialize_with = "…")]` on an
/// `Option<Cow<'a, str>>` field: borrows the string from the input when it
/// has no escapes. (`#[serde(borrow)]` alone borrows only a bare `Cow`; in
/// an `Option` it always copies.)
pub(crate) fn option_cow_str<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    d: D,
) -> core::result::Result<Option<Cow<'a, str>>, D::Error> {
    #[derive(Deserialize)]
    struct Borrowed<'a>(#[serde(borrow)] Cow<'a, str>);
    Option::<Borrowed<'a>>::deserialize(d).map(|o| o.map(|b| b.0))
}

/// Parses `bytes` as one JSON object into a `serde_json::Value` whose
/// top-level member names are unique: a repeated name is an error rather than
/// "last one wins" (RFC 7519 §4 allows either for JWT claims; RFC 8259 §4
/// leaves it open; rejecting leaves no doubt about which value was checked).
pub fn unique_object(bytes: &[u8], what: &'static str) -> Result<serde_json::Value> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(Error::new(ErrorKind::Malformed, what).expected("a JSON object"));
    }
    serde_json::from_slice::<UniqueObject>(bytes)
        .map(|o| serde_json::Value::Object(o.0))
        .map_err(|_| {
            Error::new(ErrorKind::Malformed, what)
                .expected("a JSON object with unique member names")
        })
}

struct UniqueObject(serde_json::Map<alloc::string::String, serde_json::Value>);

impl<'de> Deserialize<'de> for UniqueObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = UniqueObject;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut access: A,
            ) -> core::result::Result<Self::Value, A::Error> {
                let mut map = serde_json::Map::new();
                while let Some(name) = access.next_key::<alloc::string::String>()? {
                    let value = access.next_value()?;
                    if map.insert(name, value).is_some() {
                        return Err(serde::de::Error::custom("repeated member name"));
                    }
                }
                Ok(UniqueObject(map))
            }
        }
        d.deserialize_map(V)
    }
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

    #[test]
    fn unique_objects_only() {
        let v = unique_object(br#" {"a":1,"b":{"c":[true]}}"#, "t").unwrap();
        assert_eq!(v["b"]["c"][0], serde_json::Value::Bool(true));
        for bad in [
            &b"[1]"[..],
            b"1",
            b"",
            br#"{"a":1,"a":1}"#,
            br#"{"a":1,"b":2,"a":3}"#,
            br#"{"a":1} x"#,
        ] {
            assert_eq!(unique_object(bad, "t").unwrap_err().code(), "malformed");
        }
    }
}
