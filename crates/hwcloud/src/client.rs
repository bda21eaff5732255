//! The client: one send path that rate-limits, signs, sends, classifies and retries reads.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::Stream;
use http::{HeaderMap, Method};
use rand::Rng;
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;

use crate::credentials::{CallAuth, Credentials};
use crate::error::{Error, classify, excerpt};
use crate::operation::{MarkerPagedOperation, Operation, PagedOperation, QueryValue, Service};
use crate::paging::next_offset;
use crate::ratelimit::RateLimiter;
use crate::retry::{AttemptOutcome, RetryDecision, RetryPolicy, decide};
use crate::signer::{self, SigningRequest};

/// Base URLs of the three APIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// IAM (tokens, projects, domains).
    pub iam: String,
    /// Global SIM Link.
    pub gsl: String,
    /// BSS.
    pub bss: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Self {
            iam: "https://iam.myhuaweicloud.com".into(),
            gsl: "https://gsl.cn-north-4.myhuaweicloud.com".into(),
            bss: "https://bss.myhuaweicloud.com".into(),
        }
    }
}

impl Endpoints {
    /// All three APIs served from one base URL (the sandbox).
    pub fn single(base: &str) -> Self {
        let base = base.trim_end_matches('/').to_owned();
        Self { iam: base.clone(), gsl: base.clone(), bss: base }
    }

    fn for_service(&self, service: Service) -> &str {
        match service {
            Service::Gsl => &self.gsl,
            Service::Bss => &self.bss,
            Service::Iam => &self.iam,
        }
    }
}

/// Client settings.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Where the APIs are.
    pub endpoints: Endpoints,
    /// Calls per second per (account, operation); 0 turns client-side limiting off.
    pub rate_limit_per_second: u32,
    /// Calls allowed at once before spacing starts.
    pub rate_limit_burst: u32,
    /// Retry policy for reads.
    pub retry: RetryPolicy,
    /// Timeout of one attempt.
    pub timeout: Duration,
    /// `User-Agent` sent (and signed).
    pub user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            endpoints: Endpoints::default(),
            rate_limit_per_second: 10,
            rate_limit_burst: 10,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
            user_agent: concat!("fleetdesk-hwcloud/", env!("CARGO_PKG_VERSION")).into(),
        }
    }
}

/// The person (or process) a call is made for.
#[derive(Debug, Clone)]
pub struct Identity {
    /// Account (domain) name or id: calls of one account share Huawei's flow-control budget.
    pub account: String,
    /// How calls are authenticated.
    pub credentials: Credentials,
}

/// A decoded answer with the upstream request id.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The decoded body.
    pub value: T,
    /// `X-Request-Id`.
    pub request_id: Option<String>,
}

/// One finished upstream call, reported to a [`CallObserver`].
#[derive(Debug, Clone)]
pub struct CallRecord {
    /// Operation id.
    pub operation: &'static str,
    /// Service.
    pub service: Service,
    /// `ok` or the error kind.
    pub outcome: &'static str,
    /// Attempts made (1 = no retry).
    pub attempts: u32,
    /// Time from the first attempt to the result, including waits.
    pub elapsed: Duration,
}

/// Receives a record of every call (for metrics).
pub trait CallObserver: Send + Sync + std::fmt::Debug {
    /// Called once per call, after the last attempt.
    fn on_call(&self, record: &CallRecord);
}

/// A raw call description used by the shared send path.
#[derive(Debug)]
pub(crate) struct RawCall<'a> {
    pub operation: &'static str,
    pub service: Service,
    pub method: Method,
    pub is_read: bool,
    pub path: String,
    pub query: Vec<(&'static str, QueryValue)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub content_type: Option<&'static str>,
    pub auth: Option<CallAuth<'a>>,
}

/// A raw successful answer.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
    pub status: u16,
    pub request_id: Option<String>,
}

/// Typed async client for IAM, GSL and BSS. Cheap to clone; share one per process.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    config: ClientConfig,
    limiter: RateLimiter,
    observer: Option<Arc<dyn CallObserver>>,
}

impl Client {
    /// A client with the given settings.
    pub fn new(config: ClientConfig) -> Self {
        Self::with_observer(config, None)
    }

    /// A client that reports every call to `observer`.
    pub fn with_observer(config: ClientConfig, observer: Option<Arc<dyn CallObserver>>) -> Self {
        // Several crates may race to install the process-wide provider; losing the race is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        let limiter = RateLimiter::new(config.rate_limit_per_second, config.rate_limit_burst);
        Self { inner: Arc::new(Inner { http, config, limiter, observer }) }
    }

