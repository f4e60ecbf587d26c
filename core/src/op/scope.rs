//! Scopes and the claims they release (OIDC Core §5.4).

use alloc::string::String;
use alloc::vec::Vec;

/// The claims each standard scope releases at the UserInfo endpoint
/// (OIDC Core §5.4).
pub const SCOPE_CLAIMS: [(&str, &[&str]); 4] = [
    (
        "profile",
        &[
            "name",
            "family_name",
            "given_name",
            "middle_name",
            "nickname",
            "preferred_username",
            "profile",
            "picture",
            "website",
            "gender",
            "birthdate",
            "zoneinfo",
            "locale",
            "updated_at",
        ],
    ),
    ("email", &["email", "email_verified"]),
    ("address", &["address"]),
    ("phone", &["phone_number", "phone_number_verified"]),
];

/// Whether the space-separated `scope` contains `value`.
pub fn has(scope: &str, value: &str) -> bool {
    scope.split(' ').any(|s| s == value)
}

/// The scopes of `requested` that are in `supported`, in request order,
/// without repeats (RFC 6749 §3.3: the provider may grant fewer).
pub fn grant(requested: &str, supported: &[String]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for s in requested.split(' ') {
        if supported.iter().any(|x| x == s) && !out.contains(&s) {
            out.push(s);
        }
    }
    out.join(" ")
}

/// Whether every scope of `narrower` is in `wider` (RFC 6749 §6).
pub fn is_subset(narrower: &str, wider: &str) -> bool {
    narrower
        .split(' ')
        .filter(|s| !s.is_empty())
        .all(|s| has(wider, s))
}

/// The claims of `all` released by `scope` (`sub` is added by the caller).
pub fn released_claims(
    scope: &str,
    all: &serde_json::Map<String, serde_json::Value>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    for (s, names) in SCOPE_CLAIMS {
        if has(scope, s) {
            for n in names {
                if let Some(v) = all.get(*n) {
                    out.insert((*n).into(), v.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_keeps_supported_in_order() {
        let sup: Vec<String> = ["openid", "email", "profile"].map(String::from).into();
        assert_eq!(grant("email openid unknown email", &sup), "email openid");
        assert!(is_subset("openid", "openid email"));
        assert!(!is_subset("openid phone", "openid email"));
    }

    #[test]
    fn releases_by_scope() {
        let mut all = serde_json::Map::new();
        all.insert("name".into(), "A".into());
        all.insert("email".into(), "a@x".into());
        let r = released_claims("openid email", &all);
        assert!(r.contains_key("email") && !r.contains_key("name"));
    }
}
