//! The client's error type, and parsing of Huawei's error bodies as the SDK parses them.

use std::time::Duration;

use serde_json::Value;

/// What an upstream service said about a failed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// HTTP status.
    pub status: u16,
    /// Huawei error code (`APIGW.0301`, `CBC.0101`, ...) or the status as a string.
    pub error_code: String,
    /// Huawei error message.
    pub error_msg: String,
    /// `X-Request-Id` response header, the id support asks for.
    pub request_id: Option<String>,
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {} {}: {}", self.status, self.error_code, self.error_msg)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// Every way an upstream call can fail.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request never got an HTTP answer (DNS, connect, TLS, reset).
    #[error("{operation}: could not reach the service: {source}")]
    Transport {
        /// Operation id.
        operation: &'static str,
        /// Underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// No answer within the configured timeout.
    #[error("{operation}: timed out")]
    Timeout {
        /// Operation id.
        operation: &'static str,
    },
    /// Huawei refused the call because of flow control (HTTP 429).
    #[error("{operation}: rate limited{}", retry_after.map(|d| format!(", retry after {d:?}")).unwrap_or_default())]
    RateLimited {
        /// Operation id.
        operation: &'static str,
        /// `Retry-After`, when the gateway sent one.
        retry_after: Option<Duration>,
        /// The error as answered.
        error: ServiceError,
    },
    /// Credentials were rejected (HTTP 401: wrong signature, unknown AK, invalid token).
    #[error("{operation}: unauthorized: {error}")]
    Unauthorized {
        /// Operation id.
        operation: &'static str,
        /// The error as answered.
        error: ServiceError,
    },
    /// The IAM token has expired; sign in again.
    #[error("{operation}: token expired: {error}")]
    TokenExpired {
        /// Operation id.
        operation: &'static str,
        /// The error as answered.
        error: ServiceError,
    },
    /// The identity lacks the permission for this operation (HTTP 403).
    #[error("{operation}: forbidden: {error}")]
    Forbidden {
        /// Operation id.
        operation: &'static str,
        /// The error as answered.
        error: ServiceError,
    },
    /// Any other error answer from the service.
    #[error("{operation}: {error}")]
    Service {
        /// Operation id.
        operation: &'static str,
        /// The error as answered.
        error: ServiceError,
    },
    /// A success answer whose body did not match the model.
    #[error("{operation}: could not decode the response (HTTP {status}): {source}; body starts {excerpt:?}")]
    Decode {
        /// Operation id.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// `X-Request-Id`, if any.
        request_id: Option<String>,
        /// The first bytes of the body.
        excerpt: String,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// The credentials cannot be used for this service (e.g. no project-scoped token for GSL).
    #[error("{operation}: {reason}")]
    Credentials {
        /// Operation id.
        operation: &'static str,
        /// What is missing.
        reason: &'static str,
    },
}

impl Error {
    /// The upstream request id, when the service answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::RateLimited { error, .. }
            | Error::Unauthorized { error, .. }
            | Error::TokenExpired { error, .. }
            | Error::Forbidden { error, .. }
            | Error::Service { error, .. } => error.request_id.as_deref(),
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The service's error details, when it answered with an error.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::RateLimited { error, .. }
            | Error::Unauthorized { error, .. }
            | Error::TokenExpired { error, .. }
            | Error::Forbidden { error, .. }
            | Error::Service { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The Huawei error code, when the service answered with an error.
    pub fn error_code(&self) -> Option<&str> {
        self.service_error().map(|e| e.error_code.as_str())
    }

    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::Transport { operation, .. }
            | Error::Timeout { operation }
            | Error::RateLimited { operation, .. }
            | Error::Unauthorized { operation, .. }
            | Error::TokenExpired { operation, .. }
            | Error::Forbidden { operation, .. }
            | Error::Service { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Credentials { operation, .. } => operation,
        }
    }

    /// Whether a write that failed this way may still have been carried out upstream, so its
    /// outcome is unknown: the request may have arrived (a timeout, a cut connection, a 5xx) or did
    /// arrive (a success body that could not be read). Refusals (4xx, 429 at the gateway) and
    /// failures before sending are known not to have happened.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Error::Transport { source, .. } => !(source.is_connect() || source.is_builder()),
            Error::Timeout { .. } | Error::Decode { .. } => true,
            Error::Service { error, .. } => error.status >= 500,
            _ => false,
        }
    }

    /// A short outcome label for metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Transport { .. } => "transport",
            Error::Timeout { .. } => "timeout",
            Error::RateLimited { .. } => "rate_limited",
            Error::Unauthorized { .. } => "unauthorized",
            Error::TokenExpired { .. } => "token_expired",
            Error::Forbidden { .. } => "forbidden",
            Error::Service { .. } => "service",
            Error::Decode { .. } => "decode",
            Error::Credentials { .. } => "credentials",
        }
    }
}

/// Error codes the API gateway and IAM use for an expired token.
const TOKEN_EXPIRED_CODES: &[&str] = &["APIGW.0307", "APIG.0307"];

