//! Security headers on every response, and refusal of state-changing requests from other origins.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Adds the security headers. Pages set their own policy with the request's script nonce
/// (`app::security`); every other response gets the same policy without one.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = app::security::content_security_policy(None);
        if let Ok(v) = HeaderValue::from_str(&policy) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    resp
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