    /// The settings in use.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Whether IAM answers at all (any HTTP status counts): for readiness checks, without credentials.
    pub async fn reachable(&self) -> bool {
        let url = format!("{}/v3/auth/domains", self.inner.config.endpoints.iam.trim_end_matches('/'));
        self.inner.http.get(url).timeout(Duration::from_secs(3)).send().await.is_ok()
    }

    /// Sends one operation as `identity` and decodes the answer.
    pub async fn call<O: Operation>(&self, identity: &Identity, op: &O) -> Result<Response<O::Output>, Error> {
        let auth = identity
            .credentials
            .for_service(O::SERVICE)
            .ok_or(Error::Credentials { operation: O::ID, reason: "these credentials cannot call this service" })?;
        let raw = RawCall {
            operation: O::ID,
            service: O::SERVICE,
            method: O::METHOD,
            is_read: O::IS_READ,
            path: op.path(),
            query: op.query(),
            headers: op.headers().into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            body: op.body().unwrap_or_default(),
            content_type: Some("application/json"),
            auth: Some(auth),
        };
        let resp = self.execute(&identity.account, raw).await?;
        let value = decode::<O::Output>(O::ID, &resp)?;
        Ok(Response { value, request_id: resp.request_id })
    }

    /// All items of a paged operation, fetched lazily page by page.
    ///
    /// Stops on a short or empty page, when the declared total is reached, or at the API's page cap.
    pub fn pages<'a, O: PagedOperation + 'a>(
        &'a self,
        identity: &'a Identity,
        op: O,
    ) -> impl Stream<Item = Result<O::Item, Error>> + 'a {
        async_stream::try_stream! {
            let mut op = op;
            let limit = op.page_size();
            let mut offset = crate::paging::first_offset(O::STYLE);
            let mut fetched: i64 = 0;
            loop {
                op.set_page(offset, limit);
                let resp = self.call(identity, &op).await?;
                let (items, total) = O::into_items(resp.value);
                let n = i64::try_from(items.len()).unwrap_or(i64::MAX);
                fetched = fetched.saturating_add(n);
                for item in items {
                    yield item;
                }
                match next_offset(O::STYLE, offset, limit, n, fetched, total) {
                    Some(next) => offset = next,
                    None => break,
                }
            }
        }
    }

    /// All items of a marker-paged operation, fetched lazily page by page until an answer names
    /// no next marker (or repeats the one it was given, which would loop forever).
    pub fn marker_pages<'a, O: MarkerPagedOperation + 'a>(
        &'a self,
        identity: &'a Identity,
        op: O,
    ) -> impl Stream<Item = Result<O::Item, Error>> + 'a {
        async_stream::try_stream! {
            let mut op = op;
            let mut marker: Option<String> = None;
            loop {
                op.set_marker(marker.clone());
                let resp = self.call(identity, &op).await?;
                let (items, next) = O::into_page(resp.value);
                let empty = items.is_empty();
                for item in items {
                    yield item;
                }
                match next {
                    Some(next) if !empty && Some(&next) != marker.as_ref() => marker = Some(next),
                    _ => break,
                }
            }
        }
    }

    /// The shared send path: rate limit, sign or attach the token, send, classify, retry reads.
    pub(crate) async fn execute(&self, account: &str, call: RawCall<'_>) -> Result<RawResponse, Error> {
        let started = Instant::now();
        let mut attempt: u32 = 0;
        let result = loop {
            self.inner.limiter.acquire(account, call.operation).await;
            let (outcome, result) = self.attempt(&call).await;
            let decision = match outcome {
                Some(outcome) => {
                    let jitter = rand::rng().random_range(0..=1000);
                    decide(&self.inner.config.retry, call.is_read, attempt, outcome, jitter)
                }
                None => RetryDecision::GiveUp,
            };
            match decision {
                RetryDecision::RetryAfter(delay) => {
                    tracing::debug!(operation = call.operation, attempt, ?delay, "retrying read");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                RetryDecision::GiveUp => break result,
            }
        };
        if let Some(observer) = &self.inner.observer {
            observer.on_call(&CallRecord {
                operation: call.operation,
                service: call.service,
                outcome: result.as_ref().map_or_else(Error::kind, |_| "ok"),
                attempts: attempt + 1,
                elapsed: started.elapsed(),
            });
        }
        result
    }

    /// One attempt; the outcome is `None` on success (nothing to retry).
    async fn attempt(&self, call: &RawCall<'_>) -> (Option<AttemptOutcome>, Result<RawResponse, Error>) {
        let base = self.inner.config.endpoints.for_service(call.service).trim_end_matches('/');
        let (scheme_host, prefix) = split_base(base);
        let host = scheme_host.split_once("://").map_or(scheme_host, |(_, h)| h);
        let path = format!("{prefix}{}", call.path);
        let mut headers = call.headers.clone();
        if let Some(ct) = call.content_type {
            headers.push(("Content-Type".into(), ct.into()));
        }
        headers.push(("User-Agent".into(), self.inner.config.user_agent.clone()));
        let (target, headers) = match &call.auth {
            Some(CallAuth::Sign { key, id_header }) => {
                if let Some((name, value)) = id_header {
                    headers.push(((*name).into(), (*value).into()));
                }
                if let Some(token) = &key.security_token {
                    headers.push(("X-Security-Token".into(), token.expose_secret().to_owned()));
                }
                let date = chrono::Utc::now().format(signer::DATE_FORMAT).to_string();
                let req = SigningRequest {
                    method: call.method.as_str(),
                    host,
                    path: &path,
                    query: &call.query,
                    headers: &headers,
                    body: &call.body,
                };
                let signed = signer::sign(&req, &key.ak, key.sk.expose_secret(), &date);
                (signed.request_target, signed.headers)
            }
            Some(CallAuth::Token(token)) => {
                headers.push(("X-Auth-Token".into(), (*token).to_owned()));
                let q = signer::canonical_query(call.query.iter().map(|(k, v)| (*k, v)));
                (if q.is_empty() { path } else { format!("{path}?{q}") }, headers)
            }
            None => {
                let q = signer::canonical_query(call.query.iter().map(|(k, v)| (*k, v)));
                (if q.is_empty() { path } else { format!("{path}?{q}") }, headers)
            }
        };
        let mut req = self.inner.http.request(call.method.clone(), format!("{scheme_host}{target}"));
        for (name, value) in &headers {
            req = req.header(name.as_str(), value.as_str());
        }
        if !call.body.is_empty() {
            req = req.body(call.body.clone());
        }
        let op = call.operation;
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return (Some(AttemptOutcome::Timeout), Err(Error::Timeout { operation: op })),
            Err(e) => return (Some(AttemptOutcome::Transport), Err(Error::Transport { operation: op, source: e })),
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let request_id = headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let retry_after = headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = match resp.bytes().await {
            Ok(b) => b,
            Err(e) if e.is_timeout() => return (Some(AttemptOutcome::Timeout), Err(Error::Timeout { operation: op })),
            Err(e) => return (Some(AttemptOutcome::Transport), Err(Error::Transport { operation: op, source: e })),
        };
        if (200..300).contains(&status) {
            (None, Ok(RawResponse { headers, body, status, request_id }))
        } else {
            let err = classify(op, status, request_id, retry_after, &body);
            (Some(AttemptOutcome::Status(status, retry_after)), Err(err))
        }
    }
}

/// Splits `scheme://host[:port]/prefix` into (`scheme://host[:port]`, `/prefix`).
fn split_base(base: &str) -> (&str, &str) {
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    match base[after_scheme..].find('/') {
        Some(i) => base.split_at(after_scheme + i),
        None => (base, ""),
    }
}

/// Decodes a success body; an empty body reads as JSON `null`, plain text as a JSON string.
pub(crate) fn decode<T: DeserializeOwned>(operation: &'static str, resp: &RawResponse) -> Result<T, Error> {
    let body: &[u8] = if resp.body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &resp.body };
    serde_json::from_slice::<T>(body).or_else(|err| {
        let text = serde_json::Value::String(String::from_utf8_lossy(body).into_owned());
        serde_json::from_value::<T>(text).map_err(|_| Error::Decode {
            operation,
            status: resp.status,
            request_id: resp.request_id.clone(),
            excerpt: excerpt(body),
            source: err,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_split_into_origin_and_prefix() {
        assert_eq!(split_base("http://127.0.0.1:8080"), ("http://127.0.0.1:8080", ""));
        assert_eq!(split_base("https://h/gw/v3"), ("https://h", "/gw/v3"));
    }
}
