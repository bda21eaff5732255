//! `GET /fleet/sims/export.csv`: every card matching the filter in the query, streamed as CSV while
//! GSL pages arrive (at the client's rate limit), with progress recorded for the page's progress bar.

use axum::body::Body;
use axum::extract::Query;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use console::fleet::{actions, export, sim_cards};
use console::{Db, ServiceError};
use futures::StreamExt;
use hwcloud::Client;
use model::inventory::SimFilter;
use tower_sessions::Session;

/// Rows between two progress records.
const PROGRESS_EVERY: u64 = 500;

/// The handler (the database and client come from the router's closure).
pub async fn sims_csv(db: Db, client: Client, session: Session, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let user = match console::identity::require_user(&session).await {
        Ok(u) => u,
        Err(ServiceError::SessionExpired | ServiceError::NotSignedIn) => {
            return (StatusCode::UNAUTHORIZED, "Please sign in to export SIM cards.").into_response();
        }
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "fleetdesk could not read your session.").into_response(),
    };
    let filter = match SimFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Ok(f) => f,
        Err(e) => return (StatusCode::BAD_REQUEST, e.sentence()).into_response(),
    };
    let export_id = pairs.iter().find(|(k, _)| k == "export").map(|(_, v)| v.clone());
    if let Some(id) = &export_id
        && let Err(e) = export::check_id(id)
    {
        let ServiceError::Invalid(invalid) = e else { return StatusCode::BAD_REQUEST.into_response() };
        return (StatusCode::BAD_REQUEST, invalid.sentence()).into_response();
    }
    let who = user.identity();
    let actor = actions::actor(&user);
    let expected = match sim_cards::count(&client, &who, &filter).await {
        Ok(n) => n,
        Err(e) => {
            let err = app::error::AppError::from(e);
            let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_GATEWAY);
            let id = err.request_id.map(|r| format!(" (request id {r})")).unwrap_or_default();
            return (status, format!("{}{id}", err.message)).into_response();
        }
    };
    if let Some(id) = &export_id
        && export::begin(&db, &actor, id, expected).await.is_err()
    {
        return (StatusCode::INTERNAL_SERVER_ERROR, "fleetdesk could not start the export.").into_response();
    }
    tracing::info!(account = %user.account, user = %user.user_name, expected, "exporting SIM cards");
    let body = async_stream::stream! {
        yield Ok::<_, std::convert::Infallible>(bytes::Bytes::from_static(export::HEADER.as_bytes()));
        let mut rows = std::pin::pin!(export::cards(&client, &who, &filter));
        let mut written = 0u64;
        let mut chunk = String::new();
        while let Some(card) = rows.next().await {
            match card {
                Ok(card) => {
                    chunk.push_str(&export::row(&card));
                    written += 1;
                    if written.is_multiple_of(PROGRESS_EVERY) {
                        yield Ok(bytes::Bytes::from(std::mem::take(&mut chunk)));
                        if let Some(id) = &export_id {
                            let _ = export::advance(&db, &actor, id, written, false).await;
                        }
                    }
                }
                Err(e) => {
                    let err = app::error::AppError::from(e);
                    chunk.push_str(&format!("# export stopped: {}\r\n", err.message));
                    break;
                }
            }
        }
        yield Ok(bytes::Bytes::from(chunk));
        if let Some(id) = &export_id {
            let _ = export::advance(&db, &actor, id, written, true).await;
        }
    };
    let filename = format!("sim-cards-{}.csv", chrono::Utc::now().format("%Y%m%d-%H%M%S"));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// Most audit entries one CSV holds.
const AUDIT_ROWS: u32 = 10_000;

/// `GET /fleet/audit.csv`: the account's audit entries matching the filter in the query.
pub async fn audit_csv(db: Db, session: Session, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let user = match console::identity::require_user(&session).await {
        Ok(u) => u,
        Err(_) => return (StatusCode::UNAUTHORIZED, "Please sign in to export the audit log.").into_response(),
    };
    let filter = match model::audit::AuditFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Ok(f) => f,
        Err(e) => return (StatusCode::BAD_REQUEST, e.sentence()).into_response(),
    };
    let entries = match console::audit::list(&db, &user.account, &filter, AUDIT_ROWS).await {
        Ok(e) => e,
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "fleetdesk could not read the audit log.").into_response(),
    };
    let mut csv = String::from("id,started_at,finished_at,account,iam_user,action,target,parameters,outcome,request_id,detail\r\n");
    for e in entries {
        let cols = [
            e.id.to_string(),
            e.started_at.to_rfc3339(),
            e.finished_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            export::field(&e.account),
            export::field(&e.iam_user),
            export::field(&e.action),
            export::field(&e.target),
            export::field(&e.parameters),
            e.outcome.slug().to_owned(),
            e.request_id.as_deref().map(export::field).unwrap_or_default(),
            e.detail.as_deref().map(export::field).unwrap_or_default(),
        ];
        csv.push_str(&cols.join(","));
        csv.push_str("\r\n");
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit-log.csv\"".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        csv,
    )
        .into_response()
}
