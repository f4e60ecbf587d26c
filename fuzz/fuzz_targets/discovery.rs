//! Discovery document: parse against the expected issuer; if accepted, the
//! issuer is the expected one, every endpoint is https (or loopback), and
//! parsing again gives the same metadata.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_hybrid::discovery::{ProviderMetadata, require_secure_url};

const ISSUER: &str = "https://op.example";

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = ProviderMetadata::parse(data, ISSUER) {
        assert_eq!(m.issuer(), ISSUER);
        for url in [m.authorization_endpoint(), m.token_endpoint(), m.jwks_uri()]
            .into_iter()
            .chain(m.userinfo_endpoint())
        {
            assert!(require_secure_url(url, "endpoint").is_ok(), "{url}");
        }
        assert_eq!(ProviderMetadata::parse(data, ISSUER).ok(), Some(m));
    }
});
