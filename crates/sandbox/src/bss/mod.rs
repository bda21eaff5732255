//! BSS v2: balances and their journal, bills and cost analysis from the ledger, orders and
//! payment, yearly/monthly subscriptions (renewal, auto-renew, unsubscription, pay-per-use),
//! coupons and packages, the enterprise's member accounts, and the reference lists; with BSS's
//! record-offset paging and its CBC error codes in Huawei's error shape.
//!
//! Codes come from Huawei's BSS error table where it has one (CBC.30050007..13, CBC.3106);
//! CBC.30000052 (insufficient balance), CBC.30000060/61 (coupon/discount not usable) and
//! CBC.30000067 (order not pending) are this sandbox's stand-ins where the table is silent.

mod accounts;
mod benefits;
mod bills;
mod catalog;
mod costs;
mod enterprise;
mod orders;
mod subscriptions;

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::params::{JsonBody, Params};
use crate::world::billing::Refusal;

/// BSS routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/v2/accounts/customer-accounts/balances",
            get(accounts::show_customer_account_balances),
        )
        .route(
            "/v2/bills/customer-bills/monthly-sum",
            get(bills::show_customer_monthly_sum),
        )
        .route(
            "/v2/bills/customer-bills/fee-records",
            get(bills::list_customer_bills_fee_records),
        )
        .route(
            "/v2/products/service-types",
            get(catalog::list_service_types),
        )
        .route(
            "/v2/products/resource-types",
            get(catalog::list_resource_types),
        )
        .route("/v2/bases/measurements", get(catalog::list_measure_units))
        .route("/v2/bases/conversions", get(catalog::list_conversions))
        .route("/v2/products/usage-types", get(catalog::list_usage_types))
        .route("/v2/products/resource-specs-query", post(catalog::list_resource_specs))
        .route(
            "/v2/accounts/customer-accounts/account-change-records",
            get(accounts::list_customer_account_change_records),
        )
        .route(
            "/v2/promotions/benefits/stored-value-cards",
            get(benefits::list_stored_value_cards),
        )
        .route(
            "/v2/promotions/benefits/coupons",
            get(benefits::list_sub_customer_coupons),
        )
        .route(
            "/v2/promotions/benefits/account-change-records",
            get(benefits::list_customer_coupon_change_records),
        )
        .route(
            "/v3/payments/free-resources/query",
            post(benefits::list_free_resource_infos),
        )
        .route(
            "/v2/payments/free-resources/usages/details/query",
            post(benefits::list_free_resource_usages),
        )
        .route(
            "/v2/bills/customer-bills/free-resources-usage-records",
            get(benefits::list_free_resources_usage_records),
        )
        .route(
            "/v2/bills/customer-bills/res-fee-records",
            get(costs::list_customerself_resource_records),
        )
        .route(
            "/v2/bills/customer-bills/res-records/query",
            post(costs::list_customerself_resource_record_details),
        )
        .route(
            "/v2/costs/cost-analysed-bills/monthly-breakdown",
            get(costs::list_customer_bills_monthly_break_down),
        )
        .route(
            "/v4/costs/cost-analysed-bills/query",
            post(costs::list_costs),
        )
        .route(
            "/v2/orders/customer-orders",
            get(orders::list_customer_orders),
        )
        .route(
            "/v2/orders/customer-orders/details/{order_id}",
            get(orders::show_customer_order_details),
        )
        .route("/v3/orders/customer-orders/pay", post(orders::pay_orders))
        .route(
            "/v2/orders/customer-orders/cancel",
            put(orders::cancel_customer_order),
        )
        .route(
            "/v2/orders/customer-orders/order-coupons",
            get(orders::list_order_coupons_by_order_id),
        )
        .route(
            "/v2/orders/customer-orders/order-discounts",
            get(orders::list_order_discounts),
        )
        .route(
            "/v2/orders/customer-orders/refund-orders",
            get(orders::show_refund_order_details),
        )
        // Huawei's path really is spelt "suscriptions".
        .route(
            "/v2/orders/suscriptions/resources/query",
            post(subscriptions::list_pay_per_use_customer_resources),
        )
        .route(
            "/v2/bills/ratings/period-resources/renew-rate",
            post(subscriptions::list_renew_rate_on_period),
        )
        .route(
            "/v2/bills/ratings/period-resources/subscribe-rate",
            post(subscriptions::list_rate_on_period_detail),
        )
        .route(
            "/v2/orders/subscriptions/resources/renew",
            post(subscriptions::renewal_resources),
        )
        .route(
            "/v2/orders/subscriptions/resources/autorenew/{resource_id}",
            post(subscriptions::auto_renewal_resources)
                .delete(subscriptions::cancel_auto_renewal_resources),
        )
        .route(
            "/v2/orders/subscriptions/resources/renew/config",
            post(subscriptions::set_resources_renew_config),
        )
        .route(
            "/v2/orders/subscriptions/resources/unsubscribe",
            post(subscriptions::cancel_resources_subscription),
        )
        .route(
            "/v2/orders/subscriptions/resources/to-on-demand",
            post(subscriptions::update_period_to_on_demand),
        )
        .route(
            "/v2/orders/subscriptions/resources/to-on-demand/instantly",
            post(subscriptions::update_period_to_on_demand_instantly),
        )
        .route(
            "/v2/enterprises/multi-accounts/sub-customers",
            get(enterprise::list_enterprise_sub_customers),
        )
        .route(
            "/v2/enterprises/multi-accounts/enterprise-organizations",
            get(enterprise::list_enterprise_organizations),
        )
        .route(
            "/v2/enterprises/multi-accounts/transfer-amount",
            get(enterprise::show_multi_account_transfer_amount)
                .post(enterprise::update_sub_enterprise_amount),
        )
        .route(
            "/v2/enterprises/multi-accounts/retrieve-amount",
            get(enterprise::list_enterprise_multi_account)
                .post(enterprise::reclaim_sub_enterprise_amount),
        )
        .route(
            "/v2/enterprises/multi-accounts/sm-verification-code",
            post(enterprise::send_sms_verification_code),
        )
}

