//! The user agent: follows the provider's redirects with a cookie jar until
//! the provider sends it to the redirect URI, and hands over what the page
//! at the redirect URI would receive.
//!
//! - A redirect (`3xx` + `Location`) to the redirect URI: the parameters are
//!   in its fragment (`fragment` mode) or its query (`query` mode), taken
//!   from the `Location` value verbatim.
//! - A `200` HTML page with a form whose `action` is the redirect URI: the
//!   `form_post` mode; the form's fields, urlencoded as a browser submits
//!   them, are the POST body the redirect URI would receive.
//!
//! Nothing listens at the redirect URI and nothing is sent there. Any other
//! page (a login form, an error page) ends the run with its text: the demo
//! needs a provider that logs the user in without a page (auto-approve).

use oidc_hybrid::encoding::form;
use oidc_hybrid::rp::ResponseMode;
use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, LOCATION};

use super::form_post;
use super::http::{TIMEOUT, path_of, read_bounded};

/// The most requests one authorization may take.
pub const MAX_STEPS: usize = 20;

/// What arrived at the redirect URI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    /// How it arrived.
    pub mode: ResponseMode,
    /// The parameters as received: the query without `?`, the fragment
    /// without `#`, or the `form_post` body.
    pub raw: String,
    /// What the user agent did, one line per request (paths only: queries
    /// carry secrets).
    pub steps: Vec<String>,
}

/// Why the user agent did not reach the redirect URI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserError {
    /// What happened.
    pub message: String,
    /// What the user agent did before.
    pub steps: Vec<String>,
}

/// A fresh browser: its own cookie jar, no history.
pub struct Browser {
    client: reqwest::Client,
    steps: Vec<String>,
}

/// Whether `a` and `b` are the same endpoint: scheme, host, port and path
/// (the query and fragment carry the response).
pub fn same_endpoint(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
        && a.path() == b.path()
}

/// The response parameters in a `Location` that points at the redirect URI.
pub fn arrival_in_location(location: &str) -> (ResponseMode, &str) {
    match location.split_once('#') {
        Some((_, fragment)) => (ResponseMode::Fragment, fragment),
        None => (
            ResponseMode::Query,
            location.split_once('?').map_or("", |(_, q)| q),
        ),
    }
}

impl Browser {
    /// A browser with an empty cookie jar.
    pub fn new() -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Self {
            client,
            steps: Vec::new(),
        })
    }

    fn fail(self, message: String) -> BrowserError {
        BrowserError {
            message,
            steps: self.steps,
        }
    }

    /// Opens the authorization URL and follows the provider until it sends
    /// the browser to `redirect_uri`.
    pub async fn authorize(
        mut self,
        url: &str,
        redirect_uri: &str,
    ) -> Result<Arrival, BrowserError> {
        let target = match Url::parse(redirect_uri) {
            Ok(u) => u,
            Err(e) => return Err(self.fail(format!("redirect_uri {redirect_uri}: {e}"))),
        };
        let mut current = match Url::parse(url) {
            Ok(u) => u,
            Err(e) => return Err(self.fail(format!("authorization URL: {e}"))),
        };
        for _ in 0..MAX_STEPS {
            let res = match self
                .client
                .get(current.clone())
                .header("Accept", "text/html,application/xhtml+xml,*/*")
                .send()
                .await
            {
                Ok(r) => r,
                Err(e) => return Err(self.fail(format!("GET {}: {e}", current.path()))),
            };
            let status = res.status();
            self.steps.push(format!(
                "GET {} -> {}",
                path_of(current.as_str()),
                status.as_u16()
            ));

            if status.is_redirection() {
                let Some(location) = res.headers().get(LOCATION).and_then(|v| v.to_str().ok())
                else {
                    return Err(self.fail(format!("HTTP {status} without a Location")));
                };
                let location = location.to_owned();
                let next = match current.join(&location) {
                    Ok(u) => u,
                    Err(e) => return Err(self.fail(format!("Location {location}: {e}"))),
                };
                if same_endpoint(&next, &target) {
                    // Verbatim when absolute, so the parameters are exactly
                    // what the provider wrote.
                    let absolute = if Url::parse(&location).is_ok() {
                        location
                    } else {
                        next.to_string()
                    };
                    let (mode, raw) = arrival_in_location(&absolute);
                    let raw = raw.to_owned();
                    self.steps.push(format!("at redirect_uri ({mode})"));
                    return Ok(Arrival {
                        mode,
                        raw,
                        steps: self.steps,
                    });
                }
                current = next;
                continue;
            }

            let content_type = res
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_ascii_lowercase();
            let page = match read_bounded(res).await {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => return Err(self.fail(e)),
            };
            if status.as_u16() == 200 && content_type.contains("html") {
                let forms = form_post::forms(&page);
                let to_target = forms.into_iter().find(|f| {
                    current
                        .join(&f.action)
                        .is_ok_and(|a| same_endpoint(&a, &target))
                });
                if let Some(f) = to_target {
                    // Form Post Response Mode §2: the form is POSTed.
                    if f.method != "post" {
                        return Err(self.fail(format!(
                            "the form to the redirect_uri uses method {:?}, not post",
                            f.method
                        )));
                    }
                    let raw = form::write(f.fields.iter().map(|(n, v)| (n.as_str(), v.as_str())));
                    self.steps.push("at redirect_uri (form_post)".into());
                    return Ok(Arrival {
                        mode: ResponseMode::FormPost,
                        raw,
                        steps: self.steps,
                    });
                }
                let text = form_post::text_summary(&page, 160);
                return Err(self.fail(format!(
                    "the provider showed a page at {} instead of answering: {text:?} \
                     (the demo needs a provider that logs the user in without a page, e.g. --auto-approve)",
                    current.path()
                )));
            }
            let text = if content_type.contains("html") {
                form_post::text_summary(&page, 160)
            } else {
                page.chars().take(160).collect()
            };
            return Err(self.fail(format!(
                "HTTP {} at {}: {text:?}",
                status.as_u16(),
                current.path()
            )));
        }
        let message = format!("gave up after {MAX_STEPS} requests");
        Err(self.fail(message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_comparison_ignores_query_and_fragment_only() {
        let cb = Url::parse("http://127.0.0.1:9999/cb").unwrap();
        let same = Url::parse("http://127.0.0.1:9999/cb?code=x#y").unwrap();
        assert!(same_endpoint(&same, &cb));
        for other in [
            "http://127.0.0.1:9998/cb",
            "https://127.0.0.1:9999/cb",
            "http://localhost:9999/cb",
            "http://127.0.0.1:9999/cb/",
        ] {
            assert!(!same_endpoint(&Url::parse(other).unwrap(), &cb), "{other}");
        }
    }

    #[test]
    fn location_parameters_by_mode() {
        assert_eq!(
            arrival_in_location("http://c/cb?code=a&state=b"),
            (ResponseMode::Query, "code=a&state=b")
        );
        assert_eq!(
            arrival_in_location("http://c/cb#code=a&id_token=b"),
            (ResponseMode::Fragment, "code=a&id_token=b")
        );
        assert_eq!(
            arrival_in_location("http://c/cb?x=1#code=a"),
            (ResponseMode::Fragment, "code=a")
        );
        assert_eq!(
            arrival_in_location("http://c/cb"),
            (ResponseMode::Query, "")
        );
    }
}
