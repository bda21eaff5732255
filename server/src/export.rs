//! CSV downloads of the fleet console (SIM cards, the audit log) and the streaming they share with
//! the finance ones: rows go out as upstream pages arrive (at the client's rate limit), with
//! progress recorded for the page's progress bar.

use axum::body::Body;
use axum::extract::Query;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use console::fleet::{actions, export, sim_cards};
use console::audit::Actor;
use console::{Db, ServiceError};
use futures::StreamExt;
use hwcloud::Client;
use model::inventory::SimFilter;
use tower_sessions::Session;

/// Rows between two progress records.
const PROGRESS_EVERY: u64 = 500;

/// `GET /fleet/sims/export.csv`: every card matching the filter (the database and client come
/// from the router's closure).
pub async fn sims_csv(db: Db, client: Client, session: Session, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let user = match csv_user(&session, "SIM cards").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let filter = match SimFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Ok(f) => f,
        Err(e) => return (StatusCode::BAD_REQUEST, e.sentence()).into_response(),
    };
    let progress = match Progress::of(db, &user, &pairs) {
        Ok(p) => p,
        Err(r) => return r.into_response(),
    };
    let who = user.identity();
    let expected = match sim_cards::count(&client, &who, &filter).await {
        Ok(n) => n,
        Err(e) => return error_response(e),
    };
    if let Err(r) = progress.begin(expected).await {
        return r;
    }
    tracing::info!(account = %user.account, user = %user.user_name, expected, "exporting SIM cards");
    let lines = async_stream::stream! {
        let mut rows = std::pin::pin!(export::cards(&client, &who, &filter));
        while let Some(card) = rows.next().await {
            yield card.map(|c| export::row(&c));
        }
    };
    let filename = format!("sim-cards-{}.csv", chrono::Utc::now().format("%Y%m%d-%H%M%S"));
    streamed(&filename, export::HEADER, lines, progress)
}

/// Where an export's progress is recorded, when the page asked for it (`export=<id>`).
pub(crate) struct Progress {
    db: Db,
    actor: Actor,
    id: Option<String>,
}

impl Progress {
    /// The export id in the query, checked.
    pub(crate) fn of(db: Db, user: &console::UserSession, pairs: &[(String, String)]) -> Result<Self, (StatusCode, &'static str)> {
        let id = pairs.iter().find(|(k, _)| k == "export").map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
        if let Some(id) = &id
            && export::check_id(id).is_err()
        {
            return Err((StatusCode::BAD_REQUEST, "That is not an export id."));
        }
        Ok(Self { db, actor: actions::actor(user), id })
    }

    /// Records that `expected` rows are coming.
    pub(crate) async fn begin(&self, expected: u64) -> Result<(), Response> {
        match &self.id {
            Some(id) if export::begin(&self.db, &self.actor, id, expected).await.is_err() => {
                Err((StatusCode::INTERNAL_SERVER_ERROR, "fleetdesk could not start the export.").into_response())
            }
            _ => Ok(()),
        }
    }

    async fn advance(&self, written: u64, finished: bool) {
        if let Some(id) = &self.id {
            // Progress is a courtesy to the page: the download goes on without it.
            let _ = export::advance(&self.db, &self.actor, id, written, finished).await;
        }
    }
}

/// A CSV download: `header`, then `lines` as they arrive, in chunks, with progress recorded; an
/// upstream failure midway ends the file with a line saying why.
pub(crate) fn streamed<S>(filename: &str, header: &'static str, lines: S, progress: Progress) -> Response
where
    S: futures::Stream<Item = Result<String, ServiceError>> + Send + 'static,
{
    let body = async_stream::stream! {
        yield Ok::<_, std::convert::Infallible>(bytes::Bytes::from_static(header.as_bytes()));
        let mut lines = std::pin::pin!(lines);
        let mut written = 0u64;
        let mut chunk = String::new();
        while let Some(line) = lines.next().await {
            match line {
                Ok(line) => {
                    chunk.push_str(&line);
                    written += 1;
                    if written.is_multiple_of(PROGRESS_EVERY) {
                        yield Ok(bytes::Bytes::from(std::mem::take(&mut chunk)));
                        progress.advance(written, false).await;
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
        progress.advance(written, true).await;
    };
    (csv_headers(filename), Body::from_stream(body)).into_response()
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
    (csv_headers("audit-log.csv"), csv).into_response()
}

/// The signed-in user of a CSV request, or the answer explaining why there is none.
pub(crate) async fn csv_user(session: &Session, what: &str) -> Result<console::UserSession, Response> {
    match console::identity::require_user(session).await {
        Ok(u) => Ok(u),
        Err(ServiceError::SessionExpired | ServiceError::NotSignedIn) => Err((StatusCode::UNAUTHORIZED, format!("Please sign in to export {what}.")).into_response()),
        Err(_) => Err((StatusCode::INTERNAL_SERVER_ERROR, "fleetdesk could not read your session.").into_response()),
    }
}

/// A service error as a plain-text answer with its status.
pub(crate) fn error_response(e: ServiceError) -> Response {
    let err = app::error::AppError::from(e);
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_GATEWAY);
    let id = err.request_id.map(|r| format!(" (request id {r})")).unwrap_or_default();
    (status, format!("{}{id}", err.message)).into_response()
}

pub(crate) fn csv_headers(filename: &str) -> [(header::HeaderName, String); 3] {
    [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ]
}
