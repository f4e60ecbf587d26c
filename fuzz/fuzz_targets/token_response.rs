//! Token response: the relying party's `token_response` on a fixed,
//! validated `code id_token` callback, with the body fuzzed. If accepted,
//! the session is the front channel's user, and validating the same body
//! again gives the same session.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_hybrid::rp::ResponseType;
use oidc_hybrid_fuzz::{FIXED, fixed};

const JSON: &str = "application/json";

fuzz_target!(|data: &[u8]| {
    let ex = FIXED.exchange(ResponseType::CodeIdToken);
    let ctx = FIXED.ctx();
    let first = ex
        .callback
        .token_response(&ctx, 200, JSON, data, fixed::NOW);
    if let Ok(session) = first {
        assert_eq!(session.sub(), fixed::SUB);
        let again = ex
            .callback
            .token_response(&ctx, 200, JSON, data, fixed::NOW)
            .expect("an accepted response is accepted again");
        assert_eq!(again, session);
    }
});
