//! JWS compact + header: parse; if accepted, the signing input is a prefix
//! of the token and the header parses again identically.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_hybrid::jose::{Alg, Jws};

fuzz_target!(|data: &str| {
    if let Ok(jws) = Jws::parse(data) {
        assert!(data.starts_with(jws.signing_input()));
        let h = jws.header().expect("accepted header re-parses");
        if let Ok(alg) = jws.expect_alg(&Alg::ALL) {
            assert_eq!(alg.as_str(), h.alg);
        }
    }
});
