//! `/__sandbox/*`: the test harness's own door (settings, counters), guarded by a secret header.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::{AppState, Counters, Settings, lock, read, write};

/// Header carrying the control secret.
pub const CONTROL_HEADER: &str = "x-sandbox-control";

/// Control routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/__sandbox/settings",
            get(show_settings).post(change_settings),
        )
        .route("/__sandbox/counters", get(show_counters))
        .route("/__sandbox/counters/reset", post(reset_counters))
}

fn authorized(state: &AppState, headers: &HeaderMap) -> bool {
    let given = headers.get(CONTROL_HEADER).and_then(|v| v.to_str().ok());
    matches!((&state.control_token, given), (Some(t), Some(g)) if hwcloud::signer::signatures_match(t, g))
}

fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        "control endpoint: missing or wrong x-sandbox-control",
    )
        .into_response()
}

/// Partial settings change; absent fields keep their value.
#[derive(Debug, Default, Deserialize)]
pub struct SettingsPatch {
    /// Requests per second per (account, operation).
    pub rate_limit: Option<u32>,
    /// Token lifetime in seconds.
    pub token_ttl_secs: Option<u64>,
    /// Added latency in milliseconds.
    pub latency_ms: Option<u64>,
    /// Percentage of 500 answers.
    pub fail_percent: Option<u8>,
    /// Percentage of 429 answers.
    pub throttle_percent: Option<u8>,
}

async fn show_settings(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        return forbidden();
    }
    Json(*read(&state.settings)).into_response()
}

async fn change_settings(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(p): Json<SettingsPatch>,
) -> Response {
    if !authorized(&state, &headers) {
        return forbidden();
    }
    let mut s = write(&state.settings);
    let Settings {
        rate_limit,
        token_ttl_secs,
        latency_ms,
        fail_percent,
        throttle_percent,
    } = *s;
    *s = Settings {
        rate_limit: p.rate_limit.unwrap_or(rate_limit),
        token_ttl_secs: p.token_ttl_secs.unwrap_or(token_ttl_secs),
        latency_ms: p.latency_ms.unwrap_or(latency_ms),
        fail_percent: p.fail_percent.unwrap_or(fail_percent).min(100),
        throttle_percent: p.throttle_percent.unwrap_or(throttle_percent).min(100),
    };
    if p.rate_limit.is_some() {
        lock(&state.buckets).clear();
    }
    Json(*s).into_response()
}

async fn show_counters(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        return forbidden();
    }
    Json(lock(&state.counters).clone()).into_response()
}

async fn reset_counters(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        return forbidden();
    }
    *lock(&state.counters) = Counters::default();
    StatusCode::NO_CONTENT.into_response()
}
