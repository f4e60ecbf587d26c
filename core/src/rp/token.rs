//! The code exchange (OIDC Core §3.3.3.1–§3.3.3.8): the token request and
//! the validation of its response into a [`Session`].

use alloc::string::String;

use crate::claims::UnixTime;
use crate::error::{Error, ErrorKind, Result};
use crate::rp::callback::Callback;
use crate::rp::client_auth::{AssertionInput, token_endpoint_post};
use crate::rp::config::Context;
use crate::rp::http::HttpRequest;
use crate::rp::secret::{AccessToken, RefreshToken};
use crate::rp::session::{Original, Session};
use crate::rp::token_json;
use crate::rp::verify::{self, Checks};

impl Callback {
    /// The token request (RFC 6749 §4.1.3, RFC 7636 §4.5): POST to the
    /// token endpoint with `grant_type=authorization_code`, the code, the
    /// redirect URI and the PKCE verifier, authenticated per the client's
    /// method. `assertion` is required for `private_key_jwt` and ignored
    /// otherwise.
    pub fn token_request(
        &self,
        ctx: &Context<'_>,
        assertion: Option<AssertionInput<'_>>,
    ) -> Result<HttpRequest> {
        token_endpoint_post(
            ctx,
            &[
                ("grant_type", "authorization_code"),
                ("code", self.code.secret()),
                ("redirect_uri", ctx.client.redirect_uri()),
                ("code_verifier", self.code_verifier.secret()),
            ],
            assertion,
        )
    }

    /// Validates the token endpoint's answer (status, content type, body as
    /// received) and returns the [`Session`].
    ///
    /// 1–6. The response itself: size (`too_large`), status and RFC 6749
    ///    §5.2 errors (`provider_error`, `unexpected_response`), JSON
    ///    (`unexpected_response`, `malformed`), `access_token`
    ///    (`missing_parameter`), `token_type` Bearer (`token_type_missing`,
    ///    `token_type_invalid`), `expires_in` (`malformed`).
    /// 7. `id_token` present (`missing_parameter`; OIDC Core §3.3.3.3).
    /// 8. The ID token validated as in the callback (OIDC Core §3.3.3.7 →
    ///    §3.1.3.7: alg, key, signature, claims, nonce, `auth_time` with
    ///    `max_age`), hashes optional: `at_hash` checked when present
    ///    against this access token (§3.3.3.8), `c_hash` and `s_hash` when
    ///    present.
    /// 9. Its `iss` and `sub` identical to the front-channel ID token's
    ///    (§3.3.3.6; `iss` is already held to the issuer, so a difference
    ///    is `invalid_issuer`; `sub` is `sub_mismatch`).
    ///
    /// The callback is borrowed, not consumed: on `unknown_kid` the
    /// provider may have rotated its keys since the JWKS was fetched (OIDC
    /// Core §10.1.1; with `response_type=code` this is the first ID token
    /// the relying party sees). Refetch the JWKS and validate the same
    /// response again with the new [`Context`]; the code is already spent
    /// at the provider, so this is the only way to finish the login. Drop
    /// the callback once a session is established.
    pub fn token_response(
        &self,
        ctx: &Context<'_>,
        status: u16,
        content_type: &str,
        body: &[u8],
        now: UnixTime,
    ) -> Result<Session> {
        // 1–6.
        let fields = token_json::parse(status, content_type, body)?;
        // 7. OIDC Core §3.3.3.3: the token response carries an ID token.
        let token = fields
            .id_token
            .as_deref()
            .ok_or_else(|| Error::new(ErrorKind::MissingParameter, "token_response.id_token"))?;
        // 8. OIDC Core §3.3.3.7, §3.3.3.8.
        let checks = Checks {
            nonce: Some(self.nonce.secret()),
            max_age: self.max_age,
            code: Some(self.code.secret()),
            access_token: Some(&fields.access_token),
            state: Some(self.state.secret()),
            require_c_hash: false,
            require_at_hash: false,
        };
        let id_token = verify::id_token(ctx, token, now, &checks)?;
        // 9. OIDC Core §3.3.3.6: same iss and sub as the front channel's. Both
        //    iss claims were held to the issuer exactly (step 8 and the
        //    callback), so they are identical; sub is compared here.
        if let Some(front) = &self.id_token
            && id_token.sub != front.sub
        {
            return Err(
                Error::new(ErrorKind::SubMismatch, "token_response.id_token.sub")
                    .expected(&front.sub)
                    .got(&id_token.sub),
            );
        }
        let original = Original::of(&id_token, self.nonce.clone());
        Ok(Session {
            access_token: AccessToken::new(fields.access_token.as_ref()),
            refresh_token: fields.refresh_token.as_deref().map(RefreshToken::new),
            expires_at: fields.expires_in.map(|s| now.plus(s)),
            scope: fields.scope.as_deref().map(String::from),
            id_token,
            original,
        })
    }
}
