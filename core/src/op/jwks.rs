//! The JWKS document the provider serves (RFC 7517 §5): public keys only,
//! `kid` = RFC 7638 thumbprint, `use` = `sig`, `alg` set.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::http::HttpResponse;
use super::keys::KeySet;

/// The JWKS JSON of every published key.
pub fn jwks_json(keys: &KeySet) -> String {
    let list: Vec<serde_json::Value> = keys
        .keys()
        .iter()
        .map(|k| k.public_key().to_jwk_json(k.kid(), k.alg()))
        .collect();
    serde_json::json!({ "keys": list }).to_string()
}

/// The JWKS as an HTTP response (`application/jwk-set+json`, cacheable for
/// five minutes so rotations propagate).
pub fn jwks_response(keys: &KeySet) -> HttpResponse {
    HttpResponse::new(200, "application/jwk-set+json", jwks_json(keys))
        .header("Cache-Control", "public, max-age=300")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::{Alg, Jwks, SigningKey};

    #[test]
    fn public_only_and_selectable() {
        let key = SigningKey::es256_from_bytes(&[3u8; 32]).unwrap();
        let ks = KeySet::new(key.clone());
        let json = jwks_json(&ks);
        assert!(!json.contains("\"d\""), "{json}");
        let set = Jwks::parse(json.as_bytes()).unwrap();
        let kid = key.public_key().thumbprint();
        assert_eq!(
            set.select(Alg::ES256, Some(&kid)).unwrap().key,
            key.public_key()
        );
    }
}
