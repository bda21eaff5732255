//! BSS v2 (issue 5, in progress): balances, monthly summaries and fee records served from the
//! ledger, and the reference lists, with BSS's record-offset paging and its CBC error codes.

mod accounts;
mod bills;
mod catalog;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use rust_decimal::Decimal;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;

/// BSS routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v2/accounts/customer-accounts/balances", get(accounts::show_customer_account_balances))
        .route("/v2/bills/customer-bills/monthly-sum", get(bills::show_customer_monthly_sum))
        .route("/v2/bills/customer-bills/fee-records", get(bills::list_customer_bills_fee_records))
        .route("/v2/products/service-types", get(catalog::list_service_types))
        .route("/v2/products/resource-types", get(catalog::list_resource_types))
        .route("/v2/bases/measurements", get(catalog::list_measure_units))
}

/// A parameter error in BSS's shape.
pub fn invalid(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "CBC.0100", msg)
}

/// Fen as a BSS amount (yuan, two decimals).
pub fn yuan(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

/// BSS paging: a 0-based record `offset` and a `limit` of 1 to 1,000 (default 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordPage {
    /// Records to skip.
    pub offset: usize,
    /// Records to return.
    pub limit: usize,
}

impl RecordPage {
    /// Reads `offset` and `limit`.
    pub fn from(q: &Params) -> ApiResult<Self> {
        let offset = q.int("offset").map_err(|_| invalid("offset must be an integer."))?.unwrap_or(0);
        let limit = q.int("limit").map_err(|_| invalid("limit must be an integer."))?.unwrap_or(10);
        if offset < 0 {
            return Err(invalid("offset starts at 0."));
        }
        if !(1..=1000).contains(&limit) {
            return Err(invalid("limit is between 1 and 1000."));
        }
        Ok(Self { offset: usize::try_from(offset).unwrap_or(0), limit: usize::try_from(limit).unwrap_or(10) })
    }

    /// This page of `all`.
    pub fn slice<T: Clone>(&self, all: &[T]) -> Vec<T> {
        all.iter().skip(self.offset).take(self.limit).cloned().collect()
    }
}
