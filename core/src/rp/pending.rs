//! [`PendingAuth`]: what the relying party keeps between sending the user to
//! the provider and receiving the authorization response.

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Result};
use crate::rp::response_type::{ResponseMode, ResponseType};
use crate::rp::secret::{CodeVerifier, Nonce, State};

/// Longest `state` or `nonce` accepted when restoring a pending
/// authorization, bytes.
pub const MAX_STATE_LEN: usize = 512;

/// An authorization request in flight. Store it (it is serde-serializable;
/// it holds secrets, so keep it server-side or in an encrypted cookie) and
/// hand it to [`PendingAuth::callback`] when the response arrives. `Debug`
/// redacts the secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAuth {
    pub(crate) state: State,
    pub(crate) nonce: Nonce,
    pub(crate) code_verifier: CodeVerifier,
    pub(crate) response_type: ResponseType,
    pub(crate) response_mode: ResponseMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max_age: Option<u64>,
    /// Set once the caller refetched the JWKS for this response (key
    /// rotation): a second unknown `kid` is then an error.
    #[serde(default)]
    pub(crate) jwks_refetched: bool,
}

fn bounded(value: &str, what: &'static str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::new(ErrorKind::MissingParameter, what));
    }
    if value.len() > MAX_STATE_LEN {
        return Err(Error::new(ErrorKind::TooLarge, what)
            .expected(&alloc::format!("at most {MAX_STATE_LEN} bytes")));
    }
    Ok(())
}

/// RFC 7636 §4.1: 43 to 128 characters of `[A-Za-z0-9-._~]`.
pub(crate) fn check_verifier(verifier: &str) -> Result<()> {
    let ok = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if ok {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::InvalidParameter, "code_verifier")
            .expected("43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)"))
    }
}

/// The S256 `code_challenge` of `verifier`: BASE64URL(SHA-256(ASCII(verifier)))
/// (RFC 7636 §4.2).
pub fn s256_challenge(verifier: &str) -> alloc::string::String {
    Base64UrlUnpadded::encode_string(&Sha256::digest(verifier.as_bytes()))
}

impl PendingAuth {
    /// Restores a pending authorization from its stored parts (for example
    /// a request recorded elsewhere). `response_mode` `None` means the
    /// type's default. Checks the same rules as [`crate::rp::begin`]:
    /// bounded non-empty `state`/`nonce`, an RFC 7636 verifier, and no
    /// `query` mode for a type that returns tokens.
    pub fn from_parts(
        state: &str,
        nonce: &str,
        code_verifier: &str,
        response_type: ResponseType,
        response_mode: Option<ResponseMode>,
        max_age: Option<u64>,
    ) -> Result<Self> {
        bounded(state, "state")?;
        bounded(nonce, "nonce")?;
        check_verifier(code_verifier)?;
        let response_mode = response_mode.unwrap_or(response_type.default_mode());
        response_type.check_mode(response_mode)?;
        Ok(Self {
            state: State::new(state),
            nonce: Nonce::new(nonce),
            code_verifier: CodeVerifier::new(code_verifier),
            response_type,
            response_mode,
            max_age,
            jwks_refetched: false,
        })
    }

    /// The `state` sent.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The `nonce` sent.
    pub fn nonce(&self) -> &Nonce {
        &self.nonce
    }

    /// The PKCE `code_verifier`.
    pub fn code_verifier(&self) -> &CodeVerifier {
        &self.code_verifier
    }

    /// The S256 `code_challenge` sent.
    pub fn code_challenge(&self) -> alloc::string::String {
        s256_challenge(self.code_verifier.secret())
    }

    /// The `response_type` sent.
    pub fn response_type(&self) -> ResponseType {
        self.response_type
    }

    /// The mode the response must arrive in.
    pub fn response_mode(&self) -> ResponseMode {
        self.response_mode
    }

    /// The `max_age` sent, if any.
    pub fn max_age(&self) -> Option<u64> {
        self.max_age
    }

    /// Whether the JWKS was already refetched for this response.
    pub fn jwks_refetched(&self) -> bool {
        self.jwks_refetched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    #[test]
    fn rfc7636_appendix_b_challenge() {
        assert_eq!(
            s256_challenge(V),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn from_parts_checks_its_inputs() {
        let p = PendingAuth::from_parts("s", "n", V, ResponseType::CodeIdToken, None, Some(60))
            .unwrap();
        assert_eq!(p.response_mode(), ResponseMode::Fragment);
        assert_eq!(p.max_age(), Some(60));
        assert!(!p.jwks_refetched());
        let debug = alloc::format!("{p:?}");
        assert!(!debug.contains(V), "{debug}");
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<PendingAuth>(&json).unwrap(), p);

        let e = |r: Result<PendingAuth>| r.unwrap_err().code();
        assert_eq!(
            e(PendingAuth::from_parts(
                "",
                "n",
                V,
                ResponseType::Code,
                None,
                None
            )),
            "missing_parameter"
        );
        assert_eq!(
            e(PendingAuth::from_parts(
                "s",
                "n",
                "short",
                ResponseType::Code,
                None,
                None
            )),
            "invalid_parameter"
        );
        let bad_char = alloc::format!("{}+", &V[..43]);
        assert_eq!(
            e(PendingAuth::from_parts(
                "s",
                "n",
                &bad_char,
                ResponseType::Code,
                None,
                None
            )),
            "invalid_parameter"
        );
        assert_eq!(
            e(PendingAuth::from_parts(
                "s",
                "n",
                V,
                ResponseType::CodeToken,
                Some(ResponseMode::Query),
                None
            )),
            "invalid_parameter"
        );
        let long = "x".repeat(MAX_STATE_LEN + 1);
        assert_eq!(
            e(PendingAuth::from_parts(
                &long,
                "n",
                V,
                ResponseType::Code,
                None,
                None
            )),
            "too_large"
        );
    }
}
