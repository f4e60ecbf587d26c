//! The HTTP response a provider endpoint answers with, as a value: the
//! transport copies status, headers and body onto the wire.

use alloc::string::String;
use alloc::vec::Vec;

/// `Cache-Control: no-store` and `Pragma: no-cache`, for every response that
/// carries a secret (RFC 6749 §5.1, OAuth 2.0 Form Post Response Mode §2).
pub(crate) const NO_STORE: [(&str, &str); 2] =
    [("Cache-Control", "no-store"), ("Pragma", "no-cache")];

/// An HTTP response to send. `Debug` never shows the body.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Header fields, names in canonical case. Values contain no CR or LF.
    pub headers: Vec<(&'static str, String)>,
    /// Body (UTF-8).
    pub body: String,
}

impl core::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field(
                "body",
                &alloc::format!("<{} bytes redacted>", self.body.len()),
            )
            .finish()
    }
}

impl HttpResponse {
    pub(crate) fn new(status: u16, content_type: &str, body: String) -> Self {
        let mut headers = Vec::with_capacity(4);
        if !content_type.is_empty() {
            headers.push(("Content-Type", content_type.into()));
        }
        Self {
            status,
            headers,
            body,
        }
    }

    pub(crate) fn json(status: u16, body: String) -> Self {
        Self::new(status, "application/json;charset=UTF-8", body)
    }

    #[must_use]
    pub(crate) fn header(mut self, name: &'static str, value: &str) -> Self {
        // Header values the core builds are ASCII without CR/LF; enforce it.
        let clean: String = value
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        self.headers.push((name, clean));
        self
    }

    #[must_use]
    pub(crate) fn no_store(mut self) -> Self {
        for (n, v) in NO_STORE {
            self = self.header(n, v);
        }
        self
    }

    /// The value of the first header named `name` (ASCII case-insensitive).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}
