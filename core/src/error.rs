//! Errors: one crate-wide [`Error`] carrying a stable [`ErrorKind`].
//!
//! Every failure the core reports has a machine code ([`Error::code`], stable
//! `snake_case`, part of the public API) and a human message (`Display`)
//! that names the field, what was expected and what came. Values that came
//! from the peer are shortened before they are put in a message, and secrets
//! (codes, tokens, client secrets) are never echoed.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

/// What went wrong, as a stable code. Match on this, not on messages.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The input is not well-formed (bad encoding, bad JSON, wrong shape).
    Malformed,
    /// The input exceeds a documented size or count bound.
    TooLarge,
    /// A parameter occurs more than once (RFC 6749 §3.1, §3.2).
    DuplicateParameter,
    /// A required parameter is absent.
    MissingParameter,
    /// A parameter has a value this flow does not allow.
    InvalidParameter,
    /// The JWS signature does not verify.
    BadSignature,
    /// The JWS `alg` is not the one the caller allows (or is `none`).
    AlgNotAllowed,
    /// No key in the JWKS matches the token's `kid` (refetch the JWKS once).
    UnknownKid,
    /// Several keys match a token without `kid`; the choice would be a guess.
    AmbiguousKey,
    /// A key is malformed or unusable for the algorithm.
    InvalidKey,
    /// The `iss` claim is not the expected issuer.
    InvalidIssuer,
    /// The `aud` claim does not name this client, or names untrusted parties.
    InvalidAudience,
    /// Several audiences and no `azp` claim.
    AzpMissing,
    /// `azp` is not this client.
    AzpMismatch,
    /// The token has expired (`exp`).
    Expired,
    /// `iat` is in the future beyond the leeway.
    IatInFuture,
    /// `nbf` is in the future beyond the leeway.
    NotYetValid,
    /// The `nonce` claim differs from the one sent.
    NonceMismatch,
    /// The `nonce` claim is absent though one was sent.
    NonceMissing,
    /// `auth_time` is required (max_age was sent) but absent.
    AuthTimeMissing,
    /// The authentication is older than the `max_age` that was sent.
    MaxAgeExceeded,
    /// A refreshed ID token's `auth_time` differs from the original
    /// authentication's (OIDC Core §12.2).
    AuthTimeMismatch,
    /// `c_hash` does not match the code.
    CHashMismatch,
    /// `c_hash` is required but absent.
    CHashMissing,
    /// `at_hash` does not match the access token.
    AtHashMismatch,
    /// `at_hash` is required but absent.
    AtHashMissing,
    /// `s_hash` does not match the state.
    SHashMismatch,
    /// The JWS algorithm has no defined hash for `c_hash`/`at_hash`/`s_hash`.
    UnsupportedHashAlg,
    /// `state` differs from the one sent.
    StateMismatch,
    /// The RFC 9207 `iss` response parameter is not the issuer.
    IssParamMismatch,
    /// The RFC 9207 `iss` response parameter is required but absent.
    IssParamMissing,
    /// `sub` differs between tokens or UserInfo (OIDC Core §3.3.3.6, §5.3.2).
    SubMismatch,
    /// `token_type` is absent.
    TokenTypeMissing,
    /// `token_type` is not `Bearer`.
    TokenTypeInvalid,
    /// The provider answered with an OAuth error response.
    ProviderError,
    /// An issuer or endpoint is not https (loopback hosts aside).
    InsecureUrl,
    /// Configuration given to the core is inconsistent or unusable.
    InvalidConfig,
    /// Caller-supplied entropy is too short.
    InsufficientEntropy,
    /// The HTTP response has an unexpected status or content type.
    UnexpectedResponse,
}

