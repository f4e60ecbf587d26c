//! Parameters (query / fragment / form body): parse, and if accepted, write
//! and parse again to the same table.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_hybrid::encoding::{Params, form};

fuzz_target!(|data: &str| {
    if let Ok(p) = Params::parse(data) {
        let written = form::write(p.iter());
        let again = Params::parse(&written).expect("written parameters parse");
        assert!(p.iter().eq(again.iter()), "round trip changed the table");
    }
});
