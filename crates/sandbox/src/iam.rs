//! IAM: password tokens (domain or project scope), token validation, projects and domains.

use std::sync::Arc;

use axum::extract::{Extension, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Duration, SecondsFormat, Utc};
use hwcloud::operation::OperationInfo;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::gateway::Caller;
use crate::params::{JsonBody, Params};
use crate::{AppState, Scope, TokenRecord, lock, read};

/// Operation id of the password token request (the one call that needs no prior auth).
pub const CREATE_TOKEN: &str = "keystone_create_user_token_by_password";

/// The IAM operations the sandbox serves.
pub const OPERATIONS: &[OperationInfo] = &[
    OperationInfo {
        id: CREATE_TOKEN,
        method: "POST",
        path: "/v3/auth/tokens",
        is_read: false,
    },
    OperationInfo {
        id: "keystone_validate_token",
        method: "GET",
        path: "/v3/auth/tokens",
        is_read: true,
    },
    OperationInfo {
        id: "keystone_list_projects",
        method: "GET",
        path: "/v3/projects",
        is_read: true,
    },
    OperationInfo {
        id: "keystone_list_auth_domains",
        method: "GET",
        path: "/v3/auth/domains",
        is_read: true,
    },
];

/// The only project region.
const REGION: &str = "cn-north-4";

/// IAM routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v3/auth/tokens", post(create_token).get(validate_token))
        .route("/v3/projects", get(list_projects))
        .route("/v3/auth/domains", get(list_domains))
}

fn keystone_error(status: StatusCode, message: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    (
        status,
        Json(json!({"error": {"code": status.as_u16(), "message": message, "title": title}})),
    )
        .into_response()
}

#[derive(Debug, Deserialize, Default)]
struct NameOrId {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    id: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
struct ScopeReq {
    #[serde(default)]
    domain: Option<NameOrId>,
    #[serde(default)]
    project: Option<NameOrId>,
}

#[derive(Debug, Deserialize)]
struct TokenReq {
    auth: AuthReq,
}

#[derive(Debug, Deserialize)]
struct AuthReq {
    identity: IdentityReq,
    #[serde(default)]
    scope: Option<ScopeReq>,
}

#[derive(Debug, Deserialize)]
struct IdentityReq {
    #[serde(default)]
    methods: Vec<String>,
    password: Option<PasswordReq>,
}

#[derive(Debug, Deserialize)]
struct PasswordReq {
    user: UserReq,
}

#[derive(Debug, Deserialize)]
struct UserReq {
    #[serde(default)]
    domain: Option<NameOrId>,
    name: String,
    password: String,
}

fn token_body(state: &AppState, record: &TokenRecord) -> Value {
    let account = &state.account;
    let user = &account.users[record.user];
    let fmt = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
    let roles: Vec<Value> = user
        .rights
        .iter()
        .map(|r| {
            let name = serde_json::to_value(r)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            json!({"id": name.replace(':', "_"), "name": name})
        })
        .collect();
    let mut token = json!({
        "expires_at": fmt(record.expires_at),
        "issued_at": fmt(record.issued_at),
        "methods": ["password"],
        "catalog": [],
        "roles": roles,
        "user": {
            "domain": {"id": account.domain_id, "name": account.account_name},
            "id": user.id,
            "name": user.name,
            "password_expires_at": ""
        }
    });
    match record.scope {
        Scope::Domain => {
            token["domain"] = json!({"id": account.domain_id, "name": account.account_name})
        }
        Scope::Project => {
            token["project"] = json!({"id": account.project_id, "name": REGION,
                "domain": {"id": account.domain_id, "name": account.account_name}});
        }
    }
    json!({ "token": token })
}

fn with_subject_token(status: StatusCode, token: &str, body: Value) -> Response {
    let mut resp = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(token) {
        resp.headers_mut().insert("x-subject-token", v);
    }
    resp
}

async fn create_token(
    State(state): State<Arc<AppState>>,
    _: Params,
    JsonBody(req): JsonBody<TokenReq>,
) -> Response {
    let account = &state.account;
    let Some(pw) = req
        .auth
        .identity
        .password
        .filter(|_| req.auth.identity.methods.iter().any(|m| m == "password"))
    else {
        return keystone_error(
            StatusCode::BAD_REQUEST,
            "The request body must use the password method.",
        );
    };
    let domain_ok = pw.user.domain.as_ref().is_some_and(|d| {
        d.name.as_deref() == Some(account.account_name.as_str())
            || d.id.as_deref() == Some(account.domain_id.as_str())
    });
    let user = account
        .by_name(&pw.user.name)
        .filter(|u| domain_ok && account.users[*u].password == pw.user.password);
    let Some(user) = user else {
        return keystone_error(
            StatusCode::UNAUTHORIZED,
            "The username or password is wrong.",
        );
    };
    let scope = req.auth.scope.unwrap_or_default();
    let scope = match (scope.domain, scope.project) {
        (Some(d), None) => {
            let ok = d.name.as_deref() == Some(account.account_name.as_str())
                || d.id.as_deref() == Some(account.domain_id.as_str());
            if !ok {
                return keystone_error(
                    StatusCode::UNAUTHORIZED,
                    "The request you have made requires authentication.",
                );
            }
            Scope::Domain
        }
        (None, Some(p)) => {
            let ok = p.name.as_deref() == Some(REGION)
                || p.id.as_deref() == Some(account.project_id.as_str());
            if !ok {
                return keystone_error(
                    StatusCode::BAD_REQUEST,
                    "No project found for the given scope.",
                );
            }
            Scope::Project
        }
        _ => {
            return keystone_error(
                StatusCode::BAD_REQUEST,
                "Give exactly one of domain or project as the scope.",
            );
        }
    };
    let ttl = read(&state.settings).token_ttl_secs;
    let now = Utc::now();
    let record = TokenRecord {
        user,
        scope,
        issued_at: now,
        expires_at: now + Duration::seconds(i64::try_from(ttl).unwrap_or(i64::MAX / 2)),
    };
    let token = format!(
        "MIIS{}{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let body = token_body(&state, &record);
    lock(&state.tokens).insert(token.clone(), record);
    with_subject_token(StatusCode::CREATED, &token, body)
}

async fn validate_token(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let subject = headers
        .get("x-subject-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let record = lock(&state.tokens).get(subject).cloned();
    match record {
        Some(r) if r.expires_at > Utc::now() => {
            with_subject_token(StatusCode::OK, subject, token_body(&state, &r))
        }
        _ => keystone_error(StatusCode::NOT_FOUND, "Could not find token."),
    }
}

async fn list_projects(
    State(state): State<Arc<AppState>>,
    Extension(_): Extension<Caller>,
    q: Params,
) -> Json<Value> {
    let account = &state.account;
    let projects: Vec<Value> = [REGION]
        .iter()
        .filter(|name| q.str("name").is_none_or(|n| n == **name))
        .map(|name| {
            json!({"id": account.project_id, "name": name, "domain_id": account.domain_id, "enabled": true,
                   "is_domain": false, "parent_id": account.domain_id, "description": ""})
        })
        .collect();
    Json(
        json!({"projects": projects, "links": {"self": "/v3/projects", "next": null, "previous": null}}),
    )
}

async fn list_domains(State(state): State<Arc<AppState>>) -> Json<Value> {
    let a = &state.account;
    Json(
        json!({"domains": [{"id": a.domain_id, "name": a.account_name, "enabled": true, "description": ""}],
                "links": {"self": "/v3/auth/domains"}}),
    )
}
