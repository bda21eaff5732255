//! Work orders' server functions.

use leptos::prelude::*;
use model::work_order::{WorkOrder, WorkOrderLine};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::context::{fleet_user, respond};
use crate::error::AppError;

/// A page of work orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOrderPage {
    /// The orders.
    pub orders: Vec<WorkOrder>,
    /// How many in all.
    pub count: u64,
    /// This page (from 1).
    pub page: u32,
}

/// Work orders, newest first.
#[server(endpoint = "fleet/work-orders")]
pub async fn list_work_orders(page: u32) -> Result<WorkOrderPage, AppError> {
    let (ctx, user) = fleet_user().await?;
    let (orders, count) = respond(console::fleet::work_orders::list(&ctx.client, &user.identity(), page, 20).await)?;
    Ok(WorkOrderPage { orders, count, page })
}

/// One work order with its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOrderDetail {
    /// The order.
    pub order: WorkOrder,
    /// A page of its lines.
    pub lines: Vec<WorkOrderLine>,
    /// Lines in all.
    pub count: u64,
}

/// One work order.
#[server(endpoint = "fleet/work-order")]
pub async fn show_work_order(id: i64, page: u32) -> Result<WorkOrderDetail, AppError> {
    let (ctx, user) = fleet_user().await?;
    let (order, lines, count) = respond(console::fleet::work_orders::show(&ctx.client, &user.identity(), id, page).await)?;
    Ok(WorkOrderDetail { order, lines, count })
}
