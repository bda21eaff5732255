//! Errors in Huawei's shape: `{"error_code": ..., "error_msg": ...}` with a fitting status.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Huawei error code.
    pub code: &'static str,
    /// Message.
    pub msg: String,
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// Any error.
    pub fn new(status: StatusCode, code: &'static str, msg: impl Into<String>) -> Self {
        Self {
            status,
            code,
            msg: msg.into(),
        }
    }

    /// 400 for a malformed or out-of-range parameter.
    pub fn invalid(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "GSL.10000001", msg)
    }

    /// 400 for a card that does not exist.
    pub fn no_such_sim() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "GSL.10010002",
            "The SIM card does not exist.",
        )
    }

    /// 400 for an action the card's state does not allow.
    pub fn wrong_state(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "GSL.10010001", msg)
    }

    /// 404 for a missing object other than a card.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "GSL.10000404",
            format!("The {what} does not exist."),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"error_code": self.code, "error_msg": self.msg})),
        )
            .into_response()
    }
}

/// An error raised by the API gateway itself, which also puts the request id in the body.
pub fn gateway_error(
    status: StatusCode,
    code: &'static str,
    msg: &str,
    request_id: &str,
) -> Response {
    (
        status,
        Json(json!({"error_code": code, "error_msg": msg, "request_id": request_id})),
    )
        .into_response()
}
