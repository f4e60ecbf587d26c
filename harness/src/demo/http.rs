//! The back channel: the relying party's own HTTP calls (discovery, JWKS,
//! token, UserInfo). The core builds each request as a value
//! ([`HttpRequest`]); this sends it as is and hands back status, content
//! type and body. No cookies, no redirects, no proxy: loopback or the
//! provider, directly.

use core::time::Duration;

use oidc_hybrid::rp::{HttpRequest, Method};
use reqwest::header::CONTENT_TYPE;

/// How long one request may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The largest response body read, bytes (the core bounds what it parses
/// far below this; this bounds what is read off the socket).
pub const MAX_BODY: usize = 1024 * 1024;

/// A response, as the core's `*_response` methods take it.
#[derive(Clone, Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// `Content-Type`, empty when absent.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
}

/// The relying party's HTTP client.
#[derive(Clone, Debug)]
pub struct Backend {
    client: reqwest::Client,
}

/// Reads at most [`MAX_BODY`] bytes of `res`.
pub(crate) async fn read_bounded(mut res: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(|e| format!("reading: {e}"))? {
        if body.len().saturating_add(chunk.len()) > MAX_BODY {
            return Err(format!("the response is larger than {MAX_BODY} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

impl Backend {
    /// A client that follows no redirects, keeps no cookies and ignores
    /// proxy settings.
    pub fn new() -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Self { client })
    }

    /// Sends a request the core built.
    pub async fn send(&self, request: &HttpRequest) -> Result<Reply, String> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut builder = self.client.request(method, &request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if request.method == Method::Post {
            builder = builder.body(request.body.clone());
        }
        let res = builder
            .send()
            .await
            .map_err(|e| format!("{} {}: {e}", request.method.as_str(), path_of(&request.url)))?;
        let status = res.status().as_u16();
        let content_type = res
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = read_bounded(res).await?;
        Ok(Reply {
            status,
            content_type,
            body,
        })
    }

    /// `GET url`; the body when the status is 200.
    pub async fn get_ok(&self, url: &str) -> Result<Vec<u8>, String> {
        let res = self
            .client
            .get(url)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| format!("GET {url}: {e}"))?;
        let status = res.status().as_u16();
        if status != 200 {
            return Err(format!("GET {url}: HTTP {status}"));
        }
        read_bounded(res).await
    }
}

/// The path of `url`, without query or fragment (they carry secrets).
pub fn path_of(url: &str) -> &str {
    let after = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after.find('/').map_or("/", |i| &after[i..]);
    path.split(['?', '#']).next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::path_of;

    #[test]
    fn path_of_drops_query_and_fragment() {
        assert_eq!(path_of("http://127.0.0.1:1/token"), "/token");
        assert_eq!(path_of("http://h/a/b?code=secret#x"), "/a/b");
        assert_eq!(path_of("http://h"), "/");
        assert_eq!(path_of("http://h/cb#code=secret"), "/cb");
    }
}
