//! The authorization response (OIDC Core §3.3.2.5–§3.3.2.12): validated in
//! a fixed, numbered order, producing a [`Callback`] or a typed error.

use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::claims::{IdToken, UnixTime};
use crate::encoding::Params;
use crate::error::{Error, ErrorKind, ProviderErrorBody, Result};
use crate::rp::config::Context;
use crate::rp::pending::PendingAuth;
use crate::rp::response_type::{ResponseMode, ResponseType};
use crate::rp::secret::{AccessToken, AuthCode, CodeVerifier, Nonce, State};
use crate::rp::token_json::{check_token_type, parse_expires_in};
use crate::rp::verify::{self, Checks};

/// What [`PendingAuth::callback`] decided.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
// Matched at once and moved a single time; boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum CallbackOutcome {
    /// The front channel is valid: exchange the code next.
    Validated(Callback),
    /// The ID token names a key the JWKS does not hold, and the JWKS has not
    /// been refetched for this response yet. The provider may have rotated
    /// its keys: fetch `jwks_uri` again, build a new
    /// [`Context`](crate::rp::Context) with it and call
    /// [`PendingAuth::callback`] once more with this value and the same raw
    /// response. A second unknown key is `unknown_kid`.
    RefetchJwks(PendingAuth),
}

/// An access token delivered in the front channel (`code token`,
/// `code id_token token`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontChannelToken {
    /// The access token.
    pub access_token: AccessToken,
    /// `now + expires_in`, if `expires_in` was sent.
    pub expires_at: Option<UnixTime>,
    /// `scope`, if sent.
    pub scope: Option<String>,
}

/// A validated authorization response, ready for the token exchange.
/// Serde-serializable; `Debug` redacts the secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Callback {
    pub(crate) code: AuthCode,
    pub(crate) state: State,
    pub(crate) nonce: Nonce,
    pub(crate) code_verifier: CodeVerifier,
    pub(crate) response_type: ResponseType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max_age: Option<u64>,
    pub(crate) id_token: Option<IdToken>,
    pub(crate) front_token: Option<FrontChannelToken>,
}

impl Callback {
    /// The authorization code.
    pub fn code(&self) -> &AuthCode {
        &self.code
    }

    /// The front-channel ID token (`code id_token`, `code id_token token`).
    pub fn id_token(&self) -> Option<&IdToken> {
        self.id_token.as_ref()
    }

    /// The front-channel access token (`code token`, `code id_token token`).
    pub fn front_channel_token(&self) -> Option<&FrontChannelToken> {
        self.front_token.as_ref()
    }

    /// The response type that was requested.
    pub fn response_type(&self) -> ResponseType {
        self.response_type
    }
}