/// A JSON body; a malformed one is a CBC.0100 parameter error.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        JsonBody::<T>::from_request(req, state)
            .await
            .map(|JsonBody(b)| Body(b))
            .map_err(|e| invalid(e.msg))
    }
}

/// A refusal of the world's rules as an error answer.
pub fn refused(r: Refusal) -> ApiError {
    let status = if r.code == "CBC.3106" {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::BAD_REQUEST
    };
    ApiError::new(status, r.code, r.msg)
}

/// A UTC time as BSS writes it (`2019-05-06T08:05:01Z`).
pub fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Reads a UTC time parameter (`2019-05-06T08:05:01Z`).
pub fn parse_utc(raw: &str, name: &str) -> ApiResult<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%SZ")
        .map(|t| t.and_utc())
        .map_err(|_| invalid(format!("{name} looks like 2019-05-06T08:05:01Z (UTC).")))
}

/// A query parameter that was given and is not empty.
pub fn given<'a>(q: &'a Params, name: &str) -> Option<&'a str> {
    q.str(name).filter(|s| !s.is_empty())
}

/// An optional UTC time query parameter.
pub fn utc_param(q: &Params, name: &str) -> ApiResult<Option<DateTime<Utc>>> {
    given(q, name).map(|s| parse_utc(s, name)).transpose()
}

/// `revenue_expense_type`: `Some(true)` for REVENUE, `Some(false)` for EXPENSE.
pub fn revenue_expense(q: &Params) -> ApiResult<Option<bool>> {
    match given(q, "revenue_expense_type") {
        None => Ok(None),
        Some("REVENUE") => Ok(Some(true)),
        Some("EXPENSE") => Ok(Some(false)),
        Some(_) => Err(invalid("revenue_expense_type is REVENUE or EXPENSE.")),
    }
}

/// Reads a `YYYY-MM-DD` date parameter.
pub fn parse_day(raw: &str, name: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| invalid(format!("{name} looks like 2024-05-31.")))
}

/// A length as BSS's `total_count`.
pub fn count(n: usize) -> Option<i64> {
    Some(i64::try_from(n).unwrap_or(i64::MAX))
}

/// An empty success (BSS answers these writes with 204).
pub fn done() -> StatusCode {
    StatusCode::NO_CONTENT
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
        let offset = q.int("offset").map_err(|_| invalid("offset must be an integer."))?;
        let limit = q.int("limit").map_err(|_| invalid("limit must be an integer."))?;
        Self::of(offset, limit, 1000)
    }

    /// Reads `offset` and `limit` from a body's optional fields.
    pub fn of(offset: Option<i64>, limit: Option<i64>, max: i64) -> ApiResult<Self> {
        let offset = offset.unwrap_or(0);
        let limit = limit.unwrap_or(10);
        if offset < 0 {
            return Err(invalid("offset starts at 0."));
        }
        if !(1..=max).contains(&limit) {
            return Err(invalid(format!("limit is between 1 and {max}.")));
        }
        Ok(Self {
            offset: usize::try_from(offset).unwrap_or(0),
            limit: usize::try_from(limit).unwrap_or(10),
        })
    }

    /// This page of `all`.
    pub fn slice<T: Clone>(&self, all: &[T]) -> Vec<T> {
        all.iter()
            .skip(self.offset)
            .take(self.limit)
            .cloned()
            .collect()
    }
}
