//! The UserInfo request and response (OIDC Core §5.3).

use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::rp::config::Context;
use crate::rp::http::{HttpRequest, Method, expect_json, is_media_type, is_object};
use crate::rp::session::Session;

/// Longest UserInfo response accepted, bytes.
pub const MAX_USERINFO_LEN: usize = 64 * 1024;

/// The claims about the end-user from the UserInfo endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    /// `sub`, identical to the ID token's.
    pub sub: String,
    /// Every claim, as a JSON object.
    pub claims: serde_json::Value,
}

#[derive(Deserialize)]
struct SubOnly {
    #[serde(default)]
    sub: Option<serde_json::Value>,
}

impl Session {
    /// The UserInfo request (OIDC Core §5.3.1): GET with the access token
    /// as a Bearer credential (RFC 6750 §2.1). `invalid_config` when the
    /// provider publishes no `userinfo_endpoint`.
    pub fn userinfo_request(&self, ctx: &Context<'_>) -> Result<HttpRequest> {
        let url = ctx.metadata.userinfo_endpoint().ok_or_else(|| {
            Error::new(ErrorKind::InvalidConfig, "userinfo_endpoint")
                .expected("a userinfo_endpoint in the provider metadata")
        })?;
        let mut bearer = String::from("Bearer ");
        bearer.push_str(self.access_token.secret());
        Ok(HttpRequest {
            method: Method::Get,
            url: url.into(),
            headers: alloc::vec![
                ("Authorization".into(), bearer),
                ("Accept".into(), "application/json".into()),
            ],
            body: String::new(),
        })
    }

    /// Validates the UserInfo response, with its `WWW-Authenticate` header:
    /// a non-200 answer whose `Bearer` challenge names an `error` is
    /// `provider_error` (RFC 6750 §3: the error is in the header, a body is
    /// optional). Otherwise as [`Session::userinfo_response`].
    pub fn userinfo_response_with_challenge(
        &self,
        status: u16,
        content_type: &str,
        www_authenticate: Option<&str>,
        body: &[u8],
    ) -> Result<UserInfo> {
        if status != 200
            && let Some(err) = www_authenticate.and_then(super::http::bearer_challenge_error)
        {
            return Err(Error::provider(err));
        }
        self.userinfo_response(status, content_type, body)
    }

    /// Validates the UserInfo response.
    ///
    /// 1. At most [`MAX_USERINFO_LEN`] bytes (`too_large`).
    /// 2. HTTP 200, else an error object is `provider_error` (RFC 6750
    ///    §3.1), anything else `unexpected_response`.
    /// 3. `application/json` (`unexpected_response`; a signed or encrypted
    ///    `application/jwt` response is not supported).
    /// 4. A JSON object (`malformed`; OIDC Core §5.3.2).
    /// 5. `sub` identical to the ID token's (`sub_mismatch`, also when
    ///    absent; §5.3.2: "MUST be verified to exactly match").
    pub fn userinfo_response(
        &self,
        status: u16,
        content_type: &str,
        body: &[u8],
    ) -> Result<UserInfo> {
        // 3, said precisely for the one non-JSON type a provider may
        //    legitimately send (OIDC Core §5.3.2).
        if status == 200 && is_media_type(content_type, "application/jwt") {
            return Err(Error::new(ErrorKind::UnexpectedResponse, "userinfo")
                .expected("application/json (signed or encrypted UserInfo is not supported)")
                .got(content_type));
        }
        // 1–3.
        expect_json(status, content_type, body, MAX_USERINFO_LEN, "userinfo")?;
        // 4. A JSON object; `sub`, if present, a string and only once.
        let malformed =
            || Error::new(ErrorKind::Malformed, "userinfo").expected("a JSON object, sub once");
        if !is_object(body) {
            return Err(malformed());
        }
        let subject: SubOnly = serde_json::from_slice(body).map_err(|_| malformed())?;
        let claims: serde_json::Value = serde_json::from_slice(body)
            .ok()
            .filter(serde_json::Value::is_object)
            .ok_or_else(malformed)?;
        // 5. OIDC Core §5.3.2: sub MUST exactly match the ID token's.
        let expected = self.sub();
        match subject.sub {
            Some(serde_json::Value::String(sub)) if sub == expected => Ok(UserInfo { sub, claims }),
            got => Err(Error::new(ErrorKind::SubMismatch, "userinfo.sub")
                .expected(expected)
                .got(match &got {
                    None => "(absent)",
                    Some(serde_json::Value::String(s)) => s,
                    Some(_) => "(not a string)",
                })),
        }
    }
}
