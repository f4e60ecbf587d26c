//! The user agent between the two cores: it reads the provider's
//! authorization response (a redirect's query or fragment, or the hidden
//! fields of a `form_post` page), and may have it tampered with on the way.

use oidc_hybrid::encoding::{Params, form};
use oidc_hybrid::op::AuthorizationResponse;
use oidc_hybrid::rp::ResponseMode;

use super::ops::Tamper;

/// An authorization response as the relying party's redirect URI gets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// How it arrives.
    pub mode: ResponseMode,
    /// Its parameters, in order.
    pub params: Vec<(String, String)>,
}

/// Undoes `oidc_hybrid::encoding::html::escape`.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The `name="…" value="…"` pairs of the page's hidden inputs.
fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, name: &str| {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        let len = tag.get(start..)?.find('"')?;
        tag.get(start..start + len).map(unescape)
    };
    html.split("<input ")
        .skip(1)
        .filter_map(|tag| {
            let tag = tag.split('>').next()?;
            Some((attr(tag, "name")?, attr(tag, "value")?))
        })
        .collect()
}

fn parse(raw: &str) -> Vec<(String, String)> {
    let params = Params::parse(raw).unwrap_or_else(|e| panic!("the provider wrote {raw:?}: {e}"));
    params
        .iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

impl Delivery {
    /// What the browser delivers for `response`.
    pub fn of(response: &AuthorizationResponse) -> Self {
        match response {
            AuthorizationResponse::Redirect { location } => {
                if let Some((_, fragment)) = location.split_once('#') {
                    Self {
                        mode: ResponseMode::Fragment,
                        params: parse(fragment),
                    }
                } else {
                    let query = location.split_once('?').map(|(_, q)| q).unwrap_or("");
                    Self {
                        mode: ResponseMode::Query,
                        params: parse(query),
                    }
                }
            }
            AuthorizationResponse::FormPost { html } => Self {
                mode: ResponseMode::FormPost,
                params: hidden_inputs(html),
            },
        }
    }

    /// The value of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn set(&mut self, name: &str, value: String) {
        if let Some(slot) = self.params.iter_mut().find(|(n, _)| n == name) {
            slot.1 = value;
        }
    }

    /// The delivery after `tamper`.
    pub fn tampered(&self, tamper: Tamper) -> Self {
        let mut d = self.clone();
        match tamper {
            Tamper::None => {}
            Tamper::DropState => d.params.retain(|(n, _)| n != "state"),
            Tamper::ChangeState => {
                let s = d.get("state").map(|s| format!("{s}x")).unwrap_or_default();
                d.set("state", s);
            }
            Tamper::DuplicateState => {
                let s = d.get("state").unwrap_or_default().to_owned();
                d.params.push(("state".into(), s));
            }
            Tamper::ChangeCode => {
                let c = d.get("code").map(|c| format!("{c}x")).unwrap_or_default();
                d.set("code", c);
            }
            Tamper::FlipIdTokenSignature => {
                if let Some(t) = d.get("id_token") {
                    d.set("id_token", flip_signature(t));
                }
            }
            Tamper::WrongMode => {
                d.mode = match d.mode {
                    ResponseMode::Query => ResponseMode::Fragment,
                    ResponseMode::Fragment => ResponseMode::FormPost,
                    ResponseMode::FormPost => ResponseMode::Query,
                }
            }
            Tamper::DropIss => d.params.retain(|(n, _)| n != "iss"),
            Tamper::WrongIss => d.set("iss", "https://attacker.example".into()),
            Tamper::ExtraParam => d.params.push(("ui_locales".into(), "de".into())),
        }
        d
    }

    /// The raw parameters, as the redirect URI's handler reads them.
    pub fn raw(&self) -> String {
        form::write(self.params.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    }
}

/// Changes one character in the middle of a JWS signature, keeping it
/// canonical base64url of the same length.
pub fn flip_signature(token: &str) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let Some((input, sig)) = token.rsplit_once('.') else {
        return format!("{token}x");
    };
    let mut bytes = sig.as_bytes().to_vec();
    let mid = bytes.len() / 2;
    if let Some(b) = bytes.get_mut(mid) {
        let i = B64.iter().position(|c| c == b).unwrap_or(0);
        *b = B64[(i + 1) % 64];
    }
    format!("{input}.{}", String::from_utf8_lossy(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_mode() {
        let r = AuthorizationResponse::Redirect {
            location: "https://rp/cb#code=a&state=b%26c".into(),
        };
        let d = Delivery::of(&r);
        assert_eq!(d.mode, ResponseMode::Fragment);
        assert_eq!(d.get("state"), Some("b&c"));
        let page = "<form><input type=\"hidden\" name=\"state\" value=\"&quot;x&amp;y\">\n\
                    <input type=\"hidden\" name=\"code\" value=\"c\">";
        let d = Delivery::of(&AuthorizationResponse::FormPost { html: page.into() });
        assert_eq!(d.mode, ResponseMode::FormPost);
        assert_eq!(
            d.params,
            vec![
                ("state".to_owned(), "\"x&y".to_owned()),
                ("code".to_owned(), "c".to_owned())
            ]
        );
    }

    #[test]
    fn flipping_keeps_the_shape() {
        let t = flip_signature("a.b.AAAA");
        assert_eq!(t, "a.b.AABA");
    }
}
