//! Portal launch over HTTP: `POST /embed/launch` (server to server: the portal's backend sends a
//! signed launch token and gets a one-time launch URL) and `GET /embed/enter?code=` (opened in the
//! portal's iframe: starts the session and opens the landing page).

use std::sync::Arc;

use axum::Json;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use console::Db;
use console::crypto::SessionCipher;
use console::embed::{self, LaunchError};
use hwcloud::Client;
use secrecy::SecretString;
use serde::Deserialize;
use tower_sessions::Session;

/// What the launch endpoints need, wired once at start-up.
#[derive(Debug, Clone)]
pub struct Launcher {
    /// The database.
    pub db: Db,
    /// The Huawei client (signs the portal user in).
    pub client: Client,
    /// Seals pending launches.
    pub cipher: SessionCipher,
    /// The secret shared with portals.
    pub secret: Arc<SecretString>,
    /// The audience tokens must name.
    pub audience: Arc<str>,
    /// The console's public URL, if configured (else the request's host).
    pub public_url: Option<Arc<str>>,
}

/// The launch request's body (the token may come as `Authorization: Bearer` instead).
#[derive(Debug, Deserialize, Default)]
pub struct LaunchBody {
    /// The signed launch token.
    #[serde(default)]
    pub token: Option<String>,
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(|t| t.trim().to_owned())
}

/// `POST /embed/launch`: a launch token in, a one-time launch URL out.
pub async fn launch(launcher: Launcher, headers: HeaderMap, body: Option<Json<LaunchBody>>) -> Response {
    let Some(token) = bearer(&headers).or_else(|| body.and_then(|Json(b)| b.token)) else {
        return (StatusCode::BAD_REQUEST, Json(serde_json::json!({ "error": "no launch token" }))).into_response();
    };
    let l = &launcher;
    match embed::launch(&l.db, &l.client, &l.cipher, &token, &l.secret, &l.audience).await {
        Ok(code) => {
            let base = l.public_url.as_deref().map(str::to_owned).unwrap_or_else(|| {
                let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
                format!("http://{host}")
            });
            let url = format!("{}/embed/enter?code={}", base.trim_end_matches('/'), code.code);
            (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], Json(serde_json::json!({ "url": url, "expires_at": code.expires_at }))).into_response()
        }
        Err(LaunchError::Refused(reason)) => {
            tracing::warn!(%reason, "portal launch refused");
            (StatusCode::UNAUTHORIZED, Json(serde_json::json!({ "error": "launch refused", "reason": reason.to_string() }))).into_response()
        }
        Err(LaunchError::Service(e)) => {
            let err = app::error::AppError::from(e);
            tracing::warn!(message = %err.message, "portal launch failed");
            let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_GATEWAY);
            (status, Json(serde_json::json!({ "error": "launch failed", "reason": err.message }))).into_response()
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, Json(serde_json::json!({ "error": "launch failed" }))).into_response(),
    }
}

const OUTSIDE_A_FRAME: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>fleetdesk</title>\
     <p data-testid=\"launch-outside-frame\">This launch link opens fleetdesk inside your portal only. Open fleetdesk from your portal.</p>\
     <p lang=\"zh-CN\">此启动链接只能在门户内打开，请从门户打开 fleetdesk。</p></html>";

/// The launch URL's query.
#[derive(Debug, Deserialize)]
pub struct Enter {
    /// The one-time code.
    #[serde(default)]
    pub code: String,
}

/// `GET /embed/enter?code=`: starts the launched session and opens its landing page, in a frame
/// only: a launch link sent to someone to open in a tab must not sign them in as another person.
pub async fn enter(db: Db, cipher: SessionCipher, session: Session, headers: HeaderMap, Query(q): Query<Enter>) -> Response {
    // Browsers say where a response will be shown; clients that do not say are let through.
    if headers.get("sec-fetch-dest").and_then(|v| v.to_str().ok()).is_some_and(|d| d != "iframe") {
        tracing::warn!("launch URL opened outside a frame: refused");
        return (StatusCode::FORBIDDEN, [(header::CACHE_CONTROL, "no-store")], Html(OUTSIDE_A_FRAME)).into_response();
    }
    match embed::enter(&db, &cipher, &q.code).await {
        Ok(Some(launch)) => match embed::start(&session, &launch).await {
            Ok(()) => {
                tracing::info!(account = %launch.user.account, user = %launch.user.user_name, read_only = launch.embedded.read_only, "portal launch");
                Redirect::to(&launch.landing).into_response()
            }
            Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "fleetdesk could not start the session.").into_response(),
        },
        Ok(None) => {
            tracing::warn!("launch URL refused: unknown, used or expired");
            (
                StatusCode::GONE,
                [(header::CACHE_CONTROL, "no-store")],
                Html(
                    "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>fleetdesk</title>\
                     <p data-testid=\"launch-gone\">This launch link has expired or was already used. Open fleetdesk again from your portal.</p>\
                     <p lang=\"zh-CN\">此启动链接已过期或已被使用，请从门户重新打开 fleetdesk。</p></html>",
                ),
            )
                .into_response()
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "fleetdesk could not read the launch.").into_response(),
    }
}
