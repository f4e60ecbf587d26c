//! Cookies: the signed `PendingAuth` cookie (the "state cookie") and the
//! attributes every cookie of the app gets.
//!
//! The pending authorization travels in the browser between `/login` and
//! `/callback`, so the app keeps no state per login attempt. It is signed
//! (HMAC-SHA-256 under a random key drawn when the process starts), not
//! encrypted: the browser can read the `state`, `nonce` and PKCE verifier
//! it carries, but it is `HttpOnly` (no script reads it) and those values
//! only protect the browser's own login from third parties (RFC 6749
//! §10.12, RFC 7636 §1); the client secret never goes in. If your threat
//! model includes cookies leaking from the browser, encrypt it (an AEAD) or
//! keep `PendingAuth` in a server-side store under a random id, as the
//! core's documentation suggests. A restart draws a new key: logins in
//! flight then fail with `invalid_state_cookie` and start again.

use std::fmt;

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, KeyInit, Mac};
use oidc_hybrid::UnixTime;
use oidc_hybrid::rp::PendingAuth;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The name of the cookie holding the signed `PendingAuth`.
pub const PENDING_COOKIE: &str = "rp_auth";
/// The name of the session cookie (a random id; the session is server-side).
pub const SESSION_COOKIE: &str = "rp_session";
/// How long a login may take, seconds (the provider's pages included).
pub const PENDING_TTL: u64 = 600;
/// Longest cookie value accepted, bytes (browsers keep at most ~4 KiB).
const MAX_COOKIE: usize = 4096;
/// Domain separation for the MAC, so a value signed for one purpose (or by
/// another version of this app) never verifies as another.
const MAC_LABEL: &[u8] = b"oidc-hybrid rp_webapp cookie v1";

/// Why a cookie was refused. The stable code goes on the error page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CookieError {
    /// No cookie of that name (never set, expired, or another browser).
    Missing,
    /// Present but not what this process signed: altered, truncated,
    /// signed under an earlier key, expired, or sent twice.
    Invalid,
}

/// The per-process signing key. `Debug` redacts it.
pub struct CookieKey([u8; 32]);

impl fmt::Debug for CookieKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CookieKey(<redacted>)")
    }
}

/// What the state cookie holds.
#[derive(Serialize, Deserialize)]
struct PendingPayload {
    /// When the login attempt lapses (the cookie's `Max-Age` is only
    /// advice to the browser; this is enforced).
    exp: UnixTime,
    pending: PendingAuth,
}

impl CookieKey {
    /// A key of 256 random bits from the operating system.
    pub fn random() -> Result<Self, getrandom::Error> {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k)?;
        Ok(Self(k))
    }

    #[cfg(test)]
    fn fixed(k: [u8; 32]) -> Self {
        Self(k)
    }

    fn mac(&self, name: &str, payload: &str) -> Hmac<Sha256> {
        // A 32-byte key is always a valid HMAC key; the Err arm cannot occur.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(MAC_LABEL);
        mac.update(&[0]);
        mac.update(name.as_bytes());
        mac.update(&[0]);
        mac.update(payload.as_bytes());
        mac
    }

    /// `BASE64URL(payload) "." BASE64URL(HMAC-SHA-256(key, label, name, payload))`.
    fn seal(&self, name: &str, payload: &[u8]) -> String {
        let body = Base64UrlUnpadded::encode_string(payload);
        let tag = self.mac(name, &body).finalize().into_bytes();
        format!("{body}.{}", Base64UrlUnpadded::encode_string(&tag))
    }

    /// The payload of a value made by [`CookieKey::seal`] for `name`; the
    /// tag is checked in constant time (`Mac::verify_slice`).
    fn open(&self, name: &str, value: &str) -> Result<Vec<u8>, CookieError> {
        if value.len() > MAX_COOKIE {
            return Err(CookieError::Invalid);
        }
        let (body, tag) = value.split_once('.').ok_or(CookieError::Invalid)?;
        let tag = Base64UrlUnpadded::decode_vec(tag).map_err(|_| CookieError::Invalid)?;
        self.mac(name, body)
            .verify_slice(&tag)
            .map_err(|_| CookieError::Invalid)?;
        Base64UrlUnpadded::decode_vec(body).map_err(|_| CookieError::Invalid)
    }

    /// The state cookie's value for `pending`, valid until `now + PENDING_TTL`.
    pub fn seal_pending(&self, pending: PendingAuth, now: UnixTime) -> String {
        let payload = PendingPayload {
            exp: now.plus(PENDING_TTL),
            pending,
        };
        // Serializing plain data to JSON cannot fail.
        let json = serde_json::to_vec(&payload).unwrap_or_default();
        self.seal(PENDING_COOKIE, &json)
    }

    /// The `PendingAuth` in the state cookie, if this process signed it and
    /// it has not lapsed.
    pub fn open_pending(&self, value: &str, now: UnixTime) -> Result<PendingAuth, CookieError> {
        let json = self.open(PENDING_COOKIE, value)?;
        let payload: PendingPayload =
            serde_json::from_slice(&json).map_err(|_| CookieError::Invalid)?;
        if now >= payload.exp {
            return Err(CookieError::Invalid);
        }
        Ok(payload.pending)
    }
}

