//! ID token claims: parse and validate against fixed expectations; if
//! accepted, validating again gives the same answer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_hybrid::claims::{Expectations, IdTokenClaims, UnixTime, validate};

fuzz_target!(|data: &[u8]| {
    if let Ok(claims) = IdTokenClaims::parse(data) {
        let exp = Expectations {
            issuer: "https://op.example",
            client_id: "client",
            trusted_audiences: &["api"],
            nonce: Some("n"),
            now: UnixTime(1_700_000_000),
            leeway: 60,
            max_age: Some(300),
            require_auth_time: false,
        };
        let first = validate(&claims, &exp).map_err(|e| e.code());
        assert_eq!(first, validate(&claims, &exp).map_err(|e| e.code()));
    }
});
