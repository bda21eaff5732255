//! Security headers on every response (who may frame fleetdesk among them), the session cookie's
//! partitioning when embedded, and refusal of state-changing requests from other origins.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Who may frame fleetdesk, decided once from configuration.
#[derive(Debug, Clone)]
pub struct FramePolicy {
    /// `frame-ancestors` sources: the allowed portal origins, or `'none'`.
    pub ancestors: String,
    /// Whether any portal may frame it (the session cookie is then partitioned).
    pub embedding: bool,
}

/// Adds the security headers. Pages set their own policy with the request's script nonce
/// (`app::security`); every other response gets the same policy without one. Either way its
/// `frame-ancestors` names exactly the configured portals.
pub async fn headers(State(frames): State<Arc<FramePolicy>>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let policy = h
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| app::security::content_security_policy(None), str::to_owned);
    let framed = policy.replace("frame-ancestors 'none'", &format!("frame-ancestors {}", frames.ancestors));
    // A policy that cannot be a header (configuration is checked at start-up) falls back to no framing.
    let (value, embedding) = match HeaderValue::from_str(&framed) {
        Ok(v) => (v, frames.embedding),
        Err(_) => (HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("frame-ancestors 'none'")), false),
    };
    h.insert(header::CONTENT_SECURITY_POLICY, value);
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if embedding {
        // X-Frame-Options cannot name several origins; frame-ancestors (which browsers prefer) does.
        partition_session_cookie(h);
    } else {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    resp
}

/// Marks the session cookie `Partitioned` (CHIPS): inside a portal's frame it is then kept per
/// portal site, and browsers that block third-party cookies still keep it.
fn partition_session_cookie(h: &mut HeaderMap) {
    let cookies: Vec<HeaderValue> = h.get_all(header::SET_COOKIE).iter().cloned().collect();
    if cookies.is_empty() {
        return;
    }
    h.remove(header::SET_COOKIE);
    for c in cookies {
        let text = c.to_str().unwrap_or_default();
        let ours = text.starts_with(&format!("{}=", crate::startup::SESSION_COOKIE));
        let value = if ours && !text.contains("Partitioned") { HeaderValue::from_str(&format!("{text}; Partitioned")).unwrap_or(c) } else { c };
        h.append(header::SET_COOKIE, value);
    }
}

/// Whether a request that changes state comes from our own origin (or from a non-browser client).
pub fn same_origin(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin_host = origin.to_str().ok().and_then(|o| o.split_once("://")).map(|(_, h)| h);
        return origin_host.is_some() && origin_host == host;
    }
    // Browsers send Origin on every cross-origin POST; Sec-Fetch-Site covers older same-origin paths.
    headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).is_none_or(|s| s != "cross-site")
}

/// Refuses state-changing requests from another origin with 403.
pub async fn origin_check(req: Request, next: Next) -> Response {
    if same_origin(req.method(), req.headers()) {
        next.run(req).await
    } else {
        tracing::warn!(method = %req.method(), path = req.uri().path(), "cross-origin request refused");
        (StatusCode::FORBIDDEN, "Cross-origin requests are not allowed.").into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(*k, HeaderValue::from_static(v));
        }
        m
    }

    #[test]
    fn only_cross_origin_writes_are_refused() {
        let host = ("host", "127.0.0.1:3000");
        assert!(same_origin(&Method::POST, &h(&[host, ("origin", "http://127.0.0.1:3000")])));
        assert!(!same_origin(&Method::POST, &h(&[host, ("origin", "http://evil.example")])));
        assert!(!same_origin(&Method::POST, &h(&[host, ("origin", "null")])));
        assert!(!same_origin(&Method::POST, &h(&[host, ("sec-fetch-site", "cross-site")])));
        assert!(same_origin(&Method::POST, &h(&[host])));
        assert!(same_origin(&Method::GET, &h(&[host, ("origin", "http://evil.example")])));
    }
}
