//! Refreshing the access token (RFC 6749 §6, OIDC Core §12).

use alloc::string::String;
use alloc::vec::Vec;

use crate::claims::{IdToken, UnixTime};
use crate::error::{Error, ErrorKind, Result};
use crate::rp::client_auth::{AssertionInput, token_endpoint_post};
use crate::rp::config::Context;
use crate::rp::http::HttpRequest;
use crate::rp::secret::{AccessToken, RefreshToken};
use crate::rp::session::{Original, Session};
use crate::rp::token_json;
use crate::rp::verify::{self, Checks};

impl Session {
    /// The refresh request (RFC 6749 §6, OIDC Core §12.1): POST to the token
    /// endpoint with `grant_type=refresh_token`, authenticated per the
    /// client's method. `missing_parameter` when the provider issued no
    /// refresh token.
    pub fn refresh_request(
        &self,
        ctx: &Context<'_>,
        assertion: Option<AssertionInput<'_>>,
    ) -> Result<HttpRequest> {
        let refresh_token = self
            .refresh_token
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::MissingParameter, "refresh_token"))?;
        token_endpoint_post(
            ctx,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token.secret()),
            ],
            assertion,
        )
    }

    /// Validates the refresh response and returns the refreshed session
    /// (this one is left as it was, so a failed refresh loses nothing).
    ///
    /// 1–6. The response as at the code exchange (size, status, RFC 6749
    ///    §5.2 errors, JSON, `access_token`, `token_type`, `expires_in`).
    /// 7. An ID token, when present (OIDC Core §12.2), is validated as any
    ///    ID token (alg, key, signature, iss, aud, azp, exp, iat, nbf; no
    ///    `max_age`: authentication is not repeated), `at_hash` checked
    ///    when present, and compared with the original one:
    ///    `sub` identical (`sub_mismatch`), `aud` identical
    ///    (`invalid_audience`), `azp` identical and absent if it was absent
    ///    (`azp_mismatch`), `auth_time` identical when both have one
    ///    (`auth_time_mismatch`), `nonce` equal to the original when present
    ///    (`nonce_mismatch`). `iss` is held to the issuer, as always.
    /// 8. Without a new refresh token or ID token, the current ones stay
    ///    (RFC 6749 §6: the provider MAY issue a new refresh token).
    pub fn refresh_response(
        &self,
        ctx: &Context<'_>,
        status: u16,
        content_type: &str,
        body: &[u8],
        now: UnixTime,
    ) -> Result<Session> {
        // 1–6.
        let fields = token_json::parse(status, content_type, body)?;
        // 7. OIDC Core §12.2.
        let id_token = match fields.id_token.as_deref() {
            None => self.id_token.clone(),
            Some(token) => {
                let checks = Checks {
                    nonce: None,
                    max_age: None,
                    code: None,
                    access_token: Some(&fields.access_token),
                    state: None,
                    require_c_hash: false,
                    require_at_hash: false,
                };
                let new = verify::id_token(ctx, token, now, &checks)?;
                same_as_original(&new, &self.original)?;
                new
            }
        };
        // 8.
        Ok(Session {
            id_token,
            access_token: AccessToken::new(fields.access_token.as_ref()),
            refresh_token: fields
                .refresh_token
                .as_deref()
                .map(RefreshToken::new)
                .or_else(|| self.refresh_token.clone()),
            expires_at: fields.expires_in.map(|s| now.plus(s)),
            scope: fields
                .scope
                .as_deref()
                .map(String::from)
                .or_else(|| self.scope.clone()),
            original: self.original.clone(),
        })
    }
}

fn sorted(v: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = v.iter().map(String::as_str).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// OIDC Core §12.2: the claims a refreshed ID token shares with the
/// original one.
fn same_as_original(new: &IdToken, original: &Original) -> Result<()> {
    // sub: "MUST be the same as in the ID Token issued when the original
    // authentication occurred".
    if new.sub != original.sub {
        return Err(Error::new(ErrorKind::SubMismatch, "refresh.id_token.sub")
            .expected(&original.sub)
            .got(&new.sub));
    }
    // aud: the same.
    if sorted(&new.aud) != sorted(&original.aud) {
        return Err(
            Error::new(ErrorKind::InvalidAudience, "refresh.id_token.aud")
                .expected("the audiences of the original ID token"),
        );
    }
    // azp: the same; absent if it was absent.
    let azp = new.claims.get("azp").and_then(serde_json::Value::as_str);
    if azp != original.azp.as_deref() {
        return Err(Error::new(ErrorKind::AzpMismatch, "refresh.id_token.azp")
            .expected(original.azp.as_deref().unwrap_or("(absent)"))
            .got(azp.unwrap_or("(absent)")));
    }
    // auth_time: "the time of the original authentication".
    if let (Some(new_t), Some(old_t)) = (new.auth_time, original.auth_time)
        && new_t != old_t
    {
        return Err(
            Error::new(ErrorKind::AuthTimeMismatch, "refresh.id_token.auth_time")
                .expected(&alloc::format!("{old_t}"))
                .got(&alloc::format!("{new_t}")),
        );
    }
    // nonce: when present, the original request's.
    if let Some(nonce) = new.nonce.as_deref()
        && !original.nonce.ct_eq_str(nonce)
    {
        return Err(Error::new(
            ErrorKind::NonceMismatch,
            "refresh.id_token.nonce",
        ));
    }
    Ok(())
}