impl ErrorKind {
    /// The stable machine code (`snake_case`).
    pub const fn code(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::TooLarge => "too_large",
            Self::DuplicateParameter => "duplicate_parameter",
            Self::MissingParameter => "missing_parameter",
            Self::InvalidParameter => "invalid_parameter",
            Self::BadSignature => "bad_signature",
            Self::AlgNotAllowed => "alg_not_allowed",
            Self::UnknownKid => "unknown_kid",
            Self::AmbiguousKey => "ambiguous_key",
            Self::InvalidKey => "invalid_key",
            Self::InvalidIssuer => "invalid_issuer",
            Self::InvalidAudience => "invalid_audience",
            Self::AzpMissing => "azp_missing",
            Self::AzpMismatch => "azp_mismatch",
            Self::Expired => "expired",
            Self::IatInFuture => "iat_in_future",
            Self::NotYetValid => "not_yet_valid",
            Self::NonceMismatch => "nonce_mismatch",
            Self::NonceMissing => "nonce_missing",
            Self::AuthTimeMissing => "auth_time_missing",
            Self::MaxAgeExceeded => "max_age_exceeded",
            Self::AuthTimeMismatch => "auth_time_mismatch",
            Self::CHashMismatch => "c_hash_mismatch",
            Self::CHashMissing => "c_hash_missing",
            Self::AtHashMismatch => "at_hash_mismatch",
            Self::AtHashMissing => "at_hash_missing",
            Self::SHashMismatch => "s_hash_mismatch",
            Self::UnsupportedHashAlg => "unsupported_hash_alg",
            Self::StateMismatch => "state_mismatch",
            Self::IssParamMismatch => "iss_param_mismatch",
            Self::IssParamMissing => "iss_param_missing",
            Self::SubMismatch => "sub_mismatch",
            Self::TokenTypeMissing => "token_type_missing",
            Self::TokenTypeInvalid => "token_type_invalid",
            Self::ProviderError => "provider_error",
            Self::InsecureUrl => "insecure_url",
            Self::InvalidConfig => "invalid_config",
            Self::InsufficientEntropy => "insufficient_entropy",
            Self::UnexpectedResponse => "unexpected_response",
        }
    }

    /// Every kind, for tables and tests.
    pub const ALL: &'static [ErrorKind] = &[
        Self::Malformed,
        Self::TooLarge,
        Self::DuplicateParameter,
        Self::MissingParameter,
        Self::InvalidParameter,
        Self::BadSignature,
        Self::AlgNotAllowed,
        Self::UnknownKid,
        Self::AmbiguousKey,
        Self::InvalidKey,
        Self::InvalidIssuer,
        Self::InvalidAudience,
        Self::AzpMissing,
        Self::AzpMismatch,
        Self::Expired,
        Self::IatInFuture,
        Self::NotYetValid,
        Self::NonceMismatch,
        Self::NonceMissing,
        Self::AuthTimeMissing,
        Self::MaxAgeExceeded,
        Self::AuthTimeMismatch,
        Self::CHashMismatch,
        Self::CHashMissing,
        Self::AtHashMismatch,
        Self::AtHashMissing,
        Self::SHashMismatch,
        Self::UnsupportedHashAlg,
        Self::StateMismatch,
        Self::IssParamMismatch,
        Self::IssParamMissing,
        Self::SubMismatch,
        Self::TokenTypeMissing,
        Self::TokenTypeInvalid,
        Self::ProviderError,
        Self::InsecureUrl,
        Self::InvalidConfig,
        Self::InsufficientEntropy,
        Self::UnexpectedResponse,
    ];
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An OAuth 2.0 error response from the provider (RFC 6749 §4.1.2.1, §5.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderErrorBody {
    /// The `error` code, e.g. `access_denied`.
    pub error: String,
    /// `error_description`, if sent.
    pub description: Option<String>,
    /// `error_uri`, if sent.
    pub uri: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Detail {
    expected: Option<String>,
    got: Option<String>,
    provider: Option<ProviderErrorBody>,
}

/// The core's error: a stable [`ErrorKind`], the field or step it concerns,
/// and (for messages) what was expected and what came.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    what: &'static str,
    detail: Option<Box<Detail>>,
}

/// The longest peer-supplied value quoted in a message, in characters.
pub const MAX_QUOTED: usize = 80;

fn quote(s: &str) -> String {
    let mut out = String::new();
    for (n, c) in s.chars().enumerate() {
        if n == MAX_QUOTED {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

impl Error {
    /// An error of `kind` about `what` (a field name or a step).
    pub const fn new(kind: ErrorKind, what: &'static str) -> Self {
        Self {
            kind,
            what,
            detail: None,
        }
    }

    /// Adds what was expected (a description, not a secret).
    #[must_use]
    pub fn expected(mut self, expected: &str) -> Self {
        self.detail_mut().expected = Some(quote(expected));
        self
    }

    /// Adds what came (peer input, shortened; never pass secrets here).
    #[must_use]
    pub fn got(mut self, got: &str) -> Self {
        self.detail_mut().got = Some(quote(got));
        self
    }

    /// A provider error response (`provider_error`).
    pub fn provider(body: ProviderErrorBody) -> Self {
        let mut e = Self::new(ErrorKind::ProviderError, "error");
        e.detail_mut().provider = Some(body);
        e
    }

    fn detail_mut(&mut self) -> &mut Detail {
        self.detail.get_or_insert_with(|| {
            Box::new(Detail {
                expected: None,
                got: None,
                provider: None,
            })
        })
    }

    /// The kind of error.
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable machine code, e.g. `c_hash_mismatch`.
    pub const fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The field or step the error concerns, e.g. `id_token.nonce`.
    pub const fn what(&self) -> &'static str {
        self.what
    }

    /// The provider's error response, for [`ErrorKind::ProviderError`].
    pub fn provider_error(&self) -> Option<&ProviderErrorBody> {
        self.detail.as_ref().and_then(|d| d.provider.as_ref())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {})", self.code(), self)
    }
}

fn describe(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Malformed => "is malformed",
        ErrorKind::TooLarge => "is too large",
        ErrorKind::DuplicateParameter => "occurs more than once",
        ErrorKind::MissingParameter => "is required but absent",
        ErrorKind::InvalidParameter => "has a value not allowed here",
        ErrorKind::BadSignature => "signature does not verify",
        ErrorKind::AlgNotAllowed => "algorithm is not allowed",
        ErrorKind::UnknownKid => "names no key in the JWKS",
        ErrorKind::AmbiguousKey => "matches several keys and names none",
        ErrorKind::InvalidKey => "key is unusable",
        ErrorKind::InvalidIssuer => "is not the expected issuer",
        ErrorKind::InvalidAudience => "does not name exactly the trusted audience",
        ErrorKind::AzpMissing => "is required when there are several audiences",
        ErrorKind::AzpMismatch => "is not this client",
        ErrorKind::Expired => "has passed: the token expired",
        ErrorKind::IatInFuture => "is in the future",
        ErrorKind::NotYetValid => "is in the future: the token is not yet valid",
        ErrorKind::NonceMismatch => "differs from the nonce sent",
        ErrorKind::NonceMissing => "is absent though a nonce was sent",
        ErrorKind::AuthTimeMissing => "is required because max_age was sent",
        ErrorKind::MaxAgeExceeded => "is older than the max_age sent",
        ErrorKind::AuthTimeMismatch => "differs from the original authentication's auth_time",
        ErrorKind::CHashMismatch => "does not match the code",
        ErrorKind::CHashMissing => "is required with a code",
        ErrorKind::AtHashMismatch => "does not match the access token",
        ErrorKind::AtHashMissing => "is required with an access token",
        ErrorKind::SHashMismatch => "does not match the state",
        ErrorKind::UnsupportedHashAlg => "algorithm has no defined hash",
        ErrorKind::StateMismatch => "differs from the state sent",
        ErrorKind::IssParamMismatch => "is not the issuer",
        ErrorKind::IssParamMissing => "is required by the provider's metadata but absent",
        ErrorKind::SubMismatch => "differs from the ID token's sub",
        ErrorKind::TokenTypeMissing => "is absent",
        ErrorKind::TokenTypeInvalid => "is not Bearer",
        ErrorKind::ProviderError => "the provider answered with an error",
        ErrorKind::InsecureUrl => "must be https (loopback hosts aside)",
        ErrorKind::InvalidConfig => "configuration is unusable",
        ErrorKind::InsufficientEntropy => "entropy is too short",
        ErrorKind::UnexpectedResponse => "response is not what the protocol allows",
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = self.provider_error() {
            write!(f, "the provider answered error={}", quote(&p.error))?;
            if let Some(d) = &p.description {
                write!(f, " ({})", quote(d))?;
            }
            if let Some(u) = &p.uri {
                write!(f, " see {}", quote(u))?;
            }
            return Ok(());
        }
        write!(f, "{} {}", self.what, describe(self.kind))?;
        if let Some(d) = &self.detail {
            if let Some(e) = &d.expected {
                write!(f, "; expected {e}")?;
            }
            if let Some(g) = &d.got {
                write!(f, "; got {g}")?;
            }
        }
        Ok(())
    }
}

impl core::error::Error for Error {}

/// The core's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = alloc::vec::Vec::new();
        for k in ErrorKind::ALL {
            let c = k.code();
            assert!(
                c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{c}"
            );
            assert!(!seen.contains(&c), "duplicate code {c}");
            seen.push(c);
        }
    }

    #[test]
    fn message_says_expected_and_got_and_truncates() {
        let long = "x".repeat(500);
        let e = Error::new(ErrorKind::InvalidIssuer, "id_token.iss")
            .expected("https://op.example")
            .got(&long);
        let m = e.to_string();
        assert!(m.starts_with(
            "id_token.iss is not the expected issuer; expected https://op.example; got xxx"
        ));
        assert!(m.len() < 200, "{m}");
        assert_eq!(e.code(), "invalid_issuer");
    }
}
