//! The back channel: discovery, the JWKS, and sending the core's
//! [`HttpRequest`]s (token, UserInfo) with reqwest. The core decides what
//! to send and judges what came back; this file only moves bytes.

use std::sync::Arc;
use std::time::Duration;

use oidc_hybrid::discovery::ProviderMetadata;
use oidc_hybrid::jose::Jwks;
use oidc_hybrid::rp::{HttpRequest, Method};
use tokio::sync::RwLock;

use crate::pages::AppError;

/// Largest response body read from the provider, bytes. The core has its
/// own, tighter bounds per document; this one stops a runaway body before
/// it is buffered.
const MAX_RESPONSE: usize = 256 * 1024;
/// How long one back-channel request may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The provider as this app knows it: metadata and current keys.
pub struct Provider {
    /// Discovery (OIDC Discovery §3), issuer checked (§4.3).
    pub metadata: ProviderMetadata,
    /// The keys at `jwks_uri`.
    pub jwks: Jwks,
}

/// A response as the core wants it: status, content type, body.
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`, or empty.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
}

/// Discovery and JWKS fetched on first use and cached; the JWKS refetched
/// when the core asks (`CallbackOutcome::RefetchJwks`).
pub struct ProviderCache {
    issuer: String,
    http: reqwest::Client,
    cached: RwLock<Option<Arc<Provider>>>,
}

impl ProviderCache {
    /// A cache for `issuer`; nothing is fetched yet.
    pub fn new(issuer: &str) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            // Back-channel answers are never followed elsewhere: a redirect
            // from the token endpoint would carry the code and credentials
            // to a URL the provider's metadata did not name.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Self {
            issuer: issuer.trim_end_matches('/').to_owned(),
            http,
            cached: RwLock::new(None),
        })
    }

    /// The issuer.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The provider, fetching discovery and the JWKS the first time.
    pub async fn get(&self) -> Result<Arc<Provider>, AppError> {
        if let Some(p) = self.cached.read().await.as_ref() {
            return Ok(Arc::clone(p));
        }
        let mut slot = self.cached.write().await;
        if let Some(p) = slot.as_ref() {
            return Ok(Arc::clone(p));
        }
        let url = format!("{}/.well-known/openid-configuration", self.issuer);
        let reply = self.fetch(Method::Get, &url, &[], String::new()).await?;
        if reply.status != 200 {
            return Err(AppError::provider_unreachable(&format!(
                "discovery answered HTTP {}",
                reply.status
            )));
        }
        // OIDC Discovery §4.3: the issuer in the document must be ours.
        let metadata = ProviderMetadata::parse(&reply.body, &self.issuer)
            .map_err(|e| AppError::from_provider_setup(&e))?;
        let jwks = self.fetch_jwks(&metadata).await?;
        let provider = Arc::new(Provider { metadata, jwks });
        *slot = Some(Arc::clone(&provider));
        Ok(provider)
    }

    /// Fetches `jwks_uri` again (the provider may have rotated its keys:
    /// OIDC Core §10.1.1) and caches the result.
    pub async fn refetch_jwks(&self, old: &Provider) -> Result<Arc<Provider>, AppError> {
        let jwks = self.fetch_jwks(&old.metadata).await?;
        let provider = Arc::new(Provider {
            metadata: old.metadata.clone(),
            jwks,
        });
        *self.cached.write().await = Some(Arc::clone(&provider));
        Ok(provider)
    }

    async fn fetch_jwks(&self, metadata: &ProviderMetadata) -> Result<Jwks, AppError> {
        let reply = self
            .fetch(Method::Get, metadata.jwks_uri(), &[], String::new())
            .await?;
        if reply.status != 200 {
            return Err(AppError::provider_unreachable(&format!(
                "jwks_uri answered HTTP {}",
                reply.status
            )));
        }
        Jwks::parse(&reply.body).map_err(|e| AppError::from_provider_setup(&e))
    }

    /// Sends a request the core built.
    pub async fn send(&self, req: &HttpRequest) -> Result<Reply, AppError> {
        self.fetch(req.method, &req.url, &req.headers, req.body.clone())
            .await
    }

    async fn fetch(
        &self,
        method: Method,
        url: &str,
        headers: &[(String, String)],
        body: String,
    ) -> Result<Reply, AppError> {
        let mut rb = match method {
            Method::Get => self.http.get(url),
            Method::Post => self.http.post(url).body(body),
        };
        for (n, v) in headers {
            rb = rb.header(n.as_str(), v.as_str());
        }
        // The URL only, never the headers or body: they hold credentials.
        let fail = |e: reqwest::Error| AppError::provider_unreachable(&format!("{url}: {e}"));
        let mut res = rb.send().await.map_err(fail)?;
        let status = res.status().as_u16();
        let content_type = res
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let mut out = Vec::new();
        while let Some(chunk) = res.chunk().await.map_err(fail)? {
            if out.len().saturating_add(chunk.len()) > MAX_RESPONSE {
                return Err(AppError::provider_unreachable(&format!(
                    "{url}: the response is larger than {MAX_RESPONSE} bytes"
                )));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(Reply {
            status,
            content_type,
            body: out,
        })
    }
}
