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

/// The signed-in user of a CSV request, or the answer explaining why there is none.
async fn csv_user(session: &Session, what: &str) -> Result<console::UserSession, Response> {
    match console::identity::require_user(session).await {
        Ok(u) => Ok(u),
        Err(ServiceError::SessionExpired | ServiceError::NotSignedIn) => Err((StatusCode::UNAUTHORIZED, format!("Please sign in to export {what}.")).into_response()),
        Err(_) => Err((StatusCode::INTERNAL_SERVER_ERROR, "fleetdesk could not read your session.").into_response()),
    }
}

/// A service error as a plain-text answer with its status.
fn error_response(e: ServiceError) -> Response {
    let err = app::error::AppError::from(e);
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_GATEWAY);
    let id = err.request_id.map(|r| format!(" (request id {r})")).unwrap_or_default();
    (status, format!("{}{id}", err.message)).into_response()
}

fn csv_headers(filename: &str) -> [(header::HeaderName, String); 3] {
    [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ]
}

/// `GET /finance/statement.csv?cycle=YYYY-MM`: a bill cycle's statement.
pub async fn statement_csv(client: Client, session: Session, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let user = match csv_user(&session, "a statement").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let cycle = pairs.iter().find(|(k, _)| k == "cycle").map(|(_, v)| v.clone()).unwrap_or_default();
    match console::finance::bills::statement(&client, &user, &cycle).await {
        Ok(s) => (csv_headers(&format!("statement-{cycle}.csv")), console::finance::csv::statement(&s)).into_response(),
        Err(e) => error_response(e),
    }
}

/// `GET /finance/fees.csv?cycle=&service=&charge_mode=&bill_type=&region=&export=`: every fee
/// record matching the filters, streamed as BSS pages arrive, with progress for the page's bar.
pub async fn fees_csv(db: Db, client: Client, session: Session, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let user = match csv_user(&session, "fee records").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let one = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    let number = |k: &str| one(k).map(|v| v.parse::<i64>().map_err(|_| model::Invalid::new("filter", format!("{k} must be a number.")))).transpose();
    let query = match (number("charge_mode"), number("bill_type")) {
        (Ok(charge_mode), Ok(bill_type)) => model::finance::FeeQuery {
            cycle: one("cycle").unwrap_or_default(),
            service: one("service"),
            region: one("region"),
            charge_mode,
            bill_type,
            page: 0,
        },
        (Err(e), _) | (_, Err(e)) => return (StatusCode::BAD_REQUEST, e.sentence()).into_response(),
    };
    if let Err(e) = query.validate() {
        return (StatusCode::BAD_REQUEST, e.sentence()).into_response();
    }
    if let Err(e) = console::finance::require_read(&user) {
        return error_response(e);
    }
    let export_id = one("export");
    if let Some(id) = &export_id
        && export::check_id(id).is_err()
    {
        return (StatusCode::BAD_REQUEST, "That is not an export id.").into_response();
    }
    let who = user.identity();
    let actor = actions::actor(&user);
    let expected = match console::finance::bills::fee_count(&client, &who, &query).await {
        Ok(n) => n,
        Err(e) => return error_response(e),
    };
    if let Some(id) = &export_id
        && export::begin(&db, &actor, id, expected).await.is_err()
    {
        return (StatusCode::INTERNAL_SERVER_ERROR, "fleetdesk could not start the export.").into_response();
    }
    let filename = format!("fee-records-{}.csv", query.cycle);
    let body = async_stream::stream! {
        yield Ok::<_, std::convert::Infallible>(bytes::Bytes::from_static(console::finance::csv::FEE_HEADER.as_bytes()));
        let mut rows = std::pin::pin!(console::finance::bills::fee_records(&client, &who, &query));
        let mut written = 0u64;
        let mut chunk = String::new();
        while let Some(row) = rows.next().await {
            match row {
                Ok(r) => {
                    chunk.push_str(&console::finance::csv::fee_row(&r));
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
    (csv_headers(&filename), Body::from_stream(body)).into_response()
}