/// The one value of cookie `name` in the request's `Cookie` headers.
/// Two values (a second cookie of that name planted for another path or
/// domain) are refused: there is no telling which one is ours.
pub fn read(headers: &axum::http::HeaderMap, name: &str) -> Result<String, CookieError> {
    let mut found = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned());
    match (found.next(), found.next()) {
        (None, _) => Err(CookieError::Missing),
        (Some(v), None) => Ok(v),
        (Some(_), Some(_)) => Err(CookieError::Invalid),
    }
}

/// The attributes of the app's cookies: `HttpOnly` always (no script of
/// the page needs them), `Path=/`, and `SameSite` and `Secure` as follows.
///
/// **Why `SameSite=Lax`, not `Strict`.** The authorization response comes
/// back from the provider, another site: in `query` and `fragment` modes as
/// a top-level GET navigation that the provider's 303 starts, in
/// `form_post` mode as a top-level POST that the provider's page submits.
/// A `Strict` cookie is sent on neither (it goes only with requests a page
/// of this site started), so `/callback` would never see the state cookie,
/// and the session cookie set there would not come with the redirect to
/// `/me` either. `Lax` is sent on cross-site top-level GET navigations and
/// is accepted when set on any top-level navigation, which covers `query`,
/// the fragment relay (whose POST is same-origin anyway) and the 303 to
/// `/me`, while still keeping the cookies off cross-site subresource
/// requests and cross-site POSTs (the classic CSRF shapes).
///
/// **form_post over https needs `SameSite=None; Secure`.** `Lax` is *not*
/// sent on a cross-site POST, and a form_post response is exactly that
/// once the provider and the app are different sites. So when the redirect
/// URI is https and the mode is form_post, the state cookie is
/// `SameSite=None; Secure` (browsers accept `None` only with `Secure`, and
/// `Secure` only over https). Its own protections then carry the load: the
/// HMAC, the `state` compared in constant time by the core, the PKCE
/// verifier, and a single use. Over plain http (this example on loopback)
/// the provider and the app differ only by port, which is the same *site*
/// (sites ignore ports), so `Lax` reaches the form_post callback here; a
/// form_post deployment with the provider on another site must use https.
#[derive(Clone, Copy, Debug)]
pub struct CookiePolicy {
    /// The redirect URI is https: add `Secure`.
    pub secure: bool,
    /// The app asks for `response_mode=form_post`.
    pub form_post: bool,
}

impl CookiePolicy {
    /// The policy for a redirect URI and mode.
    pub fn new(redirect_uri: &str, form_post: bool) -> Self {
        Self {
            secure: redirect_uri
                .get(..8)
                .is_some_and(|s| s.eq_ignore_ascii_case("https://")),
            form_post,
        }
    }