/// Classifies an error answer into an [`Error`].
pub fn classify(
    operation: &'static str,
    status: u16,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Error {
    let (error_code, error_msg) = parse_error_body(status, body);
    let error = ServiceError { status, error_code, error_msg, request_id };
    let expired = TOKEN_EXPIRED_CODES.contains(&error.error_code.as_str())
        || error.error_msg.to_ascii_lowercase().contains("token is expired")
        || error.error_msg.to_ascii_lowercase().contains("token expired");
    match status {
        429 => Error::RateLimited { operation, retry_after, error },
        401 if expired => Error::TokenExpired { operation, error },
        401 => Error::Unauthorized { operation, error },
        403 => Error::Forbidden { operation, error },
        _ => Error::Service { operation, error },
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

const KEY_PAIRS: [(&str, &str); 3] = [("error_code", "error_msg"), ("errorCode", "errorMsg"), ("code", "message")];

fn find_pair(obj: &serde_json::Map<String, Value>) -> Option<(String, String)> {
    for (code, msg) in KEY_PAIRS {
        if let (Some(c), Some(m)) = (obj.get(code), obj.get(msg)) {
            return Some((value_text(c), value_text(m)));
        }
    }
    obj.values().filter_map(Value::as_object).find_map(find_pair)
}

/// Extracts `(error_code, error_msg)` from an error body the way the SDK does.
///
/// The first pair with both keys present wins (`error_code`/`error_msg`, `errorCode`/`errorMsg`,
/// `code`/`message`), then nested objects are searched; otherwise the status and the raw body.
pub fn parse_error_body(status: u16, body: &[u8]) -> (String, String) {
    serde_json::from_slice::<Value>(body)
        .ok()
        .as_ref()
        .and_then(Value::as_object)
        .and_then(find_pair)
        .unwrap_or_else(|| (status.to_string(), String::from_utf8_lossy(body).into_owned()))
}

/// The first characters of a body, for decode errors.
pub fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(status: u16) -> Error {
        let error = ServiceError { status, error_code: "X".into(), error_msg: "m".into(), request_id: None };
        Error::Service { operation: "renewal_resources", error }
    }

    #[test]
    fn a_write_outcome_is_unknown_only_when_it_may_have_arrived() {
        assert!(Error::Timeout { operation: "pay_orders" }.outcome_unknown());
        assert!(service(500).outcome_unknown() && service(503).outcome_unknown());
        assert!(!service(400).outcome_unknown() && !service(404).outcome_unknown());
        let refused = ServiceError { status: 429, error_code: "APIGW.0308".into(), error_msg: "m".into(), request_id: None };
        assert!(!Error::RateLimited { operation: "pay_orders", retry_after: None, error: refused }.outcome_unknown());
        assert!(!Error::Credentials { operation: "pay_orders", reason: "r" }.outcome_unknown());
    }

    #[test]
    fn snake_case_pair_wins_first() {
        let body = br#"{"error_code":"GSL.1001","error_msg":"bad","code":"x","message":"y"}"#;
        assert_eq!(parse_error_body(400, body), ("GSL.1001".into(), "bad".into()));
    }

    #[test]
    fn camel_case_and_code_message_pairs() {
        assert_eq!(parse_error_body(400, br#"{"errorCode":"CBC.0100","errorMsg":"m"}"#), ("CBC.0100".into(), "m".into()));
        assert_eq!(parse_error_body(500, br#"{"code":500,"message":"boom"}"#), ("500".into(), "boom".into()));
    }

    #[test]
    fn a_pair_needs_both_keys() {
        // error_code alone does not count; the code/message pair does.
        let body = br#"{"error_code":"only","code":"C","message":"M"}"#;
        assert_eq!(parse_error_body(400, body), ("C".into(), "M".into()));
    }

    #[test]
    fn nested_error_object_is_found() {
        let body = br#"{"error":{"code":"IAM.0001","message":"The request you have made requires authentication."}}"#;
        assert_eq!(parse_error_body(401, body).0, "IAM.0001");
    }

    #[test]
    fn gateway_shape_is_parsed_and_its_body_request_id_ignored() {
        let body = br#"{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIGW.0301","request_id":"body-id"}"#;
        let err = classify("list_sim_cards", 401, Some("hdr-id".into()), None, body);
        assert!(matches!(err, Error::Unauthorized { .. }));
        assert_eq!(err.error_code(), Some("APIGW.0301"));
        assert_eq!(err.request_id(), Some("hdr-id"));
    }

    #[test]
    fn unparseable_body_falls_back_to_status_and_text() {
        assert_eq!(parse_error_body(502, b"Bad Gateway"), ("502".into(), "Bad Gateway".into()));
    }

    #[test]
    fn classification_by_status_and_code() {
        let expired = classify("x", 401, None, None, br#"{"error_code":"APIGW.0307","error_msg":"The token must be updated."}"#);
        assert!(matches!(expired, Error::TokenExpired { .. }));
        let limited = classify("x", 429, None, Some(Duration::from_secs(1)), b"");
        assert!(matches!(limited, Error::RateLimited { retry_after: Some(_), .. }));
        assert!(matches!(classify("x", 403, None, None, b"{}"), Error::Forbidden { .. }));
        assert!(matches!(classify("x", 400, None, None, b"{}"), Error::Service { .. }));
    }
}
