//! The fleet at a glance: cards by status, pool use this cycle against last, pools running dry,
//! cards expiring within 30 days, recent work orders.

use chrono::{Duration, Utc};
use hwcloud::{Client, Identity};
use model::inventory::{InventoryQuery, SimFilter, SortKey};
use model::pool::PoolSummary;
use model::sim::{CentiMb, SimCard, SimStatus};
use model::work_order::WorkOrder;

use super::usage::{cycle_before, today_cn};
use super::{pools, sim_cards, work_orders};
use crate::error::ServiceError;

/// Days ahead that count as "expiring soon".
pub const EXPIRING_DAYS: i64 = 30;
/// Cards read to find those expiring soonest.
const EXPIRING_PAGE: u32 = 100;

/// The overview's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    /// Cards per status.
    pub by_status: Vec<(SimStatus, u64)>,
    /// Every pool this cycle.
    pub pools: Vec<PoolSummary>,
    /// Pool use this cycle, and in the last cycle.
    pub usage: (CentiMb, CentiMb),
    /// In-use cards expiring within 30 days, soonest first.
    pub expiring: Vec<SimCard>,
    /// Whether more expire within 30 days than were read.
    pub expiring_more: bool,
    /// The newest work orders.
    pub work_orders: Vec<WorkOrder>,
}

/// Reads the overview (its calls run together under the client's rate limit).
pub async fn read(client: &Client, who: &Identity) -> Result<Overview, ServiceError> {
    let counts = futures::future::try_join_all(SimStatus::ALL.into_iter().map(|s| async move {
        let n = sim_cards::count(client, who, &SimFilter { status: Some(s), ..SimFilter::default() }).await?;
        Ok::<_, ServiceError>((s, n))
    }));
    let soonest = InventoryQuery {
        filter: SimFilter { status: Some(SimStatus::InUse), sort: Some(SortKey::Expires), ..SimFilter::default() },
        page: 1,
        page_size: EXPIRING_PAGE,
    };
    let expiring = sim_cards::list_page(client, who, &soonest);
    let orders = work_orders::list(client, who, 1, 10);
    let (by_status, pools, expiring, (work_orders, _)) = futures::try_join!(counts, pools::list(client, who), expiring, orders)?;
    let horizon = Utc::now() + Duration::days(EXPIRING_DAYS);
    let soon: Vec<SimCard> = expiring.cards.into_iter().filter(|c| c.expires_at.is_some_and(|t| t <= horizon)).collect();
    let expiring_more = soon.len() == EXPIRING_PAGE as usize;
    let today = today_cn();
    let (this, last) = (cycle_before(today, 0), cycle_before(today, 1));
    let sum = |cycle: &str| pools.iter().flat_map(|p| p.history.iter()).filter(|(c, _)| c == cycle).map(|(_, u)| *u).sum::<CentiMb>();
    let usage = (sum(&this), sum(&last));
    Ok(Overview { by_status, usage, pools, expiring: soon, expiring_more, work_orders })
}
