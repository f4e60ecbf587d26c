//! Provider authorization request: `op::authorize` on fuzzed parameters.
//! Never an open redirector: an error redirect goes only to a redirect URI
//! registered for the client named; a validated request has a registered
//! redirect URI, a mode that may carry its type, a nonce when an ID token
//! comes back, and completes into a response to that URI. The same input
//! gives the same answer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidc_hybrid::op::{self, AuthorizationResponse, Authorize, Entropy, ResponseMode};
use oidc_hybrid_fuzz::{FIXED, fixed};

fn registered(uri: &str) -> bool {
    FIXED
        .provider
        .registry
        .clients()
        .iter()
        .any(|c| c.has_redirect_uri(uri))
}

fuzz_target!(|data: &str| {
    let p = &FIXED.provider;
    let answer = op::authorize(data, &p.registry, &p.config, fixed::NOW);
    assert_eq!(
        answer,
        op::authorize(data, &p.registry, &p.config, fixed::NOW)
    );
    match answer {
        Authorize::ErrorPage(_) => {}
        Authorize::RedirectError(e) => {
            assert!(
                registered(&e.redirect_uri),
                "open redirect to {}",
                e.redirect_uri
            );
            if let AuthorizationResponse::Redirect { location } = e.response() {
                assert!(location.starts_with(&e.redirect_uri));
            }
        }
        Authorize::Validated(r) => {
            let client = p.registry.get(r.client_id()).expect("a registered client");
            assert!(client.has_redirect_uri(r.redirect_uri()));
            let t = r.response_type();
            assert!(client.response_types.contains(&t));
            if t.returns_id_token() || t.returns_access_token() {
                assert_ne!(r.response_mode(), ResponseMode::Query);
            }
            if t.returns_id_token() {
                assert!(r.nonce().is_some());
            }
            let uri = r.redirect_uri().to_owned();
            let done = op::complete(
                r,
                fixed::subject(),
                Entropy::new(&[7; 32]).expect("entropy"),
                &p.keys,
                &p.config,
                fixed::NOW,
            )
            .expect("a validated request completes");
            match done.response {
                AuthorizationResponse::Redirect { location } => {
                    assert!(location.starts_with(&uri))
                }
                AuthorizationResponse::FormPost { html } => assert!(!html.is_empty()),
            }
        }
    }
});
