//! The fleet overview's and the pools' server functions.

use leptos::prelude::*;
use model::pool::{PoolKind, PoolMember, PoolSummary};
use model::sim::{SimCard, SimStatus};
use model::work_order::WorkOrder;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::context::{fleet_user, respond};
use crate::error::AppError;

/// The fleet at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewView {
    /// Cards per status.
    pub by_status: Vec<(SimStatus, u64)>,
    /// Pools at 80 % or more of their capacity.
    pub pools_running_dry: Vec<PoolSummary>,
    /// Pool use this cycle and the last (hundredths of MB).
    pub usage: (i64, i64),
    /// In-use cards expiring within 30 days.
    pub expiring: Vec<SimCard>,
    /// More expire than shown.
    pub expiring_more: bool,
    /// Newest work orders.
    pub work_orders: Vec<WorkOrder>,
}

/// The overview.
#[server(endpoint = "fleet/overview")]
pub async fn fleet_overview() -> Result<OverviewView, AppError> {
    let (ctx, user) = fleet_user().await?;
    let o = respond(console::fleet::overview::read(&ctx.client, &user.identity()).await)?;
    Ok(OverviewView {
        by_status: o.by_status,
        pools_running_dry: o.pools.into_iter().filter(PoolSummary::is_running_dry).collect(),
        usage: o.usage,
        expiring: o.expiring,
        expiring_more: o.expiring_more,
        work_orders: o.work_orders,
    })
}

/// Every pool this cycle.
#[server(endpoint = "fleet/pools")]
pub async fn list_pools() -> Result<Vec<PoolSummary>, AppError> {
    let (ctx, user) = fleet_user().await?;
    respond(console::fleet::pools::list(&ctx.client, &user.identity()).await)
}

/// A pool's members, top consumers first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolMembersView {
    /// The pool.
    pub pool: Option<PoolSummary>,
    /// Members by use.
    pub members: Vec<PoolMember>,
    /// More members exist than were read.
    pub truncated: bool,
}

/// One pool with its members.
#[server(endpoint = "fleet/pool")]
pub async fn pool_members(kind: PoolKind, id: i64) -> Result<PoolMembersView, AppError> {
    let (ctx, user) = fleet_user().await?;
    let who = user.identity();
    let (pools, (members, truncated)) = respond(
        futures::try_join!(
            console::fleet::pools::list(&ctx.client, &who),
            console::fleet::pools::members(&ctx.client, &who, kind, id)
        ),
    )?;
    let pool = pools.into_iter().find(|p| p.kind == kind && p.id == id);
    Ok(PoolMembersView { pool, members, truncated })
}