    /// The attributes of the state cookie (see the type's documentation).
    fn pending_attrs(self) -> &'static str {
        match (self.secure, self.form_post) {
            (true, true) => "SameSite=None; Secure",
            (true, false) => "SameSite=Lax; Secure",
            (false, _) => "SameSite=Lax",
        }
    }

    /// The attributes of the session cookie (see the type's documentation).
    fn session_attrs(self) -> &'static str {
        if self.secure {
            "SameSite=Lax; Secure"
        } else {
            "SameSite=Lax"
        }
    }

    /// `Set-Cookie` for the state cookie.
    pub fn set_pending(self, value: &str) -> String {
        format!(
            "{PENDING_COOKIE}={value}; Path=/; HttpOnly; {}; Max-Age={PENDING_TTL}",
            self.pending_attrs()
        )
    }

    /// `Set-Cookie` that deletes the state cookie (it is single-use).
    pub fn clear_pending(self) -> String {
        format!(
            "{PENDING_COOKIE}=; Path=/; HttpOnly; {}; Max-Age=0",
            self.pending_attrs()
        )
    }

    /// `Set-Cookie` for the session cookie (a session cookie: no
    /// `Max-Age`; the server-side session expires on its own).
    pub fn set_session(self, id: &str) -> String {
        format!(
            "{SESSION_COOKIE}={id}; Path=/; HttpOnly; {}",
            self.session_attrs()
        )
    }

    /// `Set-Cookie` that deletes the session cookie.
    pub fn clear_session(self) -> String {
        format!(
            "{SESSION_COOKIE}=; Path=/; HttpOnly; {}; Max-Age=0",
            self.session_attrs()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oidc_hybrid::rp::ResponseType;

    fn pending() -> PendingAuth {
        PendingAuth::from_parts(
            "state-1",
            "nonce-1",
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            ResponseType::CodeIdToken,
            None,
            None,
        )
        .unwrap()
    }

    #[test]
    fn the_state_cookie_round_trips_and_refuses_any_change() {
        let key = CookieKey::fixed([7; 32]);
        let now = UnixTime(1_000);
        let v = key.seal_pending(pending(), now);
        assert_eq!(key.open_pending(&v, now).unwrap(), pending());
        // Any one character changed: refused.
        for i in 0..v.len() {
            let mut b = v.clone().into_bytes();
            b[i] = if b[i] == b'A' { b'B' } else { b'A' };
            let changed = String::from_utf8(b).unwrap();
            assert_eq!(
                key.open_pending(&changed, now),
                Err(CookieError::Invalid),
                "{i}"
            );
        }
        // Another key, another name, lapsed, truncated: refused.
        let other = CookieKey::fixed([8; 32]);
        assert_eq!(other.open_pending(&v, now), Err(CookieError::Invalid));
        let json = serde_json::to_vec(&PendingPayload {
            exp: now.plus(60),
            pending: pending(),
        })
        .unwrap();
        let as_session = key.seal(SESSION_COOKIE, &json);
        assert_eq!(
            key.open_pending(&as_session, now),
            Err(CookieError::Invalid)
        );
        assert_eq!(
            key.open_pending(&v, now.plus(PENDING_TTL)),
            Err(CookieError::Invalid)
        );
        assert_eq!(
            key.open_pending(&v[..v.len() - 1], now),
            Err(CookieError::Invalid)
        );
        assert_eq!(key.open_pending("", now), Err(CookieError::Invalid));
    }

    #[test]
    fn reads_exactly_one_cookie() {
        let mut h = axum::http::HeaderMap::new();
        assert_eq!(read(&h, "a"), Err(CookieError::Missing));
        h.append("cookie", "b=2; a=1".parse().unwrap());
        assert_eq!(read(&h, "a").as_deref(), Ok("1"));
        h.append("cookie", "a=3".parse().unwrap());
        assert_eq!(read(&h, "a"), Err(CookieError::Invalid));
    }

    #[test]
    fn attributes_follow_the_scheme_and_the_mode() {
        let http = CookiePolicy::new("http://127.0.0.1:4020/callback", true);
        assert_eq!(
            http.set_pending("v"),
            "rp_auth=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=600"
        );
        let https_post = CookiePolicy::new("https://rp.example/callback", true);
        assert!(
            https_post
                .set_pending("v")
                .contains("HttpOnly; SameSite=None; Secure")
        );
        assert!(
            https_post
                .set_session("s")
                .ends_with("HttpOnly; SameSite=Lax; Secure")
        );
        let https_fragment = CookiePolicy::new("HTTPS://rp.example/callback", false);
        assert!(
            https_fragment
                .set_pending("v")
                .contains("SameSite=Lax; Secure")
        );
        assert!(http.clear_pending().contains("Max-Age=0"));
    }
}
