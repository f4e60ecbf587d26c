//! Secret values as types: redacted `Debug`, constant-time equality,
//! serde as a plain string (so a flow state can be stored), and an explicit
//! `secret()` accessor where the value must go on the wire.

use alloc::string::String;
use core::fmt;

use crate::claims::ct_eq;

macro_rules! secret_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret value, for putting on the wire. Never log it.
            pub fn secret(&self) -> &str {
                &self.0
            }

            /// Constant-time comparison with `other` (the length is not hidden).
            pub fn ct_eq_str(&self, other: &str) -> bool {
                ct_eq(&self.0, other)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        /// Constant-time (the length is not hidden).
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                ct_eq(&self.0, &other.0)
            }
        }

        impl Eq for $name {}
    };
}

secret_string!(
    /// A client secret (`client_secret_basic` / `client_secret_post`).
    ClientSecret
);
secret_string!(
    /// The `state` sent in the authorization request (RFC 6749 §10.12).
    State
);
secret_string!(
    /// The `nonce` sent in the authorization request (OIDC Core §3.1.2.1).
    Nonce
);
secret_string!(
    /// The PKCE `code_verifier` (RFC 7636 §4.1).
    CodeVerifier
);
secret_string!(
    /// An authorization code.
    AuthCode
);
secret_string!(
    /// An access token.
    AccessToken
);
secret_string!(
    /// A refresh token.
    RefreshToken
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted_and_eq_compares_values() {
        let s = AccessToken::new("very-secret-token");
        let shown = alloc::format!("{s:?}");
        assert_eq!(shown, "AccessToken(<redacted>)");
        assert!(!shown.contains("very-secret"));
        assert_eq!(s, AccessToken::new("very-secret-token"));
        assert_ne!(s, AccessToken::new("very-secret-tokeN"));
        assert!(s.ct_eq_str("very-secret-token"));
        assert!(!s.ct_eq_str("very-secret"));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, "\"very-secret-token\"");
        let back: AccessToken = serde_json::from_str(&json).unwrap();
        assert_eq!(back.secret(), "very-secret-token");
    }
}
