//! The finance console's server functions (BSS): each reads the session, calls one service and
//! maps its errors. Money-moving ones are claimed once and audited by the service.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::finance::{
    Benefits, CalendarDay, ExpiryChange, FeePage, FeeQuery, FinanceOverview, Members, OrderDetail, OrderPage, OrderQuery, PayDone,
    PayRequest, Quote, ResourceRecordPage, ResourceRecordQuery, Statement, Subscription, SubscriptionQuery, TransferDone, TransferRequest, UnsubscribeDone, UnsubscribeRequest,
};
use model::costs::{BreakdownPage, BreakdownQuery, CostQuery, CostTable, ResourceSpendPage, ResourceSpendQuery};
use model::renewal::{RenewalDone, RenewalPeriod, RenewalRequest};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::context::{respond, signed_in};
use crate::error::AppError;

/// Balances, spend, pending orders and what expires soon.
#[server(endpoint = "finance/overview")]
pub async fn read_finance_overview() -> Result<FinanceOverview, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::overview::read(&ctx.client, &user).await)
}

/// A bill cycle's statement.
#[server(endpoint = "finance/statement")]
pub async fn read_statement(cycle: String) -> Result<Statement, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::bills::statement(&ctx.client, &user, &cycle).await)
}

/// A page of fee records.
#[server(endpoint = "finance/fees", input = Json)]
pub async fn fee_records(query: FeeQuery) -> Result<FeePage, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::bills::fee_page(&ctx.client, &user, &query).await)
}

/// A page of resource consumption records (one bill cycle).
#[server(endpoint = "finance/resource-records", input = Json)]
pub async fn resource_records(query: ResourceRecordQuery) -> Result<ResourceRecordPage, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::bills::resource_records(&ctx.client, &user, &query).await)
}

/// A page of the cost analysis (months by a dimension).
#[server(endpoint = "finance/costs", input = Json)]
pub async fn cost_analysis(query: CostQuery) -> Result<CostTable, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::costs::analysis(&ctx.client, &user, &query).await)
}

/// A page of a month's amortised cost breakdown.
#[server(endpoint = "finance/breakdown", input = Json)]
pub async fn monthly_breakdown(query: BreakdownQuery) -> Result<BreakdownPage, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::costs::breakdown(&ctx.client, &user, &query).await)
}

/// A page of what each resource cost in a cycle.
#[server(endpoint = "finance/resource-spend", input = Json)]
pub async fn resource_spend(query: ResourceSpendQuery) -> Result<ResourceSpendPage, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::costs::resource_spend(&ctx.client, &user, &query).await)
}

/// A page of orders.
#[server(endpoint = "finance/orders", input = Json)]
pub async fn orders(query: OrderQuery) -> Result<OrderPage, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::orders::list(&ctx.client, &user, &query).await)
}

/// One order, with what it may be paid with and its refunds.
#[server(endpoint = "finance/order")]
pub async fn order(order_id: String) -> Result<OrderDetail, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::orders::detail(&ctx.client, &user, &order_id).await)
}

/// Pays a pending order, once.
#[server(endpoint = "finance/pay", input = Json)]
pub async fn pay_order(request: PayRequest) -> Result<PayDone, AppError> {
    let (ctx, user) = signed_in().await?;
    let done = respond(console::finance::orders::pay(&ctx.db, &ctx.client, &user, &request).await)?;
    tracing::info!(account = %user.account, user = %user.user_name, order = %done.order_id, repeated = done.repeated, "payment");
    Ok(done)
}

/// Cancels a pending order.
#[server(endpoint = "finance/cancel")]
pub async fn cancel_order(order_id: String) -> Result<(), AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::orders::cancel(&ctx.db, &ctx.client, &user, &order_id).await)
}

/// Yearly/monthly resources.
#[server(endpoint = "finance/subscriptions", input = Json)]
pub async fn subscriptions(query: SubscriptionQuery) -> Result<Vec<Subscription>, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::subscriptions::list(&ctx.client, &user, &query).await)
}

/// BSS's price for renewing resources.
#[server(endpoint = "finance/quote", input = Json)]
pub async fn quote_renewal(resource_ids: Vec<String>, period: RenewalPeriod) -> Result<Quote, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::renewals::quote(&ctx.client, &user, &resource_ids, period).await)
}

/// Renews resources: claimed once in the database (a double click or a second tab renews once),
/// audited before and after the upstream call.
#[server(endpoint = "finance/renew", input = Json)]
pub async fn renew_resources(request: RenewalRequest) -> Result<RenewalDone, AppError> {
    let (ctx, user) = signed_in().await?;
    let done = respond(console::finance::renewals::renew(&ctx.db, &ctx.client, &user, &request).await)?;
    tracing::info!(account = %user.account, user = %user.user_name, orders = ?done.order_ids, repeated = done.repeated, "renewal");
    Ok(done)
}

/// Changes what happens to a resource at expiry.
#[server(endpoint = "finance/expiry", input = Json)]
pub async fn change_expiry(resource_id: String, change: ExpiryChange) -> Result<(), AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::subscriptions::change_expiry(&ctx.db, &ctx.client, &user, &resource_id, change).await)
}

/// Unsubscribes resources, once.
#[server(endpoint = "finance/unsubscribe", input = Json)]
pub async fn unsubscribe(request: UnsubscribeRequest) -> Result<UnsubscribeDone, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::subscriptions::unsubscribe(&ctx.db, &ctx.client, &user, &request).await)
}

/// The next 90 days of expiries and auto-renewals.
#[server(endpoint = "finance/calendar")]
pub async fn renewal_calendar() -> Result<Vec<CalendarDay>, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::subscriptions::calendar(&ctx.client, &user).await)
}

/// Coupons, stored-value cards and resource packages.
#[server(endpoint = "finance/benefits")]
pub async fn list_benefits() -> Result<Benefits, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::benefits::all(&ctx.client, &user).await)
}

/// Member accounts, with a fresh token for one transfer form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersView {
    /// The members and tree.
    pub members: Members,
    /// Submits one transfer, once.
    pub form_token: String,
}

/// Member accounts and the organisation tree.
#[server(endpoint = "finance/members")]
pub async fn list_members() -> Result<MembersView, AppError> {
    let (ctx, user) = signed_in().await?;
    let members = respond(console::finance::members::read(&ctx.client, &user).await)?;
    Ok(MembersView { members, form_token: uuid::Uuid::new_v4().simple().to_string() })
}

/// Moves budget to or from a member account, once per form.
#[server(endpoint = "finance/transfer", input = Json)]
pub async fn transfer(request: TransferRequest) -> Result<TransferDone, AppError> {
    let (ctx, user) = signed_in().await?;
    respond(console::finance::members::transfer(&ctx.db, &ctx.client, &user, &request).await)
}
