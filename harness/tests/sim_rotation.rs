//! Regression: the provider rotates its signing key between the callback
//! and the code exchange. The token endpoint's ID token is then signed by a
//! key the relying party has not fetched — for `response_type=code` it is
//! the first ID token the relying party sees, so no `RefetchJwks` came
//! before. OIDC Core §10.1.1: the relying party refetches the JWKS and
//! validates the same response again. That needs the `Callback` after an
//! `unknown_kid` from `token_response`; when `token_response` consumed it,
//! the login was lost (the code is already spent at the provider).

use oidc_hybrid::jose::Alg;
use oidc_hybrid::op::Subject;
use oidc_hybrid::rp::{AuthOptions, ResponseType};
use oidc_hybrid_harness::sim::ops::AuthKind;
use oidc_hybrid_harness::sim::pair::{Pair, content_type};
use oidc_hybrid_harness::sim::world::es256_key;

#[test]
fn the_code_exchange_survives_a_key_rotation() {
    for t in ResponseType::ALL {
        let mut pair = Pair::new(AuthKind::Basic, Alg::ES256);
        let (url, pending) = pair.begin(AuthOptions::new(t)).unwrap();
        let request = pair.authorize(&url);
        let delivery = pair.complete(request, Subject::new("alice", pair.now));
        let callback = pair.callback(pending, &delivery).unwrap();

        // The provider publishes a new key and signs with it from now on.
        let next = es256_key(7);
        let kid = next.public_key().thumbprint();
        pair.keys.publish(next);
        pair.keys.activate(&kid).unwrap();

        let http = {
            let request = pair.token_request(&callback);
            pair.token_endpoint(&request)
        };
        let (status, ct, body) = (http.status, content_type(&http), http.body.as_bytes());
        let first = callback.token_response(&pair.ctx(), status, ct, body, pair.now);
        assert_eq!(first.unwrap_err().code(), "unknown_kid", "{t}");
        // Refetch, and the same answer validates.
        pair.refetch_jwks();
        let session = callback
            .token_response(&pair.ctx(), status, ct, body, pair.now)
            .unwrap_or_else(|e| panic!("{t}: {e}"));
        assert_eq!(session.sub(), "alice");
        assert_eq!(session.id_token().claims["sub"], "alice");
    }
}
