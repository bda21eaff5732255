//! Flow pools and back pools for the current bill cycle, with six cycles of history, a projection
//! to the end of the cycle, and members ranked by use.

use chrono::Datelike;
use futures::{StreamExt, TryStreamExt};
use hwcloud::gsl::{ListBackPoolMembersRequest, ListBackPoolsRequest, ListSimPoolMembersRequest, ListSimPoolsRequest};
use hwcloud::{Client, Identity};
use model::pool::{PoolKind, PoolMember, PoolSummary, project};
use model::sim::CentiMb;

use super::sim_cards::centi_mb;
use super::usage::{cycle_before, today_cn};
use crate::error::ServiceError;

/// Most member pages read for one pool (500 members each).
pub const MEMBER_PAGES: usize = 20;

/// Days elapsed in the current cycle (today counts) and the cycle's length, in UTC+8.
pub fn cycle_progress(today: chrono::NaiveDate) -> (i64, i64) {
    let first = today.with_day(1).unwrap_or(today);
    let next = if first.month() == 12 {
        chrono::NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .unwrap_or(first);
    (i64::from(today.day()), (next - first).num_days())
}

struct Row {
    id: i64,
    name: String,
    plan: Option<String>,
    cycle: String,
    total: Option<CentiMb>,
    used: CentiMb,
    members: i64,
}

fn summarize(kind: PoolKind, rows: Vec<Row>, current: &str, progress: (i64, i64)) -> Vec<PoolSummary> {
    let mut out: Vec<PoolSummary> = Vec::new();
    for r in rows.iter().filter(|r| r.cycle == current) {
        let mut history: Vec<(String, CentiMb)> =
            rows.iter().filter(|h| h.id == r.id).map(|h| (h.cycle.clone(), h.used)).collect();
        history.sort();
        out.push(PoolSummary {
            kind,
            id: r.id,
            name: r.name.clone(),
            plan: r.plan.clone(),
            cycle: r.cycle.clone(),
            total: r.total,
            used: r.used,
            members: r.members,
            history,
            projected: project(r.used, progress.0, progress.1),
        });
    }
    out
}

/// Every flow pool and back pool of the account in the current cycle.
pub async fn list(client: &Client, who: &Identity) -> Result<Vec<PoolSummary>, ServiceError> {
    let today = today_cn();
    let current = cycle_before(today, 0);
    let progress = cycle_progress(today);
    let flow = client
        .pages(who, ListSimPoolsRequest { all_billing_cycle: Some(true), limit: Some(100), ..Default::default() })
        .map_ok(|p| Row {
            id: p.id.unwrap_or_default(),
            name: p.pool_name.unwrap_or_default(),
            plan: p.price_plan_name,
            cycle: p.billing_cycle.unwrap_or_default(),
            total: p.flow_total.map(centi_mb),
            used: p.flow_used.map(centi_mb).unwrap_or(0),
            members: p.quantity.unwrap_or(0),
        })
        .try_collect::<Vec<_>>();
    let back = client
        .pages(who, ListBackPoolsRequest { all_billing_cycle: Some(true), limit: Some(100), ..Default::default() })
        .map_ok(|p| Row {
            id: p.id.unwrap_or_default(),
            name: p.pool_name.unwrap_or_default(),
            plan: p.price_plan_name,
            cycle: p.billing_cycle.unwrap_or_default(),
            total: None,
            used: p.flow_used.map(centi_mb).unwrap_or(0),
            members: p.quantity.unwrap_or(0),
        })
        .try_collect::<Vec<_>>();
    let (flow, back) = futures::try_join!(flow, back)?;
    let mut pools = summarize(PoolKind::Flow, flow, &current, progress);
    pools.extend(summarize(PoolKind::Back, back, &current, progress));
    Ok(pools)
}

/// Members of a pool in the current cycle, top consumers first; `true` when more members exist
/// than were read ([`MEMBER_PAGES`] pages).
pub async fn members(client: &Client, who: &Identity, kind: PoolKind, id: i64) -> Result<(Vec<PoolMember>, bool), ServiceError> {
    if id <= 0 {
        return Err(model::Invalid::new("pool", "is not a pool id.").into());
    }
    let cycle = cycle_before(today_cn(), 0);
    let cap = MEMBER_PAGES * 500;
    let mut members: Vec<PoolMember> = match kind {
        PoolKind::Flow => {
            let req = ListSimPoolMembersRequest { sim_pool_id: id, billing_cycle: cycle, limit: Some(500), ..Default::default() };
            client
                .pages(who, req)
                .map_ok(|m| PoolMember { iccid: m.cid.unwrap_or_default(), used: m.flow_used.map(centi_mb).unwrap_or(0) })
                .take(cap + 1)
                .try_collect()
                .await?
        }
        PoolKind::Back => {
            let req = ListBackPoolMembersRequest { back_pool_id: id, billing_cycle: cycle, limit: Some(500), ..Default::default() };
            client
                .pages(who, req)
                .map_ok(|m| PoolMember { iccid: m.cid.unwrap_or_default(), used: m.flow_used.map(centi_mb).unwrap_or(0) })
                .take(cap + 1)
                .try_collect()
                .await?
        }
    };
    let more = members.len() > cap;
    members.truncate(cap);
    members.sort_by(|a, b| b.used.cmp(&a.used).then_with(|| a.iccid.cmp(&b.iccid)));
    Ok((members, more))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_progress_counts_days_in_utc8_months() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 2, 10).expect("date");
        assert_eq!(cycle_progress(d), (10, 28));
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("date");
        assert_eq!(cycle_progress(d), (31, 31));
    }
}
