//! JWKS: parse; every accepted key has a stable thumbprint and key selection
//! never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_hybrid::jose::{Alg, Jwks};

fuzz_target!(|data: &[u8]| {
    if let Ok(jwks) = Jwks::parse(data) {
        for k in jwks.keys() {
            assert_eq!(k.thumbprint(), k.key.thumbprint());
        }
        let _ = jwks.select(Alg::ES256, None);
        let _ = jwks.select(Alg::ES256, Some("k"));
    }
});
