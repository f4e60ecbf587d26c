//! The relying party's `callback` as a whole: a fixed `PendingAuth` (the
//! first input byte picks the response type) and context, fuzzed raw
//! parameters (the rest). Accepted ⇒ validating the same input again gives
//! the same callback, whose code is the `code` parameter; an unknown key
//! asks for a refetch once, and with the same keys the second try is
//! `unknown_kid`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_hybrid::encoding::Params;
use oidc_hybrid::rp::{CallbackOutcome, ResponseType};
use oidc_hybrid_fuzz::{FIXED, fixed};

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let Ok(raw) = core::str::from_utf8(rest) else {
        return;
    };
    let t = ResponseType::ALL[usize::from(*first) % ResponseType::ALL.len()];
    let ex = FIXED.exchange(t);
    let ctx = FIXED.ctx();
    let run = || ex.pending.clone().callback(raw, ex.mode, fixed::NOW, &ctx);
    match run() {
        Err(_) => {}
        Ok(CallbackOutcome::Validated(cb)) => {
            let stripped = raw
                .strip_prefix('?')
                .or_else(|| raw.strip_prefix('#'))
                .unwrap_or(raw);
            let params = Params::parse(stripped).expect("accepted parameters parse");
            assert_eq!(params.get("code"), Some(cb.code().secret()));
            match run() {
                Ok(CallbackOutcome::Validated(again)) => assert_eq!(again, cb),
                other => panic!("accepted once, then {other:?}"),
            }
        }
        Ok(CallbackOutcome::RefetchJwks(p)) => {
            assert!(p.jwks_refetched());
            let second = p.callback(raw, ex.mode, fixed::NOW, &ctx);
            assert_eq!(second.map(|_| ()).map_err(|e| e.code()), Err("unknown_kid"));
        }
    }
});