impl PendingAuth {
    /// Validates the authorization response.
    ///
    /// `raw` is the parameters exactly as received: the query (without
    /// `?`), the fragment (without `#`; the page at the redirect URI relays
    /// it) or the `form_post` body; a single leading `?` or `#` is
    /// tolerated. `mode` is how it arrived.
    ///
    /// The checks, in order (the first failure is returned):
    ///
    /// 1. recognised fully: bounded size and count (`too_large`), valid
    ///    encoding (`malformed`), no parameter twice (`duplicate_parameter`;
    ///    RFC 6749 §3.1);
    /// 2. `state` present (`missing_parameter`) and equal in constant time
    ///    (`state_mismatch`; RFC 6749 §4.1.2, §10.12);
    /// 3. an `error` response is `provider_error` with `error`,
    ///    `error_description`, `error_uri` (RFC 6749 §4.1.2.1, OIDC Core
    ///    §3.3.2.6) — only after the state matched and an `iss` parameter,
    ///    if any, is the issuer (`iss_param_mismatch`, RFC 9207 §2.4); in
    ///    whatever mode it came;
    /// 5. it arrived in the mode requested (`unexpected_response`; Multiple
    ///    Response Types §2.1, §5); RFC 9207 `iss` when absent: if the
    ///    provider's metadata says it sends it, it is required unless the
    ///    type returns an ID token, whose `iss` claim does the same job
    ///    (`iss_param_missing`);
    /// 6. the parameters the type requires (`missing_parameter`; OIDC Core
    ///    §3.3.2.5): `code`; `id_token`; `access_token` with `token_type`
    ///    Bearer, case-insensitive (`token_type_missing`,
    ///    `token_type_invalid`; RFC 6749 §4.2.2, §7.1) and a numeric
    ///    `expires_in` if sent (`malformed`);
    /// 7. the ID token (OIDC Core §3.3.2.12 → §3.1.3.7, §3.2.2.11): `alg` is
    ///    the registered one (`alg_not_allowed`), the key (`unknown_kid` —
    ///    see [`CallbackOutcome::RefetchJwks`] — or `ambiguous_key`), the
    ///    signature (`bad_signature`), `iss`, `sub`, `aud`, `azp`, `exp`,
    ///    `iat`, `nbf`, `nonce`, `auth_time`/`max_age`, then `c_hash`
    ///    (required: a code came; §3.3.2.11), `at_hash` (required when an
    ///    access token came) and `s_hash` (checked when present).
    pub fn callback(
        self,
        raw: &str,
        mode: ResponseMode,
        now: UnixTime,
        ctx: &Context<'_>,
    ) -> Result<CallbackOutcome> {
        let raw = raw
            .strip_prefix('?')
            .or_else(|| raw.strip_prefix('#'))
            .unwrap_or(raw);
        // 1. Recognise fully before using anything (RFC 6749 §3.1: no duplicates).
        let params = Params::parse(raw)?;

        // 2. state: present, and the one we sent (RFC 6749 §4.1.2, §10.12), constant time.
        let state = params.require("state", "state")?;
        if !self.state.ct_eq_str(state) {
            return Err(Error::new(ErrorKind::StateMismatch, "state"));
        }

        // 3. RFC 9207 §2.4: an iss parameter must be the issuer, error
        //    responses included (mix-up defence).
        let issuer = ctx.metadata.issuer();
        if let Some(iss) = params.get("iss")
            && iss != issuer
        {
            return Err(Error::new(ErrorKind::IssParamMismatch, "iss")
                .expected(issuer)
                .got(iss));
        }

        // 4. An error response, now known to answer our request (RFC 6749
        //    §4.1.2.1, §4.2.2.1; OIDC Core §3.3.2.6). It fails the login
        //    whether or not it carries iss, so a missing iss is not checked
        //    before it; and in whatever mode it came (a provider that cannot
        //    honour the requested mode answers in the type's default one).
        if let Some(error) = params.get("error") {
            return Err(Error::provider(ProviderErrorBody {
                error: error.into(),
                description: params.get("error_description").map(String::from),
                uri: params.get("error_uri").map(String::from),
            }));
        }

        // 5. The mode we asked for (Multiple Response Types §2.1, §5: tokens
        //    never in the query).
        if mode != self.response_mode {
            return Err(Error::new(ErrorKind::UnexpectedResponse, "response_mode")
                .expected(self.response_mode.as_str())
                .got(mode.as_str()));
        }

        // 5a. RFC 9207 §2.4: a provider that says it sends iss must send it.
        //     Deviation: a type that returns an ID token is exempt, since the
        //     token's signed iss claim (checked in step 7) does the same job
        //     (and certified providers omit the parameter then).
        if params.get("iss").is_none()
            && ctx.metadata.iss_parameter_supported()
            && !self.response_type.returns_id_token()
        {
            return Err(Error::new(ErrorKind::IssParamMissing, "iss"));
        }

        // 6. Required parameters per type (OIDC Core §3.3.2.5).
        let code = params.require("code", "code")?;
        let id_token = if self.response_type.returns_id_token() {
            Some(params.require("id_token", "id_token")?)
        } else {
            None
        };
        let access_token = if self.response_type.returns_access_token() {
            let token = params.require("access_token", "access_token")?;
            // RFC 6749 §4.2.2: token_type REQUIRED; RFC 6750: Bearer, case-insensitive.
            check_token_type(params.get("token_type"), "token_type")?;
            let expires_in = params
                .get("expires_in")
                .map(|v| parse_expires_in(v, "expires_in"))
                .transpose()?;
            Some((token, expires_in))
        } else {
            None
        };

        // 7. The front-channel ID token (OIDC Core §3.3.2.12 → §3.1.3.7).
        let id_token = match id_token {
            None => None,
            Some(token) => {
                let checks = Checks {
                    nonce: Some(self.nonce.secret()),
                    max_age: self.max_age,
                    code: Some(code),
                    access_token: access_token.map(|(t, _)| t),
                    state: Some(state),
                    // §3.3.2.11: c_hash REQUIRED with a code; at_hash REQUIRED with
                    // an access token.
                    require_c_hash: true,
                    require_at_hash: access_token.is_some(),
                };
                match verify::id_token(ctx, token, now, &checks) {
                    Ok(t) => Some(t),
                    // OIDC Core §10.1.1: the provider may have rotated its keys.
                    Err(e) if e.kind() == ErrorKind::UnknownKid && !self.jwks_refetched => {
                        return Ok(CallbackOutcome::RefetchJwks(PendingAuth {
                            jwks_refetched: true,
                            ..self
                        }));
                    }
                    Err(e) => return Err(e),
                }
            }
        };

        let front_token = access_token.map(|(token, expires_in)| FrontChannelToken {
            access_token: AccessToken::new(token),
            expires_at: expires_in.map(|s| now.plus(s)),
            scope: params.get("scope").map(String::from),
        });
        Ok(CallbackOutcome::Validated(Callback {
            code: AuthCode::new(code),
            state: self.state,
            nonce: self.nonce,
            code_verifier: self.code_verifier,
            response_type: self.response_type,
            max_age: self.max_age,
            id_token,
            front_token,
        }))
    }
}
