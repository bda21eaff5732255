//! Downloads of the finance console: a bill cycle's statement (CSV and PDF), and every fee record
//! or order matching a page's filters as CSV, streamed with progress.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use console::finance::csv;
use futures::StreamExt;
use hwcloud::Client;
use model::finance::{FeeQuery, OrderQuery};
use tower_sessions::Session;

use crate::export::{Progress, csv_headers, csv_user, error_response, streamed};
use console::Db;

type Pairs = Query<Vec<(String, String)>>;

fn one(pairs: &[(String, String)], k: &str) -> Option<String> {
    pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).filter(|v| !v.is_empty())
}

fn number(pairs: &[(String, String)], k: &'static str) -> Result<Option<i64>, (StatusCode, String)> {
    one(pairs, k).map(|v| v.parse::<i64>().map_err(|_| (StatusCode::BAD_REQUEST, model::Invalid::new(k, "must be a number.").sentence()))).transpose()
}

/// Starts an export of `expected` rows once its filters are `valid`, the user may read BSS and its
/// export id is sound; otherwise the answer saying why. Nothing is asked of BSS before that.
async fn started(
    db: Db,
    user: &console::UserSession,
    pairs: &[(String, String)],
    valid: Result<(), model::Invalid>,
    expected: impl std::future::Future<Output = Result<u64, console::ServiceError>>,
) -> Result<Progress, Response> {
    valid.map_err(|e| (StatusCode::BAD_REQUEST, e.sentence()).into_response())?;
    console::finance::require_read(user).map_err(error_response)?;
    let progress = Progress::of(db, user, pairs).map_err(IntoResponse::into_response)?;
    progress.begin(expected.await.map_err(error_response)?).await?;
    Ok(progress)
}

/// `GET /finance/statement.csv?cycle=YYYY-MM`: a bill cycle's statement.
pub async fn statement_csv(client: Client, session: Session, Query(pairs): Pairs) -> Response {
    let user = match csv_user(&session, "a statement").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let cycle = one(&pairs, "cycle").unwrap_or_default();
    match console::finance::bills::statement(&client, &user, &cycle).await {
        Ok(s) => (csv_headers(&format!("statement-{cycle}.csv")), csv::statement(&s)).into_response(),
        Err(e) => error_response(e),
    }
}

/// `GET /finance/statement.pdf?cycle=YYYY-MM`: a bill cycle's statement as an A4 PDF, when a
/// Chinese font is installed (`font`).
pub async fn statement_pdf(client: Client, font: Option<std::sync::Arc<Vec<u8>>>, session: Session, Query(pairs): Pairs) -> Response {
    let user = match csv_user(&session, "a statement").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Some(font) = font else {
        return (StatusCode::SERVICE_UNAVAILABLE, "PDF statements need a Chinese font on the server (Debian: fonts-wqy-microhei, or set pdf_font); the CSV and the print page work.").into_response();
    };
    let cycle = one(&pairs, "cycle").unwrap_or_default();
    let statement = match console::finance::bills::statement(&client, &user, &cycle).await {
        Ok(s) => s,
        Err(e) => return error_response(e),
    };
    // Drawing and subsetting the font is CPU work: off the async threads.
    let billing_center = app::pages::finance::bills::BILLING_CENTER_INVOICES;
    match tokio::task::spawn_blocking(move || console::finance::pdf::statement(&statement, &font, billing_center)).await {
        Ok(Ok(pdf)) => (
            [
                (axum::http::header::CONTENT_TYPE, "application/pdf".to_owned()),
                (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"statement-{cycle}.pdf\"")),
                (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            pdf,
        )
            .into_response(),
        Ok(Err(e)) => error_response(e),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "fleetdesk could not draw the PDF.").into_response(),
    }
}

/// `GET /finance/fees.csv?cycle=&service=&charge_mode=&bill_type=&region=&export=`: every fee
/// record matching the filters.
pub async fn fees_csv(db: Db, client: Client, session: Session, Query(pairs): Pairs) -> Response {
    let user = match csv_user(&session, "fee records").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let query = match (number(&pairs, "charge_mode"), number(&pairs, "bill_type")) {
        (Ok(charge_mode), Ok(bill_type)) => FeeQuery {
            cycle: one(&pairs, "cycle").unwrap_or_default(),
            service: one(&pairs, "service"),
            region: one(&pairs, "region"),
            charge_mode,
            bill_type,
            page: 0,
        },
        (Err(r), _) | (_, Err(r)) => return r.into_response(),
    };
    let who = user.identity();
    let progress = match started(db, &user, &pairs, query.validate(), console::finance::bills::fee_count(&client, &who, &query)).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let filename = format!("fee-records-{}.csv", query.cycle);
    let lines = async_stream::stream! {
        let mut rows = std::pin::pin!(console::finance::bills::fee_records(&client, &who, &query));
        while let Some(r) = rows.next().await {
            yield r.map(|r| csv::fee_row(&r));
        }
    };
    streamed(&filename, csv::FEE_HEADER, lines, progress)
}

/// `GET /finance/orders.csv?status=&kind=&service=&created_from=&created_to=&paid_from=&paid_to=&export=`:
/// every order matching the filters.
pub async fn orders_csv(db: Db, client: Client, session: Session, Query(pairs): Pairs) -> Response {
    let user = match csv_user(&session, "orders").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let status = match number(&pairs, "status") {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let query = OrderQuery {
        status,
        kind: one(&pairs, "kind"),
        service: one(&pairs, "service"),
        created_from: one(&pairs, "created_from"),
        created_to: one(&pairs, "created_to"),
        paid_from: one(&pairs, "paid_from"),
        paid_to: one(&pairs, "paid_to"),
        page: 0,
    };
    let who = user.identity();
    let progress = match started(db, &user, &pairs, query.validate(), console::finance::orders::count(&client, &who, &query)).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let filename = format!("orders-{}.csv", chrono::Utc::now().format("%Y%m%d-%H%M%S"));
    let lines = async_stream::stream! {
        match console::finance::orders::all(&client, &who, &query) {
            Ok(rows) => {
                let mut rows = std::pin::pin!(rows);
                while let Some(o) = rows.next().await {
                    yield o.map(|o| csv::order_row(&o));
                }
            }
            Err(e) => yield Err(e),
        }
    };
    streamed(&filename, csv::ORDER_HEADER, lines, progress)
}
